/*
 * The load average, as Linux computes it: every LOAD_FREQ (5 s) the
 * number of tasks that want a CPU or wait uninterruptibly (disk, locks),
 * n, is folded into three exponentially-decaying averages,
 *
 *	load = load * e + n * (1 - e),	e = exp(-5 s / T), T = 1, 5, 15 min
 *
 * in fixed point with FSHIFT = 11 fraction bits: 1.0 is FIXED_1 = 2048
 * and e is EXP_1 = 2048 / exp(5/60) = 1884, EXP_5 = 2014, EXP_15 = 2037.
 * An average therefore moves 1 - e of the way towards n each time: the
 * 1-minute one about 8 %, so after a minute of one busy task it reads
 * 0.63, the familiar 1 - 1/e.
 *
 * Locking: avenrun and load_ticks are written only here, from the timer
 * tick with interrupts off (one CPU); readers (/proc/loadavg, sysinfo)
 * read each word once.
 */
#include <kestrel/sched.h>
#include <kestrel/time.h>

#include "sched.h"

#define LOAD_FREQ (5 * HZ + 1) /* 5 s, plus a tick so it drifts past */
#define EXP_1 1884 /* FIXED_1 / exp(5 s / 1 min) */
#define EXP_5 2014 /* FIXED_1 / exp(5 s / 5 min) */
#define EXP_15 2037 /* FIXED_1 / exp(5 s / 15 min) */

unsigned long avenrun[3];
static unsigned long load_ticks; /* ticks since the last sample */

/* One step of the decay, rounding up when climbing (Linux's calc_load). */
static unsigned long calc_load(unsigned long load, unsigned long exp,
			       unsigned long active)
{
	/* 64-bit: load * exp passes 2^32 past a load of 1024. */
	u64 newload = (u64)load * exp + (u64)active * (FIXED_1 - exp);

	if (active >= load)
		newload += FIXED_1 - 1;
	return (unsigned long)(newload >> FSHIFT);
}

/*
 * Fold in a sample for every LOAD_FREQ that has passed: more than one
 * only if tick interrupts were lost for over 5 s, and then each missed
 * sample decays the averages as it would have (Linux's calc_load_n()).
 */
void calc_global_load_tick(unsigned long active, unsigned long ticks)
{
	load_ticks += ticks;
	if (load_ticks < LOAD_FREQ)
		return;
	active *= FIXED_1;
	for (; load_ticks >= LOAD_FREQ; load_ticks -= LOAD_FREQ) {
		WRITE_ONCE(avenrun[0], calc_load(avenrun[0], EXP_1, active));
		WRITE_ONCE(avenrun[1], calc_load(avenrun[1], EXP_5, active));
		WRITE_ONCE(avenrun[2], calc_load(avenrun[2], EXP_15, active));
	}
}
