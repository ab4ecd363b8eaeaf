/*
 * The sysfs files of disks and partitions, in Linux's formats:
 *
 *	/sys/block/hda/ size ro removable range capability stat inflight
 *	               queue/ logical_block_size physical_block_size
 *	                      hw_sector_size max_sectors_kb
 *	                      max_hw_sectors_kb nr_requests scheduler
 *	                      rotational
 *	/sys/block/hda/hda1/ size start partition ro stat inflight
 *
 * Sizes are in 512-byte sectors whatever the disk's block size (as on
 * Linux). The counters are read under the queue lock.
 */
#include <kestrel/blkdev.h>
#include <kestrel/kstrtox.h>
#include <kestrel/string.h>
#include <kestrel/sysfs.h>

#include "blk.h"

static struct block_device *to_bdev(struct device *dev)
{
	return dev_to_bdev(dev);
}

static ssize_t size_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  (unsigned long long)to_bdev(dev)->bd_nr_sectors);
}
static DEVICE_ATTR_RO(size);

static ssize_t ro_show(struct device *dev, struct device_attribute *attr,
		       char *buf)
{
	return sysfs_emit(buf, "%d\n", bdev_read_only(to_bdev(dev)));
}
static DEVICE_ATTR_RO(ro);

static ssize_t removable_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	struct gendisk *disk = to_bdev(dev)->bd_disk;

	return sysfs_emit(buf, "%d\n", !!(disk->flags & GENHD_FL_REMOVABLE));
}
static DEVICE_ATTR_RO(removable);

static ssize_t range_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%d\n", to_bdev(dev)->bd_disk->minors);
}
static DEVICE_ATTR_RO(range);

static ssize_t capability_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct gendisk *disk = to_bdev(dev)->bd_disk;

	return sysfs_emit(buf, "%x\n", disk->flags & GENHD_FL_REMOVABLE);
}
static DEVICE_ATTR_RO(capability);

static ssize_t start_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  (unsigned long long)to_bdev(dev)->bd_start_sect);
}
static DEVICE_ATTR_RO(start);

static ssize_t partition_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%d\n", to_bdev(dev)->bd_partno);
}
static DEVICE_ATTR_RO(partition);

/* A consistent copy of @bdev's counters. */
static void bdev_stats(struct block_device *bdev, struct disk_stats *st)
{
	struct request_queue *q = bdev->bd_disk->queue;
	unsigned long flags;

	spin_lock_irqsave(&q->queue_lock, flags);
	*st = bdev->bd_stats;
	spin_unlock_irqrestore(&q->queue_lock, flags);
}

/*
 * Linux's 17 fields: reads, reads merged, sectors read, ms reading; the
 * same four for writes; in flight, ms busy, weighted ms; four discard
 * fields (always 0: no discard); flushes, ms flushing. `stat` pads
 * each to 8 columns, /proc/diskstats separates them by one space.
 */
void bdev_format_stat(struct block_device *bdev, char *buf, size_t len,
		      bool diskstats)
{
	const char *f =
		diskstats ?
			"%lu %lu %llu %lu %lu %lu %llu %lu %u %lu %lu 0 0 0 0 %lu %lu\n" :
			"%8lu %8lu %8llu %8lu %8lu %8lu %8llu %8lu %8u %8lu %8lu %8u %8u %8u %8u %8lu %8lu\n";
	struct disk_stats st;

	bdev_stats(bdev, &st);
	if (diskstats)
		snprintf(buf, len, f, st.ios[READ], st.merges[READ],
			 (unsigned long long)st.sectors[READ], st.ticks[READ],
			 st.ios[WRITE], st.merges[WRITE],
			 (unsigned long long)st.sectors[WRITE], st.ticks[WRITE],
			 st.in_flight[READ] + st.in_flight[WRITE], st.io_ticks,
			 st.time_in_queue, st.flush_ios, st.flush_ticks);
	else
		snprintf(buf, len, f, st.ios[READ], st.merges[READ],
			 (unsigned long long)st.sectors[READ], st.ticks[READ],
			 st.ios[WRITE], st.merges[WRITE],
			 (unsigned long long)st.sectors[WRITE], st.ticks[WRITE],
			 st.in_flight[READ] + st.in_flight[WRITE], st.io_ticks,
			 st.time_in_queue, 0, 0, 0, 0, st.flush_ios,
			 st.flush_ticks);
}

