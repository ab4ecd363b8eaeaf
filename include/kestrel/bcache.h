/*
 * The buffer cache of block device files (block/bcache.c): recently used
 * 4 KiB blocks of each disk, kept in memory so that reading them again
 * does not go to the disk. Write-through: a write reaches the disk before
 * the call returns. docs/block.md, "The buffer cache". The page cache
 * replaces it in a later issue.
 */
#ifndef _KESTREL_BCACHE_H
#define _KESTREL_BCACHE_H

#include <kestrel/bio.h>
#include <kestrel/types.h>

struct block_device;
struct gendisk;
struct iov_iter;

#define BCACHE_BLOCK_SHIFT PAGE_SHIFT
#define BCACHE_BLOCK_SIZE (1U << BCACHE_BLOCK_SHIFT)

/*
 * Read or write @len bytes at @pos of @bdev (within it) through the
 * cache, to or from @iter. Returns the bytes done; *@err is 0 or the
 * error that stopped it (-EIO, -EFAULT, -ENOMEM, -ENXIO).
 * Context: process; sleeps.
 */
size_t bcache_rw(struct block_device *bdev, loff_t pos, size_t len,
		 struct iov_iter *iter, bool write, int *err);

/* Forget what the cache holds of sectors [@sector, @sector + @nr) of
 * @disk (disk-relative): the disk was written around the cache (direct
 * I/O). Any context. */
void bcache_invalidate(struct gendisk *disk, sector_t sector, sector_t nr);

/* Drop every block of @disk (BLKFLSBUF, the disk going away). Sleeps. */
void bcache_purge(struct gendisk *disk);

/* Pages the cache holds (/proc/meminfo's Buffers). */
unsigned long bcache_nr_pages(void);

#endif /* _KESTREL_BCACHE_H */
