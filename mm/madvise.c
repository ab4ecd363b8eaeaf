/*
 * madvise(): advice about a range of an address space.
 *
 * Most advice is a hint Kestrel has no use for yet (no swap, no page
 * cache, no huge pages, no KSM); some changes what the range is, with a
 * VMA flag that fork or a core dump reads; a few act on the pages. Which
 * advice is valid, and where each is refused, is Linux 6.1's
 * (madvise_behavior_valid(), madvise_vma_behavior(); Debian's 686 build,
 * with KSM, THP and MEMORY_FAILURE):
 *
 *	advice                      here                          refused
 *	NORMAL, RANDOM, SEQUENTIAL  VM_RAND_READ / VM_SEQ_READ    -
 *	                            (file faults read ahead by
 *	                            them, mm/filemap_fault.c)
 *	WILLNEED                    files: read-ahead of the      -
 *	                            range; anonymous: nothing
 *	DONTNEED, DONTNEED_LOCKED   private pages dropped (zero   VM_LOCKED, but
 *	                            when touched again, or the    for _LOCKED
 *	                            file's page); file pages
 *	                            unmapped; shared anonymous
 *	                            pages kept (see below)
 *	FREE                        as DONTNEED                   VM_LOCKED; shared,
 *	                                                          files
 *	REMOVE                      shared pages zeroed           VM_LOCKED; private;
 *	                                                          files (no hole
 *	                                                          punching: EOPNOTSUPP)
 *	DONTFORK, DOFORK            VM_DONTCOPY                   -
 *	WIPEONFORK, KEEPONFORK      VM_WIPEONFORK                 shared (WIPE)
 *	DONTDUMP, DODUMP            VM_DONTDUMP                   -
 *	MERGEABLE, UNMERGEABLE      VM_MERGEABLE, private only    -
 *	HUGEPAGE, NOHUGEPAGE        VM_HUGEPAGE / VM_NOHUGEPAGE   -
 *	COLD, PAGEOUT               nothing                       VM_LOCKED
 *	POPULATE_READ, _WRITE       the pages faulted in          no read / write right
 *	COLLAPSE                    -                             always: no huge pages
 *	anything else               -                             EINVAL
 *
 * MADV_HWPOISON and MADV_SOFT_OFFLINE are EINVAL, as in a Linux built
 * without CONFIG_MEMORY_FAILURE: Kestrel cannot take a frame out of use.
 *
 * The range is walked VMA by VMA, as Linux's madvise_walk_vmas(): an
 * error on a VMA ends the walk; a hole is remembered and reported as
 * ENOMEM at the end, after the mapped parts were advised. A flag change
 * splits the VMA at the range's ends (and merges equal neighbours), so
 * the walk finds its VMA again by address each time.
 *
 * Shared anonymous memory has no object behind it yet: its pages exist
 * only as the frames that every sharer's PTEs point at (fork populates
 * a shared VMA and copies its PTEs, mm/memory.c). Hence:
 *
 *  - DONTNEED must not drop them. Linux zaps the PTEs and the next
 *    access finds the same page in the shmem object; here a zapped PTE
 *    would refault as a new zeroed page of this process alone: the data
 *    lost, the sharing broken. The advice keeps them (it is advice).
 *  - REMOVE, which in Linux punches a hole in the shmem object so that
 *    every sharer reads zeroes, zeroes the frames in place: every sharer
 *    maps them. A page not present in this mm is present in no other
 *    (nobody shares it before a fork, and fork makes them all present)
 *    and reads as zeroes when it is faulted.
 *
 * When shared anonymous memory moves onto a shmem object, both become
 * Linux's: DONTNEED zaps and the refault finds the object's page; REMOVE
 * frees the object's pages and zaps every sharer's PTEs of the range.
 *
 * Locking: do_madvise() holds mmap_lock across the walk.
 */
#include <asm/pgtable.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/mm.h>
#include <kestrel/mman.h>
#include <kestrel/pagemap.h>
#include <kestrel/string.h>

