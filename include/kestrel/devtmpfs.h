/*
 * devtmpfs: the kernel's /dev. A tmpfs is mounted on /dev of the root
 * filesystem at boot, and the driver core creates a node in it for each
 * device with a device number as the device is added, and removes it as
 * the device goes; user space finds /dev/null, /dev/console... without
 * any help.
 */
#ifndef _KESTREL_DEVTMPFS_H
#define _KESTREL_DEVTMPFS_H

#include <kestrel/fs.h>

struct device;

/* Mount /dev. Boot, after the root filesystem is up. */
int devtmpfs_init(void);
/* The driver core's: the node of @dev appears (device_add) and goes
 * (device_del). 0 or -errno; may sleep. */
int devtmpfs_create_node(struct device *dev);
int devtmpfs_delete_node(struct device *dev);
/* The driver core's: nodes for devices added before /dev was mounted. */
void devtmpfs_create_existing(void);

#endif /* _KESTREL_DEVTMPFS_H */
