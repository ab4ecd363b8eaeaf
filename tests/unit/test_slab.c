/*
 * Host tests of the slab allocator and kmalloc: mm/slab.c over the real
 * page allocator, on 64 MiB of simulated RAM, in a debug build (red
 * zones and poisoning on).
 *
 * The random test fills every live block with a pattern made from its
 * slot number and checks it before freeing: any overlap between two
 * allocations, or a write by the allocator into a live object, shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktap.h"
#include "shim/shim.h"
#include <kestrel/mm.h>
#include <kestrel/slab.h>

#define RAM_BYTES (64UL << 20)
#define STRESS_OPS 100000
#define STRESS_SLOTS 2048
#define STRESS_MAX_SIZE 10000

static const size_t class_sizes[] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};

struct cache_stats {
	const char *name;
	struct slabinfo info;
	int found;
};

static void find_cache(const struct slabinfo *info, void *arg)
{
	struct cache_stats *cs = arg;

	if (!strcmp(info->name, cs->name)) {
		cs->info = *info;
		cs->found = 1;
	}
}

/* Statistics of the cache called @name, by the public iterator. */
static struct slabinfo stats_of(const char *name)
{
	struct cache_stats cs = { .name = name };

	kmem_cache_for_each(find_cache, &cs);
	if (!cs.found)
		printf("# cache %s not found\n", name);
	return cs.info;
}

static void sum_kmalloc_active(const struct slabinfo *info, void *arg)
{
	if (!strncmp(info->name, "kmalloc-", 8))
		*(unsigned long *)arg += info->active_objs;
}

static unsigned long kmalloc_active(void)
{
	unsigned long n = 0;

	kmem_cache_for_each(sum_kmalloc_active, &n);
	return n;
}

static bool test_each_class(void)
{
	long corrupt = atomic_long_read(&slab_corruptions);
	size_t prev = 0, i;
	bool ok = true;

	for (i = 0; i < sizeof(class_sizes) / sizeof(class_sizes[0]); i++) {
		size_t want[2] = { prev + 1, class_sizes[i] };
		int j;

		for (j = 0; j < 2; j++) {
			unsigned char *p = kmalloc(want[j], GFP_KERNEL);

			ktap_check(ok, p != NULL, "kmalloc(%zu)", want[j]);
			if (!p)
				continue;
			ktap_check(ok, ksize(p) == class_sizes[i],
				   "ksize(kmalloc(%zu)) = %zu", want[j],
				   ksize(p));
			ktap_check(ok,
				   (uintptr_t)p % ARCH_KMALLOC_MINALIGN == 0,
				   "kmalloc(%zu) = %p", want[j], (void *)p);
			memset(p, 0xee, ksize(p));
			kfree(p);
		}
		prev = class_sizes[i];
	}
	ktap_check(ok, atomic_long_read(&slab_corruptions) == corrupt,
		   "red zone hit");
	ktap_check(ok, kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR, "kmalloc(0)");
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	return ok && kmalloc_active() == 0;
}

static bool test_alignment(void)
{
	struct kmem_cache *a = kmem_cache_create("align256", 40, 256, 0, NULL);
	struct kmem_cache *h =
		kmem_cache_create("hwalign", 40, 0, SLAB_HWCACHE_ALIGN, NULL);
	void *p[20], *q[20];
	bool ok = true;
	int i;

	ktap_check(ok, a && h, "create");
	if (!a || !h)
		return false;
	for (i = 0; i < 20; i++) {
		p[i] = kmem_cache_alloc(a, GFP_KERNEL);
		q[i] = kmem_cache_alloc(h, GFP_KERNEL);
		ktap_check(ok, (uintptr_t)p[i] % 256 == 0, "%p", p[i]);
		ktap_check(ok, (uintptr_t)q[i] % 64 == 0, "%p", q[i]);
	}
	for (i = 0; i < 20; i++) {
		kmem_cache_free(a, p[i]);
		kmem_cache_free(h, q[i]);
	}
	kmem_cache_destroy(a);
	kmem_cache_destroy(h);
	ktap_check(ok, !kmem_cache_create("bad", 0, 0, 0, NULL), "size 0");
	ktap_check(ok, !kmem_cache_create("bad", 64, 24, 0, NULL), "align 24");
	ktap_check(ok, !kmem_cache_create("bad", 64 << 10, 0, 0, NULL),
		   "64 KiB objects");
	return ok;
}

