/*
 * eventfd: a 64-bit counter behind a file descriptor (fs/eventfd.c).
 *
 * User space reads it (8 bytes: the count, which is reset, or 1 with
 * EFD_SEMAPHORE, which is taken off) and writes to it (adds); poll sees
 * POLLIN while it is not 0 and POLLOUT while one more can be added. The
 * kernel adds with eventfd_signal(), from any context: the AIO layer
 * signals one per completed request that asked (IOCB_FLAG_RESFD).
 */
#ifndef _KESTREL_EVENTFD_H
#define _KESTREL_EVENTFD_H

#include <kestrel/types.h>

/* eventfd2() flags: Linux's values (O_CLOEXEC, O_NONBLOCK, 1). */
#define EFD_SEMAPHORE 00000001
#define EFD_CLOEXEC 02000000
#define EFD_NONBLOCK 00004000

/* The largest count: a write that would pass it waits. */
#define EVENTFD_MAX 0xfffffffffffffffeULL

struct eventfd_ctx;
struct file;

/* The counter behind @fd, referenced: -EBADF, or -EINVAL if @fd is not
 * an eventfd. Process context. */
struct eventfd_ctx *eventfd_ctx_fdget(int fd);
/* Drop a reference from eventfd_ctx_fdget(). Process context. */
void eventfd_ctx_put(struct eventfd_ctx *ctx);
/* Add @n (saturating at EVENTFD_MAX) and wake readers. Any context. */
void eventfd_signal(struct eventfd_ctx *ctx, u64 n);

#endif /* _KESTREL_EVENTFD_H */
