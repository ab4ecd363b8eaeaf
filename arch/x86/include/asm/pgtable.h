/*
 * Kernel page-table services for the portable mm code (vmalloc).
 * The page tables of the whole kernel half are allocated at boot and
 * shared by every address space, so mapping a kernel page never
 * allocates and never has to be copied into other page directories.
 * The second part of this header serves user address spaces (mm/mmap.c,
 * mm/memory.c): PTE helpers, page directories, switch_mm and the TLB.
 */
#ifndef _ASM_X86_PGTABLE_H
#define _ASM_X86_PGTABLE_H

#include <asm/atomic.h>
#include <asm/page.h>
#include <kestrel/compiler.h>
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

/*
 * Build the final kernel page tables and switch to them: the direct map
 * covers usable memory and, below MAXMEM, firmware areas up to
 * @firmware_end (ACPI tables). direct_map_end is where it stops.
 */
void paging_init(phys_addr_t firmware_end);
extern phys_addr_t direct_map_end;

/**
 * arch_map_kernel_page - map one page of the vmalloc area
 * @vaddr: page-aligned address in [VMALLOC_START, VMALLOC_END)
 * @pfn: the physical frame to map, read-write, kernel only
 *
 * Context: any; does not sleep. The caller owns @vaddr.
 */
void arch_map_kernel_page(unsigned long vaddr, pfn_t pfn);

/**
 * arch_map_kernel_io_page - map one page of device memory (MMIO) into
 * the vmalloc area, uncached (PCD and PWT set: Intel SDM vol. 3A,
 * 4.9 "Paging and memory typing"). As arch_map_kernel_page otherwise.
 */
void arch_map_kernel_io_page(unsigned long vaddr, pfn_t pfn);

/**
 * arch_unmap_kernel_page - remove the mapping at @vaddr and flush its TLB
 * entry. Returns the frame that was mapped there, or 0 if none was.
 */
pfn_t arch_unmap_kernel_page(unsigned long vaddr);

/* ---- user address spaces (arch/x86/pgtable.c) ------------------------
 *
 * Each process has its own page directory. Its lower three quarters
 * (768 entries, 0 - TASK_SIZE) point to the process's own page tables;
 * its upper quarter is a copy of swapper_pg_dir's, whose tables are
 * shared. User page tables are allocated when first needed and freed
 * when their 4 MiB hold no mapping any more (mm/memory.c).
 */

#define TASK_SIZE PAGE_OFFSET /* user addresses are below */
/* The initial stack ends 64 KiB below the user limit, as it usually
 * does on Linux with stack randomization: programs may probe the pages
 * at the 3 GiB line (the straddling-EFAULT tests do). */
#define STACK_TOP (TASK_SIZE - 0x10000UL)
#define USER_PTRS_PER_PGD (TASK_SIZE >> PGDIR_SHIFT) /* 768 */

/*
 * Software bits: the CPU ignores PTE bits 9-11 (SDM vol. 3, 4.3, table
 * 4-6, "Ignored"), and every bit but P when P is clear. A PROT_NONE page
 * keeps its frame in a not-present PTE marked _PAGE_PROTNONE, so that
 * mprotect() can make it accessible again.
 */
#define _PAGE_PROTNONE 0x200
#define _PAGE_PFN_MASK PAGE_MASK
/* A user page-table PDE: permissions are decided at the PTE level. */
#define _PAGE_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)
/* Bits every present user PTE has. */
#define _PAGE_USER_BASE (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)

/* The protection bits of a PTE, computed from a VMA's flags. */
typedef u32 pgprot_t;

static inline bool pte_none(pte_t pte)
{
	return pte == 0;
}

static inline bool pte_present(pte_t pte)
{
	return pte & _PAGE_PRESENT;
}

/* A PROT_NONE page: not present, but it still holds a frame. */
static inline bool pte_protnone(pte_t pte)
{
	return (pte & (_PAGE_PRESENT | _PAGE_PROTNONE)) == _PAGE_PROTNONE;
}

/* Does @pte hold a frame (present or PROT_NONE)? */
static inline bool pte_mapped(pte_t pte)
{
	return pte & (_PAGE_PRESENT | _PAGE_PROTNONE);
}

static inline bool pte_write(pte_t pte)
{
	return pte & _PAGE_RW;
}

static inline bool pte_dirty(pte_t pte)
{
	return pte & _PAGE_DIRTY;
}

static inline pfn_t pte_pfn(pte_t pte)
{
	return (pte & _PAGE_PFN_MASK) >> PAGE_SHIFT;
}

static inline pte_t pfn_pte(pfn_t pfn, pgprot_t prot)
{
	return ((pte_t)pfn << PAGE_SHIFT) | prot;
}

