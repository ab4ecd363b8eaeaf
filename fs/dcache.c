/*
 * The dentry cache: every name the kernel has looked up recently, whether
 * it exists (positive dentry, pointing at its inode) or not (negative
 * dentry). The path walk asks the cache first, one hash probe per
 * component; only a miss calls the filesystem's ->lookup.
 *
 * The dentries form a tree (d_parent, d_subdirs/d_child) that mirrors the
 * directories; each dentry holds a reference to its parent, so a cached
 * name keeps its whole chain of directories cached. A dentry is also in
 * the hash table, keyed by (parent, name), unless it was unhashed
 * (d_drop: deleted while in use, or replaced by a rename).
 *
 * Lifetime: dget/dput count references. When the last one goes, a
 * hashed dentry stays in the cache on the LRU list of unused dentries;
 * when there are more than dentry_unused_max of them the oldest are
 * freed (prune_dcache), and with each its reference on the parent and
 * its inode. An unhashed dentry is freed at once.
 *
 *	   lookup         dput (hashed)         prune / umount
 *	[in use] <------ [unused, on LRU] ------> freed: iput(inode),
 *	         ------>                          dput(parent)
 *	          dput
 *
 * Locking: dcache_lock (a spinlock, never taken from interrupts)
 * protects the hash, every dentry's count, flags, inode pointer, parent,
 * name and child lists, and the LRU. Nothing sleeps under it: inode and
 * parent references are dropped after it is released.
 */
#include <kestrel/bug.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/genhd.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "internal.h"

#define D_HASH_BITS 10
#define D_HASH_SIZE (1U << D_HASH_BITS)

static DEFINE_SPINLOCK(dcache_lock);
static struct list_head dentry_hashtable[D_HASH_SIZE]; /* dcache_lock */
static LIST_HEAD(dentry_unused); /* dcache_lock: newest first */
static struct dentry_stat dstat; /* dcache_lock */
static struct kmem_cache *dentry_cache;

/* More unused dentries than this and the oldest are freed. */
static unsigned long dentry_unused_max = 8192;

/* FNV-1a: simple, and good enough for path components. */
u32 full_name_hash(const char *name, unsigned int len)
{
	u32 hash = 2166136261u;

	while (len--) {
		hash ^= (unsigned char)*name++;
		hash *= 16777619u;
	}
	return hash;
}

static struct list_head *d_hash(const struct dentry *parent, u32 hash)
{
	hash += (u32)((uintptr_t)parent >> 4) * 0x9e3779b9u;
	return &dentry_hashtable[(hash ^ (hash >> D_HASH_BITS)) &
				 (D_HASH_SIZE - 1)];
}

void dentry_stat_get(struct dentry_stat *stat)
{
	spin_lock(&dcache_lock);
	*stat = dstat;
	spin_unlock(&dcache_lock);
}

/* ---- allocation --------------------------------------------------------- */

static struct dentry *__d_alloc(struct super_block *sb, const struct qstr *name)
{
	struct dentry *dentry = kmem_cache_alloc(dentry_cache, GFP_KERNEL);
	char *dname = dentry ? dentry->d_iname : NULL;

	if (!dentry)
		return NULL;
	if (name->len >= DNAME_INLINE_LEN) {
		dname = kmalloc(name->len + 1, GFP_KERNEL);
		if (!dname) {
			kmem_cache_free(dentry_cache, dentry);
			return NULL;
		}
	}
	memcpy(dname, name->name, name->len);
	dname[name->len] = '\0';
	memset(dentry, 0, offsetof(struct dentry, d_iname));
	dentry->d_name.name = dname;
	dentry->d_name.len = name->len;
	dentry->d_name.hash = name->hash;
	dentry->d_count = 1;
	dentry->d_flags = DCACHE_UNHASHED;
	dentry->d_parent = dentry;
	dentry->d_sb = sb;
	dentry->d_op = sb->s_d_op;
	INIT_LIST_HEAD(&dentry->d_hash);
	INIT_LIST_HEAD(&dentry->d_child);
	INIT_LIST_HEAD(&dentry->d_subdirs);
	INIT_LIST_HEAD(&dentry->d_lru);
	spin_lock(&dcache_lock);
	dstat.nr_dentry++;
	spin_unlock(&dcache_lock);
	return dentry;
}

static void d_free(struct dentry *dentry)
{
	if (dentry->d_name.name != dentry->d_iname)
		kfree(dentry->d_name.name);
	kmem_cache_free(dentry_cache, dentry);
}

struct dentry *d_alloc(struct dentry *parent, const struct qstr *name)
{
	struct dentry *dentry = __d_alloc(parent->d_sb, name);

