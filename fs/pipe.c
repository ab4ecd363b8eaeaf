/*
 * Pipes and FIFOs.
 *
 * A pipe is a ring of PIPE_SIZE (64 KiB) bytes kept in 16 pages, each
 * allocated the first time data lands in it. head and tail count bytes
 * written and read since the ring was last empty; the data is
 * [tail, head), at ring offset (x % PIPE_SIZE). When a reader empties the
 * pipe both go back to 0, so a pipe that carries small messages keeps
 * using its first page.
 *
 *	pages:  [0][1][2] ... [15]        tail -> first unread byte
 *	             ^tail     ^head      head -> where the next write goes
 *
 * Rules (POSIX and Linux):
 *   - read returns as soon as some data is there; with no data it waits
 *     for a writer, returns 0 (EOF) when there are no writers, -EAGAIN
 *     with O_NONBLOCK;
 *   - a write of at most PIPE_BUF bytes is atomic: it waits until the
 *     whole of it fits; a larger write may be split between readers;
 *   - a write with no readers fails with -EPIPE (the syscall layer also
 *     sends SIGPIPE);
 *   - a sleep interrupted by a signal returns -ERESTARTSYS if nothing was
 *     transferred, else the partial count;
 *   - a write whose buffer faults queues the bytes copied before the
 *     fault and returns their count, or -EFAULT if there are none; the
 *     reader never sees a byte the writer did not supply.
 *
 * The file operations are the vectored AIO methods (aio_read/aio_write)
 * only: read(), readv() and write() reach them through the VFS.
 *
 * A FIFO is the same object reached through a name: its inode keeps the
 * pipe in i_pipe while anyone has it open, and fifo_open() makes an
 * opener wait for the other side as POSIX asks.
 *
 * Locking: pipe->mutex protects the ring, the counters and the page
 * array. Sleepers drop it and wait on rd_wait (readers) or wr_wait
 * (writers); every change that could let a sleeper go on is followed by
 * a wake-up of the other side's queue. inode->i_lock protects i_pipe
 * and pipe->files.
 */
#include <asm/page.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/mm.h>
#include <kestrel/mutex.h>
#include <kestrel/poll.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/kstrtox.h>
#include <kestrel/uaccess.h>
#include <kestrel/wait.h>
#include <uapi/ioctls.h>
#include <uapi/statfs.h>

#include "internal.h"

#define PIPE_DEF_BUFFERS 16
#define PIPE_SIZE (PIPE_DEF_BUFFERS * PAGE_SIZE)

struct pipe_inode_info {
	struct mutex mutex; /* see the file comment */
	struct wait_queue_head rd_wait; /* readers waiting for data */
	struct wait_queue_head wr_wait; /* writers waiting for room */
	unsigned int head, tail; /* mutex: bytes written / read */
	unsigned int readers, writers; /* mutex: open ends */
	unsigned int r_counter, w_counter; /* mutex: FIFO opens, ever */
	unsigned int files; /* i_lock: files using this pipe */
	struct page *pages[PIPE_DEF_BUFFERS]; /* mutex: NULL until used */
};

static struct vfsmount *pipe_mnt;

static unsigned int pipe_len(const struct pipe_inode_info *pipe)
{
	return READ_ONCE(pipe->head) - READ_ONCE(pipe->tail);
}

static struct pipe_inode_info *alloc_pipe_info(void)
{
	struct pipe_inode_info *pipe = kzalloc(sizeof(*pipe), GFP_KERNEL);

	if (!pipe)
		return NULL;
	mutex_init(&pipe->mutex);
	init_waitqueue_head(&pipe->rd_wait);
	init_waitqueue_head(&pipe->wr_wait);
	return pipe;
}

void free_pipe_info(struct pipe_inode_info *pipe)
{
	unsigned int i;

	for (i = 0; i < PIPE_DEF_BUFFERS; i++)
		if (pipe->pages[i])
			__free_page(pipe->pages[i]);
	kfree(pipe);
}

/* ---- reading ------------------------------------------------------------ */

/* Copy what is there into @iter. mutex held. Bytes copied or -EFAULT. */
static ssize_t pipe_copy_out(struct pipe_inode_info *pipe,
			     struct iov_iter *iter)
{
	ssize_t done = 0;

	lockdep_assert_held(&pipe->mutex);
	while (pipe->head != pipe->tail && iov_iter_count(iter)) {
		unsigned int off = pipe->tail % PIPE_SIZE;
		size_t chunk = PAGE_SIZE - off % PAGE_SIZE, n;
		char *src = page_address(pipe->pages[off / PAGE_SIZE]);

		if (chunk > pipe->head - pipe->tail)
			chunk = pipe->head - pipe->tail;
		n = copy_to_iter(src + off % PAGE_SIZE, chunk, iter);
		pipe->tail += n;
		done += n;
		if (n < chunk)
			return done ? done : -EFAULT;
	}
	if (pipe->head == pipe->tail)
		pipe->head = pipe->tail = 0; /* rewind: reuse the first page */
	return done;
}

