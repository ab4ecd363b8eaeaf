/*
 * Operations on names: create, mkdir, mknod, symlink, link, unlink,
 * rmdir, rename, readlink (Linux keeps these in fs/namei.c too; the walk
 * itself is in namei.c).
 *
 * Two layers, as in Linux:
 *
 *   vfs_mkdir(dir, dentry, mode) and friends work on a parent inode the
 *   caller has locked and a dentry it looked up under that lock. They
 *   check the rules every filesystem shares (may_create, may_delete,
 *   busy mountpoints) and call the inode operation.
 *
 *   do_mkdirat(fs, dir, name, mode) and friends are what the system
 *   calls use: walk to the parent (vfs_path_parent), check the last
 *   component's kind and trailing slashes, check the mount is writable,
 *   lock the parent, look the name up, and call the vfs_ function.
 *
 * Locking: the parent's i_mutex is held across lookup and operation, so
 * "does it exist?" and "create it" are one atomic step. unlink and rmdir
 * also lock the victim; rename locks both parents (lock_rename) and the
 * target.
 */
#include <kestrel/cred.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/fs_struct.h>
#include <kestrel/string.h>

#include "internal.h"

/* ---- the shared rules --------------------------------------------------- */

static int may_create(struct inode *dir, struct dentry *child)
{
	if (child->d_inode)
		return -EEXIST;
	if (IS_DEADDIR(dir))
		return -ENOENT;
	return inode_permission(dir, MAY_WRITE | MAY_EXEC);
}

/* The sticky bit: only the owner of the file or of the directory (or
 * CAP_FOWNER) may remove or rename an entry. */
static bool sticky_denies(struct inode *dir, struct inode *inode)
{
	kuid_t fsuid = current_fsuid();

	if (!(dir->i_mode & S_ISVTX))
		return false;
	return inode->i_uid != fsuid && dir->i_uid != fsuid &&
	       !capable(CAP_FOWNER);
}

/* What unlink or rmdir expects to remove. */
enum delete_kind { DELETE_FILE, DELETE_DIR };

static int may_delete(struct inode *dir, struct dentry *victim,
		      enum delete_kind kind)
{
	struct inode *inode = victim->d_inode;
	int err;

	if (!inode)
		return -ENOENT;
	err = inode_permission(dir, MAY_WRITE | MAY_EXEC);
	if (err)
		return err;
	if (sticky_denies(dir, inode))
		return -EPERM;
	if (kind == DELETE_DIR && !S_ISDIR(inode->i_mode))
		return -ENOTDIR;
	if (kind == DELETE_FILE && S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (IS_ROOT(victim))
		return -EBUSY;
	if (IS_DEADDIR(dir))
		return -ENOENT;
	return 0;
}

/* ---- the dentry-level operations ---------------------------------------- */

int vfs_create(struct inode *dir, struct dentry *dentry, umode_t mode,
	       bool excl)
{
	int err = may_create(dir, dentry);

	if (err)
		return err;
	if (!dir->i_op->create)
		return -EACCES;
	mode = (mode & S_IALLUGO) | S_IFREG;
	return dir->i_op->create(dir, dentry, mode, excl);
}

int vfs_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	int err = may_create(dir, dentry);

	if (err)
		return err;
	if (!dir->i_op->mkdir)
		return -EPERM;
	return dir->i_op->mkdir(dir, dentry, mode & (S_IRWXUGO | S_ISVTX));
}

int vfs_mknod(struct inode *dir, struct dentry *dentry, umode_t mode, dev_t dev)
{
	int err = may_create(dir, dentry);

	if (err)
		return err;
	if ((S_ISCHR(mode) || S_ISBLK(mode)) && !capable(CAP_MKNOD))
		return -EPERM;
	if (!dir->i_op->mknod)
		return -EPERM;
	return dir->i_op->mknod(dir, dentry, mode, dev);
}

int vfs_symlink(struct inode *dir, struct dentry *dentry, const char *target)
{
	int err = may_create(dir, dentry);

	if (err)
		return err;
	if (!dir->i_op->symlink)
		return -EPERM;
	return dir->i_op->symlink(dir, dentry, target);
}

int vfs_link(struct dentry *old, struct inode *dir, struct dentry *new)
{
	struct inode *inode = old->d_inode;
	int err;

	if (!inode)
		return -ENOENT;
	err = may_create(dir, new);
	if (err)
		return err;
	if (dir->i_sb != inode->i_sb)
		return -EXDEV;
	if (S_ISDIR(inode->i_mode))
		return -EPERM;
	if (!dir->i_op->link)
		return -EPERM;
	inode_lock(inode);
	if (inode->i_nlink == 0)
		err = -ENOENT; /* unlinked meanwhile */
	else
		err = dir->i_op->link(old, dir, new);
	inode_unlock(inode);
	return err;
}

