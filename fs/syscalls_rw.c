/*
 * The system calls on descriptors: open and close; read and write,
 * positioned, vectored or both; lseek; the dup family; fcntl; ioctl;
 * pipe (the sync calls are in fs/sync.c). Each is a thin layer over the
 * VFS (fs/namei.c, fs/read_write.c, fs/file.c, fs/pipe.c): find the
 * file in the current task's table, copy in what user space passed,
 * call the VFS, copy out.
 *
 * Linux's i386 conventions, kept here:
 *   - a 64-bit position travels in two registers, low word first
 *     (pread64, pwrite64, preadv, pwritev); _llseek alone passes the
 *     high word first;
 *   - RLIMIT_NOFILE bounds the table: EMFILE for a new descriptor, EBADF
 *     for dup2 onto one at or past it, EINVAL for F_DUPFD from one;
 *   - a write that fails with EPIPE also sends SIGPIPE to the writing
 *     thread (write, writev, pwrite64, pwritev);
 *   - lseek reports EOVERFLOW for a position that does not fit in a
 *     32-bit off_t, after moving the file position, as Linux does.
 *
 * Not implemented: record locks. fcntl's F_GETLK, F_SETLK, F_SETLKW, their
 * 64-bit and open-file-description forms, F_SETOWN/F_GETOWN, F_SETSIG,
 * leases, notifications and pipe sizes all return EINVAL, as Linux does
 * for a command it does not know.
 *
 * Locking: none of its own. The descriptor table has files->file_lock
 * (fs/file.c); f_flags is changed under file->f_lock; f_pos is not
 * serialised between threads sharing a file (docs/vfs.md, exercise 4).
 * Every call may sleep.
 */
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs.h>
#include <kestrel/fs_struct.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <uapi/ioctls.h>

#include "syscalls.h"

/* The open() flags Linux knows; others are dropped, not refused. */
#define VALID_OPEN_FLAGS                                                \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | \
	 O_NONBLOCK | O_DSYNC | FASYNC | O_DIRECT | O_LARGEFILE |       \
	 O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | __O_SYNC |  \
	 O_PATH | __O_TMPFILE)

#define SEEK_MAX SEEK_HOLE

/* How do_iov_rw() moves data. */
#define RW_WRITE 0x1U /* write; without it, read */
#define RW_AT_POS 0x2U /* at a given position; f_pos untouched */

/* Install @file (a new reference) at the lowest free descriptor >= @from. */
static int install_dup(struct file *file, unsigned int from, unsigned int flags)
{
	int fd = alloc_fd(current->files, from, rlimit_nofile(), flags);

	if (fd >= 0)
		fd_install(current->files, fd, get_file(file));
	return fd;
}

/* A write failed with EPIPE: the writer gets SIGPIPE as well. */
static ssize_t write_result(ssize_t ret)
{
	if (ret == -EPIPE)
		send_sig_to_thread(SIGPIPE, NULL, current);
	return ret;
}

/* ---- open and close ----------------------------------------------------- */

/*
 * O_CLOEXEC belongs to the descriptor, not to the open file: it is not
 * kept in f_flags, so F_GETFL does not report it (as in Linux).
 */
static long do_sys_open(int dfd, const char __user *filename, int flags,
			umode_t mode)
{
	struct files_struct *files = current->files;
	struct at_name at;
	struct file *file;
	int fd, err;

	flags &= VALID_OPEN_FLAGS;
	err = at_name_get(&at, dfd, filename, 0);
	if (err)
		return err;
	fd = get_unused_fd_flags(flags);
	if (fd < 0)
		goto out_put_name;
	file = do_filp_open(current_fs(), at.dir, at.name, flags & ~O_CLOEXEC,
			    mode);
	if (IS_ERR(file)) {
		put_unused_fd(files, fd);
		fd = PTR_ERR(file);
	} else {
		fd_install(files, fd, file);
	}
out_put_name:
	at_name_put(&at);
	return fd;
}

SYSCALL_DEFINE3(open, const char __user *, filename, int, flags, umode_t, mode)
{
	return do_sys_open(AT_FDCWD, filename, flags, mode);
}

SYSCALL_DEFINE4(openat, int, dfd, const char __user *, filename, int, flags,
		umode_t, mode)
{
	return do_sys_open(dfd, filename, flags, mode);
}

