/*
 * ktest suites for time: `timers` (the tick, the clock, delays and the
 * timer wheel) and `rtc` (calendar arithmetic and the RTC reading).
 *
 * Timing under QEMU's TCG is noisy, so every timing check is a lower
 * bound (a delay or a timer never ends early) plus an upper bound loose
 * enough to catch only a broken clock, never a slow host. Tests wait by
 * halting until the next interrupt (arch_safe_halt), tick by tick, up to
 * a deadline in jiffies. The suite's exit hook deletes every test timer,
 * so a failed case leaves nothing armed behind it.
 */
#include <kestrel/interrupt.h>
#include <kestrel/irqflags.h>
#include <kestrel/ktest.h>
#include <kestrel/math64.h>
#include <kestrel/time.h>
#include <kestrel/time64.h>
#include <kestrel/timekeeping.h>
#include <kestrel/timer.h>

#define NR_TEST_TIMERS 4
#define WHEEL_TV1_SLOTS 256 /* timer.c's first level; beyond it, cascades */
#define WAIT_SLACK HZ /* extra jiffies to wait for a timer to fire */
#define LATE_SLACK (HZ / 10) /* a timer may fire this late, no later */
#define KTIME_READS 20000
#define KTIME_MAX_READS (10 * KTIME_READS)
#define REARM_COUNT 5
#define DELAY_TEST_MS 100
#define DELAY_MAX_MS 2000 /* a 100 ms delay lasting 2 s is broken */
#define LOST_TICKS_MS 100 /* interrupts off this long: 25 ticks at HZ 250 */
#define CATCH_UP_SLACK 2 /* ticks: where the span starts and ends in one */
/* QEMU's RTC follows the host clock, which may be anywhere; a date
 * the CMOS can hold (two BCD digits and the century byte) is plausible. */
#define RTC_MIN_YEAR 1970
#define RTC_MAX_YEAR 2199
#define RTC_MAX_SKEW_SEC 5

static struct timer_list test_timer[NR_TEST_TIMERS];
static volatile unsigned int fired[NR_TEST_TIMERS];
static volatile unsigned long fired_at[NR_TEST_TIMERS];
static volatile int fire_order[NR_TEST_TIMERS];
static volatile unsigned int nr_fired;
static volatile int del_result;
static volatile bool cb_irqs_disabled, cb_in_interrupt;

static void record_fire(struct timer_list *timer)
{
	int i = timer - test_timer;

	fired[i]++;
	fired_at[i] = jiffies;
	if (nr_fired < NR_TEST_TIMERS)
		fire_order[nr_fired] = i;
	nr_fired++;
	cb_irqs_disabled = irqs_disabled();
	cb_in_interrupt = in_interrupt();
}

static void rearm_fire(struct timer_list *timer)
{
	record_fire(timer);
	if (fired[0] < REARM_COUNT)
		mod_timer(timer, jiffies + 1);
}

static void delete_other_fire(struct timer_list *timer)
{
	record_fire(timer);
	del_result = del_timer(&test_timer[1]);
}

static int timers_init(struct ktest *t)
{
	int i;

	for (i = 0; i < NR_TEST_TIMERS; i++) {
		timer_setup(&test_timer[i], record_fire, 0);
		fired[i] = 0;
		fired_at[i] = 0;
		fire_order[i] = -1;
	}
	nr_fired = 0;
	del_result = -1;
	return 0;
}

static void timers_exit(struct ktest *t)
{
	int i;

	for (i = 0; i < NR_TEST_TIMERS; i++)
		del_timer(&test_timer[i]);
}

/* Halt tick by tick until @n timers have fired or @timeout jiffies pass. */
static bool wait_nr_fired(unsigned int n, unsigned long timeout)
{
	unsigned long deadline = jiffies + timeout;

	while (nr_fired < n && time_before(jiffies, deadline))
		arch_safe_halt();
	return nr_fired >= n;
}

static void wait_jiffies(unsigned long n)
{
	unsigned long deadline = jiffies + n;

	while (time_before(jiffies, deadline))
		arch_safe_halt();
}

