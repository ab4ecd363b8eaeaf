/*
 * ktest suite "irq": request_irq()/free_irq() argument checking and
 * sharing rules, and real interrupts end to end: the CMOS RTC's periodic
 * interrupt (IRQ 8, on the slave 8259) is switched on, two handlers
 * share the line, and both must run for every interrupt.
 */
#include <asm/cmos.h>
#include <asm/irqflags.h>
#include <kestrel/errno.h>
#include <kestrel/interrupt.h>
#include <kestrel/ktest.h>
#include <kestrel/time.h>

#define TEST_IRQ_FREE_LINE 5 /* unused on QEMU's pc machine */
#define RTC_RATE_1024HZ 6 /* register A rate select: 32768 >> (6-1) */
#define WAIT_TICKS (HZ / 2) /* generous: emulation is slow */
#define WANTED_INTERRUPTS 8

struct counter {
	volatile unsigned int calls;
};

static irqreturn_t count_none(int irq, void *dev_id)
{
	struct counter *c = dev_id;

	c->calls++;
	return IRQ_NONE;
}

/* The RTC's handler: reading register C acknowledges the interrupt. */
static irqreturn_t count_rtc(int irq, void *dev_id)
{
	struct counter *c = dev_id;
	u8 status;

	spin_lock(&cmos_lock);
	status = cmos_read(RTC_REG_C);
	spin_unlock(&cmos_lock);
	if (!(status & RTC_IRQF))
		return IRQ_NONE;
	c->calls++;
	return IRQ_HANDLED;
}

static void rtc_periodic(bool on)
{
	unsigned long flags;
	u8 b;

	spin_lock_irqsave(&cmos_lock, flags);
	if (on)
		cmos_write(RTC_REG_A, (cmos_read(RTC_REG_A) & ~RTC_RATE_MASK) |
					      RTC_RATE_1024HZ);
	b = cmos_read(RTC_REG_B);
	cmos_write(RTC_REG_B, on ? (b | RTC_PIE) : (b & ~RTC_PIE));
	cmos_read(RTC_REG_C); /* clear anything pending */
	spin_unlock_irqrestore(&cmos_lock, flags);
}

/* Sleep in hlt until *@calls reaches @n or the deadline passes. */
static void wait_calls(volatile unsigned int *calls, unsigned int n)
{
	unsigned long deadline = jiffies + WAIT_TICKS;

	while (*calls < n && time_before(jiffies, deadline))
		arch_safe_halt();
}

static void test_bad_arguments(struct ktest *t)
{
	struct counter c = { 0 };

	KT_EXPECT_EQ(t, request_irq(NR_IRQS, count_none, 0, "t", &c), -EINVAL);
	KT_EXPECT_EQ(t, request_irq(TEST_IRQ_FREE_LINE, NULL, 0, "t", &c),
		     -EINVAL);
	KT_EXPECT_EQ(t,
		     request_irq(TEST_IRQ_FREE_LINE, count_none, IRQF_SHARED,
				 "t", NULL),
		     -EINVAL);
}

static void test_sharing_rules(struct ktest *t)
{
	struct counter a = { 0 }, b = { 0 };
	int line = TEST_IRQ_FREE_LINE;

	KT_ASSERT_EQ(t, request_irq(line, count_none, 0, "a", &a), 0);
	KT_EXPECT_EQ(t, request_irq(line, count_none, 0, "b", &b), -EBUSY);
	KT_EXPECT_EQ(t, request_irq(line, count_none, IRQF_SHARED, "b", &b),
		     -EBUSY);
	free_irq(line, &a);

	KT_ASSERT_EQ(t, request_irq(line, count_none, IRQF_SHARED, "a", &a), 0);
	KT_EXPECT_EQ(t, request_irq(line, count_none, 0, "b", &b), -EBUSY);
	KT_EXPECT_EQ(t, request_irq(line, count_none, IRQF_SHARED, "b", &b), 0);
	free_irq(line, &b);
	free_irq(line, &a);
	/* Freeing what is not installed warns and changes nothing. */
	free_irq(line, &a);
	KT_EXPECT_EQ(t, request_irq(line, count_none, 0, "a", &a), 0);
	free_irq(line, &a);
}

static void test_timer_interrupts_counted(struct ktest *t)
{
	unsigned long before = kstat_irqs(0);

	mdelay(50);
	KT_EXPECT_GT(t, kstat_irqs(0), before);
}

static void test_shared_rtc_interrupt(struct ktest *t)
{
	struct counter none = { 0 }, rtc = { 0 };
	unsigned long before = kstat_irqs(RTC_IRQ);

	KT_ASSERT_EQ(t,
		     request_irq(RTC_IRQ, count_none, IRQF_SHARED, "ktest-none",
				 &none),
		     0);
	KT_ASSERT_EQ(t,
		     request_irq(RTC_IRQ, count_rtc, IRQF_SHARED, "ktest-rtc",
				 &rtc),
		     0);
	rtc_periodic(true);
	wait_calls(&rtc.calls, WANTED_INTERRUPTS);
	rtc_periodic(false);
	free_irq(RTC_IRQ, &rtc);
	free_irq(RTC_IRQ, &none);

	KT_EXPECT_GE(t, rtc.calls, WANTED_INTERRUPTS);
	/* Every interrupt ran both handlers of the shared line. */
	KT_EXPECT_GE(t, none.calls, rtc.calls);
	KT_EXPECT_GE(t, kstat_irqs(RTC_IRQ) - before, rtc.calls);
}

static void test_disable_irq_blocks(struct ktest *t)
{
	struct counter rtc = { 0 };
	unsigned int seen;

	KT_ASSERT_EQ(t, request_irq(RTC_IRQ, count_rtc, 0, "ktest-rtc", &rtc),
		     0);
	disable_irq(RTC_IRQ);
	rtc_periodic(true);
	mdelay(30);
	seen = rtc.calls;
	enable_irq(RTC_IRQ);
	wait_calls(&rtc.calls, seen + WANTED_INTERRUPTS);
	rtc_periodic(false);
	free_irq(RTC_IRQ, &rtc);

	KT_EXPECT_EQ(t, seen, 0);
	KT_EXPECT_GE(t, rtc.calls, WANTED_INTERRUPTS);
}

static struct ktest_case irq_cases[] = {
	KTEST_CASE(test_bad_arguments),
	KTEST_CASE(test_sharing_rules),
	KTEST_CASE(test_timer_interrupts_counted),
	KTEST_CASE(test_shared_rtc_interrupt),
	KTEST_CASE(test_disable_irq_blocks),
	{},
};
KTEST_SUITE(irq, irq_cases);
