/*
 * Block device files (Linux's fs/block_dev.c and block/ioctl.c): what
 * open("/dev/hda1") gives. The node's inode has i_fop = def_blk_fops;
 * its open finds the block_device of the node's number (the disk's or a
 * partition's) and keeps a reference to it in file->private_data.
 *
 * Reads and writes (the vectored ->aio_read/->aio_write, which serve
 * read, readv, pread and io_submit) go through the page cache
 * (docs/pagecache.md), as any file's: each block_device has an inode on
 * an internal "bdev" file system (bd_inode, made at first open) whose
 * mapping holds the device's bytes in pages; every open file of the
 * device points its f_mapping there. A page at index i holds device
 * bytes [i * 4096, (i + 1) * 4096): one bio of up to 8 sectors reads or
 * writes it (def_blk_aops); a page holding a mounted file system's
 * metadata has buffer heads (fs/buffer.c) and goes a block at a time.
 * Writes dirty pages; write-back, fsync, the last close and BLKFLSBUF
 * write them; fsync also sends the driver a
 * REQ_OP_FLUSH. A partition and its whole disk have separate caches, as
 * in Linux.
 *
 *	read(fd, buf, 1000) at offset 5000 of /dev/hda1
 *	  -> page 1 of hda1's mapping: cached, or read (with read-ahead)
 *	  -> bytes 904..1903 of it copied to buf
 *
 * O_DIRECT (Linux's block/fops.c, blkdev_direct_IO) skips the cache:
 * the user's pages are pinned (get_user_pages(), mm/gup.c) and the bios
 * are built on them, so the disk moves the data straight to or from the
 * buffer (by DMA on an ATA disk). The position and every segment's
 * base and length must be multiples of the queue's logical block size
 * (512), else EINVAL, as Linux. Every page is pinned before the first
 * bio goes; a page that cannot be (not mapped, or read-only for a read)
 * ends the request there, as in Linux: the bytes before it are done (a
 * short count) or, if it is the first, EFAULT with nothing done. Then
 * all the bios are submitted together. One struct blkdev_dio counts
 * them:
 *
 *	io_submit -> blkdev_aio_read -> pin, bios, submit_bio each
 *	          <- -EIOCBQUEUED          (the request is in flight)
 *	disk IRQ  -> blk_end_request -> bio_endio -> blkdev_dio_end_io:
 *	             unpin the bio's pages, bio_put; the last bio:
 *	             result, ki_complete() = aio_complete(): the event
 *
 * The result is the bytes asked for (cut at the device's end) or, if
 * any bio failed, the first error: Linux's block device direct I/O
 * reports no short count. The submitter holds one count of its own
 * while it submits, so a driver that completes inside ->queue_rq (brd)
 * cannot finish the request under it. A synchronous kiocb (read,
 * readv, pread) waits for the count to reach zero. Kernel segments
 * (IOCB_KVEC) take the buffered path. Before a direct read or write the
 * dirty cached pages of its range are written, so that the disk holds
 * the latest data; a direct write then drops the cached pages of its
 * range, which it makes stale (and once more after a synchronous one:
 * a buffered read racing with it could have cached the old data; an
 * asynchronous one completes in the disk's interrupt, where the cache
 * cannot be touched, which leaves that race open, as docs/block.md says).
 *
 * A partition deleted while a file has it open (BLKRRPART, the disk
 * removed) makes further I/O on the file fail with ENXIO.
 */
#include <kestrel/atomic.h>
#include <kestrel/blkdev.h>
#include <kestrel/buffer_head.h>
#include <kestrel/completion.h>
#include <kestrel/cred.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/gfp.h>
#include <kestrel/math64.h>
#include <kestrel/mman.h>
#include <kestrel/pagemap.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/uaccess.h>
#include <kestrel/uio.h>
#include <kestrel/writeback.h>

#include "internal.h"

/* Linux's <uapi/linux/fs.h> and <uapi/linux/hdreg.h> numbers (i386). */
#define BLKROSET 0x125d
#define BLKROGET 0x125e
#define BLKRRPART 0x125f
#define BLKGETSIZE 0x1260
#define BLKFLSBUF 0x1261
#define BLKSSZGET 0x1268
#define BLKGETSIZE64 0x80041272 /* _IOR(0x12, 114, size_t) */
#define BLKPBSZGET 0x127b
#define HDIO_GETGEO 0x0301

static struct block_device *file_bdev(struct file *file)
{
	return file->private_data;
}

/* Is the block device still registered (not deleted under us)? */
static bool bdev_alive(struct block_device *bdev)
{
	return device_is_registered(&bdev->bd_device) && bdev->bd_disk->added;
}

static loff_t bdev_bytes(struct block_device *bdev)
{
	return (loff_t)bdev->bd_nr_sectors << SECTOR_SHIFT;
}

/* ---- the block device's cache: its inode and page I/O ------------------- */

#define BDEVFS_MAGIC 0x62646576

static struct vfsmount *blockdev_mnt;
/* Serialises the first opens of a device, which make its bd_inode
 * (bdev_release_inode() runs when no file holds the device any more). */
static DEFINE_MUTEX(bdev_inode_mutex);
static const struct address_space_operations def_blk_aops;