/* How far a measured span may fall short of a delay: clock resolution. */
static u64 clock_slack_ns(void)
{
	return tsc_khz ? NSEC_PER_USEC : TICK_NSEC;
}

static void test_jiffies_advance_at_hz(struct ktest *t)
{
	unsigned long j0 = jiffies, dj, expect;
	u64 t0 = ktime_get_ns(), dt;

	mdelay(DELAY_TEST_MS);
	dt = ktime_get_ns() - t0;
	dj = jiffies - j0;
	KT_EXPECT_GE(t, dt + clock_slack_ns(), DELAY_TEST_MS * NSEC_PER_MSEC);
	KT_EXPECT_LE(t, dt, DELAY_MAX_MS * NSEC_PER_MSEC);
	/* Ticks counted against the clock: within a factor of two. */
	expect = div_u64(dt * HZ, NSEC_PER_SEC);
	KT_EXPECT_GE(t, dj, expect / 2);
	KT_EXPECT_LE(t, dj, expect * 2 + 2);
}

static void test_ktime_monotonic(struct ktest *t)
{
	u64 first, prev, now;
	unsigned int backwards = 0;
	unsigned long j0 = jiffies;
	int i;

	first = prev = ktime_get_ns();
	/* At least KTIME_READS reads, spanning at least three ticks. */
	for (i = 0; i < KTIME_MAX_READS; i++) {
		if (i >= KTIME_READS && jiffies - j0 >= 3)
			break;
		now = ktime_get_ns();
		if (now < prev)
			backwards++;
		prev = now;
		if (i % (KTIME_READS / 4) == 0)
			arch_safe_halt(); /* let some ticks land between reads */
	}
	KT_EXPECT_EQ(t, backwards, 0);
	KT_EXPECT_GT(t, prev, first);
}

static void test_ktime_advances_with_irqs_off(struct ktest *t)
{
	unsigned long flags;
	u64 t0, t1;

	if (!tsc_khz)
		ktest_skip(t, "no TSC: the clock moves only with the tick");
	local_irq_save(flags);
	t0 = ktime_get_ns();
	udelay(200);
	t1 = ktime_get_ns();
	local_irq_restore(flags);
	KT_EXPECT_GE(t, t1 - t0, 200 * NSEC_PER_USEC);
}

/*
 * Ticks lost while interrupts are off are made up from the clock: the
 * PIC keeps one of the LOST_TICKS_MS / 4 edges of IRQ 0, and the tick it
 * delivers counts them all (Linux's lost-tick rule; before it, jiffies
 * moved by one and fell behind the clock for good).
 */
static void test_jiffies_catch_up_lost_ticks(struct ktest *t)
{
	unsigned long flags, j0, dj, expect;
	u64 t0, dt;

	if (!tsc_khz)
		ktest_skip(t, "no TSC: no clock to catch up from");
	local_irq_save(flags);
	j0 = jiffies;
	t0 = ktime_get_ns();
	mdelay(LOST_TICKS_MS);
	local_irq_restore(flags);
	wait_jiffies(1); /* the pending tick lands */
	dj = jiffies - j0;
	dt = ktime_get_ns() - t0;
	expect = div_u64(dt * HZ, NSEC_PER_SEC);
	KT_EXPECT_GE(t, dj + CATCH_UP_SLACK, expect);
	KT_EXPECT_LE(t, dj, expect + CATCH_UP_SLACK);
}

static void test_delay_lower_bounds(struct ktest *t)
{
	u64 t0, slack = clock_slack_ns();

	t0 = ktime_get_ns();
	udelay(500);
	KT_EXPECT_GE(t, ktime_get_ns() - t0 + slack, 500 * NSEC_PER_USEC);
	t0 = ktime_get_ns();
	ndelay(20000);
	KT_EXPECT_GE(t, ktime_get_ns() - t0 + slack, 20000);
	t0 = ktime_get_ns();
	mdelay(10);
	KT_EXPECT_GE(t, ktime_get_ns() - t0 + slack, 10 * NSEC_PER_MSEC);
}

