/*
 * ktest suite "ext2": ext2 on the disks scripts/run-tests makes with
 * mke2fs for the ext2-ktest boot (boot_ext2_ktest: hda 1 KiB blocks,
 * hdb 4 KiB, hdc 2 KiB, all made from the same tree; hdd a disk of
 * corrupted images, one per partition). The suite reads what mke2fs wrote, changes each file
 * system (files, directories, links, renames, truncation, holes), and
 * unmounts; the host then runs e2fsck -fn and debugfs on the images. The
 * corrupted images must give the errors listed in E2K_BAD, never a
 * panic or a hang.
 */
#include <kestrel/errno.h>
#include <kestrel/fs_struct.h>
#include <kestrel/ktest.h>
#include <kestrel/ktest_fs.h>
#include <kestrel/kstrtox.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <uapi/fcntl.h>

#include "../fs_test_util.h"

#define BIG_SIZE (300 * 1024) /* run-tests: E2K_BIG */
#define SPARSE_AT (5 << 20) /* E2K_SPARSE_AT */
#define GUEST_LINE "written by kestrel\n"

struct e2m {
	struct vfsmount *mnt;
	struct fs_struct *fs;
};

/* Mount the ext2 on /dev/@dev (found through a private devtmpfs). */
static int e2_mount(struct e2m *m, const char *dev, int flags, const char *opts)
{
	struct ktest_mount devfs;
	struct fs_struct *saved = current->fs;
	char data[64], name[32];
	struct path root;
	int err;

	err = ktest_mount(&devfs, "devtmpfs");
	if (err)
		return err;
	strlcpy(data, opts ? opts : "", sizeof(data));
	snprintf(name, sizeof(name), "/%s", dev);
	current->fs = devfs.fs; /* the device path is resolved there */
	m->mnt = vfs_kern_mount(get_fs_type("ext2"), flags, name, data);
	current->fs = saved;
	ktest_umount(&devfs);
	if (IS_ERR(m->mnt))
		return PTR_ERR(m->mnt);
	root.mnt = m->mnt;
	root.dentry = m->mnt->mnt_root;
	m->fs = alloc_fs_struct(&root);
	if (!m->fs) {
		mntput(m->mnt);
		return -ENOMEM;
	}
	return 0;
}

static void e2_umount(struct e2m *m)
{
	put_fs_struct(m->fs);
	mntput(m->mnt);
}

static int e2_stat(struct e2m *m, const char *name, bool follow,
		   struct kstat *st)
{
	return fx_stat(m->fs, name, follow ? LOOKUP_FOLLOW : 0, st);
}

struct count_ctx {
	struct dir_context ctx;
	int n;
};

static bool count_actor(struct dir_context *ctx, const char *name, int len,
			loff_t off, u64 ino, unsigned int type)
{
	container_of(ctx, struct count_ctx, ctx)->n++;
	return true;
}

/* Entries of directory @name (with . and ..), or -errno. */
static int e2_count(struct e2m *m, const char *name)
{
	struct file *file =
		do_filp_open(m->fs, NULL, name, O_RDONLY | O_DIRECTORY, 0);
	struct count_ctx cc = { .ctx.actor = count_actor };
	int err;

	if (IS_ERR(file))
		return PTR_ERR(file);
	err = iterate_dir(file, &cc.ctx);
	fput(file);
	return err ? err : cc.n;
}

