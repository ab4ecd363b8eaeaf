/*
 * CPU time and the interval timers, as Linux 6.1 reports them.
 *
 * CPU time: the thread and process CPU clocks advance between ticks
 * (every read is later than the last), user work is charged to utime
 * and kernel work (copying a file out with pread) to stime, by
 * getrusage.
 *
 * Timers: alarm() clamps huge values to INT_MAX on a 32-bit kernel and
 * returns the time left rounded (LTP alarm02); getitimer reports the
 * interval exactly as set and the time left truncated to microseconds,
 * never more than was set (LTP getitimer01, setitimer01); ITIMER_REAL
 * never fires early; ITIMER_VIRTUAL and ITIMER_PROF count user and
 * user+kernel CPU time; bad arguments are EINVAL; a forked child starts
 * with no timers (LTP alarm03).
 *
 * Time arguments: every call that takes a timespec checks it the same
 * way in both layouts (tv_sec < 0, tv_nsec outside [0, 10^9): EINVAL; a
 * bad pointer: EFAULT), and the *_time64 layouts ignore the high half
 * of tv_nsec, which is padding on i386.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"

#define NREADS 20
#define BURN_MS 40
#define USEC_PER_SEC 1000000L
#define NSEC_PER_MSEC 1000000LL
/* The coarse clock's resolution is the kernel's tick: what Linux adds
 * to a CPU timer when it is armed. */
static long tick_us;

static long long ns_of(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static long long clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ns_of(&ts);
}

static long long tv_us(const struct timeval *tv)
{
	return tv->tv_sec * (long long)USEC_PER_SEC + tv->tv_usec;
}

/* The calling thread's user and system time, us. */
static void thread_rusage(long long *user, long long *sys)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	*user = tv_us(&ru.ru_utime);
	*sys = tv_us(&ru.ru_stime);
}

/* Spin in user mode until the thread has used @ms more CPU. */
static void burn_user(int ms)
{
	long long end = clock_ns(CLOCK_THREAD_CPUTIME_ID) + ms * NSEC_PER_MSEC;
	volatile unsigned long x = 0;

	while (clock_ns(CLOCK_THREAD_CPUTIME_ID) < end)
		for (int i = 0; i < 200000; i++)
			x += i;
}

/* Work in the kernel (copying a file's pages out with pread) for @ms
 * of CPU. */
static void burn_kernel(int ms)
{
	static char buf[256 * 1024];
	long long end = clock_ns(CLOCK_THREAD_CPUTIME_ID) + ms * NSEC_PER_MSEC;
	char path[] = "/tmp/t_timers.XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0)
		return;
	unlink(path);
	if (write(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf))
		while (clock_ns(CLOCK_THREAD_CPUTIME_ID) < end)
			if (pread(fd, buf, sizeof(buf), 0) < 0)
				break;
	close(fd);
}

/* ---- CPU time --------------------------------------------------------- */

static void test_clocks_advance(void)
{
	static const clockid_t ids[] = { CLOCK_THREAD_CPUTIME_ID,
					 CLOCK_PROCESS_CPUTIME_ID };
	static const char *const names[] = { "thread", "process" };
	long long prev, now;
	int i, j, later;

	for (i = 0; i < 2; i++) {
		later = 0;
		prev = clock_ns(ids[i]);
		for (j = 0; j < NREADS; j++) {
			now = clock_ns(ids[i]);
			later += now > prev;
			prev = now;
		}
		ktap_ok(later == NREADS,
			"the %s CPU clock advances between ticks (%d/%d reads "
			"later than the one before)",
			names[i], later, NREADS);
	}
}

