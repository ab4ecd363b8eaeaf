/*
 * The socket layer core: sockets as files, the family registry, and the
 * socket system calls (include/kestrel/net.h; docs/netlink.md).
 *
 * A socket is a file on "sockfs", an internal filesystem nobody mounts:
 * each socket gets an inode (S_IFSOCK, so fstat() says "socket") and an
 * unnamed dentry whose name is made up on demand as "socket:[INO]", what
 * /proc/PID/fd shows. The file's private_data is the struct socket; the
 * socket is freed when the file's last reference goes (sock_close).
 *
 * Every call follows one path:
 *
 *	socketcall(SYS_x, args)  ─┐
 *	sys_x(...)  ──────────────┴─> __sys_x: fd -> socket (ENOTSOCK),
 *	                              user address/iovec -> kernel copies,
 *	                              O_NONBLOCK -> MSG_DONTWAIT
 *	                                 └─> sock->ops->x (the family)
 *
 * so the family code sees only kernel addresses and a struct msghdr
 * with an iterator; it never parses a user structure. read() and
 * write() on a socket are recvmsg/sendmsg without flags or address.
 *
 * Locking: net_family_lock protects net_families[]. A socket's fields
 * are set before its file is installed and then belong to its family.
 */
#include <kestrel/init.h>
#include <kestrel/cred.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs.h>
#include <kestrel/kstrtox.h>
#include <kestrel/net.h>
#include <kestrel/netlink.h>
#include <kestrel/panic.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <uapi/ioctls.h>
#include <uapi/statfs.h>

#include "internal.h"

#define SOCK_MAX (SOCK_PACKET + 1) /* socket types are below this */

static DEFINE_SPINLOCK(net_family_lock);
static const struct net_proto_family *net_families[AF_MAX];
static struct vfsmount *sock_mnt;

/* ---- the family registry ------------------------------------------------ */

int sock_register(const struct net_proto_family *ops)
{
	int err = 0;

	if (ops->family < 0 || ops->family >= AF_MAX)
		return -EINVAL;
	spin_lock(&net_family_lock);
	if (net_families[ops->family])
		err = -EEXIST;
	else
		net_families[ops->family] = ops;
	spin_unlock(&net_family_lock);
	if (!err)
		pr_info("NET: Registered protocol family %d\n", ops->family);
	return err;
}

void sock_unregister(int family)
{
	if (family < 0 || family >= AF_MAX)
		return;
	spin_lock(&net_family_lock);
	net_families[family] = NULL;
	spin_unlock(&net_family_lock);
}

static const struct net_proto_family *find_family(int family)
{
	const struct net_proto_family *pf;

	spin_lock(&net_family_lock);
	pf = net_families[family];
	spin_unlock(&net_family_lock);
	return pf;
}

/* ---- creating and releasing --------------------------------------------- */

/* A bare socket of @type, not yet given to a family. */
struct socket *sock_alloc(int type)
{
	struct socket *sock = kzalloc(sizeof(*sock), GFP_KERNEL);

	if (!sock)
		return NULL;
	sock->state = SS_UNCONNECTED;
	sock->type = (short)type;
	init_waitqueue_head(&sock->wq);
	return sock;
}

/* Make @res a socket of @family; the checks socket(2) makes, in order. */
int __sock_create(int family, int type, int protocol, struct socket **res,
		  int kern)
{
	const struct net_proto_family *pf;
	struct socket *sock;
	int err;

	if (family < 0 || family >= AF_MAX)
		return -EAFNOSUPPORT;
	if (type < 0 || type >= SOCK_MAX)
		return -EINVAL;
	pf = find_family(family);
	if (!pf)
		return -EAFNOSUPPORT;
	sock = sock_alloc(type);
	if (!sock)
		return -ENOMEM;
	err = pf->create(sock, protocol, kern);
	if (err) {
		kfree(sock);
		return err;
	}
	*res = sock;
	return 0;
}

int sock_create(int family, int type, int protocol, struct socket **res)
{
	return __sock_create(family, type, protocol, res, 0);
}

int sock_create_kern(int family, int type, int protocol, struct socket **res)
{
	return __sock_create(family, type, protocol, res, 1);
}

void sock_release(struct socket *sock)
{
	if (sock->ops) {
		sock->ops->release(sock);
		sock->ops = NULL;
	}
	kfree(sock);
}

/* ---- sockfs: sockets as files ------------------------------------------- */

static int sockfs_dname(struct dentry *dentry, char *buf, int buflen)
{
	int len = snprintf(buf, buflen, "socket:[%lu]", dentry->d_inode->i_ino);

	return len < buflen ? len : -ENAMETOOLONG;
}

static const struct dentry_operations sockfs_dentry_operations = {
	.d_dname = sockfs_dname,
};

static struct dentry *sockfs_mount(struct file_system_type *type, int flags,
				   const char *dev_name, void *data)
{
	return mount_pseudo(type, flags, NULL, &sockfs_dentry_operations,
			    SOCKFS_MAGIC);
}