/* The inode whose mapping caches @bdev, made on first use. */
static struct inode *bdev_get_inode(struct block_device *bdev)
{
	struct inode *inode;

	mutex_lock(&bdev_inode_mutex);
	inode = bdev->bd_inode;
	if (!inode) {
		inode = new_inode(blockdev_mnt->mnt_sb);
		if (inode) {
			inode->i_mode = S_IFBLK;
			inode->i_rdev = bdev->bd_dev;
			inode->i_blkbits = PAGE_SHIFT;
			inode->i_private = bdev;
			inode->i_mapping->a_ops = &def_blk_aops;
			bdev->bd_inode = inode;
		}
	}
	if (inode) /* the size may have changed (a new partition table) */
		i_size_write(inode, bdev_bytes(bdev));
	mutex_unlock(&bdev_inode_mutex);
	return inode;
}

struct address_space *bdev_mapping(struct block_device *bdev)
{
	struct inode *inode = bdev_get_inode(bdev);

	return inode ? inode->i_mapping : NULL;
}

void bdev_release_inode(struct block_device *bdev)
{
	struct inode *inode = bdev->bd_inode;

	if (!inode)
		return;
	bdev->bd_inode = NULL;
	/* The device is gone: its unwritten pages have nowhere to go. */
	inode->i_nlink = 0;
	truncate_inode_pages(inode->i_mapping, 0);
	iput(inode);
}

unsigned long nr_blockdev_pages(void)
{
	return blockdev_mnt ? sb_cached_pages(blockdev_mnt->mnt_sb) : 0;
}

static struct block_device *page_bdev(const struct page *page)
{
	return page->mapping->host->i_private;
}

/* ->bi_end_io of a page read: often the disk's interrupt handler. */
static void blkdev_read_end_io(struct bio *bio)
{
	struct page *page = bio->bi_private;

	if (bio->bi_status)
		SetPageError(page);
	else
		SetPageUptodate(page);
	unlock_page(page);
	bio_put(bio);
}

static void blkdev_write_end_io(struct bio *bio)
{
	struct page *page = bio->bi_private;

	if (bio->bi_status) {
		SetPageError(page);
		if (page->mapping)
			mapping_set_error(page->mapping,
					  blk_status_to_errno(bio->bi_status));
	}
	end_page_writeback(page);
	bio_put(bio);
}

/*
 * One bio for the device sectors of @page (8, or fewer at the device's
 * end; a read zeroes the rest). 0, or -ENXIO / -ENOMEM with nothing
 * submitted.
 */
static int blkdev_page_bio(struct page *page, unsigned int op,
			   bio_end_io_t *end_io)
{
	struct block_device *bdev = page_bdev(page);
	sector_t sector = (sector_t)page->index << (PAGE_SHIFT - SECTOR_SHIFT);
	sector_t nr = PAGE_SIZE >> SECTOR_SHIFT;
	struct bio *bio;

	if (!bdev_alive(bdev) || sector >= bdev->bd_nr_sectors)
		return -ENXIO;
	if (nr > bdev->bd_nr_sectors - sector)
		nr = bdev->bd_nr_sectors - sector;
	bio = bio_alloc(GFP_NOIO, 1);
	if (!bio)
		return -ENOMEM;
	if (op == REQ_OP_READ && nr < PAGE_SIZE >> SECTOR_SHIFT)
		memset((char *)page_address(page) + (nr << SECTOR_SHIFT), 0,
		       PAGE_SIZE - (nr << SECTOR_SHIFT));
	bio->bi_bdev = bdev;
	bio->bi_sector = sector;
	bio->bi_opf = op;
	bio->bi_end_io = end_io;
	bio->bi_private = page;
	bio_add_page(bio, page, nr << SECTOR_SHIFT, 0);
	submit_bio(bio);
	return 0;
}

/*
 * A page with buffers holds a file system's metadata blocks (sb_bread,
 * fs/buffer.c): it is read and written a block at a time, so that a
 * read does not overwrite a dirty block and a write-back sends only the
 * dirty blocks -- never a block the file system has freed (bforget) and
 * perhaps given to a file since. Each block maps to itself.
 */
static int blkdev_get_block(struct inode *inode, sector_t iblock,
			    struct buffer_head *bh, int create)
{
	if (iblock >= (sector_t)(i_size_read(inode) >> inode->i_blkbits))
		return create ? -EIO : 0; /* past the end: reads as zeroes */
	bh->b_bdev = inode->i_private;
	bh->b_blocknr = iblock;
	set_buffer_mapped(bh);
	return 0;
}

static int blkdev_readpage(struct file *file, struct page *page)
{
	int err;

	if (page_has_private(page))
		return block_read_full_page(page, blkdev_get_block);
	err = blkdev_page_bio(page, REQ_OP_READ, blkdev_read_end_io);
	(void)file;
	if (err) {
		SetPageError(page);
		unlock_page(page);
	}
	return err;
}

static int blkdev_writepage(struct page *page, struct writeback_control *wbc)
{
	int err;

	if (page_has_private(page))
		return block_write_full_page(page, blkdev_get_block, wbc);
	set_page_writeback(page);
	unlock_page(page);
	err = blkdev_page_bio(page, REQ_OP_WRITE, blkdev_write_end_io);
	if (err) {
		SetPageError(page);
		mapping_set_error(page->mapping, -EIO);
		end_page_writeback(page);
	}
	return err;
}

