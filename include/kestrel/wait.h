/*
 * Wait queues: a list of tasks sleeping until something happens.
 *
 * The sleeper and the waker agree on a condition. The sleeper marks
 * itself sleeping *before* it tests the condition, and the waker makes
 * the condition true *before* it wakes the queue; so a wake-up that
 * comes between the test and schedule() finds the task already marked
 * and puts it back to running, and no wake-up is lost:
 *
 *	sleeper                         waker
 *	prepare_to_wait(q, &w, state)   data->ready = 1;
 *	if (!data->ready)               wake_up(q);
 *		schedule();
 *	finish_wait(q, &w);
 *
 * wait_event() and wait_event_interruptible() wrap that loop.
 */
#ifndef _KESTREL_WAIT_H
#define _KESTREL_WAIT_H

#include <kestrel/list.h>
#include <kestrel/spinlock.h>

struct task;

struct wait_queue_head {
	spinlock_t lock; /* protects head */
	struct list_head head; /* of struct wait_queue_entry */
};

#define WQ_FLAG_EXCLUSIVE 0x01 /* wake_up() wakes one exclusive waiter */

struct wait_queue_entry {
	unsigned int flags;
	struct task *task;
	struct list_head entry;
};

#define __WAIT_QUEUE_HEAD_INITIALIZER(name)              \
	{                                                \
		.lock = __SPIN_LOCK_UNLOCKED(name.lock), \
		.head = LIST_HEAD_INIT(name.head)        \
	}
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

void init_waitqueue_head(struct wait_queue_head *wq);

/* Initialise @wait for the current task. */
void init_wait_entry(struct wait_queue_entry *wait, unsigned int flags);

/*
 * Queue @wait (if not queued) and set the current task's state to
 * @state (TASK_INTERRUPTIBLE or TASK_UNINTERRUPTIBLE).
 */
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *wait,
		     long state);
/* Set the task running again and dequeue @wait. */
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *wait);

/*
 * Wake tasks sleeping on @wq: every non-exclusive waiter and at most
 * @nr_exclusive exclusive ones (0: all). Any context, IRQs included.
 */
void __wake_up(struct wait_queue_head *wq, unsigned int mode, int nr_exclusive);

#define wake_up(wq) __wake_up(wq, TASK_NORMAL, 1)
#define wake_up_all(wq) __wake_up(wq, TASK_NORMAL, 0)
#define wake_up_interruptible(wq) __wake_up(wq, TASK_INTERRUPTIBLE, 1)
#define wake_up_interruptible_all(wq) __wake_up(wq, TASK_INTERRUPTIBLE, 0)

bool waitqueue_active(struct wait_queue_head *wq);

/* Sleep until @cond is true. Uninterruptible. May sleep. */
#define wait_event(wq, cond)                                                   \
	do {                                                                   \
		struct wait_queue_entry __wait;                                \
		might_sleep();                                                 \
		init_wait_entry(&__wait, 0);                                   \
		for (;;) {                                                     \
			prepare_to_wait(&(wq), &__wait, TASK_UNINTERRUPTIBLE); \
			if (cond)                                              \
				break;                                         \
			schedule();                                            \
		}                                                              \
		finish_wait(&(wq), &__wait);                                   \
	} while (0)

/*
 * Sleep until @cond is true or a signal arrives. Evaluates to 0, or
 * -ERESTARTSYS when a signal interrupted the sleep. May sleep.
 */
#define wait_event_interruptible(wq, cond)                                   \
	({                                                                   \
		struct wait_queue_entry __wait;                              \
		int __ret = 0;                                               \
		might_sleep();                                               \
		init_wait_entry(&__wait, 0);                                 \
		for (;;) {                                                   \
			prepare_to_wait(&(wq), &__wait, TASK_INTERRUPTIBLE); \
			if (cond)                                            \
				break;                                       \
			if (signal_pending(current)) {                       \
				__ret = -ERESTARTSYS;                        \
				break;                                       \
			}                                                    \
			schedule();                                          \
		}                                                            \
		finish_wait(&(wq), &__wait);                                 \
		__ret;                                                       \
	})

#endif /* _KESTREL_WAIT_H */
