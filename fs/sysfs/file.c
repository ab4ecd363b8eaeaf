/*
 * sysfs: attribute files and binary attribute files.
 *
 * An attribute file holds one value as text, made by the kobject's
 * ktype->sysfs_ops->show() and changed by ->store(). The open file owns
 * one page:
 *
 *	read at offset 0   the page is zeroed and show() fills it (once:
 *	                   the reader gets slices of that snapshot until
 *	                   it reads from offset 0 again, as Linux's
 *	                   seq_file-based sysfs does)
 *	write              the bytes written (up to PAGE_SIZE - 1) are
 *	                   copied in, NUL-ended, and given to store(),
 *	                   whose return is write()'s
 *
 * A binary attribute is a byte array (PCI config space): its read() and
 * write() get an offset and a count clamped to the attribute's size.
 *
 * Every call into a method runs under an active reference on the node
 * (dir.c), so removal waits for it and a removed file answers -ENODEV.
 *
 * poll(): sysfs_notify() bumps the node's event counter and wakes its
 * poll queue; an open file remembers the counter at its last show(),
 * and poll reports POLLERR | POLLPRI while the two differ, i.e. until
 * the file is read again (Linux's semantics: read, poll, wake, seek to
 * 0, read).
 */
#include <asm/page.h>
#include <kestrel/bug.h>
#include <kestrel/errno.h>
#include <kestrel/gfp.h>
#include <kestrel/kobject.h>
#include <kestrel/kstrtox.h>
#include <kestrel/poll.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/uio.h>

#include "sysfs.h"

/*
 * One open of an attribute file. The mutex serialises the reads and
 * writes of this open (two threads sharing the descriptor).
 */
struct sysfs_open_file {
	struct mutex mutex; /* protects page, len, loaded */
	char *page; /* PAGE_SIZE: show()'s text, store()'s input */
	size_t len; /* bytes of text in page */
	bool loaded; /* page holds a show() result */
	int event; /* mutex: s_event at the last show() */
};

/* Where @p lies inside its page: show() buffers start at 0. */
static inline size_t offset_in_page(const void *p)
{
	return (uintptr_t)p & (PAGE_SIZE - 1);
}

static struct sysfs_dirent *file_sd(struct file *file)
{
	return file_inode(file)->i_private;
}

/* ---- open and release --------------------------------------------------- */

/*
 * Linux refuses to open for writing a file no one may write (even for
 * root), and for reading one no one may read.
 */
static int sysfs_check_open_mode(struct file *file, umode_t mode)
{
	if ((file->f_mode & FMODE_WRITE) && !(mode & S_IWUGO))
		return -EACCES;
	if ((file->f_mode & FMODE_READ) && !(mode & S_IRUGO))
		return -EACCES;
	return 0;
}

static int sysfs_open(struct inode *inode, struct file *file)
{
	struct sysfs_dirent *sd = inode->i_private;
	struct sysfs_open_file *of;
	int err;

	if (!sysfs_get_active(sd))
		return -ENODEV;
	err = sysfs_check_open_mode(file, inode->i_mode);
	if (err)
		goto out_put_active;
	err = -ENOMEM;
	of = kzalloc(sizeof(*of), GFP_KERNEL);
	if (!of)
		goto out_put_active;
	of->page = (char *)get_zeroed_page(GFP_KERNEL);
	if (!of->page) {
		kfree(of);
		goto out_put_active;
	}
	mutex_init(&of->mutex);
	of->event = atomic_read(&sd->s_event);
	file->private_data = of;
	err = 0;
out_put_active:
	sysfs_put_active(sd);
	return err;
}

static int sysfs_release(struct inode *inode, struct file *file)
{
	struct sysfs_open_file *of = file->private_data;

	free_page((unsigned long)of->page);
	kfree(of);
	return 0;
}

/* ---- attribute files ---------------------------------------------------- */

