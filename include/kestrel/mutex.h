/*
 * Mutexes: sleeping locks for process context. The holder may sleep
 * (allocate, wait for I/O); a contender sleeps instead of spinning.
 * Not for interrupt context. A mutex must be released by its owner.
 *
 * The owner field is what mutex_owned() reads; in a debug build a mutex
 * also carries a lockdep_map for the lock validator, and mutex_init()
 * is a macro so that each call site gets its own lock class.
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
#ifdef CONFIG_DEBUG
	struct lockdep_map dep_map;
#endif
};

#ifdef CONFIG_DEBUG
#define __MUTEX_DEP_MAP_INIT(name) , .dep_map = LOCKDEP_MAP_INIT(name)
#else
#define __MUTEX_DEP_MAP_INIT(name)
#endif

#define __MUTEX_INITIALIZER(name)                                  \
	{                                                          \
		.wait_lock = __SPIN_LOCK_UNLOCKED(name.wait_lock), \
		.owner = NULL,                                     \
		.wait_list = LIST_HEAD_INIT(name.wait_list)        \
			__MUTEX_DEP_MAP_INIT(name)                 \
	}
#define DEFINE_MUTEX(name) struct mutex name = __MUTEX_INITIALIZER(name)

void __mutex_init(struct mutex *lock, const char *name,
		  struct lock_class_key *key);
#define mutex_init(lock)                             \
	do {                                         \
		static struct lock_class_key __key;  \
		__mutex_init((lock), #lock, &__key); \
	} while (0)
/* Take @lock, sleeping uninterruptibly while it is held. May sleep. */
void mutex_lock(struct mutex *lock);
/*
 * As mutex_lock(), as subclass @subclass of @lock's class: for two
 * mutexes of one class held at once (a parent directory and a child),
 * in an order the caller guarantees.
 */
void mutex_lock_nested(struct mutex *lock, unsigned int subclass);
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
