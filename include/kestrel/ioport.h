/*
 * Resources: who owns which range of I/O ports and physical addresses
 * (Linux's struct resource, kernel/resource.c).
 *
 * Each address space is a tree. Its root covers the whole space:
 * ioport_resource the 64 KiB of x86 I/O ports, iomem_resource the
 * 4 GiB of physical addresses. A node is a claimed range [start, end]
 * (both inclusive) with a name; its children are sub-ranges inside it,
 * kept sorted by address on the ->sibling list, never overlapping.
 *
 *   iomem_resource 00000000-ffffffff
 *   +- 00000000-0009fbff System RAM
 *   +- 00100000-0ffdffff System RAM
 *   |  +- 00100000-0034ffff Kernel code        (children nest inside)
 *   +- febf0000-febfffff 0000:00:04.0          (a PCI BAR)
 *      +- febf0000-febfffff edu                (its driver's claim)
 *
 * A claim that overlaps a sibling without fitting inside it fails:
 * that is how two drivers are kept off the same registers.
 * request_region() (and request_mem_region()) nest a busy claim inside
 * whatever node already covers the range, so a driver's claim lands
 * under the PCI BAR that decodes it. /proc/ioports and /proc/iomem
 * print the trees.
 *
 * Who frees what: request_resource() links a resource its caller owns
 * and release_resource() unlinks it; request_region() allocates its
 * node and release_region() frees it.
 */
#ifndef _KESTREL_IOPORT_H
#define _KESTREL_IOPORT_H

#include <kestrel/types.h>

struct seq_file;

/* Big enough for a 64-bit BAR's address, as Linux with PAE. */
typedef u64 resource_size_t;

/*
 * Locking: the tree links (parent, sibling, child) of a node in a tree
 * are protected by resource_lock (kernel/resource.c); the other fields
 * are written before the node is linked and read-only while linked.
 */
struct resource {
	resource_size_t start; /* first address */
	resource_size_t end; /* last address, inclusive */
	const char *name; /* lives as long as the claim */
	unsigned long flags; /* IORESOURCE_* */
	struct resource *parent, *sibling, *child;
};

/*
 * Flags, Linux's values (include/linux/ioport.h), which user space
 * sees in /sys/bus/pci/devices/.../resource.
 */
#define IORESOURCE_BITS 0x000000ffUL /* bus-specific: a BAR's low bits */
#define IORESOURCE_TYPE_BITS 0x00001f00UL
#define IORESOURCE_IO 0x00000100UL /* I/O ports */
#define IORESOURCE_MEM 0x00000200UL /* memory addresses */
#define IORESOURCE_IRQ 0x00000400UL /* an interrupt line (platform) */
#define IORESOURCE_PREFETCH 0x00002000UL /* no side effects on reads */
#define IORESOURCE_READONLY 0x00004000UL
#define IORESOURCE_SIZEALIGN 0x00040000UL /* aligned to its size (BAR) */
#define IORESOURCE_MEM_64 0x00100000UL /* a 64-bit BAR */
#define IORESOURCE_WINDOW 0x00200000UL /* a bridge forwards this range */
#define IORESOURCE_SYSRAM 0x01000000UL /* RAM the kernel manages */
#define IORESOURCE_BUSY 0x80000000UL /* a driver holds it */
#define IORESOURCE_SYSTEM_RAM (IORESOURCE_MEM | IORESOURCE_SYSRAM)

/* For a PCI ROM resource, in IORESOURCE_BITS: decoding enabled. */
#define IORESOURCE_ROM_ENABLE 0x00000001UL
#define IORESOURCE_ROM_SHADOW 0x00000002UL /* the BIOS's copy at 0xC0000 */
/* For PCI, in IORESOURCE_BITS: fixed by the hardware, not a BAR. */
#define IORESOURCE_PCI_FIXED 0x00000010UL

/* The roots: every I/O port, every physical address. */
#define IO_SPACE_LIMIT 0xffff
#define IOMEM_SPACE_LIMIT 0xffffffffULL
extern struct resource ioport_resource;
extern struct resource iomem_resource;

/* Initialisers for a platform device's resource table (Linux's). */
#define DEFINE_RES_NAMED(_start, _size, _name, _flags)          \
	{                                                       \
		.start = (_start), .end = (_start) + (_size)-1, \
		.name = (_name), .flags = (_flags),             \
	}
