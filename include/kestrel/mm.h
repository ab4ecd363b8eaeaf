/*
 * Physical pages: struct page, the frame table mem_map, and the
 * conversions between pages, frame numbers and direct-map addresses.
 *
 * Every physical frame of low memory has a struct page in mem_map[],
 * indexed by its frame number (pfn). A frame is in exactly one state:
 *
 *   reserved	PG_reserved: never given to the buddy allocator (holes,
 *		the kernel image, boot allocations, BIOS areas).
 *   free	owned by the buddy allocator. The first page of each free
 *		block has PG_buddy and the block's order (page_order());
 *		it sits on its zone's free_area[order] list through ->lru.
 *   allocated	the first page of each allocation has PG_head, the
 *		allocation's order (page_order()) and a reference count of
 *		at least 1; the other pages of the block ("tail" pages)
 *		have no flags and count 0. The owner may use ->lru.
 *   slab	an allocated block used by the slab allocator: every page
 *		of it has PG_slab and ->slab_cache; the head page also
 *		holds the slab's bookkeeping (mm/slab.c).
 *   user	an order-0 allocation mapped into user space by PTEs
 *		(mm/memory.c): ->_mapcount counts the PTEs, and PG_anon
 *		says it is private (anonymous) rather than shared.
 *   cache	an order-0 allocation in the page cache (mm/filemap.c):
 *		->mapping and ->index say which file and where; it may be
 *		mapped by PTEs too. <kestrel/pagemap.h> has the rules.
 *
 * Kestrel maps all of its memory at PAGE_OFFSET, so page_address() is
 * arithmetic: there is no high memory.
 */
#ifndef _KESTREL_MM_H
#define _KESTREL_MM_H

#include <asm/atomic.h>
#include <asm/page.h>
#include <kestrel/atomic.h>
#include <kestrel/compiler.h>
#include <kestrel/gfp.h>
#include <kestrel/list.h>
#include <kestrel/mmzone.h>
#include <kestrel/types.h>

struct address_space;
struct kmem_cache;

/* Bit numbers in page->flags. */
enum pageflags {
	PG_reserved, /* not managed by the page allocator */
	PG_buddy, /* head of a free block; ->private is its order */
	PG_head, /* head of an allocation; ->private is its order */
	PG_slab, /* belongs to a slab; ->slab_cache is set */
	PG_poisoned, /* freed and filled with PAGE_POISON (debug builds) */
	PG_anon, /* mapped by private PTEs only (AnonPages) */
	/* Page cache pages (<kestrel/pagemap.h>): changed atomically. */
	PG_locked, /* locked for I/O or for a change of identity */
	PG_uptodate, /* holds the file's data */
	PG_dirty, /* newer than the disk */
	PG_writeback, /* being written to the disk */
	PG_error, /* the last I/O failed */
	PG_private, /* ->private is the file system's (buffer heads) */
	PG_readahead, /* reaching it starts the next read-ahead window */
	PG_lru, /* on the page cache's LRU list (mm/vmscan.c) */
	PG_referenced, /* used since the reclaim scan last passed it */
	PG_checked, /* the file system's: checked once (ext2 directories) */
	NR_PAGEFLAGS,
};

/*
 * The order of an allocation (PG_head) or a free block (PG_buddy) is
 * kept in the top bits of ->flags, so that ->private is free for the
 * owner.
 */
/* Page cache bits a freed page may not have / simply loses. */
#define PAGE_FLAGS_CHECK_AT_FREE                                          \
	((1UL << PG_locked) | (1UL << PG_dirty) | (1UL << PG_writeback) | \
	 (1UL << PG_private) | (1UL << PG_lru))
#define PAGE_FLAGS_CLEAR_AT_FREE                                            \
	((1UL << PG_uptodate) | (1UL << PG_error) | (1UL << PG_readahead) | \
	 (1UL << PG_referenced) | (1UL << PG_checked))

#define PG_ORDER_SHIFT 27
#define PG_ORDER_MASK (0x1fUL << PG_ORDER_SHIFT)
_Static_assert(NR_PAGEFLAGS <= PG_ORDER_SHIFT, "page flags overlap the order");

/*
 * The frame descriptor. 32 bytes on i386, so mem_map costs 0.8% of RAM.
 * ->flags changes under the zone lock while the page is free, and
 * belongs to the owner while it is allocated (the page cache's bits
 * change atomically, <kestrel/pagemap.h>); ->_refcount is atomic.
 */
struct page {
	unsigned long flags; /* PG_* bits, and the order (page_order()) */
	atomic_t _refcount; /* users of an allocation; 0 when free */
	unsigned long private; /* the owner's; PG_private: buffer heads */
	struct list_head lru; /* free list, or the owner's list */
	union {
		struct { /* PG_slab pages (mm/slab.c) */
			struct kmem_cache *slab_cache; /* every page */
			unsigned long slab_map; /* head: object bitmap */
			unsigned short slab_inuse; /* head: objects in use */
		};
		struct {
			/* User pages (mm/memory.c): PTEs that map it; set
			 * when the first is made, 0 when the last goes. */
			atomic_t _mapcount;
			/* Page cache pages: the file and the page's index
			 * in it (units of PAGE_SIZE). Set while the page
			 * is in the cache, under the page lock; NULL
			 * otherwise (truncated pages lose it). */
			struct address_space *mapping;
			pgoff_t index;
		};
	};
};

