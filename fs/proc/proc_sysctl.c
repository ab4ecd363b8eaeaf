/*
 * procfs: /proc/sys, the sysctl tree (kernel/sysctl.c) as files.
 *
 * A directory inode carries its table of entries (proc_inode->table), a
 * file inode its own entry. Reading builds the whole text with the
 * entry's handler into a page and copies from the reader's position;
 * writing hands the written bytes and the position to the handler,
 * which applies Linux's rules (sysctl.h). Permission is Linux's too:
 * the owner bits apply to root (a 0444 file is read-only for everybody,
 * root included), the "other" bits to everybody else.
 */
#include <asm/page.h>
#include <kestrel/cred.h>
#include <kestrel/errno.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/sysctl.h>
#include <kestrel/uio.h>

#include "internal.h"

#define SYSCTL_TEXT_MAX PAGE_SIZE /* a value's text, and a write, fit */
#define MODE_OWNER_SHIFT 6 /* rwx------ */
#define MODE_RWX 7

static const struct proc_entry proc_sys_dir_entry = {
	.mode = S_IFDIR | 0555,
	.kind = PROC_DIR_SYS,
};

static const struct proc_entry proc_sys_file_entry = {
	.mode = S_IFREG | 0444, /* replaced by the table's mode */
	.fops = &proc_sys_file_operations,
};

/* ---- files -------------------------------------------------------------- */

static const struct ctl_table *file_table(struct kiocb *iocb)
{
	return PROC_I(file_inode(iocb->ki_filp))->table;
}

static ssize_t proc_sys_read(struct kiocb *iocb, const struct iovec *iov,
			     unsigned long nr_segs, loff_t pos)
{
	const struct ctl_table *table = file_table(iocb);
	size_t len = SYSCTL_TEXT_MAX, n;
	char *text = kmalloc(SYSCTL_TEXT_MAX, GFP_KERNEL);
	struct iov_iter iter;
	ssize_t ret;

	if (!text)
		return -ENOMEM;
	ret = table->proc_handler(table, SYSCTL_READ, text, &len, pos);
	if (ret || pos < 0 || (u64)pos >= len)
		goto out_free; /* an error, or 0: the end */
	kiocb_iter_init(&iter, iocb, iov, nr_segs);
	n = len - (size_t)pos;
	if (n > iov_iter_count(&iter))
		n = iov_iter_count(&iter);
	ret = copy_to_iter(text + pos, n, &iter);
	if (!ret && n)
		ret = -EFAULT;
	else
		iocb->ki_pos = pos + ret;
out_free:
	kfree(text);
	return ret;
}

static ssize_t proc_sys_write(struct kiocb *iocb, const struct iovec *iov,
			      unsigned long nr_segs, loff_t pos)
{
	const struct ctl_table *table = file_table(iocb);
	struct iov_iter iter;
	size_t count, len;
	char *text;
	ssize_t ret;

	kiocb_iter_init(&iter, iocb, iov, nr_segs);
	count = iov_iter_count(&iter);
	if (count >= SYSCTL_TEXT_MAX)
		return -EINVAL;
	text = kmalloc(count + 1, GFP_KERNEL);
	if (!text)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_iter(text, count, &iter) != count)
		goto out_free;
	text[count] = '\0';
	len = count;
	ret = table->proc_handler(table, SYSCTL_WRITE, text, &len, pos);
	if (ret)
		goto out_free;
	if (len && table->changed)
		table->changed(table);
	iocb->ki_pos = pos + len;
	ret = len;
out_free:
	kfree(text);
	return ret;
}

const struct file_operations proc_sys_file_operations = {
	.aio_read = proc_sys_read,
	.aio_write = proc_sys_write,
};

/* Linux's test_perm(): root gets the owner bits, others the rest. */
static int proc_sys_permission(struct inode *inode, int mask)
{
	int mode = inode->i_mode;

	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if (current_cred()->euid == 0)
		mode >>= MODE_OWNER_SHIFT;
	return (mode & mask & MODE_RWX) == mask ? 0 : -EACCES;
}

/* O_TRUNC ("echo 1 > file") is harmless; ownership and mode are fixed. */
static int proc_sys_setattr(struct dentry *dentry, struct iattr *attr)
{
	if (attr->ia_valid & (ATTR_MODE | ATTR_UID | ATTR_GID))
		return -EPERM;
	return 0;
}

static const struct inode_operations proc_sys_file_inode_operations = {
	.permission = proc_sys_permission,
	.setattr = proc_sys_setattr,
};

/* ---- directories -------------------------------------------------------- */

struct inode *proc_sys_lookup(struct inode *dir, const struct qstr *name)
{
	static const struct proc_ref no_ref = { .pid = 0, .tid = 0, .fd = -1 };
	const struct ctl_table *t = PROC_I(dir)->table;
	struct inode *inode;

	for (; t && t->procname; t++)
		if (strlen(t->procname) == name->len &&
		    !memcmp(t->procname, name->name, name->len))
			break;
	if (!t || !t->procname)
		return NULL;
	inode = proc_make_inode(
		dir->i_sb,
		t->child ? &proc_sys_dir_entry : &proc_sys_file_entry, &no_ref);
	if (!inode)
		return NULL;
	PROC_I(inode)->table = t->child ? t->child : t;
	if (!t->child) {
		inode->i_mode = S_IFREG | (t->mode & S_IALLUGO);
		inode->i_op = &proc_sys_file_inode_operations;
	}
	return inode;
}

void proc_sys_readdir(struct inode *dir, struct dir_context *ctx,
		      loff_t first_pos)
{
	const struct ctl_table *t = PROC_I(dir)->table;
	loff_t i;

	for (i = 0; t && t[i].procname; i++) {
		if (ctx->pos > first_pos + i)
			continue;
		if (!dir_emit(ctx, t[i].procname, strlen(t[i].procname),
			      first_pos + i, t[i].child ? DT_DIR : DT_REG))
			return;
		ctx->pos = first_pos + i + 1;
	}
}
