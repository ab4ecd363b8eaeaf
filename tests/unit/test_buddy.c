/*
 * Host tests of the boot allocator and the buddy allocator: mm/memblock.c
 * and mm/page_alloc.c, unchanged, on 64 MiB of simulated RAM.
 *
 * Every page the tests allocate goes through t_alloc()/t_free(), which
 * keep an ownership map of frames. check_invariants() then proves the
 * allocator's state from scratch: each frame is exactly one of reserved,
 * free (inside exactly one block on a free list, with the right flags,
 * alignment and zone) or owned by the test; the list lengths match
 * nr_free and free_pages; and no two free buddies of the same order are
 * left unmerged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktap.h"
#include "shim/shim.h"
#include <kestrel/memblock.h>
#include <kestrel/mm.h>

#define RAM_BYTES (64UL << 20)
#define RAM_PAGES (RAM_BYTES >> PAGE_SHIFT)
#define KERNEL_START (1UL << 20)
#define KERNEL_SIZE (1UL << 20)
#define STRESS_OPS 100000
#define STRESS_MAX_ORDER 5
#define STRESS_SLOTS 4096

struct snapshot {
	unsigned long nr_free[MAX_NR_ZONES][MAX_ORDER];
	unsigned long free_pages[MAX_NR_ZONES];
};

static unsigned char owned[RAM_PAGES]; /* order + 1 at each owned head */
static unsigned char busy[RAM_PAGES]; /* 1 on every owned frame */
static struct snapshot boot_snap;

static void snapshot(struct snapshot *s)
{
	unsigned int z, o;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		for (o = 0; o < MAX_ORDER; o++)
			s->nr_free[z][o] = zone_nr_free(&node_zones[z], o);
		s->free_pages[z] = node_zones[z].free_pages;
	}
}

static bool snapshot_equal(const struct snapshot *a, const struct snapshot *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

static struct page *t_alloc(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp | __GFP_NOWARN, order);
	pfn_t pfn, i;

	if (!page)
		return NULL;
	pfn = page_to_pfn(page);
	for (i = 0; i < (1UL << order); i++) {
		if (busy[pfn + i]) {
			printf("# frame 0x%lx handed out twice\n", pfn + i);
			abort();
		}
		busy[pfn + i] = 1;
	}
	owned[pfn] = order + 1;
	return page;
}

static void t_free(struct page *page)
{
	pfn_t pfn = page_to_pfn(page), i;
	unsigned int order = owned[pfn] - 1;

	for (i = 0; i < (1UL << order); i++)
		busy[pfn + i] = 0;
	owned[pfn] = 0;
	__free_pages(page, order);
}

/* Check one free block; mark its frames in @seen. */
static bool check_free_block(struct zone *z, struct page *page,
			     unsigned int order, unsigned char *seen)
{
	pfn_t pfn = page_to_pfn(page), i, buddy = pfn ^ (1UL << order);
	bool ok = true;

	ktap_check(ok, PageBuddy(page) && page_order(page) == order,
		   "pfn 0x%lx flags 0x%lx order %u", pfn, page->flags,
		   page_order(page));
	ktap_check(ok, pfn % (1UL << order) == 0, "pfn 0x%lx misaligned", pfn);
	ktap_check(ok,
		   pfn >= z->zone_start_pfn &&
			   pfn + (1UL << order) <= zone_end_pfn(z),
		   "block 0x%lx outside zone %s", pfn, z->name);
	for (i = 0; ok && i < (1UL << order); i++) {
		ktap_check(ok, !seen[pfn + i] && !busy[pfn + i],
			   "frame 0x%lx free twice or owned", pfn + i);
		ktap_check(ok, !PageReserved(pfn_to_page(pfn + i)),
			   "frame 0x%lx free and reserved", pfn + i);
		seen[pfn + i] = 1;
	}
	if (order < MAX_ORDER - 1 && buddy >= z->zone_start_pfn &&
	    buddy < zone_end_pfn(z)) {
		struct page *b = pfn_to_page(buddy);

		ktap_check(ok, !(PageBuddy(b) && page_order(b) == order),
			   "free buddies 0x%lx and 0x%lx not merged", pfn,
			   buddy);
	}
	return ok;
}

