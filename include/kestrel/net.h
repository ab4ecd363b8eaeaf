/*
 * The socket layer: what every address family plugs into.
 *
 * A socket is three objects (Linux's design):
 *
 *	fd ──> struct file ──> struct socket ──> struct sock
 *	       (sockfs inode)   ->ops: the       the family's state,
 *	                         family's         embedded first in its
 *	                         proto_ops        own struct (netlink_sock)
 *
 * struct socket is the VFS face: it lives exactly as long as its file
 * (sockfs, net/socket.c, makes them together), holds the wait queue
 * poll() and blocking receivers sleep on, and dispatches every call to
 * ->ops. struct sock is the protocol face: it may outlive the socket
 * (a kernel sender holding a reference while the file is closed), so
 * it is reference counted and reaches the socket's wait queue only
 * through ->sk_wq, cleared under ->sk_lock by sock_orphan().
 *
 * A family registers a struct net_proto_family with sock_register();
 * socket(2) calls its create(), which sets sock->ops and sock->sk. An
 * empty slot in proto_ops means the core's default: -EOPNOTSUPP for
 * connect, socketpair, accept, listen, getname and shutdown; -ENOTTY for
 * ioctl; -ENOPROTOOPT for options at levels other than SOL_SOCKET
 * (SOL_SOCKET itself is the core's, net/core/sock.c); datagram_poll()
 * for poll.
 *
 * The generic receive path for datagram families (net/core/sock.c):
 * sock_queue_rcv_skb() charges a buffer against SO_RCVBUF and queues
 * it; skb_recv_datagram() waits for one (MSG_DONTWAIT, MSG_PEEK, a
 * pending error first); skb_copy_datagram_msg() copies it out.
 */
#ifndef _KESTREL_NET_H
#define _KESTREL_NET_H

#include <kestrel/atomic.h>
#include <kestrel/compiler.h>
#include <kestrel/poll.h>
#include <kestrel/skbuff.h>
#include <kestrel/spinlock.h>
#include <kestrel/types.h>
#include <kestrel/uio.h>
#include <kestrel/wait.h>
#include <uapi/socket.h>

struct file;
struct sock;
struct socket;

/* Where a socket is in its connection life (stream families). */
enum socket_state {
	SS_FREE,
	SS_UNCONNECTED,
	SS_CONNECTING,
	SS_CONNECTED,
	SS_DISCONNECTING,
};

/*
 * A send or receive as the families see it: the address and control
 * buffers are already checked, the data is an iterator over the user's
 * (or, for kernel sockets, kernel) segments.
 */
struct msghdr {
	void *msg_name; /* kernel copy of the address, or NULL */
	int msg_namelen; /* send: its length; recv: set by the family */
	struct iov_iter msg_iter; /* the data */
	void *msg_control; /* recv: where cmsgs go (see put_cmsg) */
	size_t msg_controllen; /* bytes left there; advanced by put_cmsg */
	bool msg_control_is_user; /* msg_control is a __user pointer */
	unsigned int msg_flags; /* recv: MSG_TRUNC, MSG_CTRUNC out */
};

/*
 * A family's operations. Every one but release may be left empty (see
 * the file comment). @addr arguments are kernel copies; @addrlen was
 * checked to be at most sizeof(struct __kernel_sockaddr_storage).
 * sendmsg/recvmsg return bytes or -errno; recvmsg returns the full
 * message length with MSG_TRUNC in @flags, as Linux does.
 * May sleep (all of them).
 */
struct proto_ops {
	int family;
	int (*release)(struct socket *sock);
	int (*bind)(struct socket *sock, struct sockaddr *addr, int addrlen);
	int (*connect)(struct socket *sock, struct sockaddr *addr, int addrlen,
		       int flags);
	int (*socketpair)(struct socket *a, struct socket *b);
	int (*accept)(struct socket *sock, struct socket *newsock, int flags);
	/* The address into @addr; returns its length or -errno. */
	int (*getname)(struct socket *sock, struct sockaddr *addr, int peer);
	unsigned int (*poll)(struct file *file, struct socket *sock,
			     poll_table *pt);
	int (*ioctl)(struct socket *sock, unsigned int cmd, unsigned long arg);
	int (*listen)(struct socket *sock, int backlog);
	int (*shutdown)(struct socket *sock, int how);
	int (*setsockopt)(struct socket *sock, int level, int optname,
			  const void __user *optval, unsigned int optlen);
	int (*getsockopt)(struct socket *sock, int level, int optname,
			  char __user *optval, int __user *optlen);
	int (*sendmsg)(struct socket *sock, struct msghdr *m, size_t len);
	int (*recvmsg)(struct socket *sock, struct msghdr *m, size_t len,
		       int flags);
};

