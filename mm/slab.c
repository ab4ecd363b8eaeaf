/*
 * The slab allocator (see <kestrel/slab.h> for its role).
 *
 * A slab is one block of 2^order pages from alloc_pages(), cut into
 * `objects` slots of `size` bytes from its start. Which slots are in use
 * is one bit each in a bitmap: allocation takes the first clear bit,
 * freeing clears it. The bitmap makes a double free visible in O(1) and
 * never writes into a free object, so poisoning can cover all of it and
 * constructed objects stay constructed. A slab of at most BITS_PER_LONG
 * objects keeps its bitmap in its head struct page (->slab_map), costing
 * no space in the slab; a larger one keeps it at the end of the slab:
 *
 *   kmalloc-64, one page:  [obj 0][obj 1] ... [obj 62][waste][bitmap]
 *   kmalloc-512, one page: [obj 0] ... [obj 7]   (bitmap in struct page)
 *
 * Every page of a slab has PG_slab and ->slab_cache, so kfree() finds the
 * cache from any address in it; the slab's head page, found by rounding
 * the frame number down to the slab's order (buddy blocks are aligned),
 * holds the bitmap and the count of objects in use, and links the slab
 * into one of its cache's three lists: partial (some objects free), full,
 * free (none in use; one is kept, the rest go back to the page
 * allocator).
 *
 * Debug builds (CONFIG_DEBUG) give each slot red zones, filled with
 * RED_ACTIVE while the object is allocated and RED_INACTIVE while free,
 * and fill free objects (of caches without a constructor) with
 * POISON_FREE ending in POISON_END:
 *
 *   [red zone][object ........................][red zone]
 *    0xcc      what the caller uses              0xcc     (allocated)
 *    0xbb      6b 6b 6b ... 6b a5                0xbb     (free)
 *
 * Red zones are checked on free, poison and red zones on allocation.
 * Past the right red zone, each slot of a debug cache also keeps who
 * last allocated and who last freed its object (Linux's SLAB_STORE_USER):
 * the innermost callers outside the allocator and the jiffy. A report
 * prints them, and for damage the offset and bytes of the first changed
 * byte, so that a use after free names the freeing path, the object's
 * type (by who allocated it) and the field written:
 *
 *   [red zone][object ..........][red zone][alloc track][free track]
 *
 * A report about a slot is printed once the damage is found; the red
 * zones and the poison are then repaired, so each is reported once.
 *
 * Locking:
 *	L	cache->lock (irqsave): the cache's slab lists and counters,
 *		and the bitmap and slab_inuse of each of its slabs.
 *	G	slab_caches_lock: the list of all caches.
 *	I	set when the cache is created, read-only afterwards.
 * Neither is held while calling the page allocator.
 */
#include <asm/page.h>
#include <kestrel/bitmap.h>
#include <kestrel/bug.h>
#include <kestrel/errno.h>
#include <kestrel/compiler.h>
#include <kestrel/kstrtox.h>
#include <kestrel/kallsyms.h>
#include <kestrel/list.h>
#include <kestrel/lockdep.h>
#include <kestrel/mm.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/spinlock.h>
#include <kestrel/stacktrace.h>
#include <kestrel/string.h>
#include <kestrel/time.h>
#include <kestrel/vmstat.h>

#include "internal.h"

/* The largest slab: 8 pages. Objects must fit one in it. */
#define SLAB_MAX_ORDER 3
/* Accept the smallest order that wastes at most 1/8 of the slab. */
#define SLAB_WASTE_FRACTION 8
/* Empty slabs a cache keeps for its next allocations. */
#define SLAB_FREE_KEEP 1
/* x86 L1 cache lines, for SLAB_HWCACHE_ALIGN. */
#define L1_CACHE_BYTES 64

/* Debug patterns (Linux's values). */
#define RED_INACTIVE 0xbb
#define RED_ACTIVE 0xcc
#define POISON_FREE 0x6b
#define POISON_END 0xa5
/* The red zone on each side of an object (debug builds). */
#define RED_ZONE_MIN 8
/* Callers kept per allocation and free (debug builds). */
#define TRACK_FRAMES 4
/* Frames the allocator itself may take below its caller, at most. */
#define TRACK_ALLOCATOR_FRAMES 8
/* Bytes a report shows from the first damaged one. */
#define REPORT_BYTES 16

