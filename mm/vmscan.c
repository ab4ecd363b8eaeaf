/*
 * Reclaim of the page cache's clean pages (<kestrel/pagemap.h>): when an
 * allocation finds memory short, the oldest clean, unmapped pages of the
 * cache are dropped, since their data is also on their storage (or, for a
 * clean tmpfs page, is zeros).
 *
 * Every page in the cache sits on one LRU list, newest at the head.
 * The scan takes pages from the tail with a second chance (the "clock"
 * algorithm): a page used since the scan last saw it (PG_referenced, set
 * by reads and writes) has the bit cleared and goes back to the head;
 * an unused one is dropped if it can be dropped at once — not locked,
 * not dirty, not under write-back, not mapped by a process, its buffers
 * (if any) releasable — and otherwise goes back to the head too.
 *
 *	head (newest) ───────────────────────────────► tail (oldest)
 *	 [p9] [p4 R] [p7] [p1 dirty] [p3] [p2 R]       scan from here
 *
 * The scan never sleeps on a page (trylock only) and writes nothing:
 * dirty pages wait for write-back, and the full memory-pressure story
 * (kswapd, reverse mapping, swap) is docs/memory.md's next chapter.
 */
#include <kestrel/pagemap.h>
#include <kestrel/spinlock.h>
#include <kestrel/swap.h>

static DEFINE_SPINLOCK(lru_lock);
static LIST_HEAD(lru_list);
static unsigned long lru_pages; /* lru_lock */

void lru_cache_add(struct page *page)
{
	spin_lock(&lru_lock);
	if (!PageLru(page)) {
		SetPageLru(page);
		list_add(&page->lru, &lru_list);
		lru_pages++;
	}
	spin_unlock(&lru_lock);
}

void lru_cache_del(struct page *page)
{
	spin_lock(&lru_lock);
	if (PageLru(page)) {
		ClearPageLru(page);
		list_del(&page->lru);
		lru_pages--;
	}
	spin_unlock(&lru_lock);
}

static bool page_mapped(const struct page *page)
{
	return atomic_read(&page->_mapcount) > 0;
}

/* Drop @page (locked, referenced by us) from its file if it is clean. */
static bool try_to_drop(struct page *page, gfp_t gfp)
{
	struct address_space *mapping = page->mapping;

	if (!mapping || PageDirty(page) || PageWriteback(page) ||
	    page_mapped(page))
		return false;
	if (page_has_private(page)) {
		if (!(gfp & __GFP_FS) || !mapping->a_ops->releasepage ||
		    !mapping->a_ops->releasepage(page, gfp))
			return false;
	}
	delete_from_page_cache(page);
	return true;
}

/*
 * Take the oldest page off the list with a reference, or NULL; a page
 * with PG_referenced is rotated to the head instead (one pass at most:
 * @budget).
 */
static struct page *isolate_oldest(unsigned long *budget)
{
	struct page *page = NULL;

	spin_lock(&lru_lock);
	while (!list_empty(&lru_list) && *budget) {
		struct page *p = list_last_entry(&lru_list, struct page, lru);

		(*budget)--;
		list_move(&p->lru, &lru_list); /* to the head, in any case */
		if (TestClearPageReferenced(p))
			continue;
		get_page(p);
		page = p;
		break;
	}
	spin_unlock(&lru_lock);
	return page;
}

unsigned long shrink_page_cache(gfp_t gfp, unsigned long nr)
{
	unsigned long freed = 0, budget;

	spin_lock(&lru_lock);
	budget = 2 * lru_pages; /* every page twice: a full second chance */
	spin_unlock(&lru_lock);
	while (freed < nr) {
		struct page *page = isolate_oldest(&budget);

		if (!page)
			break;
		if (trylock_page(page)) {
			if (try_to_drop(page, gfp))
				freed++;
			unlock_page(page);
		}
		put_page(page);
	}
	return freed;
}
