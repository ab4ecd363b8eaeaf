/*
 * The driver core's devices: struct device's life (initialize, add,
 * del, the last put), its directory under /sys/devices and the files
 * every device has there (uevent, dev), the parent it is put under,
 * and the uevent variables of devices (Linux's drivers/base/core.c).
 *
 * Where a device goes in /sys/devices:
 *
 *	parent given, no class          under the parent
 *	no parent, on a "system" bus    under the bus's root device
 *	                                (/sys/devices/system/<bus>)
 *	no parent, a class              /sys/devices/virtual/<class>/
 *	parent given, a class           <parent>/<class>/ (a "glue"
 *	                                directory, class.c), unless the
 *	                                parent is itself a class device
 *	neither                         /sys/devices/
 *
 * Every device is a member of devices_kset, whose uevent ops make the
 * events and the "uevent" file: SUBSYSTEM is the bus or class name,
 * then MAJOR/MINOR/DEVNAME/DEVMODE for a device number, DEVTYPE,
 * DRIVER, and what the bus, class and type add.
 *
 * Lists: see base.h (lock L). The iteration helpers here snapshot a
 * list with references so callbacks run without any core lock.
 */
#include <kestrel/devtmpfs.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/kstrtox.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "base.h"

/* Protects every list of the driver core (lock L in base.h). */
DEFINE_MUTEX(dev_list_mutex);

struct kset *devices_kset; /* /sys/devices */
static struct kobject *virtual_dir; /* /sys/devices/virtual */
static struct kobject *dev_kobj; /* /sys/dev */
struct kobject *sysfs_dev_char_kobj; /* /sys/dev/char */
struct kobject *sysfs_dev_block_kobj; /* /sys/dev/block */

/* "MAJ:MIN" with room for the largest numbers. */
#define DEVT_NAME_LEN 24
/* One dev_printk() message, formatted before the prefix is added. */
#define DEV_PRINTK_LEN 256

bool sysfs_name_eq(const char *line, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(line, name, n))
		return false;
	return line[n] == '\0' || (line[n] == '\n' && line[n + 1] == '\0');
}

/* Snapshot the devices of a list with a reference each. Lock L taken. */
static struct device **dev_list_snapshot(struct list_head *head, size_t off,
					 struct device *start, int *nr)
{
	struct device **devs = NULL;
	struct list_head *pos;
	int n = 0, i = 0;

	mutex_lock(&dev_list_mutex);
	list_for_each(pos, head)
		n++;
	if (n)
		devs = kmalloc_array((size_t)n, sizeof(*devs), GFP_KERNEL);
	if (!devs)
		goto out;
	pos = start ? (struct list_head *)((char *)start + off) : head;
	for (pos = pos->next; pos != head; pos = pos->next)
		devs[i++] = get_device((struct device *)((char *)pos - off));
out:
	mutex_unlock(&dev_list_mutex);
	*nr = i;
	return devs;
}

static void dev_list_release(struct device **devs, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		put_device(devs[i]);
	kfree(devs);
}

int dev_list_for_each(struct list_head *head, size_t off, struct device *start,
		      void *data, int (*fn)(struct device *dev, void *data))
{
	struct device **devs;
	int nr, i, ret = 0;

	devs = dev_list_snapshot(head, off, start, &nr);
	for (i = 0; i < nr && !ret; i++)
		ret = fn(devs[i], data);
	dev_list_release(devs, nr);
	return ret;
}

struct device *dev_list_find(struct list_head *head, size_t off,
			     struct device *start, const void *data,
			     int (*match)(struct device *dev, const void *data))
{
	struct device **devs, *found = NULL;
	int nr, i;

	devs = dev_list_snapshot(head, off, start, &nr);
	for (i = 0; i < nr && !found; i++)
		if (match(devs[i], data))
			found = get_device(devs[i]);
	dev_list_release(devs, nr);
	return found;
}

/* ---- the kobject of a device ----------------------------------------- */

