/*
 * The mount tree.
 *
 * Every mounted filesystem instance is reached through a vfsmount: its
 * root dentry (mnt_root), and where it is attached, a dentry
 * (mnt_mountpoint) inside a parent vfsmount. The tree's root is the
 * mount made by vfs_caches_init() (a tmpfs, "rootfs"); it is its own
 * parent. Kestrel has one mount namespace.
 *
 *	ns_root (tmpfs) "/"
 *	  +-- mnt A: mountpoint /proc in ns_root, mnt_root = A's root
 *	  +-- mnt B: mountpoint /tmp  in ns_root
 *
 * The path walk crosses mounts in both directions: when it reaches a
 * dentry with d_mounted > 0, lookup_mnt() finds the child mounted there
 * (a hash of (parent mount, mountpoint)); ".." at a mount's root moves to
 * its mountpoint first (follow_up()).
 *
 * References: the tree holds one reference to each attached mount, and
 * each child mount holds references to its parent mount and to its
 * mountpoint dentry. A path (open file, cwd, a walk in progress) holds
 * one more. umount of a mount whose count is above "tree + caller" is
 * EBUSY; MNT_DETACH takes the mount out of the tree at once and lets it
 * die with its last user.
 *
 * Locking:
 *	namespace_mutex		serialises changes to the tree (mount,
 *				umount); may be held while sleeping.
 *	vfsmount_lock		spinlock: the hash, parent/child links,
 *				mnt_count and dentry->d_mounted. Taken
 *				before dcache_lock when both are needed.
 */
#include <kestrel/bug.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/fs_struct.h>
#include <kestrel/mutex.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/writeback.h>

#include "internal.h"

#define MNT_HASH_SIZE 64

DEFINE_SPINLOCK(vfsmount_lock);
static DEFINE_MUTEX(namespace_mutex);
static struct list_head mount_hashtable[MNT_HASH_SIZE]; /* vfsmount_lock */
static LIST_HEAD(ns_mounts); /* vfsmount_lock: attached, in mount order */
static struct vfsmount *ns_root; /* c: after mnt_init() */

static struct list_head *m_hash(const struct vfsmount *mnt,
				const struct dentry *dentry)
{
	uintptr_t h = ((uintptr_t)mnt >> 4) + ((uintptr_t)dentry >> 4);

	return &mount_hashtable[(h ^ (h >> 6)) % MNT_HASH_SIZE];
}

static struct vfsmount *alloc_vfsmnt(const char *name)
{
	struct vfsmount *mnt = kzalloc(sizeof(*mnt), GFP_KERNEL);
	size_t len = strlen(name) + 1;

	if (!mnt)
		return NULL;
	mnt->mnt_devname = kmalloc(len, GFP_KERNEL);
	if (!mnt->mnt_devname) {
		kfree(mnt);
		return NULL;
	}
	memcpy(mnt->mnt_devname, name, len);
	mnt->mnt_count = 1;
	mnt->mnt_parent = mnt;
	INIT_LIST_HEAD(&mnt->mnt_hash);
	INIT_LIST_HEAD(&mnt->mnt_mounts);
	INIT_LIST_HEAD(&mnt->mnt_child);
	INIT_LIST_HEAD(&mnt->mnt_list);
	return mnt;
}

static void free_vfsmnt(struct vfsmount *mnt)
{
	kfree(mnt->mnt_devname);
	kfree(mnt);
}

struct vfsmount *mntget(struct vfsmount *mnt)
{
	if (mnt) {
		spin_lock(&vfsmount_lock);
		mnt->mnt_count++;
		spin_unlock(&vfsmount_lock);
	}
	return mnt;
}

/* The last reference: the mount is out of the tree; free it. */
void mntput(struct vfsmount *mnt)
{
	bool last;

	if (!mnt)
		return;
	spin_lock(&vfsmount_lock);
	BUG_ON(mnt->mnt_count <= 0);
	last = --mnt->mnt_count == 0;
	spin_unlock(&vfsmount_lock);
	if (!last)
		return;
	dput(mnt->mnt_root);
	deactivate_super(mnt->mnt_sb);
	free_vfsmnt(mnt);
}

