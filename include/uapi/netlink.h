/*
 * AF_NETLINK sockets as the Linux i386 ABI defines them: the address
 * struct sockaddr_nl, the message header struct nlmsghdr, protocol numbers
 * (NETLINK_KOBJECT_UEVENT is the device-event channel udev/mdev listen on)
 * and the NLM_F_/NLMSG_ constants. From Linux's
 * include/uapi/linux/netlink.h; facts of the ABI that must not change.
 */
#ifndef _UAPI_NETLINK_H
#define _UAPI_NETLINK_H

#include <kestrel/types.h>

#define NETLINK_ROUTE 0
#define NETLINK_USERSOCK 2
#define NETLINK_SOCK_DIAG 4
#define NETLINK_AUDIT 9
#define NETLINK_NETFILTER 12
#define NETLINK_KOBJECT_UEVENT 15
#define NETLINK_GENERIC 16
#define MAX_LINKS 32

struct sockaddr_nl {
	u16 nl_family; /* AF_NETLINK */
	unsigned short nl_pad; /* zero */
	u32 nl_pid; /* port id; 0 is the kernel */
	u32 nl_groups; /* multicast group mask */
};
_Static_assert(sizeof(struct sockaddr_nl) == 12, "struct sockaddr_nl");

struct nlmsghdr {
	u32 nlmsg_len; /* header included */
	u16 nlmsg_type;
	u16 nlmsg_flags; /* NLM_F_* */
	u32 nlmsg_seq;
	u32 nlmsg_pid;
};
_Static_assert(sizeof(struct nlmsghdr) == 16, "struct nlmsghdr");

#define NLM_F_REQUEST 0x01
#define NLM_F_MULTI 0x02
#define NLM_F_ACK 0x04
#define NLM_F_ECHO 0x08
#define NLM_F_DUMP_INTR 0x10
#define NLM_F_DUMP_FILTERED 0x20
#define NLM_F_ROOT 0x100
#define NLM_F_MATCH 0x200
#define NLM_F_ATOMIC 0x400
#define NLM_F_DUMP (NLM_F_ROOT | NLM_F_MATCH)
#define NLM_F_REPLACE 0x100
#define NLM_F_EXCL 0x200
#define NLM_F_CREATE 0x400
#define NLM_F_APPEND 0x800

#define NLMSG_ALIGNTO 4U
#define NLMSG_ALIGN(len) (((len) + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1))
#define NLMSG_HDRLEN ((int)NLMSG_ALIGN(sizeof(struct nlmsghdr)))
#define NLMSG_LENGTH(len) ((len) + NLMSG_HDRLEN)
#define NLMSG_SPACE(len) NLMSG_ALIGN(NLMSG_LENGTH(len))

#define NLMSG_NOOP 0x1
#define NLMSG_ERROR 0x2
#define NLMSG_DONE 0x3
#define NLMSG_OVERRUN 0x4
#define NLMSG_MIN_TYPE 0x10

struct nlmsgerr {
	int error; /* -errno, or 0 for an ACK */
	struct nlmsghdr msg;
};

/* setsockopt(SOL_NETLINK, ...) options. */
#define SOL_NETLINK 270
#define NETLINK_ADD_MEMBERSHIP 1
#define NETLINK_DROP_MEMBERSHIP 2
#define NETLINK_PKTINFO 3
#define NETLINK_BROADCAST_ERROR 4
#define NETLINK_NO_ENOBUFS 5

#endif /* _UAPI_NETLINK_H */
