/*
 * PCI enumeration: find every function, size its BARs, keep it.
 *
 * The walk (docs/pci.md):
 *
 *   1. On a bus, try each of the 32 device numbers. A function that is
 *      not there answers a configuration read with all-ones (the host
 *      bridge's master abort), so vendor 0xFFFF means "empty".
 *   2. If function 0 is present and its header type has bit 7 set,
 *      the device is multi-function: try functions 1-7 too.
 *   3. Every function found becomes a struct pci_dev on pci_devices.
 *   4. When a bus is done, each PCI-to-PCI bridge on it (header type 1)
 *      names in its secondary bus number register the bus behind it,
 *      as the firmware numbered it; that bus is walked the same way.
 *      A bus is walked at most once, so wrong numbering cannot loop.
 *
 * Bus numbers are trusted as the firmware (SeaBIOS) assigned them;
 * Kestrel does not renumber buses or move BARs.
 *
 * Locking: pci_devices is written only here, by pci_init() at boot
 * before any other thread exists; afterwards it is read-only and is
 * walked without a lock.
 */
#include <kestrel/bootinfo.h>
#include <kestrel/errno.h>
#include <kestrel/init.h>
#include <kestrel/kstrtox.h>
#include <kestrel/printk.h>
#include <kestrel/proc_fs.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "pci.h"

#define PCI_CLASS_BRIDGE_HOST 0x0600 /* base 06 sub 00 (PCI LB 3.0, D) */
#define PCI_CLASS_SHIFT 8 /* class >> 8: base class and sub-class */
#define PCI_CLASS_PROGIF_MASK 0xff /* the programming interface byte */
#define PCI_CLASS_STORAGE_IDE 0x0101 /* base 01 sub 01 */
#define PCI_CLASS_DISPLAY_VGA 0x0300 /* base 03 sub 00 */
#define PCI_IDE_PRIMARY_NATIVE 0x01 /* prog-if bit 0 */
#define PCI_IDE_SECONDARY_NATIVE 0x04 /* prog-if bit 2 */
#define PCI_VIDEO_ROM_SHADOW 0xc0000 /* where the BIOS copies the VGA ROM */
#define PCI_VIDEO_ROM_SHADOW_SIZE 0x20000

LIST_HEAD(pci_devices);

/* "0000:BB:DD.F", the name Linux gives a function. */
#define PCI_NAME_FMT "pci 0000:%02x:%02x.%x: "
#define PCI_NAME_ARGS(d) (d)->bus, PCI_SLOT((d)->devfn), PCI_FUNC((d)->devfn)

/*
 * Size one register: save it, write @pattern, read back which bits
 * stuck, put the saved value back (steps 2-4 of pci_read_bases()).
 */
static void pci_size_reg(struct pci_dev *dev, int reg, u32 pattern, u32 *orig,
			 u32 *sz)
{
	pci_read_config_dword(dev, reg, orig);
	pci_write_config_dword(dev, reg, pattern);
	pci_read_config_dword(dev, reg, sz);
	pci_write_config_dword(dev, reg, *orig);
}

/* The size a read-back @mask means: its lowest set address bit. */
static u64 pci_mask_to_size(u64 mask)
{
	return mask & -mask;
}

/* Print a resource the way Linux does ("reg 0x10: [mem 0x...-0x...]"). */
static void pci_print_resource(struct pci_dev *dev, int reg,
			       const struct resource *res)
{
	bool io = res->flags & IORESOURCE_IO;
	int width = io ? 4 : 8; /* hex digits, as Linux's %pR */

	pr_info(PCI_NAME_FMT "reg 0x%02x: [%s 0x%0*llx-0x%0*llx%s%s]\n",
		PCI_NAME_ARGS(dev), reg, io ? "io " : "mem", width, res->start,
		width, res->end, res->flags & IORESOURCE_MEM_64 ? " 64bit" : "",
		res->flags & IORESOURCE_PREFETCH ? " pref" : "");
}

/* Set [start, start + size) of @res, or clear it if @size is 0. */
static void pci_set_range(struct resource *res, u64 start, u64 size)
{
	if (!size) {
		*res = (struct resource){ 0 }; /* not implemented */
		return;
	}
	res->start = start;
	res->end = start + size - 1;
	res->flags |= IORESOURCE_SIZEALIGN; /* a BAR is aligned to its size */
}

