/*
 * sysfs: the kobject tree as a file system, mounted on /sys.
 *
 * Each added kobject is a directory (kobj->sd); its attributes are
 * files holding one value in text, read through the ktype's
 * sysfs_ops->show() into a page-sized buffer and written through
 * ->store() with the bytes written. Binary attributes are byte arrays
 * read and written at an offset (a PCI device's config space). Symbolic
 * links tie the views together (/sys/class/tty/ttyS0 -> the device's
 * directory under /sys/devices).
 *
 * A file being read or written holds an "active" reference on its node;
 * removing a file or directory waits until those are drained, so a
 * show() or store() never runs on an object whose release has begun.
 *
 * The implementation is fs/sysfs/ (docs/sysfs.md).
 */
#ifndef _KESTREL_SYSFS_H
#define _KESTREL_SYSFS_H

#include <kestrel/compiler.h>
#include <kestrel/kobject.h>
#include <kestrel/types.h>

struct file;
struct bin_attribute;

/*
 * A set of attributes created and removed together, in a subdirectory
 * when @name is set. is_visible(kobj, attr, index) returns the mode to
 * give attrs[index], or 0 to leave it out.
 */
struct attribute_group {
	const char *name;
	umode_t (*is_visible)(struct kobject *kobj, struct attribute *attr,
			      int index);
	umode_t (*is_bin_visible)(struct kobject *kobj,
				  struct bin_attribute *attr, int index);
	struct attribute **attrs; /* NULL-terminated, or NULL */
	struct bin_attribute **bin_attrs; /* NULL-terminated, or NULL */
};

/*
 * A file of bytes: read/write get @count bytes at @off (already clamped
 * to @size when size is not 0) and return the bytes moved or -errno.
 */
struct bin_attribute {
	struct attribute attr;
	size_t size; /* the file's size; 0 = unknown */
	void *private;
	ssize_t (*read)(struct file *file, struct kobject *kobj,
			struct bin_attribute *attr, char *buf, loff_t off,
			size_t count);
	ssize_t (*write)(struct file *file, struct kobject *kobj,
			 struct bin_attribute *attr, char *buf, loff_t off,
			 size_t count);
};

/* Static initialisers for attribute definitions (Linux's __ATTR*). */
#define __ATTR(_name, _mode, _show, _store)                              \
	{                                                                \
		.attr = { .name = __stringify(_name), .mode = (_mode) }, \
		.show = _show, .store = _store,                          \
	}
#define __ATTR_RO(_name) __ATTR(_name, 0444, _name##_show, NULL)
#define __ATTR_WO(_name) __ATTR(_name, 0200, NULL, _name##_store)
#define __ATTR_RW(_name) __ATTR(_name, 0644, _name##_show, _name##_store)
#define __ATTR_NULL                     \
	{                               \
		.attr = {.name = NULL } \
	}

/* The tree's root and the "sysfs" type (init mounts /sys); boot, before
 * the first kobject_add. */
int sysfs_init(void);

/* Called by lib/kobject.c; not by drivers. */
int sysfs_create_dir(struct kobject *kobj);
void sysfs_remove_dir(struct kobject *kobj);
int sysfs_rename_dir(struct kobject *kobj, const char *new_name);
int sysfs_move_dir(struct kobject *kobj, struct kobject *new_parent);

int sysfs_create_file(struct kobject *kobj, const struct attribute *attr);
int sysfs_create_files(struct kobject *kobj,
		       const struct attribute *const *attrs);
void sysfs_remove_file(struct kobject *kobj, const struct attribute *attr);
void sysfs_remove_files(struct kobject *kobj,
			const struct attribute *const *attrs);
int sysfs_create_bin_file(struct kobject *kobj,
			  const struct bin_attribute *attr);
void sysfs_remove_bin_file(struct kobject *kobj,
			   const struct bin_attribute *attr);

int sysfs_create_group(struct kobject *kobj, const struct attribute_group *grp);
int sysfs_create_groups(struct kobject *kobj,
			const struct attribute_group *const *groups);
void sysfs_remove_group(struct kobject *kobj,
			const struct attribute_group *grp);
void sysfs_remove_groups(struct kobject *kobj,
			 const struct attribute_group *const *groups);

int sysfs_create_link(struct kobject *kobj, struct kobject *target,
		      const char *name);
void sysfs_remove_link(struct kobject *kobj, const char *name);
int sysfs_rename_link(struct kobject *kobj, struct kobject *target,
		      const char *old_name, const char *new_name);

/* Wake poll() on @kobj's attribute @attr (in subdirectory @dir, or NULL). */
void sysfs_notify(struct kobject *kobj, const char *dir, const char *attr);

/* Format into a show() buffer (a page); never overruns it. */
int sysfs_emit(char *buf, const char *fmt, ...) __printf(2, 3);
int sysfs_emit_at(char *buf, int at, const char *fmt, ...) __printf(3, 4);

#endif /* _KESTREL_SYSFS_H */
