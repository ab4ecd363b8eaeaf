/*
 * The generic interrupt core (kernel/irq.c) and the interface between it
 * and an interrupt controller (arch/x86/i8259.c). Drivers use
 * <kestrel/interrupt.h>; only controller and entry code use this.
 */
#ifndef _KESTREL_IRQ_H
#define _KESTREL_IRQ_H

#include <kestrel/interrupt.h>

struct irq_chip {
	const char *name;
	void (*mask)(unsigned int irq);
	void (*unmask)(unsigned int irq);
	/* Acknowledge (end of interrupt) before the handlers run. */
	void (*ack)(unsigned int irq);
	/* True if @irq is a spurious interrupt the handlers must not see;
	 * the chip acknowledges whatever it must itself. */
	bool (*is_spurious)(unsigned int irq);
};

void irq_set_chip(unsigned int irq, const struct irq_chip *chip);

/*
 * handle_irq - run the handlers of line @irq
 *
 * Called by the architecture's entry code with interrupts disabled,
 * between irq_enter() and irq_exit().
 */
void handle_irq(unsigned int irq);

/* Bracket hardware-interrupt context; irq_exit() runs softirqs. */
void irq_enter(void);
void irq_exit(void);

/* Architecture: program the controller and install the entry stubs. */
void init_IRQ(void);

#endif /* _KESTREL_IRQ_H */
