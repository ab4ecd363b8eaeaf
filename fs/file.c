/*
 * File descriptor tables (see <kestrel/fdtable.h> for the design).
 *
 * A table starts with the NR_OPEN_DEFAULT slots embedded in the
 * files_struct and grows by doubling: expand_files() allocates the new
 * arrays with file_lock dropped, retakes it, and installs them if no one
 * grew the table meanwhile. Since every reader of the table takes
 * file_lock, the old arrays can be freed as soon as the lock is dropped.
 *
 * next_fd remembers that no descriptor below it is free, so allocating
 * the lowest free descriptor usually starts its bitmap search there.
 * The bitmaps are searched with lib/bitmap.c's find_next_zero_bit() and
 * friends.
 *
 * The current task's side (fget, rlimit_nofile, get_unused_fd_flags) is
 * here too: the rest of the kernel, net/ included, reaches descriptors
 * through <kestrel/fdtable.h> only.
 */
#include <kestrel/bitmap.h>
#include <kestrel/bug.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <uapi/resource.h>

#include "internal.h"

/* ---- tables ------------------------------------------------------------- */

static struct fdtable *alloc_fdtable(unsigned int nr)
{
	struct fdtable *fdt = kmalloc(sizeof(*fdt), GFP_KERNEL);

	if (!fdt)
		return NULL;
	fdt->max_fds = nr;
	fdt->fd = kcalloc(nr, sizeof(struct file *), GFP_KERNEL);
	fdt->open_fds = kcalloc(BITS_TO_LONGS(nr), sizeof(long), GFP_KERNEL);
	fdt->close_on_exec =
		kcalloc(BITS_TO_LONGS(nr), sizeof(long), GFP_KERNEL);
	if (!fdt->fd || !fdt->open_fds || !fdt->close_on_exec) {
		kfree(fdt->fd);
		kfree(fdt->open_fds);
		kfree(fdt->close_on_exec);
		kfree(fdt);
		return NULL;
	}
	return fdt;
}

static void free_fdtable(struct files_struct *files, struct fdtable *fdt)
{
	if (fdt == &files->fdtab)
		return;
	kfree(fdt->fd);
	kfree(fdt->open_fds);
	kfree(fdt->close_on_exec);
	kfree(fdt);
}

static void copy_fdtable(struct fdtable *dst, const struct fdtable *src)
{
	memcpy(dst->fd, src->fd, src->max_fds * sizeof(struct file *));
	bitmap_copy(dst->open_fds, src->open_fds, src->max_fds);
	bitmap_copy(dst->close_on_exec, src->close_on_exec, src->max_fds);
}

/*
 * Make room for descriptor @fd. Called and returns with file_lock held;
 * drops it to allocate. Returns 0 or -ENOMEM.
 */
static int expand_files(struct files_struct *files, unsigned int fd)
{
	struct fdtable *new, *old;
	unsigned int nr = files->fdt->max_fds;

	while (nr <= fd)
		nr *= 2;
	if (nr > NR_OPEN_MAX)
		nr = NR_OPEN_MAX;
	spin_unlock(&files->file_lock);
	new = alloc_fdtable(nr);
	spin_lock(&files->file_lock);
	if (!new)
		return -ENOMEM;
	old = files->fdt;
	if (old->max_fds > fd) { /* someone else grew it */
		spin_unlock(&files->file_lock);
		free_fdtable(files, new);
		spin_lock(&files->file_lock);
		return 0;
	}
	copy_fdtable(new, old);
	files->fdt = new;
	spin_unlock(&files->file_lock);
	free_fdtable(files, old);
	spin_lock(&files->file_lock);
	return 0;
}

static void init_files_struct(struct files_struct *files)
{
	memset(files, 0, sizeof(*files));
	atomic_set(&files->count, 1);
	spin_lock_init(&files->file_lock);
	files->fdtab.max_fds = NR_OPEN_DEFAULT;
	files->fdtab.fd = files->fd_array;
	files->fdtab.open_fds = files->open_fds_init;
	files->fdtab.close_on_exec = files->close_on_exec_init;
	files->fdt = &files->fdtab;
}

struct files_struct *alloc_files_struct(void)
{
	struct files_struct *files = kmalloc(sizeof(*files), GFP_KERNEL);

