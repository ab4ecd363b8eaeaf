/*
 * sysfs: the node tree, and the directories of kobjects.
 *
 * Every name under /sys is a struct sysfs_dirent (sysfs.h): a directory
 * (a kobject's, or an attribute group's), an attribute file, a binary
 * attribute file or a symbolic link. Directories keep their children in
 * a list ordered by inode number, which is also the readdir position,
 * so a listing that runs while names come and go never repeats one.
 * One mutex, sysfs_mutex, guards the shape of the whole tree (Linux's
 * kernfs_mutex): changes are rare and short.
 *
 * Removal and active references. The methods behind a file (show,
 * store, a binary read) belong to an object that its owner frees right
 * after removing it, while user space may still hold the file open. So
 * every read, write and poll runs inside an *active reference* on the
 * node (sysfs_get_active/put_active), and removal
 *
 *	1. under sysfs_mutex, unlinks the node and everything below it
 *	   from the tree and adds SD_DEACTIVATED_BIAS to each s_active:
 *	   from now on no lookup finds them and no new active reference
 *	   is granted (the open files get -ENODEV);
 *	2. without the mutex (a show() may take it), waits for each node's
 *	   active count to drain back to the bias;
 *	3. drops the tree's references; the nodes are freed when the last
 *	   inode (open file) lets go of them.
 *
 * When sysfs_remove() returns, no show() or store() of those nodes is
 * running or will run, so the kobject may be released. A method must
 * not remove its own node (it would wait for itself).
 */
#include <kestrel/bug.h>
#include <kestrel/errno.h>
#include <kestrel/kobject.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "sysfs.h"

DEFINE_MUTEX(sysfs_mutex);
struct sysfs_dirent *sysfs_root; /* c after sysfs_init() */
static struct kmem_cache *sysfs_dir_cachep;
static atomic_t sysfs_next_ino = ATOMIC_INIT(SYSFS_ROOT_INO - 1);
/* Removers wait here for active references to drain. */
static DECLARE_WAIT_QUEUE_HEAD(sysfs_deactivate_wq);

/* ---- nodes -------------------------------------------------------------- */

/**
 * sysfs_new_dirent - allocate a node, not yet in the tree
 * @name: its name (copied)
 * @mode: S_IF* type and permission bits
 * @type: what it is
 *
 * Return: the node with one reference (the tree's, once added), or NULL.
 * Context: process; may sleep.
 */
struct sysfs_dirent *sysfs_new_dirent(const char *name, umode_t mode,
				      enum sysfs_type type)
{
	struct sysfs_dirent *sd =
		kmem_cache_alloc(sysfs_dir_cachep, GFP_KERNEL);
	char *dup;

	if (!sd)
		return NULL;
	memset(sd, 0, sizeof(*sd));
	dup = kmalloc(strlen(name) + 1, GFP_KERNEL);
	if (!dup) {
		kmem_cache_free(sysfs_dir_cachep, sd);
		return NULL;
	}
	strcpy(dup, name);
	sd->s_name = dup;
	atomic_set(&sd->s_count, 1);
	atomic_set(&sd->s_active, 0);
	atomic_set(&sd->s_event, 1);
	INIT_LIST_HEAD(&sd->s_sibling);
	sd->s_ino = (unsigned int)atomic_inc_return(&sysfs_next_ino);
	sd->s_mode = mode;
	sd->s_type = type;
	if (type == SYSFS_DIR)
		INIT_LIST_HEAD(&sd->s_dir.children);
	init_waitqueue_head(&sd->s_poll);
	return sd;
}

/**
 * sysfs_get - take a reference on a node
 * @sd: the node, or NULL; the caller holds a reference or sysfs_mutex
 *
 * Return: @sd. Context: any.
 */
struct sysfs_dirent *sysfs_get(struct sysfs_dirent *sd)
{
	if (sd)
		WARN_ON(atomic_inc_return(&sd->s_count) < 2);
	return sd;
}

/**
 * sysfs_put - drop a reference on a node
 * @sd: the node, or NULL
 *
 * The last put frees the node (it is out of the tree by then, since the
 * tree holds a reference) and drops its references on its parent and,
 * for a link, its target. No lock is taken, so inode eviction may call
 * it anywhere. Context: any that may kfree.
 */
