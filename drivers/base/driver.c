/*
 * Drivers (Linux's drivers/base/driver.c): registering a device_driver
 * on its bus, finding one by name, its attribute files and its list of
 * bound devices. The directory and the binding are bus.c's and dd.c's.
 */
#include <kestrel/errno.h>

#include "base.h"

/**
 * driver_find - a registered driver of @bus by name
 * @name: the driver's name
 * @bus: the bus
 *
 * Return: the driver, or NULL. The caller must know the driver stays
 * registered while it uses the pointer (no reference is taken).
 * Context: process; may sleep.
 */
struct device_driver *driver_find(const char *name, struct bus_type *bus)
{
	struct kobject *k;
	struct driver_private *priv;

	if (!bus || !bus->p)
		return NULL;
	k = kset_find_obj(bus->p->drivers_kset, name);
	if (!k)
		return NULL;
	priv = to_driver(k);
	kobject_put(k);
	return priv->driver;
}

/**
 * driver_register - register a driver with its bus
 * @drv: the driver, with ->name and ->bus set
 *
 * Makes /sys/bus/<bus>/drivers/<name> and binds the driver to every
 * matching unbound device of the bus (when the bus autoprobes).
 * Return: 0, -EINVAL (bus not registered), -EBUSY (name taken),
 * -ENOMEM. Context: process; may sleep; no core lock held.
 */
int driver_register(struct device_driver *drv)
{
	int err;

	if (!drv->bus || !drv->bus->p) {
		pr_err("driver '%s' was unable to register with bus_type '%s' because the bus was not initialized\n",
		       drv->name, drv->bus ? drv->bus->name : "(none)");
		return -EINVAL;
	}
	if (driver_find(drv->name, drv->bus)) {
		pr_err("driver '%s' is already registered, aborting...\n",
		       drv->name);
		return -EBUSY;
	}
	err = bus_add_driver(drv);
	if (!err)
		driver_deferred_probe_run();
	return err;
}

/**
 * driver_unregister - unbind all devices and remove the driver
 * @drv: a registered driver
 *
 * Context: process; may sleep.
 */
void driver_unregister(struct device_driver *drv)
{
	if (!drv || !drv->p) {
		pr_warn("unexpected driver_unregister of an unregistered driver\n");
		return;
	}
	bus_remove_driver(drv);
}

/**
 * driver_create_file - add an attribute to the driver's directory
 * @drv: a registered driver
 * @attr: the attribute
 *
 * Return: 0 or -errno. Context: process; may sleep.
 */
int driver_create_file(struct device_driver *drv,
		       const struct driver_attribute *attr)
{
	if (!drv || !drv->p)
		return -EINVAL;
	return sysfs_create_file(&drv->p->kobj, &attr->attr);
}

/**
 * driver_remove_file - remove an attribute of the driver's directory
 * @drv: the driver
 * @attr: the attribute
 *
 * Context: process; may sleep.
 */
void driver_remove_file(struct device_driver *drv,
			const struct driver_attribute *attr)
{
	if (drv && drv->p)
		sysfs_remove_file(&drv->p->kobj, &attr->attr);
}

/**
 * driver_for_each_device - call @fn on each device bound to @drv
 * @drv: the driver
 * @start: begin after this device, or NULL
 * @data: passed to @fn
 * @fn: returns non-zero to stop
 *
 * Return: the value that stopped the walk, 0, or -EINVAL.
 * Context: process; may sleep; @fn runs with no core lock held.
 */
int driver_for_each_device(struct device_driver *drv, struct device *start,
			   void *data, int (*fn)(struct device *, void *))
{
	if (!drv || !drv->p)
		return -EINVAL;
	return dev_list_for_each(&drv->p->devices,
				 offsetof(struct device, knode_driver), start,
				 data, fn);
}
