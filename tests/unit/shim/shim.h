/*
 * What the host unit tests of mm/ add to the kernel services that
 * shim.c provides: the simulated physical memory, counters of the
 * reports the code under test printed, and a one-call boot of the
 * page allocator.
 */
#ifndef _SHIM_SHIM_H
#define _SHIM_SHIM_H

#include <kestrel/memblock.h>
#include <kestrel/mm.h>
#include <stdint.h>

/* Backtraces and warnings printed since the start. */
extern unsigned long host_dump_stack_calls;
extern unsigned long host_warn_calls;
/* printk() messages at KERN_ERR or more severe. */
extern unsigned long host_printk_errors;
/* When set, printk() output is dropped (benchmarks). */
extern int host_printk_quiet;

/* Allocate @bytes of "physical memory", aligned to 4 MiB, and make it
 * the direct map: PAGE_OFFSET becomes its address. */
void host_phys_setup(unsigned long bytes);

/*
 * Boot the page allocator on @bytes of simulated RAM laid out like a PC:
 * usable [0, 640K) and [1M, bytes), with the "kernel image" at [1M, 2M)
 * reserved.
 */
static inline void host_mm_boot(unsigned long bytes)
{
	host_phys_setup(bytes);
	memblock_add(0, 640 << 10);
	memblock_add(1 << 20, bytes - (1 << 20));
	memblock_reserve(1 << 20, 1 << 20);
	mem_init();
}

#endif /* _SHIM_SHIM_H */