static void test_user_system_split(void)
{
	long long u0, s0, u1, s1, u2, s2;

	thread_rusage(&u0, &s0);
	burn_user(BURN_MS);
	thread_rusage(&u1, &s1);
	ktap_ok(u1 - u0 >= BURN_MS * 1000 / 2 && u1 - u0 > s1 - s0,
		"user work is user time (user +%lld us, system +%lld us)",
		u1 - u0, s1 - s0);
	burn_kernel(BURN_MS);
	thread_rusage(&u2, &s2);
	ktap_ok(s2 - s1 >= BURN_MS * 1000 / 2 && s2 - s1 > u2 - u1,
		"kernel work is system time (user +%lld us, system +%lld us)",
		u2 - u1, s2 - s1);
}

/* ---- alarm ------------------------------------------------------------ */

static bool kernel_is_32bit(void)
{
	struct utsname u;

	return uname(&u) == 0 && strcmp(u.machine, "x86_64") != 0;
}

static void test_alarm(void)
{
	static const unsigned int secs[] = { INT_MAX, UINT_MAX / 2,
					     UINT_MAX / 4, 10 };
	unsigned int i, got, want;

	signal(SIGALRM, SIG_IGN);
	for (i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
		alarm(secs[i]);
		got = alarm(0);
		ktap_ok(got == secs[i], "alarm(%u) then alarm(0) returns %u",
			secs[i], got);
	}
	/* A 32-bit kernel keeps at most INT_MAX seconds. */
	want = kernel_is_32bit() ? INT_MAX : UINT_MAX;
	alarm(UINT_MAX);
	got = alarm(0);
	ktap_ok(got == want, "alarm(UINT_MAX) is kept as %u (got %u)", want,
		got);
	EXPECT_EQ(alarm(0), 0);
	signal(SIGALRM, SIG_DFL);
}

/* ---- getitimer/setitimer ---------------------------------------------- */

static void set_itimer(int which, long sec, long usec, long isec, long iusec)
{
	struct itimerval v = { { isec, iusec }, { sec, usec } };

	setitimer(which, &v, NULL);
}

static void disarm(int which)
{
	set_itimer(which, 0, 0, 0, 0);
}

/* LTP getitimer01: the interval comes back as set, the value at most
 * what was set (plus a tick for the CPU timers). */
static void test_get_exact(void)
{
	static const int which[] = { ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF };
	static const char *const names[] = { "REAL", "VIRTUAL", "PROF" };
	struct itimerval v;
	long long left;
	long margin;
	int i;

	for (i = 0; i < 3; i++) {
		set_itimer(which[i], 100, 10000, 100, 10000);
		memset(&v, 0xff, sizeof(v));
		getitimer(which[i], &v);
		margin = which[i] == ITIMER_REAL ? 0 : tick_us;
		left = tv_us(&v.it_value);
		ktap_ok(v.it_interval.tv_sec == 100 &&
				v.it_interval.tv_usec == 10000 &&
				left <= 100010000LL + margin &&
				left > 99000000LL,
			"ITIMER_%s: interval 100.010000 s exactly (%ld.%06ld), "
			"value at most what was set (%lld us)",
			names[i], (long)v.it_interval.tv_sec,
			(long)v.it_interval.tv_usec, left);
		disarm(which[i]);
	}
	/* Not rounded to the tick: one microsecond stays one. */
	set_itimer(ITIMER_REAL, 100, 0, 0, 1);
	getitimer(ITIMER_REAL, &v);
	ktap_ok(v.it_interval.tv_sec == 0 && v.it_interval.tv_usec == 1,
		"an interval of 1 us reads back as 1 us (%ld.%06ld)",
		(long)v.it_interval.tv_sec, (long)v.it_interval.tv_usec);
	set_itimer(ITIMER_REAL, 0, 5000, 0, 0);
	getitimer(ITIMER_REAL, &v);
	left = tv_us(&v.it_value);
	ktap_ok(left > 0 && left <= 5000,
		"5 ms armed reads back as at most 5000 us (%lld)", left);
	disarm(ITIMER_REAL);
	getitimer(ITIMER_REAL, &v);
	ktap_ok(!v.it_value.tv_sec && !v.it_value.tv_usec &&
			!v.it_interval.tv_sec && !v.it_interval.tv_usec,
		"a disarmed timer reads as zero");
}

