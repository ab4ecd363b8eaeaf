/*
 * Native AIO (io_setup, io_submit, io_getevents, io_cancel, io_destroy) as
 * the Linux i386 ABI defines it: the context handle, struct iocb, struct
 * io_event and the IOCB_CMD_* opcodes, including the vectored PREADV and
 * PWRITEV. Copied from Linux's include/uapi/linux/aio_abi.h; facts of the
 * ABI that must not change. Every pointer travels in a 64-bit field so the
 * layout is the same for 32- and 64-bit programs.
 */
#ifndef _UAPI_AIO_ABI_H
#define _UAPI_AIO_ABI_H

#include <kestrel/types.h>

/* The handle io_setup() returns: an unsigned long. */
typedef unsigned long aio_context_t;

enum {
	IOCB_CMD_PREAD = 0,
	IOCB_CMD_PWRITE = 1,
	IOCB_CMD_FSYNC = 2,
	IOCB_CMD_FDSYNC = 3,
	/* 4 was the experimental IOCB_CMD_PREADX. */
	IOCB_CMD_POLL = 5,
	IOCB_CMD_NOOP = 6,
	IOCB_CMD_PREADV = 7, /* aio_buf points to struct iovec[aio_nbytes] */
	IOCB_CMD_PWRITEV = 8,
};

/* aio_flags. */
#define IOCB_FLAG_RESFD (1 << 0) /* signal the eventfd in aio_resfd */
#define IOCB_FLAG_IOPRIO (1 << 1) /* aio_reqprio is an ioprio value */

/* One completion, as io_getevents() returns it. */
struct io_event {
	u64 data; /* the iocb's aio_data */
	u64 obj; /* user address of the iocb */
	s64 res; /* bytes transferred, or -errno */
	s64 res2;
};
_Static_assert(sizeof(struct io_event) == 32, "struct io_event");

/* One request, as io_submit() reads it (little-endian field order). */
struct iocb {
	u64 aio_data; /* returned in io_event.data */
	u32 aio_key; /* set by the kernel: KIOCB_KEY */
	s32 aio_rw_flags; /* RWF_* */
	u16 aio_lio_opcode; /* IOCB_CMD_* */
	s16 aio_reqprio;
	u32 aio_fildes;
	u64 aio_buf; /* user address of the buffer (or iovec array) */
	u64 aio_nbytes; /* byte count (or number of iovecs) */
	s64 aio_offset;
	u64 aio_reserved2;
	u32 aio_flags; /* IOCB_FLAG_* */
	u32 aio_resfd;
};
_Static_assert(sizeof(struct iocb) == 64, "struct iocb");
_Static_assert(__builtin_offsetof(struct iocb, aio_lio_opcode) == 16,
	       "struct iocb");
_Static_assert(__builtin_offsetof(struct iocb, aio_buf) == 24, "struct iocb");
_Static_assert(__builtin_offsetof(struct iocb, aio_flags) == 56, "struct iocb");

#endif /* _UAPI_AIO_ABI_H */
