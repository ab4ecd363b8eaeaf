/*
 * anon_inodefs: files with no name anywhere, for objects that are only
 * a file descriptor (eventfd; later signalfd, timerfd, epoll). Like
 * pipefs and sockfs, a pseudo filesystem mounted by the kernel alone;
 * each file gets a fresh inode and a dentry named after its kind, so
 * /proc/<pid>/fd shows "anon_inode:[eventfd]" as Linux does (Linux
 * shares one inode between all of them; one each is simpler and costs
 * an inode).
 */
#include <kestrel/err.h>
#include <kestrel/fs.h>
#include <kestrel/init.h>
#include <kestrel/kstrtox.h>
#include <kestrel/panic.h>
#include <kestrel/string.h>

#include "internal.h"

#define ANON_INODE_FS_MAGIC 0x09041934

static struct vfsmount *anon_inode_mnt;

static int anon_inodefs_dname(struct dentry *dentry, char *buf, int buflen)
{
	int len = snprintf(buf, buflen, "anon_inode:%s", dentry->d_name.name);

	return len < buflen ? len : -ENAMETOOLONG;
}

static const struct dentry_operations anon_inodefs_dentry_operations = {
	.d_dname = anon_inodefs_dname,
};

static struct inode *anon_inode_new(void)
{
	struct inode *inode = new_inode(anon_inode_mnt->mnt_sb);

	if (!inode)
		return NULL;
	inode->i_ino = get_next_ino();
	/* Linux's anon inode: no file type bits, owner read and write. */
	inode->i_mode = S_IRUSR | S_IWUSR;
	inode->i_uid = current_fsuid();
	inode->i_gid = current_fsgid();
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time(inode);
	return inode;
}

struct file *anon_inode_getfile(const char *name,
				const struct file_operations *fops, void *priv,
				int flags)
{
	struct qstr qname = QSTR_INIT(name, strlen(name));
	struct path path = { .mnt = anon_inode_mnt };
	struct inode *inode = anon_inode_new();
	struct file *file;

	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode->i_fop = fops;
	path.dentry = d_alloc_pseudo(anon_inode_mnt->mnt_sb, &qname);
	if (!path.dentry) {
		iput(inode);
		return ERR_PTR(-ENOMEM);
	}
	d_instantiate(path.dentry, inode);
	file = alloc_file(&path, flags & (O_ACCMODE | O_NONBLOCK), fops);
	dput(path.dentry);
	if (IS_ERR(file))
		return file;
	file->private_data = priv;
	file->f_mode |= FMODE_OPENED;
	return file;
}

static struct dentry *anon_inodefs_mount(struct file_system_type *type,
					 int flags, const char *dev_name,
					 void *data)
{
	return mount_pseudo(type, flags, NULL, &anon_inodefs_dentry_operations,
			    ANON_INODE_FS_MAGIC);
}

static struct file_system_type anon_inode_fs_type = {
	.name = "anon_inodefs",
	.mount = anon_inodefs_mount,
	.kill_sb = kill_anon_super,
};

void anon_inode_init(void)
{
	register_filesystem(&anon_inode_fs_type);
	anon_inode_mnt = kern_mount(&anon_inode_fs_type);
	if (IS_ERR(anon_inode_mnt))
		panic("VFS: cannot mount anon_inodefs (%ld)",
		      PTR_ERR(anon_inode_mnt));
}
