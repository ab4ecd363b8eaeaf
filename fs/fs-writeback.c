/*
 * Write-back of inodes (<kestrel/writeback.h>; docs/pagecache.md,
 * "Write-back"): which inodes are dirty, writing one inode's pages and
 * then its metadata, the passes over a super_block's dirty inodes that
 * sync(), syncfs() and umount make, and the flusher thread that writes
 * old and excess dirty data in the background.
 *
 * Each super_block keeps its dirty inodes on sb->s_dirty, oldest first:
 * __mark_inode_dirty() puts an inode at the tail the first time it is
 * dirtied (clean -> dirty) and stamps dirtied_when. A pass takes the
 * eligible head of the list (all of it for sync, those dirtied before a
 * moment for the flusher) onto a private list and writes each inode:
 *
 *	s_dirty: [A t=10] [B t=12] [C t=40]      older_than_this = 30
 *	pass:    io = [A B], s_dirty = [C]
 *	         write A: clean -> off every list
 *	         write B: dirtied again meanwhile -> back at s_dirty's tail
 *
 * so an inode redirtied during the pass is not written twice by it, and
 * a writer that never stops cannot keep a pass going for ever.
 *
 * Writing an inode (writeback_single_inode): I_SYNC makes it one writer
 * at a time; a second WB_SYNC_ALL writer waits for the first (its pages
 * may have been written before they were dirtied again), a WB_SYNC_NONE
 * one goes on to the next inode. The pages go first (do_writepages();
 * WB_SYNC_ALL waits with filemap_fdatawait()), then, if the inode's own
 * fields are dirty, ->write_inode: a file system's writepage may dirty
 * the inode (a block allocated), and that must be in the same write.
 *
 * Lifetime: a pass holds a reference to the inode it writes, so the
 * inode cannot be evicted under it; an inode being evicted (I_FREEING)
 * is skipped, and evict() takes it off the list itself after writing it
 * (inode_writeback_evict()). The super_blocks are walked with
 * iterate_supers() (fs/super.c), which keeps each one alive.
 *
 * The flusher ("flush", one kernel thread for all disks) wakes every
 * dirty_writeback_interval centiseconds and when kicked
 * (wakeup_flusher_threads(): a writer went past the background limit,
 * or sync()). Each round it writes in chunks while the dirty pages
 * exceed the background limit, then every inode dirtied longer ago than
 * dirty_expire_interval.
 *
 * Locking (the "w" of <kestrel/fs.h>): inode_wb_list_lock protects the
 * dirty lists and dirtied_when; inode->i_lock, taken inside it, protects
 * i_state as everywhere else. Neither is held across I/O.
 */
#include <kestrel/bug.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/genhd.h>
#include <kestrel/init.h>
#include <kestrel/kthread.h>
#include <kestrel/pagemap.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/time.h>
#include <kestrel/wait.h>
#include <kestrel/writeback.h>

#include "internal.h"

/* Pages a background round writes before it looks at the dirty count
 * again (Linux's MAX_WRITEBACK_PAGES: 4 MiB). */
#define WRITEBACK_CHUNK 1024

static DEFINE_SPINLOCK(inode_wb_list_lock);
/* Woken when an inode's I_SYNC clears. */
static DECLARE_WAIT_QUEUE_HEAD(inode_sync_wq);

unsigned int dirty_writeback_interval = 500; /* centiseconds */
unsigned int dirty_expire_interval = 3000; /* centiseconds */

/* ---- the dirty lists ---------------------------------------------------- */

/* Can anything write this inode out? Memory-only files (tmpfs) have no
 * ->writepage and no ->write_inode: keeping them on a list would only
 * make every pass look at them. */
static bool inode_writes_back(const struct inode *inode)
{
	const struct address_space_operations *a_ops = inode->i_mapping->a_ops;

	if (inode->i_sb->s_op->write_inode)
		return true;
	return a_ops && (a_ops->writepage || a_ops->writepages);
}

