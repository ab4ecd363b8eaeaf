/*
 * The buddy page allocator.
 *
 * Free memory is kept, per zone, as blocks of 2^order pages, each block
 * aligned to its own size. Two blocks of order k are "buddies" when they
 * are the two halves of one aligned block of order k + 1; their frame
 * numbers differ only in bit k, so the buddy of the block at pfn is at
 * pfn ^ (1 << k). Allocation takes the smallest free block that is big
 * enough and splits it, putting the unused halves back on the lists;
 * freeing merges a block with its buddy for as long as the buddy is
 * free too, so memory returns to large blocks by itself.
 *
 * The head page of each free block has PG_buddy and its order (kept in
 * the top bits of ->flags, page_order()), which is how the free path recognises a free buddy in O(1).
 * The head page of each allocation has PG_head and its order, which is
 * how bad frees (double free, tail page, wrong order, reserved page) are
 * caught and reported instead of corrupting the free lists.
 *
 * Zones are tried in order (Normal then DMA; DMA only for GFP_DMA),
 * first against their low watermark, then against min (lowered by half
 * for __GFP_HIGH). zone_watermark_ok() is order-aware, as kswapd will
 * need: see the comment above it.
 *
 * In debug builds (CONFIG_DEBUG) freed pages are filled with PAGE_POISON
 * and marked PG_poisoned; when they are allocated again the poison is
 * checked, and a write into freed memory is reported.
 *
 * Locking:
 *	zone->lock (spinlock, interrupts off) protects the zone's free
 *	lists, counters and watermarks, and the PG_buddy/order state
 *	of its free pages. It is the innermost lock of mm: no other lock
 *	is taken and nothing is printed while it is held (reports are
 *	printed after it is dropped).
 */
#include <asm/page.h>
#include <kestrel/bug.h>
#include <kestrel/compiler.h>
#include <kestrel/kstrtox.h>
#include <kestrel/memblock.h>
#include <kestrel/mm.h>
#include <kestrel/swap.h>
#include <kestrel/printk.h>
#include <kestrel/spinlock.h>
#include <kestrel/string.h>

#include "internal.h"

/* Linux 2.6's bounds for the default min_free_kbytes. */
#define MIN_FREE_KBYTES_MIN 128
#define MIN_FREE_KBYTES_MAX 65536

/* An aligned DMA-zone boundary means no free block ever spans two zones. */
BUILD_BUG_ON(MAX_DMA_PFN % MAX_ORDER_NR_PAGES != 0);

struct page *mem_map;
pfn_t max_pfn;
unsigned long totalram_pages;
atomic_long_t page_alloc_bad_frees;
atomic_long_t page_alloc_poison_errors;
int min_free_kbytes = 1024;

struct zone node_zones[MAX_NR_ZONES] = {
	[ZONE_DMA] = { .name = "DMA" },
	[ZONE_NORMAL] = { .name = "Normal" },
};

/* Linker symbols for the Memory: line; weak so host tests link. */
extern char __kernel_start[] __attribute__((weak));
extern char __text_end[] __attribute__((weak));
extern char __kernel_end[] __attribute__((weak));

/* How a zone's watermark is chosen for one allocation attempt. */
enum alloc_flags {
	ALLOC_WMARK_LOW = 0, /* first pass: stay above pages_low */
	ALLOC_WMARK_MIN = 1 << 0, /* second pass: stay above pages_min */
	ALLOC_HIGH = 1 << 1, /* __GFP_HIGH: the mark is halved */
};

/* The zones an allocation may use, in the order they are tried. */
static const enum zone_type zonelist_normal[] = { ZONE_NORMAL, ZONE_DMA };
static const enum zone_type zonelist_dma[] = { ZONE_DMA };

/* ---- free lists (zone->lock held) ------------------------------------ */

static void add_to_free_area(struct zone *zone, struct page *page,
			     unsigned int order)
{
	struct free_area *area = &zone->free_area[order];

	__SetPageBuddy(page);
	set_page_order(page, order);
	list_add(&page->lru, &area->free_list);
	area->nr_free++;
}

static void del_from_free_area(struct zone *zone, struct page *page,
			       unsigned int order)
{
	list_del(&page->lru);
	__ClearPageBuddy(page);
	set_page_order(page, 0);
	zone->free_area[order].nr_free--;
}

