/*
 * Host benchmarks of the page and slab allocators (mm/page_alloc.c and
 * mm/slab.c, built without CONFIG_DEBUG and without sanitizers). Each
 * figure is the median of several timed runs of an alloc+free loop:
 *
 *   BENCH buddy_order0_alloc_free <ns> ns/op
 *   BENCH buddy_order3_alloc_free <ns> ns/op
 *   BENCH kmalloc64_kfree <ns> ns/op
 *
 * An order-0 alloc+free on a fresh zone splits a 4 MiB block ten times
 * and merges it back ten times: that is the cost measured (Kestrel has
 * no per-CPU page lists).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "shim/shim.h"
#include <kestrel/mm.h>
#include <kestrel/slab.h>

#define RAM_BYTES (64UL << 20)
#define REPEATS 7

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void buddy_loop(unsigned long iters, unsigned int order)
{
	unsigned long i;

	for (i = 0; i < iters; i++) {
		struct page *page = alloc_pages(GFP_KERNEL, order);

		if (!page)
			abort();
		__free_pages(page, order);
	}
}

static void order0(unsigned long iters)
{
	buddy_loop(iters, 0);
}

static void order3(unsigned long iters)
{
	buddy_loop(iters, 3);
}

static void kmalloc64(unsigned long iters)
{
	unsigned long i;

	for (i = 0; i < iters; i++) {
		void *p = kmalloc(64, GFP_KERNEL);

		if (!p)
			abort();
		kfree(p);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median over REPEATS runs of @fn, in ns per iteration. */
static double measure(void (*fn)(unsigned long), unsigned long iters)
{
	double t[REPEATS], start;
	int r;

	fn(iters / 10); /* warm up */
	for (r = 0; r < REPEATS; r++) {
		start = now_ns();
		fn(iters);
		t[r] = (now_ns() - start) / iters;
	}
	qsort(t, REPEATS, sizeof(t[0]), cmp_double);
	return t[REPEATS / 2];
}

int main(void)
{
	host_printk_quiet = 1;
	host_mm_boot(RAM_BYTES);
	kmem_cache_init();
	printf("BENCH buddy_order0_alloc_free %.1f ns/op\n",
	       measure(order0, 2000000));
	printf("BENCH buddy_order3_alloc_free %.1f ns/op\n",
	       measure(order3, 2000000));
	printf("BENCH kmalloc64_kfree %.1f ns/op\n",
	       measure(kmalloc64, 5000000));
	return 0;
}
