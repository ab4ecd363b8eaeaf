/*
 * ktest suite "sysfs": kobjects with attributes, read and written
 * through the VFS as user space would (open, read, write, poll, stat,
 * readlink on the sysfs instance), and the lifetime rules: removal
 * drains active references, an open file outlives its kobject and then
 * answers -ENODEV, and 10,000 create/remove cycles leave the slab
 * caches as they were.
 *
 * Each case works under /ktest_sysfs, a kobject made by the suite's
 * init and removed by its exit; paths are relative to the root of the
 * sysfs mount.
 */
#include <asm/page.h>
#include <kestrel/completion.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs_struct.h>
#include <kestrel/gfp.h>
#include <kestrel/kstrtox.h>
#include <kestrel/kthread.h>
#include <kestrel/ktest.h>
#include <kestrel/ktest_fs.h>
#include <kestrel/poll.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/time.h>
#include <uapi/fcntl.h>

#include "../internal.h"
#include "sysfs.h"

#define ST_BUF_SIZE 256
#define ST_BLOB_SIZE 16
#define ST_CYCLES 10000
#define ST_RACE_ROUNDS 400
#define ST_RACE_YIELD_EVERY 20
#define ST_INITIAL_VALUE 42
#define ST_STORED_MAX 64
#define ST_OWNER_UID 1234 /* any non-root owner, for the chown case */
#define ST_OWNER_GID 5678
#define ST_CHMOD_MODE 0640

/* The suite's state: the mount, a walker rooted at it, the parent. */
struct st_ctx {
	struct vfsmount *mnt;
	struct fs_struct *fs;
	struct kobject *top; /* /ktest_sysfs */
};

static struct st_ctx st;
static int st_released; /* release() calls since the case began */

/* A test object: a value, what store() last got, a blob. */
struct st_obj {
	int value;
	char stored[ST_STORED_MAX];
	size_t stored_count;
	int show_calls;
	struct completion *entered, *go; /* "slow" show: handshake */
	bool show_done;
	char blob[ST_BLOB_SIZE];
	struct kobject kobj; /* not first, on purpose */
};

static struct st_obj *to_st(struct kobject *kobj)
{
	return container_of(kobj, struct st_obj, kobj);
}

/* ---- the attributes ----------------------------------------------------- */

static struct attribute st_attr_value = { .name = "value", .mode = 0644 };
static struct attribute st_attr_ro = { .name = "ro", .mode = 0444 };
static struct attribute st_attr_wo = { .name = "wo", .mode = 0200 };
static struct attribute st_attr_hidden = { .name = "hidden", .mode = 0644 };
static struct attribute st_attr_private = { .name = "private", .mode = 0644 };
static struct attribute st_attr_slow = { .name = "slow", .mode = 0444 };
static struct attribute st_attr_inner = { .name = "inner", .mode = 0444 };

static ssize_t st_show(struct kobject *kobj, struct attribute *attr, char *buf)
{
	struct st_obj *o = to_st(kobj);

	o->show_calls++;
	if (attr == &st_attr_slow) {
		complete(o->entered);
		wait_for_completion(o->go);
		o->show_done = true;
	}
	if (attr == &st_attr_wo)
		return -EIO; /* never reached: the file cannot be read */
	return sysfs_emit(buf, "%d\n", o->value);
}

static ssize_t st_store(struct kobject *kobj, struct attribute *attr,
			const char *buf, size_t count)
{
	struct st_obj *o = to_st(kobj);
	int err;

	if (count >= sizeof(o->stored))
		return -EINVAL;
	memcpy(o->stored, buf, count + 1); /* with the NUL sysfs adds */
	o->stored_count = count;
	err = kstrtoint(buf, 10, &o->value);
	return err ? err : (ssize_t)count;
}

static const struct sysfs_ops st_sysfs_ops = {
	.show = st_show,
	.store = st_store,
};

/* "hidden" is left out, "private" gets 0600 instead of 0644. */
static umode_t st_is_visible(struct kobject *kobj, struct attribute *attr,
			     int index)
{
	if (attr == &st_attr_hidden)
		return 0;
	if (attr == &st_attr_private)
		return 0600;
	return attr->mode;
}

static struct attribute *st_default_attrs[] = {
	&st_attr_value,	 &st_attr_ro,	   &st_attr_wo,
	&st_attr_hidden, &st_attr_private, NULL,
};

static const struct attribute_group st_default_group = {
	.attrs = st_default_attrs,
	.is_visible = st_is_visible,
};

static struct attribute *st_inner_attrs[] = { &st_attr_inner, NULL };

static const struct attribute_group st_named_group = {
	.name = "grp",
	.attrs = st_inner_attrs,
};

static const struct attribute_group *st_groups[] = {
	&st_default_group,
	&st_named_group,
	NULL,
};

static void st_release(struct kobject *kobj)
{
	st_released++;
	kfree(to_st(kobj));
}

static const struct kobj_type st_ktype = {
	.release = st_release,
	.sysfs_ops = &st_sysfs_ops,
	.default_groups = st_groups,
};

/* A type whose files have no methods at all. */
static const struct kobj_type st_bare_ktype = {
	.release = st_release,
};

