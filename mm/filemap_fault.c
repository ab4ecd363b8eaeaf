/*
 * File mappings: the page cache seen through page tables.
 *
 * A VMA that maps a file (vma->vm_file, from page vma->vm_pgoff) gets
 * its pages from the file's page cache (mm/filemap.c) instead of fresh
 * zeroed memory. mm/memory.c's fault path calls the VMA's ->fault, here
 * filemap_fault(), which finds the page of the file (reading it, with
 * read-ahead around it, when it is not cached) and hands it back locked;
 * the fault path then maps it read-only, or copies it for a write to a
 * private mapping, or dirties it for a write to a shared one.
 *
 * Each file's mapping keeps the list of VMAs that map it
 * (mapping->i_mmap, Linux's reverse map, here a plain list), so that the
 * page cache can reach the page tables:
 *
 *  - a truncation unmaps the pages past the new end from every process
 *    (unmap_mapping_range()), so that an access there faults again and
 *    finds nothing: SIGBUS;
 *  - write-back write-protects the PTEs of a page it cleans
 *    (page_mkclean()), so that the next write through a mapping faults
 *    and dirties the page again.
 *
 * docs/filemap.md tells the story, with the fault path drawn.
 *
 * Locks, outermost first:
 *	i_mutex          the inode's (truncate holds it)
 *	mm->mmap_lock    a VMA and its PTEs; held by every fault
 *	page lock        the page cache page (lock_page())
 *	i_mmap_lock      mapping->i_mmap and vma->vm_unmap_gen (spinlock)
 * A VMA joins i_mmap when it joins its mm and leaves it before it leaves
 * its mm, both under mmap_lock and i_mmap_lock: holding i_mmap_lock, a
 * VMA on the list still has its page tables.
 */
#include <asm/pgtable.h>
#include <kestrel/atomic.h>
#include <kestrel/err.h>
#include <kestrel/fs.h>
#include <kestrel/mm.h>
#include <kestrel/mman.h>
#include <kestrel/pagemap.h>
#include <kestrel/string.h>
#include <kestrel/writeback.h>

/* ---- the VMAs of a file ------------------------------------------------ */

void vma_link_file(struct vm_area_struct *vma)
{
	struct address_space *mapping = vma->vm_file->f_mapping;

	spin_lock(&mapping->i_mmap_lock);
	list_add_tail(&vma->vm_shared, &mapping->i_mmap);
	spin_unlock(&mapping->i_mmap_lock);
}

void vma_unlink_file(struct vm_area_struct *vma)
{
	struct address_space *mapping = vma->vm_file->f_mapping;

	spin_lock(&mapping->i_mmap_lock);
	list_del_init(&vma->vm_shared);
	spin_unlock(&mapping->i_mmap_lock);
}

/* The file pages [@first, @last] that @vma maps, clipped; false if none. */
static bool vma_file_range(const struct vm_area_struct *vma, pgoff_t *first,
			   pgoff_t *last)
{
	pgoff_t vfirst = vma->vm_pgoff, vlast = vfirst + vma_pages(vma) - 1;

	if (*last < vfirst || *first > vlast)
		return false;
	if (*first < vfirst)
		*first = vfirst;
	if (*last > vlast)
		*last = vlast;
	return true;
}

/* The user address at which @vma maps file page @pgoff (in range). */
static unsigned long vma_address(const struct vm_area_struct *vma,
				 pgoff_t pgoff)
{
	return vma->vm_start + ((pgoff - vma->vm_pgoff) << PAGE_SHIFT);
}

/* ---- truncation: unmap_mapping_range() --------------------------------- */

static atomic_t unmap_generation = ATOMIC_INIT(0);

/*
 * Zap file pages [@first, @last] from every VMA of @mm on @mapping's
 * list, marking them visited by pass @gen. mmap_lock held: the mm's
 * VMAs, and so its part of the list, cannot change.
 */
