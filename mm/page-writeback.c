/*
 * Write-back of pages (<kestrel/writeback.h>; docs/pagecache.md,
 * "Write-back"): dirtying pages, the Dirty and Writeback counts, writing
 * a mapping's dirty pages, and throttling the writers that dirty memory
 * faster than the disks take it.
 *
 * The page-level part (set_page_dirty .. write_cache_pages) comes first;
 * the dirty limits and balance_dirty_pages() follow.
 */
#include <kestrel/blkdev.h>
#include <kestrel/mman.h>
#include <kestrel/pagemap.h>
#include <kestrel/sched.h>
#include <kestrel/time.h>
#include <kestrel/vmstat.h>
#include <kestrel/writeback.h>

/* ---- dirtying and writing pages ----------------------------------------- */

/*
 * Does @mapping's dirt count? Only pages that write-back will clean:
 * a mapping without ->writepage (tmpfs) keeps its pages dirty forever,
 * and they are not Linux's "Dirty" either.
 */
static bool mapping_cap_account_dirty(const struct address_space *mapping)
{
	return mapping && mapping->a_ops && mapping->a_ops->writepage;
}

int __set_page_dirty_nobuffers(struct page *page)
{
	struct address_space *mapping = page->mapping;
	unsigned long flags;

	if (TestSetPageDirty(page))
		return 0;
	if (!mapping)
		return 1;
	spin_lock_irqsave(&mapping->tree_lock, flags);
	if (page->mapping == mapping) { /* not truncated meanwhile */
		if (mapping_cap_account_dirty(mapping))
			inc_node_page_state(NR_FILE_DIRTY);
		radix_tree_tag_set(&mapping->page_tree, page->index,
				   PAGECACHE_TAG_DIRTY);
	}
	spin_unlock_irqrestore(&mapping->tree_lock, flags);
	if (mapping_cap_account_dirty(mapping))
		__mark_inode_dirty(mapping->host, I_DIRTY_PAGES);
	return 1;
}

bool set_page_dirty(struct page *page)
{
	struct address_space *mapping = page->mapping;

	if (!mapping)
		return !TestSetPageDirty(page);
	if (mapping->a_ops->set_page_dirty)
		return mapping->a_ops->set_page_dirty(page);
	return __set_page_dirty_nobuffers(page);
}

bool clear_page_dirty_for_io(struct page *page)
{
	struct address_space *mapping = page->mapping;

	WARN_ON(!PageLocked(page));
	if (!TestClearPageDirty(page))
		return false;
	/* Stores through shared mappings must fault and dirty the page
	 * again from now on (mm/filemap_fault.c, docs/filemap.md). */
	page_mkclean(page);
	/* The tag stays until set_page_writeback(): the page is still
	 * "to be written" for a concurrent sync until then. */
	if (mapping_cap_account_dirty(mapping))
		dec_node_page_state(NR_FILE_DIRTY);
	return true;
}

void cancel_dirty_page(struct page *page)
{
	struct address_space *mapping = page->mapping;
	unsigned long flags;

	if (!TestClearPageDirty(page))
		return;
	if (mapping_cap_account_dirty(mapping))
		dec_node_page_state(NR_FILE_DIRTY);
	if (mapping) {
		spin_lock_irqsave(&mapping->tree_lock, flags);
		radix_tree_tag_clear(&mapping->page_tree, page->index,
				     PAGECACHE_TAG_DIRTY);
		spin_unlock_irqrestore(&mapping->tree_lock, flags);
	}
}

#define WB_BATCH 16

/* The pages [start, end] @wbc covers. */
static void wbc_range(const struct writeback_control *wbc, pgoff_t *start,
		      pgoff_t *end)
{
	if (wbc->range_cyclic) {
		*start = 0;
		*end = ~0UL;
		return;
	}
	*start = wbc->range_start >> PAGE_SHIFT;
	*end = wbc->range_end < 0 || (wbc->range_end >> PAGE_SHIFT) > ~0UL ?
		       ~0UL :
		       (pgoff_t)(wbc->range_end >> PAGE_SHIFT);
}

/*
 * Hand one dirty page of @mapping to ->writepage, if it still needs it.
 * Returns ->writepage's result, or 0 when the page was skipped.
 */
static int write_dirty_page(struct address_space *mapping, struct page *page,
			    struct writeback_control *wbc)
{
	lock_page(page);
	if (page->mapping != mapping || !PageDirty(page)) {
		unlock_page(page);
		return 0;
	}
	if (PageWriteback(page)) {
		if (wbc->sync_mode == WB_SYNC_NONE) {
			unlock_page(page);
			return 0;
		}
		wait_on_page_writeback(page);
	}
	if (!clear_page_dirty_for_io(page)) {
		unlock_page(page);
		return 0;
	}
	wbc->nr_to_write--;
	return mapping->a_ops->writepage(page, wbc); /* unlocks */
}

