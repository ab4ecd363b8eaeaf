/*
 * Buses (Linux's drivers/base/bus.c): /sys/bus/<name>/ with
 *
 *	devices/            a link to each device on the bus
 *	drivers/<drv>/      each driver: bind, unbind, uevent, and a link
 *	                    to each bound device
 *	drivers_probe       write a device name: probe drivers for it
 *	drivers_autoprobe   1 (default): bind new devices and drivers
 *	uevent              write "add"/"change"/...: a synthetic event
 *
 * and the lists behind them: the bus's devices (dev->knode_bus) and
 * drivers (driver_private.knode_bus), both under lock L (base.h).
 * "System" buses (subsys_system_register) also get a root device in
 * /sys/devices/system/<name>, the default parent of their devices.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/kstrtox.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "base.h"

struct kset *bus_kset; /* /sys/bus */
struct kset *system_kset; /* /sys/devices/system */

/* ---- sysfs glue for bus and driver attributes ------------------------- */

static ssize_t bus_attr_show(struct kobject *kobj, struct attribute *attr,
			     char *buf)
{
	struct bus_attribute *ba =
		container_of(attr, struct bus_attribute, attr);

	if (!ba->show)
		return -EIO;
	return ba->show(to_subsys_private(kobj)->bus, buf);
}

static ssize_t bus_attr_store(struct kobject *kobj, struct attribute *attr,
			      const char *buf, size_t count)
{
	struct bus_attribute *ba =
		container_of(attr, struct bus_attribute, attr);

	if (!ba->store)
		return -EIO;
	return ba->store(to_subsys_private(kobj)->bus, buf, count);
}

static const struct sysfs_ops bus_sysfs_ops = {
	.show = bus_attr_show,
	.store = bus_attr_store,
};

static void bus_release(struct kobject *kobj)
{
	struct subsys_private *sp = to_subsys_private(kobj);

	sp->bus->p = NULL;
	kfree(sp);
}

static const struct kobj_type bus_ktype = {
	.release = bus_release,
	.sysfs_ops = &bus_sysfs_ops,
};

static ssize_t drv_attr_show(struct kobject *kobj, struct attribute *attr,
			     char *buf)
{
	struct driver_attribute *da =
		container_of(attr, struct driver_attribute, attr);

	if (!da->show)
		return -EIO;
	return da->show(to_driver(kobj)->driver, buf);
}

static ssize_t drv_attr_store(struct kobject *kobj, struct attribute *attr,
			      const char *buf, size_t count)
{
	struct driver_attribute *da =
		container_of(attr, struct driver_attribute, attr);

	if (!da->store)
		return -EIO;
	return da->store(to_driver(kobj)->driver, buf, count);
}

static const struct sysfs_ops driver_sysfs_ops = {
	.show = drv_attr_show,
	.store = drv_attr_store,
};

static void driver_release(struct kobject *kobj)
{
	kfree(to_driver(kobj));
}

static const struct kobj_type driver_ktype = {
	.release = driver_release,
	.sysfs_ops = &driver_sysfs_ops,
};

/* Events of buses and drivers come from their own kobjects only. */
static int bus_uevent_filter(const struct kobject *kobj)
{
	return kobj->ktype == &bus_ktype;
}

static const struct kset_uevent_ops bus_uevent_ops = {
	.filter = bus_uevent_filter,
};

/* ---- driver files: bind, unbind, uevent -------------------------------- */

static ssize_t bind_store(struct device_driver *drv, const char *buf,
			  size_t count)
{
	struct device *dev;
	int err = -ENODEV;

	dev = bus_find_device_by_name(drv->bus, NULL, buf);
	if (dev && driver_match_device(drv, dev) > 0) {
		err = device_driver_attach(drv, dev);
		driver_deferred_probe_run();
	}
	put_device(dev);
	return err ? err : (ssize_t)count;
}
static DRIVER_ATTR_WO(bind);

static ssize_t unbind_store(struct device_driver *drv, const char *buf,
			    size_t count)
{
	struct device *dev;
	int err = -ENODEV;

	dev = bus_find_device_by_name(drv->bus, NULL, buf);
	if (dev && dev->driver == drv) {
		device_release_driver(dev);
		err = 0;
	}
	put_device(dev);
	return err ? err : (ssize_t)count;
}
static DRIVER_ATTR_WO(unbind);