void path_get(const struct path *path)
{
	mntget(path->mnt);
	dget(path->dentry);
}

void path_put(const struct path *path)
{
	dput(path->dentry);
	mntput(path->mnt);
}

int mnt_want_write(const struct vfsmount *mnt)
{
	if ((READ_ONCE(mnt->mnt_flags) & MNT_READONLY) ||
	    (mnt->mnt_sb->s_flags & SB_RDONLY))
		return -EROFS;
	return 0;
}

/* ---- crossing mounts ---------------------------------------------------- */

struct vfsmount *lookup_mnt(const struct path *path)
{
	struct list_head *head = m_hash(path->mnt, path->dentry);
	struct vfsmount *mnt, *found = NULL;

	spin_lock(&vfsmount_lock);
	list_for_each_entry(mnt, head, mnt_hash) {
		if (mnt->mnt_parent == path->mnt &&
		    mnt->mnt_mountpoint == path->dentry) {
			found = mnt;
			found->mnt_count++;
			break;
		}
	}
	spin_unlock(&vfsmount_lock);
	return found;
}

bool follow_mount(struct path *path)
{
	bool moved = false;

	while (d_mountpoint(path->dentry)) {
		struct vfsmount *mounted = lookup_mnt(path);

		if (!mounted)
			break;
		dput(path->dentry);
		mntput(path->mnt);
		path->mnt = mounted;
		path->dentry = dget(mounted->mnt_root);
		moved = true;
	}
	return moved;
}

bool follow_up(struct path *path)
{
	struct vfsmount *parent;
	struct dentry *mountpoint;

	spin_lock(&vfsmount_lock);
	parent = path->mnt->mnt_parent;
	if (parent == path->mnt) {
		spin_unlock(&vfsmount_lock);
		return false;
	}
	parent->mnt_count++;
	mountpoint = dget(path->mnt->mnt_mountpoint);
	spin_unlock(&vfsmount_lock);
	dput(path->dentry);
	path->dentry = mountpoint;
	mntput(path->mnt);
	path->mnt = parent;
	return true;
}

/* ---- attaching and detaching -------------------------------------------- */

/* Link @mnt under @where (hash, parent, mountpoint); the child's hold on
 * its parent is taken here, the mountpoint's dget by the caller. */
static void hang_mnt(struct vfsmount *mnt, const struct path *where)
{
	lockdep_assert_held(&vfsmount_lock);
	where->mnt->mnt_count++; /* the child's hold on its parent */
	mnt->mnt_parent = where->mnt;
	mnt->mnt_mountpoint = where->dentry;
	where->dentry->d_mounted++;
	list_add(&mnt->mnt_hash, m_hash(where->mnt, where->dentry));
	list_add_tail(&mnt->mnt_child, &where->mnt->mnt_mounts);
}

/* Hang @mnt on @where; takes references for the tree. vfsmount_lock held. */
static void attach_mnt(struct vfsmount *mnt, const struct path *where)
{
	mnt->mnt_count++; /* the tree's hold on the child */
	hang_mnt(mnt, where);
	list_add_tail(&mnt->mnt_list, &ns_mounts);
}

/*
 * Take @mnt out of the tree. vfsmount_lock held. mnt_parent and
 * mnt_mountpoint still name the old place, whose references
 * release_mounts() drops once the lock is released (a walker already
 * inside the mount may still climb out through them until then).
 */
static void detach_mnt(struct vfsmount *mnt)
{
	lockdep_assert_held(&vfsmount_lock);
	mnt->mnt_mountpoint->d_mounted--;
	list_del_init(&mnt->mnt_hash);
	list_del_init(&mnt->mnt_child);
	list_del_init(&mnt->mnt_list);
	mnt->mnt_flags |= MNT_DETACHED;
}

