/*
 * The system-call layer over the VFS, private to fs/syscalls_rw.c,
 * fs/path_syscalls.c, fs/select.c and their ktest suite (fs_syscalls).
 *
 * Three kinds of helpers live here:
 *   - the current task's side of a call: the names and directory
 *     descriptors it passes (getname, struct at_name, user_path_at); its
 *     descriptors are <kestrel/fdtable.h>'s (fget, rlimit_nofile);
 *   - the conversions from kernel structures to the i386 ABI layouts
 *     (stat64, statx, statfs64, linux_dirent64 records), pure code;
 *   - the checks that decide an error before any work is done (fcntl
 *     flag masks, select() bitmaps), pure code too; iovec arrays are
 *     <kestrel/uio.h>'s (import_iovec).
 * The pure helpers take and fill kernel memory only, so the ktests call
 * them directly; the system calls copy to and from user space around
 * them.
 */
#ifndef _FS_SYSCALLS_H
#define _FS_SYSCALLS_H

#include <kestrel/compiler.h>
#include <kestrel/fs.h>
#include <kestrel/types.h>
#include <kestrel/uio.h>
#include <uapi/dirent.h>
#include <uapi/stat.h>
#include <uapi/poll.h>
#include <uapi/statfs.h>

/* ---- positions ---------------------------------------------------------- */

/* A 64-bit position or length passed in two registers, low word first. */
static inline loff_t loff_from_lohi(u32 lo, u32 hi)
{
	return (loff_t)(((u64)hi << 32) | lo);
}

/* ---- path names (fs/path_syscalls.c) ------------------------------------ */

/**
 * getname - copy a path name from user space
 * @uname: the user's NUL-terminated name
 * @lookup_flags: LOOKUP_EMPTY lets "" through (AT_EMPTY_PATH)
 *
 * Returns a PATH_MAX buffer holding the name (putname() it), or
 * ERR_PTR(-EFAULT) for a bad pointer, -ENAMETOOLONG when the name and
 * its NUL do not fit in PATH_MAX bytes, -ENOENT for "" without
 * LOOKUP_EMPTY, -ENOMEM. May sleep.
 */
char *getname(const char __user *uname, unsigned int lookup_flags);
void putname(char *name);

/*
 * A name relative to a directory descriptor, as the *at() calls take
 * it: the copied name and the directory to start from (NULL: the
 * working directory of current_fs(), for AT_FDCWD or an absolute name).
 */
struct at_name {
	char *name; /* from getname() */
	const struct path *dir; /* NULL or &dir_path */
	struct path dir_path; /* @dfd's path, with a reference */
};

/**
 * at_name_get - copy @uname and resolve @dfd
 * @lookup_flags: LOOKUP_EMPTY allows an empty name (AT_EMPTY_PATH)
 *
 * @dfd is looked at only for a relative name: AT_FDCWD or an open
 * descriptor (O_PATH ones too). Whether it is a directory is the walk's
 * question (ENOTDIR unless the name is empty). Returns 0 or -EBADF,
 * -EFAULT, -ENAMETOOLONG, -ENOENT, -ENOMEM; on success release with
 * at_name_put(). May sleep.
 */
int at_name_get(struct at_name *at, int dfd, const char __user *uname,
		unsigned int lookup_flags);
void at_name_put(struct at_name *at);

/* at_name_get() and vfs_path_lookup() in one: *@path gets a reference. */
int user_path_at(int dfd, const char __user *uname, unsigned int lookup_flags,
		 struct path *path);

/* ---- ABI conversions (pure) --------------------------------------------- */

/* struct stat64 from @stat, as Linux's cp_new_stat64() fills it. */
void cp_new_stat64(const struct kstat *stat, struct stat64 *st);

/* The STATX_ATTR_* bits cp_statx() reports as supported. */
#define STATX_ATTR_KNOWN \
	(STATX_ATTR_AUTOMOUNT | STATX_ATTR_DAX | STATX_ATTR_MOUNT_ROOT)

/* struct statx from @stat; @attributes: STATX_ATTR_* of the file. */
void cp_statx(const struct kstat *stat, u64 attributes, struct statx *sx);

/* struct statfs64 from @st. */
void cp_statfs64(const struct kstatfs *st, struct statfs64 *buf);

/*
 * Packing getdents64 records into a kernel buffer. Each record is the
 * 19-byte header, the name and its NUL, padded to a multiple of 8. A
 * record's d_off is the position of the entry after it, which is only
 * known when that entry comes (or the listing stops): dirent64_add()
 * sets the previous record's d_off, dirent64_finish() the last one's.
 */
struct dirent64_buf {
	char *buf; /* kernel memory, 8-byte aligned */
	size_t size; /* bytes in @buf */
	size_t used; /* bytes of records so far */
	size_t prev; /* offset of the last record; meaningful if used */
	int error; /* -EINVAL: the first record did not fit */
};

/* The d_reclen of a record with a name of @namlen bytes. */
size_t dirent64_reclen(int namlen);

/*
 * Append a record for the entry at position @offset. Returns false,
 * leaving the buffer as it was, when the record does not fit (and sets
 * ->error if the buffer is still empty).
 */
bool dirent64_add(struct dirent64_buf *db, const char *name, int namlen,
		  loff_t offset, u64 ino, unsigned int type);

/* The listing stopped at @pos: that is where the last record leads. */
void dirent64_finish(struct dirent64_buf *db, loff_t pos);

/* ---- checks (pure) ------------------------------------------------------ */

/* The status flags F_SETFL may change (Linux's; O_DIRECT is obeyed by the
 * files that can do direct I/O, block devices, and ignored by others). */
#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME)

/* The f_flags after F_SETFL @arg: only SETFL_MASK bits change. */
unsigned int fcntl_setfl_flags(unsigned int f_flags, unsigned long arg);

/* Bytes of a select() bitmap for @n descriptors: whole longs, as Linux
 * copies them (an fd_set is a bitmap of unsigned long, <kestrel/bitmap.h>). */
size_t fds_bytes(unsigned int n);

/*
 * Three select() bitmaps: the sets asked about, or the results. A NULL
 * member is an empty set (and receives no results).
 */
struct select_sets {
	unsigned long *in, *out, *ex;
};

/**
 * select_max_fd - the highest descriptor select() must look at, plus one
 * @want: the sets asked about; bits at or above @n are ignored
 * @n: select()'s first argument (already clamped to the table size)
 * @open_fds: the table's bitmap of open descriptors, at least @n bits
 *
 * Returns 0 when no bit is set, the highest set descriptor + 1, or
 * -EBADF when a set bit names a descriptor that is not open.
 */
int select_max_fd(const struct select_sets *want, unsigned int n,
		  const unsigned long *open_fds);

/*
 * Record in @res what the ->poll answer @mask means for descriptor @fd,
 * for the sets @want asks about @fd in. Returns the bits set (a
 * descriptor both readable and writable counts twice, as in Linux).
 */
int select_mark(const struct select_sets *want, const struct select_sets *res,
		unsigned int fd, unsigned int mask);

/* The POLL* masks that make a descriptor readable, writable or
 * exceptional for select() (Linux's POLLIN_SET, ...). */
#define POLLIN_SET (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET (POLLPRI)

#endif /* _FS_SYSCALLS_H */
