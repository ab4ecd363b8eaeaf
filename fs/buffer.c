/*
 * Buffer heads: disk blocks seen through the page cache (Linux's
 * fs/buffer.c, in simpler code). <kestrel/buffer_head.h> has the API.
 *
 * A page of a mapping covers PAGE_SIZE bytes; a file system's block may
 * be smaller (1, 2 KiB). When the blocks of a page must be read or
 * written one by one -- metadata blocks of a device, or a file page
 * whose blocks are scattered on the disk -- the page gets a ring of
 * buffer heads, one per block:
 *
 *	struct page (index 5 of hda1's cache, 1 KiB blocks)
 *	  flags: PG_private | PG_uptodate | PG_dirty
 *	  private ---------+
 *	                   v
 *	  +-------------------------------------------------------+
 *	  | bh blk 20      | bh blk 21      | bh blk 22 | bh blk 23|
 *	  | Uptodate       | Uptodate|Dirty | Uptodate  | Uptodate |
 *	  +-------------------------------------------------------+
 *	     b_this_page -> ... -> ... -> back to the first
 *	  each b_data points at its 1 KiB of the page's 4 KiB
 *
 * The buffers hold one reference to their page; the page holds the
 * buffers (page->private). A buffer in use (b_count > 0), dirty, or
 * locked for I/O keeps them all: try_to_free_buffers() refuses, so the
 * page cannot leave the cache under a user.
 *
 * Metadata lives in the block device's own cache (sb_bread reads block
 * N of the device into the page at N * size / PAGE_SIZE), and the
 * device's write-back writes only the dirty buffers of a page. That is
 * what makes bforget() safe: a metadata block that was freed forgets its
 * dirty bit, so its stale content can never be written over the block
 * after it has been given to a file (unmap_underlying_metadata() covers
 * the same race from the allocation side).
 *
 * File pages get buffers only when the file system uses the helpers
 * below (block_read_full_page, block_write_begin...): each buffer is
 * mapped to its disk block by the file system's get_block().
 *
 * Locking: BH_Lock is a sleeping bit lock held across a buffer's I/O;
 * waiters sleep on one wait queue (buffer_wait). A page's ring is
 * attached and detached under its mapping's private_lock, which also
 * guards the lists of mark_buffer_dirty_inode(). The buffers of a page
 * read or written as a whole finish under bh_async_lock: the last one to
 * end unlocks the page (read) or ends its write-back (write). I/O is one
 * bio per buffer; the block layer merges neighbours.
 */
#include <kestrel/bio.h>
#include <kestrel/blkdev.h>
#include <kestrel/buffer_head.h>
#include <kestrel/errno.h>
#include <kestrel/genhd.h>
#include <kestrel/pagemap.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/spinlock.h>
#include <kestrel/string.h>
#include <kestrel/wait.h>
#include <kestrel/writeback.h>

static DECLARE_WAIT_QUEUE_HEAD(buffer_wait);
static DEFINE_SPINLOCK(bh_async_lock);
static atomic_long_t buffer_heads;

/* The block device's own cache (fs/block_dev.c makes it at first use;
 * NULL when out of memory). */
static struct address_space *bdev_cache(struct block_device *bdev)
{
	struct inode *inode = READ_ONCE(bdev->bd_inode);

	return inode ? inode->i_mapping : bdev_mapping(bdev);
}

long nr_buffer_heads(void)
{
	return atomic_long_read(&buffer_heads);
}

static unsigned int blksize_bits(unsigned int size)
{
	return (unsigned int)__builtin_ctz(size);
}

static void zero_page_range(struct page *page, unsigned int from,
			    unsigned int to)
{
	if (to > from)
		memset((char *)page_address(page) + from, 0, to - from);
}

/* ---- the buffer lock ---------------------------------------------------- */

void lock_buffer(struct buffer_head *bh)
{
	might_sleep();
	while (test_set_buffer_locked(bh))
		wait_event(buffer_wait, !buffer_locked(bh));
}

void unlock_buffer(struct buffer_head *bh)
{
	clear_buffer_locked(bh); /* a locked RMW: a full barrier on x86 */
	wake_up_all(&buffer_wait);
}

void wait_on_buffer(struct buffer_head *bh)
{
	if (buffer_locked(bh))
		wait_event(buffer_wait, !buffer_locked(bh));
}

/* ---- buffer rings ------------------------------------------------------- */

static void free_buffer_head(struct buffer_head *bh)
{
	kfree(bh);
	atomic_long_dec(&buffer_heads);
}

