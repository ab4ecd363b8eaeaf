/*
 * sysfs: the filesystem that shows the node tree (dir.c) under /sys.
 *
 * There is one instance: the first mount makes the super_block and
 * keeps it forever (Linux keeps an internal sysfs mount); every later
 * mount shares its root, so all mounts show the same tree.
 *
 * The VFS objects are made on demand. ->lookup finds the node by name
 * and builds a fresh inode for it (holding a node reference in
 * i_private); the dentry is freed as soon as it is unused
 * (sysfs_d_delete), so nothing about the tree is cached except what is
 * in use. When a node is removed or renamed while a dentry of it is in
 * use (an open file, a working directory), sysfs_drop_dentry() takes
 * that dentry out of the hash so the next lookup asks the tree again;
 * the open file keeps its inode and node and gets -ENODEV.
 *
 * What stat shows, as Linux: directories 0755 (the root 0555) with
 * nlink 2 + subdirectories; attribute files PAGE_SIZE bytes long (the
 * most a show() may return); binary files their attribute's size;
 * links the length of their target text.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "../internal.h"
#include "sysfs.h"

/* statfs f_type of sysfs (Linux's SYSFS_MAGIC, include/uapi/linux/magic.h) */
#define SYSFS_MAGIC 0x62656572

/* Flags that belong to a mount, not to the shared super_block. */
#define SYSFS_MOUNT_FLAGS (SB_RDONLY | SB_NOSUID | SB_NODEV | SB_NOEXEC)

struct super_block *sysfs_sb; /* M; set once, by the first mount */
/* Serialises mounts, so only the first makes the instance. */
static DEFINE_MUTEX(sysfs_mount_mutex);

static const struct inode_operations sysfs_dir_inode_operations;
static const struct file_operations sysfs_dir_operations;
static const struct inode_operations sysfs_symlink_inode_operations;
static const struct inode_operations sysfs_file_inode_operations;

/* ---- inodes ------------------------------------------------------------- */

/* Subdirectories of @sd, for its nlink. M held. */
static unsigned int sysfs_count_subdirs(const struct sysfs_dirent *sd)
{
	const struct sysfs_dirent *child;
	unsigned int n = 0;

	lockdep_assert_held(&sysfs_mutex);
	list_for_each_entry(child, &sd->s_dir.children, s_sibling)
		if (child->s_type == SYSFS_DIR)
			n++;
	return n;
}

/* The length of a link's target text, for its i_size. M held. */
static loff_t sysfs_link_size(const struct sysfs_dirent *sd)
{
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL);
	int len = buf ? sysfs_link_target(sd, buf, PATH_MAX) : 0;

	lockdep_assert_held(&sysfs_mutex);
	kfree(buf);
	return len > 0 ? len : 0;
}

/* Set the operations and size of @inode for @sd's type. M held. */
static void sysfs_init_inode(struct inode *inode, struct sysfs_dirent *sd)
{
	lockdep_assert_held(&sysfs_mutex);
	switch (sd->s_type) {
	case SYSFS_DIR:
		inode->i_op = &sysfs_dir_inode_operations;
		inode->i_fop = &sysfs_dir_operations;
		set_nlink(inode, 2 + sysfs_count_subdirs(sd));
		break;
	case SYSFS_KOBJ_ATTR:
		inode->i_op = &sysfs_file_inode_operations;
		inode->i_fop = &sysfs_file_operations;
		inode->i_size = PAGE_SIZE;
		break;
	case SYSFS_KOBJ_BIN_ATTR:
		inode->i_op = &sysfs_file_inode_operations;
		inode->i_fop = &sysfs_bin_operations;
		inode->i_size = (loff_t)sd->s_bin_attr->size;
		break;
	case SYSFS_KOBJ_LINK:
		inode->i_op = &sysfs_symlink_inode_operations;
		inode->i_size = sysfs_link_size(sd);
		break;
	}
}

/*
 * A new inode showing @sd; it holds a reference on the node until it is
 * evicted. NULL on ENOMEM. M held.
 */
static struct inode *sysfs_get_inode(struct super_block *sb,
				     struct sysfs_dirent *sd)
{
	struct inode *inode = new_inode(sb);

	lockdep_assert_held(&sysfs_mutex);
	if (!inode)
		return NULL;
	inode->i_ino = sd->s_ino;
	inode->i_mode = sd->s_mode;
	inode->i_uid = sd->s_uid;
	inode->i_gid = sd->s_gid;
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time(inode);
	inode->i_private = sysfs_get(sd);
	sysfs_init_inode(inode, sd);
	return inode;
}

