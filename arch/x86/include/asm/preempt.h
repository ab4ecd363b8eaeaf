/*
 * The preemption count lives in the running stack's thread_info; while
 * it is above zero the scheduler does not preempt the task.
 */
#ifndef _ASM_X86_PREEMPT_H
#define _ASM_X86_PREEMPT_H

#include <asm/thread_info.h>
#include <kestrel/compiler.h>
#include <stdbool.h>

static inline int preempt_count(void)
{
	return READ_ONCE(current_thread_info()->preempt_count);
}

static inline void preempt_count_inc(void)
{
	current_thread_info()->preempt_count++;
	barrier();
}

static inline void preempt_count_dec(void)
{
	barrier();
	current_thread_info()->preempt_count--;
}

/* Has the running task been asked to reschedule? */
static inline bool preempt_need_resched(void)
{
	return READ_ONCE(current_thread_info()->flags) &
	       (1UL << TIF_NEED_RESCHED);
}

#endif /* _ASM_X86_PREEMPT_H */
