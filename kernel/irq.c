/*
 * The generic interrupt core: one descriptor per line, holding the
 * controller that drives the line (struct irq_chip) and the chain of
 * handlers drivers installed with request_irq().
 *
 * Flow of one interrupt (handle_irq): count it; let the controller
 * filter spurious ones; acknowledge it; run every handler on the line;
 * if none claimed it many times in a row, report "nobody cared" and
 * mask the line rather than let a stuck device storm the CPU.
 *
 * Locking: each descriptor's lock (taken irqsave) protects its handler
 * chain and depth. Handlers run with the lock dropped and IRQ_INPROGRESS
 * set, so free_irq() can wait for a running handler to finish.
 */
#include <kestrel/errno.h>
#include <kestrel/irq.h>
#include <kestrel/kstrtox.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/spinlock.h>

#define IRQ_INPROGRESS 0x1
#define IRQ_NOBODY_CARED_LIMIT 1000 /* unclaimed in a row before masking */

struct irqaction {
	irq_handler_t handler;
	unsigned long flags;
	const char *name;
	void *dev_id;
	struct irqaction *next;
};

struct irq_desc {
	spinlock_t lock; /* protects action, depth, status */
	const struct irq_chip *chip;
	struct irqaction *action; /* handler chain, in request order */
	unsigned int depth; /* nested disable_irq() calls */
	unsigned int status; /* IRQ_INPROGRESS */
	unsigned long count; /* interrupts seen (statistics) */
	unsigned int unhandled; /* unclaimed in a row */
};

static struct irq_desc irq_desc[NR_IRQS];
unsigned long irq_spurious_count;

static struct irq_desc *irq_to_desc(unsigned int irq)
{
	if (irq >= NR_IRQS || !irq_desc[irq].chip)
		return NULL;
	return &irq_desc[irq];
}

void irq_set_chip(unsigned int irq, const struct irq_chip *chip)
{
	spin_lock_init(&irq_desc[irq].lock);
	irq_desc[irq].chip = chip;
	irq_desc[irq].depth = 1; /* masked until a handler is installed */
}

/* Can @flags join the handlers already on @desc? Caller holds the lock. */
static bool irq_can_share(struct irq_desc *desc, unsigned long flags)
{
	lockdep_assert_held(&desc->lock);
	return !desc->action ||
	       ((desc->action->flags & flags & IRQF_SHARED) != 0);
}

int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
		const char *name, void *dev_id)
{
	struct irq_desc *desc = irq_to_desc(irq);
	struct irqaction *action, **p;
	unsigned long irqflags;

	if (!desc || !handler || ((flags & IRQF_SHARED) && !dev_id))
		return -EINVAL;
	action = kzalloc(sizeof(*action), GFP_KERNEL);
	if (!action)
		return -ENOMEM;
	action->handler = handler;
	action->flags = flags;
	action->name = name;
	action->dev_id = dev_id;

	spin_lock_irqsave(&desc->lock, irqflags);
	if (!irq_can_share(desc, flags)) {
		spin_unlock_irqrestore(&desc->lock, irqflags);
		kfree(action);
		return -EBUSY;
	}
	for (p = &desc->action; *p; p = &(*p)->next)
		;
	*p = action;
	if (action == desc->action) {
		desc->unhandled = 0;
		desc->depth = 0;
		desc->chip->unmask(irq);
	}
	spin_unlock_irqrestore(&desc->lock, irqflags);
	return 0;
}

/* Wait until no handler of @desc is running (on another CPU). */
static void synchronize_irq(struct irq_desc *desc)
{
	while (READ_ONCE(desc->status) & IRQ_INPROGRESS)
		barrier();
}

void free_irq(unsigned int irq, void *dev_id)
{
	struct irq_desc *desc = irq_to_desc(irq);
	struct irqaction *action = NULL, **p;
	unsigned long flags;

	if (!desc) {
		pr_warn("free_irq: no such line %u\n", irq);
		return;
	}
	spin_lock_irqsave(&desc->lock, flags);
	for (p = &desc->action; *p; p = &(*p)->next) {
		if ((*p)->dev_id == dev_id) {
			action = *p;
			*p = action->next;
			break;
		}
	}
	if (action && !desc->action) {
		desc->depth = 1;
		desc->chip->mask(irq);
	}
	spin_unlock_irqrestore(&desc->lock, flags);

	if (!action) {
		pr_warn("free_irq: trying to free already-free IRQ %u\n", irq);
		WARN_ON(1);
		return;
	}
	synchronize_irq(desc);
	kfree(action);
}