static void unmap_mm_range(struct mm_struct *mm, struct address_space *mapping,
			   pgoff_t first, pgoff_t last, bool even_cows,
			   unsigned long gen)
{
	struct vm_area_struct *vma;
	pgoff_t from, to;

	for (vma = find_vma(mm, 0); vma; vma = vma_next(mm, vma)) {
		if (!vma->vm_file || vma->vm_file->f_mapping != mapping)
			continue;
		spin_lock(&mapping->i_mmap_lock);
		vma->vm_unmap_gen = gen;
		spin_unlock(&mapping->i_mmap_lock);
		from = first;
		to = last;
		if (!vma_file_range(vma, &from, &to))
			continue;
		__zap_page_range(vma, vma_address(vma, from),
				 vma_address(vma, to) + PAGE_SIZE, !even_cows);
	}
}

/* An mm with a VMA over [@first, @last] not yet visited by pass @gen,
 * grabbed (mmdrop it), or NULL when every one has been. */
static struct mm_struct *next_mm_to_unmap(struct address_space *mapping,
					  pgoff_t first, pgoff_t last,
					  unsigned long gen)
{
	struct vm_area_struct *vma;
	struct mm_struct *mm = NULL;
	pgoff_t from, to;

	spin_lock(&mapping->i_mmap_lock);
	list_for_each_entry(vma, &mapping->i_mmap, vm_shared) {
		from = first;
		to = last;
		if (vma->vm_unmap_gen == gen ||
		    !vma_file_range(vma, &from, &to))
			continue;
		mm = vma->vm_mm;
		mmgrab(mm);
		break;
	}
	spin_unlock(&mapping->i_mmap_lock);
	return mm;
}

/**
 * unmap_mapping_range - unmap a file's pages from every process
 * @mapping: the file's pages
 * @holebegin: first byte (rounded down to its page)
 * @holelen: bytes (rounded up to pages); 0: to the end of the file
 * @even_cows: also drop the private copies that private mappings made
 *             of these pages (a truncation does, as Linux's: the data
 *             past the end is gone for every mapping; an invalidation
 *             does not: a process's own writes are its memory)
 *
 * Each mm whose VMAs map part of the range is visited once, under its
 * mmap_lock (the PTEs' lock here), so that no fault runs in it
 * meanwhile. The i_mmap spinlock cannot be held across mmap_lock: each
 * pass marks the VMAs it visited with its generation and looks again
 * for one it has not. A VMA made after the pass began (a fork) is new
 * and unmarked, so it is visited too. The callers serialise on i_mutex,
 * so two passes do not undo each other's marks for long.
 *
 * Context: process; takes each mm's mmap_lock, so neither an mmap_lock
 * nor a page lock may be held (a fault holds the first while it waits
 * for the second); may sleep. Callers hold i_mutex (truncate,
 * invalidation).
 */
void unmap_mapping_range(struct address_space *mapping, loff_t holebegin,
			 loff_t holelen, bool even_cows)
{
	pgoff_t first = (pgoff_t)(holebegin >> PAGE_SHIFT), last = ~0UL;
	unsigned long gen = (unsigned long)atomic_inc_return(&unmap_generation);
	struct mm_struct *mm;

	if (holelen) {
		u64 end = ((u64)holebegin + (u64)holelen + PAGE_SIZE - 1) >>
			  PAGE_SHIFT;

		if (end <= first)
			return;
		if (end - 1 < ~0UL)
			last = (pgoff_t)(end - 1);
	}
	if (!gen) /* 0 is what a new VMA carries */
		gen = (unsigned long)atomic_inc_return(&unmap_generation);
	might_sleep();
	while ((mm = next_mm_to_unmap(mapping, first, last, gen))) {
		mutex_lock(&mm->mmap_lock);
		unmap_mm_range(mm, mapping, first, last, even_cows, gen);
		mutex_unlock(&mm->mmap_lock);
		mmdrop(mm);
	}
}

/* ---- write-back: page_mkclean() ----------------------------------------- */

/* Write-protect the PTE of @page in the shared @vma, if it maps it
 * writable: true if it did. i_mmap_lock held. */
