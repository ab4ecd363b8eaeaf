/*
 * memblock: the boot-time physical memory allocator.
 *
 * Before the page allocator exists, the kernel knows its memory as two
 * lists of ranges: the usable RAM the firmware reported (memblock_add)
 * and the ranges in use (memblock_reserve: the kernel image, the boot
 * modules, boot allocations). memblock_alloc() carves page-granular
 * blocks out of usable-minus-reserved, top-down from the end of low
 * memory, so the first MiB (BIOS data, ISA DMA buffers) is used last.
 * mem_init() then hands every unreserved frame to the buddy allocator,
 * and memblock is retired.
 *
 * Locking: none. memblock is used at boot, on one CPU, with interrupts
 * off; after mem_init() it is read-only.
 */
#ifndef _KESTREL_MEMBLOCK_H
#define _KESTREL_MEMBLOCK_H

#include <kestrel/types.h>

/* Room in the static region tables; overflowing them is reported. */
#define MEMBLOCK_MAX_REGIONS 64

/**
 * memblock_add - register usable RAM
 * @base: physical start
 * @size: length in bytes
 *
 * Ranges may overlap, touch, come in any order and be unaligned: only
 * the whole pages inside [@base, @base + @size) are kept, and touching
 * ranges are merged. Frame 0 is never usable (it holds the real-mode
 * interrupt table). When the table is full the range is reported and
 * dropped: losing RAM is safe.
 */
void memblock_add(phys_addr_t base, phys_addr_t size);

/**
 * memblock_reserve - mark a range as in use
 * @base: physical start
 * @size: length in bytes; every page it touches is reserved
 *
 * When the table is full, the nearest reserved region is widened to
 * cover the range (and the gap), with a warning: reserving too much is
 * safe, reserving too little is not.
 */
void memblock_reserve(phys_addr_t base, phys_addr_t size);

/**
 * memblock_cap_memory - forget usable RAM at and above @limit
 * @limit: physical address (rounded down to a page)
 *
 * Used for the `mem=` parameter and for the direct-map limit MAXMEM.
 * Prints each range it drops.
 */
void memblock_cap_memory(phys_addr_t limit);

/**
 * memblock_set_alloc_limit - keep memblock_alloc() below @limit
 * @limit: physical address; memory from here up is not mapped yet
 *
 * For early boot code that allocates while the direct map is still
 * being built. The default limit is MAXMEM.
 */
void memblock_set_alloc_limit(phys_addr_t limit);

/**
 * memblock_alloc - allocate zeroed memory at boot
 * @size: bytes, rounded up to whole pages
 * @align: alignment in bytes, a power of two (at least a page is given)
 *
 * Returns the direct-map address of the block, taken top-down from the
 * end of usable low memory and never below 1 MiB unless nothing else is
 * left. Running out is a broken boot invariant: it panics. After
 * mem_init() it warns and returns NULL: use the page allocator.
 *
 * Context: boot only.
 */
void *memblock_alloc(size_t size, size_t align);

/* The end of the last usable range (saturated to the last page below
 * 4 GiB), 0 when nothing was added. */
phys_addr_t memblock_end_of_ram(void);

/* Usable pages registered (reserved ones included). */
unsigned long memblock_total_pages(void);

/* Reserved pages that lie inside usable RAM. */
unsigned long memblock_reserved_pages(void);

/**
 * memblock_next_free_range - walk usable-minus-reserved, in order
 * @cursor: where to resume; start at 0, updated on each call
 * @start: first frame of the free range found
 * @end: frame after its last
 *
 * Returns false when there is no more free memory. See
 * for_each_free_mem_range().
 */
bool memblock_next_free_range(pfn_t *cursor, pfn_t *start, pfn_t *end);

#define for_each_free_mem_range(cursor, start, end) \
	for (cursor = 0; memblock_next_free_range(&cursor, &start, &end);)

/* Print the usable and reserved ranges (KERN_INFO). */
void memblock_dump(void);

/* Called by mem_init(): from now on memblock_alloc() refuses. */
void memblock_retire(void);

#endif /* _KESTREL_MEMBLOCK_H */