void __mark_inode_dirty(struct inode *inode, unsigned int flags)
{
	struct super_block *sb = inode->i_sb;
	bool was_dirty;

	flags &= I_DIRTY;
	/* Metadata with nowhere to go (tmpfs, pipes) is never dirty. */
	if (!sb->s_op->write_inode)
		flags &= I_DIRTY_PAGES;
	/* Already dirty in those ways: the common case, no lock. */
	if ((READ_ONCE(inode->i_state) & flags) == flags)
		return;
	spin_lock(&inode_wb_list_lock);
	spin_lock(&inode->i_lock);
	was_dirty = inode->i_state & I_DIRTY;
	inode->i_state |= flags;
	/* A dying inode is written (or dropped) by evict() itself; one
	 * being written is requeued by its writer, which sees the bits. */
	if (!was_dirty && !(inode->i_state & I_FREEING)) {
		inode->dirtied_when = jiffies;
		if (!(inode->i_state & I_SYNC) && inode_writes_back(inode))
			list_move_tail(&inode->i_wb_list, &sb->s_dirty);
	}
	spin_unlock(&inode->i_lock);
	spin_unlock(&inode_wb_list_lock);
}

/*
 * Put @inode, still dirty after a write, back at the tail of its
 * super_block's list. The list stays sorted: if the inode is older than
 * the tail it becomes "dirtied now" (Linux's redirty_tail()).
 * Caller holds inode_wb_list_lock.
 */
static void redirty_tail(struct inode *inode)
{
	struct list_head *dirty = &inode->i_sb->s_dirty;
	struct inode *tail;

	if (!list_empty(dirty)) {
		tail = list_last_entry(dirty, struct inode, i_wb_list);
		if (time_before(inode->dirtied_when, tail->dirtied_when))
			inode->dirtied_when = jiffies;
	}
	list_move_tail(&inode->i_wb_list, dirty);
}

/* ---- writing one inode -------------------------------------------------- */

/*
 * Make the caller @inode's only writer (set I_SYNC). With @wait, sleep
 * until a writer already there is done; without, give up: false.
 */
static bool inode_begin_sync(struct inode *inode, bool wait)
{
	spin_lock(&inode->i_lock);
	while (inode->i_state & I_SYNC) {
		spin_unlock(&inode->i_lock);
		if (!wait)
			return false;
		wait_event(inode_sync_wq,
			   !(READ_ONCE(inode->i_state) & I_SYNC));
		spin_lock(&inode->i_lock);
	}
	inode->i_state |= I_SYNC;
	spin_unlock(&inode->i_lock);
	return true;
}

/* The write is over: requeue @inode if it is dirty again, take it off
 * the lists if it is clean, and let the next writer in. */
static void inode_end_sync(struct inode *inode)
{
	spin_lock(&inode_wb_list_lock);
	spin_lock(&inode->i_lock);
	inode->i_state &= ~I_SYNC;
	if (inode->i_state & I_FREEING)
		; /* evict() takes it off */
	else if ((inode->i_state & I_DIRTY) && inode_writes_back(inode))
		redirty_tail(inode);
	else
		list_del_init(&inode->i_wb_list);
	spin_unlock(&inode->i_lock);
	spin_unlock(&inode_wb_list_lock);
	wake_up_all(&inode_sync_wq);
}

/* Take the dirty bits for this write; I_DIRTY_PAGES stays if pages
 * are still tagged dirty (some were skipped, or dirtied again). */
static unsigned int inode_take_dirty(struct inode *inode)
{
	struct address_space *mapping = inode->i_mapping;
	unsigned int dirty;

	spin_lock(&inode->i_lock);
	dirty = inode->i_state & I_DIRTY;
	inode->i_state &= ~I_DIRTY;
	if (radix_tree_tagged(&mapping->page_tree, PAGECACHE_TAG_DIRTY))
		inode->i_state |= I_DIRTY_PAGES;
	spin_unlock(&inode->i_lock);
	return dirty;
}

/* Pages, then (if dirty) the inode's own fields. Caller holds I_SYNC. */
static int __writeback_single_inode(struct inode *inode,
				    struct writeback_control *wbc)
{
	const struct super_operations *op = inode->i_sb->s_op;
	struct address_space *mapping = inode->i_mapping;
	unsigned int dirty;
	int ret, err;

