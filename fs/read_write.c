/*
 * read, write, readv, writev, pread, pwrite, preadv, pwritev, lseek: the
 * VFS half of the I/O calls, and the kernel's own reads and writes.
 *
 * The vectored AIO file_operations (seed 001; docs/vfs.md):
 *
 *   ->aio_read(kiocb, iov, nr_segs, pos) and ->aio_write(...) take all
 *   the segments of one request at once. Every read-side call funnels
 *   into one of two shapes:
 *
 *	read(buf, n)          ->read            if the file has it,
 *	                      else ->aio_read   with the one segment {buf, n}
 *	readv(iov, nr)        ->aio_read        once, with all nr segments,
 *	                      else ->read       once per segment (a loop)
 *	kernel_read(buf, n)   ->aio_read        with a kvec segment
 *
 *   and the same for writes. So a driver that implements only aio_read
 *   serves read(), readv() and pread() alike, and a driver that
 *   implements only read still serves readv() (more slowly). The methods
 *   may complete asynchronously for the AIO layer; the calls here use a
 *   synchronous kiocb (ki_complete == NULL), for which a method must
 *   finish before it returns.
 *
 * Validation is Linux's: EBADF when the file is not open for the
 * direction, EINVAL when it has no method for it, EFAULT for a buffer
 * outside user space, EINVAL for a negative position, for more than
 * UIO_MAXIOV segments, for a segment or a total that does not fit in
 * ssize_t (iovec_total(), <kestrel/uio.h>, which import_iovec() applies
 * to the user's arrays before they get here); the total is clamped to
 * MAX_RW_COUNT.
 * pread/pwrite on a stream (pipe, FIFO) is ESPIPE.
 *
 * Where a write to a regular file may go is the filesystem's to ask,
 * under its lock, through generic_write_checks(): RLIMIT_FSIZE (SIGXFSZ
 * and EFBIG at or past it, a short write across it) and s_maxbytes.
 */
#include <asm/page.h>
#include <kestrel/bug.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/mutex.h>
#include <kestrel/poll.h>
#include <kestrel/uaccess.h>
#include <uapi/ioctls.h>
#include <uapi/resource.h>

#include "internal.h"

static fmode_t rw_fmode(enum rw_dir dir)
{
	return dir == READ ? FMODE_READ : FMODE_WRITE;
}

/* May @file do I/O in direction @dir at all? */
static int rw_check_file(struct file *file, enum rw_dir dir)
{
	const struct file_operations *fop = file->f_op;

	if (!(file->f_mode & rw_fmode(dir)))
		return -EBADF;
	if (dir == READ ? !fop->read && !fop->aio_read :
			  !fop->write && !fop->aio_write)
		return -EINVAL;
	return 0;
}

/*
 * Does the buffer of read() or write() lie in user space? Checked before
 * the file sees it, as Linux does (and as import_iovec() does for every
 * segment of readv and writev): a buffer that runs into the kernel is
 * EFAULT before any byte moves. A buffer in user space can still fault
 * part-way; the copy then stops short (fs/iov_iter.c).
 */
static int rw_check_user_buf(const void __user *buf, size_t count)
{
	return access_ok(buf, count) ? 0 : -EFAULT;
}

/* Is I/O of @count bytes at @pos possible? Clamps *@count. */
static int rw_verify_area(struct file *file, loff_t pos, size_t *count)
{
	if (*count > (size_t)MAX_RW_COUNT)
		*count = MAX_RW_COUNT;
	if (!(file->f_mode & FMODE_LSEEK))
		return 0; /* streams ignore the position */
	if (pos < 0 || pos > MAX_LFS_FILESIZE - (loff_t)*count)
		return -EINVAL;
	return 0;
}

/* The checks of read() and write() on one buffer, in Linux's order:
 * EBADF, EINVAL, EFAULT, then the position. Clamps *@count. */
static int rw_check_single(struct file *file, enum rw_dir dir,
			   const void __user *buf, size_t *count, loff_t pos)
{
	int ret = rw_check_file(file, dir);

	if (!ret)
		ret = rw_check_user_buf(buf, *count);
	if (!ret)
		ret = rw_verify_area(file, pos, count);
	return ret;
}

/* ---- the two shapes ----------------------------------------------------- */

