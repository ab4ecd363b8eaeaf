/*
 * devtmpfs, simply: one tmpfs instance in which the driver core creates
 * a node for every device that has a device number: device_add() calls
 * devtmpfs_create_node() and device_del() devtmpfs_delete_node().
 *
 * There is one instance, as in Linux's drivers/base/devtmpfs.c: the
 * kernel mounts it privately at boot (devtmpfs_mnt, attached nowhere)
 * and works in it through devtmpfs_fs, rooted there; every
 * "mount -t devtmpfs" makes one more mount of that same super_block
 * (devtmpfs_mount), so all of them show the one live tree, whatever
 * was created or removed in it and whenever.
 *
 *	devtmpfs_init: devtmpfs_mnt = tmpfs instance (private) <-- devtmpfs_fs
 *	                                 ^           ^
 *	mount -t devtmpfs none /dev -----+           |
 *	mount -t devtmpfs none /mnt -----------------+   (s_active + 1 each)
 *
 * The kernel does not mount it on /dev of the initramfs: Linux mounts
 * devtmpfs itself only over a root device it mounted (DEVTMPFS_MOUNT),
 * and with an initramfs leaves /dev to init ("mount -t devtmpfs devtmpfs
 * /dev"), which user/init and tests/user/runner.c do. The initramfs's
 * own /dev holds the console node init's stdio is opened on
 * (default_rootfs(), fs/initramfs.c).
 *
 * The node's name is the device's devnode (see device_get_devnode():
 * the type's or class's devnode() callback, else the device name with
 * '!' read as '/'); missing directories on the way are made, and
 * emptied ones removed again. Its mode is the devnode()'s, else 0600.
 * A node is removed only if it is still the device's (same type and
 * number): one that user space replaced is left alone.
 */
#include <kestrel/device.h>
#include <kestrel/devtmpfs.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs_struct.h>
#include <kestrel/kstrtox.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "internal.h"

#define DEVTMPFS_OPTIONS "mode=0755" /* of the root: Linux's */
#define DEVTMPFS_DEFAULT_MODE 0600 /* Linux's, for nodes without devnode() */
#define DEVTMPFS_DIR_MODE 0755
/* "/" and a devnode name with its directories; on the stack. */
#define DEVTMPFS_PATH_LEN 256

/* The instance itself: a tmpfs under devtmpfs's name, never registered. */
static struct file_system_type devtmpfs_internal_type = {
	.name = "devtmpfs",
	.mount = tmpfs_mount,
	.kill_sb = kill_litter_super,
	.fs_supers = LIST_HEAD_INIT(devtmpfs_internal_type.fs_supers),
};

/* The kernel's private mount of the instance; NULL until devtmpfs_init. */
static struct vfsmount *devtmpfs_mnt;

/*
 * Rooted at devtmpfs_mnt, with umask 0 so nodes get exactly the mode
 * asked for, and unaffected by whatever user space mounts where. NULL
 * until devtmpfs_init(): devices added before that get their node then
 * (devtmpfs_create_existing).
 */
static struct fs_struct *devtmpfs_fs;

/*
 * "mount -t devtmpfs": one more mount of the one instance. Options
 * (size=, nr_inodes=) apply to it, as Linux's reconfigure_single() does.
 */
static struct dentry *devtmpfs_mount(struct file_system_type *type, int flags,
				     const char *dev_name, void *data)
{
	struct super_block *sb;
	unsigned long sb_flags = flags;
	int err;

	if (!devtmpfs_mnt)
		return ERR_PTR(-ENODEV);
	sb = devtmpfs_mnt->mnt_sb;
	if (data && *(char *)data && sb->s_op->remount_fs) {
		err = sb->s_op->remount_fs(sb, &sb_flags, data);
		if (err)
			return ERR_PTR(err);
	}
	grab_super_active(sb);
	return dget(sb->s_root);
}

static struct file_system_type devtmpfs_fs_type = {
	.name = "devtmpfs",
	.mount = devtmpfs_mount,
	.kill_sb = kill_litter_super, /* never: devtmpfs_mnt holds it */
};

/* devtmpfs_fs: a view of the private mount for the node operations. */
static int devtmpfs_fs_init(void)
{
	struct path root = {
		.mnt = devtmpfs_mnt,
		.dentry = devtmpfs_mnt->mnt_root,
	};

	devtmpfs_fs = alloc_fs_struct(&root);
	if (!devtmpfs_fs)
		return -ENOMEM;
	fs_set_umask(devtmpfs_fs, 0);
	return 0;
}

