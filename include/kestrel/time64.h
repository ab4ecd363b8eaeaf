/*
 * Times as system calls take and give them. Inside the kernel a time is
 * a u64 count of nanoseconds, or a struct timespec64 where seconds and
 * nanoseconds are kept apart (inode time stamps, utimensat). User space
 * has three layouts of its own (include/uapi/time.h):
 *
 *   struct __kernel_timespec  s64 seconds, s64 nanoseconds: the *_time64
 *                             calls. On i386 the high half of tv_nsec is
 *                             padding, and is ignored (as Linux does).
 *   struct timespec           s32 and s32: the original calls (Linux's
 *                             old_timespec32).
 *   struct timeval            s32 seconds, s32 microseconds.
 *
 * Every call that takes a time does the same three steps, in Linux's
 * order: copy it in (-EFAULT), check it (-EINVAL: tv_sec < 0, or
 * tv_nsec outside [0, 10^9)), turn it into nanoseconds. get_timespec64_ns()
 * and get_old_timespec32_ns() do all three; the parts are here for the
 * calls that need them apart. Nanoseconds saturate at KTIME_MAX (292
 * years), so "now + timeout" cannot overflow a u64.
 *
 * The pure conversions are in kernel/time/time.c (host-tested by
 * tests/unit/test_time.c), the copies in kernel/time/time_sys.c.
 */
#ifndef _KESTREL_TIME64_H
#define _KESTREL_TIME64_H

#include <kestrel/compiler.h>
#include <kestrel/time.h>
#include <kestrel/types.h>
#include <uapi/time.h>

/* A time stamp or a span: seconds and nanoseconds (0 to 10^9 - 1). */
struct timespec64 {
	s64 tv_sec;
	long tv_nsec;
};

/* Which of the two timespec layouts a user pointer holds (Linux's
 * names): TT_NATIVE is struct __kernel_timespec, TT_COMPAT the 32-bit
 * struct timespec. */
enum timespec_type { TT_COMPAT, TT_NATIVE };

/* The longest span in nanoseconds, "forever" in practice (Linux's). */
#define KTIME_MAX ((s64)(~0ULL >> 1))
#define KTIME_SEC_MAX (KTIME_MAX / (s64)NSEC_PER_SEC)

/* Is @ts a time a system call accepts: not negative, tv_nsec < 10^9? */
static inline bool timespec64_valid(const struct timespec64 *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 &&
	       ts->tv_nsec < (long)NSEC_PER_SEC;
}

/* @ts (valid) in nanoseconds, saturating at KTIME_MAX. */
static inline u64 timespec64_to_ns(const struct timespec64 *ts)
{
	if (ts->tv_sec >= KTIME_SEC_MAX)
		return KTIME_MAX;
	return (u64)ts->tv_sec * NSEC_PER_SEC + (u64)ts->tv_nsec;
}

/* Is @tv a time a system call accepts: not negative, tv_usec < 10^6? */
static inline bool timeval_valid(const struct timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 &&
	       tv->tv_usec < (s32)USEC_PER_SEC;
}

/* @tv (valid) in nanoseconds; a 32-bit tv_sec cannot overflow. */
static inline u64 timeval_to_ns(const struct timeval *tv)
{
	return (u64)tv->tv_sec * NSEC_PER_SEC +
	       (u64)tv->tv_usec * NSEC_PER_USEC;
}

/* @ns as seconds and nanoseconds / as a timeval truncated to whole
 * microseconds (tv_sec wraps past 2038, as the 32-bit layout must). */
struct timespec64 ns_to_timespec64(u64 ns);
struct timeval ns_to_timeval(u64 ns);

/*
 * Copy a time in or out, in the 64-bit or the old 32-bit layout. No
 * check is made: 0 or -EFAULT. Process context (may fault).
 */
int get_timespec64(struct timespec64 *ts,
		   const struct __kernel_timespec __user *uts);
int put_timespec64(const struct timespec64 *ts,
		   struct __kernel_timespec __user *uts);
int get_old_timespec32(struct timespec64 *ts,
		       const struct timespec __user *uts);
int put_old_timespec32(const struct timespec64 *ts,
		       struct timespec __user *uts);

/*
 * Copy in a time, check it and give it in nanoseconds (saturating at
 * KTIME_MAX): 0, -EFAULT, then -EINVAL. Process context (may fault).
 */
int get_timespec64_ns(u64 *ns, const struct __kernel_timespec __user *uts);
int get_old_timespec32_ns(u64 *ns, const struct timespec __user *uts);

#endif /* _KESTREL_TIME64_H */