static struct file_system_type sock_fs_type = {
	.name = "sockfs",
	.mount = sockfs_mount,
	.kill_sb = kill_anon_super,
};

static const struct file_operations socket_file_ops;

struct socket *sock_from_file(struct file *file)
{
	return file->f_op == &socket_file_ops ? file->private_data : NULL;
}

/* An inode of sockfs for a new socket file. */
static struct inode *sock_inode(void)
{
	struct inode *inode = new_inode(sock_mnt->mnt_sb);

	if (!inode)
		return NULL;
	inode->i_ino = get_next_ino();
	inode->i_mode = S_IFSOCK | S_IRWXUGO;
	inode->i_uid = current_fsuid();
	inode->i_gid = current_fsgid();
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time(inode);
	return inode;
}

/**
 * sock_alloc_file - give @sock a file
 * @flags: O_NONBLOCK is kept in the file
 *
 * Returns the file (one reference) or ERR_PTR; on failure @sock is
 * released. May sleep.
 */
static struct file *sock_alloc_file(struct socket *sock, int flags)
{
	static const struct qstr name = QSTR_INIT("", 0);
	struct path path = { .mnt = sock_mnt };
	struct inode *inode = sock_inode();
	struct file *file;

	if (!inode)
		goto out_release;
	path.dentry = d_alloc_pseudo(sock_mnt->mnt_sb, &name);
	if (!path.dentry) {
		iput(inode);
		goto out_release;
	}
	d_instantiate(path.dentry, inode);
	inode->i_fop = &socket_file_ops;
	file = alloc_file(&path, O_RDWR | (flags & O_NONBLOCK),
			  &socket_file_ops);
	dput(path.dentry);
	if (IS_ERR(file))
		goto out_release;
	file->private_data = sock;
	file->f_mode |= FMODE_OPENED;
	sock->file = file;
	return file;

out_release:
	sock_release(sock);
	return ERR_PTR(-ENOMEM);
}

/* Install @sock's new file at a free descriptor: the fd or -errno. */
int sock_map_fd(struct socket *sock, int flags)
{
	struct file *file;
	int fd;

	fd = get_unused_fd_flags(flags);
	if (fd < 0) {
		sock_release(sock);
		return fd;
	}
	file = sock_alloc_file(sock, flags);
	if (IS_ERR(file)) {
		put_unused_fd(current->files, fd);
		return PTR_ERR(file);
	}
	fd_install(current->files, fd, file);
	return fd;
}

/*
 * The socket at descriptor @fd with a reference on its file (fput
 * sock->file when done), or NULL with *@err = -EBADF or -ENOTSOCK.
 */
struct socket *sockfd_lookup(int fd, int *err)
{
	struct file *file = fget((unsigned int)fd);
	struct socket *sock;

	if (!file) {
		*err = -EBADF;
		return NULL;
	}
	sock = sock_from_file(file);
	if (!sock) {
		*err = -ENOTSOCK;
		fput(file);
	}
	return sock;
}

void sockfd_put(struct socket *sock)
{
	fput(sock->file);
}

/* ---- sending and receiving ---------------------------------------------- */

int sock_sendmsg(struct socket *sock, struct msghdr *msg)
{
	if (!sock->ops->sendmsg)
		return -EOPNOTSUPP;
	return sock->ops->sendmsg(sock, msg, iov_iter_count(&msg->msg_iter));
}

int sock_recvmsg(struct socket *sock, struct msghdr *msg, int flags)
{
	if (!sock->ops->recvmsg)
		return -EOPNOTSUPP;
	return sock->ops->recvmsg(sock, msg, iov_iter_count(&msg->msg_iter),
				  flags);
}

int kernel_bind(struct socket *sock, struct sockaddr *addr, int addrlen)
{
	return sock->ops->bind ? sock->ops->bind(sock, addr, addrlen) :
				 -EOPNOTSUPP;
}

int kernel_recvmsg(struct socket *sock, struct msghdr *msg,
		   const struct kvec *vec, size_t num, size_t size, int flags)
{
	iov_iter_kvec(&msg->msg_iter, vec, num, size);
	msg->msg_control_is_user = false;
	return sock_recvmsg(sock, msg, flags);
}

int kernel_sendmsg(struct socket *sock, struct msghdr *msg,
		   const struct kvec *vec, size_t num, size_t size)
{
	iov_iter_kvec(&msg->msg_iter, vec, num, size);
	return sock_sendmsg(sock, msg);
}

