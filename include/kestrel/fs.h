/*
 * The virtual filesystem: the objects every filesystem shares and the
 * calls the rest of the kernel makes on them.
 *
 * Five objects, as in Linux 2.6 (docs/vfs.md draws them):
 *
 *   super_block  one mounted filesystem instance: its root, its inodes,
 *                its super_operations. Lives while a mount uses it.
 *   inode        one file (regular, directory, symlink, device, fifo):
 *                mode, owner, size, times, inode_operations and the
 *                default file_operations. Shared by every name and every
 *                open file of that file.
 *   dentry       one name in one directory, pointing at an inode, or at
 *                nothing (a *negative* dentry: "this name does not
 *                exist", cached so the next lookup is a hash probe).
 *   vfsmount     one place in the mount tree where a super_block's root
 *                is attached (mountpoint dentry in the parent mount).
 *   file         one open: path, position, flags, file_operations.
 *
 * A (vfsmount, dentry) pair, struct path, names a place in the tree.
 *
 * Reference counts and who frees what:
 *   dget/dput      a dentry; the last dput of an unhashed dentry frees it,
 *                  a hashed one stays cached until pruned. A dentry holds
 *                  a reference to its parent and to its inode.
 *   ihold/iput     an inode; the last iput evicts it (->evict_inode frees
 *                  the data) and destroys it.
 *   mntget/mntput  a vfsmount; the mount tree holds one reference; the
 *                  last mntput drops the super_block's active reference.
 *   path_get/put   both of the above.
 *   get_file/fput  a file; the last fput calls ->release, drops the path
 *                  and frees the file.
 *
 * Locks (the letters tag struct members below; docs/vfs.md gives the
 * order):
 *   d   dcache_lock (fs/dcache.c, spinlock): the dentry hash, every
 *       dentry's refcount, flags, inode, parent, name and child lists.
 *   i   inode->i_lock (spinlock): i_count, i_state, i_pipe.
 *   l   inode_sb_list_lock (fs/inode.c, spinlock): each super_block's
 *       list of inodes.
 *   m   inode->i_mutex (sleeping): a directory's entries; a file's size,
 *       data, mode, owner, times and link count.
 *   v   vfsmount_lock (fs/namespace.c, spinlock): the mount hash and
 *       tree, mount refcounts, dentry->d_mounted.
 *   s   sb_lock (fs/super.c, spinlock): the super_block list, s_active.
 *   f   file->f_lock (spinlock): f_flags.
 *   w   inode_wb_list_lock (fs/fs-writeback.c, spinlock): the dirty
 *       inode lists (sb->s_dirty, i_wb_list) and dirtied_when. The
 *       I_DIRTY and I_SYNC bits of i_state change under i_lock, taken
 *       inside it when both are needed.
 *   h   inode_hash_lock (fs/inode.c, spinlock): the inode hash of disk
 *       filesystems (i_hash).
 *   c   constant after creation.
 */
#ifndef _KESTREL_FS_H
#define _KESTREL_FS_H

#include <asm/page.h>
#include <kestrel/atomic.h>
#include <kestrel/compiler.h>
#include <kestrel/cred.h>
#include <kestrel/err.h>
#include <kestrel/list.h>
#include <kestrel/mutex.h>
#include <kestrel/radix-tree.h>
#include <kestrel/spinlock.h>
#include <kestrel/time64.h>
#include <kestrel/types.h>
#include <kestrel/uio.h>
#include <uapi/dirent.h>
#include <uapi/fcntl.h>
#include <uapi/limits.h>
#include <uapi/stat.h>

struct block_device;
struct dentry;
struct file;
struct fs_struct;
struct inode;
struct kstat;
struct kstatfs;
struct page;
struct writeback_control;
struct pipe_inode_info;
struct poll_table_struct;
struct super_block;
struct vfsmount;
struct vm_area_struct;

/* ---- basic types -------------------------------------------------------- */

typedef long long loff_t;
typedef unsigned short umode_t;
typedef unsigned int fmode_t;

/*
 * A device number inside the kernel: 12 bits of major, 20 of minor
 * (Linux's kdev_t.h). User space sees the "new" encoding: see
 * new_encode_dev().
 */
typedef u32 dev_t;

#define MINORBITS 20
#define MINORMASK ((1U << MINORBITS) - 1)
#define MAJOR(dev) ((unsigned int)((dev) >> MINORBITS))
#define MINOR(dev) ((unsigned int)((dev)&MINORMASK))
#define MKDEV(ma, mi) (((dev_t)(ma) << MINORBITS) | (dev_t)(mi))

/* stat's st_rdev and mknod's dev: minor low byte, major, minor high bits. */
static inline u32 new_encode_dev(dev_t dev)
{
	unsigned int major = MAJOR(dev), minor = MINOR(dev);

	return (minor & 0xff) | (major << 8) | ((minor & ~0xffU) << 12);
}

static inline dev_t new_decode_dev(u32 dev)
{
	unsigned int major = (dev & 0xfff00) >> 8;
	unsigned int minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);

	return MKDEV(major, minor);
}

/* ---- limits and flags --------------------------------------------------- */

/* NAME_MAX, PATH_MAX, MAXSYMLINKS (40 per walk): <uapi/limits.h> */
#define MAX_NESTED_LINKS 8 /* symlinks inside symlinks (2.6's limit) */
#define MAX_LFS_FILESIZE 0x7fffffffffffffffLL

/* A kernel-internal code: an AIO method queued the request and will
 * complete it later (Linux's value). */
#define EIOCBQUEUED 529

#define S_IRWXUGO (S_IRWXU | S_IRWXG | S_IRWXO)
#define S_IALLUGO (S_ISUID | S_ISGID | S_ISVTX | S_IRWXUGO)
#define S_IRUGO (S_IRUSR | S_IRGRP | S_IROTH)
#define S_IWUGO (S_IWUSR | S_IWGRP | S_IWOTH)
#define S_IXUGO (S_IXUSR | S_IXGRP | S_IXOTH)

/* file->f_mode: what this open may do. */
#define FMODE_READ 0x1U
#define FMODE_WRITE 0x2U
#define FMODE_LSEEK 0x4U /* lseek works (else ESPIPE) */
#define FMODE_PREAD 0x8U /* pread/preadv work (else ESPIPE) */
#define FMODE_PWRITE 0x10U
#define FMODE_EXEC 0x20U
#define FMODE_PATH 0x4000U /* O_PATH: no I/O at all */
#define FMODE_OPENED 0x80000U /* ->open succeeded: ->release is due */

/* The direction of a transfer (Linux's READ and WRITE). */
enum rw_dir { READ, WRITE };

/* Permission masks for inode_permission(). */
#define MAY_EXEC 0x1
#define MAY_WRITE 0x2
#define MAY_READ 0x4
#define MAY_APPEND 0x8
#define MAY_ACCESS 0x10 /* access(2): the real ids are in force */
#define MAY_OPEN 0x20
#define MAY_CHDIR 0x40

/* Path walk flags. */
#define LOOKUP_FOLLOW 0x0001 /* follow a trailing symlink */
#define LOOKUP_DIRECTORY 0x0002 /* the result must be a directory */
#define LOOKUP_EMPTY 0x4000 /* an empty name means the start itself */

/* What the last component of a LOOKUP_PARENT walk was. */
enum { LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT };

/* inode->i_flags */
#define S_DEAD 0x1U /* a removed directory: nothing may be created in it */
#define S_NOATIME 0x2U
#define S_SYNC 0x4U /* writes are synchronous (chattr +S, ext2's flag) */

#define IS_DEADDIR(inode) ((inode)->i_flags & S_DEAD)
#define IS_SYNC(inode)                                \
	(((inode)->i_sb->s_flags & SB_SYNCHRONOUS) || \
	 ((inode)->i_flags & S_SYNC))

