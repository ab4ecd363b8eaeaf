/*
 * ktest suite "initramfs": archives built here are unpacked into a
 * directory of a private tmpfs; the result is checked file by file. The
 * malformed ones must be reported, stop (or skip the bad entry) and leave
 * what was unpacked before, and never write outside the target.
 */
#include <kestrel/errno.h>
#include <kestrel/kstrtox.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "cpio.h"
#include "fs_test_util.h"

#define ARCHIVE_MAX (32 << 10)

struct archive {
	char *buf;
	size_t len;
};

struct entry {
	const char *name;
	umode_t mode;
	const char *data;
	u32 ino, nlink, uid, gid, mtime, rmajor, rminor;
	bool checked; /* 070702 */
};

static void pad(struct archive *a)
{
	while (a->len & 3)
		a->buf[a->len++] = 0;
}

static void add(struct archive *a, const struct entry *e)
{
	size_t namesize = strlen(e->name) + 1;
	size_t size = e->data ? strlen(e->data) : 0;

	a->len += snprintf(a->buf + a->len, ARCHIVE_MAX - a->len,
			   "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X"
			   "%08X",
			   e->checked ? "070702" : "070701", e->ino, e->mode,
			   e->uid, e->gid, e->nlink ? e->nlink : 1, e->mtime,
			   (u32)size, 0, 0, e->rmajor, e->rminor, (u32)namesize,
			   e->checked ? cpio_checksum(e->data, size) : 0);
	memcpy(a->buf + a->len, e->name, namesize);
	a->len += namesize;
	pad(a);
	memcpy(a->buf + a->len, e->data ? e->data : "", size);
	a->len += size;
	pad(a);
}

static void trailer(struct archive *a)
{
	struct entry e = { .name = CPIO_TRAILER_NAME };

	add(a, &e);
}

/* A fresh archive buffer, and "/target" in the fixture as the root. */
static void begin(struct ktest *t, struct archive *a, struct path *target)
{
	a->buf = kzalloc(ARCHIVE_MAX, GFP_KERNEL);
	a->len = 0;
	KT_ASSERT_NOT_NULL(t, a->buf);
	KT_ASSERT_EQ(t, do_mkdirat(fx_fs(t), NULL, "/target", 0755), 0);
	KT_ASSERT_EQ(t, vfs_path_lookup(fx_fs(t), NULL, "/target", 0, target),
		     0);
}

static void end(struct archive *a, struct path *target)
{
	path_put(target);
	kfree(a->buf);
}

static const struct entry good[] = {
	{ .name = ".", .mode = S_IFDIR | 0755 },
	{ .name = "bin", .mode = S_IFDIR | 0755, .mtime = 1000 },
	{ .name = "bin/busybox",
	  .mode = S_IFREG | 04755,
	  .data = "ELF!",
	  .ino = 7,
	  .nlink = 2,
	  .uid = 3,
	  .gid = 4,
	  .mtime = 2000 },
	{ .name = "bin/sh", .mode = S_IFLNK | 0777, .data = "busybox" },
	{ .name = "bin/ash",
	  .mode = S_IFREG | 04755,
	  .ino = 7,
	  .nlink = 2,
	  .uid = 3,
	  .gid = 4,
	  .mtime = 2000 },
	{ .name = "/dev", .mode = S_IFDIR | 0755 },
	{ .name = "./dev/console",
	  .mode = S_IFCHR | 0600,
	  .rmajor = 5,
	  .rminor = 1 },
	{ .name = "dev//fifo", .mode = S_IFIFO | 0644 },
	{ .name = "init",
	  .mode = S_IFREG | 0755,
	  .data = "#!/bin/sh\n",
	  .checked = true },
};

