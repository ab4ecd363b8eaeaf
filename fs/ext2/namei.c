/*
 * ext2: the directory inode operations (docs/ext2.md, "Names"): lookup,
 * create, mknod, symlink, link, unlink, mkdir, rmdir, rename. The VFS
 * holds the directories' i_mutex and has made its checks (permissions,
 * a rename that would move a directory below itself, busy names).
 *
 * Link counts come from the disk: each decrement goes through
 * ext2_dec_count(), which refuses to go below zero (a corrupted count is
 * reported, never wrapped). A directory may have only one name: a second
 * one found on the disk (a hard link to a directory, or a loop) is
 * reported and refused, so the dentry tree stays a tree.
 */
#include <kestrel/errno.h>
#include <kestrel/pagemap.h>
#include <kestrel/string.h>
#include <kestrel/time.h>
#include <kestrel/writeback.h>
#include <uapi/limits.h>

#include "ext2.h"

/* RENAME_NOREPLACE (the VFS has checked it already). */
#define EXT2_RENAME_NOREPLACE 1U

static struct dentry *ext2_lookup(struct inode *dir, struct dentry *dentry,
				  unsigned int flags)
{
	struct inode *inode = NULL;
	unsigned long ino;
	int err;

	if (dentry->d_name.len > EXT2_NAME_LEN)
		return ERR_PTR(-ENAMETOOLONG);
	ino = ext2_inode_by_name(dir, &dentry->d_name, &err);
	if (!ino && err != -ENOENT)
		return ERR_PTR(err);
	if (ino) {
		inode = ext2_iget(dir->i_sb, ino);
		if (IS_ERR(inode))
			return ERR_CAST(inode);
		/* Its only name is this one, which has no dentry yet: any
		 * other reference means a second name (Linux's
		 * d_splice_alias finds the alias the same way). */
		if (S_ISDIR(inode->i_mode) && READ_ONCE(inode->i_count) > 1) {
			EXT2_ERROR(
				dir->i_sb,
				"directory #%lu has a second name \"%.*s\" in #%lu (a loop or a hard link)",
				ino, (int)dentry->d_name.len,
				dentry->d_name.name, dir->i_ino);
			iput(inode);
			return ERR_PTR(-EUCLEAN);
		}
	}
	d_add(dentry, inode);
	return NULL;
}

/* Give an inode (new, or linked: its count raised) the name @dentry;
 * on failure the count and the reference go again. */
static int add_nondir(struct dentry *dentry, struct inode *inode)
{
	int err = ext2_add_link(dentry, inode);

	if (!err) {
		d_instantiate(dentry, inode);
		return 0;
	}
	ext2_dec_count(inode);
	iput(inode);
	return err;
}

static int ext2_create(struct inode *dir, struct dentry *dentry, umode_t mode,
		       bool excl)
{
	struct inode *inode = ext2_new_inode(dir, mode, &dentry->d_name);

	if (IS_ERR(inode))
		return PTR_ERR(inode);
	ext2_set_inode_ops(inode);
	mark_inode_dirty(inode);
	return add_nondir(dentry, inode);
}

static int ext2_mknod(struct inode *dir, struct dentry *dentry, umode_t mode,
		      dev_t rdev)
{
	struct inode *inode = ext2_new_inode(dir, mode, &dentry->d_name);
	u32 *data;

	if (IS_ERR(inode))
		return PTR_ERR(inode);
	data = EXT2_I(inode)->i_data;
	if (MAJOR(rdev) < 256 && MINOR(rdev) < 256) { /* the old encoding */
		data[0] = (MAJOR(rdev) << 8) | MINOR(rdev);
	} else {
		data[0] = 0;
		data[1] = new_encode_dev(rdev);
	}
	ext2_set_inode_ops(inode);
	mark_inode_dirty(inode);
	return add_nondir(dentry, inode);
}

/* Write a slow symlink's target into its first block. */
static int write_symlink(struct inode *inode, const char *target,
			 unsigned int len)
{
	const struct address_space_operations *aops = inode->i_mapping->a_ops;
	struct page *page;
	void *fsdata = NULL;
	int err;

	err = aops->write_begin(NULL, inode->i_mapping, 0, len, &page, &fsdata);
	if (err)
		return err;
	memcpy(page_address(page), target, len);
	err = aops->write_end(NULL, inode->i_mapping, 0, len, len, page,
			      fsdata);
	return err < 0 ? err : err == (int)len ? 0 : -EIO;
}

static int ext2_symlink(struct inode *dir, struct dentry *dentry,
			const char *target)
{
	size_t len = strlen(target);
	struct inode *inode;
	int err;

	if (len + 1 > dir->i_sb->s_blocksize)
		return -ENAMETOOLONG;
	inode = ext2_new_inode(dir, S_IFLNK | 0777, &dentry->d_name);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	if (len + 1 > sizeof(EXT2_I(inode)->i_data)) {
		ext2_set_inode_ops(inode); /* i_blocks 0 yet: "fast" */
		inode->i_op = &ext2_symlink_inode_operations;
		inode->i_link = NULL;
		inode->i_mapping->a_ops = &ext2_aops;
		err = write_symlink(inode, target, (unsigned int)len);
		if (err) {
			ext2_dec_count(inode);
			iput(inode);
			return err;
		}
	} else {
		memcpy(EXT2_I(inode)->i_data, target, len + 1);
		inode->i_size = (loff_t)len;
		ext2_set_inode_ops(inode);
	}
	mark_inode_dirty(inode);
	return add_nondir(dentry, inode);
}

