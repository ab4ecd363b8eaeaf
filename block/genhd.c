/*
 * Disks (Linux's block/genhd.c): a driver's struct gendisk becomes a
 * device of class "block" with its partitions as child devices, so that
 * the driver core gives each its sysfs directory, its /dev node through
 * devtmpfs and its "add" uevent:
 *
 *	/sys/devices/<parent>/block/hda       (/sys/block/hda links here)
 *	                                hda1  (a partition: parent is hda)
 *	/sys/class/block/{hda,hda1}, /sys/dev/block/3:0, /dev/hda, /dev/hda1
 *
 * Each device is the bd_device of a struct block_device: the disk's is
 * embedded in the gendisk (part0), a partition's is allocated here. The
 * disk's device owns the gendisk: its release frees it (put_disk drops
 * the driver's reference; an open file holds one more), after the
 * driver's ->free_disk, and drops the disk's reference on its queue;
 * each partition holds a reference on the disk through its parent. So
 * a driver may go (del_gendisk, blk_cleanup_queue, put_disk) while a
 * file still has the disk open: the file's I/O fails, nothing is freed
 * under it.
 *
 * This file also keeps the list of disks, for /proc/partitions and
 * /proc/diskstats, and the block majors of /proc/devices. Attributes are
 * block/blk-sysfs.c; partition tables block/partitions/.
 *
 * Locking: disks_mutex protects the disk list and the majors; a disk's
 * open_mutex its partitions (taken after disks_mutex).
 */
#include <kestrel/blkdev.h>
#include <kestrel/errno.h>
#include <kestrel/init.h>
#include <kestrel/kstrtox.h>
#include <kestrel/printk.h>
#include <kestrel/proc_fs.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "blk.h"

static LIST_HEAD(all_disks);
static DEFINE_MUTEX(disks_mutex);

struct class block_class = {
	.name = "block",
};

static void disk_release(struct device *dev)
{
	struct gendisk *disk =
		container_of(dev, struct gendisk, part0.bd_device);

	bdev_release_inode(&disk->part0);
	if (disk->fops && disk->fops->free_disk)
		disk->fops->free_disk(disk);
	if (disk->queue_held)
		blk_put_queue(disk->queue);
	kfree(disk->parts);
	kfree(disk);
}

static int part_uevent(const struct device *dev, struct kobj_uevent_env *env)
{
	const struct block_device *bdev =
		container_of(dev, struct block_device, bd_device);

	return add_uevent_var(env, "PARTN=%u", bdev->bd_partno);
}

static void part_release(struct device *dev)
{
	bdev_release_inode(dev_to_bdev(dev));
	kfree(dev_to_bdev(dev));
}

static const struct device_type disk_type = {
	.name = "disk",
	.groups = disk_attr_groups,
	.release = disk_release,
};

static const struct device_type part_type = {
	.name = "partition",
	.groups = part_attr_groups,
	.uevent = part_uevent,
	.release = part_release,
};

/**
 * alloc_disk - a gendisk for a driver to fill in, then add_disk
 * @minors: device numbers of the disk: 1 (no partitions) up to
 *	    DISK_MAX_PARTS
 *
 * Return: the disk, or NULL (out of memory, bad @minors).
 * Context: process; may sleep.
 */
struct gendisk *alloc_disk(int minors)
{
	struct gendisk *disk;

	if (minors < 1 || minors > DISK_MAX_PARTS)
		return NULL;
	disk = kzalloc(sizeof(*disk), GFP_KERNEL);
	if (!disk)
		return NULL;
	disk->parts = kcalloc(minors, sizeof(*disk->parts), GFP_KERNEL);
	if (!disk->parts) {
		kfree(disk);
		return NULL;
	}
	disk->minors = minors;
	disk->part0.bd_disk = disk;
	mutex_init(&disk->open_mutex);
	INIT_LIST_HEAD(&disk->list);
	device_initialize(disk_to_dev(disk));
	disk_to_dev(disk)->type = &disk_type;
	return disk;
}

/* The driver's reference: the last one frees the disk. */
void put_disk(struct gendisk *disk)
{
	if (disk)
		put_device(disk_to_dev(disk));
}

/* Partition @n's name: "hda1", or "mmcblk0p1" after a digit (Linux). */
static void part_name(struct gendisk *disk, int n, char *buf, size_t len)
{
	size_t l = strlen(disk->disk_name);
	char last = l ? disk->disk_name[l - 1] : 0;

	snprintf(buf, len, "%s%s%d", disk->disk_name,
		 last >= '0' && last <= '9' ? "p" : "", n);
}

