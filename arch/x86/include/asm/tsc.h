/*
 * The Time Stamp Counter: a 64-bit counter of CPU clock cycles since
 * reset, read with RDTSC (Intel SDM vol. 2B, "RDTSC"; present when
 * CPUID.01H:EDX.TSC[bit 4] is set). Its rate is not architectural, so
 * arch/x86/tsc.c measures it against the PIT at boot. Under QEMU's TCG
 * the counter follows the host's clock, which is all the timekeeping
 * core needs: a steady rate.
 */
#ifndef _ASM_X86_TSC_H
#define _ASM_X86_TSC_H

#include <kestrel/types.h>

static inline u64 rdtsc(void)
{
	u64 cycles;

	/* "=A" is the EDX:EAX pair on i386. */
	__asm__ __volatile__("rdtsc" : "=A"(cycles));
	return cycles;
}

/* arch_calibrate_delay_loop()'s result (no TSC only), for bogomips. */
extern unsigned long delay_loops_per_ms;

/* Note the counter's value as the kernel starts (arch_early_init()), so
 * the clock can count from there once it is calibrated. */
void tsc_mark_boot(void);

#endif /* _ASM_X86_TSC_H */
