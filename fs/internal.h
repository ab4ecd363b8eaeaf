/*
 * Declarations shared by the files of fs/ and by no one else: the
 * start-up hooks vfs_caches_init() calls, the mount lookups of the path
 * walk, the default file operations of special inodes, and the locks
 * two files take.
 *
 * Lock order (top first; docs/vfs.md explains each):
 *	namespace_mutex			mount and umount
 *	sb->s_vfs_rename_mutex		cross-directory rename
 *	inode->i_mutex			parent before child; two unrelated
 *					directories: see lock_rename()
 *	pipe->mutex, chrdevs_lock
 *	vfsmount_lock			spinlocks from here on
 *	dcache_lock
 *	inode->i_lock, inode_sb_list_lock, sb_lock, files->file_lock,
 *	fs->lock, file->f_lock		innermost
 */
#ifndef _FS_INTERNAL_H
#define _FS_INTERNAL_H

#include <kestrel/fs.h>
#include <kestrel/spinlock.h>

struct fs_struct;
struct pipe_inode_info;

/* ---- start-up (called in this order by vfs_caches_init) ---------------- */
void dcache_init(void);
void inode_init(void);
void files_init(void);
int tmpfs_init(void);
void mnt_init(void);
void pipe_init(void);
void anon_inode_init(void);

/* tmpfs's ->mount: a new instance (fs/devtmpfs.c makes its own so). */
struct dentry *tmpfs_mount(struct file_system_type *type, int flags,
			   const char *dev_name, void *data);

/* ---- fs/namespace.c ----------------------------------------------------- */

/* Protects the mount hash and tree, mnt_count and dentry->d_mounted. */
extern spinlock_t vfsmount_lock;

/* Page cache pages of every inode of @sb (fs/inode.c). */
unsigned long sb_cached_pages(struct super_block *sb);

/* The mount on top of @path, with a reference, or NULL. */
struct vfsmount *lookup_mnt(const struct path *path);
/* Move @path to the top of the mounts stacked on it (references kept
 * right: the old ones are dropped). Returns true if it moved. */
bool follow_mount(struct path *path);
/* Move @path from a mount's root to its mountpoint in the parent.
 * Returns false at the root of the tree. */
bool follow_up(struct path *path);

static inline bool d_mountpoint(const struct dentry *dentry)
{
	return READ_ONCE(dentry->d_mounted) != 0;
}

/* ---- fs/super.c --------------------------------------------------------- */

/* Drop an active reference; the last one calls ->kill_sb and frees. */
void deactivate_super(struct super_block *sb);
/* Take an active reference (a bind mount of an existing instance). */
void grab_super_active(struct super_block *sb);
/* @fn on every mounted super_block, none freed meanwhile; @fn may sleep
 * and must not unmount (sync, the flusher, drop_caches). */
void iterate_supers(void (*fn)(struct super_block *sb, void *arg), void *arg);

/* ---- fs/dcache.c -------------------------------------------------------- */

/* The parent of @dentry with a reference. */
struct dentry *dget_parent(struct dentry *dentry);
/* Give @dentry the next position in its parent's libfs listing and move
 * it to the end of d_subdirs. Parent's i_mutex held. */
void d_set_offset(struct dentry *dentry, loff_t offset);
/* libfs pins: one reference held by the filesystem while the name
 * exists (simple_instantiate / simple_unlink). */
void d_pin(struct dentry *dentry);
void d_unpin(struct dentry *dentry);
/* At umount: drop the super_block's root reference and free every
 * dentry of @sb; complains about any still in use. */
void shrink_dcache_for_umount(struct super_block *sb);
/* Free every unused dentry (drop_caches 2). */
void shrink_dcache_unused(void);

/*
 * One step of a libfs directory listing: the first positive, hashed
 * child of @parent at or after position @pos, starting the scan after
 * @from (NULL: the first child). Returns it with a reference, or NULL.
 */
struct dentry *d_next_child(struct dentry *parent, struct dentry *from,
			    loff_t pos);

/* ---- fs/inode.c --------------------------------------------------------- */

/* At umount: every inode of @sb should be gone; report those that are not. */
void evict_inodes(struct super_block *sb);
/* @fn on each live inode of @sb, with a reference held; @fn may sleep. */
void for_each_sb_inode(struct super_block *sb,
		       void (*fn)(struct inode *inode, void *arg), void *arg);
/* Inodes allocated (tests). */
unsigned long nr_inodes(void);

/* ---- fs/namei.c, fs/nameops.c ------------------------------------------- */

/* Lock the two parents of a rename; returns the "trap" (see do_renameat2). */
struct dentry *lock_rename(struct dentry *p1, struct dentry *p2);
void unlock_rename(struct dentry *p1, struct dentry *p2);
/* Look up @name in @base, whose i_mutex the caller holds. */
struct dentry *lookup_hash(const struct qstr *name, struct dentry *base);

/* ---- fs/attr.c -------------------------------------------------------- */

/* ATTR_KILL_SUID/SGID a truncate by the current task must add, or 0. */
unsigned int dentry_needs_remove_privs(struct dentry *dentry);
/* RLIMIT_FSIZE of the current process; RLIM_INFINITY for none. */
unsigned long fsize_limit(void);
/* A file was to grow past RLIMIT_FSIZE: raise SIGXFSZ; returns -EFBIG. */
int fsize_exceeded(void);

/* ---- fs/open.c ---------------------------------------------------------- */

/* Apply @attr's size change through notify_change (truncate, O_TRUNC). */
int do_truncate(struct dentry *dentry, loff_t length, unsigned int time_attrs,
		struct file *filp);
/* The permission half of open(2): what the inode and mount allow. */
int may_open(const struct path *path, int acc_mode, int flag);

/* ---- fs/read_write.c ---------------------------------------------------- */

/* Update atime after a read (relatime rules). */
void file_accessed(struct file *file);

/* ---- special inodes --------------------------------------------------- */

extern const struct file_operations def_chr_fops; /* fs/char_dev.c */
extern const struct file_operations def_blk_fops; /* fs/block_dev.c */
extern const struct file_operations bad_sock_fops; /* fs/char_dev.c */
extern const struct file_operations pipefifo_fops; /* fs/pipe.c */

/* Free what a fifo inode's pipe holds (inode eviction). */
void free_pipe_info(struct pipe_inode_info *pipe);

/* ---- fs/file_table.c ---------------------------------------------------- */

/* Open flags to FMODE_* (access mode bits). */
fmode_t open_flags_to_fmode(int flags);
/* Free a file whose ->open was never called or failed (no ->release). */
void put_filp(struct file *file);

/* ---- fs/iov_iter.c ------------------------------------------------------ */

/* A page of zeros (holes of sparse files are read from it). */
extern const char empty_zero_page_buf[];

#endif /* _FS_INTERNAL_H */
