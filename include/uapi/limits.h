/*
 * Limits user space may rely on in the Linux i386 ABI: path and name
 * lengths, the pipe atomicity guarantee, and the execve() argument limits.
 * From Linux's include/uapi/linux/limits.h and binfmts.h. Facts of the ABI
 * that must not change.
 */
#ifndef _UAPI_LIMITS_H
#define _UAPI_LIMITS_H

#define NAME_MAX 255 /* bytes in a path component, without the NUL */
#define PATH_MAX 4096 /* bytes in a path, with the NUL */
#define PIPE_BUF 4096 /* writes up to this size to a pipe are atomic */
#define LINK_MAX 127
#define MAX_CANON 255
#define MAX_INPUT 255
#define NGROUPS_MAX 65536
#define XATTR_NAME_MAX 255
#define XATTR_SIZE_MAX 65536
#define XATTR_LIST_MAX 65536
#define RTSIG_MAX 32

/*
 * execve(): each argument or environment string may be at most
 * MAX_ARG_STRLEN bytes (32 pages, with its NUL) and there may be at most
 * MAX_ARG_STRINGS of them; past that, or past a quarter of RLIMIT_STACK
 * in total, execve() fails with E2BIG. ARG_MAX is the historical total
 * that sysconf(_SC_ARG_MAX) falls back to.
 */
#define MAX_ARG_STRLEN (4096 * 32)
#define MAX_ARG_STRINGS 0x7FFFFFFF
#define ARG_MAX 131072

/* Bytes of a file execve() reads to recognise it ("#!" line included). */
#define BINPRM_BUF_SIZE 256

/* Symbolic links followed in one path walk before ELOOP. */
#define MAXSYMLINKS 40

#endif /* _UAPI_LIMITS_H */
