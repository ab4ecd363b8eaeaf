/*
 * The system calls that take names: stat and statx, directory listing,
 * creating, linking, renaming and removing names, symlinks, the working
 * and root directories, attributes (mode, owner, size, times), access,
 * umask, mounts, statfs, and the extended-attribute calls.
 *
 * Every name goes the same way: getname() copies it into a PATH_MAX
 * buffer (EFAULT, ENAMETOOLONG, ENOENT for "" unless AT_EMPTY_PATH),
 * at_name_get() pairs it with the directory descriptor of the *at()
 * calls, and the VFS resolves it from current_fs(). The VFS does the
 * rest (fs/namei.c, fs/nameops.c, fs/open.c, fs/stat.c,
 * fs/namespace.c); this file converts arguments and results between the
 * i386 ABI and the kernel's structures.
 *
 * Not implemented: extended attributes (no filesystem has any: every
 * call returns EOPNOTSUPP once its path or descriptor checks out),
 * RENAME_EXCHANGE and RENAME_WHITEOUT (EINVAL); mount propagation
 * flags are accepted and change nothing, since every mount is private
 * here.
 *
 * Locking: none of its own; every call may sleep.
 */
#include <asm/page.h>
#include <kestrel/cred.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs.h>
#include <kestrel/fs_struct.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <uapi/time.h>

#include "syscalls.h"

/* ---- names from user space ---------------------------------------------- */

char *getname(const char __user *uname, unsigned int lookup_flags)
{
	char *name = kmalloc(PATH_MAX, GFP_KERNEL);
	long len;
	int err;

	if (!name)
		return ERR_PTR(-ENOMEM);
	len = strncpy_from_user(name, uname, PATH_MAX);
	if (len < 0)
		err = -EFAULT;
	else if (len == PATH_MAX)
		err = -ENAMETOOLONG;
	else if (!len && !(lookup_flags & LOOKUP_EMPTY))
		err = -ENOENT;
	else
		return name;
	kfree(name);
	return ERR_PTR(err);
}

void putname(char *name)
{
	kfree(name);
}

int at_name_get(struct at_name *at, int dfd, const char __user *uname,
		unsigned int lookup_flags)
{
	struct file *file;

	at->dir = NULL;
	at->name = getname(uname, lookup_flags);
	if (IS_ERR(at->name))
		return PTR_ERR(at->name);
	if (at->name[0] == '/' || dfd == AT_FDCWD)
		return 0;
	file = fget_raw(dfd);
	if (!file) {
		putname(at->name);
		return -EBADF;
	}
	at->dir_path = file->f_path;
	path_get(&at->dir_path);
	at->dir = &at->dir_path;
	fput(file);
	return 0;
}

void at_name_put(struct at_name *at)
{
	if (at->dir)
		path_put(&at->dir_path);
	putname(at->name);
}

int user_path_at(int dfd, const char __user *uname, unsigned int lookup_flags,
		 struct path *path)
{
	struct at_name at;
	int err = at_name_get(&at, dfd, uname, lookup_flags);

	if (err)
		return err;
	err = vfs_path_lookup(current_fs(), at.dir, at.name, lookup_flags,
			      path);
	at_name_put(&at);
	return err;
}

/* The walk flags of AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH. */
static unsigned int at_lookup_flags(int flag)
{
	unsigned int lookup_flags = LOOKUP_FOLLOW;

	if (flag & AT_SYMLINK_NOFOLLOW)
		lookup_flags = 0;
	if (flag & AT_EMPTY_PATH)
		lookup_flags |= LOOKUP_EMPTY;
	return lookup_flags;
}

/* The operations of <kestrel/fs.h> that take (fs, dir, name). */
typedef int (*name_op_t)(struct fs_struct *fs, const struct path *dir,
			 const char *name);

static long do_name_op(int dfd, const char __user *uname, name_op_t op)
{
	struct at_name at;
	int err = at_name_get(&at, dfd, uname, 0);

	if (err)
		return err;
	err = op(current_fs(), at.dir, at.name);
	at_name_put(&at);
	return err;
}

/* ---- stat --------------------------------------------------------------- */

void cp_new_stat64(const struct kstat *stat, struct stat64 *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = new_encode_dev(stat->dev);
	st->__st_ino = (u32)stat->ino;
	st->st_mode = stat->mode;
	st->st_nlink = stat->nlink;
	st->st_uid = stat->uid;
	st->st_gid = stat->gid;
	st->st_rdev = new_encode_dev(stat->rdev);
	st->st_size = stat->size;
	st->st_blksize = stat->blksize;
	st->st_blocks = stat->blocks;
	st->st_atime = (u32)stat->atime.tv_sec;
	st->st_atime_nsec = stat->atime.tv_nsec;
	st->st_mtime = (u32)stat->mtime.tv_sec;
	st->st_mtime_nsec = stat->mtime.tv_nsec;
	st->st_ctime = (u32)stat->ctime.tv_sec;
	st->st_ctime_nsec = stat->ctime.tv_nsec;
	st->st_ino = stat->ino;
}

static void cp_statx_time(struct statx_timestamp *ts,
			  const struct timespec64 *t)
{
	ts->tv_sec = t->tv_sec;
	ts->tv_nsec = t->tv_nsec;
}

