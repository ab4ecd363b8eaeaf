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
 * sysfs (fs/sysfs/) gives each added kobject a directory, ->sd, with
 * files from ktype->default_groups read and written through
 * ktype->sysfs_ops. kobject_uevent() (lib/kobject_uevent.c) tells user
 * space about an object: over the netlink socket and through the
 * uevent helper program.
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
struct attribute_group; /* <kestrel/sysfs.h> */
struct sysfs_dirent; /* fs/sysfs/: a node of the sysfs tree */
struct mutex;

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
	struct sysfs_dirent *sd; /* its sysfs directory while added */
	struct kref kref;
	unsigned int state_initialized : 1; /* kobject_init done */
	unsigned int state_in_sysfs : 1; /* added and not yet deleted */
	unsigned int state_add_uevent_sent : 1; /* "add" went out */
	unsigned int state_remove_uevent_sent : 1; /* "remove" went out */
	unsigned int uevent_suppress : 1; /* send no events for it */
};

/* What happened to a kobject, as told to user space (ACTION=). */
enum kobject_action {
	KOBJ_ADD,
	KOBJ_REMOVE,
	KOBJ_CHANGE,
	KOBJ_MOVE,
	KOBJ_ONLINE,
	KOBJ_OFFLINE,
	KOBJ_BIND,
	KOBJ_UNBIND,
};

/* Limits of one event, as Linux's: variables and bytes of KEY=VALUE. */
#define UEVENT_NUM_ENVP 64
#define UEVENT_BUFFER_SIZE 2048

/*
 * The environment of one event being built: envp[] points into buf[],
 * each entry "KEY=VALUE". Too big for the stack: kzalloc'd by
 * kobject_uevent_env() and handed to the kset's uevent() callback.
 */
struct kobj_uevent_env {
	char *argv[3]; /* the uevent helper's: path, subsystem, NULL */
	char *envp[UEVENT_NUM_ENVP];
	int envp_idx;
	char buf[UEVENT_BUFFER_SIZE];
	int buflen;
};

/*
 * A kset's say in the events of its members (and their descendants
 * that belong to no kset). filter() returns 0 to suppress the event;
 * name() gives SUBSYSTEM= (default: the kset's name); uevent() adds
 * variables with add_uevent_var() and returns 0 or -errno (no event).
 */
struct kset_uevent_ops {
	int (*filter)(const struct kobject *kobj);
	const char *(*name)(const struct kobject *kobj);
	int (*uevent)(const struct kobject *kobj, struct kobj_uevent_env *env);
};

/*
 * A set of kobjects, itself a kobject. The set holds no reference on
 * its members; each member holds one on the set while it is added.
 */
struct kset {
	struct list_head list; /* members, by kobj->entry */
	spinlock_t list_lock; /* protects list and members' entry */
	struct kobject kobj;
	const struct kset_uevent_ops *uevent_ops; /* may be NULL */
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
struct kobject *kobject_create_and_add(const char *name,
				       struct kobject *parent);
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
struct kset *kset_create_and_add(const char *name,
				 const struct kset_uevent_ops *uevent_ops,
				 struct kobject *parent);
struct kobject *kset_find_obj(struct kset *kset, const char *name);

static inline struct kset *kset_get(struct kset *kset)
{
	return kset ? to_kset(kobject_get(&kset->kobj)) : NULL;
}

static inline void kset_put(struct kset *kset)
{
	kobject_put(&kset->kobj);
}

/* The top-level directories of /sys that are bare kobjects. */
extern struct kobject *kernel_kobj; /* /sys/kernel */
/* Create /sys/kernel and its attributes (kernel/ksysfs.c); boot, after
 * sysfs_init(). */
void ksysfs_init(void);

/* lib/kobject_uevent.c */
extern u64 uevent_seqnum; /* SEQNUM of the last event sent */
#define UEVENT_HELPER_PATH_LEN 256
extern char uevent_helper[UEVENT_HELPER_PATH_LEN]; /* "" = none */

int kobject_uevent(struct kobject *kobj, enum kobject_action action);
int kobject_uevent_env(struct kobject *kobj, enum kobject_action action,
		       char *envp[]);
int kobject_synth_uevent(struct kobject *kobj, const char *buf, size_t count);
int add_uevent_var(struct kobj_uevent_env *env, const char *format, ...)
	__printf(2, 3);
const char *kobject_action_name(enum kobject_action action);
int send_kevent(struct kobject *kobj, const struct attribute *attr);
/* The "move" event of kobject_rename(); @old_path is DEVPATH_OLD. */
void kobject_uevent_move(struct kobject *kobj, const char *old_path);
/*
 * Held while an event takes its SEQNUM and is sent; readers of
 * uevent_seqnum and writers of uevent_helper[] take it too.
 */
extern struct mutex uevent_sock_mutex;

#endif /* _KESTREL_KOBJECT_H */