/*
 * Decode BAR @index at config offset @reg. Returns the number of BAR
 * slots it uses: 2 for a 64-bit memory BAR, else 1.
 */
static int pci_read_base(struct pci_dev *dev, int index, int reg)
{
	struct resource *res = &dev->resource[index];
	u32 l, sz, l_hi = 0, sz_hi = 0;
	u64 mask, start;
	bool is64;

	pci_size_reg(dev, reg, PCI_BAR_SIZING_PATTERN, &l, &sz);
	if (l == PCI_BAR_SIZING_PATTERN)
		l = 0; /* a broken BAR that reads all-ones */
	if (l & PCI_BASE_ADDRESS_SPACE_IO) {
		res->flags = IORESOURCE_IO | (l & PCI_BASE_ADDRESS_IO_FLAGS);
		start = l & PCI_BASE_ADDRESS_IO_MASK;
		mask = sz & PCI_BASE_ADDRESS_IO_MASK;
		is64 = false;
	} else {
		res->flags = IORESOURCE_MEM | (l & PCI_BASE_ADDRESS_MEM_FLAGS);
		if (l & PCI_BASE_ADDRESS_MEM_PREFETCH)
			res->flags |= IORESOURCE_PREFETCH;
		is64 = (l & PCI_BASE_ADDRESS_MEM_TYPE_MASK) ==
		       PCI_BASE_ADDRESS_MEM_TYPE_64;
		if (is64) {
			res->flags |= IORESOURCE_MEM_64;
			pci_size_reg(dev, reg + 4, PCI_BAR_SIZING_PATTERN,
				     &l_hi, &sz_hi);
		}
		start = ((u64)l_hi << 32) | (l & PCI_BASE_ADDRESS_MEM_MASK);
		mask = ((u64)sz_hi << 32) | (sz & PCI_BASE_ADDRESS_MEM_MASK);
	}
	pci_set_range(res, start, pci_mask_to_size(mask));
	if (res->flags)
		pci_print_resource(dev, reg, res);
	return is64 ? 2 : 1;
}

/* Decode the expansion ROM BAR at @reg (PCI LB 3.0, 6.2.5.2). */
static void pci_read_rom(struct pci_dev *dev, int reg)
{
	struct resource *res = &dev->resource[PCI_ROM_RESOURCE];
	u32 l, sz;

	pci_size_reg(dev, reg, PCI_ROM_ADDRESS_MASK, &l, &sz);
	if (sz == PCI_BAR_SIZING_PATTERN)
		sz = 0;
	/* Linux's flags for a ROM: read-only prefetchable memory. */
	res->flags = IORESOURCE_MEM | IORESOURCE_PREFETCH |
		     IORESOURCE_READONLY | (l & PCI_ROM_ADDRESS_ENABLE);
	pci_set_range(res, l & PCI_ROM_ADDRESS_MASK,
		      pci_mask_to_size(sz & PCI_ROM_ADDRESS_MASK));
	if (res->flags)
		pci_print_resource(dev, reg, res);
}

/*
 * Size and decode @dev's BARs (the six of a type 0 header, two of a
 * bridge, one of a CardBus bridge) and its ROM, at @rom_reg (0: none):
 *
 *   1. turn off I/O and memory decoding in the command register, so
 *      the all-ones address written in step 3 cannot make the device
 *      answer accesses meant for RAM or another device (not for a host
 *      bridge: it carries the CPU's own accesses to memory);
 *   2. save the BAR;
 *   3. write all-ones (the ROM: all-ones in the address bits, enable
 *      clear); the device keeps zeros in the bits below its size;
 *   4. read back, restore the saved value;
 *   5. for a 64-bit memory BAR, do 2-4 on the next slot (the upper
 *      32 bits) too;
 *   6. decode: type from the low bits, size from the lowest address bit
 *      that stuck;
 *   7. restore the command register.
 */