static void test_msecs_jiffies_conversions(struct ktest *t)
{
	unsigned long j = jiffies; /* read first: it only grows */

	KT_EXPECT_EQ(t, msecs_to_jiffies(0), 0);
	KT_EXPECT_EQ(t, msecs_to_jiffies(1), 1); /* rounds up */
	KT_EXPECT_EQ(t, msecs_to_jiffies(MSEC_PER_SEC), HZ);
	KT_EXPECT_EQ(t, jiffies_to_msecs(HZ), MSEC_PER_SEC);
	KT_EXPECT_EQ(t, jiffies_to_msecs(msecs_to_jiffies(100)), 100);
	KT_EXPECT_GT(t, msecs_to_jiffies(~0U), 0x10000000UL);
	KT_EXPECT_GE(t, get_jiffies_64(), (u64)j);
}

/* The cap the host test cannot reach: a long has 32 bits here. */
static void test_nsecs_to_jiffies_caps(struct ktest *t)
{
	const u64 max_ns = (u64)MAX_JIFFY_OFFSET * TICK_NSEC;

	KT_EXPECT_EQ(t, nsecs_to_jiffies(1), 1); /* rounds up */
	KT_EXPECT_EQ(t, nsecs_to_jiffies(max_ns - TICK_NSEC),
		     MAX_JIFFY_OFFSET - 1);
	KT_EXPECT_EQ(t, nsecs_to_jiffies(max_ns - TICK_NSEC + 1),
		     MAX_JIFFY_OFFSET);
	KT_EXPECT_EQ(t, nsecs_to_jiffies(max_ns * 2), MAX_JIFFY_OFFSET);
	KT_EXPECT_EQ(t, nsecs_to_jiffies(KTIME_MAX), MAX_JIFFY_OFFSET);
	KT_EXPECT_EQ(t, nsecs_to_jiffies(~0ULL), MAX_JIFFY_OFFSET);
}

static void test_timer_fires_once_after_expiry(struct ktest *t)
{
	unsigned long expires = jiffies + 5;

	KT_EXPECT_EQ(t, mod_timer(&test_timer[0], expires), 0);
	KT_EXPECT_TRUE(t, timer_pending(&test_timer[0]));
	KT_ASSERT_TRUE(t, wait_nr_fired(1, 5 + WAIT_SLACK));
	KT_EXPECT_TRUE(t, time_after_eq(fired_at[0], expires));
	KT_EXPECT_TRUE(t, time_before_eq(fired_at[0], expires + LATE_SLACK));
	KT_EXPECT_FALSE(t, timer_pending(&test_timer[0]));
	wait_jiffies(10);
	KT_EXPECT_EQ(t, fired[0], 1);
}

static void test_past_expiry_fires_at_once(struct ktest *t)
{
	mod_timer(&test_timer[0], jiffies - 10);
	KT_ASSERT_TRUE(t, wait_nr_fired(1, WAIT_SLACK));
	KT_EXPECT_EQ(t, fired[0], 1);
}

static void test_timers_fire_in_expiry_order(struct ktest *t)
{
	static const unsigned long offset[NR_TEST_TIMERS] = { 8, 2, 6, 4 };
	static const int expected[NR_TEST_TIMERS] = { 1, 3, 2, 0 };
	unsigned long now = jiffies;
	int i;

	for (i = 0; i < NR_TEST_TIMERS; i++)
		mod_timer(&test_timer[i], now + offset[i]);
	KT_ASSERT_TRUE(t, wait_nr_fired(NR_TEST_TIMERS, 8 + WAIT_SLACK));
	for (i = 0; i < NR_TEST_TIMERS; i++) {
		KT_EXPECT_EQ(t, fire_order[i], expected[i]);
		KT_EXPECT_TRUE(t, time_after_eq(fired_at[i], now + offset[i]));
	}
}

static void test_del_timer(struct ktest *t)
{
	KT_EXPECT_EQ(t, del_timer(&test_timer[0]), 0); /* never armed */
	mod_timer(&test_timer[0], jiffies + 3);
	KT_EXPECT_EQ(t, del_timer(&test_timer[0]), 1);
	KT_EXPECT_FALSE(t, timer_pending(&test_timer[0]));
	KT_EXPECT_EQ(t, del_timer(&test_timer[0]), 0); /* already gone */
	wait_jiffies(8);
	KT_EXPECT_EQ(t, fired[0], 0);
}

