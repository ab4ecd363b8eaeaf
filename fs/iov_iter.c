/*
 * The iov_iter: copying between a kernel buffer and an array of segments
 * (see <kestrel/uio.h>).
 *
 * Both directions share one walk, iterate_segments(): take the current
 * segment from iov_offset on, copy what fits, step to the next segment
 * when this one is used up. The copy is memcpy() for kernel segments and
 * copy_to_user() / raw_copy_from_user() for user segments; a user copy
 * that stops short (a fault) ends the walk, and the caller sees a short
 * count.
 *
 * A short copy from the iterator changes exactly the bytes it reports:
 * the rest of the destination keeps what it held. That is why the
 * from-user side is raw_copy_from_user() and not copy_from_user(),
 * which zeroes the uncopied tail: the destination is usually a file's
 * page or a pipe's ring, and zeroing it would turn a write with a bad
 * buffer (EFAULT, or a short count) into lost data.
 *
 * The user's arrays are checked here too, once for every system call
 * that takes one (import_iovec, import_single_range; the rules are in
 * <kestrel/uio.h>).
 *
 * An iterator belongs to the caller that declared it: no locking.
 */
#include <asm/page.h>
#include <kestrel/errno.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/uaccess.h>
#include <kestrel/uio.h>

#include "internal.h"

const char empty_zero_page_buf[PAGE_SIZE] __aligned(PAGE_SIZE);

enum copy_dir { TO_ITER, FROM_ITER };

void iov_iter_init(struct iov_iter *i, enum iter_type type,
		   const struct iovec *iov, unsigned long nr_segs, size_t count)
{
	i->type = type;
	i->iov = iov;
	i->nr_segs = nr_segs;
	i->iov_offset = 0;
	i->count = count;
}

void iov_iter_kvec(struct iov_iter *i, const struct kvec *kvec,
		   unsigned long nr_segs, size_t count)
{
	iov_iter_init(i, ITER_KVEC, (const struct iovec *)kvec, nr_segs, count);
}

size_t iov_length(const struct iovec *iov, unsigned long nr_segs)
{
	size_t len = 0;
	unsigned long seg;

	for (seg = 0; seg < nr_segs; seg++)
		len += iov[seg].iov_len;
	return len;
}

/* Copy @len bytes between @buf and the segment base @seg; the bytes moved. */
static size_t copy_one(struct iov_iter *i, void *seg, void *buf, size_t len,
		       enum copy_dir dir)
{
	if (i->type == ITER_KVEC) {
		if (dir == TO_ITER)
			memcpy(seg, buf, len);
		else
			memcpy(buf, seg, len);
		return len;
	}
	if (dir == TO_ITER)
		return len - copy_to_user((void __user *)seg, buf, len);
	return len - raw_copy_from_user(buf, (const void __user *)seg, len);
}

/* Move up to @bytes between @buf and the iterator; the bytes moved. */
static size_t iterate_segments(struct iov_iter *i, void *buf, size_t bytes,
			       enum copy_dir dir)
{
	size_t done = 0;

	if (bytes > i->count)
		bytes = i->count;
	while (done < bytes) {
		const struct iovec *iov = i->iov;
		size_t left = iov->iov_len - i->iov_offset;
		size_t len = bytes - done < left ? bytes - done : left;
		size_t n = 0;

		if (len)
			n = copy_one(i,
				     (char __force *)iov->iov_base +
					     i->iov_offset,
				     (char *)buf + done, len, dir);
		done += n;
		i->count -= n;
		i->iov_offset += n;
		if (n < len || (!len && i->nr_segs <= 1))
			break; /* a user page faulted, or no segment left */
		if (i->iov_offset == iov->iov_len && i->nr_segs > 1) {
			i->iov++;
			i->nr_segs--;
			i->iov_offset = 0;
		}
	}
	return done;
}

size_t copy_to_iter(const void *addr, size_t bytes, struct iov_iter *i)
{
	return iterate_segments(i, (void *)addr, bytes, TO_ITER);
}

size_t copy_from_iter(void *addr, size_t bytes, struct iov_iter *i)
{
	return iterate_segments(i, addr, bytes, FROM_ITER);
}

size_t iov_iter_zero(size_t bytes, struct iov_iter *i)
{
	size_t done = 0;

	/* Page by page from the zero page: no buffer the size of a hole. */
	while (done < bytes) {
		size_t len = bytes - done < PAGE_SIZE ? bytes - done :
							PAGE_SIZE;
		size_t n = copy_to_iter(empty_zero_page_buf, len, i);

		done += n;
		if (n < len)
			break;
	}
	return done;
}

void iov_iter_advance(struct iov_iter *i, size_t bytes)
{
	if (bytes > i->count)
		bytes = i->count;
	i->count -= bytes;
	while (bytes && i->nr_segs) {
		size_t left = i->iov->iov_len - i->iov_offset;

		if (bytes < left) {
			i->iov_offset += bytes;
			return;
		}
		bytes -= left;
		i->iov++;
		i->nr_segs--;
		i->iov_offset = 0;
	}
}

/* ---- checking what a user passed ---------------------------------------- */

#define SSIZE_MAX ((size_t)(~0UL >> 1))

ssize_t iovec_total(const struct iovec *iov, unsigned long nr_segs)
{
	size_t total = 0;
	unsigned long seg;

	if (nr_segs > UIO_MAXIOV)
		return -EINVAL;
	for (seg = 0; seg < nr_segs; seg++) {
		size_t len = iov[seg].iov_len;

		if (len > SSIZE_MAX || len > SSIZE_MAX - total)
			return -EINVAL;
		total += len;
	}
	return (ssize_t)total;
}

int iovec_check(const struct iovec *iov, unsigned long nr_segs)
{
	ssize_t total = iovec_total(iov, nr_segs);
	unsigned long seg;

	if (total < 0)
		return (int)total;
	for (seg = 0; seg < nr_segs; seg++)
		if (!access_ok(iov[seg].iov_base, iov[seg].iov_len))
			return -EFAULT;
	return 0;
}

static size_t clamp_rw_count(size_t count)
{
	return count > MAX_RW_COUNT ? MAX_RW_COUNT : count;
}

ssize_t import_iovec(const struct iovec __user *uvec, unsigned long nr_segs,
		     struct iovec *fast, struct iovec **iovp)
{
	struct iovec *iov = fast;
	int err;

	*iovp = NULL;
	if (nr_segs > UIO_MAXIOV)
		return -EINVAL;
	if (nr_segs > UIO_FASTIOV) {
		iov = kmalloc_array(nr_segs, sizeof(*iov), GFP_KERNEL);
		if (!iov)
			return -ENOMEM;
	}
	err = copy_from_user(iov, uvec, nr_segs * sizeof(*iov)) ? -EFAULT : 0;
	if (!err)
		err = iovec_check(iov, nr_segs);
	if (err) {
		if (iov != fast)
			kfree(iov);
		return err;
	}
	*iovp = iov;
	return (ssize_t)clamp_rw_count(iov_length(iov, nr_segs));
}

int import_single_range(void __user *buf, size_t len, struct iovec *iov,
			struct iov_iter *i)
{
	int err;

	*iov = (struct iovec){ .iov_base = buf, .iov_len = len };
	err = iovec_check(iov, 1);
	if (err)
		return err;
	iov_iter_init(i, ITER_UVEC, iov, 1, clamp_rw_count(len));
	return 0;
}
