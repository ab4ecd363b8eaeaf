/*
 * CPU exception vectors (Intel SDM vol. 3, table 6-1) and the kernel's
 * handling of them.
 */
#ifndef _ASM_X86_TRAPS_H
#define _ASM_X86_TRAPS_H

#include <asm/ptrace.h>
#include <kestrel/compiler.h>

enum x86_trap {
	X86_TRAP_DE = 0, /* divide error */
	X86_TRAP_DB = 1, /* debug */
	X86_TRAP_NMI = 2, /* non-maskable interrupt */
	X86_TRAP_BP = 3, /* breakpoint (int3) */
	X86_TRAP_OF = 4, /* overflow (into) */
	X86_TRAP_BR = 5, /* bound range exceeded */
	X86_TRAP_UD = 6, /* invalid opcode */
	X86_TRAP_NM = 7, /* device not available */
	X86_TRAP_DF = 8, /* double fault */
	X86_TRAP_OLD_MF = 9, /* coprocessor segment overrun */
	X86_TRAP_TS = 10, /* invalid TSS */
	X86_TRAP_NP = 11, /* segment not present */
	X86_TRAP_SS = 12, /* stack-segment fault */
	X86_TRAP_GP = 13, /* general protection */
	X86_TRAP_PF = 14, /* page fault */
	X86_TRAP_MF = 16, /* x87 floating-point error */
	X86_TRAP_AC = 17, /* alignment check */
	X86_TRAP_MC = 18, /* machine check */
	X86_TRAP_XF = 19, /* SIMD floating-point */
	X86_TRAP_VE = 20, /* virtualization */
	X86_TRAP_CP = 21, /* control protection */
};

/* Page-fault error code bits (SDM vol. 3, figure 4-12). */
#define X86_PF_PROT (1 << 0) /* 0: not present, 1: protection */
#define X86_PF_WRITE (1 << 1) /* 0: read, 1: write */
#define X86_PF_USER (1 << 2) /* 0: kernel mode, 1: user mode */
#define X86_PF_RSVD (1 << 3) /* reserved bit set in a paging entry */
#define X86_PF_INSTR (1 << 4) /* instruction fetch */

/*
 * An exception-table entry: if the instruction at @insn faults, resume
 * at @fixup instead of oopsing. The user-copy routines use it so that a
 * bad user pointer becomes -EFAULT.
 */
struct exception_table_entry {
	unsigned long insn, fixup;
};

/* Redirect @regs to a fixup for its faulting ip; true if there was one. */
bool fixup_exception(struct pt_regs *regs);

/* Report a fatal kernel fault (an oops) and panic. */
void __noreturn die(const char *msg, struct pt_regs *regs);

void do_exception(struct pt_regs *regs);

#endif /* _ASM_X86_TRAPS_H */
