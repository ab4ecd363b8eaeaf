/*
 * Signals: handlers installed with sigaction run with the right arguments
 * and mask, SA_SIGINFO delivers the sender's pid and uid, blocked signals
 * stay pending until unblocked (standard ones merge, real-time ones queue),
 * SA_RESTART decides whether a read interrupted by SIGALRM restarts or
 * fails with EINTR, SIGCHLD reports a child's exit, hardware faults arrive
 * as SIGSEGV/SIGFPE/SIGILL with si_addr and si_code set, returning from a
 * handler resumes the interrupted code, handlers can run on an alternate
 * stack, stop/continue are reported to the parent, and a signal frame
 * with a selector that cannot be loaded harms only its program.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"

static volatile sig_atomic_t hits, last_sig;
static siginfo_t last_info;
static sigset_t mask_in_handler;
static volatile uintptr_t handler_sp; /* a handler's frame address */

static void on_signal(int sig)
{
	hits++;
	last_sig = sig;
	sigprocmask(SIG_BLOCK, NULL, &mask_in_handler);
}

static void on_siginfo(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	last_sig = sig;
	last_info = *si;
	handler_sp = (uintptr_t)__builtin_frame_address(0);
}

static void set_handler(int sig, void (*fn)(int), int flags, int block)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	if (block)
		sigaddset(&sa.sa_mask, block);
	sigaction(sig, &sa, NULL);
}

static void set_siginfo_handler(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_siginfo;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void test_handlers(void)
{
	struct sigaction old;
	sigset_t now;

	hits = 0;
	set_handler(SIGUSR1, on_signal, 0, SIGUSR2);
	kill(getpid(), SIGUSR1);
	ktap_ok(hits == 1 && last_sig == SIGUSR1,
		"a handler runs before kill() to self returns");
	ktap_ok(sigismember(&mask_in_handler, SIGUSR1) &&
			sigismember(&mask_in_handler, SIGUSR2),
		"the handler runs with its signal and sa_mask blocked");
	sigprocmask(SIG_BLOCK, NULL, &now);
	ktap_ok(!sigismember(&now, SIGUSR1) && !sigismember(&now, SIGUSR2),
		"the mask is restored when the handler returns");
	set_handler(SIGUSR1, on_signal, SA_NODEFER, 0);
	raise(SIGUSR1);
	ktap_ok(!sigismember(&mask_in_handler, SIGUSR1),
		"SA_NODEFER leaves the signal unblocked in its handler");
	set_handler(SIGUSR1, on_signal, SA_RESETHAND, 0);
	raise(SIGUSR1);
	sigaction(SIGUSR1, NULL, &old);
	ktap_ok(hits == 3 && old.sa_handler == SIG_DFL,
		"SA_RESETHAND restores SIG_DFL after one delivery");

	hits = 0;
	set_siginfo_handler(SIGUSR2, 0);
	kill(getpid(), SIGUSR2);
	ktap_ok(hits == 1 && last_info.si_signo == SIGUSR2 &&
			last_info.si_code == SI_USER &&
			last_info.si_pid == getpid() &&
			last_info.si_uid == getuid(),
		"SA_SIGINFO: kill gives SI_USER, si_pid and si_uid");
	sigqueue(getpid(), SIGUSR2, (union sigval){ .sival_int = 4242 });
	ktap_ok(last_info.si_code == SI_QUEUE &&
			last_info.si_value.sival_int == 4242 &&
			last_info.si_pid == getpid(),
		"sigqueue gives SI_QUEUE and the value");
	raise(SIGUSR2);
	ktap_ok(last_info.si_code == SI_TKILL, "tgkill gives SI_TKILL");
}

static void test_errors(void)
{
	struct sigaction sa;
	unsigned long all[2] = { ~0UL, ~0UL }, got[2], old[2];

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	EXPECT_ERRNO(sigaction(SIGKILL, &sa, NULL), EINVAL);
	EXPECT_ERRNO(sigaction(SIGSTOP, &sa, NULL), EINVAL);
	EXPECT_ERRNO(syscall(SYS_rt_sigaction, 0, NULL, NULL, 8), EINVAL);
	EXPECT_ERRNO(syscall(SYS_rt_sigaction, 65, NULL, NULL, 8), EINVAL);
	EXPECT_ERRNO(syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4), EINVAL);
	EXPECT_ERRNO(syscall(SYS_rt_sigprocmask, 7, all, NULL, 8), EINVAL);
	EXPECT_ERRNO(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, got, 16),
		     EINVAL);
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, all, old, 8);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, old, got, 8);
	ktap_ok(!(got[0] & (1UL << (SIGKILL - 1))) &&
			!(got[0] & (1UL << (SIGSTOP - 1))) && got[1] == ~0UL,
		"SIGKILL and SIGSTOP cannot be blocked");
	EXPECT_ERRNO(kill(getpid(), 99), EINVAL);
	EXPECT_ERRNO(kill(0x7ffffff0, SIGUSR1), ESRCH);
	EXPECT_SUCCESS(kill(getpid(), 0));
}