static ssize_t st_blob_read(struct file *file, struct kobject *kobj,
			    struct bin_attribute *attr, char *buf, loff_t off,
			    size_t count)
{
	memcpy(buf, to_st(kobj)->blob + off, count);
	return (ssize_t)count;
}

static ssize_t st_blob_write(struct file *file, struct kobject *kobj,
			     struct bin_attribute *attr, char *buf, loff_t off,
			     size_t count)
{
	memcpy(to_st(kobj)->blob + off, buf, count);
	return (ssize_t)count;
}

static struct bin_attribute st_blob = {
	.attr = { .name = "blob", .mode = 0644 },
	.size = ST_BLOB_SIZE,
	.read = st_blob_read,
	.write = st_blob_write,
};

/* ---- helpers ------------------------------------------------------------ */

/* A new object named @name under @parent (NULL: /ktest_sysfs). */
static struct st_obj *st_new(const struct kobj_type *ktype,
			     struct kobject *parent, const char *name)
{
	struct st_obj *o = kzalloc(sizeof(*o), GFP_KERNEL);

	if (!o)
		return NULL;
	o->value = ST_INITIAL_VALUE;
	if (kobject_init_and_add(&o->kobj, ktype, parent ? parent : st.top,
				 "%s", name)) {
		kobject_put(&o->kobj);
		return NULL;
	}
	return o;
}

static struct file *st_open(const char *path, int flags)
{
	return do_filp_open(st.fs, NULL, path, flags, 0);
}

/* Read @path from offset 0 into @buf (NUL-ended). Length or -errno. */
static ssize_t st_read(const char *path, char *buf, size_t size)
{
	return fx_read_str(st.fs, path, buf, size);
}

static ssize_t st_write(const char *path, const char *text)
{
	return fx_write_str(st.fs, path, text);
}

static int st_stat(const char *path, unsigned int flags, struct kstat *stat)
{
	struct path p;
	int err = vfs_path_lookup(st.fs, NULL, path, flags, &p);

	if (err)
		return err;
	err = vfs_getattr(&p, stat, 0, 0);
	path_put(&p);
	return err;
}

static bool st_exists(const char *path)
{
	struct kstat stat;

	return st_stat(path, 0, &stat) == 0;
}

/* ---- suite set-up ------------------------------------------------------- */

static int sysfs_suite_init(struct ktest *t)
{
	struct path root;

	st_released = 0;
	st.mnt = vfs_kern_mount(get_fs_type("sysfs"), 0, "sysfs", NULL);
	if (IS_ERR(st.mnt))
		return PTR_ERR(st.mnt);
	root.mnt = st.mnt;
	root.dentry = st.mnt->mnt_root;
	st.fs = alloc_fs_struct(&root);
	st.top = kobject_create_and_add("ktest_sysfs", NULL);
	if (!st.fs || !st.top) {
		kobject_put(st.top);
		if (st.fs)
			put_fs_struct(st.fs);
		mntput(st.mnt);
		return -ENOMEM;
	}
	return 0;
}

static void sysfs_suite_exit(struct ktest *t)
{
	kobject_del(st.top);
	kobject_put(st.top);
	KT_EXPECT_FALSE(t, st_exists("/ktest_sysfs"));
	put_fs_struct(st.fs);
	mntput(st.mnt);
}

/* ---- cases -------------------------------------------------------------- */

/* A kobject is a directory, with its default groups; del removes it. */
static void test_dir_create_remove(struct ktest *t)
{
	struct st_obj *a = st_new(&st_ktype, NULL, "a");
	struct st_obj *b;
	struct kstat stat;

	KT_ASSERT_NOT_NULL(t, a);
	b = st_new(&st_ktype, &a->kobj, "b");
	KT_ASSERT_NOT_NULL(t, b);
	KT_EXPECT_EQ(t, st_stat("/ktest_sysfs/a/b", 0, &stat), 0);
	KT_EXPECT_TRUE(t, S_ISDIR(stat.mode));
	KT_EXPECT_EQ(t, stat.mode & S_IALLUGO, 0755);
	KT_EXPECT_EQ(t, st_stat("/ktest_sysfs/a", 0, &stat), 0);
	KT_EXPECT_EQ(t, stat.nlink, 2 + 2); /* b and grp */
	KT_EXPECT_TRUE(t, st_exists("/ktest_sysfs/a/grp/inner"));
	KT_EXPECT_TRUE(t, st_exists("/ktest_sysfs/a/b/value"));
	kobject_del(&b->kobj);
	KT_EXPECT_FALSE(t, st_exists("/ktest_sysfs/a/b"));
	KT_EXPECT_EQ(t, st_released, 0);
	kobject_put(&b->kobj);
	KT_EXPECT_EQ(t, st_released, 1);
	kobject_put(&a->kobj); /* deletes it as well */
	KT_EXPECT_FALSE(t, st_exists("/ktest_sysfs/a"));
	KT_EXPECT_EQ(t, st_released, 2);
}

/* A parent deleted before its child takes the child's directory along;
 * the child's own deletion later is harmless. */
