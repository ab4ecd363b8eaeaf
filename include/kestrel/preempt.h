/*
 * Kernel preemption. The scheduler may switch away from a task running
 * kernel code whenever its preemption count is zero and interrupts are
 * on: on the way out of an interrupt and in preempt_enable(). A spinlock
 * holder has a non-zero count, so it is never switched away from while
 * another task could then spin on its lock.
 *
 * might_sleep() states that a function may sleep. In a debug build it
 * checks, every time, that sleeping would be allowed here, so the bug
 * shows the first time the code runs and not only the day it really
 * has to sleep (kernel/sched/core.c, __might_sleep).
 */
#ifndef _KESTREL_PREEMPT_H
#define _KESTREL_PREEMPT_H

#include <asm/preempt.h>
#include <kestrel/compiler.h>

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

/*
 * How far boot has come. While SYSTEM_BOOTING the boot task runs alone,
 * before any other task could run: nothing it does waits for anybody,
 * so might_sleep() does not check it. The idle loop's start moves to
 * SYSTEM_SCHEDULING (cpu_idle()).
 */
enum system_states {
	SYSTEM_BOOTING,
	SYSTEM_SCHEDULING,
};
extern enum system_states system_state;

#ifdef CONFIG_DEBUG
/*
 * Warn, once per calling path and with a backtrace, if the caller may
 * not sleep: preemption disabled (a spinlock held), interrupts off, in
 * an interrupt, or in the idle task.
 */
void __might_sleep(const char *file, int line);
#define might_sleep() __might_sleep(__FILE__, __LINE__)
/* How many might_sleep() reports were printed (for ktest). */
unsigned int might_sleep_report_count(void);
#else
#define might_sleep() \
	do {          \
	} while (0)
#endif
#define might_sleep_if(cond)           \
	do {                           \
		if (cond)              \
			might_sleep(); \
	} while (0)

#endif /* _KESTREL_PREEMPT_H */