static void test_mod_timer_rearms(struct ktest *t)
{
	unsigned long far = jiffies + 10 * HZ, near = jiffies + 3;

	mod_timer(&test_timer[0], far);
	KT_EXPECT_EQ(t, mod_timer(&test_timer[0], near), 1); /* moved */
	KT_ASSERT_TRUE(t, wait_nr_fired(1, 3 + WAIT_SLACK));
	KT_EXPECT_TRUE(t, time_after_eq(fired_at[0], near));
	KT_EXPECT_TRUE(t, time_before(fired_at[0], far));
	/* A timer that has fired is re-armed as new. */
	KT_EXPECT_EQ(t, mod_timer(&test_timer[0], jiffies + 2), 0);
	KT_ASSERT_TRUE(t, wait_nr_fired(2, 2 + WAIT_SLACK));
	KT_EXPECT_EQ(t, fired[0], 2);
}

static void test_callback_rearms_itself(struct ktest *t)
{
	timer_setup(&test_timer[0], rearm_fire, 0);
	mod_timer(&test_timer[0], jiffies + 1);
	KT_ASSERT_TRUE(t, wait_nr_fired(REARM_COUNT, REARM_COUNT + WAIT_SLACK));
	wait_jiffies(5);
	KT_EXPECT_EQ(t, fired[0], REARM_COUNT);
	KT_EXPECT_FALSE(t, timer_pending(&test_timer[0]));
}

static void test_callback_deletes_other(struct ktest *t)
{
	unsigned long expires = jiffies + 3;

	timer_setup(&test_timer[0], delete_other_fire, 0);
	mod_timer(&test_timer[0], expires); /* same jiffy; runs first */
	mod_timer(&test_timer[1], expires);
	KT_ASSERT_TRUE(t, wait_nr_fired(1, 3 + WAIT_SLACK));
	wait_jiffies(5);
	KT_EXPECT_EQ(t, del_result, 1);
	KT_EXPECT_EQ(t, fired[1], 0);
	KT_EXPECT_EQ(t, nr_fired, 1);
}

static void test_callback_context(struct ktest *t)
{
	mod_timer(&test_timer[0], jiffies + 1);
	KT_ASSERT_TRUE(t, wait_nr_fired(1, 1 + WAIT_SLACK));
	KT_EXPECT_FALSE(t, cb_irqs_disabled); /* softirq: interrupts on */
	KT_EXPECT_TRUE(t, cb_in_interrupt);
}

/* Timers beyond the first level are filed in tv2 and cascade down. */
static void test_timers_beyond_wheel(struct ktest *t)
{
	unsigned long now = jiffies;
	unsigned long e0 = now + WHEEL_TV1_SLOTS + 44;
	unsigned long e1 = now + 2 * WHEEL_TV1_SLOTS + 7;

	mod_timer(&test_timer[0], e0);
	mod_timer(&test_timer[1], e1);
	KT_ASSERT_TRUE(t, wait_nr_fired(2, e1 - now + WAIT_SLACK));
	KT_EXPECT_TRUE(t, time_after_eq(fired_at[0], e0));
	KT_EXPECT_TRUE(t, time_before_eq(fired_at[0], e0 + LATE_SLACK));
	KT_EXPECT_TRUE(t, time_after_eq(fired_at[1], e1));
	KT_EXPECT_TRUE(t, time_before_eq(fired_at[1], e1 + LATE_SLACK));
	KT_EXPECT_EQ(t, fire_order[0], 0);
}