/* The ktype's sysfs_ops of the file's kobject, or NULL. */
static const struct sysfs_ops *sysfs_file_ops(struct kobject *kobj)
{
	return kobj && kobj->ktype ? kobj->ktype->sysfs_ops : NULL;
}

/*
 * Run show() into the zeroed page. Returns 0 or -errno: -ENODEV once
 * removed, -EIO without a show method. of->mutex held.
 */
static int sysfs_fill_page(struct sysfs_open_file *of, struct sysfs_dirent *sd)
{
	const struct sysfs_ops *ops;
	struct kobject *kobj;
	ssize_t n = -EIO;

	lockdep_assert_held(&of->mutex);
	if (!sysfs_get_active(sd))
		return -ENODEV;
	kobj = sysfs_kobj_of(sd);
	ops = sysfs_file_ops(kobj);
	memset(of->page, 0, PAGE_SIZE);
	of->loaded = false;
	of->event = atomic_read(&sd->s_event);
	if (ops && ops->show)
		n = ops->show(kobj, (struct attribute *)sd->s_attr, of->page);
	sysfs_put_active(sd);
	if (n < 0)
		return (int)n;
	if (n >= (ssize_t)PAGE_SIZE) {
		pr_warn("sysfs: show of '%s' returned bad count %ld\n",
			sd->s_name, (long)n);
		n = PAGE_SIZE - 1;
	}
	of->len = (size_t)n;
	of->loaded = true;
	return 0;
}

static ssize_t sysfs_read(struct kiocb *iocb, const struct iovec *iov,
			  unsigned long nr_segs, loff_t pos)
{
	struct sysfs_open_file *of = iocb->ki_filp->private_data;
	struct sysfs_dirent *sd = file_sd(iocb->ki_filp);
	struct iov_iter iter;
	size_t want, n = 0;
	ssize_t ret;

	if (pos < 0)
		return -EINVAL;
	mutex_lock(&of->mutex);
	if (pos == 0 || !of->loaded) {
		ret = sysfs_fill_page(of, sd);
		if (ret)
			goto out_unlock;
	}
	if ((u64)pos < of->len) {
		kiocb_iter_init(&iter, iocb, iov, nr_segs);
		want = of->len - (size_t)pos;
		if (want > iov_iter_count(&iter))
			want = iov_iter_count(&iter);
		n = copy_to_iter(of->page + pos, want, &iter);
		if (!n && want) {
			ret = -EFAULT;
			goto out_unlock;
		}
	}
	iocb->ki_pos = pos + n;
	ret = (ssize_t)n;
out_unlock:
	mutex_unlock(&of->mutex);
	return ret;
}

/* Call store() with the @count bytes in the page. of->mutex held. */
static ssize_t sysfs_call_store(struct sysfs_open_file *of,
				struct sysfs_dirent *sd, size_t count)
{
	const struct sysfs_ops *ops;
	struct kobject *kobj;
	ssize_t n = -EIO;

	lockdep_assert_held(&of->mutex);
	if (!sysfs_get_active(sd))
		return -ENODEV;
	kobj = sysfs_kobj_of(sd);
	ops = sysfs_file_ops(kobj);
	if (ops && ops->store)
		n = ops->store(kobj, (struct attribute *)sd->s_attr, of->page,
			       count);
	sysfs_put_active(sd);
	return n;
}

static ssize_t sysfs_write(struct kiocb *iocb, const struct iovec *iov,
			   unsigned long nr_segs, loff_t pos)
{
	struct sysfs_open_file *of = iocb->ki_filp->private_data;
	struct sysfs_dirent *sd = file_sd(iocb->ki_filp);
	struct iov_iter iter;
	size_t count;
	ssize_t ret;

	kiocb_iter_init(&iter, iocb, iov, nr_segs);
	count = iov_iter_count(&iter);
	if (!count)
		return 0;
	if (count > PAGE_SIZE - 1)
		count = PAGE_SIZE - 1;
	mutex_lock(&of->mutex);
	of->loaded = false; /* the page is store()'s now */
	if (copy_from_iter(of->page, count, &iter) != count) {
		ret = -EFAULT;
		goto out_unlock;
	}
	of->page[count] = '\0';
	ret = sysfs_call_store(of, sd, count);
	if (ret > 0)
		iocb->ki_pos = pos + ret;
out_unlock:
	mutex_unlock(&of->mutex);
	return ret;
}