static bool mkclean_one(struct vm_area_struct *vma, struct page *page)
{
	unsigned long addr = vma_address(vma, page->index);
	pte_t *pte = pte_offset(vma->vm_mm->pgd, addr);
	pte_t old;

	if (!pte || !pte_present(*pte) || pte_pfn(*pte) != page_to_pfn(page))
		return false;
	old = *pte;
	if (!pte_write(old) && !pte_dirty(old))
		return false;
	/* One CPU: nothing else writes this PTE while we hold a spinlock
	 * (faults on it hold the page lock, which our caller holds). */
	set_pte(pte, pte_wrprotect(old) & ~(pte_t)_PAGE_DIRTY);
	flush_tlb_page(vma->vm_mm, addr);
	return true;
}

/**
 * page_mkclean - write-protect every shared mapping of @page
 * @page: a page cache page, locked, about to be written back
 *
 * Called by clear_page_dirty_for_io(): after it, a write through any
 * mapping faults and dirties the page again (do_shared_file_wp() in
 * mm/memory.c), so that a change made during or after the write-back
 * is not lost. Returns how many PTEs it write-protected.
 * Context: any process context; takes i_mmap_lock; does not sleep.
 */
int page_mkclean(struct page *page)
{
	struct address_space *mapping = page->mapping;
	struct vm_area_struct *vma;
	pgoff_t first, last;
	int cleaned = 0;

	if (!mapping || !atomic_read(&page->_mapcount))
		return 0;
	spin_lock(&mapping->i_mmap_lock);
	list_for_each_entry(vma, &mapping->i_mmap, vm_shared) {
		first = last = page->index;
		if (!(vma->vm_flags & VM_SHARED) ||
		    !vma_file_range(vma, &first, &last))
			continue;
		cleaned += mkclean_one(vma, page);
	}
	spin_unlock(&mapping->i_mmap_lock);
	return cleaned;
}

/* ---- the fault ----------------------------------------------------------- */

/* Pages of @mapping's file: the first page index past its end. */
static pgoff_t file_pages(struct address_space *mapping)
{
	return (pgoff_t)PFN_UP(i_size_read(mapping->host));
}

/*
 * Read ahead for a fault that missed the cache at @pgoff (Linux's
 * do_sync_mmap_readahead): nothing for MADV_RANDOM; the sequential
 * window for MADV_SEQUENTIAL; else a window around the fault, since a
 * program's accesses to its mapping cluster but go either way.
 */
static void fault_readahead(struct vm_area_struct *vma, pgoff_t pgoff)
{
	struct file *file = vma->vm_file;
	struct file_ra_state *ra = &file->f_ra;
	struct address_space *mapping = file->f_mapping;
	pgoff_t start, end = file_pages(mapping);

	if ((vma->vm_flags & VM_RAND_READ) || !ra->ra_pages ||
	    !mapping->a_ops->readpage)
		return;
	if (vma->vm_flags & VM_SEQ_READ) {
		page_cache_sync_readahead(mapping, ra, file, pgoff, 1);
		return;
	}
	start = pgoff > ra->ra_pages / 2 ? pgoff - ra->ra_pages / 2 : 0;
	if (start + ra->ra_pages < end)
		end = start + ra->ra_pages;
	if (start < end)
		force_page_cache_readahead(mapping, file, start, end - start);
}

/*
 * A file kept only in memory (tmpfs: no ->readpage) has no data where it
 * has no page: the hole becomes a zeroed page of the cache, clean, as
 * Linux's shmem_fault() makes it.
 */
static struct page *fault_hole_page(struct address_space *mapping,
				    pgoff_t pgoff)
{
	struct page *page =
		find_or_create_page(mapping, pgoff, mapping_gfp_mask(mapping));

	if (!page)
		return ERR_PTR(-ENOMEM);
	if (!PageUptodate(page)) {
		memset(page_address(page), 0, PAGE_SIZE);
		SetPageUptodate(page);
	}
	unlock_page(page);
	return page;
}

/* The uptodate page @pgoff of the file, with a reference, read (and
 * read ahead) if needed; an ERR_PTR if it cannot be read. */