void disable_irq(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned long flags;

	if (!desc)
		return;
	spin_lock_irqsave(&desc->lock, flags);
	if (desc->depth++ == 0)
		desc->chip->mask(irq);
	spin_unlock_irqrestore(&desc->lock, flags);
	synchronize_irq(desc);
}

void enable_irq(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned long flags;

	if (!desc)
		return;
	spin_lock_irqsave(&desc->lock, flags);
	if (desc->depth == 0)
		pr_warn("enable_irq: unbalanced enable of IRQ %u\n", irq);
	else if (--desc->depth == 0 && desc->action)
		desc->chip->unmask(irq);
	spin_unlock_irqrestore(&desc->lock, flags);
}

unsigned long kstat_irqs(unsigned int irq)
{
	return irq < NR_IRQS ? READ_ONCE(irq_desc[irq].count) : 0;
}

/* Run the chain; return whether any handler claimed the interrupt. */
static bool run_handlers(unsigned int irq, struct irqaction *action)
{
	bool handled = false;

	for (; action; action = action->next)
		if (action->handler((int)irq, action->dev_id) == IRQ_HANDLED)
			handled = true;
	return handled;
}

/* Caller holds desc->lock. */
static void note_interrupt(unsigned int irq, struct irq_desc *desc,
			   bool handled)
{
	lockdep_assert_held(&desc->lock);
	if (handled) {
		desc->unhandled = 0;
		return;
	}
	if (!desc->action || ++desc->unhandled >= IRQ_NOBODY_CARED_LIMIT) {
		pr_err("irq %u: nobody cared, disabling the line\n", irq);
		desc->depth++;
		desc->chip->mask(irq);
	}
}

void handle_irq(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);
	struct irqaction *action;
	bool handled;

	if (!desc)
		return;
	if (desc->chip->is_spurious && desc->chip->is_spurious(irq)) {
		irq_spurious_count++;
		return;
	}
	desc->chip->ack(irq);

	spin_lock(&desc->lock);
	desc->count++;
	action = desc->action;
	desc->status |= IRQ_INPROGRESS;
	spin_unlock(&desc->lock);

	handled = run_handlers(irq, action);

	spin_lock(&desc->lock);
	desc->status &= ~IRQ_INPROGRESS;
	note_interrupt(irq, desc, handled);
	spin_unlock(&desc->lock);
}

/*
 * /proc/interrupts in Linux 2.6 i386's format (arch/i386/kernel/irq.c):
 *
 *	           CPU0
 *	  0:      12345          XT-PIC  timer
 *	  4:         32          XT-PIC  serial, other
 *	NMI:          0 
 *	ERR:          0
 *
 * one line per line with handlers, all their names comma-separated.
 */
void show_interrupts(void (*emit)(const char *line, void *arg), void *arg)
{
	char line[160];
	unsigned int irq, n;
	unsigned long flags;
	struct irqaction *a;

	emit("           CPU0       \n", arg);
	for (irq = 0; irq < NR_IRQS; irq++) {
		struct irq_desc *desc = irq_to_desc(irq);

		if (!desc)
			continue;
		spin_lock_irqsave(&desc->lock, flags);
		if (!desc->action) {
			spin_unlock_irqrestore(&desc->lock, flags);
			continue;
		}
		n = scnprintf(line, sizeof(line), "%3u: %10lu  %14s", irq,
			      desc->count, desc->chip->name);
		for (a = desc->action; a; a = a->next)
			n += scnprintf(line + n, sizeof(line) - n, "%s%s",
				       a == desc->action ? "  " : ", ",
				       a->name);
		spin_unlock_irqrestore(&desc->lock, flags);
		scnprintf(line + n, sizeof(line) - n, "\n");
		emit(line, arg);
	}
	emit("NMI:          0 \n", arg); /* no NMI sources are used */
	scnprintf(line, sizeof(line), "ERR: %10lu\n", irq_spurious_count);
	emit(line, arg);
}