/*
 * A socket: the VFS side. Made and freed by net/socket.c with its file;
 * ->state, ->sk and ->ops are set by the family's create() and belong
 * to the family afterwards.
 */
struct socket {
	enum socket_state state;
	short type; /* SOCK_DGRAM, SOCK_RAW, ... */
	struct file *file; /* NULL for kernel sockets */
	struct sock *sk;
	const struct proto_ops *ops;
	struct wait_queue_head wq; /* readers, writers and pollers */
};

/* sk->sk_flags bits. */
#define SOCK_DEAD 0 /* orphaned: the socket is gone */
#define SOCK_PASSCRED 1 /* SO_PASSCRED: SCM_CREDENTIALS on receive */

/* sk->sk_shutdown bits. */
#define RCV_SHUTDOWN 1
#define SEND_SHUTDOWN 2

/*
 * The protocol side. A family embeds it first in its own structure and
 * allocates it with sk_alloc(). Locking:
 *   l  sk->sk_lock (spinlock): sk_socket, sk_wq, sk_err, sk_flags,
 *      sk_shutdown
 *   q  sk_receive_queue.lock: the queue
 *   a  atomic
 *   o  the owner (setsockopt under the socket's file): sk_rcvbuf,
 *      sk_sndbuf; readers use READ_ONCE
 */
struct sock {
	u16 sk_family;
	u16 sk_type;
	int sk_protocol;
	atomic_t sk_refcnt; /* a: sock_hold/sock_put */
	spinlock_t sk_lock;
	struct socket *sk_socket; /* l: NULL once orphaned */
	struct wait_queue_head *sk_wq; /* l: &sk_socket->wq, or NULL */
	struct sk_buff_head sk_receive_queue; /* q */
	atomic_t sk_rmem_alloc; /* a: truesize of the queued buffers */
	atomic_t sk_drops; /* a: buffers dropped for lack of room */
	int sk_rcvbuf; /* o: receive budget in bytes */
	int sk_sndbuf; /* o: send budget in bytes */
	int sk_err; /* l: pending error (positive errno), 0: none */
	unsigned long sk_flags; /* l: SOCK_* bits */
	unsigned char sk_shutdown; /* l: RCV_SHUTDOWN | SEND_SHUTDOWN */
	void (*sk_destruct)(struct sock *sk); /* before the free; may be NULL */
};

/* A family: socket(@family, ...) calls create(). */
struct net_proto_family {
	int family;
	/* Set up @sock (ops, sk) for @protocol; @kern: a kernel socket. */
	int (*create)(struct socket *sock, int protocol, int kern);
};

/*
 * The budgets Linux uses: net.core.rmem_default/wmem_default and
 * rmem_max/wmem_max, and the floors of sock_setsockopt (Linux 6.x
 * x86: SOCK_MIN_RCVBUF is one minimal TCP buffer, 2048 + an aligned
 * struct sk_buff; SOCK_MIN_SNDBUF two).
 */
#define SK_RMEM_DEFAULT 212992
#define SK_WMEM_DEFAULT 212992
#define SK_RMEM_MAX 212992
#define SK_WMEM_MAX 212992
#define SOCK_MIN_RCVBUF 2304
#define SOCK_MIN_SNDBUF 4608

/* ---- registry and sockets (net/socket.c) ------------------------------ */

/**
 * sock_register - add an address family
 * Returns 0, -EINVAL (bad family number) or -EEXIST. Boot, may sleep.
 */
int sock_register(const struct net_proto_family *ops);
void sock_unregister(int family);

/**
 * sock_create_kern - a socket the kernel itself uses (no file)
 * @res: receives the socket; free it with sock_release()
 *
 * Returns 0 or the socket(2) errors. May sleep.
 */
int sock_create_kern(int family, int type, int protocol, struct socket **res);
void sock_release(struct socket *sock);

/* The socket behind @file, or NULL if it is not one. */
struct socket *sock_from_file(struct file *file);