	if (files)
		init_files_struct(files);
	return files;
}

void get_files_struct(struct files_struct *files)
{
	atomic_inc(&files->count);
}

/* Close every descriptor; the table is no longer shared. */
static void close_files(struct files_struct *files)
{
	struct fdtable *fdt = files->fdt;
	unsigned int fd;

	for (fd = 0; fd < fdt->max_fds; fd++) {
		if (fdt->fd[fd]) {
			fput(fdt->fd[fd]);
			fdt->fd[fd] = NULL;
		}
	}
}

void put_files_struct(struct files_struct *files)
{
	if (!atomic_dec_and_test(&files->count))
		return;
	close_files(files);
	free_fdtable(files, files->fdt);
	kfree(files);
}

/* The highest open descriptor + 1 of @fdt, 0 if none. file_lock held. */
static unsigned int count_used(const struct fdtable *fdt)
{
	unsigned int last = find_last_bit(fdt->open_fds, fdt->max_fds);

	return last < fdt->max_fds ? last + 1 : 0;
}

struct files_struct *dup_fd(struct files_struct *old)
{
	struct files_struct *new = alloc_files_struct();
	struct fdtable *fdt;
	unsigned int fd, used;

	if (!new)
		return ERR_PTR(-ENOMEM);
	spin_lock(&old->file_lock);
	/* Grow the copy until it holds every open descriptor of @old. */
	while ((used = count_used(old->fdt)) > new->fdt->max_fds) {
		spin_unlock(&old->file_lock);
		spin_lock(&new->file_lock);
		if (expand_files(new, used - 1)) {
			spin_unlock(&new->file_lock);
			put_files_struct(new);
			return ERR_PTR(-ENOMEM);
		}
		spin_unlock(&new->file_lock);
		spin_lock(&old->file_lock);
	}
	fdt = new->fdt;
	for (fd = 0; fd < used; fd++) {
		struct file *file = old->fdt->fd[fd];

		/* A reserved slot with no file yet is not copied. */
		if (!file)
			continue;
		fdt->fd[fd] = get_file(file);
		__set_bit(fd, fdt->open_fds);
		if (close_on_exec(fd, old->fdt))
			__set_bit(fd, fdt->close_on_exec);
	}
	new->next_fd = find_first_zero_bit(fdt->open_fds, fdt->max_fds);
	spin_unlock(&old->file_lock);
	return new;
}

/* ---- descriptors -------------------------------------------------------- */

int alloc_fd(struct files_struct *files, unsigned int start, unsigned int end,
	     unsigned int flags)
{
	struct fdtable *fdt;
	unsigned int fd;
	int err;

	if (end > NR_OPEN_MAX)
		end = NR_OPEN_MAX;
	spin_lock(&files->file_lock);
repeat:
	fdt = files->fdt;
	fd = start < files->next_fd ? files->next_fd : start;
	fd = find_next_zero_bit(fdt->open_fds, fdt->max_fds, fd);
	err = -EMFILE;
	if (fd >= end)
		goto out;
	if (fd >= fdt->max_fds) {
		err = expand_files(files, fd);
		if (err)
			goto out;
		goto repeat;
	}
	__set_bit(fd, fdt->open_fds);
	__assign_bit(fd, fdt->close_on_exec, flags & O_CLOEXEC);
	if (start <= files->next_fd)
		files->next_fd = fd + 1;
	err = fd;
out:
	spin_unlock(&files->file_lock);
	return err;
}

/* file_lock held: free slot @fd. */
static void __put_unused_fd(struct files_struct *files, unsigned int fd)
{
	__clear_bit(fd, files->fdt->open_fds);
	__clear_bit(fd, files->fdt->close_on_exec);
	if (fd < files->next_fd)
		files->next_fd = fd;
}

void put_unused_fd(struct files_struct *files, unsigned int fd)
{
	spin_lock(&files->file_lock);
	__put_unused_fd(files, fd);
	spin_unlock(&files->file_lock);
}

void fd_install(struct files_struct *files, unsigned int fd, struct file *file)
{
	spin_lock(&files->file_lock);
	BUG_ON(files->fdt->fd[fd] || !test_bit(fd, files->fdt->open_fds));
	files->fdt->fd[fd] = file;
	spin_unlock(&files->file_lock);
}

