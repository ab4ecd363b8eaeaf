/*
 * The lock validator (Linux's lockdep, in small): debug builds only.
 *
 * Every lock belongs to a class: the place it was initialised. A
 * spin_lock_init() or mutex_init() call site declares a static struct
 * lock_class_key, and every lock initialised there shares its class
 * (all inodes' i_mutex are one class, as they are one rule in
 * docs/locking.md). A lock defined statically (DEFINE_SPINLOCK) is a
 * class of its own. The class is named by the init site's text,
 * "&rq->lock" or "tasklist_lock".
 *
 * Each task keeps a small stack of the locks it holds. When it takes a
 * lock of class B while holding one of class A, the validator records
 * the edge A -> B with a backtrace, once. If B could already reach A
 * through the recorded edges, the two orders can deadlock: it reports
 * both backtraces (kernel/locking/lockdep.c). The order need not ever
 * deadlock in a run to be caught: it is enough that each half ran once.
 *
 * Two locks of one class taken together (two futex buckets, a parent
 * and a child directory) need a subclass, taken with spin_lock_nested()
 * or mutex_lock_nested(): the subclass makes a class of its own, and
 * the code says why that nesting is safe.
 *
 * In a release build (DEBUG=0) every hook here compiles to nothing and
 * the locks carry no map.
 */
#ifndef _KESTREL_LOCKDEP_H
#define _KESTREL_LOCKDEP_H

#include <kestrel/bug.h>
#include <kestrel/compiler.h>
#include <kestrel/types.h>

/* A lock class's identity: the address of a static key (no bytes in a
 * release build, where nothing looks at it). */
struct lock_class_key {
#ifdef CONFIG_DEBUG
	char unused;
#endif
};

/* The address of the code being run: where a lock was taken. */
#define _THIS_IP_                        \
	({                               \
		__label__ __here;        \
__here:                                  \
		(unsigned long)&&__here; \
	})
#define _RET_IP_ ((unsigned long)__builtin_return_address(0))

#define LOCKDEP_MAX_SUBCLASSES 8
#define SINGLE_DEPTH_NESTING 1 /* the subclass of the inner of two */

#ifdef CONFIG_DEBUG

/*
 * What a lock carries for the validator. @key NULL: a statically
 * defined lock, whose own address is its key.
 */
struct lockdep_map {
	struct lock_class_key *key;
	const char *name; /* the init site's text */
	unsigned short class_idx; /* subclass 0's class; 0 until first use */
};

#define LOCKDEP_MAP_INIT(lockname) \
	{                          \
		.name = #lockname  \
	}

/* One lock the task holds: where it was taken, and in what context. */
struct held_lock {
	struct lockdep_map *map;
	unsigned long ip;
	unsigned short class_idx;
	unsigned char irq_context; /* 0 task, 1 softirq, 2 hardirq */
	unsigned char trylock;
};

#define MAX_HELD_LOCKS 24

/* Per task (struct task.lockdep): the locks it holds, innermost last. */
struct task_lockdep {
	unsigned int depth;
	unsigned int recursion; /* inside the validator: do not track */
	struct held_lock held[MAX_HELD_LOCKS];
};

void lockdep_init_map(struct lockdep_map *map, const char *name,
		      struct lock_class_key *key);
/* @map is being taken (before it is: a deadlock is reported first). */
void lock_acquire(struct lockdep_map *map, unsigned int subclass, int trylock,
		  unsigned long ip);
void lock_release(struct lockdep_map *map, unsigned long ip);
/* Does the current task hold @map? True when the validator is off. */
bool lock_is_held(const struct lockdep_map *map);
/* How many problems the validator has reported (for ktest). */
unsigned int lockdep_report_count(void);
/* Print the locks the current task holds (oops, might_sleep). */
void lockdep_print_held_locks(void);

/*
 * Leave @l out of the order checks (it is still tracked, for
 * lockdep_assert_held()): for locks whose nesting no class rule can
 * describe. Say why at each use.
 */
extern struct lock_class_key __lockdep_no_validate__;
#define lockdep_set_novalidate_class(l)                     \
	lockdep_init_map(&(l)->dep_map, "(no validate)" #l, \
			 &__lockdep_no_validate__)

/* The names the lock types use, after Linux's. */
#define spin_acquire(map, sub, try, ip) lock_acquire(map, sub, try, ip)
#define spin_release(map, ip) lock_release(map, ip)
#define mutex_acquire(map, sub, try, ip) lock_acquire(map, sub, try, ip)
#define mutex_release(map, ip) lock_release(map, ip)

/*
 * Check a "caller holds @l" rule: @l is a spinlock_t or a struct mutex,
 * held by the current task. Warns once per call site.
 */
#define lockdep_assert_held(l) WARN_ON_ONCE(!lock_is_held(&(l)->dep_map))
#define lockdep_assert_not_held(l) WARN_ON_ONCE(lock_is_held(&(l)->dep_map))

#else /* !CONFIG_DEBUG */

struct task_lockdep {};

/* No map, no class: the arguments are not even evaluated. */
#define lockdep_init_map(map, name, key) ((void)0)
#define lockdep_set_novalidate_class(l) ((void)(l))
#define spin_acquire(map, sub, try, ip) ((void)0)
#define spin_release(map, ip) ((void)0)
#define mutex_acquire(map, sub, try, ip) ((void)0)
#define mutex_release(map, ip) ((void)0)

static inline void lockdep_print_held_locks(void)
{
}

#define lockdep_assert_held(l) ((void)(l))
#define lockdep_assert_not_held(l) ((void)(l))

#endif /* CONFIG_DEBUG */

#endif /* _KESTREL_LOCKDEP_H */