static void device_release(struct kobject *kobj)
{
	struct device *dev = kobj_to_dev(kobj);

	if (dev->release)
		dev->release(dev);
	else if (dev->type && dev->type->release)
		dev->type->release(dev);
	else if (dev->class && dev->class->dev_release)
		dev->class->dev_release(dev);
	else
		pr_err("device '%s' does not have a release() function\n",
		       dev_name(dev));
}

static ssize_t dev_attr_show(struct kobject *kobj, struct attribute *attr,
			     char *buf)
{
	struct device_attribute *da =
		container_of(attr, struct device_attribute, attr);

	if (!da->show)
		return -EIO;
	return da->show(kobj_to_dev(kobj), da, buf);
}

static ssize_t dev_attr_store(struct kobject *kobj, struct attribute *attr,
			      const char *buf, size_t count)
{
	struct device_attribute *da =
		container_of(attr, struct device_attribute, attr);

	if (!da->store)
		return -EIO;
	return da->store(kobj_to_dev(kobj), da, buf, count);
}

static const struct sysfs_ops dev_sysfs_ops = {
	.show = dev_attr_show,
	.store = dev_attr_store,
};

static const struct kobj_type device_ktype = {
	.release = device_release,
	.sysfs_ops = &dev_sysfs_ops,
};

/* ---- uevents of devices ------------------------------------------------ */

static int dev_uevent_filter(const struct kobject *kobj)
{
	const struct device *dev;

	if (kobj->ktype != &device_ktype)
		return 0;
	dev = kobj_to_dev(kobj);
	return dev->bus || dev->class;
}

static const char *dev_uevent_name(const struct kobject *kobj)
{
	const struct device *dev = kobj_to_dev(kobj);

	if (dev->bus)
		return dev->bus->name;
	if (dev->class)
		return dev->class->name;
	return NULL;
}

/* MAJOR, MINOR, DEVNAME and DEVMODE of a device with a number. */
static int dev_uevent_devt(const struct device *dev,
			   struct kobj_uevent_env *env)
{
	umode_t mode = 0;
	char *tmp = NULL;
	const char *name;
	int err;

	err = add_uevent_var(env, "MAJOR=%u", MAJOR(dev->devt));
	if (!err)
		err = add_uevent_var(env, "MINOR=%u", MINOR(dev->devt));
	name = device_get_devnode(dev, &mode, &tmp);
	if (!err && name)
		err = add_uevent_var(env, "DEVNAME=%s", name);
	if (!err && name && mode)
		err = add_uevent_var(env, "DEVMODE=%#o", mode & 0777);
	kfree(tmp);
	return err;
}

static int dev_uevent(const struct kobject *kobj, struct kobj_uevent_env *env)
{
	const struct device *dev = kobj_to_dev(kobj);
	int err = 0;

	if (dev->devt)
		err = dev_uevent_devt(dev, env);
	if (!err && dev->type && dev->type->name)
		err = add_uevent_var(env, "DEVTYPE=%s", dev->type->name);
	if (!err && dev->driver)
		err = add_uevent_var(env, "DRIVER=%s", dev->driver->name);
	if (!err && dev->bus && dev->bus->uevent)
		err = dev->bus->uevent(dev, env);
	if (!err && dev->class && dev->class->dev_uevent)
		err = dev->class->dev_uevent(dev, env);
	if (!err && dev->type && dev->type->uevent)
		err = dev->type->uevent(dev, env);
	return err;
}

static const struct kset_uevent_ops device_uevent_ops = {
	.filter = dev_uevent_filter,
	.name = dev_uevent_name,
	.uevent = dev_uevent,
};

/* The "uevent" file: the variables an event of the device would carry
 * (those the device core adds; ACTION, DEVPATH, SEQNUM are per event). */
static ssize_t uevent_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct kobj_uevent_env *env;
	int i, len = 0;

	if (!dev_uevent_filter(&dev->kobj))
		return 0;
	env = kzalloc(sizeof(*env), GFP_KERNEL);
	if (!env)
		return -ENOMEM;
	if (!dev_uevent(&dev->kobj, env))
		for (i = 0; i < env->envp_idx; i++)
			len += sysfs_emit_at(buf, len, "%s\n", env->envp[i]);
	kfree(env);
	return len;
}

