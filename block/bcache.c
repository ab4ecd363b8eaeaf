/*
 * The buffer cache of block device files: the simple cache in front of
 * read() and write() on /dev/hda and its partitions until the page cache
 * takes over (docs/block.md, "The buffer cache").
 *
 * A buffer is one page holding one 4 KiB block of a disk, numbered from
 * the disk's first sector, so that /dev/hda and /dev/hda1 share what they
 * overlap. Buffers are found through a hash on (disk, block) and, while
 * nobody uses them, wait on an LRU list; past bcache_max pages the least
 * recently used ones are freed.
 *
 *	read(/dev/hda1, 100 bytes at 5000)      hda1 starts at sector 63
 *	  -> disk byte 63 * 512 + 5000 = 37256: block 9, offset 392
 *	  -> buffer (hda, 9): cached? copy out. Else read the block, copy.
 *
 * Writes go through: the bytes are copied into the buffer (read first if
 * the write covers only part of it) and the sectors they touch written to
 * the disk before the call returns; a failed write leaves the buffer
 * marked stale, so the cache never holds what the disk does not. Direct
 * I/O writes around the cache and calls bcache_invalidate(), which marks
 * the buffers it overlaps stale and bumps their generation, so that a
 * read that was in flight meanwhile does not mark its old data valid.
 *
 * Locking: bcache_lock (IRQ-safe: invalidation may come from a disk's
 * interrupt) protects the hash, the LRU, users, uptodate and gen; a
 * buffer's mutex serialises its I/O and changes to its page (taken
 * before bcache_lock).
 */
#include <kestrel/bcache.h>
#include <kestrel/blkdev.h>
#include <kestrel/errno.h>
#include <kestrel/hash.h>
#include <kestrel/init.h>
#include <kestrel/mm.h>
#include <kestrel/mutex.h>
#include <kestrel/slab.h>
#include <kestrel/spinlock.h>
#include <kestrel/uio.h>

#define BCACHE_HASH_BITS 8
#define BCACHE_MIN_PAGES 64
#define SECTORS_PER_BLOCK (BCACHE_BLOCK_SIZE >> SECTOR_SHIFT)

struct bcache_buf {
	struct gendisk *disk; /* NULL: purged while in use */
	sector_t block; /* disk-relative, in 4 KiB blocks */
	unsigned int size; /* bytes of disk in it: less at the end */
	struct page *page;
	bool uptodate; /* the page holds what the disk holds */
	unsigned int gen; /* bumped by each invalidation */
	unsigned int users;
	struct mutex lock; /* I/O and changes of the page */
	struct list_head hash; /* in bcache_hash[] */
	struct list_head lru; /* on bcache_lru while users == 0 */
};

static DEFINE_SPINLOCK(bcache_lock);
static struct list_head bcache_hash[1 << BCACHE_HASH_BITS];
static LIST_HEAD(bcache_lru);
static unsigned long bcache_nr; /* buffers */

static struct list_head *hash_head(struct gendisk *disk, sector_t block)
{
	return &bcache_hash[hash_32((u32)(uintptr_t)disk ^ (u32)block,
				    BCACHE_HASH_BITS)];
}

static int bcache_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bcache_hash); i++)
		INIT_LIST_HEAD(&bcache_hash[i]);
	return 0;
}
core_initcall(bcache_init);

/* At most 1/16 of memory, as a page cache would be allowed far more. */
static unsigned long bcache_max(void)
{
	unsigned long max = totalram_pages / 16;

	return max < BCACHE_MIN_PAGES ? BCACHE_MIN_PAGES : max;
}

unsigned long bcache_nr_pages(void)
{
	return READ_ONCE(bcache_nr);
}

/* The buffer of (@disk, @block), or NULL (bcache_lock held). */
static struct bcache_buf *lookup(struct gendisk *disk, sector_t block)
{
	struct bcache_buf *b;

	list_for_each_entry(b, hash_head(disk, block), hash)
		if (b->disk == disk && b->block == block)
			return b;
	return NULL;
}

static void buf_free(struct bcache_buf *b)
{
	__free_page(b->page);
	kfree(b);
}

/* Take the unused @b out of the cache onto @victims (bcache_lock
 * held); free_victims() frees them once the lock is dropped. */
static void buf_evict(struct bcache_buf *b, struct list_head *victims)
{
	list_del(&b->hash);
	list_move(&b->lru, victims);
	bcache_nr--;
}

static void free_victims(struct list_head *victims)
{
	struct bcache_buf *b, *next;

	list_for_each_entry_safe(b, next, victims, lru)
		buf_free(b);
}