/*
 * Hand the segments to ->aio_read/->aio_write with @kiocb, whose
 * ki_filp and ki_pos are set; O_NONBLOCK, O_APPEND and O_DIRECT become
 * its flags (read at each call: F_SETFL may change them).
 */
static ssize_t call_aio_method(struct kiocb *kiocb, enum rw_dir dir,
			       const struct iovec *iov, unsigned long nr_segs)
{
	struct file *file = kiocb->ki_filp;

	if (file->f_flags & O_NONBLOCK)
		kiocb->ki_flags |= IOCB_NOWAIT;
	if (dir == WRITE && (file->f_flags & O_APPEND))
		kiocb->ki_flags |= IOCB_APPEND;
	if (file->f_flags & O_DIRECT)
		kiocb->ki_flags |= IOCB_DIRECT;
	if (dir == READ)
		return file->f_op->aio_read(kiocb, iov, nr_segs, kiocb->ki_pos);
	return file->f_op->aio_write(kiocb, iov, nr_segs, kiocb->ki_pos);
}

/*
 * One call to ->aio_read/->aio_write with all segments, through a
 * synchronous kiocb. *@pos advances by what was moved.
 */
static ssize_t do_sync_aio(struct file *file, enum rw_dir dir,
			   const struct iovec *iov, unsigned long nr_segs,
			   unsigned int kflags, loff_t *pos)
{
	struct kiocb kiocb = {
		.ki_filp = file,
		.ki_pos = *pos,
		.ki_flags = kflags,
	};
	ssize_t ret = call_aio_method(&kiocb, dir, iov, nr_segs);

	if (WARN_ON(ret == -EIOCBQUEUED))
		ret = -EIO; /* a synchronous kiocb must complete */
	if (ret > 0 || (dir == WRITE && ret == 0))
		*pos = kiocb.ki_pos;
	return ret;
}

/* readv/writev on a file without aio methods: ->read/->write per segment. */
static ssize_t do_loop_rw(struct file *file, enum rw_dir dir,
			  const struct iovec *iov, unsigned long nr_segs,
			  loff_t *pos)
{
	ssize_t ret = 0;
	unsigned long seg;

	for (seg = 0; seg < nr_segs; seg++) {
		char __user *base = iov[seg].iov_base;
		size_t len = iov[seg].iov_len;
		ssize_t n;

		if (dir == READ)
			n = file->f_op->read(file, base, len, pos);
		else
			n = file->f_op->write(file, base, len, pos);
		if (n < 0) {
			if (!ret)
				ret = n;
			break;
		}
		ret += n;
		if ((size_t)n != len)
			break;
	}
	return ret;
}

static bool has_aio_method(struct file *file, enum rw_dir dir)
{
	return dir == READ ? file->f_op->aio_read != NULL :
			     file->f_op->aio_write != NULL;
}

/* The checks of a vectored call at @pos, in Linux's order: EBADF,
 * EINVAL (no method, bad segments, bad position). *@total: the bytes. */
static int rw_check_vec(struct file *file, enum rw_dir dir,
			const struct iovec *iov, unsigned long nr_segs,
			loff_t pos, size_t *total)
{
	ssize_t ret = rw_check_file(file, dir);

	if (ret)
		return ret;
	ret = iovec_total(iov, nr_segs);
	if (ret < 0)
		return ret;
	*total = (size_t)ret;
	return rw_verify_area(file, pos, total);
}

/*
 * The common path of every vectored call. @kflags has IOCB_KVEC when
 * the segments are kernel memory (struct kvec).
 */
static ssize_t do_iter_rw(struct file *file, enum rw_dir dir,
			  const struct iovec *iov, unsigned long nr_segs,
			  unsigned int kflags, loff_t *pos)
{
	size_t total;
	ssize_t ret = rw_check_vec(file, dir, iov, nr_segs, *pos, &total);

	if (ret)
		return ret;
	if (!total)
		return 0;
	if (has_aio_method(file, dir))
		return do_sync_aio(file, dir, iov, nr_segs, kflags, pos);
	if (kflags & IOCB_KVEC)
		return -EINVAL; /* ->read/->write take user buffers only */
	return do_loop_rw(file, dir, iov, nr_segs, pos);
}

/* ---- the AIO layer's requests -------------------------------------------- */

