/*
 * ktest suite "page_alloc": the buddy allocator in the running kernel.
 *
 * The cases hold the pages they allocate on a local list through
 * page->lru (the owner's to use), with the order in page_order(), so no
 * array bounds the number of blocks. They assume nothing else allocates
 * while they run, which holds while ktest runs at boot.
 */
#include <kestrel/ktest.h>
#include <kestrel/list.h>
#include <kestrel/mm.h>
#include <kestrel/string.h>

#include "internal.h"

struct zone_counts {
	unsigned long nr_free[MAX_NR_ZONES][MAX_ORDER];
};

/* A kernel variable: its frame is part of the image, so reserved. */
static int reserved_probe;

static void count_zones(struct zone_counts *c)
{
	unsigned int z, o;

	for (z = 0; z < MAX_NR_ZONES; z++)
		for (o = 0; o < MAX_ORDER; o++)
			c->nr_free[z][o] = zone_nr_free(&node_zones[z], o);
}

static bool counts_equal(const struct zone_counts *a,
			 const struct zone_counts *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

static struct page *hold(struct list_head *held, gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp | __GFP_NOWARN, order);

	if (page)
		list_add(&page->lru, held);
	return page;
}

static void release_all(struct list_head *held)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, held, lru) {
		list_del(&page->lru);
		__free_pages(page, page_order(page));
	}
}

static void test_alloc_free_each_order(struct ktest *t)
{
	unsigned long before = nr_free_pages();
	unsigned int order;

	for (order = 0; order < MAX_ORDER; order++) {
		struct page *page = alloc_pages(GFP_KERNEL, order);

		KT_ASSERT_NOT_NULL(t, page);
		KT_EXPECT_EQ(t, page_to_pfn(page) & ((1UL << order) - 1), 0);
		KT_EXPECT_TRUE(t, PageHead(page));
		KT_EXPECT_EQ(t, page_order(page), order);
		KT_EXPECT_EQ(t, page_count(page), 1);
		KT_EXPECT_EQ(t, nr_free_pages(), before - (1UL << order));
		__free_pages(page, order);
		KT_EXPECT_EQ(t, nr_free_pages(), before);
	}
	KT_EXPECT_NULL(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER));
}

/*
 * Empty the order 0..3 lists of ZONE_NORMAL, then take one page: the
 * smallest bigger block (order m) must split, leaving one free block of
 * each order below m; freeing the page must merge them all back.
 */
static void test_split_and_merge(struct ktest *t)
{
	struct zone *z = &node_zones[ZONE_NORMAL];
	struct zone_counts before, after;
	unsigned int order, m;
	struct page *page;
	LIST_HEAD(held);

	if (!populated_zone(z))
		ktest_skip(t, "no ZONE_NORMAL");
	for (order = 0; order <= 3; order++)
		while (zone_nr_free(z, order))
			KT_ASSERT_NOT_NULL(t, hold(&held, GFP_KERNEL, order));
	count_zones(&before);
	for (m = 4; m < MAX_ORDER && !zone_nr_free(z, m); m++)
		;
	page = alloc_pages(GFP_KERNEL, 0);
	KT_ASSERT_NOT_NULL(t, page);
	KT_EXPECT_TRUE(t, page_zone(page) == z);
	for (order = 0; order < m; order++)
		KT_EXPECT_EQ(t, zone_nr_free(z, order), 1);
	KT_EXPECT_EQ(t, zone_nr_free(z, m), before.nr_free[ZONE_NORMAL][m] - 1);
	__free_pages(page, 0);
	count_zones(&after);
	KT_EXPECT_TRUE(t, counts_equal(&before, &after));
	release_all(&held);
}

static void test_gfp_zero(struct ktest *t)
{
	struct page *page = alloc_pages(GFP_KERNEL, 1);
	unsigned char *p;
	unsigned long i, addr;

	KT_ASSERT_NOT_NULL(t, page);
	memset(page_address(page), 0x5a, 2 * PAGE_SIZE);
	__free_pages(page, 1);
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	KT_ASSERT_NOT_NULL(t, page);
	p = page_address(page);
	for (i = 0; i < 2 * PAGE_SIZE && !p[i]; i++)
		;
	KT_EXPECT_EQ(t, i, 2 * PAGE_SIZE);
	__free_pages(page, 1);

	addr = get_zeroed_page(GFP_KERNEL);
	KT_ASSERT_TRUE(t, addr != 0);
	KT_EXPECT_EQ(t, ((unsigned long *)addr)[PAGE_SIZE / sizeof(long) - 1],
		     0);
	free_pages(addr, 0);
}