static void pci_read_bases(struct pci_dev *dev, int nr_bars, int rom_reg)
{
	bool host = (dev->class >> PCI_CLASS_SHIFT) == PCI_CLASS_BRIDGE_HOST;
	u16 cmd;
	int i;

	pci_read_config_word(dev, PCI_COMMAND, &cmd);
	if (!host && (cmd & PCI_COMMAND_DECODE))
		pci_write_config_word(dev, PCI_COMMAND,
				      cmd & ~PCI_COMMAND_DECODE);
	for (i = 0; i < nr_bars;)
		i += pci_read_base(dev, i, PCI_BASE_ADDRESS_0 + 4 * i);
	if (rom_reg)
		pci_read_rom(dev, rom_reg);
	if (!host && (cmd & PCI_COMMAND_DECODE))
		pci_write_config_word(dev, PCI_COMMAND, cmd);
}

/* Read the type-dependent part of the header: BARs, ids, bus numbers. */
static void pci_setup_header(struct pci_dev *dev)
{
	u8 v;

	switch (dev->hdr_type) {
	case PCI_HEADER_TYPE_NORMAL:
		pci_read_config_word(dev, PCI_SUBSYSTEM_VENDOR_ID,
				     &dev->subsystem_vendor);
		pci_read_config_word(dev, PCI_SUBSYSTEM_ID,
				     &dev->subsystem_device);
		pci_read_bases(dev, PCI_TYPE0_NR_BARS, PCI_ROM_ADDRESS);
		break;
	case PCI_HEADER_TYPE_BRIDGE:
		pci_read_config_byte(dev, PCI_SECONDARY_BUS, &dev->secondary);
		pci_read_bases(dev, PCI_TYPE1_NR_BARS, PCI_ROM_ADDRESS1);
		break;
	case PCI_HEADER_TYPE_CARDBUS:
		pci_read_bases(dev, PCI_TYPE2_NR_BARS, 0);
		break;
	default:
		pr_warn(PCI_NAME_FMT "unknown header type %02x, ignoring\n",
			PCI_NAME_ARGS(dev), dev->hdr_type);
		return;
	}
	pci_read_config_byte(dev, PCI_INTERRUPT_PIN, &dev->pin);
	pci_read_config_byte(dev, PCI_INTERRUPT_LINE, &v);
	dev->irq = dev->pin ? v : 0; /* no pin: no interrupt (as Linux) */
}

/*
 * An IDE controller in "compatibility" mode (PCI IDE Controller
 * Specification 1.0, 2: programming interface bit 0 clear for the
 * primary channel, bit 2 for the secondary) decodes the ISA-era ports
 * whatever its BARs hold; Linux shows them as resources 0-3, fixed.
 */
static const struct {
	u16 start, len;
} pci_ide_legacy[] = {
	{ 0x1f0, 8 },
	{ 0x3f6, 1 }, /* primary: command block, control */
	{ 0x170, 8 },
	{ 0x376, 1 }, /* secondary */
};

static void pci_fixup_ide(struct pci_dev *dev)
{
	unsigned int i;
	u8 progif = dev->class & PCI_CLASS_PROGIF_MASK;

	if ((dev->class >> PCI_CLASS_SHIFT) != PCI_CLASS_STORAGE_IDE)
		return;
	for (i = 0; i < ARRAY_SIZE(pci_ide_legacy); i++) {
		if (progif &
		    (i < 2 ? PCI_IDE_PRIMARY_NATIVE : PCI_IDE_SECONDARY_NATIVE))
			continue;
		dev->resource[i] = (struct resource){
			.start = pci_ide_legacy[i].start,
			.end = pci_ide_legacy[i].start + pci_ide_legacy[i].len -
			       1,
			.flags = IORESOURCE_IO | IORESOURCE_PCI_FIXED,
		};
	}
}

/*
 * The first VGA controller is the one the BIOS ran: its ROM is the
 * shadow copy at 0xC0000 (Linux's pci_fixup_video does the same).
 */
static void pci_fixup_video(struct pci_dev *dev)
{
	static bool seen;

	if ((dev->class >> PCI_CLASS_SHIFT) != PCI_CLASS_DISPLAY_VGA || seen)
		return;
	seen = true;
	dev->resource[PCI_ROM_RESOURCE] = (struct resource){
		.start = PCI_VIDEO_ROM_SHADOW,
		.end = PCI_VIDEO_ROM_SHADOW + PCI_VIDEO_ROM_SHADOW_SIZE - 1,
		.flags = IORESOURCE_MEM | IORESOURCE_ROM_SHADOW |
			 IORESOURCE_PCI_FIXED,
	};
}

