/*
 * The registers saved on the kernel stack at every trap, interrupt and
 * (later) system call, in the order entry.asm pushes them. The last
 * five are pushed by the CPU; sp and ss only on a privilege change (an
 * entry from user mode).
 */
#ifndef _ASM_X86_PTRACE_H
#define _ASM_X86_PTRACE_H

#ifndef __ASSEMBLER__
#include <kestrel/types.h>
#include <asm/segment.h>

struct pt_regs {
	unsigned long bx, cx, dx, si, di, bp, ax;
	unsigned long ds, es, fs, gs;
	unsigned long vector; /* interrupt vector (entry stub); 0x80 */
	union {
		unsigned long error_code; /* exceptions: the CPU's, or 0 */
		unsigned long orig_ax; /* system calls: the call number */
	};
	unsigned long ip, cs, flags;
	unsigned long sp, ss; /* only when entered from user mode */
};

static inline bool user_mode(const struct pt_regs *regs)
{
	return (regs->cs & SEGMENT_RPL_MASK) == USER_RPL;
}

/* The stack pointer at the time of the trap. A trap from kernel mode
 * pushes no sp/ss, so the old stack ends where regs->sp would be. */
static inline unsigned long kernel_stack_pointer(const struct pt_regs *regs)
{
	return user_mode(regs) ? regs->sp : (unsigned long)&regs->sp;
}

/* In a hardware interrupt: the registers it interrupted (else NULL). */
struct pt_regs *get_irq_regs(void);

/* The user registers of the current task, at the top of its stack. */
struct pt_regs *current_pt_regs(void);

/* Print the registers of @regs (an oops, a panic). */
void show_regs(const struct pt_regs *regs);

/* Fill @regs with the caller's registers (ip is the return address). */
void arch_capture_regs(struct pt_regs *regs);

#endif /* __ASSEMBLER__ */
#endif /* _ASM_X86_PTRACE_H */