void cp_statx(const struct kstat *stat, u64 attributes, struct statx *sx)
{
	memset(sx, 0, sizeof(*sx));
	sx->stx_mask = stat->result_mask;
	sx->stx_blksize = stat->blksize;
	sx->stx_attributes = attributes & STATX_ATTR_KNOWN;
	sx->stx_nlink = stat->nlink;
	sx->stx_uid = stat->uid;
	sx->stx_gid = stat->gid;
	sx->stx_mode = stat->mode;
	sx->stx_ino = stat->ino;
	sx->stx_size = stat->size;
	sx->stx_blocks = stat->blocks;
	sx->stx_attributes_mask = STATX_ATTR_KNOWN;
	cp_statx_time(&sx->stx_atime, &stat->atime);
	cp_statx_time(&sx->stx_ctime, &stat->ctime);
	cp_statx_time(&sx->stx_mtime, &stat->mtime);
	sx->stx_rdev_major = MAJOR(stat->rdev);
	sx->stx_rdev_minor = MINOR(stat->rdev);
	sx->stx_dev_major = MAJOR(stat->dev);
	sx->stx_dev_minor = MINOR(stat->dev);
}

/*
 * The attributes of what @uname names from @dfd (fstatat64, statx):
 * @flag is AT_* and *@attributes gets STATX_ATTR_MOUNT_ROOT for the root
 * of a mount.
 */
static int stat_at(int dfd, const char __user *uname, int flag,
		   u32 request_mask, struct kstat *stat, u64 *attributes)
{
	struct path path;
	int err;

	err = user_path_at(dfd, uname, at_lookup_flags(flag), &path);
	if (err)
		return err;
	err = vfs_getattr(&path, stat, request_mask, flag & AT_STATX_SYNC_TYPE);
	*attributes =
		path.dentry == path.mnt->mnt_root ? STATX_ATTR_MOUNT_ROOT : 0;
	path_put(&path);
	return err;
}

static long stat64_to_user(const struct kstat *stat,
			   struct stat64 __user *statbuf)
{
	struct stat64 st;

	cp_new_stat64(stat, &st);
	return copy_to_user(statbuf, &st, sizeof(st)) ? -EFAULT : 0;
}

static long do_fstatat64(int dfd, const char __user *filename,
			 struct stat64 __user *statbuf, int flag)
{
	struct kstat stat;
	u64 attributes;
	int err;

	if (flag & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH))
		return -EINVAL;
	err = stat_at(dfd, filename, flag, STATX_BASIC_STATS, &stat,
		      &attributes);
	return err ? err : stat64_to_user(&stat, statbuf);
}

SYSCALL_DEFINE2(stat64, const char __user *, filename, struct stat64 __user *,
		statbuf)
{
	return do_fstatat64(AT_FDCWD, filename, statbuf, 0);
}

SYSCALL_DEFINE2(lstat64, const char __user *, filename, struct stat64 __user *,
		statbuf)
{
	return do_fstatat64(AT_FDCWD, filename, statbuf, AT_SYMLINK_NOFOLLOW);
}

SYSCALL_DEFINE4(fstatat64, int, dfd, const char __user *, filename,
		struct stat64 __user *, statbuf, int, flag)
{
	return do_fstatat64(dfd, filename, statbuf, flag);
}

SYSCALL_DEFINE2(fstat64, unsigned long, fd, struct stat64 __user *, statbuf)
{
	struct file *file = fget_raw(fd);
	struct kstat stat;
	int err;

	if (!file)
		return -EBADF;
	err = vfs_getattr(&file->f_path, &stat, STATX_BASIC_STATS,
			  AT_STATX_SYNC_AS_STAT);
	fput(file);
	return err ? err : stat64_to_user(&stat, statbuf);
}

SYSCALL_DEFINE5(statx, int, dfd, const char __user *, filename, unsigned int,
		flags, unsigned int, mask, struct statx __user *, buffer)
{
	struct kstat stat;
	struct statx sx;
	u64 attributes;
	int err;

	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if (mask & STATX__RESERVED)
		return -EINVAL;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH |
		      AT_STATX_SYNC_TYPE))
		return -EINVAL;
	err = stat_at(dfd, filename, flags, mask, &stat, &attributes);
	if (err)
		return err;
	cp_statx(&stat, attributes, &sx);
	return copy_to_user(buffer, &sx, sizeof(sx)) ? -EFAULT : 0;
}

/* ---- getdents64 --------------------------------------------------------- */

#define DIRENT64_ALIGN sizeof(u64)
#define DIRENT64_NAME offsetof(struct linux_dirent64, d_name)

/* One call lists at most this much: a slab-sized bounce buffer. */
#define GETDENTS_BUF_MAX (2 * PAGE_SIZE)

size_t dirent64_reclen(int namlen)
{
	size_t len = DIRENT64_NAME + namlen + 1;

	return (len + DIRENT64_ALIGN - 1) & ~(DIRENT64_ALIGN - 1);
}

static struct linux_dirent64 *dirent64_at(struct dirent64_buf *db, size_t off)
{
	return (struct linux_dirent64 *)(db->buf + off);
}

/*
 *	before:  [rec A: d_off ?] [free ............................]
 *	after:   [rec A: d_off = @offset] [rec B: d_off ?] [free ....]
 */
