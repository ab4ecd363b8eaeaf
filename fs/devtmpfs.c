/*
 * devtmpfs, simply: a tmpfs mounted on /dev at boot (as Linux does with
 * CONFIG_DEVTMPFS_MOUNT), in which the kernel creates device nodes.
 * The kevent/uevent machinery of the device model will create and
 * remove nodes as devices come and go; for now drivers call
 * devtmpfs_create_node() when they register.
 */
#include <kestrel/devtmpfs.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs_struct.h>
#include <kestrel/kstrtox.h>
#include <kestrel/printk.h>
#include <kestrel/string.h>
#include <uapi/limits.h>

#define DEV_DIR "/dev"

int devtmpfs_init(void)
{
	struct path dev;
	int err;

	err = do_mkdirat(&init_fs, NULL, DEV_DIR, 0755);
	if (err && err != -EEXIST)
		goto out;
	err = vfs_path_lookup(&init_fs, NULL, DEV_DIR, LOOKUP_FOLLOW, &dev);
	if (err)
		goto out;
	err = do_mount("devtmpfs", &dev, "devtmpfs", 0, "mode=0755");
	path_put(&dev);
out:
	if (err)
		pr_err("devtmpfs: cannot mount %s: error %d\n", DEV_DIR, err);
	else
		pr_info("devtmpfs: mounted on %s\n", DEV_DIR);
	return err;
}

int devtmpfs_create_node(const char *name, umode_t mode, dev_t dev)
{
	char path[NAME_MAX + sizeof(DEV_DIR) + 1];
	int err;

	snprintf(path, sizeof(path), DEV_DIR "/%s", name);
	err = do_mknodat(&init_fs, NULL, path, mode, dev);
	if (err && err != -EEXIST)
		pr_err("devtmpfs: cannot create %s: error %d\n", path, err);
	return err == -EEXIST ? 0 : err;
}
