/*
 * Kernel preemption. The scheduler may switch away from a task running
 * kernel code whenever its preemption count is zero and interrupts are
 * on: on the way out of an interrupt and in preempt_enable(). A spinlock
 * holder has a non-zero count, so it is never switched away from while
 * another task could then spin on its lock.
 */
#ifndef _KESTREL_PREEMPT_H
#define _KESTREL_PREEMPT_H

#include <asm/preempt.h>

/* Reschedule if needed and allowed (kernel/sched/core.c). */
void preempt_schedule(void);

static inline void preempt_disable(void)
{
	preempt_count_inc();
}

static inline void preempt_enable_no_resched(void)
{
	preempt_count_dec();
}

static inline void preempt_enable(void)
{
	preempt_count_dec();
	if (unlikely(!preempt_count() && preempt_need_resched()))
		preempt_schedule();
}

#endif /* _KESTREL_PREEMPT_H */
