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
 * A partition deleted while a file has it open (BLKRRPART, the disk
 * removed) makes further I/O on the file fail with ENXIO.
 */
#include <kestrel/bcache.h>
#include <kestrel/blkdev.h>
#include <kestrel/cred.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/gfp.h>
#include <kestrel/math64.h>
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
	file->private_data = bdev;
	return 0;
}

static int blkdev_release(struct inode *inode, struct file *file)
{
	struct block_device *bdev = file_bdev(file);
	const struct block_device_operations *fops = bdev->bd_disk->fops;

	if (fops && fops->release)
		fops->release(bdev->bd_disk, file->f_mode);
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

/*
 * The vectored methods (readv, preadv, read and io_submit all come
 * here). They finish before returning, also for an asynchronous kiocb.
 */
static ssize_t blkdev_aio_read(struct kiocb *iocb, const struct iovec *iov,
			       unsigned long nr_segs, loff_t pos)
{
	return blkdev_rw(iocb, iov, nr_segs, false);
}

static ssize_t blkdev_aio_write(struct kiocb *iocb, const struct iovec *iov,
				unsigned long nr_segs, loff_t pos)
{
	if (bdev_read_only(file_bdev(iocb->ki_filp)))
		return -EPERM;
	return blkdev_rw(iocb, iov, nr_segs, true);
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
