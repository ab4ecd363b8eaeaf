/*
 * Listing directories. iterate_dir() calls the directory's ->iterate
 * with a dir_context: an actor that receives one entry at a time and a
 * position. getdents64 (the syscall layer) supplies an actor that packs
 * linux_dirent64 records into the user's buffer and says "stop" when it
 * is full; the position then records where the next call resumes.
 *
 * Locking: the directory's i_mutex is held across ->iterate, so entries
 * cannot come and go in the middle of one batch.
 */
#include <kestrel/errno.h>
#include <kestrel/fs.h>

#include "internal.h"

int iterate_dir(struct file *file, struct dir_context *ctx)
{
	struct inode *inode = file_inode(file);
	int err;

	if (!file->f_op->iterate)
		return -ENOTDIR;
	if (file->f_mode & FMODE_PATH)
		return -EBADF;
	inode_lock(inode);
	err = -ENOENT;
	if (!IS_DEADDIR(inode)) {
		ctx->pos = file->f_pos;
		err = file->f_op->iterate(file, ctx);
		file->f_pos = ctx->pos;
	}
	inode_unlock(inode);
	if (!err)
		file_accessed(file);
	return err;
}

bool dir_emit_dots(struct file *file, struct dir_context *ctx)
{
	struct dentry *dentry = file->f_path.dentry;

	if (ctx->pos == 0) {
		if (!dir_emit(ctx, ".", 1, dentry->d_inode->i_ino, DT_DIR))
			return false;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		struct dentry *parent = dget_parent(dentry);
		u64 ino = parent->d_inode->i_ino;

		dput(parent);
		if (!dir_emit(ctx, "..", 2, ino, DT_DIR))
			return false;
		ctx->pos = 2;
	}
	return true;
}