static void test_pending(void)
{
	sigset_t block, pend;
	int rt = SIGRTMIN + 2, order_ok = 1;
	static int values[3], nvalues;

	hits = 0;
	set_handler(SIGUSR1, on_signal, 0, 0);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	sigpending(&pend);
	ktap_ok(hits == 0 && sigismember(&pend, SIGUSR1),
		"a blocked signal stays pending");
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	ktap_ok(hits == 1, "unblocking delivers it once (%d)", (int)hits);
	sigpending(&pend);
	ktap_ok(!sigismember(&pend, SIGUSR1), "and clears it from pending");

	hits = 0;
	set_siginfo_handler(rt, 0);
	sigemptyset(&block);
	sigaddset(&block, rt);
	sigprocmask(SIG_BLOCK, &block, NULL);
	for (int i = 1; i <= 3; i++)
		sigqueue(getpid(), rt, (union sigval){ .sival_int = i });
	nvalues = 0;
	while (nvalues < 3) {
		int sig;
		siginfo_t si;
		struct timespec zero = { 0, 0 };

		sig = sigtimedwait(&block, &si, &zero);
		if (sig != rt)
			break;
		values[nvalues++] = si.si_value.sival_int;
	}
	for (int i = 0; i < nvalues; i++)
		order_ok &= values[i] == i + 1;
	ktap_ok(nvalues == 3 && order_ok,
		"three queued real-time signals arrive in order (%d)", nvalues);
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	{
		struct timespec ts = { 0, 50000000 };

		EXPECT_ERRNO(sigtimedwait(&block, NULL, &ts), EAGAIN);
	}
}

/*
 * Regression: sigtimedwait slept with the awaited signal blocked, so a
 * signal sent while it waited neither picked nor woke the thread, and
 * the call ran out its whole timeout.
 */
