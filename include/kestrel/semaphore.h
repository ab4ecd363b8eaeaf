/*
 * Counting semaphores: down() takes one of `count` units, sleeping when
 * none is left; up() returns one, waking the longest waiter.
 */
#ifndef _KESTREL_SEMAPHORE_H
#define _KESTREL_SEMAPHORE_H

#include <kestrel/list.h>
#include <kestrel/spinlock.h>

struct semaphore {
	spinlock_t lock; /* protects count and wait_list */
	unsigned int count;
	struct list_head wait_list;
};

void sema_init(struct semaphore *sem, unsigned int count);
/* Take a unit, sleeping uninterruptibly until one is free. */
void down(struct semaphore *sem);
/* As down(); -EINTR if a signal arrives first. */
int down_interruptible(struct semaphore *sem);
/* Take a unit if one is free: 0 if taken, 1 if not (Linux's sense). */
int down_trylock(struct semaphore *sem);
/* As down(), giving up after @timeout ticks with -ETIME. */
int down_timeout(struct semaphore *sem, long timeout);
void up(struct semaphore *sem);

#endif /* _KESTREL_SEMAPHORE_H */
