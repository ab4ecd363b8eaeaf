/*
 * vmalloc (see <kestrel/vmalloc.h> for its role).
 *
 * The areas in use are struct vm_structs on one list sorted by address.
 * A new area goes into the first gap that holds it and its guard page
 * (first fit, lowest address), so a freed range is reused by the next
 * allocation that fits. Each area records its pages, allocated one by
 * one with alloc_pages(GFP_KERNEL, 0) and mapped with
 * arch_map_kernel_page(); the kernel page tables for the whole vmalloc
 * area exist from boot, so mapping never allocates.
 *
 *   VMALLOC_START                                          VMALLOC_END
 *   [ area A ][g][ area B      ][g]   (free)   [ area C ][g]   (free)
 *
 * An area's address range stays on the list until its pages are
 * unmapped: vfree() marks it VM_FREEING under the lock, unmaps and
 * frees outside it, and only then takes it off the list.
 *
 * Locking:
 *	V	vmap_lock: the area list and each area's flags. Taken
 *		without disabling interrupts: vmalloc is process context.
 */
#include <asm/atomic.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <kestrel/bug.h>
#include <kestrel/errno.h>
#include <kestrel/mm.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/spinlock.h>
#include <kestrel/string.h>
#include <kestrel/vmalloc.h>

/* vm_struct->flags (VM_IOREMAP is in <kestrel/vmalloc.h>) */
#define VM_FREEING 0x1UL /* vfree() or take_vm_area() is unmapping it */

/* Each area is followed by this much unmapped space. */
#define VM_GUARD_SIZE PAGE_SIZE

static LIST_HEAD(vmap_area_list);
static DEFINE_SPINLOCK(vmap_lock);
/* Pages mapped by vmap_pages() and not yet unmapped (Linux's
 * nr_vmalloc_pages); ioremap areas map device memory, not counted. */
static atomic_t nr_vmalloc_pages = ATOMIC_INIT(0);

/*
 * Give @area the lowest free range of @size bytes plus its guard page,
 * and put it on the list. Returns 0 or -ENOMEM (no gap big enough).
 */
static int insert_vm_area(struct vm_struct *area, unsigned long size)
{
	unsigned long addr = VMALLOC_START, span = size + VM_GUARD_SIZE;
	struct list_head *before = &vmap_area_list;
	struct vm_struct *tmp;

	spin_lock(&vmap_lock);
	list_for_each_entry(tmp, &vmap_area_list, list) {
		if (tmp->addr - addr >= span) {
			before = &tmp->list;
			break;
		}
		addr = tmp->addr + tmp->size + VM_GUARD_SIZE;
	}
	if (VMALLOC_END - addr < span) {
		spin_unlock(&vmap_lock);
		return -ENOMEM;
	}
	area->addr = addr;
	area->size = size;
	list_add_tail(&area->list, before);
	spin_unlock(&vmap_lock);
	return 0;
}

static void remove_vm_area(struct vm_struct *area)
{
	spin_lock(&vmap_lock);
	list_del(&area->list);
	spin_unlock(&vmap_lock);
}

/* How find_vm_area() matches an address to an area. */
enum area_match { AREA_STARTS_AT, AREA_CONTAINS };

/* The area that starts at or contains @addr, as @match says. V held. */
static struct vm_struct *find_vm_area(unsigned long addr, enum area_match match)
{
	struct vm_struct *area;

	lockdep_assert_held(&vmap_lock);
	list_for_each_entry(area, &vmap_area_list, list) {
		if (addr < area->addr)
			break;
		if (match == AREA_STARTS_AT ? addr == area->addr :
					      addr - area->addr < area->size)
			return area;
	}
	return NULL;
}

/* Unmap and free the first @n pages of @area. */
static void vunmap_pages(struct vm_struct *area, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		pfn_t pfn = arch_unmap_kernel_page(area->addr + i * PAGE_SIZE);

		WARN_ON(pfn != page_to_pfn(area->pages[i]));
		__free_pages(area->pages[i], 0);
	}
	atomic_sub_return((int)n, &nr_vmalloc_pages);
}

static int vmap_pages(struct vm_struct *area, gfp_t gfp)
{
	unsigned int i;

	for (i = 0; i < area->nr_pages; i++) {
		struct page *page = alloc_pages(gfp, 0);

		if (!page)
			goto out_unmap;
		area->pages[i] = page;
		arch_map_kernel_page(area->addr + i * PAGE_SIZE,
				     page_to_pfn(page));
		atomic_inc(&nr_vmalloc_pages);
	}
	return 0;

out_unmap:
	vunmap_pages(area, i);
	return -ENOMEM;
}