/* super_block->s_flags and mount flags (Linux's MS_* values). */
#define SB_RDONLY 0x1UL
#define SB_NOSUID 0x2UL
#define SB_NODEV 0x4UL
#define SB_NOEXEC 0x8UL
#define SB_SYNCHRONOUS 0x10UL /* -o sync */
#define SB_SILENT 0x8000UL
#define SB_KERNMOUNT 0x400000UL /* an internal mount (pipefs) */
#define MS_RDONLY SB_RDONLY
#define MS_NOSUID SB_NOSUID
#define MS_NODEV SB_NODEV
#define MS_NOEXEC SB_NOEXEC
#define MS_REMOUNT 0x20UL
#define MS_BIND 0x1000UL
#define MS_SILENT SB_SILENT

/* vfsmount->mnt_flags */
#define MNT_NOSUID 0x01
#define MNT_NODEV 0x02
#define MNT_NOEXEC 0x04
#define MNT_READONLY 0x40
#define MNT_INTERNAL 0x4000
#define MNT_DETACHED 0x8000 /* taken out of the tree; dies with its users */

/* umount2() flags. */
#define MNT_FORCE 0x1
#define MNT_DETACH 0x2
#define MNT_EXPIRE 0x4
#define UMOUNT_NOFOLLOW 0x8

/* file_system_type->fs_flags */
#define FS_REQUIRES_DEV 0x1

/* d_type values (DT_*): <uapi/dirent.h> */
static inline unsigned char fs_umode_to_dtype(umode_t mode)
{
	return (mode & S_IFMT) >> 12;
}

/* ---- dentries ----------------------------------------------------------- */

/* A name: pointer, length and hash (the name need not be NUL-ended). */
struct qstr {
	const char *name;
	u32 len;
	u32 hash;
};

#define QSTR_INIT(n, l)                        \
	{                                      \
		.name = n, .len = l, .hash = 0 \
	}

/* Names up to this long live inside the dentry; longer ones are kmalloc'd. */
#define DNAME_INLINE_LEN 36

/* dentry->d_flags */
#define DCACHE_PINNED 0x1U /* libfs: the filesystem holds a reference */
#define DCACHE_LRU 0x2U /* unused and on the LRU list */
#define DCACHE_UNHASHED 0x4U /* not in the hash: lookups miss it */
#define DCACHE_MOUNTED 0x8U /* something is mounted here (see d_mounted) */

struct dentry_operations {
	/* Should the dentry be freed at once when unused? NULL: cache it. */
	int (*d_delete)(const struct dentry *dentry);
	/* A name for a dentry with no place in the tree (pipe:[ino]). */
	int (*d_dname)(struct dentry *dentry, char *buf, int buflen);
};

struct dentry {
	int d_count; /* d: references */
	unsigned int d_flags; /* d: DCACHE_* */
	struct inode *d_inode; /* d: NULL for a negative dentry */
	struct dentry *d_parent; /* d: itself for a root */
	struct qstr d_name; /* d */
	struct list_head d_hash; /* d: in a dentry_hashtable chain */
	struct list_head d_child; /* d: in the parent's d_subdirs */
	struct list_head d_subdirs; /* d: our children */
	struct list_head d_lru; /* d: on the unused list */
	unsigned int d_mounted; /* v: mounts on this dentry */
	loff_t d_offset; /* m (parent's): position in a libfs listing */
	const struct dentry_operations *d_op; /* c */
	struct super_block *d_sb; /* c */
	void *d_fsdata; /* the filesystem's */
	char d_iname[DNAME_INLINE_LEN]; /* short names */
};

static inline bool d_is_negative(const struct dentry *dentry)
{
	return READ_ONCE(dentry->d_inode) == NULL;
}

static inline bool d_unhashed(const struct dentry *dentry)
{
	return dentry->d_flags & DCACHE_UNHASHED;
}

static inline bool IS_ROOT(const struct dentry *dentry)
{
	return dentry == dentry->d_parent;
}

/* ---- the page cache (<kestrel/pagemap.h>, mm/filemap.c) ---------------- */

struct address_space;

/*
 * How a file system moves a mapping's pages to and from its storage.
 * Every method is called with the page locked (except bmap) and a
 * reference held. Empty slots: see each line.
 */
struct address_space_operations {
	/* Fill @page (locked, not uptodate) from the storage; unlock it
	 * when done (SetPageUptodate first, or SetPageError), possibly
	 * from an I/O completion; unlock it also when returning an errno
	 * (a failure to start). NULL: a page not in the cache reads as
	 * zeros (tmpfs: a hole, which costs no memory). */
	int (*readpage)(struct file *file, struct page *page);
	/* Write @page (locked, dirty bit already cleared by
	 * clear_page_dirty_for_io()): set_page_writeback(), unlock, start
	 * the I/O; end_page_writeback() when it is done. NULL: the pages
	 * never go anywhere (tmpfs, until swap). */
	int (*writepage)(struct page *page, struct writeback_control *wbc);
	/* Write many dirty pages; NULL: write_cache_pages() with
	 * ->writepage. */
	int (*writepages)(struct address_space *mapping,
			  struct writeback_control *wbc);
	/* Mark @page dirty; NULL: __set_page_dirty_nobuffers(). */
	int (*set_page_dirty)(struct page *page);
	/* A buffered write of @len bytes at @pos, all within one page:
	 * ->write_begin returns the page locked in *@pagep, with what the
	 * write does not cover read in when needed; the caller copies
	 * into it; ->write_end gets the bytes really copied (maybe fewer),
	 * updates i_size, dirties and unlocks and releases the page, and
	 * returns the bytes accepted. */
	int (*write_begin)(struct file *file, struct address_space *mapping,
			   loff_t pos, unsigned int len, struct page **pagep,
			   void **fsdata);
	int (*write_end)(struct file *file, struct address_space *mapping,
			 loff_t pos, unsigned int len, unsigned int copied,
			 struct page *page, void *fsdata);
	/* The disk block of file block @block (FIBMAP); 0 for a hole. */
	sector_t (*bmap)(struct address_space *mapping, sector_t block);
	/* Part of @page is being truncated away: drop the private state of
	 * [@offset, @offset + @length). NULL: nothing to drop. */
	void (*invalidatepage)(struct page *page, unsigned int offset,
			       unsigned int length);
	/* @page (locked) is leaving the cache; its PG_dirty still says
	 * whether it held data never written anywhere. NULL: nothing. */
	void (*freepage)(struct page *page);
	/* May @page's private state go (the page leaves the cache)?
	 * Return true when it is gone. NULL: a page with PG_private
	 * stays. */
	bool (*releasepage)(struct page *page, gfp_t gfp);
};

/* address_space->flags */
#define AS_EIO 0 /* a write-back failed: the next fsync reports EIO */
#define AS_ENOSPC 1 /* a write-back failed for space: ENOSPC */

/* Radix tree tags of the page cache. */
#define PAGECACHE_TAG_DIRTY 0
#define PAGECACHE_TAG_WRITEBACK 1

/**
 * struct address_space - the cached pages of one file
 * @host: the inode it belongs to (a block device's inode for its cache)
 * @page_tree: the pages, by index; tagged dirty and writeback
 * @tree_lock: protects @page_tree and @nrpages; taken with interrupts
 *     off, since I/O completions clear the writeback tag
 * @nrpages: pages in @page_tree
 * @a_ops: the file system's methods
 * @flags: AS_* error bits, set by write-back, cleared by fsync's report
 * @i_mmap: the VMAs that map it (mm/, under @i_mmap_lock)
 * @i_mmap_lock: protects @i_mmap
 * @private_lock, @private_list: the file system's (buffer heads of
 *     metadata blocks to write at fsync, as Linux's mark_buffer_dirty_inode)
 * @gfp_mask: how its pages are allocated
 */
