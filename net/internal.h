/*
 * The socket layer's private interface between net/socket.c (sockets
 * as files, the family registry) and net/socket_syscalls.c (the system
 * calls). Families never include this: they see include/kestrel/net.h.
 */
#ifndef _NET_INTERNAL_H
#define _NET_INTERNAL_H

#include <kestrel/net.h>

/* A bare socket of @type (no family yet), or NULL. May sleep. */
struct socket *sock_alloc(int type);

/*
 * socket(2)'s checks and the family's create(): -EAFNOSUPPORT (unknown
 * family), -EINVAL (type out of range), or the family's error.
 */
int __sock_create(int family, int type, int protocol, struct socket **res,
		  int kern);
/* A user's socket (socket(2), socketpair(2)): __sock_create, kern 0. */
int sock_create(int family, int type, int protocol, struct socket **res);

/*
 * Give @sock a file and a descriptor (O_CLOEXEC, O_NONBLOCK from
 * @flags). Returns the fd; on failure @sock is released and -errno
 * returned. May sleep.
 */
int sock_map_fd(struct socket *sock, int flags);

/*
 * The socket at @fd with a reference on its file, or NULL with
 * *@err = -EBADF or -ENOTSOCK. Drop it with sockfd_put().
 */
struct socket *sockfd_lookup(int fd, int *err);
void sockfd_put(struct socket *sock);

/* The family's sendmsg/recvmsg, or -EOPNOTSUPP. May sleep. */
int sock_sendmsg(struct socket *sock, struct msghdr *msg);
int sock_recvmsg(struct socket *sock, struct msghdr *msg, int flags);

/* A user address into a kernel sockaddr_storage: 0, -EINVAL (length
 * negative or too big), -EFAULT. */
int move_addr_to_kernel(const void __user *uaddr, int len,
			struct __kernel_sockaddr_storage *kaddr);
/* A kernel address of @klen bytes out to the user (Linux's rules). */
int move_addr_to_user(const void *kaddr, int klen, void __user *uaddr,
		      int __user *ulen);

#endif /* _NET_INTERNAL_H */