#if __SIZEOF_POINTER__ == 4
_Static_assert(sizeof(struct page) == 32, "struct page must stay 32 bytes");
#endif

#define PAGEFLAG(uname, lname)                                   \
	static inline bool Page##uname(const struct page *page)  \
	{                                                        \
		return page->flags & (1UL << PG_##lname);        \
	}                                                        \
	static inline void __SetPage##uname(struct page *page)   \
	{                                                        \
		page->flags |= 1UL << PG_##lname;                \
	}                                                        \
	static inline void __ClearPage##uname(struct page *page) \
	{                                                        \
		page->flags &= ~(1UL << PG_##lname);             \
	}

PAGEFLAG(Reserved, reserved)
PAGEFLAG(Buddy, buddy)
PAGEFLAG(Head, head)
PAGEFLAG(Slab, slab)
PAGEFLAG(Poisoned, poisoned)
PAGEFLAG(Anon, anon)

static inline unsigned int page_order(const struct page *page)
{
	return (page->flags & PG_ORDER_MASK) >> PG_ORDER_SHIFT;
}

static inline void set_page_order(struct page *page, unsigned int order)
{
	page->flags = (page->flags & ~PG_ORDER_MASK) |
		      ((unsigned long)order << PG_ORDER_SHIFT);
}

#define PFN_UP(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)
#define PFN_PHYS(pfn) ((phys_addr_t)(pfn) << PAGE_SHIFT)

#define MAX_DMA_PFN (MAX_DMA_ADDRESS >> PAGE_SHIFT)

/* Filled into pages freed by __free_pages() in debug builds. */
#define PAGE_POISON 0xaa

/* The frame table: one struct page per frame, 0 .. max_pfn - 1. */
extern struct page *mem_map;
extern pfn_t max_pfn;

/* Bad frees reported by __free_pages(), and use-after-free poison
 * corruption found by alloc_pages() (debug builds), since boot. */
extern atomic_long_t page_alloc_bad_frees;
extern atomic_long_t page_alloc_poison_errors;

/* Pages handed to the buddy allocator at boot (Linux's totalram_pages). */
extern unsigned long totalram_pages;

static inline bool pfn_valid(pfn_t pfn)
{
	return pfn < max_pfn;
}

static inline struct page *pfn_to_page(pfn_t pfn)
{
	return mem_map + pfn;
}

static inline pfn_t page_to_pfn(const struct page *page)
{
	return (pfn_t)(page - mem_map);
}

static inline void *page_address(const struct page *page)
{
	return __va(PFN_PHYS(page_to_pfn(page)));
}

/* @addr must be a direct-map address; see virt_addr_valid(). */
static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(PFN_DOWN(__pa(addr)));
}

/* Is @addr in the direct map, on a frame that has a struct page? */
static inline bool virt_addr_valid(const void *addr)
{
	return (uintptr_t)addr >= PAGE_OFFSET &&
	       pfn_valid(PFN_DOWN(__pa(addr)));
}

static inline struct zone *page_zone(const struct page *page)
{
	if (page_to_pfn(page) < MAX_DMA_PFN)
		return &node_zones[ZONE_DMA];
	return &node_zones[ZONE_NORMAL];
}

/* The smallest order whose block holds @size bytes. */
static inline unsigned int get_order(unsigned long size)
{
	unsigned int order = 0;

	size = (size - 1) >> PAGE_SHIFT;
	while (size) {
		order++;
		size >>= 1;
	}
	return order;
}

static inline int page_count(const struct page *page)
{
	return atomic_read(&page->_refcount);
}

/**
 * get_page - take another reference to an allocated block
 * @page: the head page of an allocation (PG_head)
 * Context: any.
 */
static inline void get_page(struct page *page)
{
	atomic_inc(&page->_refcount);
}

/**
 * put_page - drop a reference; the block is freed with the last one
 * @page: the head page of an allocation; its order is the recorded one
 * Context: any (as __free_pages()).
 */
static inline void put_page(struct page *page)
{
	__free_pages(page, PageHead(page) ? page_order(page) : 0);
}

/**
 * mem_init - start the page allocator
 *
 * Called once by start_kernel(), after memblock holds the memory map and
 * the reservations and the direct map covers all of low memory. Applies
 * the MAXMEM limit, allocates mem_map, sets up the zones, gives every
 * unreserved frame to the buddy allocator, computes the watermarks and
 * prints the zones, the buddyinfo lines and a "Memory:" summary. After
 * it, memblock_alloc() warns and returns NULL.
 *
 * Context: boot, one CPU, before anything allocates pages.
 */
void mem_init(void);

/* Free pages in all zones; an unlocked sum. */
unsigned long nr_free_pages(void);

#endif /* _KESTREL_MM_H */
