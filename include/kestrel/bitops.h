/*
 * Bits in words: the size of a word, and the operations on one bit of an
 * array of unsigned long (a bitmap; <kestrel/bitmap.h> has the ones that
 * take a whole range).
 *
 * Bit @nr of a bitmap is bit nr % BITS_PER_LONG of word nr / BITS_PER_LONG,
 * counting from the least significant bit: the layout Linux uses, and the
 * one select()'s fd_set has on i386.
 *
 *	word 0                          word 1
 *	bit 31 ..................  0    bit 63 ................. 32
 *
 * The operations here are the non-atomic ones (Linux's __set_bit and
 * friends): the caller serialises every writer of the word, normally with
 * the lock that guards the whole bitmap. test_bit() is a plain read. The
 * atomic set_bit() and clear_bit() are in <kestrel/atomic.h>.
 */
#ifndef _KESTREL_BITOPS_H
#define _KESTREL_BITOPS_H

#include <kestrel/types.h>

/* An int constant, usable in #if; the host tests build with 64-bit longs. */
#define BITS_PER_BYTE 8
#define BITS_PER_LONG (__SIZEOF_LONG__ * BITS_PER_BYTE)

#define BIT(nr) (1UL << (nr))
/* The word of a bitmap that holds bit @nr, and the bit within it. */
#define BIT_WORD(nr) ((nr) / BITS_PER_LONG)
#define BIT_MASK(nr) (1UL << ((nr) % BITS_PER_LONG))
/* Words needed for @nbits bits. */
#define BITS_TO_LONGS(nbits) (((nbits) + BITS_PER_LONG - 1) / BITS_PER_LONG)

/* Bit @nr; a plain read, so also the test that goes with the atomic
 * set_bit()/clear_bit() of <kestrel/atomic.h>. */
static inline bool test_bit(unsigned int nr, const volatile unsigned long *addr)
{
	return addr[BIT_WORD(nr)] & BIT_MASK(nr);
}

static inline void __set_bit(unsigned int nr, unsigned long *addr)
{
	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}

static inline void __clear_bit(unsigned int nr, unsigned long *addr)
{
	addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

/* Set bit @nr if @value, clear it otherwise. */
static inline void __assign_bit(unsigned int nr, unsigned long *addr,
				bool value)
{
	if (value)
		__set_bit(nr, addr);
	else
		__clear_bit(nr, addr);
}

/* Set bit @nr and say whether it was set before. */
static inline bool __test_and_set_bit(unsigned int nr, unsigned long *addr)
{
	bool old = test_bit(nr, addr);

	__set_bit(nr, addr);
	return old;
}

/* The index of the lowest set bit of @word; @word must not be 0. */
static inline unsigned int __ffs(unsigned long word)
{
	return (unsigned int)__builtin_ctzl(word);
}

/* The index of the highest set bit of @word; @word must not be 0. */
static inline unsigned int __fls(unsigned long word)
{
	return BITS_PER_LONG - 1 - (unsigned int)__builtin_clzl(word);
}

/* The index of the lowest clear bit of @word; @word must not be ~0UL. */
static inline unsigned int ffz(unsigned long word)
{
	return __ffs(~word);
}

/*
 * The number of set bits of @w (its Hamming weight). GCC's builtin would
 * call libgcc, which the kernel does not link; this is the classic
 * parallel sum: bits in pairs, then nibbles, then bytes, and the multiply
 * adds every byte into the top one.
 */
static inline unsigned int hweight_long(unsigned long w)
{
	w -= (w >> 1) & (~0UL / 3);
	w = (w & (~0UL / 15 * 3)) + ((w >> 2) & (~0UL / 15 * 3));
	w = (w + (w >> 4)) & (~0UL / 255 * 15);
	return (unsigned int)((w * (~0UL / 255)) >> (BITS_PER_LONG - 8));
}

#endif /* _KESTREL_BITOPS_H */
