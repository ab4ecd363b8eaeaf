/*
 * Threads as glibc's NPTL makes them (clone with CLONE_VM, CLONE_THREAD,
 * CLONE_SETTLS, CLONE_CHILD_CLEARTID, ... and set_thread_area for TLS):
 * eight threads share memory under a mutex and a condition variable,
 * each has its own __thread variables and thread id, pthread_join returns
 * each thread's value, exit from any thread ends the process, pthread_kill
 * reaches the chosen thread, a child forked by another thread is not
 * waited for with __WNOTHREAD and stays the process's child when that
 * thread exits, the CPU time of an exited thread stays in its process's,
 * the process ends with its last thread even when the leader is first to
 * finish exiting (its alarm cancelled, its terminal let go), and the
 * futex calls under all of it behave as Linux documents them.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"

#define NTHREADS 8
#define ROUNDS 10000
#define LAST_THREAD_ROUNDS 3
#define LAST_THREAD_SPIN_MS 150

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int go, ready, counter;
static __thread int tls_id = -1;
static __thread char tls_buf[64] = "initial";

struct worker {
	int id;
	pid_t tid, pid;
	uintptr_t tls_addr;
	int tls_ok;
};

static void *work(void *arg)
{
	struct worker *w = arg;

	w->tid = gettid();
	w->pid = getpid();
	w->tls_ok = tls_id == -1 && !strcmp(tls_buf, "initial");
	tls_id = w->id;
	snprintf(tls_buf, sizeof(tls_buf), "thread %d", w->id);
	w->tls_addr = (uintptr_t)&tls_id;

	pthread_mutex_lock(&lock);
	ready++;
	pthread_cond_broadcast(&cond);
	while (!go)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);

	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
		if (i % 1000 == 0)
			sched_yield();
	}
	w->tls_ok &= tls_id == w->id;
	{
		char want[64];

		snprintf(want, sizeof(want), "thread %d", w->id);
		w->tls_ok &= !strcmp(tls_buf, want);
	}
	return (void *)(intptr_t)(w->id * 10 + 1);
}

static void test_workers(void)
{
	pthread_t th[NTHREADS];
	struct worker w[NTHREADS];
	int created = 0, joined_ok = 1, tids_ok = 1, tls_ok = 1, addrs_ok = 1;

	for (int i = 0; i < NTHREADS; i++) {
		w[i] = (struct worker){ .id = i };
		if (pthread_create(&th[i], NULL, work, &w[i]) == 0)
			created++;
	}
	ktap_ok(created == NTHREADS, "pthread_create starts 8 threads");

	pthread_mutex_lock(&lock);
	while (ready < created)
		pthread_cond_wait(&cond, &lock);
	go = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	ktap_ok(ready == NTHREADS, "all 8 signalled the condition variable");

	for (int i = 0; i < created; i++) {
		void *ret = NULL;

		joined_ok &= pthread_join(th[i], &ret) == 0 &&
			     ret == (void *)(intptr_t)(i * 10 + 1);
	}
	ktap_ok(joined_ok, "pthread_join returns each thread's value");
	EXPECT_EQ(counter, NTHREADS * ROUNDS);

	for (int i = 0; i < NTHREADS; i++) {
		tids_ok &= w[i].pid == getpid() && w[i].tid != getpid() &&
			   w[i].tid > 0;
		tls_ok &= w[i].tls_ok;
		for (int j = 0; j < i; j++) {
			tids_ok &= w[i].tid != w[j].tid;
			addrs_ok &= w[i].tls_addr != w[j].tls_addr;
		}
		addrs_ok &= w[i].tls_addr != (uintptr_t)&tls_id;
	}
	ktap_ok(tids_ok, "threads share the pid and have distinct tids");
	ktap_ok(tls_ok,
		"__thread variables start initialised and stay private");
	ktap_ok(addrs_ok,
		"each thread's __thread variable has its own address");
	ktap_ok(tls_id == -1 && !strcmp(tls_buf, "initial"),
		"the main thread's __thread variables are untouched");
}

static void *sleepy(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

static void *exiter(void *arg)
{
	usleep(50000);
	exit((int)(intptr_t)arg);
}

/* exit() in any thread ends every thread of the process. */
static void test_exit_group(void)
{
	int st = 0;
	pid_t r, pid = fork();

	if (pid == 0) {
		pthread_t a, b;

		pthread_create(&a, NULL, sleepy, NULL);
		pthread_create(&b, NULL, exiter, (void *)33);
		pause();
		_exit(1);
	}
	r = waitpid(pid, &st, 0);
	ktap_ok(r == pid && WIFEXITED(st) && WEXITSTATUS(st) == 33,
		"exit() in one thread ends the process with its code (0x%x)",
		st);
}

static volatile pid_t handled_in;

static void on_usr1(int sig)
{
	(void)sig;
	handled_in = gettid();
}

static pid_t target_tid;
static pthread_mutex_t tid_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t tid_cond = PTHREAD_COND_INITIALIZER;

