/*
 * Block device files (Linux's fs/block_dev.c and block/ioctl.c): what
 * open("/dev/hda1") gives. The node's inode has i_fop = def_blk_fops;
 * its open finds the block_device of the node's number (the disk's or a
 * partition's) and keeps a reference to it in file->private_data.
 *
 * Reads and writes (the vectored ->aio_read/->aio_write, which serve
 * read, readv, pread and io_submit) go through the buffer cache
 * (block/bcache.c): 4 KiB blocks of the disk kept in memory, written
 * through to the disk before the call returns. fsync sends the driver a
 * REQ_OP_FLUSH. Moving this onto the page cache is the next issue's.
 *
 *	read(fd, buf, 1000) at offset 100 of /dev/hda1 (start 63)
 *	  -> disk bytes 32356..33355: blocks 7 and 8 of hda
 *	  -> each from the cache, or read into it first; copied to buf
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
 * (IOCB_KVEC) take the buffered path. A direct write makes what the
 * buffer cache holds of its sectors stale (bcache_invalidate(), before
 * and after); the cache is write-through, so a direct read has nothing
 * to write back first.
 *
 * A partition deleted while a file has it open (BLKRRPART, the disk
 * removed) makes further I/O on the file fail with ENXIO.
 */
#include <kestrel/atomic.h>
#include <kestrel/bcache.h>
#include <kestrel/blkdev.h>
#include <kestrel/completion.h>
#include <kestrel/cred.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/gfp.h>
#include <kestrel/math64.h>
#include <kestrel/mman.h>
#include <kestrel/slab.h>
#include <kestrel/uaccess.h>
#include <kestrel/uio.h>

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

static int blkdev_open(struct inode *inode, struct file *file)
{
	struct block_device *bdev = blkdev_get_by_dev(inode->i_rdev);
	const struct block_device_operations *fops;
	int err = 0;

	if (!bdev)
		return -ENXIO;
	if ((file->f_mode & FMODE_WRITE) && bdev_read_only(bdev))
		err = -EACCES;
	fops = bdev->bd_disk->fops;
	if (!err && fops && fops->open)
		err = fops->open(bdev, file->f_mode);
	if (err) {
		put_device(&bdev->bd_device);
		return err;
	}
	mutex_lock(&bdev->bd_disk->open_mutex);
	bdev->bd_openers++; /* BLKRRPART: EBUSY while a partition is open */
	mutex_unlock(&bdev->bd_disk->open_mutex);
	file->private_data = bdev;
	return 0;
}

static int blkdev_release(struct inode *inode, struct file *file)
{
	struct block_device *bdev = file_bdev(file);
	const struct block_device_operations *fops = bdev->bd_disk->fops;

	if (fops && fops->release)
		fops->release(bdev->bd_disk, file->f_mode);
	mutex_lock(&bdev->bd_disk->open_mutex);
	bdev->bd_openers--;
	mutex_unlock(&bdev->bd_disk->open_mutex);
	put_device(&bdev->bd_device);
	return 0;
}

/* A REQ_OP_FLUSH: the drive writes its cache out. */
static int bdev_flush(struct block_device *bdev)
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

/* Read or write @iocb's segments through the buffer cache. */
static ssize_t blkdev_rw(struct kiocb *iocb, const struct iovec *iov,
			 unsigned long nr_segs, bool write)
{
	struct block_device *bdev = file_bdev(iocb->ki_filp);
	loff_t size = bdev_bytes(bdev), pos = iocb->ki_pos;
	struct iov_iter iter;
	size_t done;
	int err;

	kiocb_iter_init(&iter, iocb, iov, nr_segs);
	if (pos < 0)
		return -EINVAL;
	if (pos >= size)
		return write && iov_iter_count(&iter) ? -ENOSPC : 0;
	if (!bdev_alive(bdev))
		return -ENXIO;
	iov_iter_truncate(&iter, size - pos);
	done = bcache_rw(bdev, pos, iov_iter_count(&iter), &iter, write, &err);
	iocb->ki_pos = pos + done;
	return done ? (ssize_t)done : err;
}

/* ---- direct I/O --------------------------------------------------------- */