static void test_gfp_dma(struct ktest *t)
{
	struct page *dma = alloc_pages(GFP_DMA, 0);
	struct page *normal = alloc_pages(GFP_KERNEL, 0);

	KT_ASSERT_NOT_NULL(t, dma);
	KT_ASSERT_NOT_NULL(t, normal);
	KT_EXPECT_LT(t, PFN_PHYS(page_to_pfn(dma)), MAX_DMA_ADDRESS);
	if (populated_zone(&node_zones[ZONE_NORMAL]))
		KT_EXPECT_GE(t, page_to_pfn(normal), MAX_DMA_PFN);
	__free_pages(dma, 0);
	__free_pages(normal, 0);
}

static void test_watermark_arithmetic(struct ktest *t)
{
	static struct zone z;

	memset(&z, 0, sizeof(z));
	z.free_pages = 100;
	z.free_area[0].nr_free = 60; /* 60 pages */
	z.free_area[1].nr_free = 20; /* 40 pages */
	KT_EXPECT_TRUE(t, zone_watermark_ok(&z, 0, 50));
	KT_EXPECT_TRUE(t, zone_watermark_ok(&z, 0, 99));
	KT_EXPECT_FALSE(t, zone_watermark_ok(&z, 0, 100));
	KT_EXPECT_TRUE(t, zone_watermark_ok(&z, 1, 50));
	/* 97 pages would stay free, but none in blocks of order >= 2. */
	KT_EXPECT_FALSE(t, zone_watermark_ok(&z, 2, 50));
	KT_EXPECT_FALSE(t, zone_watermark_ok(&z, 2, 0));

	KT_EXPECT_EQ(t, calc_min_free_kbytes(262144), 2048);
	KT_EXPECT_EQ(t, calc_min_free_kbytes(1024), 128);
	KT_EXPECT_EQ(t, calc_min_free_kbytes(917504), 3831);
}

static void test_watermark_setup(struct ktest *t)
{
	struct zone *nor = &node_zones[ZONE_NORMAL];
	int saved = min_free_kbytes;

	KT_EXPECT_EQ(t, min_free_kbytes,
		     calc_min_free_kbytes(totalram_pages << (PAGE_SHIFT - 10)));
	min_free_kbytes = 8192;
	setup_per_zone_pages_min();
	KT_EXPECT_EQ(t, nor->pages_min,
		     2048 * nor->present_pages / totalram_pages);
	KT_EXPECT_EQ(t, nor->pages_low, nor->pages_min + nor->pages_min / 4);
	KT_EXPECT_EQ(t, nor->pages_high, nor->pages_min + nor->pages_min / 2);
	KT_EXPECT_LE(t, nor->pages_min + node_zones[ZONE_DMA].pages_min, 2048);
	min_free_kbytes = saved;
	setup_per_zone_pages_min();
}

/*
 * Take 4 MiB blocks until none is left: the first come from ZONE_NORMAL
 * (if it has any), then the allocator falls back to ZONE_DMA, then it
 * returns NULL without crashing. Everything must merge back when freed.
 */
static void test_high_order_exhaustion(struct ktest *t)
{
	struct zone_counts before, after;
	unsigned int n = 0, from_dma = 0;
	struct page *page, *first = NULL;
	LIST_HEAD(held);

	count_zones(&before);
	while ((page = hold(&held, GFP_KERNEL, MAX_ORDER - 1))) {
		if (!first)
			first = page;
		from_dma += page_to_pfn(page) < MAX_DMA_PFN;
		n++;
	}
	KT_EXPECT_GT(t, n, 0);
	if (first && before.nr_free[ZONE_NORMAL][MAX_ORDER - 1])
		KT_EXPECT_GE(t, page_to_pfn(first), MAX_DMA_PFN);
	if (before.nr_free[ZONE_DMA][MAX_ORDER - 1])
		KT_EXPECT_GT(t, from_dma, 0);
	KT_EXPECT_NULL(t,
		       alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER - 1));
	/* Small blocks are still available. */
	KT_EXPECT_NOT_NULL(t, hold(&held, GFP_KERNEL, 0));
	release_all(&held);
	count_zones(&after);
	KT_EXPECT_TRUE(t, counts_equal(&before, &after));
}

/* @what must be reported once, and free nothing. */
#define EXPECT_BAD_FREE(t, what)                                               \
	do {                                                                   \
		unsigned long __bad = atomic_long_read(&page_alloc_bad_frees); \
		unsigned long __free = nr_free_pages();                        \
		what;                                                          \
		KT_EXPECT_EQ(t, atomic_long_read(&page_alloc_bad_frees),       \
			     __bad + 1);                                       \
		KT_EXPECT_EQ(t, nr_free_pages(), __free);                      \
	} while (0)

