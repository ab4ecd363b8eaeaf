/*
 * Sockets as the Linux i386 ABI defines them: address families, socket
 * types and their creation flags, SOL_SOCKET options (x86 uses the generic
 * numbers, with 32-bit SO_RCVTIMEO/SO_SNDTIMEO as _OLD), the socketcall()
 * (102) sub-call numbers, and the user layouts of struct msghdr, cmsghdr,
 * sockaddr, sockaddr_un, ucred and linger. From Linux's
 * include/linux/socket.h, include/uapi/asm-generic/socket.h,
 * include/uapi/linux/net.h and linux/un.h; facts of the ABI that must not
 * change.
 */
#ifndef _UAPI_SOCKET_H
#define _UAPI_SOCKET_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>
#include <uapi/fcntl.h>
#include <uapi/uio.h>

typedef u16 sa_family_t;

/* Address (and protocol) families. */
#define AF_UNSPEC 0
#define AF_UNIX 1
#define AF_LOCAL AF_UNIX
#define AF_INET 2
#define AF_INET6 10
#define AF_NETLINK 16
#define AF_ROUTE AF_NETLINK
#define AF_PACKET 17
#define AF_MAX 46
#define PF_UNSPEC AF_UNSPEC
#define PF_UNIX AF_UNIX
#define PF_LOCAL AF_LOCAL
#define PF_INET AF_INET
#define PF_INET6 AF_INET6
#define PF_NETLINK AF_NETLINK
#define PF_PACKET AF_PACKET

/* Socket types, with creation flags or-ed in. */
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_RAW 3
#define SOCK_RDM 4
#define SOCK_SEQPACKET 5
#define SOCK_DCCP 6
#define SOCK_PACKET 10
#define SOCK_TYPE_MASK 0xf
#define SOCK_CLOEXEC O_CLOEXEC
#define SOCK_NONBLOCK O_NONBLOCK

/* socketcall() sub-calls: socketcall(call, unsigned long args[]). */
#define SYS_SOCKET 1
#define SYS_BIND 2
#define SYS_CONNECT 3
#define SYS_LISTEN 4
#define SYS_ACCEPT 5
#define SYS_GETSOCKNAME 6
#define SYS_GETPEERNAME 7
#define SYS_SOCKETPAIR 8
#define SYS_SEND 9
#define SYS_RECV 10
#define SYS_SENDTO 11
#define SYS_RECVFROM 12
#define SYS_SHUTDOWN 13
#define SYS_SETSOCKOPT 14
#define SYS_GETSOCKOPT 15
#define SYS_SENDMSG 16
#define SYS_RECVMSG 17
#define SYS_ACCEPT4 18
#define SYS_RECVMMSG 19
#define SYS_SENDMMSG 20

/* Option levels. */
#define SOL_SOCKET 1
#define SOL_IP 0
#define SOL_TCP 6
#define SOL_UDP 17

/* SOL_SOCKET options. */
#define SO_DEBUG 1
#define SO_REUSEADDR 2
#define SO_TYPE 3
#define SO_ERROR 4
#define SO_DONTROUTE 5
#define SO_BROADCAST 6
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define SO_KEEPALIVE 9
#define SO_OOBINLINE 10
#define SO_NO_CHECK 11
#define SO_PRIORITY 12
#define SO_LINGER 13
#define SO_BSDCOMPAT 14
#define SO_REUSEPORT 15
#define SO_PASSCRED 16
#define SO_PEERCRED 17
#define SO_RCVLOWAT 18
#define SO_SNDLOWAT 19
#define SO_RCVTIMEO_OLD 20
#define SO_SNDTIMEO_OLD 21
#define SO_RCVTIMEO SO_RCVTIMEO_OLD /* struct timeval, 32-bit */
#define SO_SNDTIMEO SO_SNDTIMEO_OLD
#define SO_BINDTODEVICE 25
#define SO_ATTACH_FILTER 26
#define SO_DETACH_FILTER 27
#define SO_PEERNAME 28
#define SO_TIMESTAMP_OLD 29
#define SO_TIMESTAMP SO_TIMESTAMP_OLD
#define SO_ACCEPTCONN 30
#define SO_PEERSEC 31
#define SO_SNDBUFFORCE 32
#define SO_RCVBUFFORCE 33
#define SO_PASSSEC 34
#define SO_TIMESTAMPNS_OLD 35
#define SO_MARK 36
#define SO_TIMESTAMPING_OLD 37
#define SO_PROTOCOL 38
#define SO_DOMAIN 39
#define SO_RXQ_OVFL 40
#define SO_PEEK_OFF 42
#define SO_BUSY_POLL 46
#define SO_INCOMING_CPU 49
#define SO_COOKIE 57
#define SO_PEERGROUPS 59
#define SO_ZEROCOPY 60
#define SO_BINDTOIFINDEX 62
#define SO_TIMESTAMP_NEW 63
#define SO_TIMESTAMPNS_NEW 64
#define SO_TIMESTAMPING_NEW 65
#define SO_RCVTIMEO_NEW 66
#define SO_SNDTIMEO_NEW 67

