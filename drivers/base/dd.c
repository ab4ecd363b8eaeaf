/*
 * Binding devices to drivers (Linux's drivers/base/dd.c).
 *
 * A device and a driver of the same bus meet from either side:
 * device_add() tries every driver of the bus (__device_attach), and
 * driver_register() tries every device (driver_attach). For each pair
 * bus->match() decides; on a match really_probe(), under the device
 * lock, sets dev->driver, makes the "driver" links, calls the probe and,
 * only once the probe succeeded, adds the driver's dev_groups (their
 * show/store may assume a bound device), then joins the driver's list.
 * A device is probed by one driver at a time.
 *
 * Going away, from either side:
 * - device_del() first marks the device dead under its lock (Linux's
 *   kill_device): from then on no probe starts and it is never put on
 *   the deferred list, so a probe or a sysfs bind that raced with the
 *   delete cannot bind it after the bus unbound it.
 * - bus_remove_driver() marks the driver's private part dead under L
 *   before detaching its devices; a probe that began before that fails
 *   at driver_bound() (which checks under L) and unwinds, so no device
 *   stays bound to a driver that is gone.
 *
 * Deferred probing: a probe (or match) that returns -EPROBE_DEFER says
 * "something I need is not there yet". The device goes on the pending
 * list; every successful bind is a trigger, and driver_deferred_probe_run(),
 * called at the end of the public entry points (device_add,
 * driver_register, the bind file...), moves the pending devices to the
 * active list and retries them, pass after pass, while the previous
 * pass bound something:
 *
 *	pending --(a bind happened)--> active --(retry)--> bound
 *	   ^                                     |
 *	   +-------------(-EPROBE_DEFER)---------+
 *
 * One pass at a time: the runner only try-locks R, never waits for it.
 * device_add() may run inside a probe, under that device's lock, while
 * another thread's pass waits for the very same lock; if the nested
 * call blocked on R that would be an ABBA deadlock. A caller that finds
 * R taken just returns: the holder re-checks for owed work after it
 * drops R, so nothing is lost. A probe that defers after a bind that
 * happened while it ran (and that a pass may already have consumed)
 * owes itself a retry (Linux's local trigger count).
 *
 * Locking: D (device lock) for dev->driver, dev->dead and probe/remove;
 * P (deferred_probe_mutex) for the two lists and the trigger state; R
 * (deferred_run_mutex) for the runner. Order: D, then P. Every deferred
 * add is made under D and really_probe() takes the device off the lists
 * first, so a device being probed is never on them: a pass nested in
 * its probe never waits for its lock.
 */
#include <kestrel/errno.h>
#include <kestrel/slab.h>

#include "base.h"

/* Protects both deferred lists, dev->deferred_probe and the triggers. */
static DEFINE_MUTEX(deferred_probe_mutex);
static LIST_HEAD(deferred_probe_pending_list);
static LIST_HEAD(deferred_probe_active_list);
static unsigned int deferred_trigger_count; /* successful binds so far */
static bool deferred_retry; /* a bind happened since the last pass */
/* Lock R: one deferred pass at a time; try-locked, see above. */
static DEFINE_MUTEX(deferred_run_mutex);

/* The trigger count now, to hand to driver_deferred_probe_add(). */
static unsigned int deferred_trigger_snapshot(void)
{
	unsigned int n;

	mutex_lock(&deferred_probe_mutex);
	n = deferred_trigger_count;
	mutex_unlock(&deferred_probe_mutex);
	return n;
}

/*
 * Park @dev on the pending list. @since: the trigger count when its
 * probe (or match) began; a bind after that may be what it waited for,
 * so it is owed a retry. A dead device is never parked. Lock D held.
 */
static void driver_deferred_probe_add(struct device *dev, unsigned int since)
{
	lockdep_assert_held(&dev->mutex);
	mutex_lock(&deferred_probe_mutex);
	if (!dev->dead && list_empty(&dev->deferred_probe)) {
		list_add_tail(&dev->deferred_probe,
			      &deferred_probe_pending_list);
		if (deferred_trigger_count != since)
			deferred_retry = true;
	}
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
	deferred_retry = true;
	mutex_unlock(&deferred_probe_mutex);
}