static void *waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&tid_lock);
	target_tid = gettid();
	pthread_cond_signal(&tid_cond);
	pthread_mutex_unlock(&tid_lock);
	while (!handled_in)
		usleep(1000);
	return NULL;
}

static void test_pthread_kill(void)
{
	pthread_t t;

	signal(SIGUSR1, on_usr1);
	pthread_create(&t, NULL, waiter, NULL);
	pthread_mutex_lock(&tid_lock);
	while (!target_tid)
		pthread_cond_wait(&tid_cond, &tid_lock);
	pthread_mutex_unlock(&tid_lock);
	pthread_kill(t, SIGUSR1);
	pthread_join(t, NULL);
	ktap_ok(handled_in == target_tid,
		"pthread_kill runs the handler in the target thread");
	EXPECT_ERRNO(syscall(SYS_tgkill, getpid(), 0x7ffffff0, SIGUSR1), ESRCH);
	EXPECT_ERRNO(syscall(SYS_tgkill, getpid(), gettid(), 99), EINVAL);
	signal(SIGUSR1, SIG_DFL);
}

/* test_wait_other_thread: the child waits for EOF on wait_pipe, the
 * forking thread for EOF on hold_pipe. */
static int wait_pipe[2], hold_pipe[2];
static volatile pid_t forked_pid;

static void read_to_eof(int fd)
{
	char c;

	while (read(fd, &c, 1) > 0)
		;
}

/* Fork a child that exits with 6 at EOF on wait_pipe; stay until EOF
 * on hold_pipe. */
static void *forker(void *arg)
{
	pid_t pid = fork();

	(void)arg;
	if (pid == 0) {
		close(wait_pipe[1]);
		close(hold_pipe[1]);
		read_to_eof(wait_pipe[0]);
		_exit(6);
	}
	forked_pid = pid;
	read_to_eof(hold_pipe[0]);
	return NULL;
}

/*
 * A child belongs to the thread that forked it: the other threads wait
 * for it too, but not with __WNOTHREAD; when that thread exits, the
 * child goes to a live thread of the process, not to init.
 */
static void test_wait_other_thread(void)
{
	pthread_t t;
	int st = 0;

	if (pipe(wait_pipe) || pipe(hold_pipe)) {
		ktap_ok(0, "pipes for the wait cases");
		return;
	}
	pthread_create(&t, NULL, forker, NULL);
	while (!forked_pid)
		usleep(1000);
	EXPECT_ERRNO(waitpid(forked_pid, &st, __WNOTHREAD | WNOHANG), ECHILD);
	close(hold_pipe[1]); /* the forking thread returns */
	pthread_join(t, NULL);
	usleep(50 * 1000); /* it is gone, not just joined */
	close(wait_pipe[1]); /* now the child exits */
	ktap_ok(waitpid(forked_pid, &st, 0) == forked_pid &&
			WEXITSTATUS(st) == 6,
		"the child of an exited thread stays in the process");
	close(wait_pipe[0]);
	close(hold_pipe[0]);
}

static long long cpu_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Use 50 ms of this thread's CPU, then exit. */
static void *cpu_burner(void *arg)
{
	long long end = cpu_ns(CLOCK_THREAD_CPUTIME_ID) + 50000000LL;
	volatile unsigned long x = 0;

	(void)arg;
	while (cpu_ns(CLOCK_THREAD_CPUTIME_ID) < end)
		for (int i = 0; i < 100000; i++)
			x += i;
	return NULL;
}