	if (!dentry)
		return NULL;
	spin_lock(&dcache_lock);
	parent->d_count++;
	dentry->d_parent = parent;
	list_add_tail(&dentry->d_child, &parent->d_subdirs);
	spin_unlock(&dcache_lock);
	return dentry;
}

struct dentry *d_alloc_pseudo(struct super_block *sb, const struct qstr *name)
{
	return __d_alloc(sb, name);
}

struct dentry *d_make_root(struct inode *inode)
{
	static const struct qstr root_name = QSTR_INIT("/", 1);
	struct dentry *root;

	if (!inode)
		return NULL;
	root = __d_alloc(inode->i_sb, &root_name);
	if (!root) {
		iput(inode);
		return NULL;
	}
	d_instantiate(root, inode);
	return root;
}

/* ---- references --------------------------------------------------------- */

static void lru_del(struct dentry *dentry)
{
	list_del_init(&dentry->d_lru);
	dentry->d_flags &= ~DCACHE_LRU;
	dstat.nr_unused--;
}

/* Take a reference; the dentry may be unused. dcache_lock held. */
static void __dget(struct dentry *dentry)
{
	lockdep_assert_held(&dcache_lock);
	if (dentry->d_flags & DCACHE_LRU)
		lru_del(dentry);
	dentry->d_count++;
}

struct dentry *dget(struct dentry *dentry)
{
	if (dentry) {
		spin_lock(&dcache_lock);
		__dget(dentry);
		spin_unlock(&dcache_lock);
	}
	return dentry;
}

struct dentry *dget_parent(struct dentry *dentry)
{
	struct dentry *parent;

	spin_lock(&dcache_lock);
	parent = dentry->d_parent;
	__dget(parent);
	spin_unlock(&dcache_lock);
	return parent;
}

static void __d_drop(struct dentry *dentry)
{
	if (!(dentry->d_flags & DCACHE_UNHASHED)) {
		list_del_init(&dentry->d_hash);
		dentry->d_flags |= DCACHE_UNHASHED;
	}
}

/*
 * Take an unused @dentry out of the tree. dcache_lock held. Returns its
 * parent (whose reference the caller must drop), or NULL for a root.
 * The inode is left in d_inode for dentry_free_detached().
 */
static struct dentry *dentry_detach(struct dentry *dentry)
{
	struct dentry *parent = NULL;

	lockdep_assert_held(&dcache_lock);
	if (dentry->d_flags & DCACHE_LRU)
		lru_del(dentry);
	__d_drop(dentry);
	if (!IS_ROOT(dentry)) {
		parent = dentry->d_parent;
		list_del_init(&dentry->d_child);
		dentry->d_parent = dentry;
	}
	dstat.nr_dentry--;
	return parent;
}

/* Free a detached dentry and drop its inode. dcache_lock not held. */
static void dentry_free_detached(struct dentry *dentry)
{
	struct inode *inode = dentry->d_inode;

	dentry->d_inode = NULL;
	if (inode)
		iput(inode);
	d_free(dentry);
}

static bool dentry_should_cache(const struct dentry *dentry)
{
	if (dentry->d_flags & DCACHE_UNHASHED)
		return false;
	return !(dentry->d_op && dentry->d_op->d_delete &&
		 dentry->d_op->d_delete(dentry));
}

static void prune_dcache(unsigned long count);

void dput(struct dentry *dentry)
{
	struct dentry *parent;

	while (dentry) {
		spin_lock(&dcache_lock);
		BUG_ON(dentry->d_count <= 0);
		if (--dentry->d_count > 0) {
			spin_unlock(&dcache_lock);
			return;
		}
		if (dentry_should_cache(dentry)) {
			bool too_many;

			list_add(&dentry->d_lru, &dentry_unused);
			dentry->d_flags |= DCACHE_LRU;
			too_many = ++dstat.nr_unused > dentry_unused_max;
			spin_unlock(&dcache_lock);
			if (too_many)
				prune_dcache(dentry_unused_max / 16);
			return;
		}
		parent = dentry_detach(dentry);
		spin_unlock(&dcache_lock);
		dentry_free_detached(dentry);
		dentry = parent; /* drop the child's reference on it */
	}
}

/* Free up to @count of the oldest unused dentries. */
static void prune_dcache(unsigned long count)
{
	struct dentry *dentry, *parent;

	while (count--) {
		spin_lock(&dcache_lock);
		if (list_empty(&dentry_unused)) {
			spin_unlock(&dcache_lock);
			return;
		}
		dentry = list_last_entry(&dentry_unused, struct dentry, d_lru);
		parent = dentry_detach(dentry);
		spin_unlock(&dcache_lock);
		dentry_free_detached(dentry);
		dput(parent);
	}
}