static void sysfs_evict_inode(struct inode *inode)
{
	sysfs_put(inode->i_private);
	inode->i_private = NULL;
}

static const struct super_operations sysfs_sops = {
	.evict_inode = sysfs_evict_inode,
	.statfs = simple_statfs,
};

/* Never cache an unused dentry: the tree is the cache. */
static int sysfs_d_delete(const struct dentry *dentry)
{
	return 1;
}

static const struct dentry_operations sysfs_dops = {
	.d_delete = sysfs_d_delete,
};

/*
 * chmod, chown and utimes of a sysfs name (notify_change() checked the
 * caller's rights). The inode is made afresh at every lookup, so the
 * mode and owner are kept in the node, where the next inode made for
 * it takes them from (sysfs_get_inode); the times are not kept (a new
 * inode shows the time it was made). The size never changes (an
 * O_TRUNC open of an attribute is not an error). Takes M; may sleep.
 */
static int sysfs_setattr(struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = dentry->d_inode;
	struct sysfs_dirent *sd = inode->i_private;

	setattr_copy(inode, attr);
	mutex_lock(&sysfs_mutex);
	if (attr->ia_valid & ATTR_MODE)
		sd->s_mode = (sd->s_mode & S_IFMT) |
			     (inode->i_mode & S_IALLUGO);
	if (attr->ia_valid & ATTR_UID)
		sd->s_uid = inode->i_uid;
	if (attr->ia_valid & ATTR_GID)
		sd->s_gid = inode->i_gid;
	mutex_unlock(&sysfs_mutex);
	return 0;
}

static const struct inode_operations sysfs_file_inode_operations = {
	.setattr = sysfs_setattr,
};

/* ---- symlinks ----------------------------------------------------------- */

static const char *sysfs_get_link(struct dentry *dentry, struct inode *inode,
				  void **cookie)
{
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL);
	int len;

	if (!buf)
		return ERR_PTR(-ENOMEM);
	mutex_lock(&sysfs_mutex);
	len = sysfs_link_target(inode->i_private, buf, PATH_MAX);
	mutex_unlock(&sysfs_mutex);
	if (len < 0) {
		kfree(buf);
		return ERR_PTR(len);
	}
	*cookie = buf;
	return buf;
}

static void sysfs_put_link(struct inode *inode, void *cookie)
{
	kfree(cookie);
}

static const struct inode_operations sysfs_symlink_inode_operations = {
	.get_link = sysfs_get_link,
	.put_link = sysfs_put_link,
	.setattr = sysfs_setattr,
};

/* ---- directories -------------------------------------------------------- */