void sysfs_put(struct sysfs_dirent *sd)
{
	struct sysfs_dirent *parent;

	while (sd && atomic_dec_and_test(&sd->s_count)) {
		parent = sd->s_parent;
		if (sd->s_type == SYSFS_KOBJ_LINK)
			sysfs_put(sd->s_target);
		kfree(sd->s_name);
		kmem_cache_free(sysfs_dir_cachep, sd);
		sd = parent; /* iterate, not recurse, up the chain */
	}
}

/* ---- active references -------------------------------------------------- */

/**
 * sysfs_get_active - enter a node's methods
 * @sd: the node; the caller holds a reference
 *
 * Return: true, or false once the node is being removed (the caller
 * fails with -ENODEV). Context: any; does not sleep.
 */
bool sysfs_get_active(struct sysfs_dirent *sd)
{
	int v = atomic_read(&sd->s_active), old;

	for (;;) {
		if (v < 0)
			return false;
		old = atomic_cmpxchg(&sd->s_active, v, v + 1);
		if (old == v)
			return true;
		v = old;
	}
}

/**
 * sysfs_put_active - leave a node's methods
 * @sd: the node, entered with sysfs_get_active()
 *
 * Wakes the remover when this was the last user of a removed node.
 * Context: any; does not sleep.
 */
void sysfs_put_active(struct sysfs_dirent *sd)
{
	if (atomic_dec_return(&sd->s_active) == SD_DEACTIVATED_BIAS)
		wake_up_all(&sysfs_deactivate_wq);
}

/* Wait until every active user of the deactivated @sd has left. */
static void sysfs_drain(struct sysfs_dirent *sd)
{
	wait_event(sysfs_deactivate_wq,
		   atomic_read(&sd->s_active) == SD_DEACTIVATED_BIAS);
}

/* ---- the tree ----------------------------------------------------------- */

/**
 * sysfs_find_dirent - the child of @parent called @name
 * @parent: a directory node
 * @name: the name
 *
 * Return: the node (no reference taken) or NULL. Context: sysfs_mutex.
 */
struct sysfs_dirent *sysfs_find_dirent(struct sysfs_dirent *parent,
				       const char *name)
{
	struct sysfs_dirent *sd;

	WARN_ON(!mutex_owned(&sysfs_mutex));
	if (parent->s_type != SYSFS_DIR)
		return NULL;
	list_for_each_entry(sd, &parent->s_dir.children, s_sibling)
		if (!strcmp(sd->s_name, name))
			return sd;
	return NULL;
}

/**
 * sysfs_get_dirent - sysfs_find_dirent() with a reference
 * @parent: a directory node
 * @name: the name
 *
 * Return: the node with a reference (sysfs_put it) or NULL.
 * Context: process; takes sysfs_mutex.
 */
struct sysfs_dirent *sysfs_get_dirent(struct sysfs_dirent *parent,
				      const char *name)
{
	struct sysfs_dirent *sd;

	mutex_lock(&sysfs_mutex);
	sd = sysfs_get(sysfs_find_dirent(parent, name));
	mutex_unlock(&sysfs_mutex);
	return sd;
}

/* Put @sd in @parent's list, keeping it ordered by inode number. M. */
static void sysfs_link_sibling(struct sysfs_dirent *parent,
			       struct sysfs_dirent *sd)
{
	struct list_head *pos = parent->s_dir.children.prev;

	while (pos != &parent->s_dir.children &&
	       list_entry(pos, struct sysfs_dirent, s_sibling)->s_ino >
		       sd->s_ino)
		pos = pos->prev;
	list_add(&sd->s_sibling, pos);
}

/* Print Linux's warning for a name that exists; @name under @parent. M. */
static void sysfs_warn_dup(struct sysfs_dirent *parent, const char *name)
{
	char *path = kmalloc(PATH_MAX, GFP_KERNEL);

	if (path && sysfs_path_of(parent, path, PATH_MAX) >= 0)
		pr_warn("sysfs: cannot create duplicate filename '%s/%s'\n",
			strcmp(path, "/") ? path : "", name);
	kfree(path);
}

