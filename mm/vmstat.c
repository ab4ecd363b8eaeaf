/*
 * The memory counters of <kestrel/vmstat.h>: one atomic per item, for
 * the single node, and MemAvailable's estimate. /proc/meminfo and
 * /proc/vmstat (fs/proc/misc.c) read them; the allocators and the fault
 * path change them.
 */
#include <asm/atomic.h>
#include <kestrel/mm.h>
#include <kestrel/mmzone.h>
#include <kestrel/vmstat.h>

static atomic_t vm_node_stat[NR_VM_NODE_STAT_ITEMS];

const char *const vmstat_text[NR_VM_NODE_STAT_ITEMS] = {
	[NR_SLAB_UNRECLAIMABLE] = "nr_slab_unreclaimable",
	[NR_ANON_MAPPED] = "nr_anon_pages",
	[NR_FILE_MAPPED] = "nr_mapped",
	[NR_FILE_PAGES] = "nr_file_pages",
	[NR_FILE_DIRTY] = "nr_dirty",
	[NR_WRITEBACK] = "nr_writeback",
	[NR_SHMEM] = "nr_shmem",
	[NR_KERNEL_STACK_KB] = "nr_kernel_stack",
	[NR_PAGETABLE] = "nr_page_table_pages",
};

void mod_node_page_state(enum node_stat_item item, long delta)
{
	atomic_add_return((int)delta, &vm_node_stat[item]);
}

unsigned long node_page_state(enum node_stat_item item)
{
	int v = atomic_read(&vm_node_stat[item]);

	return v > 0 ? (unsigned long)v : 0;
}

unsigned long si_mem_available(void)
{
	unsigned long free = nr_free_pages(), reserve = 0;
	struct zone *zone;

	for_each_zone(zone)
		reserve += READ_ONCE(zone->pages_high);
	return free > reserve ? free - reserve : 0;
}
