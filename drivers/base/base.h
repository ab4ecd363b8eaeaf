/*
 * The driver core's private declarations, shared by the files of drivers/base/:
 * the parts of buses, classes and drivers that only the core touches.
 *
 * Locking (the whole core):
 *	L	dev_list_mutex (core.c): every list of the core - a bus's
 *		devices and drivers, a driver's bound devices, a class's
 *		devices, a device's children, a class's glue directories.
 *		Held only to link, unlink or snapshot; never across a
 *		callback, so callbacks may add and remove devices.
 *	D	the device lock (dev->mutex): dev->driver, probe, remove,
 *		dev->dead.
 *	P	deferred_probe_mutex (dd.c): the deferred-probe lists.
 *	G	glue_dir_mutex (class.c): a class's glue directories,
 *		held across making or removing one (sysfs inside it).
 *	R	deferred_run_mutex (dd.c): one deferred-probe pass at a
 *		time; only ever try-locked, so nobody waits for it.
 * Order: D before G, L and P; G before L; L and P are innermost.
 */
#ifndef _DRIVERS_BASE_BASE_H
#define _DRIVERS_BASE_BASE_H

#include <kestrel/device.h>

/**
 * struct subsys_private - the core's part of a bus or a class
 * @subsys: /sys/bus/<name> or /sys/class/<name>
 * @devices_kset: /sys/bus/<name>/devices (buses only)
 * @drivers_kset: /sys/bus/<name>/drivers (buses only)
 * @devices: the bus's or class's devices, by knode_bus/knode_class (L)
 * @drivers: the bus's drivers, by driver_private.knode_bus (L)
 * @glue_dirs: a class's directories under parents (struct glue_dir) (G)
 * @drivers_autoprobe: probe new devices and drivers automatically
 * @bus: the bus, or NULL
 * @class: the class, or NULL
 */
struct subsys_private {
	struct kset subsys;
	struct kset *devices_kset;
	struct kset *drivers_kset;
	struct list_head devices;
	struct list_head drivers;
	struct list_head glue_dirs;
	bool drivers_autoprobe;
	struct bus_type *bus;
	struct class *class;
};

static inline struct subsys_private *to_subsys_private(struct kobject *kobj)
{
	return container_of(kobj, struct subsys_private, subsys.kobj);
}

/**
 * struct driver_private - the core's part of a driver
 * @kobj: /sys/bus/<bus>/drivers/<name>
 * @devices: bound devices, by dev->knode_driver (L)
 * @knode_bus: in the bus's drivers list (L)
 * @driver: the driver
 * @dead: bus_remove_driver() has begun: no new binds (L)
 */
struct driver_private {
	struct kobject kobj;
	struct list_head devices;
	struct list_head knode_bus;
	struct device_driver *driver;
	bool dead;
};

static inline struct driver_private *to_driver(struct kobject *kobj)
{
	return container_of(kobj, struct driver_private, kobj);
}

extern struct mutex dev_list_mutex;
extern struct kobject *sysfs_dev_char_kobj;
extern struct kobject *sysfs_dev_block_kobj;
extern struct kset *system_kset; /* /sys/devices/system */
extern struct kset *bus_kset;
extern struct kset *class_kset;

/* Boot, in order (init.c). */
int devices_init(void);
int buses_init(void);
int classes_init(void);

/*
 * Iterate over a list of devices without holding L across @fn: the
 * devices are snapshotted (each with a reference) under L, from @start
 * (exclusive) when not NULL; @off is the offset of the list_head inside
 * struct device. Stops at the first non-zero return of @fn.
 */
int dev_list_for_each(struct list_head *head, size_t off, struct device *start,
		      void *data, int (*fn)(struct device *dev, void *data));
/* The first device of the list for which @match returns non-zero, with
 * a reference, or NULL. */
struct device *dev_list_find(struct list_head *head, size_t off,
			     struct device *start, const void *data,
			     int (*match)(struct device *dev,
					  const void *data));

/* True when @line, less a trailing newline, equals @name (a sysfs
 * write of a name). */
bool sysfs_name_eq(const char *line, const char *name);

/* bus.c */
int bus_add_device(struct device *dev);
void bus_probe_device(struct device *dev);
void bus_remove_device(struct device *dev);
int bus_add_driver(struct device_driver *drv);
void bus_remove_driver(struct device_driver *drv);

/* dd.c */
int driver_match_device(struct device_driver *drv, struct device *dev);
void device_initial_probe(struct device *dev);
int device_driver_attach(struct device_driver *drv, struct device *dev);
void driver_detach(struct device_driver *drv);
int driver_sysfs_add(struct device *dev, struct driver_private *priv);
void driver_sysfs_remove(struct device *dev, struct driver_private *priv);
void driver_deferred_probe_del(struct device *dev);
void driver_deferred_probe_run(void);

/* class.c */
int class_add_device(struct device *dev);
void class_remove_device(struct device *dev);
struct kobject *class_dir_get(struct class *class, struct kobject *parent);
void class_dir_put(struct class *class, struct kobject *dir);

#endif /* _DRIVERS_BASE_BASE_H */