static bool check_zone(struct zone *z, unsigned char *seen)
{
	unsigned long sum = 0, n;
	unsigned int order;
	struct page *page;
	bool ok = true;

	for (order = 0; order < MAX_ORDER; order++) {
		n = 0;
		list_for_each_entry(page, &z->free_area[order].free_list, lru) {
			if (!check_free_block(z, page, order, seen))
				return false;
			n++;
		}
		ktap_check(ok, n == z->free_area[order].nr_free,
			   "%s order %u: %lu on list, nr_free %lu", z->name,
			   order, n, z->free_area[order].nr_free);
		sum += n << order;
	}
	ktap_check(ok, sum == z->free_pages, "%s: %lu free, free_pages %lu",
		   z->name, sum, z->free_pages);
	return ok;
}

static bool check_invariants(void)
{
	static unsigned char seen[RAM_PAGES];
	struct zone *z;
	pfn_t pfn;
	bool ok = true;

	memset(seen, 0, sizeof(seen));
	for_each_zone(z)
		if (!check_zone(z, seen))
			return false;
	for (pfn = 0; pfn < max_pfn && ok; pfn++) {
		int states =
			seen[pfn] + busy[pfn] + PageReserved(pfn_to_page(pfn));

		ktap_check(ok, states == 1, "frame 0x%lx is in %d states", pfn,
			   states);
	}
	return ok;
}

/* ---- memblock ---------------------------------------------------------- */

static pfn_t free_pfns_in(pfn_t lo, pfn_t hi)
{
	pfn_t cursor, start, end, n = 0;

	for_each_free_mem_range(cursor, start, end)
	{
		if (start < lo)
			start = lo;
		if (end > hi)
			end = hi;
		if (end > start)
			n += end - start;
	}
	return n;
}

static bool test_memblock_normalise(void)
{
	unsigned long errors;
	bool ok = true;
	int i;

	memblock_add(32UL << 20, 32UL << 20);
	memblock_add(0, 640 << 10); /* frame 0 is dropped */
	memblock_add((1UL << 20) + 100, 31UL << 20); /* unaligned */
	memblock_add(2UL << 20, 4UL << 20); /* inside: no change */
	memblock_add(1UL << 20, 8192); /* touches the next one */
	ktap_check(ok, memblock_total_pages() == 159 + (16384 - 256),
		   "total %lu", memblock_total_pages());
	ktap_check(ok, memblock_end_of_ram() == RAM_BYTES, "end 0x%x",
		   memblock_end_of_ram());

	/* RAM up to 4 GiB: the end saturates, nothing overflows. */
	memblock_add(0xF0000000u, 0x10000000u);
	ktap_check(ok, memblock_end_of_ram() == 0xFFFFF000u, "end 0x%x",
		   memblock_end_of_ram());

	/* More ranges than the table holds: reported, then capped away. */
	errors = host_printk_errors;
	for (i = 0; i < MEMBLOCK_MAX_REGIONS + 6; i++)
		memblock_add((100UL << 20) + i * 2 * PAGE_SIZE, PAGE_SIZE);
	ktap_check(ok, host_printk_errors > errors, "overflow not reported");
	memblock_cap_memory(RAM_BYTES);
	ktap_check(ok, memblock_end_of_ram() == RAM_BYTES, "end 0x%x",
		   memblock_end_of_ram());
	ktap_check(ok, memblock_total_pages() == 159 + (16384 - 256),
		   "total %lu after cap", memblock_total_pages());
	return ok;
}

static bool test_memblock_reserve_alloc(void)
{
	unsigned char *p, *q;
	bool ok = true;
	int i;

	memblock_reserve(KERNEL_START, KERNEL_SIZE);
	ktap_check(ok, memblock_reserved_pages() == 256, "reserved %lu",
		   memblock_reserved_pages());

	p = memblock_alloc(10000, 0);
	ktap_check(ok, __pa(p) == RAM_BYTES - 3 * PAGE_SIZE, "p at 0x%lx",
		   __pa(p));
	for (i = 0; i < 3 * (int)PAGE_SIZE; i++)
		if (p[i])
			break;
	ktap_check(ok, i == 3 * (int)PAGE_SIZE, "byte %d not zeroed", i);
	q = memblock_alloc(PAGE_SIZE, 1UL << 20);
	ktap_check(ok, __pa(q) == RAM_BYTES - (1UL << 20), "q at 0x%lx",
		   __pa(q));

	/* Reserved table overflow: every page stays reserved. */
	for (i = 0; i < MEMBLOCK_MAX_REGIONS + 6; i++)
		memblock_reserve((40UL << 20) + i * 3 * PAGE_SIZE, PAGE_SIZE);
	for (i = 0; i < MEMBLOCK_MAX_REGIONS + 6; i++) {
		pfn_t pfn = PFN_DOWN((40UL << 20) + i * 3 * PAGE_SIZE);

		ktap_check(ok, free_pfns_in(pfn, pfn + 1) == 0,
			   "reserved frame 0x%lx is free", pfn);
	}
	return ok;
}