/* Internal flags, in kmem_cache->flags. */
#define __SLAB_RED_ZONE 0x1000000UL /* red zones around objects */
#define __SLAB_POISON 0x2000000UL /* poison free objects */
#define __SLAB_BOOT 0x4000000UL /* static cache: never destroyed */

/* Who last allocated or freed an object (debug builds). */
struct slab_track {
	unsigned long addrs[TRACK_FRAMES]; /* callers, innermost first; 0 ends */
	unsigned long when; /* jiffies */
};

enum track_item { TRACK_ALLOC, TRACK_FREE };

struct kmem_cache {
	spinlock_t lock;
	struct list_head slabs_partial; /* L: head pages */
	struct list_head slabs_full; /* L */
	struct list_head slabs_free; /* L */
	unsigned long nr_partial; /* L: slabs on each list */
	unsigned long nr_full; /* L */
	unsigned long nr_free; /* L */
	unsigned long active_objs; /* L */
	unsigned int object_size; /* I: bytes the user asked for */
	unsigned int size; /* I: slot size (object + red zones, aligned) */
	unsigned int red_left; /* I: offset of the object in its slot */
	unsigned int track; /* I: offset of the tracks from the object; 0: none */
	unsigned int objects; /* I: slots per slab */
	unsigned int order; /* I: slab size is PAGE_SIZE << order */
	unsigned int map_offset; /* I: bitmap offset in slab; 0: in page */
	unsigned long flags; /* I: SLAB_* and __SLAB_* */
	void (*ctor)(void *obj); /* I */
	const char *name; /* I */
	struct list_head list; /* G: slab_caches */
};

atomic_long_t slab_bad_frees;
atomic_long_t slab_corruptions;

static LIST_HEAD(slab_caches);
static DEFINE_SPINLOCK(slab_caches_lock);
static int slab_up;

/* The cache of struct kmem_cache, and the kmalloc caches. */
static struct kmem_cache kmem_cache_cache;

static const unsigned int kmalloc_sizes[] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};
static const char *const kmalloc_names[] = {
	"kmalloc-8",	"kmalloc-16",	"kmalloc-32",	"kmalloc-64",
	"kmalloc-96",	"kmalloc-128",	"kmalloc-192",	"kmalloc-256",
	"kmalloc-512",	"kmalloc-1024", "kmalloc-2048", "kmalloc-4096",
	"kmalloc-8192",
};
#define KMALLOC_NR_CACHES ARRAY_SIZE(kmalloc_sizes)
static struct kmem_cache kmalloc_caches[KMALLOC_NR_CACHES];

/* The kmalloc cache index of sizes 1..192, by (size - 1) / 8. */
static const unsigned char kmalloc_small_index[24] = {
	0, /* 8 */ 1, /* 16 */ 2, 2, /* 32 */ 3, 3, 3, 3, /* 64 */
	4, 4,	      4,	  4, /* 96 */ 5, 5, 5, 5, /* 128 */
	6, 6,	      6,	  6, 6,		 6, 6, 6, /* 192 */
};

static unsigned int fls_long(unsigned long x)
{
	return x ? BITS_PER_LONG - (unsigned int)__builtin_clzl(x) : 0;
}

static unsigned int kmalloc_index(size_t size)
{
	if (size <= 192)
		return kmalloc_small_index[(size - 1) / 8];
	return fls_long(size - 1) - 1;
}

/* ---- slab geometry ----------------------------------------------------- */

/* Objects of @stride bytes that fit in @slab_bytes with their bitmap;
 * *@map_bytes is the room the bitmap takes in the slab (0: in page). */
static unsigned int objects_fit(unsigned long slab_bytes, unsigned int stride,
				unsigned int *map_bytes)
{
	unsigned long n = slab_bytes / stride;

	while (n > BITS_PER_LONG &&
	       n * stride + BITS_TO_LONGS(n) * sizeof(long) > slab_bytes)
		n--;
	*map_bytes = 0;
	if (n > BITS_PER_LONG)
		*map_bytes = BITS_TO_LONGS(n) * sizeof(long);
	return n;
}

/*
 * Choose the slab order: the smallest that wastes at most 1/8 of the
 * slab, else the one that wastes the smallest fraction.
 */
