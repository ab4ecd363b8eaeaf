/*
 * ktest suite "vfs": the path walk, the name operations, open, attributes
 * and permissions, mounts, directory listing, descriptor tables, the
 * dispatch of read/readv onto the vectored AIO methods, and character
 * devices. Every case runs on a private tmpfs (fs_test_util.c), whose
 * teardown checks that no inode, dentry or file outlives the case.
 */
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/kstrtox.h>
#include <kestrel/math64.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/time.h>

#include "fs_test_util.h"
#include "internal.h"

/* ---- the path walk ------------------------------------------------------ */

static void test_mkdir_and_lookup(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	struct kstat st;

	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/a", 0755), 0);
	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "a/b", 0700), 0);
	KT_EXPECT_EQ(t, do_mkdirat(fs, NULL, "/a", 0755), -EEXIST);
	KT_EXPECT_EQ(t, do_mkdirat(fs, NULL, "/", 0755), -EEXIST);
	KT_EXPECT_EQ(t, do_mkdirat(fs, NULL, "/x/y", 0755), -ENOENT);
	KT_ASSERT_EQ(t, fx_stat(fs, "/a/b", 0, &st), 0);
	KT_EXPECT_EQ(t, st.mode, S_IFDIR | 0700);
	KT_EXPECT_EQ(t, st.nlink, 2);
	KT_ASSERT_EQ(t, fx_stat(fs, "/a", 0, &st), 0);
	KT_EXPECT_EQ(t, st.nlink, 3); /* ".", "a" and b's ".." */
	KT_EXPECT_EQ(t, fx_stat(fs, "/a/nope", 0, &st), -ENOENT);
	KT_EXPECT_EQ(t, fx_write_file(fs, "/f", 0644, "x", 1), 0);
	KT_EXPECT_EQ(t, fx_stat(fs, "/f/x", 0, &st), -ENOTDIR);
	KT_EXPECT_EQ(t, do_mkdirat(fs, NULL, "/f/x", 0755), -ENOTDIR);
	KT_EXPECT_EQ(t, fx_stat(fs, "", 0, &st), -ENOENT);
}

static void test_dots(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	struct kstat a, b;

	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/a", 0755), 0);
	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/a/b", 0755), 0);
	KT_ASSERT_EQ(t, fx_stat(fs, "/a/b", 0, &a), 0);
	KT_ASSERT_EQ(t, fx_stat(fs, "/a/./b/../b/.", 0, &b), 0);
	KT_EXPECT_EQ(t, a.ino, b.ino);
	/* ".." never climbs above the root. */
	KT_ASSERT_EQ(t, fx_stat(fs, "/", 0, &a), 0);
	KT_ASSERT_EQ(t, fx_stat(fs, "/../../..", 0, &b), 0);
	KT_EXPECT_EQ(t, a.ino, b.ino);
	KT_ASSERT_EQ(t, fx_stat(fs, "a/b/../../..", 0, &b), 0);
	KT_EXPECT_EQ(t, a.ino, b.ino);
	KT_ASSERT_EQ(t, fx_stat(fs, "//a///b//", 0, &a), 0);
}

static void test_trailing_slash(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	struct kstat st;
	struct file *f;

	KT_ASSERT_EQ(t, fx_write_file(fs, "/f", 0644, NULL, 0), 0);
	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/d/", 0755), 0);
	KT_EXPECT_EQ(t, fx_stat(fs, "/d/", 0, &st), 0);
	KT_EXPECT_EQ(t, fx_stat(fs, "/f/", 0, &st), -ENOTDIR);
	f = do_filp_open(fs, NULL, "/f/", O_RDONLY, 0);
	KT_EXPECT_EQ(t, PTR_ERR(f), -ENOTDIR);
	f = do_filp_open(fs, NULL, "/g/", O_CREAT | O_WRONLY, 0644);
	KT_EXPECT_EQ(t, PTR_ERR(f), -EISDIR);
	KT_EXPECT_EQ(t, do_unlinkat(fs, NULL, "/f/"), -ENOTDIR);
	KT_EXPECT_EQ(t, do_mknodat(fs, NULL, "/n/", S_IFIFO | 0644, 0),
		     -ENOENT);
	KT_EXPECT_EQ(t, do_rmdir(fs, NULL, "/d/"), 0);
}

static void test_name_limits(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	char *name = kmalloc(PATH_MAX + 8, GFP_KERNEL);
	struct path path;
	struct kstat st;
	int i;

	KT_ASSERT_NOT_NULL(t, name);
	name[0] = '/';
	memset(name + 1, 'n', NAME_MAX);
	name[NAME_MAX + 1] = '\0';
	KT_EXPECT_EQ(t, fx_write_file(fs, name, 0644, NULL, 0), 0);
	KT_EXPECT_EQ(t, fx_stat(fs, name, 0, &st), 0);
	name[NAME_MAX + 1] = 'n';
	name[NAME_MAX + 2] = '\0';
	KT_EXPECT_EQ(t, fx_stat(fs, name, 0, &st), -ENAMETOOLONG);
	KT_EXPECT_EQ(t, fx_write_file(fs, name, 0644, NULL, 0), -ENAMETOOLONG);
	/* A path of PATH_MAX bytes without its NUL is too long. */
	for (i = 0; i < PATH_MAX; i++)
		name[i] = i % 2 ? '/' : '.';
	name[PATH_MAX] = '\0';
	KT_EXPECT_EQ(t, fx_stat(fs, name, 0, &st), -ENAMETOOLONG);
	name[PATH_MAX - 1] = '\0';
	KT_EXPECT_EQ(t, fx_stat(fs, name, 0, &st), 0);
	/* LOOKUP_EMPTY: "" names the starting directory. */
	KT_EXPECT_EQ(t, vfs_path_lookup(fs, NULL, "", LOOKUP_EMPTY, &path), 0);
	path_put(&path);
	kfree(name);
}

static void test_symlinks(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	struct kstat st, target;
	struct path path;
	char buf[16];

	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/d", 0755), 0);
	KT_ASSERT_EQ(t, fx_write_file(fs, "/d/f", 0644, "hello", 5), 0);
	KT_ASSERT_EQ(t, do_symlinkat(fs, "d/f", NULL, "/rel"), 0);
	KT_ASSERT_EQ(t, do_symlinkat(fs, "/d", NULL, "/abs"), 0);
	KT_ASSERT_EQ(t, do_symlinkat(fs, "missing", NULL, "/dangling"), 0);
	KT_EXPECT_EQ(t, do_symlinkat(fs, "", NULL, "/empty"), -ENOENT);
	KT_ASSERT_EQ(t, fx_stat(fs, "/d/f", 0, &target), 0);
	KT_ASSERT_EQ(t, fx_stat(fs, "/rel", LOOKUP_FOLLOW, &st), 0);
	KT_EXPECT_EQ(t, st.ino, target.ino);
	KT_ASSERT_EQ(t, fx_stat(fs, "/rel", 0, &st), 0);
	KT_EXPECT_EQ(t, st.mode & S_IFMT, S_IFLNK);
	KT_EXPECT_EQ(t, st.size, 3);
	KT_ASSERT_EQ(t, fx_stat(fs, "/abs/f", 0, &st), 0); /* mid-path link */
	KT_EXPECT_EQ(t, st.ino, target.ino);
	KT_EXPECT_EQ(t, fx_stat(fs, "/abs/", 0, &st), 0); /* "/" follows */
	KT_EXPECT_EQ(t, st.mode & S_IFMT, S_IFDIR);
	KT_EXPECT_EQ(t, fx_stat(fs, "/dangling", LOOKUP_FOLLOW, &st), -ENOENT);
	KT_EXPECT_EQ(t, fx_stat(fs, "/dangling", 0, &st), 0);
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/rel", 0, &path), 0);
	KT_EXPECT_EQ(t, vfs_readlink(path.dentry, buf, sizeof(buf)), 3);
	KT_EXPECT_EQ(t, memcmp(buf, "d/f", 3), 0);
	KT_EXPECT_EQ(t, vfs_readlink(path.dentry, buf, 2), 2);
	path_put(&path);
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/d", 0, &path), 0);
	KT_EXPECT_EQ(t, vfs_readlink(path.dentry, buf, sizeof(buf)), -EINVAL);
	path_put(&path);
}