/* Attach a ring of @blocksize buffers to the locked @page. */
int create_empty_buffers(struct page *page, unsigned long blocksize,
			 unsigned long b_state)
{
	struct address_space *mapping = page->mapping;
	struct buffer_head *head = NULL, *tail = NULL, *bh;
	long offset;

	for (offset = PAGE_SIZE - blocksize; offset >= 0; offset -= blocksize) {
		bh = kzalloc(sizeof(*bh), GFP_NOFS);
		if (!bh)
			goto nomem;
		atomic_long_inc(&buffer_heads);
		bh->b_page = page;
		bh->b_size = blocksize;
		bh->b_data = (char *)page_address(page) + offset;
		bh->b_state = b_state;
		INIT_LIST_HEAD(&bh->b_assoc_buffers);
		bh->b_this_page = head;
		if (!tail)
			tail = bh;
		head = bh;
	}
	tail->b_this_page = head;
	for (bh = head;; bh = bh->b_this_page) {
		if (PageUptodate(page))
			set_buffer_uptodate(bh);
		if (bh->b_this_page == head)
			break;
	}
	get_page(page); /* the buffers' reference */
	spin_lock(&mapping->private_lock);
	page->private = (unsigned long)head;
	SetPagePrivate(page);
	spin_unlock(&mapping->private_lock);
	return 0;
nomem:
	while (head) {
		bh = head->b_this_page;
		free_buffer_head(head);
		head = bh;
	}
	return -ENOMEM;
}

/* Map the buffers of a device page to their blocks, from @block on. */
static void init_page_buffers(struct page *page, struct block_device *bdev,
			      sector_t block)
{
	struct buffer_head *head = page_buffers(page), *bh = head;

	do {
		if (!buffer_mapped(bh)) {
			bh->b_bdev = bdev;
			bh->b_blocknr = block;
			set_buffer_mapped(bh);
			if (PageUptodate(page))
				set_buffer_uptodate(bh);
		}
		block++;
		bh = bh->b_this_page;
	} while (bh != head);
}

static bool buffer_busy(const struct buffer_head *bh)
{
	return atomic_read(&bh->b_count) || buffer_dirty(bh) ||
	       buffer_locked(bh);
}

bool try_to_free_buffers(struct page *page)
{
	struct address_space *mapping = page->mapping;
	struct buffer_head *head, *bh, *next;
	spinlock_t *lock = mapping ? &mapping->private_lock : NULL;

	if (PageWriteback(page) || !page_has_private(page))
		return !page_has_private(page);
	if (lock)
		spin_lock(lock);
	head = page_buffers(page);
	bh = head;
	do {
		if (buffer_busy(bh) || bh->b_assoc_map) {
			if (lock)
				spin_unlock(lock);
			return false;
		}
		bh = bh->b_this_page;
	} while (bh != head);
	page->private = 0;
	ClearPagePrivate(page);
	if (lock)
		spin_unlock(lock);
	bh = head;
	do {
		next = bh->b_this_page;
		free_buffer_head(bh);
		bh = next;
	} while (bh != head);
	/* The buffers were written by hand (sync_dirty_buffer): nothing
	 * of the page is dirty any more, whatever its bit says. */
	if (PageDirty(page))
		cancel_dirty_page(page);
	put_page(page); /* the buffers' reference */
	return true;
}

/* ---- finding the buffers of a device's blocks --------------------------- */

struct buffer_head *__find_get_block(struct block_device *bdev, sector_t block,
				     unsigned int size)
{
	struct address_space *mapping = bdev_cache(bdev);
	unsigned int sizebits = PAGE_SHIFT - blksize_bits(size);
	struct buffer_head *head, *bh, *found = NULL;
	struct page *page;

	if (!mapping)
		return NULL;
	page = find_get_page(mapping, (pgoff_t)(block >> sizebits));
	if (!page)
		return NULL;
	spin_lock(&mapping->private_lock);
	if (page_has_private(page)) {
		head = page_buffers(page);
		bh = head;
		do {
			if (buffer_mapped(bh) && bh->b_blocknr == block &&
			    bh->b_size == size) {
				get_bh(bh);
				found = bh;
				break;
			}
			bh = bh->b_this_page;
		} while (bh != head);
	}
	spin_unlock(&mapping->private_lock);
	put_page(page);
	return found;
}

