/*
 * The path walk: from a name like "/usr/../etc/passwd" to a (mount,
 * dentry) pair, and the open(2) path built on it.
 *
 * The walk keeps a struct nameidata: where it is (nd->path, a reference),
 * the root it may not climb above (nd->root, from the fs_struct), and the
 * last component it parsed. link_path_walk() takes the components one by
 * one, checking search permission on each directory, and stops before
 * the last one: the caller decides what the last means (look it up,
 * create it, follow it if it is a symlink).
 *
 * Each component is looked up in the dentry cache first (one hash probe);
 * only a miss takes the directory's i_mutex and calls ->lookup, which
 * leaves a positive or negative dentry in the cache for next time. Then
 * mounts are crossed (follow_mount), and a symlink is followed by pushing
 * the rest of the current name on a small stack and walking the link's
 * body; when the body ends the rest is popped. So nested links need no
 * recursion: at most MAX_NESTED_LINKS + 1 frames (the +1 is a trailing
 * link being resolved), MAXSYMLINKS (40) links per walk, else ELOOP.
 *
 *	"/a/l/c", l -> "x/y":   walk a; meet l: push "c", walk "x/y";
 *	                        body ends: pop "c"; last component "c".
 *
 * ".." never climbs above nd->root, and at the root of a mount it first
 * moves to the mountpoint in the parent mount (follow_up).
 *
 * Locking: the walk holds no lock between components, only references.
 * lookup_slow() takes the directory's i_mutex around ->lookup.
 */
#include <kestrel/cred.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/fs_struct.h>
#include <kestrel/string.h>

#include "internal.h"

/* A symlink being followed, and what remains of the name around it. */
struct saved_link {
	struct path link; /* the symlink itself (a reference) */
	void *cookie; /* for ->put_link */
	const char *rest; /* the name after the link; NULL for a trailing one */
};

struct nameidata {
	struct path path; /* where the walk is (a reference) */
	struct path root; /* "/" for this walk (a reference) */
	struct qstr last; /* the last component parsed */
	int last_type; /* LAST_NORM, LAST_DOT, LAST_DOTDOT, LAST_ROOT */
	unsigned int flags; /* LOOKUP_* */
	int total_links; /* symlinks followed so far */
	int depth; /* frames in use in stack[] */
	bool created; /* open: O_CREAT made the file */
	struct path next_link; /* a symlink walk_component() found */
	struct saved_link stack[MAX_NESTED_LINKS + 1];
};

/* ---- permissions -------------------------------------------------------- */

/*
 * The classic Unix check: owner bits if we own the file, group bits if
 * we are in its group, other bits otherwise. Then root's overrides:
 * CAP_DAC_READ_SEARCH reads anything and searches any directory,
 * CAP_DAC_OVERRIDE does everything except execute a file that has no
 * execute bit at all.
 */
int generic_permission(struct inode *inode, int mask)
{
	umode_t mode = inode->i_mode;
	int rwx = mask & (MAY_READ | MAY_WRITE | MAY_EXEC);

	if (current_fsuid() == inode->i_uid)
		mode >>= 6;
	else if (in_group_p(inode->i_gid))
		mode >>= 3;
	if ((rwx & ~mode & 7) == 0)
		return 0;
	if (S_ISDIR(inode->i_mode)) {
		if (!(rwx & MAY_WRITE) && capable(CAP_DAC_READ_SEARCH))
			return 0;
		return capable(CAP_DAC_OVERRIDE) ? 0 : -EACCES;
	}
	if ((!(rwx & MAY_EXEC) || (inode->i_mode & S_IXUGO)) &&
	    capable(CAP_DAC_OVERRIDE))
		return 0;
	if (rwx == MAY_READ && capable(CAP_DAC_READ_SEARCH))
		return 0;
	return -EACCES;
}

int inode_permission(struct inode *inode, int mask)
{
	if (mask & MAY_WRITE) {
		umode_t mode = inode->i_mode;

		if ((inode->i_sb->s_flags & SB_RDONLY) &&
		    (S_ISREG(mode) || S_ISDIR(mode) || S_ISLNK(mode)))
			return -EROFS;
	}
	if (inode->i_op->permission)
		return inode->i_op->permission(inode, mask);
	return generic_permission(inode, mask);
}

/* ---- references while walking ------------------------------------------- */

/*
 * A candidate next position: it holds a dentry reference, and a mount
 * reference only when it is on another mount than nd->path (Linux 2.6's
 * trick: most steps stay on one mount and need no mntget).
 */