int devtmpfs_init(void)
{
	struct vfsmount *mnt;
	int err;

	mnt = vfs_kern_mount(&devtmpfs_internal_type, 0, "devtmpfs",
			     DEVTMPFS_OPTIONS);
	if (IS_ERR(mnt)) {
		err = PTR_ERR(mnt);
		goto out;
	}
	mnt->mnt_flags |= MNT_INTERNAL;
	devtmpfs_mnt = mnt;
	err = devtmpfs_fs_init();
	if (err)
		goto out_put_mnt;
	err = register_filesystem(&devtmpfs_fs_type);
	if (err)
		goto out_put_fs;
	pr_info("devtmpfs: initialized\n");
	devtmpfs_create_existing();
	return 0;

out_put_fs:
	put_fs_struct(devtmpfs_fs);
	devtmpfs_fs = NULL;
out_put_mnt:
	devtmpfs_mnt = NULL;
	mntput(mnt);
out:
	pr_err("devtmpfs: cannot set up: error %d\n", err);
	return err;
}

/*
 * @dev's node as a path in devtmpfs_fs, "/<devnode>", into @path, and
 * the mode its class or type asks for (0: none) into @mode.
 * Returns 0, -ENOMEM or -ENAMETOOLONG.
 */
static int dev_node_path(struct device *dev, char *path, size_t size,
			 umode_t *mode)
{
	const char *name;
	char *tmp;
	int err = 0;

	name = device_get_devnode(dev, mode, &tmp);
	if (!name)
		return -ENOMEM;
	if ((size_t)snprintf(path, size, "/%s", name) >= size)
		err = -ENAMETOOLONG;
	kfree(tmp);
	return err;
}

/* Make each directory of @path above its last component. */
static int create_path_dirs(char *path)
{
	char *s = path + 1;
	int err;

	while ((s = strchr(s, '/'))) {
		*s = '\0';
		err = do_mkdirat(devtmpfs_fs, NULL, path, DEVTMPFS_DIR_MODE);
		*s = '/';
		if (err && err != -EEXIST)
			return err;
		s++;
	}
	return 0;
}

/* Remove the directories of @path above its last component, deepest
 * first, while they are empty. */
static void delete_path_dirs(char *path)
{
	char *s;

	while ((s = strrchr(path, '/')) && s > path) {
		*s = '\0';
		if (do_rmdir(devtmpfs_fs, NULL, path))
			break;
	}
}

/**
 * devtmpfs_create_node - make /dev/<devnode> for @dev
 * @dev: a device with a device number, being added
 *
 * Return: 0 (also when the node already exists), -ENODEV before
 * devtmpfs_init(), or -errno (logged).
 * Context: process; may sleep.
 */
int devtmpfs_create_node(struct device *dev)
{
	char path[DEVTMPFS_PATH_LEN];
	umode_t mode;
	int err;

	if (!devtmpfs_fs)
		return -ENODEV;
	err = dev_node_path(dev, path, sizeof(path), &mode);
	if (!mode)
		mode = DEVTMPFS_DEFAULT_MODE;
	mode |= device_is_block(dev) ? S_IFBLK : S_IFCHR;
	if (!err)
		err = create_path_dirs(path);
	if (!err)
		err = do_mknodat(devtmpfs_fs, NULL, path, mode, dev->devt);
	if (err == -EEXIST)
		err = 0;
	if (err)
		pr_err("devtmpfs: cannot create a node for %s: error %d\n",
		       dev_name(dev), err);
	return err;
}

/* Is @path still the node of @dev (same type and number)? */
static bool node_is_dev(const char *path, const struct device *dev)
{
	struct path p;
	struct inode *inode;
	bool ours;

	if (vfs_path_lookup(devtmpfs_fs, NULL, path, 0, &p))
		return false;
	inode = p.dentry->d_inode;
	ours = inode && inode->i_rdev == dev->devt &&
	       (S_ISCHR(inode->i_mode) || S_ISBLK(inode->i_mode));
	path_put(&p);
	return ours;
}

/**
 * devtmpfs_delete_node - remove the /dev node of @dev
 * @dev: a device with a device number, being deleted
 *
 * Directories the node's name made are removed when empty.
 * Return: 0, -ENOENT if the node is gone or not the device's, -errno.
 * Context: process; may sleep.
 */
int devtmpfs_delete_node(struct device *dev)
{
	char path[DEVTMPFS_PATH_LEN];
	umode_t mode;
	int err;

	if (!devtmpfs_fs)
		return -ENODEV;
	err = dev_node_path(dev, path, sizeof(path), &mode);
	if (!err && !node_is_dev(path, dev))
		err = -ENOENT;
	if (!err)
		err = do_unlinkat(devtmpfs_fs, NULL, path);
	if (!err)
		delete_path_dirs(path);
	return err;
}