int write_cache_pages(struct address_space *mapping,
		      struct writeback_control *wbc)
{
	struct page *pages[WB_BATCH];
	pgoff_t index, end;
	struct blk_plug plug;
	int ret = 0;
	bool done = false;

	wbc_range(wbc, &index, &end);
	blk_start_plug(&plug);
	while (!done) {
		unsigned int i, n = find_get_pages_tag(mapping, &index,
						       PAGECACHE_TAG_DIRTY,
						       WB_BATCH, pages);

		if (!n)
			break;
		for (i = 0; i < n; i++) {
			int err;

			if (done || pages[i]->index > end) {
				done = true;
				continue;
			}
			err = write_dirty_page(mapping, pages[i], wbc);
			if (err) {
				mapping_set_error(mapping, err);
				if (!ret)
					ret = err;
			}
			if (wbc->nr_to_write <= 0 &&
			    wbc->sync_mode == WB_SYNC_NONE)
				done = true;
		}
		while (n)
			put_page(pages[--n]);
		if (!index) /* wrapped past the last index */
			break;
	}
	blk_finish_plug(&plug);
	return ret;
}

int do_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	if (wbc->nr_to_write <= 0)
		return 0;
	if (mapping->a_ops->writepages)
		return mapping->a_ops->writepages(mapping, wbc);
	if (!mapping->a_ops->writepage)
		return 0;
	return write_cache_pages(mapping, wbc);
}

int write_one_page(struct page *page, bool wait)
{
	struct address_space *mapping = page->mapping;
	struct writeback_control wbc = {
		.sync_mode = WB_SYNC_ALL,
		.nr_to_write = 1,
	};
	int ret = 0;

	WARN_ON(!PageLocked(page));
	wait_on_page_writeback(page);
	if (!mapping->a_ops->writepage || !clear_page_dirty_for_io(page)) {
		unlock_page(page);
		return 0;
	}
	get_page(page);
	ret = mapping->a_ops->writepage(page, &wbc);
	if (!ret && wait) {
		wait_on_page_writeback(page);
		if (PageError(page))
			ret = -EIO;
	}
	put_page(page);
	return ret;
}

int filemap_fdatawrite_range(struct address_space *mapping, loff_t start,
			     loff_t end)
{
	struct writeback_control wbc = {
		.sync_mode = WB_SYNC_ALL,
		.nr_to_write = LONG_MAX,
		.range_start = start,
		.range_end = end,
	};

	if (!mapping_cap_account_dirty(mapping) || !mapping->nrpages)
		return 0;
	return do_writepages(mapping, &wbc);
}

int filemap_fdatawrite(struct address_space *mapping)
{
	return filemap_fdatawrite_range(mapping, 0, LLONG_MAX);
}

/* Report and forget the mapping's recorded write-back error. */
static int mapping_check_error(struct address_space *mapping)
{
	int ret = 0;

	if (test_and_clear_bit(AS_ENOSPC, &mapping->flags))
		ret = -ENOSPC;
	if (test_and_clear_bit(AS_EIO, &mapping->flags))
		ret = -EIO;
	return ret;
}

int filemap_fdatawait_range(struct address_space *mapping, loff_t start,
			    loff_t end)
{
	pgoff_t index = start >> PAGE_SHIFT;
	pgoff_t last = end < 0 || (end >> PAGE_SHIFT) > ~0UL ?
			       ~0UL :
			       (pgoff_t)(end >> PAGE_SHIFT);
	struct page *pages[WB_BATCH];
	unsigned int n, i;
	int ret = 0;

	while (index <= last &&
	       (n = find_get_pages_tag(mapping, &index, PAGECACHE_TAG_WRITEBACK,
				       WB_BATCH, pages))) {
		for (i = 0; i < n; i++) {
			if (pages[i]->index <= last) {
				wait_on_page_writeback(pages[i]);
				if (TestClearPageError(pages[i]))
					ret = -EIO;
			}
			put_page(pages[i]);
		}
		if (!index)
			break;
	}
	return mapping_check_error(mapping) ?: ret;
}

int filemap_fdatawait(struct address_space *mapping)
{
	return filemap_fdatawait_range(mapping, 0, LLONG_MAX);
}

int filemap_write_and_wait_range(struct address_space *mapping, loff_t start,
				 loff_t end)
{
	int err = filemap_fdatawrite_range(mapping, start, end);
	int err2 = filemap_fdatawait_range(mapping, start, end);

	return err ?: err2;
}

int filemap_write_and_wait(struct address_space *mapping)
{
	return filemap_write_and_wait_range(mapping, 0, LLONG_MAX);
}

/* ---- dirty limits and throttling ---------------------------------------- */