static void test_bad_frees(struct ktest *t)
{
	struct page *a = alloc_pages(GFP_KERNEL, 0);
	struct page *b = alloc_pages(GFP_KERNEL, 2);
	struct page *c = alloc_pages(GFP_KERNEL, 1);

	KT_ASSERT_TRUE(t, a && b && c);
	__free_pages(a, 0);
	EXPECT_BAD_FREE(t, __free_pages(a, 0)); /* double free */
	EXPECT_BAD_FREE(t, __free_pages(virt_to_page(&reserved_probe), 0));
	EXPECT_BAD_FREE(t, __free_pages(b + 1, 0)); /* tail page */
	EXPECT_BAD_FREE(t, __free_pages(b + 2, 1)); /* tail page */
	EXPECT_BAD_FREE(t, __free_pages(c, 0)); /* wrong order */
	EXPECT_BAD_FREE(t, __free_pages(c, 3)); /* wrong order */
	EXPECT_BAD_FREE(t, free_pages(0x1000, 0)); /* not direct-mapped */
	/* Nothing was damaged: the owners free them normally. */
	KT_EXPECT_TRUE(t, PageReserved(virt_to_page(&reserved_probe)));
	KT_EXPECT_EQ(t, page_count(b), 1);
	__free_pages(b, 2);
	__free_pages(c, 1);
	EXPECT_BAD_FREE(t, __free_pages(c, 1)); /* double free */
}

static void test_refcount(struct ktest *t)
{
	struct page *page = alloc_pages(GFP_KERNEL, 3);
	unsigned long free;

	KT_ASSERT_NOT_NULL(t, page);
	free = nr_free_pages();
	get_page(page);
	KT_EXPECT_EQ(t, page_count(page), 2);
	put_page(page);
	KT_EXPECT_EQ(t, nr_free_pages(), free);
	put_page(page); /* the last reference frees all 8 pages */
	KT_EXPECT_EQ(t, nr_free_pages(), free + 8);
}

/*
 * Free a page whose buddy is in use (so it cannot merge and stays at the
 * head of the order-0 list), write into it, and allocate again: the same
 * page comes back and the damaged poison is reported.
 */
static void test_poison(struct ktest *t)
{
	unsigned long errors = atomic_long_read(&page_alloc_poison_errors);
	struct page *page, *victim = NULL, *again;
	LIST_HEAD(held);
	int i;

	if (!MM_DEBUG)
		ktest_skip(t, "needs CONFIG_DEBUG");
	for (i = 0; i < 64; i++)
		KT_ASSERT_NOT_NULL(t, hold(&held, GFP_KERNEL, 0));
	list_for_each_entry(page, &held, lru) {
		struct page *buddy = pfn_to_page(page_to_pfn(page) ^ 1);

		/* An allocated buddy: the freed page cannot merge. */
		if (!PageBuddy(buddy) &&
		    page_zone(page) == &node_zones[ZONE_NORMAL])
			victim = page;
	}
	KT_ASSERT_NOT_NULL(t, victim);
	list_del(&victim->lru);
	__free_pages(victim, 0);
	KT_EXPECT_TRUE(t, PagePoisoned(victim));
	((unsigned char *)page_address(victim))[100] = 1;
	again = hold(&held, GFP_KERNEL, 0);
	KT_EXPECT_TRUE(t, again == victim);
	KT_EXPECT_EQ(t, atomic_long_read(&page_alloc_poison_errors),
		     errors + 1);
	release_all(&held);
}

static void test_buddyinfo_format(struct ktest *t)
{
	char line[BUDDYINFO_LINE_MAX];
	int len;

	len = zone_buddyinfo_line(&node_zones[ZONE_DMA], line, sizeof(line));
	KT_EXPECT_EQ(t, len, 22 + MAX_ORDER * 7 + 1);
	KT_EXPECT_EQ(t, strncmp(line, "Node 0, zone      DMA ", 22), 0);
	KT_EXPECT_EQ(t, line[len - 1], '\n');
}

static struct ktest_case page_alloc_cases[] = {
	KTEST_CASE(test_alloc_free_each_order),
	KTEST_CASE(test_split_and_merge),
	KTEST_CASE(test_gfp_zero),
	KTEST_CASE(test_gfp_dma),
	KTEST_CASE(test_watermark_arithmetic),
	KTEST_CASE(test_watermark_setup),
	KTEST_CASE(test_high_order_exhaustion),
	KTEST_CASE(test_bad_frees),
	KTEST_CASE(test_refcount),
	KTEST_CASE(test_poison),
	KTEST_CASE(test_buddyinfo_format),
	{}
};
KTEST_SUITE(page_alloc, page_alloc_cases);
