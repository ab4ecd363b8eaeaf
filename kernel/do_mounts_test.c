/*
 * Tests of root= (kernel/do_mounts.c).
 *
 * root_param runs in every ktest boot: the UUID parser, the rootfstype=
 * list, and the superblock checks on buffers made here.
 *
 * root_disk runs only when named (ktest=root_disk: the "rootdev" boot of
 * scripts/run-tests), on disks made by mke2fs there:
 *
 *	hda   MBR; hda1 (3:1) ext2, label "kroot", uuid ROOT_UUID
 *	hdb   (3:64) ext4 on the whole disk, label "odd label/1", ODD_UUID
 *	hdd   (22:64) stamped sectors: no superblock, never matches
 */
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/ktest.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "do_mounts.h"

#define ROOT_UUID "6b657374-7265-4c00-8000-000000000001"
#define ODD_UUID "6b657374-7265-4c00-8000-000000000002"
#define HDA1 MKDEV(3, 1)
#define HDB MKDEV(3, 64)

static void test_parse_uuid(struct ktest *t)
{
	static const u8 want[16] = { 0x6b, 0x65, 0x73, 0x74, 0x72, 0x65,
				     0x4c, 0x00, 0x80, 0x00, 0x00, 0x00,
				     0x00, 0x00, 0x00, 0x01 };
	u8 uuid[16];

	KT_EXPECT_EQ(t, parse_uuid(ROOT_UUID, uuid), 0);
	KT_EXPECT_EQ(t, memcmp(uuid, want, 16), 0);
	KT_EXPECT_EQ(
		t, parse_uuid("6B657374-7265-4C00-8000-000000000001", uuid), 0);
	KT_EXPECT_EQ(t, memcmp(uuid, want, 16), 0);
	KT_EXPECT_EQ(t, parse_uuid("6b657374-7265-4c00-8000-00000000000", uuid),
		     -EINVAL);
	KT_EXPECT_EQ(t,
		     parse_uuid("6b657374-7265-4c00-8000-0000000000011", uuid),
		     -EINVAL);
	KT_EXPECT_EQ(t,
		     parse_uuid("6b6573747-265-4c00-8000-000000000001", uuid),
		     -EINVAL);
	KT_EXPECT_EQ(t,
		     parse_uuid("6b657374-7265-4c00-8000-00000000000g", uuid),
		     -EINVAL);
	KT_EXPECT_EQ(t, parse_uuid("", uuid), -EINVAL);
}

static bool has_name(const char *list, const char *name)
{
	for (; *list; list += strlen(list) + 1)
		if (!strcmp(list, name))
			return true;
	return false;
}

static void test_fs_list(struct ktest *t)
{
	char buf[64];

	KT_EXPECT_EQ(t, root_fs_list(buf, sizeof(buf), "ext2,ext4"), 2);
	KT_EXPECT_TRUE(t, !strcmp(buf, "ext2") && !strcmp(buf + 5, "ext4"));
	KT_EXPECT_EQ(t, root_fs_list(buf, sizeof(buf), "ext2,,tmpfs,"), 2);
	KT_EXPECT_TRUE(t, has_name(buf, "tmpfs"));
	KT_EXPECT_EQ(t, root_fs_list(buf, sizeof(buf), ""), 0);
	/* Too long for the buffer: what fits, never an overflow. */
	KT_EXPECT_EQ(t, root_fs_list(buf, 8, "ext2,ext3,ext4"), 1);
	/* The default: the types that mount a device, not tmpfs nor proc. */
	root_fs_list(buf, sizeof(buf), NULL);
	KT_EXPECT_FALSE(t, has_name(buf, "tmpfs"));
	KT_EXPECT_FALSE(t, has_name(buf, "proc"));
	for (const char *p = buf; *p; p += strlen(p) + 1) {
		struct file_system_type *type = get_fs_type(p);

		KT_EXPECT_TRUE(t, type && (type->fs_flags & FS_REQUIRES_DEV));
	}
}

static void put32(u8 *p, u32 v)
{
	memcpy(p, &v, 4); /* x86: little-endian already */
}

/* A valid revision-1 superblock with 1 KiB blocks. */
static void make_sb(u8 *sb)
{
	memset(sb, 0, 1024);
	put32(sb + 0, 128);
	put32(sb + 4, 1024);
	put32(sb + 20, 1);
	put32(sb + 32, 8192);
	put32(sb + 40, 128);
	sb[56] = 0x53;
	sb[57] = 0xef;
	put32(sb + 76, 1);
}

