/*
 * Pages behind the VMAs: page faults, copy-on-write, fork's copy of the
 * page tables, unmapping, and access to another address space.
 *
 * Nothing is mapped when a VMA is created; the first access faults and
 * handle_mm_fault() decides, from the VMA and the PTE, what the page
 * should be:
 *
 *	PTE        access   VMA          result
 *	none       read     private      map the shared zero page read-only
 *	none       write    any          a new zeroed page, writable
 *	none       read     shared       a new zeroed page
 *	read-only  write    private      an anonymous page of count 1: just
 *	                                 make it writable; else copy it
 *	                                 (copy-on-write), and from the zero
 *	                                 page: a zeroed page
 *	present    any      -            nothing to do (a thread got there
 *	                                 first, or a stale TLB entry)
 *
 * A file mapping (vma->vm_ops, mm/filemap_fault.c) gets its pages from
 * the file's page cache instead of zeroes:
 *
 *	none       read     file         the cache page, read-only
 *	none       write    private file a private copy of the cache page
 *	none       write    shared file  the cache page, dirtied, writable
 *	read-only  write    shared file  dirty the page (->page_mkwrite),
 *	                                 make the PTE writable
 *
 * The PTEs of a shared file mapping start read-only, so that the first
 * write after the page was cleaned faults and marks it dirty again
 * (page_mkclean() write-protects them when write-back cleans the page).
 * docs/filemap.md tells the story.
 *
 * A page is shared copy-on-write after fork: __copy_page_range()
 * write-protects the PTE in both address spaces and takes a page
 * reference for the child's PTE. Every PTE that maps a page holds one
 * reference (struct page's _refcount), except mappings of the zero page,
 * which is never counted; a page is freed when its last PTE goes.
 *
 * Each page also counts its PTEs in ->_mapcount (Linux's rmap counts,
 * without the reverse map): the first PTE puts the page in the system's
 * counters (<kestrel/vmstat.h>) as a private page (PG_anon, AnonPages)
 * or a shared one (Shmem and Mapped), the last takes it out, and each
 * PTE counts in its mm's rss_stat. The page tables are counted too
 * (mm->nr_ptes, NR_PAGETABLE). A reference taken by get_user_pages()
 * keeps a page allocated but not mapped: only PTEs count here.
 *
 * Unmapping goes through a small "gather" (Linux's mmu_gather): PTEs
 * are cleared first, pages collected, the TLB flushed once for the whole
 * range, and only then are the pages (and emptied page tables) freed,
 * so that no TLB entry ever points at a freed frame.
 *
 * Locking: the caller holds mm->mmap_lock for every __ function; the
 * others take it. The page tables of an mm are changed only under its
 * mmap_lock (the CPU itself sets accessed/dirty bits at any time).
 */
#include <asm/pgtable.h>
#include <kestrel/err.h>
#include <kestrel/mm.h>
#include <kestrel/mman.h>
#include <kestrel/pagemap.h>
#include <kestrel/string.h>
#include <kestrel/vmstat.h>

/* Internal fault flags, beyond the public FAULT_FLAG_* bits. */
#define FAULT_FLAG_FORCE 0x100 /* ignore the VMA's rights (copy_to_mm) */
#define FAULT_FLAG_OVERWRITE 0x200 /* caller fills the whole page */

/* Pages (and page tables) freed by one TLB flush. */
#define GATHER_BATCH 32

struct mmu_gather {
	struct mm_struct *mm;
	/* The TLB range to flush; empty while start >= end. */
	unsigned long start, end;
	unsigned int nr;
	struct page *pages[GATHER_BATCH]; /* to free after the flush */
};

static void tlb_gather_init(struct mmu_gather *tlb, struct mm_struct *mm)
{
	tlb->mm = mm;
	tlb->start = TASK_SIZE;
	tlb->end = 0;
	tlb->nr = 0;
}

/* A present entry for [@start, @end) was changed or removed. */
static void tlb_note_range(struct mmu_gather *tlb, unsigned long start,
			   unsigned long end)
{
	if (start < tlb->start)
		tlb->start = start;
	if (end > tlb->end)
		tlb->end = end;
}

