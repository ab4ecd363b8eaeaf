/*
 * ext2: regular files (docs/ext2.md, "Files"). Reads and writes are the
 * page cache's generic paths (mm/filemap.c), which call back into
 * ext2_aops (fs/ext2/inode.c) to map, read and allocate blocks; fsync
 * writes the data, the indirect blocks dirtied for the file
 * (mark_buffer_dirty_inode) and the inode.
 */
#include <kestrel/buffer_head.h>
#include <kestrel/mman.h>
#include <kestrel/pagemap.h>
#include <kestrel/writeback.h>

#include "ext2.h"

/* The data of [@start, @end], the indirect blocks, the inode: on disk. */
int ext2_fsync(struct file *file, loff_t start, loff_t end, int datasync)
{
	struct inode *inode = file_inode(file);
	int err = filemap_write_and_wait_range(inode->i_mapping, start, end);
	int err2 = sync_mapping_buffers(inode->i_mapping);
	int err3 = ext2_sync_inode(inode);

	return err ? err : err2 ? err2 : err3;
}

static bool direct(const struct kiocb *iocb)
{
	return (iocb->ki_flags & (IOCB_DIRECT | IOCB_KVEC)) == IOCB_DIRECT;
}

/* O_DIRECT reads go to the disk blocks (blockdev_direct_IO), by DMA and,
 * for io_submit, asynchronously; others through the page cache. */
static ssize_t ext2_file_read(struct kiocb *iocb, const struct iovec *iov,
			      unsigned long nr_segs, loff_t pos)
{
	if (!direct(iocb))
		return generic_file_aio_read(iocb, iov, nr_segs, pos);
	iocb->ki_pos = pos;
	return blockdev_direct_IO(iocb, iov, nr_segs, false, ext2_get_block);
}

/*
 * An O_DIRECT write into blocks the file has goes straight to them; one
 * that needs blocks (a hole, or past the end) is written through the
 * page cache and then to the disk before the call returns, so that
 * either way the data is on the disk and no stale page stays cached.
 */
static ssize_t ext2_direct_write(struct kiocb *iocb, const struct iovec *iov,
				 unsigned long nr_segs, loff_t pos)
{
	struct file *file = iocb->ki_filp;
	struct inode *inode = file_inode(file);
	struct iov_iter iter;
	loff_t start;
	ssize_t ret;

	kiocb_iter_init(&iter, iocb, iov, nr_segs);
	iocb->ki_pos = pos;
	inode_lock(inode);
	ret = generic_write_prepare(iocb, &iter);
	if (ret <= 0)
		goto out;
	start = iocb->ki_pos;
	/* The checks may have cut the write (RLIMIT_FSIZE): then the iovec
	 * no longer says what to write, and the page cache writes it. */
	ret = -ENOTBLK;
	if (iov_iter_count(&iter) == iov_length(iov, nr_segs))
		ret = blockdev_direct_IO(iocb, iov, nr_segs, true,
					 ext2_get_block);
	if (ret == -ENOTBLK) {
		ret = generic_perform_write(file, &iter, start);
		if (ret > 0) {
			int err = filemap_write_and_wait_range(
				inode->i_mapping, start, start + ret - 1);

			invalidate_inode_pages2_range(
				inode->i_mapping, start >> PAGE_SHIFT,
				(start + ret - 1) >> PAGE_SHIFT);
			iocb->ki_pos = start + ret;
			if (err)
				ret = err;
		}
	}
out:
	inode_unlock(inode);
	return ret;
}

static ssize_t ext2_file_write(struct kiocb *iocb, const struct iovec *iov,
			       unsigned long nr_segs, loff_t pos)
{
	if (!direct(iocb))
		return generic_file_aio_write(iocb, iov, nr_segs, pos);
	return ext2_direct_write(iocb, iov, nr_segs, pos);
}

const struct file_operations ext2_file_operations = {
	.aio_read = ext2_file_read,
	.aio_write = ext2_file_write,
	.mmap = generic_file_mmap,
	.fsync = ext2_fsync,
};

const struct inode_operations ext2_file_inode_operations = {
	.setattr = ext2_setattr,
};
