/*
 * Helpers shared by the fs/ ktest suites (vfs, tmpfs, pipe, initramfs):
 * a fixture that mounts a private tmpfs and roots an fs_struct in it,
 * and checks on teardown that every inode, dentry and file the case made
 * is gone again; short wrappers for the calls the cases repeat.
 */
#ifndef _FS_FS_TEST_UTIL_H
#define _FS_FS_TEST_UTIL_H

#include <kestrel/cred.h>
#include <kestrel/fs.h>
#include <kestrel/fs_struct.h>
#include <kestrel/ktest.h>
#include <kestrel/ktest_fs.h>

struct fs_fixture {
	struct vfsmount *mnt; /* a private tmpfs */
	struct fs_struct *fs; /* root and pwd at its root */
	struct path root;
	unsigned long inodes, dentries, files; /* before the mount */
};

/* ktest init/exit for suites whose cases use a fixture (ktest_priv). */
int fs_fixture_init(struct ktest *t);
void fs_fixture_exit(struct ktest *t);

static inline struct fs_struct *fx_fs(struct ktest *t)
{
	return ((struct fs_fixture *)ktest_priv(t))->fs;
}

/* Create (or truncate) @name with @len bytes of @data. 0 or -errno. */
int fx_write_file(struct fs_struct *fs, const char *name, umode_t mode,
		  const void *data, size_t len);
/* Read up to @len bytes of @name. Bytes or -errno. */
ssize_t fx_read_file(struct fs_struct *fs, const char *name, void *buf,
		     size_t len);

/* Act as @uid/@gid (no capabilities unless @uid is 0) until fx_revert. */
const struct cred *fx_become(struct cred *cred, kuid_t uid, kgid_t gid);
void fx_revert(const struct cred *old);

#endif /* _FS_FS_TEST_UTIL_H */
