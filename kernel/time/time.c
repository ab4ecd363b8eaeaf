/*
 * Pure time arithmetic: converting between milliseconds or nanoseconds
 * and jiffies, nanoseconds and clock_t, nanoseconds and the timespec64
 * and timeval of system calls, and between calendar dates and Unix time.
 * Nothing here touches hardware or shared state, so the same file is
 * compiled into the host unit test (tests/unit/test_time.c).
 *
 * The calendar code counts days in years that begin on 1 March. That
 * puts the leap day at the very end of the year, so the months before
 * it have a fixed length pattern (31 30 31 30 31 31 30 31 30 31 31 ..)
 * whose running total is the linear formula (153 * m + 2) / 5, with
 * m = 0 for March. No month table and no leap-year test is needed to
 * turn a date into a day number: the leap days are just y/4 - y/100 +
 * y/400 for the years before.
 */
#include <kestrel/math64.h>
#include <kestrel/time.h>
#include <kestrel/time64.h>
#include <kestrel/timekeeping.h>
#include <uapi/time.h>

#define SECS_PER_MIN 60
#define MINS_PER_HOUR 60
#define HOURS_PER_DAY 24
#define DAYS_PER_YEAR 365
#define MONTHS_PER_YEAR 12

/* Day number of 1970-01-01 counted from 0000-03-01 with days_since_0(). */
#define DAYS_0000_03_01_TO_EPOCH 719468

/**
 * msecs_to_jiffies - the number of ticks that covers @ms milliseconds
 *
 * Rounds up, so a timeout is never shorter than asked. Values of 2^31
 * ms and more give MAX_JIFFY_OFFSET ("forever"). Context: any.
 */
unsigned long msecs_to_jiffies(unsigned int ms)
{
	unsigned int sec = ms / MSEC_PER_SEC, rest = ms % MSEC_PER_SEC;

	if ((int)ms < 0)
		return MAX_JIFFY_OFFSET;
	/* Whole seconds exactly, the rest rounded up: 32-bit arithmetic. */
	return sec * HZ + (rest * HZ + MSEC_PER_SEC - 1) / MSEC_PER_SEC;
}

/**
 * jiffies_to_msecs - the length of @j ticks in milliseconds
 *
 * Truncates when a tick is not a whole number of milliseconds; wraps
 * like unsigned arithmetic for spans of more than 2^32 ms. Context: any.
 */
unsigned int jiffies_to_msecs(unsigned long j)
{
	return j / HZ * MSEC_PER_SEC + j % HZ * MSEC_PER_SEC / HZ;
}

/**
 * nsecs_to_jiffies - the number of ticks that covers @ns nanoseconds
 *
 * Rounds up, like msecs_to_jiffies(), so a sleep is never shorter than
 * asked; spans of MAX_JIFFY_OFFSET ticks and more give MAX_JIFFY_OFFSET.
 * Context: any.
 */
unsigned long nsecs_to_jiffies(u64 ns)
{
	u32 rem;
	u64 j = div_u64_rem(ns, TICK_NSEC, &rem) + (rem != 0);

	return j >= MAX_JIFFY_OFFSET ? MAX_JIFFY_OFFSET : (unsigned long)j;
}

/* Truncated, as Linux's nsec_to_clock_t(): times() never runs ahead. */
unsigned long nsec_to_clock_t(u64 ns)
{
	return (unsigned long)div_u64(ns, NSEC_PER_SEC / USER_HZ);
}

struct timespec64 ns_to_timespec64(u64 ns)
{
	struct timespec64 ts;
	u32 rem;

	ts.tv_sec = (s64)div_u64_rem(ns, NSEC_PER_SEC, &rem);
	ts.tv_nsec = (long)rem;
	return ts;
}

struct timeval ns_to_timeval(u64 ns)
{
	struct timespec64 ts = ns_to_timespec64(ns);
	struct timeval tv;

	tv.tv_sec = (s32)ts.tv_sec;
	tv.tv_usec = (s32)(ts.tv_nsec / (long)NSEC_PER_USEC);
	return tv;
}

/* Days from 0000-03-01 to the given date (proleptic Gregorian). */
static u32 days_since_0(unsigned int year, unsigned int mon, unsigned int mday)
{
	/* Make March month 0 and January/February the end of last year. */
	if (mon <= 2) {
		year -= 1;
		mon += MONTHS_PER_YEAR - 3;
	} else {
		mon -= 3;
	}
	return DAYS_PER_YEAR * year + year / 4 - year / 100 + year / 400 +
	       (153 * mon + 2) / 5 + mday - 1;
}

s64 mktime64(unsigned int year, unsigned int mon, unsigned int mday,
	     unsigned int hour, unsigned int min, unsigned int sec)
{
	s64 days =
		(s64)days_since_0(year, mon, mday) - DAYS_0000_03_01_TO_EPOCH;

	return ((days * HOURS_PER_DAY + hour) * MINS_PER_HOUR + min) *
		       SECS_PER_MIN +
	       sec;
}

static bool is_leap_year(unsigned int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static unsigned int days_in_month(unsigned int year, unsigned int mon)
{
	static const unsigned char days[MONTHS_PER_YEAR] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};

	if (mon == 2 && is_leap_year(year))
		return days[1] + 1;
	return days[mon - 1];
}

bool rtc_time_valid(const struct rtc_time *tm)
{
	if (tm->mon < 1 || tm->mon > MONTHS_PER_YEAR)
		return false;
	if (tm->mday < 1 || tm->mday > days_in_month(tm->year, tm->mon))
		return false;
	return tm->hour < HOURS_PER_DAY && tm->min < MINS_PER_HOUR &&
	       tm->sec < SECS_PER_MIN;
}
