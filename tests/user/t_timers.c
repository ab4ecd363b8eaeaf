/*
 * CPU time, as Linux 6.1 reports it: the thread and process CPU clocks
 * advance between ticks (every read is later than the last), user work
 * is charged to utime and kernel work (copying a file out with pread)
 * to stime, by getrusage.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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

int main(void)
{
	ktap_plan(4);
	test_clocks_advance();
	test_user_system_split();
	return ktap_exit();
}