static int calculate_layout(struct kmem_cache *s)
{
	unsigned int order, n, map, best_order = 0, best_n = 0;
	unsigned long bytes, waste, best_waste = 0;

	for (order = 0; order <= SLAB_MAX_ORDER; order++) {
		bytes = PAGE_SIZE << order;
		n = objects_fit(bytes, s->size, &map);
		if (!n)
			continue;
		waste = bytes - (unsigned long)n * s->size;
		if (!best_n ||
		    waste * (PAGE_SIZE << best_order) < best_waste * bytes) {
			best_order = order;
			best_n = n;
			best_waste = waste;
		}
		if (waste * SLAB_WASTE_FRACTION <= bytes)
			break;
	}
	if (!best_n)
		return -EINVAL;
	s->order = best_order;
	s->objects = best_n;
	objects_fit(PAGE_SIZE << best_order, s->size, &map);
	s->map_offset = map ? (unsigned int)(PAGE_SIZE << best_order) - map : 0;
	return 0;
}

/* Object alignment, and the slot layout with or without red zones. */
static void calculate_sizes(struct kmem_cache *s, size_t size, size_t align)
{
	if (align < ARCH_KMALLOC_MINALIGN)
		align = ARCH_KMALLOC_MINALIGN;
	if (s->flags & SLAB_HWCACHE_ALIGN) {
		size_t ralign = L1_CACHE_BYTES;

		while (size <= ralign / 2)
			ralign /= 2;
		if (ralign > align)
			align = ralign;
	}
	s->object_size = size;
	s->red_left = 0;
	s->track = 0;
	if (s->flags & __SLAB_RED_ZONE) {
		s->red_left = (RED_ZONE_MIN + align - 1) & ~(align - 1);
		size = s->red_left + size + RED_ZONE_MIN;
		size = (size + sizeof(long) - 1) & ~(sizeof(long) - 1);
		s->track = size - s->red_left;
		size += 2 * sizeof(struct slab_track);
	}
	s->size = (size + align - 1) & ~(align - 1);
}

static int init_cache(struct kmem_cache *s, const char *name, size_t size,
		      size_t align, unsigned long flags, void (*ctor)(void *))
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->ctor = ctor;
	s->flags = flags;
	if (MM_DEBUG)
		s->flags |= __SLAB_RED_ZONE | (ctor ? 0 : __SLAB_POISON);
	calculate_sizes(s, size, align);
	if (calculate_layout(s))
		return -EINVAL;
	spin_lock_init(&s->lock);
	INIT_LIST_HEAD(&s->slabs_partial);
	INIT_LIST_HEAD(&s->slabs_full);
	INIT_LIST_HEAD(&s->slabs_free);
	spin_lock(&slab_caches_lock);
	list_add_tail(&s->list, &slab_caches);
	spin_unlock(&slab_caches_lock);
	return 0;
}

/* ---- debug checks ------------------------------------------------------ */

/* Index of the first byte of @p[0..n) that is not @val, or -1. */
static long find_mismatch(const unsigned char *p, unsigned char val, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != val)
			return (long)i;
	return -1;
}

/* The right red zone: from the object's end to the tracks. */
static size_t red_right(const struct kmem_cache *s)
{
	return s->track - s->object_size;
}

static struct slab_track *get_track(const struct kmem_cache *s,
				    const unsigned char *obj,
				    enum track_item which)
{
	return (struct slab_track *)(obj + s->track) + which;
}

/*
 * Record the caller of the allocator (@caller, the return address into
 * it) and the frames above it: the stack is walked from here and the
 * allocator's own frames, below @caller, are dropped.
 */
static void set_track(const struct kmem_cache *s, const unsigned char *obj,
		      enum track_item which, unsigned long caller)
{
	struct slab_track *t = get_track(s, obj, which);
	unsigned long stack[TRACK_ALLOCATOR_FRAMES + TRACK_FRAMES];
	unsigned int n = stack_trace_save(stack, ARRAY_SIZE(stack), 0);
	unsigned int i = 0, j;

	while (i < n && stack[i] != caller)
		i++;
	if (i == n) { /* not found (an inlined caller?): keep it alone */
		stack[0] = caller;
		i = 0;
		n = 1;
	}
	for (j = 0; j < TRACK_FRAMES; j++)
		t->addrs[j] = i + j < n ? stack[i + j] : 0;
	t->when = jiffies;
}