static ssize_t drv_uevent_store(struct device_driver *drv, const char *buf,
				size_t count)
{
	int err = kobject_synth_uevent(&drv->p->kobj, buf, count);

	return err ? err : (ssize_t)count;
}
static struct driver_attribute driver_attr_uevent =
	__ATTR(uevent, 0200, NULL, drv_uevent_store);

/* ---- bus files: drivers_probe, drivers_autoprobe, uevent --------------- */

static ssize_t drivers_autoprobe_show(struct bus_type *bus, char *buf)
{
	return sysfs_emit(buf, "%d\n", bus->p->drivers_autoprobe);
}

static ssize_t drivers_autoprobe_store(struct bus_type *bus, const char *buf,
				       size_t count)
{
	bus->p->drivers_autoprobe = buf[0] != '0';
	return (ssize_t)count;
}
static BUS_ATTR_RW(drivers_autoprobe);

/* As Linux: only an unknown device (-ENODEV) or a failed attach
 * (-EINVAL) is an error; no driver, or one bound already, is not. */
static ssize_t drivers_probe_store(struct bus_type *bus, const char *buf,
				   size_t count)
{
	struct device *dev;
	int ret;

	dev = bus_find_device_by_name(bus, NULL, buf);
	if (!dev)
		return -ENODEV;
	ret = device_attach(dev);
	put_device(dev);
	return ret < 0 ? -EINVAL : (ssize_t)count;
}
static BUS_ATTR_WO(drivers_probe);

static ssize_t bus_uevent_store(struct bus_type *bus, const char *buf,
				size_t count)
{
	int err = kobject_synth_uevent(&bus->p->subsys.kobj, buf, count);

	return err ? err : (ssize_t)count;
}
static struct bus_attribute bus_attr_uevent =
	__ATTR(uevent, 0200, NULL, bus_uevent_store);

/**
 * bus_create_file - add an attribute to /sys/bus/<name>/
 * @bus: a registered bus
 * @attr: the attribute
 *
 * Return: 0 or -errno. Context: process; may sleep.
 */
int bus_create_file(struct bus_type *bus, struct bus_attribute *attr)
{
	if (!bus->p)
		return -EINVAL;
	return sysfs_create_file(&bus->p->subsys.kobj, &attr->attr);
}

/**
 * bus_remove_file - remove an attribute of /sys/bus/<name>/
 * @bus: the bus
 * @attr: the attribute
 *
 * Context: process; may sleep.
 */
void bus_remove_file(struct bus_type *bus, struct bus_attribute *attr)
{
	if (bus->p)
		sysfs_remove_file(&bus->p->subsys.kobj, &attr->attr);
}

/* ---- iteration --------------------------------------------------------- */

/**
 * bus_for_each_dev - call @fn on each device of @bus
 * @bus: the bus
 * @start: begin after this device, or NULL
 * @data: passed to @fn
 * @fn: returns non-zero to stop
 *
 * Return: the value that stopped the walk, 0, or -EINVAL.
 * Context: process; may sleep; @fn runs with no core lock held.
 */
int bus_for_each_dev(struct bus_type *bus, struct device *start, void *data,
		     int (*fn)(struct device *dev, void *data))
{
	if (!bus || !bus->p)
		return -EINVAL;
	return dev_list_for_each(&bus->p->devices,
				 offsetof(struct device, knode_bus), start,
				 data, fn);
}

/**
 * bus_find_device - the first device of @bus that @match accepts
 * @bus: the bus
 * @start: begin after this device, or NULL
 * @data: passed to @match
 * @match: returns non-zero for the device wanted
 *
 * Return: the device with a reference (put_device it), or NULL.
 * Context: process; may sleep.
 */
struct device *
bus_find_device(struct bus_type *bus, struct device *start, const void *data,
		int (*match)(struct device *dev, const void *data))
{
	if (!bus || !bus->p)
		return NULL;
	return dev_list_find(&bus->p->devices,
			     offsetof(struct device, knode_bus), start, data,
			     match);
}

static int match_name(struct device *dev, const void *data)
{
	return sysfs_name_eq(data, dev_name(dev));
}

/**
 * bus_find_device_by_name - a device of @bus by name
 * @bus: the bus
 * @start: begin after this device, or NULL
 * @name: the name; a trailing newline (a sysfs write) is ignored
 *
 * Return: the device with a reference, or NULL. Context: may sleep.
 */