/* Give the device page holding @block buffers of @size (page locked). */
static int grow_buffers(struct page *page, struct block_device *bdev,
			sector_t block, unsigned int size)
{
	unsigned int sizebits = PAGE_SHIFT - blksize_bits(size);
	int err;

	if (page_has_private(page) && page_buffers(page)->b_size != size &&
	    !try_to_free_buffers(page)) {
		pr_err("VFS: block %llu of %s: the page holds busy buffers of another size\n",
		       (unsigned long long)block, dev_name(&bdev->bd_device));
		return -EBUSY;
	}
	if (!page_has_private(page)) {
		err = create_empty_buffers(page, size, 0);
		if (err)
			return err;
	}
	init_page_buffers(page, bdev, (block >> sizebits) << sizebits);
	return 0;
}

struct buffer_head *__getblk(struct block_device *bdev, sector_t block,
			     unsigned int size)
{
	struct address_space *mapping = bdev_cache(bdev);
	unsigned int sizebits = PAGE_SHIFT - blksize_bits(size);
	struct buffer_head *bh;
	struct page *page;

	bh = __find_get_block(bdev, block, size);
	if (bh || !mapping)
		return bh;
	if ((block >> sizebits) > (pgoff_t)-1)
		return NULL;
	page = find_or_create_page(mapping, (pgoff_t)(block >> sizebits),
				   GFP_NOFS);
	if (!page)
		return NULL;
	if (!grow_buffers(page, bdev, block, size))
		bh = __find_get_block(bdev, block, size);
	unlock_page(page);
	put_page(page);
	return bh;
}

/* ---- I/O on one buffer -------------------------------------------------- */

static void end_bio_bh_io_sync(struct bio *bio)
{
	struct buffer_head *bh = bio->bi_private;

	bh->b_end_io(bh, bio->bi_status == BLK_STS_OK);
	bio_put(bio);
}

int submit_bh(int op, struct buffer_head *bh)
{
	struct bio *bio = bio_alloc(GFP_NOIO, 1);

	if (!bio) {
		bh->b_end_io(bh, 0);
		return -ENOMEM;
	}
	bio->bi_bdev = bh->b_bdev;
	bio->bi_sector = bh->b_blocknr * (bh->b_size >> SECTOR_SHIFT);
	bio->bi_opf = (unsigned int)op;
	bio_add_page(bio, bh->b_page, bh->b_size, bh_offset(bh));
	bio->bi_end_io = end_bio_bh_io_sync;
	bio->bi_private = bh;
	submit_bio(bio);
	return 0;
}

static void buffer_io_error(struct buffer_head *bh, const char *what)
{
	pr_err("Buffer I/O error on dev %s, logical block %llu%s\n",
	       bh->b_bdev ? dev_name(&bh->b_bdev->bd_device) : "?",
	       (unsigned long long)bh->b_blocknr, what);
}

void end_buffer_read_sync(struct buffer_head *bh, int uptodate)
{
	if (uptodate)
		set_buffer_uptodate(bh);
	else
		clear_buffer_uptodate(bh);
	unlock_buffer(bh);
	put_bh(bh);
}

void end_buffer_write_sync(struct buffer_head *bh, int uptodate)
{
	if (!uptodate) {
		buffer_io_error(bh, ", lost sync write");
		set_buffer_write_io_error(bh);
	}
	unlock_buffer(bh);
	put_bh(bh);
}

/* Start reading a buffer that may need it (the caller waits). */
static void start_read(struct buffer_head *bh)
{
	lock_buffer(bh);
	if (buffer_uptodate(bh)) {
		unlock_buffer(bh);
		return;
	}
	get_bh(bh);
	bh->b_end_io = end_buffer_read_sync;
	submit_bh(REQ_OP_READ, bh);
}

/* Start writing a dirty buffer (the caller may wait). */
static void start_write(struct buffer_head *bh)
{
	lock_buffer(bh);
	if (!test_clear_buffer_dirty(bh)) {
		unlock_buffer(bh);
		return;
	}
	get_bh(bh);
	bh->b_end_io = end_buffer_write_sync;
	submit_bh(REQ_OP_WRITE, bh);
}

int bh_read(struct buffer_head *bh)
{
	if (buffer_uptodate(bh))
		return 0;
	start_read(bh);
	wait_on_buffer(bh);
	return buffer_uptodate(bh) ? 0 : -EIO;
}