/* Is @advice one Linux 6.1 (Debian's build) knows? */
static bool madvise_behavior_valid(int advice)
{
	switch (advice) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
	case MADV_FREE:
	case MADV_REMOVE:
	case MADV_DONTFORK:
	case MADV_DOFORK:
	case MADV_MERGEABLE:
	case MADV_UNMERGEABLE:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_COLLAPSE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case MADV_COLD:
	case MADV_PAGEOUT:
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
		return true;
	}
	return false;
}

/* ---- advice that acts on pages ------------------------------------------- */

static int madvise_dontneed_free(struct mm_struct *mm,
				 struct vm_area_struct *vma,
				 unsigned long start, unsigned long end,
				 int advice)
{
	unsigned long forbidden = advice == MADV_DONTNEED_LOCKED ? 0 :
								   VM_LOCKED;
	bool anonymous = !(vma->vm_flags & VM_SHARED) && !vma->vm_file;

	(void)mm;
	if (vma->vm_flags & forbidden)
		return -EINVAL;
	if (advice == MADV_FREE && !anonymous) /* Linux: shmem is not */
		return -EINVAL;
	if ((vma->vm_flags & VM_SHARED) && !vma->vm_file)
		return 0; /* the frames are the sharing: keep them */
	/* A file's pages stay in its cache: a later access maps them
	 * again (a private mapping's copies are lost, as in Linux). */
	__zap_page_range(vma, start, end, false);
	return 0;
}

/* Read the file pages of [@start, @end) ahead (Linux: vfs_fadvise()
 * WILLNEED); nothing for anonymous memory, which is never swapped. */
static int madvise_willneed(struct vm_area_struct *vma, unsigned long start,
			    unsigned long end)
{
	struct file *file = vma->vm_file;
	pgoff_t first, size;
	unsigned long nr;

	if (!file)
		return 0;
	first = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT);
	nr = (end - start) >> PAGE_SHIFT;
	size = (pgoff_t)PFN_UP(i_size_read(file->f_mapping->host));
	if (first >= size)
		return 0;
	if (nr > size - first)
		nr = size - first;
	force_page_cache_readahead(file->f_mapping, file, first, nr);
	return 0;
}

/* Zero every page of [@start, @end) that this shared mapping maps. */
static void zero_shared_pages(struct mm_struct *mm, unsigned long start,
			      unsigned long end)
{
	unsigned long addr;
	pte_t *pte;

	for (addr = start; addr < end; addr += PAGE_SIZE) {
		pte = pte_offset(mm->pgd, addr);
		if (!pte || !pte_mapped(*pte) || is_zero_pfn(pte_pfn(*pte)))
			continue;
		memset(page_address(pfn_to_page(pte_pfn(*pte))), 0, PAGE_SIZE);
	}
}

static int madvise_remove(struct mm_struct *mm, struct vm_area_struct *vma,
			  unsigned long start, unsigned long end)
{
	if (vma->vm_flags & VM_LOCKED)
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED)) /* no object to punch a hole in */
		return -EINVAL;
	if (!(vma->vm_flags & VM_MAYWRITE))
		return -EACCES;
	if (vma->vm_file) /* Linux's without ->fallocate hole punching */
		return -EOPNOTSUPP;
	zero_shared_pages(mm, start, end);
	return 0;
}

/* Fault in [@start, @end) for reading or writing, with the VMA's rights
 * (Linux: EINVAL, not EFAULT, for a mapping that lacks the right). */
static int madvise_populate(struct mm_struct *mm, struct vm_area_struct *vma,
			    unsigned long start, unsigned long end, int advice)
{
	unsigned int flags = advice == MADV_POPULATE_WRITE ? FAULT_FLAG_WRITE :
							     0;
	unsigned long need = flags ? VM_WRITE : VM_READ, addr;
	int fault;

	if (!(vma->vm_flags & need))
		return -EINVAL;
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		fault = __handle_mm_fault(mm, addr, flags);
		if (fault)
			return fault == VM_FAULT_OOM ? -ENOMEM : -EFAULT;
	}
	return 0;
}

/* ---- advice that changes the VMA ----------------------------------------- */

/* The flags @advice gives @vma in *@flags (unchanged if it sets none);
 * 0, or -EINVAL where Linux refuses the advice for this VMA. */
