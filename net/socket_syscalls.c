/*
 * The socket system calls: the direct calls (socket 359 ... shutdown
 * 373) and the older socketcall(102) multiplexer, which i386 C
 * libraries used before the direct calls existed (Linux 4.3) and which
 * passes the arguments of sub-call SYS_x as an array in user memory.
 *
 * Each __sys_x does the user-facing part (descriptor lookup, copies of
 * addresses, message headers and iovecs, O_NONBLOCK) and calls the
 * family through sock->ops; see net/socket.c for the path.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs.h>
#include <kestrel/net.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>

#include "internal.h"

/* The creation flags socket() and accept4() take beside the type. */
#define SOCK_CREATE_FLAGS (SOCK_CLOEXEC | SOCK_NONBLOCK)

/* MSG_DONTWAIT when the socket's file is non-blocking. */
static int sock_nonblock_flags(struct socket *sock, int flags)
{
	if (sock->file && (sock->file->f_flags & O_NONBLOCK))
		flags |= MSG_DONTWAIT;
	return flags;
}

/* ---- creating ------------------------------------------------------------ */

static long __sys_socket(int family, int type, int protocol)
{
	int flags = type & ~SOCK_TYPE_MASK;
	struct socket *sock;
	int err;

	if (flags & ~SOCK_CREATE_FLAGS)
		return -EINVAL;
	err = sock_create(family, type & SOCK_TYPE_MASK, protocol, &sock);
	if (err)
		return err;
	return sock_map_fd(sock, flags);
}

/* Two connected sockets; only families with ->socketpair have them. */
static long __sys_socketpair(int family, int type, int protocol,
			     int __user *usockvec)
{
	int flags = type & ~SOCK_TYPE_MASK, fd[2] = { -1, -1 }, err;
	struct socket *a, *b;

	if (flags & ~SOCK_CREATE_FLAGS)
		return -EINVAL;
	err = sock_create(family, type & SOCK_TYPE_MASK, protocol, &a);
	if (err)
		return err;
	err = sock_create(family, type & SOCK_TYPE_MASK, protocol, &b);
	if (err)
		goto out_release_a;
	err = a->ops->socketpair ? a->ops->socketpair(a, b) : -EOPNOTSUPP;
	if (err)
		goto out_release_b;
	fd[0] = sock_map_fd(a, flags);
	if (fd[0] < 0) {
		sock_release(b);
		return fd[0];
	}
	fd[1] = sock_map_fd(b, flags);
	if (fd[1] < 0) {
		close_fd(current->files, (unsigned int)fd[0]);
		return fd[1];
	}
	if (copy_to_user(usockvec, fd, sizeof(fd))) {
		close_fd(current->files, (unsigned int)fd[0]);
		close_fd(current->files, (unsigned int)fd[1]);
		return -EFAULT;
	}
	return 0;

out_release_b:
	sock_release(b);
out_release_a:
	sock_release(a);
	return err;
}

/* ---- addresses ----------------------------------------------------------- */

static long __sys_bind(int fd, struct sockaddr __user *umyaddr, int addrlen)
{
	struct __kernel_sockaddr_storage addr;
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = move_addr_to_kernel(umyaddr, addrlen, &addr);
	if (!err)
		err = kernel_bind(sock, (struct sockaddr *)&addr, addrlen);
	sockfd_put(sock);
	return err;
}

static long __sys_connect(int fd, struct sockaddr __user *uservaddr,
			  int addrlen)
{
	struct __kernel_sockaddr_storage addr;
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = move_addr_to_kernel(uservaddr, addrlen, &addr);
	if (!err)
		err = sock->ops->connect ?
			      sock->ops->connect(sock, (struct sockaddr *)&addr,
						 addrlen,
						 (int)sock->file->f_flags) :
			      -EOPNOTSUPP;
	sockfd_put(sock);
	return err;
}

