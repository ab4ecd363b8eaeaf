/*
 * sendfile(2): copy from one descriptor to another without passing the
 * data through user space (cp and cat in busybox try it first).
 *
 * Linux moves the pages with splice; Kestrel copies through one bounce
 * page: kernel_read() a chunk from the input, kernel_write() it to the
 * output, until @count bytes are done, the input ends, or the output
 * takes less than it was given. The input position advances only by
 * what was written, so a short write loses nothing. Files whose
 * operations take only user buffers (no ->aio_read/->aio_write) cannot
 * be used, nor can a pipe as the input (data read and then not written
 * would be lost): EINVAL, as Linux answers for a file without splice
 * support, and callers fall back to read() and write().
 *
 * Linux's rules: EBADF for an input not open for reading or an output
 * not open for writing; EINVAL for an output opened O_APPEND; ESPIPE
 * for an offset on an input that cannot be read at a position; EFAULT
 * for a bad offset pointer. With an offset the input's file position
 * stays where it was; without one it advances. An EPIPE on the output
 * raises SIGPIPE, as write() does.
 *
 * Locking: none of its own; may sleep.
 */
#include <asm/page.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>

#include "internal.h"
#include "syscalls.h"

/* sendfile() with a 32-bit offset refuses positions past this. */
#define SENDFILE32_MAX_OFFSET 0x7fffffffLL

/* Copy up to @count bytes from @in at *@pos to @out. Returns the bytes
 * written, or -errno when nothing was. */
static ssize_t copy_through_page(struct file *in, struct file *out, loff_t *pos,
				 size_t count)
{
	void *page = kmalloc(PAGE_SIZE, GFP_KERNEL);
	ssize_t done = 0, n, w = 0;
	loff_t rpos;

	if (!page)
		return -ENOMEM;
	while (count) {
		rpos = *pos;
		n = kernel_read(in, page, count < PAGE_SIZE ? count : PAGE_SIZE,
				&rpos);
		if (n <= 0) {
			w = n;
			break;
		}
		w = kernel_write(out, page, n, &out->f_pos);
		if (w <= 0)
			break;
		*pos += w;
		done += w;
		count -= w;
		if (w < n || signal_pending(current))
			break;
	}
	kfree(page);
	return done ? done : w;
}

/*
 * Can the bounce page join @in to @out? The input must be readable at a
 * position (a file, not a pipe: what was read and then not written
 * could not be put back) and both must take kernel buffers. O_APPEND
 * outputs are refused, as by Linux.
 */
static bool sendfile_capable(struct file *in, struct file *out)
{
	return (in->f_mode & FMODE_PREAD) && in->f_op->aio_read &&
	       out->f_op->aio_write && !(out->f_flags & O_APPEND);
}

static ssize_t do_sendfile(unsigned int out_fd, unsigned int in_fd,
			   loff_t *offset, size_t count)
{
	struct file *in, *out;
	loff_t pos;
	ssize_t ret = -EBADF;

	in = fget(in_fd);
	if (!in)
		return -EBADF;
	out = fget(out_fd);
	if (!out)
		goto out_put_in;
	if (!(in->f_mode & FMODE_READ) || !(out->f_mode & FMODE_WRITE))
		goto out_put_out;
	ret = -ESPIPE;
	if (offset && !(in->f_mode & FMODE_PREAD))
		goto out_put_out;
	ret = -EINVAL;
	if (!sendfile_capable(in, out))
		goto out_put_out;
	pos = offset ? *offset : in->f_pos;
	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT; /* as Linux: the result must fit */
	ret = copy_through_page(in, out, &pos, count);
	if (offset)
		*offset = pos;
	else
		in->f_pos = pos;
	if (ret == -EPIPE)
		send_sig_to_thread(SIGPIPE, NULL, current);
out_put_out:
	fput(out);
out_put_in:
	fput(in);
	return ret;
}

SYSCALL_DEFINE4(sendfile64, int, out_fd, int, in_fd, loff_t __user *, offset,
		size_t, count)
{
	loff_t pos;
	ssize_t ret;

	if (!offset)
		return do_sendfile(out_fd, in_fd, NULL, count);
	if (copy_from_user(&pos, offset, sizeof(pos)))
		return -EFAULT;
	if (pos < 0)
		return -EINVAL;
	ret = do_sendfile(out_fd, in_fd, &pos, count);
	if (ret > 0 && copy_to_user(offset, &pos, sizeof(pos)))
		return -EFAULT;
	return ret;
}

SYSCALL_DEFINE4(sendfile, int, out_fd, int, in_fd, s32 __user *, offset, size_t,
		count)
{
	loff_t pos;
	s32 off;
	ssize_t ret;

	if (!offset)
		return do_sendfile(out_fd, in_fd, NULL, count);
	if (get_user(off, offset))
		return -EFAULT;
	if (off < 0)
		return -EINVAL;
	pos = off;
	if (pos + (loff_t)count > SENDFILE32_MAX_OFFSET)
		count = SENDFILE32_MAX_OFFSET - pos;
	ret = do_sendfile(out_fd, in_fd, &pos, count);
	if (ret > 0 && put_user((s32)pos, offset))
		return -EFAULT;
	return ret;
}
