/*
 * Write-back: getting dirty pages and inodes to their storage.
 *
 * Two halves, as in Linux 2.6:
 *   mm/page-writeback.c  pages: dirtying, the dirty and write-back
 *                        counts, writing a mapping's dirty pages
 *                        (write_cache_pages, do_writepages), and the
 *                        throttling of writers (balance_dirty_pages).
 *   fs/fs-writeback.c    inodes: each super_block's list of dirty inodes
 *                        (oldest first), writing an inode's pages then its
 *                        metadata (writeback_single_inode), the flusher
 *                        thread, sync(), syncfs(), fsync().
 * docs/pagecache.md, "Write-back".
 */
#ifndef _KESTREL_WRITEBACK_H
#define _KESTREL_WRITEBACK_H

#include <kestrel/fs.h>
#include <kestrel/types.h>

enum writeback_sync_modes {
	WB_SYNC_NONE, /* start the writes, don't wait */
	WB_SYNC_ALL, /* write everything and wait (sync, fsync) */
};

/**
 * struct writeback_control - what a write-back pass is to do
 * @nr_to_write: pages still to write; decremented by each page written
 * @sync_mode: WB_SYNC_NONE or WB_SYNC_ALL
 * @range_start, @range_end: bytes of the file to consider (inclusive)
 * @range_cyclic: ignore the range, go on from mapping's last position
 * @for_background: the flusher's pass (stop when below the threshold)
 * @older_than_this: only inodes dirtied before this (jiffies), or NULL
 */
struct writeback_control {
	long nr_to_write;
	enum writeback_sync_modes sync_mode;
	loff_t range_start;
	loff_t range_end;
	bool range_cyclic;
	bool for_background;
	unsigned long *older_than_this;
};

/* ---- pages (mm/page-writeback.c) ---------------------------------------- */

/* Write the dirty pages of @mapping that @wbc asks for: ->writepages,
 * or write_cache_pages() with ->writepage. */
int do_writepages(struct address_space *mapping, struct writeback_control *wbc);
/* Walk the dirty pages (the tag) and hand each to ->writepage. */
int write_cache_pages(struct address_space *mapping,
		      struct writeback_control *wbc);
/* Write one locked dirty page now (for ->releasepage and msync). */
int write_one_page(struct page *page, bool wait);

/* A writer dirtied pages of @mapping: if too much of memory is dirty,
 * write some and sleep (dirty_ratio). Context: process, no locks held. */
void balance_dirty_pages_ratelimited(struct address_space *mapping);

/* Tunables (/proc/sys/vm/), Linux's names and defaults. */
extern int dirty_background_ratio; /* 10: the flusher starts */
extern int vm_dirty_ratio; /* 20: writers are throttled */
extern unsigned int dirty_writeback_interval; /* 500 cs: flusher period */
extern unsigned int dirty_expire_interval; /* 3000 cs: old enough to write */

/* ---- inodes (fs/fs-writeback.c) ----------------------------------------- */

/*
 * Record that @inode is dirty in the ways @flags says (I_DIRTY_*): the
 * first time puts it at the tail of its super_block's dirty list with
 * dirtied_when = now. Any process context.
 */
void __mark_inode_dirty(struct inode *inode, unsigned int flags);

/* Take a dying inode off its dirty list (fs/inode.c's evict()). */
void inode_wb_list_del(struct inode *inode);

static inline void mark_inode_dirty(struct inode *inode)
{
	__mark_inode_dirty(inode, I_DIRTY_SYNC | I_DIRTY_DATASYNC);
}

static inline void mark_inode_dirty_sync(struct inode *inode)
{
	__mark_inode_dirty(inode, I_DIRTY_SYNC);
}

/* Write @inode's dirty pages and then its metadata (->write_inode). */
int write_inode_now(struct inode *inode, bool sync);
/* Write back an inode's data and, unless @datasync and only times are
 * dirty, its metadata: the body of fsync() for most file systems. */
int generic_file_fsync(struct file *file, loff_t start, loff_t end,
		       int datasync);
/* Write every dirty inode of @sb (and wait, with @wait): syncfs, umount. */
int sync_filesystem(struct super_block *sb);
void sync_inodes_sb(struct super_block *sb);
void writeback_inodes_sb(struct super_block *sb);
/* sync(): every file system. */
void sync_all_filesystems(void);
/* Wake the flusher now (too much dirty memory, or sync). */
void wakeup_flusher_threads(void);

#endif /* _KESTREL_WRITEBACK_H */
