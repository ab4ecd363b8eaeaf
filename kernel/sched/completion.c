/*
 * Completions, built on a wait queue whose lock also guards the count.
 */
#include <kestrel/completion.h>
#include <kestrel/sched.h>

void init_completion(struct completion *x)
{
	x->done = 0;
	init_waitqueue_head(&x->wait);
}

void complete(struct completion *x)
{
	unsigned long flags;

	spin_lock_irqsave(&x->wait.lock, flags);
	if (x->done != COMPLETION_ALL)
		x->done++;
	spin_unlock_irqrestore(&x->wait.lock, flags);
	wake_up(&x->wait);
}

void complete_all(struct completion *x)
{
	unsigned long flags;

	spin_lock_irqsave(&x->wait.lock, flags);
	x->done = COMPLETION_ALL;
	spin_unlock_irqrestore(&x->wait.lock, flags);
	wake_up_all(&x->wait);
}

bool try_wait_for_completion(struct completion *x)
{
	unsigned long flags;
	bool ret = false;

	spin_lock_irqsave(&x->wait.lock, flags);
	if (x->done) {
		if (x->done != COMPLETION_ALL)
			x->done--;
		ret = true;
	}
	spin_unlock_irqrestore(&x->wait.lock, flags);
	return ret;
}

bool completion_done(struct completion *x)
{
	return READ_ONCE(x->done) != 0;
}

void wait_for_completion(struct completion *x)
{
	wait_event(x->wait, try_wait_for_completion(x));
}

unsigned long wait_for_completion_timeout(struct completion *x,
					  unsigned long timeout)
{
	struct wait_queue_entry wait;
	long left = (long)timeout;
	bool done = false;

	might_sleep();
	init_wait_entry(&wait, 0);
	for (;;) {
		prepare_to_wait(&x->wait, &wait, TASK_UNINTERRUPTIBLE);
		done = try_wait_for_completion(x);
		if (done || left <= 0)
			break;
		left = schedule_timeout(left);
	}
	finish_wait(&x->wait, &wait);
	if (!done)
		return 0;
	return left > 0 ? (unsigned long)left : 1;
}
