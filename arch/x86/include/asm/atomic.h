/*
 * atomic_t: an int that several CPUs (or a CPU and an interrupt handler)
 * may change at once without a lock.
 *
 * Each read-modify-write is one x86 instruction with the `lock` prefix,
 * which makes it atomic across processors (Intel SDM vol. 3A, 9.1.2.2
 * "Software Controlled Bus Locking"). `xadd` returns the old value
 * (SDM vol. 2B, XADD), from which the new one follows; that is all the
 * kernel's reference counts need. Plain reads and writes of an aligned
 * int are atomic by themselves (SDM vol. 3A, 9.1.1) and need only
 * READ_ONCE/WRITE_ONCE so the compiler neither tears nor caches them.
 *
 * Every operation that returns a value is a full memory barrier (a
 * locked instruction orders all loads and stores around it, SDM vol. 3A,
 * 9.2.2), as Linux documents for its atomic_*_return() family.
 */
#ifndef _ASM_X86_ATOMIC_H
#define _ASM_X86_ATOMIC_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>

typedef struct {
	int counter;
} atomic_t;

#define ATOMIC_INIT(i) \
	{              \
		(i)    \
	}

static inline int atomic_read(const atomic_t *v)
{
	return READ_ONCE(v->counter);
}

static inline void atomic_set(atomic_t *v, int i)
{
	WRITE_ONCE(v->counter, i);
}

/* Add @i to @v and return the new value; a full barrier. */
static inline int atomic_add_return(int i, atomic_t *v)
{
	int old = i;

	__asm__ __volatile__("lock; xaddl %0, %1"
			     : "+r"(old), "+m"(v->counter)
			     :
			     : "memory");
	return old + i;
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

static inline void atomic_inc(atomic_t *v)
{
	atomic_add_return(1, v);
}

static inline void atomic_dec(atomic_t *v)
{
	atomic_add_return(-1, v);
}

/* Subtract @i from @v; true when the result is zero. */
static inline bool atomic_sub_and_test(int i, atomic_t *v)
{
	return atomic_sub_return(i, v) == 0;
}

static inline bool atomic_dec_and_test(atomic_t *v)
{
	return atomic_dec_return(v) == 0;
}

/*
 * If @v holds @old, store @new in it. Returns the value @v held before,
 * so the exchange happened when that equals @old (SDM vol. 2A, CMPXCHG).
 */
static inline int atomic_cmpxchg(atomic_t *v, int old, int new)
{
	int prev;

	__asm__ __volatile__("lock; cmpxchgl %2, %1"
			     : "=a"(prev), "+m"(v->counter)
			     : "r"(new), "0"(old)
			     : "memory");
	return prev;
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

#endif /* _ASM_X86_ATOMIC_H */
