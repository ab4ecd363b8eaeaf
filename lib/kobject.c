/*
 * kobject and kset: naming, the parent tree, kset membership and the
 * reference counting that decides when a containing structure is freed
 * (see <kestrel/kobject.h> for the life of a kobject).
 *
 * The rules that make release safe:
 *  - an added kobject holds a reference on its parent, dropped only
 *    after its own release has run, so a parent always outlives its
 *    children's release functions;
 *  - an added kobject holds a reference on its kset, and leaves the
 *    kset's list, under kset->list_lock, before its release runs;
 *    kset_find_obj() takes its reference under that same lock with
 *    kobject_get_unless_zero(), so it never returns a dying object;
 *  - the last kobject_put() of an object still added deletes it first,
 *    as if kobject_del() had been called (Linux's kobject_cleanup).
 *
 * The comments marked "sysfs:" and "uevent:" are the single places
 * where sysfs and uevents are called.
 *
 * Locking:
 *	K	kset->list_lock (spinlock, no irqs): the kset's list, the
 *		entry of each member, and the name of each member while it
 *		is on the list.
 *	O	the owner of the kobject: init, add, del, rename and the
 *		last put are not called concurrently on one object.
 * Everything else is reached through a reference. Functions that
 * allocate use GFP_KERNEL and, like release functions, may sleep:
 * process context only, no spinlock held.
 */
#include <kestrel/bug.h>
#include <kestrel/errno.h>
#include <kestrel/kobject.h>
#include <kestrel/kstrtox.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/sysfs.h>

/* A path is "/" and a name per level; this bounds the walk up the tree
 * against a corrupted parent loop. */
#define KOBJ_MAX_DEPTH 64

static void kobject_init_internal(struct kobject *kobj)
{
	kref_init(&kobj->kref);
	INIT_LIST_HEAD(&kobj->entry);
	kobj->state_in_sysfs = 0;
	kobj->state_initialized = 1;
}

/**
 * kobject_init - prepare a kobject for use
 * @kobj: the kobject, zeroed or fresh (inside its containing struct)
 * @ktype: its type; required, its release frees the containing struct
 *
 * The caller holds the one reference; from now on the object must be
 * disposed of with kobject_put(), never kfree(), even if kobject_add()
 * is never called or fails.
 * Context: any; does not sleep.
 */
void kobject_init(struct kobject *kobj, const struct kobj_type *ktype)
{
	if (!kobj) {
		pr_err("kobject: NULL kobject passed to kobject_init\n");
		WARN_ON(1);
		return;
	}
	if (!ktype)
		pr_err("kobject (%p): must have a ktype\n", (void *)kobj);
	if (kobj->state_initialized)
		pr_err("kobject (%p): tried to init an initialized object\n",
		       (void *)kobj);
	WARN_ON(!ktype || kobj->state_initialized);
	kobject_init_internal(kobj);
	kobj->ktype = ktype;
}

/* Linux's rule: a name is one path component, so '/' becomes '!'. */
static void name_fix_slashes(char *name)
{
	char *s;

	while ((s = strchr(name, '/')))
		*s = '!';
}

/* Format a name into a kmalloc'd string; NULL when out of memory. */
static char *kvasprintf_name(gfp_t gfp, const char *fmt, va_list args)
{
	va_list aq;
	char *name;
	int len;

	va_copy(aq, args);
	len = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	name = kmalloc((size_t)len + 1, gfp);
	if (!name)
		return NULL;
	vsnprintf(name, (size_t)len + 1, fmt, args);
	name_fix_slashes(name);
	return name;
}

/*
 * Replace @kobj's name by @name (which it now owns) and free the old
 * one. Under the kset's lock when on a kset, so kset_find_obj() never
 * compares against a freed name.
 */
static void kobject_replace_name(struct kobject *kobj, char *name)
{
	const char *old = kobj->name;

	if (kobj->kset && kobj->state_in_sysfs) {
		spin_lock(&kobj->kset->list_lock);
		kobj->name = name;
		spin_unlock(&kobj->kset->list_lock);
	} else {
		kobj->name = name;
	}
	kfree(old);
}

/**
 * kobject_set_name_vargs - set a kobject's name from a format
 * @kobj: the kobject
 * @fmt: printf format; a '/' in the result becomes '!'
 * @vargs: its arguments
 *
 * Return: 0, -EINVAL when @fmt is NULL, -ENOMEM.
 * Context: process; may sleep. Lock O.
 */
