/*
 * struct file: one open of a file. Created by vfs_open() (and do_pipe()),
 * shared by descriptors (dup, fork) through its reference count, and
 * released by the last fput(): ->release, then the path reference.
 *
 * f_count is atomic: fget from a descriptor table and fput from any task
 * need no lock. The file's other fields are fixed after open except
 * f_pos (its callers serialise) and f_flags (f_lock).
 */
#include <kestrel/bug.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/pagemap.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "internal.h"

static struct kmem_cache *filp_cachep;
static atomic_long_t files_open;

unsigned long nr_files(void)
{
	return atomic_long_read(&files_open);
}

fmode_t open_flags_to_fmode(int flags)
{
	static const fmode_t acc[4] = { FMODE_READ, FMODE_WRITE,
					FMODE_READ | FMODE_WRITE, 0 };

	if (flags & O_PATH)
		return FMODE_PATH;
	return acc[flags & O_ACCMODE] | FMODE_LSEEK | FMODE_PREAD |
	       FMODE_PWRITE;
}

struct file *alloc_file(const struct path *path, int flags,
			const struct file_operations *fops)
{
	struct file *file = kmem_cache_alloc(filp_cachep, GFP_KERNEL);

	if (!file)
		return ERR_PTR(-ENOMEM);
	memset(file, 0, sizeof(*file));
	spin_lock_init(&file->f_lock);
	atomic_set(&file->f_count, 1);
	file->f_path = *path;
	path_get(path);
	file->f_inode = path->dentry->d_inode;
	if (file->f_inode) {
		file->f_mapping = file->f_inode->i_mapping;
		file_ra_state_init(&file->f_ra, file->f_mapping);
	}
	file->f_op = fops;
	file->f_flags = flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC);
	file->f_mode = open_flags_to_fmode(flags);
	atomic_long_inc(&files_open);
	return file;
}

void put_filp(struct file *file)
{
	path_put(&file->f_path);
	kmem_cache_free(filp_cachep, file);
	atomic_long_dec(&files_open);
}

/* The last reference: let the driver clean up, then drop the path. */
static void __fput(struct file *file)
{
	if ((file->f_mode & FMODE_OPENED) && file->f_op->release)
		file->f_op->release(file->f_inode, file);
	put_filp(file);
}

void fput(struct file *file)
{
	int left = atomic_dec_return(&file->f_count);

	BUG_ON(left < 0);
	if (left == 0)
		__fput(file);
}

int nonseekable_open(struct inode *inode, struct file *file)
{
	file->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE);
	return 0;
}

void files_init(void)
{
	filp_cachep = kmem_cache_create("filp", sizeof(struct file), 0,
					SLAB_PANIC, NULL);
}
