/*
 * libfs: the pieces every in-memory filesystem shares.
 *
 * In such a filesystem the dentry cache *is* the directory: a name
 * exists exactly as long as its positive dentry does. So each new
 * positive dentry is pinned (one extra reference, DCACHE_PINNED) until
 * the name is removed, and ->lookup of a name that is not in the cache
 * simply answers "negative".
 *
 * A directory's listing is its children in d_subdirs, kept in the order
 * of d_offset: each name gets the directory's next offset when it is
 * created or renamed in, and moves to the end of the list. getdents
 * records the offset of the next name to return in f_pos, so a listing
 * that runs while names are added and removed neither repeats nor skips
 * a name that stayed put (the scheme of Linux's newer "stable offsets"
 * for tmpfs). Positions 0 and 1 are "." and "..".
 */
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/string.h>
#include <uapi/statfs.h>

#include "internal.h"

/* The first offset a child gets: 0 and 1 are "." and "..". */
#define FIRST_CHILD_OFFSET 2

struct dentry *simple_lookup(struct inode *dir, struct dentry *dentry,
			     unsigned int flags)
{
	if (dentry->d_name.len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	d_add(dentry, NULL);
	return NULL;
}

/* Give @dentry the next position in @dir's listing. @dir's i_mutex held. */
static void simple_offset_add(struct inode *dir, struct dentry *dentry)
{
	lockdep_assert_held(&dir->i_mutex);
	if (dir->i_dir_seq < FIRST_CHILD_OFFSET)
		dir->i_dir_seq = FIRST_CHILD_OFFSET;
	d_set_offset(dentry, dir->i_dir_seq++);
}

void simple_instantiate(struct inode *dir, struct dentry *dentry,
			struct inode *inode)
{
	d_instantiate(dentry, inode);
	d_pin(dentry);
	simple_offset_add(dir, dentry);
	dir->i_mtime = dir->i_ctime = current_time(dir);
}

int simple_link(struct dentry *old, struct inode *dir, struct dentry *new)
{
	struct inode *inode = old->d_inode;

	inode->i_ctime = current_time(inode);
	inc_nlink(inode);
	ihold(inode);
	simple_instantiate(dir, new, inode);
	return 0;
}

int simple_unlink(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = dentry->d_inode;

	inode->i_ctime = dir->i_ctime = dir->i_mtime = current_time(inode);
	drop_nlink(inode);
	d_unpin(dentry);
	return 0;
}

int simple_rmdir(struct inode *dir, struct dentry *dentry)
{
	if (!simple_empty(dentry))
		return -ENOTEMPTY;
	drop_nlink(dentry->d_inode); /* its "." */
	simple_unlink(dir, dentry);
	drop_nlink(dir); /* its ".." */
	return 0;
}

int simple_rename(struct inode *old_dir, struct dentry *old_dentry,
		  struct inode *new_dir, struct dentry *new_dentry,
		  unsigned int flags)
{
	struct inode *inode = old_dentry->d_inode;
	bool is_dir = S_ISDIR(inode->i_mode);

	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;
	if (new_dentry->d_inode) {
		if (is_dir && !simple_empty(new_dentry))
			return -ENOTEMPTY;
		if (is_dir) {
			drop_nlink(new_dentry->d_inode);
			drop_nlink(old_dir);
		}
		simple_unlink(new_dir, new_dentry);
	} else if (is_dir) {
		drop_nlink(old_dir);
		inc_nlink(new_dir);
	}
	simple_offset_add(new_dir, old_dentry);
	old_dir->i_ctime = old_dir->i_mtime = new_dir->i_ctime =
		new_dir->i_mtime = inode->i_ctime = current_time(old_dir);
	return 0;
}

int simple_setattr(struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = dentry->d_inode;

	if (attr->ia_valid & ATTR_SIZE)
		i_size_write(inode, attr->ia_size);
	setattr_copy(inode, attr);
	return 0;
}

int simple_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	buf->f_type = dentry->d_sb->s_magic;
	buf->f_bsize = PAGE_SIZE;
	buf->f_namelen = NAME_MAX;
	return 0;
}

