/*
 * Bitmaps: the range operations and the searches (see <kestrel/bitmap.h>).
 *
 * Every search looks at a word at a time. The word holding the start bit
 * is masked so that the bits below the start do not count; each later
 * word is taken whole; a hit in the last word may lie past @size and is
 * then no hit. A search for a clear bit is the same walk over the
 * inverted words, so one function, find_next(), serves both:
 *
 *	find_next_zero_bit(map, 40, 3), map[0] = 0x0000ffff, map[1] = 0x3
 *	word 0: ~0x0000ffff & (~0UL << 3) = 0xffff0000 -> bit 16
 *
 * The bits of the last word past @size may hold anything: they are masked
 * off or the result is clamped, never trusted.
 */
#include <kestrel/bitmap.h>

/* The first bit at or after @start of (@addr XOR @invert), or @size. */
static unsigned int find_next(const unsigned long *addr, unsigned int size,
			      unsigned int start, unsigned long invert)
{
	unsigned long word;

	if (start >= size)
		return size;
	word = (addr[BIT_WORD(start)] ^ invert) &
	       (~0UL << (start % BITS_PER_LONG));
	start -= start % BITS_PER_LONG;
	while (!word) {
		start += BITS_PER_LONG;
		if (start >= size)
			return size;
		word = addr[BIT_WORD(start)] ^ invert;
	}
	start += __ffs(word);
	return start < size ? start : size;
}

unsigned int find_next_bit(const unsigned long *addr, unsigned int size,
			   unsigned int offset)
{
	return find_next(addr, size, offset, 0);
}

unsigned int find_next_zero_bit(const unsigned long *addr, unsigned int size,
				unsigned int offset)
{
	return find_next(addr, size, offset, ~0UL);
}

unsigned int find_last_bit(const unsigned long *addr, unsigned int size)
{
	unsigned int words = BITS_TO_LONGS(size);
	unsigned long mask = BITMAP_LAST_WORD_MASK(size);

	while (words--) {
		unsigned long word = addr[words] & mask;

		if (word)
			return words * BITS_PER_LONG + __fls(word);
		mask = ~0UL; /* only the last word has bits past @size */
	}
	return size;
}

/*
 * Set or clear [@start, @start + @nr) a word at a time: the part of the
 * range in each word is a run of n bits from bit b, the mask
 * (2^n - 1) << b, or the whole word when n is BITS_PER_LONG.
 */
static void bitmap_assign_range(unsigned long *map, unsigned int start,
				unsigned int nr, bool value)
{
	unsigned int end = start + nr;

	while (start < end) {
		unsigned int b = start % BITS_PER_LONG;
		unsigned int n = BITS_PER_LONG - b;
		unsigned long mask;

		if (n > end - start)
			n = end - start;
		mask = n == BITS_PER_LONG ? ~0UL : (BIT(n) - 1) << b;
		if (value)
			map[BIT_WORD(start)] |= mask;
		else
			map[BIT_WORD(start)] &= ~mask;
		start += n;
	}
}

void bitmap_set(unsigned long *map, unsigned int start, unsigned int nr)
{
	bitmap_assign_range(map, start, nr, true);
}

void bitmap_clear(unsigned long *map, unsigned int start, unsigned int nr)
{
	bitmap_assign_range(map, start, nr, false);
}

unsigned int bitmap_weight(const unsigned long *map, unsigned int nbits)
{
	unsigned int i, full = nbits / BITS_PER_LONG, n = 0;

	for (i = 0; i < full; i++)
		n += hweight_long(map[i]);
	if (nbits % BITS_PER_LONG)
		n += hweight_long(map[full] & BITMAP_LAST_WORD_MASK(nbits));
	return n;
}
