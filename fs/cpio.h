/*
 * The newc cpio format, as the initramfs uses it: a pure parser with no
 * kernel dependencies, so tests/unit/test_cpio.c runs it on the host.
 *
 * An archive is a sequence of entries; each is a 110-byte ASCII header,
 * the NUL-ended name, padding to a multiple of 4, the data, padding to a
 * multiple of 4. The entry named "TRAILER!!!" ends an archive; another
 * may follow (after zero padding), as Linux allows. An archive that
 * stops before its trailer (the buffer ends, or only zeros are left) was
 * cut short: that is an error, not the end.
 *
 *	"070701" ino mode uid gid nlink mtime filesize devmajor devminor
 *	         rdevmajor rdevminor namesize check   (13 x 8 hex digits)
 *
 * "070702" is the same with check = the sum of the data bytes.
 */
#ifndef _FS_CPIO_H
#define _FS_CPIO_H

#include <kestrel/types.h>

#define CPIO_HDR_LEN 110
#define CPIO_TRAILER_NAME "TRAILER!!!"
#define CPIO_NAME_MAX 4096 /* PATH_MAX: namesize counts the NUL */

struct cpio_header {
	u32 ino, mode, uid, gid, nlink, mtime, filesize;
	u32 devmajor, devminor, rdevmajor, rdevminor, namesize, check;
};

/* One entry; name and data point into the archive. */
struct cpio_entry {
	struct cpio_header h;
	const char *name; /* NUL-ended, namesize - 1 bytes */
	const void *data; /* h.filesize bytes */
};

struct cpio_reader {
	const u8 *buf;
	size_t len;
	size_t pos; /* offset of the next header */
	const char *error; /* why the last cpio_next() failed */
	size_t error_pos; /* the offset of the bad entry */
	bool in_archive; /* an entry was read since the last trailer */
};

enum cpio_result {
	CPIO_END = 0, /* no more archives */
	CPIO_ENTRY = 1, /* *entry is valid */
	CPIO_TRAILER = 2, /* an archive ended; another may follow */
};

void cpio_reader_init(struct cpio_reader *r, const void *buf, size_t len);

/*
 * cpio_next - validate and return the next entry
 *
 * Checks the magic, that every field is 8 hex digits, that the name and
 * the data lie inside the buffer, that the name is NUL-ended with no
 * other NUL, the file type, symlink targets (1..4095 bytes, no NUL), that
 * only regular files and symlinks carry data, the 070702 checksum, and
 * that an archive with entries reaches its trailer before the end of the
 * buffer (or of the data: a run of zeros to the end is no archive).
 * Returns an enum cpio_result, or -1 with r->error and r->error_pos set
 * (the reader then stays at the bad entry, or at the end).
 */
int cpio_next(struct cpio_reader *r, struct cpio_entry *entry);

/*
 * cpio_clean_name - the archive name as a path relative to the root
 *
 * Leading "/" and "./", empty and "." components are dropped ("." and
 * "/" become "", the root itself); a ".." component is refused. Writes
 * the result to @out (@size bytes) and returns its length, or -1.
 */
int cpio_clean_name(const char *name, char *out, size_t size);

/* The 070702 checksum: the sum of the bytes, modulo 2^32. */
u32 cpio_checksum(const void *data, size_t len);

#endif /* _FS_CPIO_H */