static void test_unpack_good(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	struct archive a;
	struct path target;
	struct kstat st, st2;
	char buf[16];
	size_t i;

	begin(t, &a, &target);
	for (i = 0; i < ARRAY_SIZE(good); i++)
		add(&a, &good[i]);
	trailer(&a);
	KT_EXPECT_EQ(t, unpack_initramfs(a.buf, a.len, &target), 0);
	KT_ASSERT_EQ(t, fx_stat(fs, "/target/bin/busybox", 0, &st), 0);
	KT_EXPECT_EQ(t, st.mode, S_IFREG | 04755);
	KT_EXPECT_TRUE(t, st.uid == 3 && st.gid == 4);
	KT_EXPECT_EQ(t, st.mtime.tv_sec, 2000);
	KT_EXPECT_EQ(t, st.nlink, 2);
	KT_EXPECT_EQ(t, st.size, 4);
	KT_ASSERT_EQ(t, fx_stat(fs, "/target/bin/ash", 0, &st2), 0);
	KT_EXPECT_EQ(t, st.ino, st2.ino); /* a hard link */
	KT_ASSERT_EQ(t, fx_stat(fs, "/target/bin/sh", LOOKUP_FOLLOW, &st2), 0);
	KT_EXPECT_EQ(t, st.ino, st2.ino);
	KT_ASSERT_EQ(t, fx_stat(fs, "/target/bin", 0, &st), 0);
	KT_EXPECT_EQ(t, st.mtime.tv_sec, 1000); /* set after its children */
	KT_ASSERT_EQ(t, fx_stat(fs, "/target/dev/console", 0, &st), 0);
	KT_EXPECT_EQ(t, st.mode, S_IFCHR | 0600);
	KT_EXPECT_EQ(t, st.rdev, MKDEV(5, 1));
	KT_ASSERT_EQ(t, fx_stat(fs, "/target/dev/fifo", 0, &st), 0);
	KT_EXPECT_EQ(t, st.mode, S_IFIFO | 0644);
	KT_EXPECT_EQ(t, fx_read_file(fs, "/target/init", buf, sizeof(buf)), 10);
	KT_EXPECT_EQ(t, memcmp(buf, "#!/bin/sh\n", 10), 0);
	end(&a, &target);
}

static void test_unpack_malformed(struct ktest *t)
{
	struct entry ok1 = { .name = "a", .mode = S_IFREG | 0644, .data = "1" };
	struct entry ok2 = { .name = "b", .mode = S_IFDIR | 0755 };
	struct entry esc = { .name = "../escape", .mode = S_IFREG | 0644 };
	struct entry abs = { .name = "/b/../../x", .mode = S_IFREG | 0644 };
	struct entry after = { .name = "c", .mode = S_IFREG | 0644 };
	struct fs_struct *fs = fx_fs(t);
	struct path target;
	struct archive a;
	size_t cut;

	begin(t, &a, &target);
	add(&a, &ok1);
	add(&a, &esc); /* refused, the rest goes on */
	add(&a, &abs);
	add(&a, &ok2);
	cut = a.len;
	add(&a, &after);
	trailer(&a);
	memcpy(a.buf + cut, "070709", 6); /* "c" has a bad magic */
	KT_EXPECT_EQ(t, unpack_initramfs(a.buf, a.len, &target), -EPERM);
	KT_EXPECT_TRUE(t, fx_exists(fs, "/target/a"));
	KT_EXPECT_TRUE(t, fx_exists(fs, "/target/b"));
	KT_EXPECT_FALSE(t, fx_exists(fs, "/target/c"));
	KT_EXPECT_FALSE(t, fx_exists(fs, "/escape"));
	KT_EXPECT_FALSE(t, fx_exists(fs, "/x"));
	KT_EXPECT_FALSE(t, fx_exists(fs, "/target/x"));
	/* Truncated in the middle of a header, and garbage. */
	KT_EXPECT_EQ(t, unpack_initramfs(a.buf, 60, &target), -EINVAL);
	KT_EXPECT_EQ(t, unpack_initramfs("garbage!", 8, &target), -EINVAL);
	KT_EXPECT_EQ(t, unpack_initramfs(a.buf, 0, &target), 0);
	end(&a, &target);
}

static void test_unpack_checksum(struct ktest *t)
{
	struct entry e = { .name = "sum",
			   .mode = S_IFREG | 0644,
			   .data = "checked",
			   .checked = true };
	struct path target;
	struct archive a;

	begin(t, &a, &target);
	add(&a, &e);
	trailer(&a);
	a.buf[CPIO_HDR_LEN + 4 + 2] ^= 1; /* "checked" -> "bhecked" */
	KT_EXPECT_EQ(t, unpack_initramfs(a.buf, a.len, &target), -EINVAL);
	KT_EXPECT_FALSE(t, fx_exists(fx_fs(t), "/target/sum"));
	end(&a, &target);
}

