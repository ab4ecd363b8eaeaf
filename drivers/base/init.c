/*
 * The driver core's boot (Linux's drivers/base/init.c): the top of the
 * /sys tree that the core owns, in dependency order.
 *
 *	/sys/devices            devices_kset: every device
 *	/sys/devices/virtual    class devices without a parent
 *	/sys/dev/{char,block}   links by device number
 *	/sys/bus                bus_kset
 *	/sys/devices/system     roots of the "system" buses (cpu)
 *	/sys/class              class_kset
 *	/sys/firmware           empty: no firmware tables are exported
 *	/sys/block              empty until a block layer adds disks there
 *	/sys/module             placeholder for the modules issue
 *	/sys/devices/platform   and /sys/bus/platform
 */
#include <kestrel/errno.h>
#include <kestrel/init.h>
#include <kestrel/platform_device.h>

#include "base.h"

struct kobject *firmware_kobj;
struct kobject *block_kobj; /* Linux's block_kset: /sys/block/<disk> */
struct kset *module_kset;

/**
 * driver_init - build the driver core's part of /sys
 *
 * A failure is reported and the rest is still tried: the kernel runs
 * without the pieces that failed.
 * Context: boot, after sysfs_init() and kmalloc; may sleep.
 */
void driver_init(void)
{
	int err = devices_init();

	if (!err)
		err = buses_init();
	if (!err)
		err = classes_init();
	if (!err) {
		firmware_kobj = kobject_create_and_add("firmware", NULL);
		block_kobj = kobject_create_and_add("block", NULL);
		module_kset = kset_create_and_add("module", NULL, NULL);
		if (!firmware_kobj || !block_kobj || !module_kset)
			err = -ENOMEM;
	}
	if (!err)
		err = platform_bus_init();
	if (err)
		pr_err("driver core: initialisation failed: error %d\n", err);
}
