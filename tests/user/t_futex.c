/*
 * Futexes between processes and between threads, as Linux names them:
 * a shared futex (no FUTEX_PRIVATE_FLAG) in MAP_SHARED memory is the
 * same futex in every process that maps the page, so a FUTEX_WAKE in
 * the parent reaches a FUTEX_WAIT in the child (LTP's tst_checkpoint
 * protocol rests on it); a private futex, or a shared one in private
 * memory, stays in its address space. Then each operation's semantics:
 * FUTEX_WAKE's count (0 wakes one), CMP_REQUEUE and REQUEUE (wake some,
 * move some, INT_MAX requeues), WAKE_OP, the bitset calls with absolute
 * timeouts on both clocks, and the error paths (EAGAIN, EINVAL, EFAULT,
 * ENOSYS, ETIMEDOUT, EINTR, and the restart of an interrupted wait).
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"

#define PAGE 4096
#define WAIT_MS 10000 /* tst_checkpoint's default timeout */
#define NCHILD 6

/* The shared page: the futex words and what the children report. */
struct shared {
	volatile uint32_t f[4];
	volatile int handled; /* a child's signal handler ran */
	volatile int queued; /* children about to wait */
};

static struct shared *sh;
static uint32_t private_word;

static long futex(volatile uint32_t *uaddr, int op, uint32_t val,
		  const struct timespec *ts, volatile uint32_t *uaddr2,
		  uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

/* FUTEX_CMP_REQUEUE and FUTEX_WAKE_OP pass a count in the timeout. */
static long futex2(volatile uint32_t *uaddr, int op, uint32_t val,
		   uint32_t val2, volatile uint32_t *uaddr2, uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, (uintptr_t)val2, uaddr2,
		       val3);
}

static struct timespec ms_ts(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	return ts;
}