/* getsockname (@peer 0) and getpeername (@peer 1). */
static long __sys_getname(int fd, struct sockaddr __user *usockaddr,
			  int __user *usockaddr_len, int peer)
{
	struct __kernel_sockaddr_storage addr;
	struct socket *sock;
	int err, len;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	memset(&addr, 0, sizeof(addr));
	len = sock->ops->getname ?
		      sock->ops->getname(sock, (struct sockaddr *)&addr, peer) :
		      -EOPNOTSUPP;
	err = len < 0 ? len :
			move_addr_to_user(&addr, len, usockaddr, usockaddr_len);
	sockfd_put(sock);
	return err;
}

static long __sys_listen(int fd, int backlog)
{
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	if (backlog > SOMAXCONN)
		backlog = SOMAXCONN;
	err = sock->ops->listen ? sock->ops->listen(sock, backlog) :
				  -EOPNOTSUPP;
	sockfd_put(sock);
	return err;
}

/* Accept on @sock into a new socket of the same family and type. */
static long do_accept(struct socket *sock, struct sockaddr __user *upeer,
		      int __user *upeer_len, int flags)
{
	struct __kernel_sockaddr_storage addr;
	struct socket *newsock;
	int err, len, fd;

	if (!sock->ops->accept)
		return -EOPNOTSUPP;
	newsock = sock_alloc(sock->type);
	if (!newsock)
		return -ENOMEM;
	newsock->ops = sock->ops;
	err = sock->ops->accept(sock, newsock, sock_nonblock_flags(sock, 0));
	if (err) {
		newsock->ops = NULL; /* nothing to release yet */
		sock_release(newsock);
		return err;
	}
	if (upeer) {
		len = newsock->ops->getname(newsock, (struct sockaddr *)&addr,
					    1);
		err = len < 0 ? len :
				move_addr_to_user(&addr, len, upeer, upeer_len);
		if (err) {
			sock_release(newsock);
			return err;
		}
	}
	fd = sock_map_fd(newsock, flags);
	return fd;
}

static long __sys_accept4(int fd, struct sockaddr __user *upeer,
			  int __user *upeer_len, int flags)
{
	struct socket *sock;
	int err;

	if (flags & ~SOCK_CREATE_FLAGS)
		return -EINVAL;
	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = (int)do_accept(sock, upeer, upeer_len, flags);
	sockfd_put(sock);
	return err;
}

static long __sys_shutdown(int fd, int how)
{
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	if (how < SHUT_RD || how > SHUT_RDWR)
		err = -EINVAL;
	else
		err = sock->ops->shutdown ? sock->ops->shutdown(sock, how) :
					    -EOPNOTSUPP;
	sockfd_put(sock);
	return err;
}

/* ---- options -------------------------------------------------------------- */

static long __sys_setsockopt(int fd, int level, int optname,
			     const void __user *optval, int optlen)
{
	struct socket *sock;
	int err;

	if (optlen < 0)
		return -EINVAL;
	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	if (level == SOL_SOCKET)
		err = sock_setsockopt(sock, optname, optval,
				      (unsigned int)optlen);
	else if (sock->ops->setsockopt)
		err = sock->ops->setsockopt(sock, level, optname, optval,
					    (unsigned int)optlen);
	else
		err = -ENOPROTOOPT;
	sockfd_put(sock);
	return err;
}

static long __sys_getsockopt(int fd, int level, int optname,
			     char __user *optval, int __user *optlen)
{
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	if (level == SOL_SOCKET)
		err = sock_getsockopt(sock, optname, optval, optlen);
	else if (sock->ops->getsockopt)
		err = sock->ops->getsockopt(sock, level, optname, optval,
					    optlen);
	else
		err = -ENOPROTOOPT;
	sockfd_put(sock);
	return err;
}

/* ---- send and receive with one buffer ------------------------------------ */

