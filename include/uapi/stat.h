/*
 * File status as the Linux i386 ABI shows it: struct stat64 (stat64,
 * lstat64, fstat64, fstatat64), the older struct stat and
 * __old_kernel_stat, struct statx, the S_IF* type and mode bits, and the
 * AT_* flags of the *at() calls. Layouts and values are copied from Linux's
 * arch/x86/include/uapi/asm/stat.h, include/uapi/linux/stat.h and
 * include/uapi/linux/fcntl.h; they are facts of the ABI and must not change.
 * On i386 a 64-bit member is 4-byte aligned inside a structure, which is
 * what makes these layouts come out at Linux's sizes.
 */
#ifndef _UAPI_STAT_H
#define _UAPI_STAT_H

#include <kestrel/types.h>

/* File type, in the top bits of st_mode. */
#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define S_IFLNK 0120000
#define S_IFREG 0100000
#define S_IFBLK 0060000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFIFO 0010000

#define S_ISLNK(m) (((m)&S_IFMT) == S_IFLNK)
#define S_ISREG(m) (((m)&S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m)&S_IFMT) == S_IFDIR)
#define S_ISCHR(m) (((m)&S_IFMT) == S_IFCHR)
#define S_ISBLK(m) (((m)&S_IFMT) == S_IFBLK)
#define S_ISFIFO(m) (((m)&S_IFMT) == S_IFIFO)
#define S_ISSOCK(m) (((m)&S_IFMT) == S_IFSOCK)

/* Set-id, sticky and permission bits. */
#define S_ISUID 0004000
#define S_ISGID 0002000
#define S_ISVTX 0001000
#define S_IRWXU 00700
#define S_IRUSR 00400
#define S_IWUSR 00200
#define S_IXUSR 00100
#define S_IRWXG 00070
#define S_IRGRP 00040
#define S_IWGRP 00020
#define S_IXGRP 00010
#define S_IRWXO 00007
#define S_IROTH 00004
#define S_IWOTH 00002
#define S_IXOTH 00001

/* The result of stat64/lstat64/fstat64/fstatat64: glibc's stat64. */
struct stat64 {
	u64 st_dev;
	u8 __pad0[4];
	u32 __st_ino; /* low 32 bits of st_ino */
	u32 st_mode;
	u32 st_nlink;
	u32 st_uid;
	u32 st_gid;
	u64 st_rdev;
	u8 __pad3[4];
	s64 st_size;
	u32 st_blksize;
	u64 st_blocks; /* 512-byte blocks allocated */
	u32 st_atime;
	u32 st_atime_nsec;
	u32 st_mtime;
	u32 st_mtime_nsec;
	u32 st_ctime;
	u32 st_ctime_nsec;
	u64 st_ino;
};
_Static_assert(sizeof(struct stat64) == 96, "i386 struct stat64");
_Static_assert(__builtin_offsetof(struct stat64, st_size) == 44,
	       "i386 struct stat64");
_Static_assert(__builtin_offsetof(struct stat64, st_blocks) == 56,
	       "i386 struct stat64");
_Static_assert(__builtin_offsetof(struct stat64, st_ino) == 88,
	       "i386 struct stat64");

/* The result of stat/lstat/fstat (106-108): 32-bit sizes and inodes. */
struct stat {
	u32 st_dev;
	u32 st_ino;
	u16 st_mode;
	u16 st_nlink;
	u16 st_uid;
	u16 st_gid;
	u32 st_rdev;
	u32 st_size;
	u32 st_blksize;
	u32 st_blocks;
	u32 st_atime;
	u32 st_atime_nsec;
	u32 st_mtime;
	u32 st_mtime_nsec;
	u32 st_ctime;
	u32 st_ctime_nsec;
	u32 __unused4;
	u32 __unused5;
};
_Static_assert(sizeof(struct stat) == 64, "i386 struct stat");

/* The result of oldstat/oldlstat/oldfstat (18, 84, 28). */
struct __old_kernel_stat {
	u16 st_dev;
	u16 st_ino;
	u16 st_mode;
	u16 st_nlink;
	u16 st_uid;
	u16 st_gid;
	u16 st_rdev;
	u32 st_size;
	u32 st_atime;
	u32 st_mtime;
	u32 st_ctime;
};
_Static_assert(sizeof(struct __old_kernel_stat) == 32,
	       "i386 struct __old_kernel_stat");

