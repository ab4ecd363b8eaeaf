/*
 * The kernel's page tables.
 *
 * boot/entry.asm mapped low memory with 4 MiB pages to get going.
 * paging_init() replaces that with the final layout (asm/page.h):
 *
 *  - the direct map: every frame of low memory at PAGE_OFFSET + phys,
 *    with 4 KiB pages, so individual pages can be protected; the
 *    kernel's text and read-only data are mapped read-only (CR0.WP makes
 *    that hold in ring 0 too), catching stray writes into code;
 *  - the vmalloc area, with its page tables allocated now but empty;
 *  - nothing below PAGE_OFFSET: the identity map is gone, so a NULL
 *    pointer dereference in the kernel faults.
 *
 * All the page tables of the kernel half exist from boot, so every
 * address space can share them by copying the 256 upper directory
 * entries once, and a kernel mapping made later is seen everywhere.
 * Kernel pages are global (when the CPU has PGE) and survive CR3
 * reloads.
 */
#include <asm/cpufeature.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <kestrel/bug.h>
#include <kestrel/memblock.h>
#include <kestrel/printk.h>

pgd_t swapper_pg_dir[PTRS_PER_PGD] __aligned(PAGE_SIZE);
static u32 kernel_pte_global; /* _PAGE_GLOBAL when the CPU has PGE */

extern char __kernel_start[], __data_start[];
void arch_set_doublefault_cr3(unsigned long cr3);

/* The page table behind directory entry @pgd_idx, allocated if absent. */
static pte_t *kernel_page_table(unsigned int pgd_idx)
{
	pte_t *table;

	if (swapper_pg_dir[pgd_idx] & _PAGE_PRESENT)
		return __va(swapper_pg_dir[pgd_idx] & PAGE_MASK);
	table = memblock_alloc(PAGE_SIZE, PAGE_SIZE);
	swapper_pg_dir[pgd_idx] = __pa(table) | _PAGE_PRESENT | _PAGE_RW;
	return table;
}

static bool is_kernel_rodata(unsigned long vaddr)
{
	return vaddr >= (unsigned long)__kernel_start &&
	       vaddr < (unsigned long)__data_start;
}

static void map_lowmem(phys_addr_t end)
{
	unsigned long vaddr;
	phys_addr_t phys;
	u32 flags;

	for (phys = 0; phys < end; phys += PAGE_SIZE) {
		vaddr = (unsigned long)__va(phys);
		flags = _PAGE_PRESENT | kernel_pte_global;
		if (!is_kernel_rodata(vaddr))
			flags |= _PAGE_RW;
		kernel_page_table(pgd_index(vaddr))[pte_index(vaddr)] = phys |
									flags;
	}
}

phys_addr_t direct_map_end;

void paging_init(phys_addr_t firmware_end)
{
	phys_addr_t lowmem_end = memblock_end_of_ram();

	/* Firmware tables (ACPI) above the last usable page are mapped too,
	 * but never handed to the allocator. */
	if (firmware_end > lowmem_end)
		lowmem_end = firmware_end;
	direct_map_end = lowmem_end;
	unsigned long vaddr;

	if (boot_cpu_has(X86_FEATURE_PGE)) {
		write_cr4(read_cr4() | X86_CR4_PGE);
		kernel_pte_global = _PAGE_GLOBAL;
	}
	map_lowmem(lowmem_end);
	for (vaddr = VMALLOC_START; vaddr < VMALLOC_END; vaddr += PGDIR_SIZE)
		kernel_page_table(pgd_index(vaddr));

	write_cr3(__pa(swapper_pg_dir));
	arch_set_doublefault_cr3(__pa(swapper_pg_dir));
	pr_info("paging: %lu MiB direct-mapped at 0x%08lx, vmalloc 0x%08lx-0x%08lx\n",
		(unsigned long)(lowmem_end >> 20), PAGE_OFFSET, VMALLOC_START,
		VMALLOC_END);
}

static pte_t *vmalloc_pte(unsigned long vaddr)
{
	BUG_ON(vaddr < VMALLOC_START || vaddr >= VMALLOC_END);
	BUG_ON(!(swapper_pg_dir[pgd_index(vaddr)] & _PAGE_PRESENT));
	return (pte_t *)__va(swapper_pg_dir[pgd_index(vaddr)] & PAGE_MASK) +
	       pte_index(vaddr);
}

void arch_map_kernel_page(unsigned long vaddr, pfn_t pfn)
{
	pte_t *pte = vmalloc_pte(vaddr);

	/* Not present -> present needs no TLB flush. */
	*pte = (pfn << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_RW |
	       kernel_pte_global;
}

void arch_map_kernel_io_page(unsigned long vaddr, pfn_t pfn)
{
	pte_t *pte = vmalloc_pte(vaddr);

	/* Device registers: uncached, writes go straight to the device. */
	*pte = (pfn << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_RW | _PAGE_PCD |
	       _PAGE_PWT | kernel_pte_global;
}

pfn_t arch_unmap_kernel_page(unsigned long vaddr)
{
	pte_t *pte = vmalloc_pte(vaddr);
	pte_t old = *pte;

	*pte = 0;
	if (!(old & _PAGE_PRESENT))
		return 0;
	invlpg(vaddr);
	return old >> PAGE_SHIFT;
}
