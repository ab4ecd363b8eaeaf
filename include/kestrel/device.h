/*
 * The driver core: buses, drivers, devices and classes (Linux's
 * <linux/device.h>), the "web" the device model weaves over kobjects.
 *
 *   struct bus_type       a kind of bus (pci, platform): it knows how to
 *                         match its devices with its drivers
 *   struct device_driver  code that can drive devices of one bus
 *   struct device         one device; a kobject under /sys/devices, on at
 *                         most one bus, bound to at most one driver
 *   struct class          a view by function (tty, mem, rtc): devices of
 *                         a class appear under /sys/class/<class>/
 *
 * Binding: when a device is added or a driver registered, the core asks
 * bus->match(dev, drv) for each pair and calls bus->probe (or drv->probe)
 * on a match; a probe returning -EPROBE_DEFER parks the device on the
 * deferred list, retried after every successful bind. Unregistering
 * either side calls remove.
 *
 * Lifetime: a device is reference counted through its kobject
 * (get_device/put_device); the last put calls dev->release, else
 * type->release, else class->dev_release. Whoever allocates the
 * containing structure provides one of them and frees it there.
 *
 * The implementation is drivers/base/ (docs/driver-model.md).
 */
#ifndef _KESTREL_DEVICE_H
#define _KESTREL_DEVICE_H

#include <kestrel/compiler.h>
#include <kestrel/fs.h>
#include <kestrel/kobject.h>
#include <kestrel/list.h>
#include <kestrel/mutex.h>
#include <kestrel/printk.h>
#include <kestrel/sysfs.h>
#include <kestrel/types.h>
#include <stdarg.h>

struct device;
struct device_driver;
struct bus_type;
struct class;
struct subsys_private; /* drivers/base/base.h */
struct driver_private; /* drivers/base/base.h */

/* Power-management message passed to suspend(); only the event. */
typedef struct pm_message {
	int event;
} pm_message_t;

#define PM_EVENT_SUSPEND 0x0002

/**
 * struct bus_type - a kind of bus
 * @name: the directory under /sys/bus and SUBSYSTEM= of its devices
 * @dev_groups: attributes of every device on the bus
 * @bus_groups: attributes of /sys/bus/<name>/
 * @drv_groups: attributes of every driver of the bus
 * @match: does @drv drive @dev? 1 yes, 0 no, -EPROBE_DEFER maybe later
 * @uevent: add the bus's variables (MODALIAS=...) to @dev's events
 * @probe: bind: called instead of drv->probe when set
 * @remove: unbind: called instead of drv->remove when set
 * @shutdown, @suspend, @resume: power management of the bus's devices
 * @dev_root: the root device of a "system" bus (subsys_system_register),
 *            the default parent of its devices: /sys/devices/system/<name>
 * @p: the core's private part (ksets, lists); set by bus_register
 */
struct bus_type {
	const char *name;
	const struct attribute_group **bus_groups;
	const struct attribute_group **dev_groups;
	const struct attribute_group **drv_groups;

	int (*match)(struct device *dev, struct device_driver *drv);
	int (*uevent)(const struct device *dev, struct kobj_uevent_env *env);
	int (*probe)(struct device *dev);
	void (*remove)(struct device *dev);
	void (*shutdown)(struct device *dev);
	int (*suspend)(struct device *dev, pm_message_t state);
	int (*resume)(struct device *dev);

	struct device *dev_root;
	struct subsys_private *p;
};

/**
 * struct device_driver - code that drives devices of one bus
 * @name: the directory under /sys/bus/<bus>/drivers
 * @bus: the bus it drives devices of; set before driver_register
 * @probe: claim @dev: 0 bound, -ENODEV/-ENXIO not mine,
 *         -EPROBE_DEFER try again later, other -errno failure
 * @remove: undo probe; the device is going or being unbound
 * @shutdown, @suspend, @resume: power management
 * @groups: attributes of the driver's directory
 * @dev_groups: attributes added to each device while bound
 * @p: the core's private part; set by driver_register
 */
struct device_driver {
	const char *name;
	struct bus_type *bus;

	int (*probe)(struct device *dev);
	int (*remove)(struct device *dev);
	void (*shutdown)(struct device *dev);
	int (*suspend)(struct device *dev, pm_message_t state);
	int (*resume)(struct device *dev);

