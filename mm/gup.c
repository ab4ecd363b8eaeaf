/*
 * Reaching the pages behind user addresses for the kernel's own use,
 * the part of Linux's get_user_pages() that Kestrel needs: the futex
 * code keys a futex in shared memory on its page (kernel/futex.c).
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
#include <kestrel/mm.h>
#include <kestrel/mman.h>

/* The page mapped at @addr of the shared @vma, faulted in if absent. */
static struct page *__shared_page(struct mm_struct *mm, unsigned long addr)
{
	pte_t *pte = pte_offset(mm->pgd, addr);
	int fault;

	if (!pte || !pte_present(*pte)) {
		fault = __handle_mm_fault(mm, addr, 0);
		if (fault)
			return ERR_PTR(fault == VM_FAULT_OOM ? -ENOMEM :
							       -EFAULT);
		pte = pte_offset(mm->pgd, addr);
	}
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