/*
 * Is @path a place something can be mounted on? A filesystem's root is
 * never hashed, yet mounting on top of a mount is allowed (d_unlinked).
 */
static int check_mountpoint(const struct path *path)
{
	struct inode *inode = path->dentry->d_inode;
	bool unlinked = d_unhashed(path->dentry) && !IS_ROOT(path->dentry);

	if (!inode || unlinked || IS_DEADDIR(inode))
		return -ENOENT;
	if (!S_ISDIR(inode->i_mode))
		return -ENOTDIR;
	return 0;
}

/* Attach @mnt on top of whatever is mounted at @path. */
static int do_add_mount(struct vfsmount *mnt, const struct path *path)
{
	struct path where;
	int err;

	mutex_lock(&namespace_mutex);
	where = *path;
	path_get(&where);
	follow_mount(&where);
	err = check_mountpoint(&where);
	if (!err) {
		dget(where.dentry); /* the tree's hold on the mountpoint */
		spin_lock(&vfsmount_lock);
		attach_mnt(mnt, &where);
		spin_unlock(&vfsmount_lock);
	}
	mutex_unlock(&namespace_mutex);
	path_put(&where);
	return err;
}

/* ---- making mounts ------------------------------------------------------ */

static int sb_to_mnt_flags(unsigned long flags)
{
	int mnt_flags = 0;

	if (flags & MS_NOSUID)
		mnt_flags |= MNT_NOSUID;
	if (flags & MS_NODEV)
		mnt_flags |= MNT_NODEV;
	if (flags & MS_NOEXEC)
		mnt_flags |= MNT_NOEXEC;
	if (flags & MS_RDONLY)
		mnt_flags |= MNT_READONLY;
	return mnt_flags;
}

struct vfsmount *vfs_kern_mount(struct file_system_type *type, int flags,
				const char *name, void *data)
{
	struct vfsmount *mnt;
	struct dentry *root;

	if (!type)
		return ERR_PTR(-ENODEV);
	mnt = alloc_vfsmnt(name);
	if (!mnt)
		return ERR_PTR(-ENOMEM);
	root = type->mount(type, flags, name, data);
	if (IS_ERR(root)) {
		free_vfsmnt(mnt);
		return ERR_PTR(PTR_ERR(root));
	}
	mnt->mnt_root = root;
	mnt->mnt_sb = root->d_sb;
	mnt->mnt_mountpoint = root;
	mnt->mnt_flags = sb_to_mnt_flags(flags);
	return mnt;
}

struct vfsmount *kern_mount(struct file_system_type *type)
{
	struct vfsmount *mnt =
		vfs_kern_mount(type, SB_KERNMOUNT, type->name, NULL);

	if (!IS_ERR(mnt))
		mnt->mnt_flags |= MNT_INTERNAL;
	return mnt;
}

void kern_unmount(struct vfsmount *mnt)
{
	mntput(mnt);
}

/*
 * MS_REMOUNT: new flags for the mount at @path. With MS_BIND only the
 * mount's own flags change (a read-only view of a writable filesystem);
 * without it the filesystem itself is remounted, options and all.
 */
static int do_remount(const struct path *path, unsigned long flags, void *data)
{
	struct super_block *sb = path->mnt->mnt_sb;
	unsigned long sb_flags = flags & SB_RDONLY;
	int err = 0;

	if (path->dentry != path->mnt->mnt_root)
		return -EINVAL;
	mutex_lock(&namespace_mutex);
	/* Going read-only: what is dirty is written while it still may be
	 * (Linux's do_remount_sb()). */
	if (!(flags & MS_BIND) && (sb_flags & SB_RDONLY) &&
	    !(sb->s_flags & SB_RDONLY))
		err = sync_filesystem(sb);
	if (!err && !(flags & MS_BIND) && sb->s_op->remount_fs)
		err = sb->s_op->remount_fs(sb, &sb_flags, data);
	if (!err && !(flags & MS_BIND))
		sb->s_flags = (sb->s_flags & ~SB_RDONLY) |
			      (sb_flags & SB_RDONLY);
	if (!err) {
		spin_lock(&vfsmount_lock);
		path->mnt->mnt_flags =
			(path->mnt->mnt_flags & (MNT_INTERNAL | MNT_DETACHED)) |
			sb_to_mnt_flags(flags);
		spin_unlock(&vfsmount_lock);
	}
	mutex_unlock(&namespace_mutex);
	return err;
}

