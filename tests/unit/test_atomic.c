/*
 * Host unit tests of <kestrel/atomic.h> and <kestrel/kref.h>: what each
 * operation returns at the edges a reference count meets (the last put,
 * a get on zero, a failed cmpxchg), the bit operations past the first
 * word, and, with threads racing on one counter, that no increment is
 * lost and exactly one put sees zero. The host is x86 too, so these are
 * the kernel's own locked instructions (tests/unit/shim/asm/atomic.h).
 */
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <kestrel/atomic.h>
#include <kestrel/kref.h>

#include "ktap.h"

/* kref_get() on a dying object warns; count the warnings here. */
static int warnings;

void __warn(const char *file, int line, const char *cond)
{
	warnings++;
}

static bool test_arithmetic(void)
{
	atomic_t v = ATOMIC_INIT(5);
	bool ok = true;

	atomic_inc(&v);
	atomic_add(10, &v);
	atomic_sub(3, &v);
	atomic_dec(&v);
	ktap_check(ok, atomic_read(&v) == 12, "%d", atomic_read(&v));
	ktap_check(ok, atomic_inc_return(&v) == 13, "inc_return");
	ktap_check(ok, atomic_dec_return(&v) == 12, "dec_return");
	ktap_check(ok, atomic_add_return(-20, &v) == -8, "add_return");
	ktap_check(ok, atomic_sub_return(-8, &v) == 0, "sub_return");
	atomic_set(&v, INT_MAX);
	ktap_check(ok, atomic_read(&v) == INT_MAX, "set");
	return ok;
}

/* The last put, and only the last, sees zero. */
static bool test_dec_and_test(void)
{
	atomic_t v = ATOMIC_INIT(2);
	bool ok = true;

	ktap_check(ok, !atomic_dec_and_test(&v), "2 -> 1 is not the last");
	ktap_check(ok, atomic_dec_and_test(&v), "1 -> 0 is the last");
	ktap_check(ok, !atomic_dec_and_test(&v), "0 -> -1 is not zero");
	ktap_check(ok, atomic_read(&v) == -1, "%d", atomic_read(&v));
	atomic_set(&v, 7);
	ktap_check(ok, !atomic_sub_and_test(6, &v), "7 - 6");
	ktap_check(ok, atomic_sub_and_test(1, &v), "1 - 1");
	return ok;
}

/* A lookup must not revive an object whose count reached zero. */
static bool test_inc_not_zero(void)
{
	atomic_t v = ATOMIC_INIT(0);
	bool ok = true;

	ktap_check(ok, !atomic_inc_not_zero(&v), "taken on zero");
	ktap_check(ok, atomic_read(&v) == 0, "zero changed: %d",
		   atomic_read(&v));
	atomic_set(&v, 3);
	ktap_check(ok, atomic_inc_not_zero(&v), "refused on 3");
	ktap_check(ok, atomic_read(&v) == 4, "%d", atomic_read(&v));
	ktap_check(ok, !atomic_add_unless(&v, 5, 4), "added to the 'unless'");
	ktap_check(ok, atomic_add_unless(&v, -5, 3), "refused");
	ktap_check(ok, atomic_read(&v) == -1, "%d", atomic_read(&v));
	return ok;
}

static bool test_cmpxchg_xchg(void)
{
	atomic_t v = ATOMIC_INIT(10);
	uint32_t pte = 0x1234067;
	bool ok = true;

	ktap_check(ok, atomic_cmpxchg(&v, 10, 20) == 10, "did not swap");
	ktap_check(ok, atomic_read(&v) == 20, "%d", atomic_read(&v));
	ktap_check(ok, atomic_cmpxchg(&v, 10, 30) == 20, "wrong old value");
	ktap_check(ok, atomic_read(&v) == 20, "a failed cmpxchg stored");
	ktap_check(ok, atomic_xchg(&v, -4) == 20, "xchg old value");
	ktap_check(ok, atomic_read(&v) == -4, "%d", atomic_read(&v));
	/* ptep_get_and_clear()'s use: take the whole entry, leave zero. */
	ktap_check(ok, xchg(&pte, 0) == 0x1234067 && pte == 0, "xchg u32");
	return ok;
}

static bool test_long(void)
{
	atomic_long_t v = ATOMIC_LONG_INIT(LONG_MAX - 2);
	bool ok = true;

	ktap_check(ok, atomic_long_inc_return(&v) == LONG_MAX - 1, "inc");
	atomic_long_inc(&v);
	ktap_check(ok, atomic_long_read(&v) == LONG_MAX, "the full width");
	atomic_long_dec(&v);
	atomic_long_dec(&v);
	ktap_check(ok, atomic_long_read(&v) == LONG_MAX - 2, "dec");
	atomic_long_set(&v, -1);
	ktap_check(ok, atomic_long_add_return(2, &v) == 1, "add_return");
	return ok;
}

