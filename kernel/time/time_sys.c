/*
 * The clock system calls: the wall clock (gettimeofday, time,
 * settimeofday), POSIX clocks (clock_gettime/getres: REALTIME,
 * MONOTONIC, BOOTTIME, the coarse and raw variants, and the process and
 * thread CPU clocks), and sleeping (nanosleep, clock_nanosleep), with
 * both the 32-bit and the *_time64 layouts.
 *
 * An interrupted relative sleep that no handler sees restarts with the
 * remaining time (-ERESTART_RESTARTBLOCK and restart_syscall); with a
 * handler it fails with EINTR and reports the time left.
 */
#include <kestrel/cputime.h>
#include <kestrel/errno.h>
#include <kestrel/math64.h>
#include <kestrel/sched.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/time.h>
#include <kestrel/uaccess.h>
#include <uapi/time.h>

static void ns_to_ts64(u64 ns, struct __kernel_timespec *ts)
{
	u32 rem;

	ts->tv_sec = (s64)div_u64_rem(ns, NSEC_PER_SEC, &rem);
	ts->tv_nsec = rem;
}

/* The CPU time of the current thread or of its whole process, to the
 * nanosecond (kernel/sched/cputime.c). */
static u64 cputime_ns(bool process)
{
	return process ? thread_group_sched_runtime(current) :
			 task_sched_runtime(current);
}

static int clock_read(int clockid, u64 *ns)
{
	switch (clockid) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_TAI:
		*ns = ktime_get_real_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = ktime_get_ns();
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
		*ns = cputime_ns(true);
		return 0;
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = cputime_ns(false);
		return 0;
	default:
		return -EINVAL;
	}
}

static u64 clock_resolution(int clockid)
{
	if (clockid == CLOCK_REALTIME_COARSE ||
	    clockid == CLOCK_MONOTONIC_COARSE)
		return NSEC_PER_SEC / HZ;
	return tsc_khz ? 1 : NSEC_PER_SEC / HZ;
}

SYSCALL_DEFINE2(clock_gettime64, int, clockid,
		struct __kernel_timespec __user *, tp)
{
	struct __kernel_timespec ts;
	u64 ns;
	int err = clock_read(clockid, &ns);