static void test_symlink_loops(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	char name[16], target[16];
	struct kstat st;
	int i;

	KT_ASSERT_EQ(t, do_symlinkat(fs, "b", NULL, "/a"), 0);
	KT_ASSERT_EQ(t, do_symlinkat(fs, "a", NULL, "/b"), 0);
	KT_EXPECT_EQ(t, fx_stat(fs, "/a", LOOKUP_FOLLOW, &st), -ELOOP);
	KT_EXPECT_EQ(t, fx_stat(fs, "/a/x", 0, &st), -ELOOP);
	/* A chain: l0 -> l1 -> ... -> l40 -> file. 40 links are allowed. */
	KT_ASSERT_EQ(t, fx_write_file(fs, "/file", 0644, NULL, 0), 0);
	for (i = 0; i <= MAXSYMLINKS; i++) {
		snprintf(name, sizeof(name), "/l%d", i);
		if (i == MAXSYMLINKS)
			strlcpy(target, "file", sizeof(target));
		else
			snprintf(target, sizeof(target), "l%d", i + 1);
		KT_ASSERT_EQ(t, do_symlinkat(fs, target, NULL, name), 0);
	}
	KT_EXPECT_EQ(t, fx_stat(fs, "/l1", LOOKUP_FOLLOW, &st), 0);
	KT_EXPECT_EQ(t, fx_stat(fs, "/l0", LOOKUP_FOLLOW, &st), -ELOOP);
	/* Nesting: n0 -> "n1/.", n1 -> "n2/." ... each link inside the last. */
	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/dir", 0755), 0);
	for (i = 0; i < 12; i++) {
		snprintf(name, sizeof(name), "/n%d", i);
		snprintf(target, sizeof(target), "n%d/.", i + 1);
		KT_ASSERT_EQ(t,
			     do_symlinkat(fs, i == 11 ? "dir" : target, NULL,
					  name),
			     0);
	}
	KT_EXPECT_EQ(t, fx_stat(fs, "/n6", LOOKUP_FOLLOW, &st), 0);
	KT_EXPECT_EQ(t, fx_stat(fs, "/n0", LOOKUP_FOLLOW, &st), -ELOOP);
}

static void test_symlink_open(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	struct kstat st;
	struct file *f;

	KT_ASSERT_EQ(t, do_symlinkat(fs, "target", NULL, "/link"), 0);
	f = do_filp_open(fs, NULL, "/link", O_CREAT | O_EXCL | O_WRONLY, 0600);
	KT_EXPECT_EQ(t, PTR_ERR(f), -EEXIST);
	/* O_CREAT through a dangling link creates its target. */
	f = do_filp_open(fs, NULL, "/link", O_CREAT | O_WRONLY, 0600);
	KT_ASSERT_TRUE(t, !IS_ERR(f));
	fput(f);
	KT_EXPECT_EQ(t, fx_stat(fs, "/target", 0, &st), 0);
	KT_EXPECT_EQ(t, st.mode, S_IFREG | 0600);
	f = do_filp_open(fs, NULL, "/link", O_RDONLY | O_NOFOLLOW, 0);
	KT_EXPECT_EQ(t, PTR_ERR(f), -ELOOP);
	f = do_filp_open(fs, NULL, "/link", O_PATH | O_NOFOLLOW, 0);
	KT_ASSERT_TRUE(t, !IS_ERR(f));
	KT_EXPECT_TRUE(t, f->f_mode & FMODE_PATH);
	KT_EXPECT_EQ(t, kernel_read(f, &st, 1, &f->f_pos), -EBADF);
	fput(f);
}

static void test_negative_dentries(struct ktest *t)
{
	struct fs_fixture *fx = ktest_priv(t);
	struct qstr name = QSTR_INIT("ghost", 5);
	struct dentry *dentry;
	struct kstat st;

	name.hash = full_name_hash(name.name, name.len);
	KT_EXPECT_NULL(t, d_lookup(fx->root.dentry, &name));
	KT_EXPECT_EQ(t, fx_stat(fx->fs, "/ghost", 0, &st), -ENOENT);
	/* The miss left a negative dentry: the next lookup is a hash hit. */
	dentry = d_lookup(fx->root.dentry, &name);
	KT_ASSERT_NOT_NULL(t, dentry);
	KT_EXPECT_TRUE(t, d_is_negative(dentry));
	/* Creating the name turns that same dentry positive. */
	KT_ASSERT_EQ(t, fx_write_file(fx->fs, "/ghost", 0644, NULL, 0), 0);
	KT_EXPECT_FALSE(t, d_is_negative(dentry));
	dput(dentry);
	/* Unlink leaves a negative entry behind again. */
	KT_ASSERT_EQ(t, do_unlinkat(fx->fs, NULL, "/ghost"), 0);
	dentry = d_lookup(fx->root.dentry, &name);
	KT_ASSERT_NOT_NULL(t, dentry);
	KT_EXPECT_TRUE(t, d_is_negative(dentry));
	dput(dentry);
}

/* ---- open --------------------------------------------------------------- */

static void test_open_flags(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	char buf[16];
	struct kstat st;
	struct file *f;
	loff_t pos = 0;

	fs_set_umask(fs, 022);
	f = do_filp_open(fs, NULL, "/f", O_CREAT | O_RDWR, 0666);
	KT_ASSERT_TRUE(t, !IS_ERR(f));
	KT_EXPECT_EQ(t, kernel_write(f, "abcdef", 6, &pos), 6);
	fput(f);
	KT_ASSERT_EQ(t, fx_stat(fs, "/f", 0, &st), 0);
	KT_EXPECT_EQ(t, st.mode, S_IFREG | 0644);
	f = do_filp_open(fs, NULL, "/f", O_CREAT | O_EXCL | O_RDWR, 0666);
	KT_EXPECT_EQ(t, PTR_ERR(f), -EEXIST);
	/* O_APPEND writes at the end whatever the position. */
	f = do_filp_open(fs, NULL, "/f", O_WRONLY | O_APPEND, 0);
	KT_ASSERT_TRUE(t, !IS_ERR(f));
	pos = 0;
	KT_EXPECT_EQ(t, kernel_write(f, "gh", 2, &pos), 2);
	KT_EXPECT_EQ(t, pos, 8);
	KT_EXPECT_EQ(t, kernel_read(f, buf, 1, &pos), -EBADF);
	fput(f);
	KT_EXPECT_EQ(t, fx_read_file(fs, "/f", buf, sizeof(buf)), 8);
	KT_EXPECT_EQ(t, memcmp(buf, "abcdefgh", 8), 0);
	f = do_filp_open(fs, NULL, "/f", O_RDONLY, 0);
	KT_ASSERT_TRUE(t, !IS_ERR(f));
	pos = 0;
	KT_EXPECT_EQ(t, kernel_write(f, "x", 1, &pos), -EBADF);
	fput(f);
	/* O_TRUNC. */
	f = do_filp_open(fs, NULL, "/f", O_WRONLY | O_TRUNC, 0);
	KT_ASSERT_TRUE(t, !IS_ERR(f));
	fput(f);
	KT_ASSERT_EQ(t, fx_stat(fs, "/f", 0, &st), 0);
	KT_EXPECT_EQ(t, st.size, 0);
}

