/*
 * Kernel page-table services for the portable mm code (vmalloc).
 * The page tables of the whole kernel half are allocated at boot and
 * shared by every address space, so mapping a kernel page never
 * allocates and never has to be copied into other page directories.
 */
#ifndef _ASM_X86_PGTABLE_H
#define _ASM_X86_PGTABLE_H

#include <asm/page.h>
#include <kestrel/types.h>

/* Page-directory and page-table entry bits (SDM vol. 3, 4.3, tables
 * 4-5 and 4-6). */
#define _PAGE_PRESENT 0x001
#define _PAGE_RW 0x002
#define _PAGE_USER 0x004
#define _PAGE_PWT 0x008
#define _PAGE_PCD 0x010
#define _PAGE_ACCESSED 0x020
#define _PAGE_DIRTY 0x040
#define _PAGE_PSE 0x080 /* in a PDE: a 4 MiB page */
#define _PAGE_GLOBAL 0x100

#define PTRS_PER_PTE 1024
#define PTRS_PER_PGD 1024
#define PGDIR_SHIFT 22
#define PGDIR_SIZE (1UL << PGDIR_SHIFT)

#define pgd_index(vaddr) ((vaddr) >> PGDIR_SHIFT)
#define pte_index(vaddr) (((vaddr) >> PAGE_SHIFT) & (PTRS_PER_PTE - 1))

typedef u32 pgd_t; /* a page-directory entry */
typedef u32 pte_t; /* a page-table entry */

/* The kernel's page directory; its upper quarter is shared by all. */
extern pgd_t swapper_pg_dir[PTRS_PER_PGD];

/* Build the final kernel page tables from memblock and switch to them. */
void paging_init(void);

/**
 * arch_map_kernel_page - map one page of the vmalloc area
 * @vaddr: page-aligned address in [VMALLOC_START, VMALLOC_END)
 * @pfn: the physical frame to map, read-write, kernel only
 *
 * Context: any; does not sleep. The caller owns @vaddr.
 */
void arch_map_kernel_page(unsigned long vaddr, pfn_t pfn);

/**
 * arch_unmap_kernel_page - remove the mapping at @vaddr and flush its TLB
 * entry. Returns the frame that was mapped there, or 0 if none was.
 */
pfn_t arch_unmap_kernel_page(unsigned long vaddr);

#endif /* _ASM_X86_PGTABLE_H */