int vfs_iocb_check(struct kiocb *kiocb, enum rw_dir dir,
		   const struct iovec *iov, unsigned long nr_segs)
{
	size_t total;

	return rw_check_vec(kiocb->ki_filp, dir, iov, nr_segs, kiocb->ki_pos,
			    &total);
}

ssize_t vfs_iocb_rw(struct kiocb *kiocb, enum rw_dir dir,
		    const struct iovec *iov, unsigned long nr_segs)
{
	struct file *file = kiocb->ki_filp;
	ssize_t ret;

	if (!iov_length(iov, nr_segs))
		return 0;
	if (has_aio_method(file, dir))
		ret = call_aio_method(kiocb, dir, iov, nr_segs);
	else
		ret = do_loop_rw(file, dir, iov, nr_segs, &kiocb->ki_pos);
	if (dir == READ && ret > 0)
		file_accessed(file);
	return ret;
}

/* ---- read and write ----------------------------------------------------- */

ssize_t vfs_read(struct file *file, char __user *buf, size_t count, loff_t *pos)
{
	struct iovec iov = { .iov_base = buf, .iov_len = count };
	ssize_t ret;

	ret = rw_check_single(file, READ, buf, &count, *pos);
	if (ret)
		return ret;
	iov.iov_len = count;
	if (file->f_op->read)
		ret = file->f_op->read(file, buf, count, pos);
	else
		ret = do_sync_aio(file, READ, &iov, 1, 0, pos);
	if (ret > 0)
		file_accessed(file);
	return ret;
}

ssize_t vfs_write(struct file *file, const char __user *buf, size_t count,
		  loff_t *pos)
{
	struct iovec iov = { .iov_base = (void __user *)buf, .iov_len = count };
	ssize_t ret;

	ret = rw_check_single(file, WRITE, buf, &count, *pos);
	if (ret)
		return ret;
	iov.iov_len = count;
	if (file->f_op->write)
		return file->f_op->write(file, buf, count, pos);
	return do_sync_aio(file, WRITE, &iov, 1, 0, pos);
}

ssize_t vfs_readv(struct file *file, const struct iovec *iov,
		  unsigned long nr_segs, loff_t *pos)
{
	ssize_t ret = do_iter_rw(file, READ, iov, nr_segs, 0, pos);

	if (ret > 0)
		file_accessed(file);
	return ret;
}

ssize_t vfs_writev(struct file *file, const struct iovec *iov,
		   unsigned long nr_segs, loff_t *pos)
{
	return do_iter_rw(file, WRITE, iov, nr_segs, 0, pos);
}

ssize_t vfs_preadv(struct file *file, const struct iovec *iov,
		   unsigned long nr_segs, loff_t pos)
{
	if (!(file->f_mode & FMODE_PREAD))
		return (file->f_mode & FMODE_READ) ? -ESPIPE : -EBADF;
	if (pos < 0)
		return -EINVAL;
	return vfs_readv(file, iov, nr_segs, &pos);
}

ssize_t vfs_pwritev(struct file *file, const struct iovec *iov,
		    unsigned long nr_segs, loff_t pos)
{
	if (!(file->f_mode & FMODE_PWRITE))
		return (file->f_mode & FMODE_WRITE) ? -ESPIPE : -EBADF;
	if (pos < 0)
		return -EINVAL;
	return vfs_writev(file, iov, nr_segs, &pos);
}

ssize_t kernel_readv(struct file *file, const struct kvec *vec,
		     unsigned long nr_segs, loff_t *pos)
{
	return do_iter_rw(file, READ, (const struct iovec *)vec, nr_segs,
			  IOCB_KVEC, pos);
}

ssize_t kernel_writev(struct file *file, const struct kvec *vec,
		      unsigned long nr_segs, loff_t *pos)
{
	return do_iter_rw(file, WRITE, (const struct iovec *)vec, nr_segs,
			  IOCB_KVEC, pos);
}

ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t *pos)
{
	struct kvec vec = { .iov_base = buf, .iov_len = count };

	return kernel_readv(file, &vec, 1, pos);
}

ssize_t kernel_write(struct file *file, const void *buf, size_t count,
		     loff_t *pos)
{
	struct kvec vec = { .iov_base = (void *)buf, .iov_len = count };

	return kernel_writev(file, &vec, 1, pos);
}

