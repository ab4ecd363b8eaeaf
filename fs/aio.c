/*
 * Native asynchronous I/O: io_setup, io_submit, io_getevents, io_cancel
 * and io_destroy, as Linux has them (docs/aio.md has the picture).
 *
 * A context (struct kioctx) is a ring of completion events, pages the
 * kernel allocates and maps into the process (MAP_SHARED): the ring's
 * user address is the context id that io_setup returns, so libaio can
 * read the header and consume events with no system call.
 *
 *	ring page 0:  struct aio_ring {id, nr, head, tail, magic, ...}
 *	              io_event[0] io_event[1] ...   (32 bytes each)
 *	ring page 1:  io_event[127] ...
 *
 * The kernel fills slot `tail` and advances tail; whoever consumes
 * (io_getevents, or user space directly) takes slot `head` and advances
 * head. The kernel holds a reference on every ring page and writes
 * through its own mapping of them (page_address()), never through the
 * user's: a process that unmaps its ring only loses sight of it, and
 * no one else's memory can be written. The kernel keeps its own copy of
 * tail and reads head from the ring, reduced modulo nr: user space may
 * scribble on the header but only confuses itself.
 *
 * A request (struct aio_kiocb) holds the file, a kernel copy of its
 * segment array (the method may keep using it after it returns, seed
 * 001), an optional eventfd, and a kiocb whose ki_complete is
 * aio_complete(). It takes an event slot at submission, so the ring
 * can never overflow: at most nr - 1 requests in flight plus events
 * not yet consumed.
 *
 * Completion: a method that really is asynchronous returns -EIOCBQUEUED
 * and calls ki_complete later, from the disk's interrupt handler: a
 * block device opened with O_DIRECT does (fs/block_dev.c), and the
 * request stays on active_reqs until then. Every other file completes
 * inside io_submit, in the submitter's address space, and io_submit
 * posts the event itself. Posting is IRQ-safe (ctx->lock with
 * interrupts off, the ring through the kernel's mapping,
 * eventfd_signal()); what needs process context (fput, kfree of the
 * request, its eventfd reference) waits on ctx->done_reqs for the next
 * io_submit, io_getevents or io_destroy of the context (there is no
 * workqueue). A method that completes later must not copy through the
 * user's page tables from an interrupt: it pins the pages of the buffer
 * at submission, as Linux's direct I/O does, and unpins them in the
 * interrupt (put_page() is IRQ-safe: the zone lock is taken with
 * interrupts off).
 *
 * Cancellation: no request has a ki_cancel (Linux 6.1 has one only for
 * USB gadget files), so io_cancel is EINVAL, in flight or not.
 *
 * Lifetime: the mm's ioctx_list holds one reference on each live
 * context, every lookup and every request one more. io_destroy (or
 * exit_aio() when the mm's last user goes) takes the context off the
 * list, waits uninterruptibly for its requests in flight, frees the
 * finished ones and drops the list's reference. A child of fork()
 * inherits the ring's mapping (a plain MAP_SHARED mapping, as on Linux)
 * but not the context: its mm has an empty list, so the parent's id is
 * EINVAL there.
 *
 * Limits: each context counts its nr_events against /proc/sys/fs/
 * aio-max-nr (default 65536); aio-nr is the sum. EAGAIN past it.
 *
 * Locking: mm->ioctx_lock (spinlock) for the list; ctx->lock (IRQ-safe
 * spinlock) for tail, inflight, the active and done lists, dead;
 * ctx->ring_lock (mutex) serialises consumers of head; aio_nr_lock.
 */
#include <asm/page.h>
#include <kestrel/aio.h>
#include <kestrel/blkdev.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/eventfd.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs.h>
#include <kestrel/mm.h>
#include <kestrel/mman.h>
#include <kestrel/mutex.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/spinlock.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/time.h>
#include <kestrel/time64.h>
#include <kestrel/uaccess.h>
#include <kestrel/uio.h>
#include <kestrel/wait.h>
#include <uapi/mman.h>

#define KIOCB_KEY 0 /* what io_submit writes into iocb->aio_key */
/* io_submit plugs the block queues for more requests than this (Linux's
 * AIO_PLUG_THRESHOLD): they all reach the disk's queue before any is
 * dispatched, so they merge and the elevator orders them. */
#define AIO_PLUG_THRESHOLD 2

