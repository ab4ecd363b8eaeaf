/*
 * AF_NETLINK sockets (include/kestrel/netlink.h; docs/netlink.md).
 *
 * One table per protocol lists the bound sockets, each with its port id
 * and its multicast groups:
 *
 *	nl_table[NETLINK_KOBJECT_UEVENT]
 *	  └─ sock(port 412, groups 0x1) ─ sock(port -4096, groups 0x1) ─ ...
 *
 * A kernel sender (kobject_uevent) calls netlink_broadcast(), which
 * walks the table and queues a copy on every member of the group whose
 * queue has room. A member without room is "congested": the message is
 * lost for it, its next recvmsg() fails once with ENOBUFS, and it gets
 * nothing more until it has drained its queue (Linux's
 * NETLINK_S_CONGESTED), so a listener sees a clean gap in SEQNUM.
 *
 * Ports: bind() with nl_pid 0, or the first send, picks one: the
 * process's tgid if free, else a negative number counting down from
 * -4096 (Linux's choice). Only NETLINK_KOBJECT_UEVENT is provided; it
 * lets anyone join its group (NL_CFG_F_NONROOT_RECV) but sending to a
 * port or a group other than the kernel needs CAP_NET_ADMIN, as Linux.
 * Messages to the kernel on this protocol are accepted and dropped.
 *
 * Locking: nl_table_mutex protects the tables and, of every socket,
 * ->portid, ->bound, ->groups and ->node. The socket's congestion bit
 * is under sk->sk_lock. Receive queues have their own lock (skbuff.h).
 */
#include <kestrel/init.h>
#include <kestrel/cred.h>
#include <kestrel/errno.h>
#include <kestrel/list.h>
#include <kestrel/mutex.h>
#include <kestrel/net.h>
#include <kestrel/netlink.h>
#include <kestrel/sched.h>
#include <kestrel/string.h>
#include <kestrel/uaccess.h>

/* The first port autobind hands out once the tgid is taken, and the
 * bytes sendmsg keeps below SO_SNDBUF (Linux: sk_sndbuf - 32). */
#define NETLINK_ROVER_START (-4096)
#define NETLINK_ROVER_END (-0x7fffffff - 1) /* the lowest s32 */
#define NETLINK_SNDBUF_SLACK 32

struct netlink_sock {
	struct sock sk; /* first: sk_alloc() */
	u32 portid; /* t: bound port */
	u32 dst_portid; /* t: connect()'s default destination */
	u32 dst_group; /* t: connect()'s default group, or 0 */
	u32 groups; /* t: joined groups, bit n-1 for group n */
	bool bound; /* t: has a port and is in the table */
	bool congested; /* sk_lock: lost a message, queue not drained */
	bool no_enobufs; /* NETLINK_NO_ENOBUFS: lose silently (READ_ONCE) */
	struct list_head node; /* t: in nl_table[protocol] while bound */
};

static DEFINE_MUTEX(nl_table_mutex);
static struct list_head nl_table[MAX_LINKS];
static s32 nl_rover = NETLINK_ROVER_START; /* nl_table_mutex */
static bool nl_table_ready; /* nl_table_mutex: tables initialised */

static struct netlink_sock *nlk_sk(struct sock *sk)
{
	return container_of(sk, struct netlink_sock, sk);
}

static u32 group_mask(u32 group)
{
	return group ? 1U << (group - 1) : 0;
}

/* The lowest group in a mask of groups, or 0 (a send goes to one). */
static u32 group_from_mask(u32 mask)
{
	return (u32)__builtin_ffs((int)mask);
}

/* ---- ports ---------------------------------------------------------------- */

/* The bound socket of @protocol at @portid, or NULL. Table locked. */
static struct netlink_sock *__netlink_lookup(int protocol, u32 portid)
{
	struct netlink_sock *nlk;

	list_for_each_entry(nlk, &nl_table[protocol], node)
		if (nlk->portid == portid)
			return nlk;
	return NULL;
}