static volatile sig_atomic_t fired;

static void on_timer(int sig)
{
	(void)sig;
	fired++;
}

/* ITIMER_REAL fires, and never before its time. */
static void test_real_fires(void)
{
	long long t0, t1;

	signal(SIGALRM, on_timer);
	fired = 0;
	t0 = clock_ns(CLOCK_MONOTONIC);
	set_itimer(ITIMER_REAL, 0, 30000, 0, 0);
	while (!fired && clock_ns(CLOCK_MONOTONIC) - t0 < 5000 * NSEC_PER_MSEC)
		pause();
	t1 = clock_ns(CLOCK_MONOTONIC);
	ktap_ok(fired == 1 && t1 - t0 >= 30 * NSEC_PER_MSEC,
		"ITIMER_REAL of 30 ms fires once, not early (%lld us)",
		(t1 - t0) / 1000);
	fired = 0;
	set_itimer(ITIMER_REAL, 0, 10000, 0, 10000);
	while (fired < 5)
		pause();
	disarm(ITIMER_REAL);
	ktap_ok(fired >= 5, "a periodic ITIMER_REAL keeps firing (%d)",
		(int)fired);
	signal(SIGALRM, SIG_DFL);
}

/* The CPU timers count CPU time: user only, or user and system. */
static void test_cpu_timers(void)
{
	static const int which[] = { ITIMER_VIRTUAL, ITIMER_PROF };
	static const int sigs[] = { SIGVTALRM, SIGPROF };
	static const char *const names[] = { "VIRTUAL", "PROF" };
	struct itimerval old, off = { { 0, 0 }, { 0, 0 } };
	long long u0, s0, u1, s1, used;
	int i, rounds;

	for (i = 0; i < 2; i++) {
		signal(sigs[i], on_timer);
		fired = 0;
		thread_rusage(&u0, &s0);
		set_itimer(which[i], 0, 20000, 0, 0);
		/* VIRTUAL in user mode; PROF in the kernel, where only it
		 * counts. Both give up after two seconds of CPU. */
		for (rounds = 0; !fired && rounds < 100; rounds++) {
			if (which[i] == ITIMER_VIRTUAL)
				burn_user(20);
			else
				burn_kernel(20);
		}
		thread_rusage(&u1, &s1);
		used = which[i] == ITIMER_VIRTUAL ? u1 - u0 : u1 - u0 + s1 - s0;
		ktap_ok(fired == 1 && used >= 20000,
			"ITIMER_%s fires after 20 ms of its CPU time (%lld us)",
			names[i], used);
		disarm(which[i]);
		signal(sigs[i], SIG_DFL);
	}
	set_itimer(ITIMER_VIRTUAL, 50, 0, 0, 30000);
	setitimer(ITIMER_VIRTUAL, &off, &old);
	ktap_ok(old.it_interval.tv_sec == 0 &&
			old.it_interval.tv_usec == 30000 &&
			tv_us(&old.it_value) <= 50000000LL + tick_us &&
			tv_us(&old.it_value) > 49000000LL,
		"setitimer returns the old CPU timer (%ld.%06ld, %ld.%06ld)",
		(long)old.it_value.tv_sec, (long)old.it_value.tv_usec,
		(long)old.it_interval.tv_sec, (long)old.it_interval.tv_usec);
}

static void test_errors(void)
{
	struct itimerval v = { { 0, 0 }, { 0, USEC_PER_SEC } };

	EXPECT_ERRNO(setitimer(ITIMER_REAL, &v, NULL), EINVAL);
	v.it_value.tv_usec = -1;
	EXPECT_ERRNO(setitimer(ITIMER_PROF, &v, NULL), EINVAL);
	v.it_value.tv_usec = 0;
	v.it_interval.tv_sec = -1;
	EXPECT_ERRNO(setitimer(ITIMER_VIRTUAL, &v, NULL), EINVAL);
	EXPECT_ERRNO(syscall(SYS_setitimer, 3, &v, NULL), EINVAL);
	EXPECT_ERRNO(syscall(SYS_getitimer, -1, &v), EINVAL);
	EXPECT_ERRNO(syscall(SYS_getitimer, ITIMER_REAL, (void *)1), EFAULT);
}

