/*
 * Reaching the pages behind user addresses for the kernel's own use,
 * the parts of Linux's get_user_pages() that Kestrel needs: the futex
 * code keys a futex in shared memory on its page (kernel/futex.c), and
 * direct I/O pins the pages of a user buffer so that a disk can move
 * data to and from them while no page table is looked at
 * (fs/block_dev.c): get_user_pages() below.
 *
 * A MAP_SHARED|MAP_ANONYMOUS mapping has no object behind it yet: its
 * pages are shared through the page tables of every process that maps
 * it (fork populates the VMA and copies the PTEs, mm/memory.c). The
 * frame is therefore the only name the sharers have in common, and a
 * reference on it keeps that name from being reused while the kernel
 * holds it. When shared anonymous memory moves onto a shmem object,
 * the name becomes (object, page offset), as Linux's (inode, pgoff).
 */
#include <asm/pgtable.h>
#include <kestrel/err.h>
#include <kestrel/sched.h>
#include <kestrel/mm.h>
#include <kestrel/mman.h>

/*
 * The present pte at @addr, faulted in first if it is absent or (for
 * @write) not writable or the zero page; an ERR_PTR when the fault
 * fails. mmap_lock held.
 */
static pte_t *fault_in_pte(struct mm_struct *mm, unsigned long addr, bool write)
{
	pte_t *pte = pte_offset(mm->pgd, addr);
	int fault;

	if (pte && pte_present(*pte) &&
	    !(write && (!pte_write(*pte) || is_zero_pfn(pte_pfn(*pte)))))
		return pte;
	fault = __handle_mm_fault(mm, addr, write ? FAULT_FLAG_WRITE : 0);
	if (fault)
		return ERR_PTR(fault == VM_FAULT_OOM ? -ENOMEM : -EFAULT);
	pte = pte_offset(mm->pgd, addr);
	return pte && pte_present(*pte) ? pte : ERR_PTR(-EFAULT);
}

/* The page mapped at @addr of the shared @vma, faulted in if absent. */
static struct page *__shared_page(struct mm_struct *mm, unsigned long addr)
{
	pte_t *pte = fault_in_pte(mm, addr, false);

	if (IS_ERR(pte))
		return ERR_PTR(PTR_ERR(pte));
	return pfn_to_page(pte_pfn(*pte));
}

int get_user_page_shared(struct mm_struct *mm, unsigned long addr,
			 struct page **pagep, unsigned long *vm_flags)
{
	struct vm_area_struct *vma;
	struct page *page = NULL;
	int err = 0;

	*pagep = NULL;
	if (addr >= TASK_SIZE)
		return -EFAULT;
	mutex_lock(&mm->mmap_lock);
	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr) {
		err = -EFAULT;
		goto out_unlock;
	}
	*vm_flags = vma->vm_flags;
	if (vma->vm_flags & VM_SHARED) {
		page = __shared_page(mm, addr);
		if (IS_ERR(page))
			err = PTR_ERR(page);
		else
			get_page(page);
	}
out_unlock:
	mutex_unlock(&mm->mmap_lock);
	if (!err)
		*pagep = page;
	return err;
}

/*
 * Pinning for direct I/O. Each page is made present as an access of the
 * kind the device will make would make it: a device that writes into
 * the buffer (a read from disk) needs the page private and writable
 * now, so a copy-on-write page is copied and the shared zero page is
 * replaced (a write fault), and the DMA lands in the page the process
 * sees. A device that only reads the buffer may read the zero page,
 * which is not reference-counted (PG_reserved): it is pinned without a
 * reference and put_user_pages() knows it.
 *
 * A pinned page outlives munmap(): the mapping's reference goes, ours
 * keeps the frame until the I/O is over, and then the frame goes back
 * to the allocator; no one else's memory is ever the target. (As in
 * Linux before 5.8, a fork() while a read is in flight makes the page
 * copy-on-write, and the parent's next write moves it to a copy: the
 * data then lands in the child's page. Do not fork with direct reads in
 * flight.)
 */

/* The page at @addr, present and (for @write) writable; mmap_lock held. */
static struct page *__pin_page(struct mm_struct *mm, unsigned long addr,
			       bool write)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	struct page *page;
	pte_t *pte;

	if (!vma || vma->vm_start > addr)
		return ERR_PTR(-EFAULT);
	if (!(vma->vm_flags & (write ? VM_WRITE : VM_ACCESS_FLAGS)))
		return ERR_PTR(-EFAULT);
	pte = fault_in_pte(mm, addr, write);
	if (IS_ERR(pte))
		return ERR_PTR(PTR_ERR(pte));
	if (!pfn_valid(pte_pfn(*pte)))
		return ERR_PTR(-EFAULT);
	page = pfn_to_page(pte_pfn(*pte));
	if (!is_zero_pfn(pte_pfn(*pte)))
		get_page(page);
	return page;
}

int get_user_pages(unsigned long start, unsigned int nr_pages, bool write,
		   struct page **pages)
{
	struct mm_struct *mm = current->mm;
	unsigned int i;
	int err = 0;

	start &= PAGE_MASK;
	if (start >= TASK_SIZE || nr_pages > (TASK_SIZE - start) >> PAGE_SHIFT)
		return -EFAULT;
	mutex_lock(&mm->mmap_lock);
	for (i = 0; i < nr_pages; i++) {
		pages[i] = __pin_page(mm, start + i * PAGE_SIZE, write);
		if (IS_ERR(pages[i])) {
			err = PTR_ERR(pages[i]);
			break;
		}
	}
	mutex_unlock(&mm->mmap_lock);
	return i ? (int)i : err;
}

void put_user_pages(struct page **pages, unsigned int nr_pages)
{
	unsigned int i;

	for (i = 0; i < nr_pages; i++)
		if (!is_zero_pfn(page_to_pfn(pages[i])))
			put_page(pages[i]);
}