int kobject_set_name_vargs(struct kobject *kobj, const char *fmt, va_list vargs)
{
	char *name;

	if (!fmt)
		return -EINVAL;
	name = kvasprintf_name(GFP_KERNEL, fmt, vargs);
	if (!name)
		return -ENOMEM;
	kobject_replace_name(kobj, name);
	return 0;
}

/**
 * kobject_set_name - set a kobject's name, before kobject_add()
 * @kobj: the kobject
 * @fmt: printf format, then its arguments
 *
 * Return: as kobject_set_name_vargs(). Context: process; may sleep.
 */
int kobject_set_name(struct kobject *kobj, const char *fmt, ...)
{
	va_list args;
	int ret;

	va_start(args, fmt);
	ret = kobject_set_name_vargs(kobj, fmt, args);
	va_end(args);
	return ret;
}

/* Join kobj->kset's list; the member holds a reference on the kset. */
static void kobj_kset_join(struct kobject *kobj)
{
	kset_get(kobj->kset);
	spin_lock(&kobj->kset->list_lock);
	list_add_tail(&kobj->entry, &kobj->kset->list);
	spin_unlock(&kobj->kset->list_lock);
}

static void kobj_kset_leave(struct kobject *kobj)
{
	struct kset *kset = kobj->kset;

	spin_lock(&kset->list_lock);
	list_del_init(&kobj->entry);
	spin_unlock(&kset->list_lock);
	kset_put(kset);
}

/*
 * sysfs: the kobject's directory under its parent's (the root of /sys
 * without a parent) and its ktype's default_groups; all or nothing.
 */
static int kobject_create_sysfs(struct kobject *kobj)
{
	int err = sysfs_create_dir(kobj);

	if (err || !kobj->ktype)
		return err;
	err = sysfs_create_groups(kobj, kobj->ktype->default_groups);
	if (err)
		sysfs_remove_dir(kobj);
	return err;
}

/*
 * Link a named, initialised kobject into the tree: take the parent
 * reference (the kset's kobject when no parent was given) and join the
 * kset. Lock O.
 */
static int kobject_add_internal(struct kobject *kobj)
{
	struct kobject *parent;
	int err;

	if (!kobj->name || !kobj->name[0]) {
		pr_err("kobject (%p): attempted to be registered with empty name\n",
		       (void *)kobj);
		WARN_ON(1);
		return -EINVAL;
	}
	parent = kobject_get(kobj->parent);
	if (kobj->kset) {
		if (!parent)
			parent = kobject_get(&kobj->kset->kobj);
		kobj_kset_join(kobj);
	}
	kobj->parent = parent;

	/* sysfs: on failure leave the kset and drop the parent reference. */
	err = kobject_create_sysfs(kobj);
	if (err) {
		if (kobj->kset)
			kobj_kset_leave(kobj);
		kobject_put(parent);
		kobj->parent = NULL;
		if (err == -EEXIST)
			pr_err("kobject_add_internal failed for %s with -EEXIST, don't try to register things with the same name in the same directory.\n",
			       kobject_name(kobj));
		else
			pr_err("kobject_add_internal failed for %s (error: %d)\n",
			       kobject_name(kobj), err);
		return err;
	}
	kobj->state_in_sysfs = 1;
	return 0;
}

static int kobject_add_varg(struct kobject *kobj, struct kobject *parent,
			    const char *fmt, va_list vargs)
{
	int ret;

	if (!kobj->state_initialized) {
		pr_err("kobject '%s' (%p): tried to add an uninitialized object\n",
		       kobj->name ? kobj->name : "(null)", (void *)kobj);
		WARN_ON(1);
		return -EINVAL;
	}
	if (kobj->state_in_sysfs) {
		pr_err("kobject '%s' (%p): tried to add an object twice\n",
		       kobj->name, (void *)kobj);
		WARN_ON(1);
		return -EINVAL;
	}
	ret = kobject_set_name_vargs(kobj, fmt, vargs);
	if (ret) {
		pr_err("kobject: can not set name properly!\n");
		return ret;
	}
	kobj->parent = parent;
	return kobject_add_internal(kobj);
}

/**
 * kobject_add - name a kobject and link it into the hierarchy
 * @kobj: an initialised kobject, not yet added
 * @parent: its parent, or NULL: then kobj->kset's kobject if a kset is
 *          set, else none (a top-level object)
 * @fmt: printf format of the name, then its arguments; required
 *
 * Takes a reference on the parent and on the kset until kobject_del()
 * or the final put. On failure the caller still owns its reference and
 * must call kobject_put(), which frees the name and runs release.
 *
 * Return: 0; -EINVAL for a NULL or empty name, an uninitialised object
 * or one already added; -ENOMEM.
 * Context: process; may sleep. Lock O.
 */
