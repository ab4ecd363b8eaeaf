/*
 * ktest suite "slab": kmalloc, caches and vmalloc in the running kernel.
 *
 * Statistics are read through kmem_cache_for_each(), the interface
 * /proc/slabinfo uses. The vmalloc cases check the mapping itself: what
 * is written through the vmalloc address must be read back through the
 * direct map of the page vmalloc_to_page() names.
 */
#include <asm/page.h>
#include <kestrel/ktest.h>
#include <kestrel/mm.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/vmalloc.h>

#include "internal.h"

#define VMALLOC_TEST_SIZE ((4UL << 20) + 100)

struct cache_lookup {
	const char *name;
	struct slabinfo info;
	bool found;
};

static void lookup_one(const struct slabinfo *info, void *arg)
{
	struct cache_lookup *l = arg;

	if (!strcmp(info->name, l->name)) {
		l->info = *info;
		l->found = true;
	}
}

static struct slabinfo stats_of(struct ktest *t, const char *name)
{
	struct cache_lookup l = { .name = name };

	kmem_cache_for_each(lookup_one, &l);
	KT_EXPECT_TRUE(t, l.found);
	return l.info;
}

static void test_kmalloc_each_class(struct ktest *t)
{
	static const size_t sizes[] = { 8,   16,  32,	64,   96,   128, 192,
					256, 512, 1024, 2048, 4096, 8192 };
	size_t i, prev = 0;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned char *small = kmalloc(prev + 1, GFP_KERNEL);
		unsigned char *full = kmalloc(sizes[i], GFP_KERNEL);

		KT_ASSERT_TRUE(t, small && full && small != full);
		KT_EXPECT_EQ(t, ksize(small), sizes[i]);
		KT_EXPECT_EQ(t, ksize(full), sizes[i]);
		KT_EXPECT_EQ(t, (uintptr_t)full & (ARCH_KMALLOC_MINALIGN - 1),
			     0);
		memset(full, 0xee, sizes[i]);
		memset(small, 0xdd, prev + 1);
		kfree(small);
		kfree(full);
		prev = sizes[i];
	}
	KT_EXPECT_TRUE(t, kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
}

static void test_cache_alignment(struct ktest *t)
{
	struct kmem_cache *c =
		kmem_cache_create("ktest_align", 40, 128, 0, NULL);
	void *p[10];
	int i;

	KT_ASSERT_NOT_NULL(t, c);
	for (i = 0; i < 10; i++) {
		p[i] = kmem_cache_alloc(c, GFP_KERNEL);
		KT_EXPECT_EQ(t, (uintptr_t)p[i] & 127, 0);
	}
	for (i = 0; i < 10; i++)
		kmem_cache_free(c, p[i]);
	kmem_cache_destroy(c);
	KT_EXPECT_NULL(t, kmem_cache_create("ktest_bad", 64, 48, 0, NULL));
	KT_EXPECT_NULL(t, kmem_cache_create("ktest_bad", 0, 0, 0, NULL));
}

static void test_kzalloc_zeroes(struct ktest *t)
{
	unsigned char *p = kmalloc(256, GFP_KERNEL), *q;
	int i;

	KT_ASSERT_NOT_NULL(t, p);
	memset(p, 0xff, 256);
	kfree(p);
	q = kzalloc(256, GFP_KERNEL);
	KT_ASSERT_NOT_NULL(t, q);
	for (i = 0; i < 256 && !q[i]; i++)
		;
	KT_EXPECT_EQ(t, i, 256);
	kfree(q);
}

static void test_large_kmalloc(struct ktest *t)
{
	unsigned long free = nr_free_pages();
	unsigned char *p = kmalloc(3 * PAGE_SIZE + 1, GFP_KERNEL);

	KT_ASSERT_NOT_NULL(t, p);
	KT_EXPECT_EQ(t, (uintptr_t)p & ~PAGE_MASK, 0);
	KT_EXPECT_EQ(t, ksize(p), 4 * PAGE_SIZE);
	KT_EXPECT_EQ(t, free - nr_free_pages(), 4);
	KT_EXPECT_FALSE(t, PageSlab(virt_to_page(p)));
	memset(p, 1, 3 * PAGE_SIZE + 1);
	kfree(p);
	KT_EXPECT_EQ(t, nr_free_pages(), free);
}

static int ctor_runs;

static void count_ctor(void *obj)
{
	ctor_runs++;
}

static void test_cache_stats(struct ktest *t)
{
	struct kmem_cache *c =
		kmem_cache_create("ktest_obj", 200, 0, 0, count_ctor);
	struct slabinfo info;
	unsigned int per, i;
	void *objs[64];

	KT_ASSERT_NOT_NULL(t, c);
	info = stats_of(t, "ktest_obj");
	per = info.objects_per_slab;
	KT_ASSERT_TRUE(t, per > 1 && per < ARRAY_SIZE(objs));
	KT_EXPECT_EQ(t, info.num_slabs, 0);
	for (i = 0; i <= per; i++)
		KT_ASSERT_NOT_NULL(t,
				   objs[i] = kmem_cache_alloc(c, GFP_KERNEL));
	info = stats_of(t, "ktest_obj");
	KT_EXPECT_EQ(t, info.active_objs, per + 1);
	KT_EXPECT_EQ(t, info.num_objs, 2 * per);
	KT_EXPECT_EQ(t, info.active_slabs, 2);
	KT_EXPECT_EQ(t, ctor_runs, 2 * per);
	for (i = 0; i <= per; i++)
		kmem_cache_free(c, objs[i]);
	info = stats_of(t, "ktest_obj");
	KT_EXPECT_EQ(t, info.active_objs, 0);
	KT_EXPECT_EQ(t, info.active_slabs, 0);
	KT_EXPECT_EQ(t, info.num_slabs, 1);
	kmem_cache_destroy(c);
}