/* Flush the noted range, then free the gathered pages. */
static void tlb_flush_and_free(struct mmu_gather *tlb)
{
	unsigned int i;

	if (tlb->start < tlb->end)
		flush_tlb_range(tlb->mm, tlb->start, tlb->end);
	tlb->start = TASK_SIZE;
	tlb->end = 0;
	for (i = 0; i < tlb->nr; i++)
		put_page(tlb->pages[i]);
	tlb->nr = 0;
}

static void tlb_free_page(struct mmu_gather *tlb, struct page *page)
{
	tlb->pages[tlb->nr++] = page;
	if (tlb->nr == GATHER_BATCH)
		tlb_flush_and_free(tlb);
}

/* The end of the 4 MiB page-table span holding @addr, or @end. */
static unsigned long pgd_addr_end(unsigned long addr, unsigned long end)
{
	unsigned long boundary = (addr + PGDIR_SIZE) & ~(PGDIR_SIZE - 1);

	return boundary - 1 < end - 1 ? boundary : end;
}

static struct page *pte_page(pte_t pte)
{
	return pfn_to_page(pte_pfn(pte));
}

/* ---- map counts -------------------------------------------------------- */

/* The rss counter of @mm a PTE of @page in @vma is in: a private page,
 * a file page (of the page cache), or shared anonymous memory. */
static int mm_counter(const struct page *page, const struct vm_area_struct *vma)
{
	if (PageAnon(page))
		return MM_ANONPAGES;
	return vma->vm_file ? MM_FILEPAGES : MM_SHMEMPAGES;
}

/* The first PTE of the new page @page, in @mm's @vma. */
static void page_add_new_rmap(struct mm_struct *mm, struct page *page,
			      const struct vm_area_struct *vma)
{
	atomic_set(&page->_mapcount, 1);
	if (vma->vm_flags & VM_SHARED) {
		inc_node_page_state(NR_SHMEM);
		inc_node_page_state(NR_FILE_MAPPED);
	} else {
		__SetPageAnon(page);
		inc_node_page_state(NR_ANON_MAPPED);
	}
	mm->rss_stat[mm_counter(page, vma)]++;
}

/*
 * Another PTE of the page cache page @page, in @mm's file @vma. The
 * cache keeps ->_mapcount at 0 while no PTE maps the page; the first
 * PTE counts it as Mapped. The caller holds the page lock or another
 * PTE of it, so that it cannot leave the cache meanwhile.
 */
static void page_add_file_rmap(struct mm_struct *mm, struct page *page,
			       const struct vm_area_struct *vma)
{
	if (atomic_inc_return(&page->_mapcount) == 1)
		inc_node_page_state(NR_FILE_MAPPED);
	mm->rss_stat[mm_counter(page, vma)]++;
}

/* Another PTE of the mapped page @page, in @mm (fork). */
static void page_dup_rmap(struct mm_struct *mm, struct page *page,
			  const struct vm_area_struct *vma)
{
	atomic_inc(&page->_mapcount);
	mm->rss_stat[mm_counter(page, vma)]++;
}

/*
 * A PTE of @page in @mm's @vma is gone. The last one takes the page out
 * of the counters; for a shared anonymous page that ends its life as
 * Shmem too, since no object holds it beyond its mappings (Linux's
 * shmem file would); a page cache page stays in its cache, unmapped.
 * Another mm may unmap the same page at once: the count is atomic, and
 * only the 1 -> 0 step, which nobody else can take, touches the flags.
 */
static void page_remove_rmap(struct mm_struct *mm, struct page *page,
			     const struct vm_area_struct *vma)
{
	mm->rss_stat[mm_counter(page, vma)]--;
	if (atomic_dec_return(&page->_mapcount))
		return;
	if (PageAnon(page)) {
		__ClearPageAnon(page);
		dec_node_page_state(NR_ANON_MAPPED);
	} else {
		dec_node_page_state(NR_FILE_MAPPED);
		if (!vma->vm_file)
			dec_node_page_state(NR_SHMEM);
	}
}

