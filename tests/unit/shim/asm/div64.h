/*
 * Host shim for <asm/div64.h>: the host's compiler divides 64-bit
 * numbers itself, so the i386 divl sequence is not needed.
 */
#ifndef _SHIM_ASM_DIV64_H
#define _SHIM_ASM_DIV64_H

#include <kestrel/types.h>

static inline u64 arch_div_u64_rem(u64 dividend, u32 divisor, u32 *remainder)
{
	*remainder = (u32)(dividend % divisor);
	return dividend / divisor;
}

#endif /* _SHIM_ASM_DIV64_H */