static ssize_t uevent_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	int err = kobject_synth_uevent(&dev->kobj, buf, count);

	return err ? err : (ssize_t)count;
}
static DEVICE_ATTR_RW(uevent);

static ssize_t dev_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	return sysfs_emit(buf, "%u:%u\n", MAJOR(dev->devt), MINOR(dev->devt));
}
static DEVICE_ATTR_RO(dev);

/* ---- life of a device -------------------------------------------------- */

/**
 * device_initialize - prepare a device for device_add()
 * @dev: the device, zeroed except for fields the caller set
 *
 * After this the device is reference counted: dispose of it with
 * put_device(), which ends in its release function.
 * Context: any; does not sleep.
 */
void device_initialize(struct device *dev)
{
	dev->kobj.kset = devices_kset;
	kobject_init(&dev->kobj, &device_ktype);
	mutex_init(&dev->mutex);
	/* Device locks nest without a fixed order by class (a probe adds
	 * devices under its own lock): Linux too leaves them unchecked. */
	lockdep_set_novalidate_class(&dev->mutex);
	INIT_LIST_HEAD(&dev->children);
	INIT_LIST_HEAD(&dev->knode_parent);
	INIT_LIST_HEAD(&dev->knode_bus);
	INIT_LIST_HEAD(&dev->knode_driver);
	INIT_LIST_HEAD(&dev->knode_class);
	INIT_LIST_HEAD(&dev->deferred_probe);
}

/**
 * dev_set_name - name a device
 * @dev: the device
 * @fmt: printf format, then its arguments; '/' becomes '!'
 *
 * Return: 0 or -ENOMEM. Context: process; may sleep.
 */
int dev_set_name(struct device *dev, const char *fmt, ...)
{
	va_list args;
	int err;

	va_start(args, fmt);
	err = kobject_set_name_vargs(&dev->kobj, fmt, args);
	va_end(args);
	return err;
}

/**
 * get_device - take a reference on a device
 * @dev: the device, or NULL
 *
 * Return: @dev. Context: any.
 */
struct device *get_device(struct device *dev)
{
	return dev ? kobj_to_dev(kobject_get(&dev->kobj)) : NULL;
}

/**
 * put_device - drop a reference; the last one releases the device
 * @dev: the device, or NULL
 *
 * Context: process; may sleep (the release may).
 */
void put_device(struct device *dev)
{
	if (dev)
		kobject_put(&dev->kobj);
}

/* The kobject @dev goes under; a class glue directory carries a
 * reference the device drops in device_del. */
static struct kobject *get_device_parent(struct device *dev,
					 struct device *parent)
{
	if (dev->class) {
		if (!parent)
			return class_dir_get(dev->class, virtual_dir);
		if (parent->class)
			return &parent->kobj;
		return class_dir_get(dev->class, &parent->kobj);
	}
	if (!parent && dev->bus && dev->bus->dev_root)
		return &dev->bus->dev_root->kobj;
	return parent ? &parent->kobj : NULL;
}

int device_add_groups(struct device *dev, const struct attribute_group **groups)
{
	return groups ? sysfs_create_groups(&dev->kobj, groups) : 0;
}

void device_remove_groups(struct device *dev,
			  const struct attribute_group **groups)
{
	if (groups)
		sysfs_remove_groups(&dev->kobj, groups);
}

/**
 * device_is_block - does @dev stand for a block device node?
 *
 * Until a block layer exists, a device of the class named "block".
 * Context: any.
 */
bool device_is_block(const struct device *dev)
{
	return dev->class && !strcmp(dev->class->name, "block");
}

/* /sys/dev/char/MAJ:MIN (or block) -> the device. */
static struct kobject *device_to_dev_kobj(struct device *dev)
{
	if (device_is_block(dev))
		return sysfs_dev_block_kobj;
	return sysfs_dev_char_kobj;
}

static int device_create_sys_dev_entry(struct device *dev)
{
	char name[DEVT_NAME_LEN];

	snprintf(name, sizeof(name), "%u:%u", MAJOR(dev->devt),
		 MINOR(dev->devt));
	return sysfs_create_link(device_to_dev_kobj(dev), &dev->kobj, name);
}

