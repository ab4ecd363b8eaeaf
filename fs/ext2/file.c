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

const struct file_operations ext2_file_operations = {
	.aio_read = generic_file_aio_read,
	.aio_write = generic_file_aio_write,
	.mmap = generic_file_mmap,
	.fsync = ext2_fsync,
};

const struct inode_operations ext2_file_inode_operations = {
	.setattr = ext2_setattr,
};
