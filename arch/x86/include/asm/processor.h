/*
 * Control registers and privileged instructions (Intel SDM vol. 3,
 * 2.5 "Control Registers").
 */
#ifndef _ASM_X86_PROCESSOR_H
#define _ASM_X86_PROCESSOR_H

#include <kestrel/compiler.h>

#define X86_EFLAGS_TF 0x00000100 /* trap flag (single step) */
#define X86_EFLAGS_DF 0x00000400 /* direction flag */

#define X86_CR0_WP (1UL << 16) /* write protect in ring 0 */
#define X86_CR0_PG (1UL << 31) /* paging */
#define X86_CR4_PSE (1UL << 4) /* 4 MiB pages */
#define X86_CR4_PGE (1UL << 7) /* global pages */

#define DEFINE_CR_ACCESSORS(n)                                         \
	static inline unsigned long read_cr##n(void)                   \
	{                                                              \
		unsigned long v;                                       \
		__asm__ __volatile__("movl %%cr" #n ", %0" : "=r"(v)); \
		return v;                                              \
	}                                                              \
	static inline void write_cr##n(unsigned long v)                \
	{                                                              \
		__asm__ __volatile__("movl %0, %%cr" #n                \
				     :                                 \
				     : "r"(v)                          \
				     : "memory");                      \
	}

DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)

/* Drop the TLB entry for the page containing @addr. */
static inline void invlpg(unsigned long addr)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(addr) : "memory");
}

static inline void halt(void)
{
	__asm__ __volatile__("hlt" : : : "memory");
}

static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" : : : "memory");
}

/* Stop this CPU for good: interrupts off, halt forever. */
static inline void __noreturn arch_halt_forever(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt" : : : "memory");
}

#endif /* _ASM_X86_PROCESSOR_H */