/* struct __kernel_timespec, the layout of the *_time64 calls. */
struct kts64 {
	int64_t tv_sec;
	int64_t tv_nsec;
};

#define PADDING (1LL << 32) /* the high half of an i386 tv_nsec */
#define NSEC_PER_SEC 1000000000L

static void test_time_arguments(void)
{
	struct timespec neg_nsec = { 0, -1 }, neg_sec = { -1, 0 };
	struct kts64 big_nsec = { 0, NSEC_PER_SEC },
		     one_ns = { 0, 1 + PADDING };
	struct kts64 omit[2] = { { 0, UTIME_OMIT + PADDING },
				 { 0, UTIME_OMIT + PADDING } };
	struct kts64 zero = { 0, PADDING };
	struct timeval bad_tv = { 0, -1 };
	sigset_t set;
	int word = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	EXPECT_ERRNO(syscall(SYS_nanosleep, &neg_nsec, NULL), EINVAL);
	EXPECT_ERRNO(syscall(SYS_nanosleep, (void *)1, NULL), EFAULT);
	EXPECT_ERRNO(syscall(SYS_clock_nanosleep_time64, CLOCK_MONOTONIC, 0,
			     &big_nsec, NULL),
		     EINVAL);
	EXPECT_SUCCESS(syscall(SYS_clock_nanosleep_time64, CLOCK_MONOTONIC, 0,
			       &one_ns, NULL));
	EXPECT_ERRNO(syscall(SYS_futex, &word, FUTEX_WAIT, 1, &neg_sec),
		     EINVAL);
	EXPECT_ERRNO(syscall(SYS_futex_time64, &word, FUTEX_WAIT, 1, &big_nsec),
		     EINVAL);
	EXPECT_ERRNO(syscall(SYS_rt_sigtimedwait, &set, NULL, &neg_nsec, 8),
		     EINVAL);
	EXPECT_ERRNO(syscall(SYS_rt_sigtimedwait_time64, &set, NULL, &zero, 8),
		     EAGAIN);
	EXPECT_ERRNO(syscall(SYS_ppoll, NULL, 0, &neg_sec, NULL, 8), EINVAL);
	EXPECT_ERRNO(syscall(SYS_ppoll_time64, NULL, 0, &big_nsec, NULL, 8),
		     EINVAL);
	EXPECT_ERRNO(syscall(SYS__newselect, 0, NULL, NULL, NULL, &bad_tv),
		     EINVAL);
	EXPECT_SUCCESS(syscall(SYS_utimensat_time64, AT_FDCWD, "/", omit, 0));
}

/* LTP alarm03: a forked child does not inherit the alarm. */
static void test_fork_clears(void)
{
	struct itimerval v;
	pid_t pid;
	int st = -1;

	alarm(100);
	set_itimer(ITIMER_VIRTUAL, 100, 0, 0, 0);
	pid = fork();
	if (pid == 0) {
		getitimer(ITIMER_VIRTUAL, &v);
		_exit(alarm(0) == 0 && !v.it_value.tv_sec &&
				      !v.it_value.tv_usec ?
			      0 :
			      1);
	}
	waitpid(pid, &st, 0);
	ktap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0 && alarm(0) == 100,
		"a forked child has no timers; the parent keeps its alarm");
	disarm(ITIMER_VIRTUAL);
}

int main(void)
{
	struct timespec res;

	clock_getres(CLOCK_MONOTONIC_COARSE, &res);
	tick_us = (res.tv_nsec + 999) / 1000;
	ktap_plan(40);
	test_clocks_advance();
	test_user_system_split();
	test_alarm();
	test_get_exact();
	test_real_fires();
	test_cpu_timers();
	test_errors();
	test_time_arguments();
	test_fork_clears();
	return ktap_exit();
}
