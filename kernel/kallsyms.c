/*
 * Symbol lookup in the table scripts/gen-kallsyms.py generates from the
 * linked kernel (build/kallsyms.c): addresses sorted ascending, each
 * with the offset of its name in one string blob. The table sits in its
 * own section after .bss (boot/kestrel.ld), so generating it does not
 * move the symbols it describes. Lookup is a binary search; a symbol's
 * size is the distance to the next one.
 */
#include <kestrel/kallsyms.h>
#include <kestrel/kstrtox.h>
#include <kestrel/string.h>

extern const unsigned long kallsyms_addresses[];
extern const unsigned int kallsyms_name_offsets[];
extern const char kallsyms_names[];
extern const unsigned int kallsyms_num;
extern char __text_start[], __text_end[];

/* Index of the last symbol at or below @addr, or -1. */
static long kallsyms_index(unsigned long addr)
{
	long lo = 0, hi = (long)kallsyms_num - 1, mid;

	if (!kallsyms_num || addr < kallsyms_addresses[0])
		return -1;
	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		if (kallsyms_addresses[mid] <= addr)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

const char *kallsyms_lookup(unsigned long addr, unsigned long *size,
			    unsigned long *offset)
{
	long i;
	unsigned long end;

	if (addr < (unsigned long)__text_start ||
	    addr >= (unsigned long)__text_end)
		return NULL;
	i = kallsyms_index(addr);
	if (i < 0)
		return NULL;
	end = (unsigned long)i + 1 < kallsyms_num ? kallsyms_addresses[i + 1] :
						    (unsigned long)__text_end;
	if (size)
		*size = end - kallsyms_addresses[i];
	if (offset)
		*offset = addr - kallsyms_addresses[i];
	return kallsyms_names + kallsyms_name_offsets[i];
}

unsigned long kallsyms_lookup_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < kallsyms_num; i++)
		if (!strcmp(kallsyms_names + kallsyms_name_offsets[i], name))
			return kallsyms_addresses[i];
	return 0;
}

int sprint_symbol(char *buf, size_t len, unsigned long addr)
{
	unsigned long size, offset;
	const char *name = kallsyms_lookup(addr, &size, &offset);

	if (!name)
		return scnprintf(buf, len, "0x%08lx", addr);
	return scnprintf(buf, len, "%s+0x%lx/0x%lx", name, offset, size);
}

void kallsyms_for_each(void (*fn)(const char *name, unsigned long addr,
				  void *arg),
		       void *arg)
{
	unsigned int i;

	for (i = 0; i < kallsyms_num; i++)
		fn(kallsyms_names + kallsyms_name_offsets[i],
		   kallsyms_addresses[i], arg);
}
