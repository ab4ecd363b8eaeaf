/*
 * procfs: the filesystem. Every directory is listed and looked up from a
 * fixed table (the root, a process, a thread) plus numbered names made
 * up on demand (processes, a process's threads under task/, descriptors
 * under fd/ and fdinfo/); /proc/sys is a sysctl tree (proc_sysctl.c).
 * Every lookup builds a fresh inode and the dentry is dropped as soon as
 * it is unused (proc_d_delete), so nothing stale about an exited process
 * can be found again.
 *
 * The kernel registers the filesystem but does not mount it: as on
 * Linux, init does ("mount -t proc proc /proc"). Each mount is a new
 * instance (mount_nodev), so it can be mounted in several places.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs_struct.h>
#include <kestrel/kstrtox.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/sysctl.h>
#include <uapi/limits.h>

#include "internal.h"

#define PROC_SUPER_MAGIC 0x9fa0
#define PROC_ROOT_INO 1
/*
 * Listing positions: "." ".." then the table, then numbered names. An
 * entry's position doubles as the inode number readdir reports (a real
 * one is only made at lookup): it must not be 0, which C libraries take
 * for a deleted entry and skip.
 */
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
			      const struct proc_entry *entry,
			      const struct proc_ref *ref)
{
	struct inode *inode = new_inode(sb);
	struct proc_inode *pi;

	if (!inode)
		return NULL;
	pi = PROC_I(inode);
	pi->entry = entry;
	pi->ref = *ref;
	pi->table = entry->kind == PROC_DIR_SYS ? sysctl_root_table : NULL;
	inode->i_ino = entry == &proc_root_dir_entry ? PROC_ROOT_INO :
						       get_next_ino();
	inode->i_mode = entry->mode;
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time(inode);
	proc_set_owner(inode, ref->pid);
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
		inode->i_fop = entry->fops ? entry->fops :
					     &proc_seq_file_operations;
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
	err = pi->entry->link(&pi->ref, buf, PATH_MAX);
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

static const struct proc_entry *proc_table(const struct proc_entry *dir)
{
	switch (dir->kind) {
	case PROC_DIR_TABLE:
		return dir->children;
	case PROC_DIR_ROOT:
		return proc_root_entries;
	case PROC_DIR_PID:
		return proc_pid_entries;
	case PROC_DIR_TID:
		return proc_tid_entries;
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

/* The inode of number @n in directory @pi (kind FD, FDINFO, TASK or
 * ROOT), or NULL if there is no such descriptor, thread or process. */
static struct inode *proc_lookup_numbered(struct inode *dir, int n)
{
	struct proc_inode *pi = PROC_I(dir);
	struct proc_ref ref = pi->ref;
	struct task *task;

	switch (pi->entry->kind) {
	case PROC_DIR_FD:
	case PROC_DIR_FDINFO:
		if (!proc_fd_exists(ref.pid, n))
			return NULL;
		ref.fd = n;
		return proc_make_inode(dir->i_sb,
				       pi->entry->kind == PROC_DIR_FD ?
					       &proc_fd_link_entry :
					       &proc_fdinfo_entry,
				       &ref);
	case PROC_DIR_TASK:
		if (n <= 0 || !proc_tid_exists(ref.pid, n))
			return NULL;
		ref.tid = n;
		return proc_make_inode(dir->i_sb, &proc_tid_dir_entry, &ref);
	case PROC_DIR_ROOT:
		task = n > 0 ? proc_get_task(n) : NULL;
		if (!task)
			return NULL;
		put_task_struct(task);
		ref = (struct proc_ref){ .pid = n, .tid = 0, .fd = -1 };
		return proc_make_inode(dir->i_sb, &proc_pid_dir_entry, &ref);
	default:
		return NULL;
	}
}

/* The inode @name stands for in directory @dir, NULL if none. */
static struct inode *proc_lookup_inode(struct inode *dir,
				       const struct qstr *name)
{
	struct proc_inode *pi = PROC_I(dir);
	enum proc_dir_kind kind = pi->entry->kind;
	const struct proc_entry *entry;
	struct proc_ref ref = pi->ref;
	int n;

	if (kind == PROC_DIR_SYS)
		return proc_sys_lookup(dir, name);
	entry = proc_table_find(proc_table(pi->entry), name);
	if (entry) {
		ref.fd = -1;
		return proc_make_inode(dir->i_sb, entry, &ref);
	}
	n = proc_name_to_number(name);
	return n < 0 ? NULL : proc_lookup_numbered(dir, n);
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
		if (!dir_emit(ctx, tab[i].name, strlen(tab[i].name),
			      PROC_POS_TABLE + i,
			      fs_umode_to_dtype(tab[i].mode)))
			return false;
		ctx->pos = PROC_POS_TABLE + i + 1;
	}
	if (ctx->pos < PROC_POS_NUMBERED)
		ctx->pos = PROC_POS_NUMBERED;
	return true;
}

/* The first number >= @n that directory @pi lists, or -1. */
static int proc_next_number(const struct proc_inode *pi, int n)
{
	switch (pi->entry->kind) {
	case PROC_DIR_FD:
	case PROC_DIR_FDINFO:
		return proc_next_fd(pi->ref.pid, n);
	case PROC_DIR_TASK:
		n = proc_next_tid(pi->ref.pid, n);
		return n ? n : -1;
	case PROC_DIR_ROOT:
		n = proc_next_pid(n);
		return n ? n : -1;
	default:
		return -1;
	}
}

/* List processes, threads or descriptors by number, after the table. */
static void proc_emit_numbered(struct dir_context *ctx, struct proc_inode *pi)
{
	enum proc_dir_kind kind = pi->entry->kind;
	unsigned char type = kind == PROC_DIR_FD     ? DT_LNK :
			     kind == PROC_DIR_FDINFO ? DT_REG :
						       DT_DIR;
	char name[16];
	int n, len;

	for (;;) {
		n = proc_next_number(pi, ctx->pos - PROC_POS_NUMBERED);
		if (n < 0)
			return;
		len = snprintf(name, sizeof(name), "%d", n);
		ctx->pos = PROC_POS_NUMBERED + n;
		if (!dir_emit(ctx, name, len, ctx->pos, type))
			return;
		ctx->pos = PROC_POS_NUMBERED + n + 1;
	}
}

static int proc_readdir(struct file *file, struct dir_context *ctx)
{
	struct proc_inode *pi = PROC_I(file_inode(file));

	if (!dir_emit_dots(file, ctx))
		return 0;
	if (pi->entry->kind == PROC_DIR_SYS) {
		proc_sys_readdir(file_inode(file), ctx, PROC_POS_TABLE);
		return 0;
	}
	if (ctx->pos < PROC_POS_NUMBERED &&
	    !proc_emit_table(ctx, proc_table(pi->entry)))
		return 0;
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
	static const struct proc_ref root_ref = { .pid = 0,
						  .tid = 0,
						  .fd = -1 };
	struct inode *root;

	sb->s_magic = PROC_SUPER_MAGIC;
	sb->s_op = &proc_sops;
	sb->s_d_op = &proc_dops;
	root = proc_make_inode(sb, &proc_root_dir_entry, &root_ref);
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
	int err = register_filesystem(&proc_fs_type);

	if (err)
		pr_err("proc: cannot register: error %d\n", err);
	return err;
}

int proc_mount_on(const char *dir)
{
	struct path path;
	int err;

	err = do_mkdirat(&init_fs, NULL, dir, 0555);
	if (err && err != -EEXIST)
		return err;
	err = vfs_path_lookup(&init_fs, NULL, dir, LOOKUP_FOLLOW, &path);
	if (err)
		return err;
	err = do_mount("proc", &path, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		       NULL);
	path_put(&path);
	return err;
}
