/*
 * Memory zones and the buddy allocator's free lists.
 *
 * Physical memory is split into zones by what it can be used for:
 * ZONE_DMA is the first 16 MiB (what an ISA DMA controller can reach),
 * ZONE_NORMAL the rest of low memory, up to MAXMEM (896 MiB), all of it
 * direct-mapped at PAGE_OFFSET. Kestrel has one memory node (node 0), so
 * the zones are the array node_zones[] (a gdb script reads it: the
 * fields name, free_pages, pages_min/low/high and
 * free_area[order].nr_free).
 *
 * Each zone keeps its free memory as blocks of 2^order pages, order 0 to
 * MAX_ORDER - 1, each block on the list free_area[order]. The free page
 * counts per order are what /proc/buddyinfo prints.
 *
 * Each zone also has three watermarks, in pages: below pages_low the
 * allocator turns to other zones (and, later, wakes kswapd), below
 * pages_min only __GFP_HIGH allocations succeed, and kswapd reclaims
 * until pages_high is reached again. They are derived from
 * min_free_kbytes by setup_per_zone_pages_min().
 *
 * Locking: zone->lock (a spinlock taken with interrupts disabled, since
 * interrupt handlers allocate) protects free_area[], free_pages and the
 * PG_buddy state of every page of the zone. The watermarks are written
 * under it too, but may be read without it.
 */
#ifndef _KESTREL_MMZONE_H
#define _KESTREL_MMZONE_H

#include <kestrel/list.h>
#include <kestrel/spinlock.h>
#include <kestrel/types.h>

/* Orders 0 .. MAX_ORDER - 1: the largest block is 2^10 pages, 4 MiB. */
#define MAX_ORDER 11
#define MAX_ORDER_NR_PAGES (1UL << (MAX_ORDER - 1))

/* ISA DMA reaches the first 16 MiB: ZONE_DMA ends there. */
#define MAX_DMA_ADDRESS (16UL << 20)

enum zone_type {
	ZONE_DMA,
	ZONE_NORMAL,
	MAX_NR_ZONES,
};

/* The free blocks of one order in one zone. */
struct free_area {
	struct list_head free_list; /* Z: head pages of the free blocks */
	unsigned long nr_free; /* Z: number of blocks on free_list */
};

/*
 * Locks (see the file comment):
 *	Z	zone->lock
 *	I	set once by mem_init(), read-only afterwards
 */
struct zone {
	spinlock_t lock;
	unsigned long free_pages; /* Z: pages on all free lists */
	unsigned long pages_min; /* Z: watermarks, in pages */
	unsigned long pages_low; /* Z */
	unsigned long pages_high; /* Z */
	struct free_area free_area[MAX_ORDER];
	pfn_t zone_start_pfn; /* I: first frame of the zone */
	unsigned long spanned_pages; /* I: frames from start to end, holes too */
	unsigned long present_pages; /* I: frames given to the buddy at boot */
	const char *name; /* I: "DMA", "Normal" */
};

extern struct zone node_zones[MAX_NR_ZONES];

/* The default of min_free_kbytes is computed by mem_init(); the value
 * is read by setup_per_zone_pages_min(), and written by sysctl. */
extern int min_free_kbytes;

#define for_each_zone(zone) \
	for (zone = node_zones; zone < node_zones + MAX_NR_ZONES; zone++)

static inline bool populated_zone(const struct zone *zone)
{
	return zone->present_pages != 0;
}

static inline pfn_t zone_end_pfn(const struct zone *zone)
{
	return zone->zone_start_pfn + zone->spanned_pages;
}

/**
 * zone_watermark_ok - can @zone satisfy an order-@order allocation
 *                     while staying above @mark?
 * @zone: the zone
 * @order: the order of the allocation
 * @mark: the watermark in pages (pages_low, pages_min, or lower for
 *        __GFP_HIGH callers)
 *
 * Order-aware, as in Linux 2.6 after Nick Piggin's kswapd fix: the zone
 * must keep more than @mark free pages after the allocation, and for each
 * order o below @order, more than @mark / 2^(o+1) pages in blocks of
 * order above o. Plenty of free order-0 pages do not make an order-3
 * allocation possible; kswapd uses this to keep reclaiming until they do.
 *
 * Context: any. Takes no lock: without zone->lock the answer is a
 * snapshot, which is all kswapd needs; the allocator holds the lock.
 */
bool zone_watermark_ok(struct zone *zone, unsigned int order,
		       unsigned long mark);

/**
 * zone_nr_free - free blocks of one order in @zone (/proc/buddyinfo)
 * Context: any; an unlocked snapshot.
 */
static inline unsigned long zone_nr_free(const struct zone *zone,
					 unsigned int order)
{
	return READ_ONCE(zone->free_area[order].nr_free);
}

/**
 * setup_per_zone_pages_min - recompute every zone's watermarks from
 *                            min_free_kbytes
 *
 * Each zone gets a share of min_free_kbytes proportional to its size:
 * pages_min, then pages_low = min + min/4 and pages_high = min + min/2.
 * Called by mem_init() and again whenever min_free_kbytes is written
 * (/proc/sys/vm/min_free_kbytes).
 *
 * Context: process or boot; takes each zone lock with interrupts off.
 */
void setup_per_zone_pages_min(void);

/**
 * calc_min_free_kbytes - Linux 2.6's default min_free_kbytes
 * @lowmem_kbytes: size of low memory in KiB
 *
 * Returns sqrt(@lowmem_kbytes * 16), clamped to [128, 65536]: the reserve
 * grows more slowly than memory does.
 */
int calc_min_free_kbytes(unsigned long lowmem_kbytes);

/* Room for one buddyinfo line ("Node 0, zone   Normal " + 11 * 7). */
#define BUDDYINFO_LINE_MAX 128

/**
 * zone_buddyinfo_line - format @zone's line of /proc/buddyinfo
 * @zone: a populated zone
 * @buf: output buffer, @size bytes (BUDDYINFO_LINE_MAX is enough)
 *
 * Writes exactly Linux's format, "Node %d, zone %8s " then "%6lu " per
 * order, then a newline. Returns the length of the line (as snprintf).
 *
 * Context: any; takes the zone lock to copy a consistent set of counts.
 */
int zone_buddyinfo_line(struct zone *zone, char *buf, size_t size);

/**
 * buddyinfo_show - format all of /proc/buddyinfo into @buf
 *
 * One line per populated zone. Returns the length written (at most
 * @size - 1; the text is cut if @buf is too small).
 * Context: as zone_buddyinfo_line().
 */
int buddyinfo_show(char *buf, size_t size);

/* Print the buddyinfo lines to the kernel log at KERN_INFO. */
void show_buddyinfo(void);

#endif /* _KESTREL_MMZONE_H */
