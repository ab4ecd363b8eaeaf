/*
 * Host unit tests of lib/ida.c: the lowest-free and the cyclic orders
 * with the pictures of <kestrel/ida.h>, growth past the first word, a
 * full range, allocation failure while growing, a double free, and a
 * random workload checked against an array of bools.
 *
 * kmalloc() and kfree() are glibc's here (AddressSanitizer watches the
 * bitmaps), with a switch that makes the next allocations fail.
 */
#include <stdlib.h>

#include "ktap.h"
#include "shim.h"

#include "lib_rename.h"
#include <kestrel/bitops.h>
#include <kestrel/errno.h>
#include <kestrel/ida.h>
#include <kestrel/slab.h>

#define CHECK(cond, ...) ktap_check(ok, cond, __VA_ARGS__)
#define RANDOM_IDS 1000
#define RANDOM_OPS 20000

static bool fail_kmalloc;
static unsigned long nr_kmalloc;

void *kmalloc(size_t size, gfp_t gfp)
{
	if (fail_kmalloc)
		return NULL;
	nr_kmalloc++;
	return (gfp & __GFP_ZERO) ? calloc(1, size) : malloc(size);
}

void kfree(const void *obj)
{
	free((void *)obj);
}

static bool check_lowest(void)
{
	DEFINE_IDA(ida);
	bool ok = true;

	CHECK(ida_alloc_range(&ida, 1, 9, GFP_KERNEL) == 1, "first");
	CHECK(ida_alloc_range(&ida, 1, 9, GFP_KERNEL) == 2, "second");
	CHECK(ida_alloc_range(&ida, 1, 9, GFP_KERNEL) == 3, "third");
	ida_free(&ida, 2);
	CHECK(ida_alloc_range(&ida, 1, 9, GFP_KERNEL) == 2, "reused at once");
	CHECK(ida_alloc_range(&ida, 5, 5, GFP_KERNEL) == 5, "one-ID range");
	CHECK(ida_alloc_range(&ida, 5, 5, GFP_KERNEL) == -ENOSPC, "taken");
	CHECK(ida_alloc_range(&ida, 6, 5, GFP_KERNEL) == -ENOSPC, "empty");
	CHECK(ida_alloc(&ida, GFP_KERNEL) == 0, "ida_alloc from 0");
	CHECK(ida_get_cursor(&ida) == 1, "cursor after 0");
	ida_destroy(&ida);
	CHECK(ida_alloc_range(&ida, 1, 9, GFP_KERNEL) == 1, "after destroy");
	ida_destroy(&ida);
	return ok;
}

static bool check_cyclic(void)
{
	DEFINE_IDA(ida);
	bool ok = true;
	int i;

	for (i = 1; i <= 3; i++)
		CHECK(ida_alloc_cyclic(&ida, 1, 9, GFP_KERNEL) == i, "id %d",
		      i);
	ida_free(&ida, 2);
	for (i = 4; i <= 9; i++)
		CHECK(ida_alloc_cyclic(&ida, 1, 9, GFP_KERNEL) == i, "id %d",
		      i);
	CHECK(ida_alloc_cyclic(&ida, 1, 9, GFP_KERNEL) == 2, "wrapped to 2");
	CHECK(ida_alloc_cyclic(&ida, 1, 9, GFP_KERNEL) == -ENOSPC, "full");
	ida_free(&ida, 7);
	ida_free(&ida, 3);
	CHECK(ida_alloc_cyclic(&ida, 1, 9, GFP_KERNEL) == 3, "after 2: 3");
	CHECK(ida_alloc_cyclic(&ida, 1, 9, GFP_KERNEL) == 7, "after 3: 7");
	/* A different floor on the wrap: PIDs wrap to RESERVED_PIDS. */
	ida_free(&ida, 1);
	ida_free(&ida, 5);
	CHECK(ida_alloc_cyclic(&ida, 4, 9, GFP_KERNEL) == 5, "floor 4");
	ida_destroy(&ida);
	return ok;
}