/* A write covering part of a page needs the rest of it from the disk. */
static int blkdev_write_begin(struct file *file, struct address_space *mapping,
			      loff_t pos, unsigned int len, struct page **pagep,
			      void **fsdata)
{
	pgoff_t index = pos >> PAGE_SHIFT;
	struct page *page;

	(void)fsdata;
	for (;;) {
		page = grab_cache_page_write_begin(mapping, index);
		if (!page)
			return -ENOMEM;
		if (PageUptodate(page) || len == PAGE_SIZE)
			break;
		ClearPageError(page);
		if (blkdev_readpage(file, page)) {
			put_page(page);
			return -EIO;
		}
		lock_page(page); /* the read's completion unlocks it */
		if (PageUptodate(page) && page->mapping == mapping)
			break;
		unlock_page(page);
		put_page(page);
		if (page->mapping == mapping)
			return -EIO; /* the read failed */
	}
	*pagep = page;
	return 0;
}

/* A short copy into a page never read leaves nothing worth keeping. */
static int blkdev_write_end(struct file *file, struct address_space *mapping,
			    loff_t pos, unsigned int len, unsigned int copied,
			    struct page *page, void *fsdata)
{
	(void)file;
	(void)mapping;
	(void)pos;
	(void)fsdata;
	if (!PageUptodate(page)) {
		if (copied < len)
			copied = 0;
		else
			SetPageUptodate(page);
	}
	if (copied)
		set_page_dirty(page);
	unlock_page(page);
	put_page(page);
	return copied;
}

static bool blkdev_releasepage(struct page *page, gfp_t gfp)
{
	return try_to_free_buffers(page);
}

static const struct address_space_operations def_blk_aops = {
	.readpage = blkdev_readpage,
	.writepage = blkdev_writepage,
	.write_begin = blkdev_write_begin,
	.write_end = blkdev_write_end,
	.set_page_dirty = __set_page_dirty_buffers,
	.invalidatepage = block_invalidatepage,
	.releasepage = blkdev_releasepage,
};

int sync_blockdev(struct block_device *bdev)
{
	return bdev->bd_inode ?
		       filemap_write_and_wait(bdev->bd_inode->i_mapping) :
		       0;
}

static struct dentry *bdev_mount(struct file_system_type *type, int flags,
				 const char *dev_name, void *data)
{
	(void)dev_name;
	(void)data;
	return mount_pseudo(type, flags, NULL, NULL, BDEVFS_MAGIC);
}

static struct file_system_type bdev_fs_type = {
	.name = "bdev",
	.mount = bdev_mount,
	.kill_sb = kill_anon_super,
};

void bdev_cache_init(void)
{
	register_filesystem(&bdev_fs_type);
	blockdev_mnt = kern_mount(&bdev_fs_type);
	if (IS_ERR(blockdev_mnt))
		panic("VFS: cannot mount bdev (%ld)", PTR_ERR(blockdev_mnt));
}

/* ---- open files --------------------------------------------------------- */

/* Open @bdev (referenced by the caller) for @mode: the driver's ->open,
 * the cache inode, bd_openers. On failure the reference is dropped. */
static int blkdev_get(struct block_device *bdev, fmode_t mode)
{
	const struct block_device_operations *fops = bdev->bd_disk->fops;
	int err = 0;

	if ((mode & FMODE_WRITE) && bdev_read_only(bdev))
		err = -EACCES;
	if (!err && fops && fops->open)
		err = fops->open(bdev, mode);
	if (err) {
		put_device(&bdev->bd_device);
		return err;
	}
	if (!bdev_get_inode(bdev)) {
		if (fops && fops->release)
			fops->release(bdev->bd_disk, mode);
		put_device(&bdev->bd_device);
		return -ENOMEM;
	}
	mutex_lock(&bdev->bd_disk->open_mutex);
	bdev->bd_openers++; /* BLKRRPART: EBUSY while a partition is open */
	mutex_unlock(&bdev->bd_disk->open_mutex);
	return 0;
}

void blkdev_put(struct block_device *bdev, fmode_t mode)
{
	const struct block_device_operations *fops = bdev->bd_disk->fops;
	bool last;

	mutex_lock(&bdev->bd_disk->open_mutex);
	last = !--bdev->bd_openers;
	mutex_unlock(&bdev->bd_disk->open_mutex);
	/* The last close writes what is cached, as Linux's blkdev_put(). */
	if (last && bdev_alive(bdev))
		sync_blockdev(bdev);
	if (fops && fops->release)
		fops->release(bdev->bd_disk, mode);
	put_device(&bdev->bd_device);
}

/* For mount: the device node at @path, resolved from the caller's root
 * and working directory. */
struct block_device *blkdev_get_by_path(const char *path, fmode_t mode)
{
	struct block_device *bdev;
	struct inode *inode;
	struct path p;
	dev_t dev;
	int err;

