/*
 * msync() and mincore(): two questions about a range of an address
 * space that file mappings make interesting.
 *
 * msync(MS_SYNC) writes the dirty pages a shared file mapping made and
 * waits (the file's ->fsync on the range, Linux's vfs_fsync_range()).
 * MS_ASYNC does nothing, as in Linux since 2.6.19: a write through a
 * mapping already dirtied its page (do_shared_file_wp(), mm/memory.c),
 * and the flusher writes dirty pages on its own. MS_INVALIDATE asks
 * that other mappings see the file's contents: with one page cache
 * they always do, so it only refuses locked memory (EBUSY).
 *
 * mincore() says, a byte per page, whether each page of the range is
 * resident: present in the page tables, or (for a file mapping) in the
 * file's page cache, as Linux's.
 *
 * Both walk the range VMA by VMA under mmap_lock, as madvise does; a
 * hole is ENOMEM.
 */
#include <asm/pgtable.h>
#include <kestrel/err.h>
#include <kestrel/fs.h>
#include <kestrel/mm.h>
#include <kestrel/mman.h>
#include <kestrel/pagemap.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>

/* ---- msync ------------------------------------------------------------- */

/* Write [@start, @end] bytes of @file and wait: its ->fsync on the range
 * (data only), or the page cache's write-back alone. */
static int msync_file_range(struct file *file, loff_t start, loff_t end)
{
	if (file->f_op->fsync)
		return file->f_op->fsync(file, start, end, 1);
	return filemap_write_and_wait_range(file->f_mapping, start, end);
}

/*
 * One step of msync's walk at *@start, below @end, in @vma: 0 to go on,
 * 1 when done, or an errno. A shared file range with MS_SYNC is written
 * without mmap_lock (write-back takes page locks, and ->fsync i_mutex,
 * which come before it): *@relock tells the caller to find its place
 * again.
 */
static int msync_vma(struct mm_struct *mm, struct vm_area_struct *vma,
		     unsigned long *start, unsigned long end, int flags,
		     bool *relock)
{
	unsigned long stop = vma->vm_end < end ? vma->vm_end : end;
	struct file *file = vma->vm_file;
	loff_t fstart, fend;
	int err;

	*relock = false;
	if ((flags & MS_INVALIDATE) && (vma->vm_flags & VM_LOCKED))
		return -EBUSY;
	fstart = ((loff_t)vma->vm_pgoff << PAGE_SHIFT) +
		 (*start - vma->vm_start);
	fend = fstart + (loff_t)(stop - *start) - 1;
	*start = vma->vm_end;
	if (!(flags & MS_SYNC) || !file || !(vma->vm_flags & VM_SHARED))
		return *start >= end;
	get_file(file);
	mutex_unlock(&mm->mmap_lock);
	*relock = true;
	err = msync_file_range(file, fstart, fend);
	fput(file);
	return err ? err : *start >= end;
}

/**
 * do_msync - msync(): write back the shared file mappings of a range
 * @flags: MS_ASYNC or MS_SYNC, and MS_INVALIDATE
 *
 * Returns 0 or, as Linux: -EINVAL (unaligned @start, unknown flags,
 * MS_ASYNC with MS_SYNC), -ENOMEM (part of the range unmapped; the
 * mapped parts are still synced), -EBUSY (MS_INVALIDATE on locked
 * memory), or the write-back's error (-EIO).
 * Context: process; takes mmap_lock, drops it to write; may sleep.
 */