struct address_space {
	struct inode *host;
	struct radix_tree_root page_tree;
	spinlock_t tree_lock;
	unsigned long nrpages;
	const struct address_space_operations *a_ops;
	unsigned long flags;
	struct list_head i_mmap;
	spinlock_t i_mmap_lock;
	spinlock_t private_lock;
	struct list_head private_list;
	gfp_t gfp_mask;
};

/*
 * Read-ahead state of one open file (mm/readahead.c): the current window
 * [@start, @start + @size), of which the last @async_size pages, once
 * reached, trigger reading the next window early.
 */
struct file_ra_state {
	pgoff_t start;
	unsigned int size;
	unsigned int async_size;
	unsigned int ra_pages; /* the largest window; 0: no read-ahead */
	loff_t prev_pos; /* where the last read ended (-1: none yet) */
};

/* ---- inodes ------------------------------------------------------------- */

struct iattr;

struct inode_operations {
	/*
	 * Find @dentry's name in @dir and d_add() the inode, or NULL for a
	 * negative entry. Returns NULL (use @dentry), another dentry to use
	 * instead, or ERR_PTR. Called with @dir's i_mutex held.
	 */
	struct dentry *(*lookup)(struct inode *dir, struct dentry *dentry,
				 unsigned int flags);
	/* The directory operations: called with @dir's i_mutex held, on a
	 * negative @dentry (create, mkdir, mknod, symlink, link). */
	int (*create)(struct inode *dir, struct dentry *dentry, umode_t mode,
		      bool excl);
	int (*link)(struct dentry *old, struct inode *dir, struct dentry *new);
	int (*unlink)(struct inode *dir, struct dentry *dentry);
	int (*symlink)(struct inode *dir, struct dentry *dentry,
		       const char *target);
	int (*mkdir)(struct inode *dir, struct dentry *dentry, umode_t mode);
	int (*rmdir)(struct inode *dir, struct dentry *dentry);
	int (*mknod)(struct inode *dir, struct dentry *dentry, umode_t mode,
		     dev_t dev);
	/* Both directories locked; the VFS has checked every rule. */
	int (*rename)(struct inode *old_dir, struct dentry *old_dentry,
		      struct inode *new_dir, struct dentry *new_dentry,
		      unsigned int flags);
	/*
	 * A symlink's target. *@cookie is handed to ->put_link when the
	 * walk is done with the string. NULL slot: the inode's i_link.
	 */
	const char *(*get_link)(struct dentry *dentry, struct inode *inode,
				void **cookie);
	void (*put_link)(struct inode *inode, void *cookie);
	/* NULL slot: generic_permission(). */
	int (*permission)(struct inode *inode, int mask);
	/* NULL slot: simple_setattr(). Called with the i_mutex held. */
	int (*setattr)(struct dentry *dentry, struct iattr *attr);
	/* NULL slot: generic_fillattr(). */
	int (*getattr)(const struct vfsmount *mnt, struct dentry *dentry,
		       struct kstat *stat, u32 request_mask,
		       unsigned int flags);
};

/* inode->i_state */
#define I_FREEING 0x1U /* being evicted: no new references */
/* Dirty state (fs/fs-writeback.c, __mark_inode_dirty()): */
#define I_DIRTY_SYNC 0x2U /* times or other metadata fsync may skip */
#define I_DIRTY_DATASYNC 0x4U /* metadata fdatasync must write (size) */
#define I_DIRTY_PAGES 0x8U /* the mapping has dirty pages */
#define I_DIRTY (I_DIRTY_SYNC | I_DIRTY_DATASYNC | I_DIRTY_PAGES)
#define I_SYNC 0x10U /* being written back: one writer at a time */
#define I_NEW 0x20U /* iget_locked(): being read in; unlock_new_inode() */

struct inode {
	unsigned long i_ino; /* c */
	umode_t i_mode; /* m */
	unsigned int i_nlink; /* m */
	kuid_t i_uid; /* m */
	kgid_t i_gid; /* m */
	dev_t i_rdev; /* c: device nodes */
	loff_t i_size; /* m */
	struct timespec64 i_atime, i_mtime, i_ctime; /* m */
	u64 i_blocks; /* m: 512-byte units in use */
	unsigned int i_blkbits; /* c */
	unsigned int i_flags; /* m: S_DEAD, S_NOATIME */
	spinlock_t i_lock; /* see "i" above */
	unsigned int i_state; /* i: I_FREEING */
	int i_count; /* i: references */
	u32 i_dir_seq; /* m: libfs directories: next d_offset */
	const struct inode_operations *i_op; /* c */
	const struct file_operations *i_fop; /* c: default for opens */
	struct super_block *i_sb; /* c */
	struct list_head i_sb_list; /* l: in sb->s_inodes */
	struct list_head i_hash; /* h: in the inode hash (iget_locked) */
	struct mutex i_mutex; /* see "m" above */
	const char *i_link; /* c: a symlink's target, if kept in memory */
	struct pipe_inode_info *i_pipe; /* i: fifos and pipes, while open */
	struct address_space *i_mapping; /* c: its pages (&i_data, or a
					  * block device's cache) */
	struct address_space i_data; /* the pages of this inode's data */
	struct list_head i_wb_list; /* w: in the sb's dirty list */
	unsigned long dirtied_when; /* w: jiffies when first dirtied */
	void *i_private; /* the filesystem's */
};

static inline loff_t i_size_read(const struct inode *inode)
{
	return inode->i_size;
}

static inline void i_size_write(struct inode *inode, loff_t size)
{
	inode->i_size = size;
}

static inline void inode_lock(struct inode *inode)
{
	mutex_lock(&inode->i_mutex);
}

/*
 * i_mutex subclasses, for the lock validator (<kestrel/lockdep.h>): a
 * directory locked to change its entries is I_MUTEX_PARENT, and the
 * child it then locks (the victim of unlink, rmdir, rename; the source
 * of link) is I_MUTEX_NORMAL, so "parent before child" is checked like
 * an order of two classes. lock_rename() locks the second parent as
 * I_MUTEX_CHILD (ancestor first, or under s_vfs_rename_mutex).
 */
enum inode_i_mutex_lock_class {
	I_MUTEX_NORMAL,
	I_MUTEX_PARENT,
	I_MUTEX_CHILD,
};

static inline void inode_lock_nested(struct inode *inode, unsigned int subclass)
{
	mutex_lock_nested(&inode->i_mutex, subclass);
}

static inline void inode_unlock(struct inode *inode)
{
	mutex_unlock(&inode->i_mutex);
}

/* ---- super blocks and filesystem types ---------------------------------- */

struct super_operations {
	/* NULL slots: the VFS allocates plain inodes from its own cache. */
	struct inode *(*alloc_inode)(struct super_block *sb);
	void (*destroy_inode)(struct inode *inode);
	/* The last reference is gone: free the data of an unlinked file. */
	void (*evict_inode)(struct inode *inode);
	/* Write the inode's metadata to its block (dirty state already
	 * cleared); wbc->sync_mode WB_SYNC_ALL: wait for the write. */
	int (*write_inode)(struct inode *inode, struct writeback_control *wbc);
	void (*put_super)(struct super_block *sb);
	/* NULL slot: simple_statfs(). */
	int (*statfs)(struct dentry *dentry, struct kstatfs *buf);
	int (*remount_fs)(struct super_block *sb, unsigned long *flags,
			  char *data);
	int (*sync_fs)(struct super_block *sb, int wait);
	/* Append ",opt=value" mount options to @buf; return the length. */
	int (*show_options)(char *buf, size_t size, struct super_block *sb);
};