static void test_open_errors(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	struct file *f;

	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/d", 0755), 0);
	KT_ASSERT_EQ(t, fx_write_file(fs, "/f", 0644, NULL, 0), 0);
	f = do_filp_open(fs, NULL, "/f", O_RDONLY | O_DIRECTORY, 0);
	KT_EXPECT_EQ(t, PTR_ERR(f), -ENOTDIR);
	f = do_filp_open(fs, NULL, "/d", O_WRONLY, 0);
	KT_EXPECT_EQ(t, PTR_ERR(f), -EISDIR);
	f = do_filp_open(fs, NULL, "/d", O_RDONLY | O_CREAT, 0644);
	KT_EXPECT_EQ(t, PTR_ERR(f), -EISDIR);
	f = do_filp_open(fs, NULL, "/", O_RDONLY | O_CREAT, 0644);
	KT_EXPECT_EQ(t, PTR_ERR(f), -EISDIR);
	f = do_filp_open(fs, NULL, "/x", O_CREAT | O_DIRECTORY, 0644);
	KT_EXPECT_EQ(t, PTR_ERR(f), -EINVAL);
	f = do_filp_open(fs, NULL, "/d", O_TMPFILE | O_RDWR, 0644);
	KT_EXPECT_EQ(t, PTR_ERR(f), -EOPNOTSUPP);
	f = do_filp_open(fs, NULL, "/none", O_RDONLY, 0);
	KT_EXPECT_EQ(t, PTR_ERR(f), -ENOENT);
	f = do_filp_open(fs, NULL, "/d", O_RDONLY | O_DIRECTORY, 0);
	KT_ASSERT_TRUE(t, !IS_ERR(f));
	KT_EXPECT_EQ(t, kernel_read(f, &f, 1, &f->f_pos), -EINVAL);
	fput(f);
}

/* ---- permissions -------------------------------------------------------- */

static void test_permissions(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	const struct cred *old;
	struct cred user;
	struct kstat st;
	struct file *f;

	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/private", 0700), 0);
	KT_ASSERT_EQ(t, fx_write_file(fs, "/private/f", 0644, NULL, 0), 0);
	KT_ASSERT_EQ(t, fx_write_file(fs, "/secret", 0600, "s", 1), 0);
	KT_ASSERT_EQ(t, fx_write_file(fs, "/ro", 0444, NULL, 0), 0);
	old = fx_become(&user, 1000, 1000);
	KT_EXPECT_EQ(t, fx_stat(fs, "/private/f", 0, &st), -EACCES);
	f = do_filp_open(fs, NULL, "/secret", O_RDONLY, 0);
	KT_EXPECT_EQ(t, PTR_ERR(f), -EACCES);
	f = do_filp_open(fs, NULL, "/ro", O_WRONLY, 0);
	KT_EXPECT_EQ(t, PTR_ERR(f), -EACCES);
	KT_EXPECT_EQ(t, do_mkdirat(fs, NULL, "/private/sub", 0755), -EACCES);
	/* The tmpfs root is 1777: root's file is not ours to remove. */
	KT_EXPECT_EQ(t, do_unlinkat(fs, NULL, "/ro"), -EPERM);
	KT_EXPECT_EQ(t, fx_write_file(fs, "/mine", 0600, "m", 1), 0);
	KT_ASSERT_EQ(t, fx_stat(fs, "/mine", 0, &st), 0);
	KT_EXPECT_EQ(t, st.uid, 1000);
	KT_EXPECT_EQ(t, st.gid, 1000);
	fx_revert(old);
	/* Root: read and write anything, search any directory... */
	KT_EXPECT_EQ(t, fx_stat(fs, "/private/f", 0, &st), 0);
	KT_EXPECT_EQ(t, fx_read_file(fs, "/mine", &st, 1), 1);
	/* ... but not execute a file without any execute bit. */
	KT_ASSERT_EQ(t, fx_write_file(fs, "/noexec", 0644, NULL, 0), 0);
	f = do_filp_open(fs, NULL, "/noexec", O_RDONLY, 0);
	KT_ASSERT_TRUE(t, !IS_ERR(f));
	KT_EXPECT_EQ(t, inode_permission(file_inode(f), MAY_EXEC), -EACCES);
	fput(f);
}

static void test_sticky_and_attr_rights(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	struct timespec64 times[2] = { { 1, 0 }, { 2, 0 } };
	const struct cred *old;
	struct cred user;
	struct path path;

	KT_ASSERT_EQ(t, fx_write_file(fs, "/theirs", 0666, NULL, 0), 0);
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/theirs", 0, &path), 0);
	KT_EXPECT_EQ(t, vfs_chown(&path, 1001, 1001), 0);
	KT_EXPECT_EQ(t, vfs_chmod(&path, 0666), 0);
	old = fx_become(&user, 1000, 1000);
	/* The tmpfs root is 1777: not ours, not our directory: EPERM. */
	KT_EXPECT_EQ(t, do_unlinkat(fs, NULL, "/theirs"), -EPERM);
	KT_EXPECT_EQ(t, vfs_chmod(&path, 0777), -EPERM);
	KT_EXPECT_EQ(t, vfs_chown(&path, 1000, -1), -EPERM);
	KT_EXPECT_EQ(t, vfs_utimes(&path, times), -EPERM);
	KT_EXPECT_EQ(t, vfs_utimes(&path, NULL), 0); /* writable: "now" */
	KT_EXPECT_EQ(t, vfs_truncate(&path, 0), 0);
	fx_revert(old);
	path_put(&path);
	KT_ASSERT_EQ(t, fx_write_file(fs, "/ours", 0644, NULL, 0), 0);
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/ours", 0, &path), 0);
	KT_EXPECT_EQ(t, vfs_chown(&path, 1000, 1000), 0);
	old = fx_become(&user, 1000, 1000);
	user.ngroups = 1;
	user.groups[0] = 50;
	KT_EXPECT_EQ(t, vfs_chown(&path, -1, 50), 0); /* a group we are in */
	KT_EXPECT_EQ(t, vfs_chown(&path, -1, 51), -EPERM);
	KT_EXPECT_EQ(t, vfs_chmod(&path, 0600), 0);
	KT_EXPECT_EQ(t, vfs_utimes(&path, times), 0);
	fx_revert(old);
	KT_EXPECT_EQ(t, path.dentry->d_inode->i_mtime.tv_sec, 2);
	KT_EXPECT_EQ(t, path.dentry->d_inode->i_gid, 50);
	path_put(&path);
}