/* The PTE for @addr in @mm, allocating (and counting) its page table. */
static pte_t *mm_pte_alloc(struct mm_struct *mm, unsigned long addr)
{
	pte_t *pte = pte_offset(mm->pgd, addr);

	if (pte)
		return pte;
	pte = pte_alloc(mm->pgd, addr);
	if (pte) {
		mm->nr_ptes++;
		inc_node_page_state(NR_PAGETABLE);
	}
	return pte;
}

/* ---- unmapping --------------------------------------------------------- */

/* Zap everything, or (@keep_anon) only what the file provides: a
 * truncation keeps the private copies of a private mapping. */
static void zap_pte_range(struct mmu_gather *tlb,
			  const struct vm_area_struct *vma, pte_t *pte,
			  unsigned long addr, unsigned long end, bool keep_anon)
{
	pte_t old;

	for (; addr < end; addr += PAGE_SIZE, pte++) {
		if (pte_none(*pte))
			continue;
		if (keep_anon &&
		    (is_zero_pfn(pte_pfn(*pte)) || PageAnon(pte_page(*pte))))
			continue;
		old = ptep_get_and_clear(pte);
		if (pte_present(old))
			tlb_note_range(tlb, addr, addr + PAGE_SIZE);
		if (is_zero_pfn(pte_pfn(old)))
			continue;
		page_remove_rmap(tlb->mm, pte_page(old), vma);
		tlb_free_page(tlb, pte_page(old));
	}
}

static void zap_range(struct mmu_gather *tlb, const struct vm_area_struct *vma,
		      unsigned long addr, unsigned long end, bool keep_anon)
{
	unsigned long next;
	pte_t *pte;

	for (; addr < end; addr = next) {
		next = pgd_addr_end(addr, end);
		pte = pte_offset(tlb->mm->pgd, addr);
		if (pte)
			zap_pte_range(tlb, vma, pte, addr, next, keep_anon);
	}
}

/*
 * Free the page tables under the removed VMAs @vmas whose whole 4 MiB
 * lies in the VMA-free [@floor, @ceiling): nothing can be mapped through
 * them any more. Tables shared with a VMA outside the range stay.
 *
 * Only the 4 MiB spans the VMAs overlap are looked at, as Linux's
 * free_pgtables() walks the VMAs: every page table overlaps a VMA (it is
 * made for one, and freed with the last VMA over it), so the gaps
 * between the VMAs hold none. Scanning every span from the first VMA to
 * the last instead read ~730 directory entries at each exit of a program
 * with its text at 0x08048000 and its stack under 0xc0000000.
 */
static void free_pgtables(struct mmu_gather *tlb, struct list_head *vmas,
			  unsigned long floor, unsigned long ceiling)
{
	unsigned long lo = (floor + PGDIR_SIZE - 1) & ~(PGDIR_SIZE - 1);
	unsigned long hi = ceiling & ~(PGDIR_SIZE - 1);
	struct vm_area_struct *vma;
	unsigned long addr, stop;
	struct page *table;

	list_for_each_entry(vma, vmas, vm_list) {
		addr = vma->vm_start & ~(PGDIR_SIZE - 1);
		stop = (vma->vm_end + PGDIR_SIZE - 1) & ~(PGDIR_SIZE - 1);
		if (addr < lo)
			addr = lo;
		if (stop > hi)
			stop = hi;
		for (; addr < stop; addr += PGDIR_SIZE) {
			table = pgd_detach_table(tlb->mm->pgd, addr);
			if (!table)
				continue; /* none, or freed for the VMA before */
			/* Any invlpg drops cached directory entries too. */
			tlb_note_range(tlb, addr, addr + PAGE_SIZE);
			tlb->mm->nr_ptes--;
			dec_node_page_state(NR_PAGETABLE);
			tlb_free_page(tlb, table);
		}
	}
}

void __unmap_region(struct mm_struct *mm, struct list_head *vmas,
		    unsigned long floor, unsigned long ceiling)
{
	struct vm_area_struct *vma;
	struct mmu_gather tlb;

	mmap_assert_locked(mm);
	update_hiwater_rss(mm);
	tlb_gather_init(&tlb, mm);
	list_for_each_entry(vma, vmas, vm_list)
		zap_range(&tlb, vma, vma->vm_start, vma->vm_end, false);
	free_pgtables(&tlb, vmas, floor, ceiling);
	tlb_flush_and_free(&tlb);
}

