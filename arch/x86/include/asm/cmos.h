/*
 * The MC146818-compatible CMOS/RTC of the PC (index port 0x70, data port
 * 0x71). Register numbers are from the MC146818A datasheet, "Address Map".
 * Bit 7 of the index port masks NMI; we leave NMI enabled.
 *
 * Callers that share the RTC with an interrupt handler take cmos_lock
 * with spin_lock_irqsave() around a cmos_read()/cmos_write() sequence.
 */
#ifndef _ASM_X86_CMOS_H
#define _ASM_X86_CMOS_H

#include <asm/io.h>
#include <kestrel/spinlock.h>

#define CMOS_INDEX_PORT 0x70
#define CMOS_DATA_PORT 0x71

#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS 0x04
#define RTC_DAY_OF_WEEK 0x06
#define RTC_DAY_OF_MONTH 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_REG_A 0x0a
#define RTC_REG_B 0x0b
#define RTC_REG_C 0x0c
#define RTC_REG_D 0x0d
#define RTC_CENTURY 0x32 /* PC convention (ACPI FADT "century" field) */

#define RTC_UIP 0x80 /* register A: update in progress */
#define RTC_RATE_MASK 0x0f /* register A: periodic rate select */
#define RTC_PIE 0x40 /* register B: periodic interrupt enable */
#define RTC_DM_BINARY 0x04 /* register B: binary, not BCD */
#define RTC_24H 0x02 /* register B: 24-hour mode */
#define RTC_IRQF 0x80 /* register C: an interrupt is pending */
#define RTC_PM_BIT 0x80 /* hours register, 12-hour mode: PM */

#define RTC_IRQ 8

extern spinlock_t cmos_lock; /* protects the index/data port pair */

static inline u8 cmos_read(u8 reg)
{
	outb(reg, CMOS_INDEX_PORT);
	return inb(CMOS_DATA_PORT);
}

static inline void cmos_write(u8 reg, u8 value)
{
	outb(reg, CMOS_INDEX_PORT);
	outb(value, CMOS_DATA_PORT);
}

#endif /* _ASM_X86_CMOS_H */