static void print_track(const struct kmem_cache *s, const unsigned char *obj,
			enum track_item which)
{
	static const char *const what[] = { "allocated", "freed" };
	const struct slab_track *t = get_track(s, obj, which);
	char sym[KSYM_NAME_LEN + 32];
	unsigned int i;

	if (!t->addrs[0]) {
		pr_err(" never %s\n", what[which]);
		return;
	}
	pr_err(" last %s at jiffies %lu (%lu ago) by:\n", what[which], t->when,
	       jiffies - t->when);
	for (i = 0; i < TRACK_FRAMES && t->addrs[i]; i++) {
		sprint_symbol(sym, sizeof(sym), t->addrs[i]);
		pr_err("  %s\n", sym);
	}
}

/* Where @bad lies in @obj's slot, and the bytes from there to the next
 * REPORT_BYTES or the slot's tracks. */
static void print_damage(const struct kmem_cache *s, const unsigned char *obj,
			 const unsigned char *bad)
{
	long off = bad - obj;
	size_t i, n = (size_t)((long)s->track - off);
	char hex[REPORT_BYTES * 3 + 1];

	if (n > REPORT_BYTES)
		n = REPORT_BYTES;
	for (i = 0; i < n; i++)
		scnprintf(hex + 3 * i, 4, " %02x", bad[i]);
	hex[3 * n] = 0;
	pr_err(" first changed byte at offset %ld (%#lx) of %u:%s\n", off,
	       (unsigned long)off, s->object_size, hex);
}

/* What a report knows of the address it names. */
enum report_addr {
	ADDR_ANY, /* any pointer (a bad free): no tracks to print */
	ADDR_OBJECT, /* an object's start: its tracks are printed */
};

/*
 * Report damage to @obj, or a bad free of it: @bad is the first changed
 * byte (NULL: none).
 */
static void slab_report_object(const struct kmem_cache *s, const void *obj,
			       const void *bad, enum report_addr addr,
			       const char *what, atomic_long_t *counter)
{
	atomic_long_inc(counter);
	pr_err("BUG: %s: %s (object %p)\n", s->name, what, obj);
	if (bad)
		print_damage(s, obj, bad);
	if (addr == ADDR_OBJECT && s->track) {
		print_track(s, obj, TRACK_ALLOC);
		print_track(s, obj, TRACK_FREE);
	}
	dump_stack();
}

static void slab_report(const struct kmem_cache *s, const void *obj,
			const char *what, atomic_long_t *counter)
{
	slab_report_object(s, obj, NULL, ADDR_ANY, what, counter);
}

static void set_redzones(const struct kmem_cache *s, unsigned char *obj,
			 unsigned char val)
{
	memset(obj - s->red_left, val, s->red_left);
	memset(obj + s->object_size, val, red_right(s));
}

/* The first byte of @obj's red zones that is not @val, or NULL. */
static const unsigned char *redzone_damage(const struct kmem_cache *s,
					   const unsigned char *obj,
					   unsigned char val)
{
	long i = find_mismatch(obj - s->red_left, val, s->red_left);

	if (i >= 0)
		return obj - s->red_left + i;
	i = find_mismatch(obj + s->object_size, val, red_right(s));
	return i >= 0 ? obj + s->object_size + i : NULL;
}

static void poison_object(const struct kmem_cache *s, unsigned char *obj)
{
	memset(obj, POISON_FREE, s->object_size - 1);
	obj[s->object_size - 1] = POISON_END;
}

/* The first byte of free @obj that is not its poison, or NULL. */
static const unsigned char *poison_damage(const struct kmem_cache *s,
					  const unsigned char *obj)
{
	long i = find_mismatch(obj, POISON_FREE, s->object_size - 1);

	if (i >= 0)
		return obj + i;
	return obj[s->object_size - 1] != POISON_END ?
		       obj + s->object_size - 1 :
		       NULL;
}

/* A new slab's object: free, never allocated. */
static void debug_object_init(const struct kmem_cache *s, unsigned char *obj)
{
	memset(get_track(s, obj, TRACK_ALLOC), 0,
	       2 * sizeof(struct slab_track));
	set_redzones(s, obj, RED_INACTIVE);
	if (s->flags & __SLAB_POISON)
		poison_object(s, obj);
}

/* An object being allocated by @caller: it must be untouched since its
 * free. */
