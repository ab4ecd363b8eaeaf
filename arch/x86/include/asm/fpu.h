/*
 * The FPU/SSE state of user tasks (x87, MMX, SSE registers). The kernel
 * itself never touches them (it is built with -mgeneral-regs-only), so
 * only user tasks have a state to keep: it is saved with FXSAVE when a
 * user task is switched away from and restored with FXRSTOR when a
 * user task whose state is not already in the registers runs again
 * (Intel SDM vol. 1, 10.5 "FXSAVE and FXRSTOR"). Without FXSR the
 * legacy FNSAVE/FRSTOR are used.
 */
#ifndef _ASM_X86_FPU_H
#define _ASM_X86_FPU_H

#include <kestrel/types.h>

#define FXSAVE_SIZE 512
#define FXSAVE_MXCSR_OFFSET 24
#define FXSAVE_MXCSR_MASK_OFFSET 28
#define MXCSR_DEFAULT 0x1f80 /* all exceptions masked, round to nearest */
#define X86_CR0_MP (1UL << 1) /* monitor coprocessor */
#define X86_CR0_EM (1UL << 2) /* emulation: must be off */
#define X86_CR0_NE (1UL << 5) /* native x87 error reporting */
#define X86_CR4_OSFXSR (1UL << 9) /* FXSAVE/FXRSTOR and SSE enabled */
#define X86_CR4_OSXMMEXCPT (1UL << 10) /* SIMD exceptions as #XM */

struct fpu_state {
	u8 regs[FXSAVE_SIZE] __attribute__((aligned(16)));
};

struct task;

/* Boot: enable the FPU and SSE, record the clean state. */
void fpu_init(void);
/* Save @t's registers into its state (it is the one using them). */
void fpu_save(struct task *t);
/* Make the registers hold @t's state, if they do not already. */
void fpu_restore(struct task *t);
/* A fresh state for exec. */
void fpu_reset(struct task *t);
/* Forget that @t's state is in the registers (it exits or changed). */
void fpu_forget(struct task *t);
/* Copy @t's state (the current task's, saved first) in FXSAVE format,
 * for a core file's NT_PRXFPREG. False without FXSR (FNSAVE format). */
bool fpu_copy_fxsave(struct task *t, struct fpu_state *out);
/* Load @t's saved state after it was changed (sigreturn): MXCSR's
 * reserved bits are cleared first, as FXRSTOR faults on them. */
void fpu_sanitize_and_reload(struct task *t);

#endif /* _ASM_X86_FPU_H */