/* Free unused buffers past the limit, least recently used first. */
static void shrink(void)
{
	unsigned long flags;
	LIST_HEAD(victims);

	spin_lock_irqsave(&bcache_lock, flags);
	while (bcache_nr > bcache_max() && !list_empty(&bcache_lru))
		buf_evict(list_first_entry(&bcache_lru, struct bcache_buf, lru),
			  &victims);
	spin_unlock_irqrestore(&bcache_lock, flags);
	free_victims(&victims);
}

/* Take a user of @b (bcache_lock held). */
static void buf_hold(struct bcache_buf *b)
{
	if (!b->users++)
		list_del_init(&b->lru);
}

/* The buffer of (@disk, @block), with a user; made (not up to date) if
 * the cache has none. NULL when out of memory. */
static struct bcache_buf *buf_get(struct gendisk *disk, sector_t block,
				  unsigned int size)
{
	struct bcache_buf *b, *fresh;
	unsigned long flags;

	spin_lock_irqsave(&bcache_lock, flags);
	b = lookup(disk, block);
	if (b)
		buf_hold(b);
	spin_unlock_irqrestore(&bcache_lock, flags);
	if (b)
		return b;
	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
	if (!fresh)
		return NULL;
	fresh->page = alloc_page(GFP_KERNEL);
	if (!fresh->page) {
		kfree(fresh);
		return NULL;
	}
	fresh->disk = disk;
	fresh->block = block;
	fresh->size = size;
	fresh->users = 1;
	mutex_init(&fresh->lock);
	INIT_LIST_HEAD(&fresh->lru);
	spin_lock_irqsave(&bcache_lock, flags);
	b = lookup(disk, block); /* made by someone else meanwhile? */
	if (b) {
		buf_hold(b);
	} else {
		list_add(&fresh->hash, hash_head(disk, block));
		bcache_nr++;
	}
	spin_unlock_irqrestore(&bcache_lock, flags);
	if (b) {
		buf_free(fresh);
		return b;
	}
	shrink();
	return fresh;
}

/* Drop a user: an unused buffer goes on the LRU, or is freed if it is
 * stale or its disk is gone. */
static void buf_put(struct bcache_buf *b)
{
	unsigned long flags;
	bool dead = false;

	spin_lock_irqsave(&bcache_lock, flags);
	if (!--b->users) {
		if (b->disk && b->uptodate) {
			list_add_tail(&b->lru, &bcache_lru);
		} else {
			list_del_init(&b->hash);
			bcache_nr--;
			dead = true;
		}
	}
	spin_unlock_irqrestore(&bcache_lock, flags);
	if (dead)
		buf_free(b);
	else
		shrink();
}

/*
 * @len bytes at @off of @b to or from the disk, through @bdev when the
 * block lies within it (so a partition's statistics count the I/O), else
 * the whole disk.
 */
static int buf_io(struct block_device *bdev, struct bcache_buf *b,
		  enum req_op op, unsigned int off, unsigned int len)
{
	sector_t sector = b->block * SECTORS_PER_BLOCK + (off >> SECTOR_SHIFT);
	struct bio *bio;
	int err;

	if (sector < bdev->bd_start_sect ||
	    sector + (len >> SECTOR_SHIFT) >
		    bdev->bd_start_sect + bdev->bd_nr_sectors)
		bdev = &bdev->bd_disk->part0;
	bio = bio_alloc(GFP_KERNEL, 1);
	if (!bio)
		return -ENOMEM;
	bio->bi_bdev = bdev;
	bio->bi_opf = op;
	bio->bi_sector = sector - bdev->bd_start_sect;
	bio_add_page(bio, b->page, len, off);
	err = submit_bio_wait(bio);
	bio_put(bio);
	return err;
}

/* Is @b valid? Its generation in *@gen, read with it. */
static bool buf_valid(struct bcache_buf *b, unsigned int *gen)
{
	unsigned long flags;
	bool valid;

	spin_lock_irqsave(&bcache_lock, flags);
	valid = b->uptodate;
	*gen = b->gen;
	spin_unlock_irqrestore(&bcache_lock, flags);
	return valid;
}

/* @b's state after I/O that began at generation @gen: valid only if no
 * invalidation came meanwhile. */
static void buf_set_uptodate(struct bcache_buf *b, unsigned int gen, bool ok)
{
	unsigned long flags;

	spin_lock_irqsave(&bcache_lock, flags);
	b->uptodate = ok && b->gen == gen;
	spin_unlock_irqrestore(&bcache_lock, flags);
}

/* Make @b hold the disk's data (its mutex held). */
static int buf_fill(struct block_device *bdev, struct bcache_buf *b)
{
	unsigned int gen;
	int err;

	if (buf_valid(b, &gen))
		return 0;
	err = buf_io(bdev, b, REQ_OP_READ, 0, b->size);
	buf_set_uptodate(b, gen, !err);
	return err;
}