void __zap_page_range(struct vm_area_struct *vma, unsigned long start,
		      unsigned long end, bool keep_anon)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmu_gather tlb;

	mmap_assert_locked(mm);
	update_hiwater_rss(mm);
	tlb_gather_init(&tlb, mm);
	zap_range(&tlb, vma, start, end, keep_anon);
	tlb_flush_and_free(&tlb);
}

/* ---- fork and mprotect ------------------------------------------------- */

static void copy_pte_range(struct mm_struct *dst, pte_t *dst_pte,
			   pte_t *src_pte, const struct vm_area_struct *vma,
			   unsigned long addr, unsigned long end)
{
	bool cow = !(vma->vm_flags & VM_SHARED);
	pte_t pte;

	for (; addr < end; addr += PAGE_SIZE, src_pte++, dst_pte++) {
		pte = *src_pte;
		if (!pte_mapped(pte))
			continue;
		/* The child finds a file's pages in its cache again, as
		 * Linux's copy_page_range() leaves them: only private
		 * copies need copying. */
		if (vma->vm_file && !is_zero_pfn(pte_pfn(pte)) &&
		    !PageAnon(pte_page(pte)))
			continue;
		if (cow && pte_write(pte)) {
			pte = pte_wrprotect(pte);
			set_pte(src_pte, pte); /* dup_mm() flushes the TLB */
		}
		if (!is_zero_pfn(pte_pfn(pte))) {
			get_page(pte_page(pte));
			page_dup_rmap(dst, pte_page(pte), vma);
		}
		set_pte(dst_pte, pte);
	}
}

int __copy_page_range(struct mm_struct *dst, struct mm_struct *src,
		      struct vm_area_struct *vma)
{
	unsigned long addr, next;
	pte_t *src_pte, *dst_pte;
	int err;

	mmap_assert_locked(src);
	/* Shared anonymous pages must exist now, to be the same in both. */
	if ((vma->vm_flags & VM_SHARED) && !vma->vm_file) {
		err = __mm_populate(src, vma->vm_start, vma->vm_end);
		if (err)
			return err;
	}
	for (addr = vma->vm_start; addr < vma->vm_end; addr = next) {
		next = pgd_addr_end(addr, vma->vm_end);
		src_pte = pte_offset(src->pgd, addr);
		if (!src_pte)
			continue;
		dst_pte = mm_pte_alloc(dst, addr);
		if (!dst_pte)
			return -ENOMEM;
		copy_pte_range(dst, dst_pte, src_pte, vma, addr, next);
	}
	return 0;
}

static void change_pte_range(struct mmu_gather *tlb, pte_t *pte,
			     unsigned long addr, unsigned long end,
			     pgprot_t prot)
{
	pte_t old, new;

	for (; addr < end; addr += PAGE_SIZE, pte++) {
		old = *pte;
		if (!pte_mapped(old))
			continue;
		new = pte_modify(old, prot);
		if (new == old)
			continue;
		set_pte(pte, new);
		if (pte_present(old))
			tlb_note_range(tlb, addr, addr + PAGE_SIZE);
	}
}

void __change_protection(struct vm_area_struct *vma, unsigned long start,
			 unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmu_gather tlb;
	unsigned long next;
	pte_t *pte;

	mmap_assert_locked(mm);
	tlb_gather_init(&tlb, mm);
	for (; start < end; start = next) {
		next = pgd_addr_end(start, end);
		pte = pte_offset(mm->pgd, start);
		if (pte)
			change_pte_range(&tlb, pte, start, next,
					 vma->vm_page_prot);
	}
	tlb_flush_and_free(&tlb);
}

/*
 * Move the PTEs of [@old_addr, @old_addr + @len) to @new_addr (mremap):
 * the pages keep their counts, only their addresses change. The old
 * range's TLB entries go before anything can be mapped there again.
 * 0, or -ENOMEM (a page table for the new range; what was moved stays
 * moved, as Linux's move_page_tables() leaves it for the caller).
 */