static void test_parent_removed_first(struct ktest *t)
{
	struct st_obj *a = st_new(&st_ktype, NULL, "pa");
	struct st_obj *b = a ? st_new(&st_ktype, &a->kobj, "pb") : NULL;

	KT_ASSERT_NOT_NULL(t, b);
	kobject_del(&a->kobj);
	KT_EXPECT_FALSE(t, st_exists("/ktest_sysfs/pa"));
	KT_EXPECT_EQ(t, sysfs_create_file(&b->kobj, &st_attr_slow), -ENOENT);
	sysfs_notify(&b->kobj, NULL, "value"); /* harmless */
	kobject_put(&b->kobj);
	KT_EXPECT_EQ(t, st_released, 1);
	kobject_put(&a->kobj);
	KT_EXPECT_EQ(t, st_released, 2);
}

/* show() fills reads (once per read from 0); store() gets the bytes. */
static void test_show_store(struct ktest *t)
{
	struct st_obj *o = st_new(&st_ktype, NULL, "ss");
	char buf[ST_BUF_SIZE];
	struct file *file;
	loff_t pos = 0;
	int i;

	KT_ASSERT_NOT_NULL(t, o);
	KT_EXPECT_EQ(t, st_read("/ktest_sysfs/ss/value", buf, sizeof(buf)), 3);
	KT_EXPECT_EQ(t, strcmp(buf, "42\n"), 0);
	KT_EXPECT_EQ(t, st_write("/ktest_sysfs/ss/value", "17\n"), 3);
	KT_EXPECT_EQ(t, o->stored_count, 3);
	KT_EXPECT_EQ(t, memcmp(o->stored, "17\n", 4), 0); /* NUL-ended */
	KT_EXPECT_EQ(t, st_read("/ktest_sysfs/ss/value", buf, sizeof(buf)), 3);
	KT_EXPECT_EQ(t, strcmp(buf, "17\n"), 0);
	KT_EXPECT_EQ(t, st_write("/ktest_sysfs/ss/value", "x"), -EINVAL);

	/* Byte by byte: one show() for the whole text; EOF after it. */
	file = st_open("/ktest_sysfs/ss/value", O_RDONLY);
	KT_ASSERT_TRUE(t, !IS_ERR(file));
	o->show_calls = 0;
	for (i = 0; i < 3; i++)
		KT_EXPECT_EQ(t, kernel_read(file, buf + i, 1, &pos), 1);
	KT_EXPECT_EQ(t, kernel_read(file, buf, 1, &pos), 0);
	KT_EXPECT_EQ(t, o->show_calls, 1);
	pos = 0; /* a read from 0 again calls show() again */
	KT_EXPECT_EQ(t, kernel_read(file, buf, sizeof(buf), &pos), 3);
	KT_EXPECT_EQ(t, o->show_calls, 2);
	fput(file);
	kobject_put(&o->kobj);
}

/* Modes: open checks; is_visible hides and changes; missing methods. */
static void test_modes_and_methods(struct ktest *t)
{
	struct st_obj *o = st_new(&st_ktype, NULL, "m");
	struct st_obj *bare = st_new(&st_bare_ktype, NULL, "bare");
	char buf[ST_BUF_SIZE];
	struct kstat stat;

	KT_ASSERT_NOT_NULL(t, o);
	KT_ASSERT_NOT_NULL(t, bare);
	KT_EXPECT_EQ(t, st_write("/ktest_sysfs/m/ro", "1"), -EACCES);
	KT_EXPECT_EQ(t, st_read("/ktest_sysfs/m/wo", buf, sizeof(buf)),
		     -EACCES);
	KT_EXPECT_EQ(t, st_write("/ktest_sysfs/m/wo", "5"), 1);
	KT_EXPECT_EQ(t, o->value, 5);
	KT_EXPECT_FALSE(t, st_exists("/ktest_sysfs/m/hidden"));
	KT_EXPECT_EQ(t, st_stat("/ktest_sysfs/m/private", 0, &stat), 0);
	KT_EXPECT_EQ(t, stat.mode, S_IFREG | 0600);
	KT_EXPECT_EQ(t, stat.size, PAGE_SIZE);
	KT_EXPECT_EQ(t, st_stat("/ktest_sysfs/m/ro", 0, &stat), 0);
	KT_EXPECT_EQ(t, stat.mode, S_IFREG | 0444);

	/* A ktype without sysfs_ops: the file exists, its I/O fails. */
	KT_EXPECT_EQ(t, sysfs_create_file(&bare->kobj, &st_attr_value), 0);
	KT_EXPECT_EQ(t, st_read("/ktest_sysfs/bare/value", buf, sizeof(buf)),
		     -EIO);
	KT_EXPECT_EQ(t, st_write("/ktest_sysfs/bare/value", "1"), -EIO);
	sysfs_remove_file(&bare->kobj, &st_attr_value);
	KT_EXPECT_FALSE(t, st_exists("/ktest_sysfs/bare/value"));
	kobject_put(&bare->kobj);
	kobject_put(&o->kobj);
}