void __breadahead(struct block_device *bdev, sector_t block, unsigned int size)
{
	struct buffer_head *bh = __getblk(bdev, block, size);

	if (!bh)
		return;
	/* Never wait: a buffer locked is being read or written already. */
	if (!buffer_uptodate(bh) && !test_set_buffer_locked(bh)) {
		if (buffer_uptodate(bh)) {
			unlock_buffer(bh);
		} else {
			get_bh(bh);
			bh->b_end_io = end_buffer_read_sync;
			submit_bh(REQ_OP_READ, bh);
		}
	}
	brelse(bh);
}

struct buffer_head *__bread(struct block_device *bdev, sector_t block,
			    unsigned int size)
{
	struct buffer_head *bh = __getblk(bdev, block, size);

	if (bh && bh_read(bh)) {
		buffer_io_error(bh, "");
		brelse(bh);
		return NULL;
	}
	return bh;
}

void brelse(struct buffer_head *bh)
{
	if (!bh)
		return;
	if (atomic_read(&bh->b_count) <= 0) {
		pr_err("VFS: brelse: trying to free a free buffer\n");
		return;
	}
	put_bh(bh);
}

/* Take @bh off the fsync list of the inode it was dirtied for. */
static void remove_assoc_queue(struct buffer_head *bh)
{
	struct address_space *mapping = bh->b_page->mapping;

	if (!bh->b_assoc_map || !mapping)
		return;
	spin_lock(&mapping->private_lock);
	list_del_init(&bh->b_assoc_buffers);
	bh->b_assoc_map = NULL;
	spin_unlock(&mapping->private_lock);
}

void bforget(struct buffer_head *bh)
{
	if (!bh)
		return;
	clear_buffer_dirty(bh);
	remove_assoc_queue(bh);
	brelse(bh);
}

void mark_buffer_dirty(struct buffer_head *bh)
{
	struct page *page = bh->b_page;

	if (buffer_dirty(bh))
		return;
	if (!test_set_buffer_dirty(bh) && page->mapping)
		__set_page_dirty_nobuffers(page);
}

void mark_buffer_dirty_inode(struct buffer_head *bh, struct inode *inode)
{
	struct address_space *mapping = inode->i_mapping;
	struct address_space *bmap = bh->b_page->mapping;

	mark_buffer_dirty(bh);
	if (bh->b_assoc_map || !bmap)
		return;
	spin_lock(&bmap->private_lock);
	if (!bh->b_assoc_map) {
		list_add_tail(&bh->b_assoc_buffers, &mapping->private_list);
		bh->b_assoc_map = mapping;
	}
	spin_unlock(&bmap->private_lock);
}

#define SYNC_BATCH 32

/* Take up to SYNC_BATCH buffers off @mapping's list, with references. */
static unsigned int take_assoc_batch(struct address_space *mapping,
				     struct buffer_head **batch)
{
	struct buffer_head *bh;
	spinlock_t *lock;
	unsigned int n = 0;

	if (list_empty(&mapping->private_list))
		return 0;
	bh = list_first_entry(&mapping->private_list, struct buffer_head,
			      b_assoc_buffers);
	lock = &bh->b_page->mapping->private_lock; /* the device's */
	spin_lock(lock);
	while (n < SYNC_BATCH && !list_empty(&mapping->private_list)) {
		bh = list_first_entry(&mapping->private_list,
				      struct buffer_head, b_assoc_buffers);
		list_del_init(&bh->b_assoc_buffers);
		bh->b_assoc_map = NULL;
		get_bh(bh);
		batch[n++] = bh;
	}
	spin_unlock(lock);
	return n;
}

int sync_mapping_buffers(struct address_space *mapping)
{
	struct buffer_head *batch[SYNC_BATCH];
	unsigned int n, i;
	int err = 0;

	while ((n = take_assoc_batch(mapping, batch))) {
		for (i = 0; i < n; i++)
			start_write(batch[i]);
		for (i = 0; i < n; i++) {
			wait_on_buffer(batch[i]);
			if (test_clear_buffer_write_io_error(batch[i]))
				err = -EIO;
			put_bh(batch[i]);
		}
	}
	return err;
}

void invalidate_inode_buffers(struct inode *inode)
{
	struct buffer_head *batch[SYNC_BATCH];
	unsigned int n, i;

	/* The buffers stay dirty in the device's cache; only the list goes. */
	while ((n = take_assoc_batch(&inode->i_data, batch)))
		for (i = 0; i < n; i++)
			put_bh(batch[i]);
}

int sync_dirty_buffer(struct buffer_head *bh)
{
	start_write(bh);
	wait_on_buffer(bh);
	return test_clear_buffer_write_io_error(bh) ? -EIO : 0;
}

