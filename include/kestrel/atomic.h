/*
 * Atomic operations: atomic_t and atomic_long_t (an int and a long that
 * several CPUs, or a CPU and an interrupt handler, change at once
 * without a lock) and atomic bit operations on an unsigned long. The
 * instructions are in <asm/atomic.h>; this header is what code
 * includes, and its rule is the kernel's rule.
 *
 * Memory order, as Linux's Documentation/atomic_t.txt says in longer
 * words:
 *
 *  - An operation that changes the value AND returns something about it
 *    (atomic_inc_return, atomic_dec_and_test, atomic_cmpxchg,
 *    atomic_xchg, atomic_inc_not_zero, test_and_set_bit, ...) is fully
 *    ordered: every load and store written before it is done before it,
 *    every one written after it is done after it (C's __ATOMIC_SEQ_CST;
 *    on x86 one LOCK-prefixed instruction and a compiler barrier). A
 *    conditional operation that fails (cmpxchg that found another value,
 *    inc_not_zero on zero) orders nothing.
 *  - Every other operation is atomic but unordered ("relaxed"):
 *    atomic_read, atomic_set, atomic_inc/dec/add/sub, set_bit,
 *    clear_bit, test_bit. (On x86 the read-modify-writes among them are
 *    locked instructions too; code must not count on it.) A caller that
 *    needs order uses a returning operation, or a lock.
 *
 * Why this split: it is exactly what a reference count needs. Taking a
 * reference (atomic_inc) needs no order: the taker already holds a
 * reference, or a lock that keeps the object alive. Dropping one does:
 * everything the dropper did to the object must be finished before
 * another CPU can see the count reach zero and free it, and the freer
 * must see all of it; so a put is atomic_dec_and_test, fully ordered.
 * For an object with a release function, <kestrel/kref.h> wraps that
 * pattern. docs/locking.md lists the counts and who guards the rest.
 */
#ifndef _KESTREL_ATOMIC_H
#define _KESTREL_ATOMIC_H

#include <asm/atomic.h>
#include <kestrel/bitops.h> /* test_bit(), a plain (relaxed) read */

static inline void atomic_add(int i, atomic_t *v)
{
	atomic_add_return(i, v);
}

static inline void atomic_sub(int i, atomic_t *v)
{
	atomic_add_return(-i, v);
}

static inline void atomic_inc(atomic_t *v)
{
	atomic_add_return(1, v);
}

static inline void atomic_dec(atomic_t *v)
{
	atomic_add_return(-1, v);
}

static inline int atomic_sub_return(int i, atomic_t *v)
{
	return atomic_add_return(-i, v);
}

static inline int atomic_inc_return(atomic_t *v)
{
	return atomic_add_return(1, v);
}

static inline int atomic_dec_return(atomic_t *v)
{
	return atomic_add_return(-1, v);
}

/* Subtract @i from @v; true when the result is zero. */
static inline bool atomic_sub_and_test(int i, atomic_t *v)
{
	return atomic_sub_return(i, v) == 0;
}

/* Drop one from @v; true when that made it zero (the last put). */
static inline bool atomic_dec_and_test(atomic_t *v)
{
	return atomic_dec_return(v) == 0;
}

/* Add @a to @v unless it holds @u; true when the add was done. */
static inline bool atomic_add_unless(atomic_t *v, int a, int u)
{
	int c = atomic_read(v), prev;

	while (c != u) {
		prev = atomic_cmpxchg(v, c, c + a);
		if (prev == c)
			return true;
		c = prev;
	}
	return false;
}

/*
 * Take a reference unless the count is zero (the object is being
 * freed): for a lookup that finds an object it holds no reference to.
 */
static inline bool atomic_inc_not_zero(atomic_t *v)
{
	return atomic_add_unless(v, 1, 0);
}

static inline void atomic_long_inc(atomic_long_t *v)
{
	atomic_long_add_return(1, v);
}

static inline void atomic_long_dec(atomic_long_t *v)
{
	atomic_long_add_return(-1, v);
}

static inline long atomic_long_inc_return(atomic_long_t *v)
{
	return atomic_long_add_return(1, v);
}

#endif /* _KESTREL_ATOMIC_H */