static unsigned int sysfs_poll(struct file *file, struct poll_table_struct *pt)
{
	struct sysfs_open_file *of = file->private_data;
	struct sysfs_dirent *sd = file_sd(file);
	unsigned int mask = SYSFS_DEFAULT_POLLMASK;

	if (!sysfs_get_active(sd))
		return SYSFS_DEFAULT_POLLMASK | POLLERR | POLLPRI;
	poll_wait(file, &sd->s_poll, pt);
	if (READ_ONCE(of->event) != atomic_read(&sd->s_event))
		mask |= POLLERR | POLLPRI;
	sysfs_put_active(sd);
	return mask;
}

const struct file_operations sysfs_file_operations = {
	.aio_read = sysfs_read,
	.aio_write = sysfs_write,
	.poll = sysfs_poll,
	.open = sysfs_open,
	.release = sysfs_release,
};

/* ---- binary attribute files --------------------------------------------- */

/*
 * Clamp a transfer of @count at @pos to the attribute's size (when it
 * has one) and to a page. Returns the count, 0 at or past the end.
 */
static size_t sysfs_bin_clamp(const struct bin_attribute *battr, loff_t pos,
			      size_t count)
{
	if (battr->size) {
		if ((u64)pos >= battr->size)
			return 0;
		if (count > battr->size - (size_t)pos)
			count = battr->size - (size_t)pos;
	}
	return count > PAGE_SIZE ? PAGE_SIZE : count;
}

/* Call the binary read or write method under an active reference. */
static ssize_t sysfs_bin_call(struct file *file, struct sysfs_open_file *of,
			      loff_t pos, size_t count, enum rw_dir dir)
{
	struct sysfs_dirent *sd = file_sd(file);
	const struct bin_attribute *battr = sd->s_bin_attr;
	struct bin_attribute *b = (struct bin_attribute *)battr;
	ssize_t n = -EIO;

	if (!sysfs_get_active(sd))
		return -ENODEV;
	if (dir == WRITE && battr->write)
		n = battr->write(file, sysfs_kobj_of(sd), b, of->page, pos,
				 count);
	else if (dir == READ && battr->read)
		n = battr->read(file, sysfs_kobj_of(sd), b, of->page, pos,
				count);
	sysfs_put_active(sd);
	if (n > (ssize_t)count)
		n = (ssize_t)count; /* a method that overran: trust no more */
	return n;
}

static ssize_t sysfs_bin_read(struct kiocb *iocb, const struct iovec *iov,
			      unsigned long nr_segs, loff_t pos)
{
	struct sysfs_open_file *of = iocb->ki_filp->private_data;
	const struct bin_attribute *battr = file_sd(iocb->ki_filp)->s_bin_attr;
	struct iov_iter iter;
	size_t count;
	ssize_t n;

	if (pos < 0)
		return -EINVAL;
	kiocb_iter_init(&iter, iocb, iov, nr_segs);
	count = sysfs_bin_clamp(battr, pos, iov_iter_count(&iter));
	if (!count)
		return 0;
	mutex_lock(&of->mutex);
	of->loaded = false;
	n = sysfs_bin_call(iocb->ki_filp, of, pos, count, READ);
	if (n > 0 && copy_to_iter(of->page, (size_t)n, &iter) != (size_t)n)
		n = -EFAULT;
	if (n > 0)
		iocb->ki_pos = pos + n;
	mutex_unlock(&of->mutex);
	return n;
}

