/*
 * Helpers for ktest suites that look at a filesystem through the VFS
 * (fs/fs_test_util.c): a private mount with an fs_struct rooted in it,
 * and whole-file reads and writes by path, as user space would do them.
 * The sysfs, driver-core and PCI suites read their attributes this way.
 */
#ifndef _KESTREL_KTEST_FS_H
#define _KESTREL_KTEST_FS_H

#include <kestrel/fs.h>
#include <kestrel/fs_struct.h>
#include <kestrel/types.h>

/* A private instance of a filesystem type, and an fs_struct at its root. */
struct ktest_mount {
	struct vfsmount *mnt;
	struct fs_struct *fs;
};

/* Mount @fstype ("sysfs") privately. 0 or -errno. Process context. */
int ktest_mount(struct ktest_mount *km, const char *fstype);
void ktest_umount(struct ktest_mount *km);

/* Read @name from offset 0 into @buf, NUL-ended. Length or -errno. */
ssize_t fx_read_str(struct fs_struct *fs, const char *name, char *buf,
		    size_t size);
/* Write @text to the existing file @name at offset 0: write's result. */
ssize_t fx_write_str(struct fs_struct *fs, const char *name, const char *text);
/* stat (LOOKUP_FOLLOW in @flags) or lstat. 0 or -errno. */
int fx_stat(struct fs_struct *fs, const char *name, unsigned int flags,
	    struct kstat *st);
/* Does @name exist (without following a trailing link)? */
bool fx_exists(struct fs_struct *fs, const char *name);

#endif /* _KESTREL_KTEST_FS_H */
