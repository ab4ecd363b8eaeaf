/*
 * Host shim for <asm/atomic.h>: the host is an x86 too, so the host
 * tests run the kernel's own locked instructions (the header sizes them
 * from their operands, so they assemble for x86-64 as well).
 */
#ifndef _SHIM_ASM_ATOMIC_H
#define _SHIM_ASM_ATOMIC_H

#include "../../../../arch/x86/include/asm/atomic.h"

#endif /* _SHIM_ASM_ATOMIC_H */
