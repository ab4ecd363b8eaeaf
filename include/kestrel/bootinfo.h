/*
 * What the boot loader told the kernel, in a form independent of the
 * boot protocol (Multiboot1 or Multiboot2). The architecture fills it
 * first thing, copying everything out of the loader's structures (they
 * live in memory the kernel will reuse); everything else reads it.
 */
#ifndef _KESTREL_BOOTINFO_H
#define _KESTREL_BOOTINFO_H

#include <kestrel/init.h>
#include <kestrel/types.h>

#define BOOT_MMAP_MAX 64
#define BOOT_MODULES_MAX 8
#define BOOT_MODULE_CMDLINE_MAX 128

/* Memory-map entry types (the BIOS e820 numbering both protocols use). */
#define BOOT_MEM_AVAILABLE 1
#define BOOT_MEM_RESERVED 2
#define BOOT_MEM_ACPI_RECLAIMABLE 3
#define BOOT_MEM_ACPI_NVS 4
#define BOOT_MEM_BAD 5

struct boot_mmap_entry {
	u64 addr;
	u64 size;
	u32 type;
};

struct boot_module {
	phys_addr_t start, end; /* [start, end) */
	char cmdline[BOOT_MODULE_CMDLINE_MAX];
};

struct boot_info {
	int protocol; /* 1 or 2: the Multiboot version that booted us */
	char loader_name[64];
	unsigned int nr_mmap;
	struct boot_mmap_entry mmap[BOOT_MMAP_MAX];
	unsigned int nr_modules;
	struct boot_module modules[BOOT_MODULES_MAX];
};

extern struct boot_info boot_info;

#endif /* _KESTREL_BOOTINFO_H */
