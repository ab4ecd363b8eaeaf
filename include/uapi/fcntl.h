/*
 * open() flags and fcntl() commands as the Linux i386 ABI numbers them
 * (x86 uses the generic values of Linux's include/uapi/asm-generic/fcntl.h
 * and include/uapi/linux/fcntl.h). They are facts of the ABI and must not
 * change. The AT_* flags of the *at() calls live in <uapi/stat.h>.
 */
#ifndef _UAPI_FCNTL_H
#define _UAPI_FCNTL_H

#include <kestrel/types.h>

/* open() flags, in octal as Linux writes them. */
#define O_ACCMODE 00000003
#define O_RDONLY 00000000
#define O_WRONLY 00000001
#define O_RDWR 00000002
#define O_CREAT 00000100
#define O_EXCL 00000200
#define O_NOCTTY 00000400
#define O_TRUNC 00001000
#define O_APPEND 00002000
#define O_NONBLOCK 00004000
#define O_NDELAY O_NONBLOCK
#define O_DSYNC 00010000
#define FASYNC 00020000
#define O_DIRECT 00040000
#define O_LARGEFILE 00100000
#define O_DIRECTORY 00200000
#define O_NOFOLLOW 00400000
#define O_NOATIME 01000000
#define O_CLOEXEC 02000000
#define __O_SYNC 04000000
#define O_SYNC (__O_SYNC | O_DSYNC)
#define O_PATH 010000000
#define __O_TMPFILE 020000000
#define O_TMPFILE (__O_TMPFILE | O_DIRECTORY)

/* fcntl() commands. */
#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define F_SETOWN 8
#define F_GETOWN 9
#define F_SETSIG 10
#define F_GETSIG 11
#define F_GETLK64 12 /* struct flock64 */
#define F_SETLK64 13
#define F_SETLKW64 14
#define F_SETOWN_EX 15
#define F_GETOWN_EX 16
#define F_GETOWNER_UIDS 17
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38

#define F_LINUX_SPECIFIC_BASE 1024
#define F_SETLEASE (F_LINUX_SPECIFIC_BASE + 0)
#define F_GETLEASE (F_LINUX_SPECIFIC_BASE + 1)
#define F_NOTIFY (F_LINUX_SPECIFIC_BASE + 2)
#define F_DUPFD_QUERY (F_LINUX_SPECIFIC_BASE + 3)
#define F_CREATED_QUERY (F_LINUX_SPECIFIC_BASE + 4)
#define F_CANCELLK (F_LINUX_SPECIFIC_BASE + 5)
#define F_DUPFD_CLOEXEC (F_LINUX_SPECIFIC_BASE + 6)
#define F_SETPIPE_SZ (F_LINUX_SPECIFIC_BASE + 7)
#define F_GETPIPE_SZ (F_LINUX_SPECIFIC_BASE + 8)
#define F_ADD_SEALS (F_LINUX_SPECIFIC_BASE + 9)
#define F_GET_SEALS (F_LINUX_SPECIFIC_BASE + 10)

/* F_GETFD/F_SETFD: the close-on-exec bit. */
#define FD_CLOEXEC 1

/* Lock types of struct flock. */
#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2

/* flock() operations. */
#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4
#define LOCK_UN 8

/* F_SETOWN_EX owner types. */
#define F_OWNER_TID 0
#define F_OWNER_PID 1
#define F_OWNER_PGRP 2

/* lseek() whence. */
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define SEEK_DATA 3
#define SEEK_HOLE 4

/* renameat2() flags. */
#define RENAME_NOREPLACE (1 << 0)
#define RENAME_EXCHANGE (1 << 1)
#define RENAME_WHITEOUT (1 << 2)

/* access()/faccessat() modes. */
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4

/* F_GETLK/F_SETLK with 32-bit offsets. */
struct flock {
	s16 l_type;
	s16 l_whence;
	s32 l_start;
	s32 l_len;
	s32 l_pid;
};
_Static_assert(sizeof(struct flock) == 16, "i386 struct flock");

/* F_GETLK64/F_SETLK64 and the OFD locks: 64-bit offsets. */
struct flock64 {
	s16 l_type;
	s16 l_whence;
	s64 l_start;
	s64 l_len;
	s32 l_pid;
};
_Static_assert(sizeof(struct flock64) == 24, "i386 struct flock64");

struct f_owner_ex {
	s32 type; /* F_OWNER_* */
	s32 pid;
};
_Static_assert(sizeof(struct f_owner_ex) == 8, "struct f_owner_ex");

#endif /* _UAPI_FCNTL_H */