/* chown and chmod @path (a lookup that is put again at once). */
static int st_chown_chmod(const char *path)
{
	struct path p;
	int err = vfs_path_lookup(st.fs, NULL, path, 0, &p);

	if (err)
		return err;
	err = vfs_chown(&p, ST_OWNER_UID, ST_OWNER_GID);
	if (!err)
		err = vfs_chmod(&p, ST_CHMOD_MODE);
	path_put(&p);
	return err;
}

/*
 * The owner and mode set on a sysfs node outlive its dentry. No
 * dentry outlives its use, so each stat below looks the name up afresh
 * and gets a new inode; the owner, group and mode given must still be
 * there, for a file and for a directory.
 */
static void test_setattr_kept(struct ktest *t)
{
	struct st_obj *o = st_new(&st_ktype, NULL, "own");
	struct kstat stat;

	KT_ASSERT_NOT_NULL(t, o);
	KT_EXPECT_EQ(t, st_stat("/ktest_sysfs/own/value", 0, &stat), 0);
	KT_EXPECT_EQ(t, stat.uid, 0);
	KT_EXPECT_EQ(t, stat.gid, 0);
	KT_EXPECT_EQ(t, st_chown_chmod("/ktest_sysfs/own/value"), 0);
	KT_EXPECT_EQ(t, st_chown_chmod("/ktest_sysfs/own"), 0);
	KT_EXPECT_EQ(t, st_stat("/ktest_sysfs/own/value", 0, &stat), 0);
	KT_EXPECT_EQ(t, stat.uid, ST_OWNER_UID);
	KT_EXPECT_EQ(t, stat.gid, ST_OWNER_GID);
	KT_EXPECT_EQ(t, stat.mode, S_IFREG | ST_CHMOD_MODE);
	KT_EXPECT_EQ(t, st_stat("/ktest_sysfs/own", 0, &stat), 0);
	KT_EXPECT_EQ(t, stat.uid, ST_OWNER_UID);
	KT_EXPECT_EQ(t, stat.gid, ST_OWNER_GID);
	KT_EXPECT_EQ(t, stat.mode, S_IFDIR | ST_CHMOD_MODE);
	/* A name that was not changed keeps root's. */
	KT_EXPECT_EQ(t, st_stat("/ktest_sysfs/own/ro", 0, &stat), 0);
	KT_EXPECT_EQ(t, stat.uid, 0);
	KT_EXPECT_EQ(t, stat.mode, S_IFREG | 0444);
	kobject_put(&o->kobj);
}

static ssize_t st_pread(struct file *file, char *buf, size_t n, loff_t pos)
{
	return kernel_read(file, buf, n, &pos);
}

static ssize_t st_pwrite(struct file *file, const char *buf, size_t n,
			 loff_t pos)
{
	return kernel_write(file, buf, n, &pos);
}

/* Binary attributes: reads and writes at an offset, clamped to size. */
static void test_bin_attr(struct ktest *t)
{
	struct st_obj *o = st_new(&st_ktype, NULL, "bin");
	char buf[ST_BUF_SIZE];
	struct kstat stat;
	struct file *file;
	int i;

	KT_ASSERT_NOT_NULL(t, o);
	for (i = 0; i < ST_BLOB_SIZE; i++)
		o->blob[i] = (char)('a' + i);
	KT_ASSERT_EQ(t, sysfs_create_bin_file(&o->kobj, &st_blob), 0);
	KT_EXPECT_EQ(t, st_stat("/ktest_sysfs/bin/blob", 0, &stat), 0);
	KT_EXPECT_EQ(t, stat.size, ST_BLOB_SIZE);
	file = st_open("/ktest_sysfs/bin/blob", O_RDWR);
	KT_ASSERT_TRUE(t, !IS_ERR(file));
	KT_EXPECT_EQ(t, st_pread(file, buf, 10, 12), 4);
	KT_EXPECT_EQ(t, memcmp(buf, "mnop", 4), 0);
	KT_EXPECT_EQ(t, st_pread(file, buf, 10, ST_BLOB_SIZE), 0);
	KT_EXPECT_EQ(t, st_pwrite(file, "WXYZ", 4, 14), 2);
	KT_EXPECT_EQ(t, memcmp(o->blob + 12, "mnWX", 4), 0);
	KT_EXPECT_EQ(t, st_pwrite(file, "Q", 1, ST_BLOB_SIZE), -EFBIG);
	KT_EXPECT_EQ(t, st_pread(file, buf, ST_BUF_SIZE, 0), ST_BLOB_SIZE);
	fput(file);
	sysfs_remove_bin_file(&o->kobj, &st_blob);
	KT_EXPECT_FALSE(t, st_exists("/ktest_sysfs/bin/blob"));
	kobject_put(&o->kobj);
}