	ret = do_writepages(mapping, wbc);
	if (wbc->sync_mode == WB_SYNC_ALL) {
		err = filemap_fdatawait(mapping);
		if (!ret)
			ret = err;
	}
	dirty = inode_take_dirty(inode);
	if ((dirty & (I_DIRTY_SYNC | I_DIRTY_DATASYNC)) && op->write_inode) {
		err = op->write_inode(inode, wbc);
		if (!ret)
			ret = err;
	}
	return ret;
}

/*
 * Write @inode as @wbc says. The caller keeps the inode alive (holds a
 * reference, or is evict()). 0 or the first error. May sleep.
 */
static int writeback_single_inode(struct inode *inode,
				  struct writeback_control *wbc)
{
	int ret;

	might_sleep();
	if (!inode_begin_sync(inode, wbc->sync_mode == WB_SYNC_ALL))
		return 0; /* another writer has it; it will requeue */
	ret = __writeback_single_inode(inode, wbc);
	inode_end_sync(inode);
	return ret;
}

int write_inode_now(struct inode *inode, bool sync)
{
	struct writeback_control wbc = {
		.nr_to_write = LONG_MAX,
		.sync_mode = sync ? WB_SYNC_ALL : WB_SYNC_NONE,
		.range_end = MAX_LFS_FILESIZE,
	};

	return writeback_single_inode(inode, &wbc);
}

/* Write the inode's fields if they are dirty, and wait: fsync's second
 * half (Linux's sync_inode_metadata()). */
static int sync_inode_metadata(struct inode *inode)
{
	struct writeback_control wbc = {
		.nr_to_write = 0, /* the pages were just written */
		.sync_mode = WB_SYNC_ALL,
	};

	return writeback_single_inode(inode, &wbc);
}

/*
 * The data, then the inode if fsync needs it, then the drive's cache
 * (a disk file system's): what Linux's generic_file_fsync() does. A
 * file system keeping metadata buffers of its own for the inode (ext2's
 * indirect blocks) writes them in its ->fsync before calling this.
 */
int generic_file_fsync(struct file *file, loff_t start, loff_t end,
		       int datasync)
{
	struct inode *inode = file_inode(file);
	struct block_device *bdev = inode->i_sb->s_bdev;
	unsigned int state;
	int ret, err;

	ret = filemap_write_and_wait_range(inode->i_mapping, start, end);
	state = READ_ONCE(inode->i_state);
	/* fdatasync skips what reading the data back does not need: the
	 * times (I_DIRTY_SYNC alone); a new size (DATASYNC) it writes. */
	if (datasync ? (state & I_DIRTY_DATASYNC) :
		       (state & (I_DIRTY_SYNC | I_DIRTY_DATASYNC))) {
		err = sync_inode_metadata(inode);
		if (!ret)
			ret = err;
	}
	if (bdev) {
		err = bdev_flush(bdev);
		if (!ret)
			ret = err;
	}
	return ret;
}

/* ---- passes over a super_block ------------------------------------------ */

/* Was @inode dirtied before *@older_than_this (NULL: any time)? */
static bool inode_expired(const struct inode *inode,
			  const unsigned long *older_than_this)
{
	return !older_than_this ||
	       !time_after(inode->dirtied_when, *older_than_this);
}

/*
 * Move the head of @sb's dirty list that @wbc covers onto @io; the list
 * is sorted, so the first inode too young ends it. Caller holds
 * inode_wb_list_lock.
 */
static void queue_io(struct super_block *sb, struct list_head *io,
		     const struct writeback_control *wbc)
{
	struct inode *inode, *next;

	list_for_each_entry_safe(inode, next, &sb->s_dirty, i_wb_list) {
		if (!inode_expired(inode, wbc->older_than_this))
			break;
		list_move_tail(&inode->i_wb_list, io);
	}
}

/* A reference to @inode unless it is being evicted (Linux's igrab()).
 * Caller holds inode_wb_list_lock, so it is still on a list. */
