/*
 * Core dumps (fs/coredump.c, fs/binfmt_elf_core.c): a process killed by
 * a signal whose default action is "core" (SIGQUIT, SIGSEGV, SIGABRT,
 * ...) leaves an ELF core file of its memory and registers, named by
 * /proc/sys/kernel/core_pattern (Linux's default "core", in its cwd),
 * limited by RLIMIT_CORE, and reports WCOREDUMP (0x80) in its status.
 */
#ifndef _KESTREL_COREDUMP_H
#define _KESTREL_COREDUMP_H

#include <kestrel/fs.h> /* loff_t */
#include <kestrel/mutex.h>
#include <kestrel/types.h>
#include <uapi/signal.h>

/* mm->dumpable, Linux's values (prctl PR_SET_DUMPABLE takes 0 or 1). */
#define SUID_DUMP_DISABLE 0 /* no core dump */
#define SUID_DUMP_USER 1 /* dump as the user */
#define SUID_DUMP_ROOT 2 /* (fs.suid_dumpable = 2; not offered) */

/* core_pattern's size with its NUL (Linux's CORENAME_MAX_SIZE). */
#define CORENAME_MAX_SIZE 128

/* kernel.core_pattern and kernel.core_uses_pid (/proc/sys), guarded by
 * core_pattern_mutex. */
extern char core_pattern[CORENAME_MAX_SIZE];
extern int core_uses_pid;
extern struct mutex core_pattern_mutex;

/**
 * do_coredump - dump the current process's core, if it may
 * @info: the signal that kills it (a core-dumping one, default action)
 *
 * Ends the other threads (the process is dying: SIGNAL_GROUP_EXIT with
 * the signal as its status), then writes the core file unless the
 * process is not dumpable, RLIMIT_CORE is below a page or the file
 * cannot be made; a written core adds WCOREDUMP (0x80) to the status.
 * Called by get_signal(), before do_group_exit(). May sleep.
 */
void do_coredump(const siginfo_t *info);

/*
 * The writer's state (struct coredump_params): where the file is, how
 * much was written (RLIMIT_CORE counts only what is written: holes are
 * free) and the hole still to leave before the next write.
 */
struct coredump_params {
	const siginfo_t *siginfo;
	struct file *file;
	unsigned long limit; /* RLIMIT_CORE, bytes */
	loff_t pos; /* where the next byte goes */
	loff_t written; /* bytes written so far */
	loff_t to_skip; /* a hole to leave before the next write */
};

/* Write @nr bytes at the current position (after any pending hole).
 * Returns true, or false when it would pass the limit or failed. */
bool dump_emit(struct coredump_params *cprm, const void *addr, size_t nr);
/* Leave a hole of @nr bytes (reads as zeros) / up to offset @pos. */
void dump_skip(struct coredump_params *cprm, size_t nr);
void dump_skip_to(struct coredump_params *cprm, loff_t pos);

/* The ELF writer (fs/binfmt_elf_core.c): true if the dump was started
 * (its headers and notes written), as Linux's has_dumped. */
bool elf_core_dump(struct coredump_params *cprm);

#endif /* _KESTREL_COREDUMP_H */