static void test_attributes(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	struct timespec64 times[2] = { { 100, 5 }, { 0, UTIME_OMIT } };
	struct inode *inode;
	struct path path;
	struct file *f;

	KT_ASSERT_EQ(t, fx_write_file(fs, "/f", 06755, "0123456789", 10), 0);
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/f", 0, &path), 0);
	inode = path.dentry->d_inode;
	KT_EXPECT_EQ(t, vfs_chmod(&path, 06755), 0);
	KT_EXPECT_EQ(t, inode->i_mode, S_IFREG | 06755);
	KT_EXPECT_EQ(t, vfs_chown(&path, 7, 8), 0); /* clears set-id bits */
	KT_EXPECT_EQ(t, inode->i_mode, S_IFREG | 0755);
	KT_EXPECT_EQ(t, inode->i_uid, 7);
	KT_EXPECT_EQ(t, vfs_utimes(&path, times), 0);
	KT_EXPECT_EQ(t, inode->i_atime.tv_sec, 100);
	KT_EXPECT_EQ(t, inode->i_atime.tv_nsec, 5);
	times[0].tv_nsec = NSEC_PER_SEC;
	KT_EXPECT_EQ(t, vfs_utimes(&path, times), -EINVAL);
	KT_EXPECT_EQ(t, vfs_truncate(&path, 4), 0);
	KT_EXPECT_EQ(t, inode->i_size, 4);
	KT_EXPECT_EQ(t, vfs_truncate(&path, -1), -EINVAL);
	f = do_filp_open(fs, NULL, "/f", O_RDONLY, 0);
	KT_ASSERT_TRUE(t, !IS_ERR(f));
	KT_EXPECT_EQ(t, vfs_ftruncate(f, 0), -EINVAL);
	fput(f);
	path_put(&path);
	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/d", 0755), 0);
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/d", 0, &path), 0);
	KT_EXPECT_EQ(t, vfs_truncate(&path, 0), -EISDIR);
	path_put(&path);
	KT_EXPECT_EQ(t, vfs_access(fs, NULL, "/f", R_OK | W_OK, 0), 0);
	KT_EXPECT_EQ(t, vfs_access(fs, NULL, "/f", 8, 0), -EINVAL);
	KT_EXPECT_EQ(t, vfs_access(fs, NULL, "/none", F_OK, 0), -ENOENT);
}

/* ---- removing and renaming ---------------------------------------------- */

static void test_unlink_rmdir(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	unsigned long inodes;
	struct file *f;
	char buf[4];
	loff_t pos = 0;

	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/d", 0755), 0);
	KT_ASSERT_EQ(t, fx_write_file(fs, "/d/f", 0644, "abc", 3), 0);
	KT_EXPECT_EQ(t, do_unlinkat(fs, NULL, "/d"), -EISDIR);
	KT_EXPECT_EQ(t, do_rmdir(fs, NULL, "/d/f"), -ENOTDIR);
	KT_EXPECT_EQ(t, do_rmdir(fs, NULL, "/d"), -ENOTEMPTY);
	KT_EXPECT_EQ(t, do_rmdir(fs, NULL, "/d/."), -EINVAL);
	KT_EXPECT_EQ(t, do_rmdir(fs, NULL, "/d/.."), -ENOTEMPTY);
	KT_EXPECT_EQ(t, do_rmdir(fs, NULL, "/"), -EBUSY);
	KT_EXPECT_EQ(t, do_unlinkat(fs, NULL, "/d/none"), -ENOENT);
	/* An open file outlives its last name. */
	f = do_filp_open(fs, NULL, "/d/f", O_RDONLY, 0);
	KT_ASSERT_TRUE(t, !IS_ERR(f));
	inodes = nr_inodes();
	KT_EXPECT_EQ(t, do_unlinkat(fs, NULL, "/d/f"), 0);
	KT_EXPECT_FALSE(t, fx_exists(fs, "/d/f"));
	KT_EXPECT_EQ(t, file_inode(f)->i_nlink, 0);
	KT_EXPECT_EQ(t, kernel_read(f, buf, 3, &pos), 3);
	KT_EXPECT_EQ(t, nr_inodes(), inodes);
	fput(f);
	KT_EXPECT_EQ(t, nr_inodes(), inodes - 1);
	/* A removed working directory: nothing can be made in it. */
	{
		struct path d;

		KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/d", 0, &d), 0);
		KT_EXPECT_EQ(t, vfs_chdir(fs, &d), 0);
		path_put(&d);
	}
	KT_EXPECT_EQ(t, do_rmdir(fs, NULL, "/d"), 0);
	KT_EXPECT_EQ(t, fx_write_file(fs, "new", 0644, NULL, 0), -ENOENT);
	KT_EXPECT_EQ(t, do_mkdirat(fs, NULL, "sub", 0755), -ENOENT);
	KT_EXPECT_EQ(t, vfs_getcwd(fs, buf, sizeof(buf)), -ENOENT);
}

static void test_rename(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	struct kstat st, st2;
	char buf[8];

	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/a", 0755), 0);
	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/a/sub", 0755), 0);
	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/b", 0755), 0);
	KT_ASSERT_EQ(t, fx_write_file(fs, "/a/f", 0644, "one", 3), 0);
	KT_ASSERT_EQ(t, fx_write_file(fs, "/b/g", 0644, "two", 3), 0);
	KT_EXPECT_EQ(t, do_renameat2(fs, NULL, "/a/f", NULL, "/a/f2", 0), 0);
	KT_EXPECT_EQ(t, do_renameat2(fs, NULL, "/a/f2", NULL, "/b/g", 0), 0);
	KT_EXPECT_EQ(t, fx_read_file(fs, "/b/g", buf, sizeof(buf)), 3);
	KT_EXPECT_EQ(t, memcmp(buf, "one", 3), 0);
	KT_EXPECT_FALSE(t, fx_exists(fs, "/a/f2"));
	KT_EXPECT_EQ(t, do_renameat2(fs, NULL, "/a/none", NULL, "/b/x", 0),
		     -ENOENT);
	KT_EXPECT_EQ(t, do_renameat2(fs, NULL, "/a", NULL, "/a/sub/in", 0),
		     -EINVAL);
	KT_EXPECT_EQ(t, do_renameat2(fs, NULL, "/a/sub", NULL, "/a", 0),
		     -ENOTEMPTY);
	KT_EXPECT_EQ(t, do_renameat2(fs, NULL, "/a", NULL, "/b/g", 0),
		     -ENOTDIR);
	KT_EXPECT_EQ(t, do_renameat2(fs, NULL, "/b/g", NULL, "/a", 0), -EISDIR);
	KT_EXPECT_EQ(t, do_renameat2(fs, NULL, "/a", NULL, "/b", 0),
		     -ENOTEMPTY);
	KT_EXPECT_EQ(t, do_renameat2(fs, NULL, "/a/.", NULL, "/c", 0), -EBUSY);
	KT_EXPECT_EQ(t, do_renameat2(fs, NULL, "/b/g", NULL, "/b/g/", 0),
		     -ENOTDIR);
	KT_EXPECT_EQ(t, do_renameat2(fs, NULL, "/b/g", NULL, "/b/g", 0), 0);
	KT_ASSERT_EQ(t, fx_write_file(fs, "/b/h", 0644, NULL, 0), 0);
	KT_EXPECT_EQ(t,
		     do_renameat2(fs, NULL, "/b/g", NULL, "/b/h",
				  RENAME_NOREPLACE),
		     -EEXIST);
	KT_EXPECT_EQ(t,
		     do_renameat2(fs, NULL, "/b/g", NULL, "/b/h",
				  RENAME_EXCHANGE),
		     -EINVAL);
	/* A directory moves with its contents; nlinks follow. */
	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/empty", 0755), 0);
	KT_EXPECT_EQ(t, do_renameat2(fs, NULL, "/a/sub", NULL, "/empty", 0), 0);
	KT_ASSERT_EQ(t, fx_stat(fs, "/a", 0, &st), 0);
	KT_EXPECT_EQ(t, st.nlink, 2);
	KT_EXPECT_EQ(t, do_renameat2(fs, NULL, "/a", NULL, "/b/a", 0), 0);
	KT_ASSERT_EQ(t, fx_stat(fs, "/b", 0, &st), 0);
	KT_EXPECT_EQ(t, st.nlink, 3);
	KT_ASSERT_EQ(t, fx_stat(fs, "/b/a/..", 0, &st2), 0);
	KT_EXPECT_EQ(t, st.ino, st2.ino);
}