struct file_system_type {
	const char *name; /* c */
	int fs_flags; /* c: FS_REQUIRES_DEV */
	/* Set up a super_block and return its root dentry (a reference). */
	struct dentry *(*mount)(struct file_system_type *type, int flags,
				const char *dev_name, void *data);
	/* Tear the super_block down when its last mount is gone. */
	void (*kill_sb)(struct super_block *sb);
	struct list_head fs_list; /* file_systems_lock */
	struct list_head fs_supers; /* s: super_blocks of this type */
};

struct super_block {
	struct list_head s_list; /* s: in super_blocks */
	struct list_head s_instances; /* s: in the type's fs_supers */
	dev_t s_dev; /* c: an anonymous or block device number */
	unsigned long s_blocksize; /* c */
	unsigned char s_blocksize_bits; /* c */
	loff_t s_maxbytes; /* c: the largest file size */
	unsigned long s_magic; /* c: statfs f_type */
	unsigned long s_flags; /* SB_* (remount changes it) */
	struct file_system_type *s_type; /* c */
	const struct super_operations *s_op; /* c */
	const struct dentry_operations *s_d_op; /* c: default d_op */
	struct dentry *s_root; /* c */
	int s_active; /* s: mounts using it */
	int s_count; /* s: references to the struct (iterate_supers) */
	struct mutex s_umount; /* held by ->kill_sb and iterate_supers' fn */
	struct list_head s_inodes; /* l: every inode */
	struct list_head s_dirty; /* w: dirty inodes, oldest first */
	struct block_device *s_bdev; /* c: FS_REQUIRES_DEV: the device */
	struct mutex s_vfs_rename_mutex; /* cross-directory renames */
	u32 s_time_gran; /* c: time stamp granularity, ns */
	void *s_fs_info; /* the filesystem's */
	char s_id[32]; /* c: a name for messages */
};

/* ---- mounts and paths --------------------------------------------------- */

struct vfsmount {
	struct list_head mnt_hash; /* v: in the mount hash */
	struct vfsmount *mnt_parent; /* v: itself for a tree's root */
	struct dentry *mnt_mountpoint; /* v: in the parent */
	struct dentry *mnt_root; /* c: root of this mount */
	struct super_block *mnt_sb; /* c */
	struct list_head mnt_mounts; /* v: children */
	struct list_head mnt_child; /* v: in the parent's mnt_mounts */
	struct list_head mnt_list; /* v: in the namespace's list */
	int mnt_count; /* v: references */
	int mnt_flags; /* v: MNT_* */
	char *mnt_devname; /* c: "none", "/dev/hda1" */
};

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

/* ---- open files --------------------------------------------------------- */

/* How a kiocb was submitted (kiocb->ki_flags). */
#define IOCB_APPEND 0x1U /* write at the end */
#define IOCB_NOWAIT 0x2U /* O_NONBLOCK */
#define IOCB_KVEC 0x4U /* the segments are struct kvec (kernel) */
#define IOCB_DIRECT 0x8U /* O_DIRECT: straight to the device, no cache */

/*
 * An I/O request handed to ->aio_read/->aio_write. The synchronous
 * callers (read, readv, pread, kernel_read) build one on their stack
 * (do_sync_aio() in fs/read_write.c); the AIO layer (io_submit) builds long-lived ones with
 * ki_complete set. A method either finishes and returns the byte count
 * (updating ki_pos), or returns -EIOCBQUEUED and calls ki_complete later.
 */
struct kiocb {
	struct file *ki_filp;
	loff_t ki_pos; /* where the I/O starts; advanced by the method */
	unsigned int ki_flags; /* IOCB_* */
	void (*ki_complete)(struct kiocb *iocb, long res); /* NULL: sync */
	void *private; /* the submitter's */
};

static inline bool is_sync_kiocb(const struct kiocb *iocb)
{
	return iocb->ki_complete == NULL;
}

/* The iterator over a method's segments: user or kernel by ki_flags. */
static inline void kiocb_iter_init(struct iov_iter *iter,
				   const struct kiocb *iocb,
				   const struct iovec *iov,
				   unsigned long nr_segs)
{
	iov_iter_init(iter,
		      (iocb->ki_flags & IOCB_KVEC) ? ITER_KVEC : ITER_UVEC, iov,
		      nr_segs, iov_length(iov, nr_segs));
}

struct dir_context;
struct seq_file;

/*
 * The actor of a directory listing: called once per entry; returns
 * false to stop (the caller's buffer is full).
 */
typedef bool (*filldir_t)(struct dir_context *ctx, const char *name,
			  int namelen, loff_t offset, u64 ino,
			  unsigned int d_type);

struct dir_context {
	filldir_t actor;
	loff_t pos; /* the position of the next entry to emit */
};

static inline bool dir_emit(struct dir_context *ctx, const char *name,
			    int namelen, u64 ino, unsigned int type)
{
	return ctx->actor(ctx, name, namelen, ctx->pos, ino, type);
}

/*
 * What an open file can do. An empty slot means the core's default:
 *   llseek     default_llseek (position arithmetic; FMODE_LSEEK gates it)
 *   read       served by aio_read through a one-segment iovec
 *   write      served by aio_write
 *   aio_read   readv served by a loop of read()
 *   aio_write  writev served by a loop of write()
 *   iterate    -ENOTDIR          ioctl   -ENOTTY
 *   poll       readable and writable now (DEFAULT_POLLMASK)
 *   mmap       -ENODEV           open, release: nothing to do
 *   fsync      -EINVAL       show_fdinfo: nothing more
 */
struct file_operations {
	loff_t (*llseek)(struct file *file, loff_t offset, int whence);
	ssize_t (*read)(struct file *file, char __user *buf, size_t count,
			loff_t *pos);
	ssize_t (*write)(struct file *file, const char __user *buf,
			 size_t count, loff_t *pos);
	ssize_t (*aio_read)(struct kiocb *iocb, const struct iovec *iov,
			    unsigned long nr_segs, loff_t pos);
	ssize_t (*aio_write)(struct kiocb *iocb, const struct iovec *iov,
			     unsigned long nr_segs, loff_t pos);
	int (*iterate)(struct file *file, struct dir_context *ctx);
	unsigned int (*poll)(struct file *file, struct poll_table_struct *pt);
	long (*ioctl)(struct file *file, unsigned int cmd, unsigned long arg);
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
	int (*open)(struct inode *inode, struct file *file);
	int (*release)(struct inode *inode, struct file *file);
	int (*fsync)(struct file *file, loff_t start, loff_t end, int datasync);
	/* More lines for /proc/<pid>/fdinfo/N (eventfd-count...). */
	void (*show_fdinfo)(struct seq_file *m, struct file *file);
};

struct file {
	struct path f_path; /* c */
	struct inode *f_inode; /* c */
	const struct file_operations *f_op; /* c after open */
	spinlock_t f_lock; /* protects f_flags */
	atomic_t f_count; /* references */
	unsigned int f_flags; /* f: O_* as given to open, less O_CREAT... */
	fmode_t f_mode; /* c: FMODE_* */
	loff_t f_pos; /* the file position; callers serialise (see vfs_read) */
	struct address_space *f_mapping; /* c: the inode's i_mapping */
	struct file_ra_state f_ra; /* read-ahead; callers serialise */
	void *private_data; /* the driver's */
};

static inline struct inode *file_inode(const struct file *file)
{
	return file->f_inode;
}

/* ---- attributes --------------------------------------------------------- */

