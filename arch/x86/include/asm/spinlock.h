/*
 * The x86 spinlock: a test-and-test-and-set loop on an xchg, which is
 * atomic across CPUs (SDM vol. 3, 9.1.2.1: xchg with memory is locked).
 * `pause` in the spin loop is the hint Intel asks for.
 */
#ifndef _ASM_X86_SPINLOCK_H
#define _ASM_X86_SPINLOCK_H

typedef struct {
	volatile unsigned int slock; /* 1 when held */
} arch_spinlock_t;

#define __ARCH_SPIN_LOCK_UNLOCKED \
	{                         \
		0                 \
	}

static inline int arch_spin_trylock(arch_spinlock_t *lock)
{
	unsigned int old = 1;

	__asm__ __volatile__("xchgl %0, %1"
			     : "+r"(old), "+m"(lock->slock)
			     :
			     : "memory");
	return old == 0;
}

static inline void arch_spin_lock(arch_spinlock_t *lock)
{
	while (!arch_spin_trylock(lock)) {
		while (lock->slock)
			__asm__ __volatile__("pause" : : : "memory");
	}
}

static inline void arch_spin_unlock(arch_spinlock_t *lock)
{
	__asm__ __volatile__("" : : : "memory");
	lock->slock = 0;
}

static inline int arch_spin_is_locked(arch_spinlock_t *lock)
{
	return lock->slock != 0;
}

#endif /* _ASM_X86_SPINLOCK_H */
