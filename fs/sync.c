/*
 * The sync system calls (Linux's fs/sync.c): sync, syncfs, fsync,
 * fdatasync and sync_file_range, over the write-back of
 * fs/fs-writeback.c and mm/page-writeback.c.
 *
 *	sync()             every file system: sync_all_filesystems()
 *	syncfs(fd)         the file system of fd: sync_filesystem()
 *	fsync(fd)          the file's ->fsync (data, then its inode)
 *	fdatasync(fd)      the same, skipping metadata reading does not need
 *	sync_file_range()  start and/or wait for the write of a byte range;
 *	                   no metadata, no device flush: Linux's own caveat
 *
 * fsync of a file that has no ->fsync (a pipe, a socket, a character
 * device without one) is EINVAL, as Linux (vfs_fsync_range(),
 * fs/read_write.c).
 */
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs.h>
#include <kestrel/pagemap.h>
#include <kestrel/syscalls.h>
#include <kestrel/writeback.h>

#include "internal.h"
#include "syscalls.h"

/* sync_file_range()'s flags (Linux's <uapi/linux/fs.h>). */
#define SYNC_FILE_RANGE_WAIT_BEFORE 1
#define SYNC_FILE_RANGE_WRITE 2
#define SYNC_FILE_RANGE_WAIT_AFTER 4
#define SYNC_FILE_RANGE_VALID                                  \
	(SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | \
	 SYNC_FILE_RANGE_WAIT_AFTER)

SYSCALL_DEFINE0(sync)
{
	sync_all_filesystems();
	return 0;
}

SYSCALL_DEFINE1(syncfs, int, fd)
{
	struct file *file = fget(fd);
	int ret;

	if (!file)
		return -EBADF;
	ret = sync_filesystem(file_inode(file)->i_sb);
	fput(file);
	return ret;
}

static long do_fsync(unsigned int fd, int datasync)
{
	struct file *file = fget(fd);
	long ret;

	if (!file)
		return -EBADF;
	ret = vfs_fsync(file, datasync);
	fput(file);
	return ret;
}

SYSCALL_DEFINE1(fsync, unsigned int, fd)
{
	return do_fsync(fd, 0);
}

SYSCALL_DEFINE1(fdatasync, unsigned int, fd)
{
	return do_fsync(fd, 1);
}

/*
 * The byte range [@offset, @offset + @nbytes) as [*@start, *@end]
 * (inclusive); @nbytes 0 means "to the end of the file". EINVAL for a
 * negative offset or a range past the largest file; false (nothing to
 * do) for one that starts beyond what a page index can reach.
 */
static int sync_range_bounds(loff_t offset, loff_t nbytes, loff_t *start,
			     loff_t *end)
{
	const loff_t last = (loff_t)((u64)1 << 32 << PAGE_SHIFT); /* pgoff_t */
	loff_t endbyte = (loff_t)((u64)offset + (u64)nbytes);

	if (offset < 0 || endbyte < 0 || endbyte < offset)
		return -EINVAL;
	if (offset >= last)
		return 0;
	if (endbyte >= last)
		nbytes = 0;
	*start = offset;
	*end = nbytes ? endbyte - 1 : MAX_LFS_FILESIZE;
	return 1;
}

/* Wait, write, wait, as @flags ask: 0 or the first error. */
static int sync_range(struct address_space *mapping, loff_t start, loff_t end,
		      unsigned int flags)
{
	int ret = 0;

	if (flags & SYNC_FILE_RANGE_WAIT_BEFORE)
		ret = filemap_fdatawait_range(mapping, start, end);
	if (!ret && (flags & SYNC_FILE_RANGE_WRITE))
		ret = filemap_fdatawrite_range(mapping, start, end);
	if (!ret && (flags & SYNC_FILE_RANGE_WAIT_AFTER))
		ret = filemap_fdatawait_range(mapping, start, end);
	return ret;
}

/* The checks in Linux's order: the descriptor, the flags, the range,
 * the file's type. */
static long sync_file_range_checked(struct file *file, loff_t offset,
				    loff_t nbytes, unsigned int flags)
{
	umode_t mode = file_inode(file)->i_mode;
	loff_t start, end;
	int ret;

	if (file->f_mode & FMODE_PATH)
		return -EBADF;
	if (flags & ~SYNC_FILE_RANGE_VALID)
		return -EINVAL;
	ret = sync_range_bounds(offset, nbytes, &start, &end);
	if (ret <= 0)
		return ret;
	if (!S_ISREG(mode) && !S_ISBLK(mode) && !S_ISDIR(mode) &&
	    !S_ISLNK(mode))
		return -ESPIPE; /* a pipe, a socket, a character device */
	return sync_range(file->f_mapping, start, end, flags);
}

static long do_sync_file_range(int fd, loff_t offset, loff_t nbytes,
			       unsigned int flags)
{
	struct file *file = fget(fd);
	long ret;

	if (!file)
		return -EBADF;
	ret = sync_file_range_checked(file, offset, nbytes, flags);
	fput(file);
	return ret;
}

/* i386: both 64-bit values in two registers each, low word first. */
SYSCALL_DEFINE6(sync_file_range, int, fd, u32, offset_lo, u32, offset_hi, u32,
		nbytes_lo, u32, nbytes_hi, unsigned int, flags)
{
	return do_sync_file_range(fd, loff_from_lohi(offset_lo, offset_hi),
				  loff_from_lohi(nbytes_lo, nbytes_hi), flags);
}