/* Free every unused dentry (drop_caches): their inodes go with them
 * when nothing else holds them. */
void shrink_dcache_unused(void)
{
	prune_dcache(~0UL);
}

/* ---- the hash ----------------------------------------------------------- */

static void __d_rehash(struct dentry *dentry)
{
	list_add(&dentry->d_hash,
		 d_hash(dentry->d_parent, dentry->d_name.hash));
	dentry->d_flags &= ~DCACHE_UNHASHED;
}

void d_instantiate(struct dentry *dentry, struct inode *inode)
{
	spin_lock(&dcache_lock);
	WARN_ON(dentry->d_inode);
	dentry->d_inode = inode;
	spin_unlock(&dcache_lock);
}

void d_add(struct dentry *dentry, struct inode *inode)
{
	spin_lock(&dcache_lock);
	dentry->d_inode = inode;
	if (dentry->d_flags & DCACHE_UNHASHED)
		__d_rehash(dentry);
	spin_unlock(&dcache_lock);
}

static bool d_name_eq(const struct dentry *dentry, const struct qstr *name)
{
	return dentry->d_name.hash == name->hash &&
	       dentry->d_name.len == name->len &&
	       !memcmp(dentry->d_name.name, name->name, name->len);
}

struct dentry *d_lookup(const struct dentry *parent, const struct qstr *name)
{
	struct list_head *head = d_hash(parent, name->hash);
	struct dentry *dentry;

	spin_lock(&dcache_lock);
	list_for_each_entry(dentry, head, d_hash) {
		if (dentry->d_parent == parent && d_name_eq(dentry, name)) {
			__dget(dentry);
			spin_unlock(&dcache_lock);
			return dentry;
		}
	}
	spin_unlock(&dcache_lock);
	return NULL;
}

void d_drop(struct dentry *dentry)
{
	spin_lock(&dcache_lock);
	__d_drop(dentry);
	spin_unlock(&dcache_lock);
}

void d_delete(struct dentry *dentry)
{
	struct inode *inode = NULL;

	spin_lock(&dcache_lock);
	if (dentry->d_count == 1) {
		/* Only the caller uses it: keep the name, as a negative entry. */
		inode = dentry->d_inode;
		dentry->d_inode = NULL;
	} else {
		__d_drop(dentry);
	}
	spin_unlock(&dcache_lock);
	if (inode)
		iput(inode);
}

/* ---- rename ------------------------------------------------------------- */

/* Exchange the names of @a and @b, inline or allocated, and their hashes. */
static void swap_names(struct dentry *a, struct dentry *b)
{
	bool a_ext = a->d_name.name != a->d_iname;
	bool b_ext = b->d_name.name != b->d_iname;
	char tmp[DNAME_INLINE_LEN];
	struct qstr q = a->d_name;

	if (a_ext && b_ext) {
		a->d_name.name = b->d_name.name;
		b->d_name.name = q.name;
	} else if (a_ext) {
		memcpy(a->d_iname, b->d_iname, DNAME_INLINE_LEN);
		b->d_name.name = q.name;
		a->d_name.name = a->d_iname;
	} else if (b_ext) {
		memcpy(b->d_iname, a->d_iname, DNAME_INLINE_LEN);
		a->d_name.name = b->d_name.name;
		b->d_name.name = b->d_iname;
	} else {
		memcpy(tmp, a->d_iname, DNAME_INLINE_LEN);
		memcpy(a->d_iname, b->d_iname, DNAME_INLINE_LEN);
		memcpy(b->d_iname, tmp, DNAME_INLINE_LEN);
	}
	a->d_name.len = b->d_name.len;
	a->d_name.hash = b->d_name.hash;
	b->d_name.len = q.len;
	b->d_name.hash = q.hash;
}

/*
 * d_move - after a rename: @dentry takes @target's parent and name,
 * @target (now unhashed) takes @dentry's old ones, so each still holds
 * exactly one parent reference. Both parents' i_mutex held.
 */
void d_move(struct dentry *dentry, struct dentry *target)
{
	struct dentry *old_parent;

	spin_lock(&dcache_lock);
	__d_drop(dentry);
	__d_drop(target);
	swap_names(dentry, target);
	old_parent = dentry->d_parent;
	if (old_parent != target->d_parent) {
		dentry->d_parent = target->d_parent;
		target->d_parent = old_parent;
		list_move_tail(&target->d_child, &old_parent->d_subdirs);
	}
	list_move_tail(&dentry->d_child, &dentry->d_parent->d_subdirs);
	__d_rehash(dentry);
	spin_unlock(&dcache_lock);
}

