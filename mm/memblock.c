/*
 * memblock: the boot allocator (see <kestrel/memblock.h> for its role).
 *
 * Two tables of frame ranges, usable and reserved, each kept sorted,
 * with no two regions overlapping or touching: every insertion absorbs
 * the regions it meets. Ranges are kept in frame numbers [start, end),
 * which cannot overflow even for RAM that ends at 4 GiB.
 *
 * The free memory is never stored: it is usable minus reserved,
 * computed on demand by memblock_next_free_range(). memblock_alloc()
 * walks those free ranges, keeps the highest block that fits under the
 * allocation limit, and reserves it; so a boot allocation is simply a
 * reservation, and mem_init() skips it like any other.
 *
 * The tables are small and static (MEMBLOCK_MAX_REGIONS each): the
 * firmware reports a handful of ranges, and consecutive top-down
 * allocations merge into one reserved region.
 */
#include <asm/page.h>
#include <kestrel/bug.h>
#include <kestrel/errno.h>
#include <kestrel/memblock.h>
#include <kestrel/mm.h>
#include <kestrel/printk.h>
#include <kestrel/string.h>

/* Boot allocations stay above the first MiB while anything else is left. */
#define MEMBLOCK_LOW_LIMIT_PFN PFN_DOWN(1UL << 20)

struct memblock_region {
	pfn_t start;
	pfn_t end; /* exclusive */
};

struct memblock_type {
	const char *name;
	unsigned int cnt;
	struct memblock_region regions[MEMBLOCK_MAX_REGIONS];
};

static struct memblock_type memblock_usable = { .name = "usable" };
static struct memblock_type memblock_reserved = { .name = "reserved" };
static pfn_t memblock_alloc_limit_pfn = PFN_DOWN(MAXMEM);
static int memblock_retired;

static unsigned long long pfn_to_addr(pfn_t pfn)
{
	return (unsigned long long)pfn << PAGE_SHIFT;
}

/* The index of the first region that ends at or after @start. */
static unsigned int memblock_search(const struct memblock_type *type,
				    pfn_t start)
{
	unsigned int i = 0;

	while (i < type->cnt && type->regions[i].end < start)
		i++;
	return i;
}

/*
 * Widen the region nearest to [start, end) so that it covers the range
 * and the gap between them: the way a full reserved table still records
 * a reservation. Returns the widened range.
 */
static struct memblock_region memblock_widen(struct memblock_type *type,
					     unsigned int i, pfn_t start,
					     pfn_t end)
{
	struct memblock_region r = { start, end };
	const struct memblock_region *prev = i ? &type->regions[i - 1] : NULL;
	const struct memblock_region *next = i < type->cnt ? &type->regions[i] :
							     NULL;

	if (prev && (!next || start - prev->end <= next->start - end))
		r.start = prev->start;
	else
		r.end = next->end;
	return r;
}

/*
 * Add [start, end) to @type, merging it with every region it overlaps
 * or touches. Returns 0, or -ENOSPC when a new slot was needed and the
 * table is full (nothing is changed then).
 */
static int memblock_insert(struct memblock_type *type, pfn_t start, pfn_t end)
{
	unsigned int i = memblock_search(type, start);
	unsigned int j = i;

	while (j < type->cnt && type->regions[j].start <= end) {
		if (type->regions[j].start < start)
			start = type->regions[j].start;
		if (type->regions[j].end > end)
			end = type->regions[j].end;
		j++;
	}
	if (i == j) {
		if (type->cnt == MEMBLOCK_MAX_REGIONS)
			return -ENOSPC;
		memmove(&type->regions[i + 1], &type->regions[i],
			(type->cnt - i) * sizeof(type->regions[0]));
		type->cnt++;
	} else if (j - i > 1) {
		memmove(&type->regions[i + 1], &type->regions[j],
			(type->cnt - j) * sizeof(type->regions[0]));
		type->cnt -= j - i - 1;
	}
	type->regions[i].start = start;
	type->regions[i].end = end;
	return 0;
}

