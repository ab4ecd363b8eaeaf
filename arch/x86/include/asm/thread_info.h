/*
 * The bottom of every kernel stack holds a struct thread_info: the
 * task the stack belongs to, its preemption count and the canary that
 * catches a stack overflow. A kernel stack is THREAD_SIZE bytes,
 * aligned to THREAD_SIZE, so the thread_info of the running task is one
 * AND of the stack pointer away: `current` needs no segment register
 * and no per-CPU variable, and stays right on SMP.
 */
#ifndef _ASM_X86_THREAD_INFO_H
#define _ASM_X86_THREAD_INFO_H

#define THREAD_SIZE 8192
#define STACK_END_MAGIC 0x57AC6E9DUL

/* Bits of thread_info.flags: set from any context, tested on the way
 * out of the kernel and when preemption is enabled again. */
#define TIF_NEED_RESCHED 0 /* call schedule() soon */
#define TIF_SIGPENDING 1 /* deliver signals before returning to user */

#ifndef __ASSEMBLER__

struct task;

struct thread_info {
	struct task *task; /* the task this stack belongs to */
	unsigned long flags; /* TIF_* bits; changed atomically */
	int preempt_count; /* > 0: must not be preempted */
	unsigned long stack_canary; /* STACK_END_MAGIC while intact */
};

static inline struct thread_info *current_thread_info(void)
{
	unsigned long sp;

	__asm__("movl %%esp, %0" : "=r"(sp));
	return (struct thread_info *)(sp & ~(THREAD_SIZE - 1UL));
}

#endif /* __ASSEMBLER__ */
#endif /* _ASM_X86_THREAD_INFO_H */
