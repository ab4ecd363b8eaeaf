/*
 * Character devices: a registry from (major, minor range) to a driver's
 * file_operations.
 *
 * A device node's inode has i_fop = def_chr_fops, whose only method is
 * chrdev_open(): it finds the region that owns the node's device
 * number, installs the driver's operations in the file and calls the
 * driver's ->open, which tells its minors apart with iminor(). From
 * then on the file talks to the driver directly.
 *
 *	open("/dev/null") -> def_chr_fops.open = chrdev_open
 *	                  -> region (1, 0..255) "mem" -> mem_fops.open
 *	                  -> file->f_op = null_fops (by minor 3)
 *
 * Block device nodes are fs/block_dev.c's (def_blk_fops); a socket's
 * node cannot be opened (ENXIO).
 *
 * Locking: chrdevs_lock (a mutex) protects the list of regions.
 */
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/mutex.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "internal.h"

struct char_device_region {
	unsigned int major;
	unsigned int baseminor;
	unsigned int count;
	char name[64];
	const struct file_operations *fops;
	struct list_head list; /* chrdevs_lock: sorted by major, baseminor */
};

static LIST_HEAD(chrdevs);
static DEFINE_MUTEX(chrdevs_lock);

/* Is any minor of [base, base + count) of @major taken? chrdevs_lock. */
static bool region_busy(unsigned int major, unsigned int base,
			unsigned int count)
{
	struct char_device_region *r;

	list_for_each_entry(r, &chrdevs, list)
		if (r->major == major && base < r->baseminor + r->count &&
		    r->baseminor < base + count)
			return true;
	return false;
}

/* A free dynamic major, counting down (Linux's 254..234). */
static unsigned int find_dynamic_major(void)
{
	unsigned int major;

	for (major = 254; major >= CHRDEV_MAJOR_DYN_START; major--)
		if (!region_busy(major, 0, MINORMASK + 1))
			return major;
	return 0;
}

static void insert_region(struct char_device_region *new)
{
	struct char_device_region *r;

	list_for_each_entry(r, &chrdevs, list)
		if (r->major > new->major ||
		    (r->major == new->major && r->baseminor > new->baseminor))
			break;
	list_add_tail(&new->list, &r->list);
}

int __register_chrdev(unsigned int major, unsigned int baseminor,
		      unsigned int count, const char *name,
		      const struct file_operations *fops)
{
	struct char_device_region *region;
	int err;

	if (major >= CHRDEV_MAJOR_MAX || !count || !fops ||
	    baseminor > MINORMASK || count > MINORMASK + 1 - baseminor)
		return -EINVAL;
	region = kzalloc(sizeof(*region), GFP_KERNEL);
	if (!region)
		return -ENOMEM;
	mutex_lock(&chrdevs_lock);
	err = -EBUSY;
	if (!major)
		major = find_dynamic_major();
	if (major && !region_busy(major, baseminor, count)) {
		region->major = major;
		region->baseminor = baseminor;
		region->count = count;
		region->fops = fops;
		strlcpy(region->name, name, sizeof(region->name));
		insert_region(region);
		err = major;
	}
	mutex_unlock(&chrdevs_lock);
	if (err < 0)
		kfree(region);
	return err;
}

int register_chrdev(unsigned int major, const char *name,
		    const struct file_operations *fops)
{
	return __register_chrdev(major, 0, 256, name, fops);
}

void __unregister_chrdev(unsigned int major, unsigned int baseminor,
			 unsigned int count, const char *name)
{
	struct char_device_region *r, *found = NULL;

	mutex_lock(&chrdevs_lock);
	list_for_each_entry(r, &chrdevs, list) {
		if (r->major == major && r->baseminor == baseminor &&
		    r->count == count) {
			found = r;
			list_del(&r->list);
			break;
		}
	}
	mutex_unlock(&chrdevs_lock);
	kfree(found);
}

void unregister_chrdev(unsigned int major, const char *name)
{
	__unregister_chrdev(major, 0, 256, name);
}

void chrdev_for_each(void (*fn)(unsigned int major, const char *name,
				void *arg),
		     void *arg)
{
	struct char_device_region *r;

	mutex_lock(&chrdevs_lock);
	list_for_each_entry(r, &chrdevs, list)
		fn(r->major, r->name, arg);
	mutex_unlock(&chrdevs_lock);
}

static const struct file_operations *chrdev_lookup(dev_t dev)
{
	const struct file_operations *fops = NULL;
	struct char_device_region *r;

	mutex_lock(&chrdevs_lock);
	list_for_each_entry(r, &chrdevs, list) {
		if (r->major == MAJOR(dev) && MINOR(dev) >= r->baseminor &&
		    MINOR(dev) - r->baseminor < r->count) {
			fops = r->fops;
			break;
		}
	}
	mutex_unlock(&chrdevs_lock);
	return fops;
}

/* def_chr_fops.open: hand the file to the driver that owns the node. */
static int chrdev_open(struct inode *inode, struct file *file)
{
	const struct file_operations *fops = chrdev_lookup(inode->i_rdev);

	if (!fops)
		return -ENXIO;
	file->f_op = fops;
	if (fops->open)
		return fops->open(inode, file);
	return 0;
}

const struct file_operations def_chr_fops = {
	.open = chrdev_open,
};

static int no_device_open(struct inode *inode, struct file *file)
{
	return -ENXIO;
}

/* Sockets are opened through socket(2), never through their node. */
const struct file_operations bad_sock_fops = {
	.open = no_device_open,
};
