/*
 * Opening files, and the calls that change a file by name: truncate,
 * chmod, chown, utimes, access, chdir, chroot, getcwd.
 *
 * vfs_open() turns a resolved path into a struct file: the file takes
 * the inode's default file_operations and calls their ->open (for a
 * device node that is chrdev_open(), which swaps in the driver's
 * operations). The name-level open, with O_CREAT and symlinks, is
 * do_filp_open() in namei.c; it ends here.
 *
 * Every attribute change goes through notify_change() (fs/attr.c) with
 * the inode's i_mutex held, after mnt_want_write() has checked that the
 * mount is writable.
 */
#include <kestrel/cred.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/fs_struct.h>
#include <kestrel/string.h>
#include <kestrel/time.h>

#include "internal.h"

static const struct file_operations path_only_fops;

struct file *vfs_open(const struct path *path, int flags)
{
	struct inode *inode = path->dentry->d_inode;
	const struct file_operations *fops;
	struct file *file;
	int err;

	fops = (flags & O_PATH) ? &path_only_fops : inode->i_fop;
	file = alloc_file(path, flags, fops);
	if (IS_ERR(file) || (flags & O_PATH))
		return file;
	if (file->f_op->open) {
		err = file->f_op->open(inode, file);
		if (err) {
			put_filp(file);
			return ERR_PTR(err);
		}
	}
	file->f_mode |= FMODE_OPENED;
	return file;
}

/*
 * The checks open(2) makes on the file itself: its type against the
 * access asked for, the mount's nodev flag, the mode bits, O_NOATIME
 * (only for the owner or CAP_FOWNER: it hides reads from others'
 * atime), and a writable mount for writes; in Linux's order.
 */
int may_open(const struct path *path, int acc_mode, int flag)
{
	struct inode *inode = path->dentry->d_inode;
	int err;

	switch (inode->i_mode & S_IFMT) {
	case S_IFLNK:
		return -ELOOP;
	case S_IFDIR:
		if (acc_mode & MAY_WRITE)
			return -EISDIR;
		break;
	case S_IFBLK:
	case S_IFCHR:
		if (path->mnt->mnt_flags & MNT_NODEV)
			return -EACCES;
		break;
	}
	err = inode_permission(inode, acc_mode);
	if (err)
		return err;
	if ((flag & O_NOATIME) && !inode_owner_or_capable(inode))
		return -EPERM;
	if ((acc_mode & MAY_WRITE) && S_ISREG(inode->i_mode))
		return mnt_want_write(path->mnt);
	return 0;
}

/* ---- truncate ----------------------------------------------------------- */

int do_truncate(struct dentry *dentry, loff_t length, unsigned int time_attrs,
		struct file *filp)
{
	struct iattr attr = { 0 };
	unsigned int kill;
	int err;

	if (length < 0)
		return -EINVAL;
	attr.ia_size = length;
	attr.ia_valid = ATTR_SIZE | time_attrs;
	kill = dentry_needs_remove_privs(dentry);
	if (kill)
		attr.ia_valid |= kill | ATTR_FORCE;
	inode_lock(dentry->d_inode);
	err = notify_change(dentry, &attr);
	inode_unlock(dentry->d_inode);
	return err;
}

int vfs_truncate(const struct path *path, loff_t length)
{
	struct inode *inode = path->dentry->d_inode;
	int err;

	if (length < 0)
		return -EINVAL;
	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	err = mnt_want_write(path->mnt);
	if (!err)
		err = inode_permission(inode, MAY_WRITE);
	if (!err)
		err = do_truncate(path->dentry, length, 0, NULL);
	return err;
}

int vfs_ftruncate(struct file *file, loff_t length)
{
	if (length < 0)
		return -EINVAL;
	if (!(file->f_mode & FMODE_WRITE) || !S_ISREG(file_inode(file)->i_mode))
		return -EINVAL;
	return do_truncate(file->f_path.dentry, length, ATTR_MTIME | ATTR_CTIME,
			   file);
}

/* ---- chmod, chown, utimes ----------------------------------------------- */

static int change_attr(const struct path *path, struct iattr *attr)
{
	struct inode *inode = path->dentry->d_inode;
	int err = mnt_want_write(path->mnt);

	if (err)
		return err;
	inode_lock(inode);
	err = notify_change(path->dentry, attr);
	inode_unlock(inode);
	return err;
}

int vfs_chmod(const struct path *path, umode_t mode)
{
	struct iattr attr = { 0 };

	attr.ia_valid = ATTR_MODE | ATTR_CTIME;
	attr.ia_mode = mode & S_IALLUGO;
	return change_attr(path, &attr);
}