static bool test_kzalloc(void)
{
	unsigned char *p = kmalloc(128, GFP_KERNEL), *q;
	bool ok = true;
	int i;

	memset(p, 0xff, 128);
	kfree(p);
	q = kzalloc(128, GFP_KERNEL);
	ktap_check(ok, q == p, "LIFO reuse expected (%p, %p)", (void *)p,
		   (void *)q);
	for (i = 0; i < 128 && !q[i]; i++)
		;
	ktap_check(ok, i == 128, "byte %d not zero", i);
	kfree(q);
	return ok;
}

static bool test_large_kmalloc(void)
{
	unsigned long free = nr_free_pages();
	unsigned char *p = kmalloc(10000, GFP_KERNEL), *d;
	bool ok = true;

	ktap_check(ok, p && (uintptr_t)p % PAGE_SIZE == 0, "%p", (void *)p);
	ktap_check(ok, ksize(p) == 4 * PAGE_SIZE, "ksize %zu", ksize(p));
	ktap_check(ok, nr_free_pages() == free - 4, "took %lu pages",
		   free - nr_free_pages());
	memset(p, 1, 10000);
	kfree(p);
	ktap_check(ok, nr_free_pages() == free, "not given back");
	ktap_check(ok, !kmalloc((4UL << 20) + 1, GFP_KERNEL | __GFP_NOWARN),
		   "larger than MAX_ORDER");
	d = kmalloc(100, GFP_KERNEL | __GFP_DMA);
	ktap_check(ok, d && __pa(d) < MAX_DMA_ADDRESS, "DMA kmalloc at %lx",
		   __pa(d));
	kfree(d);
	ktap_check(ok, nr_free_pages() == free, "DMA kmalloc not freed");
	return ok;
}

static int ctor_calls;

static void test_ctor(void *obj)
{
	ctor_calls++;
	memset(obj, 0x42, 100);
}

static bool test_cache_lifecycle(void)
{
	unsigned long caches = stats_of("kmem_cache").active_objs;
	struct kmem_cache *c =
		kmem_cache_create("test_obj", 100, 0, 0, test_ctor);
	struct slabinfo info = stats_of("test_obj");
	unsigned int per = info.objects_per_slab, i;
	long bad = atomic_long_read(&slab_bad_frees);
	void **objs;
	bool ok = true;

	ktap_check(ok,
		   c && info.object_size == 100 && per > 1 &&
			   info.num_slabs == 0,
		   "new cache: %u per slab, %lu slabs", per, info.num_slabs);
	objs = calloc(per + 1, sizeof(void *));
	for (i = 0; i <= per; i++)
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
	info = stats_of("test_obj");
	ktap_check(ok,
		   info.active_objs == per + 1 && info.num_slabs == 2 &&
			   info.active_slabs == 2 && info.num_objs == 2 * per,
		   "active %lu, slabs %lu/%lu, objs %lu", info.active_objs,
		   info.active_slabs, info.num_slabs, info.num_objs);
	ktap_check(ok, ctor_calls == (int)(2 * per), "ctor ran %d times",
		   ctor_calls);
	ktap_check(ok, ((unsigned char *)objs[per])[99] == 0x42,
		   "constructed state lost");
	kmem_cache_destroy(c); /* refused: objects in use */
	ktap_check(ok, stats_of("test_obj").active_objs == per + 1,
		   "destroyed with objects");
	for (i = 0; i <= per; i++)
		kmem_cache_free(c, objs[i]);
	info = stats_of("test_obj");
	ktap_check(ok,
		   info.active_objs == 0 && info.active_slabs == 0 &&
			   info.num_slabs == 1,
		   "after free: active %lu, slabs %lu/%lu", info.active_objs,
		   info.active_slabs, info.num_slabs);
	ktap_check(ok, kmem_cache_shrink(c) == 1, "shrink");
	ktap_check(ok, atomic_long_read(&slab_bad_frees) == bad,
		   "spurious bad free");
	kmem_cache_destroy(c);
	free(objs);
	ktap_check(ok, stats_of("kmem_cache").active_objs == caches,
		   "struct kmem_cache not freed");
	return ok;
}