/**
 * sysfs_add_one - link a new node under @parent
 * @parent: a directory node, alive (not being removed)
 * @sd: the node from sysfs_new_dirent(); the tree takes over its
 *      reference on success
 *
 * Return: 0; -EEXIST when the name is taken (a warning is printed, as
 * Linux does); -ENOENT when @parent is being removed.
 * Context: sysfs_mutex held.
 */
int sysfs_add_one(struct sysfs_dirent *parent, struct sysfs_dirent *sd)
{
	WARN_ON(!mutex_owned(&sysfs_mutex));
	if (atomic_read(&parent->s_active) < 0 || parent->s_type != SYSFS_DIR)
		return -ENOENT;
	if (sysfs_find_dirent(parent, sd->s_name)) {
		sysfs_warn_dup(parent, sd->s_name);
		return -EEXIST;
	}
	sd->s_parent = sysfs_get(parent);
	sysfs_link_sibling(parent, sd);
	return 0;
}

/*
 * Step 1 of removal for the subtree at @sd (see the top of the file):
 * drop the cached dentries, unlink every node from its parent's list
 * (each keeps its s_parent and parent reference), deactivate it and put
 * it on @dead, children before parents. M held.
 */
static void sysfs_unlink_tree(struct sysfs_dirent *sd, struct list_head *dead)
{
	struct sysfs_dirent *child, *next;

	lockdep_assert_held(&sysfs_mutex);
	if (sd->s_type == SYSFS_DIR)
		list_for_each_entry_safe(child, next, &sd->s_dir.children,
					 s_sibling)
			sysfs_unlink_tree(child, dead);
	sysfs_drop_dentry(sd);
	list_del_init(&sd->s_sibling);
	atomic_add_return(SD_DEACTIVATED_BIAS, &sd->s_active);
	list_add_tail(&sd->s_sibling, dead);
}

/**
 * sysfs_remove - remove a node and everything below it
 * @sd: the node, or NULL; the caller holds a reference
 *
 * Returns once no method of those nodes runs (active references
 * drained). Removing a node twice is harmless; a node already being
 * removed (with an ancestor, by another thread) is waited for. Open files of the nodes
 * get -ENODEV from now on.
 * Context: process; may sleep; no sysfs method of these nodes on the
 * caller's stack.
 */
void sysfs_remove(struct sysfs_dirent *sd)
{
	struct sysfs_dirent *pos, *next;
	LIST_HEAD(dead);

	if (!sd)
		return;
	mutex_lock(&sysfs_mutex);
	if (atomic_read(&sd->s_active) < 0 || sd == sysfs_root) {
		mutex_unlock(&sysfs_mutex);
		/* Being removed with an ancestor: wait for that to finish,
		 * so the same promise holds when this returns. */
		wait_event(sysfs_deactivate_wq,
			   READ_ONCE(sd->s_removed) || sd == sysfs_root);
		return;
	}
	sysfs_unlink_tree(sd, &dead);
	mutex_unlock(&sysfs_mutex);

	list_for_each_entry(pos, &dead, s_sibling)
		sysfs_drain(pos);

	mutex_lock(&sysfs_mutex);
	list_for_each_entry_safe(pos, next, &dead, s_sibling) {
		list_del_init(&pos->s_sibling);
		if (pos->s_type == SYSFS_DIR)
			pos->s_dir.kobj = NULL;
		pos->s_removed = true;
		sysfs_put(pos); /* the tree's reference */
	}
	mutex_unlock(&sysfs_mutex);
	wake_up_all(&sysfs_deactivate_wq); /* concurrent removers */
}

/**
 * sysfs_remove_by_name - remove @parent's child @name
 * @parent: a directory node, or NULL (nothing to do)
 * @name: the name
 *
 * Return: 0, or -ENOENT when there is no such child.
 * Context: process; may sleep.
 */
int sysfs_remove_by_name(struct sysfs_dirent *parent, const char *name)
{
	struct sysfs_dirent *sd;

	if (!parent)
		return -ENOENT;
	sd = sysfs_get_dirent(parent, name);
	if (!sd)
		return -ENOENT;
	sysfs_remove(sd);
	sysfs_put(sd);
	return 0;
}

