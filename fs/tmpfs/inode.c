/*
 * tmpfs: a filesystem in memory (Linux's name for its page-backed ramfs).
 *
 * Directories live in the dentry cache (libfs: see fs/libfs.c), regular
 * files in pages (file.c, pages.c), symlink targets in a kmalloc'd
 * string (inode->i_link), device nodes and FIFOs are plain special
 * inodes. Nothing is ever written anywhere: umount frees it all.
 *
 * Mount options, as Linux's: size=N[k|m|g|%] (data pages; default half
 * of RAM; 0 is no limit), nr_inodes=N, mode=OCTAL, uid=N, gid=N for the
 * root directory. remount can change size= and nr_inodes=.
 *
 * Each tmpfs inode is a struct tmpfs_inode_info from a slab cache, with
 * the VFS inode inside; the mount's counters live in tmpfs_sb_info under
 * its stat_lock.
 */
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/kstrtox.h>
#include <kestrel/math64.h>
#include <kestrel/mm.h>
#include <kestrel/pagemap.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <uapi/statfs.h>

#include "../internal.h"
#include "internal.h"

static struct kmem_cache *tmpfs_inode_cachep;
static const struct super_operations tmpfs_ops;
static const struct inode_operations tmpfs_dir_inode_operations;
/* Device nodes, FIFOs, sockets: every slot is the core default. */
static const struct inode_operations tmpfs_special_inode_operations = {};

/* ---- inodes ------------------------------------------------------------- */

static struct inode *tmpfs_alloc_inode(struct super_block *sb)
{
	struct tmpfs_inode_info *info =
		kmem_cache_alloc(tmpfs_inode_cachep, GFP_KERNEL);

	if (!info)
		return NULL;
	info->nr_pages = 0;
	return &info->vfs_inode;
}

static void tmpfs_destroy_inode(struct inode *inode)
{
	kmem_cache_free(tmpfs_inode_cachep, TMPFS_I(inode));
}

/* Take or give back one inode of the mount's nr_inodes. */
static int tmpfs_reserve_inode(struct super_block *sb)
{
	struct tmpfs_sb_info *sbinfo = TMPFS_SB(sb);
	int err = 0;

	spin_lock(&sbinfo->stat_lock);
	if (sbinfo->max_inodes && !sbinfo->free_inodes)
		err = -ENOSPC;
	else if (sbinfo->max_inodes)
		sbinfo->free_inodes--;
	spin_unlock(&sbinfo->stat_lock);
	return err;
}

static void tmpfs_free_inode(struct super_block *sb)
{
	struct tmpfs_sb_info *sbinfo = TMPFS_SB(sb);

	spin_lock(&sbinfo->stat_lock);
	if (sbinfo->max_inodes)
		sbinfo->free_inodes++;
	spin_unlock(&sbinfo->stat_lock);
}

/* The last reference to the inode is gone: free its data. */
static void tmpfs_evict_inode(struct inode *inode)
{
	if (S_ISREG(inode->i_mode))
		truncate_inode_pages(&inode->i_data, 0); /* uncharges them */
	if (S_ISLNK(inode->i_mode))
		kfree(inode->i_link);
	tmpfs_free_inode(inode->i_sb);
}

static void tmpfs_set_ops(struct inode *inode, umode_t mode, dev_t dev)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		inode->i_op = &tmpfs_file_inode_operations;
		inode->i_fop = &tmpfs_file_operations;
		inode->i_mapping->a_ops = &tmpfs_aops;
		break;
	case S_IFDIR:
		inode->i_op = &tmpfs_dir_inode_operations;
		inode->i_fop = &simple_dir_operations;
		inc_nlink(inode); /* "." */
		break;
	case S_IFLNK:
		inode->i_op = &simple_symlink_inode_operations;
		break;
	default:
		inode->i_op = &tmpfs_special_inode_operations;
		init_special_inode(inode, inode->i_mode, dev);
		break;
	}
}

static struct inode *tmpfs_get_inode(struct super_block *sb,
				     const struct inode *dir, umode_t mode,
				     dev_t dev)
{
	struct inode *inode;
	int err = tmpfs_reserve_inode(sb);

	if (err)
		return ERR_PTR(err);
	inode = new_inode(sb);
	if (!inode) {
		tmpfs_free_inode(sb);
		return ERR_PTR(-ENOMEM);
	}
	inode->i_ino = get_next_ino();
	inode_init_owner(inode, dir, mode);
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time(inode);
	tmpfs_set_ops(inode, mode, dev);
	return inode;
}

/* ---- directory operations ----------------------------------------------- */

static int tmpfs_mknod(struct inode *dir, struct dentry *dentry, umode_t mode,
		       dev_t dev)
{
	struct inode *inode = tmpfs_get_inode(dir->i_sb, dir, mode, dev);

	if (IS_ERR(inode))
		return PTR_ERR(inode);
	if (S_ISDIR(mode))
		inc_nlink(dir); /* the new ".." */
	simple_instantiate(dir, dentry, inode);
	return 0;
}

