/*
 * kallsyms: the kernel's own symbol table, generated at build time from
 * the linked image (scripts/gen-kallsyms.py) and linked into it, so
 * backtraces and oopses print function names.
 */
#ifndef _KESTREL_KALLSYMS_H
#define _KESTREL_KALLSYMS_H

#include <stddef.h>

#define KSYM_NAME_LEN 128

/**
 * kallsyms_lookup - the function containing @addr
 * @size: if not NULL, receives the function's size
 * @offset: if not NULL, receives @addr's offset in it
 *
 * Return: the name, or NULL when @addr is in no known function.
 * Context: any; takes no lock.
 */
const char *kallsyms_lookup(unsigned long addr, unsigned long *size,
			    unsigned long *offset);

/* The address of symbol @name, or 0. */
unsigned long kallsyms_lookup_name(const char *name);

/* Call @fn for every symbol of the table, in address order. */
void kallsyms_for_each(void (*fn)(const char *name, unsigned long addr,
				  void *arg),
		       void *arg);

/* Format @addr as "name+0xoff/0xsize", or as a bare hex address. */
int sprint_symbol(char *buf, size_t len, unsigned long addr);

#endif /* _KESTREL_KALLSYMS_H */