/* The map grows by doubling, and never past what the range needs. */
static bool check_growth(void)
{
	DEFINE_IDA(ida);
	bool ok = true;
	int i;

	for (i = 0; i < 1000; i++)
		CHECK(ida_alloc(&ida, GFP_KERNEL) == i, "id %d", i);
	CHECK(ida.nbits == 1024, "nbits %u", ida.nbits);
	ida_destroy(&ida);

	CHECK(ida_alloc_range(&ida, 300, 320, GFP_KERNEL) == 300, "from 300");
	CHECK(ida.nbits == BITS_TO_LONGS(321) * BITS_PER_LONG,
	      "capped at the range: %u", ida.nbits);
	CHECK(ida_alloc_range(&ida, 0, 0, GFP_KERNEL) == 0, "id 0");
	CHECK(ida_alloc_range(&ida, IDA_MAX + 1U, ~0U, GFP_KERNEL) == -ENOSPC,
	      "above IDA_MAX");
	ida_destroy(&ida);
	return ok;
}

/* A failed growth is -ENOMEM and leaves the IDA as it was. */
static bool check_nomem(void)
{
	DEFINE_IDA(ida);
	bool ok = true;
	int i;

	for (i = 0; i < BITS_PER_LONG; i++)
		ida_alloc(&ida, GFP_KERNEL);
	fail_kmalloc = true;
	CHECK(ida_alloc(&ida, GFP_KERNEL) == -ENOMEM, "no memory to grow");
	ida_free(&ida, 5);
	CHECK(ida_alloc(&ida, GFP_KERNEL) == 5, "no growth needed");
	fail_kmalloc = false;
	CHECK(ida_alloc(&ida, GFP_KERNEL) == BITS_PER_LONG, "grown");
	ida_destroy(&ida);
	return ok;
}

static bool check_bad_free(void)
{
	unsigned long warns = host_warn_calls;
	DEFINE_IDA(ida);
	bool ok = true;

	ida_free(&ida, 3);
	CHECK(host_warn_calls == warns + 1, "free of an empty IDA warns");
	CHECK(ida_alloc(&ida, GFP_KERNEL) == 0, "alloc");
	ida_free(&ida, 0);
	ida_free(&ida, 0);
	CHECK(host_warn_calls == warns + 2, "double free warns");
	CHECK(ida_alloc(&ida, GFP_KERNEL) == 0, "0 is free once");
	CHECK(ida_alloc(&ida, GFP_KERNEL) == 1, "and only once");
	ida_destroy(&ida);
	return ok;
}

/* The lowest free ID of @used in [min, max], or -ENOSPC. */
static int model_lowest(const bool *used, int min, int max)
{
	for (; min <= max; min++)
		if (!used[min])
			return min;
	return -ENOSPC;
}

/* Random allocations and frees in both orders against the model. */
static bool check_random(void)
{
	static bool used[RANDOM_IDS];
	DEFINE_IDA(ida);
	int op, id, want, last = -1;
	bool ok = true;

	for (op = 0; op < RANDOM_OPS && ok; op++) {
		int min = rand() % 100, max = RANDOM_IDS - 1 - rand() % 100;
		bool cyclic = op & 1;

		if (rand() % 3 == 0) {
			id = rand() % RANDOM_IDS;
			if (used[id]) {
				ida_free(&ida, (unsigned int)id);
				used[id] = false;
			}
			continue;
		}
		want = model_lowest(used, min, max);
		if (cyclic && last + 1 > min && last + 1 <= max &&
		    model_lowest(used, last + 1, max) >= 0)
			want = model_lowest(used, last + 1, max);
		id = cyclic ? ida_alloc_cyclic(&ida, min, max, GFP_KERNEL) :
			      ida_alloc_range(&ida, min, max, GFP_KERNEL);
		CHECK(id == want, "op %d [%d, %d]%s: %d, not %d", op, min, max,
		      cyclic ? " cyclic" : "", id, want);
		if (id >= 0) {
			used[id] = true;
			last = id;
		}
	}
	ida_destroy(&ida);
	return ok;
}

int main(void)
{
	srand(11);
	ktap_plan(6);
	ktap_result(check_lowest(), "lowest_free");
	ktap_result(check_cyclic(), "cyclic");
	ktap_result(check_growth(), "growth");
	ktap_result(check_nomem(), "nomem_while_growing");
	ktap_result(check_bad_free(), "bad_free_warns");
	ktap_result(check_random(), "random_against_model");
	return ktap_finish();
}