int vfs_rmdir(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode;
	int err = may_delete(dir, dentry, DELETE_DIR);

	if (err)
		return err;
	if (!dir->i_op->rmdir)
		return -EPERM;
	inode = dentry->d_inode;
	inode_lock(inode);
	if (d_mountpoint(dentry)) {
		err = -EBUSY;
	} else {
		shrink_dcache_parent(dentry);
		err = dir->i_op->rmdir(dir, dentry);
		if (!err)
			inode->i_flags |= S_DEAD;
	}
	inode_unlock(inode);
	if (!err)
		d_delete(dentry);
	return err;
}

int vfs_unlink(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode;
	int err = may_delete(dir, dentry, DELETE_FILE);

	if (err)
		return err;
	if (!dir->i_op->unlink)
		return -EPERM;
	inode = dentry->d_inode;
	inode_lock(inode);
	if (d_mountpoint(dentry))
		err = -EBUSY;
	else
		err = dir->i_op->unlink(dir, dentry);
	inode_unlock(inode);
	if (!err)
		d_delete(dentry);
	return err;
}

static int rename_checks(struct inode *old_dir, struct dentry *old_dentry,
			 struct inode *new_dir, struct dentry *new_dentry,
			 bool is_dir)
{
	int err = may_delete(old_dir, old_dentry, is_dir);

	if (err)
		return err;
	if (!new_dentry->d_inode)
		err = may_create(new_dir, new_dentry);
	else
		err = may_delete(new_dir, new_dentry, is_dir);
	if (err)
		return err;
	if (!old_dir->i_op->rename)
		return -EPERM;
	/* A directory that changes parent rewrites its "..". */
	if (is_dir && new_dir != old_dir)
		err = inode_permission(old_dentry->d_inode, MAY_WRITE);
	if (!err && (d_mountpoint(old_dentry) || d_mountpoint(new_dentry)))
		err = -EBUSY;
	return err;
}

int vfs_rename(struct inode *old_dir, struct dentry *old_dentry,
	       struct inode *new_dir, struct dentry *new_dentry,
	       unsigned int flags)
{
	struct inode *source = old_dentry->d_inode;
	struct inode *target = new_dentry->d_inode;
	bool is_dir;
	int err;

	if (!source)
		return -ENOENT;
	if (source == target)
		return 0; /* two names of one file: POSIX says do nothing */
	is_dir = S_ISDIR(source->i_mode);
	err = rename_checks(old_dir, old_dentry, new_dir, new_dentry, is_dir);
	if (err)
		return err;
	if (target) {
		inode_lock(target);
		if (is_dir)
			shrink_dcache_parent(new_dentry);
	}
	err = old_dir->i_op->rename(old_dir, old_dentry, new_dir, new_dentry,
				    flags);
	if (!err && target && is_dir)
		target->i_flags |= S_DEAD;
	if (target)
		inode_unlock(target);
	if (!err)
		d_move(old_dentry, new_dentry);
	return err;
}

int vfs_readlink(struct dentry *dentry, char *buf, int buflen)
{
	struct inode *inode = dentry->d_inode;
	void *cookie = NULL;
	const char *body;
	int len;

	if (!inode || !S_ISLNK(inode->i_mode))
		return -EINVAL;
	if (buflen <= 0)
		return -EINVAL;
	if (inode->i_op->get_link)
		body = inode->i_op->get_link(dentry, inode, &cookie);
	else
		body = inode->i_link;
	if (IS_ERR(body))
		return PTR_ERR(body);
	if (!body)
		return -EINVAL;
	len = strnlen(body, PATH_MAX);
	if (len > buflen)
		len = buflen;
	memcpy(buf, body, len);
	if (cookie && inode->i_op->put_link)
		inode->i_op->put_link(inode, cookie);
	return len;
}

/* ---- the path-level operations ------------------------------------------ */

/* Does the last component carry a trailing slash ("name/")? */
static bool trailing_slash(const struct qstr *last)
{
	return last->name[last->len] != '\0';
}

/*
 * Resolve the parent of a name to create and look the last component up
 * with the parent locked. On success *@parent holds the parent (locked,
 * its mount writable) and the negative dentry is returned; release both
 * with done_path_create(). A trailing slash ("name/") is only allowed
 * with LOOKUP_DIRECTORY in @lookup_flags (mkdir), as in Linux.
 */
