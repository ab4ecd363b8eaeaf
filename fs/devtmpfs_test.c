/*
 * ktest suite "devtmpfs": one instance, whoever mounts it.
 *
 *	mount A ---\
 *	            +--> the instance (devtmpfs_mnt's super_block)
 *	mount B ---/          /null, /console, ... from the drivers
 *
 * Two mounts share the super_block and see each other's changes; the
 * instance outlives every mount of it; and the kernel leaves the /dev of
 * the root to init: it holds the console node only.
 */
#include <kestrel/errno.h>
#include <kestrel/ktest.h>
#include <kestrel/ktest_fs.h>
#include <kestrel/string.h>

#include "fs_test_util.h"
#include "internal.h"

#define KT_MEM_NULL MKDEV(1, 3) /* Linux's devices.txt */
#define KT_CONSOLE MKDEV(5, 1)
#define KT_NODE_MODE (S_IFCHR | 0600)

/* Is @name in @fs a character device numbered @devt? */
static bool kt_is_chr(struct fs_struct *fs, const char *name, dev_t devt)
{
	struct kstat st;

	return !fx_stat(fs, name, 0, &st) && S_ISCHR(st.mode) &&
	       st.rdev == devt;
}

static void test_mounts_share_one_instance(struct ktest *t)
{
	struct ktest_mount a, b;
	int err;

	KT_ASSERT_EQ(t, ktest_mount(&a, "devtmpfs"), 0);
	err = ktest_mount(&b, "devtmpfs");
	if (err)
		ktest_umount(&a);
	KT_ASSERT_EQ(t, err, 0);
	KT_EXPECT_TRUE(t, a.mnt != b.mnt);
	KT_EXPECT_TRUE(t, a.mnt->mnt_sb == b.mnt->mnt_sb);
	/* Made by the mem driver before either mount existed. */
	KT_EXPECT_TRUE(t, kt_is_chr(a.fs, "/null", KT_MEM_NULL));
	KT_EXPECT_TRUE(t, kt_is_chr(b.fs, "/null", KT_MEM_NULL));
	KT_EXPECT_EQ(t,
		     do_mknodat(a.fs, NULL, "/kt_shared", KT_NODE_MODE,
				KT_MEM_NULL),
		     0);
	KT_EXPECT_TRUE(t, kt_is_chr(b.fs, "/kt_shared", KT_MEM_NULL));
	KT_EXPECT_EQ(t, do_unlinkat(b.fs, NULL, "/kt_shared"), 0);
	KT_EXPECT_FALSE(t, fx_exists(a.fs, "/kt_shared"));
	ktest_umount(&b);
	ktest_umount(&a);
}

static void test_instance_outlives_its_mounts(struct ktest *t)
{
	struct ktest_mount m;

	KT_ASSERT_EQ(t, ktest_mount(&m, "devtmpfs"), 0);
	KT_EXPECT_EQ(t,
		     do_mknodat(m.fs, NULL, "/kt_kept", KT_NODE_MODE,
				KT_MEM_NULL),
		     0);
	ktest_umount(&m);
	KT_ASSERT_EQ(t, ktest_mount(&m, "devtmpfs"), 0);
	KT_EXPECT_TRUE(t, kt_is_chr(m.fs, "/kt_kept", KT_MEM_NULL));
	KT_EXPECT_EQ(t, do_unlinkat(m.fs, NULL, "/kt_kept"), 0);
	ktest_umount(&m);
}

/* Nothing is mounted on the root's /dev; its console node is there. */
static void test_dev_left_to_init(struct ktest *t)
{
	struct path dev;
	bool on_rootfs;

	KT_ASSERT_EQ(
		t, vfs_path_lookup(&init_fs, NULL, "/dev", LOOKUP_FOLLOW, &dev),
		0);
	on_rootfs = !strcmp(dev.dentry->d_sb->s_type->name, "rootfs");
	path_put(&dev);
	KT_EXPECT_TRUE(t, on_rootfs);
	KT_EXPECT_TRUE(t, kt_is_chr(&init_fs, "/dev/console", KT_CONSOLE));
	KT_EXPECT_FALSE(t, fx_exists(&init_fs, "/dev/null"));
}

static struct ktest_case devtmpfs_cases[] = {
	KTEST_CASE(test_mounts_share_one_instance),
	KTEST_CASE(test_instance_outlives_its_mounts),
	KTEST_CASE(test_dev_left_to_init),
	{},
};

KTEST_SUITE(devtmpfs, devtmpfs_cases);
