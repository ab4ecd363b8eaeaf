/*
 * Vectored I/O: iovecs and the iterator that copies into and out of them.
 *
 * A read or write is described by an array of segments. struct iovec is
 * the user's view (the layout readv(2) passes in); its bases are user
 * pointers. struct kvec has the same layout with kernel pointers, for I/O
 * the kernel does on its own behalf (initramfs, exec, the ktests).
 *
 * struct iov_iter walks such an array: how many bytes remain, in which
 * segment, at which offset. Filesystems never look at the segments
 * themselves; they call copy_to_iter()/copy_from_iter() with page-sized
 * chunks, and the iterator picks memcpy() for ITER_KVEC and
 * copy_to_user()/raw_copy_from_user() for ITER_UVEC. That is what lets one
 * aio_read() method serve read(), readv(), pread64() and the kernel's own
 * reads (see fs/read_write.c and docs/vfs.md).
 *
 * Every array of segments a user passes (readv, writev, preadv, pwritev,
 * sendmsg, recvmsg) and every single buffer of send and recv is read in
 * and checked by import_iovec() / import_single_range(), with Linux's
 * rules in Linux's order:
 *
 *   more than UIO_MAXIOV segments                    EINVAL
 *   a length negative as an ssize_t, or a total
 *   that does not fit in one                         EINVAL
 *   a segment not wholly in user space               EFAULT
 *   a total above MAX_RW_COUNT                       clamped to it
 *
 * (every length is checked before any address: an array with both faults
 * is EINVAL).
 */
#ifndef _KESTREL_UIO_H
#define _KESTREL_UIO_H

#include <asm/page.h>
#include <kestrel/compiler.h>
#include <kestrel/types.h>
#include <uapi/uio.h> /* struct iovec, UIO_MAXIOV, UIO_FASTIOV */

/*
 * The most bytes one read or write moves (Linux's MAX_RW_COUNT): the
 * largest page multiple whose count still fits in the int an i386
 * system call returns.
 */
#define MAX_RW_COUNT (0x7fffffffL & PAGE_MASK)

/* One segment of a kernel buffer: struct iovec with a kernel pointer. */
struct kvec {
	void *iov_base;
	size_t iov_len;
};

_Static_assert(sizeof(struct iovec) == sizeof(struct kvec),
	       "kvec and iovec share a layout");

/* What the bases of an iterator's segments point at. */
enum iter_type {
	ITER_UVEC, /* user memory: copy_{to,from}_user, may fault */
	ITER_KVEC, /* kernel memory: memcpy */
};

/*
 * A position in an array of segments. The array itself is not copied:
 * it must outlive the iterator. Owned by whoever declared it; no lock.
 */
struct iov_iter {
	enum iter_type type;
	size_t iov_offset; /* bytes of *iov already consumed */
	size_t count; /* bytes left in the whole iterator */
	union {
		const struct iovec *iov; /* ITER_UVEC */
		const struct kvec *kvec; /* ITER_KVEC */
	};
	unsigned long nr_segs; /* segments left, the current one included */
};

/**
 * iov_iter_init - start an iterator over @nr_segs segments
 * @i: the iterator
 * @type: ITER_UVEC or ITER_KVEC: what the bases point at
 * @iov: the segments (for ITER_KVEC, an array of struct kvec cast to
 *       struct iovec: the layouts are the same)
 * @nr_segs: number of segments
 * @count: total bytes to move (at most the sum of the lengths)
 */
void iov_iter_init(struct iov_iter *i, enum iter_type type,
		   const struct iovec *iov, unsigned long nr_segs,
		   size_t count);

/* iov_iter_init() over kernel segments. */
void iov_iter_kvec(struct iov_iter *i, const struct kvec *kvec,
		   unsigned long nr_segs, size_t count);

/**
 * copy_to_iter - copy @bytes from kernel memory into the iterator
 * @addr: source
 * @bytes: how many; at most iov_iter_count(@i) are copied
 * @i: destination; advanced by what was copied
 *
 * Returns the bytes copied: fewer than asked when the iterator ends or a
 * user page faults (the caller turns 0 into -EFAULT).
 * Context: process for ITER_UVEC (may fault and sleep); any for KVEC.
 */
size_t copy_to_iter(const void *addr, size_t bytes, struct iov_iter *i);

/*
 * The reverse of copy_to_iter(): from the iterator into @addr. After a
 * short copy the bytes of @addr past the count returned are unchanged
 * (never zeroed), so @addr may be live data: a file's page.
 */
size_t copy_from_iter(void *addr, size_t bytes, struct iov_iter *i);

/* copy_to_iter() of @bytes zeros (holes of sparse files). */
size_t iov_iter_zero(size_t bytes, struct iov_iter *i);

/* Skip @bytes of the iterator. */
void iov_iter_advance(struct iov_iter *i, size_t bytes);

static inline size_t iov_iter_count(const struct iov_iter *i)
{
	return i->count;
}

/* Move at most @count more bytes: a write cut short at a size limit. */
static inline void iov_iter_truncate(struct iov_iter *i, u64 count)
{
	if (i->count > count)
		i->count = count;
}

/*
 * iov_length - the sum of the segment lengths; the caller has checked
 * (iovec_total) that it does not overflow.
 */
size_t iov_length(const struct iovec *iov, unsigned long nr_segs);

/* ---- checking what a user passed ---------------------------------------- */

/**
 * iovec_total - the checked total length of a segment array
 *
 * Returns the sum of the lengths, or -EINVAL for more than UIO_MAXIOV
 * segments, a length negative as an ssize_t, or a sum that does not fit
 * in one. The bases are not looked at, so kernel segments (struct kvec
 * cast to struct iovec) are checked the same way.
 */
ssize_t iovec_total(const struct iovec *iov, unsigned long nr_segs);

/*
 * iovec_total() of a kernel copy of a user array, then every segment
 * inside user space: 0, -EINVAL or -EFAULT (lengths first, as Linux).
 */
int iovec_check(const struct iovec *iov, unsigned long nr_segs);

/**
 * import_iovec - copy in and check a user's array of segments
 * @uvec: the user's array
 * @nr_segs: its length
 * @fast: UIO_FASTIOV segments of the caller's, used when they suffice
 * @iovp: set to the kernel copy: @fast or a kmalloc'd array (kfree it
 *        unless it is @fast); NULL on error, with nothing to free
 *
 * Returns the total length, clamped to MAX_RW_COUNT, or -EINVAL (see
 * the table above), -EFAULT, -ENOMEM. Process context.
 */
ssize_t import_iovec(const struct iovec __user *uvec, unsigned long nr_segs,
		     struct iovec *fast, struct iovec **iovp);

/**
 * import_single_range - one user buffer as a one-segment iterator
 * @buf, @len: the buffer (send, recv and their kin)
 * @iov: the caller's segment, which the iterator @i points at
 *
 * Checked as one segment of import_iovec(): 0, -EINVAL, -EFAULT; the
 * iterator's count is clamped to MAX_RW_COUNT.
 */
int import_single_range(void __user *buf, size_t len, struct iovec *iov,
			struct iov_iter *i);

#endif /* _KESTREL_UIO_H */