/* What vfs_getattr() reports (stat64 and statx are made from it). */
struct kstat {
	u32 result_mask; /* STATX_* filled in */
	umode_t mode;
	unsigned int nlink;
	u32 blksize;
	u64 ino;
	dev_t dev;
	dev_t rdev;
	kuid_t uid;
	kgid_t gid;
	loff_t size;
	struct timespec64 atime, mtime, ctime;
	u64 blocks;
};

/* What vfs_statfs() reports (statfs64). */
struct kstatfs {
	long f_type;
	long f_bsize;
	u64 f_blocks, f_bfree, f_bavail;
	u64 f_files, f_ffree;
	u32 f_fsid[2];
	long f_namelen;
	long f_frsize;
	long f_flags;
};

/* iattr->ia_valid: which attributes to change. */
#define ATTR_MODE 0x1U
#define ATTR_UID 0x2U
#define ATTR_GID 0x4U
#define ATTR_SIZE 0x8U
#define ATTR_ATIME 0x10U
#define ATTR_MTIME 0x20U
#define ATTR_CTIME 0x40U
#define ATTR_ATIME_SET 0x80U /* an explicit time, not "now" */
#define ATTR_MTIME_SET 0x100U
#define ATTR_FORCE 0x200U /* skip the permission checks */
#define ATTR_KILL_SUID 0x800U
#define ATTR_KILL_SGID 0x1000U
#define ATTR_TOUCH 0x4000U /* utimes(NULL): write permission suffices */

struct iattr {
	unsigned int ia_valid;
	umode_t ia_mode;
	kuid_t ia_uid;
	kgid_t ia_gid;
	loff_t ia_size;
	struct timespec64 ia_atime, ia_mtime, ia_ctime;
};

/* ---- the dentry cache (fs/dcache.c) ------------------------------------- */

/* Take another reference to @dentry (NULL is passed through). Any
 * context that may spin; does not sleep. */
struct dentry *dget(struct dentry *dentry);

/**
 * dput - drop a reference to a dentry
 * @dentry: the dentry; NULL is ignored
 *
 * The last reference of a hashed dentry leaves it cached on the unused
 * list; an unhashed one is freed, and its parent and inode references
 * are dropped. Context: process; may sleep (iput of the inode).
 */
void dput(struct dentry *dentry);

/* A child of @parent named @name, negative and unhashed; NULL on ENOMEM. */
struct dentry *d_alloc(struct dentry *parent, const struct qstr *name);
/* A root dentry for @inode (consumes the inode reference); NULL: ENOMEM. */
struct dentry *d_make_root(struct inode *inode);
/* A dentry with no parent and no name in the tree (pipes). */
struct dentry *d_alloc_pseudo(struct super_block *sb, const struct qstr *name);
/* Attach @inode (may be NULL: negative) to @dentry; consumes the ref. */
void d_instantiate(struct dentry *dentry, struct inode *inode);
/* d_instantiate() and put @dentry in the hash. */
void d_add(struct dentry *dentry, struct inode *inode);
/* Find the cached child @name of @parent; a reference or NULL. */
struct dentry *d_lookup(const struct dentry *parent, const struct qstr *name);
/* Take @dentry out of the hash: later lookups miss it. */
void d_drop(struct dentry *dentry);
/* After unlink/rmdir: make @dentry negative, or unhash it if in use. */
void d_delete(struct dentry *dentry);
/* After rename: move @dentry to @target's parent and name. */
void d_move(struct dentry *dentry, struct dentry *target);
/* Free the unused dentries below @parent (rmdir, umount). */
void shrink_dcache_parent(struct dentry *parent);
/* Drop the references libfs filesystems pinned (kill_litter_super). */
void d_genocide(struct dentry *root);
/* Is @ancestor an ancestor of @dentry (or @dentry itself)? */
bool is_subdir(struct dentry *dentry, struct dentry *ancestor);

/**
 * d_path - the name of @path as seen from @root
 * @buf: where to build it; @buflen bytes
 *
 * Returns a pointer into @buf to the NUL-ended name, or
 * ERR_PTR(-ENAMETOOLONG). An unlinked dentry gets " (deleted)" appended.
 * Context: process.
 */
char *d_path(const struct path *path, const struct path *root, char *buf,
	     int buflen);

/* Hash @len bytes of @name for the dentry hash. */
u32 full_name_hash(const char *name, unsigned int len);

/* dentries in use and unused (cached), for tests and /proc. */
struct dentry_stat {
	unsigned long nr_dentry; /* allocated */
	unsigned long nr_unused; /* unused, cached on the LRU list */
};
void dentry_stat_get(struct dentry_stat *stat);

/* ---- inodes (fs/inode.c) ------------------------------------------------ */

/* A new inode on @sb with one reference, i_nlink 1; NULL on ENOMEM. */
struct inode *new_inode(struct super_block *sb);
/* Take another reference (the caller holds one already). */
void ihold(struct inode *inode);
/* Drop a reference; the last one evicts and frees. May sleep. */
void iput(struct inode *inode);
/*
 * The inode hash of disk filesystems, keyed by (super_block, i_ino), so
 * that every name of a file finds the one in-memory inode:
 * iget_locked() returns the inode with a reference; if it has I_NEW set
 * the caller reads it in, then calls unlock_new_inode() (others wait
 * for that) or, on failure, iget_failed(). NULL: out of memory.
 */
struct inode *iget_locked(struct super_block *sb, unsigned long ino);
void unlock_new_inode(struct inode *inode);
void iget_failed(struct inode *inode);
/* Hash a new inode the filesystem made (ext2_new_inode). */
void insert_inode_hash(struct inode *inode);
void remove_inode_hash(struct inode *inode);
/* Set i_uid, i_gid and the set-gid bit of a new inode in @dir. */
void inode_init_owner(struct inode *inode, const struct inode *dir,
		      umode_t mode);
/* Set up a device, fifo or socket inode. */
void init_special_inode(struct inode *inode, umode_t mode, dev_t rdev);
/* A unique inode number for filesystems that make them up. */
unsigned long get_next_ino(void);
/* The current time, for time stamps. */
struct timespec64 current_time(const struct inode *inode);

void set_nlink(struct inode *inode, unsigned int nlink);
void inc_nlink(struct inode *inode);
void drop_nlink(struct inode *inode);
void clear_nlink(struct inode *inode);

/* ---- permissions and attributes (fs/namei.c, fs/attr.c, fs/stat.c) ------ */

/**
 * inode_permission - may the current task access @inode with @mask?
 * @mask: MAY_READ | MAY_WRITE | MAY_EXEC
 *
 * Uses ->permission or generic_permission(). Returns 0, -EACCES, -EPERM
 * or -EROFS. Context: process.
 */
int inode_permission(struct inode *inode, int mask);
/* The mode-bit check, with root's bypass (CAP_DAC_OVERRIDE). */
int generic_permission(struct inode *inode, int mask);

/**
 * notify_change - change the attributes of @dentry's inode
 * @attr: what to change (ATTR_*); checked by setattr_prepare()
 *
 * Caller holds the inode's i_mutex. Returns 0 or -errno. May sleep.
 */
int notify_change(struct dentry *dentry, struct iattr *attr);
/* Does the current task own @inode, or hold CAP_FOWNER? (chmod, utimes
 * with explicit times, O_NOATIME) */
bool inode_owner_or_capable(const struct inode *inode);
/* May the current task make the change @attr describes? */
int setattr_prepare(struct dentry *dentry, struct iattr *attr);
/**
 * inode_newsize_ok - may @inode's size become @offset?
 *
 * Growing a file past the current process's RLIMIT_FSIZE raises SIGXFSZ
 * and fails with -EFBIG; past the filesystem's s_maxbytes it is -EFBIG.
 * Shrinking is always allowed. Context: process.
 */
