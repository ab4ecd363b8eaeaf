/*
 * The 8253/8254 Programmable Interval Timer of the PC: three 16-bit
 * down-counters clocked at 1.193182 MHz (the 14.31818 MHz system crystal
 * divided by 12). Channel 0's output drives IRQ 0, the tick. Channel 1
 * once refreshed DRAM and is left alone. Channel 2's gate and output are
 * wired to the system control port 0x61, so the CPU can start a one-shot
 * on it and poll for its end without an interrupt: that is how the TSC
 * and the delay loop are calibrated (arch/x86/tsc.c).
 *
 * References: Intel 8254 Programmable Interval Timer datasheet (order
 * no. 231164), "Control Word Format" (figure 7), "Mode 0: Interrupt on
 * Terminal Count", "Mode 2: Rate Generator"; port 0x61 as in the Intel
 * 82371AB PIIX4 datasheet, 4.2.1 "NMISC - NMI Status and Control
 * Register (IO)".
 */
#ifndef _ASM_X86_PIT_H
#define _ASM_X86_PIT_H

#include <kestrel/time.h>
#include <kestrel/types.h>

#define PIT_TICK_RATE 1193182 /* Hz: 14.31818 MHz / 12 */
#define PIT_IRQ 0 /* channel 0's OUT is wired to IRQ 0 */

/* I/O ports (datasheet, table 1 "Pin Description": A1, A0 decoding). */
#define PIT_CH0_PORT 0x40 /* counter 0 data */
#define PIT_CH2_PORT 0x42 /* counter 2 data */
#define PIT_MODE_PORT 0x43 /* control word register, write only */

/* Control word (figure 7): SC1 SC0 | RW1 RW0 | M2 M1 M0 | BCD. */
#define PIT_SEL_CH0 (0 << 6) /* SC: counter 0 */
#define PIT_SEL_CH2 (2 << 6) /* SC: counter 2 */
#define PIT_RW_LSB_MSB (3 << 4) /* RW: low byte, then high byte */
#define PIT_MODE_TERMINAL (0 << 1) /* mode 0: OUT rises at count 0 */
#define PIT_MODE_RATE_GEN (2 << 1) /* mode 2: a pulse every N clocks */
#define PIT_BINARY 0 /* BCD bit clear: 16-bit binary count */

#define PIT_COUNT_MAX 0xffff /* largest count we program */
#define PIT_BYTE_SHIFT 8 /* counts are written low byte first */
#define PIT_BYTE_MASK 0xff

/*
 * System control port 0x61 (PIIX4 NMISC). Bits 7:4 are status and read
 * only; only the low nibble is written back.
 */
#define NMI_SC_PORT 0x61
#define NMI_SC_TIM2_GATE 0x01 /* gate input of counter 2 */
#define NMI_SC_SPKR_DATA 0x02 /* counter 2 output to the speaker */
#define NMI_SC_WRITABLE 0x0f /* bits software may write */
#define NMI_SC_TIM2_OUT 0x20 /* counter 2's OUT pin, read only */

/* The channel 0 count for HZ, rounded to the nearest whole count. */
#define PIT_LATCH ((PIT_TICK_RATE + HZ / 2) / HZ)

/*
 * pit_oneshot_start - load channel 2 with @count clocks, mode 0, and
 * open its gate; pit_oneshot_expired() turns true (N + 1) clocks later.
 * pit_oneshot_stop() closes the gate. Channel 2 has one user at a time:
 * boot-time calibration, with interrupts disabled.
 */
void pit_oneshot_start(u16 count);
bool pit_oneshot_expired(void);
void pit_oneshot_stop(void);

#endif /* _ASM_X86_PIT_H */