static long now_ms(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The state letter of /proc/PID/stat ('S' while asleep), or 0. */
static char proc_state(pid_t pid)
{
	char path[64], buf[256], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	p = p ? strrchr(buf, ')') : NULL;
	return p && p[1] == ' ' ? p[2] : 0;
}

/* Wait (up to 5 s) until @pid sleeps, as LTP's TST_PROCESS_STATE_WAIT. */
static bool wait_asleep(pid_t pid)
{
	for (int i = 0; i < 5000; i++) {
		if (proc_state(pid) == 'S')
			return true;
		usleep(1000);
	}
	return false;
}

/* The exit code of @pid, or -1 if it did not exit normally. */
static int reap(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* LTP's tst_checkpoint_wait(): FUTEX_WAIT on the current value. */
static long checkpoint_wait(volatile uint32_t *f)
{
	struct timespec ts = ms_ts(WAIT_MS);
	long ret;

	do {
		ret = futex(f, FUTEX_WAIT, *f, &ts, NULL, 0);
	} while (ret == -1 && errno == EINTR);
	return ret;
}

/* LTP's tst_checkpoint_wake(): FUTEX_WAKE until @nr have been woken. */
static long checkpoint_wake(volatile uint32_t *f, int nr)
{
	int woken = 0;

	for (int ms = 0; ms < WAIT_MS; ms++) {
		woken += futex(f, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
		if (woken >= nr)
			return woken;
		usleep(1000);
	}
	return woken;
}

/* Fork a child that waits on @f with @op and exits 0 if the wait
 * returned 0, 1 on ETIMEDOUT, 2 otherwise. */
static pid_t fork_waiter(volatile uint32_t *f, int op, long timeout_ms)
{
	struct timespec ts = ms_ts(timeout_ms);
	pid_t pid = fork();
	long r;

	if (pid)
		return pid;
	__atomic_add_fetch(&sh->queued, 1, __ATOMIC_SEQ_CST);
	r = futex(f, op, *f, timeout_ms ? &ts : NULL, NULL, 0);
	_exit(r == 0 ? 0 : errno == ETIMEDOUT ? 1 : 2);
}

/* ---- between processes --------------------------------------------------- */

static void test_checkpoint(void)
{
	long woken;
	pid_t pid;

	sh->f[0] = 0;
	pid = fork();
	if (pid == 0)
		_exit(checkpoint_wake(&sh->f[0], 1) == 1 ? 0 : 1);
	ktap_ok(checkpoint_wait(&sh->f[0]) == 0 && reap(pid) == 0,
		"checkpoint: the parent's FUTEX_WAIT is woken by the child");

	pid = fork();
	if (pid == 0)
		_exit(checkpoint_wait(&sh->f[0]) == 0 ? 0 : 1);
	woken = checkpoint_wake(&sh->f[0], 1);
	ktap_ok(woken == 1 && reap(pid) == 0,
		"checkpoint: the child's FUTEX_WAIT is woken by the parent");
}

static void test_shared_wake(void)
{
	long t0 = now_ms(CLOCK_MONOTONIC), woken = 0;
	pid_t pid;

	sh->f[0] = 7;
	pid = fork_waiter(&sh->f[0], FUTEX_WAIT, WAIT_MS);
	wait_asleep(pid);
	sh->f[0] = 8;
	for (int i = 0; i < 5000 && !woken; i++, usleep(1000))
		woken = futex(&sh->f[0], FUTEX_WAKE, 1, NULL, NULL, 0);
	ktap_ok(woken == 1 && reap(pid) == 0 &&
			now_ms(CLOCK_MONOTONIC) - t0 < WAIT_MS / 2,
		"a shared FUTEX_WAKE reaches a waiter in another process");

	/* Private operations name (mm, address): another mm never matches. */
	sh->f[1] = 0;
	pid = fork_waiter(&sh->f[1], FUTEX_WAIT_PRIVATE, 300);
	wait_asleep(pid);
	woken = futex(&sh->f[1], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	ktap_ok(woken == 0 && reap(pid) == 1,
		"a private futex in shared memory is not woken from another process");

	/* Nor does a shared operation on private (copy-on-write) memory. */
	pid = fork_waiter(&private_word, FUTEX_WAIT, 300);
	wait_asleep(pid);
	woken = futex(&private_word, FUTEX_WAKE, 1, NULL, NULL, 0);
	ktap_ok(woken == 0 && reap(pid) == 1,
		"a shared futex in private memory stays in its process");
}

/* FUTEX_WAKE with a count of 0 still wakes one waiter (Linux). */
static void test_wake_zero(void)
{
	long woken = 0;
	pid_t pid;

	sh->f[0] = 0;
	pid = fork_waiter(&sh->f[0], FUTEX_WAIT, WAIT_MS);
	wait_asleep(pid);
	for (int i = 0; i < 5000 && !woken; i++, usleep(1000))
		woken = futex(&sh->f[0], FUTEX_WAKE, 0, NULL, NULL, 0);
	ktap_ok(woken == 1 && reap(pid) == 0,
		"FUTEX_WAKE of 0 waiters wakes one, as Linux");
	EXPECT_EQ(futex(&sh->f[0], FUTEX_WAKE, 0, NULL, NULL, 0), 0);
}

/* Fork @n waiters on f[0] and wait until all sleep. */
static bool start_waiters(pid_t *pids, int n)
{
	bool ok = true;

	sh->queued = 0;
	for (int i = 0; i < n; i++)
		pids[i] = fork_waiter(&sh->f[0], FUTEX_WAIT, WAIT_MS);
	for (int i = 0; i < 5000 && sh->queued < n; i++)
		usleep(1000);
	for (int i = 0; i < n; i++)
		ok = wait_asleep(pids[i]) && ok;
	return ok;
}

/* Reap @n waiters; true if every one was woken (exit 0). */
static bool all_woken(pid_t *pids, int n)
{
	bool ok = true;

	for (int i = 0; i < n; i++)
		ok = reap(pids[i]) == 0 && ok;
	return ok;
}

static void test_cmp_requeue(void)
{
	pid_t pids[NCHILD];
	long ret, on1, on0;

	sh->f[0] = 100;
	sh->f[1] = 200;
	start_waiters(pids, NCHILD);
	sh->f[0]++;
	sh->f[1]++;
	ret = futex2(&sh->f[0], FUTEX_CMP_REQUEUE, 2, 3, &sh->f[1], sh->f[0]);
	on1 = futex(&sh->f[1], FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	on0 = futex(&sh->f[0], FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	if (!ktap_ok(ret == 5 && on1 == 3 && on0 == 1 &&
			     all_woken(pids, NCHILD),
		     "CMP_REQUEUE across processes wakes 2, moves 3"))
		ktap_diag("returned %ld, then %ld on f1 and %ld on f0", ret,
			  on1, on0);

	/* nr_wake + nr_requeue overflows an int: all must still move. */
	start_waiters(pids, 3);
	ret = futex2(&sh->f[0], FUTEX_CMP_REQUEUE, 1, INT_MAX, &sh->f[1],
		     sh->f[0]);
	on1 = futex(&sh->f[1], FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	if (!ktap_ok(ret == 3 && on1 == 2 && all_woken(pids, 3),
		     "CMP_REQUEUE of 1 + INT_MAX wakes 1 and moves the rest"))
		ktap_diag("returned %ld, then %ld on f1", ret, on1);

	start_waiters(pids, 2);
	ret = futex2(&sh->f[0], FUTEX_REQUEUE, 0, 1, &sh->f[1], 0);
	on1 = futex(&sh->f[1], FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	on0 = futex(&sh->f[0], FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	ktap_ok(ret == 1 && on1 == 1 && on0 == 1 && all_woken(pids, 2),
		"REQUEUE of 0 wakes and 1 move moves one waiter");

	EXPECT_ERRNO(futex2(&sh->f[0], FUTEX_CMP_REQUEUE, 1, 1, &sh->f[1],
			    sh->f[0] + 1),
		     EAGAIN);
	EXPECT_ERRNO(futex2(&sh->f[0], FUTEX_CMP_REQUEUE, 1, -1, &sh->f[1],
			    sh->f[0]),
		     EINVAL);
	EXPECT_ERRNO(futex2(&sh->f[0], FUTEX_CMP_REQUEUE, -1, 1, &sh->f[1],
			    sh->f[0]),
		     EINVAL);
	EXPECT_ERRNO(futex2(&sh->f[0], FUTEX_CMP_REQUEUE, 1, 1, NULL, sh->f[0]),
		     EFAULT);
}

static void test_wake_op(void)
{
	uint32_t op_eq = FUTEX_OP(FUTEX_OP_SET, 5, FUTEX_OP_CMP_EQ, 9);
	pid_t a, b;
	long ret;

	sh->f[0] = 0;
	sh->f[1] = 9;
	a = fork_waiter(&sh->f[0], FUTEX_WAIT, WAIT_MS);
	b = fork_waiter(&sh->f[1], FUTEX_WAIT, WAIT_MS);
	wait_asleep(a);
	wait_asleep(b);
	ret = futex2(&sh->f[0], FUTEX_WAKE_OP, 1, 1, &sh->f[1], op_eq);
	ktap_ok(ret == 2 && sh->f[1] == 5 && reap(a) == 0 && reap(b) == 0,
		"WAKE_OP sets the second word and wakes both (old == 9)");

	sh->f[1] = 1;
	b = fork_waiter(&sh->f[1], FUTEX_WAIT, 300);
	wait_asleep(b);
	ret = futex2(&sh->f[0], FUTEX_WAKE_OP, 1, 1, &sh->f[1],
		     FUTEX_OP(FUTEX_OP_ADD, 2, FUTEX_OP_CMP_GT, 1));
	ktap_ok(ret == 0 && sh->f[1] == 3 && reap(b) == 1,
		"WAKE_OP adds, and a false comparison wakes nobody");

	sh->f[1] = 6;
	futex2(&sh->f[0], FUTEX_WAKE_OP, 1, 1, &sh->f[1],
	       FUTEX_OP(FUTEX_OP_ANDN, 2, FUTEX_OP_CMP_EQ, 0));
	futex2(&sh->f[0], FUTEX_WAKE_OP, 1, 1, &sh->f[1],
	       FUTEX_OP((FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT), 4,
			FUTEX_OP_CMP_EQ, 0));
	futex2(&sh->f[0], FUTEX_WAKE_OP, 1, 1, &sh->f[1],
	       FUTEX_OP(FUTEX_OP_XOR, 1, FUTEX_OP_CMP_EQ, 0));
	EXPECT_EQ(sh->f[1], ((6 & ~2u) | 16u) ^ 1u);
	EXPECT_ERRNO(futex2(&sh->f[0], FUTEX_WAKE_OP, 1, 1, &sh->f[1],
			    FUTEX_OP(7, 0, FUTEX_OP_CMP_EQ, 0)),
		     ENOSYS);
	sh->f[1] = 0;
	EXPECT_ERRNO(futex2(&sh->f[0], FUTEX_WAKE_OP, 1, 1, &sh->f[1],
			    FUTEX_OP(FUTEX_OP_SET, 3, 9, 0)),
		     ENOSYS);
	ktap_ok(sh->f[1] == 3,
		"WAKE_OP with a bad comparison has still set the word");
}

/* ---- bitsets, timeouts, errors ------------------------------------------- */

static void test_bitset_and_clocks(void)
{
	struct timespec abs_ts;
	long t0, woken = 0;
	pid_t pid;

	sh->f[0] = 0;
	pid = fork();
	if (pid == 0)
		_exit(futex(&sh->f[0], FUTEX_WAIT_BITSET, 0, NULL, NULL, 0x1) ?
			      1 :
			      0);
	wait_asleep(pid);
	EXPECT_EQ(futex(&sh->f[0], FUTEX_WAKE_BITSET, 1, NULL, NULL, 0x2), 0);
	for (int i = 0; i < 5000 && !woken; i++, usleep(1000))
		woken = futex(&sh->f[0], FUTEX_WAKE_BITSET, 1, NULL, NULL, 0x3);
	ktap_ok(woken == 1 && reap(pid) == 0,
		"WAKE_BITSET wakes only a waiter whose bitset it meets");

	clock_gettime(CLOCK_MONOTONIC, &abs_ts);
	abs_ts.tv_nsec += 100000000;
	if (abs_ts.tv_nsec >= 1000000000) {
		abs_ts.tv_sec++;
		abs_ts.tv_nsec -= 1000000000;
	}
	t0 = now_ms(CLOCK_MONOTONIC);
	ktap_ok(futex(&sh->f[0], FUTEX_WAIT_BITSET, 0, &abs_ts, NULL,
		      FUTEX_BITSET_MATCH_ANY) == -1 &&
			errno == ETIMEDOUT &&
			now_ms(CLOCK_MONOTONIC) - t0 >= 90,
		"WAIT_BITSET times out at an absolute CLOCK_MONOTONIC time");
	clock_gettime(CLOCK_REALTIME, &abs_ts);
	abs_ts.tv_sec += 1;
	abs_ts.tv_nsec = 0;
	t0 = now_ms(CLOCK_REALTIME);
	ktap_ok(futex(&sh->f[0], FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0,
		      &abs_ts, NULL, FUTEX_BITSET_MATCH_ANY) == -1 &&
			errno == ETIMEDOUT &&
			now_ms(CLOCK_REALTIME) >= abs_ts.tv_sec * 1000 - 10 &&
			now_ms(CLOCK_REALTIME) - t0 < 2000,
		"WAIT_BITSET | CLOCK_REALTIME times out at a wall-clock time");
	abs_ts = ms_ts(50);
	EXPECT_ERRNO(futex(&sh->f[0], FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 0,
			   &abs_ts, NULL, 0),
		     ENOSYS);
	EXPECT_ERRNO(futex(&sh->f[0], FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1,
			   NULL, NULL, 0),
		     ENOSYS);
	EXPECT_ERRNO(futex(&sh->f[0], FUTEX_WAKE_BITSET, 1, NULL, NULL, 0),
		     EINVAL);
	abs_ts.tv_nsec = 1000000000;
	EXPECT_ERRNO(futex(&sh->f[0], FUTEX_WAIT, 0, &abs_ts, NULL, 0), EINVAL);
}

static void test_faults(void)
{
	uint32_t *none =
		mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint32_t *ro =
		mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint32_t *gone = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct timespec ts = ms_ts(10);

	munmap(gone, PAGE);
	EXPECT_ERRNO(futex(gone, FUTEX_WAKE, 1, NULL, NULL, 0), EFAULT);
	EXPECT_ERRNO(futex(none, FUTEX_WAKE, 1, NULL, NULL, 0), EFAULT);
	EXPECT_ERRNO(futex(gone, FUTEX_WAIT, 0, &ts, NULL, 0), EFAULT);
	EXPECT_ERRNO(futex(gone, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0), EFAULT);
	/* A private key does not look at the memory: nobody to wake. */
	EXPECT_EQ(futex(gone, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0);
	/* A read-only private page never changes: no shared futex there. */
	EXPECT_ERRNO(futex(ro, FUTEX_WAKE, 1, NULL, NULL, 0), EFAULT);
	EXPECT_EQ(futex(ro, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0);
	EXPECT_ERRNO(futex2(&sh->f[0], FUTEX_CMP_REQUEUE, 1, 1,
			    (uint32_t *)none, sh->f[0]),
		     EFAULT);
	EXPECT_ERRNO(futex((uint32_t *)((char *)&sh->f[0] + 2), FUTEX_WAKE, 1,
			   NULL, NULL, 0),
		     EINVAL);
	EXPECT_ERRNO(futex2(&sh->f[0], FUTEX_WAKE_OP, 1, 1, (uint32_t *)ro,
			    FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0)),
		     EFAULT);
	munmap(none, PAGE);
	munmap(ro, PAGE);
}

static void on_usr1(int sig)
{
	(void)sig;
	sh->handled = 1;
}

/* A child waiting on f[0] with a SIGUSR1 handler of @sa_flags; exits
 * with 0 if woken, 1 on EINTR, 2 otherwise. */
static pid_t fork_signalled_waiter(int sa_flags, long timeout_ms)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = sa_flags };
	struct timespec ts = ms_ts(timeout_ms);
	pid_t pid;
	long r;

	sh->handled = 0;
	pid = fork();
	if (pid)
		return pid;
	sigaction(SIGUSR1, &sa, NULL);
	r = futex(&sh->f[0], FUTEX_WAIT, sh->f[0], timeout_ms ? &ts : NULL,
		  NULL, 0);
	_exit(r == 0 ? 0 : errno == EINTR ? 1 : 2);
}

static void test_signals(void)
{
	long t0, woken = 0;
	pid_t pid;

	sh->f[0] = 0;
	pid = fork_signalled_waiter(0, WAIT_MS);
	wait_asleep(pid);
	kill(pid, SIGUSR1);
	ktap_ok(reap(pid) == 1, "a handler interrupts FUTEX_WAIT: EINTR");

	/* A timed wait is not restarted, even with SA_RESTART (Linux). */
	pid = fork_signalled_waiter(SA_RESTART, WAIT_MS);
	wait_asleep(pid);
	kill(pid, SIGUSR1);
	ktap_ok(reap(pid) == 1,
		"with SA_RESTART, a timed FUTEX_WAIT still gets EINTR");

	/* An untimed one is restarted and goes on waiting. */
	pid = fork_signalled_waiter(SA_RESTART, 0);
	wait_asleep(pid);
	kill(pid, SIGUSR1);
	for (int i = 0; i < 5000 && !sh->handled; i++)
		usleep(1000);
	wait_asleep(pid);
	for (int i = 0; i < 5000 && !woken; i++, usleep(1000))
		woken = futex(&sh->f[0], FUTEX_WAKE, 1, NULL, NULL, 0);
	ktap_ok(sh->handled && woken == 1 && reap(pid) == 0,
		"with SA_RESTART, an untimed FUTEX_WAIT restarts and is woken");

	/* Stopped and continued, a timed wait keeps its deadline. */
	t0 = now_ms(CLOCK_MONOTONIC);
	pid = fork_waiter(&sh->f[0], FUTEX_WAIT, 600);
	wait_asleep(pid);
	kill(pid, SIGSTOP);
	usleep(500000);
	kill(pid, SIGCONT);
	ktap_ok(reap(pid) == 1 && now_ms(CLOCK_MONOTONIC) - t0 < 1000,
		"a stopped timed wait resumes with the time it had left");
}

/* ---- threads --------------------------------------------------------------- */

static uint32_t tword[2];

static void *thread_waiter(void *arg)
{
	long r = futex(&tword[0], (int)(intptr_t)arg, 0, NULL, NULL, 0);

	return (void *)(intptr_t)(r == 0);
}

static void test_threads(void)
{
	pthread_t t[3];
	void *ret;
	long woken = 0, moved, rest;
	bool ok = true;

	tword[0] = tword[1] = 0;
	pthread_create(&t[0], NULL, thread_waiter,
		       (void *)(intptr_t)FUTEX_WAIT_PRIVATE);
	usleep(100000);
	/* A shared wake does not match a private wait on the same word. */
	EXPECT_EQ(futex(&tword[0], FUTEX_WAKE, 1, NULL, NULL, 0), 0);
	for (int i = 0; i < 5000 && !woken; i++, usleep(1000))
		woken = futex(&tword[0], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	pthread_join(t[0], &ret);
	ktap_ok(woken == 1 && ret == (void *)1,
		"FUTEX_WAKE_PRIVATE wakes a thread's private wait");

	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, thread_waiter,
			       (void *)(intptr_t)FUTEX_WAIT_PRIVATE);
	usleep(200000);
	moved = futex2(&tword[0], FUTEX_CMP_REQUEUE_PRIVATE, 1, INT_MAX,
		       &tword[1], 0);
	rest = futex(&tword[1], FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
	for (int i = 0; i < 3; i++) {
		pthread_join(t[i], &ret);
		ok = ok && ret == (void *)1;
	}
	if (!ktap_ok(moved == 3 && rest == 2 && ok,
		     "CMP_REQUEUE_PRIVATE between threads: 1 woken, 2 moved"))
		ktap_diag("requeue returned %ld, then woke %ld", moved, rest);

	/* ADD 0 leaves the word 0, so a late waiter still sleeps. */
	woken = 0;
	pthread_create(&t[0], NULL, thread_waiter,
		       (void *)(intptr_t)FUTEX_WAIT_PRIVATE);
	for (int i = 0; i < 5000 && !woken; i++, usleep(1000))
		woken = futex2(&tword[1], FUTEX_WAKE_OP_PRIVATE, 1, 1,
			       &tword[0],
			       FUTEX_OP(FUTEX_OP_ADD, 0, FUTEX_OP_CMP_EQ, 0));
	pthread_join(t[0], &ret);
	ktap_ok(woken == 1 && ret == (void *)1,
		"WAKE_OP_PRIVATE wakes the waiter of its second word");
}

int main(void)
{
	ktap_plan(46);
	sh = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		ktap_diag("mmap: %s", strerror(errno));
		return 1;
	}
	test_checkpoint();
	test_shared_wake();
	test_wake_zero();
	test_cmp_requeue();
	test_wake_op();
	test_bitset_and_clocks();
	test_faults();
	test_signals();
	test_threads();
	return ktap_exit();
}