static struct dentry *filename_create(struct fs_struct *fs,
				      const struct path *dir, const char *name,
				      struct path *parent,
				      unsigned int lookup_flags)
{
	struct dentry *dentry;
	struct qstr last;
	int type, err;

	err = vfs_path_parent(fs, dir, name, parent, &last, &type);
	if (err)
		return ERR_PTR(err);
	err = -EEXIST;
	if (type != LAST_NORM)
		goto out_put_parent;
	err = mnt_want_write(parent->mnt);
	if (err)
		goto out_put_parent;
	inode_lock_nested(parent->dentry->d_inode, I_MUTEX_PARENT);
	dentry = lookup_hash(&last, parent->dentry);
	if (IS_ERR(dentry)) {
		err = PTR_ERR(dentry);
		goto out_unlock;
	}
	err = -EEXIST;
	if (dentry->d_inode)
		goto out_dput;
	err = -ENOENT;
	if (trailing_slash(&last) && !(lookup_flags & LOOKUP_DIRECTORY))
		goto out_dput;
	return dentry;

out_dput:
	dput(dentry);
out_unlock:
	inode_unlock(parent->dentry->d_inode);
out_put_parent:
	path_put(parent);
	return ERR_PTR(err);
}

static void done_path_create(struct path *parent, struct dentry *dentry)
{
	dput(dentry);
	inode_unlock(parent->dentry->d_inode);
	path_put(parent);
}

int do_mkdirat(struct fs_struct *fs, const struct path *dir, const char *name,
	       umode_t mode)
{
	struct path parent;
	struct dentry *dentry =
		filename_create(fs, dir, name, &parent, LOOKUP_DIRECTORY);
	int err;

	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	err = vfs_mkdir(parent.dentry->d_inode, dentry, mode & ~fs_umask(fs));
	done_path_create(&parent, dentry);
	return err;
}

