/*
 * FPU/SSE state switching (see asm/fpu.h). fpu_owner is the task whose
 * state the registers hold; switching from a user task to a kernel
 * thread and back therefore costs one FXSAVE and no FXRSTOR.
 */
#include <asm/cpufeature.h>
#include <asm/fpu.h>
#include <asm/processor.h>
#include <kestrel/irqflags.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/string.h>

static struct fpu_state fpu_default; /* the state after FNINIT */
static struct task *fpu_owner; /* whose state the registers hold */
static bool has_fxsr;
static u32 mxcsr_mask = 0xffbf; /* if the CPU reports none (SDM 10.5.1.2) */

static void fpu_hw_save(struct fpu_state *st)
{
	if (has_fxsr)
		__asm__ __volatile__("fxsave %0" : "=m"(*st));
	else
		__asm__ __volatile__("fnsave %0; fwait" : "=m"(*st));
}

static void fpu_hw_restore(const struct fpu_state *st)
{
	if (has_fxsr)
		__asm__ __volatile__("fxrstor %0" : : "m"(*st));
	else
		__asm__ __volatile__("frstor %0" : : "m"(*st));
}

/* Linux's check_fpu() operands, as IEEE doubles (no FP in C here). */
#define FDIV_DIVIDEND 0x4150017ec0000000ULL /* 4195835.0 */
#define FDIV_DIVISOR 0x4147ffff80000000ULL /* 3145727.0 */

/*
 * The Pentium FDIV bug, measured as Linux's check_fpu() does: with a
 * flawed divider, x - (x / y) * y is not 0 for these two numbers. Run
 * once, on the boot FPU before anyone uses it; /proc/cpuinfo shows it.
 */
static void fpu_check_fdiv(void)
{
	static const u64 x = FDIV_DIVIDEND, y = FDIV_DIVISOR;
	s32 diff;

	__asm__ __volatile__("fninit\n\t"
			     "fldl %1\n\t"
			     "fdivl %2\n\t"
			     "fmull %2\n\t"
			     "fldl %1\n\t"
			     "fsubp %%st,%%st(1)\n\t"
			     "fistpl %0\n\t"
			     "fwait\n\t"
			     "fninit"
			     : "=m"(diff)
			     : "m"(x), "m"(y));
	if (diff) {
		boot_cpu_data.bugs |= 1U << X86_BUG_FDIV;
		pr_warn("fpu: this FPU has the FDIV bug\n");
	}
}

void fpu_init(void)
{
	u32 mask;

	has_fxsr = boot_cpu_has(X86_FEATURE_FXSR);
	write_cr0((read_cr0() & ~X86_CR0_EM) | X86_CR0_MP | X86_CR0_NE);
	if (has_fxsr)
		write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
	fpu_check_fdiv();
	__asm__ __volatile__("fninit");
	fpu_hw_save(&fpu_default);
	if (has_fxsr) {
		memcpy(&mask, fpu_default.regs + FXSAVE_MXCSR_MASK_OFFSET, 4);
		if (mask)
			mxcsr_mask = mask;
		mask = MXCSR_DEFAULT;
		memcpy(fpu_default.regs + FXSAVE_MXCSR_OFFSET, &mask, 4);
	}
	pr_info("fpu: x87%s, state saved with %s\n", has_fxsr ? " and SSE" : "",
		has_fxsr ? "FXSAVE" : "FNSAVE");
}

void fpu_save(struct task *t)
{
	if (fpu_owner != t)
		return; /* the registers hold someone else's state */
	fpu_hw_save(&t->thread.fpu);
	if (!has_fxsr)
		fpu_owner = NULL; /* FNSAVE reinitialises the FPU */
}

void fpu_restore(struct task *t)
{
	if (fpu_owner == t)
		return;
	fpu_hw_restore(&t->thread.fpu);
	fpu_owner = t;
}

void fpu_reset(struct task *t)
{
	t->thread.fpu = fpu_default;
	if (fpu_owner == t)
		fpu_owner = NULL;
}

void fpu_forget(struct task *t)
{
	if (fpu_owner == t)
		fpu_owner = NULL;
}

void fpu_sanitize_and_reload(struct task *t)
{
	u32 mxcsr;

	if (has_fxsr) {
		memcpy(&mxcsr, t->thread.fpu.regs + FXSAVE_MXCSR_OFFSET, 4);
		mxcsr &= mxcsr_mask;
		memcpy(t->thread.fpu.regs + FXSAVE_MXCSR_OFFSET, &mxcsr, 4);
	}
	fpu_forget(t);
	if (t == current)
		fpu_restore(t);
}

bool fpu_copy_fxsave(struct task *t, struct fpu_state *out)
{
	unsigned long flags;

	if (!has_fxsr)
		return false;
	local_irq_save(flags); /* no switch between the save and the copy */
	fpu_save(t);
	*out = t->thread.fpu;
	local_irq_restore(flags);
	return true;
}
