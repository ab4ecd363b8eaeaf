/*
 * Host unit test of kernel/time/time.c, the pure part of timekeeping.
 * Calendar conversions are checked against known dates and, exhaustively
 * for every day from 1970 to 2199, against a day-by-day count; the
 * jiffies and clock_t conversions for their rounding; the timespec and
 * timeval checks of <kestrel/time64.h> at the edges of their ranges.
 *
 * (No <stdlib.h> here: glibc's would define struct timespec and timeval
 * again, and these are the kernel's, from include/uapi/time.h.)
 */
#include <kestrel/time.h>
#include <kestrel/time64.h>
#include <kestrel/timekeeping.h>
#include <stdint.h>

#include "ktap.h"

#define SECS_PER_DAY 86400
#define LAST_YEAR 2199

static bool leap(unsigned int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned int month_days(unsigned int y, unsigned int m)
{
	static const unsigned int d[12] = { 31, 28, 31, 30, 31, 30,
					    31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : d[m - 1];
}

static bool test_known_dates(void)
{
	bool ok = true;

	ktap_check(ok, mktime64(1970, 1, 1, 0, 0, 0) == 0, "epoch");
	ktap_check(ok, mktime64(2000, 2, 29, 0, 0, 0) == 951782400, "2000");
	ktap_check(ok, mktime64(2038, 1, 19, 3, 14, 8) == 2147483648LL, "2038");
	ktap_check(ok, mktime64(2100, 3, 1, 0, 0, 0) == 4107542400LL, "2100");
	ktap_check(ok, mktime64(2026, 11, 22, 1, 23, 45) == 1795310625LL,
		   "2026");
	return ok;
}

/* Check every day of month @m of year @y; @day is its first's number. */
static bool check_month(unsigned int y, unsigned int m, int64_t day)
{
	struct rtc_time past = { y, m, month_days(y, m) + 1, 0, 0, 0 };
	bool ok = true;
	unsigned int d;

	for (d = 1; d <= month_days(y, m); d++, day++) {
		struct rtc_time tm = { y, m, d, 23, 59, 59 };

		ktap_check(ok, mktime64(y, m, d, 0, 0, 0) == day * SECS_PER_DAY,
			   "%u-%u-%u", y, m, d);
		ktap_check(ok, rtc_time_valid(&tm), "%u-%u-%u", y, m, d);
	}
	ktap_check(ok, !rtc_time_valid(&past), "%u-%u past the end", y, m);
	return ok;
}

/* Walk every day, counting, and compare with mktime64 and validity. */
static bool test_every_day(void)
{
	int64_t day = 0;
	unsigned int y, m;
	bool ok = true;

	for (y = 1970; y <= LAST_YEAR && ok; y++) {
		for (m = 1; m <= 12 && ok; m++) {
			ok = check_month(y, m, day);
			day += month_days(y, m);
		}
	}
	return ok;
}

static bool test_invalid_fields(void)
{
	struct rtc_time bad[] = {
		{ 2026, 13, 1, 0, 0, 0 }, { 2026, 0, 1, 0, 0, 0 },
		{ 2026, 1, 0, 0, 0, 0 },  { 2026, 1, 1, 24, 0, 0 },
		{ 2026, 1, 1, 0, 60, 0 }, { 2026, 1, 1, 0, 0, 60 },
		{ 2100, 2, 29, 0, 0, 0 },
	};
	bool ok = true;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ktap_check(ok, !rtc_time_valid(&bad[i]), "case %zu", i);
	return ok;
}

static bool test_jiffies_conversions(void)
{
	unsigned int ms;
	bool ok = true;

	for (ms = 0; ms < 100000; ms++) {
		unsigned long j = msecs_to_jiffies(ms);

		/* Rounded up: j ticks cover ms, j - 1 do not. */
		ktap_check(ok, (uint64_t)j * MSEC_PER_SEC >= (uint64_t)ms * HZ,
			   "ms %u", ms);
		ktap_check(ok,
			   j == 0 || (uint64_t)(j - 1) * MSEC_PER_SEC <
					     (uint64_t)ms * HZ,
			   "ms %u", ms);
		ktap_check(ok, jiffies_to_msecs(j) >= ms, "ms %u", ms);
	}
	ktap_check(ok, msecs_to_jiffies(0x80000000U) > 0x10000000UL, "max");
	ktap_check(ok, jiffies_to_msecs(HZ) == MSEC_PER_SEC, "1 s");
	return ok;
}

/* Rounded up: j ticks cover ns, j - 1 do not. (The cap at
 * MAX_JIFFY_OFFSET is the ktest's: a host long has 64 bits.) */
static bool test_nsecs_to_jiffies(void)
{
	static const uint64_t edges[] = {
		0,
		1,
		TICK_NSEC - 1,
		TICK_NSEC,
		TICK_NSEC + 1,
		NSEC_PER_SEC,
		NSEC_PER_SEC + 1,
		KTIME_MAX,
		UINT64_MAX,
	};
	bool ok = true;
	uint64_t ns;
	size_t i;

	for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		unsigned long j = nsecs_to_jiffies(edges[i]);

		ns = edges[i];
		ktap_check(ok, j == ns / TICK_NSEC + (ns % TICK_NSEC != 0),
			   "ns %llu: %lu", (unsigned long long)ns, j);
	}
	for (ns = 0; ns < 3 * TICK_NSEC; ns += 997) {
		unsigned long j = nsecs_to_jiffies(ns);

		ktap_check(ok, (uint64_t)j * TICK_NSEC >= ns, "ns %llu",
			   (unsigned long long)ns);
		ktap_check(ok, j == 0 || (uint64_t)(j - 1) * TICK_NSEC < ns,
			   "ns %llu", (unsigned long long)ns);
	}
	ktap_check(ok, nsecs_to_jiffies(NSEC_PER_SEC) == HZ, "1 s");
	return ok;
}

static bool test_nsec_to_clock_t(void)
{
	const uint64_t clock_t_ns = NSEC_PER_SEC / USER_HZ;
	bool ok = true;

	ktap_check(ok, nsec_to_clock_t(0) == 0, "0");
	ktap_check(ok, nsec_to_clock_t(clock_t_ns - 1) == 0, "truncates");
	ktap_check(ok, nsec_to_clock_t(clock_t_ns) == 1, "one tick");
	ktap_check(ok, nsec_to_clock_t(NSEC_PER_SEC) == USER_HZ, "1 s");
	ktap_check(ok, nsec_to_clock_t(3600 * NSEC_PER_SEC + 1) == 360000,
		   "1 h");
	return ok;
}

static bool ts_valid(int64_t sec, long nsec)
{
	struct timespec64 ts = { sec, nsec };

	return timespec64_valid(&ts);
}

static uint64_t ts_ns(int64_t sec, long nsec)
{
	struct timespec64 ts = { sec, nsec };

	return timespec64_to_ns(&ts);
}

static bool test_timespec64(void)
{
	bool ok = true;

	ktap_check(ok, ts_valid(0, 0), "0");
	ktap_check(ok, ts_valid(0, 999999999), "10^9 - 1 ns");
	ktap_check(ok, ts_valid(INT64_MAX, 0), "the largest");
	ktap_check(ok, !ts_valid(0, -1), "tv_nsec -1");
	ktap_check(ok, !ts_valid(0, 1000000000), "tv_nsec 10^9");
	ktap_check(ok, !ts_valid(-1, 0), "tv_sec -1");
	ktap_check(ok, !ts_valid(INT64_MIN, 0), "tv_sec INT64_MIN");
	ktap_check(ok, ts_ns(1, 5) == 1000000005, "1 s 5 ns");
	ktap_check(ok,
		   ts_ns(KTIME_SEC_MAX - 1, 999999999) ==
			   (uint64_t)KTIME_SEC_MAX * NSEC_PER_SEC - 1,
		   "just below the saturation");
	ktap_check(ok, ts_ns(KTIME_SEC_MAX, 0) == KTIME_MAX, "saturates");
	ktap_check(ok, ts_ns(INT64_MAX, 999999999) == KTIME_MAX,
		   "INT64_MAX s saturates");
	return ok;
}

static bool ns_round_trip(uint64_t ns)
{
	struct timespec64 ts = ns_to_timespec64(ns);

	return timespec64_valid(&ts) && timespec64_to_ns(&ts) == ns;
}

static bool test_ns_to_timespec64(void)
{
	struct timespec64 ts = ns_to_timespec64(KTIME_MAX);
	bool ok = true;

	ktap_check(ok, ns_round_trip(0), "0");
	ktap_check(ok, ns_round_trip(999999999), "10^9 - 1");
	ktap_check(ok, ns_round_trip(NSEC_PER_SEC), "10^9");
	ktap_check(ok,
		   ns_round_trip((uint64_t)KTIME_SEC_MAX * NSEC_PER_SEC - 1),
		   "the last before saturation");
	/* The last second below KTIME_MAX saturates, as in Linux. */
	ktap_check(ok, timespec64_to_ns(&ts) == KTIME_MAX, "KTIME_MAX");
	ktap_check(ok, ts.tv_sec == 9223372036 && ts.tv_nsec == 854775807,
		   "KTIME_MAX: %lld.%09ld", (long long)ts.tv_sec, ts.tv_nsec);
	return ok;
}

static bool tv_valid(int32_t sec, int32_t usec)
{
	struct timeval tv = { sec, usec };

	return timeval_valid(&tv);
}

static bool test_timeval(void)
{
	struct timeval big = { INT32_MAX, 999999 };
	struct timeval tv = ns_to_timeval(NSEC_PER_SEC + 1999);
	bool ok = true;

	ktap_check(ok, tv_valid(0, 0), "0");
	ktap_check(ok, tv_valid(0, 999999), "10^6 - 1 us");
	ktap_check(ok, !tv_valid(0, -1), "tv_usec -1");
	ktap_check(ok, !tv_valid(0, 1000000), "tv_usec 10^6");
	ktap_check(ok, !tv_valid(-1, 0), "tv_sec -1");
	ktap_check(ok,
		   timeval_to_ns(&big) ==
			   (uint64_t)INT32_MAX * NSEC_PER_SEC + 999999000,
		   "the largest");
	ktap_check(ok, tv.tv_sec == 1 && tv.tv_usec == 1, "truncates: %d.%06d",
		   tv.tv_sec, tv.tv_usec);
	tv = ns_to_timeval(timeval_to_ns(&big));
	ktap_check(ok, tv.tv_sec == INT32_MAX && tv.tv_usec == 999999,
		   "round trip");
	return ok;
}

int main(void)
{
	ktap_plan(9);
	ktap_result(test_known_dates(), "mktime64_known_dates");
	ktap_result(test_every_day(), "mktime64_every_day_1970_2199");
	ktap_result(test_invalid_fields(), "rtc_time_valid_rejects");
	ktap_result(test_jiffies_conversions(), "msecs_jiffies_round_trip");
	ktap_result(test_nsecs_to_jiffies(), "nsecs_to_jiffies_rounds_up");
	ktap_result(test_nsec_to_clock_t(), "nsec_to_clock_t_truncates");
	ktap_result(test_timespec64(), "timespec64_valid_and_saturation");
	ktap_result(test_ns_to_timespec64(), "ns_to_timespec64_round_trip");
	ktap_result(test_timeval(), "timeval_valid_and_truncation");
	return ktap_finish();
}
