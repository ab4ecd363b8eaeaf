/*
 * Binding devices to drivers (Linux's drivers/base/dd.c).
 *
 * A device and a driver of the same bus meet from either side:
 * device_add() tries every driver of the bus (__device_attach), and
 * driver_register() tries every device (driver_attach). For each pair
 * bus->match() decides; on a match really_probe() sets dev->driver,
 * makes the "driver" links and calls the probe, all under the device
 * lock, so a device is probed by one driver at a time.
 *
 * Deferred probing: a probe (or match) that returns -EPROBE_DEFER says
 * "something I need is not there yet". The device goes on the pending
 * list; every successful bind bumps deferred_trigger_count, and
 * driver_deferred_probe_run(), called at the end of the public entry
 * points (device_add, driver_register, the bind file...), when no device
 * lock is held, moves the pending devices back and retries them until a
 * pass binds nothing new:
 *
 *	pending --(a bind happened)--> active --(retry)--> bound
 *	   ^                                     |
 *	   +-------------(-EPROBE_DEFER)---------+
 *
 * Locking: D (device lock) for dev->driver and probe/remove; P
 * (deferred_probe_mutex) for the two lists and the counts; the runner
 * itself is serialised by deferred_run_mutex. Order: D, then P.
 */
#include <kestrel/errno.h>
#include <kestrel/slab.h>

#include "base.h"

/* Protects both deferred lists, dev->deferred_probe, and the counts. */
static DEFINE_MUTEX(deferred_probe_mutex);
static LIST_HEAD(deferred_probe_pending_list);
static LIST_HEAD(deferred_probe_active_list);
static unsigned int deferred_trigger_count; /* successful binds so far */
static unsigned int deferred_trigger_seen; /* ...when the last pass began */
/* Serialises driver_deferred_probe_run(); a nested call returns. */
static DEFINE_MUTEX(deferred_run_mutex);

static void driver_deferred_probe_add(struct device *dev)
{
	mutex_lock(&deferred_probe_mutex);
	if (list_empty(&dev->deferred_probe))
		list_add_tail(&dev->deferred_probe,
			      &deferred_probe_pending_list);
	mutex_unlock(&deferred_probe_mutex);
}

void driver_deferred_probe_del(struct device *dev)
{
	mutex_lock(&deferred_probe_mutex);
	list_del_init(&dev->deferred_probe);
	mutex_unlock(&deferred_probe_mutex);
}

static void driver_deferred_probe_trigger(void)
{
	mutex_lock(&deferred_probe_mutex);
	deferred_trigger_count++;
	mutex_unlock(&deferred_probe_mutex);
}

/* Start a pass: move pending to active if a bind happened since the
 * last pass. False when there is nothing to retry. */
static bool deferred_pass_begin(void)
{
	bool retry = false;

	mutex_lock(&deferred_probe_mutex);
	if (deferred_trigger_count != deferred_trigger_seen &&
	    !list_empty(&deferred_probe_pending_list)) {
		while (!list_empty(&deferred_probe_pending_list))
			list_move_tail(deferred_probe_pending_list.next,
				       &deferred_probe_active_list);
		retry = true;
	}
	deferred_trigger_seen = deferred_trigger_count;
	mutex_unlock(&deferred_probe_mutex);
	return retry;
}

/* The next device to retry, with a reference, off the active list. */
static struct device *deferred_next_active(void)
{
	struct device *dev = NULL;

	mutex_lock(&deferred_probe_mutex);
	if (!list_empty(&deferred_probe_active_list)) {
		dev = list_first_entry(&deferred_probe_active_list,
				       struct device, deferred_probe);
		list_del_init(&dev->deferred_probe);
		get_device(dev);
	}
	mutex_unlock(&deferred_probe_mutex);
	return dev;
}

/**
 * driver_deferred_probe_run - retry deferred devices after new binds
 *
 * Passes over the deferred devices while the previous pass (or anything
 * before it) bound a device. A call made from inside a pass (a probe
 * that registers devices) returns at once: the running pass loops.
 * Context: process; may sleep; no device lock held.
 */
void driver_deferred_probe_run(void)
{
	struct device *dev;

	if (mutex_owned(&deferred_run_mutex))
		return;
	mutex_lock(&deferred_run_mutex);
	while (deferred_pass_begin()) {
		while ((dev = deferred_next_active())) {
			if (device_is_registered(dev))
				device_initial_probe(dev);
			put_device(dev);
		}
	}
	mutex_unlock(&deferred_run_mutex);
}