int do_mount(const char *dev_name, const struct path *path,
	     const char *type_name, unsigned long flags, void *data)
{
	struct file_system_type *type;
	struct vfsmount *mnt;
	int err;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (flags & MS_REMOUNT)
		return do_remount(path, flags, data);
	if (flags & MS_BIND)
		return -EINVAL; /* do_bind_mount(): the caller resolves the
				 * source path */
	if (!type_name)
		return -EINVAL;
	type = get_fs_type(type_name);
	if (!type)
		return -ENODEV;
	mnt = vfs_kern_mount(type, flags & ~SB_KERNMOUNT,
			     dev_name ? dev_name : "none", data);
	if (IS_ERR(mnt))
		return PTR_ERR(mnt);
	err = do_add_mount(mnt, path);
	mntput(mnt); /* the tree holds it now, or nobody does */
	return err;
}

/* The new mount shares @from's super_block; its root is @from's dentry. */
int do_bind_mount(const struct path *from, const struct path *to)
{
	struct vfsmount *mnt;
	int err;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (!from->dentry->d_inode)
		return -ENOENT;
	mnt = alloc_vfsmnt(from->mnt->mnt_devname);
	if (!mnt)
		return -ENOMEM;
	grab_super_active(from->mnt->mnt_sb);
	mnt->mnt_sb = from->mnt->mnt_sb;
	mnt->mnt_root = dget(from->dentry);
	mnt->mnt_mountpoint = mnt->mnt_root;
	mnt->mnt_flags = from->mnt->mnt_flags & ~(MNT_INTERNAL | MNT_DETACHED);
	err = do_add_mount(mnt, to);
	mntput(mnt);
	return err;
}

/* Is @mnt @ancestor or mounted somewhere below it? vfsmount_lock held. */
static bool mnt_is_below(struct vfsmount *mnt, struct vfsmount *ancestor)
{
	for (;;) {
		if (mnt == ancestor)
			return true;
		if (mnt->mnt_parent == mnt)
			return false;
		mnt = mnt->mnt_parent;
	}
}

/*
 * MS_MOVE: take the mount whose root is @from, with everything mounted
 * below it, off its mountpoint and hang it on @to (busybox switch_root:
 * mount --move NEWROOT /). Its place in /proc/mounts stays. EINVAL if
 * @from is not a mount's root or is the root of the tree; ELOOP if @to
 * is inside the mount being moved, as Linux.
 */
int do_move_mount(const struct path *from, const struct path *to)
{
	struct vfsmount *mnt = from->mnt;
	struct path where, old = { NULL, NULL };
	int err;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (from->dentry != mnt->mnt_root)
		return -EINVAL;
	mutex_lock(&namespace_mutex);
	where = *to;
	path_get(&where);
	follow_mount(&where);
	err = check_mountpoint(&where);
	spin_lock(&vfsmount_lock);
	if (!err && (mnt == ns_root || mnt->mnt_parent == mnt ||
		     (mnt->mnt_flags & (MNT_INTERNAL | MNT_DETACHED))))
		err = -EINVAL;
	if (!err && mnt_is_below(where.mnt, mnt))
		err = -ELOOP;
	if (!err) {
		old.mnt = mnt->mnt_parent;
		old.dentry = mnt->mnt_mountpoint;
		mnt->mnt_mountpoint->d_mounted--;
		list_del_init(&mnt->mnt_hash);
		list_del_init(&mnt->mnt_child);
		hang_mnt(mnt, &where);
		dget(where.dentry); /* the tree's hold on the new mountpoint */
	}
	spin_unlock(&vfsmount_lock);
	mutex_unlock(&namespace_mutex);
	path_put(&where);
	if (!err)
		path_put(&old); /* the holds on the old parent and mountpoint */
	return err;
}