int kobject_add(struct kobject *kobj, struct kobject *parent, const char *fmt,
		...)
{
	va_list args;
	int ret;

	if (!kobj)
		return -EINVAL;
	va_start(args, fmt);
	ret = kobject_add_varg(kobj, parent, fmt, args);
	va_end(args);
	return ret;
}

/**
 * kobject_init_and_add - kobject_init() and kobject_add() in one call
 * @kobj: the kobject
 * @ktype: its type
 * @parent: as for kobject_add()
 * @fmt: the name format, then its arguments
 *
 * Return: as kobject_add(); on failure call kobject_put() (the object
 * was initialised). Context: process; may sleep.
 */
int kobject_init_and_add(struct kobject *kobj, const struct kobj_type *ktype,
			 struct kobject *parent, const char *fmt, ...)
{
	va_list args;
	int ret;

	kobject_init(kobj, ktype);
	if (!kobj)
		return -EINVAL;
	va_start(args, fmt);
	ret = kobject_add_varg(kobj, parent, fmt, args);
	va_end(args);
	return ret;
}

/* Unlink from the tree and the kset; the parent reference is the
 * caller's to drop. */
static void __kobject_del(struct kobject *kobj)
{
	/*
	 * sysfs: remove the kobject's directory (and its default_groups),
	 * draining active references to its open files first, so no
	 * show/store runs once this returns.
	 */
	if (kobj->ktype)
		sysfs_remove_groups(kobj, kobj->ktype->default_groups);
	sysfs_remove_dir(kobj);
	if (kobj->kset)
		kobj_kset_leave(kobj);
	kobj->state_in_sysfs = 0;
	kobj->parent = NULL;
}

/**
 * kobject_del - unlink a kobject from the hierarchy
 * @kobj: the kobject, or NULL; nothing happens unless it is added
 *
 * Leaves the kset and drops the reference on the parent. The caller's
 * references are untouched: the object is released by the last
 * kobject_put(), or may be added again.
 * Context: process; may sleep (the parent's release may run). Lock O.
 */
void kobject_del(struct kobject *kobj)
{
	struct kobject *parent;

	if (!kobj || !kobj->state_in_sysfs)
		return;
	parent = kobj->parent;
	__kobject_del(kobj);
	kobject_put(parent);
}

/**
 * kobject_get - take a reference
 * @kobj: the kobject, or NULL
 *
 * Return: @kobj. Context: any; does not sleep.
 */
struct kobject *kobject_get(struct kobject *kobj)
{
	if (!kobj)
		return NULL;
	if (!kobj->state_initialized) {
		pr_err("kobject '%s' (%p): is not initialized, yet kobject_get() is being called.\n",
		       kobj->name ? kobj->name : "(null)", (void *)kobj);
		WARN_ON(1);
	}
	kref_get(&kobj->kref);
	return kobj;
}

/**
 * kobject_get_unless_zero - take a reference unless the object is dying
 * @kobj: the kobject, or NULL, reached through a list whose lock the
 *        caller holds
 *
 * Return: @kobj with a reference, or NULL when its count was zero.
 * Context: any; does not sleep.
 */
struct kobject *kobject_get_unless_zero(struct kobject *kobj)
{
	if (!kobj || !kref_get_unless_zero(&kobj->kref))
		return NULL;
	return kobj;
}

/*
 * The last reference is gone: delete the object if its owner did not,
 * release it, free the name, and only then drop the parent reference,
 * so the parent outlives this release.
 */
static void kobject_cleanup(struct kobject *kobj)
{
	const struct kobj_type *t = kobj->ktype;
	struct kobject *parent = kobj->parent;
	const char *name = kobj->name;

	/*
	 * uevent: an object that announced itself with "add" and was not
	 * yet announced gone says "remove" now, while it has a path.
	 */
	if (kobj->state_add_uevent_sent && !kobj->state_remove_uevent_sent)
		kobject_uevent(kobj, KOBJ_REMOVE);
	if (kobj->state_in_sysfs)
		__kobject_del(kobj);
	else
		parent = NULL; /* a deleted object no longer holds one */

	if (t && t->release) {
		t->release(kobj);
	} else {
		pr_err("kobject '%s' (%p): does not have a release() function, it is broken and must be fixed.\n",
		       name ? name : "(null)", (void *)kobj);
		WARN_ON(1);
	}
	kfree(name);
	kobject_put(parent);
}

