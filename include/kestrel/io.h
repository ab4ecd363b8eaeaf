/*
 * Device memory (MMIO): mapping a device's registers into the kernel's
 * address space with ioremap() and touching them with readl()/writel()
 * (Linux's <linux/io.h>).
 *
 * A memory BAR's physical range is not RAM and is not in the direct
 * map. ioremap() reserves a piece of the vmalloc area and maps the
 * range there uncached; the result is an __iomem cookie that only the
 * accessors below may dereference (sparse checks it), each one a single
 * volatile access of the stated width, as the device expects.
 */
#ifndef _KESTREL_IO_H
#define _KESTREL_IO_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>

/**
 * ioremap - map @size bytes of device memory at physical @phys
 *
 * The range need not be page aligned. Return: the kernel address of
 * @phys, or NULL (no room, no memory, empty range).
 * Context: process; may sleep.
 */
void __iomem *ioremap(phys_addr_t phys, unsigned long size);

/**
 * iounmap - undo ioremap(); @addr is what it returned (NULL: nothing)
 * Context: process; may sleep.
 */
void iounmap(volatile void __iomem *addr);

static inline u8 readb(const volatile void __iomem *addr)
{
	return *(const volatile u8 __force *)addr;
}

static inline u16 readw(const volatile void __iomem *addr)
{
	return *(const volatile u16 __force *)addr;
}

static inline u32 readl(const volatile void __iomem *addr)
{
	return *(const volatile u32 __force *)addr;
}

static inline void writeb(u8 value, volatile void __iomem *addr)
{
	*(volatile u8 __force *)addr = value;
}

static inline void writew(u16 value, volatile void __iomem *addr)
{
	*(volatile u16 __force *)addr = value;
}

static inline void writel(u32 value, volatile void __iomem *addr)
{
	*(volatile u32 __force *)addr = value;
}

#endif /* _KESTREL_IO_H */