	const struct attribute_group **groups;
	const struct attribute_group **dev_groups;

	struct driver_private *p;
};

/**
 * struct device_type - what devices of one kind share, within a bus
 * or class (a "partition" among "disk"s)
 * @name: DEVTYPE= in the uevent
 * @groups: attributes of every device of the type
 * @uevent: add variables to the device's events
 * @devnode: the devtmpfs name relative to /dev (kmalloc'd, or NULL for
 *           dev_name), and the node's mode through @mode
 * @release: frees the device when dev->release is not set
 */
struct device_type {
	const char *name;
	const struct attribute_group **groups;
	int (*uevent)(const struct device *dev, struct kobj_uevent_env *env);
	char *(*devnode)(const struct device *dev, umode_t *mode);
	void (*release)(struct device *dev);
};

/**
 * struct class - devices grouped by function: /sys/class/<name>/
 * @name: directory name and SUBSYSTEM= of its devices
 * @class_groups: attributes of /sys/class/<name>/
 * @dev_groups: attributes of every device of the class
 * @dev_uevent: add the class's variables to a device's events
 * @devnode: devtmpfs name and mode, as device_type's (e.g. 0666 for mem)
 * @class_release: frees a class made by class_create
 * @dev_release: frees devices of the class that have no other release
 * @p: the core's private part; set by class_register
 */
struct class {
	const char *name;
	const struct attribute_group **class_groups;
	const struct attribute_group **dev_groups;

	int (*dev_uevent)(const struct device *dev,
			  struct kobj_uevent_env *env);
	char *(*devnode)(const struct device *dev, umode_t *mode);

	void (*class_release)(struct class *class);
	void (*dev_release)(struct device *dev);

	struct subsys_private *p;
};

/**
 * struct device - one device of the system
 * @parent: the device it hangs off (a bus controller, a platform
 *          device), or NULL for the top of /sys/devices (or virtual/)
 * @kobj: the device's kobject: /sys/devices/.../<name>
 * @init_name: name used by device_add when dev_set_name was not called
 * @type: its device_type, or NULL
 * @bus: the bus it is on, or NULL
 * @driver: the bound driver, or NULL (under the device lock)
 * @driver_data: the bound driver's data (dev_get_drvdata)
 * @platform_data: board data given by whoever created the device
 * @devt: its device number (MAJ:MIN), or 0 when it has none
 * @class: its class, or NULL
 * @groups: extra attributes of this one device
 * @release: frees the device; see the file-top comment
 * @mutex: the device lock: serialises probe, remove, bind and unbind
 * @children: its child devices, by their @knode_parent
 * @knode_parent, @knode_bus, @knode_driver, @knode_class: links in the
 *          parent's, bus's, bound driver's and class's lists; all are
 *          protected by the driver core's list mutex (drivers/base)
 * @deferred_probe: on the deferred-probe list (deferred_probe_mutex)
 * @dead: device_del() has begun: never bind it again, never defer it
 *        (set once under the device lock; see drivers/base/dd.c)
 *
 * The kobject is not the first member: the core always recovers the
 * device with container_of (kobj_to_dev), as the structures that embed
 * struct device do.
 */
struct device {
	struct device *parent;
	struct kobject kobj;
	const char *init_name;
	const struct device_type *type;

	struct bus_type *bus;
	struct device_driver *driver;
	void *driver_data;
	void *platform_data;

	dev_t devt;
	struct class *class;
	const struct attribute_group **groups;
	void (*release)(struct device *dev);

	struct mutex mutex;
	struct list_head children;
	struct list_head knode_parent;
	struct list_head knode_bus;
	struct list_head knode_driver;
	struct list_head knode_class;
	struct list_head deferred_probe;
	unsigned int offline : 1;
	unsigned int devtmpfs_node : 1; /* a /dev node was made (D) */
	bool dead; /* being deleted (D) */
};

static inline struct device *kobj_to_dev(const struct kobject *kobj)
{
	return container_of((struct kobject *)kobj, struct device, kobj);
}

static inline const char *dev_name(const struct device *dev)
{
	if (dev->init_name && !dev->kobj.name)
		return dev->init_name;
	return kobject_name(&dev->kobj);
}

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

static inline void *dev_get_platdata(const struct device *dev)
{
	return dev->platform_data;
}

