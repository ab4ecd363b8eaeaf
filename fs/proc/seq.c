/*
 * The seq_file of procfs, simply: a file's whole text is built at open
 * into a vmalloc'd buffer (doubled and rebuilt until it fits), and every
 * read copies from that snapshot. A reader therefore sees one consistent
 * picture however small its reads are; reopening refreshes it.
 */
#include <asm/page.h>
#include <kestrel/errno.h>
#include <kestrel/kstrtox.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/uio.h>
#include <kestrel/vmalloc.h>

#include "internal.h"

#define SEQ_MIN_SIZE PAGE_SIZE
#define SEQ_MAX_SIZE (1024 * 1024) /* no file is bigger than this */

void seq_write(struct seq_file *m, const void *data, size_t len)
{
	if (m->overflow || len > m->size - m->count) {
		m->overflow = true;
		return;
	}
	memcpy(m->buf + m->count, data, len);
	m->count += len;
}

void seq_puts(struct seq_file *m, const char *s)
{
	seq_write(m, s, strlen(s));
}

void seq_putc(struct seq_file *m, char c)
{
	seq_write(m, &c, 1);
}

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	size_t room = m->size - m->count;
	va_list args;
	int len;

	if (m->overflow)
		return;
	va_start(args, fmt);
	len = vsnprintf(m->buf + m->count, room, fmt, args);
	va_end(args);
	if (len < 0 || (size_t)len >= room)
		m->overflow = true;
	else
		m->count += len;
}

int proc_seq_build(proc_show_t show, const struct proc_ref *ref,
		   struct seq_file *out)
{
	size_t size;
	int err;

	for (size = SEQ_MIN_SIZE; size <= SEQ_MAX_SIZE; size *= 2) {
		out->buf = vmalloc(size);
		if (!out->buf)
			return -ENOMEM;
		out->size = size;
		out->count = 0;
		out->overflow = false;
		err = show(out, ref);
		if (err || !out->overflow) {
			if (err)
				proc_seq_free(out);
			return err;
		}
		proc_seq_free(out);
	}
	return -EFBIG;
}

void proc_seq_free(struct seq_file *m)
{
	vfree(m->buf);
	m->buf = NULL;
}

static int proc_seq_open(struct inode *inode, struct file *file)
{
	struct proc_inode *pi = PROC_I(inode);
	struct seq_file *m = kmalloc(sizeof(*m), GFP_KERNEL);
	struct proc_ref ref = pi->ref;
	int err;

	if (!m)
		return -ENOMEM;
	ref.data = pi->entry->data;
	err = proc_seq_build(pi->entry->show, &ref, m);
	if (err) {
		kfree(m);
		return err;
	}
	file->private_data = m;
	return 0;
}

static ssize_t proc_seq_read(struct kiocb *iocb, const struct iovec *iov,
			     unsigned long nr_segs, loff_t pos)
{
	struct seq_file *m = iocb->ki_filp->private_data;
	struct iov_iter iter;
	size_t want, n;

	if (pos < 0)
		return -EINVAL;
	if ((u64)pos >= m->count)
		return 0;
	kiocb_iter_init(&iter, iocb, iov, nr_segs);
	want = m->count - (size_t)pos;
	if (want > iov_iter_count(&iter))
		want = iov_iter_count(&iter);
	n = copy_to_iter(m->buf + pos, want, &iter);
	if (!n && want)
		return -EFAULT;
	iocb->ki_pos = pos + n;
	return n;
}

static int proc_seq_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	proc_seq_free(m);
	kfree(m);
	return 0;
}

const struct file_operations proc_seq_file_operations = {
	.aio_read = proc_seq_read,
	.open = proc_seq_open,
	.release = proc_seq_release,
};
