/*
 * Spinlocks. Kestrel runs on one CPU today but its locking is written
 * for SMP: data an interrupt handler touches is guarded with
 * spin_lock_irqsave(), which disables local interrupts and then takes
 * the lock, so neither another CPU nor a handler on this one can enter.
 *
 * Holding a spinlock disables preemption: a task is never switched away
 * from while it holds one, so another task cannot spin on it.
 */
#ifndef _KESTREL_SPINLOCK_H
#define _KESTREL_SPINLOCK_H

#include <asm/spinlock.h>
#include <kestrel/bug.h>
#include <kestrel/irqflags.h>
#include <kestrel/preempt.h>

typedef struct spinlock {
	arch_spinlock_t raw;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(name)               \
	{                                        \
		.raw = __ARCH_SPIN_LOCK_UNLOCKED \
	}
#define DEFINE_SPINLOCK(name) spinlock_t name = __SPIN_LOCK_UNLOCKED(name)

static inline void spin_lock_init(spinlock_t *lock)
{
	*lock = (spinlock_t)__SPIN_LOCK_UNLOCKED(*lock);
}

static inline void spin_lock(spinlock_t *lock)
{
	preempt_disable();
	arch_spin_lock(&lock->raw);
}

static inline int spin_trylock(spinlock_t *lock)
{
	preempt_disable();
	if (arch_spin_trylock(&lock->raw))
		return 1;
	preempt_enable();
	return 0;
}

static inline void spin_unlock(spinlock_t *lock)
{
	arch_spin_unlock(&lock->raw);
	preempt_enable();
}

static inline int spin_is_locked(spinlock_t *lock)
{
	return arch_spin_is_locked(&lock->raw);
}

#define spin_lock_irqsave(lock, flags) \
	do {                           \
		local_irq_save(flags); \
		spin_lock(lock);       \
	} while (0)

/* Unlock, restore interrupts, and only then allow preemption. */
#define spin_unlock_irqrestore(lock, flags)     \
	do {                                    \
		arch_spin_unlock(&(lock)->raw); \
		local_irq_restore(flags);       \
		preempt_enable();               \
	} while (0)

static inline void spin_lock_irq(spinlock_t *lock)
{
	local_irq_disable();
	spin_lock(lock);
}

static inline void spin_unlock_irq(spinlock_t *lock)
{
	arch_spin_unlock(&lock->raw);
	local_irq_enable();
	preempt_enable();
}

/* Document and check a "caller holds @lock" rule. */
#define assert_spin_locked(lock) BUG_ON(!spin_is_locked(lock))

#endif /* _KESTREL_SPINLOCK_H */