/* ---- boot -------------------------------------------------------------- */

static bool test_mem_init(void)
{
	unsigned long expect_free = free_pfns_in(0, RAM_PAGES);
	unsigned long warns;
	bool ok = true;

	mem_init();
	snapshot(&boot_snap);
	ktap_check(ok, max_pfn == RAM_PAGES, "max_pfn 0x%lx", max_pfn);
	/* mem_map itself was allocated from memblock: */
	ktap_check(ok,
		   totalram_pages + PFN_UP(RAM_PAGES * sizeof(struct page)) ==
			   expect_free,
		   "totalram %lu, free before %lu", totalram_pages,
		   expect_free);
	ktap_check(ok, nr_free_pages() == totalram_pages, "free %lu",
		   nr_free_pages());
	ktap_check(ok,
		   node_zones[ZONE_DMA].zone_start_pfn == 0 &&
			   node_zones[ZONE_DMA].spanned_pages == 4096,
		   "DMA span");
	ktap_check(ok,
		   node_zones[ZONE_NORMAL].zone_start_pfn == 4096 &&
			   node_zones[ZONE_NORMAL].spanned_pages ==
				   RAM_PAGES - 4096,
		   "Normal span");
	ktap_check(ok, PageReserved(pfn_to_page(0)), "frame 0 free");
	ktap_check(ok, PageReserved(virt_to_page(__va(KERNEL_START))),
		   "kernel image free");
	ktap_check(ok, PageReserved(virt_to_page(mem_map)), "mem_map free");
	ktap_check(ok,
		   zone_nr_free(&node_zones[ZONE_NORMAL], MAX_ORDER - 1) > 0,
		   "no max-order blocks");

	warns = host_warn_calls;
	ktap_check(ok,
		   memblock_alloc(PAGE_SIZE, 0) == NULL &&
			   host_warn_calls == warns + 1,
		   "memblock_alloc after mem_init");
	return ok && check_invariants();
}

static bool test_buddyinfo_format(void)
{
	char line[BUDDYINFO_LINE_MAX], all[4 * BUDDYINFO_LINE_MAX];
	unsigned long v[MAX_ORDER];
	char name[16];
	bool ok = true;
	int len, n;

	len = zone_buddyinfo_line(&node_zones[ZONE_DMA], line, sizeof(line));
	ktap_check(ok, len == 22 + MAX_ORDER * 7 + 1, "length %d", len);
	ktap_check(ok, strncmp(line, "Node 0, zone      DMA ", 22) == 0,
		   "prefix \"%.22s\"", line);
	n = sscanf(
		line,
		"Node 0, zone %15s %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu",
		name, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
		&v[8], &v[9], &v[10]);
	ktap_check(ok, n == 12, "parsed %d fields of \"%s\"", n, line);
	for (n = 0; n < MAX_ORDER; n++)
		ktap_check(ok, v[n] == zone_nr_free(&node_zones[ZONE_DMA], n),
			   "order %d: %lu", n, v[n]);
	ktap_check(ok, line[len - 2] == ' ' && line[len - 1] == '\n',
		   "line end");

	len = buddyinfo_show(all, sizeof(all));
	ktap_check(ok, len == 2 * (22 + MAX_ORDER * 7 + 1), "all: %d", len);
	ktap_check(ok, strstr(all, "\nNode 0, zone   Normal ") != NULL,
		   "Normal line missing: %s", all);
	return ok;
}

/* ---- allocation and freeing ------------------------------------------- */

