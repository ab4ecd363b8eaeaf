/*
 * fork, vfork, exit and the wait family: the return values on both sides
 * of fork, the exact encoding of the wait status (exit code in bits 8-15,
 * terminating signal in bits 0-6, 0x80 for a core dump), WNOHANG, ECHILD,
 * Linux's errors for what cannot be waited for (LTP waitpid04: bad flags
 * are EINVAL, group -INT_MIN is ESRCH), the rusage wait4 fills in,
 * waitid's siginfo and its P_PGID 0 (the caller's group), a zombie that
 * can still be signalled (the signal is dropped) until it is reaped, and
 * copy-on-write: after fork, parent and child each see only their own
 * writes to private memory and both see writes to MAP_SHARED memory.
 */
#include <errno.h>
#include <limits.h>
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
#include <time.h>
#include <unistd.h>

#include "ktap.h"

/* Fork a child that runs @fn(@arg) and exits with its result. */
static pid_t spawn(int (*fn)(long), long arg)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(arg));
	return pid;
}

/* Wait for @pid; returns its raw status, or -1. */
static int reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static int exit_with(long code)
{
	return (int)code;
}

static int die_by(long sig)
{
	struct rlimit none = { 0, 0 };

	/* No core file, so no 0x80 in the status. */
	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0);
	signal((int)sig, SIG_DFL);
	raise((int)sig);
	return 100; /* not reached */
}

static int crash_segv(long addr)
{
	struct rlimit none = { 0, 0 };
	volatile int *volatile p = (volatile int *)addr;

	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0);
	*p = 1;
	return 100;
}

static void test_fork_returns(void)
{
	int fds[2];
	pid_t pid, seen[2] = { 0, 0 };

	if (pipe(fds) != 0)
		fds[0] = fds[1] = -1;
	pid = fork();
	if (pid == 0) {
		pid_t me[2] = { getpid(), getppid() };

		write(fds[1], me, sizeof(me));
		_exit(0);
	}
	ktap_ok(pid > 0 && pid != getpid(), "fork returns the child's pid");
	read(fds[0], seen, sizeof(seen));
	EXPECT_EQ(seen[0], pid);
	EXPECT_EQ(seen[1], getpid());
	EXPECT_EQ(reap(pid), 0);
	close(fds[0]);
	close(fds[1]);
}

static void test_exit_status(void)
{
	static const int codes[] = { 0, 1, 42, 255 };
	int st;

	for (unsigned i = 0; i < 4; i++) {
		st = reap(spawn(exit_with, codes[i]));
		ktap_ok(st == codes[i] << 8 && WIFEXITED(st) &&
				WEXITSTATUS(st) == codes[i] && !WIFSIGNALED(st),
			"_exit(%d) gives status 0x%04x (got 0x%04x)", codes[i],
			codes[i] << 8, st);
	}
	st = reap(spawn(exit_with, 256 + 7));
	ktap_ok(st == 7 << 8, "_exit(263) keeps the low 8 bits (0x%04x)", st);
	st = reap(spawn(die_by, SIGKILL));
	ktap_ok(st == SIGKILL && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL &&
			!WIFEXITED(st),
		"death by SIGKILL gives status 0x0009 (got 0x%04x)", st);
	st = reap(spawn(die_by, SIGTERM));
	ktap_ok(st == SIGTERM && WTERMSIG(st) == SIGTERM,
		"death by SIGTERM gives status 0x000f (got 0x%04x)", st);
	st = reap(spawn(crash_segv, 16));
	ktap_ok(st == SIGSEGV && WIFSIGNALED(st) && !WCOREDUMP(st),
		"a NULL write gives SIGSEGV, status 0x000b (got 0x%04x)", st);
	st = reap(spawn(die_by, SIGABRT));
	ktap_ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT,
		"abort-style death by SIGABRT (0x%04x)", st);
}

static int sleep_then_exit(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
	return 3;
}

