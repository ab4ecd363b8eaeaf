/*
 * devtmpfs: the kernel's /dev. One tmpfs instance in which the driver
 * core creates a node for each device with a device number as the
 * device is added, and removes it as the device goes. Every
 * "mount -t devtmpfs" shows that same instance; init mounts it on /dev
 * (the kernel does not, over an initramfs, as Linux does not) and finds
 * /dev/null, /dev/console... without any help.
 */
#ifndef _KESTREL_DEVTMPFS_H
#define _KESTREL_DEVTMPFS_H

#include <kestrel/fs.h>

struct device;

/* Make the instance and register "devtmpfs". Boot, PID 1, before the
 * drivers (do_initcalls). 0 or -errno. */
int devtmpfs_init(void);
/* The driver core's: the node of @dev appears (device_add) and goes
 * (device_del). 0 or -errno; may sleep. */
int devtmpfs_create_node(struct device *dev);
int devtmpfs_delete_node(struct device *dev);
/* The driver core's: nodes for devices added before devtmpfs_init(). */
void devtmpfs_create_existing(void);

#endif /* _KESTREL_DEVTMPFS_H */
