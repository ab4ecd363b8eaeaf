/*
 * The x86 side of hardware interrupts: entry.asm sends every vector of
 * 0x20-0x2f here; do_IRQ() turns the vector back into a line number and
 * hands it to the generic core between irq_enter() and irq_exit().
 */
#include <asm/desc.h>
#include <asm/i8259.h>
#include <asm/ptrace.h>
#include <kestrel/irq.h>
#include <kestrel/random.h>
#include <kestrel/syscalls.h>
#include <kestrel/sched.h>

void do_IRQ(struct pt_regs *regs);

/* The registers the current hardware interrupt interrupted (per CPU). */
static struct pt_regs *irq_regs;

struct pt_regs *get_irq_regs(void)
{
	return irq_regs;
}

/**
 * do_IRQ - the C side of a hardware interrupt (entry.asm)
 *
 * Context: interrupts disabled; irq_exit() may enable them to run
 * softirqs before returning.
 */
void do_IRQ(struct pt_regs *regs)
{
	unsigned int irq = regs->vector - FIRST_EXTERNAL_VECTOR;
	struct pt_regs *old_regs = irq_regs;

	irq_regs = regs;
	irq_enter();
	add_random_event(irq);
	handle_irq(irq);
	irq_regs = old_regs;
	irq_exit();
	if (user_mode(regs)) {
		exit_to_user_mode(regs);
		return;
	}
	/* Kernel preemption: the interrupted code had interrupts on and
	 * held no spinlock, so another task may run first. */
	if (preempt_need_resched() && !preempt_count() &&
	    (regs->flags & X86_EFLAGS_IF))
		preempt_schedule_irq();
}

/**
 * init_IRQ - remap the 8259 pair and mask every line. Boot only; the
 * IDT gates for the lines were installed by idt_init().
 */
void init_IRQ(void)
{
	i8259_init();
}