int __move_page_tables(struct mm_struct *mm, unsigned long old_addr,
		       unsigned long new_addr, unsigned long len)
{
	unsigned long off;
	pte_t *old, *new;
	int err = 0;

	mmap_assert_locked(mm);
	for (off = 0; off < len && !err; off += PAGE_SIZE) {
		old = pte_offset(mm->pgd, old_addr + off);
		if (!old || pte_none(*old))
			continue;
		new = mm_pte_alloc(mm, new_addr + off);
		if (!new)
			err = -ENOMEM;
		else
			set_pte(new, ptep_get_and_clear(old));
	}
	flush_tlb_range(mm, old_addr, old_addr + len);
	return err;
}

/* ---- faults ------------------------------------------------------------ */

/* The PTE for a page just made private to @vma, writable if allowed. */
static pte_t vma_page_pte(const struct vm_area_struct *vma, struct page *page)
{
	pte_t pte = pfn_pte(page_to_pfn(page), vma->vm_page_prot);

	if (vma->vm_flags & VM_WRITE)
		pte = pte_mkwrite(pte);
	return pte;
}

/* Fill the empty PTE @pte: zero page, or a new page (see the table). */
static int do_anonymous_page(struct mm_struct *mm, struct vm_area_struct *vma,
			     pte_t *pte, unsigned int flags)
{
	gfp_t gfp = GFP_KERNEL;
	struct page *page;

	if (!(flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_SHARED)) {
		set_pte(pte, pfn_pte(zero_pfn(), vma->vm_page_prot));
		return 0;
	}
	if (!(flags & FAULT_FLAG_OVERWRITE))
		gfp |= __GFP_ZERO;
	page = alloc_page(gfp);
	if (!page)
		return VM_FAULT_OOM;
	/* Not present before: no TLB flush. */
	set_pte(pte, vma_page_pte(vma, page));
	page_add_new_rmap(mm, page, vma);
	return 0;
}

/* Give the PTE @pte at @addr a private copy of its page. */
static int cow_page(struct mm_struct *mm, struct vm_area_struct *vma,
		    unsigned long addr, pte_t *pte, unsigned int flags)
{
	pte_t old = *pte;
	bool from_zero = is_zero_pfn(pte_pfn(old));
	bool fill = !(flags & FAULT_FLAG_OVERWRITE);
	struct page *page;

	page = alloc_page(GFP_KERNEL | (from_zero && fill ? __GFP_ZERO : 0));
	if (!page)
		return VM_FAULT_OOM;
	if (!from_zero && fill)
		memcpy(page_address(page), page_address(pte_page(old)),
		       PAGE_SIZE);
	set_pte(pte, vma_page_pte(vma, page));
	page_add_new_rmap(mm, page, vma);
	/* A present entry changed frame: the old one must leave the TLB
	 * before the old page can be freed. */
	if (pte_present(old))
		flush_tlb_page(mm, addr);
	if (!from_zero) {
		page_remove_rmap(mm, pte_page(old), vma);
		put_page(pte_page(old));
	}
	return 0;
}

/* The first write to the page cache @page (locked) through the shared
 * @vma: the file's ->page_mkwrite, or plain dirtying. */
static int do_page_mkwrite(struct vm_area_struct *vma, struct page *page)
{
	if (vma->vm_ops->page_mkwrite)
		return vma->vm_ops->page_mkwrite(vma, page);
	set_page_dirty(page);
	return 0;
}

/*
 * A write through the read-only PTE @pte of a shared file mapping: the
 * page becomes dirty, then the PTE writable, both under the page lock,
 * which page_mkclean() holds too: a page is never clean and writable.
 */
static int do_shared_file_wp(struct vm_area_struct *vma, pte_t *pte)
{
	struct page *page = pte_page(*pte);
	int ret = 0;

	if (!(vma->vm_flags & VM_WRITE))
		return 0;
	lock_page(page); /* our PTE keeps the page; mmap_lock the PTE */
	if (!page->mapping) /* truncated: the truncation unmaps it */
		goto out_unlock;
	ret = do_page_mkwrite(vma, page);
	if (!ret && pte_page(*pte) == page && pte_present(*pte))
		set_pte(pte, pte_mkwrite(*pte));
out_unlock:
	unlock_page(page);
	return ret;
}

/* A write to the mapped PTE @pte: make the page writable by this
 * mapping, copying it unless the mapping is its only user. */