static void debug_object_alloc(const struct kmem_cache *s, unsigned char *obj,
			       unsigned long caller)
{
	const unsigned char *bad;

	if ((s->flags & __SLAB_POISON) && (bad = poison_damage(s, obj)))
		slab_report_object(s, obj, bad, ADDR_OBJECT,
				   "poison overwritten (use after free)",
				   &slab_corruptions);
	bad = redzone_damage(s, obj, RED_INACTIVE);
	if (bad)
		slab_report_object(s, obj, bad, ADDR_OBJECT,
				   "redzone of a free object overwritten",
				   &slab_corruptions);
	set_redzones(s, obj, RED_ACTIVE);
	set_track(s, obj, TRACK_ALLOC, caller);
}

/* An object being freed by @caller: its red zones must be intact. */
static void debug_object_release(const struct kmem_cache *s, unsigned char *obj,
				 unsigned long caller)
{
	const unsigned char *bad = redzone_damage(s, obj, RED_ACTIVE);

	if (bad)
		slab_report_object(s, obj, bad, ADDR_OBJECT,
				   "redzone overwritten", &slab_corruptions);
	set_redzones(s, obj, RED_INACTIVE);
	if (s->flags & __SLAB_POISON)
		poison_object(s, obj);
	set_track(s, obj, TRACK_FREE, caller);
}

/* ---- slabs ------------------------------------------------------------- */

static unsigned char *slab_base(const struct page *head)
{
	return page_address(head);
}

static unsigned long *slab_map(const struct kmem_cache *s, struct page *head)
{
	if (s->map_offset)
		return (unsigned long *)(slab_base(head) + s->map_offset);
	return &head->slab_map;
}

/* All bits clear, except those past the last object, which stay set so
 * that the allocation scan never picks them. */
static void slab_map_init(unsigned long *map, unsigned int objects)
{
	unsigned int i, words = BITS_TO_LONGS(objects);

	for (i = 0; i < words; i++)
		map[i] = 0;
	if (objects % BITS_PER_LONG)
		map[words - 1] = ~0UL << (objects % BITS_PER_LONG);
}

static struct page *alloc_slab(struct kmem_cache *s, gfp_t gfp)
{
	struct page *head = alloc_pages(gfp & ~__GFP_ZERO, s->order);
	unsigned int i;

	if (!head)
		return NULL;
	mod_node_page_state(NR_SLAB_UNRECLAIMABLE, 1L << s->order);
	for (i = 0; i < (1U << s->order); i++) {
		__SetPageSlab(head + i);
		head[i].slab_cache = s;
	}
	head->slab_inuse = 0;
	slab_map_init(slab_map(s, head), s->objects);
	for (i = 0; i < s->objects; i++) {
		unsigned char *obj =
			slab_base(head) + i * s->size + s->red_left;

		if (s->flags & __SLAB_RED_ZONE)
			debug_object_init(s, obj);
		if (s->ctor)
			s->ctor(obj);
	}
	return head;
}

static void free_slab(struct kmem_cache *s, struct page *head)
{
	unsigned int i;

	for (i = 0; i < (1U << s->order); i++) {
		__ClearPageSlab(head + i);
		head[i].slab_cache = NULL;
	}
	head->slab_map = 0;
	head->slab_inuse = 0;
	mod_node_page_state(NR_SLAB_UNRECLAIMABLE, -(1L << s->order));
	__free_pages(head, s->order);
}

/* A slab to allocate from: a partial one, else an empty one. L held. */
static struct page *get_slab(struct kmem_cache *s)
{
	struct page *head;

	lockdep_assert_held(&s->lock);
	if (!list_empty(&s->slabs_partial))
		return list_first_entry(&s->slabs_partial, struct page, lru);
	if (list_empty(&s->slabs_free))
		return NULL;
	head = list_first_entry(&s->slabs_free, struct page, lru);
	list_move(&head->lru, &s->slabs_partial);
	s->nr_free--;
	s->nr_partial++;
	return head;
}

/* Take the first free slot of a partial slab. L held. */
static void *slab_take_object(struct kmem_cache *s, struct page *head)
{
	unsigned long *map = slab_map(s, head);
	unsigned int idx = find_first_zero_bit(map, s->objects);

	lockdep_assert_held(&s->lock);
	BUG_ON(idx >= s->objects);
	__set_bit(idx, map);
	head->slab_inuse++;
	s->active_objs++;
	if (head->slab_inuse == s->objects) {
		list_move(&head->lru, &s->slabs_full);
		s->nr_partial--;
		s->nr_full++;
	}
	return slab_base(head) + idx * s->size + s->red_left;
}