struct file *fget_files(struct files_struct *files, unsigned int fd)
{
	struct file *file = NULL;

	spin_lock(&files->file_lock);
	if (fd < files->fdt->max_fds)
		file = files->fdt->fd[fd];
	if (file)
		get_file(file);
	spin_unlock(&files->file_lock);
	return file;
}

/* Take @fd's file out of the table. file_lock held. */
static struct file *pick_file(struct files_struct *files, unsigned int fd)
{
	struct file *file;

	if (fd >= files->fdt->max_fds)
		return NULL;
	file = files->fdt->fd[fd];
	if (file) {
		files->fdt->fd[fd] = NULL;
		__put_unused_fd(files, fd);
	}
	return file;
}

int close_fd(struct files_struct *files, unsigned int fd)
{
	struct file *file;

	spin_lock(&files->file_lock);
	file = pick_file(files, fd);
	spin_unlock(&files->file_lock);
	if (!file)
		return -EBADF;
	fput(file);
	return 0;
}

int replace_fd(struct files_struct *files, unsigned int fd, struct file *file,
	       unsigned int end, unsigned int flags)
{
	struct file *old;
	int err;

	if (fd >= end || fd >= NR_OPEN_MAX)
		return -EBADF;
	spin_lock(&files->file_lock);
	while (fd >= files->fdt->max_fds) {
		err = expand_files(files, fd);
		if (err)
			goto out_unlock;
	}
	old = files->fdt->fd[fd];
	err = -EBUSY;
	if (!old && test_bit(fd, files->fdt->open_fds))
		goto out_unlock; /* reserved by an open in progress */
	files->fdt->fd[fd] = get_file(file);
	__set_bit(fd, files->fdt->open_fds);
	__assign_bit(fd, files->fdt->close_on_exec, flags & O_CLOEXEC);
	spin_unlock(&files->file_lock);
	if (old)
		fput(old);
	return fd;

out_unlock:
	spin_unlock(&files->file_lock);
	return err;
}

int get_close_on_exec(struct files_struct *files, unsigned int fd)
{
	int res = -EBADF;

	spin_lock(&files->file_lock);
	if (fd < files->fdt->max_fds && files->fdt->fd[fd])
		res = close_on_exec(fd, files->fdt);
	spin_unlock(&files->file_lock);
	return res;
}

int set_close_on_exec(struct files_struct *files, unsigned int fd, bool on)
{
	int res = -EBADF;

	spin_lock(&files->file_lock);
	if (fd < files->fdt->max_fds && files->fdt->fd[fd]) {
		__assign_bit(fd, files->fdt->close_on_exec, on);
		res = 0;
	}
	spin_unlock(&files->file_lock);
	return res;
}

void do_close_on_exec(struct files_struct *files)
{
	unsigned int fd;

	spin_lock(&files->file_lock);
	/* The lock is dropped inside: the table is looked up afresh each time. */
	for_each_set_bit(fd, files->fdt->close_on_exec, files->fdt->max_fds)
	{
		struct file *file = pick_file(files, fd);

		if (!file)
			continue;
		spin_unlock(&files->file_lock);
		fput(file);
		spin_lock(&files->file_lock);
	}
	spin_unlock(&files->file_lock);
}

unsigned int files_count_open(struct files_struct *files)
{
	unsigned int n;

	spin_lock(&files->file_lock);
	n = bitmap_weight(files->fdt->open_fds, files->fdt->max_fds);
	spin_unlock(&files->file_lock);
	return n;
}

/* ---- the current task's descriptors ------------------------------------- */

struct file *fget_raw(unsigned int fd)
{
	return fget_files(current->files, fd);
}

struct file *fget(unsigned int fd)
{
	struct file *file = fget_raw(fd);

	if (file && (file->f_mode & FMODE_PATH)) {
		fput(file);
		return NULL;
	}
	return file;
}

unsigned int rlimit_nofile(void)
{
	unsigned long lim =
		READ_ONCE(current->signal->rlim[RLIMIT_NOFILE].rlim_cur);

	return lim > NR_OPEN_MAX ? NR_OPEN_MAX : lim;
}

int get_unused_fd_flags(unsigned int flags)
{
	return alloc_fd(current->files, 0, rlimit_nofile(), flags & O_CLOEXEC);
}
