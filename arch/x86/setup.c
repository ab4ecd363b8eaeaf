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

void setup_arch(void)
{
	unsigned int i;

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
	for (i = 0; i < boot_info.nr_modules; i++)
		memblock_reserve(boot_info.modules[i].start,
				 boot_info.modules[i].end -
					 boot_info.modules[i].start);
	paging_init(firmware_areas_end());
	acpi_init();
}