static inline pte_t pte_mkwrite(pte_t pte)
{
	return pte | _PAGE_RW | _PAGE_DIRTY;
}

static inline pte_t pte_wrprotect(pte_t pte)
{
	return pte & ~_PAGE_RW;
}

/* @pte with new protection bits; the frame and the dirty bit stay. */
static inline pte_t pte_modify(pte_t pte, pgprot_t prot)
{
	return (pte & (_PAGE_PFN_MASK | _PAGE_DIRTY)) | prot;
}

/* Page-table entries are written whole, once: the CPU may read them at
 * any time, and (on SMP) set their accessed and dirty bits. */
static inline void set_pte(pte_t *ptep, pte_t pte)
{
	WRITE_ONCE(*ptep, pte);
}

static inline pte_t ptep_get_and_clear(pte_t *ptep)
{
	return xchg(ptep, 0);
}

/* The shared page of zeroes, mapped read-only by read faults on
 * private anonymous memory until the first write. Never refcounted. */
extern u8 empty_zero_page[PAGE_SIZE];

static inline pfn_t zero_pfn(void)
{
	return __pa(empty_zero_page) >> PAGE_SHIFT;
}

static inline bool is_zero_pfn(pfn_t pfn)
{
	return pfn == zero_pfn();
}

struct mm_struct;
struct page;

/**
 * vm_get_page_prot - the PTE protection for a VMA's flags
 * @vm_flags: VM_READ, VM_WRITE, VM_EXEC, VM_SHARED
 *
 * i386 without PAE can express only "read" and "read-write": any access
 * right gives read (and execute). A private writable mapping gets
 * read-only PTEs: its pages become writable one by one, at the write
 * fault that makes them private (copy-on-write). No access at all gives
 * a not-present _PAGE_PROTNONE entry.
 */
pgprot_t vm_get_page_prot(unsigned long vm_flags);

/**
 * pgd_alloc - a new page directory for a user address space
 *
 * The user part is empty; the kernel part is a copy of swapper_pg_dir's
 * entries, pointing at the shared kernel page tables.
 * Returns NULL when out of memory. Context: process; may sleep.
 */
pgd_t *pgd_alloc(void);

/* Free a directory from pgd_alloc(). Its user tables must be gone. */
void pgd_free(pgd_t *pgd);

/**
 * pte_offset - the PTE for user address @addr, or NULL when no page
 *              table covers it
 * Context: the caller holds the address space's mmap_lock.
 */
pte_t *pte_offset(pgd_t *pgd, unsigned long addr);

/**
 * pte_alloc - the PTE for user address @addr, allocating the page table
 * Returns NULL when out of memory. A new table needs no TLB flush: its
 * directory entry goes from not present to present.
 * Context: the caller holds the mmap_lock; may sleep.
 */
pte_t *pte_alloc(pgd_t *pgd, unsigned long addr);

/**
 * pgd_detach_table - take the page table covering @addr out of @pgd
 * Returns its page, which the caller frees after a TLB flush (the CPU
 * may cache directory entries), or NULL if there was none.
 * Context: the caller holds the mmap_lock.
 */
struct page *pgd_detach_table(pgd_t *pgd, unsigned long addr);

/**
 * switch_mm - make this CPU use @next's page tables
 * @prev: the address space in use (the previous task's active_mm)
 * @next: the address space to use
 *
 * CR3 is reloaded only if @next is not the address space already
 * loaded on this CPU: switching between threads of one process, or to
 * and from kernel threads (which keep the previous mm: lazy TLB), costs
 * nothing. A reload costs ~3.5 us under TCG.
 *
 * Context: any; interrupts are disabled around the change.
 */
void switch_mm(struct mm_struct *prev, struct mm_struct *next);

/* Is @mm's page directory loaded on this CPU? */
bool mm_is_loaded(const struct mm_struct *mm);

/* CR3 loads done by switch_mm() since boot (a statistic, for tests). */
extern unsigned long nr_cr3_loads;

/*
 * TLB invalidation for user mappings, needed whenever a PRESENT entry
 * changes (its frame, or fewer rights): the CPU may have cached the old
 * one. A not-present to present change needs none (SDM vol. 3,
 * 4.10.4.3: translations of not-present entries are never cached), nor
 * does a gain of rights: a stale read-only entry only causes a spurious
 * fault, which invalidates it. Only this CPU's TLB matters while there
 * is one CPU; they do nothing when @mm is not loaded.
 */
void flush_tlb_page(struct mm_struct *mm, unsigned long addr);
void flush_tlb_range(struct mm_struct *mm, unsigned long start,
		     unsigned long end);
void flush_tlb_mm(struct mm_struct *mm);

#endif /* _ASM_X86_PGTABLE_H */
