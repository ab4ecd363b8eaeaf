/*
 * procfs private declarations. An entry of a fixed directory (the root,
 * a process directory) is a struct proc_entry in a const table; the
 * numbered ones (processes, descriptors) are made up at lookup. Each
 * inode is a struct proc_inode: the entry it shows and, under a process
 * directory, the process id (and descriptor) it is about. Nothing is
 * cached: dentries are dropped when unused, so a process that exited
 * simply is not found again (ENOENT).
 */
#ifndef _FS_PROC_INTERNAL_H
#define _FS_PROC_INTERNAL_H

#include <kestrel/fs.h>
#include <kestrel/proc_fs.h>

struct task;
struct proc_entry;

/* Build a file's text for the process @pid (0 for system files).
 * Returns 0 or -errno (-ESRCH: the process is gone). */
typedef int (*proc_show_t)(struct seq_file *m, int pid);
/* A symlink's target for process @pid, descriptor @fd, into @buf. */
typedef int (*proc_link_t)(int pid, int fd, char *buf, int buflen);

/* Directory kinds: what ->lookup and ->iterate list besides entries. */
enum proc_dir_kind {
	PROC_DIR_ROOT, /* the table, "self", then one per process */
	PROC_DIR_PID, /* the table of a process */
	PROC_DIR_FD, /* one symlink per open descriptor */
};

struct proc_entry {
	const char *name;
	umode_t mode; /* S_IFREG/S_IFDIR/S_IFLNK | permissions */
	proc_show_t show; /* regular files */
	proc_link_t link; /* symlinks */
	enum proc_dir_kind kind; /* directories */
};

/* The inode of every procfs file; the VFS inode inside. */
struct proc_inode {
	const struct proc_entry *entry; /* c */
	int pid; /* c: the process, 0 for system files */
	int fd; /* c: the descriptor (fd/ links), else -1 */
	struct inode vfs_inode;
};

static inline struct proc_inode *PROC_I(struct inode *inode)
{
	return container_of(inode, struct proc_inode, vfs_inode);
}

/* seq.c: the file operations of every generated file. */
extern const struct file_operations proc_seq_file_operations;
/* Build @show's text for @pid; on success *@out holds it (proc_seq_free). */
int proc_seq_build(proc_show_t show, int pid, struct seq_file *out);
void proc_seq_free(struct seq_file *m);

/* root.c */
struct inode *proc_make_inode(struct super_block *sb,
			      const struct proc_entry *entry, int pid, int fd);

/* The fixed tables (misc.c, base.c). */
extern const struct proc_entry proc_root_entries[];
extern const struct proc_entry proc_pid_entries[];
extern const struct proc_entry proc_fd_link_entry;
extern const struct proc_entry proc_pid_dir_entry;

/* base.c: the group leader with process id @pid, with a reference, or
 * NULL if there is none (or only a zombie). */
struct task *proc_get_task(int pid);
/* Is @fd open in process @pid? */
bool proc_fd_exists(int pid, int fd);
/* The first open descriptor >= @fd of @pid, or -1. */
int proc_next_fd(int pid, int fd);
/* /proc/self: the reader's process id. */
int proc_self_link(int pid, int fd, char *buf, int buflen);
/* The first live process id >= @pid, or 0. */
int proc_next_pid(int pid);

#endif /* _FS_PROC_INTERNAL_H */