static void test_wnohang_echild(void)
{
	pid_t pid = spawn(sleep_then_exit, 200);
	int st = -1;
	pid_t r;

	EXPECT_EQ(waitpid(pid, &st, WNOHANG), 0);
	r = waitpid(pid, &st, 0);
	ktap_ok(r == pid && WEXITSTATUS(st) == 3,
		"blocking waitpid collects the child");
	EXPECT_ERRNO(waitpid(pid, &st, 0), ECHILD);
	EXPECT_ERRNO(waitpid(-1, &st, 0), ECHILD);
	EXPECT_ERRNO(waitpid(-1, &st, WNOHANG), ECHILD);
	EXPECT_ERRNO(waitpid(1, &st, 0), ECHILD);
	EXPECT_ERRNO(waitpid(-1, &st, 0x100), EINVAL);
	EXPECT_ERRNO(syscall(SYS_wait4, -1, &st, 0, NULL), ECHILD);
	/* LTP waitpid04: bad flags first, and no group -INT_MIN. */
	EXPECT_ERRNO(waitpid(-1, NULL, -1), EINVAL);
	EXPECT_ERRNO(waitpid(INT_MIN, NULL, 0), ESRCH);
}

/* exit(2) itself, not exit_group: the zombie of a plain thread exit. */
static int raw_exit(long code)
{
	syscall(SYS_exit, (int)code);
	return 100; /* not reached */
}

/*
 * A zombie keeps its pid until it is reaped: kill() and tgkill() find
 * it and succeed, the signal is dropped (its status does not change),
 * and only the reaped pid is gone (ESRCH).
 */
static void test_kill_zombie(void)
{
	int (*const exits[])(long) = { exit_with, raw_exit };
	const char *const how[] = { "exit_group", "exit" };
	siginfo_t si;
	unsigned int i;
	pid_t pid;
	int st;

	for (i = 0; i < 2; i++) {
		pid = spawn(exits[i], 7);
		memset(&si, 0, sizeof(si));
		waitid(P_PID, pid, &si, WEXITED | WNOWAIT); /* now a zombie */
		ktap_ok(kill(pid, 0) == 0 && kill(pid, SIGTERM) == 0 &&
				kill(pid, SIGKILL) == 0 &&
				syscall(SYS_tgkill, pid, pid, SIGUSR1) == 0,
			"kill and tgkill of a zombie (%s) succeed", how[i]);
		st = reap(pid);
		ktap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 7,
			"the signals left the zombie's status alone (0x%04x)",
			st);
		EXPECT_ERRNO(kill(pid, 0), ESRCH);
	}
}

static int burn(long ms)
{
	struct timespec a, b;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	do {
		for (volatile int i = 0; i < 100000; i++)
			;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	} while ((b.tv_sec - a.tv_sec) * 1000 +
			 (b.tv_nsec - a.tv_nsec) / 1000000 <
		 ms);
	return 5;
}

static void test_wait4_rusage(void)
{
	struct rusage ru;
	int st = 0;
	pid_t pid = spawn(burn, 100);
	long us;

	memset(&ru, 0, sizeof(ru));
	ktap_ok(wait4(pid, &st, 0, &ru) == pid && WEXITSTATUS(st) == 5,
		"wait4 collects the child and its status");
	us = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000L +
	     ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
	ktap_ok(us >= 50000, "wait4 rusage counts the child's CPU (%ld us)",
		us);
	ktap_ok(ru.ru_utime.tv_usec < 1000000 && ru.ru_stime.tv_usec < 1000000,
		"rusage microseconds are below one second");
}

