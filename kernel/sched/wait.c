/*
 * Wait queues (see <kestrel/wait.h> for why no wake-up is lost).
 * The queue's lock is taken with interrupts off: interrupt handlers
 * wake queues.
 */
#include <kestrel/sched.h>
#include <kestrel/wait.h>

void init_waitqueue_head(struct wait_queue_head *wq)
{
	spin_lock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->head);
}

void init_wait_entry(struct wait_queue_entry *wait, unsigned int flags)
{
	wait->flags = flags;
	wait->task = current;
	INIT_LIST_HEAD(&wait->entry);
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *wait,
		     long state)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	if (list_empty(&wait->entry)) {
		/* Exclusive waiters queue behind the others (Linux order). */
		if (wait->flags & WQ_FLAG_EXCLUSIVE)
			list_add_tail(&wait->entry, &wq->head);
		else
			list_add(&wait->entry, &wq->head);
	}
	set_current_state(state);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *wait)
{
	unsigned long flags;

	set_current_state(TASK_RUNNING);
	/* Wakers leave entries queued; the sleeper removes its own. */
	spin_lock_irqsave(&wq->lock, flags);
	if (!list_empty(&wait->entry))
		list_del_init(&wait->entry);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void __wake_up(struct wait_queue_head *wq, unsigned int mode, int nr_exclusive)
{
	struct wait_queue_entry *wait, *next;
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	list_for_each_entry_safe(wait, next, &wq->head, entry) {
		if (wake_up_state(wait->task, mode) &&
		    (wait->flags & WQ_FLAG_EXCLUSIVE) && !--nr_exclusive)
			break;
	}
	spin_unlock_irqrestore(&wq->lock, flags);
}

bool waitqueue_active(struct wait_queue_head *wq)
{
	return !list_empty(&wq->head);
}