static void device_remove_sys_dev_entry(struct device *dev)
{
	char name[DEVT_NAME_LEN];

	snprintf(name, sizeof(name), "%u:%u", MAJOR(dev->devt),
		 MINOR(dev->devt));
	sysfs_remove_link(device_to_dev_kobj(dev), name);
}

static void device_remove_attrs(struct device *dev)
{
	if (dev->devt) {
		device_remove_sys_dev_entry(dev);
		device_remove_file(dev, &dev_attr_dev);
	}
	device_remove_groups(dev, dev->groups);
	if (dev->type)
		device_remove_groups(dev, dev->type->groups);
	if (dev->class)
		device_remove_groups(dev, dev->class->dev_groups);
	device_remove_file(dev, &dev_attr_uevent);
}

/* uevent, the class's, type's and device's groups, dev. */
static int device_add_attrs(struct device *dev)
{
	int err;

	err = device_create_file(dev, &dev_attr_uevent);
	if (!err && dev->class)
		err = device_add_groups(dev, dev->class->dev_groups);
	if (!err && dev->type)
		err = device_add_groups(dev, dev->type->groups);
	if (!err)
		err = device_add_groups(dev, dev->groups);
	if (!err && dev->devt) {
		err = device_create_file(dev, &dev_attr_dev);
		if (!err)
			err = device_create_sys_dev_entry(dev);
	}
	if (err)
		device_remove_attrs(dev);
	return err;
}

static void device_link_parent(struct device *dev, struct device *parent)
{
	if (!parent)
		return;
	mutex_lock(&dev_list_mutex);
	list_add_tail(&dev->knode_parent, &parent->children);
	mutex_unlock(&dev_list_mutex);
}

static void device_unlink_parent(struct device *dev)
{
	mutex_lock(&dev_list_mutex);
	list_del_init(&dev->knode_parent);
	mutex_unlock(&dev_list_mutex);
}

/* Undo device_add_kobj: out of the tree, and out of a glue directory,
 * which goes when its last device does. */
static void device_del_kobj(struct device *dev)
{
	struct kobject *dir = kobject_get(dev->kobj.parent);

	kobject_del(&dev->kobj);
	if (dev->class)
		class_dir_put(dev->class, dir);
	kobject_put(dir);
}

/* The /dev node of a device with a number; devtmpfs_node under D. */
static void device_node_add(struct device *dev)
{
	if (!dev->devt)
		return;
	device_lock(dev);
	if (!dev->devtmpfs_node && !devtmpfs_create_node(dev))
		dev->devtmpfs_node = 1;
	device_unlock(dev);
}

static void device_node_del(struct device *dev)
{
	device_lock(dev);
	if (dev->devtmpfs_node)
		devtmpfs_delete_node(dev);
	dev->devtmpfs_node = 0;
	device_unlock(dev);
}

/* Name the device from init_name if dev_set_name was not called. */
static int device_take_name(struct device *dev)
{
	int err = 0;

	if (dev->init_name) {
		err = dev_set_name(dev, "%s", dev->init_name);
		dev->init_name = NULL;
	}
	if (!err && !kobject_name(&dev->kobj))
		err = -EINVAL;
	return err;
}

/* Put the device's kobject in the tree under its computed parent. */
static int device_add_kobj(struct device *dev, struct device *parent)
{
	struct kobject *kobj;
	int err;

	kobj = get_device_parent(dev, parent);
	if (IS_ERR(kobj))
		return PTR_ERR(kobj);
	if (kobj)
		dev->kobj.parent = kobj;
	err = kobject_add(&dev->kobj, dev->kobj.parent, "%s", dev_name(dev));
	if (err && dev->class)
		class_dir_put(dev->class, kobj);
	return err;
}

/**
 * device_add - add a device to the device model
 * @dev: an initialised device with a name (dev_set_name or init_name)
 *
 * Creates its directory and files, joins its bus and class, creates its
 * /dev node when it has a number, announces it (KOBJ_ADD) and probes
 * drivers for it. On failure call put_device() (not device_del).
 *
 * Return: 0, -EINVAL (no name), -EEXIST (name taken), -ENOMEM.
 * Context: process; may sleep; no core lock held.
 */
