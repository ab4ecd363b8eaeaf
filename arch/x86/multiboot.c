/*
 * Reading the boot loader's information. QEMU's -kernel speaks
 * Multiboot1, GRUB's multiboot2 command Multiboot2; both describe the
 * same things (command line, memory map, modules) in different layouts.
 * parse_boot_info() copies them into boot_info and boot_command_line
 * before anything can overwrite the loader's structures.
 *
 * The loader's data is input like any other: every pointer is checked
 * to lie in mapped low memory, every count and size is bounded, and a
 * malformed structure is reported and skipped, never followed.
 */
#include <asm/multiboot.h>
#include <asm/page.h>
#include <asm/setup.h>
#include <kestrel/bootinfo.h>
#include <kestrel/printk.h>
#include <kestrel/string.h>

struct boot_info boot_info;
extern u32 boot_loader_magic, boot_loader_info;

/* Does [addr, addr + len) lie in the low memory the boot map covers? */
static bool phys_ok(u64 addr, u64 len)
{
	return addr < MAXMEM && len <= MAXMEM - addr;
}

/* Copy a NUL-terminated string at physical @addr, bounded by @size. */
static void copy_boot_string(char *dst, size_t size, u32 addr)
{
	size_t n = 0;

	if (phys_ok(addr, 1)) {
		const char *src = __va(addr);

		while (n < size - 1 && phys_ok(addr + n, 1) && src[n]) {
			dst[n] = src[n];
			n++;
		}
	}
	dst[n] = '\0';
}

/*
 * Multiboot1 loaders (QEMU, GRUB's `multiboot`) put the kernel's file
 * name first on the command line, as a shell puts argv[0]. Drop that
 * word: it is a path ('/' or '.') and not a parameter (no '=').
 */
static void strip_kernel_name(char *cmdline)
{
	size_t len = strcspn(cmdline, " ");
	char *eq = strchr(cmdline, '=');
	bool is_path = memchr(cmdline, '/', len) || memchr(cmdline, '.', len);

	if (!len || !is_path || (eq && eq < cmdline + len))
		return;
	len += strspn(cmdline + len, " ");
	memmove(cmdline, cmdline + len, strlen(cmdline + len) + 1);
}

static void add_mmap_entry(u64 addr, u64 size, u32 type)
{
	struct boot_mmap_entry *e;

	if (boot_info.nr_mmap >= BOOT_MMAP_MAX) {
		pr_warn("boot: memory map has more than %d entries; ignoring the rest\n",
			BOOT_MMAP_MAX);
		return;
	}
	e = &boot_info.mmap[boot_info.nr_mmap++];
	e->addr = addr;
	e->size = size;
	e->type = type;
}

static void add_module(u32 start, u32 end, u32 cmdline_addr,
		       const char *cmdline)
{
	struct boot_module *m;

	if (end < start || !phys_ok(start, end - start)) {
		pr_err("boot: module at 0x%08x-0x%08x is outside low memory; ignored\n",
		       start, end);
		return;
	}
	if (boot_info.nr_modules >= BOOT_MODULES_MAX) {
		pr_warn("boot: more than %d modules; ignoring the rest\n",
			BOOT_MODULES_MAX);
		return;
	}
	m = &boot_info.modules[boot_info.nr_modules++];
	m->start = start;
	m->end = end;
	if (cmdline)
		strlcpy(m->cmdline, cmdline, sizeof(m->cmdline));
	else
		copy_boot_string(m->cmdline, sizeof(m->cmdline), cmdline_addr);
}

static void parse_mb1_mmap(const struct mb1_info *info)
{
	u32 off = 0;

	if (!phys_ok(info->mmap_addr, info->mmap_length))
		return;
	while (off + sizeof(struct mb1_mmap_entry) <= info->mmap_length) {
		const struct mb1_mmap_entry *e = __va(info->mmap_addr + off);

		add_mmap_entry(e->addr, e->len, e->type);
		if (e->size < sizeof(*e) - sizeof(e->size))
			break; /* malformed: would not advance properly */
		off += e->size + sizeof(e->size);
	}
}

