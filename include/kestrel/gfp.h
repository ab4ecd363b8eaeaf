/*
 * GFP ("get free pages") flags and the page allocator's entry points.
 *
 * Every allocation says, in its gfp_t, where the memory may come from
 * (__GFP_DMA), what the allocator may do to find it (__GFP_WAIT: sleep,
 * __GFP_IO/__GFP_FS: start I/O or filesystem work to reclaim memory),
 * how deep into the reserves it may dig (__GFP_HIGH) and what the caller
 * wants done with the result (__GFP_ZERO, __GFP_NOWARN). The values are
 * Linux 2.6's, so a "gfp:0x..." in a warning reads the same as in Linux.
 *
 * Callers combine the ready-made sets: GFP_KERNEL in process context,
 * GFP_ATOMIC where sleeping is forbidden (interrupt handlers, under a
 * spinlock), GFP_DMA for ISA DMA buffers below 16 MiB.
 */
#ifndef _KESTREL_GFP_H
#define _KESTREL_GFP_H

#include <kestrel/types.h>

typedef unsigned int gfp_t;

struct page;

#define __GFP_DMA 0x01u /* ZONE_DMA only: below 16 MiB */
#define __GFP_WAIT 0x10u /* may sleep to reclaim memory */
#define __GFP_HIGH 0x20u /* may dip below the min watermark (by half) */
#define __GFP_IO 0x40u /* may start disk I/O to reclaim */
#define __GFP_FS 0x80u /* may call into filesystems to reclaim */
#define __GFP_NOWARN 0x200u /* no warning when the allocation fails */
#define __GFP_ZERO 0x8000u /* return zeroed memory */

#define GFP_ATOMIC (__GFP_HIGH)
#define GFP_NOIO (__GFP_WAIT)
#define GFP_NOFS (__GFP_WAIT | __GFP_IO)
#define GFP_KERNEL (__GFP_WAIT | __GFP_IO | __GFP_FS)
#define GFP_DMA (__GFP_DMA)

/**
 * alloc_pages - allocate 2^@order physically contiguous pages
 * @gfp: GFP flags (zone, reserves, __GFP_ZERO, __GFP_NOWARN)
 * @order: 0 .. MAX_ORDER - 1
 *
 * Returns the first page of the block with one reference, or NULL (and
 * a warning unless __GFP_NOWARN). Free it with __free_pages(page, order).
 *
 * Context: any; takes the zone locks with interrupts disabled. Does not
 * sleep today, whatever @gfp says.
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order);

/**
 * __free_pages - drop a reference to a block from alloc_pages()
 * @page: the first page of the block, as alloc_pages() returned it
 * @order: the order it was allocated with
 *
 * The block goes back to the buddy allocator when the last reference is
 * dropped. A bad free (double free, reserved page, a page that is not
 * the head of an allocation, wrong order) is reported with a backtrace
 * and ignored: nothing is freed.
 *
 * Context: any; takes the zone lock with interrupts disabled.
 */
void __free_pages(struct page *page, unsigned int order);

/**
 * __get_free_pages - alloc_pages(), returning the direct-map address
 *
 * Returns the virtual address of the block, or 0 on failure.
 * Context: as alloc_pages().
 */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);

/**
 * get_zeroed_page - one zero-filled page; its address, or 0
 * Context: as alloc_pages().
 */
unsigned long get_zeroed_page(gfp_t gfp);

/**
 * free_pages - __free_pages() for an address from __get_free_pages()
 * @addr: the address (0 is ignored)
 * @order: the order it was allocated with
 */
void free_pages(unsigned long addr, unsigned int order);

#define alloc_page(gfp) alloc_pages(gfp, 0)
#define __get_free_page(gfp) __get_free_pages(gfp, 0)
#define __free_page(page) __free_pages(page, 0)
#define free_page(addr) free_pages(addr, 0)

#endif /* _KESTREL_GFP_H */