static int e2_readlink(struct e2m *m, const char *name, char *buf, int len)
{
	struct path p;
	int n;

	n = vfs_path_lookup(m->fs, NULL, name, 0, &p);
	if (n)
		return n;
	n = vfs_readlink(p.dentry, buf, len - 1);
	path_put(&p);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

static int e2_truncate(struct e2m *m, const char *name, loff_t len)
{
	struct path p;
	int err = vfs_path_lookup(m->fs, NULL, name, LOOKUP_FOLLOW, &p);

	if (err)
		return err;
	err = vfs_truncate(&p, len);
	path_put(&p);
	return err;
}

static int e2_statfs(struct e2m *m, struct kstatfs *buf)
{
	struct path p = { m->mnt, m->mnt->mnt_root };

	return vfs_statfs(&p, buf);
}

/* Every 4-byte word of @buf holds its own file offset (from @pos). */
static bool pattern_ok(const u32 *buf, size_t len, loff_t pos)
{
	size_t i;

	for (i = 0; i < len / 4; i++)
		if (buf[i] != (u32)(pos + i * 4))
			return false;
	return true;
}

static void pattern_fill(u32 *buf, size_t len, loff_t pos)
{
	size_t i;

	for (i = 0; i < len / 4; i++)
		buf[i] = (u32)(pos + i * 4);
}

/* ---- what mke2fs wrote -------------------------------------------------- */

static void check_tree(struct ktest *t, const char *dev)
{
	char buf[128], want[128];
	struct kstatfs sfs;
	struct kstat st, st2;
	struct e2m m;
	u32 *big;

	KT_ASSERT_EQ(t, e2_mount(&m, dev, SB_RDONLY, NULL), 0);
	KT_EXPECT_EQ(t, fx_read_file(m.fs, "/small.txt", buf, sizeof(buf)), 11);
	KT_EXPECT_EQ(t, memcmp(buf, "hello ext2\n", 11), 0);
	big = kmalloc(BIG_SIZE + 4096, GFP_KERNEL);
	KT_ASSERT_NOT_NULL(t, big);
	KT_EXPECT_EQ(t, fx_read_file(m.fs, "/big.bin", big, BIG_SIZE + 4096),
		     BIG_SIZE);
	KT_EXPECT_TRUE(t, pattern_ok(big, BIG_SIZE, 0));
	KT_EXPECT_EQ(t, e2_stat(&m, "/sparse", true, &st), 0);
	KT_EXPECT_EQ(t, st.size, SPARSE_AT + 1);
	KT_EXPECT_LT(t, st.blocks, 64); /* the hole costs nothing */
	KT_EXPECT_EQ(t, fx_read_file(m.fs, "/sparse", big, 8192), 8192);
	KT_EXPECT_EQ(t, big[0] | big[1000] | big[2047], 0);
	kfree(big);
	KT_EXPECT_EQ(t, e2_readlink(&m, "/fast", buf, sizeof(buf)), 9);
	KT_EXPECT_EQ(t, strcmp(buf, "small.txt"), 0);
	memset(want, 'x', 90);
	memcpy(want, "target/", 7);
	memset(want + 7, 'x', 90);
	want[97] = '\0';
	KT_EXPECT_EQ(t, e2_readlink(&m, "/slow", buf, sizeof(buf)), 97);
	KT_EXPECT_EQ(t, strcmp(buf, want), 0);
	KT_EXPECT_EQ(t, fx_read_file(m.fs, "/fast", buf, sizeof(buf)), 11);
	KT_EXPECT_EQ(t, e2_stat(&m, "/hard", false, &st), 0);
	KT_EXPECT_EQ(t, e2_stat(&m, "/small.txt", false, &st2), 0);
	KT_EXPECT_EQ(t, st.ino, st2.ino);
	KT_EXPECT_EQ(t, st.nlink, 2);
	KT_EXPECT_EQ(
		t, fx_read_file(m.fs, "/sub/deeper/leaf", buf, sizeof(buf)), 5);
	KT_EXPECT_EQ(t, e2_count(&m, "/many"), 302);
	KT_EXPECT_EQ(t, e2_statfs(&m, &sfs), 0);
	KT_EXPECT_GT(t, sfs.f_blocks, 0);
	KT_EXPECT_LT(t, sfs.f_bfree, sfs.f_blocks);
	KT_EXPECT_EQ(t, sfs.f_type, 0xEF53);
	KT_EXPECT_EQ(t, fx_write_file(m.fs, "/new", 0644, "x", 1), -EROFS);
	e2_umount(&m);
}

static void test_read_1k(struct ktest *t)
{
	check_tree(t, "hda");
}

static void test_read_4k(struct ktest *t)
{
	check_tree(t, "hdb");
}

static void test_read_2k(struct ktest *t)
{
	check_tree(t, "hdc");
}

/* ---- changing the file systems ------------------------------------------ */

static int write_at(struct e2m *m, const char *name, const void *buf,
		    size_t len, loff_t pos, int flags)
{
	struct file *file = do_filp_open(m->fs, NULL, name,
					 O_WRONLY | O_CREAT | flags, 0644);
	ssize_t n;

	if (IS_ERR(file))
		return PTR_ERR(file);
	n = kernel_write(file, buf, len, &pos);
	fput(file);
	return n < 0 ? (int)n : n == (ssize_t)len ? 0 : -EIO;
}

static void files_and_links(struct ktest *t, struct e2m *m)
{
	char *text = kmalloc(sizeof(GUEST_LINE) * 200, GFP_KERNEL);
	char buf[128];
	struct kstat st;
	int i;

	KT_ASSERT_NOT_NULL(t, text);
	for (i = 0; i < 200; i++)
		memcpy(text + i * (sizeof(GUEST_LINE) - 1), GUEST_LINE,
		       sizeof(GUEST_LINE) - 1);
	KT_EXPECT_EQ(t, do_mkdirat(m->fs, NULL, "/work", 0755), 0);
	KT_EXPECT_EQ(t, do_mkdirat(m->fs, NULL, "/work/d1", 0755), 0);
	KT_EXPECT_EQ(t, do_mkdirat(m->fs, NULL, "/work/d2", 0755), 0);
	KT_EXPECT_EQ(t, do_mkdirat(m->fs, NULL, "/work", 0755), -EEXIST);
	KT_EXPECT_EQ(t,
		     fx_write_file(m->fs, "/work/d1/file", 0644, text,
				   (sizeof(GUEST_LINE) - 1) * 200),
		     0);
	kfree(text);
	KT_EXPECT_EQ(t,
		     do_renameat2(m->fs, NULL, "/work/d1/file", NULL,
				  "/work/d2/renamed", 0),
		     0);
	KT_EXPECT_EQ(t,
		     do_linkat(m->fs, NULL, "/work/d2/renamed", NULL,
			       "/work/hl", 0),
		     0);
	KT_EXPECT_EQ(t, e2_stat(m, "/work/hl", false, &st), 0);
	KT_EXPECT_EQ(t, st.nlink, 2);
	KT_EXPECT_EQ(t, do_unlinkat(m->fs, NULL, "/work/hl"), 0);
	KT_EXPECT_EQ(t, do_symlinkat(m->fs, "d2/renamed", NULL, "/work/fast"),
		     0);
	KT_EXPECT_EQ(t,
		     do_symlinkat(m->fs,
				  "d2/../d2/../d2/../d2/../d2/../d2/../d2/"
				  "../d2/../d2/../d2/renamed",
				  NULL, "/work/slow"),
		     0);
	KT_EXPECT_EQ(t, fx_read_file(m->fs, "/work/slow", buf, 19), 19);
	KT_EXPECT_EQ(t, memcmp(buf, GUEST_LINE, 19), 0);
	KT_EXPECT_EQ(t, fx_read_file(m->fs, "/work/fast", buf, 19), 19);
	KT_EXPECT_EQ(
		t, do_mknodat(m->fs, NULL, "/work/fifo", S_IFIFO | 0600, 0), 0);
	KT_EXPECT_EQ(t,
		     do_mknodat(m->fs, NULL, "/work/null", S_IFCHR | 0666,
				MKDEV(1, 3)),
		     0);
	KT_EXPECT_EQ(t,
		     do_mknodat(m->fs, NULL, "/work/bigdev", S_IFBLK | 0600,
				MKDEV(300, 70000)),
		     0);
	KT_EXPECT_EQ(t, e2_stat(m, "/work/bigdev", false, &st), 0);
	KT_EXPECT_EQ(t, st.rdev, MKDEV(300, 70000));
}

static void big_and_sparse(struct ktest *t, struct e2m *m)
{
	size_t len = 400 * 1024;
	u32 *buf = kmalloc(len, GFP_KERNEL);
	struct kstat st;

	KT_ASSERT_NOT_NULL(t, buf);
	pattern_fill(buf, len, 0);
	KT_EXPECT_EQ(t, write_at(m, "/work/big2", buf, len, 0, 0), 0);
	memset(buf, 0, len);
	KT_EXPECT_EQ(t, fx_read_file(m->fs, "/work/big2", buf, len), (long)len);
	KT_EXPECT_TRUE(t, pattern_ok(buf, len, 0));
	KT_EXPECT_EQ(t, e2_truncate(m, "/work/big2", 100001), 0);
	KT_EXPECT_EQ(t, e2_stat(m, "/work/big2", false, &st), 0);
	KT_EXPECT_EQ(t, st.size, 100001);
	KT_EXPECT_EQ(t, fx_read_file(m->fs, "/work/big2", buf, len), 100001);
	KT_EXPECT_TRUE(t, pattern_ok(buf, 100000, 0));
	/* grown again: the truncated tail must read as zeroes */
	KT_EXPECT_EQ(t, e2_truncate(m, "/work/big2", 200000), 0);
	KT_EXPECT_EQ(t, fx_read_file(m->fs, "/work/big2", buf, len), 200000);
	KT_EXPECT_EQ(t, ((u8 *)buf)[100001] | ((u8 *)buf)[150000], 0);
	/* a hole, then data past it */
	pattern_fill(buf, 4096, 3 << 20);
	KT_EXPECT_EQ(t, write_at(m, "/work/sp", buf, 4096, 3 << 20, 0), 0);
	KT_EXPECT_EQ(t, fx_read_file(m->fs, "/work/sp", buf, len), (long)len);
	KT_EXPECT_EQ(t, buf[0] | buf[len / 4 - 1], 0);
	KT_EXPECT_EQ(t, e2_stat(m, "/work/sp", false, &st), 0);
	KT_EXPECT_EQ(t, st.size, (3 << 20) + 4096);
	KT_EXPECT_LT(t, st.blocks, 64);
	/* append */
	pattern_fill(buf, 4096, 0);
	KT_EXPECT_EQ(t, write_at(m, "/small.txt", "more\n", 5, 0, O_APPEND), 0);
	KT_EXPECT_EQ(t, fx_read_file(m->fs, "/hard", buf, 64), 16);
	KT_EXPECT_EQ(t, memcmp(buf, "hello ext2\nmore\n", 16), 0);
	kfree(buf);
}

static void directories(struct ktest *t, struct e2m *m)
{
	char name[32];
	int i;

	KT_EXPECT_EQ(t, do_mkdirat(m->fs, NULL, "/work/dirA", 0755), 0);
	KT_EXPECT_EQ(t, do_mkdirat(m->fs, NULL, "/work/dirA/sub", 0755), 0);
	KT_EXPECT_EQ(t,
		     do_renameat2(m->fs, NULL, "/work/dirA", NULL,
				  "/work/d2/dirA", 0),
		     0);
	KT_EXPECT_EQ(
		t, fx_write_file(m->fs, "/work/d2/dirA/sub/../f", 0644, "f", 1),
		0);
	KT_EXPECT_EQ(t, do_rmdir(m->fs, NULL, "/work/d2/dirA"), -ENOTEMPTY);
	KT_EXPECT_EQ(t, do_mkdirat(m->fs, NULL, "/work/m", 0755), 0);
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "/work/m/entry-%d", i);
		KT_EXPECT_EQ(t, fx_write_file(m->fs, name, 0644, NULL, 0), 0);
	}
	for (i = 0; i < 200; i += 2) {
		snprintf(name, sizeof(name), "/work/m/entry-%d", i);
		KT_EXPECT_EQ(t, do_unlinkat(m->fs, NULL, name), 0);
	}
	KT_EXPECT_EQ(t, e2_count(m, "/work/m"), 102);
	for (i = 1; i < 200; i += 2) {
		snprintf(name, sizeof(name), "/work/m/entry-%d", i);
		KT_EXPECT_EQ(t, do_unlinkat(m->fs, NULL, name), 0);
	}
	KT_EXPECT_EQ(t, do_rmdir(m->fs, NULL, "/work/m"), 0);
	for (i = 0; i < 100; i++) { /* mke2fs's directory, coalesced */
		snprintf(name, sizeof(name), "/many/f%03d", i);
		KT_EXPECT_EQ(t, do_unlinkat(m->fs, NULL, name), 0);
	}
	KT_EXPECT_EQ(t, e2_count(m, "/many"), 202);
	/* over an existing name: a file, then an empty directory */
	KT_EXPECT_EQ(t, fx_write_file(m->fs, "/work/x", 0644, "x", 1), 0);
	KT_EXPECT_EQ(
		t, do_renameat2(m->fs, NULL, "/small.txt", NULL, "/work/x", 0),
		0);
	KT_EXPECT_EQ(t, do_mkdirat(m->fs, NULL, "/work/e1", 0755), 0);
	KT_EXPECT_EQ(t, do_mkdirat(m->fs, NULL, "/work/e2", 0755), 0);
	KT_EXPECT_EQ(t,
		     do_renameat2(m->fs, NULL, "/work/e1", NULL, "/work/e2", 0),
		     0);
	KT_EXPECT_EQ(
		t, do_renameat2(m->fs, NULL, "/sub", NULL, "/sub/deeper/in", 0),
		-EINVAL);
}