int inode_newsize_ok(const struct inode *inode, loff_t offset);
/* Copy @attr into the inode (no size change). */
void setattr_copy(struct inode *inode, const struct iattr *attr);
/* Clear the set-id bits when a non-root task writes a file. */
int file_remove_privs(struct file *file);

/* Fill @stat from the inode's fields. */
void generic_fillattr(struct inode *inode, struct kstat *stat);
/* Ask the filesystem for @path's attributes. May sleep. */
int vfs_getattr(const struct path *path, struct kstat *stat, u32 request_mask,
		unsigned int flags);
int vfs_statfs(const struct path *path, struct kstatfs *buf);

/* ---- the path walk (fs/namei.c) ----------------------------------------- */

/**
 * vfs_path_lookup - resolve a path name
 * @fs: the walker's root and working directory
 * @dir: the directory a relative @name starts from; NULL: @fs's pwd
 * @name: the path (kernel memory, NUL-ended)
 * @flags: LOOKUP_FOLLOW, LOOKUP_DIRECTORY, LOOKUP_EMPTY
 * @result: on success the path found, with a reference (path_put it)
 *
 * Returns 0, or -ENOENT, -ENOTDIR, -ENAMETOOLONG, -EACCES, -ELOOP, ...
 * Context: process; may sleep (filesystem lookups).
 */
int vfs_path_lookup(struct fs_struct *fs, const struct path *dir,
		    const char *name, unsigned int flags, struct path *result);

/*
 * Look up the parent of @name's last component: *@parent gets the
 * directory (a reference), *@last the component (pointing into @name,
 * valid while @name is), *@type LAST_NORM/LAST_DOT/LAST_DOTDOT/LAST_ROOT.
 */
int vfs_path_parent(struct fs_struct *fs, const struct path *dir,
		    const char *name, struct path *parent, struct qstr *last,
		    int *type);

/*
 * Look up @name in @base (whose i_mutex the caller holds), through the
 * dentry cache; the result may be negative. ERR_PTR on failure.
 */
struct dentry *lookup_one_len(const char *name, struct dentry *base, int len);

void path_get(const struct path *path);
void path_put(const struct path *path);

static inline bool path_equal(const struct path *a, const struct path *b)
{
	return a->mnt == b->mnt && a->dentry == b->dentry;
}

/* ---- operations on names (fs/namei.c) ----------------------------------- */

/*
 * The dentry-level operations, Linux's vfs_*(): @dir is the parent
 * inode, locked by the caller (lock_rename for vfs_rename); permission
 * and sanity checks are done here. Return 0 or -errno. May sleep.
 */
int vfs_create(struct inode *dir, struct dentry *dentry, umode_t mode,
	       bool excl);
int vfs_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode);
int vfs_mknod(struct inode *dir, struct dentry *dentry, umode_t mode,
	      dev_t dev);
int vfs_symlink(struct inode *dir, struct dentry *dentry, const char *target);
int vfs_link(struct dentry *old, struct inode *dir, struct dentry *new);
int vfs_rmdir(struct inode *dir, struct dentry *dentry);
int vfs_unlink(struct inode *dir, struct dentry *dentry);
int vfs_rename(struct inode *old_dir, struct dentry *old_dentry,
	       struct inode *new_dir, struct dentry *new_dentry,
	       unsigned int flags);

/*
 * The path-level operations behind the system calls of the same name:
 * resolve @name from @dir (NULL: @fs's pwd) and apply the operation.
 * The umask is applied here (from @fs). Return 0 or -errno. May sleep.
 */
int do_mkdirat(struct fs_struct *fs, const struct path *dir, const char *name,
	       umode_t mode);
int do_mknodat(struct fs_struct *fs, const struct path *dir, const char *name,
	       umode_t mode, dev_t dev);
int do_symlinkat(struct fs_struct *fs, const char *target,
		 const struct path *dir, const char *name);
/* @flags: AT_SYMLINK_FOLLOW, AT_EMPTY_PATH */
int do_linkat(struct fs_struct *fs, const struct path *olddir,
	      const char *oldname, const struct path *newdir,
	      const char *newname, int flags);
int do_rmdir(struct fs_struct *fs, const struct path *dir, const char *name);
int do_unlinkat(struct fs_struct *fs, const struct path *dir, const char *name);
/* @flags: RENAME_NOREPLACE */
int do_renameat2(struct fs_struct *fs, const struct path *olddir,
		 const char *oldname, const struct path *newdir,
		 const char *newname, unsigned int flags);

/**
 * vfs_readlink - copy a symlink's target into @buf
 * @buflen: the room in @buf; the target is cut there, not NUL-ended
 *
 * Returns the length copied, or -EINVAL if @dentry is not a symlink.
 */
int vfs_readlink(struct dentry *dentry, char *buf, int buflen);

/* ---- open, attributes by path (fs/open.c) ------------------------------- */

/*
 * Open the file @path names. @flags: O_*; Returns a file with one
 * reference, or ERR_PTR. May sleep.
 */
struct file *vfs_open(const struct path *path, int flags);

/**
 * do_filp_open - open(2) without the descriptor
 * @fs, @dir, @name: as vfs_path_lookup()
 * @flags: O_ACCMODE, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY,
 *         O_NOFOLLOW, O_NONBLOCK, O_PATH, ...
 * @mode: the permission bits of a created file (the umask is applied)
 *
 * Returns the open file (fd_install it) or ERR_PTR(-errno). May sleep.
 */
struct file *do_filp_open(struct fs_struct *fs, const struct path *dir,
			  const char *name, int flags, umode_t mode);

/* Truncate the file at @path to @length (truncate64). */
int vfs_truncate(const struct path *path, loff_t length);
/* ftruncate64: @file must be open for writing. */
int vfs_ftruncate(struct file *file, loff_t length);
int vfs_chmod(const struct path *path, umode_t mode);
/* (kuid_t)-1 / (kgid_t)-1 leave that id alone. */
int vfs_chown(const struct path *path, kuid_t uid, kgid_t gid);
/* @times: [atime, mtime] with UTIME_NOW/UTIME_OMIT nsec, or NULL: now. */
int vfs_utimes(const struct path *path, struct timespec64 *times);
/*
 * access(2) on @name with the current credentials: the caller (the
 * syscall layer) switches fsuid/fsgid to the real ids first. @mode:
 * R_OK | W_OK | X_OK or F_OK.
 */
int vfs_access(struct fs_struct *fs, const struct path *dir, const char *name,
	       int mode, unsigned int lookup_flags);
/* chdir/chroot to @path (a directory the caller may search). */
int vfs_chdir(struct fs_struct *fs, const struct path *path);
int vfs_chroot(struct fs_struct *fs, const struct path *path);
/* getcwd: the pwd of @fs relative to its root into @buf; the length
 * with the NUL, or -ERANGE, -ENOENT (pwd removed). */
int vfs_getcwd(struct fs_struct *fs, char *buf, size_t size);

/* ---- reading and writing (fs/read_write.c) ------------------------------ */

/*
 * Every call below reads or writes at *@pos and advances it; the caller
 * passes &file->f_pos (read, write, readv: callers serialise on the file)
 * or a private copy (pread64, preadv). Returns the bytes moved or -errno:
 * -EBADF (not open for that), -EINVAL (no method, bad size), -EFAULT,
 * -EAGAIN, -ERESTARTSYS, -EPIPE (the caller raises SIGPIPE), ...
 * May sleep.
 */
ssize_t vfs_read(struct file *file, char __user *buf, size_t count,
		 loff_t *pos);
ssize_t vfs_write(struct file *file, const char __user *buf, size_t count,
		  loff_t *pos);
/* @iov: a kernel copy of the user's iovec array; bases are user memory. */
ssize_t vfs_readv(struct file *file, const struct iovec *iov,
		  unsigned long nr_segs, loff_t *pos);
