/*
 * User page tables: page directories, page tables, the PTE protection of
 * a VMA, switching address spaces and invalidating the TLB.
 *
 * The portable mm code (mm/memory.c) decides what to map; this file
 * knows how i386 two-level paging (SDM vol. 3, 4.3) expresses it. A
 * user page table is one page of 1024 PTEs covering 4 MiB; its directory
 * entry is always present, writable and user (_PAGE_TABLE), so that the
 * rights of each page are decided by its PTE alone.
 *
 * TLB rules (SDM vol. 3, 4.10.4): a changed PRESENT entry must be
 * invalidated (invlpg, or a CR3 reload for many pages) if this CPU may
 * have cached it, which is only when its address space is the one
 * loaded here. Not-present entries are never cached, so filling a hole
 * needs nothing: that keeps the anonymous fault path free of invlpg.
 * The CPU also caches directory entries ("paging-structure caches");
 * any invlpg or CR3 load invalidates those, so a page table is freed
 * only after one of them.
 *
 * Lazy TLB: loaded_mm remembers whose tables CR3 holds, and switch_mm()
 * reloads CR3 only for a different mm. Kernel threads run on whatever
 * was loaded. One variable, because there is one CPU; it becomes
 * per-CPU with SMP, and the flushes then need shootdown IPIs.
 */
#include <asm/irqflags.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <kestrel/mm.h>
#include <kestrel/mm_types.h>
#include <kestrel/mman.h>
#include <kestrel/string.h>

u8 empty_zero_page[PAGE_SIZE] __aligned(PAGE_SIZE);

/* The address space whose page directory is in CR3 (see above). */
static struct mm_struct *loaded_mm = &init_mm;
unsigned long nr_cr3_loads;

/*
 * Beyond this many pages, one CR3 reload (~3.5 us under TCG, global
 * kernel pages survive it) is cheaper than an invlpg per page (~0.5 us).
 */
#define TLB_FLUSH_SINGLE_MAX 8

pgprot_t vm_get_page_prot(unsigned long vm_flags)
{
	pgprot_t prot = _PAGE_USER_BASE;

	if (!(vm_flags & VM_ACCESS_FLAGS))
		return _PAGE_PROTNONE;
	if ((vm_flags & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED))
		prot |= _PAGE_RW;
	return prot;
}

pgd_t *pgd_alloc(void)
{
	pgd_t *pgd = (pgd_t *)__get_free_page(GFP_KERNEL);

	if (!pgd)
		return NULL;
	memset(pgd, 0, USER_PTRS_PER_PGD * sizeof(pgd_t));
	memcpy(pgd + USER_PTRS_PER_PGD, swapper_pg_dir + USER_PTRS_PER_PGD,
	       (PTRS_PER_PGD - USER_PTRS_PER_PGD) * sizeof(pgd_t));
	return pgd;
}

void pgd_free(pgd_t *pgd)
{
	unsigned int i;

	for (i = 0; i < USER_PTRS_PER_PGD; i++)
		WARN_ON(pgd[i] & _PAGE_PRESENT);
	free_page((unsigned long)pgd);
}

pte_t *pte_offset(pgd_t *pgd, unsigned long addr)
{
	pgd_t pde = pgd[pgd_index(addr)];

	if (!(pde & _PAGE_PRESENT))
		return NULL;
	return (pte_t *)__va(pde & PAGE_MASK) + pte_index(addr);
}

pte_t *pte_alloc(pgd_t *pgd, unsigned long addr)
{
	struct page *table;

	if (pgd[pgd_index(addr)] & _PAGE_PRESENT)
		return pte_offset(pgd, addr);
	table = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!table)
		return NULL;
	WRITE_ONCE(pgd[pgd_index(addr)],
		   PFN_PHYS(page_to_pfn(table)) | _PAGE_TABLE);
	return pte_offset(pgd, addr);
}

struct page *pgd_detach_table(pgd_t *pgd, unsigned long addr)
{
	pgd_t pde = pgd[pgd_index(addr)];

	if (!(pde & _PAGE_PRESENT))
		return NULL;
	WRITE_ONCE(pgd[pgd_index(addr)], 0);
	return pfn_to_page(PFN_DOWN(pde & PAGE_MASK));
}

void switch_mm(struct mm_struct *prev, struct mm_struct *next)
{
	unsigned long flags;

	local_irq_save(flags);
	if (next != loaded_mm) {
		loaded_mm = next;
		nr_cr3_loads++;
		write_cr3(__pa(next->pgd));
	}
	local_irq_restore(flags);
}

bool mm_is_loaded(const struct mm_struct *mm)
{
	return READ_ONCE(loaded_mm) == mm;
}

void flush_tlb_page(struct mm_struct *mm, unsigned long addr)
{
	if (mm_is_loaded(mm))
		invlpg(addr);
}

void flush_tlb_mm(struct mm_struct *mm)
{
	if (mm_is_loaded(mm))
		write_cr3(read_cr3());
}

void flush_tlb_range(struct mm_struct *mm, unsigned long start,
		     unsigned long end)
{
	unsigned long addr;

	if (!mm_is_loaded(mm) || start >= end)
		return;
	if ((end - start) >> PAGE_SHIFT > TLB_FLUSH_SINGLE_MAX) {
		write_cr3(read_cr3());
		return;
	}
	for (addr = start & PAGE_MASK; addr < end; addr += PAGE_SIZE)
		invlpg(addr);
}
