/*
 * Host unit test of kernel/time/time.c, the pure part of timekeeping.
 * Calendar conversions are checked against known dates and, exhaustively
 * for every day from 1970 to 2199, against a day-by-day count; the
 * jiffies conversions for their rounding.
 */
#include <kestrel/time.h>
#include <kestrel/timekeeping.h>
#include <stdint.h>
#include <stdlib.h>

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

int main(void)
{
	ktap_plan(4);
	ktap_result(test_known_dates(), "mktime64_known_dates");
	ktap_result(test_every_day(), "mktime64_every_day_1970_2199");
	ktap_result(test_invalid_fields(), "rtc_time_valid_rejects");
	ktap_result(test_jiffies_conversions(), "msecs_jiffies_round_trip");
	return ktap_finish();
}