/* Links read as relative paths and are followed by the path walk. */
static void test_symlink(struct ktest *t)
{
	struct st_obj *a = st_new(&st_ktype, NULL, "la");
	struct st_obj *b = a ? st_new(&st_ktype, &a->kobj, "lb") : NULL;
	char buf[ST_BUF_SIZE];
	struct kstat stat;
	struct path p;
	int len;

	KT_ASSERT_NOT_NULL(t, b);
	KT_ASSERT_EQ(t, sysfs_create_link(st.top, &b->kobj, "to_b"), 0);
	KT_ASSERT_EQ(t, sysfs_create_link(&b->kobj, st.top, "up"), 0);
	KT_ASSERT_EQ(
		t, vfs_path_lookup(st.fs, NULL, "/ktest_sysfs/to_b", 0, &p), 0);
	len = vfs_readlink(p.dentry, buf, sizeof(buf) - 1);
	path_put(&p);
	KT_ASSERT_GT(t, len, 0);
	buf[len] = '\0';
	KT_EXPECT_EQ(t, strcmp(buf, "la/lb"), 0);
	KT_EXPECT_EQ(t, st_stat("/ktest_sysfs/to_b", 0, &stat), 0);
	KT_EXPECT_TRUE(t, S_ISLNK(stat.mode));
	KT_EXPECT_EQ(t, stat.size, strlen("la/lb"));
	KT_EXPECT_TRUE(t, st_exists("/ktest_sysfs/to_b/value"));
	KT_EXPECT_EQ(t,
		     st_read("/ktest_sysfs/la/lb/up/to_b/value", buf,
			     sizeof(buf)),
		     3);

	KT_ASSERT_EQ(
		t, vfs_path_lookup(st.fs, NULL, "/ktest_sysfs/la/lb/up", 0, &p),
		0);
	len = vfs_readlink(p.dentry, buf, sizeof(buf) - 1);
	path_put(&p);
	KT_ASSERT_GT(t, len, 0);
	buf[len] = '\0';
	KT_EXPECT_EQ(t, strcmp(buf, "../../../ktest_sysfs"), 0);

	KT_EXPECT_EQ(t, sysfs_rename_link(st.top, &b->kobj, "to_b", "b2"), 0);
	KT_EXPECT_TRUE(t, st_exists("/ktest_sysfs/b2/value"));
	KT_EXPECT_FALSE(t, st_exists("/ktest_sysfs/to_b"));
	sysfs_remove_link(st.top, "b2");
	KT_EXPECT_FALSE(t, st_exists("/ktest_sysfs/b2"));
	kobject_put(&b->kobj);
	kobject_put(&a->kobj);
	KT_EXPECT_EQ(t, st_released, 2);
}

/* A name taken: kobject_add, files and groups all get -EEXIST. */
static void test_duplicates(struct ktest *t)
{
	struct st_obj *a = st_new(&st_ktype, NULL, "dup");
	struct st_obj *b = kzalloc(sizeof(*b), GFP_KERNEL);

	KT_ASSERT_NOT_NULL(t, a);
	KT_ASSERT_NOT_NULL(t, b);
	kobject_init(&b->kobj, &st_ktype);
	KT_EXPECT_EQ(t, kobject_add(&b->kobj, st.top, "dup"), -EEXIST);
	kobject_put(&b->kobj);
	KT_EXPECT_EQ(t, st_released, 1);
	KT_EXPECT_EQ(t, sysfs_create_file(&a->kobj, &st_attr_value), -EEXIST);
	KT_EXPECT_EQ(t, sysfs_create_group(&a->kobj, &st_named_group), -EEXIST);
	KT_EXPECT_EQ(t, sysfs_create_link(&a->kobj, st.top, "value"), -EEXIST);
	KT_EXPECT_TRUE(t, st_exists("/ktest_sysfs/dup/grp/inner"));
	KT_EXPECT_EQ(t, sysfs_rename_dir(&a->kobj, "dup"), 0);
	kobject_put(&a->kobj);
}

/* poll: POLLPRI | POLLERR after sysfs_notify() until read again. */
static void test_poll_notify(struct ktest *t)
{
	struct st_obj *o = st_new(&st_ktype, NULL, "poll");
	const unsigned int alert = POLLPRI | POLLERR;
	char buf[ST_BUF_SIZE];
	struct file *file, *inner;
	loff_t pos = 0;

	KT_ASSERT_NOT_NULL(t, o);
	file = st_open("/ktest_sysfs/poll/value", O_RDONLY);
	inner = st_open("/ktest_sysfs/poll/grp/inner", O_RDONLY);
	KT_ASSERT_TRUE(t, !IS_ERR(file) && !IS_ERR(inner));
	KT_EXPECT_GT(t, kernel_read(file, buf, sizeof(buf), &pos), 0);
	KT_EXPECT_EQ(t, vfs_poll(file, NULL) & alert, 0);
	KT_EXPECT_TRUE(t, vfs_poll(file, NULL) & POLLIN);
	sysfs_notify(&o->kobj, NULL, "value");
	KT_EXPECT_EQ(t, vfs_poll(file, NULL) & alert, alert);
	KT_EXPECT_EQ(t, vfs_poll(inner, NULL) & alert, 0);
	pos = 0;
	KT_EXPECT_GT(t, kernel_read(file, buf, sizeof(buf), &pos), 0);
	KT_EXPECT_EQ(t, vfs_poll(file, NULL) & alert, 0);
	sysfs_notify(&o->kobj, "grp", "inner");
	KT_EXPECT_EQ(t, vfs_poll(inner, NULL) & alert, alert);
	KT_EXPECT_EQ(t, vfs_poll(file, NULL) & alert, 0);
	sysfs_notify(&o->kobj, NULL, "nonexistent"); /* harmless */
	fput(inner);
	fput(file);
	kobject_put(&o->kobj);
}