static bool test_bitops(void)
{
	const long word = 8 * sizeof(unsigned long);
	unsigned long map[2] = { 0, 0 };
	bool ok = true;

	set_bit(0, map);
	set_bit(5, map);
	set_bit(word + 3, map); /* in the second word */
	ktap_check(ok, map[0] == 0x21 && map[1] == 0x8, "%lx %lx", map[0],
		   map[1]);
	ktap_check(ok, test_bit(5, map) && !test_bit(4, map), "test_bit");
	ktap_check(ok, test_bit(word + 3, map), "test_bit, second word");
	clear_bit(0, map);
	ktap_check(ok, map[0] == 0x20, "clear_bit: %lx", map[0]);
	ktap_check(ok, !test_and_set_bit(7, map), "bit 7 was clear");
	ktap_check(ok, test_and_set_bit(7, map), "bit 7 was set");
	ktap_check(ok, test_and_clear_bit(word + 3, map) && map[1] == 0,
		   "test_and_clear_bit, second word");
	ktap_check(ok, !test_and_clear_bit(word + 3, map), "cleared twice");
	ktap_check(ok, map[0] == 0xa0, "%lx", map[0]);
	return ok;
}

struct obj {
	struct kref ref;
	int released;
};

static void obj_release(struct kref *ref)
{
	container_of(ref, struct obj, ref)->released++;
}

static bool test_kref(void)
{
	struct obj o = { .released = 0 };
	bool ok = true;

	kref_init(&o.ref);
	kref_get(&o.ref);
	ktap_check(ok, kref_read(&o.ref) == 2, "%u", kref_read(&o.ref));
	ktap_check(ok, kref_put(&o.ref, obj_release) == 0, "released at 1");
	ktap_check(ok, kref_put(&o.ref, obj_release) == 1 && o.released == 1,
		   "not released at 0");
	ktap_check(ok, !kref_get_unless_zero(&o.ref), "revived at 0");
	ktap_check(ok, warnings == 0, "spurious warning");
	kref_get(&o.ref); /* a bug: the object is being released */
	ktap_check(ok, warnings == 1, "kref_get on zero did not warn");
	return ok;
}

#define NR_THREADS 4
#define ROUNDS 1000000

static atomic_t race_count;
static atomic_t race_zeros;
static pthread_barrier_t race_start;

static void *racer(void *arg)
{
	bool drop = arg != NULL;
	int i;

	pthread_barrier_wait(&race_start); /* all at once, to collide */
	for (i = 0; i < ROUNDS; i++) {
		if (!drop)
			atomic_inc(&race_count);
		else if (atomic_dec_and_test(&race_count))
			atomic_inc(&race_zeros);
	}
	return NULL;
}

/* Run NR_THREADS racers at once; @drop: put instead of get. */
static void race(bool drop)
{
	pthread_t t[NR_THREADS];
	int i;

	pthread_barrier_init(&race_start, NULL, NR_THREADS);
	for (i = 0; i < NR_THREADS; i++)
		pthread_create(&t[i], NULL, racer, drop ? &race_count : NULL);
	for (i = 0; i < NR_THREADS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&race_start);
}

/* Gets lose nothing; of all the racing puts, exactly one sees zero. */
static bool test_threads(void)
{
	bool ok = true;

	race(false);
	ktap_check(ok, atomic_read(&race_count) == NR_THREADS * ROUNDS,
		   "lost increments: %d", atomic_read(&race_count));
	race(true);
	ktap_check(ok, atomic_read(&race_count) == 0, "%d",
		   atomic_read(&race_count));
	ktap_check(ok, atomic_read(&race_zeros) == 1, "%d puts saw zero",
		   atomic_read(&race_zeros));
	return ok;
}

int main(void)
{
	ktap_plan(8);
	ktap_result(test_arithmetic(), "arithmetic");
	ktap_result(test_dec_and_test(), "dec_and_test");
	ktap_result(test_inc_not_zero(), "inc_not_zero");
	ktap_result(test_cmpxchg_xchg(), "cmpxchg_xchg");
	ktap_result(test_long(), "long");
	ktap_result(test_bitops(), "bitops");
	ktap_result(test_kref(), "kref");
	ktap_result(test_threads(), "threads");
	return ktap_finish();
}