/* Is the frame at @pfn the head of a free block of exactly @order? */
static bool pfn_is_free_buddy(const struct zone *zone, pfn_t pfn,
			      unsigned int order)
{
	const struct page *page;

	if (pfn < zone->zone_start_pfn || pfn >= zone_end_pfn(zone))
		return false;
	page = pfn_to_page(pfn);
	return PageBuddy(page) && page_order(page) == order;
}

/*
 * Return a block to the free lists, merging it with its buddies.
 * Caller holds zone->lock and accounts zone->free_pages.
 *
 *   order 0:  [ A ][ B ]      A is freed, its buddy B (pfn ^ 1) is free:
 *   order 1:  [  A+B   ]      take B off its list, look at order 1 ...
 *
 *  1. Compute the buddy's frame: pfn ^ (1 << order).
 *  2. If it is in the zone and is the head of a free block of the same
 *     order (PG_buddy, ->private == order), take it off its list; the
 *     merged block starts at the lower of the two (pfn & buddy_pfn).
 *  3. Go on one order up, until the buddy is busy or MAX_ORDER - 1.
 *  4. Put the resulting block on its list.
 */
static void __free_one_block(struct zone *zone, struct page *page,
			     unsigned int order)
{
	pfn_t pfn = page_to_pfn(page);

	lockdep_assert_held(&zone->lock);
	while (order < MAX_ORDER - 1) {
		pfn_t buddy_pfn = pfn ^ (1UL << order);

		if (!pfn_is_free_buddy(zone, buddy_pfn, order))
			break;
		del_from_free_area(zone, pfn_to_page(buddy_pfn), order);
		pfn &= buddy_pfn;
		order++;
	}
	add_to_free_area(zone, pfn_to_page(pfn), order);
}

/*
 * Split an order-@high block down to order @low, freeing the upper half
 * at each step; the caller keeps the lowest 2^@low pages.
 *
 *   high = 2:  [ . . . . ]  ->  keep [ . . ], free [ . . ] at order 1
 *              [ . . ]      ->  keep [ . ],   free [ . ]   at order 0
 */
static void expand(struct zone *zone, struct page *page, unsigned int low,
		   unsigned int high)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		add_to_free_area(zone, page + size, high);
	}
}

/*
 * Take a block of 2^@order pages from @zone. Caller holds zone->lock.
 *
 *  1. Find the smallest order >= @order whose free list is not empty.
 *  2. Take the first block from it (the most recently freed: warm).
 *  3. Check the invariant that it is marked free with that order.
 *  4. Split it down to @order (expand), returning the halves.
 *  5. Account the pages taken.
 */
static struct page *__rmqueue(struct zone *zone, unsigned int order)
{
	unsigned int cur;

	lockdep_assert_held(&zone->lock);
	for (cur = order; cur < MAX_ORDER; cur++) {
		struct free_area *area = &zone->free_area[cur];
		struct page *page;

		if (list_empty(&area->free_list))
			continue;
		page = list_first_entry(&area->free_list, struct page, lru);
		BUG_ON(!PageBuddy(page) || page_order(page) != cur);
		del_from_free_area(zone, page, cur);
		expand(zone, page, order, cur);
		zone->free_pages -= 1UL << order;
		return page;
	}
	return NULL;
}

/* ---- watermarks -------------------------------------------------------- */

/*
 * The Linux 2.6 loop. Say mark = 16 and the zone has 40 free pages, 36 of
 * them single (order 0) and one order-2 block. An order-2 request:
 *   free = 40 - 4 + 1 = 37 > 16: enough pages in total;
 *   o = 0: free -= 36 -> 1, min = 8: 1 <= 8, refuse.
 * Without the loop the request would pass and take the last big block;
 * with it, the zone counts as short of order-2 memory.
 */
bool zone_watermark_ok(struct zone *zone, unsigned int order,
		       unsigned long mark)
{
	long min = (long)mark;
	long free = (long)READ_ONCE(zone->free_pages) - (1L << order) + 1;
	unsigned int o;

	if (free <= min)
		return false;
	for (o = 0; o < order; o++) {
		/* Blocks of order o are too small for this request. */
		free -= (long)(zone_nr_free(zone, o) << o);
		/* Require fewer free pages in higher orders. */
		min >>= 1;
		if (free <= min)
			return false;
	}
	return true;
}

