/*
 * procfs: the filesystem. Three kinds of directory (the root, a process,
 * a process's fd/) are listed and looked up from a fixed table plus
 * numbered names made up on demand; every lookup builds a fresh inode
 * and the dentry is dropped as soon as it is unused (proc_d_delete), so
 * nothing stale about an exited process can be found again.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs_struct.h>
#include <kestrel/kstrtox.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <uapi/limits.h>

#include "internal.h"

#define PROC_SUPER_MAGIC 0x9fa0
#define PROC_DIR "/proc"
#define PROC_ROOT_INO 1
/* Listing positions: "." ".." then the table, then numbered names. */
#define PROC_POS_TABLE 2
#define PROC_POS_NUMBERED 0x10000

static const struct inode_operations proc_dir_inode_operations;
static const struct file_operations proc_dir_operations;
static const struct inode_operations proc_link_inode_operations;

static const struct proc_entry proc_root_dir_entry = {
	.name = "/",
	.mode = S_IFDIR | 0555,
	.kind = PROC_DIR_ROOT,
};

/* ---- inodes ------------------------------------------------------------- */

static struct inode *proc_alloc_inode(struct super_block *sb)
{
	struct proc_inode *pi = kmalloc(sizeof(*pi), GFP_KERNEL);

	return pi ? &pi->vfs_inode : NULL;
}

static void proc_destroy_inode(struct inode *inode)
{
	kfree(PROC_I(inode));
}

static const struct super_operations proc_sops = {
	.alloc_inode = proc_alloc_inode,
	.destroy_inode = proc_destroy_inode,
	.statfs = simple_statfs,
};

/* Never keep an unused dentry: the next lookup asks again. */
static int proc_d_delete(const struct dentry *dentry)
{
	return 1;
}

static const struct dentry_operations proc_dops = {
	.d_delete = proc_d_delete,
};

/* The owner of a process's files is the process's real user. */
static void proc_set_owner(struct inode *inode, int pid)
{
	struct task *task = pid ? proc_get_task(pid) : NULL;

	if (!task)
		return;
	inode->i_uid = task->cred->uid;
	inode->i_gid = task->cred->gid;
	put_task_struct(task);
}

struct inode *proc_make_inode(struct super_block *sb,
			      const struct proc_entry *entry, int pid, int fd)
{
	struct inode *inode = new_inode(sb);
	struct proc_inode *pi;

	if (!inode)
		return NULL;
	pi = PROC_I(inode);
	pi->entry = entry;
	pi->pid = pid;
	pi->fd = fd;
	inode->i_ino = entry == &proc_root_dir_entry ? PROC_ROOT_INO :
						       get_next_ino();
	inode->i_mode = entry->mode;
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time(inode);
	proc_set_owner(inode, pid);
	switch (entry->mode & S_IFMT) {
	case S_IFDIR:
		inode->i_op = &proc_dir_inode_operations;
		inode->i_fop = &proc_dir_operations;
		set_nlink(inode, 2);
		break;
	case S_IFLNK:
		inode->i_op = &proc_link_inode_operations;
		break;
	default:
		inode->i_fop = &proc_seq_file_operations;
		break;
	}
	return inode;
}

/* ---- symlinks ----------------------------------------------------------- */

static const char *proc_get_link(struct dentry *dentry, struct inode *inode,
				 void **cookie)
{
	struct proc_inode *pi = PROC_I(inode);
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL);
	int err;

	if (!buf)
		return ERR_PTR(-ENOMEM);
	err = pi->entry->link(pi->pid, pi->fd, buf, PATH_MAX);
	if (err) {
		kfree(buf);
		return ERR_PTR(err);
	}
	*cookie = buf;
	return buf;
}

static void proc_put_link(struct inode *inode, void *cookie)
{
	kfree(cookie);
}

static const struct inode_operations proc_link_inode_operations = {
	.get_link = proc_get_link,
	.put_link = proc_put_link,
};

/* ---- directories -------------------------------------------------------- */

/* A decimal name ("123", not "0123" or "+1") as a number, else -1. */
static int proc_name_to_number(const struct qstr *name)
{
	unsigned long n = 0;
	unsigned int i;

	if (!name->len || name->len > 9 ||
	    (name->name[0] == '0' && name->len > 1))
		return -1;
	for (i = 0; i < name->len; i++) {
		if (name->name[i] < '0' || name->name[i] > '9')
			return -1;
		n = n * 10 + (name->name[i] - '0');
	}
	return (int)n;
}

static const struct proc_entry *proc_table(enum proc_dir_kind kind)
{
	switch (kind) {
	case PROC_DIR_ROOT:
		return proc_root_entries;
	case PROC_DIR_PID:
		return proc_pid_entries;
	default:
		return NULL;
	}
}

static const struct proc_entry *proc_table_find(const struct proc_entry *tab,
						const struct qstr *name)
{
	for (; tab && tab->name; tab++)
		if (strlen(tab->name) == name->len &&
		    !memcmp(tab->name, name->name, name->len))
			return tab;
	return NULL;
}

