/*
 * IDA: an allocator of small integer IDs (Linux's names, simpler code).
 *
 * Every place that numbers objects from a small range asks an IDA: PIDs
 * (kernel/pid.c), anonymous device minors (fs/super.c), pty indices
 * (fs/devpts). Two orders are offered:
 *
 *   ida_alloc_range()   the lowest free ID in [min, max]: numbers are
 *                       reused at once (device minors, pty indices);
 *   ida_alloc_cyclic()  the lowest free ID after the last one handed
 *                       out, wrapping to min: a number freed now comes
 *                       back only after a whole cycle (PIDs, so that a
 *                       stale kill(pid) does not hit a new process).
 *
 *	ida_alloc_range(ida, 1, 9)  -> 1, 2, 3; ida_free(2); -> 2
 *	ida_alloc_cyclic(ida, 1, 9) -> 1, 2, 3; ida_free(2); -> 4 ... 9, 2
 *
 * Inside, an IDA is a bitmap (bit N set = ID N in use) that starts
 * empty and doubles when a search runs past its end; it never shrinks,
 * and ida_destroy() frees it. Every ID at or past the end of the bitmap
 * is free. IDs are at most INT_MAX, so that they fit the int returned.
 *
 * Locking: the IDA has its own spinlock, taken with interrupts off, so
 * any context may free an ID. Allocation may sleep when @gfp allows it
 * (only to grow the bitmap; the lock is dropped for that).
 */
#ifndef _KESTREL_IDA_H
#define _KESTREL_IDA_H

#include <kestrel/gfp.h>
#include <kestrel/spinlock.h>
#include <kestrel/types.h>

/* The largest ID: what an int return value can carry. */
#define IDA_MAX 0x7fffffffU

struct ida {
	spinlock_t lock; /* guards the members below */
	unsigned long *bits; /* lock: bit N set = ID N in use; NULL: none */
	unsigned int nbits; /* lock: bits in @bits; IDs past them are free */
	unsigned int next; /* lock: one past the last ID handed out */
};

#define IDA_INIT(name)                                  \
	{                                               \
		.lock = __SPIN_LOCK_UNLOCKED(name.lock) \
	}
#define DEFINE_IDA(name) struct ida name = IDA_INIT(name)

static inline void ida_init(struct ida *ida)
{
	*ida = (struct ida){ .lock = __SPIN_LOCK_UNLOCKED(ida->lock) };
}

/**
 * ida_alloc_range - the lowest free ID in [@min, @max]
 * @gfp: how to allocate if the bitmap must grow (GFP_KERNEL may sleep)
 *
 * @max above IDA_MAX means IDA_MAX. Returns the ID, now in use, or
 * -ENOSPC when every ID of the range is taken (or @min > @max), -ENOMEM.
 */
int ida_alloc_range(struct ida *ida, unsigned int min, unsigned int max,
		    gfp_t gfp);

/**
 * ida_alloc_cyclic - the next free ID after the last one, round [@min, @max]
 *
 * Looks first in [last + 1, @max], then in [@min, last], where last is
 * the ID any allocation of @ida returned last. Returns as
 * ida_alloc_range() does.
 */
int ida_alloc_cyclic(struct ida *ida, unsigned int min, unsigned int max,
		     gfp_t gfp);

/* The lowest free ID (0 on). */
static inline int ida_alloc(struct ida *ida, gfp_t gfp)
{
	return ida_alloc_range(ida, 0, IDA_MAX, gfp);
}

/* The lowest free ID in [0, @max]. */
static inline int ida_alloc_max(struct ida *ida, unsigned int max, gfp_t gfp)
{
	return ida_alloc_range(ida, 0, max, gfp);
}

/*
 * Give @id back. Freeing an ID that is not in use is a bug of the
 * caller: it warns and changes nothing. Any context.
 */
void ida_free(struct ida *ida, unsigned int id);

/*
 * One past the last ID handed out (0 before the first): where
 * ida_alloc_cyclic() starts looking. A snapshot; any context.
 */
static inline unsigned int ida_get_cursor(const struct ida *ida)
{
	return READ_ONCE(ida->next);
}

/* Free the bitmap; every ID is free again. Nobody may use @ida meanwhile. */
void ida_destroy(struct ida *ida);

#endif /* _KESTREL_IDA_H */