struct device *bus_find_device_by_name(struct bus_type *bus,
				       struct device *start, const char *name)
{
	return bus_find_device(bus, start, name, match_name);
}

/* Snapshot the drivers of a bus, each with a reference. Takes L. */
static struct driver_private **
drv_snapshot(struct bus_type *bus, struct device_driver *start, int *nr)
{
	struct driver_private **drvs = NULL, *p;
	struct list_head *pos;
	int n = 0, i = 0;

	mutex_lock(&dev_list_mutex);
	list_for_each(pos, &bus->p->drivers)
		n++;
	if (n)
		drvs = kmalloc_array((size_t)n, sizeof(*drvs), GFP_KERNEL);
	if (!drvs)
		goto out;
	pos = start && start->p ? &start->p->knode_bus : &bus->p->drivers;
	for (pos = pos->next; pos != &bus->p->drivers; pos = pos->next) {
		p = list_entry(pos, struct driver_private, knode_bus);
		kobject_get(&p->kobj);
		drvs[i++] = p;
	}
out:
	mutex_unlock(&dev_list_mutex);
	*nr = i;
	return drvs;
}

/**
 * bus_for_each_drv - call @fn on each driver of @bus
 * @bus: the bus
 * @start: begin after this driver, or NULL
 * @data: passed to @fn
 * @fn: returns non-zero to stop
 *
 * Return: the value that stopped the walk, 0, or -EINVAL.
 * Context: process; may sleep; @fn runs with no core lock held.
 */
int bus_for_each_drv(struct bus_type *bus, struct device_driver *start,
		     void *data,
		     int (*fn)(struct device_driver *drv, void *data))
{
	struct driver_private **drvs;
	int nr, i, ret = 0;

	if (!bus || !bus->p)
		return -EINVAL;
	drvs = drv_snapshot(bus, start, &nr);
	for (i = 0; i < nr; i++) {
		if (!ret)
			ret = fn(drvs[i]->driver, data);
		kobject_put(&drvs[i]->kobj);
	}
	kfree(drvs);
	return ret;
}

static int rescan_one(struct device *dev, void *data)
{
	if (!dev->driver)
		device_attach(dev);
	return 0;
}

/**
 * bus_rescan_devices - probe drivers for every unbound device of @bus
 * @bus: the bus
 *
 * Return: 0 or -EINVAL. Context: process; may sleep.
 */
int bus_rescan_devices(struct bus_type *bus)
{
	return bus_for_each_dev(bus, NULL, NULL, rescan_one);
}

/* ---- devices joining and leaving ---------------------------------------- */

/* The bus's attributes and links for @dev, and its place on the list. */
int bus_add_device(struct device *dev)
{
	struct subsys_private *sp;
	int err;

	if (!dev->bus)
		return 0;
	sp = dev->bus->p;
	if (!sp)
		return -EINVAL;
	err = device_add_groups(dev, dev->bus->dev_groups);
	if (err)
		return err;
	err = sysfs_create_link(&sp->devices_kset->kobj, &dev->kobj,
				dev_name(dev));
	if (err)
		goto out_groups;
	err = sysfs_create_link(&dev->kobj, &sp->subsys.kobj, "subsystem");
	if (err)
		goto out_link;
	mutex_lock(&dev_list_mutex);
	list_add_tail(&dev->knode_bus, &sp->devices);
	mutex_unlock(&dev_list_mutex);
	return 0;

out_link:
	sysfs_remove_link(&sp->devices_kset->kobj, dev_name(dev));
out_groups:
	device_remove_groups(dev, dev->bus->dev_groups);
	return err;
}

/* A new device looks for a driver, if the bus autoprobes. */
void bus_probe_device(struct device *dev)
{
	if (dev->bus && dev->bus->p && dev->bus->p->drivers_autoprobe)
		device_initial_probe(dev);
}

/* Undo bus_add_device, unbinding the driver first. */
void bus_remove_device(struct device *dev)
{
	struct subsys_private *sp;

	if (!dev->bus || !dev->bus->p)
		return;
	sp = dev->bus->p;
	mutex_lock(&dev_list_mutex);
	list_del_init(&dev->knode_bus);
	mutex_unlock(&dev_list_mutex);
	device_release_driver(dev);
	sysfs_remove_link(&dev->kobj, "subsystem");
	sysfs_remove_link(&sp->devices_kset->kobj, dev_name(dev));
	device_remove_groups(dev, dev->bus->dev_groups);
}

