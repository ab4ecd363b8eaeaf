/*
 * Hardware interrupt lines and their handlers.
 *
 * A driver claims a line with request_irq(); several drivers may share a
 * line when every one of them passes IRQF_SHARED. On an interrupt each
 * handler on the line runs in turn, with local interrupts disabled, and
 * says whether its device raised it (IRQ_HANDLED) or not (IRQ_NONE).
 * Work that may run with interrupts enabled is deferred to a softirq.
 */
#ifndef _KESTREL_INTERRUPT_H
#define _KESTREL_INTERRUPT_H

#include <kestrel/types.h>

#define NR_IRQS 16

typedef enum irqreturn {
	IRQ_NONE = 0,
	IRQ_HANDLED = 1,
} irqreturn_t;

typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

#define IRQF_SHARED 0x00000080 /* the line may be shared */
#define IRQF_TIMER 0x00000200 /* the system tick */

/**
 * request_irq - install @handler on line @irq and unmask the line
 * @flags: IRQF_SHARED to share the line (every user must pass it)
 * @name: shown in /proc/interrupts
 * @dev_id: passed to @handler; identifies the handler for free_irq(),
 *          so it must be unique and not NULL on a shared line
 *
 * Return: 0, -EINVAL (bad line, no handler, NULL dev_id when shared),
 * -EBUSY (line taken and not shareable by both), -ENOMEM.
 * Context: may allocate; not from interrupt context.
 */
int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
		const char *name, void *dev_id);

/**
 * free_irq - remove the handler installed with @dev_id from line @irq;
 * the line is masked when its last handler goes. A free of a handler
 * that is not installed is reported with a warning and does nothing.
 */
void free_irq(unsigned int irq, void *dev_id);

void disable_irq(unsigned int irq);
void enable_irq(unsigned int irq);

/* Number of interrupts line @irq has seen (for /proc/interrupts). */
unsigned long kstat_irqs(unsigned int irq);
/* Spurious interrupts seen on lines 7 and 15 of the 8259 pair. */
extern unsigned long irq_spurious_count;

/*
 * Print one /proc/interrupts-style line per line in use, through @emit
 * (called once per line with the formatted text).
 */
void show_interrupts(void (*emit)(const char *line, void *arg), void *arg);

/* ---- softirqs: deferred work run with interrupts enabled ---- */

enum { HI_SOFTIRQ = 0, TIMER_SOFTIRQ, NR_SOFTIRQS };

/* Install @action for softirq @nr. Boot time only. */
void open_softirq(int nr, void (*action)(void));
/* Mark softirq @nr pending; it runs on the way out of the interrupt. */
void raise_softirq(int nr);
/* True while a hardware interrupt handler runs on this CPU. */
bool in_irq(void);
/* True in hardware-interrupt or softirq context. */
bool in_interrupt(void);

#endif /* _KESTREL_INTERRUPT_H */
