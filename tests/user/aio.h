/*
 * Native AIO for the tier-3 test programs, through the raw system calls
 * (no libaio): the wrappers, the ring header as libaio reads it, and an
 * iocb filler. Shared by t_aio.c (a tmpfs file: every request completes
 * inside io_submit) and t_aio_direct.c (a block device with O_DIRECT:
 * requests in flight).
 */
#ifndef _TESTS_USER_AIO_H
#define _TESTS_USER_AIO_H

#include <linux/aio_abi.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* The ring header as libaio reads it (the context id is its address). */
struct aio_ring {
	unsigned id, nr, head, tail;
	unsigned magic, compat_features, incompat_features, header_length;
	struct io_event io_events[];
};

static inline long io_setup(unsigned nr, aio_context_t *ctx)
{
	return syscall(SYS_io_setup, nr, ctx);
}

static inline long io_destroy(aio_context_t ctx)
{
	return syscall(SYS_io_destroy, ctx);
}

static inline long io_submit(aio_context_t ctx, long nr, struct iocb **iocbs)
{
	return syscall(SYS_io_submit, ctx, nr, iocbs);
}

static inline long io_getevents(aio_context_t ctx, long min, long nr,
				struct io_event *ev, struct timespec *ts)
{
	return syscall(SYS_io_getevents, ctx, min, nr, ev, ts);
}

static inline long io_cancel(aio_context_t ctx, struct iocb *iocb,
			     struct io_event *ev)
{
	return syscall(SYS_io_cancel, ctx, iocb, ev);
}

/* Fill @cb for one request; @buf is the buffer or the iovec array,
 * @nbytes its length or the number of iovecs. */
static inline void prep(struct iocb *cb, int op, int fd, const void *buf,
			size_t nbytes, long long off, uint64_t data)
{
	memset(cb, 0, sizeof(*cb));
	cb->aio_lio_opcode = op;
	cb->aio_fildes = fd;
	cb->aio_buf = (uintptr_t)buf;
	cb->aio_nbytes = nbytes;
	cb->aio_offset = off;
	cb->aio_data = data;
}

/* Events posted and not consumed, as libaio's fast path sees them. */
static inline unsigned ring_pending(const struct aio_ring *ring)
{
	unsigned tail = __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE);

	return (tail + ring->nr - ring->head) % ring->nr;
}

#endif /* _TESTS_USER_AIO_H */