bool is_subdir(struct dentry *dentry, struct dentry *ancestor)
{
	bool found = false;

	spin_lock(&dcache_lock);
	for (;;) {
		if (dentry == ancestor) {
			found = true;
			break;
		}
		if (IS_ROOT(dentry))
			break;
		dentry = dentry->d_parent;
	}
	spin_unlock(&dcache_lock);
	return found;
}

/* ---- libfs support ------------------------------------------------------ */

void d_set_offset(struct dentry *dentry, loff_t offset)
{
	spin_lock(&dcache_lock);
	dentry->d_offset = offset;
	list_move_tail(&dentry->d_child, &dentry->d_parent->d_subdirs);
	spin_unlock(&dcache_lock);
}

void d_pin(struct dentry *dentry)
{
	spin_lock(&dcache_lock);
	if (!(dentry->d_flags & DCACHE_PINNED)) {
		dentry->d_flags |= DCACHE_PINNED;
		__dget(dentry);
	}
	spin_unlock(&dcache_lock);
}

void d_unpin(struct dentry *dentry)
{
	bool pinned;

	spin_lock(&dcache_lock);
	pinned = dentry->d_flags & DCACHE_PINNED;
	dentry->d_flags &= ~DCACHE_PINNED;
	spin_unlock(&dcache_lock);
	if (pinned)
		dput(dentry);
}

static bool d_listed(const struct dentry *dentry)
{
	return dentry->d_inode && !(dentry->d_flags & DCACHE_UNHASHED);
}

struct dentry *d_next_child(struct dentry *parent, struct dentry *from,
			    loff_t pos)
{
	struct list_head *p = from ? &from->d_child : &parent->d_subdirs;
	struct dentry *child;

	spin_lock(&dcache_lock);
	for (p = p->next; p != &parent->d_subdirs; p = p->next) {
		child = list_entry(p, struct dentry, d_child);
		if (d_listed(child) && child->d_offset >= pos) {
			__dget(child);
			spin_unlock(&dcache_lock);
			return child;
		}
	}
	spin_unlock(&dcache_lock);
	return NULL;
}

bool simple_empty(struct dentry *dentry)
{
	struct dentry *child;
	bool empty = true;

	spin_lock(&dcache_lock);
	list_for_each_entry(child, &dentry->d_subdirs, d_child) {
		if (d_listed(child)) {
			empty = false;
			break;
		}
	}
	spin_unlock(&dcache_lock);
	return empty;
}

/* ---- tree walks: shrinking and genocide --------------------------------- */

/* The deepest first descendant of @dentry (itself if it has no child). */
static struct dentry *descend(struct dentry *dentry)
{
	while (!list_empty(&dentry->d_subdirs))
		dentry = list_first_entry(&dentry->d_subdirs, struct dentry,
					  d_child);
	return dentry;
}

/*
 * Visit every descendant of @root in post-order (children before their
 * parent), calling @fn, which may detach the dentry it is given.
 * dcache_lock held.
 */
static void d_walk_postorder(struct dentry *root,
			     void (*fn)(struct dentry *dentry, void *arg),
			     void *arg)
{
	struct dentry *this = descend(root), *parent;
	struct list_head *next;

	lockdep_assert_held(&dcache_lock);
	while (this != root) {
		parent = this->d_parent;
		next = this->d_child.next;
		fn(this, arg);
		if (next != &parent->d_subdirs)
			this = descend(
				list_entry(next, struct dentry, d_child));
		else
			this = parent;
	}
}

/* Detach @dentry onto the dispose list if nobody uses it. */
static void collect_unused(struct dentry *dentry, void *arg)
{
	struct list_head *dispose = arg;
	struct dentry *parent;

	if (dentry->d_count)
		return;
	parent = dentry_detach(dentry);
	parent->d_count--; /* the child's reference; the parent is visited
			    * after its children, still in the walk */
	list_add(&dentry->d_lru, dispose);
}

static void dispose_list(struct list_head *dispose)
{
	struct dentry *dentry, *next;

	list_for_each_entry_safe(dentry, next, dispose, d_lru)
		dentry_free_detached(dentry);
}

void shrink_dcache_parent(struct dentry *parent)
{
	LIST_HEAD(dispose);

	spin_lock(&dcache_lock);
	d_walk_postorder(parent, collect_unused, &dispose);
	spin_unlock(&dcache_lock);
	dispose_list(&dispose);
}