static void test_hard_links(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	struct kstat st;
	char buf[4];

	KT_ASSERT_EQ(t, fx_write_file(fs, "/f", 0644, "abc", 3), 0);
	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/d", 0755), 0);
	KT_EXPECT_EQ(t, do_linkat(fs, NULL, "/f", NULL, "/d/g", 0), 0);
	KT_ASSERT_EQ(t, fx_stat(fs, "/f", 0, &st), 0);
	KT_EXPECT_EQ(t, st.nlink, 2);
	KT_EXPECT_EQ(t, do_linkat(fs, NULL, "/f", NULL, "/d/g", 0), -EEXIST);
	KT_EXPECT_EQ(t, do_linkat(fs, NULL, "/d", NULL, "/d2", 0), -EPERM);
	KT_EXPECT_EQ(t, do_linkat(fs, NULL, "/none", NULL, "/x", 0), -ENOENT);
	KT_EXPECT_EQ(t, do_linkat(fs, NULL, "/f", NULL, "/x", 0x8000), -EINVAL);
	/* rename between two names of one file does nothing. */
	KT_EXPECT_EQ(t, do_renameat2(fs, NULL, "/f", NULL, "/d/g", 0), 0);
	KT_EXPECT_TRUE(t, fx_exists(fs, "/f"));
	KT_EXPECT_EQ(t, do_unlinkat(fs, NULL, "/f"), 0);
	KT_EXPECT_EQ(t, fx_read_file(fs, "/d/g", buf, sizeof(buf)), 3);
	KT_ASSERT_EQ(t, fx_stat(fs, "/d/g", 0, &st), 0);
	KT_EXPECT_EQ(t, st.nlink, 1);
}

/* ---- mounts ------------------------------------------------------------- */

static void test_mounts(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	struct path mp, inner, up;
	struct kstatfs sfs;
	struct file *f;
	struct kstat st;

	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/mnt", 0755), 0);
	KT_ASSERT_EQ(t, fx_write_file(fs, "/file", 0644, NULL, 0), 0);
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/mnt", 0, &mp), 0);
	KT_EXPECT_EQ(t, do_mount("none", &mp, "nofs", 0, NULL), -ENODEV);
	KT_EXPECT_EQ(t, do_mount("none", &mp, "tmpfs", 0, "bogus=1"), -EINVAL);
	KT_ASSERT_EQ(t, do_mount("none", &mp, "tmpfs", 0, "size=1m"), 0);
	KT_ASSERT_EQ(t, fx_write_file(fs, "/mnt/inner", 0644, NULL, 0), 0);
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/mnt", 0, &inner), 0);
	KT_EXPECT_TRUE(t, inner.mnt != mp.mnt);
	KT_EXPECT_EQ(t, vfs_statfs(&inner, &sfs), 0);
	KT_EXPECT_EQ(t, sfs.f_blocks, 256);
	/* ".." at the mount's root leaves through the mountpoint. */
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/mnt/..", 0, &up), 0);
	KT_EXPECT_TRUE(t, up.mnt == mp.mnt && up.dentry == mp.mnt->mnt_root);
	path_put(&up);
	KT_EXPECT_EQ(t, do_renameat2(fs, NULL, "/mnt/inner", NULL, "/x", 0),
		     -EXDEV);
	KT_EXPECT_EQ(t, do_linkat(fs, NULL, "/mnt/inner", NULL, "/x", 0),
		     -EXDEV);
	KT_EXPECT_EQ(t, do_rmdir(fs, NULL, "/mnt"), -EBUSY);
	KT_EXPECT_EQ(t, do_umount(&mp, 0), -EINVAL); /* not a mount root */
	f = do_filp_open(fs, NULL, "/mnt/inner", O_RDONLY, 0);
	KT_ASSERT_TRUE(t, !IS_ERR(f));
	KT_EXPECT_EQ(t, do_umount(&inner, 0), -EBUSY);
	fput(f);
	KT_EXPECT_EQ(t, do_umount(&inner, 0), 0);
	path_put(&inner);
	KT_EXPECT_FALSE(t, fx_exists(fs, "/mnt/inner"));
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/file", 0, &inner), 0);
	KT_EXPECT_EQ(t, do_mount("none", &inner, "tmpfs", 0, NULL), -ENOTDIR);
	path_put(&inner);
	/* Lazy umount: an open file keeps working after the detach. */
	KT_ASSERT_EQ(t, do_mount("none", &mp, "tmpfs", 0, NULL), 0);
	KT_ASSERT_EQ(t, fx_write_file(fs, "/mnt/lazy", 0644, "z", 1), 0);
	f = do_filp_open(fs, NULL, "/mnt/lazy", O_RDONLY, 0);
	KT_ASSERT_TRUE(t, !IS_ERR(f));
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/mnt", 0, &inner), 0);
	KT_EXPECT_EQ(t, do_umount(&inner, MNT_DETACH), 0);
	path_put(&inner);
	KT_EXPECT_FALSE(t, fx_exists(fs, "/mnt/lazy"));
	KT_EXPECT_EQ(t, kernel_read(f, &st, 1, &f->f_pos), 1);
	fput(f);
	path_put(&mp);
}

static void test_bind_and_remount(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	struct path src, dst, top;
	struct file *f;

	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/src", 0755), 0);
	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/dst", 0755), 0);
	KT_ASSERT_EQ(t, fx_write_file(fs, "/src/f", 0644, "b", 1), 0);
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/src", 0, &src), 0);
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/dst", 0, &dst), 0);
	KT_ASSERT_EQ(t, do_bind_mount(&src, &dst), 0);
	KT_EXPECT_TRUE(t, fx_exists(fs, "/dst/f"));
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/dst", 0, &top), 0);
	/* Read-only remount of the bind: writes there fail, not in /src. */
	KT_EXPECT_EQ(t,
		     do_mount(NULL, &top, NULL,
			      MS_REMOUNT | MS_BIND | MS_RDONLY, NULL),
		     0);
	f = do_filp_open(fs, NULL, "/dst/f", O_WRONLY, 0);
	KT_EXPECT_EQ(t, PTR_ERR(f), -EROFS);
	KT_EXPECT_EQ(t, do_mkdirat(fs, NULL, "/dst/new", 0755), -EROFS);
	KT_EXPECT_EQ(t, fx_write_file(fs, "/src/f", 0644, "c", 1), 0);
	KT_EXPECT_EQ(t, do_umount(&top, 0), 0);
	path_put(&top);
	path_put(&dst);
	path_put(&src);
}