/* Bind @nlk to @portid: 0 or -EADDRINUSE. Table locked. */
static int __netlink_insert(struct netlink_sock *nlk, u32 portid)
{
	if (__netlink_lookup(nlk->sk.sk_protocol, portid))
		return -EADDRINUSE;
	nlk->portid = portid;
	nlk->bound = true;
	list_add_tail(&nlk->node, &nl_table[nlk->sk.sk_protocol]);
	return 0;
}

/* Pick a port: the tgid, else the next free negative one. Table locked. */
static int __netlink_autobind(struct netlink_sock *nlk)
{
	u32 portid = (u32)current->tgid;

	while (__netlink_lookup(nlk->sk.sk_protocol, portid)) {
		portid = (u32)nl_rover;
		/* Down from -4096, and back there before s32 would wrap. */
		nl_rover = nl_rover == NETLINK_ROVER_END ? NETLINK_ROVER_START :
							   nl_rover - 1;
	}
	return __netlink_insert(nlk, portid);
}

static int netlink_autobind(struct netlink_sock *nlk)
{
	int err = 0;

	mutex_lock(&nl_table_mutex);
	if (!nlk->bound)
		err = __netlink_autobind(nlk);
	mutex_unlock(&nl_table_mutex);
	return err;
}

/* ---- socket operations ------------------------------------------------------ */

static int netlink_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct netlink_sock *nlk;

	if (!sk)
		return 0;
	nlk = nlk_sk(sk);
	mutex_lock(&nl_table_mutex);
	if (nlk->bound)
		list_del_init(&nlk->node);
	nlk->bound = false;
	mutex_unlock(&nl_table_mutex);
	sock_orphan(sk);
	sock->sk = NULL;
	sock_put(sk);
	return 0;
}

/* The checks Linux's netlink_bind makes on the address. */
static int netlink_check_addr(const struct sockaddr *addr, int addrlen)
{
	if (addrlen < (int)sizeof(struct sockaddr_nl))
		return -EINVAL;
	if (addr->sa_family != AF_NETLINK)
		return -EINVAL;
	return 0;
}

static int netlink_bind(struct socket *sock, struct sockaddr *addr, int addrlen)
{
	struct netlink_sock *nlk = nlk_sk(sock->sk);
	const struct sockaddr_nl *nladdr = (const void *)addr;
	int err;

	err = netlink_check_addr(addr, addrlen);
	if (err)
		return err;
	mutex_lock(&nl_table_mutex);
	if (nlk->bound) {
		if (nladdr->nl_pid != nlk->portid)
			err = -EINVAL;
	} else if (nladdr->nl_pid) {
		err = __netlink_insert(nlk, nladdr->nl_pid);
	} else {
		err = __netlink_autobind(nlk);
	}
	if (!err)
		nlk->groups = nladdr->nl_groups;
	mutex_unlock(&nl_table_mutex);
	return err;
}

static int netlink_connect(struct socket *sock, struct sockaddr *addr,
			   int addrlen, int flags)
{
	struct netlink_sock *nlk = nlk_sk(sock->sk);
	const struct sockaddr_nl *nladdr = (const void *)addr;

	if (addrlen < (int)sizeof(addr->sa_family))
		return -EINVAL;
	if (addr->sa_family == AF_UNSPEC) {
		sock->state = SS_UNCONNECTED;
		mutex_lock(&nl_table_mutex);
		nlk->dst_portid = nlk->dst_group = 0;
		mutex_unlock(&nl_table_mutex);
		return 0;
	}
	if (netlink_check_addr(addr, addrlen))
		return -EINVAL;
	if (nladdr->nl_groups && !capable(CAP_NET_ADMIN))
		return -EPERM;
	if (netlink_autobind(nlk))
		return -ENOMEM;
	sock->state = SS_CONNECTED;
	mutex_lock(&nl_table_mutex);
	nlk->dst_portid = nladdr->nl_pid;
	nlk->dst_group = group_from_mask(nladdr->nl_groups);
	mutex_unlock(&nl_table_mutex);
	return 0;
}