int do_mknodat(struct fs_struct *fs, const struct path *dir, const char *name,
	       umode_t mode, dev_t dev)
{
	struct path parent;
	struct dentry *dentry;
	int err;

	switch (mode & S_IFMT) {
	case 0:
		mode |= S_IFREG;
		break;
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	dentry = filename_create(fs, dir, name, &parent, 0);
	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	mode = (mode & S_IFMT) | (mode & S_IALLUGO & ~fs_umask(fs));
	if (S_ISREG(mode))
		err = vfs_create(parent.dentry->d_inode, dentry, mode, true);
	else
		err = vfs_mknod(parent.dentry->d_inode, dentry, mode, dev);
	done_path_create(&parent, dentry);
	return err;
}

int do_symlinkat(struct fs_struct *fs, const char *target,
		 const struct path *dir, const char *name)
{
	struct path parent;
	struct dentry *dentry;
	int err;

	if (!*target)
		return -ENOENT;
	if (strnlen(target, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	dentry = filename_create(fs, dir, name, &parent, 0);
	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	err = vfs_symlink(parent.dentry->d_inode, dentry, target);
	done_path_create(&parent, dentry);
	return err;
}

int do_linkat(struct fs_struct *fs, const struct path *olddir,
	      const char *oldname, const struct path *newdir,
	      const char *newname, int flags)
{
	unsigned int how = 0;
	struct path old, parent;
	struct dentry *dentry;
	int err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_SYMLINK_FOLLOW)
		how |= LOOKUP_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		how |= LOOKUP_EMPTY;
	err = vfs_path_lookup(fs, olddir, oldname, how, &old);
	if (err)
		return err;
	dentry = filename_create(fs, newdir, newname, &parent, 0);
	err = PTR_ERR(dentry);
	if (IS_ERR(dentry))
		goto out_put_old;
	err = -EXDEV;
	if (old.mnt == parent.mnt)
		err = vfs_link(old.dentry, parent.dentry->d_inode, dentry);
	done_path_create(&parent, dentry);
out_put_old:
	path_put(&old);
	return err;
}

/*
 * Resolve the parent of a name to remove, lock it and look the victim
 * up. "." / ".." / "/" as the last component: EISDIR for unlink; for
 * rmdir EINVAL, ENOTEMPTY, EBUSY (Linux's answers).
 */
static struct dentry *lookup_victim(struct fs_struct *fs,
				    const struct path *dir, const char *name,
				    struct path *parent, struct qstr *last,
				    enum delete_kind kind)
{
	struct dentry *dentry;
	int type, err;

	err = vfs_path_parent(fs, dir, name, parent, last, &type);
	if (err)
		return ERR_PTR(err);
	if (type != LAST_NORM) {
		err = kind == DELETE_FILE ? -EISDIR :
		      type == LAST_DOTDOT ? -ENOTEMPTY :
		      type == LAST_DOT	  ? -EINVAL :
					    -EBUSY;
		goto out_put_parent;
	}
	err = mnt_want_write(parent->mnt);
	if (err)
		goto out_put_parent;
	inode_lock_nested(parent->dentry->d_inode, I_MUTEX_PARENT);
	dentry = lookup_hash(last, parent->dentry);
	if (!IS_ERR(dentry))
		return dentry;
	err = PTR_ERR(dentry);
	inode_unlock(parent->dentry->d_inode);
out_put_parent:
	path_put(parent);
	return ERR_PTR(err);
}

int do_rmdir(struct fs_struct *fs, const struct path *dir, const char *name)
{
	struct path parent;
	struct dentry *dentry;
	struct qstr last;
	int err;

	dentry = lookup_victim(fs, dir, name, &parent, &last, DELETE_DIR);
	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	err = vfs_rmdir(parent.dentry->d_inode, dentry);
	done_path_create(&parent, dentry);
	return err;
}

int do_unlinkat(struct fs_struct *fs, const struct path *dir, const char *name)
{
	struct path parent;
	struct dentry *dentry;
	struct qstr last;
	int err;

	dentry = lookup_victim(fs, dir, name, &parent, &last, DELETE_FILE);
	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	if (trailing_slash(&last))
		err = !dentry->d_inode		       ? -ENOENT :
		      S_ISDIR(dentry->d_inode->i_mode) ? -EISDIR :
							 -ENOTDIR;
	else
		err = vfs_unlink(parent.dentry->d_inode, dentry);
	done_path_create(&parent, dentry);
	return err;
}

/* The two parents of a rename and their last components. */
struct rename_names {
	struct path old_parent, new_parent;
	struct qstr old_last, new_last;
};

static int rename_parents(struct fs_struct *fs, const struct path *olddir,
			  const char *oldname, const struct path *newdir,
			  const char *newname, struct rename_names *rn)
{
	int old_type, new_type, err;

	err = vfs_path_parent(fs, olddir, oldname, &rn->old_parent,
			      &rn->old_last, &old_type);
	if (err)
		return err;
	err = vfs_path_parent(fs, newdir, newname, &rn->new_parent,
			      &rn->new_last, &new_type);
	if (err)
		goto out_put_old;
	err = -EXDEV;
	if (rn->old_parent.mnt != rn->new_parent.mnt)
		goto out_put_new;
	err = -EBUSY;
	if (old_type != LAST_NORM || new_type != LAST_NORM)
		goto out_put_new;
	err = mnt_want_write(rn->old_parent.mnt);
	if (!err)
		return 0;
out_put_new:
	path_put(&rn->new_parent);
out_put_old:
	path_put(&rn->old_parent);
	return err;
}

/* With both parents locked: look up both names and apply Linux's rules. */
static int rename_locked(struct rename_names *rn, struct dentry *trap,
			 unsigned int flags)
{
	struct dentry *old_dentry, *new_dentry;
	int err;

	old_dentry = lookup_hash(&rn->old_last, rn->old_parent.dentry);
	if (IS_ERR(old_dentry))
		return PTR_ERR(old_dentry);
	err = -ENOENT;
	if (!old_dentry->d_inode)
		goto out_dput_old;
	err = -ENOTDIR;
	if (!S_ISDIR(old_dentry->d_inode->i_mode) &&
	    (trailing_slash(&rn->old_last) || trailing_slash(&rn->new_last)))
		goto out_dput_old;
	err = -EINVAL; /* a directory into its own subtree */
	if (old_dentry == trap)
		goto out_dput_old;
	new_dentry = lookup_hash(&rn->new_last, rn->new_parent.dentry);
	err = PTR_ERR(new_dentry);
	if (IS_ERR(new_dentry))
		goto out_dput_old;
	err = -EEXIST;
	if ((flags & RENAME_NOREPLACE) && new_dentry->d_inode)
		goto out_dput_new;
	err = -ENOTEMPTY; /* over an ancestor of the source */
	if (new_dentry == trap)
		goto out_dput_new;
	err = vfs_rename(rn->old_parent.dentry->d_inode, old_dentry,
			 rn->new_parent.dentry->d_inode, new_dentry, flags);
out_dput_new:
	dput(new_dentry);
out_dput_old:
	dput(old_dentry);
	return err;
}

int do_renameat2(struct fs_struct *fs, const struct path *olddir,
		 const char *oldname, const struct path *newdir,
		 const char *newname, unsigned int flags)
{
	struct rename_names rn;
	struct dentry *trap;
	int err;

	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;
	err = rename_parents(fs, olddir, oldname, newdir, newname, &rn);
	if (err)
		return err;
	trap = lock_rename(rn.new_parent.dentry, rn.old_parent.dentry);
	err = rename_locked(&rn, trap, flags);
	unlock_rename(rn.new_parent.dentry, rn.old_parent.dentry);
	path_put(&rn.new_parent);
	path_put(&rn.old_parent);
	return err;
}
