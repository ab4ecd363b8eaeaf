/*
 * devpts: the filesystem of pseudo-terminal slaves, /dev/pts/N.
 *
 * devpts owns the pty numbers, as on Linux: /dev/ptmx asks for one with
 * devpts_new_index() (an IDA, the lowest free number first) and gives
 * it back with devpts_kill_index() when the pair is freed. In between,
 * the pty driver calls devpts_pty_new() once the pair exists and
 * devpts_pty_kill() when the master closes; devpts puts
 * the node N (character device 136:N, owned by the opener, mode 0620)
 * in every mounted instance and removes it again. Each mount is its
 * own instance (mount_nodev) but all show the same ptys, as Linux's
 * devpts did before "newinstance": a new mount is filled with the
 * ptys that exist. The kernel registers the type at boot and mounts
 * nothing, as Linux: init mounts it ("mount -t devpts devpts /dev/pts"),
 * on the devtmpfs it mounted on /dev.
 *
 * The tree is a libfs one: one directory of pinned dentries.
 *
 * Locking: devpts_mutex guards the list of instances and the set of
 * live nodes, and is taken before a root directory's i_mutex. The IDA
 * of numbers has its own lock.
 */
#include <kestrel/bitmap.h>
#include <kestrel/cred.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/ida.h>
#include <kestrel/kstrtox.h>
#include <kestrel/mutex.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/tty.h>

#define DEVPTS_SUPER_MAGIC 0x1cd1 /* Linux's, statfs f_type */
#define DEVPTS_NODE_MODE (S_IFCHR | 0620)
#define DEVPTS_NAME_LEN 12

struct devpts_info {
	struct super_block *sb;
	struct list_head list; /* in devpts_instances (devpts_mutex) */
};

static DEFINE_MUTEX(devpts_mutex);
static LIST_HEAD(devpts_instances);
static DEFINE_IDA(pty_index_ida); /* the pty numbers in use */
/* The numbers with a node (devpts_pty_new .. _kill), and its owner. */
static DECLARE_BITMAP(devpts_live, PTY_MAX); /* devpts_mutex */
static kuid_t devpts_owner[PTY_MAX]; /* devpts_mutex */

int devpts_new_index(void)
{
	return ida_alloc_max(&pty_index_ida, PTY_MAX - 1, GFP_KERNEL);
}

void devpts_kill_index(unsigned int index)
{
	ida_free(&pty_index_ida, index);
}

/* Create node @index in @sb. devpts_mutex held. */
static int add_node(struct super_block *sb, unsigned int index)
{
	struct inode *dir = sb->s_root->d_inode, *inode;
	char name[DEVPTS_NAME_LEN];
	struct dentry *dentry;
	int err = 0;

	lockdep_assert_held(&devpts_mutex);
	snprintf(name, sizeof(name), "%u", index);
	inode_lock(dir);
	dentry = lookup_one_len(name, sb->s_root, (int)strlen(name));
	if (IS_ERR(dentry)) {
		err = (int)PTR_ERR(dentry);
		goto out_unlock;
	}
	if (dentry->d_inode)
		goto out_put; /* already there */
	inode = new_inode(sb);
	if (!inode) {
		err = -ENOMEM;
		goto out_put;
	}
	inode->i_ino = get_next_ino();
	init_special_inode(inode, DEVPTS_NODE_MODE,
			   MKDEV(PTY_SLAVE_MAJOR, index));
	inode->i_uid = devpts_owner[index];
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time(inode);
	simple_instantiate(dir, dentry, inode);
out_put:
	dput(dentry);
out_unlock:
	inode_unlock(dir);
	return err;
}

/* Remove node @index from @sb. devpts_mutex held. */
static void remove_node(struct super_block *sb, unsigned int index)
{
	struct inode *dir = sb->s_root->d_inode;
	char name[DEVPTS_NAME_LEN];
	struct dentry *dentry;

	lockdep_assert_held(&devpts_mutex);
	snprintf(name, sizeof(name), "%u", index);
	inode_lock(dir);
	dentry = lookup_one_len(name, sb->s_root, (int)strlen(name));
	if (!IS_ERR(dentry)) {
		if (dentry->d_inode) {
			simple_unlink(dir, dentry);
			d_delete(dentry);
		}
		dput(dentry);
	}
	inode_unlock(dir);
}

int devpts_pty_new(unsigned int index)
{
	struct devpts_info *info;
	int err = 0;

	if (index >= PTY_MAX)
		return -ENOSPC;
	mutex_lock(&devpts_mutex);
	__set_bit(index, devpts_live);
	devpts_owner[index] = current_cred()->fsuid;
	list_for_each_entry(info, &devpts_instances, list) {
		err = add_node(info->sb, index);
		if (err)
			break;
	}
	mutex_unlock(&devpts_mutex);
	return err;
}

void devpts_pty_kill(unsigned int index)
{
	struct devpts_info *info;

	if (index >= PTY_MAX)
		return;
	mutex_lock(&devpts_mutex);
	__clear_bit(index, devpts_live);
	list_for_each_entry(info, &devpts_instances, list)
		remove_node(info->sb, index);
	mutex_unlock(&devpts_mutex);
}

static int devpts_fill_super(struct super_block *sb, void *data, int silent)
{
	struct devpts_info *info = kzalloc(sizeof(*info), GFP_KERNEL);
	struct inode *root;
	unsigned int i;

	if (!info)
		return -ENOMEM;
	sb->s_magic = DEVPTS_SUPER_MAGIC;
	root = new_inode(sb);
	if (!root)
		goto out_free_info;
	root->i_ino = get_next_ino();
	root->i_mode = S_IFDIR | 0755;
	root->i_op = &simple_dir_inode_operations;
	root->i_fop = &simple_dir_operations;
	root->i_atime = root->i_mtime = root->i_ctime = current_time(root);
	set_nlink(root, 2);
	sb->s_root = d_make_root(root);
	if (!sb->s_root)
		goto out_free_info;
	info->sb = sb;
	sb->s_fs_info = info;
	mutex_lock(&devpts_mutex);
	list_add_tail(&info->list, &devpts_instances);
	for_each_set_bit(i, devpts_live, PTY_MAX) add_node(sb, i);
	mutex_unlock(&devpts_mutex);
	return 0;

out_free_info:
	kfree(info);
	return -ENOMEM;
}

static struct dentry *devpts_mount(struct file_system_type *type, int flags,
				   const char *dev_name, void *data)
{
	return mount_nodev(type, flags, data, devpts_fill_super);
}

static void devpts_kill_sb(struct super_block *sb)
{
	struct devpts_info *info = sb->s_fs_info;

	if (info) {
		mutex_lock(&devpts_mutex);
		list_del(&info->list);
		mutex_unlock(&devpts_mutex);
		kfree(info);
	}
	kill_litter_super(sb);
}

static struct file_system_type devpts_fs_type = {
	.name = "devpts",
	.mount = devpts_mount,
	.kill_sb = devpts_kill_sb,
};

int devpts_init(void)
{
	int err = register_filesystem(&devpts_fs_type);

	if (err)
		pr_err("devpts: cannot register: error %d\n", err);
	return err;
}
