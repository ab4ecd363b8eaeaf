/*
 * tmpfs private declarations: the per-mount and per-inode information
 * and the page index of a regular file (fs/tmpfs/pages.c).
 */
#ifndef _FS_TMPFS_INTERNAL_H
#define _FS_TMPFS_INTERNAL_H

#include <kestrel/fs.h>
#include <kestrel/spinlock.h>

/*
 * A file's pages are indexed by a small radix tree: nodes of 64 slots;
 * a tree of height h covers 64^h pages; leaves (height 1) hold struct
 * page pointers, inner nodes hold nodes. A missing slot is a hole and
 * reads as zeros. Height 5 covers 2^30 pages (4 TiB), the size limit.
 */
#define TMPFS_MAP_SHIFT 6
#define TMPFS_MAP_SIZE (1U << TMPFS_MAP_SHIFT)
#define TMPFS_MAP_MASK (TMPFS_MAP_SIZE - 1)
#define TMPFS_MAX_HEIGHT 5
#define TMPFS_MAX_BYTES \
	(((loff_t)1 << (TMPFS_MAP_SHIFT * TMPFS_MAX_HEIGHT + PAGE_SHIFT)) - 1)

struct tmpfs_node {
	void *slots[TMPFS_MAP_SIZE];
};

struct tmpfs_pages {
	unsigned int height; /* 0: empty */
	struct tmpfs_node *root;
};

/* The page at @index or NULL (a hole). Caller holds the inode's i_mutex. */
struct page *tmpfs_page_lookup(const struct tmpfs_pages *tree,
			       unsigned long index);
/* Put @page at @index (a hole). 0, -ENOMEM or -EFBIG. i_mutex held. */
int tmpfs_page_insert(struct tmpfs_pages *tree, unsigned long index,
		      struct page *page);
/* Free every page at @from or beyond; returns how many. i_mutex held. */
unsigned long tmpfs_pages_truncate(struct tmpfs_pages *tree,
				   unsigned long from);

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
	struct tmpfs_pages pages; /* i_mutex: a regular file's data */
	unsigned long nr_pages; /* i_mutex: pages in the tree */
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

/* Charge one page to the mount (-ENOSPC past size=), or give some back;
 * the pages charged are also counted as NR_SHMEM. */
int tmpfs_acct_page(struct super_block *sb);
void tmpfs_unacct_pages(struct super_block *sb, unsigned long n);

/* Cut the file to @newsize, freeing the pages beyond. i_mutex held. */
void tmpfs_truncate(struct inode *inode, loff_t newsize);

extern const struct file_operations tmpfs_file_operations;
extern const struct inode_operations tmpfs_file_inode_operations;

#endif /* _FS_TMPFS_INTERNAL_H */
