/*
 * Host shim for <asm/irqflags.h>: a simulated interrupt flag, so that
 * save/restore pairs nest as on the machine and tests can check that
 * code restores what it disabled.
 */
#ifndef _SHIM_ASM_IRQFLAGS_H
#define _SHIM_ASM_IRQFLAGS_H

#define X86_EFLAGS_IF 0x00000200

extern unsigned long host_irq_flags;

static inline unsigned long arch_local_save_flags(void)
{
	return host_irq_flags;
}

static inline void arch_local_irq_disable(void)
{
	host_irq_flags &= ~(unsigned long)X86_EFLAGS_IF;
}

static inline void arch_local_irq_enable(void)
{
	host_irq_flags |= X86_EFLAGS_IF;
}

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = arch_local_save_flags();

	arch_local_irq_disable();
	return flags;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		arch_local_irq_enable();
}

static inline int arch_irqs_disabled_flags(unsigned long flags)
{
	return !(flags & X86_EFLAGS_IF);
}

#endif /* _SHIM_ASM_IRQFLAGS_H */