/* Register partition @n of @disk (open_mutex held). 0 or -errno. */
int add_partition(struct gendisk *disk, int n, sector_t start, sector_t len)
{
	struct block_device *bdev;
	char name[DISK_NAME_LEN + 8];
	int err;

	bdev = kzalloc(sizeof(*bdev), GFP_KERNEL);
	if (!bdev)
		return -ENOMEM;
	bdev->bd_start_sect = start;
	bdev->bd_nr_sectors = len;
	bdev->bd_disk = disk;
	bdev->bd_partno = n;
	bdev->bd_dev = MKDEV(disk->major, disk->first_minor + n);
	bdev->bd_stats.stamp = jiffies;
	device_initialize(&bdev->bd_device);
	bdev->bd_device.parent = disk_to_dev(disk);
	bdev->bd_device.class = &block_class;
	bdev->bd_device.type = &part_type;
	bdev->bd_device.devt = bdev->bd_dev;
	part_name(disk, n, name, sizeof(name));
	err = dev_set_name(&bdev->bd_device, "%s", name);
	if (!err)
		err = device_add(&bdev->bd_device);
	if (err) {
		pr_warn("%s: partition %d not added: %d\n", disk->disk_name, n,
			err);
		put_device(&bdev->bd_device);
		return err;
	}
	disk->parts[n] = bdev;
	return 0;
}

/* Unregister every partition (open_mutex held). */
void drop_partitions(struct gendisk *disk)
{
	int n;

	for (n = 1; n < disk->minors; n++) {
		struct block_device *bdev = disk->parts[n];

		if (!bdev)
			continue;
		disk->parts[n] = NULL;
		device_del(&bdev->bd_device);
		put_device(&bdev->bd_device);
	}
}

/**
 * add_disk - make a filled-in disk live
 * @disk: from alloc_disk, with major, first_minor, disk_name, fops,
 *	  queue and the capacity set
 * @parent: the device it is on (the IDE channel), or NULL
 *
 * Registers the disk, reads its partition table and registers the
 * partitions; each gets a /dev node and an "add" uevent.
 * Return: 0, or -errno (nothing registered; the disk is still the
 * caller's to put_disk).
 * Context: process; may sleep (reads the disk through its queue).
 */
int add_disk(struct gendisk *disk, struct device *parent)
{
	struct device *dev = disk_to_dev(disk);
	int err;

	if (!disk->disk_name[0] || !disk->queue || disk->added ||
	    (unsigned int)(disk->first_minor + disk->minors) > MINORMASK + 1)
		return -EINVAL;
	dev->parent = parent;
	dev->class = &block_class;
	dev->devt = MKDEV(disk->major, disk->first_minor);
	disk->part0.bd_dev = dev->devt;
	disk->part0.bd_stats.stamp = jiffies;
	err = dev_set_name(dev, "%s", disk->disk_name);
	if (!err)
		err = device_add(dev);
	if (err)
		return err;
	/* /sys/block/NAME; the core made NAME/device -> @parent */
	err = sysfs_create_link(block_kobj, &dev->kobj, disk->disk_name);
	if (err) {
		device_del(dev);
		return err;
	}
	mutex_lock(&disks_mutex);
	list_add_tail(&disk->list, &all_disks);
	mutex_unlock(&disks_mutex);
	disk->added = true;
	if (!disk->queue_held) {
		blk_get_queue(disk->queue); /* put by disk_release */
		disk->queue_held = true;
	}
	mutex_lock(&disk->open_mutex);
	scan_partitions(disk);
	mutex_unlock(&disk->open_mutex);
	return 0;
}

/**
 * del_gendisk - the disk goes: unregister it and its partitions
 * @disk: an added disk
 *
 * I/O still queued fails when the driver calls blk_cleanup_queue().
 * Context: process; may sleep.
 */
void del_gendisk(struct gendisk *disk)
{
	if (!disk->added)
		return;
	mutex_lock(&disks_mutex);
	list_del_init(&disk->list);
	mutex_unlock(&disks_mutex);
	mutex_lock(&disk->open_mutex);
	drop_partitions(disk);
	disk->added = false;
	mutex_unlock(&disk->open_mutex);
	sysfs_remove_link(block_kobj, disk->disk_name);
	device_del(disk_to_dev(disk));
}

/* The block_device of @disk with number @dev, referenced, or NULL
 * (open_mutex held). */
static struct block_device *disk_find_bdev(struct gendisk *disk, dev_t dev)
{
	int n = MINOR(dev) - disk->first_minor;
	struct block_device *bdev;

