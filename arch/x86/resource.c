/*
 * What a PC's address spaces hold before any driver runs, entered in
 * the resource trees (include/kestrel/ioport.h) at boot, as Linux's
 * arch/x86/kernel/setup.c, e820.c and probe_roms.c do:
 *
 *   - every range of the firmware's memory map, by type ("System RAM",
 *     "Reserved", ...), with the kernel image's code, rodata, data and
 *     bss as children of the RAM that holds them;
 *   - the legacy ISA memory hole: the VGA frame buffer window and the
 *     option ROMs the BIOS left there (found by their 55 AA signature),
 *     and the system BIOS ROM;
 *   - the motherboard's fixed I/O ports (DMA controllers, PICs, PIT,
 *     keyboard controller, DMA page registers, FPU), which no driver
 *     claims. Ports a Kestrel driver owns (serial, RTC, VGA, PCI
 *     configuration) are claimed by that driver.
 *
 * Locking: resource_init() runs once at boot, single-threaded.
 */
#include <asm/page.h>
#include <kestrel/bootinfo.h>
#include <kestrel/ioport.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>

extern char __text_start[], __text_end[], __data_start[];
extern char __bss_start[], __bss_end[];

/*
 * The legacy I/O ports of the PC/AT motherboard (IBM PC/AT Technical
 * Reference, "System I/O Address Map"; Intel 82371SB PIIX3 datasheet,
 * 2.1 "PCI configuration registers" and 3.1 "ISA-compatible registers").
 */
static struct resource standard_io_resources[] = {
	{ .name = "dma1", .start = 0x00, .end = 0x1f },
	{ .name = "pic1", .start = 0x20, .end = 0x21 },
	{ .name = "timer0", .start = 0x40, .end = 0x43 },
	{ .name = "timer1", .start = 0x50, .end = 0x53 },
	{ .name = "keyboard", .start = 0x60, .end = 0x60 },
	{ .name = "keyboard", .start = 0x64, .end = 0x64 },
	{ .name = "dma page reg", .start = 0x80, .end = 0x8f },
	{ .name = "pic2", .start = 0xa0, .end = 0xa1 },
	{ .name = "dma2", .start = 0xc0, .end = 0xdf },
	{ .name = "fpu", .start = 0xf0, .end = 0xff },
};

/* The ISA hole's memory (IBM PC/AT Technical Reference, memory map). */
#define VIDEO_RAM_START 0xa0000 /* VGA frame buffer window */
#define VIDEO_RAM_END 0xbffff
#define VIDEO_ROM_START 0xc0000 /* the VGA BIOS */
#define ADAPTER_ROM_START 0xc8000 /* other option ROMs, 2 KiB aligned */
#define ADAPTER_ROM_END 0xe0000
#define SYSTEM_ROM_START 0xf0000 /* the system BIOS */
#define SYSTEM_ROM_END 0xfffff

/* An option ROM's header (PCI Firmware Spec 3.0, 5.1.1, table 5-1). */
#define ROM_SIGNATURE 0xaa55 /* bytes 55 AA at offset 0 */
#define ROM_SIZE_OFFSET 2 /* byte 2: length in 512-byte units */
#define ROM_SIZE_UNIT 512
#define ROM_ALIGN 2048 /* ROMs start on 2 KiB boundaries */

static struct resource kernel_code = { .name = "Kernel code" };
static struct resource kernel_rodata = { .name = "Kernel rodata" };
static struct resource kernel_data = { .name = "Kernel data" };
static struct resource kernel_bss = { .name = "Kernel bss" };
static struct resource video_ram = { .name = "Video RAM area" };
static struct resource system_rom = { .name = "System ROM" };
static struct resource video_rom = { .name = "Video ROM" };

static const char *e820_type_name(u32 type)
{
	switch (type) {
	case BOOT_MEM_AVAILABLE:
		return "System RAM";
	case BOOT_MEM_ACPI_RECLAIMABLE:
		return "ACPI Tables";
	case BOOT_MEM_ACPI_NVS:
		return "ACPI Non-volatile Storage";
	case BOOT_MEM_BAD:
		return "Unusable memory";
	default:
		return "Reserved";
	}
}

