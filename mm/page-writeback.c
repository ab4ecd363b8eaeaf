/*
 * Write-back of pages (<kestrel/writeback.h>; docs/pagecache.md,
 * "Write-back"): dirtying pages, the Dirty and Writeback counts, writing
 * a mapping's dirty pages, and throttling the writers that dirty memory
 * faster than the disks take it.
 *
 * The page-level part (set_page_dirty .. write_cache_pages) comes first;
 * the dirty limits and balance_dirty_pages() follow.
 */
#include <kestrel/pagemap.h>
#include <kestrel/writeback.h>

/* ---- dirtying and writing pages ----------------------------------------- */

/* ---- dirty limits and throttling ---------------------------------------- */