static int buf_read(struct block_device *bdev, struct bcache_buf *b,
		    unsigned int off, size_t n, struct iov_iter *iter)
{
	int err = buf_fill(bdev, b);

	if (err)
		return err;
	return copy_to_iter((char *)page_address(b->page) + off, n, iter) == n ?
		       0 :
		       -EFAULT;
}

/*
 * Copy @n bytes into @b at @off and write the sectors they touch. The
 * rest of a partially written sector must be known: fill first unless the
 * write covers the whole buffer.
 */
static int buf_write(struct block_device *bdev, struct bcache_buf *b,
		     unsigned int off, size_t n, struct iov_iter *iter)
{
	unsigned int s0 = off & ~(SECTOR_SIZE - 1);
	unsigned int s1 = (off + n + SECTOR_SIZE - 1) & ~(SECTOR_SIZE - 1);
	unsigned int gen;
	int err = 0;

	/* the generation from before any I/O: an invalidation from here
	 * on leaves the buffer stale */
	if (!buf_valid(b, &gen) && (off || n != b->size))
		err = buf_io(bdev, b, REQ_OP_READ, 0, b->size);
	if (!err &&
	    copy_from_iter((char *)page_address(b->page) + off, n, iter) != n)
		err = -EFAULT; /* the page is half new: stale below */
	if (!err)
		err = buf_io(bdev, b, REQ_OP_WRITE, s0, s1 - s0);
	buf_set_uptodate(b, gen, !err);
	return err;
}

size_t bcache_rw(struct block_device *bdev, loff_t pos, size_t len,
		 struct iov_iter *iter, bool write, int *err)
{
	struct gendisk *disk = bdev->bd_disk;
	u64 dpos = ((u64)bdev->bd_start_sect << SECTOR_SHIFT) + pos;
	u64 disk_bytes = (u64)get_capacity(disk) << SECTOR_SHIFT;
	size_t done = 0;

	*err = 0;
	while (done < len) {
		sector_t block = dpos >> BCACHE_BLOCK_SHIFT;
		unsigned int off = dpos & (BCACHE_BLOCK_SIZE - 1);
		u64 left = disk_bytes - ((u64)block << BCACHE_BLOCK_SHIFT);
		unsigned int size = left < BCACHE_BLOCK_SIZE ?
					    (unsigned int)left :
					    BCACHE_BLOCK_SIZE;
		size_t n = size - off;
		struct bcache_buf *b;

		if (n > len - done)
			n = len - done;
		b = buf_get(disk, block, size);
		if (!b) {
			*err = -ENOMEM;
			break;
		}
		mutex_lock(&b->lock);
		*err = write ? buf_write(bdev, b, off, n, iter) :
			       buf_read(bdev, b, off, n, iter);
		mutex_unlock(&b->lock);
		buf_put(b);
		if (*err)
			break;
		done += n;
		dpos += n;
	}
	return done;
}

/* Mark @b stale (bcache_lock held). */
static void buf_invalidate(struct bcache_buf *b)
{
	b->uptodate = false;
	b->gen++;
}

void bcache_invalidate(struct gendisk *disk, sector_t sector, sector_t nr)
{
	sector_t first = sector / SECTORS_PER_BLOCK;
	sector_t last =
		(sector + nr + SECTORS_PER_BLOCK - 1) / SECTORS_PER_BLOCK;
	struct bcache_buf *b;
	unsigned long flags;
	unsigned int i;

	if (!nr)
		return;
	spin_lock_irqsave(&bcache_lock, flags);
	if (last - first <= bcache_nr) { /* look each block up */
		for (; first < last; first++) {
			b = lookup(disk, first);
			if (b)
				buf_invalidate(b);
		}
	} else { /* fewer buffers than blocks: look at them all */
		for (i = 0; i < ARRAY_SIZE(bcache_hash); i++)
			list_for_each_entry(b, &bcache_hash[i], hash)
				if (b->disk == disk && b->block >= first &&
				    b->block < last)
					buf_invalidate(b);
	}
	spin_unlock_irqrestore(&bcache_lock, flags);
}

void bcache_purge(struct gendisk *disk)
{
	struct bcache_buf *b, *next;
	unsigned long flags;
	unsigned int i;
	LIST_HEAD(victims);

	spin_lock_irqsave(&bcache_lock, flags);
	for (i = 0; i < ARRAY_SIZE(bcache_hash); i++) {
		list_for_each_entry_safe(b, next, &bcache_hash[i], hash) {
			if (b->disk != disk)
				continue;
			buf_invalidate(b);
			if (b->users)
				b->disk = NULL; /* freed by its last put */
			else
				buf_evict(b, &victims);
		}
	}
	spin_unlock_irqrestore(&bcache_lock, flags);
	free_victims(&victims);
}
