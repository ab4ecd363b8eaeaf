/*
 * tmpfs private declarations: the per-mount and per-inode information.
 */
#ifndef _FS_TMPFS_INTERNAL_H
#define _FS_TMPFS_INTERNAL_H

#include <kestrel/fs.h>
#include <kestrel/spinlock.h>

/* The largest file: 2^30 pages (4 TiB). */
#define TMPFS_MAX_BYTES (((loff_t)1 << (30 + PAGE_SHIFT)) - 1)

/* Per mount. */
struct tmpfs_sb_info {
	spinlock_t stat_lock; /* protects used_pages and free_inodes */
	unsigned long max_pages; /* size=, in pages; 0: no limit */
	unsigned long used_pages; /* stat_lock: data pages in use */
	unsigned long max_inodes; /* nr_inodes=; 0: no limit */
	unsigned long free_inodes; /* stat_lock */
	umode_t mode; /* of the root directory */
	kuid_t uid; /* of the root directory */
	kgid_t gid;
};

/* Per inode: the VFS inode embedded, recovered with TMPFS_I(). */
struct tmpfs_inode_info {
	unsigned long nr_pages; /* sb's stat_lock: data pages charged */
	struct inode vfs_inode;
};

static inline struct tmpfs_inode_info *TMPFS_I(struct inode *inode)
{
	return container_of(inode, struct tmpfs_inode_info, vfs_inode);
}

static inline struct tmpfs_sb_info *TMPFS_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

extern const struct address_space_operations tmpfs_aops;

extern const struct file_operations tmpfs_file_operations;
extern const struct inode_operations tmpfs_file_inode_operations;

#endif /* _FS_TMPFS_INTERNAL_H */