int vfs_chown(const struct path *path, kuid_t uid, kgid_t gid)
{
	struct iattr attr = { 0 };

	attr.ia_valid = ATTR_CTIME;
	if (uid != (kuid_t)-1) {
		attr.ia_valid |= ATTR_UID;
		attr.ia_uid = uid;
	}
	if (gid != (kgid_t)-1) {
		attr.ia_valid |= ATTR_GID;
		attr.ia_gid = gid;
	}
	if (!S_ISDIR(path->dentry->d_inode->i_mode))
		attr.ia_valid |= ATTR_KILL_SUID | ATTR_KILL_SGID;
	return change_attr(path, &attr);
}

static bool utime_nsec_valid(long nsec)
{
	return nsec == UTIME_OMIT || nsec == UTIME_NOW ||
	       (nsec >= 0 && nsec < (long)NSEC_PER_SEC);
}

/* One of utimensat's two times: @bit (and @set_bit for an explicit
 * time, copied to @dst) in @attr. */
static void utime_one(struct iattr *attr, const struct timespec64 *t,
		      unsigned int bit, unsigned int set_bit,
		      struct timespec64 *dst)
{
	if (t->tv_nsec == UTIME_OMIT)
		return;
	attr->ia_valid |= bit;
	if (t->tv_nsec != UTIME_NOW) {
		attr->ia_valid |= set_bit;
		*dst = *t;
	}
}

int vfs_utimes(const struct path *path, struct timespec64 *times)
{
	struct iattr attr = { 0 };

	if (!times) {
		attr.ia_valid = ATTR_ATIME | ATTR_MTIME | ATTR_TOUCH;
		return change_attr(path, &attr);
	}
	if (!utime_nsec_valid(times[0].tv_nsec) ||
	    !utime_nsec_valid(times[1].tv_nsec))
		return -EINVAL;
	if (times[0].tv_nsec == UTIME_OMIT && times[1].tv_nsec == UTIME_OMIT)
		return 0;
	utime_one(&attr, &times[0], ATTR_ATIME, ATTR_ATIME_SET, &attr.ia_atime);
	utime_one(&attr, &times[1], ATTR_MTIME, ATTR_MTIME_SET, &attr.ia_mtime);
	if (!(attr.ia_valid & (ATTR_ATIME_SET | ATTR_MTIME_SET)))
		attr.ia_valid |=
			ATTR_TOUCH; /* only "now": write access will do */
	return change_attr(path, &attr);
}

/* ---- access, chdir, chroot, getcwd -------------------------------------- */

int vfs_access(struct fs_struct *fs, const struct path *dir, const char *name,
	       int mode, unsigned int lookup_flags)
{
	struct path path;
	struct inode *inode;
	int err;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	err = vfs_path_lookup(fs, dir, name, lookup_flags, &path);
	if (err)
		return err;
	inode = path.dentry->d_inode;
	if (mode != F_OK)
		err = inode_permission(inode, mode | MAY_ACCESS);
	if (!err && (mode & W_OK) && !S_ISCHR(inode->i_mode) &&
	    !S_ISBLK(inode->i_mode) && !S_ISFIFO(inode->i_mode) &&
	    !S_ISSOCK(inode->i_mode))
		err = mnt_want_write(path.mnt);
	path_put(&path);
	return err;
}

static int may_enter(const struct path *path)
{
	struct inode *inode = path->dentry->d_inode;

	if (!S_ISDIR(inode->i_mode))
		return -ENOTDIR;
	return inode_permission(inode, MAY_EXEC | MAY_CHDIR);
}

int vfs_chdir(struct fs_struct *fs, const struct path *path)
{
	int err = may_enter(path);

	if (!err)
		set_fs_pwd(fs, path);
	return err;
}

int vfs_chroot(struct fs_struct *fs, const struct path *path)
{
	int err = may_enter(path);

	if (!err && !capable(CAP_SYS_CHROOT))
		err = -EPERM;
	if (!err)
		set_fs_root(fs, path);
	return err;
}

int vfs_getcwd(struct fs_struct *fs, char *buf, size_t size)
{
	struct path root, pwd;
	char *name;
	int err = -ENOENT;

	get_fs_root(fs, &root);
	get_fs_pwd(fs, &pwd);
	if (d_unhashed(pwd.dentry) && !IS_ROOT(pwd.dentry))
		goto out_put;
	if (size > PATH_MAX)
		size = PATH_MAX;
	name = d_path(&pwd, &root, buf, size);
	err = IS_ERR(name) ? -ERANGE : (int)(buf + size - name);
	if (!IS_ERR(name))
		memmove(buf, name, err);
out_put:
	path_put(&pwd);
	path_put(&root);
	return err;
}

static int path_only_open(struct inode *inode, struct file *file)
{
	return -EBADF;
}

/* O_PATH files do no I/O: every slot is empty or refuses. */
static const struct file_operations path_only_fops = {
	.open = path_only_open,
};