static bool test_each_order(void)
{
	struct snapshot before, after;
	unsigned int order;
	bool ok = true;

	snapshot(&before);
	for (order = 0; order < MAX_ORDER; order++) {
		struct page *page = t_alloc(GFP_KERNEL, order);

		ktap_check(ok, page != NULL, "order %u failed", order);
		if (!page)
			continue;
		ktap_check(ok, page_to_pfn(page) % (1UL << order) == 0,
			   "order %u block at 0x%lx", order, page_to_pfn(page));
		ktap_check(ok,
			   PageHead(page) && page_order(page) == order &&
				   page_count(page) == 1,
			   "order %u head state", order);
		ktap_check(ok,
			   nr_free_pages() == totalram_pages - (1UL << order),
			   "order %u: free %lu", order, nr_free_pages());
		t_free(page);
		snapshot(&after);
		ktap_check(ok, snapshot_equal(&before, &after),
			   "order %u: counts not restored", order);
	}
	ktap_check(ok,
		   alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER) == NULL,
		   "order MAX_ORDER allocated");
	return ok && check_invariants();
}

/* Allocate every free block of orders 0..@top of the Normal zone, so that
 * the next small allocation must split a bigger block. */
static int drain_low_orders(struct page **held, unsigned int top)
{
	struct zone *z = &node_zones[ZONE_NORMAL];
	unsigned int order;
	int n = 0;

	for (order = 0; order <= top; order++)
		while (zone_nr_free(z, order))
			held[n++] = t_alloc(GFP_KERNEL, order);
	return n;
}

static bool test_split_merge(void)
{
	static struct page *held[4096];
	struct zone *z = &node_zones[ZONE_NORMAL];
	struct snapshot before, after;
	unsigned int order, m;
	struct page *page;
	bool ok = true;
	int n, i;

	n = drain_low_orders(held, 3);
	snapshot(&before);
	for (m = 4; m < MAX_ORDER && !zone_nr_free(z, m); m++)
		;
	page = t_alloc(GFP_KERNEL, 0);
	ktap_check(ok, page && page_zone(page) == z, "order 0 from Normal");
	/* One order-m block became one free block of each order below m. */
	for (order = 0; order < m; order++)
		ktap_check(ok, zone_nr_free(z, order) == 1,
			   "order %u: %lu free after split", order,
			   zone_nr_free(z, order));
	ktap_check(ok, zone_nr_free(z, m) == before.nr_free[ZONE_NORMAL][m] - 1,
		   "order %u: %lu", m, zone_nr_free(z, m));
	t_free(page);
	snapshot(&after);
	ktap_check(ok, snapshot_equal(&before, &after), "merge not complete");
	for (i = 0; i < n; i++)
		t_free(held[i]);
	snapshot(&after);
	ktap_check(ok, snapshot_equal(&boot_snap, &after), "drain not undone");
	return ok && check_invariants();
}

static bool test_gfp_zero_and_dma(void)
{
	struct page *page, *dma;
	unsigned long i, zeroed;
	unsigned char *p;
	bool ok = true;

	page = t_alloc(GFP_KERNEL | __GFP_ZERO, 2);
	p = page_address(page);
	for (i = 0; i < 4 * PAGE_SIZE && !p[i]; i++)
		;
	ktap_check(ok, i == 4 * PAGE_SIZE, "byte %lu not zero", i);
	ktap_check(ok, page_to_pfn(page) >= MAX_DMA_PFN,
		   "GFP_KERNEL took DMA memory first");
	dma = t_alloc(GFP_DMA, 0);
	ktap_check(ok, dma && page_to_pfn(dma) < MAX_DMA_PFN,
		   "GFP_DMA above 16 MiB");
	zeroed = get_zeroed_page(GFP_KERNEL);
	ktap_check(ok, zeroed && !((unsigned char *)zeroed)[PAGE_SIZE - 1],
		   "get_zeroed_page");
	free_pages(zeroed, 0);
	t_free(page);
	t_free(dma);
	return ok && check_invariants();
}

/* ---- watermarks -------------------------------------------------------- */

