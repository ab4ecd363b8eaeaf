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

/*
 * @dividend / @divisor with a 64-bit divisor (Linux's div64_u64). A
 * divisor of more than 32 bits is shifted right until it fits, with the
 * dividend; the quotient of the shifted pair is at most one too big, so
 * one step back and one check forward give the exact quotient.
 */
static inline u64 div64_u64(u64 dividend, u64 divisor)
{
	u32 high = (u32)(divisor >> 32);
	unsigned int shift;
	u64 quot;

	if (!high)
		return div_u64(dividend, (u32)divisor);
	shift = 32 - (unsigned int)__builtin_clz(high);
	quot = div_u64(dividend >> shift, (u32)(divisor >> shift));
	if (quot)
		quot--;
	if (dividend - quot * divisor >= divisor)
		quot++;
	return quot;
}

#endif /* _KESTREL_MATH64_H */