/* ---- unmounting --------------------------------------------------------- */

/* Is @mnt in use beyond the tree's and the caller's references? */
static bool mount_busy(const struct vfsmount *mnt)
{
	return mnt->mnt_count > 2 || !list_empty(&mnt->mnt_mounts);
}

/*
 * Detach @mnt and everything mounted below it onto @dead (children
 * first), linked through mnt_hash, which detached mounts do not use.
 * vfsmount_lock held.
 */
static void umount_tree(struct vfsmount *mnt, struct list_head *dead)
{
	lockdep_assert_held(&vfsmount_lock);
	while (!list_empty(&mnt->mnt_mounts)) {
		struct vfsmount *leaf = mnt;

		while (!list_empty(&leaf->mnt_mounts))
			leaf = list_first_entry(&leaf->mnt_mounts,
						struct vfsmount, mnt_child);
		detach_mnt(leaf);
		list_add_tail(&leaf->mnt_hash, dead);
	}
	detach_mnt(mnt);
	list_add_tail(&mnt->mnt_hash, dead);
}

/* Drop the references the tree held for each mount on @dead. */
static void release_mounts(struct list_head *dead)
{
	struct vfsmount *mnt, *next;
	struct path old;

	list_for_each_entry_safe(mnt, next, dead, mnt_hash) {
		spin_lock(&vfsmount_lock);
		list_del_init(&mnt->mnt_hash);
		old.mnt = mnt->mnt_parent;
		old.dentry = mnt->mnt_mountpoint;
		mnt->mnt_parent = mnt;
		mnt->mnt_mountpoint = mnt->mnt_root;
		spin_unlock(&vfsmount_lock);
		path_put(&old);
		mntput(mnt);
	}
}

int do_umount(const struct path *path, int flags)
{
	struct vfsmount *mnt = path->mnt;
	LIST_HEAD(dead);
	int err = 0;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (flags & ~(MNT_FORCE | MNT_DETACH | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if (path->dentry != mnt->mnt_root || mnt == ns_root ||
	    (mnt->mnt_flags & (MNT_INTERNAL | MNT_DETACHED)))
		return -EINVAL;
	mutex_lock(&namespace_mutex);
	spin_lock(&vfsmount_lock);
	if (!(flags & MNT_DETACH) && mount_busy(mnt))
		err = -EBUSY;
	else
		umount_tree(mnt, &dead);
	spin_unlock(&vfsmount_lock);
	mutex_unlock(&namespace_mutex);
	release_mounts(&dead);
	return err;
}

void mounts_for_each(void (*fn)(struct vfsmount *mnt, void *arg), void *arg)
{
	struct vfsmount *mnt;

	mutex_lock(&namespace_mutex);
	/* The list changes only under namespace_mutex, which we hold. */
	list_for_each_entry(mnt, &ns_mounts, mnt_list)
		fn(mnt, arg);
	mutex_unlock(&namespace_mutex);
}

/* Mount the root tmpfs and root init_fs in it. */
void mnt_init(void)
{
	struct path root;
	unsigned int i;

	for (i = 0; i < MNT_HASH_SIZE; i++)
		INIT_LIST_HEAD(&mount_hashtable[i]);
	ns_root = vfs_kern_mount(get_fs_type("rootfs"), 0, "rootfs", NULL);
	if (IS_ERR(ns_root))
		panic("VFS: cannot mount the root tmpfs (%ld)",
		      PTR_ERR(ns_root));
	list_add_tail(&ns_root->mnt_list, &ns_mounts);
	root.mnt = ns_root;
	root.dentry = ns_root->mnt_root;
	path_get(&root);
	init_fs.root = root;
	path_get(&root);
	init_fs.pwd = root;
}
