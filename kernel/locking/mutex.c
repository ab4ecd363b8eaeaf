/*
 * Mutexes. A free mutex is taken with one test under its wait_lock. A
 * contended one queues the task and sleeps; mutex_unlock() hands the
 * mutex directly to the longest waiter (setting it as owner before
 * waking it), so waiters are served in order and none can be overtaken
 * forever.
 *
 * Every way of taking a mutex may sleep, and says so with might_sleep()
 * (even a free mutex: the rule must not depend on luck). The validator
 * is told before the task queues, so an order that can deadlock is
 * reported before it does.
 */
#include <kestrel/bug.h>
#include <kestrel/errno.h>
#include <kestrel/mutex.h>
#include <kestrel/sched.h>

struct mutex_waiter {
	struct list_head list;
	struct task *task;
};

void __mutex_init(struct mutex *lock, const char *name,
		  struct lock_class_key *key)
{
	spin_lock_init(&lock->wait_lock);
	lock->owner = NULL;
	INIT_LIST_HEAD(&lock->wait_list);
	lockdep_init_map(&lock->dep_map, name, key);
}

/* Sleep until the mutex is handed to us, or a signal (interruptible). */
static int mutex_wait(struct mutex *lock, struct mutex_waiter *waiter,
		      long state)
{
	for (;;) {
		set_current_state(state);
		if (lock->owner == current)
			break;
		if ((state & TASK_INTERRUPTIBLE) && signal_pending(current)) {
			list_del(&waiter->list);
			set_current_state(TASK_RUNNING);
			return -EINTR;
		}
		spin_unlock(&lock->wait_lock);
		schedule();
		spin_lock(&lock->wait_lock);
	}
	set_current_state(TASK_RUNNING);
	return 0;
}

static int __mutex_lock(struct mutex *lock, long state, unsigned int subclass,
			unsigned long ip)
{
	struct mutex_waiter waiter;
	int ret = 0;

	might_sleep();
	WARN_ON(lock->owner == current); /* recursive locking deadlocks */
	mutex_acquire(&lock->dep_map, subclass, 0, ip);
	spin_lock(&lock->wait_lock);
	if (!lock->owner) {
		lock->owner = current;
	} else {
		waiter.task = current;
		list_add_tail(&waiter.list, &lock->wait_list);
		ret = mutex_wait(lock, &waiter, state);
	}
	spin_unlock(&lock->wait_lock);
	if (ret)
		mutex_release(&lock->dep_map, ip);
	return ret;
}

void mutex_lock(struct mutex *lock)
{
	__mutex_lock(lock, TASK_UNINTERRUPTIBLE, 0, _RET_IP_);
}

void mutex_lock_nested(struct mutex *lock, unsigned int subclass)
{
	__mutex_lock(lock, TASK_UNINTERRUPTIBLE, subclass, _RET_IP_);
}

int mutex_lock_interruptible(struct mutex *lock)
{
	return __mutex_lock(lock, TASK_INTERRUPTIBLE, 0, _RET_IP_);
}

int mutex_trylock(struct mutex *lock)
{
	int taken = 0;

	spin_lock(&lock->wait_lock);
	if (!lock->owner) {
		lock->owner = current;
		taken = 1;
	}
	spin_unlock(&lock->wait_lock);
	if (taken)
		mutex_acquire(&lock->dep_map, 0, 1, _RET_IP_);
	return taken;
}

void mutex_unlock(struct mutex *lock)
{
	struct mutex_waiter *waiter;

	mutex_release(&lock->dep_map, _RET_IP_);
	spin_lock(&lock->wait_lock);
	WARN_ON(lock->owner != current);
	waiter = list_first_entry_or_null(&lock->wait_list, struct mutex_waiter,
					  list);
	if (waiter) {
		list_del(&waiter->list);
		lock->owner = waiter->task; /* hand-off */
		wake_up_process(waiter->task);
	} else {
		lock->owner = NULL;
	}
	spin_unlock(&lock->wait_lock);
}

bool mutex_is_locked(struct mutex *lock)
{
	return READ_ONCE(lock->owner) != NULL;
}

bool mutex_owned(struct mutex *lock)
{
	return READ_ONCE(lock->owner) == current;
}