static struct ktest_case timer_cases[] = {
	KTEST_CASE(test_jiffies_advance_at_hz),
	KTEST_CASE(test_ktime_monotonic),
	KTEST_CASE(test_ktime_advances_with_irqs_off),
	KTEST_CASE(test_jiffies_catch_up_lost_ticks),
	KTEST_CASE(test_delay_lower_bounds),
	KTEST_CASE(test_msecs_jiffies_conversions),
	KTEST_CASE(test_nsecs_to_jiffies_caps),
	KTEST_CASE(test_timer_fires_once_after_expiry),
	KTEST_CASE(test_past_expiry_fires_at_once),
	KTEST_CASE(test_timers_fire_in_expiry_order),
	KTEST_CASE(test_del_timer),
	KTEST_CASE(test_mod_timer_rearms),
	KTEST_CASE(test_callback_rearms_itself),
	KTEST_CASE(test_callback_deletes_other),
	KTEST_CASE(test_callback_context),
	KTEST_CASE(test_timers_beyond_wheel),
	{},
};
KTEST_SUITE_FULL(timers, timer_cases, timers_init, timers_exit);

/* ---- rtc ---------------------------------------------------------- */

static void test_mktime64_known_dates(struct ktest *t)
{
	KT_EXPECT_EQ(t, mktime64(1970, 1, 1, 0, 0, 0), 0);
	KT_EXPECT_EQ(t, mktime64(1999, 12, 31, 23, 59, 59), 946684799);
	KT_EXPECT_EQ(t, mktime64(2000, 2, 29, 0, 0, 0), 951782400);
	KT_EXPECT_EQ(t, mktime64(2038, 1, 19, 3, 14, 8), 2147483648LL);
	KT_EXPECT_EQ(t, mktime64(2100, 3, 1, 0, 0, 0), 4107542400LL);
}

static bool valid(unsigned int y, unsigned int mo, unsigned int d,
		  unsigned int h, unsigned int mi, unsigned int s)
{
	struct rtc_time tm = { y, mo, d, h, mi, s };

	return rtc_time_valid(&tm);
}

static void test_rtc_time_valid(struct ktest *t)
{
	KT_EXPECT_TRUE(t, valid(2026, 11, 22, 1, 23, 45));
	KT_EXPECT_TRUE(t, valid(2000, 2, 29, 0, 0, 0)); /* 400-year leap */
	KT_EXPECT_TRUE(t, valid(2024, 2, 29, 23, 59, 59));
	KT_EXPECT_FALSE(t, valid(2100, 2, 29, 0, 0, 0)); /* century */
	KT_EXPECT_FALSE(t, valid(2023, 2, 29, 0, 0, 0));
	KT_EXPECT_FALSE(t, valid(2026, 13, 1, 0, 0, 0));
	KT_EXPECT_FALSE(t, valid(2026, 0, 1, 0, 0, 0));
	KT_EXPECT_FALSE(t, valid(2026, 4, 31, 0, 0, 0));
	KT_EXPECT_FALSE(t, valid(2026, 1, 0, 0, 0, 0));
	KT_EXPECT_FALSE(t, valid(2026, 1, 1, 24, 0, 0));
	KT_EXPECT_FALSE(t, valid(2026, 1, 1, 0, 60, 0));
	KT_EXPECT_FALSE(t, valid(2026, 1, 1, 0, 0, 60));
}

static void test_rtc_plausible(struct ktest *t)
{
	struct rtc_time tm;
	s64 rtc, real;

	KT_ASSERT_EQ(t, arch_rtc_read_time(&tm), 0);
	KT_EXPECT_GE(t, tm.year, RTC_MIN_YEAR);
	KT_EXPECT_LE(t, tm.year, RTC_MAX_YEAR);
	rtc = mktime64(tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec);
	real = ktime_get_real_seconds();
	KT_EXPECT_GE(t, real, mktime64(RTC_MIN_YEAR, 1, 1, 0, 0, 0));
	KT_EXPECT_LE(t, rtc - real, RTC_MAX_SKEW_SEC);
	KT_EXPECT_LE(t, real - rtc, RTC_MAX_SKEW_SEC);
}

static struct ktest_case rtc_cases[] = {
	KTEST_CASE(test_mktime64_known_dates),
	KTEST_CASE(test_rtc_time_valid),
	KTEST_CASE(test_rtc_plausible),
	{},
};
KTEST_SUITE(rtc, rtc_cases);