	if (MAJOR(dev) != (unsigned int)disk->major ||
	    MINOR(dev) < (unsigned int)disk->first_minor || n >= disk->minors)
		return NULL;
	bdev = n ? disk->parts[n] : &disk->part0;
	if (bdev)
		get_device(&bdev->bd_device);
	return bdev;
}

struct block_device *blkdev_get_by_dev(dev_t dev)
{
	struct block_device *bdev = NULL;
	struct gendisk *disk;

	mutex_lock(&disks_mutex);
	list_for_each_entry(disk, &all_disks, list) {
		mutex_lock(&disk->open_mutex);
		bdev = disk_find_bdev(disk, dev);
		mutex_unlock(&disk->open_mutex);
		if (bdev)
			break;
	}
	mutex_unlock(&disks_mutex);
	return bdev;
}

void blk_for_each_bdev(void (*fn)(struct block_device *bdev, void *arg),
		       void *arg)
{
	struct gendisk *disk;
	int n;

	mutex_lock(&disks_mutex);
	list_for_each_entry(disk, &all_disks, list) {
		mutex_lock(&disk->open_mutex);
		fn(&disk->part0, arg);
		for (n = 1; n < disk->minors; n++)
			if (disk->parts[n])
				fn(disk->parts[n], arg);
		mutex_unlock(&disk->open_mutex);
	}
	mutex_unlock(&disks_mutex);
}

static void show_partition(struct block_device *bdev, void *arg)
{
	struct seq_file *m = arg;

	seq_printf(m, "%4u  %7u %10llu %s\n", MAJOR(bdev->bd_dev),
		   MINOR(bdev->bd_dev),
		   (unsigned long long)(bdev->bd_nr_sectors >> 1),
		   dev_name(&bdev->bd_device));
}

/* /proc/partitions: Linux's header and lines; sizes in 1 KiB blocks. */
void blk_show_partitions(struct seq_file *m)
{
	seq_puts(m, "major minor  #blocks  name\n\n");
	blk_for_each_bdev(show_partition, m);
}

static void show_diskstats(struct block_device *bdev, void *arg)
{
	struct seq_file *m = arg;
	char line[256];

	bdev_format_stat(bdev, line, sizeof(line), true);
	seq_printf(m, "%4u %7u %s %s", MAJOR(bdev->bd_dev), MINOR(bdev->bd_dev),
		   dev_name(&bdev->bd_device), line);
}

/* /proc/diskstats: "major minor name" and the 17 counters of `stat`. */
void blk_show_diskstats(struct seq_file *m)
{
	blk_for_each_bdev(show_diskstats, m);
}

#define MAX_BLKDEV_MAJORS 16

static struct {
	unsigned int major;
	char name[16];
} blk_majors[MAX_BLKDEV_MAJORS];

int register_blkdev(unsigned int major, const char *name)
{
	int i, free = -1, err = 0;

	if (!major || major > 511)
		return -EINVAL;
	mutex_lock(&disks_mutex);
	for (i = 0; i < MAX_BLKDEV_MAJORS; i++) {
		if (blk_majors[i].major == major)
			err = -EBUSY;
		if (!blk_majors[i].major && free < 0)
			free = i;
	}
	if (!err && free < 0)
		err = -EBUSY;
	if (!err) {
		blk_majors[free].major = major;
		strlcpy(blk_majors[free].name, name,
			sizeof(blk_majors[free].name));
	}
	mutex_unlock(&disks_mutex);
	return err;
}

void unregister_blkdev(unsigned int major, const char *name)
{
	int i;

	mutex_lock(&disks_mutex);
	for (i = 0; i < MAX_BLKDEV_MAJORS; i++)
		if (blk_majors[i].major == major &&
		    !strcmp(blk_majors[i].name, name))
			blk_majors[i].major = 0;
	mutex_unlock(&disks_mutex);
}

/* /proc/devices, "Block devices:": by major, as Linux lists them. */
void blk_show_majors(struct seq_file *m)
{
	unsigned int major, i;

	mutex_lock(&disks_mutex);
	for (major = 1; major < 512; major++)
		for (i = 0; i < MAX_BLKDEV_MAJORS; i++)
			if (blk_majors[i].major == major)
				seq_printf(m, "%3u %s\n", major,
					   blk_majors[i].name);
	mutex_unlock(&disks_mutex);
}

static int genhd_init(void)
{
	int err = class_register(&block_class);

	if (err)
		pr_err("block: class not registered: %d\n", err);
	return err;
}
subsys_initcall(genhd_init);