/* Allocate from @s for @caller, the return address into the allocator's
 * caller (kept in debug builds). */
static void *slab_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long caller)
{
	unsigned long irqflags;
	struct page *head;
	void *obj;

	spin_lock_irqsave(&s->lock, irqflags);
	head = get_slab(s);
	if (!head) {
		spin_unlock_irqrestore(&s->lock, irqflags);
		head = alloc_slab(s, gfp);
		if (!head)
			return NULL;
		spin_lock_irqsave(&s->lock, irqflags);
		list_add(&head->lru, &s->slabs_partial);
		s->nr_partial++;
	}
	obj = slab_take_object(s, head);
	spin_unlock_irqrestore(&s->lock, irqflags);

	if (s->flags & __SLAB_RED_ZONE)
		debug_object_alloc(s, obj, caller);
	if (gfp & __GFP_ZERO)
		memset(obj, 0, s->object_size);
	return obj;
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc(s, gfp, _RET_IP_);
}

/*
 * Clear @idx in @head's bitmap and move the slab between lists. Returns a
 * slab the caller must free (an empty one beyond SLAB_FREE_KEEP), or
 * NULL. L held; the bit is known to be set.
 */
static struct page *slab_put_object(struct kmem_cache *s, struct page *head,
				    unsigned int idx)
{
	unsigned long *map = slab_map(s, head);
	int was_full = head->slab_inuse == s->objects;

	lockdep_assert_held(&s->lock);
	__clear_bit(idx, map);
	head->slab_inuse--;
	s->active_objs--;
	if (head->slab_inuse == 0) {
		if (was_full)
			s->nr_full--;
		else
			s->nr_partial--;
		if (s->nr_free >= SLAB_FREE_KEEP) {
			list_del(&head->lru);
			return head;
		}
		list_move(&head->lru, &s->slabs_free);
		s->nr_free++;
	} else if (was_full) {
		list_move(&head->lru, &s->slabs_partial);
		s->nr_full--;
		s->nr_partial++;
	}
	return NULL;
}

static bool slab_test_bit(struct kmem_cache *s, struct page *head,
			  unsigned int idx)
{
	return test_bit(idx, slab_map(s, head));
}

/*
 * Free @obj, an address inside @page, a page of a slab of @s, for
 * @caller: find the slab's head and the slot, refuse what is not an
 * allocated object.
 */
static void slab_free(struct kmem_cache *s, struct page *page, void *obj,
		      unsigned long caller)
{
	pfn_t head_pfn = page_to_pfn(page) & ~((1UL << s->order) - 1);
	struct page *head = pfn_to_page(head_pfn), *empty = NULL;
	uintptr_t off =
		(uintptr_t)obj - (uintptr_t)slab_base(head) - s->red_left;
	unsigned int idx = (unsigned int)(off / s->size);
	unsigned long irqflags;

	if (idx >= s->objects || (uintptr_t)idx * s->size != off) {
		slab_report(s, obj, "invalid free: not the start of an object",
			    &slab_bad_frees);
		return;
	}
	spin_lock_irqsave(&s->lock, irqflags);
	if (!slab_test_bit(s, head, idx)) {
		spin_unlock_irqrestore(&s->lock, irqflags);
		slab_report_object(s, obj, NULL, ADDR_OBJECT, "double free",
				   &slab_bad_frees);
		return;
	}
	if (s->flags & __SLAB_RED_ZONE)
		debug_object_release(s, obj, caller);
	empty = slab_put_object(s, head, idx);
	spin_unlock_irqrestore(&s->lock, irqflags);
	if (empty)
		free_slab(s, empty);
}

static void bad_address(const char *caller, const void *obj)
{
	atomic_long_inc(&slab_bad_frees);
	pr_err("BUG: %s: %p is not a kernel direct-map address\n", caller, obj);
	dump_stack();
}

void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	struct page *page;

	if (!obj)
		return;
	if (!virt_addr_valid(obj)) {
		bad_address("kmem_cache_free", obj);
		return;
	}
	page = virt_to_page(obj);
	if (!PageSlab(page)) {
		slab_report(s, obj, "invalid free: not a slab object",
			    &slab_bad_frees);
		return;
	}
	if (page->slab_cache != s) {
		slab_report(s, obj, "invalid free: object of another cache",
			    &slab_bad_frees);
		return;
	}
	slab_free(s, page, obj, _RET_IP_);
}