static bool inode_grab(struct inode *inode)
{
	bool ok;

	spin_lock(&inode->i_lock);
	ok = !(inode->i_state & I_FREEING);
	if (ok)
		inode->i_count++;
	spin_unlock(&inode->i_lock);
	return ok;
}

/* Write the next inode of @io: false when @io is empty. */
static bool writeback_next_inode(struct list_head *io,
				 struct writeback_control *wbc)
{
	struct inode *inode;

	spin_lock(&inode_wb_list_lock);
	if (list_empty(io)) {
		spin_unlock(&inode_wb_list_lock);
		return false;
	}
	inode = list_first_entry(io, struct inode, i_wb_list);
	/* Back on s_dirty while it is written: if another writer has it,
	 * or it stays dirty, it is the next pass's. */
	redirty_tail(inode);
	if (!inode_grab(inode)) {
		list_del_init(&inode->i_wb_list);
		spin_unlock(&inode_wb_list_lock);
		return true;
	}
	spin_unlock(&inode_wb_list_lock);
	writeback_single_inode(inode, wbc);
	iput(inode);
	return true;
}

/*
 * One pass over @sb's dirty inodes as @wbc says, stopping early when
 * a WB_SYNC_NONE pass has written its nr_to_write pages (the rest go
 * back to s_dirty, still in order). May sleep.
 */
static void writeback_sb_inodes(struct super_block *sb,
				struct writeback_control *wbc)
{
	LIST_HEAD(io);

	spin_lock(&inode_wb_list_lock);
	queue_io(sb, &io, wbc);
	spin_unlock(&inode_wb_list_lock);
	while (writeback_next_inode(&io, wbc)) {
		if (wbc->sync_mode == WB_SYNC_NONE && wbc->nr_to_write <= 0)
			break;
	}
	/* Put back what the pass did not reach, ahead of the newer ones. */
	spin_lock(&inode_wb_list_lock);
	while (!list_empty(&io))
		list_move(io.prev, &sb->s_dirty);
	spin_unlock(&inode_wb_list_lock);
}

static void writeback_sb(struct super_block *sb, enum writeback_sync_modes mode)
{
	struct writeback_control wbc = {
		.nr_to_write = LONG_MAX,
		.sync_mode = mode,
		.range_end = MAX_LFS_FILESIZE,
	};

	writeback_sb_inodes(sb, &wbc);
}

void writeback_inodes_sb(struct super_block *sb)
{
	writeback_sb(sb, WB_SYNC_NONE);
}

void sync_inodes_sb(struct super_block *sb)
{
	writeback_sb(sb, WB_SYNC_ALL);
}

/*
 * Start everything (so the disk gets one stream of writes), then write
 * and wait for everything, then let the file system write what it keeps
 * itself (->sync_fs) and the device the metadata cached in its mapping.
 * A read-only file system has nothing to write.
 */
int sync_filesystem(struct super_block *sb)
{
	int ret = 0, err;

	might_sleep();
	if (sb->s_flags & SB_RDONLY)
		return 0;
	writeback_inodes_sb(sb);
	if (sb->s_op->sync_fs)
		sb->s_op->sync_fs(sb, 0);
	sync_inodes_sb(sb);
	if (sb->s_op->sync_fs)
		ret = sb->s_op->sync_fs(sb, 1);
	/* The metadata the writes above dirtied in the device's cache
	 * (bitmaps, inode tables, indirect blocks), then the drive's. */
	if (sb->s_bdev) {
		err = sync_blockdev(sb->s_bdev);
		if (!ret)
			ret = err;
		err = bdev_flush(sb->s_bdev);
		if (!ret)
			ret = err;
	}
	return ret;
}

static void sync_one_sb(struct super_block *sb, void *unused)
{
	sync_filesystem(sb);
}

void sync_all_filesystems(void)
{
	wakeup_flusher_threads();
	iterate_supers(sync_one_sb, NULL);
}

/* ---- eviction ----------------------------------------------------------- */