static bool test_slabinfo(void)
{
	static char buf[8192];
	struct slabinfo info;
	void *p = kmalloc(64, GFP_KERNEL);
	unsigned long active, num, as, ns;
	unsigned int size, per, pages;
	char *line;
	bool ok = true;
	int n;

	info = stats_of("kmalloc-64");
	n = slabinfo_show(buf, sizeof(buf));
	ktap_check(ok, n > 0 && !strncmp(buf, "slabinfo - version: 2.1\n", 24),
		   "header");
	line = strstr(buf, "\nkmalloc-64 ");
	ktap_check(ok, line != NULL, "no kmalloc-64 line");
	if (!line)
		return false;
	n = sscanf(
		line + 1,
		"kmalloc-64 %lu %lu %u %u %u : tunables %*u %*u %*u : slabdata %lu %lu",
		&active, &num, &size, &per, &pages, &as, &ns);
	ktap_check(ok, n == 7, "parsed %d fields", n);
	ktap_check(ok,
		   active == info.active_objs && num == info.num_objs &&
			   size == info.size && per == info.objects_per_slab &&
			   pages == info.pages_per_slab &&
			   as == info.active_slabs && ns == info.num_slabs,
		   "line disagrees with kmem_cache_get_info");
	ktap_check(ok, active >= 1 && size >= 64, "active %lu size %u", active,
		   size);
	kfree(p);
	return ok;
}

static bool test_double_kfree(void)
{
	long bad = atomic_long_read(&slab_bad_frees);
	unsigned long active;
	char *p = kmalloc(64, GFP_KERNEL), *a, *b;
	bool ok = true;

	kfree(p);
	active = stats_of("kmalloc-64").active_objs;
	kfree(p);
	ktap_check(ok, atomic_long_read(&slab_bad_frees) == bad + 1,
		   "double kfree not reported");
	ktap_check(ok, stats_of("kmalloc-64").active_objs == active,
		   "double kfree changed the count");
	a = kmalloc(64, GFP_KERNEL);
	b = kmalloc(64, GFP_KERNEL);
	ktap_check(ok, a && b && a != b, "same object twice: %p %p", (void *)a,
		   (void *)b);
	kfree(a);
	kfree(b);
	return ok;
}

static bool test_invalid_frees(void)
{
	struct kmem_cache *c = kmem_cache_create("other", 64, 0, 0, NULL);
	long bad = atomic_long_read(&slab_bad_frees);
	long pbad = atomic_long_read(&page_alloc_bad_frees);
	char *p = kmalloc(64, GFP_KERNEL), *big = kmalloc(20000, GFP_KERNEL);
	char local;
	bool ok = true;

	kfree(p + 8); /* inside an object */
	kmem_cache_free(c, p); /* another cache's object */
	kfree(&local); /* not a kernel address at all */
	kfree(big + 100); /* inside a page allocation */
	ktap_check(ok, atomic_long_read(&slab_bad_frees) == bad + 4,
		   "%ld reported", atomic_long_read(&slab_bad_frees) - bad);
	/* The page allocator reports these: a tail page, a double free. */
	kfree(big + PAGE_SIZE);
	kfree(p);
	kfree(big);
	kfree(big);
	ktap_check(ok, atomic_long_read(&page_alloc_bad_frees) == pbad + 2,
		   "%ld reported",
		   atomic_long_read(&page_alloc_bad_frees) - pbad);
	ktap_check(ok, atomic_long_read(&slab_bad_frees) == bad + 4,
		   "valid frees reported");
	kmem_cache_destroy(c);
	return ok && kmalloc_active() == 0;
}

static bool test_redzone(void)
{
	long corrupt = atomic_long_read(&slab_corruptions);
	char *p = kmalloc(64, GFP_KERNEL), *q = kmalloc(64, GFP_KERNEL), *r;
	bool ok = true;

	p[64] = 0; /* one byte past the end */
	kfree(p);
	ktap_check(ok, atomic_long_read(&slab_corruptions) == corrupt + 1,
		   "overrun not found");
	q[-1] = 0; /* one byte before the start */
	kfree(q);
	ktap_check(ok, atomic_long_read(&slab_corruptions) == corrupt + 2,
		   "underrun not found");
	r = kmalloc(64, GFP_KERNEL); /* the red zones were repaired */
	kfree(r);
	ktap_check(ok, atomic_long_read(&slab_corruptions) == corrupt + 2,
		   "spurious report");
	return ok && kmalloc_active() == 0;
}

