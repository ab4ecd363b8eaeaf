/*
 * The file-system system calls implemented in fs/, for the table in
 * arch/x86/syscall_32.c: X(name) for each sys_name (its __NR_name must
 * exist in include/uapi/unistd_32.h). One list per file that defines
 * them; FS_SYSCALLS is all of them.
 */
#ifndef _FS_SYSCALL_LIST_H
#define _FS_SYSCALL_LIST_H

/* One call per line reads best: */
// clang-format off
/* fs/exec.c */
#define FS_EXEC_SYSCALLS(X) \
	X(execve)

/* fs/syscalls_rw.c: descriptors */
#define FS_RW_SYSCALLS(X) \
	X(open) \
	X(openat) \
	X(creat) \
	X(close) \
	X(read) \
	X(write) \
	X(pread64) \
	X(pwrite64) \
	X(readv) \
	X(writev) \
	X(preadv) \
	X(pwritev) \
	X(lseek) \
	X(_llseek) \
	X(dup) \
	X(dup2) \
	X(dup3) \
	X(fcntl) \
	X(fcntl64) \
	X(ioctl) \
	X(sync) \
	X(fsync) \
	X(fdatasync) \
	X(pipe) \
	X(pipe2)

/* fs/syscalls_names.c: names */
#define FS_NAME_SYSCALLS(X) \
	X(stat64) \
	X(lstat64) \
	X(fstat64) \
	X(fstatat64) \
	X(statx) \
	X(getdents64) \
	X(mkdir) \
	X(mkdirat) \
	X(mknod) \
	X(mknodat) \
	X(rmdir) \
	X(unlink) \
	X(unlinkat) \
	X(rename) \
	X(renameat) \
	X(renameat2) \
	X(link) \
	X(linkat) \
	X(symlink) \
	X(symlinkat) \
	X(readlink) \
	X(readlinkat) \
	X(chdir) \
	X(fchdir) \
	X(getcwd) \
	X(chroot) \
	X(chmod) \
	X(fchmod) \
	X(fchmodat) \
	X(fchmodat2) \
	X(chown32) \
	X(lchown32) \
	X(fchown32) \
	X(fchownat) \
	X(access) \
	X(faccessat) \
	X(faccessat2) \
	X(truncate) \
	X(ftruncate) \
	X(truncate64) \
	X(ftruncate64) \
	X(utimensat) \
	X(utimensat_time64) \
	X(umask) \
	X(mount) \
	X(umount2) \
	X(umount) \
	X(statfs) \
	X(fstatfs) \
	X(statfs64) \
	X(fstatfs64) \
	X(setxattr) \
	X(lsetxattr) \
	X(fsetxattr) \
	X(getxattr) \
	X(lgetxattr) \
	X(fgetxattr) \
	X(listxattr) \
	X(llistxattr) \
	X(flistxattr) \
	X(removexattr) \
	X(lremovexattr) \
	X(fremovexattr)

/* fs/select.c: waiting on descriptors */
#define FS_SELECT_SYSCALLS(X) \
	X(poll) \
	X(ppoll) \
	X(ppoll_time64) \
	X(select) \
	X(_newselect) \
	X(pselect6) \
	X(pselect6_time64)

/* fs/sendfile.c: copying between descriptors */
#define FS_SENDFILE_SYSCALLS(X) \
	X(sendfile) \
	X(sendfile64)

#define FS_SYSCALLS(X) \
	FS_EXEC_SYSCALLS(X) \
	FS_RW_SYSCALLS(X) \
	FS_NAME_SYSCALLS(X) \
	FS_SELECT_SYSCALLS(X) \
	FS_SENDFILE_SYSCALLS(X)
// clang-format on

#endif /* _FS_SYSCALL_LIST_H */
