/*
 * Host shim for <asm/pgtable.h>. vmalloc is not built for the host, so
 * these are only declared.
 */
#ifndef _SHIM_ASM_PGTABLE_H
#define _SHIM_ASM_PGTABLE_H

#include <kestrel/types.h>

void arch_map_kernel_page(unsigned long vaddr, pfn_t pfn);
pfn_t arch_unmap_kernel_page(unsigned long vaddr);

#endif /* _SHIM_ASM_PGTABLE_H */