static int netlink_getname(struct socket *sock, struct sockaddr *addr, int peer)
{
	struct netlink_sock *nlk = nlk_sk(sock->sk);
	struct sockaddr_nl *nladdr = (struct sockaddr_nl *)addr;

	memset(nladdr, 0, sizeof(*nladdr));
	nladdr->nl_family = AF_NETLINK;
	mutex_lock(&nl_table_mutex);
	if (peer) {
		nladdr->nl_pid = nlk->dst_portid;
		nladdr->nl_groups = group_mask(nlk->dst_group);
	} else {
		nladdr->nl_pid = nlk->bound ? nlk->portid : 0;
		nladdr->nl_groups = nlk->groups;
	}
	mutex_unlock(&nl_table_mutex);
	return sizeof(*nladdr);
}

static int netlink_setsockopt(struct socket *sock, int level, int optname,
			      const void __user *optval, unsigned int optlen)
{
	struct netlink_sock *nlk = nlk_sk(sock->sk);
	unsigned int val;

	if (level != SOL_NETLINK)
		return -ENOPROTOOPT;
	if (optlen < sizeof(int))
		return -EINVAL;
	if (get_user(val, (const unsigned int __user *)optval))
		return -EFAULT;
	switch (optname) {
	case NETLINK_ADD_MEMBERSHIP:
	case NETLINK_DROP_MEMBERSHIP:
		if (val < 1 || val > NETLINK_GROUPS)
			return -EINVAL;
		if (netlink_autobind(nlk))
			return -ENOMEM;
		mutex_lock(&nl_table_mutex);
		if (optname == NETLINK_ADD_MEMBERSHIP)
			nlk->groups |= group_mask(val);
		else
			nlk->groups &= ~group_mask(val);
		mutex_unlock(&nl_table_mutex);
		return 0;
	case NETLINK_NO_ENOBUFS:
		WRITE_ONCE(nlk->no_enobufs, val != 0);
		return 0;
	}
	return -ENOPROTOOPT;
}

/* ---- delivery ------------------------------------------------------------------ */

/* @nlk could not take a message: mark it, once, with ENOBUFS. */
static void netlink_overrun(struct netlink_sock *nlk)
{
	unsigned long flags;
	bool first;

	atomic_inc(&nlk->sk.sk_drops);
	if (READ_ONCE(nlk->no_enobufs))
		return;
	spin_lock_irqsave(&nlk->sk.sk_lock, flags);
	first = !nlk->congested;
	nlk->congested = true;
	spin_unlock_irqrestore(&nlk->sk.sk_lock, flags);
	if (first)
		sk_set_error(&nlk->sk, ENOBUFS);
}

/* Queue a copy of @skb on @nlk: 0, or -ENOBUFS (lost). */
static int netlink_deliver(struct netlink_sock *nlk, const struct sk_buff *skb)
{
	struct sk_buff *copy;

	if (READ_ONCE(nlk->congested))
		goto out_overrun;
	copy = skb_copy(skb, GFP_KERNEL);
	if (!copy)
		goto out_overrun;
	if (sock_queue_rcv_skb(&nlk->sk, copy)) {
		kfree_skb(copy);
		goto out_overrun;
	}
	return 0;

out_overrun:
	netlink_overrun(nlk);
	return -ENOBUFS;
}

int netlink_broadcast(int protocol, struct sk_buff *skb, u32 portid, u32 group)
{
	struct netlink_sock *nlk;
	bool delivered = false, lost = false;

	if (protocol < 0 || protocol >= MAX_LINKS || group < 1 ||
	    group > NETLINK_GROUPS) {
		kfree_skb(skb);
		return -EINVAL;
	}
	NETLINK_CB(skb).dst_group = group;
	mutex_lock(&nl_table_mutex);
	if (!nl_table_ready) /* a boot-time event: no socket exists yet */
		goto out_unlock;
	list_for_each_entry(nlk, &nl_table[protocol], node) {
		if ((portid && nlk->portid == portid) ||
		    !(nlk->groups & group_mask(group)))
			continue;
		if (netlink_deliver(nlk, skb))
			lost = true;
		else
			delivered = true;
	}
out_unlock:
	mutex_unlock(&nl_table_mutex);
	kfree_skb(skb);
	if (lost)
		return -ENOBUFS;
	return delivered ? 0 : -ESRCH;
}

