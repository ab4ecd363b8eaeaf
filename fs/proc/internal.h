/*
 * procfs private declarations. An entry of a fixed directory (the root,
 * a process or thread directory) is a struct proc_entry in a const
 * table; the numbered ones (processes, threads, descriptors) are made up
 * at lookup, and /proc/sys is a tree of struct ctl_table (sysctl.h).
 * Each inode is a struct proc_inode: the entry it shows and a struct
 * proc_ref saying which process, thread and descriptor it is about.
 * Nothing is cached: dentries are dropped when unused, so a process
 * that exited simply is not found again (ENOENT).
 */
#ifndef _FS_PROC_INTERNAL_H
#define _FS_PROC_INTERNAL_H

#include <kestrel/fs.h>
#include <kestrel/proc_fs.h>

struct task;
struct ctl_table;

/*
 * What a file is about: process @pid (its thread group id; 0 for the
 * system files), thread @tid (0: the process as a whole, as in
 * /proc/<pid>/; a tid under /proc/<pid>/task/), descriptor @fd (-1
 * unless under fd/ or fdinfo/).
 */
struct proc_ref {
	int pid;
	int tid;
	int fd;
	const void *data; /* the entry's ->data, when a show is opened */
};

/* Build a file's text. Returns 0 or -errno (-ESRCH: the task is gone). */
typedef int (*proc_show_t)(struct seq_file *m, const struct proc_ref *ref);
/* A symlink's target into @buf. 0 or -errno. */
typedef int (*proc_link_t)(const struct proc_ref *ref, char *buf, int buflen);

/* Directory kinds: what ->lookup and ->iterate list besides entries. */
enum proc_dir_kind {
	PROC_DIR_ROOT, /* the table, then one per process */
	PROC_DIR_PID, /* the table of a process */
	PROC_DIR_TID, /* the table of a thread (task/<tid>/) */
	PROC_DIR_TASK, /* one directory per thread of the process */
	PROC_DIR_FD, /* one symlink per open descriptor */
	PROC_DIR_FDINFO, /* one file per open descriptor */
	PROC_DIR_SYS, /* a /proc/sys directory: a ctl_table */
	PROC_DIR_TABLE, /* a fixed directory: the entry's ->children */
};

struct proc_entry {
	const char *name;
	umode_t mode; /* S_IFREG/S_IFDIR/S_IFLNK | permissions */
	proc_show_t show; /* regular files */
	proc_link_t link; /* symlinks */
	enum proc_dir_kind kind; /* directories */
	/* Regular files not built by ->show (kmsg); NULL: the seq_file. */
	const struct file_operations *fops;
	const struct proc_entry *children; /* PROC_DIR_TABLE directories */
	const void *data; /* for ->show (a /proc/bus file's callback) */
};

/* The inode of every procfs file; the VFS inode inside. */
struct proc_inode {
	const struct proc_entry *entry; /* c */
	struct proc_ref ref; /* c */
	/* c: /proc/sys: a directory's children, or the file's own entry */
	const struct ctl_table *table;
	struct inode vfs_inode;
};

static inline struct proc_inode *PROC_I(struct inode *inode)
{
	return container_of(inode, struct proc_inode, vfs_inode);
}

/* seq.c: the file operations of every generated file. */
extern const struct file_operations proc_seq_file_operations;
/* Build @show's text for @ref; on success *@out holds it (proc_seq_free). */
int proc_seq_build(proc_show_t show, const struct proc_ref *ref,
		   struct seq_file *out);
void proc_seq_free(struct seq_file *m);

/* root.c */
struct inode *proc_make_inode(struct super_block *sb,
			      const struct proc_entry *entry,
			      const struct proc_ref *ref);
/* Mount a procfs instance on @dir (created if missing). 0 or -errno. */
int proc_mount_on(const char *dir);

/* The fixed tables (misc.c, base.c). */
extern const struct proc_entry proc_root_entries[];
extern const struct proc_entry proc_pid_entries[];
extern const struct proc_entry proc_tid_entries[];
extern const struct proc_entry proc_fd_link_entry;
extern const struct proc_entry proc_fdinfo_entry;
extern const struct proc_entry proc_pid_dir_entry;
extern const struct proc_entry proc_tid_dir_entry;

/* base.c: the group leader with process id @pid, with a reference, or
 * NULL if there is none (or only a reaped task). */
struct task *proc_get_task(int pid);
/* Is thread @tid a live member of process @pid? */
bool proc_tid_exists(int pid, int tid);
/* The first thread id >= @tid of process @pid, or 0. */
int proc_next_tid(int pid, int tid);
/* Is @fd open in process @pid? */
bool proc_fd_exists(int pid, int fd);
/* The first open descriptor >= @fd of @pid, or -1. */
int proc_next_fd(int pid, int fd);
/* /proc/self and /proc/thread-self: the reader's ids. */
int proc_self_link(const struct proc_ref *ref, char *buf, int buflen);
int proc_thread_self_link(const struct proc_ref *ref, char *buf, int buflen);
/* The first live process id >= @pid, or 0. */
int proc_next_pid(int pid);
/* /proc/mounts and /proc/<pid>/mounts (misc.c). */
int proc_mounts_show(struct seq_file *m, const struct proc_ref *ref);
/* The mount's number (fdinfo's mnt_id): its place in the mount list. */
int proc_mnt_id(const struct vfsmount *mnt);

/* kmsg.c: /proc/kmsg. */
extern const struct file_operations proc_kmsg_operations;
/* cpuinfo.c: /proc/cpuinfo. */
int proc_cpuinfo(struct seq_file *m, const struct proc_ref *ref);

/* proc_sysctl.c: /proc/sys. */
extern const struct file_operations proc_sys_file_operations;
/* The inode for @name in the sysctl directory @dir, or NULL. */
struct inode *proc_sys_lookup(struct inode *dir, const struct qstr *name);
/* List the sysctl directory @dir's entries from ctx->pos on. */
void proc_sys_readdir(struct inode *dir, struct dir_context *ctx,
		      loff_t first_pos);

#endif /* _FS_PROC_INTERNAL_H */
