/*
 * Spinlocks. Kestrel runs on one CPU today but its locking is written
 * for SMP: data an interrupt handler touches is guarded with
 * spin_lock_irqsave(), which disables local interrupts and then takes
 * the lock, so neither another CPU nor a handler on this one can enter.
 *
 * Holding a spinlock disables preemption: a task is never switched away
 * from while it holds one, so another task cannot spin on it.
 *
 * In a debug build every spinlock also carries a lockdep_map, and each
 * operation tells the lock validator (<kestrel/lockdep.h>): a lock is
 * announced before it is spun on, so an order that can deadlock is
 * reported before it hangs. spin_lock_init() is a macro so that each
 * call site gets its own lock class.
 */
#ifndef _KESTREL_SPINLOCK_H
#define _KESTREL_SPINLOCK_H

#include <asm/spinlock.h>
#include <kestrel/bug.h>
#include <kestrel/irqflags.h>
#include <kestrel/lockdep.h>
#include <kestrel/preempt.h>

typedef struct spinlock {
	arch_spinlock_t raw;
#ifdef CONFIG_DEBUG
	struct lockdep_map dep_map;
#endif
} spinlock_t;

#ifdef CONFIG_DEBUG
#define __SPIN_DEP_MAP_INIT(name) , .dep_map = LOCKDEP_MAP_INIT(name)
#else
#define __SPIN_DEP_MAP_INIT(name)
#endif

#define __SPIN_LOCK_UNLOCKED(name)                                         \
	{                                                                  \
		.raw = __ARCH_SPIN_LOCK_UNLOCKED __SPIN_DEP_MAP_INIT(name) \
	}

static inline void __spin_lock_init(spinlock_t *lock, const char *name,
				    struct lock_class_key *key)
{
	lock->raw = (arch_spinlock_t)__ARCH_SPIN_LOCK_UNLOCKED;
	lockdep_init_map(&lock->dep_map, name, key);
}

#define spin_lock_init(lock)                             \
	do {                                             \
		static struct lock_class_key __key;      \
		__spin_lock_init((lock), #lock, &__key); \
	} while (0)
#define DEFINE_SPINLOCK(name) spinlock_t name = __SPIN_LOCK_UNLOCKED(name)

/*
 * Take @lock as subclass @subclass of its class: for two locks of one
 * class held at once, in an order the caller guarantees (say which).
 */
static inline void spin_lock_nested(spinlock_t *lock, unsigned int subclass)
{
	preempt_disable();
	spin_acquire(&lock->dep_map, subclass, 0, _THIS_IP_);
	arch_spin_lock(&lock->raw);
}

static inline void spin_lock(spinlock_t *lock)
{
	preempt_disable();
	spin_acquire(&lock->dep_map, 0, 0, _THIS_IP_);
	arch_spin_lock(&lock->raw);
}

static inline int spin_trylock(spinlock_t *lock)
{
	preempt_disable();
	if (arch_spin_trylock(&lock->raw)) {
		spin_acquire(&lock->dep_map, 0, 1, _THIS_IP_);
		return 1;
	}
	preempt_enable();
	return 0;
}

static inline void spin_unlock(spinlock_t *lock)
{
	spin_release(&lock->dep_map, _THIS_IP_);
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

#define spin_lock_irqsave_nested(lock, flags, subclass) \
	do {                                            \
		local_irq_save(flags);                  \
		spin_lock_nested(lock, subclass);       \
	} while (0)

/* Unlock, restore interrupts, and only then allow preemption. */
#define spin_unlock_irqrestore(lock, flags)                \
	do {                                               \
		spin_release(&(lock)->dep_map, _THIS_IP_); \
		arch_spin_unlock(&(lock)->raw);            \
		local_irq_restore(flags);                  \
		preempt_enable();                          \
	} while (0)

static inline void spin_lock_irq(spinlock_t *lock)
{
	local_irq_disable();
	spin_lock(lock);
}

static inline void spin_unlock_irq(spinlock_t *lock)
{
	spin_release(&lock->dep_map, _THIS_IP_);
	arch_spin_unlock(&lock->raw);
	local_irq_enable();
	preempt_enable();
}

/*
 * Document and check a "caller holds @lock" rule: always that the lock
 * is held, and in a debug build that the current task holds it
 * (lockdep_assert_held() does only the latter, for spinlocks and
 * mutexes alike).
 */
#define assert_spin_locked(lock)               \
	do {                                   \
		BUG_ON(!spin_is_locked(lock)); \
		lockdep_assert_held(lock);     \
	} while (0)

#endif /* _KESTREL_SPINLOCK_H */
