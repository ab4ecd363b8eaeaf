/*
 * ktest suite "tmpfs": page-backed files (across page boundaries, sparse,
 * truncated), the size= and nr_inodes= limits, mount options, the set-id
 * bits a write clears, memory returned on unlink, and throughput.
 */
#include <kestrel/errno.h>
#include <kestrel/kstrtox.h>
#include <kestrel/math64.h>
#include <kestrel/printk.h>
#include <kestrel/mm.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/time.h>
#include <kestrel/vmalloc.h>

#include "../fs_test_util.h"
#include "internal.h"

static struct file *open_rw(struct ktest *t, const char *name, int flags)
{
	struct file *f = do_filp_open(fx_fs(t), NULL, name,
				      O_RDWR | O_CREAT | flags, 0644);

	KT_ASSERT_TRUE(t, !IS_ERR(f));
	return f;
}

static void test_pages_roundtrip(struct ktest *t)
{
	const size_t len = 3 * PAGE_SIZE + 123;
	unsigned char *w = kmalloc(len, GFP_KERNEL),
		      *r = kmalloc(len, GFP_KERNEL);
	struct kvec kv[3];
	struct file *f;
	loff_t pos = 0;
	size_t i;

	KT_ASSERT_TRUE(t, w && r);
	for (i = 0; i < len; i++)
		w[i] = i * 7 + (i >> 12);
	f = open_rw(t, "/f", 0);
	/* Unaligned segments that straddle pages. */
	kv[0] = (struct kvec){ w, 1000 };
	kv[1] = (struct kvec){ w + 1000, 5000 };
	kv[2] = (struct kvec){ w + 6000, len - 6000 };
	KT_EXPECT_EQ(t, kernel_writev(f, kv, 3, &pos), len);
	KT_EXPECT_EQ(t, file_inode(f)->i_size, len);
	KT_EXPECT_EQ(t, file_inode(f)->i_blocks, 4 * (PAGE_SIZE / 512));
	pos = 4090;
	KT_EXPECT_EQ(t, kernel_read(f, r, 100, &pos), 100);
	KT_EXPECT_EQ(t, memcmp(r, w + 4090, 100), 0);
	pos = 0;
	memset(r, 0, len);
	KT_EXPECT_EQ(t, kernel_read(f, r, len + 50, &pos), len);
	KT_EXPECT_EQ(t, memcmp(r, w, len), 0);
	KT_EXPECT_EQ(t, kernel_read(f, r, 10, &pos), 0); /* EOF */
	fput(f);
	kfree(w);
	kfree(r);
}

static void test_sparse(struct ktest *t)
{
	struct kstatfs before, after;
	struct fs_fixture *fx = ktest_priv(t);
	unsigned char buf[64];
	struct file *f = open_rw(t, "/sparse", 0);
	loff_t pos = 10 << 20;
	size_t i;

	KT_ASSERT_EQ(t, vfs_statfs(&fx->root, &before), 0);
	KT_EXPECT_EQ(t, kernel_write(f, "!", 1, &pos), 1);
	KT_EXPECT_EQ(t, file_inode(f)->i_size, (10 << 20) + 1);
	KT_EXPECT_EQ(t, file_inode(f)->i_blocks, PAGE_SIZE / 512);
	KT_ASSERT_EQ(t, vfs_statfs(&fx->root, &after), 0);
	KT_EXPECT_EQ(t, before.f_bfree - after.f_bfree, 1);
	pos = (5 << 20) - 32;
	memset(buf, 0xff, sizeof(buf));
	KT_EXPECT_EQ(t, kernel_read(f, buf, sizeof(buf), &pos), sizeof(buf));
	for (i = 0; i < sizeof(buf); i++)
		KT_EXPECT_EQ(t, buf[i], 0);
	pos = (10 << 20) - 1;
	KT_EXPECT_EQ(t, kernel_read(f, buf, 4, &pos), 2);
	KT_EXPECT_TRUE(t, buf[0] == 0 && buf[1] == '!');
	/* Reading the hole allocated nothing. */
	KT_EXPECT_EQ(t, file_inode(f)->i_blocks, PAGE_SIZE / 512);
	fput(f);
}