static struct dentry *sysfs_lookup(struct inode *dir, struct dentry *dentry,
				   unsigned int flags)
{
	struct sysfs_dirent *sd;
	struct inode *inode = NULL;

	if (dentry->d_name.len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	mutex_lock(&sysfs_mutex);
	sd = sysfs_find_dirent(dir->i_private, dentry->d_name.name);
	if (sd) {
		inode = sysfs_get_inode(dir->i_sb, sd);
		if (!inode) {
			mutex_unlock(&sysfs_mutex);
			return ERR_PTR(-ENOMEM);
		}
	}
	/* Under the mutex: a removal either sees this dentry or runs
	 * before the lookup and leaves nothing to find. */
	d_add(dentry, inode);
	mutex_unlock(&sysfs_mutex);
	return NULL;
}

/*
 * One entry of a listing: the first child of @dir at or after @pos.
 * Copies its name into @name; returns its position (inode number) or 0
 * when there is none.
 */
static unsigned int sysfs_next_child(struct sysfs_dirent *dir, loff_t pos,
				     char *name, unsigned char *type)
{
	struct sysfs_dirent *sd;
	unsigned int ino = 0;

	mutex_lock(&sysfs_mutex);
	list_for_each_entry(sd, &dir->s_dir.children, s_sibling) {
		if (sd->s_ino < pos || strlen(sd->s_name) > NAME_MAX)
			continue;
		strcpy(name, sd->s_name);
		*type = fs_umode_to_dtype(sd->s_mode);
		ino = sd->s_ino;
		break;
	}
	mutex_unlock(&sysfs_mutex);
	return ino;
}

/*
 * The listing: ".", "..", then the children in inode-number order, the
 * number being the position. The mutex is not held across dir_emit(),
 * which may fault on the user's buffer.
 */
static int sysfs_readdir(struct file *file, struct dir_context *ctx)
{
	struct sysfs_dirent *dir = file_inode(file)->i_private;
	char name[NAME_MAX + 1];
	unsigned char type = DT_UNKNOWN;
	unsigned int ino;

	if (!dir_emit_dots(file, ctx))
		return 0;
	while ((ino = sysfs_next_child(dir, ctx->pos, name, &type))) {
		ctx->pos = ino;
		if (!dir_emit(ctx, name, (int)strlen(name), ino, type))
			break;
		ctx->pos = (loff_t)ino + 1;
	}
	return 0;
}

static const struct inode_operations sysfs_dir_inode_operations = {
	.lookup = sysfs_lookup,
	.setattr = sysfs_setattr,
};

static const struct file_operations sysfs_dir_operations = {
	.read = generic_read_dir,
	.iterate = sysfs_readdir,
};

/**
 * sysfs_drop_dentry - forget the cached dentry of a node
 * @sd: a node being removed, renamed or moved
 *
 * Walks the dentry cache from the root along @sd's path; if a dentry
 * for it is in use, unhashes it, so that a lookup of its name (perhaps
 * a new node of that name) goes to the tree. Context: sysfs_mutex held.
 */
void sysfs_drop_dentry(struct sysfs_dirent *sd)
{
	struct sysfs_dirent *chain[SYSFS_MAX_DEPTH];
	struct dentry *dentry, *child;
	struct qstr q;
	int n = 0;

	lockdep_assert_held(&sysfs_mutex);
	if (!sysfs_sb)
		return;
	for (; sd && sd != sysfs_root; sd = sd->s_parent)
		if (n == SYSFS_MAX_DEPTH)
			return;
		else
			chain[n++] = sd;
	dentry = dget(sysfs_sb->s_root);
	while (n-- > 0 && dentry) {
		q.name = chain[n]->s_name;
		q.len = strlen(q.name);
		q.hash = full_name_hash(q.name, q.len);
		child = d_lookup(dentry, &q);
		dput(dentry);
		dentry = child;
	}
	if (dentry && dentry != sysfs_sb->s_root)
		d_drop(dentry);
	dput(dentry);
}

/* ---- the filesystem ----------------------------------------------------- */

static int sysfs_fill_super(struct super_block *sb, void *data, int silent)
{
	struct inode *root;

	sb->s_magic = SYSFS_MAGIC;
	sb->s_op = &sysfs_sops;
	sb->s_d_op = &sysfs_dops;
	mutex_lock(&sysfs_mutex);
	root = sysfs_get_inode(sb, sysfs_root);
	mutex_unlock(&sysfs_mutex);
	if (!root)
		return -ENOMEM;
	sb->s_root = d_make_root(root);
	return sb->s_root ? 0 : -ENOMEM;
}

/*
 * The first mount makes the instance and pins it with an extra active
 * reference; the others share it.
 */
static struct dentry *sysfs_mount(struct file_system_type *type, int flags,
				  const char *dev_name, void *data)
{
	struct dentry *root;

	mutex_lock(&sysfs_mount_mutex);
	if (sysfs_sb) {
		grab_super_active(sysfs_sb);
		root = dget(sysfs_sb->s_root);
		goto out_unlock;
	}
	/* The instance is shared: ro, nosuid... are each mount's own. */
	root = mount_nodev(type, flags & ~SYSFS_MOUNT_FLAGS, data,
			   sysfs_fill_super);
	if (IS_ERR(root))
		goto out_unlock;
	grab_super_active(root->d_sb);
	mutex_lock(&sysfs_mutex);
	sysfs_sb = root->d_sb;
	mutex_unlock(&sysfs_mutex);
out_unlock:
	mutex_unlock(&sysfs_mount_mutex);
	return root;
}

static struct file_system_type sysfs_fs_type = {
	.name = "sysfs",
	.mount = sysfs_mount,
	.kill_sb = kill_anon_super,
};

/**
 * sysfs_fs_init - register the sysfs filesystem type
 *
 * Return: 0 or -EBUSY. Context: boot.
 */
int sysfs_fs_init(void)
{
	int err = register_filesystem(&sysfs_fs_type);

	if (err)
		pr_err("sysfs: cannot register: error %d\n", err);
	return err;
}