static ssize_t stat_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	bdev_format_stat(to_bdev(dev), buf, PAGE_SIZE, false);
	return strlen(buf);
}
static DEVICE_ATTR_RO(stat);

/* Reads and writes in flight: queued or at the driver (Linux 2.6's
 * count; today's Linux counts only those the driver has). */
static ssize_t inflight_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct disk_stats st;

	bdev_stats(to_bdev(dev), &st);
	return sysfs_emit(buf, "%8u %8u\n", st.in_flight[READ],
			  st.in_flight[WRITE]);
}
static DEVICE_ATTR_RO(inflight);

static struct attribute *disk_attrs[] = {
	&dev_attr_size.attr,	   &dev_attr_ro.attr,
	&dev_attr_removable.attr,  &dev_attr_range.attr,
	&dev_attr_capability.attr, &dev_attr_stat.attr,
	&dev_attr_inflight.attr,   NULL,
};

static const struct attribute_group disk_group = { .attrs = disk_attrs };

/* queue/: the request queue's limits, as Linux's block/blk-sysfs.c. */
static struct request_queue *to_queue(struct device *dev)
{
	return to_bdev(dev)->bd_disk->queue;
}

static ssize_t logical_block_size_show(struct device *dev,
				       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", to_queue(dev)->logical_block_size);
}
static DEVICE_ATTR_RO(logical_block_size);
static struct device_attribute dev_attr_physical_block_size =
	__ATTR(physical_block_size, 0444, logical_block_size_show, NULL);
static struct device_attribute dev_attr_hw_sector_size =
	__ATTR(hw_sector_size, 0444, logical_block_size_show, NULL);

static ssize_t max_hw_sectors_kb_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", to_queue(dev)->max_hw_sectors >> 1);
}
static DEVICE_ATTR_RO(max_hw_sectors_kb);
static struct device_attribute dev_attr_max_sectors_kb =
	__ATTR(max_sectors_kb, 0444, max_hw_sectors_kb_show, NULL);

static ssize_t nr_requests_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", to_queue(dev)->nr_requests);
}
static DEVICE_ATTR_RO(nr_requests);

/* One elevator (C-LOOK, blk-core.c), in brackets as the selected one is
 * on Linux. */
static ssize_t scheduler_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "[clook]\n");
}
static DEVICE_ATTR_RO(scheduler);

static ssize_t rotational_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", to_queue(dev)->rotational);
}
static DEVICE_ATTR_RO(rotational);

static struct attribute *queue_attrs[] = {
	&dev_attr_logical_block_size.attr,
	&dev_attr_physical_block_size.attr,
	&dev_attr_hw_sector_size.attr,
	&dev_attr_max_sectors_kb.attr,
	&dev_attr_max_hw_sectors_kb.attr,
	&dev_attr_nr_requests.attr,
	&dev_attr_scheduler.attr,
	&dev_attr_rotational.attr,
	NULL,
};

static const struct attribute_group queue_group = {
	.name = "queue",
	.attrs = queue_attrs,
};

const struct attribute_group *disk_attr_groups[] = {
	&disk_group,
	&queue_group,
	NULL,
};

static struct attribute *part_attrs[] = {
	&dev_attr_size.attr,
	&dev_attr_start.attr,
	&dev_attr_partition.attr,
	&dev_attr_ro.attr,
	&dev_attr_stat.attr,
	&dev_attr_inflight.attr,
	NULL,
};

static const struct attribute_group part_group = { .attrs = part_attrs };

const struct attribute_group *part_attr_groups[] = {
	&part_group,
	NULL,
};