static void test_truncate(struct ktest *t)
{
	struct fs_fixture *fx = ktest_priv(t);
	unsigned char buf[PAGE_SIZE];
	struct kstatfs sfs0, sfs;
	struct file *f;
	loff_t pos = 0;
	size_t i;

	KT_ASSERT_EQ(t, vfs_statfs(&fx->root, &sfs0), 0);
	f = open_rw(t, "/t", 0);
	memset(buf, 'x', sizeof(buf));
	for (i = 0; i < 8; i++)
		KT_ASSERT_EQ(t, kernel_write(f, buf, PAGE_SIZE, &pos),
			     PAGE_SIZE);
	KT_EXPECT_EQ(t, vfs_ftruncate(f, PAGE_SIZE + 10), 0);
	KT_ASSERT_EQ(t, vfs_statfs(&fx->root, &sfs), 0);
	KT_EXPECT_EQ(t, sfs0.f_bfree - sfs.f_bfree, 2);
	/* Growing again exposes zeros, not the old bytes. */
	KT_EXPECT_EQ(t, vfs_ftruncate(f, 3 * PAGE_SIZE), 0);
	pos = PAGE_SIZE;
	KT_EXPECT_EQ(t, kernel_read(f, buf, PAGE_SIZE, &pos), PAGE_SIZE);
	KT_EXPECT_TRUE(t, buf[9] == 'x' && buf[10] == 0 &&
				  buf[PAGE_SIZE - 1] == 0);
	KT_EXPECT_EQ(t, vfs_ftruncate(f, 0), 0);
	KT_EXPECT_EQ(t, file_inode(f)->i_blocks, 0);
	KT_EXPECT_EQ(t, file_inode(f)->i_mapping->nrpages, 0);
	KT_ASSERT_EQ(t, vfs_statfs(&fx->root, &sfs), 0);
	KT_EXPECT_EQ(t, sfs.f_bfree, sfs0.f_bfree);
	KT_EXPECT_EQ(t, vfs_ftruncate(f, TMPFS_MAX_BYTES + 1), -EFBIG);
	pos = TMPFS_MAX_BYTES;
	KT_EXPECT_EQ(t, kernel_write(f, "x", 1, &pos), -EFBIG);
	fput(f);
}

/* A private mount with @options, for the limit tests. */
static struct vfsmount *mount_with(struct ktest *t, const char *options,
				   struct fs_struct **fs)
{
	struct vfsmount *mnt =
		vfs_kern_mount(get_fs_type("tmpfs"), 0, "lim", (void *)options);
	struct path root;

	KT_ASSERT_TRUE(t, !IS_ERR(mnt));
	root.mnt = mnt;
	root.dentry = mnt->mnt_root;
	*fs = alloc_fs_struct(&root);
	KT_ASSERT_NOT_NULL(t, *fs);
	return mnt;
}

static void test_size_limit(struct ktest *t)
{
	static char buf[100 << 10];
	struct fs_struct *fs;
	struct vfsmount *mnt = mount_with(t, "size=64k,nr_inodes=3", &fs);
	struct file *f;
	loff_t pos = 0;

	f = do_filp_open(fs, NULL, "/big", O_RDWR | O_CREAT, 0644);
	KT_ASSERT_TRUE(t, !IS_ERR(f));
	KT_EXPECT_EQ(t, kernel_write(f, buf, sizeof(buf), &pos), 64 << 10);
	KT_EXPECT_EQ(t, kernel_write(f, buf, 1, &pos), -ENOSPC);
	/* Overwriting pages it has needs no new ones. */
	pos = 0;
	KT_EXPECT_EQ(t, kernel_write(f, buf, 4096, &pos), 4096);
	fput(f);
	KT_EXPECT_EQ(t, fx_write_file(fs, "/two", 0644, NULL, 0), 0);
	KT_EXPECT_EQ(t, fx_write_file(fs, "/three", 0644, NULL, 0), -ENOSPC);
	KT_EXPECT_EQ(t, do_mkdirat(fs, NULL, "/d", 0755), -ENOSPC);
	KT_EXPECT_EQ(t, do_unlinkat(fs, NULL, "/big"), 0);
	KT_EXPECT_EQ(t, fx_write_file(fs, "/three", 0644, buf, 8192), 0);
	put_fs_struct(fs);
	mntput(mnt);
}