/*
 * Enter @dev's BARs in the resource trees under its name, as Linux's
 * pcibios_allocate_resources() does; not the VGA ROM's shadow copy,
 * which is already there as the BIOS's "Video ROM".
 */
static void pci_claim_resources(struct pci_dev *dev)
{
	struct resource *res;
	int i, err;

	for (i = 0; i < PCI_NUM_RESOURCES; i++) {
		res = &dev->resource[i];
		if (!res->flags)
			continue;
		if (res->flags & IORESOURCE_ROM_SHADOW)
			continue;
		res->name = dev->name;
		err = insert_resource(res->flags & IORESOURCE_IO ?
					      &ioport_resource :
					      &iomem_resource,
				      res);
		if (err)
			pr_warn(PCI_NAME_FMT "BAR %d: address conflict (%d)\n",
				PCI_NAME_ARGS(dev), i, err);
	}
}

/* A new pci_dev for @bus/@devfn, or NULL if nothing answers there. */
static struct pci_dev *pci_scan_function(unsigned int bus, unsigned int devfn,
					 struct pci_dev *bridge)
{
	struct pci_dev *dev;
	u16 vendor, device;
	u32 class;
	u8 hdr;

	pci_bus_read_config(bus, devfn, PCI_VENDOR_ID, 4, &class);
	vendor = class; /* the id dword: device id above vendor id */
	device = class >> 16;
	if (vendor == PCI_VENDOR_ID_NONE || !vendor)
		return NULL;
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev) {
		pr_err("pci: out of memory for %02x:%02x.%x\n", bus,
		       PCI_SLOT(devfn), PCI_FUNC(devfn));
		return NULL;
	}
	dev->bus = bus;
	dev->devfn = devfn;
	dev->upstream = bridge;
	snprintf(dev->name, sizeof(dev->name), "0000:%02x:%02x.%x", bus,
		 PCI_SLOT(devfn), PCI_FUNC(devfn));
	dev->vendor = vendor;
	dev->device = device;
	pci_read_config_dword(dev, PCI_CLASS_REVISION, &class);
	dev->class = class >> PCI_CLASS_REVISION_SHIFT;
	dev->revision = class & PCI_REVISION_MASK;
	pci_read_config_byte(dev, PCI_HEADER_TYPE, &hdr);
	dev->hdr_type = hdr & PCI_HEADER_TYPE_MASK;
	dev->multifunction = hdr & PCI_HEADER_TYPE_MFD;
	pr_info(PCI_NAME_FMT "[%04x:%04x] type %02x class 0x%06x\n",
		PCI_NAME_ARGS(dev), dev->vendor, dev->device, dev->hdr_type,
		dev->class);
	pci_setup_header(dev);
	pci_fixup_ide(dev);
	pci_fixup_video(dev);
	pci_claim_resources(dev);
	list_add_tail(&dev->node, &pci_devices);
	return dev;
}

/* Steps 1-3 of the walk for one device number. */
static void pci_scan_slot(unsigned int bus, unsigned int slot,
			  struct pci_dev *bridge)
{
	struct pci_dev *dev;
	unsigned int fn;

	for (fn = 0; fn < PCI_MAX_FUNCTIONS; fn++) {
		dev = pci_scan_function(bus, PCI_DEVFN(slot, fn), bridge);
		if (fn == 0 && (!dev || !dev->multifunction))
			return;
	}
}

/*
 * The walk of @bus, behind @bridge (NULL: the host bridge) and, depth
 * first, of the buses behind its bridges.
 */
static void pci_scan_bus(unsigned int bus, bool *walked, struct pci_dev *bridge)
{
	struct pci_dev *dev;
	unsigned int slot;

	walked[bus] = true;
	for (slot = 0; slot < PCI_MAX_DEVICES; slot++)
		pci_scan_slot(bus, slot, bridge);
	/* Step 4. New devices go to the tail, behind this iteration. */
	list_for_each_entry(dev, &pci_devices, node) {
		if (dev->bus != bus || dev->hdr_type != PCI_HEADER_TYPE_BRIDGE)
			continue;
		if (!dev->secondary || walked[dev->secondary])
			continue;
		pci_scan_bus(dev->secondary, walked, dev);
	}
}