static void path_to_nameidata(const struct path *next, struct nameidata *nd)
{
	dput(nd->path.dentry);
	if (nd->path.mnt != next->mnt)
		mntput(nd->path.mnt);
	nd->path = *next;
}

static void follow_mount_next(struct path *next, struct nameidata *nd)
{
	while (d_mountpoint(next->dentry)) {
		struct vfsmount *mounted = lookup_mnt(next);

		if (!mounted)
			break;
		dput(next->dentry);
		if (next->mnt != nd->path.mnt)
			mntput(next->mnt);
		next->mnt = mounted;
		next->dentry = dget(mounted->mnt_root);
	}
}

static void put_link(struct saved_link *link)
{
	struct inode *inode = link->link.dentry->d_inode;

	if (link->cookie && inode->i_op->put_link)
		inode->i_op->put_link(inode, link->cookie);
	path_put(&link->link);
}

static const char *pop_link(struct nameidata *nd)
{
	struct saved_link *link = &nd->stack[--nd->depth];

	put_link(link);
	return link->rest;
}

/* Release what the walk holds; nd->path too unless the caller took it. */
static void terminate_walk(struct nameidata *nd)
{
	while (nd->depth)
		pop_link(nd);
	path_put(&nd->path);
	path_put(&nd->root);
	nd->path.mnt = NULL;
	nd->path.dentry = NULL;
}

/* ---- one component ------------------------------------------------------ */

/*
 * Look @name up in @base, whose i_mutex the caller holds: the cache
 * again (another task may have added it meanwhile), else ->lookup.
 */
struct dentry *lookup_hash(const struct qstr *name, struct dentry *base)
{
	struct inode *dir = base->d_inode;
	struct dentry *dentry, *old;

	lockdep_assert_held(&base->d_inode->i_mutex);
	dentry = d_lookup(base, name);
	if (dentry)
		return dentry;
	if (IS_DEADDIR(dir))
		return ERR_PTR(-ENOENT);
	if (!dir->i_op->lookup)
		return ERR_PTR(-ENOTDIR);
	dentry = d_alloc(base, name);
	if (!dentry)
		return ERR_PTR(-ENOMEM);
	old = dir->i_op->lookup(dir, dentry, 0);
	if (old) {
		dput(dentry);
		dentry = old;
	}
	return dentry;
}

static struct dentry *lookup_slow(const struct qstr *name, struct dentry *base)
{
	struct dentry *dentry;

	inode_lock(base->d_inode);
	dentry = lookup_hash(name, base);
	inode_unlock(base->d_inode);
	return dentry;
}

struct dentry *lookup_one_len(const char *name, struct dentry *base, int len)
{
	struct qstr this = { .name = name, .len = len };
	int i;

	if (len <= 0 || len > NAME_MAX)
		return ERR_PTR(len <= 0 ? -EACCES : -ENAMETOOLONG);
	for (i = 0; i < len; i++)
		if (name[i] == '/' || !name[i])
			return ERR_PTR(-EACCES);
	this.hash = full_name_hash(name, len);
	return lookup_hash(&this, base);
}

static void follow_dotdot(struct nameidata *nd)
{
	for (;;) {
		if (path_equal(&nd->path, &nd->root))
			break;
		if (nd->path.dentry != nd->path.mnt->mnt_root) {
			struct dentry *parent = dget_parent(nd->path.dentry);

			dput(nd->path.dentry);
			nd->path.dentry = parent;
			break;
		}
		if (!follow_up(&nd->path))
			break;
	}
	follow_mount(&nd->path);
}

/*
 * @next is a symlink the walk must follow: hand it to the caller, which
 * reads it (nd->next_link, holding its own reference to the mount), and
 * return 1.
 */
static int pick_link(struct nameidata *nd, struct path *next)
{
	if (next->mnt == nd->path.mnt)
		mntget(next->mnt);
	nd->next_link = *next;
	return 1;
}

/*
 * Step to nd->last; a symlink is followed only with LOOKUP_FOLLOW in
 * @lookup_flags. Returns 0 (moved), 1 (a symlink to follow, in
 * nd->next_link; nd->path unchanged) or -errno.
 */