unsigned int kmem_cache_shrink(struct kmem_cache *s)
{
	LIST_HEAD(empty);
	struct page *head, *next;
	unsigned long irqflags;
	unsigned int n = 0;

	spin_lock_irqsave(&s->lock, irqflags);
	list_for_each_entry_safe(head, next, &s->slabs_free, lru)
		list_move(&head->lru, &empty);
	s->nr_free = 0;
	spin_unlock_irqrestore(&s->lock, irqflags);

	list_for_each_entry_safe(head, next, &empty, lru) {
		list_del(&head->lru);
		free_slab(s, head);
		n++;
	}
	return n;
}

/* ---- caches ------------------------------------------------------------ */

struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     size_t align, unsigned long flags,
				     void (*ctor)(void *))
{
	struct kmem_cache *s = NULL;

	if (!name || !size || (align & (align - 1)) ||
	    size > (PAGE_SIZE << SLAB_MAX_ORDER))
		goto fail;
	s = kmem_cache_alloc(&kmem_cache_cache, GFP_KERNEL);
	if (!s)
		goto fail;
	if (init_cache(s, name, size, align,
		       flags & (SLAB_HWCACHE_ALIGN | SLAB_PANIC), ctor))
		goto out_free_cache;
	return s;

out_free_cache:
	kmem_cache_free(&kmem_cache_cache, s);
fail:
	if (flags & SLAB_PANIC)
		panic("kmem_cache_create: cannot create cache %s of %lu bytes",
		      name ? name : "(null)", (unsigned long)size);
	return NULL;
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	unsigned long irqflags, in_use;

	if (!s)
		return;
	if (WARN_ON(s->flags & __SLAB_BOOT))
		return;
	spin_lock_irqsave(&s->lock, irqflags);
	in_use = s->active_objs;
	spin_unlock_irqrestore(&s->lock, irqflags);
	if (in_use) {
		pr_err("BUG: kmem_cache_destroy %s: %lu objects still in use\n",
		       s->name, in_use);
		dump_stack();
		return;
	}
	spin_lock(&slab_caches_lock);
	list_del(&s->list);
	spin_unlock(&slab_caches_lock);
	kmem_cache_shrink(s);
	kmem_cache_free(&kmem_cache_cache, s);
}

void kmem_cache_init(void)
{
	unsigned int i;

	if (init_cache(&kmem_cache_cache, "kmem_cache",
		       sizeof(struct kmem_cache), 0,
		       SLAB_HWCACHE_ALIGN | __SLAB_BOOT, NULL))
		BUG();
	for (i = 0; i < KMALLOC_NR_CACHES; i++) {
		if (init_cache(&kmalloc_caches[i], kmalloc_names[i],
			       kmalloc_sizes[i], ARCH_KMALLOC_MINALIGN,
			       __SLAB_BOOT, NULL))
			BUG();
	}
	slab_up = 1;
	pr_info("slab: %u kmalloc caches, %u to %u bytes%s\n",
		(unsigned int)KMALLOC_NR_CACHES, kmalloc_sizes[0],
		KMALLOC_MAX_CACHE_SIZE,
		MM_DEBUG ? ", with red zones and poisoning" : "");
}

/* ---- statistics -------------------------------------------------------- */

void kmem_cache_get_info(struct kmem_cache *s, struct slabinfo *info)
{
	unsigned long irqflags;

	spin_lock_irqsave(&s->lock, irqflags);
	info->active_objs = s->active_objs;
	info->active_slabs = s->nr_partial + s->nr_full;
	info->num_slabs = info->active_slabs + s->nr_free;
	spin_unlock_irqrestore(&s->lock, irqflags);
	info->num_objs = info->num_slabs * s->objects;
	info->name = s->name;
	info->object_size = s->object_size;
	info->size = s->size;
	info->objects_per_slab = s->objects;
	info->pages_per_slab = 1U << s->order;
}

void kmem_cache_for_each(void (*fn)(const struct slabinfo *info, void *arg),
			 void *arg)
{
	struct kmem_cache *s;
	struct slabinfo info;

	spin_lock(&slab_caches_lock);
	list_for_each_entry(s, &slab_caches, list) {
		kmem_cache_get_info(s, &info);
		fn(&info, arg);
	}
	spin_unlock(&slab_caches_lock);
}