static bool pipe_readable(const struct pipe_inode_info *pipe)
{
	return pipe_len(pipe) || !READ_ONCE(pipe->writers);
}

static ssize_t pipe_read(struct kiocb *iocb, const struct iovec *iov,
			 unsigned long nr_segs, loff_t pos)
{
	struct pipe_inode_info *pipe = iocb->ki_filp->private_data;
	struct iov_iter iter;
	ssize_t ret = 0;

	kiocb_iter_init(&iter, iocb, iov, nr_segs);
	if (!iov_iter_count(&iter))
		return 0;
	mutex_lock(&pipe->mutex);
	for (;;) {
		ret = pipe_copy_out(pipe, &iter);
		if (ret || !pipe->writers)
			break;
		ret = -EAGAIN;
		if (iocb->ki_flags & IOCB_NOWAIT)
			break;
		mutex_unlock(&pipe->mutex);
		ret = wait_event_interruptible(pipe->rd_wait,
					       pipe_readable(pipe));
		mutex_lock(&pipe->mutex);
		if (ret)
			break;
	}
	mutex_unlock(&pipe->mutex);
	if (ret > 0)
		wake_up_interruptible_all(&pipe->wr_wait);
	return ret;
}

/* ---- writing ------------------------------------------------------------ */

/*
 * Copy from @iter into the free room; *@copied says how many bytes went
 * in. mutex held. Returns 0, -ENOMEM, or -EFAULT when the user's buffer
 * faulted: then only the bytes copied before the fault are queued.
 */
static int pipe_copy_in(struct pipe_inode_info *pipe, struct iov_iter *iter,
			size_t *copied)
{
	lockdep_assert_held(&pipe->mutex);
	*copied = 0;
	while (pipe->head - pipe->tail < PIPE_SIZE && iov_iter_count(iter)) {
		unsigned int off = pipe->head % PIPE_SIZE;
		struct page **page = &pipe->pages[off / PAGE_SIZE];
		size_t chunk = PAGE_SIZE - off % PAGE_SIZE, n;

		if (chunk > PIPE_SIZE - (pipe->head - pipe->tail))
			chunk = PIPE_SIZE - (pipe->head - pipe->tail);
		if (!*page)
			*page = alloc_page(GFP_KERNEL);
		if (!*page)
			return -ENOMEM;
		n = copy_from_iter((char *)page_address(*page) +
					   off % PAGE_SIZE,
				   chunk, iter);
		pipe->head += n;
		*copied += n;
		if (n < chunk)
			return -EFAULT;
	}
	return 0;
}

/* Room for a write that needs @need bytes free at once (or no readers). */
static bool pipe_writable(const struct pipe_inode_info *pipe, size_t need)
{
	return PIPE_SIZE - pipe_len(pipe) >= need || !READ_ONCE(pipe->readers);
}

/*
 * A fault in the user's buffer ends the write at once with what was
 * queued before it (or EFAULT): it does not wait for room to try the
 * bad address again.
 */
static ssize_t pipe_write(struct kiocb *iocb, const struct iovec *iov,
			  unsigned long nr_segs, loff_t pos)
{
	struct pipe_inode_info *pipe = iocb->ki_filp->private_data;
	struct iov_iter iter;
	size_t need, copied;
	ssize_t ret = 0;
	int err;

	kiocb_iter_init(&iter, iocb, iov, nr_segs);
	/* Atomic up to PIPE_BUF: wait until all of it fits. */
	need = iov_iter_count(&iter) <= PIPE_BUF ? iov_iter_count(&iter) : 1;
	if (!need)
		return 0;
	mutex_lock(&pipe->mutex);
	for (;;) {
		err = -EPIPE;
		if (!pipe->readers)
			break;
		err = 0;
		if (PIPE_SIZE - (pipe->head - pipe->tail) >= need) {
			err = pipe_copy_in(pipe, &iter, &copied);
			ret += copied;
		}
		if (err || !iov_iter_count(&iter))
			break;
		err = -EAGAIN;
		if (iocb->ki_flags & IOCB_NOWAIT)
			break;
		mutex_unlock(&pipe->mutex);
		if (ret)
			wake_up_interruptible_all(&pipe->rd_wait);
		err = wait_event_interruptible(pipe->wr_wait,
					       pipe_writable(pipe, need));
		mutex_lock(&pipe->mutex);
		if (err)
			break;
	}
	mutex_unlock(&pipe->mutex);
	if (ret)
		wake_up_interruptible_all(&pipe->rd_wait);
	return ret ? ret : err;
}