bool dirent64_add(struct dirent64_buf *db, const char *name, int namlen,
		  loff_t offset, u64 ino, unsigned int type)
{
	size_t reclen = dirent64_reclen(namlen);
	struct linux_dirent64 *d;

	if (reclen > db->size - db->used) {
		if (!db->used)
			db->error = -EINVAL;
		return false;
	}
	if (db->used)
		dirent64_at(db, db->prev)->d_off = offset;
	d = dirent64_at(db, db->used);
	d->d_ino = ino;
	d->d_off = 0;
	d->d_reclen = reclen;
	d->d_type = type;
	memcpy(d->d_name, name, namlen);
	/* The NUL and the padding: no stale kernel bytes reach the user. */
	memset(d->d_name + namlen, 0, reclen - DIRENT64_NAME - namlen);
	db->prev = db->used;
	db->used += reclen;
	return true;
}

void dirent64_finish(struct dirent64_buf *db, loff_t pos)
{
	if (db->used)
		dirent64_at(db, db->prev)->d_off = pos;
}

struct getdents_callback {
	struct dir_context ctx;
	struct dirent64_buf db;
};

static bool filldir64(struct dir_context *ctx, const char *name, int namlen,
		      loff_t offset, u64 ino, unsigned int d_type)
{
	struct getdents_callback *gc =
		container_of(ctx, struct getdents_callback, ctx);

	return dirent64_add(&gc->db, name, namlen, offset, ino, d_type);
}

/* List @file into @gc's buffer; the bytes of records, or -errno. */
static long getdents_fill(struct file *file, struct getdents_callback *gc)
{
	int err = iterate_dir(file, &gc->ctx);

	if (!err)
		err = gc->db.error;
	if (err)
		return err;
	dirent64_finish(&gc->db, gc->ctx.pos);
	return gc->db.used;
}

SYSCALL_DEFINE3(getdents64, unsigned int, fd, struct linux_dirent64 __user *,
		dirent, unsigned int, count)
{
	struct getdents_callback gc = { .ctx.actor = filldir64 };
	struct file *file = fget(fd);
	long ret;

	if (!file)
		return -EBADF;
	gc.db.size = count < GETDENTS_BUF_MAX ? count : GETDENTS_BUF_MAX;
	gc.db.buf = kmalloc(gc.db.size, GFP_KERNEL);
	ret = -ENOMEM;
	if (gc.db.buf)
		ret = getdents_fill(file, &gc);
	if (ret > 0 && copy_to_user(dirent, gc.db.buf, ret))
		ret = -EFAULT;
	kfree(gc.db.buf);
	fput(file);
	return ret;
}

/* ---- creating and removing names ---------------------------------------- */

static long do_mkdir_user(int dfd, const char __user *pathname, umode_t mode)
{
	struct at_name at;
	int err = at_name_get(&at, dfd, pathname, 0);

	if (err)
		return err;
	err = do_mkdirat(current_fs(), at.dir, at.name, mode);
	at_name_put(&at);
	return err;
}

SYSCALL_DEFINE2(mkdir, const char __user *, pathname, umode_t, mode)
{
	return do_mkdir_user(AT_FDCWD, pathname, mode);
}

SYSCALL_DEFINE3(mkdirat, int, dfd, const char __user *, pathname, umode_t, mode)
{
	return do_mkdir_user(dfd, pathname, mode);
}

static long do_mknod_user(int dfd, const char __user *filename, umode_t mode,
			  unsigned int dev)
{
	struct at_name at;
	int err = at_name_get(&at, dfd, filename, 0);

	if (err)
		return err;
	err = do_mknodat(current_fs(), at.dir, at.name, mode,
			 new_decode_dev(dev));
	at_name_put(&at);
	return err;
}

SYSCALL_DEFINE3(mknod, const char __user *, filename, umode_t, mode,
		unsigned int, dev)
{
	return do_mknod_user(AT_FDCWD, filename, mode, dev);
}

SYSCALL_DEFINE4(mknodat, int, dfd, const char __user *, filename, umode_t, mode,
		unsigned int, dev)
{
	return do_mknod_user(dfd, filename, mode, dev);
}

SYSCALL_DEFINE1(rmdir, const char __user *, pathname)
{
	return do_name_op(AT_FDCWD, pathname, do_rmdir);
}

SYSCALL_DEFINE1(unlink, const char __user *, pathname)
{
	return do_name_op(AT_FDCWD, pathname, do_unlinkat);
}

SYSCALL_DEFINE3(unlinkat, int, dfd, const char __user *, pathname, int, flag)
{
	if (flag & ~AT_REMOVEDIR)
		return -EINVAL;
	return do_name_op(dfd, pathname,
			  (flag & AT_REMOVEDIR) ? do_rmdir : do_unlinkat);
}

/* ---- rename, link, symlink, readlink ------------------------------------ */

static long do_rename_user(int olddfd, const char __user *oldname, int newdfd,
			   const char __user *newname, unsigned int flags)
{
	struct at_name from, to;
	int err;

	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL; /* RENAME_EXCHANGE, RENAME_WHITEOUT: see top */
	err = at_name_get(&from, olddfd, oldname, 0);
	if (err)
		return err;
	err = at_name_get(&to, newdfd, newname, 0);
	if (err)
		goto out_put_from;
	err = do_renameat2(current_fs(), from.dir, from.name, to.dir, to.name,
			   flags);
	at_name_put(&to);
out_put_from:
	at_name_put(&from);
	return err;
}

