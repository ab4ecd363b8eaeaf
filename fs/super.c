/*
 * Super blocks: one per mounted filesystem instance.
 *
 * A filesystem's ->mount builds a super_block (mount_nodev() does the
 * common part: allocate, number it with an anonymous device, let the
 * filesystem's fill_super set the root) and returns its root dentry.
 * Each vfsmount on the instance holds an active reference (s_active);
 * when the last mount goes, deactivate_super() calls the type's
 * ->kill_sb, which tears the tree down (kill_anon_super,
 * kill_litter_super), and the super_block is freed.
 *
 *	mount_nodev -> s_active = 1 -> (bind mounts: +1 each)
 *	last mntput -> deactivate_super -> ->kill_sb -> free
 *
 * A filesystem on a disk (ext2) uses mount_bdev(): the super_block
 * holds the opened block device (s_bdev, s_dev its number), a second
 * mount of the same device shares the instance, and kill_block_super()
 * writes the device's cache out and closes it.
 *
 * Anonymous device numbers (major 0) come from an IDA, the lowest free
 * minor first, as Linux's get_anon_bdev() does.
 *
 * Before the tree goes, the file system is synced (sync_filesystem():
 * dirty pages and inodes written); a remount read-only syncs too.
 * iterate_supers() calls a function on every live super_block (sync(),
 * the flusher, drop_caches).
 *
 * Two counts keep a super_block: s_active (the mounts: the last one
 * kills the file system) and s_count (the struct itself: one for being
 * alive, one per walker; the last one frees it). A walker holds
 * s_count, so the super_block stays on the list it walks; and takes
 * s_umount around its call, as ->kill_sb's caller does, so the file
 * system is not torn down under it (an unmount waits for a sync in
 * progress), as Linux's s_umount.
 *
 * Locking: sb_lock (a spinlock) protects the list of super_blocks, each
 * type's list of instances, s_active and s_count; the IDA has its own
 * lock. s_umount (a mutex) comes before every file-system lock.
 */
#include <kestrel/buffer_head.h>
#include <kestrel/errno.h>
#include <kestrel/genhd.h>
#include <kestrel/fs.h>
#include <kestrel/ida.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/kstrtox.h>
#include <kestrel/writeback.h>

#include "internal.h"

/* Anonymous devices: major 0, minors 1 .. ANON_MAX - 1. */
#define ANON_MAX 1024

static LIST_HEAD(super_blocks); /* sb_lock */
static DEFINE_SPINLOCK(sb_lock);
static DEFINE_IDA(unnamed_dev_ida); /* the minors in use; its own lock */

/* Until fill_super sets its own: every slot the core default. */
static const struct super_operations default_op;

int get_anon_bdev(dev_t *dev)
{
	int minor =
		ida_alloc_range(&unnamed_dev_ida, 1, ANON_MAX - 1, GFP_KERNEL);

	if (minor == -ENOSPC)
		return -EMFILE; /* as Linux: too many mounts */
	if (minor < 0)
		return minor;
	*dev = MKDEV(0, (unsigned int)minor);
	return 0;
}

void free_anon_bdev(dev_t dev)
{
	unsigned int minor = MINOR(dev);

	if (MAJOR(dev) || !minor || minor >= ANON_MAX)
		return;
	ida_free(&unnamed_dev_ida, minor);
}

static struct super_block *alloc_super(struct file_system_type *type, int flags)
{
	struct super_block *sb = kzalloc(sizeof(*sb), GFP_KERNEL);

	if (!sb)
		return NULL;
	INIT_LIST_HEAD(&sb->s_inodes);
	INIT_LIST_HEAD(&sb->s_dirty);
	mutex_init(&sb->s_umount);
	mutex_init(&sb->s_vfs_rename_mutex);
	sb->s_type = type;
	sb->s_op = &default_op;
	sb->s_flags = flags & (SB_RDONLY | SB_NOSUID | SB_NODEV | SB_NOEXEC |
			       SB_KERNMOUNT);
	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	sb->s_maxbytes = MAX_LFS_FILESIZE;
	sb->s_time_gran = 1;
	sb->s_active = 1;
	sb->s_count = 1;
	strlcpy(sb->s_id, type->name, sizeof(sb->s_id));
	spin_lock(&sb_lock);
	list_add_tail(&sb->s_list, &super_blocks);
	list_add_tail(&sb->s_instances, &type->fs_supers);
	spin_unlock(&sb_lock);
	return sb;
}

/* Drop a reference to the struct; the last frees it. sb_lock held. */
static void __put_super(struct super_block *sb)
{
	if (--sb->s_count)
		return;
	list_del(&sb->s_list);
	list_del(&sb->s_instances);
	kfree(sb);
}

static void put_super(struct super_block *sb)
{
	spin_lock(&sb_lock);
	__put_super(sb);
	spin_unlock(&sb_lock);
}

/* Unused since allocation (mount failed before fill_super). */
static void free_super(struct super_block *sb)
{
	put_super(sb);
}

/* The type's ->kill_sb, never under a walker's call; then the struct
 * goes when the last walker lets go. */
static void kill_super(struct super_block *sb)
{
	spin_lock(&sb_lock);
	sb->s_active = 0; /* walkers skip it from now on */
	spin_unlock(&sb_lock);
	mutex_lock(&sb->s_umount);
	sb->s_type->kill_sb(sb);
	mutex_unlock(&sb->s_umount);
	put_super(sb);
}