/**
 * wait_for_device_probe - finish pending deferred probing
 *
 * Context: process; may sleep.
 */
void wait_for_device_probe(void)
{
	driver_deferred_probe_run();
}

/* ---- links and binding --------------------------------------------------- */

/**
 * driver_match_device - does @drv drive @dev?
 * @drv: the driver
 * @dev: the device, on the same bus
 *
 * Return: 1 yes, 0 no, -EPROBE_DEFER not yet known.
 */
int driver_match_device(struct device_driver *drv, struct device *dev)
{
	return drv->bus->match ? drv->bus->match(dev, drv) : 1;
}

/* <driver dir>/<device> and <device dir>/driver. */
int driver_sysfs_add(struct device *dev)
{
	struct kobject *drv_kobj = &dev->driver->p->kobj;
	int err;

	err = sysfs_create_link(drv_kobj, &dev->kobj, dev_name(dev));
	if (err)
		return err;
	err = sysfs_create_link(&dev->kobj, drv_kobj, "driver");
	if (err)
		sysfs_remove_link(drv_kobj, dev_name(dev));
	return err;
}

void driver_sysfs_remove(struct device *dev)
{
	sysfs_remove_link(&dev->kobj, "driver");
	sysfs_remove_link(&dev->driver->p->kobj, dev_name(dev));
}

/* The probe succeeded: join the driver's list and tell everyone. */
static void driver_bound(struct device *dev)
{
	mutex_lock(&dev_list_mutex);
	list_add_tail(&dev->knode_driver, &dev->driver->p->devices);
	mutex_unlock(&dev_list_mutex);
	driver_deferred_probe_trigger();
	kobject_uevent(&dev->kobj, KOBJ_BIND);
}

static int call_probe(struct device *dev, struct device_driver *drv)
{
	if (dev->bus->probe)
		return dev->bus->probe(dev);
	if (drv->probe)
		return drv->probe(dev);
	return 0;
}

/*
 * Bind @dev to @drv: links, the driver's device groups, the probe.
 * Return: 0 bound, or the probe's -errno (-EPROBE_DEFER: deferred).
 * Lock D held.
 */
static int really_probe(struct device *dev, struct device_driver *drv)
{
	int ret;

	driver_deferred_probe_del(dev);
	dev->driver = drv;
	ret = driver_sysfs_add(dev);
	if (ret)
		goto out_clear;
	ret = device_add_groups(dev, drv->dev_groups);
	if (ret)
		goto out_sysfs;
	ret = call_probe(dev, drv);
	if (ret)
		goto out_groups;
	driver_bound(dev);
	return 0;

out_groups:
	device_remove_groups(dev, drv->dev_groups);
out_sysfs:
	driver_sysfs_remove(dev);
out_clear:
	dev->driver = NULL;
	dev_set_drvdata(dev, NULL);
	if (ret == -EPROBE_DEFER)
		driver_deferred_probe_add(dev);
	else if (ret != -ENODEV && ret != -ENXIO)
		pr_warn("%s: probe of %s failed with error %d\n", drv->name,
			dev_name(dev), ret);
	return ret;
}

/* really_probe for a registered, unbound device. Lock D held. */
static int driver_probe_device(struct device_driver *drv, struct device *dev)
{
	if (!device_is_registered(dev))
		return -ENODEV;
	if (dev->driver)
		return -EBUSY;
	return really_probe(dev, drv);
}

/* Try one driver for a device; 1 (stop) once bound. Lock D held. */
static int __device_attach_driver(struct device_driver *drv, void *data)
{
	struct device *dev = data;
	int ret = driver_match_device(drv, dev);

	if (ret == -EPROBE_DEFER) {
		driver_deferred_probe_add(dev);
		return 0;
	}
	if (ret <= 0)
		return 0;
	return driver_probe_device(drv, dev) == 0;
}

/* Find a driver for @dev: 1 bound, 0 none. Takes D. */
static int __device_attach(struct device *dev)
{
	int ret = 0;

	device_lock(dev);
	if (dev->driver)
		ret = 1;
	else if (dev->bus && device_is_registered(dev))
		ret = bus_for_each_drv(dev->bus, NULL, dev,
				       __device_attach_driver);
	device_unlock(dev);
	return ret < 0 ? 0 : ret;
}