int aio_nr; /* aio_nr_lock */
int aio_max_nr = 0x10000;
static DEFINE_SPINLOCK(aio_nr_lock);

struct kioctx {
	atomic_t users;
	struct list_head list; /* X: in mm->ioctx_list */
	unsigned long user_id; /* c: the ring's user address */
	unsigned int max_reqs; /* c: what io_setup asked, in aio_nr */
	unsigned int nr_events; /* c: the ring's slots */
	unsigned int nr_pages; /* c */
	struct page **ring_pages; /* c: referenced */
	spinlock_t lock; /* IRQ-safe: the fields below */
	unsigned int tail; /* the kernel's copy */
	unsigned int inflight; /* submitted, not completed */
	struct list_head active_reqs; /* in flight */
	struct list_head done_reqs; /* completed, to free */
	bool dead; /* off the mm's list: no new requests */
	struct mutex ring_lock; /* consumers of head */
	struct wait_queue_head wait; /* io_getevents, io_destroy */
};

struct aio_kiocb {
	struct kiocb ki;
	struct kioctx *ctx; /* a reference */
	struct list_head list; /* ctx->active_reqs, then done_reqs */
	struct iovec *iov; /* kmalloc'd: outlives io_submit */
	unsigned long nr_segs;
	struct eventfd_ctx *eventfd; /* IOCB_FLAG_RESFD, or NULL */
	u64 user_iocb; /* io_event.obj */
	u64 user_data; /* io_event.data */
};

/* ---- the ring ----------------------------------------------------------- */

static struct aio_ring *ring_header(struct kioctx *ctx)
{
	return page_address(ctx->ring_pages[0]);
}

static struct io_event *ring_event(struct kioctx *ctx, unsigned int i)
{
	unsigned long off =
		sizeof(struct aio_ring) + i * sizeof(struct io_event);

	/* 32-byte events in 4 KiB pages after a 32-byte header: none
	 * straddles a page. */
	return (struct io_event *)((char *)page_address(
					   ctx->ring_pages[off >> PAGE_SHIFT]) +
				   (off & ~PAGE_MASK));
}

/* The consumer's position, as far as the kernel believes it. */
static unsigned int ring_head(struct kioctx *ctx)
{
	return READ_ONCE(ring_header(ctx)->head) % ctx->nr_events;
}

/* Events posted and not consumed. ctx->lock or ring_lock. */
static unsigned int ring_avail(struct kioctx *ctx, unsigned int head)
{
	return (ctx->tail + ctx->nr_events - head) % ctx->nr_events;
}

static void ring_put_pages(struct kioctx *ctx)
{
	unsigned int i;

	if (!ctx->ring_pages)
		return; /* failed before the ring was made */
	for (i = 0; i < ctx->nr_pages; i++)
		if (ctx->ring_pages[i])
			put_page(ctx->ring_pages[i]);
	kfree(ctx->ring_pages);
}

/*
 * Map nr_pages of shared anonymous memory into the caller and take a
 * reference on each page, faulting it in. The address is the id.
 */
static int ring_map(struct kioctx *ctx)
{
	struct mm_struct *mm = current->mm;
	unsigned long size = (unsigned long)ctx->nr_pages << PAGE_SHIFT;
	unsigned long addr, vm_flags;
	unsigned int i;
	int err = 0;

	ctx->ring_pages =
		kcalloc(ctx->nr_pages, sizeof(struct page *), GFP_KERNEL);
	if (!ctx->ring_pages)
		return -ENOMEM;
	addr = do_mmap(mm, 0, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, NULL, 0);
	if (IS_ERR_VALUE(addr))
		return -EAGAIN; /* as Linux, whatever the mmap said */
	for (i = 0; i < ctx->nr_pages && !err; i++)
		err = get_user_page_shared(mm, addr + i * PAGE_SIZE,
					   &ctx->ring_pages[i], &vm_flags);
	if (err) {
		do_munmap(mm, addr, size);
		return -EAGAIN;
	}
	ctx->user_id = addr;
	return 0;
}

static void ring_init_header(struct kioctx *ctx)
{
	struct aio_ring *ring = ring_header(ctx);

	ring->id = ctx->user_id;
	ring->nr = ctx->nr_events;
	ring->head = ring->tail = 0;
	ring->magic = AIO_RING_MAGIC;
	ring->compat_features = AIO_RING_COMPAT_FEATURES;
	ring->incompat_features = AIO_RING_INCOMPAT_FEATURES;
	ring->header_length = sizeof(struct aio_ring);
}