int device_add(struct device *dev)
{
	struct device *parent;
	int err;

	dev = get_device(dev);
	if (!dev)
		return -EINVAL;
	err = device_take_name(dev);
	if (err)
		goto out_put;
	parent = get_device(dev->parent);
	err = device_add_kobj(dev, parent);
	if (err)
		goto out_put_parent;
	err = device_add_attrs(dev);
	if (err)
		goto out_del_kobj;
	err = bus_add_device(dev);
	if (err)
		goto out_remove_attrs;
	err = class_add_device(dev);
	if (err)
		goto out_remove_bus;
	device_node_add(dev);
	device_link_parent(dev, parent);
	kobject_uevent(&dev->kobj, KOBJ_ADD);
	bus_probe_device(dev);
	driver_deferred_probe_run();
	put_device(dev);
	return 0;

out_remove_bus:
	bus_remove_device(dev);
out_remove_attrs:
	device_remove_attrs(dev);
out_del_kobj:
	device_del_kobj(dev);
out_put_parent:
	put_device(parent);
out_put:
	put_device(dev);
	return err;
}

/**
 * device_register - device_initialize() and device_add()
 * @dev: the device
 *
 * Return: as device_add(); on failure the caller still must
 * put_device(). Context: process; may sleep.
 */
int device_register(struct device *dev)
{
	device_initialize(dev);
	return device_add(dev);
}

/**
 * device_del - take a device out of the device model
 * @dev: a device added with device_add()
 *
 * Marks it dead first (no probe starts after that, and it is never
 * deferred again: Linux's kill_device), then unbinds its driver and
 * only then takes it off the deferred list, removes its /dev node,
 * files, links and directory, and announces KOBJ_REMOVE. The caller's
 * reference stays; a deleted device cannot be added again.
 * Context: process; may sleep; no core lock held.
 */
void device_del(struct device *dev)
{
	struct device *parent = dev->parent;

	device_lock(dev);
	dev->dead = true;
	device_unlock(dev);
	device_unlink_parent(dev);
	device_node_del(dev);
	class_remove_device(dev);
	bus_remove_device(dev);
	driver_deferred_probe_del(dev);
	device_remove_attrs(dev);
	kobject_uevent(&dev->kobj, KOBJ_REMOVE);
	device_del_kobj(dev);
	put_device(parent);
}

/**
 * device_unregister - device_del() and drop the caller's reference
 * @dev: the device
 *
 * Context: process; may sleep.
 */
void device_unregister(struct device *dev)
{
	device_del(dev);
	put_device(dev);
}

/**
 * device_create_file - add an attribute file to a device's directory
 * @dev: the device
 * @attr: the attribute
 *
 * Return: 0 or -errno from sysfs. Context: process; may sleep.
 */
int device_create_file(struct device *dev, const struct device_attribute *attr)
{
	if (!dev)
		return -EINVAL;
	return sysfs_create_file(&dev->kobj, &attr->attr);
}

/**
 * device_remove_file - remove an attribute file of a device
 * @dev: the device
 * @attr: the attribute
 *
 * Context: process; may sleep (waits for readers of the file).
 */
void device_remove_file(struct device *dev, const struct device_attribute *attr)
{
	if (dev)
		sysfs_remove_file(&dev->kobj, &attr->attr);
}

/**
 * device_for_each_child - call @fn on each child of @parent
 * @parent: the parent device
 * @data: passed to @fn
 * @fn: returns non-zero to stop
 *
 * Return: the value that stopped the walk, or 0.
 * Context: process; may sleep; @fn runs with no core lock held.
 */
int device_for_each_child(struct device *parent, void *data,
			  int (*fn)(struct device *dev, void *data))
{
	return dev_list_for_each(&parent->children,
				 offsetof(struct device, knode_parent), NULL,
				 data, fn);
}

/**
 * device_find_child - the first child for which @match returns non-zero
 * @parent: the parent device
 * @data: passed to @match
 * @match: the test
 *
 * Return: the child with a reference (put_device it), or NULL.
 * Context: process; may sleep.
 */
