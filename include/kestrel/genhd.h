/*
 * Disks and their partitions (Linux's <linux/genhd.h>).
 *
 * A driver describes each disk with a struct gendisk (alloc_disk, then
 * add_disk); the block layer makes a struct block_device for the whole
 * disk (gendisk->part0, partition number 0) and one per partition it
 * finds, each a device of class "block" with its own number:
 *
 *	gendisk hda (3:0) ── part0  /dev/hda  start 0
 *	                 ├── part 1 /dev/hda1 start 63     (3:1)
 *	                 └── part 5 /dev/hda5 start 20480  (3:5)
 *
 * I/O is addressed to a block_device; the layer adds bd_start_sect and
 * the driver sees disk-relative sectors. Design: docs/block.md.
 */
#ifndef _KESTREL_GENHD_H
#define _KESTREL_GENHD_H

#include <kestrel/bio.h>
#include <kestrel/device.h>
#include <kestrel/fs.h>
#include <kestrel/list.h>
#include <kestrel/mutex.h>

struct request_queue;
struct block_device_operations;
struct seq_file;

/*
 * Linux's /proc/diskstats counters of one block_device; index [READ] or
 * [WRITE]. Under the disk's queue lock. Times are in milliseconds.
 */
struct disk_stats {
	unsigned long ios[2]; /* requests completed */
	unsigned long merges[2]; /* bios merged into a request */
	sector_t sectors[2]; /* 512-byte sectors transferred */
	unsigned long ticks[2]; /* ms spent by the requests */
	unsigned long flush_ios, flush_ticks;
	unsigned int in_flight[2]; /* requests queued or at the driver */
	unsigned long io_ticks; /* ms with requests in flight */
	unsigned long time_in_queue; /* sum of in_flight over time, ms */
	unsigned long stamp; /* jiffies of the last io_ticks update */
};

/**
 * struct block_device - a whole disk (partno 0) or one partition
 * @bd_start_sect: its first sector on the disk
 * @bd_nr_sectors: its length in 512-byte sectors
 * @bd_disk: the disk it is on
 * @bd_partno: 0 for the disk, else the partition number (hda5: 5)
 * @bd_read_only: BLKROSET / set_disk_ro
 * @bd_openers: files that have it open (the disk's open_mutex)
 * @bd_dev: its device number
 * @bd_device: its device: /sys/block/hda, /sys/block/hda/hda1
 * @bd_stats: its counters (queue lock)
 */
struct block_device {
	sector_t bd_start_sect;
	sector_t bd_nr_sectors;
	struct gendisk *bd_disk;
	u8 bd_partno;
	bool bd_read_only;
	unsigned int bd_openers;
	dev_t bd_dev;
	struct device bd_device;
	struct disk_stats bd_stats;
	struct inode *bd_inode; /* its page cache's host (fs/block_dev.c) */
};

/* Free @bdev's cache inode (its pages unwritten): the device is gone. */
void bdev_release_inode(struct block_device *bdev);
/* The mapping that caches @bdev's bytes (made on first use), or NULL
 * when out of memory. */
struct address_space *bdev_mapping(struct block_device *bdev);
/* Boot: the internal file system of the devices' cache inodes. */
void bdev_cache_init(void);
/* Write @bdev's cached dirty pages and wait: 0 or -EIO (a file
 * system's metadata cached there, at sync). */
int sync_blockdev(struct block_device *bdev);
/* A REQ_OP_FLUSH: the drive writes its volatile cache out (fsync). */
int bdev_flush(struct block_device *bdev);

#define dev_to_bdev(dev) container_of(dev, struct block_device, bd_device)

/* Partitions per disk at most, whatever the minors (Linux's is 256). */
#define DISK_MAX_PARTS 64
#define DISK_NAME_LEN 32

#define GENHD_FL_REMOVABLE 0x01

/**
 * struct gendisk - one disk
 * @major, @first_minor, @minors: its numbers: the disk is first_minor,
 *     partition N first_minor + N, for N < minors (set by the driver)
 * @disk_name: "hda", "ram0" (set by the driver)
 * @flags: GENHD_FL_*
 * @fops: the driver's methods
 * @queue: the driver's request queue
 * @private_data: the driver's
 * @part0: the whole disk
 * @parts: the partitions by number, [1, minors) (open_mutex)
 * @open_mutex: serialises partition scans, opens and deletion;
 *     protects the partitions' bd_openers
 * @list: in the list of all disks (for /proc/partitions)
 * @added: add_disk() succeeded and del_gendisk() has not run
 * @queue_held: the disk holds a reference on @queue (from add_disk)
 */
struct gendisk {
	int major;
	int first_minor;
	int minors;
	char disk_name[DISK_NAME_LEN];
	unsigned int flags;
	const struct block_device_operations *fops;
	struct request_queue *queue;
	void *private_data;

	struct block_device part0;
	struct block_device **parts;
	struct mutex open_mutex;
	struct list_head list;
	bool added;
	bool queue_held;
};

static inline struct device *disk_to_dev(struct gendisk *disk)
{
	return &disk->part0.bd_device;
}

static inline sector_t get_capacity(struct gendisk *disk)
{
	return disk->part0.bd_nr_sectors;
}

static inline void set_capacity(struct gendisk *disk, sector_t sectors)
{
	disk->part0.bd_nr_sectors = sectors;
}

static inline void set_disk_ro(struct gendisk *disk, bool ro)
{
	disk->part0.bd_read_only = ro;
}

static inline bool bdev_read_only(struct block_device *bdev)
{
	return bdev->bd_read_only || bdev->bd_disk->part0.bd_read_only;
}

/* block/genhd.c. All may sleep. */
struct gendisk *alloc_disk(int minors); /* NULL when out of memory */
int add_disk(struct gendisk *disk, struct device *parent);
void del_gendisk(struct gendisk *disk);
void put_disk(struct gendisk *disk);
/* Re-read the partition table (BLKRRPART): 0, -EINVAL (no partitions),
 * -EBUSY (a partition is open, as Linux). */
int bdev_rescan_partitions(struct gendisk *disk);
/* The block_device with number @dev, referenced (put_device), or NULL. */
struct block_device *blkdev_get_by_dev(dev_t dev);

/*
 * Call @fn on every disk and then its partitions, disk by disk in the
 * order they were added (/proc/partitions' order), with the disks' locks
 * held: @fn may not do I/O on them nor add or remove a disk; it may
 * take a reference (get_device) to use one afterwards.
 */
void blk_for_each_bdev(void (*fn)(struct block_device *bdev, void *arg),
		       void *arg);

/* Open the block device whose node is at @path (fs/block_dev.c, for
 * mount): referenced, counted in bd_openers; ERR_PTR(-ENOTBLK, -ENXIO,
 * -EACCES, -ENOENT...). blkdev_put() undoes it. */
struct block_device *blkdev_get_by_path(const char *path, fmode_t mode);
void blkdev_put(struct block_device *bdev, fmode_t mode);

/* Block majors for /proc/devices (Linux's register_blkdev). 0: fixed
 * @major registered; -EBUSY, -EINVAL. */
int register_blkdev(unsigned int major, const char *name);
void unregister_blkdev(unsigned int major, const char *name);

/* procfs: /proc/partitions, /proc/diskstats, /proc/devices's "Block". */
void blk_show_partitions(struct seq_file *m);
void blk_show_diskstats(struct seq_file *m);
void blk_show_majors(struct seq_file *m);

extern struct class block_class;

#endif /* _KESTREL_GENHD_H */