static void kobject_release(struct kref *kref)
{
	kobject_cleanup(container_of(kref, struct kobject, kref));
}

/**
 * kobject_put - drop a reference
 * @kobj: the kobject, or NULL
 *
 * The last put deletes the object if still added, calls
 * ktype->release exactly once, frees the name and then drops the
 * parent reference (which may release the parent in turn).
 * Context: process; may sleep (release functions may). Lock O for the
 * last put.
 */
void kobject_put(struct kobject *kobj)
{
	if (!kobj)
		return;
	if (!kobj->state_initialized) {
		pr_err("kobject '%s' (%p): is not initialized, yet kobject_put() is being called.\n",
		       kobj->name ? kobj->name : "(null)", (void *)kobj);
		WARN_ON(1);
		return;
	}
	kref_put(&kobj->kref, kobject_release);
}

/**
 * kobject_rename - change the name of an added kobject
 * @kobj: the kobject; it must have a parent (Linux's rule: renaming a
 *        top-level object is refused)
 * @new_name: the new name; a '/' becomes '!'
 *
 * Return: 0; -EINVAL for a NULL or empty name or no parent; -ENOMEM.
 * Context: process; may sleep. Lock O.
 */
int kobject_rename(struct kobject *kobj, const char *new_name)
{
	char *name, *old_path = NULL; /* uevent: DEVPATH_OLD */
	int ret = 0;

	if (!kobj || !new_name || !new_name[0])
		return -EINVAL;
	kobject_get(kobj);
	if (!kobj->parent) {
		ret = -EINVAL;
		goto out_put;
	}
	name = kmalloc(strlen(new_name) + 1, GFP_KERNEL);
	if (!name) {
		ret = -ENOMEM;
		goto out_put;
	}
	strcpy(name, new_name);
	name_fix_slashes(name);
	/*
	 * sysfs: rename the directory, and fail before the name changes
	 * if that fails. uevent: "move" with DEVPATH_OLD after the rename.
	 */
	old_path = kobject_get_path(kobj, GFP_KERNEL);
	ret = sysfs_rename_dir(kobj, name);
	if (ret) {
		kfree(name);
		goto out_put;
	}
	kobject_replace_name(kobj, name);
	if (old_path)
		kobject_uevent_move(kobj, old_path);
out_put:
	kfree(old_path); /* uevent: */
	kobject_put(kobj);
	return ret;
}

/* Bytes of "/a/b/c" for @kobj, without the NUL; 0 if a level has no
 * name or the tree is deeper than KOBJ_MAX_DEPTH. */
static size_t get_kobj_path_length(const struct kobject *kobj)
{
	size_t length = 0;
	int depth = 0;

	for (; kobj; kobj = kobj->parent) {
		if (!kobj->name || ++depth > KOBJ_MAX_DEPTH)
			return 0;
		length += strlen(kobj->name) + 1;
	}
	return length;
}

/* Write the path backwards from the end of @path (length @length). */
static void fill_kobj_path(const struct kobject *kobj, char *path,
			   size_t length)
{
	size_t cur;

	path[length] = '\0';
	for (; kobj; kobj = kobj->parent) {
		cur = strlen(kobj->name);
		length -= cur;
		memcpy(path + length, kobj->name, cur);
		path[--length] = '/';
	}
}

/**
 * kobject_get_path - the kobject's path from the root of the tree
 * @kobj: the kobject
 * @gfp: allocation flags
 *
 * The path is each ancestor's name after a '/', e.g. "/devices/foo/bar"
 * (what will be its directory below /sys).
 *
 * Return: a kmalloc'd string the caller kfrees, or NULL when out of
 * memory or an ancestor has no name.
 * Context: as @gfp allows; no rename may run in the tree meanwhile.
 */
char *kobject_get_path(const struct kobject *kobj, gfp_t gfp)
{
	size_t len;
	char *path;

	if (!kobj)
		return NULL;
	len = get_kobj_path_length(kobj);
	if (len == 0)
		return NULL;
	path = kmalloc(len + 1, gfp);
	if (!path)
		return NULL;
	fill_kobj_path(kobj, path, len);
	return path;
}

/**
 * kset_init - initialise a kset's kobject and list
 * @kset: the kset; its kobj.ktype is set by the caller
 *
 * Context: any; does not sleep.
 */