/* ---- drivers joining and leaving ---------------------------------------- */

static void driver_remove_files(struct device_driver *drv)
{
	driver_remove_file(drv, &driver_attr_unbind);
	driver_remove_file(drv, &driver_attr_bind);
	driver_remove_file(drv, &driver_attr_uevent);
	if (drv->groups)
		sysfs_remove_groups(&drv->p->kobj, drv->groups);
	if (drv->bus->drv_groups)
		sysfs_remove_groups(&drv->p->kobj, drv->bus->drv_groups);
}

static int driver_add_files(struct device_driver *drv)
{
	int err;

	err = driver_create_file(drv, &driver_attr_uevent);
	if (!err)
		err = driver_create_file(drv, &driver_attr_bind);
	if (!err)
		err = driver_create_file(drv, &driver_attr_unbind);
	if (!err && drv->bus->drv_groups)
		err = sysfs_create_groups(&drv->p->kobj, drv->bus->drv_groups);
	if (!err && drv->groups)
		err = sysfs_create_groups(&drv->p->kobj, drv->groups);
	if (err)
		driver_remove_files(drv);
	return err;
}

/* /sys/bus/<bus>/drivers/<drv>, the bus's list, then binding. */
int bus_add_driver(struct device_driver *drv)
{
	struct subsys_private *sp = drv->bus->p;
	struct driver_private *priv;
	int err;

	priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	INIT_LIST_HEAD(&priv->devices);
	INIT_LIST_HEAD(&priv->knode_bus);
	priv->driver = drv;
	drv->p = priv;
	priv->kobj.kset = sp->drivers_kset;
	err = kobject_init_and_add(&priv->kobj, &driver_ktype, NULL, "%s",
				   drv->name);
	if (err)
		goto out_put;
	err = driver_add_files(drv);
	if (err)
		goto out_del;
	mutex_lock(&dev_list_mutex);
	list_add_tail(&priv->knode_bus, &sp->drivers);
	mutex_unlock(&dev_list_mutex);
	kobject_uevent(&priv->kobj, KOBJ_ADD);
	if (sp->drivers_autoprobe)
		driver_attach(drv);
	return 0;

out_del:
	kobject_del(&priv->kobj);
out_put:
	drv->p = NULL;
	kobject_put(&priv->kobj);
	return err;
}

/*
 * Off the bus's list and marked dead first (under L), then unbind: a
 * probe that already had the driver in a snapshot fails in
 * driver_bound() instead of binding behind driver_detach()'s back.
 * drv->p is cleared under L (driver_get_live reads it there).
 */
void bus_remove_driver(struct device_driver *drv)
{
	struct driver_private *priv = drv->p;

	driver_remove_files(drv);
	mutex_lock(&dev_list_mutex);
	priv->dead = true;
	list_del_init(&priv->knode_bus);
	mutex_unlock(&dev_list_mutex);
	driver_detach(drv);
	kobject_uevent(&priv->kobj, KOBJ_REMOVE);
	kobject_del(&priv->kobj);
	mutex_lock(&dev_list_mutex);
	drv->p = NULL;
	mutex_unlock(&dev_list_mutex);
	kobject_put(&priv->kobj);
}

/* ---- buses coming and going --------------------------------------------- */

static void bus_remove_files(struct bus_type *bus)
{
	struct kobject *kobj = &bus->p->subsys.kobj;

	if (bus->bus_groups)
		sysfs_remove_groups(kobj, bus->bus_groups);
	bus_remove_file(bus, &bus_attr_drivers_autoprobe);
	bus_remove_file(bus, &bus_attr_drivers_probe);
	bus_remove_file(bus, &bus_attr_uevent);
}

static int bus_add_files(struct bus_type *bus)
{
	int err;

	err = bus_create_file(bus, &bus_attr_uevent);
	if (!err)
		err = bus_create_file(bus, &bus_attr_drivers_probe);
	if (!err)
		err = bus_create_file(bus, &bus_attr_drivers_autoprobe);
	if (!err && bus->bus_groups)
		err = sysfs_create_groups(&bus->p->subsys.kobj,
					  bus->bus_groups);
	if (err)
		bus_remove_files(bus);
	return err;
}

