/*
 * Local interrupt control. local_irq_save() disables interrupts on this
 * CPU and remembers whether they were on; local_irq_restore() puts that
 * back, so the pair nests.
 */
#ifndef _KESTREL_IRQFLAGS_H
#define _KESTREL_IRQFLAGS_H

#include <asm/irqflags.h>

#define local_irq_save(flags)                    \
	do {                                     \
		(flags) = arch_local_irq_save(); \
	} while (0)
#define local_irq_restore(flags) arch_local_irq_restore(flags)
#define local_irq_disable() arch_local_irq_disable()
#define local_irq_enable() arch_local_irq_enable()
#define irqs_disabled() arch_irqs_disabled_flags(arch_local_save_flags())

#endif /* _KESTREL_IRQFLAGS_H */