static void test_sigtimedwait_wakes(void)
{
	struct timespec t0, t1, to = { 5, 0 };
	sigset_t set;
	long ms;
	pid_t pid;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	pid = fork();
	if (pid == 0) {
		usleep(100000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sig = sigtimedwait(&set, NULL, &to);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	waitpid(pid, NULL, 0);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	     (t1.tv_nsec - t0.tv_nsec) / 1000000;
	ktap_ok(sig == SIGUSR1 && ms < 4000,
		"a blocked signal sent during sigtimedwait ends the wait "
		"(sig %d after %ld ms)",
		sig, ms);
	to.tv_sec = 0x7fffffff; /* huge: forever, not a negative timeout */
	to.tv_nsec = 0;
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigqueue(getpid(), SIGUSR1, (union sigval){ .sival_int = 0 });
	sig = sigtimedwait(&set, NULL, &to);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	ktap_ok(sig == SIGUSR1, "a huge timeout is accepted (%d)", sig);
}

static void test_restart(void)
{
	int p[2];
	char buf[8];
	ssize_t n;
	pid_t pid;
	struct itimerval it = { { 0, 0 }, { 0, 100000 } };

	pipe(p);
	hits = 0;
	set_handler(SIGALRM, on_signal, 0, 0);
	alarm(1);
	n = read(p[0], buf, sizeof(buf));
	ktap_ok(n == -1 && errno == EINTR && hits == 1,
		"without SA_RESTART, SIGALRM makes a pipe read fail with EINTR");

	hits = 0;
	set_handler(SIGALRM, on_signal, SA_RESTART, 0);
	pid = fork();
	if (pid == 0) {
		usleep(400000);
		write(p[1], "data", 4);
		_exit(0);
	}
	setitimer(ITIMER_REAL, &it, NULL);
	n = read(p[0], buf, sizeof(buf));
	ktap_ok(n == 4 && hits == 1,
		"with SA_RESTART the read restarts and returns the data");
	waitpid(pid, NULL, 0);
	close(p[0]);
	close(p[1]);
	set_handler(SIGALRM, SIG_DFL, 0, 0);
}

static void test_sigchld(void)
{
	sigset_t block, old;
	pid_t pid;
	int r;

	hits = 0;
	set_siginfo_handler(SIGCHLD, 0);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	pid = fork();
	if (pid == 0)
		_exit(5);
	sigdelset(&old, SIGCHLD);
	r = sigsuspend(&old);
	ktap_ok(r == -1 && errno == EINTR, "sigsuspend returns EINTR");
	ktap_ok(hits == 1 && last_info.si_signo == SIGCHLD &&
			last_info.si_code == CLD_EXITED &&
			last_info.si_pid == pid && last_info.si_status == 5,
		"SIGCHLD reports CLD_EXITED, the pid and the status");
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	waitpid(pid, NULL, 0);
	signal(SIGCHLD, SIG_DFL);
}

static sigjmp_buf jump;
static volatile void *fault_addr;
static volatile int fault_code, fault_cr2_ok;
static char *fix_page;

static void on_fault(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	last_sig = sig;
	fault_addr = si->si_addr;
	fault_code = si->si_code;
	fault_cr2_ok = sig != SIGSEGV ||
		       uc->uc_mcontext.cr2 == (unsigned long)si->si_addr;
	if (fix_page) { /* make the access legal and retry it */
		mprotect(fix_page, 4096, PROT_READ | PROT_WRITE);
		fix_page = NULL;
		return;
	}
	siglongjmp(jump, 1);
}

/* Store to @p; returns true if it faulted. */
static bool faults_on_write(volatile char *p)
{
	if (sigsetjmp(jump, 1))
		return true;
	*p = 1;
	return false;
}

static bool faults_on_read(volatile char *p)
{
	if (sigsetjmp(jump, 1))
		return true;
	(void)*p;
	return false;
}

static void test_faults(void)
{
	char *p = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile int zero = 0, r = 0;

	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);

	munmap(p + 4096, 4096);
	ktap_ok(faults_on_write(p + 4096 + 123) && last_sig == SIGSEGV &&
			fault_addr == p + 4096 + 123 &&
			fault_code == SEGV_MAPERR,
		"an unmapped address gives SIGSEGV, SEGV_MAPERR, exact si_addr");
	ktap_ok(fault_cr2_ok, "the sigcontext's cr2 holds the address");
	mprotect(p, 4096, PROT_NONE);
	ktap_ok(faults_on_read(p + 7) && fault_addr == p + 7 &&
			fault_code == SEGV_ACCERR,
		"reading a PROT_NONE page gives SEGV_ACCERR at its address");
	mprotect(p, 4096, PROT_READ);
	ktap_ok(faults_on_write(p + 9) && fault_addr == p + 9 &&
			fault_code == SEGV_ACCERR,
		"writing a read-only page gives SEGV_ACCERR");
	fix_page = p;
	ktap_ok(!faults_on_write(p + 11) && p[11] == 1,
		"returning from the handler retries the faulting store");
	ktap_ok(faults_on_write((char *)16) && fault_addr == (void *)16,
		"a store to address 16 reports si_addr 16");
	munmap(p, 4096);

	if (!sigsetjmp(jump, 1))
		r = 10 / zero;
	ktap_ok(last_sig == SIGFPE && fault_code == FPE_INTDIV,
		"integer division by zero gives SIGFPE, FPE_INTDIV");
	if (!sigsetjmp(jump, 1))
		__asm__ volatile("ud2");
	ktap_ok(last_sig == SIGILL && fault_code == ILL_ILLOPN,
		"ud2 gives SIGILL, ILL_ILLOPN");
	(void)r;
	signal(SIGSEGV, SIG_DFL);
	signal(SIGFPE, SIG_DFL);
	signal(SIGILL, SIG_DFL);
}

static void on_overflow(int sig)
{
	(void)sig;
	_exit(42);
}

static volatile int depth_limit = 1 << 30;

static int recurse(int n)
{
	volatile char pad[1024];

	pad[0] = (char)n;
	if (n > depth_limit)
		return 0;
	return recurse(n + 1) + pad[0];
}

static int overflow_child(void)
{
	static char altstack[65536];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa;
	struct rlimit rl = { 1 << 20, 1 << 20 };

	setrlimit(RLIMIT_STACK, &rl);
	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_overflow;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGSEGV, &sa, NULL);
	return recurse(0);
}

static void test_altstack(void)
{
	static char stack[65536];
	stack_t ss = { .ss_sp = stack, .ss_size = sizeof(stack) }, cur;
	int st;
	pid_t pid;

	EXPECT_SUCCESS(sigaltstack(&ss, NULL));
	set_siginfo_handler(SIGUSR2, SA_ONSTACK);
	raise(SIGUSR2);
	ktap_ok(handler_sp >= (uintptr_t)stack &&
			handler_sp < (uintptr_t)stack + sizeof(stack),
		"an SA_ONSTACK handler runs on the alternate stack");
	ktap_ok(sigaltstack(NULL, &cur) == 0 && cur.ss_sp == stack &&
			cur.ss_size == sizeof(stack) && cur.ss_flags == 0,
		"sigaltstack reports the stack, not in use");
	set_siginfo_handler(SIGUSR2, 0);
	raise(SIGUSR2);
	ktap_ok(!(handler_sp >= (uintptr_t)stack &&
		  handler_sp < (uintptr_t)stack + sizeof(stack)),
		"a handler without SA_ONSTACK stays on the normal stack");
	ss.ss_size = 1024; /* below the i386 kernel minimum of 2048 */
	ss.ss_flags = 0;
	EXPECT_ERRNO(sigaltstack(&ss, NULL), ENOMEM);
	ss.ss_size = sizeof(stack);
	ss.ss_flags = 0x10;
	EXPECT_ERRNO(sigaltstack(&ss, NULL), EINVAL);
	ss.ss_flags = SS_DISABLE;
	EXPECT_SUCCESS(sigaltstack(&ss, NULL));
	ktap_ok(sigaltstack(NULL, &cur) == 0 && cur.ss_flags == SS_DISABLE,
		"SS_DISABLE turns it off");

	pid = fork();
	if (pid == 0)
		_exit(overflow_child());
	waitpid(pid, &st, 0);
	ktap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 42,
		"stack overflow is caught by a handler on the alternate stack (0x%x)",
		st);
}

