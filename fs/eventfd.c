/*
 * eventfd(2) and eventfd2(2): a 64-bit counter behind a descriptor, as
 * Linux has it.
 *
 *	read(fd, &u64, 8)    waits while the count is 0 (EAGAIN with
 *	                     O_NONBLOCK), then returns the count and sets
 *	                     it to 0; with EFD_SEMAPHORE returns 1 and
 *	                     takes 1 off. Fewer than 8 bytes: EINVAL.
 *	write(fd, &u64, 8)   adds; waits while the sum would pass
 *	                     0xfffffffffffffffe (EAGAIN with O_NONBLOCK);
 *	                     ~0ULL itself is EINVAL.
 *	poll                 POLLIN while the count is not 0, POLLOUT while
 *	                     1 more fits.
 *
 * The kernel adds with eventfd_signal() from any context, interrupts
 * included (the AIO layer, fs/aio.c, signals one per completion of a
 * request that asked with IOCB_FLAG_RESFD), so the count is under an
 * IRQ-safe spinlock. Sleepers wait on ctx->wqh for either direction
 * and recheck under the lock.
 *
 * The file is an anonymous inode (fs/anon_inodes.c): /proc/<pid>/fd
 * shows "anon_inode:[eventfd]".
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/eventfd.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs.h>
#include <kestrel/kref.h>
#include <kestrel/poll.h>
#include <kestrel/proc_fs.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/spinlock.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <kestrel/wait.h>

struct eventfd_ctx {
	struct kref kref;
	spinlock_t lock; /* count; IRQ-safe (eventfd_signal) */
	u64 count;
	unsigned int flags; /* EFD_SEMAPHORE */
	struct wait_queue_head wqh; /* readers and writers */
};

static const struct file_operations eventfd_fops;

static void eventfd_free(struct kref *kref)
{
	kfree(container_of(kref, struct eventfd_ctx, kref));
}

void eventfd_ctx_put(struct eventfd_ctx *ctx)
{
	kref_put(&ctx->kref, eventfd_free);
}

void eventfd_signal(struct eventfd_ctx *ctx, u64 n)
{
	unsigned long flags;

	spin_lock_irqsave(&ctx->lock, flags);
	/* Saturate as Linux: a signal is never lost, only merged. */
	if (n > EVENTFD_MAX - ctx->count)
		n = EVENTFD_MAX - ctx->count;
	ctx->count += n;
	spin_unlock_irqrestore(&ctx->lock, flags);
	wake_up_all(&ctx->wqh);
}

struct eventfd_ctx *eventfd_ctx_fdget(int fd)
{
	struct file *file = fget(fd);
	struct eventfd_ctx *ctx;

	if (!file)
		return ERR_PTR(-EBADF);
	if (file->f_op != &eventfd_fops) {
		fput(file);
		return ERR_PTR(-EINVAL);
	}
	ctx = file->private_data;
	kref_get(&ctx->kref);
	fput(file);
	return ctx;
}

/* The value read takes off now, or 0 when there is nothing. */
static u64 eventfd_take(struct eventfd_ctx *ctx)
{
	unsigned long flags;
	u64 n;

	spin_lock_irqsave(&ctx->lock, flags);
	n = ctx->count;
	if (n && (ctx->flags & EFD_SEMAPHORE))
		n = 1;
	ctx->count -= n;
	spin_unlock_irqrestore(&ctx->lock, flags);
	return n;
}

/* Add @n if it fits below the ceiling; false if it does not yet. */
static bool eventfd_add(struct eventfd_ctx *ctx, u64 n)
{
	unsigned long flags;
	bool fits;

	spin_lock_irqsave(&ctx->lock, flags);
	fits = n <= EVENTFD_MAX - ctx->count;
	if (fits)
		ctx->count += n;
	spin_unlock_irqrestore(&ctx->lock, flags);
	return fits;
}