/* Control-message types at SOL_SOCKET. */
#define SCM_RIGHTS 0x01
#define SCM_CREDENTIALS 0x02

/* send/recv flags. */
#define MSG_OOB 0x1
#define MSG_PEEK 0x2
#define MSG_DONTROUTE 0x4
#define MSG_CTRUNC 0x8
#define MSG_PROBE 0x10
#define MSG_TRUNC 0x20
#define MSG_DONTWAIT 0x40
#define MSG_EOR 0x80
#define MSG_WAITALL 0x100
#define MSG_FIN 0x200
#define MSG_SYN 0x400
#define MSG_CONFIRM 0x800
#define MSG_RST 0x1000
#define MSG_ERRQUEUE 0x2000
#define MSG_NOSIGNAL 0x4000
#define MSG_MORE 0x8000
#define MSG_WAITFORONE 0x10000
#define MSG_CMSG_CLOEXEC 0x40000000

/* shutdown() how. */
#define SHUT_RD 0
#define SHUT_WR 1
#define SHUT_RDWR 2

/* listen() backlog cap. */
#define SOMAXCONN 4096

struct sockaddr {
	sa_family_t sa_family;
	char sa_data[14];
};
_Static_assert(sizeof(struct sockaddr) == 16, "struct sockaddr");

#define UNIX_PATH_MAX 108
struct sockaddr_un {
	sa_family_t sun_family; /* AF_UNIX */
	char sun_path[UNIX_PATH_MAX];
};
_Static_assert(sizeof(struct sockaddr_un) == 110, "struct sockaddr_un");

/* The largest address any family uses. */
struct __kernel_sockaddr_storage {
	union {
		struct {
			sa_family_t ss_family;
			char __data[126];
		};
		void *__align;
	};
};
_Static_assert(sizeof(struct __kernel_sockaddr_storage) == 128,
	       "sockaddr_storage");

/* glibc's struct msghdr: sendmsg()/recvmsg() as a 32-bit program passes it. */
struct user_msghdr {
	void __user *msg_name;
	int msg_namelen;
	struct iovec __user *msg_iov;
	size_t msg_iovlen;
	void __user *msg_control;
	size_t msg_controllen;
	unsigned int msg_flags;
};
_Static_assert(sizeof(struct user_msghdr) == 28, "i386 struct msghdr");

/* sendmmsg()/recvmmsg() entries. */
struct mmsghdr {
	struct user_msghdr msg_hdr;
	unsigned int msg_len;
};
_Static_assert(sizeof(struct mmsghdr) == 32, "i386 struct mmsghdr");

/* Ancillary data: a header, then data, each aligned to a long. */
struct cmsghdr {
	size_t cmsg_len; /* header included */
	int cmsg_level;
	int cmsg_type;
};
_Static_assert(sizeof(struct cmsghdr) == 12, "i386 struct cmsghdr");

#define CMSG_ALIGN(len) (((len) + sizeof(long) - 1) & ~(sizeof(long) - 1))

/* SCM_CREDENTIALS payload and SO_PEERCRED result. */
struct ucred {
	u32 pid;
	u32 uid;
	u32 gid;
};
_Static_assert(sizeof(struct ucred) == 12, "struct ucred");

struct linger {
	int l_onoff;
	int l_linger;
};
_Static_assert(sizeof(struct linger) == 8, "struct linger");

#endif /* _UAPI_SOCKET_H */
