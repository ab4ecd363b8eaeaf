/*
 * ioremap: device memory mapped into the vmalloc area (see
 * <kestrel/io.h>). An ioremap()ed range is a vm_struct of the vmalloc
 * allocator with no pages of its own: its page-table entries point at
 * the device's frames, marked uncached by arch_map_kernel_io_page().
 * The areas are kept on a small list of their own so iounmap() can find
 * the one an address belongs to.
 *
 * Locking: ioremap_lock protects ioremap_list.
 */
#include <asm/page.h>
#include <asm/pgtable.h>
#include <kestrel/io.h>
#include <kestrel/list.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/spinlock.h>
#include <kestrel/vmalloc.h>

struct ioremap_area {
	struct list_head node; /* on ioremap_list */
	struct vm_struct *vm;
};

static LIST_HEAD(ioremap_list);
static DEFINE_SPINLOCK(ioremap_lock); /* protects ioremap_list */

void __iomem *ioremap(phys_addr_t phys, unsigned long size)
{
	unsigned long offset = phys & ~PAGE_MASK, i;
	struct ioremap_area *io;

	if (!size || phys + size - 1 < phys)
		return NULL;
	io = kzalloc(sizeof(*io), GFP_KERNEL);
	if (!io)
		return NULL;
	io->vm = get_vm_area(offset + size);
	if (!io->vm) {
		kfree(io);
		return NULL;
	}
	for (i = 0; i < io->vm->size; i += PAGE_SIZE)
		arch_map_kernel_io_page(io->vm->addr + i,
					(phys - offset + i) >> PAGE_SHIFT);
	spin_lock(&ioremap_lock);
	list_add(&io->node, &ioremap_list);
	spin_unlock(&ioremap_lock);
	return (void __iomem __force *)(io->vm->addr + offset);
}

void iounmap(volatile void __iomem *addr)
{
	unsigned long a = (unsigned long __force)addr & PAGE_MASK, i;
	struct ioremap_area *io, *found = NULL;

	if (!addr)
		return;
	spin_lock(&ioremap_lock);
	list_for_each_entry(io, &ioremap_list, node) {
		if (io->vm->addr == a) {
			found = io;
			list_del(&io->node);
			break;
		}
	}
	spin_unlock(&ioremap_lock);
	if (!found) {
		pr_warn("iounmap: bad address %p\n", (void __force *)addr);
		return;
	}
	for (i = 0; i < found->vm->size; i += PAGE_SIZE)
		arch_unmap_kernel_page(found->vm->addr + i);
	free_vm_area(found->vm);
	kfree(found);
}