SYSCALL_DEFINE2(creat, const char __user *, pathname, umode_t, mode)
{
	return do_sys_open(AT_FDCWD, pathname, O_CREAT | O_WRONLY | O_TRUNC,
			   mode);
}

SYSCALL_DEFINE1(close, unsigned int, fd)
{
	return close_fd(current->files, fd);
}

/* ---- read and write ----------------------------------------------------- */

SYSCALL_DEFINE3(read, unsigned int, fd, char __user *, buf, size_t, count)
{
	struct file *file = fget(fd);
	ssize_t ret;

	if (!file)
		return -EBADF;
	ret = vfs_read(file, buf, count, &file->f_pos);
	fput(file);
	return ret;
}

SYSCALL_DEFINE3(write, unsigned int, fd, const char __user *, buf, size_t,
		count)
{
	struct file *file = fget(fd);
	ssize_t ret;

	if (!file)
		return -EBADF;
	ret = vfs_write(file, buf, count, &file->f_pos);
	fput(file);
	return write_result(ret);
}

/* pread64 and pwrite64: I/O at @pos without moving the file position,
 * on files that have positions (ESPIPE on pipes and sockets). */
static ssize_t do_positioned_rw(unsigned int fd, char __user *buf, size_t count,
				loff_t pos, enum rw_dir dir)
{
	struct file *file;
	ssize_t ret;

	if (pos < 0)
		return -EINVAL;
	file = fget(fd);
	if (!file)
		return -EBADF;
	ret = -ESPIPE;
	if (dir == READ && (file->f_mode & FMODE_PREAD))
		ret = vfs_read(file, buf, count, &pos);
	else if (dir == WRITE && (file->f_mode & FMODE_PWRITE))
		ret = vfs_write(file, buf, count, &pos);
	fput(file);
	return ret;
}

SYSCALL_DEFINE5(pread64, unsigned int, fd, char __user *, buf, size_t, count,
		u32, pos_lo, u32, pos_hi)
{
	return do_positioned_rw(fd, buf, count, loff_from_lohi(pos_lo, pos_hi),
				READ);
}

SYSCALL_DEFINE5(pwrite64, unsigned int, fd, const char __user *, buf, size_t,
		count, u32, pos_lo, u32, pos_hi)
{
	return write_result(do_positioned_rw(fd, (char __user *)buf, count,
					     loff_from_lohi(pos_lo, pos_hi),
					     WRITE));
}

/* ---- vectored I/O ------------------------------------------------------- */

static ssize_t iov_rw_file(struct file *file, const struct iovec *iov,
			   unsigned long nr_segs, loff_t pos, unsigned int how)
{
	switch (how) {
	case RW_WRITE:
		return vfs_writev(file, iov, nr_segs, &file->f_pos);
	case RW_AT_POS:
		return vfs_preadv(file, iov, nr_segs, pos);
	case RW_WRITE | RW_AT_POS:
		return vfs_pwritev(file, iov, nr_segs, pos);
	default:
		return vfs_readv(file, iov, nr_segs, &file->f_pos);
	}
}

/* readv, writev, preadv, pwritev: @how is RW_WRITE and/or RW_AT_POS. */
static ssize_t do_iov_rw(unsigned long fd, const struct iovec __user *uvec,
			 unsigned long vlen, loff_t pos, unsigned int how)
{
	struct iovec fast[UIO_FASTIOV], *iov;
	struct file *file;
	ssize_t ret;

	if ((how & RW_AT_POS) && pos < 0)
		return -EINVAL;
	file = fget(fd);
	if (!file)
		return -EBADF;
	ret = import_iovec(uvec, vlen, fast, &iov);
	if (ret >= 0)
		ret = iov_rw_file(file, iov, vlen, pos, how);
	if (iov != fast)
		kfree(iov);
	fput(file);
	return (how & RW_WRITE) ? write_result(ret) : ret;
}

SYSCALL_DEFINE3(readv, unsigned long, fd, const struct iovec __user *, vec,
		unsigned long, vlen)
{
	return do_iov_rw(fd, vec, vlen, 0, 0);
}

SYSCALL_DEFINE3(writev, unsigned long, fd, const struct iovec __user *, vec,
		unsigned long, vlen)
{
	return do_iov_rw(fd, vec, vlen, 0, RW_WRITE);
}

