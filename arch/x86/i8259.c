/*
 * The 8259A pair: remapped to vectors 0x20-0x2f (the BIOS leaves IRQ 0-7
 * on vectors 8-15, on top of the CPU's exceptions), all lines masked
 * until a driver asks for one.
 *
 * Spurious interrupts: if a line's request goes away before the CPU
 * acknowledges it, the 8259 still delivers its lowest-priority line (7
 * on the master, 15 on the slave) without setting the in-service bit.
 * Reading the ISR tells them apart; a spurious IRQ 7 needs no EOI, a
 * spurious IRQ 15 needs one on the master only (for the cascade line).
 */
#include <asm/i8259.h>
#include <asm/io.h>
#include <kestrel/irq.h>
#include <kestrel/spinlock.h>

static DEFINE_SPINLOCK(i8259_lock); /* protects cached_mask and the ports */
static unsigned int cached_mask = 0xffff; /* bit n set: line n masked */

static void i8259_write_mask(void)
{
	outb(cached_mask & 0xff, PIC_MASTER_DATA);
	outb(cached_mask >> 8, PIC_SLAVE_DATA);
}

static void i8259_mask(unsigned int irq)
{
	unsigned long flags;

	spin_lock_irqsave(&i8259_lock, flags);
	cached_mask |= 1U << irq;
	i8259_write_mask();
	spin_unlock_irqrestore(&i8259_lock, flags);
}

static void i8259_unmask(unsigned int irq)
{
	unsigned long flags;

	spin_lock_irqsave(&i8259_lock, flags);
	cached_mask &= ~(1U << irq);
	if (irq >= 8)
		cached_mask &= ~(1U << PIC_CASCADE_IRQ);
	i8259_write_mask();
	spin_unlock_irqrestore(&i8259_lock, flags);
}

static void i8259_ack(unsigned int irq)
{
	if (irq >= 8)
		outb(PIC_OCW2_EOI, PIC_SLAVE_CMD);
	outb(PIC_OCW2_EOI, PIC_MASTER_CMD);
}

static unsigned int i8259_read_isr(void)
{
	unsigned int isr;

	outb(PIC_OCW3_READ_ISR, PIC_MASTER_CMD);
	outb(PIC_OCW3_READ_ISR, PIC_SLAVE_CMD);
	isr = inb(PIC_MASTER_CMD) | (inb(PIC_SLAVE_CMD) << 8);
	return isr;
}

static bool i8259_is_spurious(unsigned int irq)
{
	bool spurious;
	unsigned long flags;

	if (irq != PIC_SPURIOUS_MASTER && irq != PIC_SPURIOUS_SLAVE)
		return false;
	spin_lock_irqsave(&i8259_lock, flags);
	spurious = !(i8259_read_isr() & (1U << irq));
	if (spurious && irq == PIC_SPURIOUS_SLAVE)
		outb(PIC_OCW2_EOI, PIC_MASTER_CMD);
	spin_unlock_irqrestore(&i8259_lock, flags);
	return spurious;
}

static const struct irq_chip i8259_chip = {
	.name = "XT-PIC",
	.mask = i8259_mask,
	.unmask = i8259_unmask,
	.ack = i8259_ack,
	.is_spurious = i8259_is_spurious,
};

/**
 * i8259_init - remap and mask the 8259 pair, and own lines 0-15
 */
void i8259_init(void)
{
	unsigned int irq;

	outb(PIC_ICW1_INIT | PIC_ICW1_ICW4, PIC_MASTER_CMD);
	io_delay();
	outb(PIC_ICW1_INIT | PIC_ICW1_ICW4, PIC_SLAVE_CMD);
	io_delay();
	outb(PIC_MASTER_VECTOR, PIC_MASTER_DATA); /* ICW2: vector base */
	io_delay();
	outb(PIC_SLAVE_VECTOR, PIC_SLAVE_DATA);
	io_delay();
	outb(1U << PIC_CASCADE_IRQ, PIC_MASTER_DATA); /* ICW3: slave at 2 */
	io_delay();
	outb(PIC_CASCADE_IRQ, PIC_SLAVE_DATA); /* ICW3: cascade identity */
	io_delay();
	outb(PIC_ICW4_8086, PIC_MASTER_DATA);
	io_delay();
	outb(PIC_ICW4_8086, PIC_SLAVE_DATA);
	io_delay();

	cached_mask = 0xffff;
	i8259_write_mask();
	for (irq = 0; irq < NR_IRQS; irq++)
		irq_set_chip(irq, &i8259_chip);
}