/* Floor of the square root, by the digit-by-digit method (no division). */
static unsigned long int_sqrt(unsigned long long x)
{
	unsigned long long bit = 1ULL << 62, res = 0;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= res + bit) {
			x -= res + bit;
			res = (res >> 1) + bit;
		} else {
			res >>= 1;
		}
		bit >>= 2;
	}
	return (unsigned long)res;
}

int calc_min_free_kbytes(unsigned long lowmem_kbytes)
{
	unsigned long kbytes = int_sqrt((unsigned long long)lowmem_kbytes * 16);

	if (kbytes < MIN_FREE_KBYTES_MIN)
		kbytes = MIN_FREE_KBYTES_MIN;
	if (kbytes > MIN_FREE_KBYTES_MAX)
		kbytes = MIN_FREE_KBYTES_MAX;
	return (int)kbytes;
}

void setup_per_zone_pages_min(void)
{
	unsigned long pages_min, lowmem_pages = 0, irqflags;
	struct zone *zone;
	int kbytes = READ_ONCE(min_free_kbytes);

	/* Clamped so that pages_min * present_pages fits in 32 bits. */
	if (kbytes < 0)
		kbytes = 0;
	if (kbytes > MIN_FREE_KBYTES_MAX)
		kbytes = MIN_FREE_KBYTES_MAX;
	pages_min = (unsigned long)kbytes >> (PAGE_SHIFT - 10);
	for_each_zone(zone)
		lowmem_pages += zone->present_pages;
	if (!lowmem_pages)
		return;
	for_each_zone(zone) {
		unsigned long tmp =
			pages_min * zone->present_pages / lowmem_pages;

		spin_lock_irqsave(&zone->lock, irqflags);
		zone->pages_min = tmp;
		zone->pages_low = tmp + tmp / 4;
		zone->pages_high = tmp + tmp / 2;
		spin_unlock_irqrestore(&zone->lock, irqflags);
	}
}

/* ---- allocation -------------------------------------------------------- */

static unsigned long zone_mark(const struct zone *zone, unsigned int aflags)
{
	unsigned long mark = READ_ONCE(zone->pages_low);

	if (aflags & ALLOC_WMARK_MIN)
		mark = READ_ONCE(zone->pages_min);
	if (aflags & ALLOC_HIGH)
		mark -= mark / 2;
	return mark;
}

static struct page *rmqueue_checked(struct zone *zone, unsigned int order,
				    unsigned int aflags)
{
	struct page *page = NULL;
	unsigned long irqflags;

	spin_lock_irqsave(&zone->lock, irqflags);
	if (zone_watermark_ok(zone, order, zone_mark(zone, aflags)))
		page = __rmqueue(zone, order);
	spin_unlock_irqrestore(&zone->lock, irqflags);
	return page;
}

/* One pass over the zones @gfp allows, with one kind of watermark. */
static struct page *get_page_from_zones(gfp_t gfp, unsigned int order,
					unsigned int aflags)
{
	const enum zone_type *list = zonelist_normal;
	unsigned int i, n = ARRAY_SIZE(zonelist_normal);
	struct page *page;

	if (gfp & __GFP_DMA) {
		list = zonelist_dma;
		n = ARRAY_SIZE(zonelist_dma);
	}
	for (i = 0; i < n; i++) {
		page = rmqueue_checked(&node_zones[list[i]], order, aflags);
		if (page)
			return page;
	}
	return NULL;
}

/* The offset of the first byte of @addr that is not PAGE_POISON, or
 * PAGE_SIZE if the whole page is intact. */
static unsigned long poison_mismatch(const unsigned char *addr)
{
	const unsigned long pattern = (unsigned long)-1 / 0xff * PAGE_POISON;
	const unsigned long *word = (const unsigned long *)addr;
	unsigned long i;

	for (i = 0; i < PAGE_SIZE / sizeof(long); i++)
		if (word[i] != pattern)
			break;
	for (i *= sizeof(long); i < PAGE_SIZE; i++)
		if (addr[i] != PAGE_POISON)
			break;
	return i;
}

/* Debug builds: verify that nobody wrote to the pages while they were
 * free, and forget the poison. */
static void check_poison(struct page *page, unsigned int order)
{
	unsigned long i, off;

	for (i = 0; i < (1UL << order); i++) {
		if (!PagePoisoned(page + i))
			continue;
		__ClearPagePoisoned(page + i);
		off = poison_mismatch(page_address(page + i));
		if (off == PAGE_SIZE)
			continue;
		atomic_long_inc(&page_alloc_poison_errors);
		pr_err("BUG: Bad page state: pfn 0x%lx: poison overwritten at offset 0x%lx (use after free)\n",
		       page_to_pfn(page + i), off);
		dump_stack();
	}
}