int slabinfo_line(const struct slabinfo *info, char *buf, size_t size)
{
	return scnprintf(
		buf, size,
		"%-17s %6lu %6lu %6u %4u %4u : tunables %4u %4u %4u : slabdata %6lu %6lu %6u\n",
		info->name, info->active_objs, info->num_objs, info->size,
		info->objects_per_slab, info->pages_per_slab, 0U, 0U, 0U,
		info->active_slabs, info->num_slabs, 0U);
}

struct slabinfo_buf {
	char *buf;
	size_t size;
	int len;
};

static void slabinfo_append(const struct slabinfo *info, void *arg)
{
	struct slabinfo_buf *sb = arg;

	sb->len += slabinfo_line(info, sb->buf + sb->len, sb->size - sb->len);
}

int slabinfo_show(char *buf, size_t size)
{
	struct slabinfo_buf sb = { .buf = buf, .size = size };

	sb.len = scnprintf(
		buf, size,
		"slabinfo - version: 2.1\n"
		"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	kmem_cache_for_each(slabinfo_append, &sb);
	return sb.len;
}

/* ---- kmalloc ----------------------------------------------------------- */

/* Blocks too big for a cache come from the page allocator, and count
 * as slab memory, as in Linux. */
static void *kmalloc_large(size_t size, gfp_t gfp)
{
	unsigned int order = get_order(size);
	struct page *page = alloc_pages(gfp, order);

	if (!page)
		return NULL;
	mod_node_page_state(NR_SLAB_UNRECLAIMABLE, 1L << order);
	return page_address(page);
}

/* A page that is no allocation's head is not counted: __free_pages()
 * reports the bad free. */
static void kfree_large(struct page *page)
{
	unsigned int order = PageHead(page) ? page_order(page) : 0;

	if (PageHead(page))
		mod_node_page_state(NR_SLAB_UNRECLAIMABLE, -(1L << order));
	__free_pages(page, order);
}

static void *__kmalloc(size_t size, gfp_t gfp, unsigned long caller)
{
	if (!size)
		return ZERO_SIZE_PTR;
	if (size > KMALLOC_MAX_CACHE_SIZE || (gfp & __GFP_DMA))
		return kmalloc_large(size, gfp);
	if (WARN_ON(!slab_up))
		return NULL;
	return slab_alloc(&kmalloc_caches[kmalloc_index(size)], gfp, caller);
}

void *kmalloc(size_t size, gfp_t gfp)
{
	return __kmalloc(size, gfp, _RET_IP_);
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return __kmalloc(size, gfp | __GFP_ZERO, _RET_IP_);
}

/* kfree() for @caller, the return address into the allocator's caller. */
static void __kfree(const void *obj, unsigned long caller)
{
	void *p = (void *)obj;
	struct page *page;

	if (ZERO_OR_NULL_PTR(obj))
		return;
	if (!virt_addr_valid(obj)) {
		bad_address("kfree", obj);
		return;
	}
	page = virt_to_page(obj);
	if (PageSlab(page)) {
		slab_free(page->slab_cache, page, p, caller);
		return;
	}
	if (p != page_address(page)) {
		atomic_long_inc(&slab_bad_frees);
		pr_err("BUG: kfree: %p is not the start of an allocation\n",
		       obj);
		dump_stack();
		return;
	}
	kfree_large(page);
}

void kfree(const void *obj)
{
	__kfree(obj, _RET_IP_);
}

size_t ksize(const void *obj)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(obj) || WARN_ON(!virt_addr_valid(obj)))
		return 0;
	page = virt_to_page(obj);
	if (PageSlab(page))
		return page->slab_cache->object_size;
	if (PageHead(page))
		return PAGE_SIZE << page_order(page);
	WARN_ON(1);
	return 0;
}

void *krealloc(const void *obj, size_t new_size, gfp_t gfp)
{
	size_t old_size = ksize(obj);
	void *p;

	if (!new_size) {
		__kfree(obj, _RET_IP_);
		return ZERO_SIZE_PTR;
	}
	if (old_size >= new_size)
		return (void *)obj;
	p = __kmalloc(new_size, gfp, _RET_IP_);
	if (!p)
		return NULL;
	if (old_size)
		memcpy(p, obj, old_size);
	__kfree(obj, _RET_IP_);
	return p;
}
