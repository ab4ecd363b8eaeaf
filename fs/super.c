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
 * Anonymous device numbers (major 0) come from an IDA, the lowest free
 * minor first, as Linux's get_anon_bdev() does.
 *
 * Before the tree goes, the file system is synced (sync_filesystem():
 * dirty pages and inodes written); a remount read-only syncs too.
 * iterate_supers() calls a function on every live super_block (sync(),
 * the flusher, drop_caches).
 *
 * Locking: sb_lock (a spinlock) protects the list of super_blocks, each
 * type's list of instances and s_active; the IDA has its own lock.
 * super_iter_mutex is held by iterate_supers() for its whole walk and
 * by whoever kills and frees a super_block: a walk never sees one go
 * under it, and an unmount waits for a sync in progress to finish (as
 * Linux's s_umount makes it). It comes before every file-system lock.
 */
#include <kestrel/errno.h>
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
static DEFINE_MUTEX(super_iter_mutex); /* see above */

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
	strlcpy(sb->s_id, type->name, sizeof(sb->s_id));
	spin_lock(&sb_lock);
	list_add_tail(&sb->s_list, &super_blocks);
	list_add_tail(&sb->s_instances, &type->fs_supers);
	spin_unlock(&sb_lock);
	return sb;
}

static void free_super(struct super_block *sb)
{
	spin_lock(&sb_lock);
	list_del(&sb->s_list);
	list_del(&sb->s_instances);
	spin_unlock(&sb_lock);
	kfree(sb);
}

/* The type's ->kill_sb, then free: never in the middle of a walk. */
static void kill_super(struct super_block *sb)
{
	mutex_lock(&super_iter_mutex);
	sb->s_type->kill_sb(sb);
	free_super(sb);
	mutex_unlock(&super_iter_mutex);
}

/* The super_block after @sb on the list (the first with NULL), or NULL. */
static struct super_block *next_super(struct super_block *sb)
{
	struct list_head *pos;

	spin_lock(&sb_lock);
	pos = sb ? sb->s_list.next : super_blocks.next;
	spin_unlock(&sb_lock);
	return pos == &super_blocks ?
		       NULL :
		       list_entry(pos, struct super_block, s_list);
}

/*
 * Call @fn(sb, @arg) for every mounted super_block (one with a root and
 * an active mount), oldest first. @fn may sleep; it must not unmount.
 */
void iterate_supers(void (*fn)(struct super_block *sb, void *arg), void *arg)
{
	struct super_block *sb = NULL;

	mutex_lock(&super_iter_mutex);
	while ((sb = next_super(sb))) {
		if (READ_ONCE(sb->s_root) && READ_ONCE(sb->s_active) > 0)
			fn(sb, arg);
	}
	mutex_unlock(&super_iter_mutex);
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
	err = fill_super(sb, data, flags & SB_SILENT);
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