void memblock_add(phys_addr_t base, phys_addr_t size)
{
	unsigned long long end = (unsigned long long)base + size;
	pfn_t start_pfn = PFN_UP((unsigned long long)base);
	pfn_t end_pfn = (pfn_t)(end >> PAGE_SHIFT);

	if (start_pfn == 0)
		start_pfn = 1;
	if (start_pfn >= end_pfn)
		return;
	if (memblock_insert(&memblock_usable, start_pfn, end_pfn))
		pr_err("memblock: usable table full, ignoring [mem 0x%08llx-0x%08llx]\n",
		       pfn_to_addr(start_pfn), pfn_to_addr(end_pfn) - 1);
}

void memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	unsigned long long end = (unsigned long long)base + size;
	pfn_t start_pfn = PFN_DOWN(base);
	pfn_t end_pfn = (pfn_t)PFN_UP(end);
	struct memblock_region r;

	if (!size)
		return;
	if (!memblock_insert(&memblock_reserved, start_pfn, end_pfn))
		return;
	r = memblock_widen(&memblock_reserved,
			   memblock_search(&memblock_reserved, start_pfn),
			   start_pfn, end_pfn);
	pr_warn("memblock: reserved table full, reserving [mem 0x%08llx-0x%08llx] to cover [mem 0x%08llx-0x%08llx]\n",
		pfn_to_addr(r.start), pfn_to_addr(r.end) - 1,
		pfn_to_addr(start_pfn), pfn_to_addr(end_pfn) - 1);
	memblock_insert(&memblock_reserved, r.start, r.end);
}

void memblock_cap_memory(phys_addr_t limit)
{
	struct memblock_type *type = &memblock_usable;
	pfn_t limit_pfn = PFN_DOWN(limit);
	unsigned int i = memblock_search(type, limit_pfn);

	for (; i < type->cnt; i++) {
		struct memblock_region *r = &type->regions[i];
		pfn_t from = r->start > limit_pfn ? r->start : limit_pfn;

		if (from >= r->end)
			continue;
		pr_notice(
			"memblock: ignoring memory above 0x%08llx: [mem 0x%08llx-0x%08llx] (%lluK)\n",
			pfn_to_addr(limit_pfn), pfn_to_addr(from),
			pfn_to_addr(r->end) - 1,
			pfn_to_addr(r->end - from) >> 10);
		r->end = from;
	}
	/* Drop the regions that became empty: they are all at the end. */
	while (type->cnt && type->regions[type->cnt - 1].start >=
				    type->regions[type->cnt - 1].end)
		type->cnt--;
}

void memblock_set_alloc_limit(phys_addr_t limit)
{
	memblock_alloc_limit_pfn = PFN_DOWN(limit);
	if (memblock_alloc_limit_pfn > PFN_DOWN(MAXMEM))
		memblock_alloc_limit_pfn = PFN_DOWN(MAXMEM);
}

/*
 * Skip the reserved regions that cover @pos; return the first free frame
 * at or after @pos, and in *@next_res the start of the next reservation
 * (or @limit).
 */
static pfn_t memblock_skip_reserved(pfn_t pos, pfn_t limit, pfn_t *next_res)
{
	const struct memblock_type *res = &memblock_reserved;
	unsigned int j;

	*next_res = limit;
	for (j = 0; j < res->cnt; j++) {
		if (res->regions[j].end <= pos)
			continue;
		if (res->regions[j].start <= pos) {
			pos = res->regions[j].end;
			continue;
		}
		if (res->regions[j].start < limit)
			*next_res = res->regions[j].start;
		break;
	}
	return pos;
}

