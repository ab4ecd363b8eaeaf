/*
 * vmalloc: virtually contiguous kernel memory.
 *
 * vmalloc() builds a large buffer out of single pages, wherever they are
 * in physical memory, and maps them side by side in the vmalloc area
 * [VMALLOC_START, VMALLOC_END). It is for big, long-lived buffers (module
 * images, tables) that need not be physically contiguous: it cannot fail
 * for lack of a free high-order block, but costs page-table entries and
 * TLB misses. Each area is followed by an unmapped guard page, so running
 * off its end faults instead of corrupting the next one.
 *
 * Context: process (vmalloc and vfree may sleep in later versions); not
 * from interrupt handlers.
 */
#ifndef _KESTREL_VMALLOC_H
#define _KESTREL_VMALLOC_H

#include <kestrel/list.h>
#include <kestrel/types.h>

struct page;

/*
 * One vmalloc area, allocated with kmalloc and owned by mm/vmalloc.c.
 * V marks what vmap_lock protects; the rest is fixed while the area is
 * on the list.
 */
struct vm_struct {
	struct list_head list; /* V: vmap_area_list, sorted by addr */
	unsigned long flags; /* V: VM_FREEING, VM_IOREMAP */
	unsigned long addr; /* first byte */
	unsigned long size; /* bytes mapped, without the guard page */
	unsigned int nr_pages;
	struct page **pages; /* the frames, in address order */
};

/* Set up the vmalloc area; called by start_kernel() after
 * kmem_cache_init(). */
void vmalloc_init(void);

/**
 * vmalloc - allocate @size bytes of virtually contiguous memory
 *
 * Returns a page-aligned address in the vmalloc area, or NULL when @size
 * is 0, larger than the area, or memory or address space runs out.
 * Context: process.
 */
void *vmalloc(unsigned long size);

/* vmalloc() of zeroed memory. */
void *vzalloc(unsigned long size);

/**
 * vfree - free memory from vmalloc()
 * @addr: what vmalloc() returned; NULL is ignored, anything else that is
 *        not the start of an area is reported and ignored
 * Context: process.
 */
void vfree(const void *addr);

/* Pages behind all vmalloc areas (/proc/meminfo's VmallocUsed).
 * Context: any; an atomic snapshot. */
unsigned long vmalloc_nr_pages(void);

/* Is @addr inside the vmalloc area? */
bool is_vmalloc_addr(const void *addr);

/* The page mapped at @addr in a vmalloc area, or NULL. */
struct page *vmalloc_to_page(const void *addr);

/* vm_struct->flags: device memory mapped by ioremap(), no pages. */
#define VM_IOREMAP 0x2UL

/**
 * get_vm_area - reserve @size bytes (rounded up to pages) of the
 * vmalloc area, with its guard page, mapping nothing (for ioremap)
 * @flags: VM_IOREMAP or 0: the type take_vm_area() will ask for
 *
 * Return: the area, or NULL. Context: process; may sleep.
 */
struct vm_struct *get_vm_area(unsigned long size, unsigned long flags);

/*
 * take_vm_area - claim the area of type @type (VM_IOREMAP or 0) that
 * starts at @addr, for the caller to unmap and free_vm_area(); NULL if
 * there is none (vfree() of an ioremap()ed address is refused, and the
 * other way round). Context: process.
 */
struct vm_struct *take_vm_area(const void *addr, unsigned long type);

/* Give back an area of get_vm_area(); its pages must be unmapped. */
void free_vm_area(struct vm_struct *area);

#endif /* _KESTREL_VMALLOC_H */