static void workload(struct ktest *t, const char *dev)
{
	struct e2m m;
	struct path root;

	KT_ASSERT_EQ(t, e2_mount(&m, dev, 0, "errors=remount-ro"), 0);
	files_and_links(t, &m);
	big_and_sparse(t, &m);
	directories(t, &m);
	/* remount read-only: everything is written, writes are refused */
	root.mnt = m.mnt;
	root.dentry = m.mnt->mnt_root;
	KT_EXPECT_EQ(t,
		     do_mount(NULL, &root, NULL, MS_REMOUNT | MS_RDONLY, NULL),
		     0);
	KT_EXPECT_EQ(t, fx_write_file(m.fs, "/work/late", 0644, "x", 1),
		     -EROFS);
	e2_umount(&m);
}

static void test_write_1k(struct ktest *t)
{
	workload(t, "hda");
}

static void test_write_4k(struct ktest *t)
{
	workload(t, "hdb");
}

static void test_write_2k(struct ktest *t)
{
	workload(t, "hdc");
}

/* ---- mount rules -------------------------------------------------------- */

static void test_mount_rules(struct ktest *t)
{
	struct e2m a, b;

	KT_ASSERT_EQ(t, e2_mount(&a, "hda", 0, NULL), 0);
	KT_EXPECT_EQ(t, e2_mount(&b, "hda", 0, NULL), 0); /* shared */
	KT_EXPECT_TRUE(t, b.mnt->mnt_sb == a.mnt->mnt_sb);
	e2_umount(&b);
	KT_EXPECT_EQ(t, e2_mount(&b, "hda", SB_RDONLY, NULL), -EBUSY);
	e2_umount(&a);
	KT_EXPECT_EQ(t, e2_mount(&b, "null", 0, NULL), -ENOTBLK);
	KT_EXPECT_EQ(t, e2_mount(&b, "nosuchdisk", 0, NULL), -ENOENT);
	KT_EXPECT_EQ(t, e2_mount(&b, "hda", 0, "errors=sometimes"), -EINVAL);
	KT_EXPECT_EQ(t, e2_mount(&b, "hda", 0, "bogus"), -EINVAL);
}

