/*
 * ioremap: device memory mapped into the vmalloc area (see
 * <kestrel/io.h>). An ioremap()ed range is a vm_struct of the vmalloc
 * allocator marked VM_IOREMAP, with no pages of its own: its page-table
 * entries point at the device's frames, marked uncached by
 * arch_map_kernel_io_page(). iounmap() finds it on vmalloc's own list
 * (take_vm_area), so vfree() and iounmap() can never free each other's
 * areas.
 *
 * Locking: none of its own; vmalloc's vmap_lock.
 */
#include <asm/page.h>
#include <asm/pgtable.h>
#include <kestrel/io.h>
#include <kestrel/printk.h>
#include <kestrel/vmalloc.h>

void __iomem *ioremap(phys_addr_t phys, unsigned long size)
{
	unsigned long offset = phys & ~PAGE_MASK, i;
	struct vm_struct *vm;

	if (!size || phys + size - 1 < phys)
		return NULL;
	vm = get_vm_area(offset + size, VM_IOREMAP);
	if (!vm)
		return NULL;
	for (i = 0; i < vm->size; i += PAGE_SIZE)
		arch_map_kernel_io_page(vm->addr + i,
					(phys - offset + i) >> PAGE_SHIFT);
	return (void __iomem __force *)(vm->addr + offset);
}

void iounmap(volatile void __iomem *addr)
{
	unsigned long a = (unsigned long __force)addr & PAGE_MASK, i;
	struct vm_struct *vm;

	if (!addr)
		return;
	vm = take_vm_area((const void *)a, VM_IOREMAP);
	if (!vm) {
		pr_warn("iounmap: bad address %p\n", (void __force *)addr);
		return;
	}
	for (i = 0; i < vm->size; i += PAGE_SIZE)
		arch_unmap_kernel_page(vm->addr + i);
	free_vm_area(vm);
}