/* ---- paths -------------------------------------------------------------- */

/**
 * sysfs_path_of - the path of a node below /sys
 * @sd: the node
 * @buf: where to write "/devices/foo" ("/" for the root)
 * @size: the room in @buf
 *
 * Return: the length, or -ENAMETOOLONG. Context: sysfs_mutex held, or
 * nothing renamed meanwhile.
 */
int sysfs_path_of(const struct sysfs_dirent *sd, char *buf, size_t size)
{
	const struct sysfs_dirent *chain[SYSFS_MAX_DEPTH];
	int depth = 0, i;
	size_t len = 0, n;

	for (; sd && sd != sysfs_root; sd = sd->s_parent) {
		if (depth == SYSFS_MAX_DEPTH)
			return -ENAMETOOLONG;
		chain[depth++] = sd;
	}
	if (size < 2)
		return -ENAMETOOLONG;
	strcpy(buf, "/");
	for (i = depth - 1; i >= 0; i--) {
		n = strlen(chain[i]->s_name);
		if (len + 1 + n + 1 > size)
			return -ENAMETOOLONG;
		buf[len] = '/';
		memcpy(buf + len + 1, chain[i]->s_name, n + 1);
		len += 1 + n;
	}
	return depth ? (int)len : 1;
}

/**
 * sysfs_kobj_of - the kobject whose methods serve a file
 * @sd: an attribute node, under an active reference
 *
 * Return: the kobject of the directory holding the file (its group's
 * directory belongs to the same kobject). Context: any.
 */
struct kobject *sysfs_kobj_of(const struct sysfs_dirent *sd)
{
	return sd->s_parent->s_dir.kobj;
}

/* ---- directories of kobjects -------------------------------------------- */

/**
 * sysfs_create_subdir - a directory node for @kobj under @parent
 * @kobj: whose methods serve the files inside
 * @parent: the parent directory node
 * @name: the directory's name
 *
 * Return: the node (the tree holds it; no extra reference), or
 * ERR_PTR(-EEXIST, -ENOENT, -ENOMEM). Context: process; may sleep.
 */
struct sysfs_dirent *sysfs_create_subdir(struct kobject *kobj,
					 struct sysfs_dirent *parent,
					 const char *name)
{
	struct sysfs_dirent *sd;
	int err;

	sd = sysfs_new_dirent(name, S_IFDIR | 0755, SYSFS_DIR);
	if (!sd)
		return ERR_PTR(-ENOMEM);
	sd->s_dir.kobj = kobj;
	mutex_lock(&sysfs_mutex);
	err = sysfs_add_one(parent, sd);
	mutex_unlock(&sysfs_mutex);
	if (err) {
		sysfs_put(sd);
		return ERR_PTR(err);
	}
	return sd;
}

/**
 * sysfs_create_dir - create the directory of a kobject being added
 * @kobj: the kobject, named; it goes under kobj->parent's directory, or
 *        at the root of /sys when it has no parent
 *
 * Return: 0; -EEXIST (the name is taken; a warning is printed), -ENOENT
 * (the parent has no directory), -EINVAL, -ENOMEM.
 * Context: process; may sleep. Called by kobject_add() only.
 */
int sysfs_create_dir(struct kobject *kobj)
{
	struct sysfs_dirent *parent, *sd;

	if (!kobj || !kobj->name)
		return -EINVAL;
	if (!sysfs_root)
		return -ENOENT;
	parent = kobj->parent ? kobj->parent->sd : sysfs_root;
	if (!parent)
		return -ENOENT;
	sd = sysfs_create_subdir(kobj, parent, kobj->name);
	if (IS_ERR(sd))
		return PTR_ERR(sd);
	/* An ancestor's removal may take the node out of the tree before
	 * this kobject's; kobj->sd keeps its own reference until then. */
	kobj->sd = sysfs_get(sd);
	return 0;
}

/**
 * sysfs_remove_dir - remove a kobject's directory and all inside it
 * @kobj: the kobject; nothing happens if it has no directory
 *
 * The directory may already be gone with an ancestor's (a parent
 * deleted before its children): then only kobj->sd's reference is
 * dropped.
 * Returns when no show/store of its files runs any more.
 * Context: process; may sleep. Called by kobject_del() only.
 */
