/*
 * The timekeeping core's side of the clock hardware. The portable code in
 * kernel/time/ keeps jiffies, the monotonic clock and the wall-clock
 * offset; the architecture (arch/x86/pit.c, tsc.c, rtc.c) supplies a
 * periodic tick, a free-running cycle counter and the battery-backed
 * real-time clock through the arch_*() hooks below. Everything else in
 * the kernel uses <kestrel/time.h> and <kestrel/timer.h>.
 *
 * It also carries the calendar arithmetic (struct rtc_time, mktime64)
 * that the RTC driver and the core share.
 */
#ifndef _KESTREL_TIMEKEEPING_H
#define _KESTREL_TIMEKEEPING_H

#include <kestrel/types.h>

/*
 * A broken-down UTC date and time, as the RTC gives it. Unlike the C
 * library's struct tm, the month counts from 1 and the year is the full
 * year (2026, not 126).
 */
struct rtc_time {
	unsigned int year; /* e.g. 2026 */
	unsigned int mon; /* 1..12 */
	unsigned int mday; /* 1..31 */
	unsigned int hour; /* 0..23 */
	unsigned int min; /* 0..59 */
	unsigned int sec; /* 0..59 */
};

/**
 * mktime64 - seconds since 1970-01-01 00:00:00 UTC of a Gregorian date
 *
 * The fields are not checked (rtc_time_valid() does that); the result is
 * meaningful for years from 1970 on. Pure code; any context.
 */
s64 mktime64(unsigned int year, unsigned int mon, unsigned int mday,
	     unsigned int hour, unsigned int min, unsigned int sec);

/* True if every field of @tm is in range (leap years included). */
bool rtc_time_valid(const struct rtc_time *tm);

/**
 * tick_periodic - account a tick interrupt
 *
 * Called by the tick's interrupt handler (arch/x86/pit.c) HZ times a
 * second: advances the monotonic clock and jiffies (by more than one
 * when the clock shows that tick interrupts were lost), then lets the
 * timer wheel see the new jiffies. Context: hard interrupt, interrupts
 * disabled.
 */
void tick_periodic(void);

/* ---- supplied by the architecture ---------------------------------- */

/*
 * Start the periodic tick at HZ; from the first enabled interrupt on,
 * its handler calls tick_periodic(). Returns the true length of a tick
 * in nanoseconds (HZ is not always an exact divisor of the hardware's
 * clock). Boot only, interrupts disabled.
 */
u32 arch_tick_init(void);

/*
 * Detect and calibrate a free-running cycle counter (the TSC on x86).
 * Returns its frequency in kHz, or 0 if there is no usable counter.
 * Boot only, interrupts disabled; takes some tens of milliseconds.
 */
unsigned long arch_cycles_init(void);

/* Read the cycle counter (only after arch_cycles_init() found one). */
u64 arch_read_cycles(void);

/* The counter's value when the kernel started, or 0 if not recorded:
 * the monotonic clock counts from there. */
u64 arch_boot_cycles(void);

/*
 * Without a cycle counter, delays spin in a calibrated loop:
 * arch_calibrate_delay_loop() returns how many iterations of
 * arch_delay_loop() take a millisecond (at least; never fewer).
 */
unsigned long arch_calibrate_delay_loop(void);
void arch_delay_loop(unsigned long loops);

/*
 * Read the battery-backed clock into @tm (UTC). Returns 0, -EIO if the
 * clock never became readable, or -EINVAL if it holds an impossible
 * date. Context: any; spins for at most a few milliseconds.
 */
int arch_rtc_read_time(struct rtc_time *tm);

#endif /* _KESTREL_TIMEKEEPING_H */
