/*
 * statfs64()/fstatfs64() (268, 269) and statfs()/fstatfs() (99, 100)
 * results as the Linux i386 ABI lays them out, and the f_type magic numbers
 * of the file systems Kestrel has. From Linux's
 * include/uapi/asm-generic/statfs.h and include/uapi/linux/magic.h; facts
 * of the ABI that must not change. statfs64 takes the structure size as its
 * second argument, and Linux accepts only 84 on i386.
 */
#ifndef _UAPI_STATFS_H
#define _UAPI_STATFS_H

#include <kestrel/types.h>

typedef struct {
	int val[2];
} __kernel_fsid_t;

struct statfs {
	u32 f_type;
	u32 f_bsize;
	u32 f_blocks;
	u32 f_bfree;
	u32 f_bavail;
	u32 f_files;
	u32 f_ffree;
	__kernel_fsid_t f_fsid;
	u32 f_namelen;
	u32 f_frsize;
	u32 f_flags;
	u32 f_spare[4];
};
_Static_assert(sizeof(struct statfs) == 64, "i386 struct statfs");

struct statfs64 {
	u32 f_type;
	u32 f_bsize;
	u64 f_blocks;
	u64 f_bfree;
	u64 f_bavail;
	u64 f_files;
	u64 f_ffree;
	__kernel_fsid_t f_fsid;
	u32 f_namelen;
	u32 f_frsize;
	u32 f_flags;
	u32 f_spare[4];
};
_Static_assert(sizeof(struct statfs64) == 84, "i386 struct statfs64");

/* f_flags (ST_* in statvfs). */
#define ST_RDONLY 0x0001
#define ST_NOSUID 0x0002
#define ST_NODEV 0x0004
#define ST_NOEXEC 0x0008
#define ST_SYNCHRONOUS 0x0010
#define ST_VALID 0x0020 /* f_flags is filled in */
#define ST_MANDLOCK 0x0040
#define ST_NOATIME 0x0400
#define ST_NODIRATIME 0x0800
#define ST_RELATIME 0x1000

/* f_type. */
#define RAMFS_MAGIC 0x858458f6
#define TMPFS_MAGIC 0x01021994
#define PROC_SUPER_MAGIC 0x9fa0
#define SYSFS_MAGIC 0x62656572
#define DEVPTS_SUPER_MAGIC 0x1cd1
#define EXT2_SUPER_MAGIC 0xEF53
#define PIPEFS_MAGIC 0x50495045
#define SOCKFS_MAGIC 0x534F434B

#endif /* _UAPI_STATFS_H */
