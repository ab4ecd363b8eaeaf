/*
 * The 8254 PIT as the kernel's tick and as a calibration stopwatch.
 *
 * Channel 0 runs in mode 2 (rate generator): it counts PIT_LATCH input
 * clocks down, pulses OUT, reloads and starts again by itself, so IRQ 0
 * arrives HZ times a second with no reprogramming. HZ = 250 does not
 * divide 1193182 Hz exactly; the count is rounded (4773) and the true
 * tick length, 4000227 ns, is handed to the timekeeping core, which
 * uses it only when there is no TSC to measure time more finely.
 *
 * Channel 2 serves as a one-shot stopwatch: mode 0 with its gate opened
 * through port 0x61, its OUT pin read back on the same port. It needs
 * no interrupt, so calibration works with interrupts still disabled.
 *
 * Locking: pit_lock serialises the control word register, which all
 * channels share, and the read-modify-write of port 0x61, which the PC
 * speaker shares.
 */
#include <asm/io.h>
#include <asm/pit.h>
#include <kestrel/bug.h>
#include <kestrel/interrupt.h>
#include <kestrel/ioport.h>
#include <kestrel/printk.h>
#include <kestrel/spinlock.h>
#include <kestrel/time.h>
#include <kestrel/timekeeping.h>

BUILD_BUG_ON(PIT_LATCH > PIT_COUNT_MAX);

/* The length of one tick, exactly: PIT_LATCH clocks of the PIT. */
#define PIT_TICK_NSEC ((u32)((u64)PIT_LATCH * NSEC_PER_SEC / PIT_TICK_RATE))

static DEFINE_SPINLOCK(pit_lock); /* the control word port and port 0x61 */

/* Load @count into the counter behind @port, low byte then high byte. */
static void pit_write_count(u16 port, u16 count)
{
	outb(count & PIT_BYTE_MASK, port);
	outb(count >> PIT_BYTE_SHIFT, port);
}

static irqreturn_t pit_timer_interrupt(int irq, void *dev_id)
{
	tick_periodic();
	return IRQ_HANDLED;
}

/**
 * arch_tick_init - program channel 0 for HZ and install the tick handler
 *
 * Return: the tick length in nanoseconds.
 * Context: boot, after init_IRQ(), interrupts disabled. IRQ 0 belongs
 * to the tick; failing to get it is a kernel bug, hence the panic.
 */
u32 arch_tick_init(void)
{
	unsigned long flags;
	int err;

	spin_lock_irqsave(&pit_lock, flags);
	outb(PIT_SEL_CH0 | PIT_RW_LSB_MSB | PIT_MODE_RATE_GEN | PIT_BINARY,
	     PIT_MODE_PORT);
	pit_write_count(PIT_CH0_PORT, PIT_LATCH);
	spin_unlock_irqrestore(&pit_lock, flags);

	err = request_irq(PIT_IRQ, pit_timer_interrupt, IRQF_TIMER, "timer",
			  NULL);
	if (err)
		panic("pit: cannot install the tick on IRQ %d: %d", PIT_IRQ,
		      err);
	pr_info("pit: tick at HZ=%d, count %d, %u ns per tick\n", HZ, PIT_LATCH,
		PIT_TICK_NSEC);
	return PIT_TICK_NSEC;
}

/**
 * pit_oneshot_start - start a one-shot of @count clocks on channel 2
 *
 * Mode 0 drives OUT low when the control word is written and high once
 * the count, loaded on the next clock, has run down to zero: N + 1
 * clocks after the count was written (datasheet, "Mode 0"). The speaker
 * is kept silent.
 * Context: any; the caller owns channel 2 for the duration.
 */
void pit_oneshot_start(u16 count)
{
	unsigned long flags;
	u8 sc;

	spin_lock_irqsave(&pit_lock, flags);
	sc = inb(NMI_SC_PORT) & NMI_SC_WRITABLE;
	outb((sc & ~NMI_SC_SPKR_DATA) | NMI_SC_TIM2_GATE, NMI_SC_PORT);
	outb(PIT_SEL_CH2 | PIT_RW_LSB_MSB | PIT_MODE_TERMINAL | PIT_BINARY,
	     PIT_MODE_PORT);
	pit_write_count(PIT_CH2_PORT, count);
	spin_unlock_irqrestore(&pit_lock, flags);
}

/* True once the one-shot started by pit_oneshot_start() has run out. */
bool pit_oneshot_expired(void)
{
	return inb(NMI_SC_PORT) & NMI_SC_TIM2_OUT;
}

/* Close channel 2's gate again, leaving it idle. */
void pit_oneshot_stop(void)
{
	unsigned long flags;
	u8 sc;

	spin_lock_irqsave(&pit_lock, flags);
	sc = inb(NMI_SC_PORT) & NMI_SC_WRITABLE;
	outb(sc & ~(NMI_SC_TIM2_GATE | NMI_SC_SPKR_DATA), NMI_SC_PORT);
	spin_unlock_irqrestore(&pit_lock, flags);
}