/*
 * Call @fn(sb, @arg) for every mounted super_block (one with a root and
 * an active mount), oldest first, with its s_umount held. @fn may
 * sleep; it must not unmount @sb.
 */
void iterate_supers(void (*fn)(struct super_block *sb, void *arg), void *arg)
{
	struct super_block *sb, *prev = NULL;

	spin_lock(&sb_lock);
	list_for_each_entry(sb, &super_blocks, s_list) {
		if (sb->s_active <= 0)
			continue;
		sb->s_count++; /* keeps it, and our place, on the list */
		spin_unlock(&sb_lock);
		mutex_lock(&sb->s_umount);
		if (READ_ONCE(sb->s_active) > 0 && sb->s_root)
			fn(sb, arg);
		mutex_unlock(&sb->s_umount);
		spin_lock(&sb_lock);
		if (prev)
			__put_super(prev);
		prev = sb;
	}
	if (prev)
		__put_super(prev);
	spin_unlock(&sb_lock);
}

struct dentry *mount_nodev(struct file_system_type *type, int flags, void *data,
			   int (*fill_super)(struct super_block *sb, void *data,
					     int silent))
{
	struct super_block *sb = alloc_super(type, flags);
	int err;

	if (!sb)
		return ERR_PTR(-ENOMEM);
	err = get_anon_bdev(&sb->s_dev);
	if (err)
		goto out_free_super;
	snprintf(sb->s_id, sizeof(sb->s_id), "%s-%u", type->name,
		 MINOR(sb->s_dev));
	/* A walker (sync) must not see it half built. */
	mutex_lock(&sb->s_umount);
	err = fill_super(sb, data, flags & SB_SILENT);
	mutex_unlock(&sb->s_umount);
	if (err)
		goto out_kill;
	return dget(sb->s_root);

out_kill:
	/* What fill_super built is torn down the normal way. */
	kill_super(sb);
	return ERR_PTR(err);
out_free_super:
	free_super(sb);
	return ERR_PTR(err);
}

/* An active instance of @type on @bdev, with a new active reference. */
static struct super_block *find_bdev_super(struct file_system_type *type,
					   struct block_device *bdev)
{
	struct super_block *sb;

	spin_lock(&sb_lock);
	list_for_each_entry(sb, &type->fs_supers, s_instances) {
		if (sb->s_bdev == bdev && sb->s_root && sb->s_active > 0) {
			sb->s_active++;
			spin_unlock(&sb_lock);
			return sb;
		}
	}
	spin_unlock(&sb_lock);
	return NULL;
}

struct dentry *mount_bdev(struct file_system_type *type, int flags,
			  const char *dev_name, void *data,
			  int (*fill_super)(struct super_block *sb, void *data,
					    int silent))
{
	fmode_t mode = FMODE_READ | (flags & SB_RDONLY ? 0 : FMODE_WRITE);
	struct block_device *bdev;
	struct super_block *sb;
	int err;

	bdev = blkdev_get_by_path(dev_name, mode);
	if (IS_ERR(bdev))
		return ERR_CAST(bdev);
	sb = find_bdev_super(type, bdev);
	if (sb) { /* mounted already: share it, as Linux does */
		blkdev_put(bdev, mode);
		if ((flags ^ sb->s_flags) & SB_RDONLY) {
			deactivate_super(sb);
			return ERR_PTR(-EBUSY);
		}
		return dget(sb->s_root);
	}
	sb = alloc_super(type, flags);
	if (!sb) {
		blkdev_put(bdev, mode);
		return ERR_PTR(-ENOMEM);
	}
	sb->s_bdev = bdev;
	sb->s_dev = bdev->bd_dev;
	strlcpy(sb->s_id, kobject_name(&bdev->bd_device.kobj),
		sizeof(sb->s_id));
	/* A walker (sync) must not see it half built. */
	mutex_lock(&sb->s_umount);
	err = fill_super(sb, data, flags & SB_SILENT);
	mutex_unlock(&sb->s_umount);
	if (err) {
		/* ->kill_sb (kill_block_super) closes the device. */
		kill_super(sb);
		return ERR_PTR(err);
	}
	return dget(sb->s_root);
}

/* Write what is dirty, free every dentry and inode of @sb and let the
 * filesystem finish. */
static void generic_shutdown_super(struct super_block *sb)
{
	sync_filesystem(sb);
	shrink_dcache_for_umount(sb);
	evict_inodes(sb);
	if (sb->s_op->put_super)
		sb->s_op->put_super(sb);
}

void kill_anon_super(struct super_block *sb)
{
	generic_shutdown_super(sb);
	free_anon_bdev(sb->s_dev);
}

void kill_block_super(struct super_block *sb)
{
	struct block_device *bdev = sb->s_bdev;
	fmode_t mode = FMODE_READ | (sb->s_flags & SB_RDONLY ? 0 : FMODE_WRITE);

	generic_shutdown_super(sb);
	sync_blockdev(bdev);
	blkdev_put(bdev, mode);
}

void kill_litter_super(struct super_block *sb)
{
	if (sb->s_root)
		d_genocide(sb->s_root);
	kill_anon_super(sb);
}

void grab_super_active(struct super_block *sb)
{
	spin_lock(&sb_lock);
	sb->s_active++;
	spin_unlock(&sb_lock);
}

void deactivate_super(struct super_block *sb)
{
	bool last;

	spin_lock(&sb_lock);
	last = --sb->s_active == 0;
	spin_unlock(&sb_lock);
	if (!last)
		return;
	kill_super(sb);
}