static struct subsys_private *subsys_private_alloc(struct bus_type *bus)
{
	struct subsys_private *sp = kzalloc(sizeof(*sp), GFP_KERNEL);

	if (!sp)
		return NULL;
	INIT_LIST_HEAD(&sp->devices);
	INIT_LIST_HEAD(&sp->drivers);
	INIT_LIST_HEAD(&sp->glue_dirs);
	sp->drivers_autoprobe = true;
	sp->bus = bus;
	if (kobject_set_name(&sp->subsys.kobj, "%s", bus->name)) {
		kfree(sp);
		return NULL;
	}
	sp->subsys.kobj.kset = bus_kset;
	sp->subsys.kobj.ktype = &bus_ktype;
	return sp;
}

/**
 * bus_register - make /sys/bus/<bus->name> and start matching
 * @bus: the bus; its name must outlive it
 *
 * Return: 0, -EEXIST, -ENOMEM. Context: process; may sleep.
 */
int bus_register(struct bus_type *bus)
{
	struct subsys_private *sp = subsys_private_alloc(bus);
	int err = -ENOMEM;

	if (!sp)
		return -ENOMEM;
	err = kset_register(&sp->subsys);
	if (err) {
		kfree(sp->subsys.kobj.name);
		kfree(sp);
		return err;
	}
	bus->p = sp;
	err = -ENOMEM;
	sp->devices_kset =
		kset_create_and_add("devices", NULL, &sp->subsys.kobj);
	if (!sp->devices_kset)
		goto out_unregister;
	sp->drivers_kset =
		kset_create_and_add("drivers", NULL, &sp->subsys.kobj);
	if (!sp->drivers_kset)
		goto out_devices;
	err = bus_add_files(bus);
	if (err)
		goto out_drivers;
	return 0;

out_drivers:
	kset_unregister(sp->drivers_kset);
out_devices:
	kset_unregister(sp->devices_kset);
out_unregister:
	kset_unregister(&sp->subsys);
	return err;
}

/**
 * bus_unregister - remove a bus that has no devices or drivers left
 * @bus: the bus
 *
 * Context: process; may sleep.
 */
void bus_unregister(struct bus_type *bus)
{
	struct subsys_private *sp = bus->p;

	if (!sp)
		return;
	if (bus->dev_root) {
		device_unregister(bus->dev_root);
		bus->dev_root = NULL;
	}
	bus_remove_files(bus);
	kset_unregister(sp->drivers_kset);
	kset_unregister(sp->devices_kset);
	kset_unregister(&sp->subsys);
}

static void system_root_release(struct device *dev)
{
	kfree(dev);
}

/**
 * subsys_system_register - register a "system" bus (cpu, memory)
 * @subsys: the bus
 * @groups: attributes of its root device, or NULL
 *
 * Besides /sys/bus/<name>, makes the root device
 * /sys/devices/system/<name> (subsys->dev_root), under which the bus's
 * devices go when they have no parent.
 * Return: 0 or -errno. Context: process; may sleep.
 */
int subsys_system_register(struct bus_type *subsys,
			   const struct attribute_group **groups)
{
	struct device *root;
	int err;

	err = bus_register(subsys);
	if (err)
		return err;
	root = kzalloc(sizeof(*root), GFP_KERNEL);
	if (!root) {
		err = -ENOMEM;
		goto out_bus;
	}
	device_initialize(root);
	root->init_name = subsys->name;
	root->groups = groups;
	root->release = system_root_release;
	root->kobj.parent = &system_kset->kobj;
	err = device_add(root);
	if (err) {
		put_device(root);
		goto out_bus;
	}
	subsys->dev_root = root;
	return 0;

out_bus:
	bus_unregister(subsys);
	return err;
}

/**
 * buses_init - make /sys/bus and /sys/devices/system
 *
 * Return: 0 or -ENOMEM. Context: boot, after devices_init.
 */
int buses_init(void)
{
	bus_kset = kset_create_and_add("bus", &bus_uevent_ops, NULL);
	if (!bus_kset)
		return -ENOMEM;
	system_kset = kset_create_and_add("system", NULL, &devices_kset->kobj);
	return system_kset ? 0 : -ENOMEM;
}
