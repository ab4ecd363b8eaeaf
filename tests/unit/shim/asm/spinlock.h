/*
 * Host shim for <asm/spinlock.h>: the host tests are single-threaded, so
 * a lock is a flag. Taking a lock that is already held can only be a
 * self-deadlock in the code under test: abort loudly instead of hanging.
 */
#ifndef _SHIM_ASM_SPINLOCK_H
#define _SHIM_ASM_SPINLOCK_H

#include <stdio.h>
#include <stdlib.h>

typedef struct {
	volatile unsigned int slock; /* 1 when held */
} arch_spinlock_t;

#define __ARCH_SPIN_LOCK_UNLOCKED \
	{                         \
		0                 \
	}

static inline int arch_spin_trylock(arch_spinlock_t *lock)
{
	if (lock->slock)
		return 0;
	lock->slock = 1;
	return 1;
}

static inline void arch_spin_lock(arch_spinlock_t *lock)
{
	if (!arch_spin_trylock(lock)) {
		fprintf(stderr, "shim: spinlock %p taken twice (deadlock)\n",
			(void *)lock);
		abort();
	}
}

static inline void arch_spin_unlock(arch_spinlock_t *lock)
{
	lock->slock = 0;
}

static inline int arch_spin_is_locked(arch_spinlock_t *lock)
{
	return lock->slock != 0;
}

#endif /* _SHIM_ASM_SPINLOCK_H */
