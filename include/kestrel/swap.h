/*
 * Page reclaim (mm/vmscan.c), as the page allocator sees it. The memory
 * pressure chapter (kswapd, reverse mapping, swap) grows here.
 */
#ifndef _KESTREL_SWAP_H
#define _KESTREL_SWAP_H

#include <kestrel/gfp.h>

/*
 * Free up to @nr clean, unmapped page cache pages, oldest first (with a
 * second chance for the recently used); returns how many. @gfp says what
 * the caller allows (without __GFP_FS no buffers are released). Never
 * sleeps on a page.
 */
unsigned long shrink_page_cache(gfp_t gfp, unsigned long nr);

#endif /* _KESTREL_SWAP_H */
