/*
 * Time structures and clock ids as the Linux i386 ABI shows them: the
 * 32-bit struct timespec and timeval of the original calls, the 64-bit
 * struct __kernel_timespec of the *_time64 calls (403-423), timezone,
 * itimerval/itimerspec, struct tms, the CLOCK_* ids and ITIMER_* timers.
 * Copied from Linux's include/uapi/linux/time.h, time_types.h and times.h;
 * they are facts of the ABI and must not change.
 */
#ifndef _UAPI_TIME_H
#define _UAPI_TIME_H

#include <kestrel/types.h>

/* The 32-bit time_t of the i386 ABI: seconds since the epoch. */
struct timespec {
	s32 tv_sec;
	s32 tv_nsec;
};
_Static_assert(sizeof(struct timespec) == 8, "i386 struct timespec");

struct timeval {
	s32 tv_sec;
	s32 tv_usec;
};
_Static_assert(sizeof(struct timeval) == 8, "i386 struct timeval");

/* The y2038-safe timespec of clock_gettime64() and friends. */
struct __kernel_timespec {
	s64 tv_sec;
	s64 tv_nsec;
};
_Static_assert(sizeof(struct __kernel_timespec) == 16, "__kernel_timespec");

struct __kernel_itimerspec {
	struct __kernel_timespec it_interval;
	struct __kernel_timespec it_value;
};

struct timezone {
	int tz_minuteswest;
	int tz_dsttime;
};
_Static_assert(sizeof(struct timezone) == 8, "struct timezone");

struct itimerspec {
	struct timespec it_interval;
	struct timespec it_value;
};
_Static_assert(sizeof(struct itimerspec) == 16, "i386 struct itimerspec");

struct itimerval {
	struct timeval it_interval;
	struct timeval it_value;
};
_Static_assert(sizeof(struct itimerval) == 16, "i386 struct itimerval");

/* times(): clock_t is a long (32 bits on i386), in USER_HZ ticks. */
struct tms {
	s32 tms_utime;
	s32 tms_stime;
	s32 tms_cutime;
	s32 tms_cstime;
};
_Static_assert(sizeof(struct tms) == 16, "i386 struct tms");

/* The clock of times() and AT_CLKTCK, whatever the kernel's HZ. */
#define USER_HZ 100

/* setitimer()/getitimer() which. */
#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF 2

/* Clock ids. */
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_REALTIME_ALARM 8
#define CLOCK_BOOTTIME_ALARM 9
#define CLOCK_TAI 11
#define MAX_CLOCKS 16

/* clock_nanosleep()/timer_settime() flag. */
#define TIMER_ABSTIME 0x01

#endif /* _UAPI_TIME_H */