/* The inode @name stands for in directory @pi, NULL if none. */
static struct inode *proc_lookup_inode(struct inode *dir,
				       const struct qstr *name)
{
	struct proc_inode *pi = PROC_I(dir);
	enum proc_dir_kind kind = pi->entry->kind;
	const struct proc_entry *entry =
		proc_table_find(proc_table(kind), name);
	int n = proc_name_to_number(name);
	struct task *task;

	if (entry)
		return proc_make_inode(dir->i_sb, entry, pi->pid, -1);
	if (n <= 0 && !(kind == PROC_DIR_FD && n == 0))
		return NULL;
	if (kind == PROC_DIR_FD)
		return proc_fd_exists(pi->pid, n) ?
			       proc_make_inode(dir->i_sb, &proc_fd_link_entry,
					       pi->pid, n) :
			       NULL;
	if (kind != PROC_DIR_ROOT)
		return NULL;
	task = proc_get_task(n);
	if (!task)
		return NULL;
	put_task_struct(task);
	return proc_make_inode(dir->i_sb, &proc_pid_dir_entry, n, -1);
}

static struct dentry *proc_lookup(struct inode *dir, struct dentry *dentry,
				  unsigned int flags)
{
	d_add(dentry, proc_lookup_inode(dir, &dentry->d_name));
	return NULL;
}

/* List the table entries from ctx->pos on. False if the actor stopped. */
static bool proc_emit_table(struct dir_context *ctx,
			    const struct proc_entry *tab)
{
	int i;

	for (i = 0; tab && tab[i].name; i++) {
		if (ctx->pos > PROC_POS_TABLE + i)
			continue;
		if (!dir_emit(ctx, tab[i].name, strlen(tab[i].name), 0,
			      fs_umode_to_dtype(tab[i].mode)))
			return false;
		ctx->pos = PROC_POS_TABLE + i + 1;
	}
	if (ctx->pos < PROC_POS_NUMBERED)
		ctx->pos = PROC_POS_NUMBERED;
	return true;
}

/* List processes (or descriptors) by number, positions after the table. */
static void proc_emit_numbered(struct dir_context *ctx, struct proc_inode *pi)
{
	bool fds = pi->entry->kind == PROC_DIR_FD;
	char name[16];
	int n, len;

	for (;;) {
		n = ctx->pos - PROC_POS_NUMBERED;
		n = fds ? proc_next_fd(pi->pid, n) : proc_next_pid(n);
		if (n < 0 || (!fds && n == 0))
			return;
		len = snprintf(name, sizeof(name), "%d", n);
		ctx->pos = PROC_POS_NUMBERED + n;
		if (!dir_emit(ctx, name, len, 0, fds ? DT_LNK : DT_DIR))
			return;
		ctx->pos = PROC_POS_NUMBERED + n + 1;
	}
}

static int proc_readdir(struct file *file, struct dir_context *ctx)
{
	struct proc_inode *pi = PROC_I(file_inode(file));

	if (!dir_emit_dots(file, ctx))
		return 0;
	if (ctx->pos < PROC_POS_NUMBERED &&
	    !proc_emit_table(ctx, proc_table(pi->entry->kind)))
		return 0;
	if (pi->entry->kind != PROC_DIR_PID)
		proc_emit_numbered(ctx, pi);
	return 0;
}

static const struct inode_operations proc_dir_inode_operations = {
	.lookup = proc_lookup,
};

static const struct file_operations proc_dir_operations = {
	.read = generic_read_dir,
	.iterate = proc_readdir,
};

/* ---- the filesystem ----------------------------------------------------- */

static int proc_fill_super(struct super_block *sb, void *data, int silent)
{
	struct inode *root;

	sb->s_magic = PROC_SUPER_MAGIC;
	sb->s_op = &proc_sops;
	sb->s_d_op = &proc_dops;
	root = proc_make_inode(sb, &proc_root_dir_entry, 0, -1);
	if (!root)
		return -ENOMEM;
	sb->s_root = d_make_root(root);
	return sb->s_root ? 0 : -ENOMEM;
}

static struct dentry *proc_mount(struct file_system_type *type, int flags,
				 const char *dev_name, void *data)
{
	return mount_nodev(type, flags, data, proc_fill_super);
}

static struct file_system_type proc_fs_type = {
	.name = "proc",
	.mount = proc_mount,
	.kill_sb = kill_anon_super,
};

int proc_root_init(void)
{
	struct path dir;
	int err;

	err = register_filesystem(&proc_fs_type);
	if (err)
		goto out;
	err = do_mkdirat(&init_fs, NULL, PROC_DIR, 0555);
	if (err && err != -EEXIST)
		goto out;
	err = vfs_path_lookup(&init_fs, NULL, PROC_DIR, LOOKUP_FOLLOW, &dir);
	if (err)
		goto out;
	err = do_mount("proc", &dir, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		       NULL);
	path_put(&dir);
out:
	if (err)
		pr_err("proc: cannot mount %s: error %d\n", PROC_DIR, err);
	return err;
}