/* ---- contexts ----------------------------------------------------------- */

static void put_ioctx(struct kioctx *ctx)
{
	if (!atomic_dec_and_test(&ctx->users))
		return;
	ring_put_pages(ctx);
	kfree(ctx);
}

/* The live context @id of the caller's mm, referenced, or NULL. */
static struct kioctx *lookup_ioctx(unsigned long id)
{
	struct mm_struct *mm = current->mm;
	struct kioctx *ctx, *found = NULL;

	spin_lock(&mm->ioctx_lock);
	list_for_each_entry(ctx, &mm->ioctx_list, list) {
		if (ctx->user_id == id) {
			atomic_inc(&ctx->users);
			found = ctx;
			break;
		}
	}
	spin_unlock(&mm->ioctx_lock);
	return found;
}

/* Charge @nr to aio-nr: false if that would pass aio-max-nr. */
static bool aio_nr_charge(unsigned int nr)
{
	bool ok;

	spin_lock(&aio_nr_lock);
	ok = nr <= (unsigned int)aio_max_nr &&
	     (unsigned int)aio_nr <= (unsigned int)aio_max_nr - nr;
	if (ok)
		aio_nr += nr;
	spin_unlock(&aio_nr_lock);
	return ok;
}

static void aio_nr_uncharge(unsigned int nr)
{
	spin_lock(&aio_nr_lock);
	aio_nr -= nr;
	spin_unlock(&aio_nr_lock);
}

/*
 * Linux's sizing: at least 4 slots per CPU, doubled (half may sit in
 * other CPUs' caches there; kept for the same numbers), then as many as
 * fill the pages.
 */
static int ioctx_size(struct kioctx *ctx, unsigned int nr_events)
{
	unsigned long size;

	if (nr_events < 4)
		nr_events = 4;
	if (nr_events > 0x10000000U / sizeof(struct io_event) / 2)
		return -EINVAL;
	nr_events *= 2;
	size = sizeof(struct aio_ring) + nr_events * sizeof(struct io_event);
	ctx->nr_pages = PAGE_ALIGN(size) >> PAGE_SHIFT;
	ctx->nr_events =
		((ctx->nr_pages << PAGE_SHIFT) - sizeof(struct aio_ring)) /
		sizeof(struct io_event);
	return 0;
}

static struct kioctx *ioctx_alloc(unsigned int nr_events)
{
	struct mm_struct *mm = current->mm;
	struct kioctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	int err;

	if (!ctx)
		return ERR_PTR(-ENOMEM);
	atomic_set(&ctx->users, 1); /* the mm's list */
	spin_lock_init(&ctx->lock);
	mutex_init(&ctx->ring_lock);
	init_waitqueue_head(&ctx->wait);
	INIT_LIST_HEAD(&ctx->active_reqs);
	INIT_LIST_HEAD(&ctx->done_reqs);
	ctx->max_reqs = nr_events;
	err = ioctx_size(ctx, nr_events);
	if (!err && nr_events > (unsigned int)aio_max_nr)
		err = -EAGAIN;
	if (!err)
		err = ring_map(ctx);
	if (err)
		goto out_free;
	ring_init_header(ctx);
	if (!aio_nr_charge(ctx->max_reqs)) {
		err = -EAGAIN;
		goto out_unmap;
	}
	spin_lock(&mm->ioctx_lock);
	list_add(&ctx->list, &mm->ioctx_list);
	spin_unlock(&mm->ioctx_lock);
	return ctx;

out_unmap:
	do_munmap(mm, ctx->user_id, (size_t)ctx->nr_pages << PAGE_SHIFT);
out_free:
	put_ioctx(ctx);
	return ERR_PTR(err);
}

/* ---- requests ----------------------------------------------------------- */

static void aio_free_req(struct aio_kiocb *req)
{
	if (req->ki.ki_filp)
		fput(req->ki.ki_filp);
	if (req->eventfd)
		eventfd_ctx_put(req->eventfd);
	kfree(req->iov);
	put_ioctx(req->ctx);
	kfree(req);
}

/* Free the requests that completed since last time. Process context. */
static void aio_reap(struct kioctx *ctx)
{
	struct aio_kiocb *req, *tmp;
	unsigned long flags;
	LIST_HEAD(done);

	spin_lock_irqsave(&ctx->lock, flags);
	while (!list_empty(&ctx->done_reqs))
		list_move_tail(ctx->done_reqs.next, &done);
	spin_unlock_irqrestore(&ctx->lock, flags);
	list_for_each_entry_safe(req, tmp, &done, list)
		aio_free_req(req);
}