static void test_double_kfree(struct ktest *t)
{
	unsigned long bad = atomic_long_read(&slab_bad_frees), active;
	char *p = kmalloc(64, GFP_KERNEL), *a, *b;

	KT_ASSERT_NOT_NULL(t, p);
	kfree(p);
	active = stats_of(t, "kmalloc-64").active_objs;
	kfree(p);
	KT_EXPECT_EQ(t, atomic_long_read(&slab_bad_frees), bad + 1);
	KT_EXPECT_EQ(t, stats_of(t, "kmalloc-64").active_objs, active);
	a = kmalloc(64, GFP_KERNEL);
	b = kmalloc(64, GFP_KERNEL);
	KT_EXPECT_TRUE(t, a && b && a != b);
	kfree(a);
	kfree(b);
}

static void test_redzone_overwrite(struct ktest *t)
{
	unsigned long corrupt = atomic_long_read(&slab_corruptions);
	char *p;

	if (!MM_DEBUG)
		ktest_skip(t, "needs CONFIG_DEBUG");
	p = kmalloc(64, GFP_KERNEL);
	KT_ASSERT_NOT_NULL(t, p);
	p[64] = 'x';
	kfree(p);
	KT_EXPECT_EQ(t, atomic_long_read(&slab_corruptions), corrupt + 1);
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	KT_EXPECT_EQ(t, atomic_long_read(&slab_corruptions), corrupt + 1);
}

static void test_vmalloc_rw(struct ktest *t)
{
	unsigned long *p = vmalloc(VMALLOC_TEST_SIZE), *q, i;
	unsigned long words = VMALLOC_TEST_SIZE / sizeof(long);
	struct page *page;

	KT_ASSERT_NOT_NULL(t, p);
	KT_EXPECT_TRUE(t, is_vmalloc_addr(p));
	KT_EXPECT_EQ(t, (uintptr_t)p & ~PAGE_MASK, 0);
	for (i = 0; i < words; i++)
		p[i] = i * 2654435761UL;
	for (i = 0; i < words && p[i] == i * 2654435761UL; i++)
		;
	KT_EXPECT_EQ(t, i, words);
	/* The same bytes, through the direct map of the backing page. */
	page = vmalloc_to_page((char *)p + 3 * PAGE_SIZE + 8);
	KT_ASSERT_NOT_NULL(t, page);
	KT_EXPECT_EQ(t, ((unsigned long *)page_address(page))[2],
		     p[3 * PAGE_SIZE / sizeof(long) + 2]);
	vfree(p);
	q = vmalloc(VMALLOC_TEST_SIZE);
	KT_EXPECT_TRUE(t, q == p); /* first fit reuses the range */
	vfree(q);
}

static void test_vmalloc_guard_and_zero(struct ktest *t)
{
	unsigned long free = nr_free_pages();
	char *a = vzalloc(3 * PAGE_SIZE), *b = vmalloc(PAGE_SIZE);
	int i;

	KT_ASSERT_TRUE(t, a && b);
	for (i = 0; i < 3 * (int)PAGE_SIZE && !a[i]; i++)
		;
	KT_EXPECT_EQ(t, i, 3 * PAGE_SIZE);
	KT_EXPECT_TRUE(t, b >= a + 4 * PAGE_SIZE || b + 2 * PAGE_SIZE <= a);
	KT_EXPECT_NULL(t, vmalloc_to_page(a + 3 * PAGE_SIZE)); /* guard */
	vfree(a);
	vfree(b);
	/* The pages came back; a few slab pages may stay cached. */
	KT_EXPECT_LE(t, free - nr_free_pages(), 8);
}

static void test_vmalloc_bad_sizes(struct ktest *t)
{
	unsigned long free = nr_free_pages();

	KT_EXPECT_NULL(t, vmalloc(0));
	KT_EXPECT_NULL(t, vmalloc(VMALLOC_END - VMALLOC_START));
	KT_EXPECT_NULL(t, vmalloc(1UL << 30));
	KT_EXPECT_NULL(t, vmalloc(~0UL));
	vfree(NULL);
	KT_EXPECT_EQ(t, nr_free_pages(), free);
}

static struct ktest_case slab_cases[] = { KTEST_CASE(test_kmalloc_each_class),
					  KTEST_CASE(test_cache_alignment),
					  KTEST_CASE(test_kzalloc_zeroes),
					  KTEST_CASE(test_large_kmalloc),
					  KTEST_CASE(test_cache_stats),
					  KTEST_CASE(test_double_kfree),
					  KTEST_CASE(test_redzone_overwrite),
					  KTEST_CASE(test_vmalloc_rw),
					  KTEST_CASE(
						  test_vmalloc_guard_and_zero),
					  KTEST_CASE(test_vmalloc_bad_sizes),
					  {} };
KTEST_SUITE(slab, slab_cases);