void unmap_underlying_metadata(struct block_device *bdev, sector_t block)
{
	struct address_space *mapping = bdev_cache(bdev);
	struct buffer_head *old;

	if (!mapping)
		return;
	old = __find_get_block(bdev, block, 1U << mapping->host->i_blkbits);
	if (!old)
		return;
	clear_buffer_dirty(old);
	wait_on_buffer(old);
	remove_assoc_queue(old);
	put_bh(old);
}

/* ---- reading a page a block at a time ----------------------------------- */

/* One buffer of a page read has ended; the last one unlocks the page. */
static void end_buffer_async_read(struct buffer_head *bh, int uptodate)
{
	struct page *page = bh->b_page;
	struct buffer_head *tmp;
	unsigned long flags;
	bool page_uptodate = true;

	if (uptodate) {
		set_buffer_uptodate(bh);
	} else {
		clear_buffer_uptodate(bh);
		buffer_io_error(bh, ", async page read");
		SetPageError(page);
	}
	spin_lock_irqsave(&bh_async_lock, flags);
	clear_buffer_async_read(bh);
	unlock_buffer(bh);
	tmp = bh;
	do {
		if (!buffer_uptodate(tmp))
			page_uptodate = false;
		if (buffer_async_read(tmp)) {
			spin_unlock_irqrestore(&bh_async_lock, flags);
			return; /* another one is still in flight */
		}
		tmp = tmp->b_this_page;
	} while (tmp != bh);
	spin_unlock_irqrestore(&bh_async_lock, flags);
	if (page_uptodate && !PageError(page))
		SetPageUptodate(page);
	unlock_page(page);
}

static sector_t page_first_block(const struct page *page, unsigned int bbits)
{
	return (sector_t)page->index << (PAGE_SHIFT - bbits);
}

/* Make sure @page (locked) has buffers of its inode's block size. */
static int page_get_buffers(struct page *page, unsigned long state)
{
	struct inode *inode = page->mapping->host;

	if (page_has_private(page))
		return 0;
	return create_empty_buffers(page, 1UL << inode->i_blkbits, state);
}

int block_read_full_page(struct page *page, get_block_t *get_block)
{
	struct inode *inode = page->mapping->host;
	unsigned int bbits = inode->i_blkbits, nr = 0, i;
	struct buffer_head *head, *bh, *arr[PAGE_SIZE / 512];
	sector_t iblock, lblock;
	int err;

	if (page_get_buffers(page, 0)) {
		SetPageError(page);
		unlock_page(page);
		return -ENOMEM;
	}
	head = page_buffers(page);
	iblock = page_first_block(page, bbits);
	lblock = (i_size_read(inode) + (1 << bbits) - 1) >> bbits;
	bh = head;
	do {
		if (buffer_uptodate(bh))
			continue;
		if (!buffer_mapped(bh)) {
			err = 0;
			if (iblock < lblock) {
				err = get_block(inode, iblock, bh, 0);
				if (err)
					SetPageError(page);
			}
			if (!buffer_mapped(bh)) { /* a hole, or past the end */
				zero_page_range(page, bh_offset(bh),
						bh_offset(bh) + bh->b_size);
				if (!err)
					set_buffer_uptodate(bh);
				continue;
			}
			if (buffer_uptodate(bh))
				continue;
		}
		arr[nr++] = bh;
	} while (iblock++, (bh = bh->b_this_page) != head);

	if (!nr) {
		if (!PageError(page))
			SetPageUptodate(page);
		unlock_page(page);
		return 0;
	}
	for (i = 0; i < nr; i++) {
		lock_buffer(arr[i]);
		arr[i]->b_end_io = end_buffer_async_read;
		set_buffer_async_read(arr[i]);
	}
	for (i = 0; i < nr; i++) {
		if (buffer_uptodate(arr[i]))
			end_buffer_async_read(arr[i], 1);
		else
			submit_bh(REQ_OP_READ, arr[i]);
	}
	return 0;
}

/* ---- writing a page a block at a time ----------------------------------- */

static void end_buffer_async_write(struct buffer_head *bh, int uptodate)
{
	struct page *page = bh->b_page;
	struct buffer_head *tmp;
	unsigned long flags;

	if (!uptodate) {
		buffer_io_error(bh, ", lost async page write");
		set_buffer_write_io_error(bh);
		SetPageError(page);
		if (page->mapping)
			mapping_set_error(page->mapping, -EIO);
	}
	spin_lock_irqsave(&bh_async_lock, flags);
	clear_buffer_async_write(bh);
	unlock_buffer(bh);
	for (tmp = bh->b_this_page; tmp != bh; tmp = tmp->b_this_page) {
		if (buffer_async_write(tmp)) {
			spin_unlock_irqrestore(&bh_async_lock, flags);
			return;
		}
	}
	spin_unlock_irqrestore(&bh_async_lock, flags);
	end_page_writeback(page);
}