static void test_default_actions(void)
{
	int st = 0, go[2];
	pid_t pid, r;

	signal(SIGURG, SIG_DFL);
	raise(SIGURG);
	ktap_ok(1, "SIGURG's default action ignores it");

	/* The child waits for a byte after continuing, so it cannot exit
	 * (and be reported as exited) before the parent sees it continue. */
	if (pipe(go) != 0)
		go[0] = go[1] = -1;
	pid = fork();
	if (pid == 0) {
		char c;

		raise(SIGSTOP);
		if (read(go[0], &c, 1) != 1)
			_exit(9);
		_exit(8);
	}
	r = waitpid(pid, &st, WUNTRACED);
	ktap_ok(r == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP &&
			st == 0x137f,
		"a stopped child is reported with status 0x137f (0x%x)", st);
	kill(pid, SIGCONT);
	r = waitpid(pid, &st, WCONTINUED);
	ktap_ok(r == pid && WIFCONTINUED(st) && st == 0xffff,
		"a continued child is reported with status 0xffff (0x%x)", st);
	if (write(go[1], "g", 1) != 1)
		ktap_diag("write to the child's pipe failed");
	close(go[0]);
	close(go[1]);
	ktap_ok(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
			WEXITSTATUS(st) == 8,
		"then it runs to its exit");

	hits = 0;
	set_handler(SIGUSR1, on_signal, 0, 0);
	pid = fork();
	if (pid == 0) {
		raise(SIGUSR1);
		_exit(hits == 1 ? 0 : 1);
	}
	ktap_ok(waitpid(pid, &st, 0) == pid && st == 0,
		"a forked child inherits the handler");
}

/* The last TLS slot of the GDT (entry 8, RPL 3): empty in a program
 * that never called set_thread_area for it, so it cannot be loaded. */
#define EMPTY_TLS_SELECTOR ((8 << 3) | 3)

static int bad_seg_reg;

/* Make sigreturn load an unloadable selector into one register. */
static void set_bad_segment(int sig, siginfo_t *si, void *v)
{
	ucontext_t *uc = v;

	(void)sig;
	(void)si;
	uc->uc_mcontext.gregs[bad_seg_reg] = EMPTY_TLS_SELECTOR;
}

/*
 * A signal frame may name a selector the kernel cannot load on the way
 * back (sigreturn checks only its form). The kernel loads the null
 * selector instead, as Linux does: whatever happens next happens to the
 * program (a null GS faults at glibc's first TLS access), never to the
 * kernel, which used to oops on the DS and ES it reloads last.
 */
static void test_bad_segments(void)
{
	static const int regs[] = { REG_DS, REG_ES, REG_FS, REG_GS };
	static const char *const names[] = { "DS", "ES", "FS", "GS" };
	struct sigaction sa;
	unsigned int i;
	pid_t pid;
	int st;

	for (i = 0; i < 4; i++) {
		bad_seg_reg = regs[i];
		pid = fork();
		if (pid == 0) {
			memset(&sa, 0, sizeof(sa));
			sa.sa_sigaction = set_bad_segment;
			sa.sa_flags = SA_SIGINFO;
			sigaction(SIGUSR2, &sa, NULL);
			raise(SIGUSR2);
			_exit(0);
		}
		st = -1;
		waitpid(pid, &st, 0);
		ktap_ok((WIFEXITED(st) && WEXITSTATUS(st) == 0) ||
				(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV),
			"sigreturn to an empty TLS selector in %s: the program "
			"goes on or gets SIGSEGV (0x%x)",
			names[i], st);
	}
}

int main(void)
{
	ktap_plan(56);
	test_handlers();
	test_errors();
	test_pending();
	test_sigtimedwait_wakes();
	test_restart();
	test_sigchld();
	test_faults();
	test_altstack();
	test_default_actions();
	test_bad_segments();
	return ktap_exit();
}
