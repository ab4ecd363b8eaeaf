/*
 * What the x86 keeps per task across a context switch: the kernel stack
 * pointer where __switch_to_asm() parked the task's callee-saved
 * registers, the top of its kernel stack (loaded into the TSS for entries
 * from user mode), and its three TLS descriptors (set_thread_area).
 */
#ifndef _ASM_X86_SWITCH_TO_H
#define _ASM_X86_SWITCH_TO_H

#include <asm/desc.h>
#include <asm/fpu.h>
#include <asm/segment.h>

struct task;

struct thread_struct {
	unsigned long sp; /* must stay first: switch.asm uses offset 0 */
	unsigned long sp0; /* top of the kernel stack */
	struct desc_struct tls_array[GDT_ENTRY_TLS_ENTRIES];
	unsigned long cr2; /* the last page fault's address (signals) */
	struct fpu_state fpu; /* user tasks' x87/SSE registers */
};

/*
 * Switch the CPU from @prev to @next: address space, TSS stack, TLS,
 * then stacks. Returns, in the context of @next, the task that ran
 * before it (which may not be @prev's caller's idea of prev).
 * Caller holds the runqueue lock with interrupts disabled.
 */
struct task *arch_switch_to(struct task *prev, struct task *next);

/*
 * Prepare @task's new kernel stack so that its first switch-in starts
 * @fn(@arg) after schedule_tail(). For kernel threads.
 */
void arch_setup_kthread(struct task *task, void (*fn)(void));

struct pt_regs;
/* Prepare a forked child's stack: it returns to user mode with a copy
 * of @regs and eax = 0. */
void arch_setup_fork_child(struct task *child, const struct pt_regs *regs);

#endif /* _ASM_X86_SWITCH_TO_H */
