/*
 * The PC's CMOS real-time clock in the device model, in the shape of
 * Linux's rtc-cmos driver and rtc class:
 *
 *   /sys/devices/platform/rtc_cmos          the platform device: the
 *                                           CMOS ports ("rtc0") and
 *                                           IRQ 8, driver "rtc_cmos"
 *   /sys/devices/platform/rtc_cmos/rtc/rtc0 its class device, also
 *   /sys/class/rtc/rtc0                     with date, time,
 *                                           since_epoch, name, hctosys
 *
 * The clock itself is read through arch_rtc_read_time() (arch/x86/
 * rtc.c), which takes the CMOS lock; the values are UTC, as Linux's.
 * No /dev/rtc0 yet: the class device has no device number.
 *
 * Locking: none of its own; rtc_cmos_init() runs once at boot (an initcall).
 */
#include <asm/cmos.h>
#include <kestrel/init.h>
#include <kestrel/err.h>
#include <kestrel/ioport.h>
#include <kestrel/platform_device.h>
#include <kestrel/timekeeping.h>

#define CMOS_NR_PORTS 2 /* index 0x70, data 0x71 (MC146818A datasheet) */

/* The time now, or -errno when the clock cannot be read. */
static int rtc_read(struct rtc_time *tm)
{
	int err = arch_rtc_read_time(tm);

	return err ? err : (rtc_time_valid(tm) ? 0 : -EIO);
}

static ssize_t date_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct rtc_time tm;
	int err = rtc_read(&tm);

	if (err)
		return err;
	return sysfs_emit(buf, "%04u-%02u-%02u\n", tm.year, tm.mon, tm.mday);
}
static DEVICE_ATTR_RO(date);

static ssize_t time_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct rtc_time tm;
	int err = rtc_read(&tm);

	if (err)
		return err;
	return sysfs_emit(buf, "%02u:%02u:%02u\n", tm.hour, tm.min, tm.sec);
}
static DEVICE_ATTR_RO(time);

static ssize_t since_epoch_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct rtc_time tm;
	int err = rtc_read(&tm);

	if (err)
		return err;
	return sysfs_emit(buf, "%lld\n",
			  (long long)mktime64(tm.year, tm.mon, tm.mday, tm.hour,
					      tm.min, tm.sec));
}
static DEVICE_ATTR_RO(since_epoch);

/* "<driver> <device>" of the hardware behind the class device. */
static ssize_t name_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "rtc_cmos %s\n", dev_name(dev->parent));
}
static DEVICE_ATTR_RO(name);

/* The system clock was set from this RTC at boot (timekeeping). */
static ssize_t hctosys_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "1\n");
}
static DEVICE_ATTR_RO(hctosys);

static struct attribute *rtc_attrs[] = {
	&dev_attr_date.attr, &dev_attr_time.attr,    &dev_attr_since_epoch.attr,
	&dev_attr_name.attr, &dev_attr_hctosys.attr, NULL,
};
ATTRIBUTE_GROUPS(rtc);

static struct class rtc_class = {
	.name = "rtc",
	.dev_groups = rtc_groups,
};

/* Bind: make the class device rtc0 under the platform device. */
static int rtc_cmos_probe(struct platform_device *pdev)
{
	struct device *rtc =
		device_create(&rtc_class, &pdev->dev, 0, NULL, "rtc0");

	if (IS_ERR(rtc))
		return PTR_ERR(rtc);
	platform_set_drvdata(pdev, rtc);
	return 0;
}

static int rtc_cmos_remove(struct platform_device *pdev)
{
	struct device *rtc = platform_get_drvdata(pdev);

	device_unregister(rtc);
	return 0;
}

static struct platform_driver rtc_cmos_driver = {
	.probe = rtc_cmos_probe,
	.remove = rtc_cmos_remove,
	.driver = { .name = "rtc_cmos" },
};

/**
 * rtc_cmos_init - register the rtc class, the driver and the device
 *
 * An initcall: runs once at boot, after the driver core. Returns 0
 * or -errno.
 * Context: process; may sleep.
 */
static int rtc_cmos_init(void)
{
	const struct resource res[] = {
		DEFINE_RES_IO_NAMED(CMOS_INDEX_PORT, CMOS_NR_PORTS, "rtc0"),
		DEFINE_RES_IRQ(RTC_IRQ),
	};
	struct platform_device *pdev;
	int err = class_register(&rtc_class);

	if (err)
		return err;
	err = platform_driver_register(&rtc_cmos_driver);
	if (err)
		goto out_class;
	pdev = platform_device_register_simple("rtc_cmos", PLATFORM_DEVID_NONE,
					       res, ARRAY_SIZE(res));
	if (IS_ERR(pdev)) {
		err = PTR_ERR(pdev);
		goto out_driver;
	}
	return 0;

out_driver:
	platform_driver_unregister(&rtc_cmos_driver);
out_class:
	class_unregister(&rtc_class);
	return err;
}
device_initcall(rtc_cmos_init);
