/*
 * The file-system system calls implemented in fs/, for the table in
 * arch/x86/syscall_32.c: X(name) for each sys_name (its __NR_name must
 * exist in include/uapi/unistd_32.h).
 */
#ifndef _FS_SYSCALL_LIST_H
#define _FS_SYSCALL_LIST_H

#define FS_SYSCALLS(X) X(execve)

#endif /* _FS_SYSCALL_LIST_H */
