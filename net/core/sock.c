/*
 * struct sock: what every family's protocol object shares, and the
 * generic datagram machinery built on it (include/kestrel/net.h).
 *
 * Receive side of a datagram socket:
 *
 *	sender (kernel or a sendmsg)        receiver (recvmsg/read)
 *	  sock_queue_rcv_skb(sk, skb)          skb_recv_datagram(sk)
 *	    rmem_alloc > rcvbuf? -ENOMEM         error pending? -> -errno
 *	    charge truesize, queue,              queue empty? wait on sk_wq
 *	    sk_data_ready(): wake sk_wq          dequeue, uncharge
 *
 * A buffer is accepted while the charge *before* it is within the
 * budget, so a queue may go over by one buffer (Linux's rule, which
 * also lets a single message bigger than SO_RCVBUF through).
 *
 * The SOL_SOCKET options live here too; they only touch struct sock
 * and struct socket, never a family's private state.
 */
#include <kestrel/cred.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/net.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/uaccess.h>

struct sock *sk_alloc(int family, int type, int protocol, size_t size)
{
	struct sock *sk;

	if (size < sizeof(*sk))
		return NULL;
	sk = kzalloc(size, GFP_KERNEL);
	if (!sk)
		return NULL;
	sk->sk_family = (u16)family;
	sk->sk_type = (u16)type;
	sk->sk_protocol = protocol;
	atomic_set(&sk->sk_refcnt, 1);
	spin_lock_init(&sk->sk_lock);
	skb_queue_head_init(&sk->sk_receive_queue);
	sk->sk_rcvbuf = SK_RMEM_DEFAULT;
	sk->sk_sndbuf = SK_WMEM_DEFAULT;
	return sk;
}

void sock_init_data(struct socket *sock, struct sock *sk)
{
	unsigned long flags;

	spin_lock_irqsave(&sk->sk_lock, flags);
	sk->sk_socket = sock;
	sk->sk_wq = &sock->wq;
	spin_unlock_irqrestore(&sk->sk_lock, flags);
	sock->sk = sk;
}

void sock_orphan(struct sock *sk)
{
	unsigned long flags;

	spin_lock_irqsave(&sk->sk_lock, flags);
	sk->sk_socket = NULL;
	sk->sk_wq = NULL;
	sk->sk_flags |= 1UL << SOCK_DEAD;
	spin_unlock_irqrestore(&sk->sk_lock, flags);
}

void sock_put(struct sock *sk)
{
	if (!atomic_dec_and_test(&sk->sk_refcnt))
		return;
	skb_queue_purge(&sk->sk_receive_queue);
	if (sk->sk_destruct)
		sk->sk_destruct(sk);
	kfree(sk);
}

void sk_data_ready(struct sock *sk)
{
	unsigned long flags;

	spin_lock_irqsave(&sk->sk_lock, flags);
	if (sk->sk_wq)
		wake_up_interruptible_all(sk->sk_wq);
	spin_unlock_irqrestore(&sk->sk_lock, flags);
}

void sk_set_error(struct sock *sk, int err)
{
	unsigned long flags;

	spin_lock_irqsave(&sk->sk_lock, flags);
	sk->sk_err = err;
	spin_unlock_irqrestore(&sk->sk_lock, flags);
	sk_data_ready(sk);
}

int sock_error(struct sock *sk)
{
	unsigned long flags;
	int err;

	spin_lock_irqsave(&sk->sk_lock, flags);
	err = sk->sk_err;
	sk->sk_err = 0;
	spin_unlock_irqrestore(&sk->sk_lock, flags);
	return -err;
}

bool sock_flag(struct sock *sk, int flag)
{
	return READ_ONCE(sk->sk_flags) & (1UL << flag);
}

void sock_set_flag(struct sock *sk, int flag, bool on)
{
	unsigned long flags;

	spin_lock_irqsave(&sk->sk_lock, flags);
	if (on)
		sk->sk_flags |= 1UL << flag;
	else
		sk->sk_flags &= ~(1UL << flag);
	spin_unlock_irqrestore(&sk->sk_lock, flags);
}

/* ---- receiving datagrams ------------------------------------------------- */

int sock_queue_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	if (atomic_read(&sk->sk_rmem_alloc) > READ_ONCE(sk->sk_rcvbuf)) {
		atomic_inc(&sk->sk_drops);
		return -ENOMEM;
	}
	atomic_add_return((int)skb->truesize, &sk->sk_rmem_alloc);
	skb_queue_tail(&sk->sk_receive_queue, skb);
	sk_data_ready(sk);
	return 0;
}

/* Something for a receiver: a buffer, an error, or the end. */
static bool datagram_ready(struct sock *sk)
{
	return !skb_queue_empty(&sk->sk_receive_queue) ||
	       READ_ONCE(sk->sk_err) ||
	       (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN);
}

/* One attempt: the error, or a buffer, or NULL with *err = -EAGAIN. */
static struct sk_buff *try_recv_datagram(struct sock *sk, unsigned int flags,
					 int *err)
{
	struct sk_buff *skb;

	*err = sock_error(sk);
	if (*err)
		return NULL;
	if (flags & MSG_PEEK)
		skb = skb_peek_get(&sk->sk_receive_queue);
	else
		skb = skb_dequeue(&sk->sk_receive_queue);
	if (skb) {
		if (!(flags & MSG_PEEK))
			atomic_sub_return((int)skb->truesize,
					  &sk->sk_rmem_alloc);
		return skb;
	}
	*err = (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN) ? 0 : -EAGAIN;
	return NULL;
}