/* Map the dirty buffers of @page that are not yet (allocating). */
static int map_dirty_buffers(struct inode *inode, struct page *page,
			     get_block_t *get_block)
{
	struct buffer_head *head = page_buffers(page), *bh = head;
	unsigned int bbits = inode->i_blkbits;
	sector_t block = page_first_block(page, bbits);
	sector_t last = (i_size_read(inode) - 1) >> bbits;
	int err = 0, ret;

	do {
		if (block > last) { /* past the end: nothing to write */
			clear_buffer_dirty(bh);
			set_buffer_uptodate(bh);
		} else if (!buffer_mapped(bh) && buffer_dirty(bh)) {
			ret = get_block(inode, block, bh, 1);
			if (ret) { /* e.g. ENOSPC under a mapping: lost */
				clear_buffer_dirty(bh);
				err = ret;
			} else if (buffer_new(bh)) {
				clear_buffer_new(bh);
				unmap_underlying_metadata(bh->b_bdev,
							  bh->b_blocknr);
			}
		}
	} while (block++, (bh = bh->b_this_page) != head);
	return err;
}

static int __block_write_full_page(struct inode *inode, struct page *page,
				   get_block_t *get_block,
				   struct writeback_control *wbc)
{
	struct buffer_head *head, *bh, *arr[PAGE_SIZE / 512];
	unsigned int nr = 0, i;
	int err;

	if (page_get_buffers(page, (1UL << BH_Dirty) | (1UL << BH_Uptodate))) {
		__set_page_dirty_nobuffers(page); /* try again later */
		unlock_page(page);
		return -ENOMEM;
	}
	err = map_dirty_buffers(inode, page, get_block);
	head = page_buffers(page);
	bh = head;
	do {
		if (!buffer_mapped(bh))
			continue;
		if (wbc->sync_mode == WB_SYNC_NONE) {
			if (!trylock_buffer(bh)) {
				if (buffer_dirty(bh)) /* the next pass */
					__set_page_dirty_nobuffers(page);
				continue;
			}
		} else {
			lock_buffer(bh);
		}
		if (test_clear_buffer_dirty(bh)) {
			bh->b_end_io = end_buffer_async_write;
			set_buffer_async_write(bh);
			arr[nr++] = bh;
		} else {
			unlock_buffer(bh);
		}
	} while ((bh = bh->b_this_page) != head);
	if (err) {
		SetPageError(page);
		mapping_set_error(page->mapping, err);
	}
	set_page_writeback(page);
	unlock_page(page);
	for (i = 0; i < nr; i++)
		submit_bh(REQ_OP_WRITE, arr[i]);
	if (!nr)
		end_page_writeback(page);
	return err;
}

int block_write_full_page(struct page *page, get_block_t *get_block,
			  struct writeback_control *wbc)
{
	struct inode *inode = page->mapping->host;
	loff_t size = i_size_read(inode);
	pgoff_t end_index = (pgoff_t)(size >> PAGE_SHIFT);
	unsigned int offset = size & ~PAGE_MASK;

	if (page->index >= end_index + 1 ||
	    (page->index == end_index && !offset)) {
		/* wholly past the end: a truncate is removing it */
		block_invalidatepage(page, 0, PAGE_SIZE);
		unlock_page(page);
		return 0;
	}
	if (page->index == end_index) /* the tail must go out as zeroes */
		zero_page_range(page, offset, PAGE_SIZE);
	return __block_write_full_page(inode, page, get_block, wbc);
}

/* ---- buffered writes ---------------------------------------------------- */

/* A write into @page failed or fell short: blocks it allocated for
 * [@from, @to) must not show old disk content. */
static void page_zero_new_buffers(struct page *page, unsigned int from,
				  unsigned int to)
{
	struct buffer_head *head = page_buffers(page), *bh = head;
	unsigned int start = 0, end;

	do {
		end = start + bh->b_size;
		if (buffer_new(bh) && end > from && start < to) {
			if (!PageUptodate(page)) {
				zero_page_range(page,
						start > from ? start : from,
						end < to ? end : to);
				set_buffer_uptodate(bh);
			}
			clear_buffer_new(bh);
			mark_buffer_dirty(bh);
		}
		start = end;
	} while ((bh = bh->b_this_page) != head);
}