static bool test_watermark_arithmetic(void)
{
	struct zone z;
	bool ok = true;

	memset(&z, 0, sizeof(z));
	z.free_pages = 100;
	z.free_area[0].nr_free = 60;
	z.free_area[1].nr_free = 20;
	ktap_check(ok, zone_watermark_ok(&z, 0, 50), "order 0, mark 50");
	ktap_check(ok, !zone_watermark_ok(&z, 0, 100), "order 0, mark 100");
	ktap_check(ok, zone_watermark_ok(&z, 0, 99), "order 0, mark 99");
	ktap_check(ok, zone_watermark_ok(&z, 1, 50), "order 1, mark 50");
	/* 97 free in total, but only 40 pages in blocks of order >= 1 and
	 * none of order >= 2: */
	ktap_check(ok, !zone_watermark_ok(&z, 2, 50), "order 2, mark 50");
	ktap_check(ok, !zone_watermark_ok(&z, 2, 0), "order 2, mark 0");

	ktap_check(ok, calc_min_free_kbytes(262144) == 2048, "256 MiB: %d",
		   calc_min_free_kbytes(262144));
	ktap_check(ok, calc_min_free_kbytes(1024) == 128, "1 MiB: %d",
		   calc_min_free_kbytes(1024));
	ktap_check(ok, calc_min_free_kbytes(917504) == 3831, "896 MiB: %d",
		   calc_min_free_kbytes(917504));
	ktap_check(ok, calc_min_free_kbytes(1UL << 30) == 65536, "1 TiB: %d",
		   calc_min_free_kbytes(1UL << 30));
	return ok;
}

static bool test_watermark_setup(void)
{
	struct zone *dma = &node_zones[ZONE_DMA],
		    *nor = &node_zones[ZONE_NORMAL];
	int saved = min_free_kbytes;
	bool ok = true;

	ktap_check(ok,
		   min_free_kbytes == calc_min_free_kbytes(totalram_pages * 4),
		   "default %d", min_free_kbytes);
	min_free_kbytes = 4096;
	setup_per_zone_pages_min();
	ktap_check(ok,
		   dma->pages_min == 1024 * dma->present_pages / totalram_pages,
		   "DMA min %lu", dma->pages_min);
	ktap_check(ok,
		   nor->pages_min == 1024 * nor->present_pages / totalram_pages,
		   "Normal min %lu", nor->pages_min);
	ktap_check(ok,
		   nor->pages_low == nor->pages_min + nor->pages_min / 4 &&
			   nor->pages_high ==
				   nor->pages_min + nor->pages_min / 2,
		   "low %lu high %lu", nor->pages_low, nor->pages_high);
	ktap_check(ok,
		   dma->pages_min + nor->pages_min <= 1024 &&
			   dma->pages_min + nor->pages_min >= 1022,
		   "sum %lu", dma->pages_min + nor->pages_min);
	min_free_kbytes = saved;
	setup_per_zone_pages_min();
	return ok;
}

/* Allocate order-0 pages with @gfp until it fails; record their zones. */
static int take_all(struct page **held, int n, gfp_t gfp, int *from_dma)
{
	struct page *page;

	*from_dma = 0;
	while ((page = t_alloc(gfp, 0))) {
		held[n++] = page;
		*from_dma += page_to_pfn(page) < MAX_DMA_PFN;
	}
	return n;
}

/*
 * Order-0 allocations: Normal down to its low mark, DMA down to its low
 * mark, then each down to min; GFP_ATOMIC then goes down to min / 2.
 */
static bool test_fallback_and_reserves(void)
{
	static struct page *held[RAM_PAGES];
	struct zone *dma = &node_zones[ZONE_DMA],
		    *nor = &node_zones[ZONE_NORMAL];
	unsigned long dfree = dma->free_pages, nfree = nor->free_pages;
	struct snapshot after;
	int n, m, from_dma, i;
	bool ok = true;

	n = take_all(held, 0, GFP_KERNEL, &from_dma);
	ktap_check(ok, page_to_pfn(held[0]) >= MAX_DMA_PFN, "first from DMA");
	ktap_check(ok, page_to_pfn(held[nfree - nor->pages_low]) < MAX_DMA_PFN,
		   "no fallback to DMA at Normal's low mark");
	ktap_check(ok,
		   (unsigned long)n ==
			   (nfree - nor->pages_min) + (dfree - dma->pages_min),
		   "GFP_KERNEL got %d pages", n);
	ktap_check(ok, (unsigned long)from_dma == dfree - dma->pages_min,
		   "%d from DMA", from_dma);
	ktap_check(ok, !t_alloc(GFP_DMA, 0), "GFP_DMA below min");

	m = take_all(held, n, GFP_ATOMIC, &from_dma);
	ktap_check(ok,
		   (unsigned long)(m - n) ==
			   nor->pages_min / 2 + dma->pages_min / 2,
		   "GFP_ATOMIC got %d more", m - n);
	ktap_check(ok, nor->free_pages == nor->pages_min - nor->pages_min / 2,
		   "Normal left with %lu", nor->free_pages);
	ok = ok && check_invariants();
	for (i = 0; i < m; i++)
		t_free(held[i]);
	snapshot(&after);
	ktap_check(ok, snapshot_equal(&boot_snap, &after), "not all merged");
	return ok;
}

