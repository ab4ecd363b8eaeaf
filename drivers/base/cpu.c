/*
 * The CPU in the device model, as Linux's drivers/base/cpu.c and
 * arch/x86/kernel/topology.c lay it out: the "system" bus "cpu" with
 * its root /sys/devices/system/cpu (files online, possible, present,
 * offline, kernel_max: CPU masks as lists), and one device per CPU,
 * /sys/devices/system/cpu/cpu0, with what CPUID told at boot (vendor,
 * family, model, stepping, model_name). Kestrel runs one CPU, so every
 * list is "0".
 *
 * Locking: none; cpu_dev_init() runs once at boot and the values are
 * read-only afterwards.
 */
#include <asm/cpufeature.h>
#include <kestrel/init.h>
#include <kestrel/device.h>
#include <kestrel/errno.h>

#define NR_CPUS 1

static ssize_t cpu_list_show(char *buf)
{
	return sysfs_emit(buf, "0\n"); /* CPU 0, the only one */
}

static ssize_t online_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return cpu_list_show(buf);
}
static DEVICE_ATTR_RO(online);

static ssize_t possible_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return cpu_list_show(buf);
}
static DEVICE_ATTR_RO(possible);

static ssize_t present_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return cpu_list_show(buf);
}
static DEVICE_ATTR_RO(present);

static ssize_t offline_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "\n"); /* an empty list */
}
static DEVICE_ATTR_RO(offline);

static ssize_t kernel_max_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", NR_CPUS - 1);
}
static DEVICE_ATTR_RO(kernel_max);

static struct attribute *cpu_root_attrs[] = {
	&dev_attr_online.attr,	   &dev_attr_possible.attr,
	&dev_attr_present.attr,	   &dev_attr_offline.attr,
	&dev_attr_kernel_max.attr, NULL,
};
ATTRIBUTE_GROUPS(cpu_root);

/* One read-only attribute of cpu0 printing a field of boot_cpu_data. */
#define CPUINFO_ATTR(field, fmt)                                              \
	static ssize_t field##_show(struct device *dev,                       \
				    struct device_attribute *attr, char *buf) \
	{                                                                     \
		return sysfs_emit(buf, fmt "\n", boot_cpu_data.field);        \
	}                                                                     \
	static DEVICE_ATTR_RO(field)

CPUINFO_ATTR(vendor, "%s");
CPUINFO_ATTR(model_name, "%s");
CPUINFO_ATTR(family, "%u");
CPUINFO_ATTR(model, "%u");
CPUINFO_ATTR(stepping, "%u");

static struct attribute *cpu_dev_attrs[] = {
	&dev_attr_vendor.attr, &dev_attr_model_name.attr, &dev_attr_family.attr,
	&dev_attr_model.attr,  &dev_attr_stepping.attr,	  NULL,
};
ATTRIBUTE_GROUPS(cpu_dev);

static struct bus_type cpu_subsys = {
	.name = "cpu",
	.dev_groups = cpu_dev_groups,
};

/* The boot CPU never goes away: nothing to free. */
static void cpu_release(struct device *dev)
{
}

static struct device cpu0 = {
	.init_name = "cpu0",
	.bus = &cpu_subsys,
	.release = cpu_release,
};

/**
 * cpu_dev_init - register the cpu bus and the boot CPU's device
 *
 * An initcall: runs once at boot, after the driver core. Returns 0
 * or -errno.
 * Context: process; may sleep.
 */
static int cpu_dev_init(void)
{
	int err = subsys_system_register(&cpu_subsys, cpu_root_groups);

	if (err)
		return err;
	return device_register(&cpu0);
}
subsys_initcall(cpu_dev_init);