void device_initial_probe(struct device *dev)
{
	__device_attach(dev);
}

/**
 * device_attach - try to bind a device to a driver of its bus
 * @dev: the device
 *
 * Return: 1 if bound (already, or now), 0 if no driver took it.
 * Context: process; may sleep; takes the device lock.
 */
int device_attach(struct device *dev)
{
	int ret = __device_attach(dev);

	driver_deferred_probe_run();
	return ret;
}

/**
 * device_driver_attach - bind @dev to @drv (the "bind" file)
 * @drv: the driver
 * @dev: the device, which @drv matches
 *
 * Return: 0 bound, -EBUSY already bound, or the probe's -errno.
 * Context: process; may sleep; takes the device lock.
 */
int device_driver_attach(struct device_driver *drv, struct device *dev)
{
	int ret;

	device_lock(dev);
	ret = driver_probe_device(drv, dev);
	device_unlock(dev);
	return ret;
}

static int __driver_attach(struct device *dev, void *data)
{
	struct device_driver *drv = data;
	int ret = driver_match_device(drv, dev);

	if (ret == -EPROBE_DEFER)
		driver_deferred_probe_add(dev);
	if (ret <= 0)
		return 0;
	device_lock(dev);
	if (!dev->driver)
		driver_probe_device(drv, dev);
	device_unlock(dev);
	return 0;
}

/**
 * driver_attach - try to bind every unbound device of the bus to @drv
 * @drv: a registered driver
 *
 * Return: 0 or -EINVAL. Context: process; may sleep.
 */
int driver_attach(struct device_driver *drv)
{
	return bus_for_each_dev(drv->bus, NULL, drv, __driver_attach);
}

/**
 * device_bind_driver - bind a device whose ->driver the caller set
 * @dev: the device, with dev->driver set and no probe wanted
 *
 * Return: 0 or -errno (dev->driver is then cleared).
 * Context: process; may sleep; the caller holds the device lock.
 */
int device_bind_driver(struct device *dev)
{
	int ret = driver_sysfs_add(dev);

	if (ret) {
		dev->driver = NULL;
		return ret;
	}
	driver_bound(dev);
	return 0;
}

/* Unbind: the driver's remove, links, lists, KOBJ_UNBIND. Lock D. */
static void __device_release_driver(struct device *dev)
{
	struct device_driver *drv = dev->driver;

	if (!drv)
		return;
	driver_sysfs_remove(dev);
	device_remove_groups(dev, drv->dev_groups);
	if (dev->bus && dev->bus->remove)
		dev->bus->remove(dev);
	else if (drv->remove)
		drv->remove(dev);
	mutex_lock(&dev_list_mutex);
	list_del_init(&dev->knode_driver);
	mutex_unlock(&dev_list_mutex);
	dev->driver = NULL;
	dev_set_drvdata(dev, NULL);
	kobject_uevent(&dev->kobj, KOBJ_UNBIND);
}

/**
 * device_release_driver - unbind a device from its driver
 * @dev: the device; nothing happens if it is unbound
 *
 * Context: process; may sleep; takes the device lock.
 */
void device_release_driver(struct device *dev)
{
	device_lock(dev);
	__device_release_driver(dev);
	device_unlock(dev);
}

/* The first device still bound to @drv, with a reference. Takes L. */
static struct device *driver_first_device(struct device_driver *drv)
{
	struct device *dev = NULL;

	mutex_lock(&dev_list_mutex);
	if (!list_empty(&drv->p->devices))
		dev = get_device(list_first_entry(&drv->p->devices,
						  struct device, knode_driver));
	mutex_unlock(&dev_list_mutex);
	return dev;
}

/* Not bound to us any more but still listed: never loop on it. */
static void driver_forget_device(struct device *dev)
{
	mutex_lock(&dev_list_mutex);
	list_del_init(&dev->knode_driver);
	mutex_unlock(&dev_list_mutex);
}

/**
 * driver_detach - unbind every device bound to @drv
 * @drv: the driver, being unregistered
 *
 * Context: process; may sleep; takes each device's lock.
 */
void driver_detach(struct device_driver *drv)
{
	struct device *dev;

	while ((dev = driver_first_device(drv))) {
		device_lock(dev);
		if (dev->driver == drv)
			__device_release_driver(dev);
		else
			driver_forget_device(dev);
		device_unlock(dev);
		put_device(dev);
	}
}
