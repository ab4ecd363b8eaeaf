/*
 * Memory counters: how many pages the kernel is using for what.
 *
 * Linux keeps per-node and per-zone counters of page use (vm_stat);
 * /proc/meminfo and /proc/vmstat print them. Kestrel has one node and
 * keeps one global array, changed where the pages change hands, never
 * computed by walking memory:
 *
 *	item                   changed by                          meminfo
 *	NR_ANON_MAPPED         first/last PTE of a private page    AnonPages
 *	NR_FILE_MAPPED         first/last PTE of a shared page     Mapped
 *	NR_FILE_PAGES          page cache insert/delete            Cached
 *	NR_FILE_DIRTY          PG_dirty set/cleared                Dirty
 *	NR_WRITEBACK           PG_writeback set/cleared            Writeback
 *	NR_SHMEM               tmpfs page alloc/free, shared page  Shmem,
 *	                       first/last PTE                      Cached
 *	NR_SLAB_UNRECLAIMABLE  slab alloc/free, kmalloc_large      Slab,
 *	                                                           SUnreclaim
 *	NR_PAGETABLE           user page table alloc/free          PageTables
 *	NR_KERNEL_STACK_KB     task stack alloc/free (in kB)       KernelStack
 *
 * The mapped pages of mm/memory.c are counted through their map count
 * (struct page's _mapcount): the 0 -> 1 and 1 -> 0 transitions move
 * the counters (mm/memory.c). Nothing in a slab can be reclaimed (no
 * shrinker gives memory back under pressure), so every slab page is
 * "unreclaimable" and SReclaimable is 0. docs/memory.md lists where
 * each /proc figure comes from.
 *
 * Locking: none; each counter is an atomic_t. A reader adding several
 * counters gets a snapshot that may be a page or two off, as in Linux.
 */
#ifndef _KESTREL_VMSTAT_H
#define _KESTREL_VMSTAT_H

/* In Linux's order (the order of /proc/vmstat). */
enum node_stat_item {
	NR_SLAB_UNRECLAIMABLE, /* slab pages and kmalloc's large blocks */
	NR_ANON_MAPPED, /* private user pages mapped by a PTE */
	NR_FILE_MAPPED, /* shared user pages mapped by a PTE */
	NR_FILE_PAGES, /* pages in the page cache (every mapping) */
	NR_FILE_DIRTY, /* page cache pages with PG_dirty */
	NR_WRITEBACK, /* page cache pages with PG_writeback */
	NR_SHMEM, /* tmpfs pages and shared anonymous pages */
	NR_KERNEL_STACK_KB, /* task kernel stacks, in kB */
	NR_PAGETABLE, /* user page tables */
	NR_VM_NODE_STAT_ITEMS,
};

/* Linux's /proc/vmstat names, indexed by enum node_stat_item. */
extern const char *const vmstat_text[NR_VM_NODE_STAT_ITEMS];

/**
 * mod_node_page_state - add @delta to the counter @item
 * Context: any (atomic).
 */
void mod_node_page_state(enum node_stat_item item, long delta);

/**
 * node_page_state - the current value of @item (0 if it went negative
 * for a moment between an increment and a decrement elsewhere)
 * Context: any.
 */
unsigned long node_page_state(enum node_stat_item item);

/**
 * si_mem_available - /proc/meminfo's MemAvailable, in pages
 *
 * Linux's estimate of what a new program could get without swapping:
 * the free pages less the reserves the allocator keeps (each zone's
 * pages_high), plus what reclaim could free. Kestrel reclaims nothing
 * yet (no page cache to drop, no shrinkers, no swap), so that part is 0.
 * Context: any; an unlocked snapshot.
 */
unsigned long si_mem_available(void);

static inline void inc_node_page_state(enum node_stat_item item)
{
	mod_node_page_state(item, 1);
}

static inline void dec_node_page_state(enum node_stat_item item)
{
	mod_node_page_state(item, -1);
}

#endif /* _KESTREL_VMSTAT_H */