	if (!path || !*path)
		return ERR_PTR(-EINVAL);
	err = vfs_path_lookup(current->fs, NULL, path, LOOKUP_FOLLOW, &p);
	if (err)
		return ERR_PTR(err);
	inode = p.dentry->d_inode;
	err = 0;
	if (!S_ISBLK(inode->i_mode))
		err = -ENOTBLK;
	else if (p.mnt->mnt_flags & MNT_NODEV)
		err = -EACCES;
	dev = inode->i_rdev;
	path_put(&p);
	if (err)
		return ERR_PTR(err);
	bdev = blkdev_get_by_dev(dev);
	if (!bdev)
		return ERR_PTR(-ENXIO);
	err = blkdev_get(bdev, mode);
	return err ? ERR_PTR(err) : bdev;
}

static int blkdev_open(struct inode *inode, struct file *file)
{
	struct block_device *bdev = blkdev_get_by_dev(inode->i_rdev);
	int err;

	if (!bdev)
		return -ENXIO;
	err = blkdev_get(bdev, file->f_mode);
	if (err)
		return err;
	file->private_data = bdev;
	file->f_mapping = bdev->bd_inode->i_mapping;
	file_ra_state_init(&file->f_ra, file->f_mapping);
	return 0;
}

static int blkdev_release(struct inode *inode, struct file *file)
{
	blkdev_put(file_bdev(file), file->f_mode);
	return 0;
}

int bdev_flush(struct block_device *bdev)
{
	struct bio *bio;
	int err;

	if (!bdev_alive(bdev))
		return -ENXIO;
	bio = bio_alloc(GFP_KERNEL, 0);
	if (!bio)
		return -ENOMEM;
	bio->bi_bdev = bdev;
	bio->bi_opf = REQ_OP_FLUSH;
	err = submit_bio_wait(bio);
	bio_put(bio);
	return err;
}

/* A buffered read: the page cache's, while the device lives. */
static ssize_t blkdev_buffered_read(struct kiocb *iocb, const struct iovec *iov,
				    unsigned long nr_segs)
{
	if (iocb->ki_pos < 0)
		return -EINVAL;
	if (!bdev_alive(file_bdev(iocb->ki_filp)))
		return -ENXIO;
	return generic_file_aio_read(iocb, iov, nr_segs, iocb->ki_pos);
}

/* A buffered write into the cache, cut at the device's end (ENOSPC at
 * it); O_SYNC/O_DSYNC write it out before returning. */
static ssize_t blkdev_buffered_write(struct kiocb *iocb,
				     const struct iovec *iov,
				     unsigned long nr_segs)
{
	struct file *file = iocb->ki_filp;
	struct block_device *bdev = file_bdev(file);
	struct inode *inode = file->f_mapping->host;
	loff_t size = bdev_bytes(bdev), pos = iocb->ki_pos;
	struct iov_iter iter;
	ssize_t ret;

	kiocb_iter_init(&iter, iocb, iov, nr_segs);
	if (pos < 0)
		return -EINVAL;
	if (!iov_iter_count(&iter))
		return 0;
	if (pos >= size)
		return -ENOSPC;
	if (!bdev_alive(bdev))
		return -ENXIO;
	iov_iter_truncate(&iter, size - pos);
	inode_lock(inode);
	ret = generic_perform_write(file, &iter, pos);
	inode_unlock(inode);
	if (ret <= 0)
		return ret;
	iocb->ki_pos = pos + ret;
	if (file->f_flags & O_DSYNC) {
		int err = filemap_write_and_wait_range(file->f_mapping, pos,
						       pos + ret - 1);

		if (err)
			return err;
	}
	return ret;
}

/* ---- direct I/O --------------------------------------------------------- */

/**
 * struct blkdev_dio - one direct read or write in flight
 * @iocb: the request; completed by ki_complete unless synchronous
 * @done: a synchronous request's waiter sleeps on it
 * @ref: bios not yet ended, plus one while the submitter submits
 * @status: the first failure of a bio (BLK_STS_OK: none yet)
 * @size: the bytes of all the bios
 */
struct blkdev_dio {
	struct kiocb *iocb;
	struct completion done;
	atomic_t ref;
	blk_status_t status;
	size_t size;
};

/*
 * A direct write goes around the page cache: the cached pages of its
 * range are stale. Dropped before the bios go (after writing any dirty
 * ones) and, for a synchronous write, once more when they are done.
 */
static void dio_invalidate(struct address_space *mapping, loff_t pos,
			   size_t count)
{
	if (count)
		invalidate_inode_pages2_range(mapping, pos >> PAGE_SHIFT,
					      (pos + count - 1) >> PAGE_SHIFT);
}

/* Pages pinned per get_user_pages() call: a bounded stack array. */
#define DIO_PIN_BATCH 16

static ssize_t dio_result(const struct blkdev_dio *dio)
{
	return dio->status ? blk_status_to_errno(dio->status) :
			     (ssize_t)dio->size;
}

/* Drop a count; the last one ends the request. Any context. */
static void dio_put(struct blkdev_dio *dio)
{
	struct kiocb *iocb = dio->iocb;
	ssize_t ret;

	if (!atomic_dec_and_test(&dio->ref))
		return;
	if (is_sync_kiocb(iocb)) {
		complete(&dio->done); /* the waiter frees it */
		return;
	}
	ret = dio_result(dio);
	if (ret > 0)
		iocb->ki_pos += ret;
	kfree(dio);
	iocb->ki_complete(iocb, ret);
}