bool netlink_has_listeners(int protocol, u32 group)
{
	struct netlink_sock *nlk;
	bool ret = false;

	if (protocol < 0 || protocol >= MAX_LINKS)
		return false;
	mutex_lock(&nl_table_mutex);
	if (nl_table_ready)
		list_for_each_entry(nlk, &nl_table[protocol], node)
			if (nlk->groups & group_mask(group)) {
				ret = true;
				break;
			}
	mutex_unlock(&nl_table_mutex);
	return ret;
}

/* To one port: -ECONNREFUSED if nobody is bound there, -EAGAIN if its
 * queue is full (a sender never waits here). Consumes @skb. */
static int netlink_unicast(int protocol, struct sk_buff *skb, u32 portid)
{
	struct netlink_sock *nlk;
	int err = -ECONNREFUSED;

	mutex_lock(&nl_table_mutex);
	nlk = __netlink_lookup(protocol, portid);
	if (nlk) {
		err = sock_queue_rcv_skb(&nlk->sk, skb) ? -EAGAIN : 0;
		if (!err)
			skb = NULL;
	}
	mutex_unlock(&nl_table_mutex);
	kfree_skb(skb);
	return err;
}

/* Where a send goes: @msg's address, else the connect() default. */
static int netlink_dest(struct netlink_sock *nlk, const struct msghdr *msg,
			u32 *portid, u32 *group)
{
	const struct sockaddr_nl *addr = msg->msg_name;

	mutex_lock(&nl_table_mutex);
	*portid = nlk->dst_portid;
	*group = nlk->dst_group;
	mutex_unlock(&nl_table_mutex);
	if (msg->msg_namelen) {
		if (netlink_check_addr(msg->msg_name, msg->msg_namelen))
			return -EINVAL;
		*portid = addr->nl_pid;
		*group = group_from_mask(addr->nl_groups);
	}
	if ((*portid || *group) && !capable(CAP_NET_ADMIN))
		return -EPERM;
	return 0;
}

/* A buffer holding @len bytes from @msg, sent by the current process. */
static struct sk_buff *netlink_user_skb(struct netlink_sock *nlk,
					struct msghdr *msg, size_t len,
					int *err)
{
	const struct cred *cred = current_cred();
	struct sk_buff *skb = alloc_skb((unsigned int)len, GFP_KERNEL);

	*err = -ENOBUFS;
	if (!skb)
		return NULL;
	*err = -EFAULT;
	if (copy_from_iter(skb->data, len, &msg->msg_iter) != len) {
		kfree_skb(skb);
		return NULL;
	}
	skb->creds.pid = (u32)current->tgid;
	skb->creds.uid = cred->euid;
	skb->creds.gid = cred->egid;
	NETLINK_CB(skb).portid = nlk->portid;
	*err = 0;
	return skb;
}

static int netlink_sendmsg(struct socket *sock, struct msghdr *msg, size_t len)
{
	struct netlink_sock *nlk = nlk_sk(sock->sk);
	int protocol = sock->sk->sk_protocol, err;
	struct sk_buff *skb;
	u32 portid, group;

	if (msg->msg_flags & MSG_OOB)
		return -EOPNOTSUPP;
	err = netlink_dest(nlk, msg, &portid, &group);
	if (err)
		return err;
	if (netlink_autobind(nlk))
		return -ENOMEM;
	if (len > (size_t)READ_ONCE(sock->sk->sk_sndbuf) - NETLINK_SNDBUF_SLACK)
		return -EMSGSIZE;
	skb = netlink_user_skb(nlk, msg, len, &err);
	if (!skb)
		return err;
	if (group)
		netlink_broadcast(protocol, skb_get(skb), nlk->portid, group);
	if (!portid) { /* the kernel: this protocol takes no input */
		kfree_skb(skb);
		return (int)len;
	}
	err = netlink_unicast(protocol, skb, portid);
	return err ? err : (int)len;
}