SYSCALL_DEFINE5(preadv, unsigned long, fd, const struct iovec __user *, vec,
		unsigned long, vlen, u32, pos_l, u32, pos_h)
{
	return do_iov_rw(fd, vec, vlen, loff_from_lohi(pos_l, pos_h),
			 RW_AT_POS);
}

SYSCALL_DEFINE5(pwritev, unsigned long, fd, const struct iovec __user *, vec,
		unsigned long, vlen, u32, pos_l, u32, pos_h)
{
	return do_iov_rw(fd, vec, vlen, loff_from_lohi(pos_l, pos_h),
			 RW_WRITE | RW_AT_POS);
}

/* ---- lseek -------------------------------------------------------------- */

SYSCALL_DEFINE3(lseek, unsigned int, fd, s32, offset, unsigned int, whence)
{
	struct file *file = fget(fd);
	loff_t res = -EINVAL;

	if (!file)
		return -EBADF;
	if (whence <= SEEK_MAX)
		res = vfs_llseek(file, offset, whence);
	fput(file);
	if (res != (s32)res)
		return -EOVERFLOW;
	return (long)res;
}

SYSCALL_DEFINE5(_llseek, unsigned int, fd, u32, offset_high, u32, offset_low,
		loff_t __user *, result, unsigned int, whence)
{
	struct file *file = fget(fd);
	loff_t res = -EINVAL;

	if (!file)
		return -EBADF;
	if (whence <= SEEK_MAX)
		res = vfs_llseek(file, loff_from_lohi(offset_low, offset_high),
				 whence);
	fput(file);
	if (res < 0)
		return (long)res;
	return copy_to_user(result, &res, sizeof(res)) ? -EFAULT : 0;
}

/* ---- dup ---------------------------------------------------------------- */

SYSCALL_DEFINE1(dup, unsigned int, fildes)
{
	struct file *file = fget_raw(fildes);
	int fd;

	if (!file)
		return -EBADF;
	fd = install_dup(file, 0, 0);
	fput(file);
	return fd;
}

static long do_dup3(unsigned int oldfd, unsigned int newfd, unsigned int flags)
{
	unsigned int end = rlimit_nofile();
	struct file *file;
	int ret;

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	if (newfd >= end)
		return -EBADF;
	file = fget_raw(oldfd);
	if (!file)
		return -EBADF;
	ret = replace_fd(current->files, newfd, file, end, flags);
	fput(file);
	return ret;
}

SYSCALL_DEFINE2(dup2, unsigned int, oldfd, unsigned int, newfd)
{
	struct file *file;

	if (oldfd != newfd)
		return do_dup3(oldfd, newfd, 0);
	/* dup2(fd, fd) only checks that fd is open. */
	file = fget_raw(oldfd);
	if (!file)
		return -EBADF;
	fput(file);
	return newfd;
}

SYSCALL_DEFINE3(dup3, unsigned int, oldfd, unsigned int, newfd, int, flags)
{
	return do_dup3(oldfd, newfd, flags);
}

/* ---- fcntl -------------------------------------------------------------- */

unsigned int fcntl_setfl_flags(unsigned int f_flags, unsigned long arg)
{
	return (f_flags & ~SETFL_MASK) | (arg & SETFL_MASK);
}

/* F_SETFL: O_NOATIME only for the owner (or CAP_FOWNER), as in Linux. */
static int setfl(struct file *file, unsigned long arg)
{
	struct inode *inode = file_inode(file);

	if ((arg & O_NOATIME) && !(file->f_flags & O_NOATIME) &&
	    !inode_owner_or_capable(inode))
		return -EPERM;
	spin_lock(&file->f_lock);
	file->f_flags = fcntl_setfl_flags(file->f_flags, arg);
	spin_unlock(&file->f_lock);
	return 0;
}

/* F_DUPFD, F_DUPFD_CLOEXEC: EINVAL when @from is past the limit. */
static long f_dupfd(unsigned long from, struct file *file, unsigned int flags)
{
	if (from >= rlimit_nofile())
		return -EINVAL;
	return install_dup(file, from, flags);
}

static long do_fcntl(unsigned int fd, unsigned int cmd, unsigned long arg,
		     struct file *file)
{
	int ret;

