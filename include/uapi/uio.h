/*
 * Scatter/gather I/O as the Linux i386 ABI defines it: struct iovec of
 * readv, writev, preadv, pwritev and IOCB_CMD_PREADV/PWRITEV, the limit
 * on the number of segments, and the RWF_* flags of preadv2/pwritev2 and
 * iocb.aio_rw_flags. Copied from Linux's include/uapi/linux/uio.h and
 * linux/fs.h; facts of the ABI that must not change.
 */
#ifndef _UAPI_UIO_H
#define _UAPI_UIO_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>

struct iovec {
	void __user *iov_base;
	size_t iov_len;
};
_Static_assert(sizeof(struct iovec) == 8, "i386 struct iovec");

#define UIO_FASTIOV 8 /* segments copied without an allocation */
#define UIO_MAXIOV 1024 /* more segments is EINVAL */

#define RWF_HIPRI 0x00000001
#define RWF_DSYNC 0x00000002
#define RWF_SYNC 0x00000004
#define RWF_NOWAIT 0x00000008
#define RWF_APPEND 0x00000010
#define RWF_NOAPPEND 0x00000020

#endif /* _UAPI_UIO_H */