/* ---- corrupted images (run-tests: E2K_BAD) ----------------------------- */

static void test_refused(struct ktest *t)
{
	struct e2m m;

	KT_EXPECT_EQ(t, e2_mount(&m, "hdd1", 0, NULL), -EINVAL); /* magic */
	KT_EXPECT_EQ(t, e2_mount(&m, "hdd2", 0, NULL), -EINVAL); /* gd */
	KT_EXPECT_EQ(t, e2_mount(&m, "hdd3", 0, NULL), -EINVAL); /* extent */
	KT_EXPECT_EQ(t, e2_mount(&m, "hdd11", 0, NULL), -EINVAL); /* counts */
}

static void test_bad_dirents(struct ktest *t)
{
	struct kstat st;
	struct e2m m;

	KT_ASSERT_EQ(t, e2_mount(&m, "hdd5", 0, NULL), 0); /* rec_len 0 */
	KT_EXPECT_EQ(t, e2_count(&m, "/"), -EIO);
	KT_EXPECT_EQ(t, e2_stat(&m, "/small.txt", false, &st), -EIO);
	KT_EXPECT_EQ(t, fx_write_file(m.fs, "/new", 0644, "x", 1), -EIO);
	e2_umount(&m);
	KT_ASSERT_EQ(t, e2_mount(&m, "hdd13", 0, NULL), 0); /* past block */
	KT_EXPECT_EQ(t, e2_count(&m, "/"), -EIO);
	e2_umount(&m);
}

