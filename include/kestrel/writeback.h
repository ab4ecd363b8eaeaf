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

/* Are the dirty pages over the background limit (the flusher's cue)? */
bool dirty_over_background_limit(void);

/* Tunables (/proc/sys/vm/), Linux's names and defaults. A limit is a
 * ratio (percent of free + clean-able cached memory) or, when its _bytes
 * twin is set, that many bytes; setting one clears the other. */
extern int dirty_background_ratio; /* 10: the flusher starts */
extern unsigned long dirty_background_bytes; /* 0: use the ratio */
extern int vm_dirty_ratio; /* 20: writers are throttled */
extern unsigned long vm_dirty_bytes; /* 0: use the ratio */
extern unsigned int dirty_writeback_interval; /* 500 cs: flusher period */
extern unsigned int dirty_expire_interval; /* 3000 cs: old enough to write */
extern int sysctl_drop_caches; /* the last value written to drop_caches */

struct ctl_table;
/* The sysctl files' ->changed callbacks (kernel/sysctl.c's table). */
void dirty_background_ratio_changed(const struct ctl_table *table);
void dirty_background_bytes_changed(const struct ctl_table *table);
void dirty_ratio_changed(const struct ctl_table *table);
void dirty_bytes_changed(const struct ctl_table *table);
void dirty_writeback_interval_changed(const struct ctl_table *table);
/* 1: drop the clean page cache; 2: the unused dentries (and with them
 * their inodes); 3: both (fs/drop_caches.c). Dirty data is not written
 * first: sync before, as on Linux. */
void drop_caches_changed(const struct ctl_table *table);

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
/* evict() of @inode (I_FREEING): write it if it still has a name, and
 * take it off the dirty list. */
void inode_writeback_evict(struct inode *inode);
/* Wake the flusher now (too much dirty memory, or sync). */
void wakeup_flusher_threads(void);

#endif /* _KESTREL_WRITEBACK_H */