static void test_sb_checks(struct ktest *t)
{
	u8 *sb = kmalloc(1024, GFP_KERNEL);

	KT_ASSERT_NOT_NULL(t, sb);
	make_sb(sb);
	KT_EXPECT_TRUE(t, ext2_sb_identifies(sb));
	sb[57] = 0xee; /* magic */
	KT_EXPECT_FALSE(t, ext2_sb_identifies(sb));
	make_sb(sb);
	put32(sb + 76, 0); /* revision 0: no uuid, no label */
	KT_EXPECT_FALSE(t, ext2_sb_identifies(sb));
	make_sb(sb);
	put32(sb + 4, 0); /* no blocks */
	KT_EXPECT_FALSE(t, ext2_sb_identifies(sb));
	make_sb(sb);
	put32(sb + 24, 7); /* 128 KiB blocks */
	KT_EXPECT_FALSE(t, ext2_sb_identifies(sb));
	make_sb(sb);
	put32(sb + 20, 0); /* 1 KiB blocks start at block 1 */
	KT_EXPECT_FALSE(t, ext2_sb_identifies(sb));
	make_sb(sb);
	put32(sb + 24, 2); /* 4 KiB blocks start at block 0 */
	put32(sb + 20, 0);
	KT_EXPECT_TRUE(t, ext2_sb_identifies(sb));
	make_sb(sb);
	put32(sb + 40, 0); /* no inodes per group */
	KT_EXPECT_FALSE(t, ext2_sb_identifies(sb));
	kfree(sb);
}

static void test_bad_names(struct ktest *t)
{
	KT_EXPECT_EQ(t, name_to_dev_t(NULL), 0);
	KT_EXPECT_EQ(t, name_to_dev_t(""), 0);
	KT_EXPECT_EQ(t, name_to_dev_t("/dev/"), 0);
	KT_EXPECT_EQ(t, name_to_dev_t("/dev/nosuch9"), 0);
	KT_EXPECT_EQ(t, name_to_dev_t("UUID=not-a-uuid"), 0);
	KT_EXPECT_EQ(t, name_to_dev_t("LABEL=a-label-longer-than-16"), 0);
	KT_EXPECT_EQ(t, name_to_dev_t("250:250"), 0);
	KT_EXPECT_EQ(t, name_to_dev_t("3:1x"), 0);
	KT_EXPECT_EQ(t, name_to_dev_t(":1"), 0);
	KT_EXPECT_EQ(t, name_to_dev_t("99999999999:1"), 0);
	KT_EXPECT_EQ(t, name_to_dev_t("fafa"), 0);
}

static struct ktest_case root_param_cases[] = {
	KTEST_CASE(test_parse_uuid),
	KTEST_CASE(test_fs_list),
	KTEST_CASE(test_sb_checks),
	KTEST_CASE(test_bad_names),
	{},
};
KTEST_SUITE(root_param, root_param_cases);

static void test_by_name(struct ktest *t)
{
	KT_EXPECT_EQ(t, name_to_dev_t("/dev/hda1"), HDA1);
	KT_EXPECT_EQ(t, name_to_dev_t("hda1"), HDA1);
	KT_EXPECT_EQ(t, name_to_dev_t("hdb"), HDB);
	KT_EXPECT_EQ(t, name_to_dev_t("/dev/hda9"), 0);
}

static void test_by_number(struct ktest *t)
{
	KT_EXPECT_EQ(t, name_to_dev_t("3:1"), HDA1);
	KT_EXPECT_EQ(t, name_to_dev_t("0301"), HDA1);
	KT_EXPECT_EQ(t, name_to_dev_t("3:64"), HDB);
	KT_EXPECT_EQ(t, name_to_dev_t("3:9"), 0);
}

static void test_by_label(struct ktest *t)
{
	KT_EXPECT_EQ(t, name_to_dev_t("LABEL=kroot"), HDA1);
	KT_EXPECT_EQ(t, name_to_dev_t("LABEL=odd label/1"), HDB);
	KT_EXPECT_EQ(t, name_to_dev_t("LABEL=kroo"), 0);
	KT_EXPECT_EQ(t, name_to_dev_t("LABEL=krootx"), 0);
	KT_EXPECT_EQ(t, name_to_dev_t("LABEL="), 0);
}

static void test_by_uuid(struct ktest *t)
{
	KT_EXPECT_EQ(t, name_to_dev_t("UUID=" ROOT_UUID), HDA1);
	KT_EXPECT_EQ(t,
		     name_to_dev_t("UUID=6B657374-7265-4C00-8000-000000000001"),
		     HDA1);
	KT_EXPECT_EQ(t, name_to_dev_t("UUID=" ODD_UUID), HDB);
	KT_EXPECT_EQ(t,
		     name_to_dev_t("UUID=6b657374-7265-4c00-8000-000000000009"),
		     0);
}

static struct ktest_case root_disk_cases[] = {
	KTEST_CASE(test_by_name),
	KTEST_CASE(test_by_number),
	KTEST_CASE(test_by_label),
	KTEST_CASE(test_by_uuid),
	{},
};
KTEST_SUITE_EXPLICIT(root_disk, root_disk_cases);