static inline void device_lock(struct device *dev)
{
	mutex_lock(&dev->mutex);
}

static inline void device_unlock(struct device *dev)
{
	mutex_unlock(&dev->mutex);
}

static inline bool device_is_registered(struct device *dev)
{
	return dev->kobj.state_in_sysfs;
}

/* Attributes of a device, a driver, a bus, a class (sysfs files). */
struct device_attribute {
	struct attribute attr;
	ssize_t (*show)(struct device *dev, struct device_attribute *attr,
			char *buf);
	ssize_t (*store)(struct device *dev, struct device_attribute *attr,
			 const char *buf, size_t count);
};

struct driver_attribute {
	struct attribute attr;
	ssize_t (*show)(struct device_driver *drv, char *buf);
	ssize_t (*store)(struct device_driver *drv, const char *buf,
			 size_t count);
};

struct bus_attribute {
	struct attribute attr;
	ssize_t (*show)(struct bus_type *bus, char *buf);
	ssize_t (*store)(struct bus_type *bus, const char *buf, size_t count);
};

struct class_attribute {
	struct attribute attr;
	ssize_t (*show)(struct class *class, struct class_attribute *attr,
			char *buf);
	ssize_t (*store)(struct class *class, struct class_attribute *attr,
			 const char *buf, size_t count);
};

#define DEVICE_ATTR(_name, _mode, _show, _store)   \
	struct device_attribute dev_attr_##_name = \
		__ATTR(_name, _mode, _show, _store)
#define DEVICE_ATTR_RW(_name) \
	struct device_attribute dev_attr_##_name = __ATTR_RW(_name)
#define DEVICE_ATTR_RO(_name) \
	struct device_attribute dev_attr_##_name = __ATTR_RO(_name)
#define DEVICE_ATTR_WO(_name) \
	struct device_attribute dev_attr_##_name = __ATTR_WO(_name)

#define DRIVER_ATTR_RW(_name) \
	struct driver_attribute driver_attr_##_name = __ATTR_RW(_name)
#define DRIVER_ATTR_RO(_name) \
	struct driver_attribute driver_attr_##_name = __ATTR_RO(_name)
#define DRIVER_ATTR_WO(_name) \
	struct driver_attribute driver_attr_##_name = __ATTR_WO(_name)

#define BUS_ATTR_RW(_name) \
	struct bus_attribute bus_attr_##_name = __ATTR_RW(_name)
#define BUS_ATTR_RO(_name) \
	struct bus_attribute bus_attr_##_name = __ATTR_RO(_name)
#define BUS_ATTR_WO(_name) \
	struct bus_attribute bus_attr_##_name = __ATTR_WO(_name)

#define CLASS_ATTR_RW(_name) \
	struct class_attribute class_attr_##_name = __ATTR_RW(_name)
#define CLASS_ATTR_RO(_name) \
	struct class_attribute class_attr_##_name = __ATTR_RO(_name)
#define CLASS_ATTR_WO(_name) \
	struct class_attribute class_attr_##_name = __ATTR_WO(_name)

/*
 * A NULL-terminated attribute list and the group around it:
 * ATTRIBUTE_GROUPS(foo) from "static struct attribute *foo_attrs[]"
 * defines foo_group and foo_groups (Linux's helper).
 */
#define ATTRIBUTE_GROUPS(_name)                                   \
	static const struct attribute_group _name##_group = {     \
		.attrs = _name##_attrs,                           \
	};                                                        \
	static const struct attribute_group *_name##_groups[] = { \
		&_name##_group,                                   \
		NULL,                                             \
	}

/* The top-level sets: /sys/devices and the driver core's roots. */
extern struct kset *devices_kset;
extern struct kobject *firmware_kobj; /* /sys/firmware */
extern struct kobject *block_kobj; /* /sys/block */
extern struct kset *module_kset; /* /sys/module, for the modules issue */

/* drivers/base/init.c: the driver core's boot; after sysfs_init. */
void driver_init(void);

/* Buses (drivers/base/bus.c). May sleep. */
int bus_register(struct bus_type *bus);
void bus_unregister(struct bus_type *bus);
int bus_for_each_dev(struct bus_type *bus, struct device *start, void *data,
		     int (*fn)(struct device *dev, void *data));
