/*
 * Non-local jumps inside the kernel, for the ktest runner: a failed
 * assertion leaves the test case at once and resumes in the runner.
 * Only the callee-saved registers, the stack pointer and the return
 * address are kept (i386 SysV ABI).
 */
#ifndef _ASM_X86_SETJMP_H
#define _ASM_X86_SETJMP_H

struct arch_jmp_buf {
	unsigned long bx, si, di, bp, sp, ip;
};

/* Returns 0 when called, and @val (never 0) when jumped back to. */
int arch_setjmp(struct arch_jmp_buf *jb) __attribute__((returns_twice));
void arch_longjmp(struct arch_jmp_buf *jb, int val) __attribute__((noreturn));

#endif /* _ASM_X86_SETJMP_H */