void kset_init(struct kset *kset)
{
	kobject_init_internal(&kset->kobj);
	INIT_LIST_HEAD(&kset->list);
	spin_lock_init(&kset->list_lock);
}

/**
 * kset_register - initialise and add a kset
 * @kset: the kset, with kobj.name (kobject_set_name), kobj.ktype and
 *        optionally kobj.parent and kobj.kset set
 *
 * Return: 0, or -EINVAL when @kset is NULL, has no ktype or no name.
 * On failure the caller frees the name and the kset (nothing else was
 * taken). Context: process; may sleep.
 */
int kset_register(struct kset *kset)
{
	int ret;

	if (!kset)
		return -EINVAL;
	if (!kset->kobj.ktype) {
		pr_err("kset '%s': must have a ktype\n",
		       kset->kobj.name ? kset->kobj.name : "(null)");
		return -EINVAL;
	}
	kset_init(kset);
	ret = kobject_add_internal(&kset->kobj);
	if (ret)
		return ret;
	/* uevent: a registered kset announces itself, as in Linux. */
	kobject_uevent(&kset->kobj, KOBJ_ADD);
	return 0;
}

/**
 * kset_unregister - delete a kset and drop the registration reference
 * @kset: the kset, or NULL
 *
 * Members keep the kset alive until they leave it.
 * Context: process; may sleep.
 */
void kset_unregister(struct kset *kset)
{
	if (!kset)
		return;
	kobject_del(&kset->kobj);
	kobject_put(&kset->kobj);
}

static void kset_release(struct kobject *kobj)
{
	kfree(to_kset(kobj));
}

static const struct kobj_type kset_ktype = {
	.release = kset_release,
};

/**
 * kset_create_and_add - allocate and register a kset
 * @name: its name
 * @uevent_ops: its say in its members' events, or NULL
 * @parent: its parent kobject, or NULL for a top-level kset
 *
 * Return: the kset (free it with kset_unregister()), or NULL on
 * failure, as in Linux. Context: process; may sleep.
 */
struct kset *kset_create_and_add(const char *name,
				 const struct kset_uevent_ops *uevent_ops,
				 struct kobject *parent)
{
	struct kset *kset;

	kset = kzalloc(sizeof(*kset), GFP_KERNEL);
	if (!kset)
		return NULL;
	if (!name || kobject_set_name(&kset->kobj, "%s", name))
		goto out_free_kset;
	kset->kobj.parent = parent;
	kset->kobj.ktype = &kset_ktype;
	kset->uevent_ops = uevent_ops;
	if (kset_register(kset))
		goto out_free_name;
	return kset;

out_free_name:
	kfree(kset->kobj.name);
out_free_kset:
	kfree(kset);
	return NULL;
}

/**
 * kset_find_obj - look a member of a kset up by name
 * @kset: the kset
 * @name: the name
 *
 * Return: the member with a reference the caller must kobject_put(), or
 * NULL. A member whose last reference is gone is not found.
 * Context: any; does not sleep. Takes lock K.
 */
struct kobject *kset_find_obj(struct kset *kset, const char *name)
{
	struct kobject *k, *ret = NULL;

	if (!kset || !name)
		return NULL;
	spin_lock(&kset->list_lock);
	list_for_each_entry(k, &kset->list, entry) {
		if (kobject_name(k) && !strcmp(kobject_name(k), name)) {
			ret = kobject_get_unless_zero(k);
			break;
		}
	}
	spin_unlock(&kset->list_lock);
	return ret;
}

static void dynamic_kobj_release(struct kobject *kobj)
{
	kfree(kobj);
}

static const struct kobj_type dynamic_kobj_ktype = {
	.release = dynamic_kobj_release,
};

/**
 * kobject_create_and_add - allocate and add a bare kobject
 * @name: its name
 * @parent: its parent, or NULL for a top-level directory
 *
 * For the plain directories of the hierarchy (/sys/kernel, /sys/dev)
 * that need no containing structure.
 *
 * Return: the kobject (dispose of it with kobject_put()), or NULL.
 * Context: process; may sleep.
 */
struct kobject *kobject_create_and_add(const char *name, struct kobject *parent)
{
	struct kobject *kobj;

	kobj = kzalloc(sizeof(*kobj), GFP_KERNEL);
	if (!kobj)
		return NULL;
	kobject_init(kobj, &dynamic_kobj_ktype);
	if (kobject_add(kobj, parent, "%s", name)) {
		kobject_put(kobj);
		return NULL;
	}
	return kobj;
}