static void genocide_one(struct dentry *dentry, void *arg)
{
	if (dentry->d_flags & DCACHE_PINNED) {
		dentry->d_flags &= ~DCACHE_PINNED;
		dentry->d_count--;
	}
}

void d_genocide(struct dentry *root)
{
	spin_lock(&dcache_lock);
	d_walk_postorder(root, genocide_one, NULL);
	spin_unlock(&dcache_lock);
}

static void report_busy(struct dentry *dentry, void *arg)
{
	pr_err("VFS: dentry %s still in use (%d) at umount of %s\n",
	       dentry->d_name.name, dentry->d_count, (const char *)arg);
}

void shrink_dcache_for_umount(struct super_block *sb)
{
	struct dentry *root = sb->s_root;
	LIST_HEAD(dispose);

	if (!root)
		return;
	sb->s_root = NULL;
	spin_lock(&dcache_lock);
	if (root->d_flags & DCACHE_PINNED) {
		root->d_flags &= ~DCACHE_PINNED;
		root->d_count--;
	}
	root->d_count--; /* the super_block's reference */
	d_walk_postorder(root, collect_unused, &dispose);
	if (root->d_count == 0 && list_empty(&root->d_subdirs)) {
		dentry_detach(root);
		list_add(&root->d_lru, &dispose);
	} else {
		d_walk_postorder(root, report_busy, sb->s_id);
		report_busy(root, sb->s_id);
	}
	spin_unlock(&dcache_lock);
	dispose_list(&dispose);
}

/* ---- names -------------------------------------------------------------- */

/* Put @len bytes of @name in front of *@end; false if @buf is full. */
static bool prepend(char **end, int *left, const char *name, int len)
{
	*left -= len;
	if (*left < 0)
		return false;
	*end -= len;
	memcpy(*end, name, len);
	return true;
}

/*
 * Build @path's name backwards at the end of @buf, up to @root or the
 * top of the tree. vfsmount_lock and dcache_lock held.
 */
static char *__d_path(const struct path *path, const struct path *root,
		      char *buf, int buflen)
{
	struct dentry *dentry = path->dentry;
	struct vfsmount *mnt = path->mnt;
	char *end = buf + buflen;
	int left = buflen;

	lockdep_assert_held(&vfsmount_lock);
	lockdep_assert_held(&dcache_lock);
	if (!prepend(&end, &left, "", 1))
		return ERR_PTR(-ENAMETOOLONG);
	if (d_unhashed(dentry) && !IS_ROOT(dentry) &&
	    !prepend(&end, &left, " (deleted)", 10))
		return ERR_PTR(-ENAMETOOLONG);
	while (dentry != root->dentry || mnt != root->mnt) {
		if (dentry == mnt->mnt_root || IS_ROOT(dentry)) {
			if (mnt->mnt_parent == mnt)
				break; /* the top of the tree */
			dentry = mnt->mnt_mountpoint;
			mnt = mnt->mnt_parent;
			continue;
		}
		if (!prepend(&end, &left, dentry->d_name.name,
			     dentry->d_name.len) ||
		    !prepend(&end, &left, "/", 1))
			return ERR_PTR(-ENAMETOOLONG);
		dentry = dentry->d_parent;
	}
	if (*end != '/' && !prepend(&end, &left, "/", 1))
		return ERR_PTR(-ENAMETOOLONG);
	return end;
}

char *d_path(const struct path *path, const struct path *root, char *buf,
	     int buflen)
{
	char *res;

	if (path->dentry->d_op && path->dentry->d_op->d_dname &&
	    IS_ROOT(path->dentry)) {
		int len =
			path->dentry->d_op->d_dname(path->dentry, buf, buflen);

		return len < 0 ? (char *)ERR_PTR(len) : buf;
	}
	spin_lock(&vfsmount_lock);
	spin_lock(&dcache_lock);
	res = __d_path(path, root, buf, buflen);
	spin_unlock(&dcache_lock);
	spin_unlock(&vfsmount_lock);
	return res;
}

void dcache_init(void)
{
	unsigned int i;

	for (i = 0; i < D_HASH_SIZE; i++)
		INIT_LIST_HEAD(&dentry_hashtable[i]);
	dentry_cache = kmem_cache_create("dentry", sizeof(struct dentry), 0,
					 SLAB_PANIC, NULL);
}

void vfs_caches_init(void)
{
	dcache_init();
	inode_init();
	files_init();
	if (tmpfs_init())
		panic("VFS: cannot register tmpfs");
	mnt_init();
	pipe_init();
	anon_inode_init();
	bdev_cache_init();
}
