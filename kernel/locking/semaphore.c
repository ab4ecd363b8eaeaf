/*
 * Counting semaphores. up() with waiters hands its unit straight to the
 * first of them (marking it `granted`), as mutex_unlock() does: no
 * newcomer can take it in between.
 *
 * The lock validator does not track semaphores (Linux's does not
 * either): one task may down() and another up(), so a semaphore has no
 * holder to put in an order. down() still checks might_sleep().
 */
#include <kestrel/errno.h>
#include <kestrel/sched.h>
#include <kestrel/semaphore.h>

struct semaphore_waiter {
	struct list_head list;
	struct task *task;
	bool granted;
};

void sema_init(struct semaphore *sem, unsigned int count)
{
	spin_lock_init(&sem->lock);
	sem->count = count;
	INIT_LIST_HEAD(&sem->wait_list);
}

/* Caller holds sem->lock with interrupts off; returns with it held. */
static int __down(struct semaphore *sem, long state, long timeout)
{
	struct semaphore_waiter waiter = { .task = current };

	lockdep_assert_held(&sem->lock);
	list_add_tail(&waiter.list, &sem->wait_list);
	for (;;) {
		if ((state & TASK_INTERRUPTIBLE) && signal_pending(current))
			goto interrupted;
		if (timeout <= 0)
			goto timed_out;
		set_current_state(state);
		spin_unlock_irq(&sem->lock);
		timeout = schedule_timeout(timeout);
		spin_lock_irq(&sem->lock);
		if (waiter.granted)
			return 0;
	}
timed_out:
	list_del(&waiter.list);
	return -ETIME;
interrupted:
	list_del(&waiter.list);
	return -EINTR;
}

static int down_common(struct semaphore *sem, long state, long timeout)
{
	unsigned long flags;
	int ret = 0;

	might_sleep();
	spin_lock_irqsave(&sem->lock, flags);
	if (sem->count > 0)
		sem->count--;
	else
		ret = __down(sem, state, timeout);
	spin_unlock_irqrestore(&sem->lock, flags);
	return ret;
}

void down(struct semaphore *sem)
{
	down_common(sem, TASK_UNINTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
}

int down_interruptible(struct semaphore *sem)
{
	return down_common(sem, TASK_INTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
}

int down_timeout(struct semaphore *sem, long timeout)
{
	return down_common(sem, TASK_UNINTERRUPTIBLE, timeout);
}

int down_trylock(struct semaphore *sem)
{
	unsigned long flags;
	int busy = 1;

	spin_lock_irqsave(&sem->lock, flags);
	if (sem->count > 0) {
		sem->count--;
		busy = 0;
	}
	spin_unlock_irqrestore(&sem->lock, flags);
	return busy;
}

void up(struct semaphore *sem)
{
	struct semaphore_waiter *waiter;
	unsigned long flags;

	spin_lock_irqsave(&sem->lock, flags);
	waiter = list_first_entry_or_null(&sem->wait_list,
					  struct semaphore_waiter, list);
	if (waiter) {
		list_del(&waiter->list);
		waiter->granted = true;
		wake_up_process(waiter->task);
	} else {
		sem->count++;
	}
	spin_unlock_irqrestore(&sem->lock, flags);
}
