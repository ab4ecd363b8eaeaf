/*
 * kobject and kset: the objects of the device model (Linux's kobject).
 *
 * A kobject is embedded in a bigger structure (a device, a driver, a
 * bus) and gives it a name, a place in a tree (->parent), membership of
 * a set (->kset) and a reference count (->kref). It is never allocated
 * alone: its kobj_type's release() recovers the containing structure
 * with container_of() and frees it.
 *
 * Life of a kobject:
 *
 *	kobject_init(kobj, ktype)   count 1, not yet in the tree
 *	kobject_add(kobj, parent, "name%d", n)
 *	                            named, linked under @parent, joined to
 *	                            kobj->kset; holds a reference on parent
 *	kobject_get / kobject_put   anyone keeping a pointer
 *	kobject_del(kobj)           (optional) out of the tree and the kset,
 *	                            parent reference dropped
 *	kobject_put(kobj)           the last put: deleted if still added,
 *	                            ktype->release(kobj) once, name freed,
 *	                            then the parent reference goes
 *
 * Who frees what: the core frees the name; ktype->release frees the
 * containing structure; a parent is released only after each child's
 * release, because each added child holds a reference on it.
 *
 * A kset is a kobject that is also a list of kobjects (its members have
 * kobj->kset pointing at it). A member added without a parent gets the
 * kset's own kobject as parent, so ksets are also the directories of
 * the hierarchy ("/devices", "/bus/pci").
 *
 * Not here yet: sysfs (a directory per added kobject, files from
 * ktype->sysfs_ops and default_groups) and uevents (kobject_uevent).
 * lib/kobject.c marks the places where they will be called.
 */
#ifndef _KESTREL_KOBJECT_H
#define _KESTREL_KOBJECT_H

#include <kestrel/compiler.h>
#include <kestrel/fs.h>
#include <kestrel/gfp.h>
#include <kestrel/kref.h>
#include <kestrel/list.h>
#include <kestrel/spinlock.h>
#include <kestrel/types.h>
#include <stdarg.h>

struct kobject;
struct kset;
struct attribute_group; /* defined by sysfs */

/* A file of a kobject's directory in sysfs: its name and permissions. */
struct attribute {
	const char *name;
	umode_t mode;
};

/*
 * How sysfs reads and writes a kobject's attributes. show() fills @buf,
 * a page, and returns the bytes written or -errno; store() gets the
 * @count bytes written and returns the bytes used or -errno.
 */
struct sysfs_ops {
	ssize_t (*show)(struct kobject *kobj, struct attribute *attr,
			char *buf);
	ssize_t (*store)(struct kobject *kobj, struct attribute *attr,
			 const char *buf, size_t count);
};

/*
 * The type of a kobject: what all kobjects embedded in the same kind of
 * structure share.
 */
struct kobj_type {
	/* Frees the containing structure; required. Process context. */
	void (*release)(struct kobject *kobj);
	const struct sysfs_ops *sysfs_ops;
	/* NULL-terminated; created with the sysfs directory; may be NULL. */
	const struct attribute_group **default_groups;
};

/*
 * Locking: the fields are set by kobject_init/add/del/rename, which
 * the owner of the kobject serialises (one thread sets an object up and
 * tears it down). ->entry is also protected by kset->list_lock of the
 * kset it is on; ->name is replaced under that lock too, so
 * kset_find_obj() may read it.
 */
struct kobject {
	const char *name; /* kmalloc'd, owned by the core */
	struct list_head entry; /* in kset->list (kset->list_lock) */
	struct kobject *parent; /* holds a reference while added */
	struct kset *kset; /* set before kobject_add, or NULL */
	const struct kobj_type *ktype;
	struct kref kref;
	unsigned int state_initialized : 1; /* kobject_init done */
	unsigned int state_in_sysfs : 1; /* added and not yet deleted */
};

/*
 * A set of kobjects, itself a kobject. The set holds no reference on
 * its members; each member holds one on the set while it is added.
 */
struct kset {
	struct list_head list; /* members, by kobj->entry */
	spinlock_t list_lock; /* protects list and members' entry */
	struct kobject kobj;
};

static inline const char *kobject_name(const struct kobject *kobj)
{
	return kobj->name;
}

static inline struct kset *to_kset(struct kobject *kobj)
{
	return kobj ? container_of(kobj, struct kset, kobj) : NULL;
}

void kobject_init(struct kobject *kobj, const struct kobj_type *ktype);
int kobject_add(struct kobject *kobj, struct kobject *parent, const char *fmt,
		...) __printf(3, 4);
int kobject_init_and_add(struct kobject *kobj, const struct kobj_type *ktype,
			 struct kobject *parent, const char *fmt, ...)
	__printf(4, 5);
void kobject_del(struct kobject *kobj);
struct kobject *kobject_get(struct kobject *kobj);
struct kobject *kobject_get_unless_zero(struct kobject *kobj);
void kobject_put(struct kobject *kobj);
int kobject_set_name(struct kobject *kobj, const char *fmt, ...) __printf(2, 3);
int kobject_set_name_vargs(struct kobject *kobj, const char *fmt, va_list vargs)
	__printf(2, 0);
int kobject_rename(struct kobject *kobj, const char *new_name);
char *kobject_get_path(const struct kobject *kobj, gfp_t gfp);

void kset_init(struct kset *kset);
int kset_register(struct kset *kset);
void kset_unregister(struct kset *kset);
struct kset *kset_create_and_add(const char *name, struct kobject *parent);
struct kobject *kset_find_obj(struct kset *kset, const char *name);

static inline struct kset *kset_get(struct kset *kset)
{
	return kset ? to_kset(kobject_get(&kset->kobj)) : NULL;
}

static inline void kset_put(struct kset *kset)
{
	kobject_put(&kset->kobj);
}

#endif /* _KESTREL_KOBJECT_H */
