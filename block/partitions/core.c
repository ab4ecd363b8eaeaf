/*
 * Reading a disk's partition table (Linux's block/partitions/core.c):
 * the parser (msdos.c) reads sectors through the disk's own queue, with
 * bdev_read_sync, and returns what it found; each partition then
 * becomes a block_device (genhd.c). Only MBR tables are known.
 *
 * The extended partition itself is registered, as on Linux, as a
 * 2-sector (1 KiB) partition: its EBR, not its contents, which belong
 * to the logical partitions.
 */
#include <kestrel/blkdev.h>
#include <kestrel/errno.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "../blk.h"
#include "check.h"

/* parsed_partitions->read_sector: one sector of the whole disk. */
static int read_disk_sector(struct parsed_partitions *state, part_sector_t n,
			    u8 *buf)
{
	struct gendisk *disk = state->data;

	if (n >= get_capacity(disk))
		return -EIO;
	return bdev_read_sync(&disk->part0, n, buf, SECTOR_SIZE);
}

static void add_parsed(struct gendisk *disk, struct parsed_partition *parts)
{
	int n;

	for (n = 1; n < disk->minors; n++) {
		sector_t len = parts[n].size;

		if (!len)
			continue;
		if (parts[n].extended && len > 2)
			len = 2;
		add_partition(disk, n, parts[n].from, len);
	}
}

void scan_partitions(struct gendisk *disk)
{
	struct parsed_partitions state = {
		.name = disk->disk_name,
		.capacity = get_capacity(disk),
		.limit = disk->minors,
		.read_sector = read_disk_sector,
		.data = disk,
	};
	int ret;

	if (disk->minors < 2 || !get_capacity(disk))
		return;
	state.parts = kcalloc(disk->minors, sizeof(*state.parts), GFP_KERNEL);
	if (!state.parts) {
		pr_warn("%s: no memory to read the partition table\n",
			disk->disk_name);
		return;
	}
	ret = msdos_partition(&state);
	if (ret < 0)
		pr_warn("%s: partition table unreadable: %d\n", disk->disk_name,
			ret);
	else if (ret > 0)
		add_parsed(disk, state.parts);
	kfree(state.parts);
}

/**
 * bdev_rescan_partitions - BLKRRPART: drop the partitions, read again
 * @disk: an added disk
 *
 * Return: 0, -EINVAL for a disk without partitions, -EBUSY while a
 * partition is open (Linux's rule: its users would lose it under them;
 * the whole disk open, as the caller has it, does not count).
 * Context: process; may sleep.
 */
int bdev_rescan_partitions(struct gendisk *disk)
{
	int n, err = 0;

	if (disk->minors < 2)
		return -EINVAL;
	mutex_lock(&disk->open_mutex);
	for (n = 1; n < disk->minors; n++)
		if (disk->parts[n] && disk->parts[n]->bd_openers)
			err = -EBUSY;
	if (!err && disk->added) {
		drop_partitions(disk);
		scan_partitions(disk);
	}
	mutex_unlock(&disk->open_mutex);
	return err;
}