static void test_waitid(void)
{
	siginfo_t si;
	pid_t pid;

	pid = spawn(exit_with, 9);
	memset(&si, 0, sizeof(si));
	EXPECT_SUCCESS(waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	ktap_ok(si.si_pid == pid && si.si_signo == SIGCHLD &&
			si.si_code == CLD_EXITED && si.si_status == 9,
		"waitid reports pid, CLD_EXITED and the exit code");
	memset(&si, 0, sizeof(si));
	ktap_ok(waitid(P_ALL, 0, &si, WEXITED) == 0 && si.si_pid == pid,
		"WNOWAIT left the child waitable for P_ALL");
	pid = spawn(die_by, SIGKILL);
	memset(&si, 0, sizeof(si));
	ktap_ok(waitid(P_PID, pid, &si, WEXITED) == 0 &&
			si.si_code == CLD_KILLED && si.si_status == SIGKILL,
		"waitid reports CLD_KILLED and the signal");
	pid = spawn(sleep_then_exit, 100);
	memset(&si, 0xff, sizeof(si));
	ktap_ok(waitid(P_PID, pid, &si, WEXITED | WNOHANG) == 0 &&
			si.si_pid == 0,
		"waitid WNOHANG with nothing to report clears si_pid");
	reap(pid);
	EXPECT_ERRNO(waitid(P_PID, pid, &si, 0), EINVAL);
	EXPECT_ERRNO(waitid(P_ALL, 0, &si, WEXITED), ECHILD);
	EXPECT_ERRNO(waitid(7, 0, &si, WEXITED), EINVAL);
	EXPECT_ERRNO(waitid(P_PGID, -1, &si, WEXITED), EINVAL);
	pid = spawn(exit_with, 4);
	memset(&si, 0, sizeof(si));
	ktap_ok(waitid(P_PGID, 0, &si, WEXITED) == 0 && si.si_pid == pid &&
			si.si_status == 4,
		"waitid(P_PGID, 0) waits in the caller's own group");
}

static volatile int shared_var = 1;

/* Child: write its own value, then report what it sees. */
static int cow_child(long unused)
{
	(void)unused;
	shared_var = 2;
	usleep(50000); /* the parent writes 3 meanwhile */
	return shared_var;
}

static int cow_heap_child(long addr)
{
	unsigned char *buf = (unsigned char *)addr;

	for (int i = 0; i < 256; i++)
		buf[i * 4096] = 0xcc;
	for (int i = 0; i < 256; i++)
		if (buf[i * 4096] != 0xcc)
			return 1;
	return 0;
}

static int shared_child(long addr)
{
	*(volatile int *)addr = 1234;
	return 0;
}

static void test_cow(void)
{
	unsigned char *heap = malloc(256 * 4096);
	volatile int *shm;
	pid_t pid;
	int st, same = 1;

	pid = spawn(cow_child, 0);
	shared_var = 3;
	st = reap(pid);
	ktap_ok(WEXITSTATUS(st) == 2 && shared_var == 3,
		"parent and child each see their own write after fork");

	memset(heap, 0x11, 256 * 4096);
	st = reap(spawn(cow_heap_child, (long)heap));
	for (int i = 0; i < 256 * 4096; i++)
		same &= heap[i] == 0x11;
	ktap_ok(st == 0 && same,
		"a child rewriting 1 MiB of heap leaves the parent's copy");
	free(heap);

	shm = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	*shm = 1;
	st = reap(spawn(shared_child, (long)shm));
	ktap_ok(st == 0 && *shm == 1234,
		"a MAP_SHARED page is shared across fork");
	munmap((void *)shm, 4096);
}

static void test_vfork(void)
{
	static volatile int seen;
	int st = -1;
	pid_t pid;

	seen = 0;
	pid = vfork();
	if (pid == 0) {
		seen = 77; /* the parent's memory: vfork shares it */
		_exit(7);
	}
	ktap_ok(pid > 0 && waitpid(pid, &st, 0) == pid && WEXITSTATUS(st) == 7,
		"vfork child exits with 7");
	EXPECT_EQ(seen, 77);
}

static void test_many_children(void)
{
	pid_t pids[20];
	int sum = 0, expect = 0, st;

	for (int i = 0; i < 20; i++) {
		pids[i] = spawn(exit_with, i + 1);
		expect += i + 1;
	}
	for (int i = 0; i < 20; i++) {
		pid_t p = wait(&st);

		for (int j = 0; j < 20; j++)
			if (p == pids[j] && WIFEXITED(st))
				sum += WEXITSTATUS(st);
	}
	ktap_ok(sum == expect, "20 children reaped by wait(), statuses sum %d",
		sum);
	EXPECT_ERRNO(wait(&st), ECHILD);
}

/* The grandchild reports its parent pid once its parent has exited. */
static int orphan_maker(long wfd)
{
	pid_t me = getpid();

	if (fork() == 0) {
		pid_t pp = me;

		for (int i = 0; i < 500 && pp == me; i++) {
			usleep(10000);
			pp = getppid();
		}
		write((int)wfd, &pp, sizeof(pp));
		_exit(0);
	}
	return 0;
}

static void test_orphan(void)
{
	int fds[2];
	pid_t child, newparent = 0;

	pipe(fds);
	child = spawn(orphan_maker, fds[1]);
	reap(child);
	close(fds[1]);
	read(fds[0], &newparent, sizeof(newparent));
	close(fds[0]);
	ktap_ok(newparent > 0 && newparent != child,
		"an orphan is reparented when its parent exits (to %d)",
		newparent);
}

int main(void)
{
	ktap_plan(50);
	test_fork_returns();
	test_exit_status();
	test_wnohang_echild();
	test_wait4_rusage();
	test_waitid();
	test_kill_zombie();
	test_cow();
	test_vfork();
	test_many_children();
	test_orphan();
	return ktap_exit();
}
