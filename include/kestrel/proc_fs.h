/*
 * procfs: the kernel's view of itself and of each process, as text
 * files in Linux's formats under /proc (fs/proc/, docs/procfs.md).
 *
 * Every file is generated whole when it is opened, through a small
 * seq_file: the show function appends text with seq_printf() into a
 * buffer that grows until the text fits; reads are then served from
 * that snapshot, so no reader ever sees a torn record.
 */
#ifndef _KESTREL_PROC_FS_H
#define _KESTREL_PROC_FS_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>

/* A file's text being built: @count bytes of @size used in @buf. */
struct seq_file {
	char *buf;
	size_t size;
	size_t count;
	bool overflow; /* the text did not fit: open retries bigger */
};

/* Append to @m; on overflow the text is marked cut (open retries). */
void seq_printf(struct seq_file *m, const char *fmt, ...) __printf(2, 3);
void seq_puts(struct seq_file *m, const char *s);
void seq_putc(struct seq_file *m, char c);
void seq_write(struct seq_file *m, const void *data, size_t len);

/**
 * proc_bus_register - add /proc/bus/@bus/@name, its text built by @show
 * @bus:	the bus directory ("pci"), made on first use
 * @name:	the file ("devices")
 * @show:	appends the text with seq_printf(); process context
 *
 * For bus cores, so that procfs need not know them. The strings must
 * live forever. Boot only, before user space runs: the tables are read
 * without a lock afterwards.
 * Return: 0, or -ENOSPC when PROC_BUS_MAX files or directories exist.
 */
int proc_bus_register(const char *bus, const char *name,
		      void (*show)(struct seq_file *m));

/**
 * proc_root_init - register the "proc" filesystem type
 *
 * It is not mounted: as on Linux, init mounts it ("mount -t proc proc
 * /proc"). Call once at boot. Returns 0 or -errno (logged).
 * Context: process; may sleep.
 */
int proc_root_init(void);

#endif /* _KESTREL_PROC_FS_H */
