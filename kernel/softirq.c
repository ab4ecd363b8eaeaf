/*
 * Softirqs: work a hardware interrupt defers to run with interrupts
 * enabled, on the way out of the interrupt (irq_exit). The timer wheel
 * is the first user: the tick only raises TIMER_SOFTIRQ, and the timer
 * callbacks run here, where further interrupts can be taken.
 *
 * A softirq never nests in itself: an interrupt taken while softirqs
 * run sees softirq_nesting > 0 and leaves the new work to the loop in
 * do_softirq(), which picks it up before returning. Softirqs run with
 * preemption disabled, so the counters below, per CPU, stay the
 * current task's: no task switch happens inside interrupt context.
 */
#include <kestrel/irq.h>
#include <kestrel/irqflags.h>
#include <kestrel/preempt.h>
#include <kestrel/printk.h>

#define MAX_SOFTIRQ_RESTART 10

static void (*softirq_vec[NR_SOFTIRQS])(void);
/* Per CPU, touched only with local interrupts disabled. */
static unsigned long softirq_pending;
static unsigned int hardirq_nesting;
static unsigned int softirq_nesting;

void open_softirq(int nr, void (*action)(void))
{
	softirq_vec[nr] = action;
}

void raise_softirq(int nr)
{
	unsigned long flags;

	local_irq_save(flags);
	softirq_pending |= 1UL << nr;
	local_irq_restore(flags);
}

bool in_irq(void)
{
	return hardirq_nesting != 0;
}

bool in_interrupt(void)
{
	return hardirq_nesting != 0 || softirq_nesting != 0;
}

void irq_enter(void)
{
	hardirq_nesting++;
}

/* Run pending softirqs. Context: interrupts disabled on entry and exit. */
static void do_softirq(void)
{
	unsigned int restart = MAX_SOFTIRQ_RESTART;
	unsigned long pending;
	int nr;

	/* No preemption while softirqs run: an interrupt that arrives now
	 * must not switch tasks with softirq_nesting raised. */
	preempt_disable();
	softirq_nesting++;
	while ((pending = softirq_pending) != 0 && restart--) {
		softirq_pending = 0;
		local_irq_enable();
		for (nr = 0; nr < NR_SOFTIRQS; nr++)
			if ((pending & (1UL << nr)) && softirq_vec[nr])
				softirq_vec[nr]();
		local_irq_disable();
	}
	softirq_nesting--;
	preempt_enable_no_resched();
}

void irq_exit(void)
{
	hardirq_nesting--;
	if (!hardirq_nesting && !softirq_nesting && softirq_pending)
		do_softirq();
}
