/*
 * What the files of block/ share and nobody else needs.
 */
#ifndef _BLOCK_BLK_H
#define _BLOCK_BLK_H

#include <kestrel/blkdev.h>

/* blk-sysfs.c: the attributes of disks and partitions. */
extern const struct attribute_group *disk_attr_groups[];
extern const struct attribute_group *part_attr_groups[];
/* The 17 counters of `stat` (@diskstats: /proc/diskstats's spacing). */
void bdev_format_stat(struct block_device *bdev, char *buf, size_t len,
		      bool diskstats);

/* genhd.c: partitions of a disk (open_mutex held). */
int add_partition(struct gendisk *disk, int n, sector_t start, sector_t len);
void drop_partitions(struct gendisk *disk);

/* partitions/core.c: read the table and add what it lists (open_mutex
 * held). Bad tables are logged, not errors. */
void scan_partitions(struct gendisk *disk);

#endif /* _BLOCK_BLK_H */