struct name_list {
	char names[512];
	int count;
};

static void list_fs_type(const struct file_system_type *type, void *arg)
{
	struct name_list *l = arg;

	strlcat(l->names, type->name, sizeof(l->names));
	strlcat(l->names, " ", sizeof(l->names));
	l->count++;
}

static void test_filesystem_registry(struct ktest *t)
{
	static struct file_system_type dup = { .name = "tmpfs" };
	struct name_list l = { .count = 0 };

	filesystems_for_each(list_fs_type, &l);
	KT_EXPECT_NOT_NULL(t, strstr(l.names, "tmpfs "));
	KT_EXPECT_NOT_NULL(t, strstr(l.names, "pipefs "));
	KT_EXPECT_EQ(t, register_filesystem(&dup), -EBUSY);
	KT_EXPECT_EQ(t, unregister_filesystem(&dup), -EINVAL);
	KT_EXPECT_NULL(t, get_fs_type("nofs"));
}

/* ---- directories, cwd, root --------------------------------------------- */

struct listing {
	struct dir_context ctx;
	char names[256];
	int count, limit;
};

static bool collect(struct dir_context *ctx, const char *name, int len,
		    loff_t off, u64 ino, unsigned int type)
{
	struct listing *l = container_of(ctx, struct listing, ctx);

	if (l->count == l->limit)
		return false;
	l->count++;
	snprintf(l->names + strlen(l->names),
		 sizeof(l->names) - strlen(l->names), "%.*s%s", len, name,
		 type == DT_DIR ? "/ " : " ");
	return true;
}

static void test_readdir(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	struct listing l = { .ctx.actor = collect, .limit = 100 };
	struct file *d;

	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/d", 0755), 0);
	KT_ASSERT_EQ(t, fx_write_file(fs, "/d/a", 0644, NULL, 0), 0);
	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/d/b", 0755), 0);
	KT_ASSERT_EQ(t, fx_write_file(fs, "/d/c", 0644, NULL, 0), 0);
	KT_EXPECT_FALSE(t, fx_exists(fs, "/d/neg")); /* a negative child */
	d = do_filp_open(fs, NULL, "/d", O_RDONLY | O_DIRECTORY, 0);
	KT_ASSERT_TRUE(t, !IS_ERR(d));
	KT_EXPECT_EQ(t, iterate_dir(d, &l.ctx), 0);
	KT_EXPECT_EQ(t, strcmp(l.names, "./ ../ a b/ c "), 0);
	/* In batches of two, with changes in between. */
	memset(l.names, 0, sizeof(l.names));
	l.count = 0;
	l.limit = 2;
	KT_EXPECT_EQ(t, vfs_llseek(d, 0, SEEK_SET), 0);
	KT_EXPECT_EQ(t, iterate_dir(d, &l.ctx), 0);
	KT_EXPECT_EQ(t, do_unlinkat(fs, NULL, "/d/a"), 0);
	KT_EXPECT_EQ(t, fx_write_file(fs, "/d/e", 0644, NULL, 0), 0);
	l.limit = 100;
	KT_EXPECT_EQ(t, iterate_dir(d, &l.ctx), 0);
	KT_EXPECT_EQ(t, strcmp(l.names, "./ ../ b/ c e "), 0);
	l.count = 0;
	KT_EXPECT_EQ(t, iterate_dir(d, &l.ctx), 0); /* at the end */
	KT_EXPECT_EQ(t, l.count, 0);
	fput(d);
	d = do_filp_open(fs, NULL, "/d/c", O_RDONLY, 0);
	KT_ASSERT_TRUE(t, !IS_ERR(d));
	KT_EXPECT_EQ(t, iterate_dir(d, &l.ctx), -ENOTDIR);
	fput(d);
}

static void test_cwd_and_chroot(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	struct path p, saved;
	struct kstat st, st2;
	char buf[64];

	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/a", 0755), 0);
	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/a/b", 0755), 0);
	KT_ASSERT_EQ(t, fx_write_file(fs, "/a/b/f", 0644, NULL, 0), 0);
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/a/b", 0, &p), 0);
	KT_EXPECT_EQ(t, vfs_chdir(fs, &p), 0);
	path_put(&p);
	KT_EXPECT_TRUE(t, fx_exists(fs, "f"));
	KT_EXPECT_EQ(t, vfs_getcwd(fs, buf, sizeof(buf)), 5);
	KT_EXPECT_EQ(t, strcmp(buf, "/a/b"), 0);
	KT_EXPECT_EQ(t, vfs_getcwd(fs, buf, 4), -ERANGE);
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "f", 0, &p), 0);
	KT_EXPECT_EQ(t, vfs_chdir(fs, &p), -ENOTDIR);
	path_put(&p);
	/* chroot to /a: "/" is /a now, and ".." cannot leave it. */
	get_fs_root(fs, &saved);
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/a", 0, &p), 0);
	KT_EXPECT_EQ(t, vfs_chroot(fs, &p), 0);
	KT_ASSERT_EQ(t, fx_stat(fs, "/../../..", 0, &st), 0);
	KT_ASSERT_EQ(t, vfs_getattr(&p, &st2, STATX_BASIC_STATS, 0), 0);
	KT_EXPECT_EQ(t, st.ino, st2.ino);
	KT_EXPECT_TRUE(t, fx_exists(fs, "/b/f"));
	KT_EXPECT_EQ(t, vfs_getcwd(fs, buf, sizeof(buf)), 3);
	KT_EXPECT_EQ(t, strcmp(buf, "/b"), 0);
	path_put(&p);
	set_fs_root(fs, &saved);
	path_put(&saved);
}

/* ---- read/readv on the vectored AIO methods ----------------------------- */

/* A recording driver: minor 0 has only aio methods, minor 1 only read. */
static struct {
	int aio_calls, rw_calls;
	unsigned long last_segs;
	size_t last_len;
	unsigned int last_flags;
} rec;

static ssize_t rec_aio_read(struct kiocb *iocb, const struct iovec *iov,
			    unsigned long nr_segs, loff_t pos)
{
	struct iov_iter iter;
	size_t n;

	rec.aio_calls++;
	rec.last_segs = nr_segs;
	rec.last_flags = iocb->ki_flags;
	rec.last_len = iov_length(iov, nr_segs);
	if (!(iocb->ki_flags & IOCB_KVEC))
		return rec.last_len; /* user memory: not touched here */
	kiocb_iter_init(&iter, iocb, iov, nr_segs);
	for (n = 0; iov_iter_count(&iter); n++) {
		char c = 'a' + n % 26;

		copy_to_iter(&c, 1, &iter);
	}
	iocb->ki_pos = pos + n;
	return n;
}

static ssize_t rec_aio_write(struct kiocb *iocb, const struct iovec *iov,
			     unsigned long nr_segs, loff_t pos)
{
	rec.aio_calls++;
	rec.last_segs = nr_segs;
	rec.last_flags = iocb->ki_flags;
	rec.last_len = iov_length(iov, nr_segs);
	return rec.last_len;
}

static ssize_t rec_read(struct file *file, char __user *buf, size_t count,
			loff_t *pos)
{
	rec.rw_calls++;
	rec.last_len = count;
	return count;
}

static const struct file_operations rec_aio_fops = {
	.aio_read = rec_aio_read,
	.aio_write = rec_aio_write,
};

