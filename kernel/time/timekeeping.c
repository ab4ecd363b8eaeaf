/*
 * Timekeeping: jiffies, the monotonic clock, the wall-clock offset and
 * busy-wait delays.
 *
 * The tick (tick_periodic(), HZ times a second from the PIT's interrupt)
 * is the heartbeat: it advances jiffies and lets the timer wheel run.
 * Jiffies are a coarse clock (4 ms at HZ = 250), so ktime_get_ns()
 * interpolates between ticks with the cycle counter (the TSC):
 *
 *	now = base_ns + cycles_to_ns(arch_read_cycles() - cycle_last)
 *
 * where each tick moves (cycle_last, base_ns) forward by the cycles that
 * really passed. Converting cycles to nanoseconds is a multiply and a
 * shift, ns = cycles * mult >> shift, with mult = 10^6 * 2^shift / kHz
 * worked out once at boot: no division on the fast path (i386 would
 * need libgcc's __udivdi3 for it). The clock counts from time_init();
 * before that it reads 0. Rounding can make a reading right after a
 * tick a nanosecond smaller than one just before it, so every reader
 * also clamps to the largest value handed out so far: the clock never
 * goes backwards. Without a TSC the clock advances a tick at a time.
 *
 * Tick interrupts can be lost: the PIC holds one pending edge of IRQ 0,
 * and a second edge that comes while the first is still undelivered
 * merges with it (interrupts off for longer than a tick; under QEMU's
 * TCG, also while a busy host leaves the virtual CPU unscheduled).
 * Counting interrupts would then let jiffies fall behind the clock. So,
 * as Linux's tick_do_update_jiffies64() does, the tick also reads the
 * clock: tk.jiffies_ns is the clock time jiffies_64 stands for, and the
 * whole ticks the clock shows past it are added to jiffies too. Each
 * interrupt still counts for at least one tick, so jiffies keep the
 * interrupts' pace when the clock runs a hair slower than the PIT (the
 * TSC calibration's error): jiffies never fall a whole tick behind the
 * clock, and run ahead of it by at most that error. Without a TSC there
 * is no clock to catch up from, and every interrupt is one tick.
 *
 * The wall clock is the RTC's reading at boot plus the monotonic clock;
 * nothing adjusts it afterwards (no NTP).
 *
 * Locking: tk_lock, taken with interrupts disabled, guards jiffies_64
 * and the timekeeper. Readers take it too: they also write last_ns, and
 * a 64-bit value cannot be read in one access on i386. The critical
 * sections are a few instructions long and call nothing that can print,
 * so ktime_get_ns() is safe from any context, printk included.
 */
#include <kestrel/compiler.h>
#include <kestrel/itimer.h>
#include <kestrel/math64.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/spinlock.h>
#include <kestrel/time.h>
#include <kestrel/timekeeping.h>
#include <kestrel/timer.h>

#define U32_MAX_VALUE 0xffffffffULL
#define CYC2NS_MAX_SHIFT 32
/* Before calibration, udelay() guesses; this errs long on a slow CPU. */
#define DEFAULT_LOOPS_PER_MS (1UL << 20)

volatile unsigned long jiffies; /* the low word of jiffies_64 */

/*
 * Fields are tagged with what guards them:
 *	[t]  tk_lock
 *	[b]  written once by time_init() with interrupts off, read-only after
 */
static DEFINE_SPINLOCK(tk_lock); /* jiffies_64 and the [t] fields of tk */
static u64 jiffies_64; /* [t] ticks since boot */

static struct timekeeper {
	bool ready; /* [b] time_init() is done: the clock may be read */
	u32 tick_nsec; /* [b] length of a tick, for the no-TSC clock */
	unsigned long cyc_khz; /* [b] counter frequency; 0 without one */
	u32 mult, shift; /* [b] ns = cycles * mult >> shift */
	u64 cycle_last; /* [t] counter value at the last tick */
	u64 base_ns; /* [t] the clock at cycle_last */
	u64 jiffies_ns; /* [t] the clock time jiffies_64 stands for */
	u64 last_ns; /* [t] the largest reading handed out */
	s64 boot_real_sec; /* [b] wall-clock seconds at time_init() */
	unsigned long loops_per_ms; /* [b] for delays without a counter */
} tk = {
	.loops_per_ms = DEFAULT_LOOPS_PER_MS,
};

/*
 * Cycles to nanoseconds for any 64-bit @delta, in two halves so that
 * each product fits in 64 bits: the high half's product is shifted left
 * by (32 - shift) instead of right by shift.
 */