static int tmpfs_create(struct inode *dir, struct dentry *dentry, umode_t mode,
			bool excl)
{
	return tmpfs_mknod(dir, dentry, (mode & ~S_IFMT) | S_IFREG, 0);
}

static int tmpfs_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	return tmpfs_mknod(dir, dentry, (mode & ~S_IFMT) | S_IFDIR, 0);
}

static int tmpfs_symlink(struct inode *dir, struct dentry *dentry,
			 const char *target)
{
	size_t len = strlen(target) + 1;
	struct inode *inode;
	char *link;

	if (len > PAGE_SIZE)
		return -ENAMETOOLONG;
	link = kmalloc(len, GFP_KERNEL);
	if (!link)
		return -ENOMEM;
	memcpy(link, target, len);
	inode = tmpfs_get_inode(dir->i_sb, dir, S_IFLNK | S_IRWXUGO, 0);
	if (IS_ERR(inode)) {
		kfree(link);
		return PTR_ERR(inode);
	}
	inode->i_link = link;
	i_size_write(inode, len - 1);
	simple_instantiate(dir, dentry, inode);
	return 0;
}

static const struct inode_operations tmpfs_dir_inode_operations = {
	.lookup = simple_lookup,
	.create = tmpfs_create,
	.link = simple_link,
	.unlink = simple_unlink,
	.symlink = tmpfs_symlink,
	.mkdir = tmpfs_mkdir,
	.rmdir = simple_rmdir,
	.mknod = tmpfs_mknod,
	.rename = simple_rename,
};

/* ---- mount options ------------------------------------------------------ */

/* The multiplier a size suffix stands for, or 0 if it is not one. */
static unsigned long long size_suffix(char c)
{
	switch (c) {
	case '\0':
		return 1;
	case 'k':
	case 'K':
		return 1ULL << 10;
	case 'm':
	case 'M':
		return 1ULL << 20;
	case 'g':
	case 'G':
		return 1ULL << 30;
	}
	return 0;
}

/* "16m", "512k", "1g", "50%" (of RAM), "4096": a size in bytes. */
static int parse_size(const char *s, unsigned long long *bytes)
{
	unsigned long long ram = (u64)totalram_pages << PAGE_SHIFT;
	unsigned long long n = 0, mult;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (n > (~0ULL - 9) / 10)
			return -EINVAL;
		n = n * 10 + (*p - '0');
	}
	if (p[0] == '%' && !p[1]) {
		*bytes = div_u64(ram * (n > 100 ? 100 : n), 100);
		return 0;
	}
	mult = size_suffix(p[0]);
	if (!mult || (p[0] && p[1]) || n > ~0ULL / mult)
		return -EINVAL;
	*bytes = n * mult;
	return 0;
}

static int parse_option(struct tmpfs_sb_info *opt, char *name, char *value)
{
	unsigned long long bytes;
	unsigned int n;

	if (!value)
		return -EINVAL;
	if (!strcmp(name, "size")) {
		if (parse_size(value, &bytes))
			return -EINVAL;
		opt->max_pages = (bytes + PAGE_SIZE - 1) >> PAGE_SHIFT;
		return 0;
	}
	if (!strcmp(name, "nr_inodes")) {
		if (parse_size(value, &bytes) || bytes > ~0UL)
			return -EINVAL;
		opt->max_inodes = bytes;
		return 0;
	}
	if (!strcmp(name, "mode") && !kstrtouint(value, 8, &n) && n <= 07777) {
		opt->mode = n;
		return 0;
	}
	if (!strcmp(name, "uid") && !kstrtouint(value, 10, &n)) {
		opt->uid = n;
		return 0;
	}
	if (!strcmp(name, "gid") && !kstrtouint(value, 10, &n)) {
		opt->gid = n;
		return 0;
	}
	return -EINVAL;
}

/* Parse "opt=value,opt=value" into @opt (which holds the defaults). */
static int parse_options(const char *data, struct tmpfs_sb_info *opt)
{
	char buf[128], *p = buf, *tok;
	int err = 0;

	if (!data || !*data)
		return 0;
	if (strlcpy(buf, data, sizeof(buf)) >= sizeof(buf))
		return -EINVAL;
	while (!err && (tok = strsep(&p, ","))) {
		char *value = strchr(tok, '=');

		if (!*tok)
			continue;
		if (value)
			*value++ = '\0';
		err = parse_option(opt, tok, value);
		if (err)
			pr_err("tmpfs: bad mount option '%s'\n", tok);
	}
	return err;
}

static void default_options(struct tmpfs_sb_info *opt)
{
	opt->max_pages = totalram_pages / 2;
	opt->max_inodes = totalram_pages / 2;
	opt->mode = S_IRWXUGO | S_ISVTX;
	opt->uid = 0;
	opt->gid = 0;
}

/* ---- the super block ---------------------------------------------------- */

