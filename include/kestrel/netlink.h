/*
 * AF_NETLINK: datagram sockets between the kernel and processes
 * (net/netlink/af_netlink.c; docs/netlink.md).
 *
 * Each protocol (NETLINK_KOBJECT_UEVENT is the one Kestrel has) is its
 * own address space of ports: a socket binds to a port id (nl_pid;
 * its process's tgid by default) and may join up to 32 multicast groups
 * (nl_groups, a bitmask). The kernel is port 0. A kernel subsystem
 * sends to every member of a group with netlink_broadcast(); each
 * receiver has its own bounded queue, and a receiver that falls behind
 * loses messages and is told so once with ENOBUFS.
 *
 * Each buffer carries, in its control block, the sender's port and the
 * group it was sent to: what recvmsg() reports in msg_name.
 */
#ifndef _KESTREL_NETLINK_H
#define _KESTREL_NETLINK_H

#include <kestrel/skbuff.h>
#include <kestrel/types.h>
#include <uapi/netlink.h>

/* What a netlink buffer's control block holds. */
struct netlink_skb_parms {
	u32 portid; /* the sender's port; 0 for the kernel */
	u32 dst_group; /* the group number it went to (1-based), or 0 */
};

_Static_assert(sizeof(struct netlink_skb_parms) <= SKB_CB_SIZE,
	       "netlink control block fits in skb->cb");

#define NETLINK_CB(skb) (*(struct netlink_skb_parms *)&((skb)->cb))

/* Multicast groups per protocol: one bit each of nl_groups. */
#define NETLINK_GROUPS 32

/**
 * netlink_broadcast - give @skb to every socket of @protocol in @group
 * @protocol: NETLINK_*
 * @skb: the message; consumed. Its creds and NETLINK_CB(skb).portid say
 *       who sent it (zero: the kernel); dst_group is set here.
 * @portid: the sending socket's port, skipped; 0 for the kernel
 * @group: the group number, 1..NETLINK_GROUPS
 *
 * Each receiver gets a copy. A receiver whose queue is over its
 * SO_RCVBUF (or that is still congested from an earlier overflow) loses
 * this message, and its next receive fails once with ENOBUFS.
 * Returns 0 if someone got it, -ESRCH if nobody listens, -ENOBUFS if
 * some listener lost it. Context: process; may sleep.
 */
int netlink_broadcast(int protocol, struct sk_buff *skb, u32 portid, u32 group);

/* Is anyone in @group of @protocol? Context: process. */
bool netlink_has_listeners(int protocol, u32 group);

#endif /* _KESTREL_NETLINK_H */