static int ext2_link(struct dentry *old, struct inode *dir,
		     struct dentry *dentry)
{
	struct inode *inode = old->d_inode;

	if (inode->i_nlink >= EXT2_LINK_MAX)
		return -EMLINK;
	inode->i_ctime = current_time(inode);
	ext2_inc_count(inode);
	ihold(inode);
	return add_nondir(dentry, inode);
}

static int ext2_unlink(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = dentry->d_inode;
	struct ext2_dir_entry_2 *de;
	struct page *page;
	int err;

	de = ext2_find_entry(dir, &dentry->d_name, &page, &err);
	if (!de)
		return err;
	err = ext2_delete_entry(de, page);
	if (err)
		return err;
	inode->i_ctime = dir->i_ctime;
	ext2_dec_count(inode); /* a count already 0 is reported there */
	return 0;
}

static int ext2_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	struct inode *inode;
	int err;

	if (dir->i_nlink >= EXT2_LINK_MAX)
		return -EMLINK;
	inode = ext2_new_inode(dir, S_IFDIR | mode, &dentry->d_name);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	ext2_set_inode_ops(inode);
	ext2_inc_count(dir);
	ext2_inc_count(inode); /* "." */
	err = ext2_make_empty(inode, dir);
	if (!err)
		err = ext2_add_link(dentry, inode);
	if (!err) {
		d_instantiate(dentry, inode);
		return 0;
	}
	ext2_dec_count(inode);
	ext2_dec_count(inode);
	iput(inode);
	ext2_dec_count(dir);
	return err;
}

static int ext2_rmdir(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = dentry->d_inode;
	int err;

	if (!ext2_empty_dir(inode))
		return -ENOTEMPTY;
	err = ext2_unlink(dir, dentry);
	if (err)
		return err;
	inode->i_size = 0;
	ext2_dec_count(inode); /* "." */
	ext2_dec_count(dir); /* its ".." */
	return 0;
}

/* The target name exists: point it at @old_inode, drop the old one. */
static int rename_over(struct inode *new_dir, struct dentry *new_dentry,
		       struct inode *old_inode, bool is_dir)
{
	struct inode *new_inode = new_dentry->d_inode;
	struct ext2_dir_entry_2 *new_de;
	struct page *new_page;
	int err;

	if (is_dir && !ext2_empty_dir(new_inode))
		return -ENOTEMPTY;
	new_de = ext2_find_entry(new_dir, &new_dentry->d_name, &new_page, &err);
	if (!new_de)
		return err;
	err = ext2_set_link(new_dir, new_de, new_page, old_inode);
	if (err)
		return err;
	new_inode->i_ctime = current_time(new_inode);
	if (is_dir)
		ext2_dec_count(new_inode);
	ext2_dec_count(new_inode);
	return 0;
}

static int ext2_rename(struct inode *old_dir, struct dentry *old_dentry,
		       struct inode *new_dir, struct dentry *new_dentry,
		       unsigned int flags)
{
	struct inode *old_inode = old_dentry->d_inode;
	struct ext2_dir_entry_2 *old_de, *dir_de = NULL;
	struct page *old_page, *dir_page = NULL;
	bool is_dir = S_ISDIR(old_inode->i_mode);
	int err;

	if (flags & ~EXT2_RENAME_NOREPLACE)
		return -EINVAL;
	old_de = ext2_find_entry(old_dir, &old_dentry->d_name, &old_page, &err);
	if (!old_de)
		return err;
	if (is_dir) {
		dir_de = ext2_dotdot(old_inode, &dir_page, &err);
		if (!dir_de)
			goto out_old;
	}
	if (new_dentry->d_inode) {
		err = rename_over(new_dir, new_dentry, old_inode, is_dir);
	} else if (is_dir && new_dir != old_dir &&
		   new_dir->i_nlink >= EXT2_LINK_MAX) {
		err = -EMLINK;
	} else {
		err = ext2_add_link(new_dentry, old_inode);
		if (!err && is_dir)
			ext2_inc_count(new_dir);
	}
	if (err)
		goto out_dir;
	old_inode->i_ctime = current_time(old_inode);
	mark_inode_dirty(old_inode);
	err = ext2_delete_entry(old_de, old_page);
	if (is_dir) {
		/* ".." follows the directory to its new parent */
		if (old_dir != new_dir)
			ext2_set_link(old_inode, dir_de, dir_page, new_dir);
		else
			put_page(dir_page);
		ext2_dec_count(old_dir);
	}
	return err;
out_dir:
	if (dir_page)
		put_page(dir_page);
out_old:
	put_page(old_page);
	return err;
}

const struct inode_operations ext2_dir_inode_operations = {
	.lookup = ext2_lookup,
	.create = ext2_create,
	.link = ext2_link,
	.unlink = ext2_unlink,
	.symlink = ext2_symlink,
	.mkdir = ext2_mkdir,
	.rmdir = ext2_rmdir,
	.mknod = ext2_mknod,
	.rename = ext2_rename,
	.setattr = ext2_setattr,
};

const struct inode_operations ext2_special_inode_operations = {
	.setattr = ext2_setattr,
};