/* Unpin a bio's pages and free it (the pins are its own). */
static void dio_bio_release(struct bio *bio)
{
	unsigned int i;

	for (i = 0; i < bio->bi_vcnt; i++)
		put_user_pages(&bio->bi_io_vec[i].bv_page, 1);
	bio_put(bio);
}

/* ->bi_end_io: often the disk's interrupt handler. */
static void blkdev_dio_end_io(struct bio *bio)
{
	struct blkdev_dio *dio = bio->bi_private;

	/* The first error wins; a race between two only picks which. */
	if (bio->bi_status && !dio->status)
		dio->status = bio->bi_status;
	dio_bio_release(bio);
	dio_put(dio);
}

/* Linux's rule: position, lengths and bases are multiples of the
 * logical block size, over the @count bytes that will move. */
static bool dio_unaligned(struct block_device *bdev, loff_t pos,
			  const struct iovec *iov, size_t count)
{
	unsigned long mask = bdev->bd_disk->queue->logical_block_size - 1;

	if (pos & mask)
		return true;
	for (; count; iov++) {
		size_t len = iov->iov_len < count ? iov->iov_len : count;

		if ((len | (unsigned long)iov->iov_base) & mask)
			return true;
		count -= len;
	}
	return false;
}

/* The bios being built, linked by bi_next. Each takes up to
 * BIO_MAX_VECS pieces; submit_bio() splits them to the driver's limits. */
struct dio_build {
	struct block_device *bdev;
	enum req_op op;
	sector_t sector; /* where the next bio starts */
	unsigned long pieces; /* pieces of pages still to add, at most */
	size_t bytes; /* in the bios so far (and, for a file, holes) */
	struct bio *head, *tail;
	struct dio_map *map; /* a file's direct I/O: its block map */
	bool new_bio; /* the next piece is not contiguous on the disk */
};

/*
 * A file's direct I/O (blockdev_direct_IO, for ext2): the file's blocks,
 * which the file system's get_block maps, are runs of consecutive disk
 * blocks, and each run starts a bio of its own. A hole in a read is
 * zeros put straight into the user's page.
 */
struct dio_map {
	struct inode *inode;
	get_block_t *get_block;
	loff_t pos; /* the file byte the next piece holds */
	sector_t sector; /* its disk sector (not a hole) */
	size_t run; /* bytes left in the current run */
	bool hole;
};

/* Longest run looked up at once: 1 MiB. */
#define DIO_MAX_RUN (1U << 20)

/* The disk block of file block @iblock: 0 or -errno; *@mapped false
 * for a hole. */
static int dio_get_block(struct dio_map *map, sector_t iblock, sector_t *block,
			 bool *mapped)
{
	struct buffer_head bh;
	int err;

	memset(&bh, 0, sizeof(bh));
	err = map->get_block(map->inode, iblock, &bh, 0);
	*mapped = !err && buffer_mapped(&bh);
	*block = *mapped ? bh.b_blocknr : 0;
	return err;
}

/* Map the run that starts at map->pos. 0 or -errno. */
static int dio_map_run(struct dio_map *map)
{
	unsigned int bits = map->inode->i_blkbits;
	size_t bsize = 1U << bits, within = map->pos & (bsize - 1);
	sector_t iblock = map->pos >> bits, block, next;
	bool mapped, next_mapped;
	int err = dio_get_block(map, iblock, &block, &mapped);

	if (err)
		return err;
	map->hole = !mapped;
	map->sector =
		(block << (bits - SECTOR_SHIFT)) + (within >> SECTOR_SHIFT);
	map->run = bsize - within;
	while (map->run < DIO_MAX_RUN) {
		err = dio_get_block(map, ++iblock, &next, &next_mapped);
		if (err || next_mapped != mapped || (mapped && next != ++block))
			break;
		map->run += bsize;
	}
	return 0;
}

/* Add @len bytes at @off of the pinned @page; a new bio if the last is
 * full. Return: 0 or -ENOMEM (the pin is then the caller's). */
static int dio_add_piece(struct dio_build *b, struct page *page,
			 unsigned int len, unsigned int off)
{
	struct bio *bio = b->tail;

	if (!bio || bio->bi_vcnt >= bio->bi_max_vecs || b->new_bio) {
		b->new_bio = false;
		bio = bio_alloc(GFP_KERNEL, b->pieces < 1 ? 1 :
					    b->pieces < BIO_MAX_VECS ?
							    b->pieces :
							    BIO_MAX_VECS);
		if (!bio)
			return -ENOMEM;
		bio->bi_bdev = b->bdev;
		bio->bi_opf = b->op;
		bio->bi_sector = b->sector;
		if (b->tail)
			b->tail->bi_next = bio;
		else
			b->head = bio;
		b->tail = bio;
	}
	bio_add_page(bio, page, len, off);
	b->sector += len >> SECTOR_SHIFT;
	if (b->pieces)
		b->pieces--;
	b->bytes += len;
	return 0;
}