static ssize_t sysfs_bin_write(struct kiocb *iocb, const struct iovec *iov,
			       unsigned long nr_segs, loff_t pos)
{
	struct sysfs_open_file *of = iocb->ki_filp->private_data;
	const struct bin_attribute *battr = file_sd(iocb->ki_filp)->s_bin_attr;
	struct iov_iter iter;
	size_t count;
	ssize_t n;

	if (pos < 0)
		return -EINVAL;
	kiocb_iter_init(&iter, iocb, iov, nr_segs);
	if (!iov_iter_count(&iter))
		return 0;
	count = sysfs_bin_clamp(battr, pos, iov_iter_count(&iter));
	if (!count)
		return -EFBIG; /* at or past the end of a sized file */
	mutex_lock(&of->mutex);
	of->loaded = false;
	n = -EFAULT;
	if (copy_from_iter(of->page, count, &iter) == count)
		n = sysfs_bin_call(iocb->ki_filp, of, pos, count, WRITE);
	if (n > 0)
		iocb->ki_pos = pos + n;
	mutex_unlock(&of->mutex);
	return n;
}

const struct file_operations sysfs_bin_operations = {
	.aio_read = sysfs_bin_read,
	.aio_write = sysfs_bin_write,
	.poll = sysfs_poll,
	.open = sysfs_open,
	.release = sysfs_release,
};

/* ---- creating and removing files ---------------------------------------- */

/**
 * sysfs_add_file_mode - add an attribute file under a directory node
 * @parent: the directory node
 * @attr: the attribute (a struct bin_attribute's for SYSFS_KOBJ_BIN_ATTR);
 *        it must outlive the file
 * @type: SYSFS_KOBJ_ATTR or SYSFS_KOBJ_BIN_ATTR
 * @mode: the permission bits
 *
 * Return: 0, -EEXIST, -ENOENT, -ENOMEM. Context: process; may sleep.
 */
int sysfs_add_file_mode(struct sysfs_dirent *parent,
			const struct attribute *attr, enum sysfs_type type,
			umode_t mode)
{
	struct sysfs_dirent *sd;
	int err;

	sd = sysfs_new_dirent(attr->name, S_IFREG | (mode & S_IALLUGO), type);
	if (!sd)
		return -ENOMEM;
	if (type == SYSFS_KOBJ_BIN_ATTR)
		sd->s_bin_attr = container_of(attr, struct bin_attribute, attr);
	else
		sd->s_attr = attr;
	mutex_lock(&sysfs_mutex);
	err = sysfs_add_one(parent, sd);
	mutex_unlock(&sysfs_mutex);
	if (err)
		sysfs_put(sd);
	return err;
}

/**
 * sysfs_create_file - add an attribute file to a kobject's directory
 * @kobj: the kobject, added (it has a directory)
 * @attr: the attribute; its mode gives the file's permissions
 *
 * Return: 0, -EINVAL (no directory or attribute), -EEXIST, -ENOMEM.
 * Context: process; may sleep.
 */
int sysfs_create_file(struct kobject *kobj, const struct attribute *attr)
{
	if (WARN_ON(!kobj || !kobj->sd || !attr || !attr->name))
		return -EINVAL;
	return sysfs_add_file_mode(kobj->sd, attr, SYSFS_KOBJ_ATTR, attr->mode);
}

/**
 * sysfs_create_files - add several attribute files
 * @kobj: the kobject
 * @attrs: a NULL-terminated array
 *
 * Return: 0 or the first error; on error the files created are removed.
 * Context: process; may sleep.
 */
int sysfs_create_files(struct kobject *kobj,
		       const struct attribute *const *attrs)
{
	int err = 0, i;

	for (i = 0; attrs && attrs[i] && !err; i++)
		err = sysfs_create_file(kobj, attrs[i]);
	while (err && --i >= 1)
		sysfs_remove_file(kobj, attrs[i - 1]);
	return err;
}

/**
 * sysfs_remove_file - remove an attribute file
 * @kobj: the kobject
 * @attr: the attribute
 *
 * Waits until no show/store of it runs. Context: process; may sleep.
 */
void sysfs_remove_file(struct kobject *kobj, const struct attribute *attr)
{
	if (kobj && attr)
		sysfs_remove_by_name(kobj->sd, attr->name);
}