int kernel_bind(struct socket *sock, struct sockaddr *addr, int addrlen);
/* recvmsg into kernel memory: @vec of @num segments, @size bytes. */
int kernel_recvmsg(struct socket *sock, struct msghdr *msg,
		   const struct kvec *vec, size_t num, size_t size, int flags);
int kernel_sendmsg(struct socket *sock, struct msghdr *msg,
		   const struct kvec *vec, size_t num, size_t size);

/**
 * put_cmsg - append one control message to a receive's msg_control
 * @level, @type: SOL_SOCKET, SCM_CREDENTIALS, ...
 * @len, @data: the payload
 *
 * When it does not fit, sets MSG_CTRUNC and adds nothing. Returns 0 or
 * -EFAULT. May sleep (user copy).
 */
int put_cmsg(struct msghdr *msg, int level, int type, unsigned int len,
	     const void *data);

/*
 * SCM_CREDENTIALS of a received message with @creds, when the socket
 * has SO_PASSCRED set (nothing otherwise). Cannot fail: by then the
 * message is dequeued, so a control buffer that faults only loses the
 * credentials (nothing is reported written there), as Linux's
 * scm_recv(). May sleep (user copy).
 */
void scm_recv_creds(struct socket *sock, struct msghdr *msg,
		    const struct skb_creds *creds);

/* ---- struct sock and datagrams (net/core/sock.c) ------------------------- */

/**
 * sk_alloc - a zeroed family sock of @size bytes with struct sock first
 * Returns it with one reference, default budgets and an empty queue,
 * or NULL. May sleep.
 */
struct sock *sk_alloc(int family, int type, int protocol, size_t size);

/* Tie @sk and @sock together (the family's create() calls it). */
void sock_init_data(struct socket *sock, struct sock *sk);

/* The socket is going: detach its wait queue from @sk, mark it dead. */
void sock_orphan(struct sock *sk);

static inline void sock_hold(struct sock *sk)
{
	atomic_inc(&sk->sk_refcnt);
}

/* Drop a reference; the last purges the queue, runs sk_destruct, frees. */
void sock_put(struct sock *sk);

/* Wake the socket's readers and pollers. Any context. */
void sk_data_ready(struct sock *sk);

/* Set a pending error (positive errno) and wake the socket. */
void sk_set_error(struct sock *sk, int err);

/* Take the pending error: -errno once, then 0. */
int sock_error(struct sock *sk);

bool sock_flag(struct sock *sk, int flag);
void sock_set_flag(struct sock *sk, int flag, bool on);

/**
 * sock_queue_rcv_skb - charge @skb to @sk and queue it
 *
 * Returns 0 (the queue owns @skb) or -ENOMEM when the receive budget is
 * already used up (the caller still owns @skb). A buffer is accepted
 * while the charge before it is within SO_RCVBUF, as Linux's netlink.
 * Any context.
 */
int sock_queue_rcv_skb(struct sock *sk, struct sk_buff *skb);

/**
 * skb_recv_datagram - the next buffer of @sk's queue
 * @flags: MSG_DONTWAIT (or the file's O_NONBLOCK, folded in by the
 *         caller), MSG_PEEK (leave it queued)
 * @err: set to -errno when NULL is returned
 *
 * A pending error is reported first (once). Waits otherwise, until a
 * buffer, an error, shutdown (-> 0 bytes: *err = 0) or a signal
 * (-ERESTARTSYS). Without MSG_PEEK the buffer is uncharged. Free the
 * result with kfree_skb(). May sleep.
 */
struct sk_buff *skb_recv_datagram(struct sock *sk, unsigned int flags,
				  int *err);

/* Copy up to @len bytes of @skb's data into @msg's iterator; 0/-EFAULT. */
int skb_copy_datagram_msg(const struct sk_buff *skb, struct msghdr *msg,
			  size_t len);

/* poll for a datagram socket: readable when queued, POLLERR on error. */
unsigned int datagram_poll(struct file *file, struct socket *sock,
			   poll_table *pt);

/* SOL_SOCKET options (net/core/sock.c), called by net/socket.c. */
int sock_setsockopt(struct socket *sock, int optname, const void __user *optval,
		    unsigned int optlen);
int sock_getsockopt(struct socket *sock, int optname, char __user *optval,
		    int __user *optlen);

#endif /* _KESTREL_NET_H */
