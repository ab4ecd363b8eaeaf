/*
 * Read-ahead (docs/pagecache.md, "Read-ahead"): reading the pages a
 * sequential reader will want next before it asks, so that the disk
 * streams instead of waiting a request at a time.
 */
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
