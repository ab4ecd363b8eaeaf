/*
 * Multiplicative hashing (Knuth, TAOCP vol. 3, 6.4; Linux's
 * <linux/hash.h>): multiply by 2^32 divided by the golden ratio and keep
 * the top @bits bits, which depend on every bit of the key.
 */
#ifndef _KESTREL_HASH_H
#define _KESTREL_HASH_H

#include <kestrel/types.h>

#define GOLDEN_RATIO_32 0x61c88647u /* 2^32 / phi, rounded to odd */

/* @val hashed into [0, 2^@bits), 1 <= @bits <= 32. */
static inline u32 hash_32(u32 val, unsigned int bits)
{
	return (val * GOLDEN_RATIO_32) >> (32 - bits);
}

#endif /* _KESTREL_HASH_H */