static int walk_component(struct nameidata *nd, unsigned int lookup_flags)
{
	struct path next;
	struct dentry *dentry;
	struct inode *inode;

	if (nd->last_type == LAST_DOTDOT)
		follow_dotdot(nd);
	if (nd->last_type != LAST_NORM)
		return 0;
	dentry = d_lookup(nd->path.dentry, &nd->last);
	if (!dentry)
		dentry = lookup_slow(&nd->last, nd->path.dentry);
	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	if (!dentry->d_inode) {
		dput(dentry);
		return -ENOENT;
	}
	next.mnt = nd->path.mnt;
	next.dentry = dentry;
	follow_mount_next(&next, nd);
	inode = next.dentry->d_inode;
	if ((lookup_flags & LOOKUP_FOLLOW) && S_ISLNK(inode->i_mode))
		return pick_link(nd, &next);
	path_to_nameidata(&next, nd);
	return 0;
}

/* Parse the component at *@pname into nd->last; advance past it. */
static int parse_component(struct nameidata *nd, const char **pname)
{
	const char *name = *pname;
	unsigned int len = 0;

	while (name[len] && name[len] != '/')
		len++;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	nd->last.name = name;
	nd->last.len = len;
	nd->last.hash = full_name_hash(name, len);
	nd->last_type = LAST_NORM;
	if (name[0] == '.' && len == 1)
		nd->last_type = LAST_DOT;
	else if (name[0] == '.' && name[1] == '.' && len == 2)
		nd->last_type = LAST_DOTDOT;
	*pname = name + len;
	return 0;
}

static const char *skip_slashes(const char *name)
{
	while (*name == '/')
		name++;
	return name;
}

/*
 * Start following nd->next_link: save *@name as the rest to resume
 * with, and make *@name the link's body (from the root if absolute).
 */
static int push_link(struct nameidata *nd, const char **name)
{
	struct saved_link *link;
	struct inode *inode;
	const char *body;

	if (nd->total_links++ >= MAXSYMLINKS ||
	    nd->depth >= (int)ARRAY_SIZE(nd->stack)) {
		path_put(&nd->next_link);
		return -ELOOP;
	}
	link = &nd->stack[nd->depth++];
	link->link = nd->next_link;
	link->cookie = NULL;
	link->rest = *name;
	inode = link->link.dentry->d_inode;
	if (inode->i_op->get_link)
		body = inode->i_op->get_link(link->link.dentry, inode,
					     &link->cookie);
	else
		body = inode->i_link;
	if (IS_ERR(body))
		return PTR_ERR(body);
	if (!body || !*body)
		return -ENOENT;
	if (*body == '/') {
		path_put(&nd->path);
		nd->path = nd->root;
		path_get(&nd->path);
	}
	*name = body;
	return 0;
}

/*
 * Walk every component of @name but the last, which is left in nd->last
 * for the caller. Symlinks met on the way (and at the end of a link's
 * body) are followed. Returns 0 or -errno.
 */
static int link_path_walk(const char *name, struct nameidata *nd)
{
	int base = nd->depth, err;

	nd->last_type = LAST_ROOT;
	for (;;) {
		name = skip_slashes(name);
		if (!*name) {
			if (nd->depth == base)
				return 0;
			name = pop_link(nd); /* a link's body is used up */
			continue;
		}
		err = inode_permission(nd->path.dentry->d_inode, MAY_EXEC);
		if (!err)
			err = parse_component(nd, &name);
		if (err)
			return err;
		if (!*skip_slashes(name) && nd->depth == base)
			return 0;
		err = walk_component(nd, LOOKUP_FOLLOW); /* inner: always */
		if (err > 0)
			err = push_link(nd, &name);
		else if (!err && !S_ISDIR(nd->path.dentry->d_inode->i_mode))
			err = -ENOTDIR;
		if (err < 0)
			return err;
	}
}

/* The last component names a symlink to follow: swap in its body. */
static int trailing_link(struct nameidata *nd, const char **name)
{
	if (nd->depth)
		pop_link(nd); /* the previous trailing link */
	*name = NULL;
	return push_link(nd, name);
}

/* Look up the last component; 1 if it is a symlink to follow. */
static int lookup_last(struct nameidata *nd)
{
	if (nd->last_type == LAST_NORM && nd->last.name[nd->last.len])
		nd->flags |= LOOKUP_FOLLOW | LOOKUP_DIRECTORY; /* "name/" */
	return walk_component(nd, nd->flags);
}