/* One memory-map entry as a node of iomem_resource. */
static void add_mmap_entry(const struct boot_mmap_entry *e)
{
	struct resource *res;

	if (!e->size || e->addr > IOMEM_SPACE_LIMIT)
		return;
	res = kzalloc(sizeof(*res), GFP_KERNEL);
	if (!res)
		return;
	res->name = e820_type_name(e->type);
	res->start = e->addr;
	res->end = e->addr + e->size - 1;
	if (res->end > IOMEM_SPACE_LIMIT)
		res->end = IOMEM_SPACE_LIMIT;
	res->flags = IORESOURCE_MEM | IORESOURCE_BUSY;
	if (e->type == BOOT_MEM_AVAILABLE)
		res->flags |= IORESOURCE_SYSTEM_RAM;
	if (insert_resource(&iomem_resource, res))
		kfree(res);
}

/* The physical range [@start, @end) of the image as a busy node. */
static void add_kernel_part(struct resource *res, const char *start,
			    const char *end)
{
	res->start = __pa(start);
	res->end = __pa(end) - 1;
	res->flags = IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY;
	if (end > start)
		insert_resource(&iomem_resource, res);
}

/* The ROM at @phys, if its signature is there: its length, else 0. */
static resource_size_t rom_length(unsigned long phys)
{
	const u8 *rom = __va(phys);

	if ((rom[0] | rom[1] << 8) != ROM_SIGNATURE)
		return 0;
	return (resource_size_t)rom[ROM_SIZE_OFFSET] * ROM_SIZE_UNIT;
}

/* A BIOS-shadowed option ROM as a read-only node. */
static void add_rom(struct resource *res, const char *name, unsigned long phys,
		    resource_size_t len)
{
	res->name = name;
	res->start = phys;
	res->end = phys + len - 1;
	res->flags = IORESOURCE_MEM | IORESOURCE_READONLY | IORESOURCE_BUSY;
	insert_resource(&iomem_resource, res);
}

/* The video ROM and the adapter ROMs behind it (Linux: probe_roms()). */
static void probe_roms(void)
{
	unsigned long phys = VIDEO_ROM_START;
	resource_size_t len = rom_length(phys);
	struct resource *res;

	if (len) {
		add_rom(&video_rom, "Video ROM", phys, len);
		phys += (len + ROM_ALIGN - 1) &
			~(resource_size_t)(ROM_ALIGN - 1);
	}
	if (phys < ADAPTER_ROM_START)
		phys = ADAPTER_ROM_START;
	for (; phys < ADAPTER_ROM_END; phys += ROM_ALIGN) {
		len = rom_length(phys);
		if (!len || phys + len > ADAPTER_ROM_END)
			continue;
		res = kzalloc(sizeof(*res), GFP_KERNEL);
		if (!res)
			return;
		add_rom(res, "Adapter ROM", phys, len);
		phys += (len - 1) & ~(resource_size_t)(ROM_ALIGN - 1);
	}
}

void resource_init(void)
{
	unsigned int i;

	/* First, so the "Reserved" range equal to it goes above it. */
	add_rom(&system_rom, "System ROM", SYSTEM_ROM_START,
		SYSTEM_ROM_END - SYSTEM_ROM_START + 1);
	for (i = 0; i < boot_info.nr_mmap; i++)
		add_mmap_entry(&boot_info.mmap[i]);
	add_kernel_part(&kernel_code, __text_start, __text_end);
	/* .rodata starts on the page after the text (boot/kestrel.ld). */
	add_kernel_part(&kernel_rodata,
			(const char *)PAGE_ALIGN((unsigned long)__text_end),
			__data_start);
	add_kernel_part(&kernel_data, __data_start, __bss_start);
	add_kernel_part(&kernel_bss, __bss_start, __bss_end);

	video_ram.start = VIDEO_RAM_START;
	video_ram.end = VIDEO_RAM_END;
	video_ram.flags = IORESOURCE_MEM | IORESOURCE_BUSY;
	insert_resource(&iomem_resource, &video_ram);
	probe_roms();

	for (i = 0; i < ARRAY_SIZE(standard_io_resources); i++) {
		standard_io_resources[i].flags = IORESOURCE_IO |
						 IORESOURCE_BUSY;
		request_resource(&ioport_resource, &standard_io_resources[i]);
	}
}