/* A poll_table that records the wait queue ->poll registers. */
struct st_poll_table {
	poll_table pt;
	struct wait_queue_head *wq;
};

static void st_qproc(struct file *file, struct wait_queue_head *wq,
		     poll_table *pt)
{
	container_of(pt, struct st_poll_table, pt)->wq = wq;
}

static int st_notifier(void *data)
{
	struct st_obj *o = data;

	schedule_timeout_uninterruptible(HZ / 20);
	sysfs_notify(&o->kobj, NULL, "value");
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

/* A sleeper on the file's poll queue is woken by sysfs_notify(). */
static void test_poll_wakes_sleeper(struct ktest *t)
{
	struct st_obj *o = st_new(&st_ktype, NULL, "pollwake");
	struct st_poll_table spt = { .wq = NULL };
	struct wait_queue_entry wait;
	char buf[ST_BUF_SIZE];
	struct task *notifier;
	struct file *file;
	loff_t pos = 0;
	long left = HZ;

	KT_ASSERT_NOT_NULL(t, o);
	file = st_open("/ktest_sysfs/pollwake/value", O_RDONLY);
	KT_ASSERT_TRUE(t, !IS_ERR(file));
	KT_EXPECT_GT(t, kernel_read(file, buf, sizeof(buf), &pos), 0);
	init_poll_funcptr(&spt.pt, st_qproc);
	KT_EXPECT_EQ(t, vfs_poll(file, &spt.pt) & POLLPRI, 0);
	KT_ASSERT_NOT_NULL(t, spt.wq);
	init_wait_entry(&wait, 0);
	prepare_to_wait(spt.wq, &wait, TASK_INTERRUPTIBLE);
	notifier = kthread_run(st_notifier, o, "st_notifier");
	KT_ASSERT_TRUE(t, !IS_ERR(notifier));
	while (!(vfs_poll(file, NULL) & POLLPRI) && left > 0) {
		left = schedule_timeout(left);
		prepare_to_wait(spt.wq, &wait, TASK_INTERRUPTIBLE);
	}
	finish_wait(spt.wq, &wait);
	KT_EXPECT_GT(t, left, 0); /* woken, not timed out */
	kthread_stop(notifier);
	fput(file);
	kobject_put(&o->kobj);
}

/* Removal while open: release runs once, the file then says ENODEV. */
static void test_remove_while_open(struct ktest *t)
{
	struct st_obj *o = st_new(&st_ktype, NULL, "gone");
	char buf[ST_BUF_SIZE];
	struct file *file;
	loff_t pos = 0;

	KT_ASSERT_NOT_NULL(t, o);
	file = st_open("/ktest_sysfs/gone/value", O_RDWR);
	KT_ASSERT_TRUE(t, !IS_ERR(file));
	kobject_del(&o->kobj);
	kobject_put(&o->kobj);
	KT_EXPECT_EQ(t, st_released, 1);
	KT_EXPECT_EQ(t, kernel_read(file, buf, sizeof(buf), &pos), -ENODEV);
	KT_EXPECT_EQ(t, kernel_write(file, "1", 1, &pos), -ENODEV);
	KT_EXPECT_EQ(t, vfs_poll(file, NULL) & POLLPRI, POLLPRI);
	KT_EXPECT_FALSE(t, st_exists("/ktest_sysfs/gone"));

	/* A new object of the same name is found, not the old one. */
	o = st_new(&st_ktype, NULL, "gone");
	KT_ASSERT_NOT_NULL(t, o);
	KT_EXPECT_EQ(t, st_read("/ktest_sysfs/gone/value", buf, sizeof(buf)),
		     3);
	fput(file);
	KT_EXPECT_EQ(t, st_released, 1);
	kobject_put(&o->kobj);
	KT_EXPECT_EQ(t, st_released, 2);
}

struct st_thread_arg {
	struct st_obj *o;
	struct file *file;
	struct completion done;
	ssize_t result;
	bool show_done_at_return; /* remover: had show() finished? */
};

static int st_reader(void *data)
{
	struct st_thread_arg *arg = data;
	char buf[ST_BUF_SIZE];
	loff_t pos = 0;

	arg->result = kernel_read(arg->file, buf, sizeof(buf), &pos);
	complete(&arg->done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static int st_remover(void *data)
{
	struct st_thread_arg *arg = data;

	kobject_del(&arg->o->kobj);
	arg->show_done_at_return = arg->o->show_done;
	complete(&arg->done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

/* Removal waits for a show() in progress (the active reference). */
static void test_removal_drains_show(struct ktest *t)
{
	struct st_obj *o = st_new(&st_ktype, NULL, "drain");
	struct st_thread_arg rd = { 0 }, rm = { 0 };
	struct completion entered, go;
	struct task *reader, *remover;

	KT_ASSERT_NOT_NULL(t, o);
	init_completion(&entered);
	init_completion(&go);
	init_completion(&rd.done);
	init_completion(&rm.done);
	o->entered = &entered;
	o->go = &go;
	KT_ASSERT_EQ(t, sysfs_create_file(&o->kobj, &st_attr_slow), 0);
	rd.file = st_open("/ktest_sysfs/drain/slow", O_RDONLY);
	KT_ASSERT_TRUE(t, !IS_ERR(rd.file));
	rm.o = o;
	reader = kthread_run(st_reader, &rd, "st_reader");
	KT_ASSERT_TRUE(t, !IS_ERR(reader));
	wait_for_completion(&entered);
	remover = kthread_run(st_remover, &rm, "st_remover");
	KT_ASSERT_TRUE(t, !IS_ERR(remover));
	schedule_timeout_uninterruptible(HZ / 10);
	KT_EXPECT_FALSE(t, completion_done(&rm.done)); /* still draining */
	complete(&go);
	wait_for_completion(&rm.done);
	wait_for_completion(&rd.done);
	KT_EXPECT_TRUE(t, rm.show_done_at_return);
	KT_EXPECT_EQ(t, rd.result, 3);
	kthread_stop(reader);
	kthread_stop(remover);
	fput(rd.file);
	kobject_put(&o->kobj);
	KT_EXPECT_EQ(t, st_released, 1);
}

struct st_race {
	unsigned int ok, gone, bad;
};

static int st_race_reader(void *data)
{
	struct st_race *r = data;
	char buf[ST_BUF_SIZE];
	ssize_t n;

	while (!kthread_should_stop()) {
		n = st_read("/ktest_sysfs/race/value", buf, sizeof(buf));
		if (n == 3)
			r->ok++;
		else if (n == -ENOENT || n == -ENODEV)
			r->gone++;
		else
			r->bad++;
	}
	return 0;
}

/* A reader hammering a file while its object comes and goes: every
 * read gets the value or "gone", every object is released once. */
static void test_add_remove_race(struct ktest *t)
{
	struct st_race r = { 0 };
	struct task *reader;
	struct st_obj *o;
	int i;

	reader = kthread_run(st_race_reader, &r, "st_race");
	KT_ASSERT_TRUE(t, !IS_ERR(reader));
	for (i = 0; i < ST_RACE_ROUNDS; i++) {
		o = st_new(&st_ktype, NULL, "race");
		if (!o)
			break;
		if (i % ST_RACE_YIELD_EVERY == 0)
			schedule_timeout_uninterruptible(1);
		kobject_put(&o->kobj);
	}
	kthread_stop(reader);
	KT_EXPECT_EQ(t, i, ST_RACE_ROUNDS);
	KT_EXPECT_EQ(t, st_released, ST_RACE_ROUNDS);
	KT_EXPECT_EQ(t, r.bad, 0);
	KT_EXPECT_GT(t, r.ok, 0);
	KT_EXPECT_GT(t, r.gone, 0);
}

/* Rename and move follow the kobject; old names are gone. */
static void test_rename_move(struct ktest *t)
{
	struct st_obj *a = st_new(&st_ktype, NULL, "ren");
	struct st_obj *p = st_new(&st_ktype, NULL, "newparent");
	char buf[ST_BUF_SIZE];

	KT_ASSERT_NOT_NULL(t, a);
	KT_ASSERT_NOT_NULL(t, p);
	KT_EXPECT_TRUE(t, st_exists("/ktest_sysfs/ren/value"));
	KT_EXPECT_EQ(t, kobject_rename(&a->kobj, "renamed"), 0);
	KT_EXPECT_FALSE(t, st_exists("/ktest_sysfs/ren"));
	KT_EXPECT_EQ(t, st_read("/ktest_sysfs/renamed/value", buf, sizeof(buf)),
		     3);
	KT_EXPECT_EQ(t, kobject_rename(&a->kobj, "newparent"), -EEXIST);
	KT_EXPECT_EQ(t, strcmp(kobject_name(&a->kobj), "renamed"), 0);
	KT_EXPECT_EQ(t, sysfs_move_dir(&a->kobj, &p->kobj), 0);
	KT_EXPECT_FALSE(t, st_exists("/ktest_sysfs/renamed"));
	KT_EXPECT_TRUE(t, st_exists("/ktest_sysfs/newparent/renamed/value"));
	KT_EXPECT_EQ(t, sysfs_move_dir(&a->kobj, st.top), 0);
	kobject_put(&a->kobj);
	kobject_put(&p->kobj);
	KT_EXPECT_EQ(t, st_released, 2);
}

struct st_listing {
	struct dir_context ctx;
	char names[ST_BUF_SIZE];
	unsigned int dirs, links, regs;
};

static bool st_list_actor(struct dir_context *ctx, const char *name,
			  int namelen, loff_t offset, u64 ino,
			  unsigned int d_type)
{
	struct st_listing *l = container_of(ctx, struct st_listing, ctx);
	size_t len = strlen(l->names);

	if (len + (size_t)namelen + 2 > sizeof(l->names))
		return false;
	memcpy(l->names + len, name, (size_t)namelen);
	strcpy(l->names + len + namelen, " ");
	l->dirs += d_type == DT_DIR;
	l->links += d_type == DT_LNK;
	l->regs += d_type == DT_REG;
	return true;
}

/* readdir lists ".", "..", the files in creation order, with d_type. */
static void test_readdir(struct ktest *t)
{
	struct st_obj *o = st_new(&st_ktype, NULL, "ls");
	struct st_listing l = { .ctx = { .actor = st_list_actor } };
	struct file *dir;

	KT_ASSERT_NOT_NULL(t, o);
	KT_ASSERT_EQ(t, sysfs_create_link(&o->kobj, st.top, "lnk"), 0);
	dir = st_open("/ktest_sysfs/ls", O_RDONLY | O_DIRECTORY);
	KT_ASSERT_TRUE(t, !IS_ERR(dir));
	KT_EXPECT_EQ(t, iterate_dir(dir, &l.ctx), 0);
	fput(dir);
	KT_EXPECT_EQ(t, strcmp(l.names, ". .. value ro wo private grp lnk "),
		     0);
	KT_EXPECT_EQ(t, l.dirs, 3);
	KT_EXPECT_EQ(t, l.links, 1);
	KT_EXPECT_EQ(t, l.regs, 4);
	kobject_put(&o->kobj);
}

/* sysfs_emit: page-aligned buffers only, never past the page. */
static void test_emit(struct ktest *t)
{
	char *page = (char *)get_zeroed_page(GFP_KERNEL);
	int len;

	KT_ASSERT_NOT_NULL(t, page);
	KT_EXPECT_EQ(t, sysfs_emit(page, "%s\n", "abc"), 4);
	KT_EXPECT_EQ(t, sysfs_emit_at(page, 4, "%d", 12), 2);
	KT_EXPECT_EQ(t, strcmp(page, "abc\n12"), 0);
	len = sysfs_emit_at(page, PAGE_SIZE - 3, "%s", "overflowing");
	KT_EXPECT_EQ(t, len, 2);
	KT_EXPECT_EQ(t, page[PAGE_SIZE - 1], '\0');
	KT_EXPECT_EQ(t, sysfs_emit_at(page, PAGE_SIZE, "x"), 0); /* warns */
	KT_EXPECT_EQ(t, sysfs_emit(page + 1, "x"), 0); /* warns */
	free_page((unsigned long)page);
}

/* Objects allocated: in every cache, and in sysfs's node cache. */
struct st_slab_count {
	unsigned long total, nodes;
};

static void st_count_objs(const struct slabinfo *info, void *arg)
{
	struct st_slab_count *c = arg;

	c->total += info->active_objs;
	if (!strcmp(info->name, "sysfs_dir_cache"))
		c->nodes += info->active_objs;
}

static struct st_slab_count st_slab_objs(void)
{
	struct st_slab_count c = { 0, 0 };

	kmem_cache_for_each(st_count_objs, &c);
	return c;
}

/* One cycle: an object (directory, default group's files, a named
 * group) plus a file, one attribute read through the VFS, then gone. */
static int st_cycle(void)
{
	char buf[ST_BUF_SIZE];
	struct st_obj *o = st_new(&st_ktype, NULL, "cycle");
	int err;

	if (!o)
		return -ENOMEM;
	err = sysfs_create_file(&o->kobj, &st_attr_slow);
	if (!err && st_read("/ktest_sysfs/cycle/value", buf, sizeof(buf)) != 3)
		err = -EIO;
	kobject_put(&o->kobj);
	return err;
}

/*
 * 10,000 cycles: the node cache is back where it started, and no cache
 * grew (other threads may free meanwhile, a leak would show as 10,000
 * more objects).
 */
static void test_cycles_slab_baseline(struct ktest *t)
{
	struct st_slab_count before, after;
	int i;

	KT_ASSERT_EQ(t, st_cycle(), 0); /* warm up: fill partial slabs */
	before = st_slab_objs();
	for (i = 0; i < ST_CYCLES; i++)
		KT_ASSERT_EQ(t, st_cycle(), 0);
	after = st_slab_objs();
	KT_EXPECT_EQ(t, after.nodes, before.nodes);
	KT_EXPECT_LE(t, after.total, before.total);
	KT_EXPECT_EQ(t, st_released, ST_CYCLES + 1);
}

static struct ktest_case sysfs_cases[] = {
	KTEST_CASE(test_dir_create_remove),
	KTEST_CASE(test_parent_removed_first),
	KTEST_CASE(test_show_store),
	KTEST_CASE(test_modes_and_methods),
	KTEST_CASE(test_setattr_kept),
	KTEST_CASE(test_bin_attr),
	KTEST_CASE(test_symlink),
	KTEST_CASE(test_duplicates),
	KTEST_CASE(test_poll_notify),
	KTEST_CASE(test_poll_wakes_sleeper),
	KTEST_CASE(test_remove_while_open),
	KTEST_CASE(test_removal_drains_show),
	KTEST_CASE(test_add_remove_race),
	KTEST_CASE(test_rename_move),
	KTEST_CASE(test_readdir),
	KTEST_CASE(test_emit),
	KTEST_CASE(test_cycles_slab_baseline),
	{},
};

KTEST_SUITE_FULL(sysfs, sysfs_cases, sysfs_suite_init, sysfs_suite_exit);