/*
 * Add @len bytes at @off of the pinned @page. For a file, the bytes may
 * lie on several runs (a bio each, every one holding its own page
 * reference) or in a hole (zeroed here; no bio). Return: 0 (the pin is
 * the bios' now, or dropped) or -errno (the pin is then the caller's).
 */
static int dio_add_page(struct dio_build *b, struct page *page,
			unsigned int len, unsigned int off)
{
	struct dio_map *map = b->map;
	bool pinned_used = false;
	int err = 0;

	if (!map)
		return dio_add_piece(b, page, len, off);
	while (len && !err) {
		unsigned int piece = len;

		if (!map->run) {
			err = dio_map_run(map);
			if (err)
				break;
			b->sector = map->sector;
			b->new_bio = true;
		}
		if (piece > map->run)
			piece = map->run;
		if (map->hole) {
			memset((char *)page_address(page) + off, 0, piece);
			b->bytes += piece;
		} else {
			if (pinned_used)
				get_page(page); /* each bio vec's own */
			err = dio_add_piece(b, page, piece, off);
			if (err) {
				if (pinned_used)
					put_page(page);
				break;
			}
			pinned_used = true;
		}
		map->pos += piece;
		map->run -= piece;
		off += piece;
		len -= piece;
	}
	if (err && pinned_used)
		get_page(page); /* the caller drops "its" pin */
	else if (!err && !pinned_used)
		put_user_pages(&page, 1); /* zeros only: no bio keeps it */
	return err;
}

/* Pin the pages of [@addr, @addr + @len) and add them to the bios;
 * -errno at the first page that fails (those before it stay). */
static int dio_add_segment(struct dio_build *b, unsigned long addr, size_t len)
{
	struct page *pages[DIO_PIN_BATCH];
	unsigned int n, i, off, piece;
	int got, err;

	while (len) {
		off = addr & ~PAGE_MASK;
		n = (off + len + PAGE_SIZE - 1) >> PAGE_SHIFT;
		if (n > DIO_PIN_BATCH)
			n = DIO_PIN_BATCH;
		/* a read from the disk writes into the pages */
		got = get_user_pages(addr, n, b->op == REQ_OP_READ, pages);
		if (got < 0)
			return got;
		for (i = 0; i < (unsigned int)got; i++, off = 0) {
			piece = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
			err = dio_add_page(b, pages[i], piece, off);
			if (err) {
				put_user_pages(pages + i, got - i);
				return err;
			}
			addr += piece;
			len -= piece;
		}
		if ((unsigned int)got < n)
			return -EFAULT;
	}
	return 0;
}

/* Free bios that were built but never submitted. */
static void dio_free_bios(struct bio *bio)
{
	struct bio *next;

	for (; bio; bio = next) {
		next = bio->bi_next;
		dio_bio_release(bio);
	}
}

/* The pages [@addr, @addr + @len) touches. */
static unsigned long dio_span(unsigned long addr, size_t len)
{
	return len ? ((addr + len - 1) >> PAGE_SHIFT) - (addr >> PAGE_SHIFT) +
			       1 :
		     0;
}

/*
 * Build the bios of @count bytes of @iov, every page pinned before any
 * bio goes. A page that cannot be pinned ends the request there, as in
 * Linux: what comes before it is done (a short count), and if that is
 * nothing, the error.
 */
static int dio_build_bios(struct dio_build *b, const struct iovec *iov,
			  size_t count)
{
	const struct iovec *seg;
	size_t left, len;
	int err;

	for (seg = iov, left = count; left; seg++) { /* bio sizes */
		len = seg->iov_len < left ? seg->iov_len : left;
		b->pieces += dio_span((unsigned long)seg->iov_base, len);
		left -= len;
	}
	for (; count; iov++) {
		len = iov->iov_len < count ? iov->iov_len : count;
		err = dio_add_segment(b, (unsigned long)iov->iov_base, len);
		if (err && b->bytes)
			return 0; /* short */
		if (err) {
			dio_free_bios(b->head);
			return err;
		}
		count -= len;
	}
	return 0;
}

/* Submit every bio of @head for @dio; @dio->ref counts them already.
 * Plugged, so that they merge (unless io_submit already plugs). */
static void dio_submit(struct blkdev_dio *dio, struct bio *head)
{
	struct bio *bio, *next;
	struct blk_plug plug;

	blk_start_plug(&plug);
	for (bio = head; bio; bio = next) {
		next = bio->bi_next; /* the bio may end inside submit_bio */
		bio->bi_next = NULL;
		bio->bi_private = dio;
		bio->bi_end_io = blkdev_dio_end_io;
		submit_bio(bio);
	}
	blk_finish_plug(&plug);
}

static unsigned int dio_count_bios(const struct bio *bio)
{
	unsigned int n = 0;

	for (; bio; bio = bio->bi_next)
		n++;
	return n;
}

/*
 * Direct I/O of @count bytes (within the device, a block multiple) at
 * ki_pos: the byte count or -errno once done (synchronous), or
 * -EIOCBQUEUED once the bios are on their way (ki_complete follows).
 */
static ssize_t dio_run(struct kiocb *iocb, struct dio_build *b,
		       const struct iovec *iov, size_t count, loff_t limit);