/* Is a pass owed: a bind since the last one, and devices pending? */
static bool deferred_work_pending(void)
{
	bool owed;

	mutex_lock(&deferred_probe_mutex);
	if (list_empty(&deferred_probe_pending_list))
		deferred_retry = false;
	owed = deferred_retry;
	mutex_unlock(&deferred_probe_mutex);
	return owed;
}

/* Start a pass: move pending to active if one is owed. */
static bool deferred_pass_begin(void)
{
	bool retry;

	mutex_lock(&deferred_probe_mutex);
	retry = deferred_retry && !list_empty(&deferred_probe_pending_list);
	while (retry && !list_empty(&deferred_probe_pending_list))
		list_move_tail(deferred_probe_pending_list.next,
			       &deferred_probe_active_list);
	deferred_retry = false;
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

/* Passes while they are owed. Lock R held. */
static void deferred_probe_passes(void)
{
	struct device *dev;

	lockdep_assert_held(&deferred_run_mutex);
	while (deferred_pass_begin()) {
		while ((dev = deferred_next_active())) {
			device_initial_probe(dev);
			put_device(dev);
		}
	}
}

/**
 * driver_deferred_probe_run - retry deferred devices after new binds
 *
 * Runs the owed passes unless another one is running (in this thread:
 * a probe that registers devices; or in another), in which case that
 * runner does the work once it is done with its current pass.
 * Context: process; may sleep; may be called under a device lock (from
 * a probe); never waits for another runner.
 */
void driver_deferred_probe_run(void)
{
	while (deferred_work_pending() && mutex_trylock(&deferred_run_mutex)) {
		deferred_probe_passes();
		mutex_unlock(&deferred_run_mutex);
	}
}

/**
 * wait_for_device_probe - finish pending deferred probing
 *
 * Waits for a running pass to end, then runs what is still owed.
 * Context: process; may sleep; no device lock held.
 */
void wait_for_device_probe(void)
{
	mutex_lock(&deferred_run_mutex);
	mutex_unlock(&deferred_run_mutex);
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
int driver_sysfs_add(struct device *dev, struct driver_private *priv)
{
	int err;

	err = sysfs_create_link(&priv->kobj, &dev->kobj, dev_name(dev));
	if (err)
		return err;
	err = sysfs_create_link(&dev->kobj, &priv->kobj, "driver");
	if (err)
		sysfs_remove_link(&priv->kobj, dev_name(dev));
	return err;
}

void driver_sysfs_remove(struct device *dev, struct driver_private *priv)
{
	sysfs_remove_link(&dev->kobj, "driver");
	sysfs_remove_link(&priv->kobj, dev_name(dev));
}

/* @drv's private part with a reference, or NULL when it is going away
 * (bus_remove_driver). Takes L. */
static struct driver_private *driver_get_live(struct device_driver *drv)
{
	struct driver_private *priv;

	mutex_lock(&dev_list_mutex);
	priv = drv->p;
	if (priv && !priv->dead)
		kobject_get(&priv->kobj);
	else
		priv = NULL;
	mutex_unlock(&dev_list_mutex);
	return priv;
}

/*
 * The probe succeeded: join the driver's list and tell everyone.
 * Return: 0, or -ENODEV if the driver began going away meanwhile (its
 * detach would miss this device). Lock D held.
 */
static int driver_bound(struct device *dev, struct driver_private *priv)
{
	int ret = 0;

	lockdep_assert_held(&dev->mutex);
	mutex_lock(&dev_list_mutex);
	if (priv->dead)
		ret = -ENODEV;
	else
		list_add_tail(&dev->knode_driver, &priv->devices);
	mutex_unlock(&dev_list_mutex);
	if (ret)
		return ret;
	driver_deferred_probe_trigger();
	kobject_uevent(&dev->kobj, KOBJ_BIND);
	return 0;
}

static int call_probe(struct device *dev, struct device_driver *drv)
{
	if (dev->bus->probe)
		return dev->bus->probe(dev);
	if (drv->probe)
		return drv->probe(dev);
	return 0;
}

static void call_remove(struct device *dev, struct device_driver *drv)
{
	if (dev->bus && dev->bus->remove)
		dev->bus->remove(dev);
	else if (drv->remove)
		drv->remove(dev);
}

/* A probe failed with @ret: unbound again, deferred or logged. Lock D. */
static void probe_failed(struct device *dev, struct device_driver *drv, int ret,
			 unsigned int since)
{
	dev->driver = NULL;
	dev_set_drvdata(dev, NULL);
	if (ret == -EPROBE_DEFER)
		driver_deferred_probe_add(dev, since);
	else if (ret != -ENODEV && ret != -ENXIO)
		pr_warn("%s: probe of %s failed with error %d\n", drv->name,
			dev_name(dev), ret);
}

/*
 * Bind @dev to @drv: links, the probe, then the driver's device groups.
 * Return: 0 bound, -ENODEV if @drv is going away, or the probe's -errno
 * (-EPROBE_DEFER: deferred). Lock D held.
 */
static int really_probe(struct device *dev, struct device_driver *drv)
{
	unsigned int since = deferred_trigger_snapshot();
	struct driver_private *priv = driver_get_live(drv);
	int ret;

	lockdep_assert_held(&dev->mutex);
	if (!priv)
		return -ENODEV;
	driver_deferred_probe_del(dev);
	dev->driver = drv;
	ret = driver_sysfs_add(dev, priv);
	if (ret)
		goto out_clear;
	ret = call_probe(dev, drv);
	if (ret)
		goto out_sysfs;
	ret = device_add_groups(dev, drv->dev_groups);
	if (ret)
		goto out_remove;
	ret = driver_bound(dev, priv);
	if (ret)
		goto out_groups;
	kobject_put(&priv->kobj);
	return 0;

out_groups:
	device_remove_groups(dev, drv->dev_groups);
out_remove:
	call_remove(dev, drv);
out_sysfs:
	driver_sysfs_remove(dev, priv);
out_clear:
	kobject_put(&priv->kobj);
	probe_failed(dev, drv, ret, since);
	return ret;
}

/* really_probe for a registered, live, unbound device. Lock D held. */
static int driver_probe_device(struct device_driver *drv, struct device *dev)
{
	lockdep_assert_held(&dev->mutex);
	if (dev->dead || !device_is_registered(dev))
		return -ENODEV;
	if (dev->driver)
		return -EBUSY;
	return really_probe(dev, drv);
}

/* Try one driver for a device; 1 (stop) once bound. Lock D held. */
static int __device_attach_driver(struct device_driver *drv, void *data)
{
	struct device *dev = data;
	unsigned int since = deferred_trigger_snapshot();
	int ret = driver_match_device(drv, dev);

	lockdep_assert_held(&dev->mutex);
	if (ret == -EPROBE_DEFER) {
		driver_deferred_probe_add(dev, since);
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
	else if (!dev->dead && dev->bus && device_is_registered(dev))
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
 * Return: 0 bound, -EBUSY already bound, -ENODEV the device or the
 * driver is going away, or the probe's -errno.
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

/* Match outside the lock (it may sleep), defer or probe under it. */
static int __driver_attach(struct device *dev, void *data)
{
	struct device_driver *drv = data;
	unsigned int since = deferred_trigger_snapshot();
	int ret = driver_match_device(drv, dev);

	if (ret == 0 || (ret < 0 && ret != -EPROBE_DEFER))
		return 0;
	device_lock(dev);
	if (ret == -EPROBE_DEFER)
		driver_deferred_probe_add(dev, since);
	else if (!dev->driver)
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
 * Return: 0 or -errno (-ENODEV: the driver is going away); on failure
 * dev->driver is cleared.
 * Context: process; may sleep; the caller holds the device lock.
 */
int device_bind_driver(struct device *dev)
{
	struct driver_private *priv = driver_get_live(dev->driver);
	int ret = -ENODEV;

	lockdep_assert_held(&dev->mutex);
	if (priv) {
		ret = driver_sysfs_add(dev, priv);
		if (!ret) {
			ret = driver_bound(dev, priv);
			if (ret)
				driver_sysfs_remove(dev, priv);
		}
		kobject_put(&priv->kobj);
	}
	if (ret)
		dev->driver = NULL;
	return ret;
}

/*
 * Unbind: the driver's files and links, its remove, the lists,
 * KOBJ_UNBIND. drv->p stays valid until bus_remove_driver() has
 * detached every bound device. Lock D.
 */
static void __device_release_driver(struct device *dev)
{
	struct device_driver *drv = dev->driver;

	if (!drv)
		return;
	driver_sysfs_remove(dev, drv->p);
	device_remove_groups(dev, drv->dev_groups);
	call_remove(dev, drv);
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
