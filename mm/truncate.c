/*
 * Taking pages out of the page cache (<kestrel/pagemap.h>): truncation,
 * which removes a file's pages past its new end whatever their state,
 * and invalidation, which drops only what can be dropped without losing
 * data (drop_caches) or after writing it (direct I/O).
 *
 * Each page is locked and its write-back waited for before it goes, so
 * that no I/O is in flight on a page that has left its file; a page's
 * private state (buffer heads) is dropped through ->invalidatepage or
 * ->releasepage first.
 */
#include <kestrel/pagemap.h>
#include <kestrel/string.h>
#include <kestrel/writeback.h>

#define PAGEVEC_SIZE 16

static void put_pages(struct page **pages, unsigned int n)
{
	while (n)
		put_page(pages[--n]);
}

/* Drop @page's private state for bytes [@offset, @offset + @length). */
static void invalidate_private(struct page *page, unsigned int offset,
			       unsigned int length)
{
	const struct address_space_operations *a_ops = page->mapping->a_ops;

	if (page_has_private(page) && a_ops->invalidatepage)
		a_ops->invalidatepage(page, offset, length);
}

/* Truncate the locked @page out of its file, whatever its state. */
static void truncate_complete_page(struct page *page)
{
	invalidate_private(page, 0, PAGE_SIZE);
	ClearPageUptodate(page);
	delete_from_page_cache(page);
}

/* Zero [@from, @to) of the cached page at @index (a partial page). */
static void truncate_partial_page(struct address_space *mapping, pgoff_t index,
				  unsigned int from, unsigned int to)
{
	struct page *page = find_lock_page(mapping, index);

	if (!page)
		return;
	wait_on_page_writeback(page);
	memset((char *)page_address(page) + from, 0, to - from);
	invalidate_private(page, from, to - from);
	unlock_page(page);
	put_page(page);
}

void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart,
				loff_t lend)
{
	pgoff_t start = (lstart + PAGE_SIZE - 1) >> PAGE_SHIFT;
	unsigned int partial_start = lstart & ~PAGE_MASK;
	unsigned int partial_end = lend < 0 ? 0 : (lend + 1) & ~PAGE_MASK;
	pgoff_t end = lend < 0 ? ~0UL : (pgoff_t)((lend + 1) >> PAGE_SHIFT);
	struct page *pages[PAGEVEC_SIZE];
	pgoff_t next = start;
	unsigned int n, i;

	if (!mapping->nrpages)
		return;
	/* Whole pages: [start, end). */
	while (next < end &&
	       (n = find_get_pages(mapping, next, PAGEVEC_SIZE, pages))) {
		for (i = 0; i < n; i++) {
			struct page *page = pages[i];

			if (page->index >= end) {
				next = end;
				break;
			}
			next = page->index + 1;
			lock_page(page);
			wait_on_page_writeback(page);
			if (page->mapping == mapping)
				truncate_complete_page(page);
			unlock_page(page);
		}
		put_pages(pages, n);
	}
	/* The partial pages at either end keep their outside bytes. */
	if (partial_start) {
		unsigned int to = PAGE_SIZE;

		if (lend >= 0 && (lend >> PAGE_SHIFT) == (lstart >> PAGE_SHIFT))
			to = partial_end;
		truncate_partial_page(mapping, lstart >> PAGE_SHIFT,
				      partial_start, to);
	}
	if (partial_end && (lend >> PAGE_SHIFT) != (lstart >> PAGE_SHIFT))
		truncate_partial_page(mapping, lend >> PAGE_SHIFT, 0,
				      partial_end);
}

void truncate_inode_pages(struct address_space *mapping, loff_t lstart)
{
	truncate_inode_pages_range(mapping, lstart, -1);
}

void truncate_pagecache(struct inode *inode, loff_t newsize)
{
	struct address_space *mapping = inode->i_mapping;
	loff_t holebegin = (newsize + PAGE_SIZE - 1) & PAGE_MASK;

	/* Unmap first, so no new PTE for a page beyond the end appears
	 * while the pages go; unmap again for faults that raced. */
	unmap_mapping_range(mapping, holebegin, 0, true);
	truncate_inode_pages(mapping, newsize);
	unmap_mapping_range(mapping, holebegin, 0, true);
}