int do_msync(struct mm_struct *mm, unsigned long start, size_t len, int flags)
{
	struct vm_area_struct *vma;
	unsigned long end;
	int err = 0, unmapped = 0;
	bool relock;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if ((start & ~PAGE_MASK) || ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	end = start + PAGE_ALIGN(len);
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;
	mutex_lock(&mm->mmap_lock);
	for (;;) {
		vma = find_vma(mm, start);
		if (!vma) {
			err = -ENOMEM;
			break;
		}
		if (start < vma->vm_start) {
			unmapped = -ENOMEM;
			start = vma->vm_start;
			if (start >= end)
				break;
		}
		err = msync_vma(mm, vma, &start, end, flags, &relock);
		if (relock && err == 0)
			mutex_lock(&mm->mmap_lock);
		else if (relock)
			return err < 0 ? err : unmapped;
		if (err)
			break;
	}
	mutex_unlock(&mm->mmap_lock);
	return err < 0 ? err : unmapped;
}

SYSCALL_DEFINE3(msync, unsigned long, start, size_t, len, int, flags)
{
	return do_msync(current->mm, start, len, flags);
}

/* ---- mincore ----------------------------------------------------------- */

/* Is page @pgoff of @mapping's file in its cache (and uptodate)? */
static unsigned char mincore_page(struct address_space *mapping, pgoff_t pgoff)
{
	struct page *page = find_get_page(mapping, pgoff);
	unsigned char present = 0;

	if (page) {
		present = PageUptodate(page);
		put_page(page);
	}
	return present;
}

/* Fill @vec for the pages of [@addr, @end), all in @vma. mmap_lock. */
static void mincore_vma(struct mm_struct *mm, struct vm_area_struct *vma,
			unsigned long addr, unsigned long end,
			unsigned char *vec)
{
	pgoff_t pgoff;
	pte_t *pte;

	for (; addr < end; addr += PAGE_SIZE, vec++) {
		pte = pte_offset(mm->pgd, addr);
		if (pte && pte_present(*pte)) {
			*vec = 1;
			continue;
		}
		*vec = 0;
		if (!vma->vm_file)
			continue;
		pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
		*vec = mincore_page(vma->vm_file->f_mapping, pgoff);
	}
}

/* Up to @pages pages from @addr into @vec; returns how many, or -ENOMEM
 * if @addr is not mapped. */
static long do_mincore(struct mm_struct *mm, unsigned long addr,
		       unsigned long pages, unsigned char *vec)
{
	struct vm_area_struct *vma;
	unsigned long end;

	mutex_lock(&mm->mmap_lock);
	vma = find_vma(mm, addr);
	if (!vma || addr < vma->vm_start) {
		mutex_unlock(&mm->mmap_lock);
		return -ENOMEM;
	}
	end = vma->vm_end;
	if (end - addr > pages << PAGE_SHIFT)
		end = addr + (pages << PAGE_SHIFT);
	mincore_vma(mm, vma, addr, end, vec);
	mutex_unlock(&mm->mmap_lock);
	return (long)((end - addr) >> PAGE_SHIFT);
}

/*
 * mincore(): EINVAL for an unaligned @start, ENOMEM for a range beyond
 * user space or not all mapped, EFAULT for a bad @vec, as Linux's. The
 * answer goes out a page of bytes at a time, without mmap_lock (a copy
 * to user space may fault).
 */
SYSCALL_DEFINE3(mincore, unsigned long, start, size_t, len,
		unsigned char __user *, vec)
{
	unsigned long pages;
	unsigned char *tmp;
	long done = 0, n;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!mm_range_ok(start, len))
		return -ENOMEM;
	pages = (len >> PAGE_SHIFT) + ((len & ~PAGE_MASK) != 0);
	if (!access_ok(vec, pages))
		return -EFAULT;
	tmp = (unsigned char *)__get_free_page(GFP_KERNEL);
	if (!tmp)
		return -EAGAIN;
	while (pages) {
		n = do_mincore(current->mm, start,
			       pages < PAGE_SIZE ? pages : PAGE_SIZE, tmp);
		if (n <= 0 || copy_to_user(vec + done, tmp, (size_t)n)) {
			done = n < 0 ? n : -EFAULT;
			break;
		}
		pages -= (unsigned long)n;
		start += (unsigned long)n << PAGE_SHIFT;
		done += n;
	}
	free_page((unsigned long)tmp);
	return done < 0 ? done : 0;
}