#define DEFINE_RES_IO_NAMED(_start, _size, _name) \
	DEFINE_RES_NAMED((_start), (_size), (_name), IORESOURCE_IO)
#define DEFINE_RES_MEM_NAMED(_start, _size, _name) \
	DEFINE_RES_NAMED((_start), (_size), (_name), IORESOURCE_MEM)
#define DEFINE_RES_IRQ(_irq) DEFINE_RES_NAMED((_irq), 1, NULL, IORESOURCE_IRQ)

static inline resource_size_t resource_size(const struct resource *res)
{
	return res->end - res->start + 1;
}

static inline unsigned long resource_type(const struct resource *res)
{
	return res->flags & IORESOURCE_TYPE_BITS;
}

/**
 * request_resource - link @new, which its caller owns, under @root
 * @root: the node that must contain @new
 * @new: start, end, name and flags filled in; not linked
 *
 * @new must lie inside @root and overlap none of @root's children: it
 * goes in beside them (it does not adopt them).
 * Return: 0, -EINVAL for a range outside @root or with end < start,
 * -EBUSY when it overlaps a child.
 * Context: any; takes resource_lock.
 */
int request_resource(struct resource *root, struct resource *new);

/**
 * insert_resource - link @new under the deepest node that contains it
 * @root: where to start looking (ioport_resource or iomem_resource)
 * @new: the range to link
 *
 * Unlike request_resource(), @new becomes the parent of the children
 * it covers whole (a PCI BAR inserted over nothing stays a leaf; a bus
 * window inserted under a claim adopts it).
 * Return: 0, or -EBUSY when it partly overlaps a node.
 * Context: any; takes resource_lock.
 */
int insert_resource(struct resource *root, struct resource *new);

/**
 * release_resource - unlink @old from its tree
 *
 * Its children, if any, move up to its parent in its place.
 * Return: 0, or -EINVAL if @old is not linked.
 * Context: any; takes resource_lock.
 */
int release_resource(struct resource *old);

/**
 * __request_region - claim [@start, @start + @n) of @parent for a driver
 * @parent: ioport_resource or iomem_resource
 * @start: first address
 * @n: number of addresses
 * @name: the claimant, shown in /proc; must outlive the claim
 *
 * Allocates a busy node and links it inside the deepest node that
 * covers the whole range and is not itself busy.
 * Return: the node, or NULL when the range conflicts or memory is out.
 * Context: process; may sleep (allocation); takes resource_lock.
 */
struct resource *__request_region(struct resource *parent,
				  resource_size_t start, resource_size_t n,
				  const char *name);

/**
 * __release_region - give back a claim made with __request_region()
 *
 * Frees the busy node that starts at @start and spans @n addresses.
 * A range that was not claimed is reported and otherwise ignored.
 * Context: process; takes resource_lock.
 */
void __release_region(struct resource *parent, resource_size_t start,
		      resource_size_t n);

#define request_region(start, n, name) \
	__request_region(&ioport_resource, (start), (n), (name))
#define release_region(start, n) \
	__release_region(&ioport_resource, (start), (n))
#define request_mem_region(start, n, name) \
	__request_region(&iomem_resource, (start), (n), (name))
#define release_mem_region(start, n) \
	__release_region(&iomem_resource, (start), (n))

/**
 * resource_seq_show - print the tree under @root as /proc/iomem does
 * @m: the file being built
 * @root: ioport_resource or iomem_resource
 * @show_addrs: false prints every address as zeros (unprivileged)
 *
 * One line per node, "%08llx-%08llx : name" (4 digits for I/O ports),
 * indented two spaces per level below @root.
 * Context: process; takes resource_lock.
 */
void resource_seq_show(struct seq_file *m, struct resource *root,
		       bool show_addrs);

/**
 * resource_init - claim what the kernel knows at boot
 *
 * The System RAM and reserved ranges of the boot memory map (RAM with
 * the kernel's code, data and bss inside), the legacy ISA memory holes
 * and the motherboard's I/O ports. Call once, after kmalloc works.
 * Context: process, boot; may sleep.
 */
void resource_init(void);

#endif /* _KESTREL_IOPORT_H */