static ssize_t eventfd_read(struct file *file, char __user *buf, size_t count,
			    loff_t *pos)
{
	struct eventfd_ctx *ctx = file->private_data;
	u64 n;
	int err;

	if (count < sizeof(n))
		return -EINVAL;
	while (!(n = eventfd_take(ctx))) {
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(ctx->wqh, READ_ONCE(ctx->count));
		if (err)
			return err;
	}
	wake_up_all(&ctx->wqh); /* writers waiting for room */
	if (copy_to_user(buf, &n, sizeof(n)))
		return -EFAULT;
	return sizeof(n);
}

static ssize_t eventfd_write(struct file *file, const char __user *buf,
			     size_t count, loff_t *pos)
{
	struct eventfd_ctx *ctx = file->private_data;
	u64 n;
	int err;

	if (count < sizeof(n))
		return -EINVAL;
	if (copy_from_user(&n, buf, sizeof(n)))
		return -EFAULT;
	if (n == ~0ULL)
		return -EINVAL;
	while (!eventfd_add(ctx, n)) {
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(
			ctx->wqh, n <= EVENTFD_MAX - READ_ONCE(ctx->count));
		if (err)
			return err;
	}
	if (n)
		wake_up_all(&ctx->wqh); /* readers */
	return sizeof(n);
}

static unsigned int eventfd_poll(struct file *file,
				 struct poll_table_struct *pt)
{
	struct eventfd_ctx *ctx = file->private_data;
	unsigned int mask = 0;
	unsigned long flags;
	u64 count;

	poll_wait(file, &ctx->wqh, pt);
	spin_lock_irqsave(&ctx->lock, flags);
	count = ctx->count;
	spin_unlock_irqrestore(&ctx->lock, flags);
	if (count > 0)
		mask |= POLLIN;
	if (count < EVENTFD_MAX)
		mask |= POLLOUT;
	return mask;
}

static int eventfd_release(struct inode *inode, struct file *file)
{
	eventfd_ctx_put(file->private_data);
	return 0;
}

static void eventfd_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct eventfd_ctx *ctx = file->private_data;
	unsigned long flags;
	u64 count;

	spin_lock_irqsave(&ctx->lock, flags);
	count = ctx->count;
	spin_unlock_irqrestore(&ctx->lock, flags);
	seq_printf(m, "eventfd-count: %16llx\n", (unsigned long long)count);
	seq_printf(m, "eventfd-semaphore: %d\n",
		   !!(ctx->flags & EFD_SEMAPHORE));
}

static const struct file_operations eventfd_fops = {
	.read = eventfd_read,
	.write = eventfd_write,
	.poll = eventfd_poll,
	.release = eventfd_release,
	.show_fdinfo = eventfd_show_fdinfo,
};

static long do_eventfd(unsigned int count, int flags)
{
	struct eventfd_ctx *ctx;
	struct file *file;
	int fd;

	if (flags & ~(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK))
		return -EINVAL;
	ctx = kmalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	kref_init(&ctx->kref);
	spin_lock_init(&ctx->lock);
	init_waitqueue_head(&ctx->wqh);
	ctx->count = count;
	ctx->flags = flags & EFD_SEMAPHORE;
	fd = get_unused_fd_flags(flags & O_CLOEXEC);
	if (fd < 0)
		goto out_free;
	file = anon_inode_getfile("[eventfd]", &eventfd_fops, ctx,
				  O_RDWR | (flags & O_NONBLOCK));
	if (IS_ERR(file)) {
		put_unused_fd(current->files, fd);
		fd = PTR_ERR(file);
		goto out_free;
	}
	fd_install(current->files, fd, file);
	return fd;

out_free:
	kfree(ctx);
	return fd;
}

SYSCALL_DEFINE2(eventfd2, unsigned int, count, int, flags)
{
	return do_eventfd(count, flags);
}

SYSCALL_DEFINE1(eventfd, unsigned int, count)
{
	return do_eventfd(count, 0);
}