/* A statx() timestamp: seconds since the epoch and nanoseconds. */
struct statx_timestamp {
	s64 tv_sec;
	u32 tv_nsec;
	s32 __reserved;
};
_Static_assert(sizeof(struct statx_timestamp) == 16, "statx_timestamp");

/* The result of statx(2); the same on every architecture. */
struct statx {
	u32 stx_mask; /* STATX_* bits filled in */
	u32 stx_blksize;
	u64 stx_attributes; /* STATX_ATTR_* */
	u32 stx_nlink;
	u32 stx_uid;
	u32 stx_gid;
	u16 stx_mode;
	u16 __spare0[1];
	u64 stx_ino;
	u64 stx_size;
	u64 stx_blocks;
	u64 stx_attributes_mask;
	struct statx_timestamp stx_atime;
	struct statx_timestamp stx_btime;
	struct statx_timestamp stx_ctime;
	struct statx_timestamp stx_mtime;
	u32 stx_rdev_major;
	u32 stx_rdev_minor;
	u32 stx_dev_major;
	u32 stx_dev_minor;
	u64 stx_mnt_id;
	u32 stx_dio_mem_align;
	u32 stx_dio_offset_align;
	u64 stx_subvol;
	u32 stx_atomic_write_unit_min;
	u32 stx_atomic_write_unit_max;
	u32 stx_atomic_write_segments_max;
	u32 stx_dio_read_offset_align;
	u32 stx_atomic_write_unit_max_opt;
	u32 __spare2[1];
	u64 __spare3[8];
};
_Static_assert(sizeof(struct statx) == 256, "struct statx");
_Static_assert(__builtin_offsetof(struct statx, stx_atime) == 0x40,
	       "struct statx");
_Static_assert(__builtin_offsetof(struct statx, stx_rdev_major) == 0x80,
	       "struct statx");
_Static_assert(__builtin_offsetof(struct statx, stx_subvol) == 0xa0,
	       "struct statx");

/* statx() mask bits: what the caller wants, and what was filled in. */
#define STATX_TYPE 0x00000001U
#define STATX_MODE 0x00000002U
#define STATX_NLINK 0x00000004U
#define STATX_UID 0x00000008U
#define STATX_GID 0x00000010U
#define STATX_ATIME 0x00000020U
#define STATX_MTIME 0x00000040U
#define STATX_CTIME 0x00000080U
#define STATX_INO 0x00000100U
#define STATX_SIZE 0x00000200U
#define STATX_BLOCKS 0x00000400U
#define STATX_BASIC_STATS 0x000007ffU
#define STATX_BTIME 0x00000800U
#define STATX_MNT_ID 0x00001000U
#define STATX_DIOALIGN 0x00002000U
#define STATX_MNT_ID_UNIQUE 0x00004000U
#define STATX_SUBVOL 0x00008000U
#define STATX_WRITE_ATOMIC 0x00010000U
#define STATX_DIO_READ_ALIGN 0x00020000U
#define STATX__RESERVED 0x80000000U
#define STATX_ALL 0x00000fffU /* deprecated: BASIC_STATS | BTIME */

/* stx_attributes bits. */
#define STATX_ATTR_COMPRESSED 0x00000004
#define STATX_ATTR_IMMUTABLE 0x00000010
#define STATX_ATTR_APPEND 0x00000020
#define STATX_ATTR_NODUMP 0x00000040
#define STATX_ATTR_ENCRYPTED 0x00000800
#define STATX_ATTR_AUTOMOUNT 0x00001000
#define STATX_ATTR_MOUNT_ROOT 0x00002000
#define STATX_ATTR_VERITY 0x00100000
#define STATX_ATTR_DAX 0x00200000
#define STATX_ATTR_WRITE_ATOMIC 0x00400000

/*
 * The *at() calls: AT_FDCWD as the directory descriptor means "the current
 * directory"; the rest are flags. AT_REMOVEDIR (unlinkat) and AT_EACCESS
 * (faccessat) share a value because no call takes both.
 */
#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EACCESS 0x200
#define AT_REMOVEDIR 0x200
#define AT_SYMLINK_FOLLOW 0x400
#define AT_NO_AUTOMOUNT 0x800
#define AT_EMPTY_PATH 0x1000
#define AT_STATX_SYNC_TYPE 0x6000
#define AT_STATX_SYNC_AS_STAT 0x0000
#define AT_STATX_FORCE_SYNC 0x2000
#define AT_STATX_DONT_SYNC 0x4000
#define AT_RECURSIVE 0x8000

/* utimensat(): special tv_nsec values. */
#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)

#endif /* _UAPI_STAT_H */