static long __sys_sendto(int fd, void __user *buff, size_t len,
			 unsigned int flags, struct sockaddr __user *addr,
			 int addr_len)
{
	struct __kernel_sockaddr_storage address;
	struct msghdr msg = { 0 };
	struct socket *sock;
	struct iovec iov;
	int err;

	err = import_single_range(buff, len, &iov, &msg.msg_iter);
	if (err)
		return err;
	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	if (addr) {
		err = move_addr_to_kernel(addr, addr_len, &address);
		if (err)
			goto out_put;
		msg.msg_name = &address;
		msg.msg_namelen = addr_len;
	}
	msg.msg_flags = (unsigned int)sock_nonblock_flags(sock, (int)flags);
	err = sock_sendmsg(sock, &msg);
out_put:
	sockfd_put(sock);
	return err;
}

static long __sys_recvfrom(int fd, void __user *ubuf, size_t size,
			   unsigned int flags, struct sockaddr __user *addr,
			   int __user *addr_len)
{
	struct __kernel_sockaddr_storage address;
	struct msghdr msg = { 0 };
	struct socket *sock;
	struct iovec iov;
	int err, err2;

	err = import_single_range(ubuf, size, &iov, &msg.msg_iter);
	if (err)
		return err;
	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	msg.msg_name = addr ? &address : NULL;
	err = sock_recvmsg(sock, &msg, sock_nonblock_flags(sock, (int)flags));
	if (err >= 0 && addr) {
		err2 = move_addr_to_user(&address, msg.msg_namelen, addr,
					 addr_len);
		if (err2)
			err = err2;
	}
	sockfd_put(sock);
	return err;
}

/* ---- sendmsg and recvmsg -------------------------------------------------- */

/*
 * A user msghdr, read in: the header, the iovec array (in @fast or a
 * kmalloc'd array left in *@iovp, kfree it), the data iterator.
 */
struct user_msg {
	struct user_msghdr hdr;
	struct iovec fast[UIO_FASTIOV];
	struct iovec *iov;
};

static int copy_msghdr_from_user(struct user_msg *um,
				 const struct user_msghdr __user *umsg,
				 struct msghdr *msg)
{
	ssize_t total;