static int madvise_new_flags(const struct vm_area_struct *vma, int advice,
			     unsigned long *flags)
{
	unsigned long f = vma->vm_flags;

	switch (advice) {
	case MADV_NORMAL:
		f &= ~(VM_RAND_READ | VM_SEQ_READ);
		break;
	case MADV_SEQUENTIAL:
		f = (f & ~VM_RAND_READ) | VM_SEQ_READ;
		break;
	case MADV_RANDOM:
		f = (f & ~VM_SEQ_READ) | VM_RAND_READ;
		break;
	case MADV_DONTFORK:
		f |= VM_DONTCOPY;
		break;
	case MADV_DOFORK:
		f &= ~VM_DONTCOPY;
		break;
	case MADV_WIPEONFORK:
		if (f & VM_SHARED)
			return -EINVAL;
		f |= VM_WIPEONFORK;
		break;
	case MADV_KEEPONFORK:
		f &= ~VM_WIPEONFORK;
		break;
	case MADV_DONTDUMP:
		f |= VM_DONTDUMP;
		break;
	case MADV_DODUMP:
		f &= ~VM_DONTDUMP;
		break;
	case MADV_MERGEABLE: /* as Linux's ksm_madvise(): not shared memory */
		if (!(f & (VM_SHARED | VM_MAYSHARE)))
			f |= VM_MERGEABLE;
		break;
	case MADV_UNMERGEABLE:
		f &= ~VM_MERGEABLE;
		break;
	case MADV_HUGEPAGE:
		f = (f & ~VM_NOHUGEPAGE) | VM_HUGEPAGE;
		break;
	case MADV_NOHUGEPAGE:
		f = (f & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
		break;
	}
	*flags = f;
	return 0;
}

static int madvise_update_vma(struct mm_struct *mm, struct vm_area_struct *vma,
			      unsigned long start, unsigned long end,
			      int advice)
{
	unsigned long flags;
	int err = madvise_new_flags(vma, advice, &flags);

	if (!err)
		err = __vma_modify_flags(mm, vma, start, end, flags);
	/* Linux: a split that found no memory is worth retrying. */
	return err == -ENOMEM ? -EAGAIN : err;
}

/* ---- the walk ------------------------------------------------------------ */

/* Apply @advice to [@start, @end), all inside @vma. */
static int madvise_vma(struct mm_struct *mm, struct vm_area_struct *vma,
		       unsigned long start, unsigned long end, int advice)
{
	switch (advice) {
	case MADV_WILLNEED:
		return madvise_willneed(vma, start, end);
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
	case MADV_FREE:
		return madvise_dontneed_free(mm, vma, start, end, advice);
	case MADV_REMOVE:
		return madvise_remove(mm, vma, start, end);
	case MADV_COLD:
	case MADV_PAGEOUT:
		return vma->vm_flags & VM_LOCKED ? -EINVAL : 0;
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
		return madvise_populate(mm, vma, start, end, advice);
	case MADV_COLLAPSE:
		return -EINVAL;
	}
	return madvise_update_vma(mm, vma, start, end, advice);
}

static int madvise_walk(struct mm_struct *mm, unsigned long start,
			unsigned long end, int advice)
{
	struct vm_area_struct *vma;
	unsigned long stop;
	int unmapped = 0, err;

	mmap_assert_locked(mm);
	while (start < end) {
		vma = find_vma(mm, start);
		if (!vma)
			return -ENOMEM;
		if (start < vma->vm_start) {
			unmapped = -ENOMEM;
			start = vma->vm_start;
			if (start >= end)
				break;
		}
		stop = vma->vm_end < end ? vma->vm_end : end;
		err = madvise_vma(mm, vma, start, stop, advice);
		if (err)
			return err;
		start = stop;
	}
	return unmapped;
}

int do_madvise(struct mm_struct *mm, unsigned long start, size_t len_in,
	       int advice)
{
	unsigned long len, end;
	int err;

	if (!madvise_behavior_valid(advice))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	len = PAGE_ALIGN(len_in);
	if (len_in && !len) /* rounded up from just below 4 GiB */
		return -EINVAL;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	mutex_lock(&mm->mmap_lock);
	err = madvise_walk(mm, start, end, advice);
	mutex_unlock(&mm->mmap_lock);
	return err;
}