static void prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	if (MM_DEBUG)
		check_poison(page, order);
	WARN_ON(page->flags || page_count(page));
	set_page_order(page, order);
	__SetPageHead(page);
	atomic_set(&page->_refcount, 1);
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
}

/* Pages reclaim frees per round for an order-0 allocation. */
#define RECLAIM_BATCH 32

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	unsigned int aflags = ALLOC_WMARK_MIN;
	struct page *page = NULL;

	if (order < MAX_ORDER) {
		page = get_page_from_zones(gfp, order, ALLOC_WMARK_LOW);
		/* Short of memory: drop clean cached pages (mm/vmscan.c)
		 * before eating into the reserve. */
		while (!page && (gfp & __GFP_WAIT) &&
		       shrink_page_cache(gfp, RECLAIM_BATCH << order))
			page = get_page_from_zones(gfp, order, ALLOC_WMARK_LOW);
		if (gfp & __GFP_HIGH)
			aflags |= ALLOC_HIGH;
		if (!page)
			page = get_page_from_zones(gfp, order, aflags);
	}
	if (unlikely(!page)) {
		if (!(gfp & __GFP_NOWARN)) {
			pr_warn("page allocation failure: order:%u, gfp:0x%x\n",
				order, gfp);
			dump_stack();
		}
		return NULL;
	}
	prep_new_page(page, order, gfp);
	return page;
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

/* ---- freeing ----------------------------------------------------------- */

/*
 * The head of the block flagged @flag (PG_buddy or PG_head) that contains
 * @pfn, looking at every aligned block around it; NULL if none does.
 * Caller holds zone->lock.
 */
static struct page *find_enclosing_block(const struct zone *zone, pfn_t pfn,
					 unsigned int flag)
{
	unsigned int order;

	for (order = 1; order < MAX_ORDER; order++) {
		pfn_t head = pfn & ~((1UL << order) - 1);
		struct page *page = pfn_to_page(head);

		if (head < zone->zone_start_pfn)
			break;
		if ((page->flags & (1UL << flag)) && page_order(page) >= order)
			return page;
	}
	return NULL;
}

/* Why freeing @page with @order is wrong, or NULL if it is right. */
static const char *free_pages_check(const struct page *page, unsigned int order)
{
	if (PageReserved(page))
		return "page is reserved";
	if (PageBuddy(page))
		return "page is already free (double free)";
	if (!PageHead(page))
		return "not the head of an allocation";
	if (page_order(page) != order)
		return "wrong order";
	if (page_count(page) <= 0)
		return "reference count is already 0";
	return NULL;
}

/*
 * Report a bad free, with a backtrace. A page that is neither a head nor
 * free may lie inside a free block (a double free after its block merged)
 * or inside an allocation (a tail page): look for the enclosing block.
 */
static void bad_page_free(struct page *page, unsigned int order,
			  const char *reason)
{
	struct zone *zone = page_zone(page);
	struct page *block = NULL;
	unsigned long irqflags;

	if (!(page->flags &
	      ((1UL << PG_reserved) | (1UL << PG_buddy) | (1UL << PG_head)))) {
		spin_lock_irqsave(&zone->lock, irqflags);
		block = find_enclosing_block(zone, page_to_pfn(page), PG_buddy);
		if (block)
			reason = "page is already free (double free)";
		else if ((block = find_enclosing_block(zone, page_to_pfn(page),
						       PG_head)))
			reason = "tail page of an allocation";
		spin_unlock_irqrestore(&zone->lock, irqflags);
	} else if (PageHead(page)) {
		block = page;
	}
	atomic_long_inc(&page_alloc_bad_frees);
	pr_err("BUG: Bad page free: pfn 0x%lx order %u: %s (flags 0x%lx count %d)\n",
	       page_to_pfn(page), order, reason, page->flags, page_count(page));
	if (block)
		pr_err("BUG: the block at pfn 0x%lx has order %u\n",
		       page_to_pfn(block), page_order(block));
	dump_stack();
}

static void poison_pages(struct page *page, unsigned int order)
{
	unsigned long i;

	memset(page_address(page), PAGE_POISON, PAGE_SIZE << order);
	for (i = 0; i < (1UL << order); i++)
		__SetPagePoisoned(page + i);
}