void sysfs_remove_dir(struct kobject *kobj)
{
	struct sysfs_dirent *sd;

	mutex_lock(&sysfs_mutex);
	sd = kobj->sd;
	kobj->sd = NULL;
	mutex_unlock(&sysfs_mutex);
	if (!sd)
		return;
	sysfs_remove(sd);
	sysfs_put(sd); /* kobj->sd's reference */
}

/**
 * sysfs_rename - rename and/or move a node
 * @sd: the node, in the tree
 * @new_parent: its new parent directory (may be its parent)
 * @new_name: its new name
 *
 * Return: 0, -EEXIST, -ENOENT (either node is being removed), -ENOMEM.
 * Context: sysfs_mutex held.
 */
int sysfs_rename(struct sysfs_dirent *sd, struct sysfs_dirent *new_parent,
		 const char *new_name)
{
	struct sysfs_dirent *old_parent = sd->s_parent;
	const char *old_name = sd->s_name;
	char *dup;

	lockdep_assert_held(&sysfs_mutex);
	if (atomic_read(&sd->s_active) < 0 ||
	    atomic_read(&new_parent->s_active) < 0)
		return -ENOENT;
	if (old_parent == new_parent && !strcmp(old_name, new_name))
		return 0;
	if (sysfs_find_dirent(new_parent, new_name))
		return -EEXIST;
	dup = kmalloc(strlen(new_name) + 1, GFP_KERNEL);
	if (!dup)
		return -ENOMEM;
	strcpy(dup, new_name);
	sysfs_drop_dentry(sd);
	list_del_init(&sd->s_sibling);
	sd->s_name = dup;
	sd->s_parent = sysfs_get(new_parent);
	sysfs_link_sibling(new_parent, sd);
	kfree(old_name);
	sysfs_put(old_parent); /* a child holds one: never the last */
	return 0;
}

/**
 * sysfs_rename_dir - rename a kobject's directory
 * @kobj: the kobject, with a directory
 * @new_name: the new name
 *
 * Return: 0, -EEXIST, -ENOENT (no directory), -ENOMEM.
 * Context: process; may sleep. Called by kobject_rename().
 */
int sysfs_rename_dir(struct kobject *kobj, const char *new_name)
{
	int err = -ENOENT;

	mutex_lock(&sysfs_mutex);
	if (kobj->sd)
		err = sysfs_rename(kobj->sd, kobj->sd->s_parent, new_name);
	mutex_unlock(&sysfs_mutex);
	return err;
}

/**
 * sysfs_move_dir - move a kobject's directory under another
 * @kobj: the kobject, with a directory
 * @new_parent: the kobject to move under, or NULL for the root of /sys
 *
 * Return: 0, -EEXIST, -ENOENT, -ENOMEM.
 * Context: process; may sleep.
 */
int sysfs_move_dir(struct kobject *kobj, struct kobject *new_parent)
{
	struct sysfs_dirent *parent;
	int err = -ENOENT;

	mutex_lock(&sysfs_mutex);
	parent = new_parent ? new_parent->sd : sysfs_root;
	if (kobj->sd && parent)
		err = sysfs_rename(kobj->sd, parent, kobj->sd->s_name);
	mutex_unlock(&sysfs_mutex);
	return err;
}

/**
 * sysfs_init - set up sysfs
 *
 * Makes the root node and registers the filesystem; mounting it (init
 * does, "mount -t sysfs sysfs /sys") can wait for the VFS. Call from
 * start_kernel() after the slab allocator and before the first
 * kobject_add().
 *
 * Return: 0 or -ENOMEM/-EBUSY. Context: boot.
 */
int sysfs_init(void)
{
	sysfs_dir_cachep = kmem_cache_create(
		"sysfs_dir_cache", sizeof(struct sysfs_dirent), 0, 0, NULL);
	if (!sysfs_dir_cachep)
		return -ENOMEM;
	sysfs_root = sysfs_new_dirent("", S_IFDIR | 0555, SYSFS_DIR);
	if (!sysfs_root)
		return -ENOMEM;
	return sysfs_fs_init();
}
