/*
 * Directory entries as getdents64() (220) and getdents() (141) write them
 * in the Linux i386 ABI: variable-length records, each d_reclen bytes long
 * and padded so the next one is aligned. Layouts from Linux's
 * fs/readdir.c; DT_* from include/linux/fs_types.h. Facts of the ABI that
 * must not change.
 */
#ifndef _UAPI_DIRENT_H
#define _UAPI_DIRENT_H

#include <kestrel/types.h>

/* getdents64(): records aligned to 8 bytes. */
struct linux_dirent64 {
	u64 d_ino;
	s64 d_off; /* position of the next entry */
	unsigned short d_reclen;
	unsigned char d_type; /* DT_* */
	char d_name[]; /* NUL-terminated */
};
_Static_assert(__builtin_offsetof(struct linux_dirent64, d_name) == 19,
	       "struct linux_dirent64");

/*
 * getdents(): records aligned to 4 bytes; d_type is the last byte of the
 * record, after the name's NUL.
 */
struct linux_dirent {
	unsigned long d_ino;
	unsigned long d_off;
	unsigned short d_reclen;
	char d_name[];
};
_Static_assert(__builtin_offsetof(struct linux_dirent, d_name) == 10,
	       "i386 struct linux_dirent");

/* d_type: the file type, S_IFMT >> 12. */
#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12
#define DT_WHT 14

#endif /* _UAPI_DIRENT_H */
