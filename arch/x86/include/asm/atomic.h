/*
 * The x86 instructions behind <kestrel/atomic.h>: include that header,
 * not this one; the rules (which operation orders what) are written
 * there.
 *
 * Each read-modify-write is one instruction with the `lock` prefix,
 * which makes it atomic across processors (Intel SDM vol. 3A, 9.1.2.2
 * "Software Controlled Bus Locking") and a full memory barrier: loads
 * and stores are not reordered across a locked instruction (SDM vol.
 * 3A, 9.2.2). `xchg` with a memory operand is locked without the prefix
 * (SDM vol. 2B, XCHG). Plain reads and writes of an aligned word are
 * atomic by themselves (SDM vol. 3A, 9.1.1) and need only READ_ONCE/
 * WRITE_ONCE, so the compiler neither tears nor caches them. The
 * "memory" clobber on every instruction keeps the compiler, too, from
 * moving memory accesses across it.
 *
 * The instructions take no size suffix: the assembler sizes them from
 * the register operand, so one macro serves an int and a long (and the
 * host unit tests, built for x86-64, run the same instructions).
 */
#ifndef _ASM_X86_ATOMIC_H
#define _ASM_X86_ATOMIC_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>

/* Add @i to *@p; returns the old value (SDM vol. 2B, XADD). */
#define arch_xadd(p, i)                                        \
	({                                                     \
		__typeof__(*(p)) __ret = (i);                  \
		__asm__ __volatile__("lock; xadd %0, %1"       \
				     : "+r"(__ret), "+m"(*(p)) \
				     :                         \
				     : "memory");              \
		__ret;                                         \
	})

/* Store @v in *@p; returns the old value (SDM vol. 2B, XCHG). */
#define xchg(p, v)                                             \
	({                                                     \
		__typeof__(*(p)) __ret = (v);                  \
		__asm__ __volatile__("xchg %0, %1"             \
				     : "+r"(__ret), "+m"(*(p)) \
				     :                         \
				     : "memory");              \
		__ret;                                         \
	})

/*
 * If *@p holds @old, store @new in it. Returns the value *@p held
 * before: the exchange happened when that equals @old (SDM vol. 2A,
 * CMPXCHG).
 */
#define cmpxchg(p, old, new)                                         \
	({                                                           \
		__typeof__(*(p)) __ret;                              \
		__asm__ __volatile__("lock; cmpxchg %2, %1"          \
				     : "=a"(__ret), "+m"(*(p))       \
				     : "r"((__typeof__(*(p)))(new)), \
				       "0"((__typeof__(*(p)))(old))  \
				     : "memory");                    \
		__ret;                                               \
	})

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	long counter;
} atomic_long_t;

#define ATOMIC_INIT(i) \
	{              \
		(i)    \
	}
#define ATOMIC_LONG_INIT(i) ATOMIC_INIT(i)

static inline int atomic_read(const atomic_t *v)
{
	return READ_ONCE(v->counter);
}

static inline void atomic_set(atomic_t *v, int i)
{
	WRITE_ONCE(v->counter, i);
}

/* Add @i to @v and return the new value. */
static inline int atomic_add_return(int i, atomic_t *v)
{
	return i + arch_xadd(&v->counter, i);
}

static inline int atomic_xchg(atomic_t *v, int i)
{
	return xchg(&v->counter, i);
}

static inline int atomic_cmpxchg(atomic_t *v, int old, int new)
{
	return cmpxchg(&v->counter, old, new);
}

static inline long atomic_long_read(const atomic_long_t *v)
{
	return READ_ONCE(v->counter);
}

static inline void atomic_long_set(atomic_long_t *v, long i)
{
	WRITE_ONCE(v->counter, i);
}

static inline long atomic_long_add_return(long i, atomic_long_t *v)
{
	return i + arch_xadd(&v->counter, i);
}

/*
 * Bit @nr of the bitmap at @addr (bit 0 is the lowest of addr[0]; @nr
 * may pass the first word). `bts`/`btr` with a register offset address
 * the whole bit string (SDM vol. 2A, BTS) and leave the bit's old value
 * in the carry flag, which the "=@ccc" output (a GCC flag output)
 * returns.
 */
static inline void set_bit(long nr, volatile unsigned long *addr)
{
	__asm__ __volatile__("lock; bts %1, %0"
			     : "+m"(*addr)
			     : "r"(nr)
			     : "memory");
}

static inline void clear_bit(long nr, volatile unsigned long *addr)
{
	__asm__ __volatile__("lock; btr %1, %0"
			     : "+m"(*addr)
			     : "r"(nr)
			     : "memory");
}

static inline bool test_and_set_bit(long nr, volatile unsigned long *addr)
{
	bool old;

	__asm__ __volatile__("lock; bts %2, %1"
			     : "=@ccc"(old), "+m"(*addr)
			     : "r"(nr)
			     : "memory");
	return old;
}

static inline bool test_and_clear_bit(long nr, volatile unsigned long *addr)
{
	bool old;

	__asm__ __volatile__("lock; btr %2, %1"
			     : "=@ccc"(old), "+m"(*addr)
			     : "r"(nr)
			     : "memory");
	return old;
}

#endif /* _ASM_X86_ATOMIC_H */