/*
 * @inode is being evicted (I_FREEING set, no references): a file that
 * still has a name has its dirty pages and fields written, and waits
 * for them; an unlinked one's are dropped by evict() (truncate). Then
 * it leaves the dirty list. Called by evict() before ->evict_inode.
 */
void inode_writeback_evict(struct inode *inode)
{
	if (inode->i_nlink && (READ_ONCE(inode->i_state) & I_DIRTY) &&
	    inode_writes_back(inode) && !(inode->i_sb->s_flags & SB_RDONLY))
		write_inode_now(inode, true);
	inode_wb_list_del(inode);
}

void inode_wb_list_del(struct inode *inode)
{
	spin_lock(&inode_wb_list_lock);
	spin_lock(&inode->i_lock);
	list_del_init(&inode->i_wb_list);
	inode->i_state &= ~I_DIRTY;
	spin_unlock(&inode->i_lock);
	spin_unlock(&inode_wb_list_lock);
}

/* ---- the flusher thread ------------------------------------------------- */

static DECLARE_WAIT_QUEUE_HEAD(flusher_wq);
static bool flusher_kicked; /* flusher_wq.lock */

void wakeup_flusher_threads(void)
{
	unsigned long flags;

	spin_lock_irqsave(&flusher_wq.lock, flags);
	flusher_kicked = true;
	spin_unlock_irqrestore(&flusher_wq.lock, flags);
	wake_up(&flusher_wq);
}

static void flusher_sb(struct super_block *sb, void *arg)
{
	writeback_sb_inodes(sb, arg);
}

/* While dirty pages are over the background limit: write a chunk of
 * each file system's oldest, and look again. */
static void flusher_background(void)
{
	struct writeback_control wbc = {
		.sync_mode = WB_SYNC_NONE,
		.range_cyclic = true,
		.for_background = true,
	};

	while (dirty_over_background_limit()) {
		wbc.nr_to_write = WRITEBACK_CHUNK;
		iterate_supers(flusher_sb, &wbc);
		if (wbc.nr_to_write == WRITEBACK_CHUNK)
			break; /* nothing could be written */
	}
}

/* Every inode dirtied longer ago than dirty_expire_interval. */
static void flusher_expired(void)
{
	unsigned long older =
		jiffies -
		msecs_to_jiffies(READ_ONCE(dirty_expire_interval) * 10);
	struct writeback_control wbc = {
		.nr_to_write = LONG_MAX,
		.sync_mode = WB_SYNC_NONE,
		.range_cyclic = true,
		.older_than_this = &older,
	};

	iterate_supers(flusher_sb, &wbc);
}

/* Sleep until the next period (none if the interval is 0) or a kick. */
static void flusher_sleep(void)
{
	unsigned int cs = READ_ONCE(dirty_writeback_interval);
	long timeout = cs ? (long)msecs_to_jiffies(cs * 10) :
			    MAX_SCHEDULE_TIMEOUT;
	struct wait_queue_entry wait;

	init_wait_entry(&wait, 0);
	prepare_to_wait(&flusher_wq, &wait, TASK_INTERRUPTIBLE);
	if (!READ_ONCE(flusher_kicked) && !kthread_should_stop())
		schedule_timeout(timeout);
	finish_wait(&flusher_wq, &wait);
}

static int flusher_thread(void *unused)
{
	unsigned long flags;

	while (!kthread_should_stop()) {
		spin_lock_irqsave(&flusher_wq.lock, flags);
		flusher_kicked = false;
		spin_unlock_irqrestore(&flusher_wq.lock, flags);
		flusher_background();
		flusher_expired();
		flusher_sleep();
	}
	return 0;
}

/* /proc/sys/vm/dirty_writeback_centisecs changed: start the new period. */
void dirty_writeback_interval_changed(const struct ctl_table *table)
{
	wakeup_flusher_threads();
}

static int flusher_init(void)
{
	struct task *task = kthread_run(flusher_thread, NULL, "flush");

	if (IS_ERR(task)) {
		pr_err("writeback: no flusher thread (%ld)\n", PTR_ERR(task));
		return PTR_ERR(task);
	}
	return 0;
}
fs_initcall(flusher_init);