	um->iov = um->fast;
	if (copy_from_user(&um->hdr, umsg, sizeof(um->hdr)))
		return -EFAULT;
	if (um->hdr.msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE; /* sendmsg's error, where readv says EINVAL */
	total = import_iovec(um->hdr.msg_iov, um->hdr.msg_iovlen, um->fast,
			     &um->iov);
	if (total < 0) {
		um->iov = um->fast;
		return (int)total;
	}
	iov_iter_init(&msg->msg_iter, ITER_UVEC, um->iov, um->hdr.msg_iovlen,
		      (size_t)total);
	return 0;
}

static void user_msg_free(struct user_msg *um)
{
	if (um->iov != um->fast)
		kfree(um->iov);
}

static long ___sys_sendmsg(struct socket *sock,
			   const struct user_msghdr __user *umsg,
			   unsigned int flags)
{
	struct __kernel_sockaddr_storage address;
	struct msghdr msg = { 0 };
	struct user_msg um;
	int err;

	err = copy_msghdr_from_user(&um, umsg, &msg);
	if (err)
		return err;
	if (um.hdr.msg_name) {
		err = move_addr_to_kernel(um.hdr.msg_name, um.hdr.msg_namelen,
					  &address);
		if (err)
			goto out_free;
		msg.msg_name = &address;
		msg.msg_namelen = um.hdr.msg_namelen;
	}
	msg.msg_flags = (unsigned int)sock_nonblock_flags(sock, (int)flags);
	err = sock_sendmsg(sock, &msg);
out_free:
	user_msg_free(&um);
	return err;
}

/* Write back what recvmsg() reports: name, its length, flags, control. */
static int put_msghdr_results(struct user_msghdr __user *umsg,
			      const struct user_msg *um,
			      const struct msghdr *msg, const void *address)
{
	size_t used = um->hdr.msg_controllen - msg->msg_controllen;
	int err;

	if (um->hdr.msg_name) {
		err = move_addr_to_user(address, msg->msg_namelen,
					um->hdr.msg_name, &umsg->msg_namelen);
		if (err)
			return err;
	}
	if (put_user(msg->msg_flags, &umsg->msg_flags) ||
	    put_user(used, &umsg->msg_controllen))
		return -EFAULT;
	return 0;
}

static long ___sys_recvmsg(struct socket *sock, struct user_msghdr __user *umsg,
			   unsigned int flags)
{
	struct __kernel_sockaddr_storage address;
	struct msghdr msg = { 0 };
	struct user_msg um;
	int err, len;

	err = copy_msghdr_from_user(&um, umsg, &msg);
	if (err)
		return err;
	msg.msg_name = um.hdr.msg_name ? &address : NULL;
	msg.msg_control = (void __force *)um.hdr.msg_control;
	msg.msg_controllen = um.hdr.msg_control ? um.hdr.msg_controllen : 0;
	um.hdr.msg_controllen = msg.msg_controllen;
	msg.msg_control_is_user = true;
	len = sock_recvmsg(sock, &msg, sock_nonblock_flags(sock, (int)flags));
	err = len;
	if (len >= 0) {
		err = put_msghdr_results(umsg, &um, &msg, &address);
		if (!err)
			err = len;
	}
	user_msg_free(&um);
	return err;
}

/* Which way do_msg_fd() and do_mmsg() move messages. */
enum msg_dir { MSG_DIR_RECV, MSG_DIR_SEND };

/* sendmsg or recvmsg, as @dir says, on descriptor @fd. */
static long do_msg_fd(int fd, struct user_msghdr __user *umsg,
		      unsigned int flags, enum msg_dir dir)
{
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = dir == MSG_DIR_SEND ? ___sys_sendmsg(sock, umsg, flags) :
				    ___sys_recvmsg(sock, umsg, flags);
	sockfd_put(sock);
	return err;
}

/*
 * sendmmsg/recvmmsg: @vlen messages in a row; each one's length goes in
 * its msg_len. Returns how many were done, or the first error if none
 * was. recvmmsg's timeout is not supported (only NULL); MSG_WAITFORONE
 * makes every receive after the first non-blocking.
 */
static long do_mmsg(int fd, struct mmsghdr __user *mmsg, unsigned int vlen,
		    unsigned int flags, enum msg_dir dir)
{
	struct socket *sock;
	unsigned int done = 0;
	long ret = 0;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	if (vlen > UIO_MAXIOV)
		vlen = UIO_MAXIOV;
	for (; done < vlen; done++) {
		ret = dir == MSG_DIR_SEND ?
			      ___sys_sendmsg(sock, &mmsg[done].msg_hdr, flags) :
			      ___sys_recvmsg(sock, &mmsg[done].msg_hdr, flags);
		if (ret < 0)
			break;
		if (put_user((unsigned int)ret, &mmsg[done].msg_len)) {
			ret = -EFAULT;
			break;
		}
		if (flags & MSG_WAITFORONE)
			flags |= MSG_DONTWAIT;
	}
	sockfd_put(sock);
	return done ? (long)done : ret;
}

/* ---- the entries ------------------------------------------------------------ */

SYSCALL_DEFINE3(socket, int, family, int, type, int, protocol)
{
	return __sys_socket(family, type, protocol);
}

SYSCALL_DEFINE4(socketpair, int, family, int, type, int, protocol, int __user *,
		usockvec)
{
	return __sys_socketpair(family, type, protocol, usockvec);
}

SYSCALL_DEFINE3(bind, int, fd, struct sockaddr __user *, umyaddr, int, addrlen)
{
	return __sys_bind(fd, umyaddr, addrlen);
}

SYSCALL_DEFINE3(connect, int, fd, struct sockaddr __user *, uservaddr, int,
		addrlen)
{
	return __sys_connect(fd, uservaddr, addrlen);
}

SYSCALL_DEFINE2(listen, int, fd, int, backlog)
{
	return __sys_listen(fd, backlog);
}

SYSCALL_DEFINE4(accept4, int, fd, struct sockaddr __user *, upeer, int __user *,
		upeer_len, int, flags)
{
	return __sys_accept4(fd, upeer, upeer_len, flags);
}

SYSCALL_DEFINE5(getsockopt, int, fd, int, level, int, optname, char __user *,
		optval, int __user *, optlen)
{
	return __sys_getsockopt(fd, level, optname, optval, optlen);
}

SYSCALL_DEFINE5(setsockopt, int, fd, int, level, int, optname, char __user *,
		optval, int, optlen)
{
	return __sys_setsockopt(fd, level, optname, optval, optlen);
}

SYSCALL_DEFINE3(getsockname, int, fd, struct sockaddr __user *, usockaddr,
		int __user *, usockaddr_len)
{
	return __sys_getname(fd, usockaddr, usockaddr_len, 0);
}

SYSCALL_DEFINE3(getpeername, int, fd, struct sockaddr __user *, usockaddr,
		int __user *, usockaddr_len)
{
	return __sys_getname(fd, usockaddr, usockaddr_len, 1);
}

SYSCALL_DEFINE6(sendto, int, fd, void __user *, buff, size_t, len, unsigned int,
		flags, struct sockaddr __user *, addr, int, addr_len)
{
	return __sys_sendto(fd, buff, len, flags, addr, addr_len);
}

SYSCALL_DEFINE6(recvfrom, int, fd, void __user *, ubuf, size_t, size,
		unsigned int, flags, struct sockaddr __user *, addr,
		int __user *, addr_len)
{
	return __sys_recvfrom(fd, ubuf, size, flags, addr, addr_len);
}

SYSCALL_DEFINE3(sendmsg, int, fd, struct user_msghdr __user *, msg,
		unsigned int, flags)
{
	return do_msg_fd(fd, msg, flags, MSG_DIR_SEND);
}

SYSCALL_DEFINE3(recvmsg, int, fd, struct user_msghdr __user *, msg,
		unsigned int, flags)
{
	return do_msg_fd(fd, msg, flags, MSG_DIR_RECV);
}

SYSCALL_DEFINE2(shutdown, int, fd, int, how)
{
	return __sys_shutdown(fd, how);
}

SYSCALL_DEFINE4(sendmmsg, int, fd, struct mmsghdr __user *, mmsg, unsigned int,
		vlen, unsigned int, flags)
{
	return do_mmsg(fd, mmsg, vlen, flags, MSG_DIR_SEND);
}

/* Receive timeouts are not supported: a non-NULL @timeout is EINVAL. */
SYSCALL_DEFINE5(recvmmsg, int, fd, struct mmsghdr __user *, mmsg, unsigned int,
		vlen, unsigned int, flags, void __user *, timeout)
{
	if (timeout)
		return -EINVAL;
	return do_mmsg(fd, mmsg, vlen, flags, MSG_DIR_RECV);
}

/* ---- socketcall ------------------------------------------------------------ */

/* How many longs each socketcall sub-call reads (Linux's nargs[]). */
static const unsigned char socketcall_nargs[SYS_SENDMMSG + 1] = {
	[SYS_SOCKET] = 3,      [SYS_BIND] = 3,	     [SYS_CONNECT] = 3,
	[SYS_LISTEN] = 2,      [SYS_ACCEPT] = 3,     [SYS_GETSOCKNAME] = 3,
	[SYS_GETPEERNAME] = 3, [SYS_SOCKETPAIR] = 4, [SYS_SEND] = 4,
	[SYS_RECV] = 4,	       [SYS_SENDTO] = 6,     [SYS_RECVFROM] = 6,
	[SYS_SHUTDOWN] = 2,    [SYS_SETSOCKOPT] = 5, [SYS_GETSOCKOPT] = 5,
	[SYS_SENDMSG] = 3,     [SYS_RECVMSG] = 3,    [SYS_ACCEPT4] = 4,
	[SYS_RECVMMSG] = 5,    [SYS_SENDMMSG] = 4,
};

/* A socketcall argument word that carries a user pointer. */
static inline void __user *user_arg(unsigned long word)
{
	return (void __user *)(uintptr_t)word;
}

/* The sub-calls that create, name or configure a socket. */
static long socketcall_setup(int call, const unsigned long *a)
{
	switch (call) {
	case SYS_SOCKET:
		return __sys_socket((int)a[0], (int)a[1], (int)a[2]);
	case SYS_BIND:
		return __sys_bind((int)a[0], user_arg(a[1]), (int)a[2]);
	case SYS_CONNECT:
		return __sys_connect((int)a[0], user_arg(a[1]), (int)a[2]);
	case SYS_LISTEN:
		return __sys_listen((int)a[0], (int)a[1]);
	case SYS_ACCEPT:
		return __sys_accept4((int)a[0], user_arg(a[1]), user_arg(a[2]),
				     0);
	case SYS_ACCEPT4:
		return __sys_accept4((int)a[0], user_arg(a[1]), user_arg(a[2]),
				     (int)a[3]);
	case SYS_GETSOCKNAME:
		return __sys_getname((int)a[0], user_arg(a[1]), user_arg(a[2]),
				     0);
	case SYS_GETPEERNAME:
		return __sys_getname((int)a[0], user_arg(a[1]), user_arg(a[2]),
				     1);
	case SYS_SOCKETPAIR:
		return __sys_socketpair((int)a[0], (int)a[1], (int)a[2],
					user_arg(a[3]));
	case SYS_SHUTDOWN:
		return __sys_shutdown((int)a[0], (int)a[1]);
	case SYS_SETSOCKOPT:
		return __sys_setsockopt((int)a[0], (int)a[1], (int)a[2],
					user_arg(a[3]), (int)a[4]);
	case SYS_GETSOCKOPT:
		return __sys_getsockopt((int)a[0], (int)a[1], (int)a[2],
					user_arg(a[3]), user_arg(a[4]));
	}
	return -EINVAL;
}

/* The sub-calls that move data. */
static long socketcall_io(int call, const unsigned long *a)
{
	switch (call) {
	case SYS_SEND:
		return __sys_sendto((int)a[0], user_arg(a[1]), a[2],
				    (unsigned int)a[3], NULL, 0);
	case SYS_RECV:
		return __sys_recvfrom((int)a[0], user_arg(a[1]), a[2],
				      (unsigned int)a[3], NULL, NULL);
	case SYS_SENDTO:
		return __sys_sendto((int)a[0], user_arg(a[1]), a[2],
				    (unsigned int)a[3], user_arg(a[4]),
				    (int)a[5]);
	case SYS_RECVFROM:
		return __sys_recvfrom((int)a[0], user_arg(a[1]), a[2],
				      (unsigned int)a[3], user_arg(a[4]),
				      user_arg(a[5]));
	case SYS_SENDMSG:
		return do_msg_fd((int)a[0], user_arg(a[1]), (unsigned int)a[2],
				 MSG_DIR_SEND);
	case SYS_RECVMSG:
		return do_msg_fd((int)a[0], user_arg(a[1]), (unsigned int)a[2],
				 MSG_DIR_RECV);
	case SYS_SENDMMSG:
		return do_mmsg((int)a[0], user_arg(a[1]), (unsigned int)a[2],
			       (unsigned int)a[3], MSG_DIR_SEND);
	case SYS_RECVMMSG:
		if (a[4])
			return -EINVAL; /* timeouts are not supported */
		return do_mmsg((int)a[0], user_arg(a[1]), (unsigned int)a[2],
			       (unsigned int)a[3], MSG_DIR_RECV);
	}
	return socketcall_setup(call, a);
}

SYSCALL_DEFINE2(socketcall, int, call, unsigned long __user *, args)
{
	unsigned long a[6];

	if (call < SYS_SOCKET || call > SYS_SENDMMSG)
		return -EINVAL;
	if (copy_from_user(a, args, socketcall_nargs[call] * sizeof(a[0])))
		return -EFAULT;
	return socketcall_io(call, a);
}