static void test_unpack_replaces(struct ktest *t)
{
	struct entry dir = { .name = "f", .mode = S_IFDIR | 0700 };
	struct entry file = { .name = "d",
			      .mode = S_IFREG | 0600,
			      .data = "new" };
	struct entry link = { .name = "l",
			      .mode = S_IFLNK | 0777,
			      .data = "d" };
	struct fs_struct *fs = fx_fs(t);
	struct path target;
	struct archive a;
	struct kstat st;

	begin(t, &a, &target);
	KT_ASSERT_EQ(t, fx_write_file(fs, "/target/f", 0644, "old", 3), 0);
	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/target/d", 0755), 0);
	KT_ASSERT_EQ(t, do_symlinkat(fs, "old", NULL, "/target/l"), 0);
	add(&a, &dir);
	add(&a, &file);
	add(&a, &link);
	trailer(&a);
	KT_EXPECT_EQ(t, unpack_initramfs(a.buf, a.len, &target), 0);
	KT_ASSERT_EQ(t, fx_stat(fs, "/target/f", 0, &st), 0);
	KT_EXPECT_EQ(t, st.mode, S_IFDIR | 0700);
	KT_ASSERT_EQ(t, fx_stat(fs, "/target/d", 0, &st), 0);
	KT_EXPECT_EQ(t, st.mode, S_IFREG | 0600);
	KT_ASSERT_EQ(t, fx_stat(fs, "/target/l", LOOKUP_FOLLOW, &st), 0);
	KT_EXPECT_EQ(t, st.size, 3);
	end(&a, &target);
}

static void test_unpack_enospc(struct ktest *t)
{
	static char big[12 << 10];
	struct entry huge = { .name = "huge",
			      .mode = S_IFREG | 0644,
			      .data = big };
	struct entry small = { .name = "small",
			       .mode = S_IFREG | 0644,
			       .data = "s" };
	struct fs_struct *fs = fx_fs(t);
	struct path target;
	struct archive a;

	memset(big, 'h', sizeof(big) - 1);
	begin(t, &a, &target);
	KT_ASSERT_EQ(t, do_mount("none", &target, "tmpfs", 0, "size=8k"), 0);
	path_put(&target);
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/target", 0, &target), 0);
	add(&a, &huge);
	add(&a, &small);
	trailer(&a);
	KT_EXPECT_EQ(t, unpack_initramfs(a.buf, a.len, &target), -ENOSPC);
	KT_EXPECT_TRUE(t, fx_exists(fs, "/target/small"));
	KT_EXPECT_EQ(t, do_umount(&target, 0), 0);
	end(&a, &target);
}

/*
 * An archive that stops before its trailer, at an entry boundary or in
 * a run of zeros (a module cut short, or overwritten): the entries
 * before are unpacked, and the call fails, where it used to succeed.
 */
static void test_unpack_cut_short(struct ktest *t)
{
	struct entry first = { .name = "a",
			       .mode = S_IFREG | 0644,
			       .data = "1" };
	struct entry dir = { .name = "b", .mode = S_IFDIR | 0755 };
	struct entry last = { .name = "c",
			      .mode = S_IFREG | 0644,
			      .data = "3" };
	struct fs_struct *fs = fx_fs(t);
	struct path target;
	struct archive a;
	size_t cut;

	begin(t, &a, &target);
	add(&a, &first);
	add(&a, &dir);
	cut = a.len;
	add(&a, &last);
	trailer(&a);
	KT_EXPECT_EQ(t, unpack_initramfs(a.buf, cut, &target), -EINVAL);
	KT_EXPECT_TRUE(t, fx_exists(fs, "/target/a"));
	KT_EXPECT_TRUE(t, fx_exists(fs, "/target/b"));
	KT_EXPECT_FALSE(t, fx_exists(fs, "/target/c"));
	memset(a.buf + cut, 0, a.len - cut);
	KT_EXPECT_EQ(t, unpack_initramfs(a.buf, a.len, &target), -EINVAL);
	KT_EXPECT_FALSE(t, fx_exists(fs, "/target/c"));
	end(&a, &target);
}

static struct ktest_case initramfs_cases[] = {
	KTEST_CASE(test_unpack_good),
	KTEST_CASE(test_unpack_malformed),
	KTEST_CASE(test_unpack_checksum),
	KTEST_CASE(test_unpack_replaces),
	KTEST_CASE(test_unpack_enospc),
	KTEST_CASE(test_unpack_cut_short),
	{}
};

KTEST_SUITE_FULL(initramfs, initramfs_cases, fs_fixture_init, fs_fixture_exit);