	if (err)
		return err;
	ns_to_ts64(ns, &ts);
	return copy_to_user(tp, &ts, sizeof(ts)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(clock_gettime, int, clockid, struct timespec __user *, tp)
{
	struct __kernel_timespec ts;
	struct timespec t32;
	u64 ns;
	int err = clock_read(clockid, &ns);

	if (err)
		return err;
	ns_to_ts64(ns, &ts);
	t32.tv_sec = (s32)ts.tv_sec;
	t32.tv_nsec = (s32)ts.tv_nsec;
	return copy_to_user(tp, &t32, sizeof(t32)) ? -EFAULT : 0;
}

static int clock_getres_ns(int clockid, u64 *res)
{
	u64 unused;
	int err = clock_read(clockid, &unused);

	if (!err)
		*res = clock_resolution(clockid);
	return err;
}

SYSCALL_DEFINE2(clock_getres_time64, int, clockid,
		struct __kernel_timespec __user *, tp)
{
	struct __kernel_timespec ts;
	u64 res;
	int err = clock_getres_ns(clockid, &res);

	if (err || !tp)
		return err;
	ns_to_ts64(res, &ts);
	return copy_to_user(tp, &ts, sizeof(ts)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(clock_getres, int, clockid, struct timespec __user *, tp)
{
	struct timespec ts = { 0 };
	u64 res;
	int err = clock_getres_ns(clockid, &res);

	if (err || !tp)
		return err;
	ts.tv_nsec = (s32)res;
	return copy_to_user(tp, &ts, sizeof(ts)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(gettimeofday, struct timeval __user *, tv,
		struct timezone __user *, tz)
{
	struct timezone z = { 0, 0 };
	struct timeval v;
	u32 rem;

	if (tv) {
		v.tv_sec = (s32)div_u64_rem(ktime_get_real_ns(), NSEC_PER_SEC,
					    &rem);
		v.tv_usec = (s32)(rem / NSEC_PER_USEC);
		if (copy_to_user(tv, &v, sizeof(v)))
			return -EFAULT;
	}
	if (tz && copy_to_user(tz, &z, sizeof(z)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(settimeofday, const struct timeval __user *, tv,
		const struct timezone __user *, tz)
{
	struct timeval v;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (!tv)
		return 0;
	if (copy_from_user(&v, tv, sizeof(v)))
		return -EFAULT;
	if (v.tv_usec < 0 || v.tv_usec >= 1000000 || v.tv_sec < 0)
		return -EINVAL;
	timekeeping_set_real(v.tv_sec, v.tv_usec * 1000);
	return 0;
}

SYSCALL_DEFINE1(time, s32 __user *, tloc)
{
	s32 now = (s32)div_u64(ktime_get_real_ns(), NSEC_PER_SEC);

	if (tloc && put_user(now, tloc))
		return -EFAULT;
	return now;
}

/* ---- sleeping ---------------------------------------------------------- */

static int put_remaining(void __user *rmtp, bool rmtp64, u64 left)
{
	struct __kernel_timespec ts;
	struct timespec t32;

	ns_to_ts64(left, &ts);
	if (rmtp64)
		return copy_to_user(rmtp, &ts, sizeof(ts)) ? -EFAULT : 0;
	t32.tv_sec = (s32)ts.tv_sec;
	t32.tv_nsec = (s32)ts.tv_nsec;
	return copy_to_user(rmtp, &t32, sizeof(t32)) ? -EFAULT : 0;
}

static long nanosleep_restart(struct restart_block *rb);

/* Sleep until the monotonic clock reaches @expires (ns). */
static long do_nanosleep(struct restart_block *rb)
{
	u64 now;
	unsigned long ticks;

	for (;;) {
		now = ktime_get_ns();
		if (now >= rb->expires)
			return 0;
		if (signal_pending(current))
			break;
		ticks = nsecs_to_jiffies(rb->expires - now);
		schedule_timeout_interruptible((long)ticks);
	}
	if (rb->rmtp && put_remaining(rb->rmtp, rb->rmtp64, rb->expires - now))
		return -EFAULT;
	rb->fn = nanosleep_restart;
	return -ERESTART_RESTARTBLOCK;
}

static long nanosleep_restart(struct restart_block *rb)
{
	return do_nanosleep(rb);
}

SYSCALL_DEFINE0(restart_syscall)
{
	struct restart_block *rb = &current->restart_block;

	if (!rb->fn)
		return -EINTR;
	return rb->fn(rb);
}

static int ts_to_ns(s64 sec, s64 nsec, u64 *ns)
{
	if (sec < 0 || nsec < 0 || nsec >= (s64)NSEC_PER_SEC)
		return -EINVAL;
	*ns = (u64)sec * NSEC_PER_SEC + (u64)nsec;
	return 0;
}

/* Start a sleep of @ns (absolute on @clockid if @abs). */
static long start_sleep(int clockid, bool abs, u64 ns, void __user *rmtp,
			bool rmtp64)
{
	struct restart_block *rb = &current->restart_block;
	u64 now = ktime_get_ns();

	if (clockid != CLOCK_REALTIME && clockid != CLOCK_MONOTONIC &&
	    clockid != CLOCK_BOOTTIME && clockid != CLOCK_TAI)
		return clockid == CLOCK_THREAD_CPUTIME_ID ? -EINVAL :
							    -EOPNOTSUPP;
	if (abs && (clockid == CLOCK_REALTIME || clockid == CLOCK_TAI)) {
		u64 real = ktime_get_real_ns();

		ns = ns > real ? ns - real : 0;
		abs = false;
	}
	rb->expires = abs ? ns : now + ns;
	rb->rmtp = abs ? NULL : rmtp;
	rb->rmtp64 = rmtp64;
	rb->fn = NULL;
	return do_nanosleep(rb);
}

SYSCALL_DEFINE2(nanosleep, const struct timespec __user *, rqtp,
		struct timespec __user *, rmtp)
{
	struct timespec t;
	u64 ns;

	if (copy_from_user(&t, rqtp, sizeof(t)))
		return -EFAULT;
	if (ts_to_ns(t.tv_sec, t.tv_nsec, &ns))
		return -EINVAL;
	return start_sleep(CLOCK_MONOTONIC, false, ns, rmtp, false);
}

SYSCALL_DEFINE4(clock_nanosleep, int, clockid, int, flags,
		const struct timespec __user *, rqtp, struct timespec __user *,
		rmtp)
{
	struct timespec t;
	u64 ns;

	if (copy_from_user(&t, rqtp, sizeof(t)))
		return -EFAULT;
	if (ts_to_ns(t.tv_sec, t.tv_nsec, &ns))
		return -EINVAL;
	return start_sleep(clockid, flags & TIMER_ABSTIME, ns, rmtp, false);
}

SYSCALL_DEFINE4(clock_nanosleep_time64, int, clockid, int, flags,
		const struct __kernel_timespec __user *, rqtp,
		struct __kernel_timespec __user *, rmtp)
{
	struct __kernel_timespec t;
	u64 ns;

	if (copy_from_user(&t, rqtp, sizeof(t)))
		return -EFAULT;
	if (ts_to_ns(t.tv_sec, t.tv_nsec, &ns))
		return -EINVAL;
	return start_sleep(clockid, flags & TIMER_ABSTIME, ns, rmtp, true);
}
