/*
 * Native asynchronous I/O (fs/aio.c; docs/aio.md): io_setup, io_submit,
 * io_getevents, io_cancel, io_destroy, as Linux has them.
 *
 * A context is a ring of completion events mapped into the process; its
 * user address is the context's id. The header below is ABI: libaio
 * reads head, tail and nr from user space and consumes events without
 * a system call when magic and incompat_features are what it expects.
 */
#ifndef _KESTREL_AIO_H
#define _KESTREL_AIO_H

#include <kestrel/types.h>
#include <uapi/aio_abi.h>

#define AIO_RING_MAGIC 0xa10a10a1
#define AIO_RING_COMPAT_FEATURES 1
#define AIO_RING_INCOMPAT_FEATURES 0

/* The first 32 bytes of the ring's first page; io_events follow. */
struct aio_ring {
	u32 id; /* the context's id, its user address (Linux: its slot in
		 * the mm's table; nothing in user space reads it) */
	u32 nr; /* event slots */
	u32 head; /* next to consume: written by io_getevents or user space */
	u32 tail; /* next to fill: written by the kernel */
	u32 magic;
	u32 compat_features;
	u32 incompat_features;
	u32 header_length; /* sizeof(struct aio_ring) */
	struct io_event io_events[];
};
_Static_assert(sizeof(struct aio_ring) == 32, "struct aio_ring");

/* /proc/sys/fs/aio-nr (event slots asked for by all contexts) and
 * aio-max-nr (their ceiling: io_setup fails with EAGAIN past it). */
extern int aio_nr;
extern int aio_max_nr;

struct mm_struct;

/* The address space's last user has gone: destroy its contexts, after
 * their requests in flight complete. Called by mmput(). May sleep. */
void exit_aio(struct mm_struct *mm);

#endif /* _KESTREL_AIO_H */