	switch (cmd) {
	case F_DUPFD:
		return f_dupfd(arg, file, 0);
	case F_DUPFD_CLOEXEC:
		return f_dupfd(arg, file, O_CLOEXEC);
	case F_GETFD:
		ret = get_close_on_exec(current->files, fd);
		return ret > 0 ? FD_CLOEXEC : ret;
	case F_SETFD:
		return set_close_on_exec(current->files, fd, arg & FD_CLOEXEC);
	case F_GETFL:
		return file->f_flags;
	case F_SETFL:
		return setfl(file, arg);
	default:
		return -EINVAL; /* record locks among them: see the top */
	}
}

/* The commands an O_PATH descriptor allows (Linux's check_fcntl_cmd). */
static bool fcntl_path_ok(unsigned int cmd)
{
	return cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC || cmd == F_GETFD ||
	       cmd == F_SETFD || cmd == F_GETFL;
}

static long fcntl_common(unsigned int fd, unsigned int cmd, unsigned long arg)
{
	struct file *file = fget_raw(fd);
	long ret = -EBADF;

	if (!file)
		return -EBADF;
	if (!(file->f_mode & FMODE_PATH) || fcntl_path_ok(cmd))
		ret = do_fcntl(fd, cmd, arg, file);
	fput(file);
	return ret;
}

/* fcntl and fcntl64 differ only in their record-lock structures. */
SYSCALL_DEFINE3(fcntl, unsigned int, fd, unsigned int, cmd, unsigned long, arg)
{
	return fcntl_common(fd, cmd, arg);
}

SYSCALL_DEFINE3(fcntl64, unsigned int, fd, unsigned int, cmd, unsigned long,
		arg)
{
	return fcntl_common(fd, cmd, arg);
}

/* ---- ioctl -------------------------------------------------------------- */

/* FIONBIO: set or clear O_NONBLOCK from the int at @arg. */
static long ioctl_fionbio(struct file *file, int __user *arg)
{
	int on;

	if (get_user(on, arg))
		return -EFAULT;
	spin_lock(&file->f_lock);
	if (on)
		file->f_flags |= O_NONBLOCK;
	else
		file->f_flags &= ~O_NONBLOCK;
	spin_unlock(&file->f_lock);
	return 0;
}

/* The commands every descriptor answers (Linux's do_vfs_ioctl), then
 * the file's own. */
SYSCALL_DEFINE3(ioctl, unsigned int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *file = fget(fd);
	long ret;

	if (!file)
		return -EBADF;
	switch (cmd) {
	case FIOCLEX:
		ret = set_close_on_exec(current->files, fd, true);
		break;
	case FIONCLEX:
		ret = set_close_on_exec(current->files, fd, false);
		break;
	case FIONBIO:
		ret = ioctl_fionbio(file, (int __user *)(uintptr_t)arg);
		break;
	default:
		ret = vfs_ioctl(file, cmd, arg);
		break;
	}
	fput(file);
	return ret;
}

/* ---- pipe --------------------------------------------------------------- */

/*
 * Both descriptors are reserved and the array copied out before either
 * is installed, so a bad @fildes leaves the table as it was.
 */
static long do_pipe2(int __user *fildes, int flags)
{
	struct files_struct *files = current->files;
	struct file *f[2];
	int fd[2], err;

	err = do_pipe(f, flags);
	if (err)
		return err;
	fd[0] = err = get_unused_fd_flags(flags);
	if (err < 0)
		goto out_put_files;
	fd[1] = err = get_unused_fd_flags(flags);
	if (err < 0)
		goto out_put_fd0;
	err = -EFAULT;
	if (copy_to_user(fildes, fd, sizeof(fd)))
		goto out_put_fd1;
	fd_install(files, fd[0], f[0]);
	fd_install(files, fd[1], f[1]);
	return 0;

out_put_fd1:
	put_unused_fd(files, fd[1]);
out_put_fd0:
	put_unused_fd(files, fd[0]);
out_put_files:
	fput(f[0]);
	fput(f[1]);
	return err;
}

SYSCALL_DEFINE2(pipe2, int __user *, fildes, int, flags)
{
	return do_pipe2(fildes, flags);
}

SYSCALL_DEFINE1(pipe, int __user *, fildes)
{
	return do_pipe2(fildes, 0);
}
