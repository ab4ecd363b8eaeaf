/*
 * A task's place in the filesystem: its root ("/" for it; chroot moves
 * it), its working directory and its umask. Tasks created with CLONE_FS
 * share one fs_struct; fork copies it.
 *
 * The path walk takes its starting points from here: the caller passes
 * the fs_struct explicitly (the syscall layer passes current_fs(); the
 * ktests build their own), so the walk itself never looks at tasks.
 */
#ifndef _KESTREL_FS_STRUCT_H
#define _KESTREL_FS_STRUCT_H

#include <kestrel/fs.h>
#include <kestrel/spinlock.h>

struct fs_struct {
	int users; /* lock: tasks sharing it */
	spinlock_t lock; /* protects users, root, pwd and umask */
	struct path root; /* lock: a reference */
	struct path pwd; /* lock: a reference */
	umode_t umask; /* lock */
};

/* The fs_struct of the first task, rooted at the root mount by
 * vfs_caches_init(). */
extern struct fs_struct init_fs;

/*
 * The current task's fs_struct. Implemented by the task code
 * (kernel/), which owns current->fs; the VFS itself never calls it.
 */
struct fs_struct *current_fs(void);

/**
 * alloc_fs_struct - a new fs_struct with root and pwd at @root
 *
 * umask 022, one user. Returns NULL on ENOMEM. Context: process.
 */
struct fs_struct *alloc_fs_struct(const struct path *root);

/* fork without CLONE_FS: a copy with its own references. NULL: ENOMEM. */
struct fs_struct *copy_fs_struct(struct fs_struct *old);

/* CLONE_FS: one more task shares @fs. */
void get_fs_struct(struct fs_struct *fs);

/* A task leaves @fs; the last one drops the paths and frees it. */
void put_fs_struct(struct fs_struct *fs);

/* Replace root or pwd (the old one is released). Context: process. */
void set_fs_root(struct fs_struct *fs, const struct path *path);
void set_fs_pwd(struct fs_struct *fs, const struct path *path);

/* Copy root or pwd out with a reference (path_put it). */
void get_fs_root(struct fs_struct *fs, struct path *root);
void get_fs_pwd(struct fs_struct *fs, struct path *pwd);

/* umask(2): set and return the old mask. */
umode_t fs_set_umask(struct fs_struct *fs, umode_t mask);

static inline umode_t fs_umask(struct fs_struct *fs)
{
	return READ_ONCE(fs->umask);
}

#endif /* _KESTREL_FS_STRUCT_H */