static void parse_mb1(u32 addr)
{
	const struct mb1_info *info = __va(addr);
	const struct mb1_module *mods;
	u32 i;

	boot_info.protocol = 1;
	if (info->flags & MB1_INFO_CMDLINE) {
		copy_boot_string(boot_command_line, COMMAND_LINE_SIZE,
				 info->cmdline);
		strip_kernel_name(boot_command_line);
	}
	if (info->flags & MB1_INFO_LOADER_NAME)
		copy_boot_string(boot_info.loader_name,
				 sizeof(boot_info.loader_name),
				 info->boot_loader_name);
	if (info->flags & MB1_INFO_MEM_MAP)
		parse_mb1_mmap(info);
	else if (info->flags & MB1_INFO_MEMORY)
		add_mmap_entry(0x100000, (u64)info->mem_upper * 1024,
			       BOOT_MEM_AVAILABLE);
	if ((info->flags & MB1_INFO_MODS) &&
	    phys_ok(info->mods_addr, (u64)info->mods_count * sizeof(*mods))) {
		mods = __va(info->mods_addr);
		for (i = 0; i < info->mods_count; i++)
			add_module(mods[i].mod_start, mods[i].mod_end,
				   mods[i].cmdline, NULL);
	}
}

static void parse_mb2_mmap(const struct mb2_tag_mmap *tag)
{
	u32 off = sizeof(*tag);

	if (tag->entry_size < sizeof(struct mb2_mmap_entry))
		return;
	while (off + tag->entry_size <= tag->size) {
		const struct mb2_mmap_entry *e =
			(const void *)((const char *)tag + off);

		add_mmap_entry(e->addr, e->len, e->type);
		off += tag->entry_size;
	}
}

/* Copy a string that lives inside a tag of @len bytes from @s. */
static void copy_tag_string(char *dst, size_t size, const char *s, u32 len)
{
	size_t n = len < size ? len : size;

	strlcpy(dst, s, n ? n : 1);
}

static void parse_mb2_module(const struct mb2_tag_module *mod)
{
	char cmdline[BOOT_MODULE_CMDLINE_MAX];

	if (mod->size < sizeof(*mod) + 1)
		return;
	copy_tag_string(cmdline, sizeof(cmdline), mod->cmdline,
			mod->size - sizeof(*mod));
	add_module(mod->mod_start, mod->mod_end, 0, cmdline);
}

static void parse_mb2_tag(const struct mb2_tag *tag)
{
	const char *payload = (const char *)(tag + 1);
	u32 len = tag->size - sizeof(*tag);

	switch (tag->type) {
	case MB2_TAG_CMDLINE:
		copy_tag_string(boot_command_line, COMMAND_LINE_SIZE, payload,
				len);
		break;
	case MB2_TAG_LOADER_NAME:
		copy_tag_string(boot_info.loader_name,
				sizeof(boot_info.loader_name), payload, len);
		break;
	case MB2_TAG_MODULE:
		parse_mb2_module((const void *)tag);
		break;
	case MB2_TAG_MMAP:
		if (tag->size >= sizeof(struct mb2_tag_mmap))
			parse_mb2_mmap((const void *)tag);
		break;
	}
}

static void parse_mb2(u32 addr)
{
	const struct mb2_info_header *hdr = __va(addr);
	u32 off = sizeof(*hdr), total;
	const struct mb2_tag *tag;

	boot_info.protocol = 2;
	total = hdr->total_size;
	if (!phys_ok(addr, total)) {
		pr_err("boot: Multiboot2 information is outside low memory\n");
		return;
	}
	while (off + sizeof(*tag) <= total) {
		tag = (const void *)((const char *)hdr + off);
		if (tag->type == MB2_TAG_END || tag->size < sizeof(*tag) ||
		    tag->size > total - off)
			break;
		parse_mb2_tag(tag);
		off += (tag->size + MB2_TAG_ALIGN - 1) & ~(MB2_TAG_ALIGN - 1);
	}
}

/**
 * parse_boot_info - copy the boot loader's information into boot_info
 *
 * Boot only, first thing: printk only records into the log (no console
 * is up yet), which is replayed once one is.
 */
void parse_boot_info(void)
{
	if (!phys_ok(boot_loader_info, sizeof(struct mb1_info))) {
		pr_err("boot: boot information at 0x%08x is outside low memory\n",
		       boot_loader_info);
		return;
	}
	if (boot_loader_magic == MB1_BOOTLOADER_MAGIC)
		parse_mb1(boot_loader_info);
	else if (boot_loader_magic == MB2_BOOTLOADER_MAGIC)
		parse_mb2(boot_loader_info);
	else
		pr_err("boot: unknown boot loader magic 0x%08x\n",
		       boot_loader_magic);
}