static u64 cycles_to_ns(u64 delta)
{
	u32 lo = (u32)delta, hi = delta >> 32;
	u64 ns = ((u64)lo * tk.mult) >> tk.shift;

	if (hi)
		ns += ((u64)hi * tk.mult) << (CYC2NS_MAX_SHIFT - tk.shift);
	return ns;
}

/* The largest shift (best precision) for which mult fits in 32 bits. */
static void tk_set_mult_shift(unsigned long khz)
{
	u32 shift;
	u64 mult = 0;

	for (shift = CYC2NS_MAX_SHIFT; shift > 0; shift--) {
		mult = div_u64((NSEC_PER_MSEC << shift) + khz / 2, khz);
		if (mult <= U32_MAX_VALUE)
			break;
	}
	tk.mult = mult;
	tk.shift = shift;
}

/* The clock now, before clamping. Caller holds tk_lock. */
static u64 tk_read_ns(void)
{
	assert_spin_locked(&tk_lock);
	if (!tk.cyc_khz)
		return jiffies_64 * tk.tick_nsec;
	return tk.base_ns + cycles_to_ns(arch_read_cycles() - tk.cycle_last);
}

/*
 * How many ticks the interrupt that found the clock at @now stands for:
 * its own, plus every whole tick the clock shows missed since
 * tk.jiffies_ns, which moves on by as many. An interrupt that comes
 * before its tick is due by the clock (the TSC reads a little slow, or
 * the previous interrupt came late) still counts one, and jiffies_ns
 * moves back to @now so as not to run ahead of the clock. Caller holds
 * tk_lock.
 *
 *	clock          0    T    2T   3T   4T   5T
 *	IRQ 0 edges         |    |    x    x    |     x: merged, lost
 *	ticks counted       1    1              3
 */
static unsigned long tk_ticks_due(u64 now)
{
	u64 missed;

	tk.jiffies_ns += tk.tick_nsec;
	if (now < tk.jiffies_ns) {
		tk.jiffies_ns = now;
		return 1;
	}
	missed = div_u64(now - tk.jiffies_ns, tk.tick_nsec);
	tk.jiffies_ns += missed * tk.tick_nsec;
	return 1 + (unsigned long)missed;
}

/*
 * Move the clock's base to now and jiffies on by the ticks that passed.
 * Returns that number of ticks. Caller holds tk_lock.
 */
static unsigned long tk_advance(void)
{
	unsigned long ticks = 1;
	u64 cycles;

	assert_spin_locked(&tk_lock);
	if (tk.cyc_khz) {
		cycles = arch_read_cycles();
		tk.base_ns += cycles_to_ns(cycles - tk.cycle_last);
		tk.cycle_last = cycles;
		ticks = tk_ticks_due(tk.base_ns);
	}
	jiffies_64 += ticks;
	jiffies = (unsigned long)jiffies_64;
	return ticks;
}

/**
 * tick_periodic - account a tick interrupt: jiffies and the clock, the
 * timers, the scheduler's timeslice and load average, and the running
 * process's CPU itimers
 *
 * Usually one tick; more when the clock shows that tick interrupts were
 * lost (tk_ticks_due), and then everything counted in ticks moves on by
 * all of them at once.
 * Context: the tick's hard interrupt, interrupts disabled.
 */
void tick_periodic(void)
{
	unsigned long flags, ticks;

	spin_lock_irqsave(&tk_lock, flags);
	ticks = tk_advance();
	spin_unlock_irqrestore(&tk_lock, flags);
	timer_tick();
	scheduler_tick(ticks);
	run_cpu_itimers();
}

/**
 * get_jiffies_64 - the 64-bit tick count, read consistently
 *
 * Context: any.
 */
u64 get_jiffies_64(void)
{
	unsigned long flags;
	u64 j;

	spin_lock_irqsave(&tk_lock, flags);
	j = jiffies_64;
	spin_unlock_irqrestore(&tk_lock, flags);
	return j;
}

/**
 * ktime_get_ns - nanoseconds since boot, never decreasing
 *
 * The clock counts from the start of start_kernel() when the CPU has a
 * TSC, from time_init() otherwise. Return: 0 before time_init().
 * Context: any, interrupts on or off.
 */
u64 ktime_get_ns(void)
{
	unsigned long flags;
	u64 ns;

	if (!READ_ONCE(tk.ready))
		return 0;
	spin_lock_irqsave(&tk_lock, flags);
	ns = tk_read_ns();
	if (ns < tk.last_ns)
		ns = tk.last_ns;
	tk.last_ns = ns;
	spin_unlock_irqrestore(&tk_lock, flags);
	return ns;
}

/**
 * ktime_get_real_seconds - seconds since 1970-01-01 00:00:00 UTC
 *
 * The RTC's time at boot plus the uptime; counts from 0 if the RTC
 * could not be read. Context: any.
 */