/* ---- poll, ioctl, release ----------------------------------------------- */

static unsigned int pipe_poll(struct file *file, poll_table *pt)
{
	struct pipe_inode_info *pipe = file->private_data;
	unsigned int mask = 0, len;

	poll_wait(file, &pipe->rd_wait, pt);
	poll_wait(file, &pipe->wr_wait, pt);
	len = pipe_len(pipe);
	if (file->f_mode & FMODE_READ) {
		if (len)
			mask |= POLLIN | POLLRDNORM;
		if (!READ_ONCE(pipe->writers))
			mask |= POLLHUP;
	}
	if (file->f_mode & FMODE_WRITE) {
		if (PIPE_SIZE - len >= PIPE_BUF)
			mask |= POLLOUT | POLLWRNORM;
		if (!READ_ONCE(pipe->readers))
			mask |= POLLERR;
	}
	return mask;
}

static long pipe_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct pipe_inode_info *pipe = file->private_data;
	int count;

	if (cmd != FIONREAD)
		return -ENOTTY;
	mutex_lock(&pipe->mutex);
	count = pipe->head - pipe->tail;
	mutex_unlock(&pipe->mutex);
	return copy_to_user((int __user *)arg, &count, sizeof(count)) ?
		       -EFAULT :
		       0;
}

/* Drop @file's use of @pipe; free it with the last. */
static void put_pipe_info(struct inode *inode, struct pipe_inode_info *pipe)
{
	bool last;

	spin_lock(&inode->i_lock);
	last = --pipe->files == 0;
	if (last)
		inode->i_pipe = NULL;
	spin_unlock(&inode->i_lock);
	if (last)
		free_pipe_info(pipe);
}

static int pipe_release(struct inode *inode, struct file *file)
{
	struct pipe_inode_info *pipe = file->private_data;

	mutex_lock(&pipe->mutex);
	if (file->f_mode & FMODE_READ)
		pipe->readers--;
	if (file->f_mode & FMODE_WRITE)
		pipe->writers--;
	mutex_unlock(&pipe->mutex);
	/* Sleepers must see the EOF or the EPIPE. */
	wake_up_interruptible_all(&pipe->rd_wait);
	wake_up_interruptible_all(&pipe->wr_wait);
	put_pipe_info(inode, pipe);
	return 0;
}

/* ---- FIFOs -------------------------------------------------------------- */

/* Find or make the FIFO's pipe and count this file as a user. */
static struct pipe_inode_info *fifo_get_pipe(struct inode *inode)
{
	struct pipe_inode_info *pipe, *new = NULL;

	for (;;) {
		spin_lock(&inode->i_lock);
		pipe = inode->i_pipe;
		if (!pipe && new) {
			inode->i_pipe = pipe = new;
			new = NULL;
		}
		if (pipe)
			pipe->files++;
		spin_unlock(&inode->i_lock);
		if (pipe)
			break;
		new = alloc_pipe_info();
		if (!new)
			return NULL;
	}
	if (new)
		free_pipe_info(new);
	return pipe;
}

/* Sleep until *@counter moves (the other side opened). mutex held. */
static int wait_for_partner(struct pipe_inode_info *pipe,
			    struct wait_queue_head *wq, unsigned int *counter)
{
	unsigned int cur = *counter;
	int err;

	lockdep_assert_held(&pipe->mutex);
	mutex_unlock(&pipe->mutex);
	err = wait_event_interruptible(*wq, READ_ONCE(*counter) != cur);
	mutex_lock(&pipe->mutex);
	return err;
}

static int fifo_open_locked(struct pipe_inode_info *pipe, struct file *file)
{
	bool nonblock = file->f_flags & O_NONBLOCK;

	switch (file->f_mode & (FMODE_READ | FMODE_WRITE)) {
	case FMODE_READ:
		pipe->r_counter++;
		pipe->readers++;
		wake_up_interruptible_all(&pipe->wr_wait);
		if (!pipe->writers && !nonblock &&
		    wait_for_partner(pipe, &pipe->rd_wait, &pipe->w_counter)) {
			pipe->readers--;
			return -ERESTARTSYS;
		}
		return 0;
	case FMODE_WRITE:
		if (nonblock && !pipe->readers)
			return -ENXIO;
		pipe->w_counter++;
		pipe->writers++;
		wake_up_interruptible_all(&pipe->rd_wait);
		if (!pipe->readers &&
		    wait_for_partner(pipe, &pipe->wr_wait, &pipe->r_counter)) {
			pipe->writers--;
			wake_up_interruptible_all(&pipe->rd_wait);
			return -ERESTARTSYS;
		}
		return 0;
	case FMODE_READ | FMODE_WRITE:
		/* Never blocks: it is its own partner (Linux's choice). */
		pipe->readers++;
		pipe->writers++;
		pipe->r_counter++;
		pipe->w_counter++;
		wake_up_interruptible_all(&pipe->rd_wait);
		wake_up_interruptible_all(&pipe->wr_wait);
		return 0;
	}
	return -EINVAL;
}