struct device *device_find_child(struct device *parent, void *data,
				 int (*match)(struct device *dev, void *data))
{
	return dev_list_find(&parent->children,
			     offsetof(struct device, knode_parent), NULL, data,
			     (int (*)(struct device *, const void *))match);
}

/* ---- devices made by the core for a class ----------------------------- */

static void device_create_release(struct device *dev)
{
	kfree(dev);
}

/**
 * device_create_vargs - device_create() with a va_list
 *
 * Return: as device_create().
 */
struct device *device_create_vargs(struct class *class, struct device *parent,
				   dev_t devt, void *drvdata, const char *fmt,
				   va_list args)
{
	struct device *dev;
	int err;

	if (!class || IS_ERR(class))
		return ERR_PTR(-ENODEV);
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	device_initialize(dev);
	dev->devt = devt;
	dev->class = class;
	dev->parent = parent;
	dev->release = device_create_release;
	dev_set_drvdata(dev, drvdata);
	err = kobject_set_name_vargs(&dev->kobj, fmt, args);
	if (!err)
		err = device_add(dev);
	if (err) {
		put_device(dev);
		return ERR_PTR(err);
	}
	return dev;
}

/**
 * device_create - make and register a class device (a /dev node)
 * @class: its class
 * @parent: its parent device, or NULL (it goes under virtual/)
 * @devt: its device number, or 0
 * @drvdata: for dev_get_drvdata()
 * @fmt: its name, printf style, then the arguments
 *
 * The core allocates and frees the device; undo with device_destroy().
 * Return: the device, or ERR_PTR(-errno).
 * Context: process; may sleep.
 */
struct device *device_create(struct class *class, struct device *parent,
			     dev_t devt, void *drvdata, const char *fmt, ...)
{
	struct device *dev;
	va_list args;

	va_start(args, fmt);
	dev = device_create_vargs(class, parent, devt, drvdata, fmt, args);
	va_end(args);
	return dev;
}

static int device_match_devt(struct device *dev, const void *data)
{
	return dev->devt == *(const dev_t *)data;
}

/**
 * device_destroy - unregister the device of @class numbered @devt
 * @class: the class
 * @devt: the device number given to device_create()
 *
 * Context: process; may sleep.
 */
void device_destroy(struct class *class, dev_t devt)
{
	struct device *dev;

	dev = class_find_device(class, NULL, &devt, device_match_devt);
	if (!dev)
		return;
	put_device(dev);
	device_unregister(dev);
}

/* A copy of @name with '!' turned into '/'; NULL without memory. */
static char *devnode_from_name(const char *name)
{
	size_t len = strlen(name);
	char *s = kmalloc(len + 1, GFP_KERNEL);
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; i <= len; i++)
		s[i] = name[i] == '!' ? '/' : name[i];
	return s;
}

/**
 * device_get_devnode - the /dev name of a device, relative to /dev
 * @dev: the device
 * @mode: set to the node's mode from a devnode() callback, else 0
 * @tmp: set to a string to kfree() after use, or NULL
 *
 * The type's devnode(), else the class's, else the device's name with
 * '!' read as '/' ("cciss!c0d0" is /dev/cciss/c0d0).
 * Return: the name, or NULL. Context: process; may sleep.
 */
const char *device_get_devnode(const struct device *dev, umode_t *mode,
			       char **tmp)
{
	char *s = NULL;

	*tmp = NULL;
	*mode = 0;
	if (dev->type && dev->type->devnode)
		s = dev->type->devnode(dev, mode);
	if (!s && dev->class && dev->class->devnode)
		s = dev->class->devnode(dev, mode);
	if (s)
		return *tmp = s;
	if (!strchr(dev_name(dev), '!'))
		return dev_name(dev);
	return *tmp = devnode_from_name(dev_name(dev));
}

/**
 * dev_printk - print a message prefixed by the driver and device names
 * @level: KERN_* level
 * @dev: the device, or NULL
 * @fmt: the message, printf style
 *
 * "serial8250 serial8250: message", as Linux: the driver's name (else
 * the bus's, else the class's), then the device's.
 * Return: as printk(). Context: any that printk allows.
 */
