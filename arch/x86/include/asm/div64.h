/*
 * 64-by-32-bit division on i386. The kernel links no libgcc, so a plain
 * u64 / u32 in C would not link; this does it with two divl
 * instructions (SDM vol. 2A, DIV): first the high word, then the
 * remainder and the low word, which cannot overflow.
 */
#ifndef _ASM_X86_DIV64_H
#define _ASM_X86_DIV64_H

#include <kestrel/types.h>

static inline u64 arch_div_u64_rem(u64 dividend, u32 divisor, u32 *remainder)
{
	u32 high = (u32)(dividend >> 32), low = (u32)dividend;
	u32 quot_high = 0, quot_low, rem;

	if (high >= divisor) {
		quot_high = high / divisor;
		high %= divisor;
	}
	__asm__("divl %4"
		: "=a"(quot_low), "=d"(rem)
		: "a"(low), "d"(high), "rm"(divisor));
	*remainder = rem;
	return ((u64)quot_high << 32) | quot_low;
}

#endif /* _ASM_X86_DIV64_H */
