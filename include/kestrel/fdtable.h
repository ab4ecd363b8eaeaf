/*
 * File descriptor tables.
 *
 * A files_struct maps small integers to open files. Tasks created with
 * CLONE_FILES share one; fork copies it (dup_fd). The table grows on
 * demand, doubling, up to the limit the caller passes (RLIMIT_NOFILE):
 * a new descriptor is always the lowest free one, which POSIX requires
 * and which the open_fds bitmap makes cheap to find.
 *
 * A descriptor is made in two steps so that it never points at a
 * half-made file: alloc_fd() reserves the number, fd_install() publishes
 * the file (or put_unused_fd() gives the number back on failure).
 *
 * Locking: files->file_lock (a spinlock) protects the table pointer, the
 * fd array and both bitmaps; it is never held across anything that
 * sleeps, so growing the table allocates with the lock dropped.
 */
#ifndef _KESTREL_FDTABLE_H
#define _KESTREL_FDTABLE_H

#include <kestrel/atomic.h>
#include <kestrel/bitops.h>
#include <kestrel/spinlock.h>
#include <kestrel/types.h>

struct file;

/* Descriptors of the table every files_struct starts with. */
#define NR_OPEN_DEFAULT 32
/* The hard ceiling for RLIMIT_NOFILE (Linux's default nr_open). */
#define NR_OPEN_MAX (1024 * 1024)

struct fdtable {
	unsigned int max_fds; /* slots in fd[] and bits in the bitmaps */
	struct file **fd; /* file_lock */
	unsigned long *open_fds; /* file_lock: bit set = descriptor in use */
	unsigned long *close_on_exec; /* file_lock */
};

struct files_struct {
	atomic_t count; /* tasks sharing it */
	spinlock_t file_lock; /* see the file comment */
	struct fdtable *fdt; /* file_lock: fdtab or a grown table */
	unsigned int next_fd; /* file_lock: no free fd below this */
	struct fdtable fdtab; /* the first table, embedded */
	struct file *fd_array[NR_OPEN_DEFAULT];
	unsigned long open_fds_init[BITS_TO_LONGS(NR_OPEN_DEFAULT)];
	unsigned long close_on_exec_init[BITS_TO_LONGS(NR_OPEN_DEFAULT)];
};

/* An empty table with one user. NULL on ENOMEM. Context: process. */
struct files_struct *alloc_files_struct(void);

/**
 * dup_fd - fork: copy @old's descriptors (each file gets a reference)
 *
 * Returns the new table or ERR_PTR(-ENOMEM). Context: process.
 */
struct files_struct *dup_fd(struct files_struct *old);

/* CLONE_FILES: one more task shares @files. */
void get_files_struct(struct files_struct *files);

/* A task leaves @files; the last one closes every descriptor. May sleep. */
void put_files_struct(struct files_struct *files);

/**
 * alloc_fd - reserve the lowest free descriptor >= @start
 * @end: one past the highest allowed (RLIMIT_NOFILE, at most NR_OPEN_MAX)
 * @flags: O_CLOEXEC sets close-on-exec
 *
 * Returns the descriptor, -EMFILE when none is free below @end (also
 * when @start >= @end: F_DUPFD's EINVAL for that is the caller's check),
 * -ENOMEM. Context: process (may allocate).
 */
int alloc_fd(struct files_struct *files, unsigned int start, unsigned int end,
	     unsigned int flags);

/* Give back a descriptor alloc_fd() reserved and nothing was installed in. */
void put_unused_fd(struct files_struct *files, unsigned int fd);

/* Publish @file at the reserved @fd; the table takes over the reference. */
void fd_install(struct files_struct *files, unsigned int fd, struct file *file);

/* The file at @fd with a new reference (fput it), or NULL. Any context. */
struct file *fget_files(struct files_struct *files, unsigned int fd);

/**
 * close_fd - close(2)
 *
 * Returns 0, or -EBADF if @fd is not open. May sleep (the last fput).
 */
int close_fd(struct files_struct *files, unsigned int fd);

/**
 * replace_fd - dup2/dup3: make @fd refer to @file, closing what was there
 * @file: gets a new reference
 * @end: RLIMIT_NOFILE; @fd >= @end is -EBADF
 * @flags: O_CLOEXEC
 *
 * Returns @fd or -EBADF/-ENOMEM/-EBUSY (the slot is reserved but not
 * installed by a concurrent open). May sleep.
 */
int replace_fd(struct files_struct *files, unsigned int fd, struct file *file,
	       unsigned int end, unsigned int flags);

/* Is @fd of @fdt close-on-exec? Caller holds the files' file_lock. */
static inline bool close_on_exec(unsigned int fd, const struct fdtable *fdt)
{
	return test_bit(fd, fdt->close_on_exec);
}

/* F_GETFD / F_SETFD. get: -EBADF or the bit; set: 0 or -EBADF. */
int get_close_on_exec(struct files_struct *files, unsigned int fd);
int set_close_on_exec(struct files_struct *files, unsigned int fd, bool on);

/* exec: close every descriptor marked close-on-exec. May sleep. */
void do_close_on_exec(struct files_struct *files);

/* Descriptors in use (tests, /proc). */
unsigned int files_count_open(struct files_struct *files);

/* ---- the current task's table ------------------------------------------- */

/*
 * The file at @fd in the current task's table, with a reference (fput
 * it), or NULL: -EBADF for the caller. fget() refuses O_PATH files, as
 * the calls that do I/O must; fget_raw() takes them (fstat, fchdir, dup,
 * fcntl, the *at() directory descriptors). Context: process.
 */
struct file *fget(unsigned int fd);
struct file *fget_raw(unsigned int fd);

/* RLIMIT_NOFILE of the current process: one past the highest descriptor
 * it may open, at most NR_OPEN_MAX. */
unsigned int rlimit_nofile(void);

/*
 * alloc_fd() in the current task's table: the lowest free descriptor
 * below RLIMIT_NOFILE, O_CLOEXEC from @flags. Returns it, -EMFILE, or
 * -ENOMEM; fd_install() or put_unused_fd() it. May sleep.
 */
int get_unused_fd_flags(unsigned int flags);

#endif /* _KESTREL_FDTABLE_H */