static bool test_use_after_free(void)
{
	long corrupt = atomic_long_read(&slab_corruptions);
	char *p = kmalloc(192, GFP_KERNEL), *held[256];
	bool ok = true;
	int n = 0, i;

	kfree(p);
	ktap_check(ok, (unsigned char)p[0] == 0x6b, "not poisoned");
	p[10] = 1;
	do
		held[n] = kmalloc(192, GFP_KERNEL);
	while (held[n++] != p && n < 256);
	ktap_check(ok, held[n - 1] == p, "object not reused");
	ktap_check(ok, atomic_long_read(&slab_corruptions) == corrupt + 1,
		   "use after free not reported");
	for (i = 0; i < n; i++)
		kfree(held[i]);
	return ok && kmalloc_active() == 0;
}

static bool test_krealloc(void)
{
	char *p = kmalloc(20, GFP_KERNEL), *q;
	bool ok = true;

	memcpy(p, "kestrel krealloc", 17);
	q = krealloc(p, 24, GFP_KERNEL);
	ktap_check(ok, q == p, "fits in kmalloc-32: moved");
	q = krealloc(p, 3000, GFP_KERNEL);
	ktap_check(ok, q && !strcmp(q, "kestrel krealloc"), "contents lost");
	ktap_check(ok, ksize(q) == 4096, "ksize %zu", ksize(q));
	ktap_check(ok, krealloc(q, 0, GFP_KERNEL) == ZERO_SIZE_PTR, "size 0");
	return ok && kmalloc_active() == 0;
}

static unsigned long long rng_state = 0x2545f4914f6cdd1dULL;

static unsigned long rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned long)(rng_state >> 11);
}

static bool pattern_intact(const unsigned char *p, size_t size, int slot)
{
	size_t i;

	for (i = 0; i < size; i++)
		if (p[i] != (unsigned char)(slot * 7 + i))
			return false;
	return true;
}

static bool test_random_stress(void)
{
	static unsigned char *ptr[STRESS_SLOTS];
	static size_t len[STRESS_SLOTS];
	unsigned long free = nr_free_pages();
	long corrupt = atomic_long_read(&slab_corruptions);
	bool ok = true;
	int op, i;
	size_t j;

	for (op = 0; op < STRESS_OPS && ok; op++) {
		i = rng() % STRESS_SLOTS;
		if (ptr[i]) {
			ktap_check(ok, pattern_intact(ptr[i], len[i], i),
				   "slot %d (%zu bytes) overwritten", i,
				   len[i]);
			kfree(ptr[i]);
			ptr[i] = NULL;
			continue;
		}
		/* mostly small sizes, some up to 10000 */
		len[i] = rng() % 4 ? 1 + rng() % 300 :
				     1 + rng() % STRESS_MAX_SIZE;
		ptr[i] = kmalloc(len[i], GFP_KERNEL);
		ktap_check(ok, ptr[i] && ksize(ptr[i]) >= len[i],
			   "kmalloc(%zu)", len[i]);
		for (j = 0; ptr[i] && j < len[i]; j++)
			ptr[i][j] = (unsigned char)(i * 7 + j);
	}
	for (i = 0; i < STRESS_SLOTS; i++)
		if (ptr[i]) {
			ktap_check(ok, pattern_intact(ptr[i], len[i], i),
				   "slot %d overwritten", i);
			kfree(ptr[i]);
		}
	ktap_check(ok, kmalloc_active() == 0, "%lu objects leaked",
		   kmalloc_active());
	ktap_check(ok, atomic_long_read(&slab_corruptions) == corrupt,
		   "corruption reported");
	/* Only the kept empty slabs (one per cache) stay out of the buddy. */
	ktap_check(ok, free - nr_free_pages() <= 13 * 8, "%lu pages held",
		   free - nr_free_pages());
	return ok;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	host_mm_boot(RAM_BYTES);
	kmem_cache_init();
	ktap_plan(12);
	ktap_result(test_each_class(), "each_size_class");
	ktap_result(test_alignment(), "alignment");
	ktap_result(test_kzalloc(), "kzalloc");
	ktap_result(test_large_kmalloc(), "large_kmalloc");
	ktap_result(test_cache_lifecycle(), "cache_lifecycle");
	ktap_result(test_slabinfo(), "slabinfo");
	ktap_result(test_double_kfree(), "double_kfree");
	ktap_result(test_invalid_frees(), "invalid_frees");
	ktap_result(test_redzone(), "redzone");
	ktap_result(test_use_after_free(), "use_after_free");
	ktap_result(test_krealloc(), "krealloc");
	ktap_result(test_random_stress(), "random_stress_100000");
	return ktap_finish();
}