/* The queue is drained: a congested socket may receive again. */
static void netlink_rcv_wake(struct netlink_sock *nlk)
{
	unsigned long flags;

	if (!skb_queue_empty(&nlk->sk.sk_receive_queue))
		return;
	spin_lock_irqsave(&nlk->sk.sk_lock, flags);
	nlk->congested = false;
	spin_unlock_irqrestore(&nlk->sk.sk_lock, flags);
}

/* Fill msg_name with the sender's address. */
static void netlink_put_name(struct msghdr *msg, const struct sk_buff *skb)
{
	struct sockaddr_nl *addr = msg->msg_name;

	if (!addr)
		return;
	memset(addr, 0, sizeof(*addr));
	addr->nl_family = AF_NETLINK;
	addr->nl_pid = NETLINK_CB(skb).portid;
	addr->nl_groups = group_mask(NETLINK_CB(skb).dst_group);
	msg->msg_namelen = sizeof(*addr);
}

static int netlink_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
			   int flags)
{
	struct netlink_sock *nlk = nlk_sk(sock->sk);
	struct sk_buff *skb;
	size_t copied = 0;
	int err;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	skb = skb_recv_datagram(sock->sk, (unsigned int)flags, &err);
	if (!skb)
		goto out;
	copied = skb->len;
	if (len < copied) {
		msg->msg_flags |= MSG_TRUNC;
		copied = len;
	}
	err = skb_copy_datagram_msg(skb, msg, copied);
	netlink_put_name(msg, skb);
	if (!err)
		scm_recv_creds(sock, msg, &skb->creds); /* cannot fail */
	if (flags & MSG_TRUNC)
		copied = skb->len;
	kfree_skb(skb);
out:
	netlink_rcv_wake(nlk);
	return err ? err : (int)copied;
}

static const struct proto_ops netlink_ops = {
	.family = AF_NETLINK,
	.release = netlink_release,
	.bind = netlink_bind,
	.connect = netlink_connect,
	.getname = netlink_getname,
	.setsockopt = netlink_setsockopt,
	.sendmsg = netlink_sendmsg,
	.recvmsg = netlink_recvmsg,
};

/* The protocols this kernel provides. */
static bool netlink_protocol_known(int protocol)
{
	return protocol == NETLINK_KOBJECT_UEVENT;
}

static int netlink_create(struct socket *sock, int protocol, int kern)
{
	struct netlink_sock *nlk;
	struct sock *sk;

	if (sock->type != SOCK_RAW && sock->type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	if (protocol < 0 || protocol >= MAX_LINKS ||
	    !netlink_protocol_known(protocol))
		return -EPROTONOSUPPORT;
	sk = sk_alloc(AF_NETLINK, sock->type, protocol, sizeof(*nlk));
	if (!sk)
		return -ENOMEM;
	nlk = nlk_sk(sk);
	INIT_LIST_HEAD(&nlk->node);
	sock->ops = &netlink_ops;
	sock_init_data(sock, sk);
	return 0;
}

static const struct net_proto_family netlink_family_ops = {
	.family = PF_NETLINK,
	.create = netlink_create,
};

/* AF_NETLINK at boot: its tables, then the family (a core_initcall). */
static int netlink_proto_init(void)
{
	unsigned int i;

	mutex_lock(&nl_table_mutex);
	for (i = 0; i < MAX_LINKS; i++)
		INIT_LIST_HEAD(&nl_table[i]);
	nl_table_ready = true;
	mutex_unlock(&nl_table_mutex);
	return sock_register(&netlink_family_ops);
}
core_initcall(netlink_proto_init);