static void test_mount_options(struct ktest *t)
{
	static char data[2 * PAGE_SIZE];
	char small[] = "size=4k", big[] = "size=4m", bad[] = "uid";
	struct path mp = { .mnt = NULL };
	unsigned long flags = 0;
	struct super_block *sb;
	struct fs_struct *fs;
	struct vfsmount *mnt;
	struct kstatfs sfs;
	struct kstat st;
	char opts[80];

	mnt = vfs_kern_mount(get_fs_type("tmpfs"), 0, "x", (void *)"size=");
	KT_EXPECT_EQ(t, PTR_ERR(mnt), -EINVAL);
	mnt = vfs_kern_mount(get_fs_type("tmpfs"), 0, "x", (void *)"mode=9");
	KT_EXPECT_EQ(t, PTR_ERR(mnt), -EINVAL);
	mnt = vfs_kern_mount(get_fs_type("tmpfs"), 0, "x", (void *)"size=1x");
	KT_EXPECT_EQ(t, PTR_ERR(mnt), -EINVAL);
	mnt = mount_with(t, "size=2m,mode=0700,uid=5,gid=6,nr_inodes=10", &fs);
	KT_ASSERT_EQ(t, fx_stat(fs, "/", 0, &st), 0);
	KT_EXPECT_EQ(t, st.mode, S_IFDIR | 0700);
	KT_EXPECT_TRUE(t, st.uid == 5 && st.gid == 6);
	mp.mnt = mnt;
	mp.dentry = mnt->mnt_root;
	sb = mnt->mnt_sb;
	KT_EXPECT_EQ(t, vfs_statfs(&mp, &sfs), 0);
	KT_EXPECT_EQ(t, sfs.f_type, 0x01021994);
	KT_EXPECT_EQ(t, sfs.f_blocks, 512);
	KT_EXPECT_EQ(t, sfs.f_files, 10);
	KT_EXPECT_EQ(t, sfs.f_ffree, 9);
	sb->s_op->show_options(opts, sizeof(opts), sb);
	KT_EXPECT_EQ(t, strcmp(opts, ",size=2048k,nr_inodes=10,mode=700"), 0);
	KT_EXPECT_EQ(t, fx_write_file(fs, "/f", 0644, data, sizeof(data)), 0);
	KT_EXPECT_EQ(t, sb->s_op->remount_fs(sb, &flags, big), 0);
	KT_EXPECT_EQ(t, vfs_statfs(&mp, &sfs), 0);
	KT_EXPECT_EQ(t, sfs.f_blocks, 1024);
	/* Less room than the two pages in use. */
	KT_EXPECT_EQ(t, sb->s_op->remount_fs(sb, &flags, small), -EINVAL);
	KT_EXPECT_EQ(t, sb->s_op->remount_fs(sb, &flags, bad), -EINVAL);
	put_fs_struct(fs);
	mntput(mnt);
}

static void test_append_and_seek(struct ktest *t)
{
	struct file *f = open_rw(t, "/log", O_APPEND);
	char buf[8];
	loff_t pos = 0;

	KT_EXPECT_EQ(t, kernel_write(f, "ab", 2, &pos), 2);
	pos = 0;
	KT_EXPECT_EQ(t, kernel_write(f, "cd", 2, &pos), 2);
	KT_EXPECT_EQ(t, pos, 4);
	KT_EXPECT_EQ(t, vfs_llseek(f, -1, SEEK_END), 3);
	KT_EXPECT_EQ(t, vfs_llseek(f, -1, SEEK_CUR), 2);
	KT_EXPECT_EQ(t, kernel_read(f, buf, 8, &f->f_pos), 2);
	KT_EXPECT_EQ(t, memcmp(buf, "cd", 2), 0);
	KT_EXPECT_EQ(t, vfs_llseek(f, -10, SEEK_CUR), -EINVAL);
	KT_EXPECT_EQ(t, f->f_pos, 4);
	fput(f);
}

