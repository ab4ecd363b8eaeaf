/*
 * Host stand-in for arch/x86/include/asm/preempt.h: the unit tests run
 * single-threaded with no scheduler, so preemption never happens.
 */
#ifndef _SHIM_ASM_PREEMPT_H
#define _SHIM_ASM_PREEMPT_H

#include <stdbool.h>

static inline int preempt_count(void)
{
	return 1;
}

static inline void preempt_count_inc(void)
{
}

static inline void preempt_count_dec(void)
{
}

static inline bool preempt_need_resched(void)
{
	return false;
}

#endif /* _SHIM_ASM_PREEMPT_H */