static const struct file_operations rec_read_fops = {
	.read = rec_read,
};

/* The registered driver: ->open picks the minor's operations. */
static int rec_open(struct inode *inode, struct file *file)
{
	if (iminor(inode) > 1)
		return -ENXIO;
	file->f_op = iminor(inode) ? &rec_read_fops : &rec_aio_fops;
	return 0;
}

static const struct file_operations rec_fops = {
	.open = rec_open,
};

static void test_vectored_dispatch(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	/* A user address the recording driver never dereferences. */
	char __user *ubuf = (char __user *)0x1000;
	char a[3], b[5], c[2];
	struct kvec kv[3] = { { a, 3 }, { b, 5 }, { c, 2 } };
	struct iovec uv[3] = { { ubuf, 3 }, { ubuf, 5 }, { ubuf, 2 } };
	struct file *fa, *fr;
	loff_t pos = 0;
	int major;

	major = __register_chrdev(0, 0, 2, "ktest-rec", &rec_fops);
	KT_ASSERT_GE(t, major, CHRDEV_MAJOR_DYN_START);
	KT_ASSERT_EQ(t,
		     do_mknodat(fs, NULL, "/aio", S_IFCHR | 0666,
				MKDEV(major, 0)),
		     0);
	KT_ASSERT_EQ(
		t, do_mknodat(fs, NULL, "/rd", S_IFCHR | 0666, MKDEV(major, 1)),
		0);
	fa = do_filp_open(fs, NULL, "/aio", O_RDWR, 0);
	fr = do_filp_open(fs, NULL, "/rd", O_RDONLY, 0);
	KT_ASSERT_TRUE(t, !IS_ERR(fa) && !IS_ERR(fr));
	memset(&rec, 0, sizeof(rec));
	/* read() on a file with only aio_read: one call, one segment. */
	KT_EXPECT_EQ(t, vfs_read(fa, ubuf, 7, &pos), 7);
	KT_EXPECT_EQ(t, rec.aio_calls, 1);
	KT_EXPECT_EQ(t, rec.last_segs, 1);
	/* readv: one call with all three segments. */
	KT_EXPECT_EQ(t, vfs_readv(fa, uv, 3, &pos), 10);
	KT_EXPECT_EQ(t, rec.aio_calls, 2);
	KT_EXPECT_EQ(t, rec.last_segs, 3);
	KT_EXPECT_EQ(t, vfs_writev(fa, uv, 3, &pos), 10);
	KT_EXPECT_EQ(t, rec.last_segs, 3);
	/* The kernel's own readv: kvec segments, filled in order. */
	KT_EXPECT_EQ(t, kernel_readv(fa, kv, 3, &pos), 10);
	KT_EXPECT_TRUE(t, rec.last_flags & IOCB_KVEC);
	KT_EXPECT_TRUE(t, a[0] == 'a' && b[0] == 'd' && c[1] == 'j');
	/* readv on a file with only read(): one read() per segment. */
	KT_EXPECT_EQ(t, vfs_readv(fr, uv, 3, &pos), 10);
	KT_EXPECT_EQ(t, rec.rw_calls, 3);
	KT_EXPECT_EQ(t, vfs_read(fr, ubuf, 4, &pos), 4);
	KT_EXPECT_EQ(t, rec.rw_calls, 4);
	KT_EXPECT_EQ(t, kernel_read(fr, a, 3, &pos), -EINVAL);
	KT_EXPECT_EQ(t, vfs_writev(fr, uv, 3, &pos), -EBADF);
	fput(fa);
	fput(fr);
	KT_EXPECT_EQ(t, __register_chrdev(major, 1, 4, "overlap", &rec_fops),
		     -EBUSY);
	__unregister_chrdev(major, 0, 2, "ktest-rec");
	fa = do_filp_open(fs, NULL, "/aio", O_RDWR, 0);
	KT_EXPECT_EQ(t, PTR_ERR(fa), -ENXIO);
}

static void test_rw_validation(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	struct kvec *many = kcalloc(UIO_MAXIOV + 1, sizeof(*many), GFP_KERNEL);
	char buf[4];
	struct kvec huge[2] = { { buf, 0x7ffffff0 }, { buf, 0x20 } };
	struct iovec neg = { (void __user *)0x1000, (size_t)-1 };
	struct file *f;
	loff_t pos = 0;

	KT_ASSERT_NOT_NULL(t, many);
	KT_ASSERT_EQ(t, fx_write_file(fs, "/f", 0644, "abcd", 4), 0);
	f = do_filp_open(fs, NULL, "/f", O_RDWR, 0);
	KT_ASSERT_TRUE(t, !IS_ERR(f));
	KT_EXPECT_EQ(t, kernel_readv(f, many, UIO_MAXIOV + 1, &pos), -EINVAL);
	KT_EXPECT_EQ(t, kernel_readv(f, many, UIO_MAXIOV, &pos), 0);
	KT_EXPECT_EQ(t, kernel_readv(f, huge, 2, &pos), -EINVAL);
	KT_EXPECT_EQ(t, vfs_readv(f, &neg, 1, &pos), -EINVAL);
	KT_EXPECT_EQ(t, kernel_readv(f, huge, 0, &pos), 0);
	pos = -1;
	KT_EXPECT_EQ(t, kernel_read(f, buf, 1, &pos), -EINVAL);
	KT_EXPECT_EQ(t, vfs_preadv(f, &neg, 1, -5), -EINVAL);
	/* A user pointer into kernel memory is a fault, not a copy. */
	pos = 0;
	KT_EXPECT_EQ(t, vfs_read(f, (char __force __user *)buf, 4, &pos),
		     -EFAULT);
	KT_EXPECT_EQ(t, vfs_llseek(f, 0, 42), -EINVAL);
	KT_EXPECT_EQ(t, vfs_llseek(f, -1, SEEK_SET), -EINVAL);
	KT_EXPECT_EQ(t, vfs_llseek(f, 2, SEEK_END), 6);
	KT_EXPECT_EQ(t, vfs_llseek(f, 0, SEEK_DATA), 0);
	KT_EXPECT_EQ(t, vfs_llseek(f, 0, SEEK_HOLE), 4);
	KT_EXPECT_EQ(t, vfs_llseek(f, 9, SEEK_DATA), -ENXIO);
	KT_EXPECT_EQ(t, vfs_fsync(f, 0), 0);
	KT_EXPECT_EQ(t, vfs_ioctl(f, 0x1234, 0), -ENOTTY);
	fput(f);
	kfree(many);
}

