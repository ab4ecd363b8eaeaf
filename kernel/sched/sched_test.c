/*
 * ktest suite "sched": kernel threads, the O(1) scheduler's ordering
 * (priority, the expired array behind sched_yield), fairness between
 * equal nice levels, nice levels' share, and sleeping with timeouts.
 *
 * Ordering tests create their threads first, then wake them all with
 * preemption disabled, so that every one is queued before any runs,
 * and wait on a completion so that the test's own thread is not
 * runnable while they run.
 */
#include <kestrel/completion.h>
#include <kestrel/err.h>
#include <kestrel/ktest.h>
#include <kestrel/kthread.h>
#include <kestrel/sched.h>
#include <kestrel/time.h>

#define LOG_MAX 16

struct order_log {
	char entries[LOG_MAX];
	unsigned int n;
	atomic_t running; /* threads not finished yet */
	struct completion all_done;
};

struct order_thread {
	struct order_log *log;
	char tag;
	bool yield_once;
};

static void log_append(struct order_log *log, char tag)
{
	if (log->n < LOG_MAX - 1)
		log->entries[log->n++] = tag;
}

static int order_fn(void *data)
{
	struct order_thread *ot = data;

	log_append(ot->log, ot->tag);
	if (ot->yield_once) {
		yield();
		log_append(ot->log, ot->tag);
	}
	if (atomic_dec_and_test(&ot->log->running))
		complete(&ot->log->all_done);
	return 0;
}

/* Create one thread per @ots entry with nice @nices[i], start all. */
static bool run_ordered(struct order_thread *ots, const long *nices,
			unsigned int n, struct order_log *log)
{
	struct task *tasks[4];
	unsigned int i;

	init_completion(&log->all_done);
	atomic_set(&log->running, (int)n);
	for (i = 0; i < n; i++) {
		ots[i].log = log;
		tasks[i] = kthread_create(order_fn, &ots[i], "ktest-order");
		if (IS_ERR(tasks[i]))
			return false;
		set_user_nice(tasks[i], nices[i]);
	}
	preempt_disable();
	for (i = 0; i < n; i++)
		wake_up_process(tasks[i]);
	preempt_enable();
	wait_for_completion(&log->all_done);
	return true;
}

static int stoppable_fn(void *data)
{
	int *started = data;

	*started = 1;
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 42;
}

static void test_kthread_stop_returns_result(struct ktest *t)
{
	int started = 0;
	struct task *task = kthread_run(stoppable_fn, &started, "ktest-stop");

	KT_ASSERT_TRUE(t, !IS_ERR(task));
	while (!READ_ONCE(started))
		schedule_timeout_uninterruptible(1);
	KT_EXPECT_EQ(t, kthread_stop(task), 42);
}

static void test_priority_order(struct ktest *t)
{
	struct order_thread ots[3] = { { .tag = 'L' },
				       { .tag = 'M' },
				       { .tag = 'H' } };
	static const long nices[3] = { 10, 0, -10 };
	struct order_log log = { .n = 0 };

	KT_ASSERT_TRUE(t, run_ordered(ots, nices, 3, &log));
	log.entries[log.n] = '\0';
	/* Highest priority first, whatever the wake-up order. */
	KT_EXPECT_EQ(t, log.n, 3);
	KT_EXPECT_EQ(t, log.entries[0], 'H');
	KT_EXPECT_EQ(t, log.entries[1], 'M');
	KT_EXPECT_EQ(t, log.entries[2], 'L');
}

/*
 * 2.5 sched_yield: the high-priority thread yields and goes to the
 * expired array, so the low-priority one runs before it runs again.
 * A plain requeue at its own priority would give "HHL".
 */
static void test_yield_moves_to_expired(struct ktest *t)
{
	struct order_thread ots[2] = { { .tag = 'H', .yield_once = true },
				       { .tag = 'L' } };
	static const long nices[2] = { -10, 10 };
	struct order_log log = { .n = 0 };

	KT_ASSERT_TRUE(t, run_ordered(ots, nices, 2, &log));
	KT_EXPECT_EQ(t, log.n, 3);
	KT_EXPECT_EQ(t, log.entries[0], 'H');
	KT_EXPECT_EQ(t, log.entries[1], 'L');
	KT_EXPECT_EQ(t, log.entries[2], 'H');
}

struct hog {
	volatile bool stop;
	volatile unsigned long loops;
	struct task *task;
};

static int hog_fn(void *data)
{
	struct hog *h = data;

	while (!h->stop)
		h->loops++;
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

/* Run two CPU hogs with the given nice levels for @ms; return in @out
 * the CPU time (ns) each got. */
static bool run_hogs(const long nice[2], unsigned int ms, u64 out[2])
{
	struct hog hogs[2] = { { 0 }, { 0 } };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		hogs[i].task = kthread_create(hog_fn, &hogs[i], "ktest-hog");
		if (IS_ERR(hogs[i].task))
			return false;
		set_user_nice(hogs[i].task, nice[i]);
	}
	for (i = 0; i < 2; i++)
		wake_up_process(hogs[i].task);
	schedule_timeout_uninterruptible(msecs_to_jiffies(ms));
	for (i = 0; i < 2; i++)
		hogs[i].stop = true;
	for (i = 0; i < 2; i++) {
		out[i] = hogs[i].task->sum_exec_runtime;
		kthread_stop(hogs[i].task);
	}
	return true;
}

static void test_fairness_equal_nice(struct ktest *t)
{
	static const long nices[2] = { 0, 0 };
	u64 ns[2], total;

	KT_ASSERT_TRUE(t, run_hogs(nices, 600, ns));
	total = ns[0] + ns[1];
	KT_ASSERT_GT(t, total, 0);
	/* Each got at least a quarter: equal slices, one per round. */
	KT_EXPECT_GT(t, ns[0] * 4, total);
	KT_EXPECT_GT(t, ns[1] * 4, total);
}

static void test_nice_gets_smaller_share(struct ktest *t)
{
	static const long nices[2] = { 0, 10 };
	u64 ns[2];

	KT_ASSERT_TRUE(t, run_hogs(nices, 600, ns));
	/* nice 0: 100 ms slices; nice 10: 48 ms. */
	KT_EXPECT_GT(t, ns[0], ns[1]);
}

static void test_schedule_timeout_sleeps(struct ktest *t)
{
	unsigned long start = jiffies;
	long left = schedule_timeout_uninterruptible(10);

	KT_EXPECT_EQ(t, left, 0);
	KT_EXPECT_GE(t, (long)(jiffies - start), 10);
}

/* A wake-up between "I'm going to sleep" and schedule() is not lost. */
static void test_early_wakeup_not_lost(struct ktest *t)
{
	unsigned long start = jiffies;

	set_current_state(TASK_INTERRUPTIBLE);
	wake_up_process(current);
	schedule();
	KT_EXPECT_EQ(t, current->state, TASK_RUNNING);
	KT_EXPECT_LT(t, (long)(jiffies - start), HZ);
}

static struct ktest_case sched_cases[] = {
	KTEST_CASE(test_kthread_stop_returns_result),
	KTEST_CASE(test_priority_order),
	KTEST_CASE(test_yield_moves_to_expired),
	KTEST_CASE(test_fairness_equal_nice),
	KTEST_CASE(test_nice_gets_smaller_share),
	KTEST_CASE(test_schedule_timeout_sleeps),
	KTEST_CASE(test_early_wakeup_not_lost),
	{},
};
KTEST_SUITE(sched, sched_cases);
