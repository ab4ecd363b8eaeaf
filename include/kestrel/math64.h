/*
 * 64-bit division helpers. Use these instead of `/` and `%` on u64 and
 * s64: the i386 kernel has no libgcc to call.
 */
#ifndef _KESTREL_MATH64_H
#define _KESTREL_MATH64_H

#include <asm/div64.h>
#include <kestrel/types.h>

/* @dividend / @divisor, with the remainder stored in *@remainder. */
static inline u64 div_u64_rem(u64 dividend, u32 divisor, u32 *remainder)
{
	return arch_div_u64_rem(dividend, divisor, remainder);
}

static inline u64 div_u64(u64 dividend, u32 divisor)
{
	u32 rem;

	return div_u64_rem(dividend, divisor, &rem);
}

#endif /* _KESTREL_MATH64_H */