/* The last reference is gone: give the block back to its zone. */
static void free_pages_ok(struct page *page, unsigned int order)
{
	struct zone *zone = page_zone(page);
	unsigned long irqflags;

	/* A page cache page leaves with its data bits; one still locked,
	 * dirty, under write-back or with buffers is a lost reference. */
	WARN_ON(page->flags & PAGE_FLAGS_CHECK_AT_FREE);
	page->flags &= ~(PAGE_FLAGS_CHECK_AT_FREE | PAGE_FLAGS_CLEAR_AT_FREE);
	__ClearPageHead(page);
	set_page_order(page, 0);
	if (MM_DEBUG)
		poison_pages(page, order);
	spin_lock_irqsave(&zone->lock, irqflags);
	__free_one_block(zone, page, order);
	zone->free_pages += 1UL << order;
	spin_unlock_irqrestore(&zone->lock, irqflags);
}

static bool page_in_mem_map(const struct page *page)
{
	uintptr_t p = (uintptr_t)page, base = (uintptr_t)mem_map;

	return p >= base && p < base + max_pfn * sizeof(struct page) &&
	       (p - base) % sizeof(struct page) == 0;
}

void __free_pages(struct page *page, unsigned int order)
{
	const char *reason;
	int count;

	if (unlikely(!page_in_mem_map(page))) {
		atomic_long_inc(&page_alloc_bad_frees);
		pr_err("BUG: Bad page free: %p is not a page of mem_map\n",
		       page);
		dump_stack();
		return;
	}
	reason = free_pages_check(page, order);
	if (unlikely(reason)) {
		bad_page_free(page, order, reason);
		return;
	}
	count = atomic_dec_return(&page->_refcount);
	if (count > 0)
		return;
	if (unlikely(count < 0)) {
		/* Lost a race with another free of the same page. */
		atomic_inc(&page->_refcount);
		bad_page_free(page, order, "reference count is already 0");
		return;
	}
	free_pages_ok(page, order);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (!addr)
		return;
	if (unlikely(!virt_addr_valid((void *)addr))) {
		atomic_long_inc(&page_alloc_bad_frees);
		pr_err("BUG: Bad page free: 0x%lx is not a direct-map address\n",
		       addr);
		dump_stack();
		return;
	}
	__free_pages(virt_to_page((void *)addr), order);
}

unsigned long nr_free_pages(void)
{
	unsigned long sum = 0;
	struct zone *zone;

	for_each_zone(zone)
		sum += READ_ONCE(zone->free_pages);
	return sum;
}

/* ---- /proc/buddyinfo --------------------------------------------------- */

int zone_buddyinfo_line(struct zone *zone, char *buf, size_t size)
{
	unsigned long counts[MAX_ORDER], irqflags;
	unsigned int order;
	int len;

	spin_lock_irqsave(&zone->lock, irqflags);
	for (order = 0; order < MAX_ORDER; order++)
		counts[order] = zone->free_area[order].nr_free;
	spin_unlock_irqrestore(&zone->lock, irqflags);

	len = scnprintf(buf, size, "Node %d, zone %8s ", 0, zone->name);
	for (order = 0; order < MAX_ORDER; order++)
		len += scnprintf(buf + len, size - len, "%6lu ", counts[order]);
	len += scnprintf(buf + len, size - len, "\n");
	return len;
}

int buddyinfo_show(char *buf, size_t size)
{
	struct zone *zone;
	int len = 0;

	if (size)
		buf[0] = '\0';
	for_each_zone(zone) {
		if (populated_zone(zone))
			len += zone_buddyinfo_line(zone, buf + len, size - len);
	}
	return len;
}

void show_buddyinfo(void)
{
	char line[BUDDYINFO_LINE_MAX];
	struct zone *zone;

	for_each_zone(zone) {
		if (!populated_zone(zone))
			continue;
		zone_buddyinfo_line(zone, line, sizeof(line));
		printk(KERN_INFO "%s", line);
	}
}

/* ---- boot -------------------------------------------------------------- */

static void zone_init(struct zone *zone, pfn_t start, pfn_t end)
{
	unsigned int order;

	spin_lock_init(&zone->lock);
	for (order = 0; order < MAX_ORDER; order++) {
		INIT_LIST_HEAD(&zone->free_area[order].free_list);
		zone->free_area[order].nr_free = 0;
	}
	zone->free_pages = 0;
	zone->zone_start_pfn = start;
	zone->spanned_pages = end > start ? end - start : 0;
	zone->present_pages = 0;
}