static ssize_t blkdev_direct_io(struct kiocb *iocb, const struct iovec *iov,
				size_t count, bool write)
{
	struct block_device *bdev = file_bdev(iocb->ki_filp);
	struct dio_build b = {
		.bdev = bdev,
		.op = write ? REQ_OP_WRITE : REQ_OP_READ,
		.sector = iocb->ki_pos >> SECTOR_SHIFT,
	};

	if (dio_unaligned(bdev, iocb->ki_pos, iov, count))
		return -EINVAL;
	if (!bdev_alive(bdev))
		return -ENXIO;
	return dio_run(iocb, &b, iov, count, LLONG_MAX);
}

/*
 * The common part: write and drop the cached pages of the range, build
 * and submit the bios, and wait for them (synchronous) or return
 * -EIOCBQUEUED. The result is cut at the byte @limit (a file's size).
 */
static ssize_t dio_run(struct kiocb *iocb, struct dio_build *b,
		       const struct iovec *iov, size_t count, loff_t limit)
{
	struct address_space *mapping = iocb->ki_filp->f_mapping;
	bool write = b->op == REQ_OP_WRITE;
	struct blkdev_dio *dio;
	ssize_t ret;
	int err;

	/* The disk must hold the latest bytes of the range first. */
	err = filemap_write_and_wait_range(mapping, iocb->ki_pos,
					   iocb->ki_pos + count - 1);
	if (err)
		return err;
	if (write)
		dio_invalidate(mapping, iocb->ki_pos, count);
	dio = kzalloc(sizeof(*dio), GFP_KERNEL);
	if (!dio)
		return -ENOMEM;
	err = dio_build_bios(b, iov, count);
	if (err) {
		kfree(dio);
		return err;
	}
	dio->iocb = iocb;
	dio->size = b->bytes;
	if ((loff_t)dio->size > limit - iocb->ki_pos)
		dio->size = limit - iocb->ki_pos;
	init_completion(&dio->done);
	atomic_set(&dio->ref, dio_count_bios(b->head) + 1);
	dio_submit(dio, b->head);
	if (!is_sync_kiocb(iocb)) {
		dio_put(dio); /* may be the last: ki_complete runs here */
		return -EIOCBQUEUED;
	}
	dio_put(dio);
	wait_for_completion(&dio->done);
	ret = dio_result(dio);
	if (write)
		dio_invalidate(mapping, iocb->ki_pos, b->bytes);
	if (ret > 0)
		iocb->ki_pos += ret;
	kfree(dio);
	return ret;
}

/* Is every block of [@pos, @pos + @count) of the file on the disk? */
static bool dio_all_mapped(struct dio_map *map, loff_t pos, size_t count)
{
	struct dio_map probe = *map;

	probe.pos = pos;
	while (count) {
		size_t n;

		if (dio_map_run(&probe) || probe.hole)
			return false;
		n = probe.run < count ? probe.run : count;
		probe.pos += n;
		count -= n;
	}
	return true;
}

ssize_t blockdev_direct_IO(struct kiocb *iocb, const struct iovec *iov,
			   unsigned long nr_segs, bool write,
			   get_block_t *get_block)
{
	struct inode *inode = iocb->ki_filp->f_mapping->host;
	struct block_device *bdev = inode->i_sb->s_bdev;
	loff_t isize = i_size_read(inode), pos = iocb->ki_pos;
	size_t count = iov_length(iov, nr_segs);
	struct dio_map map = { .inode = inode,
			       .get_block = get_block,
			       .pos = pos };
	struct dio_build b = {
		.bdev = bdev,
		.op = write ? REQ_OP_WRITE : REQ_OP_READ,
		.map = &map,
	};

	if (pos < 0)
		return -EINVAL;
	if (!count || (!write && pos >= isize))
		return 0;
	/* A read is cut at the sector that holds the file's last byte. */
	if (!write && (loff_t)count > isize - pos)
		count = (isize - pos + SECTOR_SIZE - 1) &
			~(loff_t)(SECTOR_SIZE - 1);
	if (dio_unaligned(bdev, pos, iov, count))
		return -EINVAL;
	if (write &&
	    (pos + (loff_t)count > isize || !dio_all_mapped(&map, pos, count)))
		return -ENOTBLK; /* needs blocks: the caller writes buffered */
	return dio_run(iocb, &b, iov, count, write ? LLONG_MAX : isize);
}

/*
 * The vectored methods (readv, preadv, read and io_submit all come
 * here). Buffered I/O finishes before returning, also for an
 * asynchronous kiocb; O_DIRECT may return -EIOCBQUEUED for one. The
 * checks are Linux's, in its order: the device's end first, then (for
 * O_DIRECT) the alignment.
 */
static ssize_t blkdev_aio_read(struct kiocb *iocb, const struct iovec *iov,
			       unsigned long nr_segs, loff_t pos)
{
	struct block_device *bdev = file_bdev(iocb->ki_filp);
	loff_t size = bdev_bytes(bdev);
	size_t count = iov_length(iov, nr_segs);

	if ((iocb->ki_flags & (IOCB_DIRECT | IOCB_KVEC)) != IOCB_DIRECT)
		return blkdev_buffered_read(iocb, iov, nr_segs);
	if (pos < 0)
		return -EINVAL;
	if (pos >= size || !count)
		return 0;
	if (count > size - pos)
		count = size - pos;
	return blkdev_direct_io(iocb, iov, count, false);
}

