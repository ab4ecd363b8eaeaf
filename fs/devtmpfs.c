/*
 * devtmpfs, simply: a tmpfs mounted on /dev at boot (as Linux does with
 * CONFIG_DEVTMPFS_MOUNT), in which the driver core creates a node for
 * every device that has a device number: device_add() calls
 * devtmpfs_create_node() and device_del() devtmpfs_delete_node().
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

#define DEV_DIR "/dev"
#define DEVTMPFS_DEFAULT_MODE 0600 /* Linux's, for nodes without devnode() */
#define DEVTMPFS_DIR_MODE 0755
/* "/dev/" and a devnode name with its directories; on the stack. */
#define DEVTMPFS_PATH_LEN 256

/*
 * Rooted at the devtmpfs mount, with umask 0 so nodes get exactly the
 * mode asked for, and unaffected by whatever is mounted over /dev later
 * (as Linux's kdevtmpfs works in its own mount). NULL until /dev is
 * mounted: devices added before that get no node.
 */
static struct fs_struct *devtmpfs_fs;

/* A view of the mount at @dev_dir for the node operations. */
static int devtmpfs_fs_init(void)
{
	struct path root;
	int err;

	err = vfs_path_lookup(&init_fs, NULL, DEV_DIR, LOOKUP_FOLLOW, &root);
	if (err)
		return err;
	devtmpfs_fs = alloc_fs_struct(&root);
	path_put(&root);
	if (!devtmpfs_fs)
		return -ENOMEM;
	fs_set_umask(devtmpfs_fs, 0);
	return 0;
}

int devtmpfs_init(void)
{
	struct path dev;
	int err;

	err = do_mkdirat(&init_fs, NULL, DEV_DIR, DEVTMPFS_DIR_MODE);
	if (err && err != -EEXIST)
		goto out;
	err = vfs_path_lookup(&init_fs, NULL, DEV_DIR, LOOKUP_FOLLOW, &dev);
	if (err)
		goto out;
	err = do_mount("devtmpfs", &dev, "devtmpfs", 0, "mode=0755");
	path_put(&dev);
	if (!err)
		err = devtmpfs_fs_init();
out:
	if (err) {
		pr_err("devtmpfs: cannot mount %s: error %d\n", DEV_DIR, err);
		return err;
	}
	pr_info("devtmpfs: mounted on %s\n", DEV_DIR);
	devtmpfs_create_existing();
	return 0;
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
 * Return: 0 (also when the node already exists), -ENODEV before /dev
 * is mounted, or -errno (logged).
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
