/*
 * Read-ahead (docs/pagecache.md, "Read-ahead"): reading the pages a
 * sequential reader will want next before it asks, so that the disk
 * streams large requests instead of waiting for one page at a time.
 *
 * Each open file keeps a window (struct file_ra_state), Linux's
 * "on-demand" read-ahead in simpler code:
 *
 *	 start                       start+size
 *	   |<------- size ------------->|
 *	   [ . . . . . . . R . . . . . ]     R: PG_readahead marker,
 *	                   |<-async---->|        async_size pages from the end
 *
 *   - a read that misses the cache at the page after the previous read
 *     (or at page 0) is sequential: a window starts there, 4 times the
 *     request (2 times for larger ones), at most ra_pages;
 *   - a read that misses anywhere else is random: only the pages asked
 *     for are read (in one go), and no window is kept;
 *   - reaching the marked page R means the reader is consuming the
 *     window: the next window is read right behind it, twice as large
 *     (up to ra_pages), all of it asynchronous, so the disk works while
 *     the reader copies;
 *   - MADV_RANDOM / POSIX_FADV_RANDOM set ra_pages to 0: no read-ahead.
 *
 * The window grows 4, 8, 16 ... 128 pages for a sequential reader and falls
 * back to the request's size after a seek. The pages of one window are
 * submitted under one plug, so the block layer merges them into a few
 * large requests.
 */
#include <kestrel/blkdev.h>
#include <kestrel/pagemap.h>

void file_ra_state_init(struct file_ra_state *ra, struct address_space *mapping)
{
	(void)mapping;
	ra->start = 0;
	ra->size = 0;
	ra->async_size = 0;
	ra->ra_pages = VM_READAHEAD_PAGES;
	ra->prev_pos = -1;
}

/*
 * Read the pages of [@index, @index + @nr) that are not cached, marking
 * the page @lookahead pages before the end. Pages beyond the end of the
 * file are not read. Returns how many reads were started.
 */
static unsigned int do_readahead(struct address_space *mapping,
				 struct file *file, pgoff_t index,
				 unsigned long nr, unsigned long lookahead)
{
	loff_t isize = i_size_read(mapping->host);
	pgoff_t end, i;
	struct blk_plug plug;
	unsigned int started = 0;

	if (!isize || !mapping->a_ops->readpage)
		return 0;
	end = (isize - 1) >> PAGE_SHIFT;
	blk_start_plug(&plug);
	for (i = 0; i < nr && index + i <= end; i++) {
		struct page *page = find_get_page(mapping, index + i);

		if (page) {
			put_page(page);
			continue;
		}
		page = alloc_page(mapping_gfp_mask(mapping) | __GFP_NOWARN);
		if (!page)
			break;
		if (add_to_page_cache(page, mapping, index + i,
				      mapping_gfp_mask(mapping))) {
			put_page(page);
			continue;
		}
		if (lookahead && i == nr - lookahead)
			SetPageReadahead(page);
		/* ->readpage unlocks the page, also on failure. */
		mapping->a_ops->readpage(file, page);
		put_page(page);
		started++;
	}
	blk_finish_plug(&plug);
	return started;
}

/* The first window for a request of @req pages. */
static unsigned long init_ra_size(unsigned long req, unsigned long max)
{
	unsigned long size = 1;

	while (size < req)
		size <<= 1;
	size = size <= max / 4 ? size * 4 : size * 2;
	return size < max ? size : max;
}

void page_cache_sync_readahead(struct address_space *mapping,
			       struct file_ra_state *ra, struct file *file,
			       pgoff_t index, unsigned long req)
{
	unsigned long max = ra->ra_pages;
	pgoff_t prev = ra->prev_pos > 0 ? (ra->prev_pos - 1) >> PAGE_SHIFT : 0;
	bool sequential;

	if (!max) { /* read-ahead is off: just the request */
		do_readahead(mapping, file, index, req, 0);
		return;
	}
	if (req > max)
		req = max;
	sequential =
		index == 0 || index == ra->start + ra->size ||
		(ra->prev_pos >= 0 && (index == prev || index == prev + 1));
	ra->start = index;
	if (!sequential) { /* random: the request only, no window */
		ra->size = 0;
		ra->async_size = 0;
		do_readahead(mapping, file, index, req, 0);
		return;
	}
	ra->size = init_ra_size(req, max);
	/* The pages beyond the request are read ahead; when the request
	 * covers the window, reaching its first page starts the next. */
	ra->async_size = ra->size > req ? ra->size - req : ra->size;
	do_readahead(mapping, file, ra->start, ra->size, ra->async_size);
}

void page_cache_async_readahead(struct address_space *mapping,
				struct file_ra_state *ra, struct file *file,
				struct page *page, pgoff_t index,
				unsigned long req)
{
	unsigned long max = ra->ra_pages;

	(void)req;
	ClearPageReadahead(page);
	if (!max)
		return;
	/* The marker of the current window: the next one follows it. */
	if (index >= ra->start && index < ra->start + ra->size) {
		ra->start += ra->size;
		ra->size = ra->size * 2 < max ? ra->size * 2 : max;
	} else { /* a marker of an older window: start afresh here */
		ra->start = index + 1;
		ra->size = init_ra_size(1, max);
	}
	ra->async_size = ra->size;
	do_readahead(mapping, file, ra->start, ra->size, ra->async_size);
}

void force_page_cache_readahead(struct address_space *mapping,
				struct file *file, pgoff_t index,
				unsigned long nr)
{
	while (nr) {
		unsigned long chunk = nr < 256 ? nr : 256;

		do_readahead(mapping, file, index, chunk, 0);
		index += chunk;
		nr -= chunk;
	}
}
