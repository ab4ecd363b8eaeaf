/*
 * poll() and ppoll() as the Linux i386 ABI defines them: struct pollfd and
 * the event bits (x86 uses Linux's include/uapi/asm-generic/poll.h values).
 * Facts of the ABI that must not change.
 */
#ifndef _UAPI_POLL_H
#define _UAPI_POLL_H

#define POLLIN 0x0001
#define POLLPRI 0x0002
#define POLLOUT 0x0004
#define POLLERR 0x0008 /* always reported */
#define POLLHUP 0x0010 /* always reported */
#define POLLNVAL 0x0020 /* fd not open; always reported */
#define POLLRDNORM 0x0040
#define POLLRDBAND 0x0080
#define POLLWRNORM 0x0100
#define POLLWRBAND 0x0200
#define POLLMSG 0x0400
#define POLLREMOVE 0x1000
#define POLLRDHUP 0x2000

struct pollfd {
	int fd; /* negative: ignored, revents 0 */
	short events;
	short revents;
};
_Static_assert(sizeof(struct pollfd) == 8, "struct pollfd");

#endif /* _UAPI_POLL_H */