static int tmpfs_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	struct tmpfs_sb_info *sbinfo = TMPFS_SB(dentry->d_sb);

	buf->f_type = TMPFS_MAGIC;
	buf->f_bsize = PAGE_SIZE;
	buf->f_namelen = NAME_MAX;
	spin_lock(&sbinfo->stat_lock);
	buf->f_blocks = sbinfo->max_pages;
	buf->f_bavail = buf->f_bfree =
		sbinfo->max_pages ? sbinfo->max_pages - sbinfo->used_pages : 0;
	buf->f_files = sbinfo->max_inodes;
	buf->f_ffree = sbinfo->free_inodes;
	spin_unlock(&sbinfo->stat_lock);
	return 0;
}

static int tmpfs_remount(struct super_block *sb, unsigned long *flags,
			 char *data)
{
	struct tmpfs_sb_info *sbinfo = TMPFS_SB(sb), opt = *sbinfo;
	unsigned long used_inodes;
	int err = parse_options(data, &opt);

	if (err)
		return err;
	spin_lock(&sbinfo->stat_lock);
	used_inodes = sbinfo->max_inodes - sbinfo->free_inodes;
	if ((opt.max_pages && opt.max_pages < sbinfo->used_pages) ||
	    (opt.max_inodes && opt.max_inodes < used_inodes) ||
	    (!sbinfo->max_inodes && opt.max_inodes)) {
		err = -EINVAL;
	} else {
		sbinfo->max_pages = opt.max_pages;
		sbinfo->free_inodes =
			opt.max_inodes ? opt.max_inodes - used_inodes : 0;
		sbinfo->max_inodes = opt.max_inodes;
	}
	spin_unlock(&sbinfo->stat_lock);
	return err;
}

static int tmpfs_show_options(char *buf, size_t size, struct super_block *sb)
{
	struct tmpfs_sb_info *sbinfo = TMPFS_SB(sb);

	return scnprintf(buf, size, ",size=%luk,nr_inodes=%lu,mode=%o",
			 sbinfo->max_pages << (PAGE_SHIFT - 10),
			 sbinfo->max_inodes, sbinfo->mode);
}

static void tmpfs_put_super(struct super_block *sb)
{
	kfree(sb->s_fs_info);
	sb->s_fs_info = NULL;
}

static const struct super_operations tmpfs_ops = {
	.alloc_inode = tmpfs_alloc_inode,
	.destroy_inode = tmpfs_destroy_inode,
	.evict_inode = tmpfs_evict_inode,
	.put_super = tmpfs_put_super,
	.statfs = tmpfs_statfs,
	.remount_fs = tmpfs_remount,
	.show_options = tmpfs_show_options,
};

static int tmpfs_fill_super(struct super_block *sb, void *data, int silent)
{
	struct tmpfs_sb_info *sbinfo = kzalloc(sizeof(*sbinfo), GFP_KERNEL);
	struct inode *root;

	if (!sbinfo)
		return -ENOMEM;
	spin_lock_init(&sbinfo->stat_lock);
	default_options(sbinfo);
	sb->s_fs_info = sbinfo;
	sb->s_op = &tmpfs_ops;
	sb->s_magic = TMPFS_MAGIC;
	sb->s_maxbytes = TMPFS_MAX_BYTES;
	if (parse_options(data, sbinfo))
		return -EINVAL;
	sbinfo->free_inodes = sbinfo->max_inodes;
	root = tmpfs_get_inode(sb, NULL, S_IFDIR | sbinfo->mode, 0);
	if (IS_ERR(root))
		return PTR_ERR(root);
	root->i_uid = sbinfo->uid;
	root->i_gid = sbinfo->gid;
	sb->s_root = d_make_root(root);
	return sb->s_root ? 0 : -ENOMEM;
}

struct dentry *tmpfs_mount(struct file_system_type *type, int flags,
			   const char *dev_name, void *data)
{
	return mount_nodev(type, flags, data, tmpfs_fill_super);
}

static struct file_system_type tmpfs_fs_type = {
	.name = "tmpfs",
	.mount = tmpfs_mount,
	.kill_sb = kill_litter_super,
};

/*
 * The same file system under the name Linux gives the initial root the
 * initramfs is unpacked into, so /proc/mounts shows "rootfs" as Linux's
 * does. (devtmpfs, also a tmpfs, is fs/devtmpfs.c's.)
 */
static struct file_system_type rootfs_fs_type = {
	.name = "rootfs",
	.mount = tmpfs_mount,
	.kill_sb = kill_litter_super,
};

int tmpfs_init(void)
{
	int err;

	tmpfs_inode_cachep = kmem_cache_create("tmpfs_inode_cache",
					       sizeof(struct tmpfs_inode_info),
					       0, SLAB_PANIC, NULL);
	err = register_filesystem(&tmpfs_fs_type);
	if (!err)
		err = register_filesystem(&rootfs_fs_type);
	return err;
}