static bool test_high_order_exhaustion(void)
{
	static struct page *held[64];
	struct snapshot after;
	int n = 0, i;
	bool ok = true;

	while (n < 64 && (held[n] = t_alloc(GFP_KERNEL, MAX_ORDER - 1)))
		n++;
	ktap_check(ok, n > 0 && n < 64, "%d order-10 blocks", n);
	ktap_check(ok,
		   !zone_watermark_ok(&node_zones[ZONE_NORMAL], MAX_ORDER - 1,
				      node_zones[ZONE_NORMAL].pages_min),
		   "watermark still ok for order 10");
	/* Smaller blocks are still there. */
	held[n] = t_alloc(GFP_KERNEL, 0);
	ktap_check(ok, held[n] != NULL, "order 0 failed");
	if (held[n])
		n++;
	ok = ok && check_invariants();
	for (i = 0; i < n; i++)
		t_free(held[i]);
	snapshot(&after);
	ktap_check(ok, snapshot_equal(&boot_snap, &after), "not all merged");
	return ok;
}

static unsigned long long rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned long rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned long)(rng_state >> 11);
}

static bool test_random_stress(void)
{
	static struct page *slot[STRESS_SLOTS];
	struct snapshot after;
	unsigned long fails = 0;
	bool ok = true;
	int op, i;

	for (op = 0; op < STRESS_OPS && ok; op++) {
		i = rng() % STRESS_SLOTS;
		if (slot[i]) {
			t_free(slot[i]);
			slot[i] = NULL;
		} else {
			/* orders weighted towards small: 0 most of the time */
			unsigned int order = __builtin_ctzl(rng() | 1UL << 10);

			if (order > STRESS_MAX_ORDER)
				order = rng() % (STRESS_MAX_ORDER + 1);
			slot[i] = t_alloc(rng() % 8 ? GFP_KERNEL : GFP_DMA,
					  order);
			fails += !slot[i];
		}
		if (op % 10000 == 0)
			ok = check_invariants();
	}
	ok = ok && check_invariants();
	for (i = 0; i < STRESS_SLOTS; i++)
		if (slot[i])
			t_free(slot[i]);
	snapshot(&after);
	ktap_check(ok, snapshot_equal(&boot_snap, &after),
		   "free lists did not coalesce back to the boot state");
	printf("# %d operations, %lu allocations failed\n", op, fails);
	return ok && check_invariants();
}

/* ---- bad frees --------------------------------------------------------- */