/* The process's CPU time keeps what its exited threads used. */
static void test_dead_thread_cputime(void)
{
	long long proc0, self0, proc1, self1, others;
	pthread_t t;

	proc0 = cpu_ns(CLOCK_PROCESS_CPUTIME_ID);
	self0 = cpu_ns(CLOCK_THREAD_CPUTIME_ID);
	pthread_create(&t, NULL, cpu_burner, NULL);
	pthread_join(t, NULL);
	usleep(20 * 1000); /* it is gone, not just joined */
	proc1 = cpu_ns(CLOCK_PROCESS_CPUTIME_ID);
	self1 = cpu_ns(CLOCK_THREAD_CPUTIME_ID);
	others = (proc1 - proc0) - (self1 - self0);
	ktap_ok(others >= 45000000LL,
		"an exited thread's CPU time stays in the process's (%lld us)",
		others / 1000);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Run for LAST_THREAD_SPIN_MS, then return (and exit). */
static void *spin_then_exit(void *arg)
{
	long long end = now_ms() + LAST_THREAD_SPIN_MS;

	while (now_ms() < end)
		;
	return arg;
}

/* A session leader with @pts as its terminal, an alarm pending and a
 * thread whose exit wakes its pthread_join; then it exits at once. */
static void leader_exits_first(const char *pts)
{
	pthread_t t;

	if (setsid() < 0 || ioctl(open(pts, O_RDWR), TIOCSCTTY, 0) < 0)
		_exit(1);
	alarm(100);
	pthread_create(&t, NULL, spin_then_exit, NULL);
	pthread_join(t, NULL);
	_exit(0);
}

/*
 * The process ends with the last of its threads to start exiting, in
 * whatever order they finish. Here the spinning thread's exit wakes the
 * leader (it slept, the thread ran: it has the better priority), which
 * exits at once: it often finishes first, while the thread is still on
 * its way out. Once both are gone the process's alarm must have been
 * cancelled (a timer left pending was written into the freed process by
 * the timer wheel: the kernel's debug checks report it on the console)
 * and the session leader's terminal let go: TIOCGSID on the master then
 * fails with ENOTTY.
 */
static void test_last_thread_ends_process(void)
{
	int released = 0, exited = 0;

	for (int i = 0; i < LAST_THREAD_ROUNDS; i++) {
		int st = 0, sid = 0, master = posix_openpt(O_RDWR | O_NOCTTY);
		pid_t pid;

		if (master < 0 || grantpt(master) || unlockpt(master))
			break;
		pid = fork();
		if (pid == 0)
			leader_exits_first(ptsname(master));
		if (waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
		    WEXITSTATUS(st) == 0)
			exited++;
		if (ioctl(master, TIOCGSID, &sid) < 0 && errno == ENOTTY)
			released++;
		else
			ktap_diag("round %d: TIOCGSID gives %d", i, sid);
		close(master);
	}
	ktap_ok(exited == LAST_THREAD_ROUNDS,
		"a leader that exits before its last thread: status 0 (%d of %d)",
		exited, LAST_THREAD_ROUNDS);
	ktap_ok(released == LAST_THREAD_ROUNDS,
		"...and its terminal is let go when the last thread ends (%d of %d)",
		released, LAST_THREAD_ROUNDS);
}

static void test_timedwait(void)
{
	struct timespec ts;
	int r;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 50000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&lock);
	r = pthread_cond_timedwait(&cond, &lock, &ts);
	pthread_mutex_unlock(&lock);
	EXPECT_EQ(r, ETIMEDOUT);
}

static long futex(int *uaddr, int op, int val, const struct timespec *ts,
		  int *uaddr2, int val3)
{
	return syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

static int fword;

/* Sleeps on fword == 0 until woken; returns 1 if FUTEX_WAIT said 0. */
static void *futex_waiter(void *arg)
{
	long r = futex(&fword, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);

	(void)arg;
	return (void *)(intptr_t)(r == 0);
}

static void test_futex(void)
{
	struct timespec short_wait = { 0, 20000000 };
	pthread_t t;
	void *ret = NULL;
	long woken = 0;

	fword = 5;
	EXPECT_ERRNO(futex(&fword, FUTEX_WAIT, 4, NULL, NULL, 0), EAGAIN);
	EXPECT_ERRNO(futex(&fword, FUTEX_WAIT_PRIVATE, 5, &short_wait, NULL, 0),
		     ETIMEDOUT);
	EXPECT_EQ(futex(&fword, FUTEX_WAKE, 1, NULL, NULL, 0), 0);
	EXPECT_ERRNO(futex((int *)((char *)&fword + 1), FUTEX_WAIT, 5, NULL,
			   NULL, 0),
		     EINVAL);
	EXPECT_ERRNO(futex(&fword, 99, 0, NULL, NULL, 0), ENOSYS);
	EXPECT_ERRNO(futex(NULL, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT);
	EXPECT_ERRNO(futex(&fword, FUTEX_WAIT_BITSET, 5, NULL, NULL, 0),
		     EINVAL); /* a zero bitset */

	fword = 0;
	pthread_create(&t, NULL, futex_waiter, NULL);
	/* Until the thread is asleep, FUTEX_WAKE finds nobody. */
	for (int i = 0; i < 2000 && woken == 0; i++) {
		usleep(1000);
		woken = futex(&fword, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	}
	pthread_join(t, &ret);
	ktap_ok(woken == 1 && ret == (void *)1,
		"FUTEX_WAKE wakes the one waiter and returns 1");
}

/*
 * Two threads reap the same children at once: every child must be
 * reported to exactly one of them. (wait_zombie() once dropped the
 * task list lock before marking the zombie dead, so both could reap
 * one child: a double free.)
 */
#define REAP_CHILDREN 200

static int reaped[2];

static void *reaper(void *arg)
{
	int *count = arg;

	while (wait(NULL) > 0)
		(*count)++;
	return NULL;
}

static void test_two_reapers(void)
{
	pthread_t t[2];
	int i;

	for (i = 0; i < REAP_CHILDREN; i++)
		if (fork() == 0)
			_exit(0);
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, reaper, &reaped[i]);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	ktap_ok(reaped[0] + reaped[1] == REAP_CHILDREN,
		"two threads waiting reap %d children exactly once (%d + %d)",
		REAP_CHILDREN, reaped[0], reaped[1]);
}

int main(void)
{
	ktap_plan(27);
	test_workers();
	test_exit_group();
	test_pthread_kill();
	test_wait_other_thread();
	test_dead_thread_cputime();
	test_last_thread_ends_process();
	test_timedwait();
	test_futex();
	test_two_reapers();
	return ktap_exit();
}
