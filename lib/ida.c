/*
 * IDA: small integer IDs from a growable bitmap (see <kestrel/ida.h>).
 *
 * An allocation is a search and, when the search runs off the end of the
 * bitmap, a growth:
 *
 *   1. Under the lock, find the ID: the lowest clear bit in [start, max],
 *      else in [min, start) (start is min, or the cursor for the cyclic
 *      order). An ID at or past nbits counts as free: the map does not
 *      reach it yet.
 *   2. If the ID is inside the map, set its bit: done.
 *   3. Otherwise drop the lock, allocate a zeroed map big enough (the
 *      size doubled until it holds the ID, but no more than the range
 *      needs), retake the lock, copy the old bits in, swap the maps, and
 *      go back to 1: another caller may have taken the ID meanwhile, or
 *      grown the map itself (then the new map is simply freed).
 *
 *	nbits 32, IDs 0..31 taken, ida_alloc_range(ida, 0, 99):
 *	search -> 32 (past the map) -> grow to 64 -> search -> 32, set
 *
 * The lock is never held across the allocation, so GFP_KERNEL is fine;
 * the old map is freed after the lock is dropped.
 */
#include <kestrel/bitmap.h>
#include <kestrel/bug.h>
#include <kestrel/errno.h>
#include <kestrel/ida.h>
#include <kestrel/slab.h>

/* "No free ID": larger than any ID. */
#define IDA_NONE (~0U)
/* The smallest map: one word. */
#define IDA_MIN_BITS BITS_PER_LONG

enum ida_order {
	IDA_LOWEST, /* the lowest free ID of the range */
	IDA_CYCLIC, /* the lowest free ID after the last one handed out */
};

/* The lowest free ID in [@from, @to], or IDA_NONE. Lock held. */
static unsigned int ida_find_free(const struct ida *ida, unsigned int from,
				  unsigned int to)
{
	unsigned int end, id;

	if (from > to)
		return IDA_NONE;
	if (from >= ida->nbits)
		return from;
	end = to < ida->nbits ? to + 1 : ida->nbits;
	id = find_next_zero_bit(ida->bits, end, from);
	if (id < end)
		return id;
	return to >= ida->nbits ? ida->nbits : IDA_NONE;
}

/* Step 1: the ID to hand out, maybe past the map, or IDA_NONE. */
static unsigned int ida_search(const struct ida *ida, unsigned int min,
			       unsigned int max, enum ida_order order)
{
	unsigned int start = min, id;

	if (order == IDA_CYCLIC && ida->next > min && ida->next <= max)
		start = ida->next;
	id = ida_find_free(ida, start, max);
	if (id == IDA_NONE && start > min)
		id = ida_find_free(ida, min, start - 1);
	return id;
}

/* Step 3: the size of a map that holds @id, for a range ending at @max. */
static unsigned int ida_grown_size(const struct ida *ida, unsigned int id,
				   unsigned int max)
{
	unsigned int nbits = ida->nbits ? ida->nbits : IDA_MIN_BITS;
	unsigned int limit = BITS_TO_LONGS(max + 1) * BITS_PER_LONG;

	while (nbits <= id)
		nbits *= 2;
	return nbits < limit ? nbits : limit;
}

/*
 * Step 3, under the lock: swap in @bits (@nbits bits, zeroed) if it is
 * larger than the current map. Returns the map that is no longer used,
 * for the caller to kfree once the lock is dropped.
 */
static unsigned long *ida_install(struct ida *ida, unsigned long *bits,
				  unsigned int nbits)
{
	unsigned long *old = ida->bits;

	if (nbits <= ida->nbits)
		return bits; /* another caller grew it meanwhile */
	if (ida->nbits)
		bitmap_copy(bits, old, ida->nbits);
	ida->bits = bits;
	ida->nbits = nbits;
	return old;
}

static int ida_alloc_order(struct ida *ida, unsigned int min, unsigned int max,
			   gfp_t gfp, enum ida_order order)
{
	unsigned long *spare = NULL, *unused, flags;
	unsigned int id, size = 0;
	bool taken;

	if (max > IDA_MAX)
		max = IDA_MAX;
	if (min > max)
		return -ENOSPC;
	for (;;) {
		spin_lock_irqsave(&ida->lock, flags);
		unused = spare ? ida_install(ida, spare, size) : NULL;
		id = ida_search(ida, min, max, order);
		taken = id < ida->nbits;
		if (taken) {
			__set_bit(id, ida->bits);
			ida->next = id + 1;
		} else if (id != IDA_NONE) {
			size = ida_grown_size(ida, id, max);
		}
		spin_unlock_irqrestore(&ida->lock, flags);
		kfree(unused);
		if (taken)
			return (int)id;
		if (id == IDA_NONE)
			return -ENOSPC;
		spare = kcalloc(BITS_TO_LONGS(size), sizeof(long), gfp);
		if (!spare)
			return -ENOMEM;
	}
}

int ida_alloc_range(struct ida *ida, unsigned int min, unsigned int max,
		    gfp_t gfp)
{
	return ida_alloc_order(ida, min, max, gfp, IDA_LOWEST);
}

int ida_alloc_cyclic(struct ida *ida, unsigned int min, unsigned int max,
		     gfp_t gfp)
{
	return ida_alloc_order(ida, min, max, gfp, IDA_CYCLIC);
}

void ida_free(struct ida *ida, unsigned int id)
{
	unsigned long flags;

	spin_lock_irqsave(&ida->lock, flags);
	if (!WARN_ON(id >= ida->nbits || !test_bit(id, ida->bits)))
		__clear_bit(id, ida->bits);
	spin_unlock_irqrestore(&ida->lock, flags);
}

void ida_destroy(struct ida *ida)
{
	kfree(ida->bits);
	ida_init(ida);
}