ssize_t vfs_writev(struct file *file, const struct iovec *iov,
		   unsigned long nr_segs, loff_t *pos);
/* preadv/pwritev: at @pos, the file position untouched; ESPIPE on pipes. */
ssize_t vfs_preadv(struct file *file, const struct iovec *iov,
		   unsigned long nr_segs, loff_t pos);
ssize_t vfs_pwritev(struct file *file, const struct iovec *iov,
		    unsigned long nr_segs, loff_t pos);
/*
 * The AIO layer's two steps for one request (fs/aio.c): vfs_iocb_check()
 * makes read()'s checks at kiocb->ki_pos (EBADF, EINVAL: no method, bad
 * segments or position), whose failure fails the submission; then
 * vfs_iocb_rw() runs ->aio_read/->aio_write with the caller's kiocb (or
 * the ->read/->write loop) and returns the bytes moved, -errno, or
 * -EIOCBQUEUED when the method will call ki_complete later.
 */
int vfs_iocb_check(struct kiocb *kiocb, enum rw_dir dir,
		   const struct iovec *iov, unsigned long nr_segs);
ssize_t vfs_iocb_rw(struct kiocb *kiocb, enum rw_dir dir,
		    const struct iovec *iov, unsigned long nr_segs);
/* The kernel's own I/O: kernel buffers. Needs ->aio_read/->aio_write. */
ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t *pos);
ssize_t kernel_write(struct file *file, const void *buf, size_t count,
		     loff_t *pos);
ssize_t kernel_readv(struct file *file, const struct kvec *vec,
		     unsigned long nr_segs, loff_t *pos);
ssize_t kernel_writev(struct file *file, const struct kvec *vec,
		      unsigned long nr_segs, loff_t *pos);

/**
 * generic_write_checks - where may a write to a regular file go?
 * @iocb: the request; with IOCB_APPEND its ki_pos becomes the file size
 * @from: the data; cut short at RLIMIT_FSIZE and at s_maxbytes
 *
 * The checks every filesystem's ->aio_write makes before it copies,
 * with the inode's i_mutex held. A write that starts at or past
 * RLIMIT_FSIZE raises SIGXFSZ and fails with -EFBIG; one that starts
 * below it is cut at the limit (a short write). Returns the bytes left
 * to write (0 for an empty write, which is never refused) or -errno.
 */
ssize_t generic_write_checks(struct kiocb *iocb, struct iov_iter *from);

/**
 * vfs_llseek - lseek(2): move @file's position
 * @whence: SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA, SEEK_HOLE
 *
 * Returns the new position, -ESPIPE (pipes), -EINVAL (bad @whence or a
 * negative result), -ENXIO (SEEK_DATA/HOLE past the end).
 */
loff_t vfs_llseek(struct file *file, loff_t offset, int whence);
/* The llseek used for an empty slot. */
loff_t default_llseek(struct file *file, loff_t offset, int whence);
/* ESPIPE, for files with no position. */
loff_t no_llseek(struct file *file, loff_t offset, int whence);
/* An ->open that makes the file a stream (no lseek, pread or pwrite). */
int nonseekable_open(struct inode *inode, struct file *file);

/* ioctl(2): the file's ->ioctl, or -ENOTTY. FIONREAD of regular files
 * is answered here. */
long vfs_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
/* fsync/fdatasync of bytes [@start, @end]: the file's ->fsync, or
 * -EINVAL (fs/sync.c). */
int vfs_fsync_range(struct file *file, loff_t start, loff_t end, int datasync);
/* The whole file. */
int vfs_fsync(struct file *file, int datasync);
/* Data pages all tmpfs files hold (part of meminfo's Shmem). */
unsigned long tmpfs_nr_pages(void);
/* The file's ->poll, or DEFAULT_POLLMASK. */
unsigned int vfs_poll(struct file *file, struct poll_table_struct *pt);

/**
 * iterate_dir - list a directory
 * @ctx: the actor and the starting position (file->f_pos is used and
 *       updated)
 *
 * Returns 0 or -ENOTDIR, -ENOENT (directory removed). May sleep.
 */
int iterate_dir(struct file *file, struct dir_context *ctx);

/* ---- struct file (fs/file_table.c) -------------------------------------- */

/* A new file on @path (references taken) with @fops; ERR_PTR on ENOMEM. */
struct file *alloc_file(const struct path *path, int flags,
			const struct file_operations *fops);
/*
 * A file on an anonymous inode named "anon_inode:@name" (eventfd...),
 * with @fops and @priv as private_data; @flags: O_ACCMODE, O_NONBLOCK.
 * Returns the file or ERR_PTR(-ENOMEM) (fs/anon_inodes.c).
 */
struct file *anon_inode_getfile(const char *name,
				const struct file_operations *fops, void *priv,
				int flags);
static inline struct file *get_file(struct file *file)
{
	atomic_inc(&file->f_count);
	return file;
}
/* Drop a reference; the last one releases the file. May sleep. */
void fput(struct file *file);
/* Open files in the system (tests, /proc/sys/fs/file-nr). */
unsigned long nr_files(void);

/* ---- pipes (fs/pipe.c) -------------------------------------------------- */

/*
 * Make a pipe: @files[0] the read end, @files[1] the write end, one
 * reference each. @flags: O_NONBLOCK (O_CLOEXEC is the caller's: it
 * belongs to the descriptors). Returns 0, -EINVAL or -ENOMEM.
 */
int do_pipe(struct file *files[2], int flags);

/* ---- character devices (fs/char_dev.c) ---------------------------------- */

/**
 * __register_chrdev - own minors @baseminor.. @baseminor+@count-1 of @major
 * @major: the major, or 0 to have one allocated
 * @fops: installed in every file opened on those minors; its ->open
 *        tells the minors apart with iminor()
 *
 * Returns the major (allocated or given) or -EBUSY/-EINVAL/-ENOMEM.
 * Context: process.
 */
int __register_chrdev(unsigned int major, unsigned int baseminor,
		      unsigned int count, const char *name,
		      const struct file_operations *fops);
/* All 256 minors of @major (Linux's register_chrdev). */
int register_chrdev(unsigned int major, const char *name,
		    const struct file_operations *fops);
void __unregister_chrdev(unsigned int major, unsigned int baseminor,
			 unsigned int count, const char *name);
void unregister_chrdev(unsigned int major, const char *name);
/* Call @fn for every registered region (/proc/devices). */
void chrdev_for_each(void (*fn)(unsigned int major, const char *name,
				void *arg),
		     void *arg);

#define CHRDEV_MAJOR_MAX 512
#define CHRDEV_MAJOR_DYN_START 234 /* dynamic majors count down from 254 */

static inline unsigned int iminor(const struct inode *inode)
{
	return MINOR(inode->i_rdev);
}

static inline unsigned int imajor(const struct inode *inode)
{
	return MAJOR(inode->i_rdev);
}

/* ---- filesystems and mounts (fs/filesystems.c, super.c, namespace.c) ---- */

int register_filesystem(struct file_system_type *type);
int unregister_filesystem(struct file_system_type *type);
/* The registered type named @name, or NULL. */
struct file_system_type *get_fs_type(const char *name);
/* Call @fn for every registered type (/proc/filesystems). */
void filesystems_for_each(void (*fn)(const struct file_system_type *type,
				     void *arg),
			  void *arg);

/**
 * vfs_kern_mount - make a mount of a new instance of @type
 * @flags: MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC
 * @name: the device name shown in /proc/mounts
 * @data: the option string ("size=1m,mode=755"), may be NULL
 *
 * The mount is not attached anywhere: do_add_mount() does that, or the
 * caller keeps it as an internal mount (kern_mount). ERR_PTR on failure.
 * May sleep.
 */