int put_cmsg(struct msghdr *msg, int level, int type, unsigned int len,
	     const void *data)
{
	struct cmsghdr cm = { .cmsg_level = level, .cmsg_type = type };
	size_t cmlen = CMSG_ALIGN(sizeof(cm)) + len;
	size_t space = CMSG_ALIGN(sizeof(cm)) + CMSG_ALIGN(len);
	char *dst = msg->msg_control;

	if (!dst || msg->msg_controllen < sizeof(cm)) {
		msg->msg_flags |= MSG_CTRUNC;
		return 0;
	}
	if (msg->msg_controllen < cmlen) {
		msg->msg_flags |= MSG_CTRUNC;
		cmlen = msg->msg_controllen;
	}
	cm.cmsg_len = cmlen;
	if (msg->msg_control_is_user) {
		if (copy_to_user((void __user *)dst, &cm, sizeof(cm)) ||
		    copy_to_user((void __user *)(dst + CMSG_ALIGN(sizeof(cm))),
				 data, cmlen - CMSG_ALIGN(sizeof(cm))))
			return -EFAULT;
	} else {
		memcpy(dst, &cm, sizeof(cm));
		memcpy(dst + CMSG_ALIGN(sizeof(cm)), data,
		       cmlen - CMSG_ALIGN(sizeof(cm)));
	}
	if (space > msg->msg_controllen)
		space = msg->msg_controllen;
	msg->msg_control = dst + space;
	msg->msg_controllen -= space;
	return 0;
}

void scm_recv_creds(struct socket *sock, struct msghdr *msg,
		    const struct skb_creds *creds)
{
	struct ucred uc = {
		.pid = creds->pid,
		.uid = creds->uid,
		.gid = creds->gid,
	};

	if (!sock_flag(sock->sk, SOCK_PASSCRED))
		return;
	/* The error is dropped: the data is what the caller came for. */
	put_cmsg(msg, SOL_SOCKET, SCM_CREDENTIALS, sizeof(uc), &uc);
}

/* ---- the file operations ------------------------------------------------ */

static unsigned int iocb_msg_flags(const struct kiocb *iocb)
{
	return (iocb->ki_flags & IOCB_NOWAIT) ? MSG_DONTWAIT : 0;
}

static ssize_t sock_read_iter(struct kiocb *iocb, const struct iovec *iov,
			      unsigned long nr_segs, loff_t pos)
{
	struct socket *sock = iocb->ki_filp->private_data;
	struct msghdr msg = { 0 };

	kiocb_iter_init(&msg.msg_iter, iocb, iov, nr_segs);
	if (!iov_iter_count(&msg.msg_iter))
		return 0;
	return sock_recvmsg(sock, &msg, (int)iocb_msg_flags(iocb));
}

static ssize_t sock_write_iter(struct kiocb *iocb, const struct iovec *iov,
			       unsigned long nr_segs, loff_t pos)
{
	struct socket *sock = iocb->ki_filp->private_data;
	struct msghdr msg = { 0 };

	kiocb_iter_init(&msg.msg_iter, iocb, iov, nr_segs);
	return sock_sendmsg(sock, &msg);
}

static unsigned int sock_poll(struct file *file, poll_table *pt)
{
	struct socket *sock = file->private_data;

	if (sock->ops->poll)
		return sock->ops->poll(file, sock, pt);
	return datagram_poll(file, sock, pt);
}

static long sock_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct socket *sock = file->private_data;
	int err = -ENOIOCTLCMD;

	if (sock->ops->ioctl)
		err = sock->ops->ioctl(sock, cmd, arg);
	return err == -ENOIOCTLCMD ? -ENOTTY : err;
}

static int sock_close(struct inode *inode, struct file *file)
{
	struct socket *sock = file->private_data;

	sock->file = NULL;
	sock_release(sock);
	return 0;
}

static const struct file_operations socket_file_ops = {
	.llseek = no_llseek,
	.aio_read = sock_read_iter,
	.aio_write = sock_write_iter,
	.poll = sock_poll,
	.ioctl = sock_ioctl,
	.release = sock_close,
};

/* ---- addresses between user and kernel ---------------------------------- */

/* Copy a user address of @len bytes into @kaddr (a sockaddr_storage). */
int move_addr_to_kernel(const void __user *uaddr, int len,
			struct __kernel_sockaddr_storage *kaddr)
{
	if (len < 0 || (size_t)len > sizeof(*kaddr))
		return -EINVAL;
	if (len == 0)
		return 0;
	return copy_from_user(kaddr, uaddr, (size_t)len) ? -EFAULT : 0;
}

/*
 * Give the user @klen bytes of @kaddr: as many as *@ulen allows, and
 * the full length back in *@ulen (Linux's move_addr_to_user).
 */
int move_addr_to_user(const void *kaddr, int klen, void __user *uaddr,
		      int __user *ulen)
{
	int len;

	if (get_user(len, ulen))
		return -EFAULT;
	if (len > klen)
		len = klen;
	if (len < 0)
		return -EINVAL;
	if (len && copy_to_user(uaddr, kaddr, (size_t)len))
		return -EFAULT;
	return put_user(klen, ulen) ? -EFAULT : 0;
}

/* ---- boot ---------------------------------------------------------------- */

/*
 * sockfs at boot, a core_initcall as Linux's sock_init: before any
 * driver's initcall could open a socket. The families register
 * themselves with sock_register() from initcalls of their own.
 */
static int sock_init(void)
{
	register_filesystem(&sock_fs_type);
	sock_mnt = kern_mount(&sock_fs_type);
	if (IS_ERR(sock_mnt))
		panic("NET: cannot mount sockfs (%ld)", PTR_ERR(sock_mnt));
	return 0;
}
core_initcall(sock_init);