/**
 * sysfs_remove_files - remove several attribute files
 * @kobj: the kobject
 * @attrs: a NULL-terminated array
 *
 * Context: process; may sleep.
 */
void sysfs_remove_files(struct kobject *kobj,
			const struct attribute *const *attrs)
{
	int i;

	for (i = 0; attrs && attrs[i]; i++)
		sysfs_remove_file(kobj, attrs[i]);
}

/**
 * sysfs_create_bin_file - add a binary attribute file
 * @kobj: the kobject, added
 * @attr: the binary attribute; must outlive the file
 *
 * Return: 0, -EINVAL, -EEXIST, -ENOMEM. Context: process; may sleep.
 */
int sysfs_create_bin_file(struct kobject *kobj,
			  const struct bin_attribute *attr)
{
	if (WARN_ON(!kobj || !kobj->sd || !attr || !attr->attr.name))
		return -EINVAL;
	return sysfs_add_file_mode(kobj->sd, &attr->attr, SYSFS_KOBJ_BIN_ATTR,
				   attr->attr.mode);
}

/**
 * sysfs_remove_bin_file - remove a binary attribute file
 * @kobj: the kobject
 * @attr: the binary attribute
 *
 * Context: process; may sleep.
 */
void sysfs_remove_bin_file(struct kobject *kobj,
			   const struct bin_attribute *attr)
{
	if (kobj && attr)
		sysfs_remove_by_name(kobj->sd, attr->attr.name);
}

/* ---- notify and emit ---------------------------------------------------- */

/**
 * sysfs_notify - tell pollers that an attribute changed
 * @kobj: the kobject
 * @dir: the group subdirectory holding the attribute, or NULL
 * @attr: the attribute's name, or NULL for the directory itself
 *
 * Pollers of the file see POLLERR | POLLPRI until they read it again.
 * Context: process; may sleep (takes sysfs_mutex).
 */
void sysfs_notify(struct kobject *kobj, const char *dir, const char *attr)
{
	struct sysfs_dirent *sd;

	if (!kobj)
		return;
	mutex_lock(&sysfs_mutex);
	sd = kobj->sd;
	if (sd && dir)
		sd = sysfs_find_dirent(sd, dir);
	if (sd && attr)
		sd = sysfs_find_dirent(sd, attr);
	sysfs_get(sd);
	mutex_unlock(&sysfs_mutex);
	if (!sd)
		return;
	atomic_inc(&sd->s_event);
	wake_up_all(&sd->s_poll);
	sysfs_put(sd);
}

/**
 * sysfs_emit - format a show() result
 * @buf: the page show() was given (page-aligned)
 * @fmt: printf format, then its arguments
 *
 * Return: the bytes written, never more than PAGE_SIZE - 1; 0 (and a
 * warning) when @buf is not the start of a page. Context: any.
 */
int sysfs_emit(char *buf, const char *fmt, ...)
{
	va_list args;
	int len;

	if (WARN_ON(!buf || offset_in_page(buf)))
		return 0;
	va_start(args, fmt);
	len = vscnprintf(buf, PAGE_SIZE, fmt, args);
	va_end(args);
	return len;
}

/**
 * sysfs_emit_at - append to a show() result
 * @buf: the page show() was given
 * @at: the offset in it to write at (the length so far)
 * @fmt: printf format, then its arguments
 *
 * Return: the bytes written, never past the page; 0 (and a warning) for
 * a @buf not page-aligned or @at outside the page. Context: any.
 */
int sysfs_emit_at(char *buf, int at, const char *fmt, ...)
{
	va_list args;
	int len;

	if (WARN_ON(!buf || offset_in_page(buf) || at < 0 ||
		    at >= (int)PAGE_SIZE))
		return 0;
	va_start(args, fmt);
	len = vscnprintf(buf + at, PAGE_SIZE - (size_t)at, fmt, args);
	va_end(args);
	return len;
}