/**
 * struct blkdev_dio - one direct read or write in flight
 * @iocb: the request; completed by ki_complete unless synchronous
 * @done: a synchronous request's waiter sleeps on it
 * @ref: bios not yet ended, plus one while the submitter submits
 * @status: the first failure of a bio (BLK_STS_OK: none yet)
 * @size: the bytes of all the bios
 * @disk, @sector: a write's disk and first sector (disk-relative), for
 *     the buffer cache; @disk is NULL for a read
 */
struct blkdev_dio {
	struct kiocb *iocb;
	struct completion done;
	atomic_t ref;
	blk_status_t status;
	size_t size;
	struct gendisk *disk;
	sector_t sector;
};

/*
 * A direct write goes around the buffer cache: what it holds of those
 * sectors is stale. Once before the bios go and once when they are
 * done, so that a buffered read that raced with the write cannot leave
 * the old data cached (Linux invalidates the page cache both times too).
 */
static void dio_invalidate(const struct blkdev_dio *dio)
{
	if (dio->disk)
		bcache_invalidate(dio->disk, dio->sector,
				  dio->size >> SECTOR_SHIFT);
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
	dio_invalidate(dio);
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
	size_t bytes; /* in the bios so far */
	struct bio *head, *tail;
};

/* Add @len bytes at @off of the pinned @page; a new bio if the last is
 * full. Return: 0 or -ENOMEM (the pin is then the caller's). */
static int dio_add_page(struct dio_build *b, struct page *page,
			unsigned int len, unsigned int off)
{
	struct bio *bio = b->tail;

	if (!bio || bio->bi_vcnt >= bio->bi_max_vecs) {
		bio = bio_alloc(GFP_KERNEL, b->pieces < BIO_MAX_VECS ?
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
	b->pieces--;
	b->bytes += len;
	return 0;
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
static ssize_t blkdev_direct_io(struct kiocb *iocb, const struct iovec *iov,
				size_t count, bool write)
{
	struct block_device *bdev = file_bdev(iocb->ki_filp);
	struct dio_build b = {
		.bdev = bdev,
		.op = write ? REQ_OP_WRITE : REQ_OP_READ,
		.sector = iocb->ki_pos >> SECTOR_SHIFT,
	};
	struct blkdev_dio *dio;
	ssize_t ret;
	int err;

	if (dio_unaligned(bdev, iocb->ki_pos, iov, count))
		return -EINVAL;
	if (!bdev_alive(bdev))
		return -ENXIO;
	dio = kzalloc(sizeof(*dio), GFP_KERNEL);
	if (!dio)
		return -ENOMEM;
	err = dio_build_bios(&b, iov, count);
	if (err) {
		kfree(dio);
		return err;
	}
	dio->iocb = iocb;
	dio->size = b.bytes;
	if (write) {
		dio->disk = bdev->bd_disk;
		dio->sector =
			bdev->bd_start_sect + (iocb->ki_pos >> SECTOR_SHIFT);
		dio_invalidate(dio);
	}
	init_completion(&dio->done);
	atomic_set(&dio->ref, dio_count_bios(b.head) + 1);
	dio_submit(dio, b.head);
	if (!is_sync_kiocb(iocb)) {
		dio_put(dio); /* may be the last: ki_complete runs here */
		return -EIOCBQUEUED;
	}
	dio_put(dio);
	wait_for_completion(&dio->done);
	ret = dio_result(dio);
	if (ret > 0)
		iocb->ki_pos += ret;
	kfree(dio);
	return ret;
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
		return blkdev_rw(iocb, iov, nr_segs, false);
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
		return blkdev_rw(iocb, iov, nr_segs, true);
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
	return bdev_flush(file_bdev(file));
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
	int ro;

	if (!capable(CAP_SYS_ADMIN))
		return -EACCES;
	switch (cmd) {
	case BLKROSET:
		if (get_user(ro, (int __user *)arg))
			return -EFAULT;
		bdev->bd_read_only = ro != 0;
		return 0;
	case BLKFLSBUF: /* drop the disk's cached blocks (all clean:
			 * the cache writes through), flush the drive's */
		bcache_purge(bdev->bd_disk);
		return bdev_flush(bdev);
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
};