/*
 * Prepare one buffer of a write covering [@from, @to) of the page: map
 * it (allocating), zero what a new block does not get from the write,
 * or start reading what an old one must keep. 1: a read was started.
 */
static int prepare_buffer(struct inode *inode, struct page *page,
			  struct buffer_head *bh, sector_t block,
			  unsigned int start, unsigned int from,
			  unsigned int to, get_block_t *get_block)
{
	unsigned int end = start + bh->b_size;
	int err;

	clear_buffer_new(bh);
	if (!buffer_mapped(bh)) {
		err = get_block(inode, block, bh, 1);
		if (err)
			return err;
		if (buffer_new(bh)) {
			unmap_underlying_metadata(bh->b_bdev, bh->b_blocknr);
			if (PageUptodate(page)) {
				clear_buffer_new(bh);
				set_buffer_uptodate(bh);
				mark_buffer_dirty(bh);
				return 0;
			}
			if (end > to)
				zero_page_range(page, to, end);
			if (start < from)
				zero_page_range(page, start, from);
			return 0;
		}
	}
	if (PageUptodate(page)) {
		set_buffer_uptodate(bh);
	} else if (!buffer_uptodate(bh) && (start < from || end > to)) {
		start_read(bh);
		return 1;
	}
	return 0;
}

int __block_write_begin(struct page *page, loff_t pos, unsigned int len,
			get_block_t *get_block)
{
	struct inode *inode = page->mapping->host;
	unsigned int from = pos & ~PAGE_MASK, to = from + len, start = 0;
	struct buffer_head *head, *bh, *wait[PAGE_SIZE / 512];
	unsigned int nwait = 0, i;
	sector_t block;
	int err = 0, ret;

	if (page_get_buffers(page, 0))
		return -ENOMEM;
	head = page_buffers(page);
	block = page_first_block(page, inode->i_blkbits);
	bh = head;
	do {
		if (start + bh->b_size <= from || start >= to) {
			if (PageUptodate(page))
				set_buffer_uptodate(bh);
		} else {
			ret = prepare_buffer(inode, page, bh, block, start,
					     from, to, get_block);
			if (ret < 0) {
				err = ret;
				break;
			}
			if (ret)
				wait[nwait++] = bh;
		}
		start += bh->b_size;
	} while (block++, (bh = bh->b_this_page) != head);
	for (i = 0; i < nwait; i++) {
		wait_on_buffer(wait[i]);
		if (!buffer_uptodate(wait[i]))
			err = -EIO;
	}
	if (err)
		page_zero_new_buffers(page, from, to);
	return err;
}

int block_write_begin(struct address_space *mapping, loff_t pos,
		      unsigned int len, struct page **pagep,
		      get_block_t *get_block)
{
	struct page *page;
	int err;

	page = grab_cache_page_write_begin(mapping,
					   (pgoff_t)(pos >> PAGE_SHIFT));
	if (!page)
		return -ENOMEM;
	err = __block_write_begin(page, pos, len, get_block);
	if (err) {
		unlock_page(page);
		put_page(page);
		page = NULL;
	}
	*pagep = page;
	return err;
}

int block_write_end(struct file *file, struct address_space *mapping,
		    loff_t pos, unsigned int len, unsigned int copied,
		    struct page *page, void *fsdata)
{
	unsigned int from = pos & ~PAGE_MASK, to, start = 0;
	struct buffer_head *head = page_buffers(page), *bh = head;
	bool partial = false;

	if (copied < len) {
		/* A short copy into a page that was not read: the part not
		 * copied holds garbage, so the whole write must be redone. */
		if (!PageUptodate(page))
			copied = 0;
		page_zero_new_buffers(page, from + copied, from + len);
	}
	to = from + copied;
	do {
		if (start + bh->b_size <= from || start >= to) {
			if (!buffer_uptodate(bh))
				partial = true;
		} else {
			set_buffer_uptodate(bh);
			mark_buffer_dirty(bh);
		}
		clear_buffer_new(bh);
		start += bh->b_size;
	} while ((bh = bh->b_this_page) != head);
	if (!partial)
		SetPageUptodate(page);
	return (int)copied;
}

int generic_write_end(struct file *file, struct address_space *mapping,
		      loff_t pos, unsigned int len, unsigned int copied,
		      struct page *page, void *fsdata)
{
	struct inode *inode = mapping->host;
	bool grown = false;