static void *__vmalloc(unsigned long size, gfp_t gfp)
{
	unsigned long asked = size;
	struct vm_struct *area;

	if (!size || size > VMALLOC_END - VMALLOC_START - VM_GUARD_SIZE)
		goto fail;
	size = PAGE_ALIGN(size);
	area = kzalloc(sizeof(*area), GFP_KERNEL);
	if (!area)
		goto fail;
	area->nr_pages = size >> PAGE_SHIFT;
	area->pages =
		kcalloc(area->nr_pages, sizeof(struct page *), GFP_KERNEL);
	if (!area->pages)
		goto out_free_area;
	if (insert_vm_area(area, size))
		goto out_free_pages_array;
	if (vmap_pages(area, gfp | __GFP_NOWARN))
		goto out_remove_area;
	return (void *)area->addr;

out_remove_area:
	remove_vm_area(area);
out_free_pages_array:
	kfree(area->pages);
out_free_area:
	kfree(area);
fail:
	pr_warn("vmalloc: allocation of %lu bytes failed\n", asked);
	return NULL;
}

void *vmalloc(unsigned long size)
{
	return __vmalloc(size, GFP_KERNEL);
}

void *vzalloc(unsigned long size)
{
	return __vmalloc(size, GFP_KERNEL | __GFP_ZERO);
}

/*
 * The area starting at @addr whose type flags are @type (0 or
 * VM_IOREMAP), marked VM_FREEING so nobody else takes it; NULL if
 * there is none. Its address range stays reserved until
 * remove_vm_area().
 */
static struct vm_struct *claim_vm_area(unsigned long addr, unsigned long type)
{
	struct vm_struct *area;

	spin_lock(&vmap_lock);
	area = find_vm_area(addr, AREA_STARTS_AT);
	if (area && !(area->flags & VM_FREEING) &&
	    (area->flags & VM_IOREMAP) == type)
		area->flags |= VM_FREEING;
	else
		area = NULL;
	spin_unlock(&vmap_lock);
	return area;
}

void vfree(const void *addr)
{
	struct vm_struct *area;

	if (!addr)
		return;
	area = claim_vm_area((unsigned long)addr, 0);
	if (!area) {
		pr_err("BUG: vfree: %p is not the start of a vmalloc area\n",
		       addr);
		dump_stack();
		return;
	}
	vunmap_pages(area, area->nr_pages);
	remove_vm_area(area);
	kfree(area->pages);
	kfree(area);
}

unsigned long vmalloc_nr_pages(void)
{
	int n = atomic_read(&nr_vmalloc_pages);

	return n > 0 ? (unsigned long)n : 0;
}

bool is_vmalloc_addr(const void *addr)
{
	unsigned long a = (unsigned long)addr;

	return a >= VMALLOC_START && a < VMALLOC_END;
}

struct page *vmalloc_to_page(const void *addr)
{
	unsigned long a = (unsigned long)addr;
	struct vm_struct *area;
	struct page *page = NULL;

	spin_lock(&vmap_lock);
	area = find_vm_area(a, AREA_CONTAINS);
	if (area && area->pages) /* an ioremap area has none */
		page = area->pages[(a - area->addr) >> PAGE_SHIFT];
	spin_unlock(&vmap_lock);
	return page;
}

struct vm_struct *get_vm_area(unsigned long size, unsigned long flags)
{
	struct vm_struct *area;

	size = PAGE_ALIGN(size);
	if (!size)
		return NULL;
	area = kzalloc(sizeof(*area), GFP_KERNEL);
	if (!area)
		return NULL;
	area->flags = flags & VM_IOREMAP;
	if (insert_vm_area(area, size)) {
		kfree(area);
		return NULL;
	}
	return area;
}

struct vm_struct *take_vm_area(const void *addr, unsigned long type)
{
	return claim_vm_area((unsigned long)addr, type & VM_IOREMAP);
}

void free_vm_area(struct vm_struct *area)
{
	remove_vm_area(area);
	kfree(area);
}

void vmalloc_init(void)
{
	pr_info("vmalloc: [mem 0x%08lx-0x%08lx] %lu MiB, guard pages of %lu bytes\n",
		VMALLOC_START, VMALLOC_END - 1,
		(VMALLOC_END - VMALLOC_START) >> 20, VM_GUARD_SIZE);
}