static int path_init(struct nameidata *nd, struct fs_struct *fs,
		     const struct path *dir, const char *name,
		     unsigned int flags)
{
	memset(nd, 0, offsetof(struct nameidata, stack));
	nd->flags = flags;
	if (strnlen(name, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	if (!*name && !(flags & LOOKUP_EMPTY))
		return -ENOENT;
	get_fs_root(fs, &nd->root);
	if (*name == '/') {
		nd->path = nd->root;
		path_get(&nd->path);
		return 0;
	}
	if (!dir) {
		get_fs_pwd(fs, &nd->path);
		return 0;
	}
	nd->path = *dir;
	path_get(&nd->path);
	if (*name && !S_ISDIR(dir->dentry->d_inode->i_mode))
		return -ENOTDIR;
	return 0;
}

static bool nd_is_dir(const struct nameidata *nd)
{
	return S_ISDIR(nd->path.dentry->d_inode->i_mode);
}

int vfs_path_lookup(struct fs_struct *fs, const struct path *dir,
		    const char *name, unsigned int flags, struct path *result)
{
	struct nameidata nd;
	const char *s = name;
	int err;

	err = path_init(&nd, fs, dir, name, flags);
	while (!err && !(err = link_path_walk(s, &nd)) &&
	       (err = lookup_last(&nd)) > 0)
		err = trailing_link(&nd, &s);
	if (!err && (nd.flags & LOOKUP_DIRECTORY) && !nd_is_dir(&nd))
		err = -ENOTDIR;
	if (!err) {
		*result = nd.path;
		nd.path.mnt = NULL;
		nd.path.dentry = NULL;
	}
	terminate_walk(&nd);
	return err;
}

int vfs_path_parent(struct fs_struct *fs, const struct path *dir,
		    const char *name, struct path *parent, struct qstr *last,
		    int *type)
{
	struct nameidata nd;
	int err;

	err = path_init(&nd, fs, dir, name, 0);
	if (!err)
		err = link_path_walk(name, &nd);
	if (!err) {
		*parent = nd.path;
		*last = nd.last;
		*type = nd.last_type;
		nd.path.mnt = NULL;
		nd.path.dentry = NULL;
	}
	terminate_walk(&nd);
	return err;
}

/* ---- rename locking ----------------------------------------------------- */

/* The child of @ancestor on the way up from @dentry, or NULL. */
static struct dentry *d_ancestor(struct dentry *ancestor, struct dentry *dentry)
{
	for (; !IS_ROOT(dentry); dentry = dentry->d_parent)
		if (dentry->d_parent == ancestor)
			return dentry;
	return NULL;
}

/*
 * Lock the parents of a rename. Two different directories are locked
 * under the super_block's s_vfs_rename_mutex, ancestor first, so two
 * renames cannot deadlock and the tree cannot change shape under the
 * checks. Returns the "trap": the child of one parent that is an
 * ancestor of the other (moving it there would make a loop), or NULL.
 */
struct dentry *lock_rename(struct dentry *p1, struct dentry *p2)
{
	struct dentry *p;

	if (p1 == p2) {
		inode_lock_nested(p1->d_inode, I_MUTEX_PARENT);
		return NULL;
	}
	mutex_lock(&p1->d_sb->s_vfs_rename_mutex);
	p = d_ancestor(p2, p1);
	if (p) {
		inode_lock_nested(p2->d_inode, I_MUTEX_PARENT);
		inode_lock_nested(p1->d_inode, I_MUTEX_CHILD);
		return p;
	}
	p = d_ancestor(p1, p2);
	inode_lock_nested(p1->d_inode, I_MUTEX_PARENT);
	inode_lock_nested(p2->d_inode, I_MUTEX_CHILD);
	return p;
}

void unlock_rename(struct dentry *p1, struct dentry *p2)
{
	inode_unlock(p1->d_inode);
	if (p1 != p2) {
		inode_unlock(p2->d_inode);
		mutex_unlock(&p1->d_sb->s_vfs_rename_mutex);
	}
}

/* ---- open --------------------------------------------------------------- */

struct open_flags {
	int open_flag; /* O_* */
	umode_t mode; /* of a created file, umask applied */
	int acc_mode; /* MAY_* wanted on the file */
	unsigned int lookup_flags;
};

static int build_open_flags(int flags, umode_t mode, struct fs_struct *fs,
			    struct open_flags *op)
{
	static const int acc[4] = { MAY_READ, MAY_WRITE, MAY_READ | MAY_WRITE,
				    MAY_READ | MAY_WRITE };

	if (flags & __O_TMPFILE)
		return -EOPNOTSUPP;
	if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return -EINVAL;
	op->acc_mode = 0;
	if (flags & O_PATH) {
		flags &= O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC;
	} else {
		op->acc_mode = MAY_OPEN | acc[flags & O_ACCMODE];
		if (flags & O_TRUNC)
			op->acc_mode |= MAY_WRITE;
		if (flags & O_APPEND)
			op->acc_mode |= MAY_APPEND;
	}
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		flags |= O_NOFOLLOW; /* O_EXCL never follows a trailing link */
	op->mode = 0;
	if (flags & O_CREAT)
		op->mode = ((mode & S_IALLUGO) & ~fs_umask(fs)) | S_IFREG;
	op->lookup_flags = (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	if (flags & O_DIRECTORY)
		op->lookup_flags |= LOOKUP_DIRECTORY;
	op->open_flag = flags;
	return 0;
}

/* O_CREAT: find or create the last component, under the parent's lock. */
static int open_create(struct nameidata *nd, const struct open_flags *op)
{
	struct inode *dir = nd->path.dentry->d_inode;
	struct path next = { .mnt = nd->path.mnt };
	int err = 0;

	inode_lock(dir);
	next.dentry = lookup_hash(&nd->last, nd->path.dentry);
	if (IS_ERR(next.dentry)) {
		inode_unlock(dir);
		return PTR_ERR(next.dentry);
	}
	if (!next.dentry->d_inode) {
		err = mnt_want_write(nd->path.mnt);
		if (!err)
			err = vfs_create(dir, next.dentry, op->mode, true);
		nd->created = !err;
	} else if (op->open_flag & O_EXCL) {
		err = -EEXIST;
	}
	inode_unlock(dir);
	if (err) {
		dput(next.dentry);
		return err;
	}
	follow_mount_next(&next, nd);
	if (!nd->created && S_ISLNK(next.dentry->d_inode->i_mode) &&
	    !(op->open_flag & O_NOFOLLOW))
		return pick_link(nd, &next);
	path_to_nameidata(&next, nd);
	return 0;
}

/* The last component of an open. 1: a trailing symlink to follow. */
static int do_last(struct nameidata *nd, const struct open_flags *op)
{
	if (!(op->open_flag & O_CREAT))
		return lookup_last(nd);
	if (nd->last_type != LAST_NORM || nd->last.name[nd->last.len])
		return -EISDIR;
	return open_create(nd, op);
}

/* Permission checks, then the file; O_TRUNC after a successful open. */
static struct file *finish_open(struct nameidata *nd,
				const struct open_flags *op)
{
	struct inode *inode = nd->path.dentry->d_inode;
	int flag = op->open_flag;
	struct file *file;
	int err = 0;

	if (nd->created)
		flag &= ~O_TRUNC;
	else if (S_ISDIR(inode->i_mode) && (flag & O_CREAT))
		err = -EISDIR;
	else if (!(flag & O_PATH))
		err = may_open(&nd->path, op->acc_mode, flag);
	if (!err && (nd->flags & LOOKUP_DIRECTORY) && !nd_is_dir(nd))
		err = -ENOTDIR;
	if (err)
		return ERR_PTR(err);
	file = vfs_open(&nd->path, flag);
	if (IS_ERR(file) || !(flag & O_TRUNC) || !S_ISREG(inode->i_mode))
		return file;
	err = mnt_want_write(nd->path.mnt);
	if (!err)
		err = do_truncate(nd->path.dentry, 0, ATTR_MTIME | ATTR_CTIME,
				  file);
	if (err) {
		fput(file);
		return ERR_PTR(err);
	}
	return file;
}

struct file *do_filp_open(struct fs_struct *fs, const struct path *dir,
			  const char *name, int flags, umode_t mode)
{
	struct open_flags op;
	struct nameidata nd;
	struct file *file = NULL;
	const char *s = name;
	int err;

	err = build_open_flags(flags, mode, fs, &op);
	if (err)
		return ERR_PTR(err);
	err = path_init(&nd, fs, dir, name, op.lookup_flags);
	while (!err && !(err = link_path_walk(s, &nd)) &&
	       (err = do_last(&nd, &op)) > 0)
		err = trailing_link(&nd, &s);
	if (!err)
		file = finish_open(&nd, &op);
	terminate_walk(&nd);
	return err ? ERR_PTR(err) : file;
}