/*
 * The children of the directory in offset order, from ctx->pos on. The
 * directory's i_mutex is held (iterate_dir), so the child we stand on
 * cannot be removed or renamed away while dir_emit() (which may fault on
 * the user's buffer and sleep) runs with no spinlock held.
 */
int dcache_readdir(struct file *file, struct dir_context *ctx)
{
	struct dentry *dir = file->f_path.dentry, *child, *prev = NULL;

	if (!dir_emit_dots(file, ctx))
		return 0;
	while ((child = d_next_child(dir, prev, ctx->pos))) {
		struct inode *inode = child->d_inode;

		dput(prev);
		prev = child;
		if (!dir_emit(ctx, child->d_name.name, child->d_name.len,
			      inode->i_ino, fs_umode_to_dtype(inode->i_mode)))
			break;
		ctx->pos = child->d_offset + 1;
	}
	dput(prev);
	return 0;
}

ssize_t generic_read_dir(struct file *file, char __user *buf, size_t count,
			 loff_t *pos)
{
	return -EISDIR;
}

int noop_fsync(struct file *file, loff_t start, loff_t end, int datasync)
{
	return 0;
}

/* lseek on a libfs directory: positions are offsets, any value goes. */
static loff_t dcache_dir_lseek(struct file *file, loff_t offset, int whence)
{
	if (whence == SEEK_CUR)
		offset += file->f_pos;
	else if (whence != SEEK_SET)
		return -EINVAL;
	if (offset < 0)
		return -EINVAL;
	file->f_pos = offset;
	return offset;
}

const struct file_operations simple_dir_operations = {
	.llseek = dcache_dir_lseek,
	.read = generic_read_dir,
	.iterate = dcache_readdir,
	.fsync = noop_fsync,
};

const struct inode_operations simple_dir_inode_operations = {
	.lookup = simple_lookup,
};

/* Symlinks whose target is inode->i_link: every slot is the default. */
const struct inode_operations simple_symlink_inode_operations = {
	.setattr = simple_setattr,
};

/* What mount_pseudo() hands to pseudo_fill_super(). */
struct pseudo_fs_args {
	unsigned long magic;
	const struct super_operations *ops;
	const struct dentry_operations *dops;
};

static const struct super_operations pseudo_default_ops = {
	.statfs = simple_statfs,
};

static int pseudo_fill_super(struct super_block *sb, void *data, int silent)
{
	const struct pseudo_fs_args *args = data;
	struct inode *root = new_inode(sb);

	if (!root)
		return -ENOMEM;
	sb->s_magic = args->magic;
	sb->s_op = args->ops ? args->ops : &pseudo_default_ops;
	sb->s_d_op = args->dops;
	root->i_ino = get_next_ino();
	root->i_mode = S_IFDIR | S_IRUSR | S_IWUSR;
	root->i_op = &simple_dir_inode_operations;
	root->i_fop = &simple_dir_operations;
	sb->s_root = d_make_root(root);
	return sb->s_root ? 0 : -ENOMEM;
}

/**
 * mount_pseudo - the ->mount of a kernel-internal filesystem
 * @type: the filesystem type (pipefs, sockfs)
 * @flags: the SB_* flags kern_mount() passes
 * @ops: its super operations, or NULL for statfs only
 * @dops: the dentry operations of its files (d_dname), or NULL
 * @magic: what statfs reports as f_type
 *
 * Such a filesystem is never mounted by user space: its one instance
 * (kern_mount) holds the inodes behind anonymous files, and its root is
 * an empty directory nobody can reach.
 * Return: the root dentry or ERR_PTR. Context: process; may sleep.
 */
struct dentry *mount_pseudo(struct file_system_type *type, int flags,
			    const struct super_operations *ops,
			    const struct dentry_operations *dops,
			    unsigned long magic)
{
	struct pseudo_fs_args args = { .magic = magic,
				       .ops = ops,
				       .dops = dops };

	return mount_nodev(type, flags, &args, pseudo_fill_super);
}
