/*
 * Bitmaps: arrays of unsigned long used as arrays of bits (the layout is
 * in <kestrel/bitops.h>), with Linux's names for the operations on a
 * whole map or a range of it and for the searches.
 *
 *	DECLARE_BITMAP(open, 64);         two words on i386, all clear
 *	bitmap_set(open, 0, 3);           bits 0, 1, 2
 *	find_first_zero_bit(open, 64)     3
 *	find_next_bit(open, 64, 1)        1
 *	find_last_bit(open, 64)           2
 *
 * A map of @nbits bits occupies BITS_TO_LONGS(@nbits) words. The bits of
 * the last word past @nbits are never looked at by the searches, nor by
 * bitmap_weight(); their value is the owner's business. The searches
 * return @size when there is no such bit, so a caller tests "< size".
 *
 * No locking: the owner of the map serialises its writers (and readers
 * that need a stable answer).
 */
#ifndef _KESTREL_BITMAP_H
#define _KESTREL_BITMAP_H

#include <kestrel/bitops.h>
#include <kestrel/string.h>
#include <kestrel/types.h>

#define DECLARE_BITMAP(name, nbits) unsigned long name[BITS_TO_LONGS(nbits)]
/* Bytes of a bitmap of @nbits bits, in whole words (to allocate it). */
#define BITMAP_BYTES(nbits) (BITS_TO_LONGS(nbits) * sizeof(unsigned long))
/* The bits of the last word of an @nbits-bit map that belong to it. */
#define BITMAP_LAST_WORD_MASK(nbits) (~0UL >> (-(nbits) & (BITS_PER_LONG - 1)))

static inline void bitmap_zero(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0, BITMAP_BYTES(nbits));
}

static inline void bitmap_copy(unsigned long *dst, const unsigned long *src,
			       unsigned int nbits)
{
	memcpy(dst, src, BITMAP_BYTES(nbits));
}

/* Set (or clear) the @nr bits from @start on. */
void bitmap_set(unsigned long *map, unsigned int start, unsigned int nr);
void bitmap_clear(unsigned long *map, unsigned int start, unsigned int nr);

/* How many of the first @nbits bits are set. */
unsigned int bitmap_weight(const unsigned long *map, unsigned int nbits);

/**
 * find_next_bit - the first set bit at or after @offset
 * @addr: the map
 * @size: bits in the map; nothing at or past it is looked at
 * @offset: where to start; @offset >= @size finds nothing
 *
 * Returns the bit's index, or @size when there is none.
 */
unsigned int find_next_bit(const unsigned long *addr, unsigned int size,
			   unsigned int offset);

/* find_next_bit() for a clear bit: the lowest free slot from @offset on. */
unsigned int find_next_zero_bit(const unsigned long *addr, unsigned int size,
				unsigned int offset);

/* The highest set bit below @size, or @size when there is none. */
unsigned int find_last_bit(const unsigned long *addr, unsigned int size);

static inline unsigned int find_first_bit(const unsigned long *addr,
					  unsigned int size)
{
	return find_next_bit(addr, size, 0);
}

static inline unsigned int find_first_zero_bit(const unsigned long *addr,
					       unsigned int size)
{
	return find_next_zero_bit(addr, size, 0);
}

/* Visit every set bit of the first @size bits, in increasing order. */
#define for_each_set_bit(bit, addr, size)                            \
	for ((bit) = find_first_bit((addr), (size)); (bit) < (size); \
	     (bit) = find_next_bit((addr), (size), (bit) + 1))

#endif /* _KESTREL_BITMAP_H */
