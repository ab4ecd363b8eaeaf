/*
 * Time: the periodic tick (jiffies, HZ per second), a monotonic
 * nanosecond clock interpolated with the TSC between ticks, the
 * wall-clock time read from the CMOS RTC at boot, and busy-wait delays.
 *
 * The unit constants below are the only ones in the kernel; the
 * conversions between units (ns to jiffies, to clock_t) are here too.
 * Times as system calls take them (timespec, timeval) are in
 * <kestrel/time64.h>.
 */
#ifndef _KESTREL_TIME_H
#define _KESTREL_TIME_H

#include <kestrel/types.h>

#ifndef HZ
#define HZ 250
#endif

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_USEC 1000ULL
#define USEC_PER_SEC 1000000UL
#define USEC_PER_MSEC 1000UL
#define MSEC_PER_SEC 1000UL
/* The length of a tick, ns (4 ms at HZ = 250). */
#define TICK_NSEC (NSEC_PER_SEC / HZ)

/* Ticks since boot. Written only by the tick; read with READ_ONCE or
 * get_jiffies_64() (the 64-bit value needs a consistent read). */
extern volatile unsigned long jiffies;
u64 get_jiffies_64(void);

#define time_after(a, b) ((long)((b) - (a)) < 0)
#define time_before(a, b) time_after(b, a)
#define time_after_eq(a, b) ((long)((a) - (b)) >= 0)
#define time_before_eq(a, b) time_after_eq(b, a)

/*
 * Jiffy offsets at most this far ahead keep time_after() meaningful:
 * half the range of a long, less one (as Linux's MAX_JIFFY_OFFSET).
 */
#define MAX_JIFFY_OFFSET ((~0UL >> 2) - 1)

unsigned long msecs_to_jiffies(unsigned int ms);
/* Ticks covering @ns, rounded up (capped at "forever"). Any context. */
unsigned long nsecs_to_jiffies(u64 ns);
unsigned int jiffies_to_msecs(unsigned long j);

/*
 * @ns in the clock_t ticks of times(), /proc and SIGCHLD's si_utime
 * (USER_HZ, 100 a second, whatever HZ is), truncated; like the i386
 * ABI's clock_t, a long, it wraps after 2^32 ticks. Any context.
 */
unsigned long nsec_to_clock_t(u64 ns);

/* Nanoseconds since boot; 0 until time_init() has run. Any context. */
u64 ktime_get_ns(void);

/* Nanoseconds since the Unix epoch; set the wall clock. */
u64 ktime_get_real_ns(void);
void timekeeping_set_real(s64 sec, long nsec);

/* Seconds since the Unix epoch, from the RTC at boot plus uptime. */
s64 ktime_get_real_seconds(void);

/* Busy-wait delays, calibrated against the PIT. Any context. */
void udelay(unsigned long usecs);
void ndelay(unsigned long nsecs);
void mdelay(unsigned long msecs);

/* TSC frequency in kHz as calibrated at boot (0 without a TSC). */
extern unsigned long tsc_khz;

/* Set up the PIT tick, calibrate the TSC, read the RTC. Boot only,
 * after init_IRQ(); the tick starts when interrupts are enabled. */
void time_init(void);

#endif /* _KESTREL_TIME_H */