static void test_bad_inodes(struct ktest *t)
{
	char buf[16];
	struct kstat st;
	struct e2m m;

	KT_ASSERT_EQ(t, e2_mount(&m, "hdd7", 0, NULL), 0); /* block pointer */
	KT_EXPECT_EQ(t, fx_read_file(m.fs, "/small.txt", buf, sizeof(buf)),
		     -EIO);
	e2_umount(&m);
	KT_ASSERT_EQ(t, e2_mount(&m, "hdd8", 0, NULL), 0); /* loop */
	KT_EXPECT_EQ(t, e2_stat(&m, "/sub/deeper/up", false, &st), -EUCLEAN);
	KT_EXPECT_EQ(t, e2_stat(&m, "/sub", false, &st), 0);
	e2_umount(&m);
	KT_ASSERT_EQ(t, e2_mount(&m, "hdd14", 0, NULL), 0); /* deleted inode */
	KT_EXPECT_EQ(t, e2_stat(&m, "/small.txt", false, &st), -EUCLEAN);
	e2_umount(&m);
}

static void test_bad_counts(struct ktest *t)
{
	struct file *file;
	struct kstatfs sfs;
	struct e2m m;
	char *buf;
	int err;

	KT_ASSERT_EQ(t, e2_mount(&m, "hdd9", 0, NULL), 0); /* bitmap */
	buf = kzalloc(8192, GFP_KERNEL);
	KT_ASSERT_NOT_NULL(t, buf);
	err = fx_write_file(m.fs, "/new", 0644, buf, 8192);
	KT_EXPECT_TRUE(t, err == -EIO || err == -ENOSPC);
	kfree(buf);
	e2_umount(&m);
	KT_ASSERT_EQ(t, e2_mount(&m, "hdd10", 0, NULL), 0); /* nlink low */
	file = do_filp_open(m.fs, NULL, "/small.txt", O_RDONLY, 0);
	KT_ASSERT_TRUE(t, !IS_ERR(file));
	KT_EXPECT_EQ(t, do_unlinkat(m.fs, NULL, "/small.txt"), 0);
	KT_EXPECT_EQ(t, do_unlinkat(m.fs, NULL, "/hard"), 0);
	fput(file);
	e2_umount(&m);
	KT_ASSERT_EQ(t, e2_mount(&m, "hdd12", 0, NULL), 0); /* sb counts */
	KT_EXPECT_EQ(t, e2_statfs(&m, &sfs), 0);
	KT_EXPECT_LT(t, sfs.f_ffree, 128);
	KT_EXPECT_LT(t, sfs.f_bfree, 1024);
	e2_umount(&m);
	KT_ASSERT_EQ(t, e2_mount(&m, "hdd6", 0, NULL), 0); /* ro_compat */
	KT_EXPECT_EQ(t, fx_write_file(m.fs, "/new", 0644, "x", 1), -EROFS);
	e2_umount(&m);
}

static struct ktest_case ext2_cases[] = {
	KTEST_CASE(test_read_1k),     KTEST_CASE(test_read_4k),
	KTEST_CASE(test_read_2k),     KTEST_CASE(test_mount_rules),
	KTEST_CASE(test_write_1k),    KTEST_CASE(test_write_4k),
	KTEST_CASE(test_write_2k),    KTEST_CASE(test_refused),
	KTEST_CASE(test_bad_dirents), KTEST_CASE(test_bad_inodes),
	KTEST_CASE(test_bad_counts),  {}
};
/* Its disks come from the ext2-ktest boot: a bare "ktest" leaves it out. */
KTEST_SUITE_EXPLICIT(ext2, ext2_cases);
