/*
 * CPU-side timing: the TSC and, on CPUs without one, a delay loop, both
 * calibrated against channel 2 of the PIT used as a stopwatch.
 *
 * TSC calibration opens a 10 ms one-shot on channel 2 and spins reading
 * the TSC until the one-shot's output rises. The TSC is read just before
 * and just after loading the count, and before every poll, so the run
 * knows the count started within [before, start] and ran out within
 * [last poll that saw it running, end]: the true length is pinned down
 * to the width of those two windows, normally a few microseconds. A run
 * in which the CPU was held up at either edge (an SMI on real hardware;
 * under QEMU's TCG, the host descheduling the virtual CPU) shows a wide
 * window; a hold-up in the middle costs nothing. After a short warm-up
 * run (which also gets TCG to translate the loop), runs are repeated
 * until one is tight to 0.1%, at most CAL_MAX_TRIES times, and the
 * tightest is kept.
 *
 * The delay loop is calibrated the way Linux's calibrate_delay() does
 * it, but against the PIT rather than jiffies, so that it works with
 * interrupts disabled: double the loop count until it outlasts the
 * one-shot, then bisect. The result errs long, never short.
 *
 * All calibration runs at boot with interrupts disabled and owns PIT
 * channel 2 while it runs.
 */
#include <asm/cpufeature.h>
#include <asm/pit.h>
#include <asm/tsc.h>
#include <kestrel/irqflags.h>
#include <kestrel/math64.h>
#include <kestrel/printk.h>
#include <kestrel/time.h>
#include <kestrel/timekeeping.h>

#define CAL_MS 10 /* length of one calibration run */
#define CAL_LATCH (PIT_TICK_RATE / (MSEC_PER_SEC / CAL_MS))
#define CAL_WARMUP_LATCH (CAL_LATCH / 10)
#define CAL_MAX_TRIES 10
/* A run pinned down to 1/2^10 (0.1%) is good enough to stop at. */
#define CAL_GOOD_SHIFT 10
/* Warn when the best run is uncertain by more than 1/2^7 (0.8%). */
#define CAL_UNCERTAIN_SHIFT 7
/* A run is abandoned after this many polls: the PIT is not counting. */
#define CAL_MAX_POLLS (1UL << 23)
/* Slower than this, a "TSC" is not one. */
#define TSC_MIN_KHZ 1000

#define LOOP_CAL_START (1UL << 10)
#define LOOP_CAL_MAX (1UL << 30)
#define LOOP_CAL_BISECT_STEPS 8

unsigned long tsc_khz; /* set once at boot, read-only after */

struct tsc_run {
	u64 cycles; /* the one-shot's length, midway between the bounds */
	u64 width; /* its upper bound less its lower bound */
};

/* Time one one-shot of @latch PIT clocks in TSC cycles. */
static bool tsc_measure(u16 latch, struct tsc_run *run)
{
	unsigned long polls = 0;
	u64 before, start, running, now, end;

	before = rdtsc();
	pit_oneshot_start(latch);
	start = running = rdtsc();
	for (;;) {
		now = rdtsc();
		if (pit_oneshot_expired())
			break;
		running = now; /* the count was still running after this */
		if (++polls > CAL_MAX_POLLS)
			break;
	}
	end = rdtsc();
	pit_oneshot_stop();
	if (polls > CAL_MAX_POLLS)
		return false;
	/* Started in [before, start], ran out in [running, end]. */
	run->cycles = ((running - start) + (end - before)) / 2;
	run->width = (end - running) + (start - before);
	return run->cycles > 0;
}

/* Runs until a tight one, keeping the tightest; false if none worked. */
static bool tsc_best_run(struct tsc_run *best)
{
	struct tsc_run run;
	bool found = false;
	int i;

	tsc_measure(CAL_WARMUP_LATCH, &run);
	for (i = 0; i < CAL_MAX_TRIES; i++) {
		if (!tsc_measure(CAL_LATCH, &run))
			continue;
		if (!found || run.width < best->width)
			*best = run;
		found = true;
		if (best->width <= best->cycles >> CAL_GOOD_SHIFT)
			break;
	}
	return found;
}