static void mark_reserved(pfn_t start, pfn_t end)
{
	for (; start < end; start++) {
		struct page *page = pfn_to_page(start);

		__SetPageReserved(page);
		atomic_set(&page->_refcount, 1);
	}
}

/* Every frame that memblock does not report free is reserved; mem_map
 * is zeroed, so free frames are already in the right state. */
static void reserve_unavailable_pages(void)
{
	pfn_t cursor, start, end, prev_end = 0;

	for_each_free_mem_range(cursor, start, end)
	{
		mark_reserved(prev_end, start);
		prev_end = end;
	}
	mark_reserved(prev_end, max_pfn);
}

/* The largest order of an aligned block at @start that ends by @end. */
static unsigned int boot_block_order(pfn_t start, pfn_t end)
{
	unsigned int order = MAX_ORDER - 1;

	if (start && (unsigned int)__builtin_ctzl(start) < order)
		order = __builtin_ctzl(start);
	while (start + (1UL << order) > end)
		order--;
	return order;
}

/*
 * Give [start, end) to the buddy allocator in the largest aligned blocks:
 * a 256 MiB machine is 64 blocks of 4 MiB, not 65536 single frees. The
 * pages are not poisoned: nothing has used them.
 */
static void free_boot_range(pfn_t start, pfn_t end)
{
	unsigned long irqflags;

	while (start < end) {
		unsigned int order = boot_block_order(start, end);
		struct zone *zone = page_zone(pfn_to_page(start));

		spin_lock_irqsave(&zone->lock, irqflags);
		__free_one_block(zone, pfn_to_page(start), order);
		zone->free_pages += 1UL << order;
		zone->present_pages += 1UL << order;
		spin_unlock_irqrestore(&zone->lock, irqflags);
		totalram_pages += 1UL << order;
		start += 1UL << order;
	}
}

static void print_zones(void)
{
	const struct zone *zone;

	pr_info("Zone ranges (min_free_kbytes %d):\n", min_free_kbytes);
	for_each_zone(zone) {
		if (!zone->spanned_pages) {
			pr_info("  %-8s empty\n", zone->name);
			continue;
		}
		pr_info("  %-8s [mem 0x%08llx-0x%08llx] %lu pages, %lu free, watermarks %lu/%lu/%lu\n",
			zone->name,
			(unsigned long long)zone->zone_start_pfn << PAGE_SHIFT,
			((unsigned long long)zone_end_pfn(zone) << PAGE_SHIFT) -
				1,
			zone->spanned_pages, zone->free_pages, zone->pages_min,
			zone->pages_low, zone->pages_high);
	}
}

static void print_memory_summary(void)
{
	unsigned long total = memblock_total_pages();
	unsigned long code = (unsigned long)(__text_end - __kernel_start);
	unsigned long data = (unsigned long)(__kernel_end - __text_end);

	pr_info("Memory: %luK/%luK available (%luK kernel code, %luK data, %luK reserved)\n",
		totalram_pages << (PAGE_SHIFT - 10), total << (PAGE_SHIFT - 10),
		code >> 10, data >> 10,
		(total - totalram_pages) << (PAGE_SHIFT - 10));
}

void mem_init(void)
{
	pfn_t cursor, start, end, dma_end;

	memblock_cap_memory(MAXMEM);
	max_pfn = PFN_DOWN(memblock_end_of_ram());
	if (!max_pfn)
		panic("mem_init: memblock reports no usable memory");
	mem_map = memblock_alloc(max_pfn * sizeof(struct page), PAGE_SIZE);
	memblock_retire();

	dma_end = max_pfn < MAX_DMA_PFN ? max_pfn : MAX_DMA_PFN;
	zone_init(&node_zones[ZONE_DMA], 0, dma_end);
	zone_init(&node_zones[ZONE_NORMAL], MAX_DMA_PFN, max_pfn);

	reserve_unavailable_pages();
	for_each_free_mem_range(cursor, start, end) free_boot_range(start, end);

	min_free_kbytes =
		calc_min_free_kbytes(totalram_pages << (PAGE_SHIFT - 10));
	setup_per_zone_pages_min();
	print_zones();
	show_buddyinfo();
	print_memory_summary();
}