static ssize_t blkdev_aio_write(struct kiocb *iocb, const struct iovec *iov,
				unsigned long nr_segs, loff_t pos)
{
	struct block_device *bdev = file_bdev(iocb->ki_filp);
	loff_t size = bdev_bytes(bdev);
	size_t count = iov_length(iov, nr_segs);

	if (bdev_read_only(bdev))
		return -EPERM;
	if ((iocb->ki_flags & (IOCB_DIRECT | IOCB_KVEC)) != IOCB_DIRECT)
		return blkdev_buffered_write(iocb, iov, nr_segs);
	if (pos < 0)
		return -EINVAL;
	if (!count)
		return 0;
	if (pos >= size)
		return -ENOSPC;
	if (count > size - pos)
		count = size - pos;
	return blkdev_direct_io(iocb, iov, count, true);
}

/* SEEK_END is relative to the device's size (the node's i_size is 0). */
static loff_t blkdev_llseek(struct file *file, loff_t offset, int whence)
{
	loff_t base;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = file->f_pos;
		break;
	case SEEK_END:
		base = bdev_bytes(file_bdev(file));
		break;
	default:
		return -EINVAL;
	}
	if (offset > 0 ? base > MAX_LFS_FILESIZE - offset : base + offset < 0)
		return -EINVAL;
	file->f_pos = base + offset;
	return file->f_pos;
}

static int blkdev_fsync(struct file *file, loff_t start, loff_t end,
			int datasync)
{
	int err = filemap_write_and_wait_range(file->f_mapping, start, end);
	int err2 = bdev_flush(file_bdev(file));

	(void)datasync;
	return err ?: err2;
}

/* HDIO_GETGEO: the driver's geometry, else Linux's usual fake one. */
static int blkdev_getgeo(struct block_device *bdev, void __user *arg)
{
	const struct block_device_operations *fops = bdev->bd_disk->fops;
	struct hd_geometry geo = { .heads = 255, .sectors = 63 };
	sector_t cyl = div_u64(get_capacity(bdev->bd_disk), 255 * 63);
	int err;

	geo.cylinders = cyl > 0xffff ? 0xffff : cyl;
	if (fops && fops->getgeo) {
		err = fops->getgeo(bdev, &geo);
		if (err)
			return err;
	}
	geo.start = bdev->bd_start_sect;
	return copy_to_user(arg, &geo, sizeof(geo)) ? -EFAULT : 0;
}

static long blkdev_admin_ioctl(struct block_device *bdev, unsigned int cmd,
			       unsigned long arg)
{
	int ro, err;

	if (!capable(CAP_SYS_ADMIN))
		return -EACCES;
	switch (cmd) {
	case BLKROSET:
		if (get_user(ro, (int __user *)arg))
			return -EFAULT;
		bdev->bd_read_only = ro != 0;
		return 0;
	case BLKFLSBUF: /* write and drop the cached pages, flush the
			 * drive's cache */
		err = sync_blockdev(bdev);
		if (bdev->bd_inode)
			invalidate_mapping_pages(bdev->bd_inode->i_mapping, 0,
						 ~0UL);
		return err ?: bdev_flush(bdev);
	default: /* BLKRRPART */
		if (bdev->bd_partno)
			return -EINVAL;
		return bdev_rescan_partitions(bdev->bd_disk);
	}
}

static long blkdev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct block_device *bdev = file_bdev(file);
	struct request_queue *q = bdev->bd_disk->queue;
	const struct block_device_operations *fops = bdev->bd_disk->fops;
	u64 bytes = bdev_bytes(bdev);

	switch (cmd) {
	case BLKROSET:
	case BLKFLSBUF:
	case BLKRRPART:
		return blkdev_admin_ioctl(bdev, cmd, arg);
	case BLKROGET:
		return put_user((int)bdev_read_only(bdev), (int __user *)arg);
	case BLKGETSIZE:
		if (bdev->bd_nr_sectors > (unsigned long)-1)
			return -EFBIG;
		return put_user((unsigned long)bdev->bd_nr_sectors,
				(unsigned long __user *)arg);
	case BLKGETSIZE64:
		return copy_to_user((void __user *)arg, &bytes, sizeof(bytes)) ?
			       -EFAULT :
			       0;
	case BLKSSZGET:
	case BLKPBSZGET:
		return put_user((int)q->logical_block_size, (int __user *)arg);
	case HDIO_GETGEO:
		return blkdev_getgeo(bdev, (void __user *)arg);
	}
	if (fops && fops->ioctl)
		return fops->ioctl(bdev, file->f_mode, cmd, arg);
	return -ENOTTY;
}

const struct file_operations def_blk_fops = {
	.open = blkdev_open,
	.release = blkdev_release,
	.aio_read = blkdev_aio_read,
	.aio_write = blkdev_aio_write,
	.llseek = blkdev_llseek,
	.fsync = blkdev_fsync,
	.ioctl = blkdev_ioctl,
	.mmap = generic_file_mmap,
};