ssize_t generic_write_checks(struct kiocb *iocb, struct iov_iter *from)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	unsigned long limit = fsize_limit();
	loff_t max = inode->i_sb->s_maxbytes;

	WARN_ON(!mutex_is_locked(&inode->i_mutex)); /* the size must hold */
	if (!iov_iter_count(from))
		return 0;
	if (iocb->ki_flags & IOCB_APPEND)
		iocb->ki_pos = i_size_read(inode);
	if (iocb->ki_pos < 0)
		return -EINVAL;
	if (limit != RLIM_INFINITY) {
		if (iocb->ki_pos >= (loff_t)limit)
			return fsize_exceeded();
		iov_iter_truncate(from, limit - iocb->ki_pos);
	}
	if (iocb->ki_pos >= max)
		return -EFBIG;
	iov_iter_truncate(from, max - iocb->ki_pos);
	return iov_iter_count(from);
}

/*
 * relatime: update atime only when it is older than mtime or ctime, or
 * more than a day old, so reads rarely dirty the inode.
 */
void file_accessed(struct file *file)
{
	struct inode *inode = file_inode(file);
	struct timespec64 now;

	if ((file->f_flags & O_NOATIME) || (inode->i_flags & S_NOATIME))
		return;
	if (inode->i_atime.tv_sec > inode->i_mtime.tv_sec &&
	    inode->i_atime.tv_sec > inode->i_ctime.tv_sec) {
		now = current_time(inode);
		if (now.tv_sec - inode->i_atime.tv_sec < 24 * 60 * 60)
			return;
	}
	inode->i_atime = current_time(inode);
}

/* ---- lseek -------------------------------------------------------------- */

loff_t default_llseek(struct file *file, loff_t offset, int whence)
{
	loff_t size = i_size_read(file_inode(file));

	switch (whence) {
	case SEEK_SET:
		break;
	case SEEK_CUR:
		offset += file->f_pos;
		break;
	case SEEK_END:
		offset += size;
		break;
	case SEEK_DATA: /* no holes are reported: all is data up to size */
		if (offset < 0 || offset >= size)
			return -ENXIO;
		break;
	case SEEK_HOLE:
		if (offset < 0 || offset >= size)
			return -ENXIO;
		offset = size;
		break;
	default:
		return -EINVAL;
	}
	if (offset < 0 || offset > file_inode(file)->i_sb->s_maxbytes)
		return -EINVAL;
	file->f_pos = offset;
	return offset;
}

loff_t no_llseek(struct file *file, loff_t offset, int whence)
{
	return -ESPIPE;
}

loff_t vfs_llseek(struct file *file, loff_t offset, int whence)
{
	if (file->f_mode & FMODE_PATH)
		return -EBADF;
	if (!(file->f_mode & FMODE_LSEEK))
		return -ESPIPE;
	if (file->f_op->llseek)
		return file->f_op->llseek(file, offset, whence);
	return default_llseek(file, offset, whence);
}

/* ---- ioctl, fsync, poll ------------------------------------------------- */

long vfs_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct inode *inode = file_inode(file);

	if (file->f_mode & FMODE_PATH)
		return -EBADF;
	if (cmd == FIONREAD && S_ISREG(inode->i_mode)) {
		loff_t left = i_size_read(inode) - file->f_pos;
		int n = left < 0 ? 0 : left > 0x7fffffff ? 0x7fffffff : left;

		if (copy_to_user((int __user *)arg, &n, sizeof(n)))
			return -EFAULT;
		return 0;
	}
	if (!file->f_op->ioctl)
		return -ENOTTY;
	return file->f_op->ioctl(file, cmd, arg);
}

int vfs_fsync_range(struct file *file, loff_t start, loff_t end, int datasync)
{
	if (file->f_mode & FMODE_PATH)
		return -EBADF;
	if (!file->f_op->fsync)
		return -EINVAL;
	return file->f_op->fsync(file, start, end, datasync);
}

int vfs_fsync(struct file *file, int datasync)
{
	return vfs_fsync_range(file, 0, MAX_LFS_FILESIZE, datasync);
}

#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

unsigned int vfs_poll(struct file *file, struct poll_table_struct *pt)
{
	if (file->f_mode & FMODE_PATH)
		return POLLNVAL;
	if (!file->f_op->poll)
		return DEFAULT_POLLMASK;
	return file->f_op->poll(file, pt);
}