static int do_wp_page(struct mm_struct *mm, struct vm_area_struct *vma,
		      unsigned long addr, pte_t *pte, unsigned int flags)
{
	pte_t old = *pte;

	if ((vma->vm_flags & VM_SHARED) && vma->vm_file)
		return do_shared_file_wp(vma, pte);
	if ((vma->vm_flags & VM_SHARED) ||
	    (!is_zero_pfn(pte_pfn(old)) && PageAnon(pte_page(old)) &&
	     page_count(pte_page(old)) == 1)) {
		/* More rights only: no flush (a stale entry faults once). */
		if (vma->vm_flags & VM_WRITE)
			set_pte(pte, pte_mkwrite(old));
		return 0;
	}
	return cow_page(mm, vma, addr, pte, flags);
}

/* Map the page cache @page (locked) at @addr of the file @vma: shared,
 * or private for reading. */
static int map_file_page(struct mm_struct *mm, struct vm_area_struct *vma,
			 pte_t *pte, struct page *page, unsigned int flags)
{
	pte_t entry = pfn_pte(page_to_pfn(page), vma->vm_page_prot);
	int ret;

	if (flags & FAULT_FLAG_WRITE) { /* shared: private ones copy */
		ret = do_page_mkwrite(vma, page);
		if (ret)
			return ret;
		entry = pte_mkwrite(entry);
	}
	get_page(page); /* the PTE's reference */
	set_pte(pte, entry);
	page_add_file_rmap(mm, page, vma);
	return 0;
}

/* A private copy of the page cache @page for a write at @pte. */
static int map_file_copy(struct mm_struct *mm, struct vm_area_struct *vma,
			 pte_t *pte, struct page *page)
{
	struct page *copy = alloc_page(GFP_KERNEL);

	if (!copy)
		return VM_FAULT_OOM;
	memcpy(page_address(copy), page_address(page), PAGE_SIZE);
	set_pte(pte, vma_page_pte(vma, copy));
	page_add_new_rmap(mm, copy, vma);
	return 0;
}

/*
 * The first access to @addr of a file mapping: the file's ->fault finds
 * the page in the cache (reading it if needed) and returns it locked,
 * so that a truncation cannot take it away before its PTE exists.
 */
static int do_file_fault(struct mm_struct *mm, struct vm_area_struct *vma,
			 unsigned long addr, pte_t *pte, unsigned int flags)
{
	struct vm_fault vmf = {
		.pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT),
		.address = addr,
		.flags = flags,
	};
	int ret = vma->vm_ops->fault(vma, &vmf);

	if (ret)
		return ret;
	if (!pte_none(*pte)) /* cannot happen: the PTE is ours (mmap_lock) */
		ret = 0;
	else if ((flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_SHARED))
		ret = map_file_copy(mm, vma, pte, vmf.page);
	else
		ret = map_file_page(mm, vma, pte, vmf.page, flags);
	unlock_page(vmf.page);
	put_page(vmf.page);
	return ret;
}

/* Make the page at @addr present (and private and writable, for a
 * write) in @vma. Rights are the caller's business. */
static int fault_page(struct mm_struct *mm, struct vm_area_struct *vma,
		      unsigned long addr, unsigned int flags)
{
	pte_t *pte = mm_pte_alloc(mm, addr);

	if (!pte)
		return VM_FAULT_OOM;
	if (pte_none(*pte) && vma->vm_ops)
		return do_file_fault(mm, vma, addr & PAGE_MASK, pte, flags);
	if (pte_none(*pte))
		return do_anonymous_page(mm, vma, pte, flags);
	if (!(flags & FAULT_FLAG_WRITE))
		return 0;
	if (pte_write(*pte) && !is_zero_pfn(pte_pfn(*pte)))
		return 0; /* spurious: already writable */
	return do_wp_page(mm, vma, addr & PAGE_MASK, pte, flags);
}

static bool access_permitted(const struct vm_area_struct *vma,
			     unsigned int flags)
{
	if (flags & FAULT_FLAG_FORCE)
		return true;
	if (flags & FAULT_FLAG_WRITE)
		return vma->vm_flags & VM_WRITE;
	/* i386 without NX: any right implies read and execute. */
	return vma->vm_flags & VM_ACCESS_FLAGS;
}

