/*
 * ktest suite "locking": mutexes under contention between kernel
 * threads, semaphores, completions, wait queues.
 */
#include <kestrel/completion.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/ktest.h>
#include <kestrel/kthread.h>
#include <kestrel/mutex.h>
#include <kestrel/sched.h>
#include <kestrel/semaphore.h>
#include <kestrel/time.h>
#include <kestrel/wait.h>

#define NR_WORKERS 4
#define ROUNDS 200

struct shared_counter {
	struct mutex lock;
	unsigned long value;
	bool overlap; /* two threads were inside at once */
	int inside;
	struct completion done;
	atomic_t running;
};

static int counter_fn(void *data)
{
	struct shared_counter *c = data;
	unsigned long v;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		mutex_lock(&c->lock);
		if (c->inside++)
			c->overlap = true;
		v = c->value;
		if (i % 16 == 0)
			yield(); /* hold the mutex across a switch */
		c->value = v + 1;
		c->inside--;
		mutex_unlock(&c->lock);
	}
	if (atomic_dec_and_test(&c->running))
		complete(&c->done);
	return 0;
}

static void test_mutex_excludes(struct ktest *t)
{
	static struct shared_counter c;
	int i;

	mutex_init(&c.lock);
	c.value = 0;
	c.overlap = false;
	c.inside = 0;
	atomic_set(&c.running, NR_WORKERS);
	init_completion(&c.done);
	for (i = 0; i < NR_WORKERS; i++)
		KT_ASSERT_TRUE(
			t, !IS_ERR(kthread_run(counter_fn, &c, "ktest-mtx")));
	wait_for_completion(&c.done);
	KT_EXPECT_EQ(t, c.value, NR_WORKERS * ROUNDS);
	KT_EXPECT_FALSE(t, c.overlap);
	KT_EXPECT_FALSE(t, mutex_is_locked(&c.lock));
}

static void test_mutex_trylock(struct ktest *t)
{
	struct mutex m;

	mutex_init(&m);
	KT_EXPECT_EQ(t, mutex_trylock(&m), 1);
	KT_EXPECT_TRUE(t, mutex_owned(&m));
	KT_EXPECT_EQ(t, mutex_trylock(&m), 0);
	mutex_unlock(&m);
	KT_EXPECT_FALSE(t, mutex_is_locked(&m));
	KT_EXPECT_EQ(t, mutex_lock_interruptible(&m), 0);
	mutex_unlock(&m);
}

static int completer_fn(void *data)
{
	complete(data);
	return 0;
}

static void test_completion(struct ktest *t)
{
	struct completion c;

	init_completion(&c);
	KT_EXPECT_FALSE(t, try_wait_for_completion(&c));
	KT_ASSERT_TRUE(t, !IS_ERR(kthread_run(completer_fn, &c, "ktest-cmp")));
	wait_for_completion(&c);
	KT_EXPECT_FALSE(t, completion_done(&c)); /* the pass was taken */
	KT_EXPECT_EQ(t, wait_for_completion_timeout(&c, 5), 0);
	complete_all(&c);
	KT_EXPECT_GT(t, wait_for_completion_timeout(&c, 5), 0);
	KT_EXPECT_TRUE(t, try_wait_for_completion(&c));
}

static void test_semaphore(struct ktest *t)
{
	struct semaphore s;

	sema_init(&s, 2);
	down(&s);
	KT_EXPECT_EQ(t, down_interruptible(&s), 0);
	KT_EXPECT_EQ(t, down_trylock(&s), 1);
	KT_EXPECT_EQ(t, down_timeout(&s, 3), -ETIME);
	up(&s);
	KT_EXPECT_EQ(t, down_trylock(&s), 0);
	up(&s);
	up(&s);
}

struct flag_waiter {
	struct wait_queue_head wq;
	volatile int flag;
	volatile int seen;
};

static int flag_wait_fn(void *data)
{
	struct flag_waiter *w = data;

	wait_event(w->wq, w->flag);
	w->seen = 1;
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static void test_wait_event(struct ktest *t)
{
	struct flag_waiter w = { .flag = 0, .seen = 0 };
	struct task *task;
	unsigned long deadline;

	init_waitqueue_head(&w.wq);
	task = kthread_run(flag_wait_fn, &w, "ktest-wq");
	KT_ASSERT_TRUE(t, !IS_ERR(task));
	schedule_timeout_uninterruptible(5);
	KT_EXPECT_EQ(t, w.seen, 0); /* still waiting */
	w.flag = 1;
	wake_up(&w.wq);
	deadline = jiffies + HZ;
	while (!w.seen && time_before(jiffies, deadline))
		schedule_timeout_uninterruptible(1);
	KT_EXPECT_EQ(t, w.seen, 1);
	kthread_stop(task);
}

static struct ktest_case locking_cases[] = {
	KTEST_CASE(test_mutex_excludes), KTEST_CASE(test_mutex_trylock),
	KTEST_CASE(test_completion),	 KTEST_CASE(test_semaphore),
	KTEST_CASE(test_wait_event),	 {},
};
KTEST_SUITE(locking, locking_cases);