int bus_for_each_drv(struct bus_type *bus, struct device_driver *start,
		     void *data,
		     int (*fn)(struct device_driver *drv, void *data));
struct device *
bus_find_device(struct bus_type *bus, struct device *start, const void *data,
		int (*match)(struct device *dev, const void *data));
struct device *bus_find_device_by_name(struct bus_type *bus,
				       struct device *start, const char *name);
int bus_rescan_devices(struct bus_type *bus);
int bus_create_file(struct bus_type *bus, struct bus_attribute *attr);
void bus_remove_file(struct bus_type *bus, struct bus_attribute *attr);
int subsys_system_register(struct bus_type *subsys,
			   const struct attribute_group **groups);

/* Drivers (drivers/base/driver.c, dd.c). May sleep. */
int driver_register(struct device_driver *drv);
void driver_unregister(struct device_driver *drv);
struct device_driver *driver_find(const char *name, struct bus_type *bus);
int driver_attach(struct device_driver *drv);
int driver_for_each_device(struct device_driver *drv, struct device *start,
			   void *data, int (*fn)(struct device *, void *));
int driver_create_file(struct device_driver *drv,
		       const struct driver_attribute *attr);
void driver_remove_file(struct device_driver *drv,
			const struct driver_attribute *attr);

/* Binding (drivers/base/dd.c). May sleep; take the device lock. */
int device_attach(struct device *dev);
int device_bind_driver(struct device *dev);
void device_release_driver(struct device *dev);
void wait_for_device_probe(void);

/* Devices (drivers/base/core.c). May sleep. */
void device_initialize(struct device *dev);
int device_add(struct device *dev);
int device_register(struct device *dev);
void device_del(struct device *dev);
void device_unregister(struct device *dev);
struct device *get_device(struct device *dev);
void put_device(struct device *dev);
int dev_set_name(struct device *dev, const char *fmt, ...) __printf(2, 3);
int device_create_file(struct device *dev, const struct device_attribute *attr);
void device_remove_file(struct device *dev,
			const struct device_attribute *attr);
int device_add_groups(struct device *dev,
		      const struct attribute_group **groups);
void device_remove_groups(struct device *dev,
			  const struct attribute_group **groups);
int device_for_each_child(struct device *parent, void *data,
			  int (*fn)(struct device *dev, void *data));
struct device *device_find_child(struct device *parent, void *data,
				 int (*match)(struct device *dev, void *data));
struct device *device_create(struct class *class, struct device *parent,
			     dev_t devt, void *drvdata, const char *fmt, ...)
	__printf(5, 6);
struct device *device_create_vargs(struct class *class, struct device *parent,
				   dev_t devt, void *drvdata, const char *fmt,
				   va_list args) __printf(5, 0);
void device_destroy(struct class *class, dev_t devt);
void device_shutdown(void);
const char *device_get_devnode(const struct device *dev, umode_t *mode,
			       char **tmp);
bool device_is_block(const struct device *dev); /* a block device node? */

/* Classes (drivers/base/class.c). May sleep. */
int class_register(struct class *class);
void class_unregister(struct class *class);
struct class *class_create(const char *name);
void class_destroy(struct class *class);
int class_create_file(struct class *class, const struct class_attribute *attr);
void class_remove_file(struct class *class, const struct class_attribute *attr);
int class_for_each_device(struct class *class, struct device *start, void *data,
			  int (*fn)(struct device *dev, void *data));
struct device *
class_find_device(struct class *class, struct device *start, const void *data,
		  int (*match)(struct device *dev, const void *data));

/* "<driver> <device>: message", as Linux's dev_printk. */
int dev_printk(const char *level, const struct device *dev, const char *fmt,
	       ...) __printf(3, 4);
#define dev_err(dev, fmt, ...) dev_printk(KERN_ERR, dev, fmt, ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...) \
	dev_printk(KERN_WARNING, dev, fmt, ##__VA_ARGS__)
#define dev_notice(dev, fmt, ...) \
	dev_printk(KERN_NOTICE, dev, fmt, ##__VA_ARGS__)
#define dev_info(dev, fmt, ...) dev_printk(KERN_INFO, dev, fmt, ##__VA_ARGS__)
#define dev_dbg(dev, fmt, ...) dev_printk(KERN_DEBUG, dev, fmt, ##__VA_ARGS__)

#endif /* _KESTREL_DEVICE_H */