struct sk_buff *skb_recv_datagram(struct sock *sk, unsigned int flags, int *err)
{
	struct socket *sock = sk->sk_socket;
	struct sk_buff *skb;
	int ret;

	for (;;) {
		skb = try_recv_datagram(sk, flags, err);
		if (skb || *err != -EAGAIN || (flags & MSG_DONTWAIT))
			return skb;
		ret = wait_event_interruptible(sock->wq, datagram_ready(sk));
		if (ret) {
			*err = ret;
			return NULL;
		}
	}
}

int skb_copy_datagram_msg(const struct sk_buff *skb, struct msghdr *msg,
			  size_t len)
{
	if (len > skb->len)
		len = skb->len;
	if (copy_to_iter(skb->data, len, &msg->msg_iter) != len)
		return -EFAULT;
	return 0;
}

unsigned int datagram_poll(struct file *file, struct socket *sock,
			   poll_table *pt)
{
	struct sock *sk = sock->sk;
	unsigned int mask = 0;

	poll_wait(file, &sock->wq, pt);
	if (READ_ONCE(sk->sk_err))
		mask |= POLLERR;
	if (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (READ_ONCE(sk->sk_shutdown) == (RCV_SHUTDOWN | SEND_SHUTDOWN))
		mask |= POLLHUP;
	if (!skb_queue_empty(&sk->sk_receive_queue))
		mask |= POLLIN | POLLRDNORM;
	/* Datagram sends never wait for room here. */
	mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	return mask;
}

/* ---- SOL_SOCKET options ------------------------------------------------- */

/* The largest budget: its double must still fit in an int. */
#define SOCK_BUF_LIMIT (0x7fffffff / 2)

/*
 * Linux's __sock_set_rcvbuf/sndbuf: @val capped at @max (0: no cap,
 * the *FORCE options), doubled for the bookkeeping, at least @min.
 */
static int sock_buf_value(int val, int max, int min)
{
	unsigned int v = (unsigned int)val;

	if (max && v > (unsigned int)max)
		v = (unsigned int)max;
	if (v > SOCK_BUF_LIMIT)
		v = SOCK_BUF_LIMIT;
	v *= 2;
	return v < (unsigned int)min ? min : (int)v;
}

/* SO_RCVBUF, SO_SNDBUF and their privileged *FORCE forms. */
static int sock_set_buf(struct sock *sk, int optname, int val)
{
	bool force = optname == SO_RCVBUFFORCE || optname == SO_SNDBUFFORCE;

	if (force && !capable(CAP_NET_ADMIN))
		return -EPERM;
	if (force && val < 0)
		val = 0;
	if (optname == SO_RCVBUF || optname == SO_RCVBUFFORCE)
		WRITE_ONCE(sk->sk_rcvbuf,
			   sock_buf_value(val, force ? 0 : SK_RMEM_MAX,
					  SOCK_MIN_RCVBUF));
	else
		WRITE_ONCE(sk->sk_sndbuf,
			   sock_buf_value(val, force ? 0 : SK_WMEM_MAX,
					  SOCK_MIN_SNDBUF));
	return 0;
}

int sock_setsockopt(struct socket *sock, int optname, const void __user *optval,
		    unsigned int optlen)
{
	struct sock *sk = sock->sk;
	int val;

	if (optlen < sizeof(int))
		return -EINVAL;
	if (get_user(val, (const int __user *)optval))
		return -EFAULT;
	switch (optname) {
	case SO_RCVBUF:
	case SO_SNDBUF:
	case SO_RCVBUFFORCE:
	case SO_SNDBUFFORCE:
		return sock_set_buf(sk, optname, val);
	case SO_PASSCRED:
		sock_set_flag(sk, SOCK_PASSCRED, val != 0);
		return 0;
	}
	return -ENOPROTOOPT;
}

/* The integer value of a readable SOL_SOCKET option, or -ENOPROTOOPT. */
static int sock_option_value(struct socket *sock, int optname, int *val)
{
	struct sock *sk = sock->sk;

	switch (optname) {
	case SO_TYPE:
		*val = sock->type;
		return 0;
	case SO_DOMAIN:
		*val = sk->sk_family;
		return 0;
	case SO_PROTOCOL:
		*val = sk->sk_protocol;
		return 0;
	case SO_ERROR:
		*val = -sock_error(sk);
		return 0;
	case SO_RCVBUF:
		*val = READ_ONCE(sk->sk_rcvbuf);
		return 0;
	case SO_SNDBUF:
		*val = READ_ONCE(sk->sk_sndbuf);
		return 0;
	case SO_PASSCRED:
		*val = sock_flag(sk, SOCK_PASSCRED);
		return 0;
	}
	return -ENOPROTOOPT;
}

int sock_getsockopt(struct socket *sock, int optname, char __user *optval,
		    int __user *optlen)
{
	int len, val, err;

	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	err = sock_option_value(sock, optname, &val);
	if (err)
		return err;
	if ((size_t)len > sizeof(val))
		len = sizeof(val);
	if (copy_to_user(optval, &val, (size_t)len))
		return -EFAULT;
	return put_user(len, optlen) ? -EFAULT : 0;
}
