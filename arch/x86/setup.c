/*
 * Architecture setup at boot: the CPU's tables first (so faults are
 * reported from the first C instruction on), then memory: the firmware's
 * memory map goes into the boot allocator, the kernel image and the boot
 * modules are reserved, `mem=` caps what is used, and paging_init()
 * builds the final page tables.
 */
#include <asm/acpi.h>
#include <asm/cpufeature.h>
#include <asm/desc.h>
#include <asm/fpu.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/setup.h>
#include <asm/tsc.h>
#include <kestrel/bootinfo.h>
#include <kestrel/errno.h>
#include <kestrel/init.h>
#include <kestrel/kstrtox.h>
#include <kestrel/memblock.h>
#include <kestrel/printk.h>

extern char __kernel_start[], __kernel_end[];

static phys_addr_t mem_limit = MAXMEM; /* mem=: use no memory above */

static int set_mem_limit(char *value)
{
	unsigned long long limit;
	char *end;

	if (!value)
		return -EINVAL;
	limit = memparse(value, &end);
	if (end == value || *end || limit < (16ULL << 20))
		return -EINVAL; /* less than 16 MiB cannot boot */
	if (limit < mem_limit)
		mem_limit = (phys_addr_t)limit;
	return 0;
}
early_param("mem", set_mem_limit);

void arch_early_init(void)
{
	cpu_detect();
	tsc_mark_boot();
	gdt_init();
	idt_init();
	fpu_init();
}

static const char *mmap_type_name(u32 type)
{
	switch (type) {
	case BOOT_MEM_AVAILABLE:
		return "usable";
	case BOOT_MEM_ACPI_RECLAIMABLE:
		return "ACPI data";
	case BOOT_MEM_ACPI_NVS:
		return "ACPI NVS";
	case BOOT_MEM_BAD:
		return "unusable";
	default:
		return "reserved";
	}
}

/* Hand the usable parts of the firmware map below 4 GiB to memblock. */
static void memory_map_to_memblock(void)
{
	const struct boot_mmap_entry *e;
	u64 end;
	unsigned int i;

	for (i = 0; i < boot_info.nr_mmap; i++) {
		e = &boot_info.mmap[i];
		end = e->addr + e->size;
		pr_info("BIOS-e820: [mem 0x%08llx-0x%08llx] %s\n", e->addr,
			end - 1, mmap_type_name(e->type));
		if (e->type != BOOT_MEM_AVAILABLE || e->addr >= (1ULL << 32) ||
		    !e->size)
			continue;
		if (end > (1ULL << 32))
			end = 1ULL << 32;
		memblock_add((phys_addr_t)e->addr,
			     (phys_addr_t)(end - e->addr));
	}
}

/* The end of the highest firmware area (ACPI data, reserved) below
 * MAXMEM: the direct map extends over it so the tables can be read. */
static phys_addr_t firmware_areas_end(void)
{
	const struct boot_mmap_entry *e;
	phys_addr_t end = 0;
	u64 e_end;
	unsigned int i;

	for (i = 0; i < boot_info.nr_mmap; i++) {
		e = &boot_info.mmap[i];
		e_end = e->addr + e->size;
		if (e->type == BOOT_MEM_AVAILABLE || e->type == BOOT_MEM_BAD ||
		    e->addr >= MAXMEM)
			continue;
		if (e_end > MAXMEM)
			e_end = MAXMEM;
		if (e_end > end)
			end = (phys_addr_t)PAGE_ALIGN(e_end);
	}
	return end;
}

/*
 * Reserve the boot modules (the initramfs) so that no boot allocation
 * and no page of the buddy allocator ever overlaps one: they are read
 * by populate_rootfs() long after, and never freed. A module beyond the
 * memory in use (above mem=) would not be mapped: it is reported and
 * dropped, loudly, where Linux would move it or disable it.
 */
static void reserve_boot_modules(void)
{
	phys_addr_t ram_end = memblock_end_of_ram();
	unsigned int i, kept = 0;

	for (i = 0; i < boot_info.nr_modules; i++) {
		const struct boot_module *m = &boot_info.modules[i];

		if (m->end > ram_end) {
			pr_err("initramfs: module %u [mem 0x%08x-0x%08x] lies "
			       "beyond the memory in use (end 0x%08lx, mem=); "
			       "ignored\n",
			       i, m->start, m->end - 1, (unsigned long)ram_end);
			continue;
		}
		memblock_reserve(m->start, m->end - m->start);
		boot_info.modules[kept++] = *m;
	}
	boot_info.nr_modules = kept;
}

void setup_arch(void)
{
	pr_info("CPU: %s %s (family %u, model %u, stepping %u)\n",
		boot_cpu_data.vendor, boot_cpu_data.model_name,
		boot_cpu_data.family, boot_cpu_data.model,
		boot_cpu_data.stepping);
	if (!boot_cpu_has(X86_FEATURE_PSE))
		pr_warn("CPU: no PSE; the boot page tables needed it\n");

	memory_map_to_memblock();
	memblock_cap_memory(mem_limit);
	/* The real-mode interrupt table and BIOS data area. */
	memblock_reserve(0, PAGE_SIZE);
	memblock_reserve(__pa(__kernel_start), __kernel_end - __kernel_start);
	reserve_boot_modules();
	paging_init(firmware_areas_end());
	acpi_init();
}
