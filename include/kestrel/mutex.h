/*
 * Mutexes: sleeping locks for process context. The holder may sleep
 * (allocate, wait for I/O); a contender sleeps instead of spinning.
 * Not for interrupt context. A mutex must be released by its owner.
 */
#ifndef _KESTREL_MUTEX_H
#define _KESTREL_MUTEX_H

#include <kestrel/list.h>
#include <kestrel/spinlock.h>

struct task;

struct mutex {
	spinlock_t wait_lock; /* protects owner and wait_list */
	struct task *owner; /* NULL when free */
	struct list_head wait_list; /* tasks waiting, first come first */
};

#define __MUTEX_INITIALIZER(name)                                          \
	{                                                                  \
		.wait_lock = __SPIN_LOCK_UNLOCKED(name.wait_lock),         \
		.owner = NULL, .wait_list = LIST_HEAD_INIT(name.wait_list) \
	}
#define DEFINE_MUTEX(name) struct mutex name = __MUTEX_INITIALIZER(name)

void mutex_init(struct mutex *lock);
/* Take @lock, sleeping uninterruptibly while it is held. May sleep. */
void mutex_lock(struct mutex *lock);
/* As mutex_lock(); returns -EINTR if a signal arrives first. */
int mutex_lock_interruptible(struct mutex *lock);
/* Take @lock if free; returns 1 if taken, 0 if not. Never sleeps. */
int mutex_trylock(struct mutex *lock);
/* Release @lock; the longest waiter gets it next. */
void mutex_unlock(struct mutex *lock);
bool mutex_is_locked(struct mutex *lock);
/* True when the current task holds @lock (for assertions). */
bool mutex_owned(struct mutex *lock);

#endif /* _KESTREL_MUTEX_H */