/*
 * ki_complete: post the event and wake the waiters. Any context: the
 * request is only moved to done_reqs here, freed by aio_reap().
 */
static void aio_complete(struct kiocb *kiocb, long res)
{
	struct aio_kiocb *req = container_of(kiocb, struct aio_kiocb, ki);
	struct kioctx *ctx = req->ctx;
	struct aio_ring *ring = ring_header(ctx);
	struct io_event *ev;
	unsigned long flags;

	spin_lock_irqsave(&ctx->lock, flags);
	ev = ring_event(ctx, ctx->tail);
	ev->data = req->user_data;
	ev->obj = req->user_iocb;
	ev->res = res;
	ev->res2 = 0;
	ctx->tail = (ctx->tail + 1) % ctx->nr_events;
	/* The event before the tail that publishes it: one CPU, and x86
	 * keeps stores in order; the compiler must too. */
	barrier();
	WRITE_ONCE(ring->tail, ctx->tail);
	spin_unlock_irqrestore(&ctx->lock, flags);
	if (req->eventfd)
		eventfd_signal(req->eventfd, 1);
	/* Last: once off the active list and counted out, the request and
	 * the context may be freed by aio_reap() or kill_ioctx() (another
	 * CPU, or a task that preempts this one). */
	spin_lock_irqsave(&ctx->lock, flags);
	list_move_tail(&req->list, &ctx->done_reqs);
	ctx->inflight--;
	wake_up_all(&ctx->wait);
	spin_unlock_irqrestore(&ctx->lock, flags);
}

/* Take an event slot and enter the active list: -EAGAIN if none. */
static int aio_get_slot(struct kioctx *ctx, struct aio_kiocb *req)
{
	unsigned int head = ring_head(ctx);
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&ctx->lock, flags);
	if (ctx->dead)
		err = -EINVAL;
	else if (ctx->inflight + ring_avail(ctx, head) >= ctx->nr_events - 1)
		err = -EAGAIN;
	else {
		ctx->inflight++;
		list_add_tail(&req->list, &ctx->active_reqs);
	}
	spin_unlock_irqrestore(&ctx->lock, flags);
	return err;
}

/* A request that failed before its I/O started: give the slot back. */
static void aio_put_slot(struct kioctx *ctx, struct aio_kiocb *req)
{
	unsigned long flags;

	spin_lock_irqsave(&ctx->lock, flags);
	list_del(&req->list);
	ctx->inflight--;
	spin_unlock_irqrestore(&ctx->lock, flags);
	wake_up_all(&ctx->wait); /* io_destroy may be waiting */
}

/* The segments of PREAD/PWRITE (one) or PREADV/PWRITEV (an array),
 * copied into req->iov, which the request owns. */
static int aio_import(struct aio_kiocb *req, const struct iocb *iocb)
{
	void __user *buf = (void __user *)(unsigned long)iocb->aio_buf;
	struct iovec fast[UIO_FASTIOV], *iov;
	ssize_t ret;

	if (iocb->aio_lio_opcode == IOCB_CMD_PREAD ||
	    iocb->aio_lio_opcode == IOCB_CMD_PWRITE) {
		if (!access_ok(buf, iocb->aio_nbytes))
			return -EFAULT;
		req->iov = kmalloc(sizeof(*req->iov), GFP_KERNEL);
		if (!req->iov)
			return -ENOMEM;
		req->iov->iov_base = buf;
		req->iov->iov_len = iocb->aio_nbytes;
		req->nr_segs = 1;
		return 0;
	}
	ret = import_iovec(buf, iocb->aio_nbytes, fast, &iov);
	if (ret < 0)
		return ret;
	req->nr_segs = iocb->aio_nbytes;
	if (iov != fast) {
		req->iov = iov;
		return 0;
	}
	req->iov = kmalloc_array(req->nr_segs ?: 1, sizeof(*iov), GFP_KERNEL);
	if (!req->iov)
		return -ENOMEM;
	memcpy(req->iov, fast, req->nr_segs * sizeof(*iov));
	return 0;
}

/* Errors a method may return that mean "interrupted": the event says
 * EINTR, there is no system call to restart (Linux's aio_rw_done). */
