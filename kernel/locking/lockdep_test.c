/*
 * ktest suite "lockdep": the lock validator and might_sleep() catch
 * what they are for. Each case breaks a rule on purpose, with locks of
 * its own (so the classes are fresh), and checks that exactly one report
 * was counted; the report itself is in the log, to read. Debug builds
 * only, like the validator.
 */
#include <kestrel/ktest.h>
#include <kestrel/lockdep.h>
#include <kestrel/mutex.h>
#include <kestrel/spinlock.h>

static DEFINE_SPINLOCK(test_lock_a);
static DEFINE_SPINLOCK(test_lock_b);
static DEFINE_SPINLOCK(test_irq_lock_c);
static DEFINE_SPINLOCK(test_irq_lock_d);
static DEFINE_MUTEX(test_mutex_1);
static DEFINE_MUTEX(test_mutex_2);
static DEFINE_MUTEX(test_mutex_3);

/* A then B, later B then A: two CPUs doing one each would deadlock. */
static void test_abba_inversion(struct ktest *t)
{
	unsigned int before = lockdep_report_count();

	spin_lock(&test_lock_a);
	spin_lock(&test_lock_b);
	spin_unlock(&test_lock_b);
	spin_unlock(&test_lock_a);
	KT_EXPECT_EQ(t, lockdep_report_count(), before);

	spin_lock(&test_lock_b);
	spin_lock(&test_lock_a); /* reported here, before it could spin */
	spin_unlock(&test_lock_a);
	spin_unlock(&test_lock_b);
	KT_EXPECT_EQ(t, lockdep_report_count(), before + 1);

	spin_lock(&test_lock_b); /* the same inversion: not reported again */
	spin_lock(&test_lock_a);
	spin_unlock(&test_lock_a);
	spin_unlock(&test_lock_b);
	KT_EXPECT_EQ(t, lockdep_report_count(), before + 1);
}

/* The irqsave forms are tracked like the plain ones. */
static void test_irqsave_inversion(struct ktest *t)
{
	unsigned int before = lockdep_report_count();
	unsigned long f1, f2;

	spin_lock_irqsave(&test_irq_lock_c, f1);
	spin_lock_irqsave(&test_irq_lock_d, f2);
	spin_unlock_irqrestore(&test_irq_lock_d, f2);
	spin_unlock_irqrestore(&test_irq_lock_c, f1);
	spin_lock_irq(&test_irq_lock_d);
	spin_lock(&test_irq_lock_c);
	spin_unlock(&test_irq_lock_c);
	spin_unlock_irq(&test_irq_lock_d);
	KT_EXPECT_EQ(t, lockdep_report_count(), before + 1);
}

/* 1 -> 2 and 2 -> 3 are fine; 3 -> 1 closes a cycle of three. */
static void test_mutex_cycle_of_three(struct ktest *t)
{
	unsigned int before = lockdep_report_count();

	mutex_lock(&test_mutex_1);
	mutex_lock(&test_mutex_2);
	mutex_unlock(&test_mutex_2);
	mutex_unlock(&test_mutex_1);
	mutex_lock(&test_mutex_2);
	mutex_lock(&test_mutex_3);
	mutex_unlock(&test_mutex_3);
	mutex_unlock(&test_mutex_2);
	KT_EXPECT_EQ(t, lockdep_report_count(), before);
	mutex_lock(&test_mutex_3);
	mutex_lock(&test_mutex_1);
	mutex_unlock(&test_mutex_1);
	mutex_unlock(&test_mutex_3);
	KT_EXPECT_EQ(t, lockdep_report_count(), before + 1);
}

static void init_pair(spinlock_t *pair)
{
	int i;

	for (i = 0; i < 2; i++)
		spin_lock_init(&pair[i]); /* one site: one class for both */
}

/* Two locks of one class: a subclass says the nesting is meant. */
static void test_same_class_nesting(struct ktest *t)
{
	unsigned int before = lockdep_report_count();
	spinlock_t pair[2];

	init_pair(pair);
	spin_lock(&pair[0]);
	spin_lock_nested(&pair[1], SINGLE_DEPTH_NESTING);
	spin_unlock(&pair[1]);
	spin_unlock(&pair[0]);
	KT_EXPECT_EQ(t, lockdep_report_count(), before);
	spin_lock(&pair[0]);
	spin_lock(&pair[1]); /* no subclass: "recursive locking" */
	spin_unlock(&pair[1]);
	spin_unlock(&pair[0]);
	KT_EXPECT_EQ(t, lockdep_report_count(), before + 1);
}

static void test_assert_held(struct ktest *t)
{
	KT_EXPECT_FALSE(t, lock_is_held(&test_lock_a.dep_map));
	spin_lock(&test_lock_a);
	KT_EXPECT_TRUE(t, lock_is_held(&test_lock_a.dep_map));
	KT_EXPECT_FALSE(t, lock_is_held(&test_lock_b.dep_map));
	spin_unlock(&test_lock_a);
	KT_EXPECT_FALSE(t, lock_is_held(&test_lock_a.dep_map));
	mutex_lock(&test_mutex_1);
	KT_EXPECT_TRUE(t, lock_is_held(&test_mutex_1.dep_map));
	mutex_unlock(&test_mutex_1);
	KT_EXPECT_FALSE(t, lock_is_held(&test_mutex_1.dep_map));
}

static void test_might_sleep_under_spinlock(struct ktest *t)
{
	unsigned int before = might_sleep_report_count();

	might_sleep(); /* process context, nothing held: fine */
	KT_EXPECT_EQ(t, might_sleep_report_count(), before);
	spin_lock(&test_lock_a);
	might_sleep();
	spin_unlock(&test_lock_a);
	KT_EXPECT_EQ(t, might_sleep_report_count(), before + 1);
}

static struct ktest_case lockdep_cases[] = {
	KTEST_CASE(test_abba_inversion),
	KTEST_CASE(test_irqsave_inversion),
	KTEST_CASE(test_mutex_cycle_of_three),
	KTEST_CASE(test_same_class_nesting),
	KTEST_CASE(test_assert_held),
	KTEST_CASE(test_might_sleep_under_spinlock),
	{},
};
KTEST_SUITE(lockdep, lockdep_cases);
