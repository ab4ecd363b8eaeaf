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
 *
 * The copies of times from and to user space that every other call
 * taking a time uses (<kestrel/time64.h>) are here too.
 */
#include <kestrel/cputime.h>
#include <kestrel/errno.h>
#include <kestrel/math64.h>
#include <kestrel/sched.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/time.h>
#include <kestrel/time64.h>
#include <kestrel/uaccess.h>
#include <uapi/time.h>

/* ---- times from and to user space ---------------------------------------- */

int get_timespec64(struct timespec64 *ts,
		   const struct __kernel_timespec __user *uts)
{
	struct __kernel_timespec kts;

	if (copy_from_user(&kts, uts, sizeof(kts)))
		return -EFAULT;
	ts->tv_sec = kts.tv_sec;
	ts->tv_nsec = (long)kts.tv_nsec; /* i386: the high half is padding */
	return 0;
}

int put_timespec64(const struct timespec64 *ts,
		   struct __kernel_timespec __user *uts)
{
	struct __kernel_timespec kts = { ts->tv_sec, ts->tv_nsec };

	return copy_to_user(uts, &kts, sizeof(kts)) ? -EFAULT : 0;
}

int get_old_timespec32(struct timespec64 *ts, const struct timespec __user *uts)
{
	struct timespec t32;

	if (copy_from_user(&t32, uts, sizeof(t32)))
		return -EFAULT;
	ts->tv_sec = t32.tv_sec;
	ts->tv_nsec = t32.tv_nsec;
	return 0;
}

int put_old_timespec32(const struct timespec64 *ts, struct timespec __user *uts)
{
	struct timespec t32 = { (s32)ts->tv_sec, (s32)ts->tv_nsec };

	return copy_to_user(uts, &t32, sizeof(t32)) ? -EFAULT : 0;
}

/* What follows the copy, in Linux's order: EFAULT first, then EINVAL. */
static int timespec64_ns(int err, const struct timespec64 *ts, u64 *ns)
{
	if (err)
		return err;
	if (!timespec64_valid(ts))
		return -EINVAL;
	*ns = timespec64_to_ns(ts);
	return 0;
}

int get_timespec64_ns(u64 *ns, const struct __kernel_timespec __user *uts)
{
	struct timespec64 ts;

	return timespec64_ns(get_timespec64(&ts, uts), &ts, ns);
}

int get_old_timespec32_ns(u64 *ns, const struct timespec __user *uts)
{
	struct timespec64 ts;

	return timespec64_ns(get_old_timespec32(&ts, uts), &ts, ns);
}

/* ---- the clocks ---------------------------------------------------------- */

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
	case CLOCK_PROCESS_CPUTIME_ID: /* to the ns: kernel/sched/cputime.c */
		*ns = thread_group_sched_runtime(current);
		return 0;
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = task_sched_runtime(current);
		return 0;
	default:
		return -EINVAL;
	}
}

static u64 clock_resolution(int clockid)
{
	if (clockid == CLOCK_REALTIME_COARSE ||
	    clockid == CLOCK_MONOTONIC_COARSE)
		return TICK_NSEC;
	return tsc_khz ? 1 : TICK_NSEC;
}

/* Store @ns at @uts in the layout @type. */
static int put_ns_timespec(u64 ns, void __user *uts, enum timespec_type type)
{
	struct timespec64 ts = ns_to_timespec64(ns);

	return type == TT_NATIVE ? put_timespec64(&ts, uts) :
				   put_old_timespec32(&ts, uts);
}

static int clock_gettime_common(int clockid, void __user *tp,
				enum timespec_type type)
{
	u64 ns;
	int err = clock_read(clockid, &ns);

	return err ? err : put_ns_timespec(ns, tp, type);
}

SYSCALL_DEFINE2(clock_gettime64, int, clockid,
		struct __kernel_timespec __user *, tp)
{
	return clock_gettime_common(clockid, tp, TT_NATIVE);
}

SYSCALL_DEFINE2(clock_gettime, int, clockid, struct timespec __user *, tp)
{
	return clock_gettime_common(clockid, tp, TT_COMPAT);
}

/* A valid clock's resolution, stored at @tp unless it is NULL. */
static int clock_getres_common(int clockid, void __user *tp,
			       enum timespec_type type)
{
	u64 unused;
	int err = clock_read(clockid, &unused);

	if (err || !tp)
		return err;
	return put_ns_timespec(clock_resolution(clockid), tp, type);
}

SYSCALL_DEFINE2(clock_getres_time64, int, clockid,
		struct __kernel_timespec __user *, tp)
{
	return clock_getres_common(clockid, tp, TT_NATIVE);
}

SYSCALL_DEFINE2(clock_getres, int, clockid, struct timespec __user *, tp)
{
	return clock_getres_common(clockid, tp, TT_COMPAT);
}

SYSCALL_DEFINE2(gettimeofday, struct timeval __user *, tv,
		struct timezone __user *, tz)
{
	struct timezone z = { 0, 0 };
	struct timeval v;

	if (tv) {
		v = ns_to_timeval(ktime_get_real_ns());
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
	if (!timeval_valid(&v))
		return -EINVAL;
	timekeeping_set_real(v.tv_sec, v.tv_usec * (long)NSEC_PER_USEC);
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
	if (rb->rmtp &&
	    put_ns_timespec(rb->expires - now, rb->rmtp, rb->rmtp_type))
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

/* Start a sleep of @ns (absolute on @clockid with TIMER_ABSTIME). */
static long start_sleep(int clockid, int flags, u64 ns, void __user *rmtp,
			enum timespec_type type)
{
	struct restart_block *rb = &current->restart_block;
	u64 now = ktime_get_ns();
	bool abs = flags & TIMER_ABSTIME;

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
	rb->rmtp_type = type;
	rb->fn = NULL;
	return do_nanosleep(rb);
}

SYSCALL_DEFINE2(nanosleep, const struct timespec __user *, rqtp,
		struct timespec __user *, rmtp)
{
	u64 ns;
	int err = get_old_timespec32_ns(&ns, rqtp);

	if (err)
		return err;
	return start_sleep(CLOCK_MONOTONIC, 0, ns, rmtp, TT_COMPAT);
}

SYSCALL_DEFINE4(clock_nanosleep, int, clockid, int, flags,
		const struct timespec __user *, rqtp, struct timespec __user *,
		rmtp)
{
	u64 ns;
	int err = get_old_timespec32_ns(&ns, rqtp);

	if (err)
		return err;
	return start_sleep(clockid, flags, ns, rmtp, TT_COMPAT);
}

SYSCALL_DEFINE4(clock_nanosleep_time64, int, clockid, int, flags,
		const struct __kernel_timespec __user *, rqtp,
		struct __kernel_timespec __user *, rmtp)
{
	u64 ns;
	int err = get_timespec64_ns(&ns, rqtp);

	if (err)
		return err;
	return start_sleep(clockid, flags, ns, rmtp, TT_NATIVE);
}