void truncate_setsize(struct inode *inode, loff_t newsize)
{
	loff_t oldsize = i_size_read(inode);

	i_size_write(inode, newsize);
	if (newsize < oldsize)
		truncate_pagecache(inode, newsize);
}

/* May the private state of @page (locked) go? */
static bool release_private(struct page *page)
{
	const struct address_space_operations *a_ops = page->mapping->a_ops;

	if (!page_has_private(page))
		return true;
	return a_ops->releasepage && a_ops->releasepage(page, GFP_KERNEL);
}

static bool page_mapped(const struct page *page)
{
	return atomic_read(&page->_mapcount) > 0;
}

/*
 * Call @fn on each cached page of [@start, @end], in index order, with a
 * reference held and the page unlocked.
 */
static void for_each_cached_page(struct address_space *mapping, pgoff_t start,
				 pgoff_t end,
				 void (*fn)(struct page *page, void *arg),
				 void *arg)
{
	struct page *pages[PAGEVEC_SIZE];
	pgoff_t next = start;
	bool done = false;
	unsigned int n, i;

	while (!done &&
	       (n = find_get_pages(mapping, next, PAGEVEC_SIZE, pages))) {
		for (i = 0; i < n && !done; i++) {
			if (pages[i]->index > end)
				break;
			done = pages[i]->index == end;
			next = pages[i]->index + 1;
			fn(pages[i], arg);
		}
		done |= i < n;
		put_pages(pages, n);
	}
}

struct invalidate_state {
	struct address_space *mapping;
	unsigned long count; /* pages dropped, or pages that stayed */
};

/* drop_caches: @page goes if nobody uses it and it holds nothing new. */
static void drop_if_clean(struct page *page, void *arg)
{
	struct invalidate_state *st = arg;

	if (!trylock_page(page))
		return;
	if (page->mapping == st->mapping && !PageDirty(page) &&
	    !PageWriteback(page) && !page_mapped(page) &&
	    release_private(page)) {
		delete_from_page_cache(page);
		st->count++;
	}
	unlock_page(page);
}

unsigned long invalidate_mapping_pages(struct address_space *mapping,
				       pgoff_t start, pgoff_t end)
{
	struct invalidate_state st = { mapping, 0 };

	for_each_cached_page(mapping, start, end, drop_if_clean, &st);
	return st.count;
}

/* Write @page (locked) if dirty, then take it out; false if it stays
 * (dirty again, or mapped again by a fault since the range was
 * unmapped: it cannot be unmapped here, under its lock). */
static bool invalidate_one(struct address_space *mapping, struct page *page)
{
	wait_on_page_writeback(page);
	if (page->mapping != mapping)
		return true;
	if (page_mapped(page))
		return false;
	if (PageDirty(page)) {
		write_one_page(page, true); /* unlocks */
		lock_page(page);
		if (page->mapping != mapping)
			return true;
	}
	if (PageDirty(page) || !release_private(page))
		return false;
	truncate_complete_page(page);
	return true;
}

/* After a direct write: @page goes, written first if dirty. */
static void write_and_drop(struct page *page, void *arg)
{
	struct invalidate_state *st = arg;

	lock_page(page);
	if (!invalidate_one(st->mapping, page))
		st->count++;
	unlock_page(page);
}

int invalidate_inode_pages2_range(struct address_space *mapping, pgoff_t start,
				  pgoff_t end)
{
	struct invalidate_state st = { mapping, 0 };

	/* The mappings go first, with no page lock held: unmapping takes
	 * each mm's mmap_lock, which a fault holds while it waits for a
	 * page lock (mm/filemap_fault.c). */
	if (!list_empty(&mapping->i_mmap))
		unmap_mapping_range(mapping, (loff_t)start << PAGE_SHIFT,
				    ((loff_t)(end - start) + 1) << PAGE_SHIFT,
				    false);
	for_each_cached_page(mapping, start, end, write_and_drop, &st);
	return st.count ? -EBUSY : 0;
}
