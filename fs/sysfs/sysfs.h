/*
 * sysfs private declarations: the node tree (dir.c), the files of
 * attributes (file.c), the filesystem that shows the tree (mount.c).
 *
 * The tree is made of struct sysfs_dirent, one per name under /sys,
 * independent of the VFS: it exists whether or not sysfs is mounted.
 * The VFS side makes an inode for a node when a path walk looks it up
 * and forgets it when it is unused (no dentry is cached), so the node
 * tree is the only truth (docs/sysfs.md).
 *
 * Locking:
 *	M	sysfs_mutex (dir.c, sleeping): the shape of the tree, every
 *		node's parent, name and child list, s_dir.kobj, sysfs_sb.
 *	a	atomic, no lock.
 *	c	constant after the node is created.
 * sysfs_mutex nests inside a directory's i_mutex (lookup runs with it
 * held) and outside dcache_lock. show() and store() run with no sysfs
 * lock held, only an active reference on their node.
 */
#ifndef _FS_SYSFS_SYSFS_H
#define _FS_SYSFS_SYSFS_H

#include <kestrel/atomic.h>
#include <kestrel/fs.h>
#include <kestrel/mutex.h>
#include <kestrel/sysfs.h>
#include <kestrel/sched.h>
#include <kestrel/wait.h>
#include <uapi/poll.h>

enum sysfs_type {
	SYSFS_DIR,
	SYSFS_KOBJ_ATTR,
	SYSFS_KOBJ_BIN_ATTR,
	SYSFS_KOBJ_LINK,
};

/*
 * Added to s_active when a node is removed: the count goes negative, no
 * new active reference can be taken, and the remover waits until the
 * count is back to exactly this value (every user left). Linux's
 * KN_DEACTIVATED_BIAS.
 */
#define SD_DEACTIVATED_BIAS (-0x40000000)

/* Readiness of any sysfs file: a value can always be read or written. */
#define SYSFS_DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

/* Deeper trees than this are refused by the path helpers. */
#define SYSFS_MAX_DEPTH 64

/* The inode number of the root; the others count up from the next. */
#define SYSFS_ROOT_INO 1

/*
 * One name in /sys. A node holds a reference on its parent, so the
 * chain to the root outlives it; the tree holds the node's first
 * reference until it is removed, each inode made for it one more.
 */
struct sysfs_dirent {
	atomic_t s_count; /* a: references; the last put frees */
	atomic_t s_active; /* a: active references (see above) */
	struct sysfs_dirent *s_parent; /* M */
	const char *s_name; /* M: kmalloc'd */
	struct list_head s_sibling; /* M: in the parent's s_dir.children */
	unsigned int s_ino; /* c: also its readdir position */
	umode_t s_mode; /* M: S_IF* and permission bits */
	kuid_t s_uid; /* M: the owner, root until a chown */
	kgid_t s_gid; /* M: the group, root until a chown */
	enum sysfs_type s_type; /* c */
	union {
		/* SYSFS_DIR: children by s_ino; kobj while it exists */
		struct {
			struct list_head children; /* M */
			struct kobject *kobj; /* M */
		} s_dir;
		const struct attribute *s_attr; /* c: attribute files */
		const struct bin_attribute *s_bin_attr; /* c */
		struct sysfs_dirent *s_target; /* c: links; a reference */
	};
	bool s_removed; /* M (waiters peek): removal done, users drained */
	atomic_t s_event; /* a: attributes: sysfs_notify() count */
	struct wait_queue_head s_poll; /* attributes: poll() waiters */
};

extern struct mutex sysfs_mutex;
extern struct sysfs_dirent *sysfs_root;
extern struct super_block *sysfs_sb; /* M: the instance, once mounted */

/* dir.c: nodes and the tree. */
struct sysfs_dirent *sysfs_new_dirent(const char *name, umode_t mode,
				      enum sysfs_type type);
struct sysfs_dirent *sysfs_get(struct sysfs_dirent *sd);
void sysfs_put(struct sysfs_dirent *sd);
int sysfs_add_one(struct sysfs_dirent *parent, struct sysfs_dirent *sd);
struct sysfs_dirent *sysfs_find_dirent(struct sysfs_dirent *parent,
				       const char *name);
struct sysfs_dirent *sysfs_get_dirent(struct sysfs_dirent *parent,
				      const char *name);
void sysfs_remove(struct sysfs_dirent *sd);
int sysfs_remove_by_name(struct sysfs_dirent *parent, const char *name);
struct sysfs_dirent *sysfs_create_subdir(struct kobject *kobj,
					 struct sysfs_dirent *parent,
					 const char *name);
int sysfs_rename(struct sysfs_dirent *sd, struct sysfs_dirent *new_parent,
		 const char *new_name);
bool sysfs_get_active(struct sysfs_dirent *sd);
void sysfs_put_active(struct sysfs_dirent *sd);
int sysfs_path_of(const struct sysfs_dirent *sd, char *buf, size_t size);
struct kobject *sysfs_kobj_of(const struct sysfs_dirent *sd);

/* file.c: what an attribute's open file does. */
extern const struct file_operations sysfs_file_operations;
extern const struct file_operations sysfs_bin_operations;
int sysfs_add_file_mode(struct sysfs_dirent *parent,
			const struct attribute *attr, enum sysfs_type type,
			umode_t mode);

/* symlink.c: a link's target relative to the link. */
int sysfs_link_target(const struct sysfs_dirent *link, char *buf, size_t size);

/* mount.c */
int sysfs_fs_init(void);
void sysfs_drop_dentry(struct sysfs_dirent *sd);

#endif /* _FS_SYSFS_SYSFS_H */