	copied = (unsigned int)block_write_end(file, mapping, pos, len, copied,
					       page, fsdata);
	if (pos + copied > i_size_read(inode)) {
		i_size_write(inode, pos + copied);
		grown = true;
	}
	unlock_page(page);
	put_page(page);
	if (grown)
		mark_inode_dirty(inode);
	return (int)copied;
}

int block_truncate_page(struct address_space *mapping, loff_t from,
			get_block_t *get_block)
{
	struct inode *inode = mapping->host;
	unsigned int blocksize = 1U << inode->i_blkbits;
	unsigned int offset = from & ~PAGE_MASK, length, pos = 0;
	sector_t iblock = (sector_t)from >> inode->i_blkbits;
	struct buffer_head *bh;
	struct page *page;
	int err = 0;

	length = blocksize - (offset & (blocksize - 1));
	if (length == blocksize) /* on a block boundary: nothing to zero */
		return 0;
	page = find_or_create_page(mapping, (pgoff_t)(from >> PAGE_SHIFT),
				   GFP_NOFS);
	if (!page)
		return -ENOMEM;
	err = page_get_buffers(page, 0);
	if (err)
		goto out;
	bh = page_buffers(page);
	for (pos = blocksize; pos <= offset; pos += blocksize)
		bh = bh->b_this_page;
	if (!buffer_mapped(bh)) {
		err = get_block(inode, iblock, bh, 0);
		if (err || !buffer_mapped(bh))
			goto out; /* a hole stays one */
	}
	if (PageUptodate(page))
		set_buffer_uptodate(bh);
	err = bh_read(bh);
	if (err)
		goto out;
	zero_page_range(page, offset, offset + length);
	mark_buffer_dirty(bh);
out:
	unlock_page(page);
	put_page(page);
	return err;
}

sector_t generic_block_bmap(struct address_space *mapping, sector_t block,
			    get_block_t *get_block)
{
	struct inode *inode = mapping->host;
	struct buffer_head tmp = { .b_size = 1U << inode->i_blkbits };

	get_block(inode, block, &tmp, 0);
	return buffer_mapped(&tmp) ? tmp.b_blocknr : 0;
}

int __set_page_dirty_buffers(struct page *page)
{
	struct address_space *mapping = page->mapping;
	struct buffer_head *head, *bh;

	if (!mapping)
		return !TestSetPageDirty(page);
	spin_lock(&mapping->private_lock);
	if (page_has_private(page)) {
		head = page_buffers(page);
		bh = head;
		do {
			set_buffer_dirty(bh);
			bh = bh->b_this_page;
		} while (bh != head);
	}
	spin_unlock(&mapping->private_lock);
	return __set_page_dirty_nobuffers(page);
}

void block_invalidatepage(struct page *page, unsigned int offset,
			  unsigned int length)
{
	struct buffer_head *head, *bh;
	unsigned int start = 0, stop = offset + length;

	if (!page_has_private(page))
		return;
	head = page_buffers(page);
	bh = head;
	do {
		if (start >= offset && start + bh->b_size <= stop) {
			lock_buffer(bh);
			clear_buffer_dirty(bh);
			clear_buffer_mapped(bh);
			clear_buffer_uptodate(bh);
			clear_buffer_new(bh);
			bh->b_bdev = NULL;
			unlock_buffer(bh);
		}
		start += bh->b_size;
	} while ((bh = bh->b_this_page) != head);
	if (offset == 0 && length >= PAGE_SIZE)
		try_to_free_buffers(page);
}

/* ---- the device's block size -------------------------------------------- */

int set_blocksize(struct block_device *bdev, unsigned int size)
{
	struct address_space *mapping = bdev_cache(bdev);
	struct inode *host;

	if (!mapping)
		return -ENOMEM;
	host = mapping->host;
	if (size > PAGE_SIZE || size < 512 || (size & (size - 1)) ||
	    size < bdev->bd_disk->queue->logical_block_size)
		return -EINVAL;
	if (host->i_blkbits != blksize_bits(size)) {
		sync_blockdev(bdev);
		host->i_blkbits = blksize_bits(size);
		/* buffers of the old size go with their clean pages */
		invalidate_mapping_pages(mapping, 0, (pgoff_t)-1);
	}
	return 0;
}

unsigned int sb_set_blocksize(struct super_block *sb, unsigned int size)
{
	if (set_blocksize(sb->s_bdev, size))
		return 0;
	sb->s_blocksize = size;
	sb->s_blocksize_bits = (unsigned char)blksize_bits(size);
	return size;
}