/*
 * The I/O ports the host bridge itself owns (configuration mechanism
 * #1), and the windows it forwards to bus 0: every port but those, as
 * QEMU's ACPI tables describe the i440FX's _CRS.
 */
static struct resource pci_io_windows[] = {
	{ .name = "PCI Bus 0000:00", .start = 0x0000, .end = 0x0cf7 },
	{ .name = "PCI Bus 0000:00", .start = 0x0d00, .end = 0xffff },
};

/*
 * Its memory windows: the legacy VGA hole, and everything from the end
 * of RAM below 4 GiB up to the I/O APIC (QEMU's i440FX _CRS).
 */
#define PCI_VGA_WINDOW_START 0xa0000
#define PCI_VGA_WINDOW_END 0xbffff
#define PCI_MEM_WINDOW_END 0xfebfffff

static struct resource pci_mem_windows[] = {
	{ .name = "PCI Bus 0000:00",
	  .start = PCI_VGA_WINDOW_START,
	  .end = PCI_VGA_WINDOW_END },
	{ .name = "PCI Bus 0000:00", .end = PCI_MEM_WINDOW_END },
};

/* The first address above the RAM and reserved ranges below the window. */
static u64 pci_mem_window_start(void)
{
	u64 top = 0, end;
	unsigned int i;

	for (i = 0; i < boot_info.nr_mmap; i++) {
		end = boot_info.mmap[i].addr + boot_info.mmap[i].size;
		if (end <= PCI_MEM_WINDOW_END && end > top)
			top = end;
	}
	return top;
}

static void pci_reserve_host_ports(void)
{
	unsigned int i;

	if (!request_region(PCI_CONF1_ADDRESS_PORT, PCI_CONF1_NR_PORTS,
			    "PCI conf1"))
		pr_warn("PCI: configuration ports already claimed\n");
	for (i = 0; i < ARRAY_SIZE(pci_io_windows); i++) {
		pci_io_windows[i].flags = IORESOURCE_IO | IORESOURCE_WINDOW;
		insert_resource(&ioport_resource, &pci_io_windows[i]);
	}
	pci_mem_windows[1].start = pci_mem_window_start();
	for (i = 0; i < ARRAY_SIZE(pci_mem_windows); i++) {
		pci_mem_windows[i].flags = IORESOURCE_MEM | IORESOURCE_WINDOW;
		insert_resource(&iomem_resource, &pci_mem_windows[i]);
	}
}

/*
 * Find every PCI function and print one line for each; an
 * arch_initcall, so the functions are known before the pci bus_type
 * registers them (subsys level). -ENODEV when no host bridge answers.
 */
static int pci_init(void)
{
	static bool walked[PCI_MAX_BUSES];
	int err;

	pci_reserve_host_ports();
	pci_scan_bus(0, walked, NULL);
	if (list_empty(&pci_devices)) {
		pr_info("PCI: no devices answer configuration mechanism #1\n");
		return -ENODEV;
	}
	pr_info("PCI: %u functions found\n", pci_dev_count());
	err = proc_bus_register("pci", "devices", pci_proc_devices_show);
	if (err)
		pr_warn("PCI: no /proc/bus/pci/devices (%d)\n", err);
	return 0;
}
arch_initcall(pci_init);

struct pci_dev *pci_get_device(unsigned int vendor, unsigned int device,
			       struct pci_dev *from)
{
	struct list_head *pos = from ? from->node.next : pci_devices.next;
	struct pci_dev *dev;

	for (; pos != &pci_devices; pos = pos->next) {
		dev = list_entry(pos, struct pci_dev, node);
		if ((vendor == PCI_ANY_ID || dev->vendor == vendor) &&
		    (device == PCI_ANY_ID || dev->device == device))
			return dev;
	}
	return NULL;
}

struct pci_dev *pci_get_slot(unsigned int bus, unsigned int devfn)
{
	struct pci_dev *dev;

	list_for_each_entry(dev, &pci_devices, node)
		if (dev->bus == bus && dev->devfn == devfn)
			return dev;
	return NULL;
}

unsigned int pci_dev_count(void)
{
	struct pci_dev *dev;
	unsigned int n = 0;

	list_for_each_entry(dev, &pci_devices, node)
		n++;
	return n;
}
