/*
 * Host unit tests of lib/bitmap.c and the bit operations of
 * <kestrel/bitops.h>: a few hand-made maps with their expected answers,
 * then random maps of every size from 0 to 200 bits checked against an
 * array of bools, with the unused bits of the last word set to garbage
 * (no search and no count may see them).
 */
#include <stdlib.h>

#include "ktap.h"

#include "lib_rename.h"
#include <kestrel/bitmap.h>
#include <kestrel/compiler.h>

#define CHECK(cond, ...) ktap_check(ok, cond, __VA_ARGS__)
#define MAX_BITS 200
#define ROUNDS 20

/* The oracle: one bool per bit. */
static bool model[MAX_BITS];
static DECLARE_BITMAP(map, MAX_BITS + BITS_PER_LONG);

/* Fill @map and @model at random, the bits past @nbits with garbage. */
static void random_map(unsigned int nbits, unsigned int density)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		map[i] = ~0UL;
	for (i = 0; i < nbits; i++) {
		model[i] = (unsigned int)rand() % 100 < density;
		__assign_bit(i, map, model[i]);
	}
}

static unsigned int model_next(unsigned int nbits, unsigned int from, bool v)
{
	while (from < nbits && model[from] != v)
		from++;
	return from < nbits ? from : nbits;
}

static bool check_hand_made(void)
{
	DECLARE_BITMAP(m, 64);
	bool ok = true;

	/* bits 0, 1, 2 and 40: word 0 = 0x7, bit 8 of word 1 on i386 */
	bitmap_zero(m, 64);
	bitmap_set(m, 0, 3);
	__set_bit(40, m);
	CHECK(find_first_zero_bit(m, 64) == 3, "first zero");
	CHECK(find_next_bit(m, 64, 1) == 1, "next set from 1");
	CHECK(find_next_bit(m, 64, 3) == 40, "next set from 3");
	CHECK(find_next_bit(m, 40, 3) == 40, "none below size 40");
	CHECK(find_last_bit(m, 64) == 40, "last");
	CHECK(find_last_bit(m, 40) == 2, "last below 40");
	CHECK(bitmap_weight(m, 64) == 4, "weight %u", bitmap_weight(m, 64));
	CHECK(find_next_bit(m, 64, 64) == 64, "offset at size");
	CHECK(find_next_zero_bit(m, 0, 0) == 0, "empty map");
	CHECK(find_last_bit(m, 0) == 0, "empty map, last");
	bitmap_clear(m, 1, 40);
	CHECK(m[0] == 1 && find_next_bit(m, 64, 1) == 64, "clear 1..40");
	CHECK(__test_and_set_bit(0, m) && !__test_and_set_bit(63, m),
	      "test_and_set");
	CHECK(hweight_long(~0UL) == BITS_PER_LONG && hweight_long(0) == 0 &&
		      hweight_long(0x5a) == 4,
	      "hweight_long");
	return ok;
}

/* Every search from every offset of random maps of every size. */
static bool check_searches(void)
{
	unsigned int nbits, round, off;
	bool ok = true;

	for (nbits = 0; nbits <= MAX_BITS && ok; nbits++) {
		for (round = 0; round < ROUNDS; round++) {
			unsigned int last = nbits, i;

			random_map(nbits, round * 5);
			for (off = 0; off <= nbits + 1; off++) {
				CHECK(find_next_bit(map, nbits, off) ==
					      model_next(nbits, off, true),
				      "next_bit size %u off %u", nbits, off);
				CHECK(find_next_zero_bit(map, nbits, off) ==
					      model_next(nbits, off, false),
				      "next_zero size %u off %u", nbits, off);
			}
			for (i = 0; i < nbits; i++)
				if (model[i])
					last = i;
			CHECK(find_last_bit(map, nbits) == last, "last size %u",
			      nbits);
		}
	}
	return ok;
}

/* Weight and for_each_set_bit against the model. */
static bool check_weight(void)
{
	unsigned int nbits, i, bit, n;
	bool ok = true;

	for (nbits = 0; nbits <= MAX_BITS && ok; nbits++) {
		random_map(nbits, 50);
		n = 0;
		for (i = 0; i < nbits; i++)
			n += model[i];
		CHECK(bitmap_weight(map, nbits) == n, "weight size %u", nbits);
		i = 0;
		for_each_set_bit(bit, map, nbits)
		{
			i = model_next(nbits, i, true);
			CHECK(bit == i, "for_each size %u: %u, not %u", nbits,
			      bit, i);
			i++;
		}
		CHECK(model_next(nbits, i, true) == nbits, "for_each missed");
	}
	return ok;
}

/* bitmap_set and bitmap_clear of every range touch that range only. */
static bool check_ranges(void)
{
	unsigned int start, nr, i;
	bool ok = true;

	for (start = 0; start < MAX_BITS && ok; start += 3) {
		for (nr = 0; start + nr <= MAX_BITS; nr += 7) {
			bool value = (start + nr) % 2;

			random_map(MAX_BITS, 50);
			if (value)
				bitmap_set(map, start, nr);
			else
				bitmap_clear(map, start, nr);
			for (i = start; i < start + nr; i++)
				model[i] = value;
			for (i = 0; i < MAX_BITS; i++)
				CHECK(test_bit(i, map) == model[i],
				      "range %u+%u, bit %u", start, nr, i);
			CHECK(test_bit(MAX_BITS, map), "past the end touched");
		}
	}
	return ok;
}

int main(void)
{
	srand(11);
	ktap_plan(4);
	ktap_result(check_hand_made(), "hand_made");
	ktap_result(check_searches(), "searches");
	ktap_result(check_weight(), "weight_and_for_each");
	ktap_result(check_ranges(), "set_and_clear_ranges");
	return ktap_finish();
}