static void test_device_nodes(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	const struct cred *old;
	struct cred user;
	struct path mp;
	struct kstat st;
	struct file *f;

	/* Major 60: "local/experimental use", never registered here. */
	KT_ASSERT_EQ(
		t, do_mknodat(fs, NULL, "/c", S_IFCHR | 0600, MKDEV(60, 5)), 0);
	KT_ASSERT_EQ(t, fx_stat(fs, "/c", 0, &st), 0);
	KT_EXPECT_EQ(t, st.rdev, MKDEV(60, 5));
	KT_EXPECT_EQ(t, new_encode_dev(st.rdev), 0x3c05);
	KT_EXPECT_EQ(t, new_decode_dev(0x3c05), MKDEV(60, 5));
	KT_EXPECT_EQ(t, new_decode_dev(new_encode_dev(MKDEV(259, 70000))),
		     MKDEV(259, 70000));
	f = do_filp_open(fs, NULL, "/c", O_RDONLY, 0); /* nothing registered */
	KT_EXPECT_EQ(t, PTR_ERR(f), -ENXIO);
	KT_ASSERT_EQ(
		t, do_mknodat(fs, NULL, "/b", S_IFBLK | 0600, MKDEV(60, 0)), 0);
	f = do_filp_open(fs, NULL, "/b", O_RDONLY, 0);
	KT_EXPECT_EQ(t, PTR_ERR(f), -ENXIO);
	KT_EXPECT_EQ(t, do_mknodat(fs, NULL, "/d", S_IFDIR | 0600, 0), -EPERM);
	KT_EXPECT_EQ(t, do_mknodat(fs, NULL, "/x", 0170000, 0), -EINVAL);
	KT_EXPECT_EQ(t, do_mknodat(fs, NULL, "/r", 0644, 0), 0);
	old = fx_become(&user, 1000, 1000);
	KT_EXPECT_EQ(t, do_mknodat(fs, NULL, "/u", S_IFCHR | 0600, 0), -EPERM);
	KT_EXPECT_EQ(t, do_mknodat(fs, NULL, "/p", S_IFIFO | 0600, 0), 0);
	fx_revert(old);
	/* nodev mounts refuse to open device nodes. */
	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/m", 0755), 0);
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/m", 0, &mp), 0);
	KT_ASSERT_EQ(t, do_mount("none", &mp, "tmpfs", MS_NODEV, NULL), 0);
	KT_ASSERT_EQ(t,
		     do_mknodat(fs, NULL, "/m/c", S_IFCHR | 0600, MKDEV(1, 3)),
		     0);
	f = do_filp_open(fs, NULL, "/m/c", O_RDONLY, 0);
	KT_EXPECT_EQ(t, PTR_ERR(f), -EACCES);
	path_put(&mp);
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/m", 0, &mp), 0);
	KT_EXPECT_EQ(t, do_umount(&mp, 0), 0);
	path_put(&mp);
}

/* ---- descriptor tables -------------------------------------------------- */

static void test_fdtable(struct ktest *t)
{
	struct files_struct *files = alloc_files_struct(), *copy;
	struct fs_struct *fs = fx_fs(t);
	unsigned long open_files = nr_files();
	struct file *f;
	int fd, i;

	KT_ASSERT_NOT_NULL(t, files);
	KT_ASSERT_EQ(t, fx_write_file(fs, "/f", 0644, NULL, 0), 0);
	f = do_filp_open(fs, NULL, "/f", O_RDONLY, 0);
	KT_ASSERT_TRUE(t, !IS_ERR(f));
	for (i = 0; i < 100; i++) {
		fd = alloc_fd(files, 0, 100, i == 50 ? O_CLOEXEC : 0);
		KT_ASSERT_EQ(t, fd, i);
		fd_install(files, fd, get_file(f));
	}
	KT_EXPECT_EQ(t, alloc_fd(files, 0, 100, 0), -EMFILE);
	KT_EXPECT_EQ(t, close_fd(files, 7), 0);
	KT_EXPECT_EQ(t, close_fd(files, 7), -EBADF);
	KT_EXPECT_EQ(t, close_fd(files, 5000), -EBADF);
	KT_EXPECT_EQ(t, alloc_fd(files, 0, 200, 0), 7); /* the lowest */
	put_unused_fd(files, 7);
	KT_EXPECT_EQ(t, alloc_fd(files, 60, 200, 0), 100);
	put_unused_fd(files, 100);
	KT_EXPECT_NULL(t, fget_files(files, 7));
	KT_EXPECT_EQ(t, get_close_on_exec(files, 50), 1);
	KT_EXPECT_EQ(t, get_close_on_exec(files, 7), -EBADF);
	KT_EXPECT_EQ(t, replace_fd(files, 150, f, 200, O_CLOEXEC), 150);
	KT_EXPECT_EQ(t, replace_fd(files, 250, f, 200, 0), -EBADF);
	KT_EXPECT_EQ(t, files_count_open(files), 100);
	copy = dup_fd(files);
	KT_ASSERT_TRUE(t, !IS_ERR(copy));
	KT_EXPECT_EQ(t, files_count_open(copy), 100);
	do_close_on_exec(copy);
	KT_EXPECT_EQ(t, files_count_open(copy), 98);
	KT_EXPECT_EQ(t, atomic_read(&f->f_count), 1 + 100 + 98);
	put_files_struct(copy);
	put_files_struct(files);
	KT_EXPECT_EQ(t, atomic_read(&f->f_count), 1);
	fput(f);
	KT_EXPECT_EQ(t, nr_files(), open_files);
}

/* ---- speed (reported, not asserted) ------------------------------------- */

static void test_walk_speed(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	const int rounds = 2000;
	u64 start, stat_ns, open_ns;
	struct kstat st;
	struct file *f;
	int i;

	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/usr", 0755), 0);
	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/usr/lib", 0755), 0);
	KT_ASSERT_EQ(t, fx_write_file(fs, "/usr/lib/libc.so", 0644, NULL, 0),
		     0);
	start = ktime_get_ns();
	for (i = 0; i < rounds; i++)
		KT_ASSERT_EQ(t, fx_stat(fs, "/usr/lib/libc.so", 0, &st), 0);
	stat_ns = ktime_get_ns() - start;
	start = ktime_get_ns();
	for (i = 0; i < rounds; i++) {
		f = do_filp_open(fs, NULL, "/usr/lib/libc.so", O_RDONLY, 0);
		KT_ASSERT_TRUE(t, !IS_ERR(f));
		fput(f);
	}
	open_ns = ktime_get_ns() - start;
	printk(KERN_INFO "    # vfs: stat %lu ns, open+close %lu ns "
			 "(3 components, %d rounds)\n",
	       (unsigned long)div_u64(stat_ns, rounds),
	       (unsigned long)div_u64(open_ns, rounds), rounds);
}

static struct ktest_case vfs_cases[] = { KTEST_CASE(test_mkdir_and_lookup),
					 KTEST_CASE(test_dots),
					 KTEST_CASE(test_trailing_slash),
					 KTEST_CASE(test_name_limits),
					 KTEST_CASE(test_symlinks),
					 KTEST_CASE(test_symlink_loops),
					 KTEST_CASE(test_symlink_open),
					 KTEST_CASE(test_negative_dentries),
					 KTEST_CASE(test_open_flags),
					 KTEST_CASE(test_open_errors),
					 KTEST_CASE(test_permissions),
					 KTEST_CASE(
						 test_sticky_and_attr_rights),
					 KTEST_CASE(test_attributes),
					 KTEST_CASE(test_unlink_rmdir),
					 KTEST_CASE(test_rename),
					 KTEST_CASE(test_hard_links),
					 KTEST_CASE(test_mounts),
					 KTEST_CASE(test_bind_and_remount),
					 KTEST_CASE(test_filesystem_registry),
					 KTEST_CASE(test_readdir),
					 KTEST_CASE(test_cwd_and_chroot),
					 KTEST_CASE(test_vectored_dispatch),
					 KTEST_CASE(test_rw_validation),
					 KTEST_CASE(test_device_nodes),
					 KTEST_CASE(test_fdtable),
					 KTEST_CASE(test_walk_speed),
					 {} };

KTEST_SUITE_FULL(vfs, vfs_cases, fs_fixture_init, fs_fixture_exit);