static int fifo_open(struct inode *inode, struct file *file)
{
	struct pipe_inode_info *pipe = fifo_get_pipe(inode);
	int err;

	if (!pipe)
		return -ENOMEM;
	nonseekable_open(inode, file);
	file->private_data = pipe;
	mutex_lock(&pipe->mutex);
	err = fifo_open_locked(pipe, file);
	mutex_unlock(&pipe->mutex);
	if (err)
		put_pipe_info(inode, pipe);
	return err;
}

const struct file_operations pipefifo_fops = {
	.open = fifo_open,
	.aio_read = pipe_read,
	.aio_write = pipe_write,
	.poll = pipe_poll,
	.ioctl = pipe_ioctl,
	.release = pipe_release,
};

/* ---- anonymous pipes ---------------------------------------------------- */

static int pipefs_dname(struct dentry *dentry, char *buf, int buflen)
{
	int len = snprintf(buf, buflen, "pipe:[%lu]", dentry->d_inode->i_ino);

	return len < buflen ? len : -ENAMETOOLONG;
}

static const struct dentry_operations pipefs_dentry_operations = {
	.d_dname = pipefs_dname,
};

static struct inode *get_pipe_inode(void)
{
	struct inode *inode = new_inode(pipe_mnt->mnt_sb);
	struct pipe_inode_info *pipe;

	if (!inode)
		return NULL;
	pipe = alloc_pipe_info();
	if (!pipe) {
		iput(inode);
		return NULL;
	}
	pipe->readers = pipe->writers = 1;
	pipe->files = 2;
	inode->i_pipe = pipe;
	inode->i_ino = get_next_ino();
	inode->i_fop = &pipefifo_fops;
	inode->i_mode = S_IFIFO | S_IRUSR | S_IWUSR;
	inode->i_uid = current_fsuid();
	inode->i_gid = current_fsgid();
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time(inode);
	return inode;
}

static struct file *open_pipe_end(const struct path *path, int flags)
{
	struct file *file = alloc_file(path, flags, &pipefifo_fops);

	if (!IS_ERR(file)) {
		file->private_data = path->dentry->d_inode->i_pipe;
		nonseekable_open(path->dentry->d_inode, file);
		file->f_mode |= FMODE_OPENED;
	}
	return file;
}

int do_pipe(struct file *files[2], int flags)
{
	static const struct qstr name = QSTR_INIT("", 0);
	struct path path = { .mnt = pipe_mnt };
	struct inode *inode;
	int err = -ENOMEM;

	if (flags & ~(O_NONBLOCK | O_CLOEXEC | O_DIRECT))
		return -EINVAL;
	flags &= O_NONBLOCK;
	inode = get_pipe_inode();
	if (!inode)
		return -ENOMEM;
	path.dentry = d_alloc_pseudo(pipe_mnt->mnt_sb, &name);
	if (!path.dentry)
		goto out_put_inode;
	d_instantiate(path.dentry, inode);
	files[0] = open_pipe_end(&path, O_RDONLY | flags);
	if (IS_ERR(files[0]))
		goto out_put_dentry;
	files[1] = open_pipe_end(&path, O_WRONLY | flags);
	if (IS_ERR(files[1]))
		goto out_put_read_end;
	dput(path.dentry);
	return 0;

out_put_read_end:
	/* Its release drops the reader count and one of the two uses. */
	fput(files[0]);
	put_pipe_info(inode, inode->i_pipe);
	dput(path.dentry);
	return err;
out_put_dentry:
	dput(path.dentry); /* and with it the inode and its pipe */
	return err;
out_put_inode:
	iput(inode);
	return err;
}

/* ---- pipefs ------------------------------------------------------------- */

static struct dentry *pipefs_mount(struct file_system_type *type, int flags,
				   const char *dev_name, void *data)
{
	return mount_pseudo(type, flags, NULL, &pipefs_dentry_operations,
			    PIPEFS_MAGIC);
}

static struct file_system_type pipe_fs_type = {
	.name = "pipefs",
	.mount = pipefs_mount,
	.kill_sb = kill_anon_super,
};

void pipe_init(void)
{
	register_filesystem(&pipe_fs_type);
	pipe_mnt = kern_mount(&pipe_fs_type);
	if (IS_ERR(pipe_mnt))
		panic("VFS: cannot mount pipefs (%ld)", PTR_ERR(pipe_mnt));
}