static long aio_result(long res)
{
	if (res == -ERESTARTSYS || res == -ERESTARTNOINTR ||
	    res == -ERESTARTNOHAND || res == -ERESTART_RESTARTBLOCK)
		return -EINTR;
	return res;
}

static int aio_rw(struct aio_kiocb *req, const struct iocb *iocb,
		  enum rw_dir dir)
{
	struct file *file = req->ki.ki_filp;
	ssize_t ret;

	if (!(file->f_mode & (dir == READ ? FMODE_READ : FMODE_WRITE)))
		return -EBADF;
	ret = aio_import(req, iocb);
	if (!ret)
		ret = vfs_iocb_check(&req->ki, dir, req->iov, req->nr_segs);
	if (ret)
		return ret;
	ret = vfs_iocb_rw(&req->ki, dir, req->iov, req->nr_segs);
	if (ret != -EIOCBQUEUED)
		aio_complete(&req->ki, aio_result(ret));
	return 0;
}

static int aio_fsync(struct aio_kiocb *req, const struct iocb *iocb,
		     bool datasync)
{
	struct file *file = req->ki.ki_filp;

	if (iocb->aio_buf || iocb->aio_offset || iocb->aio_nbytes ||
	    iocb->aio_rw_flags)
		return -EINVAL;
	if (!file->f_op->fsync)
		return -EINVAL;
	aio_complete(&req->ki, aio_result(vfs_fsync(file, datasync)));
	return 0;
}

/* Start the request; 0 once it is in flight (or done), else -errno. */
static int aio_dispatch(struct aio_kiocb *req, const struct iocb *iocb)
{
	switch (iocb->aio_lio_opcode) {
	case IOCB_CMD_PREAD:
	case IOCB_CMD_PREADV:
		return aio_rw(req, iocb, READ);
	case IOCB_CMD_PWRITE:
	case IOCB_CMD_PWRITEV:
		return aio_rw(req, iocb, WRITE);
	case IOCB_CMD_FSYNC:
		return aio_fsync(req, iocb, false);
	case IOCB_CMD_FDSYNC:
		return aio_fsync(req, iocb, true);
	default:
		pr_debug("aio: invalid opcode %u\n", iocb->aio_lio_opcode);
		return -EINVAL;
	}
}

/* The parts of the request that need no slot: file, eventfd, key. */
static int aio_prep(struct aio_kiocb *req, const struct iocb *iocb,
		    struct iocb __user *uiocb)
{
	if (iocb->aio_rw_flags)
		return -EOPNOTSUPP; /* no RWF_* flag is supported */
	req->ki.ki_filp = fget(iocb->aio_fildes);
	if (!req->ki.ki_filp)
		return -EBADF;
	req->ki.ki_pos = iocb->aio_offset;
	req->ki.ki_complete = aio_complete;
	req->user_iocb = (unsigned long)uiocb;
	req->user_data = iocb->aio_data;
	if (iocb->aio_flags & IOCB_FLAG_RESFD) {
		struct eventfd_ctx *ev = eventfd_ctx_fdget(iocb->aio_resfd);

		if (IS_ERR(ev))
			return PTR_ERR(ev);
		req->eventfd = ev;
	}
	return put_user((u32)KIOCB_KEY, &uiocb->aio_key) ? -EFAULT : 0;
}

static int io_submit_one(struct kioctx *ctx, struct iocb __user *uiocb)
{
	struct aio_kiocb *req;
	struct iocb iocb;
	int err;

	if (copy_from_user(&iocb, uiocb, sizeof(iocb)))
		return -EFAULT;
	if (iocb.aio_reserved2)
		return -EINVAL;
	if (iocb.aio_buf != (unsigned long)iocb.aio_buf ||
	    iocb.aio_nbytes != (size_t)iocb.aio_nbytes ||
	    (ssize_t)iocb.aio_nbytes < 0)
		return -EINVAL;
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -EAGAIN;
	atomic_inc(&ctx->users);
	req->ctx = ctx;
	err = aio_prep(req, &iocb, uiocb);
	if (!err)
		err = aio_get_slot(ctx, req);
	if (err) {
		aio_free_req(req);
		return err;
	}
	err = aio_dispatch(req, &iocb);
	if (err) {
		aio_put_slot(ctx, req);
		aio_free_req(req);
	}
	return err;
}

/* ---- consuming events --------------------------------------------------- */

