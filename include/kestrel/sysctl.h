/*
 * sysctl: the kernel's tunables, shown as files under /proc/sys.
 *
 * The tree is made of const tables of struct ctl_table (kernel/sysctl.c):
 * an entry with ->child is a directory, any other is a file whose text
 * is produced and parsed by its ->proc_handler over ->data. The handlers
 * here work on kernel buffers; fs/proc/proc_sysctl.c copies to and from
 * user space, checks permissions the way Linux does (root is bound by
 * the owner bits too: a 0444 file is read-only for everybody) and keeps
 * the file position.
 */
#ifndef _KESTREL_SYSCTL_H
#define _KESTREL_SYSCTL_H

#include <kestrel/fs.h> /* loff_t, umode_t */
#include <kestrel/types.h>

struct ctl_table;

/* Which way a handler is called. */
enum sysctl_dir {
	SYSCTL_READ,
	SYSCTL_WRITE,
};

/*
 * A file's handler. Reading: put the whole text ("value\n") into @buf
 * of @*lenp bytes and set @*lenp to its length. Writing: parse the @*lenp
 * bytes at @buf that the writer put at file position @pos, and set
 * @*lenp to the bytes consumed. Returns 0 or -errno (-EINVAL for text
 * that does not parse or a value out of range). May sleep.
 */
typedef int (*proc_handler_t)(const struct ctl_table *table,
			      enum sysctl_dir dir, char *buf, size_t *lenp,
			      loff_t pos);

struct ctl_table {
	const char *procname; /* the file or directory name */
	void *data; /* the variable shown */
	int maxlen; /* its size in bytes (strings: with the NUL) */
	umode_t mode; /* permission bits (S_IFDIR added for directories) */
	const struct ctl_table *child; /* a directory's entries, or NULL */
	proc_handler_t proc_handler;
	/* proc_dointvec_minmax: the bounds (const int *), NULL: none */
	const int *extra1, *extra2;
	/* Called after a successful write (e.g. recompute watermarks). */
	void (*changed)(const struct ctl_table *table);
};

/* The root of /proc/sys: kernel/, vm/, fs/ (kernel/sysctl.c). */
extern const struct ctl_table sysctl_root_table[];

/* A NUL-terminated string of at most maxlen - 1 bytes. */
int proc_dostring(const struct ctl_table *table, enum sysctl_dir dir, char *buf,
		  size_t *lenp, loff_t pos);
/* maxlen / sizeof(int) integers, separated by white space. */
int proc_dointvec(const struct ctl_table *table, enum sysctl_dir dir, char *buf,
		  size_t *lenp, loff_t pos);
/* The same, each checked against *extra1 <= v <= *extra2 (EINVAL). */
int proc_dointvec_minmax(const struct ctl_table *table, enum sysctl_dir dir,
			 char *buf, size_t *lenp, loff_t pos);

#endif /* _KESTREL_SYSCTL_H */