/*
 * How much may be dirty. Dirtyable memory is what could hold file
 * pages: the free pages and the page cache that writing back or dropping
 * can give back (tmpfs pages cannot). Two limits, each a percentage of
 * it or (the _bytes tunables, when set) a size:
 *
 *	dirty pages  < background    nothing to do
 *	             > background    the flusher writes, writers go on
 *	dirty + wb   > dirty limit   the writer writes a chunk itself and
 *	                             sleeps until the count is below
 *
 * A background limit at or above the dirty limit is taken as half of
 * it, as Linux does.
 */
int dirty_background_ratio = 10;
unsigned long dirty_background_bytes;
int vm_dirty_ratio = 20;
unsigned long vm_dirty_bytes;

/* Pages a throttled writer writes of its own file before it looks at
 * the count again (Linux's ratelimit of 32 pages, times 1.5 — 48). */
#define DIRTY_WRITE_CHUNK 48

static unsigned long dirtyable_memory(void)
{
	unsigned long file = node_page_state(NR_FILE_PAGES);
	unsigned long shmem = node_page_state(NR_SHMEM);

	return nr_free_pages() + (file > shmem ? file - shmem : 0) + 1;
}

/* One limit in pages: @bytes if set, else @ratio percent of @avail. */
static unsigned long dirty_limit(unsigned long bytes, int ratio,
				 unsigned long avail)
{
	if (bytes)
		return (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	return (unsigned long)((u64)avail * (unsigned int)ratio / 100);
}

static void global_dirty_limits(unsigned long *background, unsigned long *dirty)
{
	unsigned long avail = dirtyable_memory();

	*dirty = dirty_limit(READ_ONCE(vm_dirty_bytes),
			     READ_ONCE(vm_dirty_ratio), avail);
	*background = dirty_limit(READ_ONCE(dirty_background_bytes),
				  READ_ONCE(dirty_background_ratio), avail);
	if (*background >= *dirty)
		*background = *dirty / 2;
}

bool dirty_over_background_limit(void)
{
	unsigned long background, dirty;

	global_dirty_limits(&background, &dirty);
	return node_page_state(NR_FILE_DIRTY) > background;
}

/* Write up to DIRTY_WRITE_CHUNK dirty pages of @mapping, not waiting:
 * the pages written go from Dirty to Writeback. Returns how many. */
static long write_some_pages(struct address_space *mapping)
{
	struct writeback_control wbc = {
		.nr_to_write = DIRTY_WRITE_CHUNK,
		.sync_mode = WB_SYNC_NONE,
		.range_cyclic = true,
		.range_end = MAX_LFS_FILESIZE,
	};

	do_writepages(mapping, &wbc);
	return DIRTY_WRITE_CHUNK - wbc.nr_to_write;
}

/*
 * Throttle a writer while dirty and under-write-back pages exceed the
 * dirty limit: write a chunk of its own file (the pages it dirtied are
 * the ones it should pay for), wake the flusher, sleep a tenth of a
 * second for the disk, look again. It stops waiting when nothing it
 * could wait for is left (no page of its own to write and none in
 * flight: the excess is someone else's, which the flusher handles), or
 * when a signal is pending.
 */
static void balance_dirty_pages(struct address_space *mapping)
{
	unsigned long background, dirty, nr;
	long written;

	for (;;) {
		global_dirty_limits(&background, &dirty);
		nr = node_page_state(NR_FILE_DIRTY) +
		     node_page_state(NR_WRITEBACK);
		if (nr <= dirty)
			break;
		wakeup_flusher_threads();
		written = write_some_pages(mapping);
		if (!written && !node_page_state(NR_WRITEBACK))
			break;
		if (signal_pending(current))
			break; /* let it be handled; the next page asks again */
		schedule_timeout_uninterruptible(HZ / 10);
	}
	if (node_page_state(NR_FILE_DIRTY) > background)
		wakeup_flusher_threads();
}

void balance_dirty_pages_ratelimited(struct address_space *mapping)
{
	might_sleep();
	/* Pages that cannot be written back are not dirty-accounted. */
	if (!mapping_cap_account_dirty(mapping))
		return;
	balance_dirty_pages(mapping);
}

/* ---- the tunables' pairs (/proc/sys/vm/) -------------------------------- */

/* Setting a ratio clears its _bytes twin and back (Linux's handlers). */
void dirty_background_ratio_changed(const struct ctl_table *table)
{
	WRITE_ONCE(dirty_background_bytes, 0);
}

void dirty_background_bytes_changed(const struct ctl_table *table)
{
	WRITE_ONCE(dirty_background_ratio, 0);
}

void dirty_ratio_changed(const struct ctl_table *table)
{
	WRITE_ONCE(vm_dirty_bytes, 0);
}

void dirty_bytes_changed(const struct ctl_table *table)
{
	WRITE_ONCE(vm_dirty_ratio, 0);
}