static struct page *fault_get_page(struct vm_area_struct *vma, pgoff_t pgoff)
{
	struct file *file = vma->vm_file;
	struct address_space *mapping = file->f_mapping;
	struct page *page = find_get_page(mapping, pgoff);

	if (!mapping->a_ops->readpage)
		return page ? page : fault_hole_page(mapping, pgoff);

	if (page) {
		if (PageReadahead(page) && !(vma->vm_flags & VM_RAND_READ))
			page_cache_async_readahead(mapping, &file->f_ra, file,
						   page, pgoff, 1);
		if (PageUptodate(page))
			return page;
		put_page(page);
	} else {
		fault_readahead(vma, pgoff);
	}
	return read_mapping_page(mapping, pgoff, file);
}

/**
 * filemap_fault - the page cache's ->fault
 * @vma: a file mapping
 * @vmf: the fault; vmf->page is set on success
 *
 * The page of vmf->pgoff, uptodate, locked and still in the file (a
 * truncation takes the page lock to remove a page, so while we hold it
 * the page stays), with a reference. Past the end of the file: SIGBUS,
 * as Linux (a partial last page is mapped: its tail reads as zeroes).
 * A read error is SIGBUS too.
 * Context: mmap_lock held; may sleep (the read).
 */
int filemap_fault(struct vm_area_struct *vma, struct vm_fault *vmf)
{
	struct address_space *mapping = vma->vm_file->f_mapping;
	struct page *page;

	for (;;) {
		if (vmf->pgoff >= file_pages(mapping))
			return VM_FAULT_SIGBUS;
		page = fault_get_page(vma, vmf->pgoff);
		if (IS_ERR(page))
			return PTR_ERR(page) == -ENOMEM ? VM_FAULT_OOM :
							  VM_FAULT_SIGBUS;
		lock_page(page);
		/* Truncated or invalidated while we slept: look again. */
		if (page->mapping == mapping && PageUptodate(page))
			break;
		unlock_page(page);
		put_page(page);
	}
	/* The size again, now that a truncation cannot pass us. */
	if (vmf->pgoff >= file_pages(mapping)) {
		unlock_page(page);
		put_page(page);
		return VM_FAULT_SIGBUS;
	}
	vmf->page = page;
	return 0;
}

/*
 * The page cache's ->page_mkwrite: the first write through a shared
 * mapping dirties the page (the write-back will write it) and, as a
 * write() would, the file's modification time.
 */
static int filemap_page_mkwrite(struct vm_area_struct *vma, struct page *page)
{
	struct inode *inode = file_inode(vma->vm_file);
	struct timespec64 now = current_time(inode);

	set_page_dirty(page);
	/* As Linux's file_update_time(): without i_mutex, which comes
	 * before mmap_lock; a racing writer sets the same time. */
	if (inode->i_mtime.tv_sec != now.tv_sec ||
	    inode->i_mtime.tv_nsec != now.tv_nsec) {
		inode->i_mtime = now;
		inode->i_ctime = now;
		mark_inode_dirty_sync(inode);
	}
	return 0;
}

const struct vm_operations_struct generic_file_vm_ops = {
	.fault = filemap_fault,
	.page_mkwrite = filemap_page_mkwrite,
};

/**
 * generic_file_mmap - ->mmap of a file whose pages are in the page cache
 * @file: the file
 * @vma: the new VMA (vm_file, vm_pgoff set)
 *
 * A file with no ->readpage keeps its data in memory only (tmpfs): its
 * holes fault in as zeroed pages of the cache. Returns 0, or -ENOEXEC
 * for a mapping without address_space_operations.
 */
int generic_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (!file->f_mapping->a_ops)
		return -ENOEXEC;
	vma->vm_ops = &generic_file_vm_ops;
	return 0;
}

/* ->mmap of a file that may only be mapped for reading: a shared
 * writable mapping is refused (EINVAL, as Linux's). */
int generic_file_readonly_mmap(struct file *file, struct vm_area_struct *vma)
{
	if ((vma->vm_flags & VM_SHARED) && (vma->vm_flags & VM_MAYWRITE))
		return -EINVAL;
	return generic_file_mmap(file, vma);
}