SYSCALL_DEFINE2(rename, const char __user *, oldname, const char __user *,
		newname)
{
	return do_rename_user(AT_FDCWD, oldname, AT_FDCWD, newname, 0);
}

SYSCALL_DEFINE4(renameat, int, olddfd, const char __user *, oldname, int,
		newdfd, const char __user *, newname)
{
	return do_rename_user(olddfd, oldname, newdfd, newname, 0);
}

SYSCALL_DEFINE5(renameat2, int, olddfd, const char __user *, oldname, int,
		newdfd, const char __user *, newname, unsigned int, flags)
{
	return do_rename_user(olddfd, oldname, newdfd, newname, flags);
}

static long do_link_user(int olddfd, const char __user *oldname, int newdfd,
			 const char __user *newname, int flags)
{
	struct at_name from, to;
	int err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	/* Linking an open file back into the tree is a privilege. */
	if ((flags & AT_EMPTY_PATH) && !capable(CAP_DAC_READ_SEARCH))
		return -ENOENT;
	err = at_name_get(&from, olddfd, oldname,
			  (flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0);
	if (err)
		return err;
	err = at_name_get(&to, newdfd, newname, 0);
	if (err)
		goto out_put_from;
	err = do_linkat(current_fs(), from.dir, from.name, to.dir, to.name,
			flags);
	at_name_put(&to);
out_put_from:
	at_name_put(&from);
	return err;
}

SYSCALL_DEFINE2(link, const char __user *, oldname, const char __user *,
		newname)
{
	return do_link_user(AT_FDCWD, oldname, AT_FDCWD, newname, 0);
}

SYSCALL_DEFINE5(linkat, int, olddfd, const char __user *, oldname, int, newdfd,
		const char __user *, newname, int, flags)
{
	return do_link_user(olddfd, oldname, newdfd, newname, flags);
}

static long do_symlink_user(const char __user *oldname, int newdfd,
			    const char __user *newname)
{
	struct at_name to;
	char *target;
	int err;

	target = getname(oldname, 0);
	if (IS_ERR(target))
		return PTR_ERR(target);
	err = at_name_get(&to, newdfd, newname, 0);
	if (err)
		goto out_put_target;
	err = do_symlinkat(current_fs(), target, to.dir, to.name);
	at_name_put(&to);
out_put_target:
	putname(target);
	return err;
}

SYSCALL_DEFINE2(symlink, const char __user *, oldname, const char __user *,
		newname)
{
	return do_symlink_user(oldname, AT_FDCWD, newname);
}

SYSCALL_DEFINE3(symlinkat, const char __user *, oldname, int, newdfd,
		const char __user *, newname)
{
	return do_symlink_user(oldname, newdfd, newname);
}

/*
 * The target is not NUL-terminated. Not a symlink: EINVAL, or ENOENT when
 * the name was empty (readlinkat on an O_PATH descriptor of something
 * else), as in Linux.
 */
static long do_readlink_user(int dfd, const char __user *pathname,
			     char __user *buf, int bufsiz)
{
	struct at_name at;
	struct path path;
	char *kbuf;
	bool empty;
	long len;

	if (bufsiz <= 0)
		return -EINVAL;
	len = at_name_get(&at, dfd, pathname, LOOKUP_EMPTY);
	if (len)
		return len;
	empty = !at.name[0];
	len = vfs_path_lookup(current_fs(), at.dir, at.name, LOOKUP_EMPTY,
			      &path);
	at_name_put(&at);
	if (len)
		return len;
	if (bufsiz > PATH_MAX)
		bufsiz = PATH_MAX;
	kbuf = kmalloc(bufsiz, GFP_KERNEL);
	len = -ENOMEM;
	if (!S_ISLNK(path.dentry->d_inode->i_mode))
		len = empty ? -ENOENT : -EINVAL;
	else if (kbuf)
		len = vfs_readlink(path.dentry, kbuf, bufsiz);
	if (len > 0 && copy_to_user(buf, kbuf, len))
		len = -EFAULT;
	kfree(kbuf);
	path_put(&path);
	return len;
}

SYSCALL_DEFINE3(readlink, const char __user *, path, char __user *, buf, int,
		bufsiz)
{
	return do_readlink_user(AT_FDCWD, path, buf, bufsiz);
}

SYSCALL_DEFINE4(readlinkat, int, dfd, const char __user *, pathname,
		char __user *, buf, int, bufsiz)
{
	return do_readlink_user(dfd, pathname, buf, bufsiz);
}

/* ---- working and root directory ----------------------------------------- */

/* chdir and chroot: a directory by name, then @op on current_fs(). */
static long do_dir_op(const char __user *filename,
		      int (*op)(struct fs_struct *fs, const struct path *path))
{
	struct path path;
	int err;

	err = user_path_at(AT_FDCWD, filename, LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
			   &path);
	if (err)
		return err;
	err = op(current_fs(), &path);
	path_put(&path);
	return err;
}

SYSCALL_DEFINE1(chdir, const char __user *, filename)
{
	return do_dir_op(filename, vfs_chdir);
}

SYSCALL_DEFINE1(chroot, const char __user *, filename)
{
	return do_dir_op(filename, vfs_chroot);
}

SYSCALL_DEFINE1(fchdir, unsigned int, fd)
{
	struct file *file = fget_raw(fd);
	int err;

	if (!file)
		return -EBADF;
	err = vfs_chdir(current_fs(), &file->f_path);
	fput(file);
	return err;
}

/* The length of the name with its NUL; ERANGE when @size is too small. */
SYSCALL_DEFINE2(getcwd, char __user *, buf, unsigned long, size)
{
	char *page = kmalloc(PATH_MAX, GFP_KERNEL);
	long len;

	if (!page)
		return -ENOMEM;
	len = vfs_getcwd(current_fs(), page, size);
	if (len > 0 && copy_to_user(buf, page, len))
		len = -EFAULT;
	kfree(page);
	return len;
}

/* ---- mode and owner ----------------------------------------------------- */

static long chmod_path(int dfd, const char __user *filename, umode_t mode,
		       unsigned int lookup_flags)
{
	struct path path;
	int err;

	err = user_path_at(dfd, filename, lookup_flags, &path);
	if (err)
		return err;
	/* A symlink's mode means nothing: Linux refuses to change it. */
	if (S_ISLNK(path.dentry->d_inode->i_mode))
		err = -EOPNOTSUPP;
	else
		err = vfs_chmod(&path, mode);
	path_put(&path);
	return err;
}

SYSCALL_DEFINE2(chmod, const char __user *, filename, umode_t, mode)
{
	return chmod_path(AT_FDCWD, filename, mode, LOOKUP_FOLLOW);
}

SYSCALL_DEFINE3(fchmodat, int, dfd, const char __user *, filename, umode_t,
		mode)
{
	return chmod_path(dfd, filename, mode, LOOKUP_FOLLOW);
}

SYSCALL_DEFINE4(fchmodat2, int, dfd, const char __user *, filename, umode_t,
		mode, unsigned int, flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	return chmod_path(dfd, filename, mode, at_lookup_flags(flags));
}

SYSCALL_DEFINE2(fchmod, unsigned int, fd, umode_t, mode)
{
	struct file *file = fget(fd);
	int err;

	if (!file)
		return -EBADF;
	err = vfs_chmod(&file->f_path, mode);
	fput(file);
	return err;
}

/* (u32)-1 for @user or @group leaves that id alone. */
static long do_fchownat(int dfd, const char __user *filename, u32 user,
			u32 group, int flag)
{
	struct path path;
	int err;

	if (flag & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = user_path_at(dfd, filename, at_lookup_flags(flag), &path);
	if (err)
		return err;
	err = vfs_chown(&path, user, group);
	path_put(&path);
	return err;
}

SYSCALL_DEFINE3(chown32, const char __user *, filename, u32, user, u32, group)
{
	return do_fchownat(AT_FDCWD, filename, user, group, 0);
}

SYSCALL_DEFINE3(lchown32, const char __user *, filename, u32, user, u32, group)
{
	return do_fchownat(AT_FDCWD, filename, user, group,
			   AT_SYMLINK_NOFOLLOW);
}

SYSCALL_DEFINE5(fchownat, int, dfd, const char __user *, filename, u32, user,
		u32, group, int, flag)
{
	return do_fchownat(dfd, filename, user, group, flag);
}

SYSCALL_DEFINE3(fchown32, unsigned int, fd, u32, user, u32, group)
{
	struct file *file = fget(fd);
	int err;

	if (!file)
		return -EBADF;
	err = vfs_chown(&file->f_path, user, group);
	fput(file);
	return err;
}

/* ---- size and times ----------------------------------------------------- */

static long do_truncate_user(const char __user *pathname, loff_t length)
{
	struct path path;
	int err;

	if (length < 0)
		return -EINVAL;
	err = user_path_at(AT_FDCWD, pathname, LOOKUP_FOLLOW, &path);
	if (err)
		return err;
	err = vfs_truncate(&path, length);
	path_put(&path);
	return err;
}

static long do_ftruncate_user(unsigned int fd, loff_t length)
{
	struct file *file;
	int err;

	if (length < 0)
		return -EINVAL;
	file = fget(fd);
	if (!file)
		return -EBADF;
	err = vfs_ftruncate(file, length);
	fput(file);
	return err;
}

/* The 32-bit forms: glibc's truncate() and ftruncate() without LFS. */
SYSCALL_DEFINE2(truncate, const char __user *, pathname, s32, length)
{
	return do_truncate_user(pathname, length);
}

SYSCALL_DEFINE2(ftruncate, unsigned int, fd, s32, length)
{
	return do_ftruncate_user(fd, length);
}

SYSCALL_DEFINE3(truncate64, const char __user *, pathname, u32, length_lo, u32,
		length_hi)
{
	return do_truncate_user(pathname, loff_from_lohi(length_lo, length_hi));
}

SYSCALL_DEFINE3(ftruncate64, unsigned int, fd, u32, length_lo, u32, length_hi)
{
	return do_ftruncate_user(fd, loff_from_lohi(length_lo, length_hi));
}

/*
 * utimensat: a NULL @filename with a descriptor changes that open file
 * (futimens); @times NULL means "now" for both.
 */
static long do_utimes(int dfd, const char __user *filename,
		      struct timespec64 *times, int flags)
{
	struct path path;
	struct file *file;
	int err;

	if (!filename && dfd != AT_FDCWD) {
		if (flags)
			return -EINVAL;
		file = fget(dfd);
		if (!file)
			return -EBADF;
		err = vfs_utimes(&file->f_path, times);
		fput(file);
		return err;
	}
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = user_path_at(dfd, filename, at_lookup_flags(flags), &path);
	if (err)
		return err;
	err = vfs_utimes(&path, times);
	path_put(&path);
	return err;
}

/* Both UTIME_OMIT: nothing to do, and Linux does not even look at the
 * name. */
static bool utimes_noop(const struct timespec64 *times)
{
	return times[0].tv_nsec == UTIME_OMIT && times[1].tv_nsec == UTIME_OMIT;
}

SYSCALL_DEFINE4(utimensat, int, dfd, const char __user *, filename,
		const struct timespec __user *, utimes, int, flags)
{
	struct timespec64 times[2];

	if (!utimes)
		return do_utimes(dfd, filename, NULL, flags);
	if (get_old_timespec32(&times[0], &utimes[0]) ||
	    get_old_timespec32(&times[1], &utimes[1]))
		return -EFAULT;
	return utimes_noop(times) ? 0 : do_utimes(dfd, filename, times, flags);
}

/* The 64-bit layout; as on Linux's i386, the high half of tv_nsec is
 * padding and is ignored. */
SYSCALL_DEFINE4(utimensat_time64, int, dfd, const char __user *, filename,
		const struct __kernel_timespec __user *, utimes, int, flags)
{
	struct timespec64 times[2];

	if (!utimes)
		return do_utimes(dfd, filename, NULL, flags);
	if (get_timespec64(&times[0], &utimes[0]) ||
	    get_timespec64(&times[1], &utimes[1]))
		return -EFAULT;
	return utimes_noop(times) ? 0 : do_utimes(dfd, filename, times, flags);
}

/* ---- access and umask --------------------------------------------------- */

/*
 * access(2) asks about the real ids: run the check under a copy of the
 * credentials with fsuid/fsgid set to the real uid/gid, and the euid too,
 * so that root's bypass (capable(): euid 0) follows the real uid as
 * Linux's capabilities do. Returns the credentials to put back with
 * revert_access_creds(), NULL when nothing had to change, or ERR_PTR.
 */
static const struct cred *access_override_creds(void)
{
	const struct cred *old = current_cred();
	struct cred *new;

	if (old->fsuid == old->uid && old->fsgid == old->gid &&
	    old->euid == old->uid)
		return NULL;
	new = prepare_creds();
	if (!new)
		return ERR_PTR(-ENOMEM);
	new->fsuid = new->euid = new->uid;
	new->fsgid = new->gid;
	old = get_cred(old);
	commit_creds(new);
	return old;
}

static void revert_access_creds(const struct cred *old)
{
	commit_creds((struct cred *)old); /* our reference goes back */
}

static long do_faccessat(int dfd, const char __user *filename, int mode,
			 int flags)
{
	const struct cred *old = NULL;
	struct at_name at;
	int err;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = at_name_get(&at, dfd, filename,
			  (flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0);
	if (err)
		return err;
	if (!(flags & AT_EACCESS))
		old = access_override_creds();
	if (IS_ERR(old)) {
		err = PTR_ERR(old);
		goto out_put_name;
	}
	err = vfs_access(current_fs(), at.dir, at.name, mode,
			 at_lookup_flags(flags));
	if (old)
		revert_access_creds(old);
out_put_name:
	at_name_put(&at);
	return err;
}

SYSCALL_DEFINE2(access, const char __user *, filename, int, mode)
{
	return do_faccessat(AT_FDCWD, filename, mode, 0);
}

SYSCALL_DEFINE3(faccessat, int, dfd, const char __user *, filename, int, mode)
{
	return do_faccessat(dfd, filename, mode, 0);
}

SYSCALL_DEFINE4(faccessat2, int, dfd, const char __user *, filename, int, mode,
		int, flags)
{
	return do_faccessat(dfd, filename, mode, flags);
}

SYSCALL_DEFINE1(umask, int, mask)
{
	return fs_set_umask(current_fs(), mask & S_IRWXUGO);
}

/* ---- mount and umount --------------------------------------------------- */

/* mount(2) flags <kestrel/fs.h> does not name (Linux's values). */
#define MS_MGC_VAL 0xc0ed0000UL /* old magic in the top half: ignored */
#define MS_MGC_MSK 0xffff0000UL
#define MS_MOVE 0x2000UL
#define MS_UNBINDABLE 0x20000UL
#define MS_PRIVATE 0x40000UL
#define MS_SLAVE 0x80000UL
#define MS_SHARED 0x100000UL
#define MS_PROPAGATION (MS_UNBINDABLE | MS_PRIVATE | MS_SLAVE | MS_SHARED)

/* What do_mount() acts on; the rest (atime, sync...) is accepted and
 * has no effect. */
#define MS_HANDLED (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_REMOUNT)

/* mount(2)'s strings and option page, in kernel memory. */
struct mount_args {
	char *dev_name; /* NULL if the user passed NULL */
	char *type;
	char *data; /* one page, NUL-terminated */
};

static char *copy_mount_string(const char __user *s)
{
	return s ? getname(s, LOOKUP_EMPTY) : NULL;
}

/*
 * The option block: up to a page, as much of it as can be read (it may
 * end short of a page at the end of a mapping, or of user space).
 */
static char *copy_mount_options(const void __user *data)
{
	unsigned long addr = (unsigned long)(uintptr_t)data;
	unsigned long size = PAGE_SIZE;
	char *copy;

	if (!data)
		return NULL;
	if (addr >= TASK_SIZE)
		return ERR_PTR(-EFAULT);
	if (size > TASK_SIZE - addr)
		size = TASK_SIZE - addr;
	copy = kzalloc(PAGE_SIZE, GFP_KERNEL);
	if (!copy)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(copy, data, size) == size) {
		kfree(copy);
		return ERR_PTR(-EFAULT);
	}
	copy[PAGE_SIZE - 1] = '\0';
	return copy;
}

static void free_mount_args(struct mount_args *args)
{
	if (!IS_ERR_OR_NULL(args->dev_name))
		putname(args->dev_name);
	if (!IS_ERR_OR_NULL(args->type))
		putname(args->type);
	if (!IS_ERR_OR_NULL(args->data))
		kfree(args->data);
}

static int copy_mount_args(struct mount_args *args, const char __user *dev_name,
			   const char __user *type, const void __user *data)
{
	int err = 0;

	args->dev_name = copy_mount_string(dev_name);
	args->type = copy_mount_string(type);
	args->data = copy_mount_options(data);
	if (IS_ERR(args->dev_name))
		err = PTR_ERR(args->dev_name);
	else if (IS_ERR(args->type))
		err = PTR_ERR(args->type);
	else if (IS_ERR(args->data))
		err = PTR_ERR(args->data);
	if (err)
		free_mount_args(args);
	return err;
}

/*
 * MS_BIND (make what @dev_name names visible at @to as well) and MS_MOVE
 * (the mount whose root it names goes to @to): @dev_name is a path,
 * and @op does the rest.
 */
static int mount_from_path(const char *dev_name, const struct path *to,
			   int (*op)(const struct path *from,
				     const struct path *to))
{
	struct path from;
	int err;

	if (!dev_name || !*dev_name)
		return -EINVAL;
	err = vfs_path_lookup(current_fs(), NULL, dev_name, LOOKUP_FOLLOW,
			      &from);
	if (err)
		return err;
	err = op(&from, to);
	path_put(&from);
	return err;
}

/* The kinds of mount(2), in Linux's order of precedence. */
static int mount_at(const struct path *path, const struct mount_args *args,
		    unsigned long flags)
{
	if (flags & MS_REMOUNT)
		return do_mount(args->dev_name, path, args->type,
				flags & (MS_HANDLED | MS_BIND), args->data);
	if (flags & MS_BIND)
		return mount_from_path(args->dev_name, path, do_bind_mount);
	if (flags & MS_PROPAGATION)
		return capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
	if (flags & MS_MOVE)
		return mount_from_path(args->dev_name, path, do_move_mount);
	return do_mount(args->dev_name, path, args->type, flags & MS_HANDLED,
			args->data);
}

SYSCALL_DEFINE5(mount, const char __user *, dev_name, const char __user *,
		dir_name, const char __user *, type, unsigned long, flags,
		const void __user *, data)
{
	struct mount_args args;
	struct path path;
	int err;

	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	err = copy_mount_args(&args, dev_name, type, data);
	if (err)
		return err;
	err = user_path_at(AT_FDCWD, dir_name, LOOKUP_FOLLOW, &path);
	if (!err) {
		err = mount_at(&path, &args, flags);
		path_put(&path);
	}
	free_mount_args(&args);
	return err;
}

static long do_umount_user(const char __user *name, int flags)
{
	unsigned int lookup_flags = LOOKUP_FOLLOW;
	struct path path;
	int err;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if (flags & UMOUNT_NOFOLLOW)
		lookup_flags = 0;
	err = user_path_at(AT_FDCWD, name, lookup_flags, &path);
	if (err)
		return err;
	err = do_umount(&path, flags & ~UMOUNT_NOFOLLOW);
	path_put(&path);
	return err;
}

SYSCALL_DEFINE2(umount2, const char __user *, name, int, flags)
{
	return do_umount_user(name, flags);
}

SYSCALL_DEFINE1(umount, const char __user *, name)
{
	return do_umount_user(name, 0);
}

/* ---- statfs ------------------------------------------------------------- */

void cp_statfs64(const struct kstatfs *st, struct statfs64 *buf)
{
	memset(buf, 0, sizeof(*buf));
	buf->f_type = st->f_type;
	buf->f_bsize = st->f_bsize;
	buf->f_blocks = st->f_blocks;
	buf->f_bfree = st->f_bfree;
	buf->f_bavail = st->f_bavail;
	buf->f_files = st->f_files;
	buf->f_ffree = st->f_ffree;
	buf->f_fsid.val[0] = st->f_fsid[0];
	buf->f_fsid.val[1] = st->f_fsid[1];
	buf->f_namelen = st->f_namelen;
	buf->f_frsize = st->f_frsize;
	buf->f_flags = st->f_flags;
}

static long statfs64_to_user(const struct path *path,
			     struct statfs64 __user *buf)
{
	struct kstatfs st;
	struct statfs64 out;
	int err = vfs_statfs(path, &st);

	if (err)
		return err;
	cp_statfs64(&st, &out);
	return copy_to_user(buf, &out, sizeof(out)) ? -EFAULT : 0;
}

/* @sz must be sizeof(struct statfs64): 84 on i386, as Linux checks. */
SYSCALL_DEFINE3(statfs64, const char __user *, pathname, size_t, sz,
		struct statfs64 __user *, buf)
{
	struct path path;
	long err;

	if (sz != sizeof(*buf))
		return -EINVAL;
	err = user_path_at(AT_FDCWD, pathname, LOOKUP_FOLLOW, &path);
	if (err)
		return err;
	err = statfs64_to_user(&path, buf);
	path_put(&path);
	return err;
}

SYSCALL_DEFINE3(fstatfs64, unsigned int, fd, size_t, sz,
		struct statfs64 __user *, buf)
{
	struct file *file;
	long err;

	if (sz != sizeof(*buf))
		return -EINVAL;
	file = fget_raw(fd);
	if (!file)
		return -EBADF;
	err = statfs64_to_user(&file->f_path, buf);
	fput(file);
	return err;
}

/*
 * The old 32-bit struct statfs (statfs, fstatfs): EOVERFLOW when a
 * count does not fit, as Linux's put_compat_statfs.
 */
static long statfs_to_user(const struct path *path, struct statfs __user *buf)
{
	struct kstatfs st;
	struct statfs out;
	int err = vfs_statfs(path, &st);

	if (err)
		return err;
	if ((st.f_blocks | st.f_bfree | st.f_bavail | st.f_files |
	     st.f_ffree) >>
	    32)
		return -EOVERFLOW;
	memset(&out, 0, sizeof(out));
	out.f_type = st.f_type;
	out.f_bsize = st.f_bsize;
	out.f_blocks = (u32)st.f_blocks;
	out.f_bfree = (u32)st.f_bfree;
	out.f_bavail = (u32)st.f_bavail;
	out.f_files = (u32)st.f_files;
	out.f_ffree = (u32)st.f_ffree;
	out.f_fsid.val[0] = st.f_fsid[0];
	out.f_fsid.val[1] = st.f_fsid[1];
	out.f_namelen = st.f_namelen;
	out.f_frsize = st.f_frsize;
	out.f_flags = st.f_flags;
	return copy_to_user(buf, &out, sizeof(out)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(statfs, const char __user *, pathname, struct statfs __user *,
		buf)
{
	struct path path;
	long err = user_path_at(AT_FDCWD, pathname, LOOKUP_FOLLOW, &path);

	if (err)
		return err;
	err = statfs_to_user(&path, buf);
	path_put(&path);
	return err;
}

SYSCALL_DEFINE2(fstatfs, unsigned int, fd, struct statfs __user *, buf)
{
	struct file *file = fget_raw(fd);
	long err;

	if (!file)
		return -EBADF;
	err = statfs_to_user(&file->f_path, buf);
	fput(file);
	return err;
}

/* ---- extended attributes ------------------------------------------------ */

/* The path is checked (ENOENT, EFAULT...), then: no attributes here. */
static long xattr_path(const char __user *pathname, unsigned int lookup_flags)
{
	struct path path;
	int err = user_path_at(AT_FDCWD, pathname, lookup_flags, &path);

	if (err)
		return err;
	path_put(&path);
	return -EOPNOTSUPP;
}

static long xattr_fd(unsigned int fd)
{
	struct file *file = fget(fd);

	if (!file)
		return -EBADF;
	fput(file);
	return -EOPNOTSUPP;
}

SYSCALL_DEFINE5(setxattr, const char __user *, pathname, const char __user *,
		name, const void __user *, value, size_t, size, int, flags)
{
	return xattr_path(pathname, LOOKUP_FOLLOW);
}

SYSCALL_DEFINE5(lsetxattr, const char __user *, pathname, const char __user *,
		name, const void __user *, value, size_t, size, int, flags)
{
	return xattr_path(pathname, 0);
}

SYSCALL_DEFINE5(fsetxattr, unsigned int, fd, const char __user *, name,
		const void __user *, value, size_t, size, int, flags)
{
	return xattr_fd(fd);
}

SYSCALL_DEFINE4(getxattr, const char __user *, pathname, const char __user *,
		name, void __user *, value, size_t, size)
{
	return xattr_path(pathname, LOOKUP_FOLLOW);
}

SYSCALL_DEFINE4(lgetxattr, const char __user *, pathname, const char __user *,
		name, void __user *, value, size_t, size)
{
	return xattr_path(pathname, 0);
}

SYSCALL_DEFINE4(fgetxattr, unsigned int, fd, const char __user *, name,
		void __user *, value, size_t, size)
{
	return xattr_fd(fd);
}

SYSCALL_DEFINE3(listxattr, const char __user *, pathname, char __user *, list,
		size_t, size)
{
	return xattr_path(pathname, LOOKUP_FOLLOW);
}

SYSCALL_DEFINE3(llistxattr, const char __user *, pathname, char __user *, list,
		size_t, size)
{
	return xattr_path(pathname, 0);
}

SYSCALL_DEFINE3(flistxattr, unsigned int, fd, char __user *, list, size_t, size)
{
	return xattr_fd(fd);
}

SYSCALL_DEFINE2(removexattr, const char __user *, pathname, const char __user *,
		name)
{
	return xattr_path(pathname, LOOKUP_FOLLOW);
}

SYSCALL_DEFINE2(lremovexattr, const char __user *, pathname,
		const char __user *, name)
{
	return xattr_path(pathname, 0);
}

SYSCALL_DEFINE2(fremovexattr, unsigned int, fd, const char __user *, name)
{
	return xattr_fd(fd);
}
