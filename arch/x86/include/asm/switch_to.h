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
	unsigned int fs, gs; /* user segment selectors while switched out */
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

/*
 * Load user FS and GS (a selector whose descriptor is gone loads 0).
 * The kernel never uses FS and GS, so they hold the user's values;
 * but the CPU caches a segment's base when it is loaded, so they are
 * reloaded whenever another user task's TLS descriptors take over.
 */
void load_user_fs_gs(unsigned int fs, unsigned int gs);

static inline unsigned int read_fs(void)
{
	unsigned int v;

	__asm__ __volatile__("movl %%fs, %0" : "=r"(v));
	return v & 0xffff;
}

static inline unsigned int read_gs(void)
{
	unsigned int v;

	__asm__ __volatile__("movl %%gs, %0" : "=r"(v));
	return v & 0xffff;
}

struct pt_regs;
/* Prepare a forked child's stack: it returns to user mode with a copy
 * of @regs and eax = 0. */
void arch_setup_fork_child(struct task *child, const struct pt_regs *regs);

#endif /* _ASM_X86_SWITCH_TO_H */