struct vfsmount *vfs_kern_mount(struct file_system_type *type, int flags,
				const char *name, void *data);
struct vfsmount *kern_mount(struct file_system_type *type);
void kern_unmount(struct vfsmount *mnt);

/**
 * do_mount - mount(2): mount @type_name on @path
 * @dev_name: device name ("none" for tmpfs)
 * @flags: MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC; MS_REMOUNT changes
 *         the flags (and options) of the mount at @path, with MS_BIND
 *         only the mount's own flags; a plain MS_BIND is do_bind_mount()
 *
 * Returns 0, -ENODEV (unknown type), -ENOTDIR, -EPERM (no
 * CAP_SYS_ADMIN), -EBUSY, -EINVAL. May sleep.
 */
int do_mount(const char *dev_name, const struct path *path,
	     const char *type_name, unsigned long flags, void *data);

/**
 * do_bind_mount - mount --bind: make @from visible at @to as well
 *
 * mount(2) with MS_BIND: the caller resolves the source name to @from.
 * Returns 0 or -EPERM/-ENOENT/-ENOTDIR/-ENOMEM. May sleep.
 */
int do_bind_mount(const struct path *from, const struct path *to);

/**
 * do_move_mount - mount --move: the mount whose root is @from moves to @to
 *
 * mount(2) with MS_MOVE (busybox switch_root), and the kernel moving a
 * root it mounted on /root onto / (kernel/do_mounts.c). Everything
 * mounted below it moves with it. Returns 0 or -EPERM, -EINVAL (@from is
 * not a mount's root, or is the tree's root), -ELOOP (@to is inside
 * it), -ENOENT/-ENOTDIR (@to). May sleep.
 */
int do_move_mount(const struct path *from, const struct path *to);

/**
 * do_umount - umount2(2) of the mount whose root @path is
 * @flags: MNT_DETACH (lazy), MNT_FORCE (accepted, no effect here)
 *
 * Returns 0, -EINVAL (not a mount root, or the namespace root), -EBUSY
 * (in use: open files, cwds, submounts), -EPERM. May sleep.
 */
int do_umount(const struct path *path, int flags);

struct vfsmount *mntget(struct vfsmount *mnt);
void mntput(struct vfsmount *mnt);
/* -EROFS if @mnt or its super_block is read-only. */
int mnt_want_write(const struct vfsmount *mnt);

/* Call @fn for every mount of the namespace, parents first (/proc/mounts).
 * @fn runs under namespace_mutex and may sleep. */
void mounts_for_each(void (*fn)(struct vfsmount *mnt, void *arg), void *arg);

/*
 * A free anonymous device number (major 0, the lowest free minor) for a
 * filesystem without a device: 0, -EMFILE when all are in use, -ENOMEM.
 * May sleep.
 */
int get_anon_bdev(dev_t *dev);
void free_anon_bdev(dev_t dev);

/**
 * vfs_caches_init - start the VFS
 *
 * Creates the caches, registers tmpfs and pipefs, mounts a tmpfs as the
 * root of the mount tree and points init_fs at it. Call once from
 * start_kernel() after the slab allocator; then unpack the initramfs
 * (populate_rootfs()). Context: boot, process context.
 */
void vfs_caches_init(void);

/* ---- for filesystem implementations (fs/super.c, fs/libfs.c) ----------- */

/**
 * mount_nodev - the ->mount of a filesystem without a device
 * @fill_super: sets up sb->s_root (and s_op, s_magic...) from @data;
 *              returns 0 or -errno (the super_block is then destroyed)
 *
 * Returns a reference to the new instance's root dentry, or ERR_PTR.
 * Context: process; may sleep.
 */
struct dentry *mount_nodev(struct file_system_type *type, int flags, void *data,
			   int (*fill_super)(struct super_block *sb, void *data,
					     int silent));
/* The ->mount of pipefs, sockfs: one root directory (fs/libfs.c). */
struct dentry *mount_pseudo(struct file_system_type *type, int flags,
			    const struct super_operations *ops,
			    const struct dentry_operations *dops,
			    unsigned long magic);
/**
 * mount_bdev - the ->mount of a filesystem on a block device
 * @dev_name: the path of the device node ("/dev/hda1")
 *
 * Opens the device (read-only with SB_RDONLY); a device already mounted
 * with this type shares its super_block (the same SB_RDONLY or EBUSY).
 * Returns the root dentry (a reference) or ERR_PTR: -ENOTBLK (not a
 * block device), -ENXIO, -EACCES (a read-only device mounted rw), or
 * what @fill_super returned. Context: process; may sleep.
 */
struct dentry *mount_bdev(struct file_system_type *type, int flags,
			  const char *dev_name, void *data,
			  int (*fill_super)(struct super_block *sb, void *data,
					    int silent));
/* ->kill_sb of mount_bdev filesystems: shut down, write and close the
 * device. */
void kill_block_super(struct super_block *sb);
/* ->kill_sb of anonymous filesystems: shrink, evict, free the device. */
void kill_anon_super(struct super_block *sb);
/* ->kill_sb of libfs filesystems: d_genocide() first, then as above. */
void kill_litter_super(struct super_block *sb);

/*
 * libfs: filesystems whose directory tree lives entirely in the dentry
 * cache (tmpfs, pipefs, later procfs and sysfs directories). Each
 * positive dentry is pinned (DCACHE_PINNED, one reference) for as long
 * as its name exists; a directory's listing is its child dentries in
 * the order of d_offset, which is stable across creates and deletes.
 */
struct dentry *simple_lookup(struct inode *dir, struct dentry *dentry,
			     unsigned int flags);
int simple_link(struct dentry *old, struct inode *dir, struct dentry *new);
int simple_unlink(struct inode *dir, struct dentry *dentry);
int simple_rmdir(struct inode *dir, struct dentry *dentry);
int simple_rename(struct inode *old_dir, struct dentry *old_dentry,
		  struct inode *new_dir, struct dentry *new_dentry,
		  unsigned int flags);
/* True when @dentry has no positive children. */
bool simple_empty(struct dentry *dentry);
/* Put a new positive @dentry in @dir's listing and pin it. */
void simple_instantiate(struct inode *dir, struct dentry *dentry,
			struct inode *inode);
int simple_setattr(struct dentry *dentry, struct iattr *attr);
int simple_statfs(struct dentry *dentry, struct kstatfs *buf);
/* ->iterate of libfs directories. */
int dcache_readdir(struct file *file, struct dir_context *ctx);
/* ->read of directories: -EISDIR. */
ssize_t generic_read_dir(struct file *file, char __user *buf, size_t count,
			 loff_t *pos);
int noop_fsync(struct file *file, loff_t start, loff_t end, int datasync);
/* Emit "." and ".." for positions 0 and 1; false if the actor stopped. */
bool dir_emit_dots(struct file *file, struct dir_context *ctx);

extern const struct file_operations simple_dir_operations;
extern const struct inode_operations simple_dir_inode_operations;
extern const struct inode_operations simple_symlink_inode_operations;

/* ---- initramfs (fs/initramfs.c) ----------------------------------------- */

/**
 * unpack_initramfs - unpack a newc cpio archive into a directory tree
 * @buf: the archive (070701, or 070702 with checksums)
 * @len: its length in bytes
 * @root: where "/" of the archive goes
 *
 * Names are taken relative to @root; ".." cannot climb out. A malformed
 * archive is reported with printk and unpacking stops there: what was
 * unpacked stays. Returns 0 or the first -errno. May sleep.
 */
int unpack_initramfs(const void *buf, size_t len, const struct path *root);

/* Unpack the boot modules (the -initrd archive) into init_fs's root. */
void populate_rootfs(void);

#endif /* _KESTREL_FS_H */