/* Copy up to @nr events from the ring to @events; the count or -EFAULT. */
static long aio_read_events(struct kioctx *ctx, long nr,
			    struct io_event __user *events)
{
	struct aio_ring *ring = ring_header(ctx);
	unsigned int head, tail;
	unsigned long flags;
	long ret = 0;

	mutex_lock(&ctx->ring_lock);
	head = ring_head(ctx);
	spin_lock_irqsave(&ctx->lock, flags);
	tail = ctx->tail;
	spin_unlock_irqrestore(&ctx->lock, flags);
	while (ret < nr && head != tail) {
		if (copy_to_user(events + ret, ring_event(ctx, head),
				 sizeof(struct io_event))) {
			if (!ret)
				ret = -EFAULT;
			break;
		}
		head = (head + 1) % ctx->nr_events;
		ret++;
	}
	WRITE_ONCE(ring->head, head);
	mutex_unlock(&ctx->ring_lock);
	return ret;
}

static bool aio_has_events(struct kioctx *ctx)
{
	return READ_ONCE(ctx->tail) != ring_head(ctx) || READ_ONCE(ctx->dead);
}

/* Sleep until an event, @expires (ns, monotonic; ~0: never) or a signal. */
static void aio_wait(struct kioctx *ctx, u64 expires)
{
	struct wait_queue_entry wait;
	u64 now;

	init_wait_entry(&wait, 0);
	prepare_to_wait(&ctx->wait, &wait, TASK_INTERRUPTIBLE);
	if (!aio_has_events(ctx) && !signal_pending(current)) {
		if (expires == ~0ULL) {
			schedule();
		} else {
			now = ktime_get_ns();
			if (now < expires)
				schedule_timeout(
					(long)nsecs_to_jiffies(expires - now));
		}
	}
	finish_wait(&ctx->wait, &wait);
}

/*
 * Linux's read_events(): at least @min_nr and at most @nr events, or
 * fewer if the deadline passes (0 returns what is there) or a signal
 * comes (EINTR if nothing was read).
 */
static long read_events(struct kioctx *ctx, long min_nr, long nr,
			struct io_event __user *events, u64 expires)
{
	long ret = 0, n;

	for (;;) {
		aio_reap(ctx);
		n = aio_read_events(ctx, nr - ret, events + ret);
		if (n < 0)
			return ret ? ret : n;
		ret += n;
		if (ret >= min_nr || READ_ONCE(ctx->dead))
			return ret;
		if (expires != ~0ULL && ktime_get_ns() >= expires)
			return ret;
		if (signal_pending(current))
			return ret ? ret : -EINTR;
		aio_wait(ctx, expires);
	}
}

/* ---- destruction -------------------------------------------------------- */

/* Off the list already: wait for the requests in flight, free them,
 * give the slots back to aio-nr and drop the list's reference. */
static void kill_ioctx(struct kioctx *ctx)
{
	unsigned long flags;

	spin_lock_irqsave(&ctx->lock, flags);
	ctx->dead = true;
	spin_unlock_irqrestore(&ctx->lock, flags);
	wake_up_all(&ctx->wait);
	wait_event(ctx->wait, READ_ONCE(ctx->inflight) == 0);
	aio_reap(ctx);
	aio_nr_uncharge(ctx->max_reqs);
	put_ioctx(ctx);
}

/* Take @ctx off @mm's list; false if someone else already did. */
static bool unlink_ioctx(struct mm_struct *mm, struct kioctx *ctx)
{
	bool was_live;

	spin_lock(&mm->ioctx_lock);
	was_live = !list_empty(&ctx->list);
	list_del_init(&ctx->list);
	spin_unlock(&mm->ioctx_lock);
	return was_live;
}

void exit_aio(struct mm_struct *mm)
{
	struct kioctx *ctx;

	for (;;) {
		spin_lock(&mm->ioctx_lock);
		ctx = list_first_entry_or_null(&mm->ioctx_list, struct kioctx,
					       list);
		if (ctx)
			list_del_init(&ctx->list);
		spin_unlock(&mm->ioctx_lock);
		if (!ctx)
			return;
		/* The mm is going: its mappings go with it, no munmap. */
		kill_ioctx(ctx);
	}
}

/* ---- system calls ------------------------------------------------------- */

