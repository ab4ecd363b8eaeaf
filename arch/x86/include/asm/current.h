/*
 * current: the task running on this CPU, found from the stack pointer
 * (see asm/thread_info.h).
 */
#ifndef _ASM_X86_CURRENT_H
#define _ASM_X86_CURRENT_H

#include <asm/thread_info.h>

static inline struct task *get_current(void)
{
	return current_thread_info()->task;
}

#endif /* _ASM_X86_CURRENT_H */