int __handle_mm_fault(struct mm_struct *mm, unsigned long address,
		      unsigned int flags)
{
	struct vm_area_struct *vma = find_vma(mm, address);

	mmap_assert_locked(mm);
	if (!vma)
		return VM_FAULT_SIGSEGV_MAPERR;
	/* Below a VMA: only a stack may grow down to the address. */
	if (address < vma->vm_start) {
		if (!(vma->vm_flags & VM_GROWSDOWN))
			return VM_FAULT_SIGSEGV_MAPERR;
		if (__expand_stack(mm, vma, address))
			return VM_FAULT_SIGSEGV_MAPERR;
	}
	if (!access_permitted(vma, flags))
		return VM_FAULT_SIGSEGV_ACCERR;
	return fault_page(mm, vma, address, flags);
}

int handle_mm_fault(struct mm_struct *mm, unsigned long address,
		    unsigned int flags)
{
	int ret;

	if (address >= TASK_SIZE)
		return VM_FAULT_SIGSEGV_MAPERR;
	mutex_lock(&mm->mmap_lock);
	ret = __handle_mm_fault(mm, address, flags);
	mutex_unlock(&mm->mmap_lock);
	return ret;
}

/* ---- populating and remote access -------------------------------------- */

/* The VMA containing @addr, or NULL (no stack growth here). */
static struct vm_area_struct *vma_at(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && vma->vm_start <= addr ? vma : NULL;
}

int __mm_populate(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma;
	unsigned long addr;
	unsigned int flags;

	for (addr = start & PAGE_MASK; addr < end; addr += PAGE_SIZE) {
		vma = vma_at(mm, addr);
		if (!vma)
			return -EFAULT;
		flags = FAULT_FLAG_FORCE;
		/* Break copy-on-write of private memory now; a shared file
		 * page is dirtied by its first real write (Linux's rule). */
		if ((vma->vm_flags & VM_WRITE) &&
		    !(vma->vm_file && (vma->vm_flags & VM_SHARED)))
			flags |= FAULT_FLAG_WRITE;
		if (fault_page(mm, vma, addr, flags))
			return -ENOMEM;
	}
	return 0;
}

int mm_populate(struct mm_struct *mm, unsigned long start, size_t len)
{
	int err;

	if (!mm_range_ok(start, len))
		return -EFAULT;
	mutex_lock(&mm->mmap_lock);
	err = __mm_populate(mm, start, start + len);
	mutex_unlock(&mm->mmap_lock);
	return err;
}

/*
 * The direct-map address of the page at @addr in @mm, made present and
 * private to this mapping as a write fault would, rights ignored.
 * @flags: FAULT_FLAG_OVERWRITE if the caller fills the whole page.
 */
static int page_for_write(struct mm_struct *mm, unsigned long addr,
			  unsigned int flags, u8 **kaddr)
{
	struct vm_area_struct *vma = vma_at(mm, addr);

	if (!vma)
		return -EFAULT;
	flags |= FAULT_FLAG_WRITE | FAULT_FLAG_FORCE;
	if (fault_page(mm, vma, addr, flags))
		return -ENOMEM;
	*kaddr = page_address(pte_page(*pte_offset(mm->pgd, addr)));
	return 0;
}

/* The chunk of [@addr, @addr + @len) that lies in @addr's page. */
static size_t chunk_len(unsigned long addr, size_t len)
{
	size_t room = PAGE_SIZE - (addr & ~PAGE_MASK);

	return len < room ? len : room;
}

int copy_to_mm(struct mm_struct *mm, unsigned long dst, const void *src,
	       size_t len)
{
	const u8 *from = src;
	unsigned int flags;
	size_t n;
	u8 *kaddr;
	int err = 0;

	if (!mm_range_ok(dst, len))
		return -EFAULT;
	mutex_lock(&mm->mmap_lock);
	for (; len && !err; dst += n, from += n, len -= n) {
		n = chunk_len(dst, len);
		flags = n == PAGE_SIZE ? FAULT_FLAG_OVERWRITE : 0;
		err = page_for_write(mm, dst & PAGE_MASK, flags, &kaddr);
		if (!err)
			memcpy(kaddr + (dst & ~PAGE_MASK), from, n);
	}
	mutex_unlock(&mm->mmap_lock);
	return err;
}