SYSCALL_DEFINE2(io_setup, unsigned int, nr_events, aio_context_t __user *, ctxp)
{
	struct kioctx *ctx;
	unsigned long id;

	if (get_user(id, ctxp))
		return -EFAULT;
	if (id || !nr_events)
		return -EINVAL;
	ctx = ioctx_alloc(nr_events);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	if (put_user(ctx->user_id, ctxp)) {
		if (unlink_ioctx(current->mm, ctx)) {
			do_munmap(current->mm, ctx->user_id,
				  (size_t)ctx->nr_pages << PAGE_SHIFT);
			kill_ioctx(ctx);
		}
		return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE1(io_destroy, aio_context_t, ctx_id)
{
	struct kioctx *ctx = lookup_ioctx(ctx_id);
	bool was_live;

	if (!ctx)
		return -EINVAL;
	was_live = unlink_ioctx(current->mm, ctx);
	if (was_live) {
		do_munmap(current->mm, ctx->user_id,
			  (size_t)ctx->nr_pages << PAGE_SHIFT);
		kill_ioctx(ctx);
	}
	put_ioctx(ctx);
	return was_live ? 0 : -EINVAL;
}

SYSCALL_DEFINE3(io_submit, aio_context_t, ctx_id, long, nr,
		struct iocb __user *__user *, iocbpp)
{
	struct blk_plug plug;
	struct kioctx *ctx;
	long i;
	int ret = 0;

	if (nr < 0)
		return -EINVAL;
	ctx = lookup_ioctx(ctx_id);
	if (!ctx)
		return -EINVAL;
	aio_reap(ctx);
	if ((unsigned long)nr > ctx->nr_events)
		nr = ctx->nr_events;
	if (nr > AIO_PLUG_THRESHOLD)
		blk_start_plug(&plug);
	for (i = 0; i < nr; i++) {
		struct iocb __user *uiocb;

		if (get_user(uiocb, iocbpp + i)) {
			ret = -EFAULT;
			break;
		}
		ret = io_submit_one(ctx, uiocb);
		if (ret)
			break;
	}
	if (nr > AIO_PLUG_THRESHOLD)
		blk_finish_plug(&plug);
	put_ioctx(ctx);
	return i ? i : ret;
}

SYSCALL_DEFINE3(io_cancel, aio_context_t, ctx_id, struct iocb __user *, iocb,
		struct io_event __user *, result)
{
	struct aio_kiocb *req;
	struct kioctx *ctx;
	unsigned long flags;
	int ret = -EINVAL;
	u32 key;

	if (get_user(key, &iocb->aio_key))
		return -EFAULT;
	if (key != KIOCB_KEY)
		return -EINVAL;
	ctx = lookup_ioctx(ctx_id);
	if (!ctx)
		return -EINVAL;
	/*
	 * No request can be cancelled: reads and writes, direct ones
	 * included, have no ki_cancel (Linux 6.1 has one only for USB
	 * gadget files). Linux keeps such requests off active_reqs, so
	 * io_cancel does not find them: EINVAL, in flight or done alike.
	 * The request completes normally and posts its event.
	 */
	spin_lock_irqsave(&ctx->lock, flags);
	list_for_each_entry(req, &ctx->active_reqs, list)
		if (req->user_iocb == (unsigned long)iocb) {
			pr_debug(
				"aio: io_cancel: in flight, not cancellable\n");
			break;
		}
	spin_unlock_irqrestore(&ctx->lock, flags);
	put_ioctx(ctx);
	return ret;
}

/* io_getevents with the deadline in ns on the monotonic clock. */
static long do_io_getevents(aio_context_t ctx_id, long min_nr, long nr,
			    struct io_event __user *events, u64 expires)
{
	struct kioctx *ctx = lookup_ioctx(ctx_id);
	long ret = -EINVAL;

	if (!ctx)
		return -EINVAL;
	if (min_nr <= nr && min_nr >= 0)
		ret = read_events(ctx, min_nr, nr, events, expires);
	put_ioctx(ctx);
	return ret;
}

SYSCALL_DEFINE5(io_getevents, aio_context_t, ctx_id, long, min_nr, long, nr,
		struct io_event __user *, events, struct timespec __user *,
		timeout)
{
	u64 expires = ~0ULL, ns;
	int err;

	if (timeout) {
		err = get_old_timespec32_ns(&ns, timeout);
		if (err)
			return err;
		expires = ns >= ~0ULL - ktime_get_ns() ? ~0ULL :
							 ktime_get_ns() + ns;
	}
	return do_io_getevents(ctx_id, min_nr, nr, events, expires);
}