bool memblock_next_free_range(pfn_t *cursor, pfn_t *start, pfn_t *end)
{
	const struct memblock_type *usable = &memblock_usable;
	pfn_t pos = *cursor, next_res;
	unsigned int i;

	for (i = 0; i < usable->cnt; i++) {
		const struct memblock_region *r = &usable->regions[i];

		if (r->end <= pos)
			continue;
		if (pos < r->start)
			pos = r->start;
		pos = memblock_skip_reserved(pos, r->end, &next_res);
		if (pos >= r->end)
			continue;
		*start = pos;
		*end = next_res;
		*cursor = next_res;
		return true;
	}
	*cursor = pos;
	return false;
}

/*
 * The highest @pages-page block aligned to @align pages that is free and
 * lies within [@low, @high); 0 if there is none (frame 0 is never free).
 */
static pfn_t memblock_find_top_down(unsigned long pages, unsigned long align,
				    pfn_t low, pfn_t high)
{
	pfn_t cursor, start, end, best = 0;

	for_each_free_mem_range(cursor, start, end)
	{
		pfn_t cand;

		if (start < low)
			start = low;
		if (end > high)
			end = high;
		if (end <= start || end - start < pages)
			continue;
		cand = (end - pages) & ~(pfn_t)(align - 1);
		if (cand >= start)
			best = cand;
	}
	return best;
}

void *memblock_alloc(size_t size, size_t align)
{
	unsigned long pages = PFN_UP((unsigned long)size);
	unsigned long align_pages = 1;
	pfn_t pfn;

	if (WARN_ON(memblock_retired) || WARN_ON(!size))
		return NULL;
	while (align_pages < PFN_DOWN(MAXMEM) &&
	       (align_pages << PAGE_SHIFT) < align)
		align_pages <<= 1;
	pfn = memblock_find_top_down(pages, align_pages, MEMBLOCK_LOW_LIMIT_PFN,
				     memblock_alloc_limit_pfn);
	if (!pfn)
		pfn = memblock_find_top_down(pages, align_pages, 1,
					     memblock_alloc_limit_pfn);
	if (!pfn)
		panic("memblock: out of memory: cannot allocate %lu bytes aligned to %lu at boot (%lu pages usable)",
		      (unsigned long)size, (unsigned long)align,
		      memblock_total_pages());
	memblock_reserve(PFN_PHYS(pfn), pages << PAGE_SHIFT);
	memset(__va(PFN_PHYS(pfn)), 0, pages << PAGE_SHIFT);
	return __va(PFN_PHYS(pfn));
}

phys_addr_t memblock_end_of_ram(void)
{
	pfn_t end;

	if (!memblock_usable.cnt)
		return 0;
	end = memblock_usable.regions[memblock_usable.cnt - 1].end;
	if (end > PFN_DOWN((phys_addr_t)-1))
		return PFN_PHYS(PFN_DOWN((phys_addr_t)-1));
	return PFN_PHYS(end);
}

unsigned long memblock_total_pages(void)
{
	unsigned long pages = 0;
	unsigned int i;

	for (i = 0; i < memblock_usable.cnt; i++)
		pages += memblock_usable.regions[i].end -
			 memblock_usable.regions[i].start;
	return pages;
}

unsigned long memblock_reserved_pages(void)
{
	pfn_t cursor, start, end;
	unsigned long free = 0;

	for_each_free_mem_range(cursor, start, end) free += end - start;
	return memblock_total_pages() - free;
}

static void memblock_dump_type(const struct memblock_type *type)
{
	unsigned int i;

	for (i = 0; i < type->cnt; i++)
		pr_info("memblock: %-8s [mem 0x%08llx-0x%08llx]\n", type->name,
			pfn_to_addr(type->regions[i].start),
			pfn_to_addr(type->regions[i].end) - 1);
}

void memblock_dump(void)
{
	memblock_dump_type(&memblock_usable);
	memblock_dump_type(&memblock_reserved);
}

void memblock_retire(void)
{
	memblock_retired = 1;
}
