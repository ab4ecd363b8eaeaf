/*
 * The i8253/8254 PIT in the device model: the platform device "pit"
 * (/sys/devices/platform/pit) with its interrupt, bound to the driver
 * "pit" whose attributes give the input clock ("frequency", Hz) and the
 * tick rate it is programmed for ("hz"). The timer itself is
 * arch/x86/pit.c; this only describes it, so it lives with the drivers
 * (Linux keeps the i8253 in drivers/clocksource/). Its ports are the
 * motherboard's "timer0", reserved at boot (arch/x86/resource.c).
 */
#include <asm/pit.h>
#include <kestrel/err.h>
#include <kestrel/init.h>
#include <kestrel/ioport.h>
#include <kestrel/platform_device.h>
#include <kestrel/sysfs.h>
#include <kestrel/time.h>

static ssize_t frequency_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%u\n", PIT_TICK_RATE);
}
static DEVICE_ATTR_RO(frequency);

static ssize_t hz_show(struct device *dev, struct device_attribute *attr,
		       char *buf)
{
	return sysfs_emit(buf, "%u\n", HZ);
}
static DEVICE_ATTR_RO(hz);

static struct attribute *pit_attrs[] = {
	&dev_attr_frequency.attr,
	&dev_attr_hz.attr,
	NULL,
};
ATTRIBUTE_GROUPS(pit);

static struct platform_driver pit_platform_driver = {
	.driver = { .name = "pit", .dev_groups = pit_groups },
};

/* The PIT as the platform device "pit" (attributes frequency, hz). */
static int pit_platform_init(void)
{
	const struct resource res[] = { DEFINE_RES_IRQ(PIT_IRQ) };
	struct platform_device *pdev;
	int err = platform_driver_register(&pit_platform_driver);

	if (err)
		return err;
	pdev = platform_device_register_simple("pit", PLATFORM_DEVID_NONE, res,
					       ARRAY_SIZE(res));
	return IS_ERR(pdev) ? PTR_ERR(pdev) : 0;
}
device_initcall(pit_platform_init);
