/*
 * Reading the date and time from the PC's battery-backed MC146818 RTC.
 *
 * The RTC updates its registers once a second, and while it does (the
 * update-in-progress flag, UIP, in register A) they may hold a mix of
 * old and new values. So: wait for UIP to clear, read every register,
 * and repeat until two reads in a row agree; an update cannot have
 * slipped in between two identical reads. Both the wait and the number
 * of reads are bounded: a missing or broken RTC gives an error, never a
 * hang.
 *
 * Register B says how the values are encoded: BCD or binary, 24-hour or
 * 12-hour (with the top bit of the hours meaning PM). The year register
 * has two digits; the century comes from CMOS byte 0x32, the PC's
 * convention, when that holds a plausible value, and is taken to be 20
 * otherwise. The RTC is assumed to keep UTC, as QEMU's does by default.
 *
 * cmos_lock, declared in <asm/cmos.h>, lives here: it serialises every
 * use of the CMOS index/data port pair.
 */
#include <asm/cmos.h>
#include <kestrel/errno.h>
#include <kestrel/printk.h>
#include <kestrel/spinlock.h>
#include <kestrel/time.h>
#include <kestrel/timekeeping.h>

DEFINE_SPINLOCK(cmos_lock); /* the CMOS index/data port pair */

/*
 * UIP stays set for at most 244 + 1984 us (MC146818A datasheet, "Update
 * Cycle"); poll for ten times that before giving up.
 */
#define RTC_UIP_POLL_US 10
#define RTC_UIP_POLLS 2500
#define RTC_READ_TRIES 10 /* attempts to get two agreeing reads */

#define RTC_HOURS_MASK 0x7f /* 12-hour mode: hours without RTC_PM_BIT */
#define RTC_HOURS_12H 12
#define RTC_CENTURY_MIN 19 /* plausible values of CMOS byte 0x32 */
#define RTC_CENTURY_MAX 21
#define RTC_DEFAULT_CENTURY 20
#define YEARS_PER_CENTURY 100

/* What rtc_field() gives for a garbled register: fails every range check. */
#define RTC_FIELD_INVALID 0xff

#define BCD_DIGIT_MASK 0x0f
#define BCD_DIGIT_SHIFT 4
#define BCD_DIGIT_MAX 9
#define BCD_BASE 10

/* The raw contents of the time registers, as the RTC encodes them. */
struct cmos_time {
	u8 sec, min, hour, mday, mon, year, century;
	u8 reg_b; /* the encoding: RTC_DM_BINARY, RTC_24H */
};

/* Wait for the end of an update cycle. Caller holds cmos_lock. */
static bool rtc_wait_uip_clear(void)
{
	int i;

	lockdep_assert_held(&cmos_lock);
	for (i = 0; i < RTC_UIP_POLLS; i++) {
		if (!(cmos_read(RTC_REG_A) & RTC_UIP))
			return true;
		udelay(RTC_UIP_POLL_US);
	}
	return false;
}

/* Read every time register once. Caller holds cmos_lock. */
static void cmos_read_time(struct cmos_time *t)
{
	lockdep_assert_held(&cmos_lock);
	t->sec = cmos_read(RTC_SECONDS);
	t->min = cmos_read(RTC_MINUTES);
	t->hour = cmos_read(RTC_HOURS);
	t->mday = cmos_read(RTC_DAY_OF_MONTH);
	t->mon = cmos_read(RTC_MONTH);
	t->year = cmos_read(RTC_YEAR);
	t->century = cmos_read(RTC_CENTURY);
	t->reg_b = cmos_read(RTC_REG_B);
}

static bool cmos_time_equal(const struct cmos_time *a,
			    const struct cmos_time *b)
{
	return a->sec == b->sec && a->min == b->min && a->hour == b->hour &&
	       a->mday == b->mday && a->mon == b->mon && a->year == b->year &&
	       a->century == b->century && a->reg_b == b->reg_b;
}

/* Two agreeing reads into @t; false if the RTC never settled. */
static bool cmos_read_stable(struct cmos_time *t)
{
	struct cmos_time again;
	unsigned long flags;
	bool ok = false;
	int i;

	spin_lock_irqsave(&cmos_lock, flags);
	if (!rtc_wait_uip_clear())
		goto out_unlock;
	cmos_read_time(t);
	for (i = 0; i < RTC_READ_TRIES && !ok; i++) {
		if (!rtc_wait_uip_clear())
			break;
		cmos_read_time(&again);
		ok = cmos_time_equal(t, &again);
		*t = again;
	}
out_unlock:
	spin_unlock_irqrestore(&cmos_lock, flags);
	return ok;
}

/* Decode one register; a non-decimal BCD digit gives RTC_FIELD_INVALID. */
static unsigned int rtc_field(u8 raw, u8 reg_b)
{
	unsigned int hi = raw >> BCD_DIGIT_SHIFT, lo = raw & BCD_DIGIT_MASK;

	if (reg_b & RTC_DM_BINARY)
		return raw;
	if (hi > BCD_DIGIT_MAX || lo > BCD_DIGIT_MAX)
		return RTC_FIELD_INVALID;
	return hi * BCD_BASE + lo;
}

/* 0..23 from the hours register in either 12- or 24-hour mode. */
static unsigned int rtc_hours(u8 raw, u8 reg_b)
{
	unsigned int hour;

	if (reg_b & RTC_24H)
		return rtc_field(raw, reg_b);
	hour = rtc_field(raw & RTC_HOURS_MASK, reg_b);
	if (hour < 1 || hour > RTC_HOURS_12H)
		return RTC_FIELD_INVALID;
	hour %= RTC_HOURS_12H; /* 12 AM is midnight, 12 PM noon */
	return (raw & RTC_PM_BIT) ? hour + RTC_HOURS_12H : hour;
}

static void rtc_decode(const struct cmos_time *t, struct rtc_time *tm)
{
	unsigned int century = rtc_field(t->century, t->reg_b);

	if (century < RTC_CENTURY_MIN || century > RTC_CENTURY_MAX)
		century = RTC_DEFAULT_CENTURY;
	tm->year = century * YEARS_PER_CENTURY + rtc_field(t->year, t->reg_b);
	tm->mon = rtc_field(t->mon, t->reg_b);
	tm->mday = rtc_field(t->mday, t->reg_b);
	tm->hour = rtc_hours(t->hour, t->reg_b);
	tm->min = rtc_field(t->min, t->reg_b);
	tm->sec = rtc_field(t->sec, t->reg_b);
}

/**
 * arch_rtc_read_time - read the RTC's date and time (UTC) into @tm
 *
 * Return: 0; -EIO if the RTC stayed busy or never gave two agreeing
 * reads; -EINVAL, with a warning, if it holds an impossible date.
 * Context: any; takes cmos_lock with interrupts disabled and may spin
 * for a few milliseconds (up to ~25 ms if the RTC is stuck).
 */
int arch_rtc_read_time(struct rtc_time *tm)
{
	struct cmos_time raw;

	if (!cmos_read_stable(&raw))
		return -EIO;
	rtc_decode(&raw, tm);
	if (!rtc_time_valid(tm) ||
	    rtc_field(raw.year, raw.reg_b) >= YEARS_PER_CENTURY) {
		pr_warn("rtc: bad time %02x-%02x-%02x %02x:%02x:%02x, B=%02x\n",
			raw.year, raw.mon, raw.mday, raw.hour, raw.min, raw.sec,
			raw.reg_b);
		return -EINVAL;
	}
	return 0;
}