static void test_write_clears_setid(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	const struct cred *old;
	struct cred user;
	struct kstat st;
	struct path p;

	KT_ASSERT_EQ(t, fx_write_file(fs, "/suid", 0644, NULL, 0), 0);
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/suid", 0, &p), 0);
	KT_ASSERT_EQ(t, vfs_chmod(&p, 06777), 0);
	path_put(&p);
	old = fx_become(&user, 1000, 1000);
	KT_EXPECT_EQ(t, fx_write_file(fs, "/suid", 0, "x", 1), 0);
	fx_revert(old);
	KT_ASSERT_EQ(t, fx_stat(fs, "/suid", 0, &st), 0);
	KT_EXPECT_EQ(t, st.mode, S_IFREG | 0777);
}

static void test_no_page_leak(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	static char buf[64 << 10];
	unsigned long before = nr_free_pages();
	int i;

	for (i = 0; i < 16; i++) {
		char name[16];

		snprintf(name, sizeof(name), "/f%d", i);
		KT_ASSERT_EQ(t, fx_write_file(fs, name, 0644, buf, sizeof(buf)),
			     0);
	}
	KT_EXPECT_LE(t, nr_free_pages() + 16 * 16, before);
	for (i = 0; i < 16; i++) {
		char name[16];

		snprintf(name, sizeof(name), "/f%d", i);
		KT_EXPECT_EQ(t, do_unlinkat(fs, NULL, name), 0);
	}
	/* Every data page is back; slabs may keep a few for themselves. */
	KT_EXPECT_GE(t, nr_free_pages() + 8, before);
}

/* Report MB/s for @bytes in @ns. */
static unsigned long mb_per_s(unsigned long bytes, u64 ns)
{
	u64 us = div_u64(ns, 1000);

	return us ? (unsigned long)div_u64(bytes, us) : 0;
}

static void test_throughput(struct ktest *t)
{
	const unsigned long size = 16 << 20, chunk = 1 << 20;
	char *buf = vmalloc(chunk);
	u64 start, write_ns, read_ns;
	struct file *f;
	unsigned long i;
	loff_t pos = 0;

	KT_ASSERT_NOT_NULL(t, buf);
	memset(buf, 0x5a, chunk);
	f = open_rw(t, "/big", 0);
	/*
	 * Warm-up: under QEMU the first touches of a guest page cost host
	 * page faults and translation work, no cost of tmpfs. Fill and
	 * free the file twice, then measure on pages the host has backed.
	 */
	for (i = 0; i < 2 * size / chunk; i++) {
		KT_ASSERT_EQ(t, kernel_write(f, buf, chunk, &pos), chunk);
		if (pos == size) {
			KT_ASSERT_EQ(t, vfs_ftruncate(f, 0), 0);
			pos = 0;
		}
	}
	start = ktime_get_ns();
	for (i = 0; i < size / chunk; i++)
		KT_ASSERT_EQ(t, kernel_write(f, buf, chunk, &pos), chunk);
	write_ns = ktime_get_ns() - start;
	pos = 0;
	start = ktime_get_ns();
	for (i = 0; i < size / chunk; i++)
		KT_ASSERT_EQ(t, kernel_read(f, buf, chunk, &pos), chunk);
	read_ns = ktime_get_ns() - start;
	KT_EXPECT_EQ(t, buf[chunk - 1], 0x5a);
	printk(KERN_INFO "    # tmpfs: 16 MiB write %lu MB/s, read %lu MB/s\n",
	       mb_per_s(size, write_ns), mb_per_s(size, read_ns));
	fput(f);
	vfree(buf);
}

static struct ktest_case tmpfs_cases[] = {
	KTEST_CASE(test_pages_roundtrip),    KTEST_CASE(test_sparse),
	KTEST_CASE(test_truncate),	     KTEST_CASE(test_size_limit),
	KTEST_CASE(test_mount_options),	     KTEST_CASE(test_append_and_seek),
	KTEST_CASE(test_write_clears_setid), KTEST_CASE(test_no_page_leak),
	KTEST_CASE(test_throughput),	     {}
};

KTEST_SUITE_FULL(tmpfs, tmpfs_cases, fs_fixture_init, fs_fixture_exit);