/**
 * arch_cycles_init - detect the TSC and measure its frequency
 *
 * Sets tsc_khz. Return: the TSC frequency in kHz, 0 if there is none
 * or it could not be measured.
 * Context: boot, after cpu_detect(); disables interrupts for 20 ms
 * (up to 110 ms on a busy host).
 */
unsigned long arch_cycles_init(void)
{
	/* One run lasts CAL_LATCH + 1 PIT clocks (mode 0 loads on a clock). */
	const u32 run_khz_div = (CAL_LATCH + 1) * MSEC_PER_SEC;
	struct tsc_run best = { 0 };
	unsigned long flags;
	bool ok;

	if (!boot_cpu_has(X86_FEATURE_TSC)) {
		pr_info("tsc: not present, delays use a calibrated loop\n");
		return 0;
	}
	local_irq_save(flags);
	ok = tsc_best_run(&best);
	local_irq_restore(flags);

	if (ok)
		tsc_khz = div_u64(best.cycles * PIT_TICK_RATE + run_khz_div / 2,
				  run_khz_div);
	if (!ok || tsc_khz < TSC_MIN_KHZ) {
		pr_warn("tsc: calibration against the PIT failed; not used\n");
		tsc_khz = 0;
		return 0;
	}
	if (best.width > best.cycles >> CAL_UNCERTAIN_SHIFT)
		pr_warn("tsc: calibration uncertain (+-%u of %u cycles)\n",
			(u32)(best.width / 2), (u32)best.cycles);
	pr_info("tsc: Detected %lu.%03lu MHz processor\n", tsc_khz / 1000,
		tsc_khz % 1000);
	return tsc_khz;
}

u64 arch_read_cycles(void)
{
	return rdtsc();
}

static u64 boot_tsc; /* the TSC when start_kernel() began, or 0 */

void tsc_mark_boot(void)
{
	if (boot_cpu_has(X86_FEATURE_TSC))
		boot_tsc = rdtsc();
}

u64 arch_boot_cycles(void)
{
	return boot_tsc;
}

/**
 * arch_delay_loop - spin for @loops iterations of a fixed two-instruction
 * loop; written in assembly so that the compiler cannot change its
 * speed. Context: any.
 */
void arch_delay_loop(unsigned long loops)
{
	if (!loops)
		return;
	__asm__ __volatile__("1:\n\t"
			     "decl %0\n\t"
			     "jnz 1b"
			     : "+r"(loops)
			     :
			     : "cc");
}

/* True if @loops iterations last longer than a CAL_MS one-shot. */
static bool loop_outlasts_oneshot(unsigned long loops)
{
	bool expired;

	pit_oneshot_start(CAL_LATCH);
	arch_delay_loop(loops);
	expired = pit_oneshot_expired();
	pit_oneshot_stop();
	return expired;
}

/**
 * arch_calibrate_delay_loop - iterations of arch_delay_loop() per ms
 *
 * Errs on the long side, so udelay() never returns early.
 * Context: boot; disables interrupts for up to a few hundred ms.
 */
unsigned long delay_loops_per_ms; /* set once at boot, or 0 */

unsigned long arch_calibrate_delay_loop(void)
{
	unsigned long lo, hi = LOOP_CAL_START, mid, flags;
	int i;

	local_irq_save(flags);
	loop_outlasts_oneshot(hi); /* warm-up */
	while (hi < LOOP_CAL_MAX && !loop_outlasts_oneshot(hi))
		hi <<= 1;
	/* hi outlasts the one-shot (or is the cap); hi / 2 did not. */
	lo = hi >> 1;
	for (i = 0; i < LOOP_CAL_BISECT_STEPS; i++) {
		mid = lo + (hi - lo) / 2;
		if (loop_outlasts_oneshot(mid))
			hi = mid;
		else
			lo = mid;
	}
	local_irq_restore(flags);
	delay_loops_per_ms = (hi + CAL_MS - 1) / CAL_MS;
	pr_info("delay: %lu loops per ms\n", delay_loops_per_ms);
	return delay_loops_per_ms;
}
