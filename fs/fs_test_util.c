/*
 * Helpers for the fs/ ktest suites (see fs_test_util.h).
 */
#include <kestrel/errno.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "fs_test_util.h"
#include "internal.h"

int fs_fixture_init(struct ktest *t)
{
	struct fs_fixture *fx = kzalloc(sizeof(*fx), GFP_KERNEL);
	struct dentry_stat ds;

	if (!fx)
		return -ENOMEM;
	dentry_stat_get(&ds);
	fx->dentries = ds.nr_dentry;
	fx->inodes = nr_inodes();
	fx->files = nr_files();
	fx->mnt = vfs_kern_mount(get_fs_type("tmpfs"), 0, "ktest", NULL);
	if (IS_ERR(fx->mnt)) {
		kfree(fx);
		return PTR_ERR(fx->mnt);
	}
	fx->root.mnt = fx->mnt;
	fx->root.dentry = fx->mnt->mnt_root;
	fx->fs = alloc_fs_struct(&fx->root);
	if (!fx->fs) {
		mntput(fx->mnt);
		kfree(fx);
		return -ENOMEM;
	}
	ktest_set_priv(t, fx);
	return 0;
}

void fs_fixture_exit(struct ktest *t)
{
	struct fs_fixture *fx = ktest_priv(t);
	struct dentry_stat ds;

	put_fs_struct(fx->fs);
	mntput(fx->mnt);
	dentry_stat_get(&ds);
	KT_EXPECT_EQ(t, nr_files(), fx->files);
	KT_EXPECT_EQ(t, nr_inodes(), fx->inodes);
	KT_EXPECT_EQ(t, ds.nr_dentry, fx->dentries);
	kfree(fx);
}

int fx_write_file(struct fs_struct *fs, const char *name, umode_t mode,
		  const void *data, size_t len)
{
	struct file *file = do_filp_open(fs, NULL, name,
					 O_WRONLY | O_CREAT | O_TRUNC, mode);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(file))
		return PTR_ERR(file);
	n = len ? kernel_write(file, data, len, &pos) : 0;
	fput(file);
	if (n < 0)
		return n;
	return (size_t)n == len ? 0 : -EIO;
}

ssize_t fx_read_file(struct fs_struct *fs, const char *name, void *buf,
		     size_t len)
{
	struct file *file = do_filp_open(fs, NULL, name, O_RDONLY, 0);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(file))
		return PTR_ERR(file);
	n = kernel_read(file, buf, len, &pos);
	fput(file);
	return n;
}

int fx_stat(struct fs_struct *fs, const char *name, unsigned int flags,
	    struct kstat *st)
{
	struct path path;
	int err = vfs_path_lookup(fs, NULL, name, flags, &path);

	if (err)
		return err;
	err = vfs_getattr(&path, st, STATX_BASIC_STATS, 0);
	path_put(&path);
	return err;
}

bool fx_exists(struct fs_struct *fs, const char *name)
{
	struct kstat st;

	return fx_stat(fs, name, 0, &st) == 0;
}

ssize_t fx_read_str(struct fs_struct *fs, const char *name, char *buf,
		    size_t size)
{
	struct file *file = do_filp_open(fs, NULL, name, O_RDONLY, 0);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(file))
		return PTR_ERR(file);
	n = kernel_read(file, buf, size - 1, &pos);
	fput(file);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

ssize_t fx_write_str(struct fs_struct *fs, const char *name, const char *text)
{
	struct file *file = do_filp_open(fs, NULL, name, O_WRONLY, 0);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(file))
		return PTR_ERR(file);
	n = kernel_write(file, text, strlen(text), &pos);
	fput(file);
	return n;
}

int ktest_mount(struct ktest_mount *km, const char *fstype)
{
	struct file_system_type *type = get_fs_type(fstype);
	struct path root;

	if (!type)
		return -ENODEV;
	km->mnt = vfs_kern_mount(type, 0, fstype, NULL);
	if (IS_ERR(km->mnt))
		return PTR_ERR(km->mnt);
	root.mnt = km->mnt;
	root.dentry = km->mnt->mnt_root;
	km->fs = alloc_fs_struct(&root);
	if (!km->fs) {
		mntput(km->mnt);
		return -ENOMEM;
	}
	return 0;
}

void ktest_umount(struct ktest_mount *km)
{
	put_fs_struct(km->fs);
	mntput(km->mnt);
}

const struct cred *fx_become(struct cred *cred, kuid_t uid, kgid_t gid)
{
	const struct cred *old = current->cred;

	memset(cred, 0, sizeof(*cred));
	cred->uid = cred->euid = cred->suid = cred->fsuid = uid;
	cred->gid = cred->egid = cred->sgid = cred->fsgid = gid;
	current->cred = cred;
	return old;
}

void fx_revert(const struct cred *old)
{
	current->cred = old;
}
