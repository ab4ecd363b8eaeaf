/*
 * The boot information structures of Multiboot1 (Multiboot Specification
 * 0.6.96, section 3.3) and Multiboot2 (Multiboot2 Specification 2.0,
 * section 3.6), as far as Kestrel reads them.
 */
#ifndef _ASM_X86_MULTIBOOT_H
#define _ASM_X86_MULTIBOOT_H

#include <kestrel/types.h>

#define MB1_BOOTLOADER_MAGIC 0x2BADB002
#define MB2_BOOTLOADER_MAGIC 0x36D76289

/* Multiboot1 info flags: which fields are valid. */
#define MB1_INFO_MEMORY (1 << 0)
#define MB1_INFO_CMDLINE (1 << 2)
#define MB1_INFO_MODS (1 << 3)
#define MB1_INFO_MEM_MAP (1 << 6)
#define MB1_INFO_LOADER_NAME (1 << 9)

struct mb1_info {
	u32 flags;
	u32 mem_lower, mem_upper; /* KiB below 1 MiB, KiB above 1 MiB */
	u32 boot_device;
	u32 cmdline;
	u32 mods_count, mods_addr;
	u32 syms[4];
	u32 mmap_length, mmap_addr;
	u32 drives_length, drives_addr;
	u32 config_table;
	u32 boot_loader_name;
} __attribute__((packed));

struct mb1_module {
	u32 mod_start, mod_end;
	u32 cmdline;
	u32 pad;
} __attribute__((packed));
_Static_assert(sizeof(struct mb1_module) == 16, "mb1 module entry");

/* A memory-map entry; `size` does not count itself. */
struct mb1_mmap_entry {
	u32 size;
	u64 addr, len;
	u32 type;
} __attribute__((packed));
_Static_assert(sizeof(struct mb1_mmap_entry) == 24, "mb1 mmap entry");

/* Multiboot2: a fixed header, then 8-byte-aligned tags. */
struct mb2_info_header {
	u32 total_size;
	u32 reserved;
} __attribute__((packed));

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER_NAME 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_BASIC_MEMINFO 4
#define MB2_TAG_MMAP 6
#define MB2_TAG_ALIGN 8

struct mb2_tag {
	u32 type, size;
} __attribute__((packed));

struct mb2_tag_module {
	u32 type, size;
	u32 mod_start, mod_end;
	char cmdline[];
} __attribute__((packed));

struct mb2_tag_mmap {
	u32 type, size;
	u32 entry_size, entry_version;
} __attribute__((packed));

struct mb2_mmap_entry {
	u64 addr, len;
	u32 type, reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct mb2_mmap_entry) == 24, "mb2 mmap entry");

#endif /* _ASM_X86_MULTIBOOT_H */
