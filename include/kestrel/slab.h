/*
 * The slab allocator: caches of equal-sized objects, and kmalloc().
 *
 * A cache (struct kmem_cache) hands out objects of one size, carved from
 * slabs: blocks of 2^order pages from the page allocator. kmalloc() is a
 * set of such caches for sizes 8 to 8192 bytes; larger requests, and
 * __GFP_DMA ones, get whole pages from alloc_pages(). kfree() tells the
 * two apart from the struct page of the address (PG_slab).
 *
 * Errors are reported, not propagated into corruption: a double free or
 * a pointer that is not an object start is printed with a backtrace and
 * ignored (slab_bad_frees counts them). Debug builds (CONFIG_DEBUG) put
 * red zones around every object, checked on free, and fill free objects
 * with a poison pattern, checked on allocation (slab_corruptions counts
 * what they find).
 *
 * Context: every function here may be called from interrupt handlers
 * with GFP_ATOMIC, except kmem_cache_create() and kmem_cache_destroy(),
 * which are for process context. None sleeps today.
 */
#ifndef _KESTREL_SLAB_H
#define _KESTREL_SLAB_H

#include <kestrel/atomic.h>
#include <kestrel/gfp.h>
#include <kestrel/types.h>

/* kmem_cache_create() flags (Linux's values). */
#define SLAB_HWCACHE_ALIGN 0x00002000UL /* align objects to cache lines */
#define SLAB_PANIC 0x00040000UL /* panic if the cache cannot be created */

/* The largest kmalloc() served by a slab cache; above, whole pages. */
#define KMALLOC_MAX_CACHE_SIZE 8192
/* Minimum alignment of kmalloc() memory. */
#define ARCH_KMALLOC_MINALIGN 8

/* kmalloc(0) returns this: not NULL, and faults when used. */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((uintptr_t)(x) <= (uintptr_t)ZERO_SIZE_PTR)

struct kmem_cache;

/* Double frees and invalid frees reported by kfree/kmem_cache_free, and
 * red zone or poison damage found (debug builds), since boot. */
extern atomic_long_t slab_bad_frees;
extern atomic_long_t slab_corruptions;

/* One cache's statistics: one line of /proc/slabinfo. */
struct slabinfo {
	const char *name;
	unsigned long active_objs; /* objects allocated */
	unsigned long num_objs; /* objects in all slabs */
	unsigned long active_slabs; /* slabs with an object allocated */
	unsigned long num_slabs; /* slabs, empty ones included */
	unsigned int object_size; /* bytes asked for */
	unsigned int size; /* bytes used per object, with debug zones */
	unsigned int objects_per_slab;
	unsigned int pages_per_slab;
};

/**
 * kmem_cache_init - create the kmalloc caches
 *
 * Called by start_kernel() right after mem_init(); kmalloc() works from
 * then on.
 */
void kmem_cache_init(void);

/**
 * kmem_cache_create - create a cache of objects
 * @name: shown in /proc/slabinfo and in reports; must outlive the cache
 * @size: object size in bytes (an order-3 slab, 32 KiB, must hold one)
 * @align: minimum alignment, a power of two, or 0
 * @flags: SLAB_HWCACHE_ALIGN, SLAB_PANIC
 * @ctor: called on each object when its slab is created, or NULL;
 *        objects keep their constructed state across free/alloc
 *
 * Returns the cache, or NULL for bad arguments or lack of memory.
 * Context: process; may not be called from interrupt handlers.
 */
struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     size_t align, unsigned long flags,
				     void (*ctor)(void *));

/**
 * kmem_cache_destroy - free a cache and its empty slabs
 * @cache: the cache; NULL is ignored
 *
 * Every object must have been freed; if not, that is reported and the
 * cache is left alone (its memory is still in use).
 * Context: process.
 */
void kmem_cache_destroy(struct kmem_cache *cache);

/**
 * kmem_cache_alloc - allocate one object
 * @cache: the cache
 * @gfp: flags for the page allocator if a slab must be added;
 *       __GFP_ZERO zeroes the object
 *
 * Returns the object or NULL. Context: any (GFP_ATOMIC in interrupts).
 */
void *kmem_cache_alloc(struct kmem_cache *cache, gfp_t gfp);

/**
 * kmem_cache_free - return an object to its cache
 * @cache: the cache it came from
 * @obj: the object; NULL is ignored
 *
 * Context: any.
 */
void kmem_cache_free(struct kmem_cache *cache, void *obj);

/* Free the cache's empty slabs; returns how many were freed. */
unsigned int kmem_cache_shrink(struct kmem_cache *cache);

/* Fill @info with @cache's statistics (a consistent snapshot). */
void kmem_cache_get_info(struct kmem_cache *cache, struct slabinfo *info);

/**
 * kmem_cache_for_each - call @fn with the statistics of every cache
 *
 * @fn runs under the lock of the cache list: it must not create or
 * destroy caches. Context: process.
 */
void kmem_cache_for_each(void (*fn)(const struct slabinfo *info, void *arg),
			 void *arg);

/* Format one /proc/slabinfo line (version 2.1 layout); returns its
 * length, as scnprintf. */
int slabinfo_line(const struct slabinfo *info, char *buf, size_t size);

/* Format all of /proc/slabinfo, header included, into @buf; returns the
 * length (the text is cut if @buf is too small). */
int slabinfo_show(char *buf, size_t size);

/**
 * kmalloc - allocate @size bytes
 * @size: any size; 0 gives ZERO_SIZE_PTR
 * @gfp: GFP_KERNEL, GFP_ATOMIC, ... (__GFP_DMA: whole pages below 16 MiB)
 *
 * Returns memory aligned to ARCH_KMALLOC_MINALIGN (to a page when larger
 * than KMALLOC_MAX_CACHE_SIZE), or NULL. Context: any.
 */
void *kmalloc(size_t size, gfp_t gfp);

/* kmalloc() of zeroed memory. */
void *kzalloc(size_t size, gfp_t gfp);

/**
 * kfree - free memory from kmalloc()
 * @obj: the pointer kmalloc() returned; NULL and ZERO_SIZE_PTR are
 *       ignored. Bad pointers and double frees are reported and ignored.
 * Context: any.
 */
void kfree(const void *obj);

/* The usable size of a kmalloc() block (at least what was asked). */
size_t ksize(const void *obj);

/**
 * krealloc - resize a kmalloc() block, keeping its contents
 *
 * Returns the new block (possibly @obj itself), or NULL with @obj left
 * untouched. A @new_size of 0 frees @obj and returns ZERO_SIZE_PTR.
 */
void *krealloc(const void *obj, size_t new_size, gfp_t gfp);

/* kmalloc() of an array, NULL when @n * @size overflows. */
static inline void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	return kmalloc(n * size, gfp);
}

static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kmalloc_array(n, size, gfp | __GFP_ZERO);
}

#endif /* _KESTREL_SLAB_H */
