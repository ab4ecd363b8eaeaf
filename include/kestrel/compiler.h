/*
 * Compiler helpers shared by every part of the kernel: attributes,
 * branch hints, container_of, and the sparse annotations (__user,
 * __iomem) that `make check` verifies.
 */
#ifndef _KESTREL_COMPILER_H
#define _KESTREL_COMPILER_H

#include <stddef.h>

#ifdef __CHECKER__
#define __user __attribute__((noderef, address_space(1)))
#define __iomem __attribute__((noderef, address_space(2)))
#define __force __attribute__((force))
#else
#define __user
#define __iomem
#define __force
#endif

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define __section(s) __attribute__((section(s)))
#define __used __attribute__((used))
#define __unused __attribute__((unused))
#define __packed __attribute__((packed))
#define __aligned(n) __attribute__((aligned(n)))
#define __noreturn __attribute__((noreturn))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#ifndef __always_inline /* the C library defines it too (host tests) */
#define __always_inline inline __attribute__((always_inline))
#endif
#define __noinline __attribute__((noinline))
#define __cold __attribute__((cold))

/* A compiler barrier: memory accesses are not moved across it. */
#define barrier() __asm__ __volatile__("" : : : "memory")

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/**
 * container_of - the structure that embeds @ptr as its member @member
 */
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr)-offsetof(type, member)))

#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)

#endif /* _KESTREL_COMPILER_H */