/* Run @what, a bad free: it must be reported once and change nothing. */
#define EXPECT_BAD_FREE(ok, what)                                     \
	do {                                                          \
		long __bad = atomic_long_read(&page_alloc_bad_frees); \
		unsigned long __stacks = host_dump_stack_calls;       \
		unsigned long __free = nr_free_pages();               \
		what;                                                 \
		ktap_check(ok,                                        \
			   atomic_long_read(&page_alloc_bad_frees) == \
				   __bad + 1,                         \
			   "not reported: " #what);                   \
		ktap_check(ok, host_dump_stack_calls > __stacks,      \
			   "no backtrace: " #what);                   \
		ktap_check(ok, nr_free_pages() == __free,             \
			   "free pages changed: " #what);             \
	} while (0)

static bool test_bad_frees(void)
{
	struct page *a = t_alloc(GFP_KERNEL, 0), *b = t_alloc(GFP_KERNEL, 2);
	struct page *c = t_alloc(GFP_KERNEL, 1);
	struct list_head *big =
		&node_zones[ZONE_NORMAL].free_area[MAX_ORDER - 1].free_list;
	bool ok = true;

	t_free(a);
	EXPECT_BAD_FREE(ok, __free_pages(a, 0)); /* double free */
	/* a frame inside a free 4 MiB block */
	EXPECT_BAD_FREE(
		ok,
		__free_pages(list_first_entry(big, struct page, lru) + 5, 0));
	EXPECT_BAD_FREE(ok, __free_pages(pfn_to_page(0), 0)); /* reserved */
	EXPECT_BAD_FREE(ok, __free_pages(virt_to_page(__va(KERNEL_START)), 0));
	EXPECT_BAD_FREE(ok, __free_pages(b + 1, 0)); /* tail page */
	EXPECT_BAD_FREE(ok, __free_pages(b + 2, 1)); /* tail, order 1 */
	EXPECT_BAD_FREE(ok, __free_pages(c, 0)); /* wrong order */
	EXPECT_BAD_FREE(ok, __free_pages(c, 2)); /* wrong order */
	EXPECT_BAD_FREE(ok, __free_pages(mem_map + max_pfn, 0));
	EXPECT_BAD_FREE(ok, free_pages(0x10, 0)); /* not direct-mapped */
	ok = ok && check_invariants();
	/* The real owners can still free them. */
	t_free(b);
	t_free(c);
	EXPECT_BAD_FREE(ok, __free_pages(c, 1)); /* double, after merging */
	return ok && check_invariants();
}

static bool test_refcount(void)
{
	struct page *page = t_alloc(GFP_KERNEL, 3);
	unsigned long free = nr_free_pages();
	bool ok = true;

	get_page(page);
	ktap_check(ok, page_count(page) == 2, "count %d", page_count(page));
	put_page(page);
	ktap_check(ok, nr_free_pages() == free, "freed with a reference held");
	ktap_check(ok, PageHead(page), "head flag lost");
	t_free(page); /* the last reference: the order is the recorded 3 */
	ktap_check(ok, nr_free_pages() == free + 8, "free %lu",
		   nr_free_pages());
	return ok && check_invariants();
}

/* Pick a page whose buddy is allocated too, so that freeing it leaves it
 * at the head of the order-0 list instead of merging. */
static bool test_poison(void)
{
	static struct page *held[64];
	struct page *victim = NULL, *again;
	long errors = atomic_long_read(&page_alloc_poison_errors);
	bool ok = true;
	int i;

	for (i = 0; i < 64; i++)
		held[i] = t_alloc(GFP_KERNEL, 0);
	for (i = 0; i < 64 && !victim; i++)
		if (busy[page_to_pfn(held[i]) ^ 1])
			victim = held[i];
	ktap_check(ok, victim != NULL, "no page with an allocated buddy");
	if (!victim)
		return false;
	t_free(victim);
	ktap_check(ok, PagePoisoned(victim), "not poisoned");
	((unsigned char *)page_address(victim))[100] = 1; /* use after free */
	again = t_alloc(GFP_KERNEL, 0);
	ktap_check(ok, again == victim, "LIFO: got another page");
	ktap_check(ok,
		   atomic_long_read(&page_alloc_poison_errors) == errors + 1,
		   "use after free not reported");
	ktap_check(ok, !PagePoisoned(again), "poison flag kept");
	for (i = 0; i < 64; i++)
		t_free(held[i]);
	return ok && check_invariants();
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	host_phys_setup(RAM_BYTES);
	ktap_plan(15);
	ktap_result(test_memblock_normalise(), "memblock_normalise");
	ktap_result(test_memblock_reserve_alloc(), "memblock_reserve_alloc");
	ktap_result(test_mem_init(), "mem_init");
	ktap_result(test_buddyinfo_format(), "buddyinfo_format");
	ktap_result(test_each_order(), "each_order");
	ktap_result(test_split_merge(), "split_merge");
	ktap_result(test_gfp_zero_and_dma(), "gfp_zero_and_dma");
	ktap_result(test_watermark_arithmetic(), "watermark_arithmetic");
	ktap_result(test_watermark_setup(), "watermark_setup");
	ktap_result(test_fallback_and_reserves(), "fallback_and_reserves");
	ktap_result(test_high_order_exhaustion(), "high_order_exhaustion");
	ktap_result(test_random_stress(), "random_stress_100000");
	ktap_result(test_bad_frees(), "bad_frees");
	ktap_result(test_refcount(), "refcount");
	ktap_result(test_poison(), "poison_use_after_free");
	return ktap_finish();
}