/* Does the page at @addr of @vma read as zeroes without being
 * touched? (A file's page reads as the file.) */
static bool page_reads_zero(struct mm_struct *mm,
			    const struct vm_area_struct *vma,
			    unsigned long addr)
{
	pte_t *pte = pte_offset(mm->pgd, addr);

	if (pte && pte_mapped(*pte))
		return is_zero_pfn(pte_pfn(*pte));
	return !vma->vm_ops;
}

/* The PTE of @addr in @vma, holding a frame: a file's page is faulted
 * in (rights ignored) rather than read as zeroes. NULL: nothing there. */
static pte_t *mapped_pte(struct mm_struct *mm, struct vm_area_struct *vma,
			 unsigned long addr)
{
	pte_t *pte = pte_offset(mm->pgd, addr);

	if ((!pte || !pte_mapped(*pte)) && vma->vm_ops &&
	    !fault_page(mm, vma, addr, FAULT_FLAG_FORCE))
		pte = pte_offset(mm->pgd, addr);
	return pte && pte_mapped(*pte) ? pte : NULL;
}

int clear_in_mm(struct mm_struct *mm, unsigned long dst, size_t len)
{
	struct vm_area_struct *vma;
	size_t n;
	u8 *kaddr;
	int err = 0;

	if (!mm_range_ok(dst, len))
		return -EFAULT;
	mutex_lock(&mm->mmap_lock);
	for (; len && !err; dst += n, len -= n) {
		n = chunk_len(dst, len);
		vma = vma_at(mm, dst);
		if (!vma)
			err = -EFAULT;
		else if (!page_reads_zero(mm, vma, dst))
			err = page_for_write(mm, dst & PAGE_MASK, 0, &kaddr);
		else
			continue; /* zero already, or zero when faulted */
		if (!err)
			memset(kaddr + (dst & ~PAGE_MASK), 0, n);
	}
	mutex_unlock(&mm->mmap_lock);
	return err;
}

int copy_from_mm(struct mm_struct *mm, void *dst, unsigned long src, size_t len)
{
	struct vm_area_struct *vma;
	u8 *to = dst;
	pte_t *pte;
	size_t n;
	int err = 0;

	if (!mm_range_ok(src, len))
		return -EFAULT;
	mutex_lock(&mm->mmap_lock);
	for (; len; src += n, to += n, len -= n) {
		n = chunk_len(src, len);
		vma = vma_at(mm, src);
		if (!vma) {
			err = -EFAULT;
			break;
		}
		pte = mapped_pte(mm, vma, src & PAGE_MASK);
		if (pte)
			memcpy(to,
			       (u8 *)page_address(pte_page(*pte)) +
				       (src & ~PAGE_MASK),
			       n);
		else
			memset(to, 0, n);
	}
	mutex_unlock(&mm->mmap_lock);
	return err;
}

int copy_dump_page(struct mm_struct *mm, unsigned long addr, void *buf)
{
	struct vm_area_struct *vma;
	pte_t *pte;
	int ret = 0;

	mutex_lock(&mm->mmap_lock);
	vma = vma_at(mm, addr);
	if (!vma) {
		ret = -EFAULT;
		goto out_unlock;
	}
	pte = mapped_pte(mm, vma, addr & PAGE_MASK);
	if (pte && !is_zero_pfn(pte_pfn(*pte))) {
		memcpy(buf, page_address(pte_page(*pte)), PAGE_SIZE);
		ret = 1;
	}
out_unlock:
	mutex_unlock(&mm->mmap_lock);
	return ret;
}

pte_t mm_lookup_pte(struct mm_struct *mm, unsigned long addr)
{
	pte_t *pte, val = 0;

	if (addr >= TASK_SIZE)
		return 0;
	mutex_lock(&mm->mmap_lock);
	pte = pte_offset(mm->pgd, addr);
	if (pte)
		val = *pte;
	mutex_unlock(&mm->mmap_lock);
	return val;
}