s64 ktime_get_real_seconds(void)
{
	return tk.boot_real_sec + (s64)div_u64(ktime_get_ns(), NSEC_PER_SEC);
}

/**
 * ktime_get_real_ns - nanoseconds since the Unix epoch
 *
 * The RTC's time at boot, plus any settimeofday() offset, plus the
 * monotonic clock. Context: any.
 */
u64 ktime_get_real_ns(void)
{
	s64 base = READ_ONCE(tk.boot_real_sec);

	return (u64)base * NSEC_PER_SEC + ktime_get_ns();
}

/**
 * timekeeping_set_real - make the wall clock read @sec.@nsec now
 *
 * Only whole seconds of the boot offset are kept: the sub-second part
 * is absorbed into the monotonic reading (good to a second, like the
 * RTC it came from). Context: process.
 */
void timekeeping_set_real(s64 sec, long nsec)
{
	u32 rem;
	s64 mono_sec = (s64)div_u64_rem(ktime_get_ns(), NSEC_PER_SEC, &rem);

	(void)nsec;
	WRITE_ONCE(tk.boot_real_sec, sec - mono_sec);
}

/* Spin until @cycles counter cycles have passed. */
static void delay_cycles(u64 cycles)
{
	u64 start = arch_read_cycles();

	while (arch_read_cycles() - start < cycles)
		barrier();
}

/**
 * udelay - busy-wait at least @usecs microseconds
 *
 * Meant for short waits (up to a millisecond or so); use mdelay() for
 * longer ones. Before time_init() the length is a guess.
 * Context: any; does not sleep.
 */
void udelay(unsigned long usecs)
{
	if (tk.cyc_khz)
		delay_cycles(
			div_u64((u64)usecs * tk.cyc_khz + USEC_PER_MSEC - 1,
				USEC_PER_MSEC));
	else
		arch_delay_loop(div_u64((u64)usecs * tk.loops_per_ms +
						USEC_PER_MSEC - 1,
					USEC_PER_MSEC));
}

/**
 * ndelay - busy-wait at least @nsecs nanoseconds (rounded up to the
 * counter's resolution, or to a microsecond without a counter).
 * Context: any; does not sleep.
 */
void ndelay(unsigned long nsecs)
{
	if (tk.cyc_khz)
		delay_cycles(
			div_u64((u64)nsecs * tk.cyc_khz + NSEC_PER_MSEC - 1,
				NSEC_PER_MSEC));
	else
		udelay(nsecs / (u32)NSEC_PER_USEC + 1);
}

/**
 * mdelay - busy-wait at least @msecs milliseconds, a millisecond at a
 * time so that no product overflows. Context: any; does not sleep.
 */
void mdelay(unsigned long msecs)
{
	while (msecs--)
		udelay(USEC_PER_MSEC);
}

/* Set the wall-clock offset from the RTC, and say what it reads. */
static void timekeeping_read_rtc(void)
{
	struct rtc_time tm;
	int err;

	err = arch_rtc_read_time(&tm);
	if (err) {
		pr_warn("rtc: unreadable (error %d), time starts at 1970\n",
			err);
		tk.boot_real_sec = 0;
		return;
	}
	pr_info("rtc: %04u-%02u-%02u %02u:%02u:%02u UTC\n", tm.year, tm.mon,
		tm.mday, tm.hour, tm.min, tm.sec);
	tk.boot_real_sec =
		mktime64(tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec) -
		(s64)div_u64(ktime_get_ns(), NSEC_PER_SEC);
}

/**
 * time_init - start the tick, calibrate the clocks, read the RTC and
 * set up the timer wheel
 *
 * Context: boot, once, after init_IRQ() and with interrupts still
 * disabled; jiffies start moving when they are enabled.
 */
void time_init(void)
{
	unsigned long flags;

	tk.tick_nsec = arch_tick_init();
	tk.cyc_khz = arch_cycles_init();
	if (!tk.cyc_khz)
		tk.loops_per_ms = arch_calibrate_delay_loop();

	spin_lock_irqsave(&tk_lock, flags);
	if (tk.cyc_khz) {
		tk_set_mult_shift(tk.cyc_khz);
		/* Count from the start of the kernel when it was noted. */
		tk.cycle_last = arch_boot_cycles() ?: arch_read_cycles();
	}
	tk.base_ns = jiffies_64 * tk.tick_nsec;
	/* Jiffies count the clock's ticks from here on. */
	tk.jiffies_ns = tk_read_ns();
	spin_unlock_irqrestore(&tk_lock, flags);
	WRITE_ONCE(tk.ready, true);

	timekeeping_read_rtc();
	init_timers();
}