int dev_printk(const char *level, const struct device *dev, const char *fmt,
	       ...)
{
	char msg[DEV_PRINTK_LEN];
	const char *who = "";
	va_list args;

	va_start(args, fmt);
	vscnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	if (!dev)
		return printk("%s(NULL device *): %s", level, msg);
	if (dev->driver)
		who = dev->driver->name;
	else if (dev->bus)
		who = dev->bus->name;
	else if (dev->class)
		who = dev->class->name;
	return printk("%s%s %s: %s", level, who, dev_name(dev), msg);
}

/* Which members of devices_kset kset_snapshot() takes. */
enum snapshot_which { ALL_DEVICES, DEVT_DEVICES };

/* Snapshot the members of devices_kset (DEVT_DEVICES: only those with a
 * device number), in the order they were added, referenced. */
static struct device **kset_snapshot(int *nr, enum snapshot_which which)
{
	struct device **devs;
	struct kobject *k;
	int n = 0, i = 0;

	spin_lock(&devices_kset->list_lock);
	list_for_each_entry(k, &devices_kset->list, entry)
		n++;
	spin_unlock(&devices_kset->list_lock);
	devs = n ? kmalloc_array((size_t)n, sizeof(*devs), GFP_KERNEL) : NULL;
	if (!devs)
		goto out;
	spin_lock(&devices_kset->list_lock);
	list_for_each_entry(k, &devices_kset->list, entry) {
		if (i == n)
			break;
		if (k->ktype != &device_ktype ||
		    (which == DEVT_DEVICES && !kobj_to_dev(k)->devt))
			continue;
		if (kobject_get_unless_zero(k))
			devs[i++] = kobj_to_dev(k);
	}
	spin_unlock(&devices_kset->list_lock);
out:
	*nr = i;
	return devs;
}

/**
 * device_shutdown - call the shutdown method of every bound device
 *
 * Children before parents (the reverse of the order they were added),
 * each through its bus's shutdown, else its driver's. For the reboot
 * and power-off paths.
 * Context: process; may sleep; takes each device's lock.
 */
void device_shutdown(void)
{
	struct device **devs;
	int nr, i;

	if (!devices_kset)
		return;
	devs = kset_snapshot(&nr, ALL_DEVICES);
	for (i = nr - 1; i >= 0; i--) {
		device_lock(devs[i]);
		if (devs[i]->bus && devs[i]->bus->shutdown)
			devs[i]->bus->shutdown(devs[i]);
		else if (devs[i]->driver && devs[i]->driver->shutdown)
			devs[i]->driver->shutdown(devs[i]);
		device_unlock(devs[i]);
	}
	dev_list_release(devs, nr);
}

/**
 * devtmpfs_create_existing - nodes for the devices added before devtmpfs
 *
 * devtmpfs_init() calls this once the instance exists: devices with a
 * device number added earlier got no node then.
 * Context: process, boot; may sleep.
 */
void devtmpfs_create_existing(void)
{
	struct device **devs;
	int nr, i;

	if (!devices_kset)
		return;
	devs = kset_snapshot(&nr, DEVT_DEVICES);
	for (i = 0; i < nr; i++) {
		if (device_is_registered(devs[i]))
			device_node_add(devs[i]);
	}
	dev_list_release(devs, nr);
}

/**
 * devices_init - /sys/devices, /sys/devices/virtual, /sys/dev/{char,block}
 *
 * Return: 0 or -ENOMEM. Context: boot, after sysfs_init.
 */
int devices_init(void)
{
	devices_kset = kset_create_and_add("devices", &device_uevent_ops, NULL);
	if (!devices_kset)
		return -ENOMEM;
	virtual_dir = kobject_create_and_add("virtual", &devices_kset->kobj);
	dev_kobj = kobject_create_and_add("dev", NULL);
	if (!virtual_dir || !dev_kobj)
		return -ENOMEM;
	sysfs_dev_block_kobj = kobject_create_and_add("block", dev_kobj);
	sysfs_dev_char_kobj = kobject_create_and_add("char", dev_kobj);
	if (!sysfs_dev_block_kobj || !sysfs_dev_char_kobj)
		return -ENOMEM;
	return 0;
}
