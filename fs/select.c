/*
 * poll, ppoll, select, _newselect, the old select and pselect6, with the
 * *_time64 forms: waiting for several descriptors at once.
 *
 * One waiting loop serves them all (poll_wait_loop). A pass asks every
 * descriptor's ->poll what it can do now (vfs_poll); the first pass also
 * hands it a poll_table, through which the file queues the caller on
 * each wait queue whose wake-up may change the answer (poll_wait() in
 * <kestrel/poll.h>). If nothing is ready, the caller sleeps until one of
 * those queues is woken, the deadline passes or a signal comes, and
 * polls again. The registrations stay until the call returns; each holds
 * a reference to its file, so a descriptor closed meanwhile cannot free
 * the queue under us.
 *
 *	poll(fds)  --> do_sys_poll --.
 *	ppoll      --> (sigmask) ----+--> poll_wait_loop(scan, deadline)
 *	select     --> core_sys_select       | pass: ->scan(pt)
 *	pselect6   --> (sigmask) ----'       | sleep: schedule_timeout
 *
 * As in Linux:
 *   - a signal ends the wait with -ERESTARTNOHAND: a handler sees EINTR,
 *     otherwise the call restarts. select, pselect6 and ppoll write the
 *     time left back first, so their restart waits only for the rest;
 *     poll restarts with its full timeout (Linux keeps the rest in a
 *     restart block; Kestrel's has no room for poll's arguments);
 *   - ppoll and pselect6 install the caller's signal mask for the wait
 *     (saved_sigmask, restore_sigmask as sigsuspend does); when a signal
 *     interrupted it, the mask stays until the signal is delivered;
 *   - poll: nfds above RLIMIT_NOFILE is EINVAL; a negative fd is skipped,
 *     a closed one reports POLLNVAL; POLLERR and POLLHUP always count;
 *   - select: n is clamped to the descriptor table's size, a set bit
 *     naming a closed descriptor is EBADF.
 *
 * Locking: none of its own. files->file_lock is taken to read the open
 * descriptors for select. Every call may sleep.
 */
#include <asm/page.h>
#include <kestrel/bitmap.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs.h>
#include <kestrel/poll.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/time.h>
#include <kestrel/time64.h>
#include <kestrel/uaccess.h>
#include <kestrel/vmalloc.h>
#include <kestrel/wait.h>
#include <uapi/poll.h>
#include <uapi/time.h>

#include "syscalls.h"

/* ---- registrations on wait queues --------------------------------------- */

/* One registration: the poller queued on @wq for @file. */
struct poll_table_entry {
	struct file *file; /* a reference: keeps @wq alive */
	struct wait_queue_head *wq;
	struct wait_queue_entry wait;
};

/* More registrations than fit inline: a page of them. */
struct poll_table_page {
	struct poll_table_page *next;
	unsigned int nr;
	struct poll_table_entry entries[];
};

#define POLL_INLINE_ENTRIES 8
#define POLL_PAGE_ENTRIES                               \
	((PAGE_SIZE - sizeof(struct poll_table_page)) / \
	 sizeof(struct poll_table_entry))

/* A poller's registrations; on its stack, touched only by itself. */
struct poll_wqueues {
	poll_table pt;
	struct poll_table_page *table; /* newest first */
	int error; /* -ENOMEM: some registration was lost */
	unsigned int inline_used;
	struct poll_table_entry inline_entries[POLL_INLINE_ENTRIES];
};

static struct poll_table_entry *poll_get_entry(struct poll_wqueues *p)
{
	struct poll_table_page *page = p->table;

	if (p->inline_used < POLL_INLINE_ENTRIES)
		return &p->inline_entries[p->inline_used++];
	if (!page || page->nr == POLL_PAGE_ENTRIES) {
		page = kmalloc(PAGE_SIZE, GFP_KERNEL);
		if (!page) {
			p->error = -ENOMEM;
			return NULL;
		}
		page->nr = 0;
		page->next = p->table;
		p->table = page;
	}
	return &page->entries[page->nr++];
}

/*
 * The table's _qproc, called by a ->poll through poll_wait(). Queueing
 * with prepare_to_wait() also sets our state to TASK_INTERRUPTIBLE; see
 * poll_wait_loop() for why that is harmless.
 */
static void poll_queue(struct file *file, struct wait_queue_head *wq,
		       poll_table *pt)
{
	struct poll_wqueues *p = container_of(pt, struct poll_wqueues, pt);
	struct poll_table_entry *entry = poll_get_entry(p);

	if (!entry)
		return;
	entry->file = get_file(file);
	entry->wq = wq;
	init_wait_entry(&entry->wait, 0);
	prepare_to_wait(wq, &entry->wait, TASK_INTERRUPTIBLE);
}

static void poll_initwait(struct poll_wqueues *p)
{
	init_poll_funcptr(&p->pt, poll_queue);
	p->table = NULL;
	p->error = 0;
	p->inline_used = 0;
}

static void poll_free_entry(struct poll_table_entry *entry)
{
	finish_wait(entry->wq, &entry->wait);
	fput(entry->file);
}

/* Leave every queue and drop the file references. May sleep (fput). */
static void poll_freewait(struct poll_wqueues *p)
{
	struct poll_table_page *page, *next;
	unsigned int i;

	for (i = 0; i < p->inline_used; i++)
		poll_free_entry(&p->inline_entries[i]);
	for (page = p->table; page; page = next) {
		next = page->next;
		for (i = 0; i < page->nr; i++)
			poll_free_entry(&page->entries[i]);
		kfree(page);
	}
}

/* ---- deadlines ---------------------------------------------------------- */

/*
 * A deadline is a time on the monotonic clock in ns, or one of these:
 * "do not wait" (a zero timeout) and "no deadline" (none given, or one
 * too far away to represent).
 */
#define POLL_NO_WAIT 0ULL
#define POLL_FOREVER (~0ULL)

static u64 deadline_after(u64 ns)
{
	u64 now;

	if (!ns)
		return POLL_NO_WAIT;
	now = ktime_get_ns();
	if (ns >= POLL_FOREVER - now)
		return POLL_FOREVER;
	return now + ns;
}

static bool deadline_passed(u64 expires)
{
	return expires != POLL_FOREVER && ktime_get_ns() >= expires;
}

/* Sleep, in the state the caller set, until woken or @expires. */
static void poll_schedule(u64 expires)
{
	u64 now;

	if (expires == POLL_FOREVER) {
		schedule();
		return;
	}
	now = ktime_get_ns();
	if (now >= expires)
		return;
	/* At most MAX_JIFFY_OFFSET ticks: a longer wait loops. */
	schedule_timeout((long)nsecs_to_jiffies(expires - now));
}

/* ---- the waiting loop --------------------------------------------------- */

/*
 * What one pass looks at: ->scan polls every descriptor once, registers
 * through @pt unless it is NULL, and returns how many are ready.
 */
struct poll_scan {
	int (*scan)(struct poll_scan *ps, poll_table *pt);
};

/*
 * Pass over the descriptors until one is ready, @expires passes or a
 * signal comes. Returns the count, 0 (time is up), -ERESTARTNOHAND
 * (signal) or -ENOMEM (a registration failed and nothing was ready).
 *
 * Why no wake-up is lost: each pass starts by setting TASK_INTERRUPTIBLE,
 * and a file changes its state before it wakes its queue. A change after
 * the mark leaves us TASK_RUNNING, and schedule() then returns at once;
 * a change before it is seen by the pass. The exception is the pass that
 * registers: prepare_to_wait() sets TASK_INTERRUPTIBLE again at each
 * queue, which could undo a wake-up from a queue joined earlier in the
 * pass. So the loop never sleeps after registering: it makes one more
 * pass, which registers nothing, and sleeps after that one.
 */
static int poll_wait_loop(struct poll_scan *ps, u64 expires)
{
	struct poll_wqueues pwq;
	poll_table *pt = expires == POLL_NO_WAIT ? NULL : &pwq.pt;
	int ret;

	poll_initwait(&pwq);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		ret = ps->scan(ps, pt);
		if (ret || expires == POLL_NO_WAIT || deadline_passed(expires))
			break;
		ret = pwq.error;
		if (ret)
			break;
		if (signal_pending(current)) {
			ret = -ERESTARTNOHAND;
			break;
		}
		if (pt) {
			pt = NULL; /* registered: one more pass first */
			continue;
		}
		poll_schedule(expires);
	}
	set_current_state(TASK_RUNNING);
	poll_freewait(&pwq);
	return ret;
}

/* Arrays sized by the caller (pollfds, bitmaps): slab or vmalloc. */
static void *poll_alloc(size_t size)
{
	if (size <= KMALLOC_MAX_CACHE_SIZE)
		return kmalloc(size, GFP_KERNEL);
	return vmalloc(size);
}

static void poll_free(void *p, size_t size)
{
	if (size <= KMALLOC_MAX_CACHE_SIZE)
		kfree(p);
	else
		vfree(p);
}

/* ---- timeouts and signal masks from user space --------------------------- */

/* The layouts a timeout argument comes in. */
enum poll_time_type {
	PT_TIMEVAL, /* select: struct timeval, 32-bit */
	PT_OLD_TIMESPEC, /* ppoll, pselect6: struct timespec, 32-bit */
	PT_TIMESPEC64, /* *_time64: struct __kernel_timespec */
};

struct user_timeout {
	void __user *p; /* NULL: wait without a deadline */
	enum poll_time_type type;
};

/* select's timeval: tv_usec of a second or more carries into tv_sec. */
static int timeval_deadline(const struct timeval *tv, u64 *expires)
{
	struct timespec64 ts;

	if (tv->tv_sec < 0 || tv->tv_usec < 0)
		return -EINVAL;
	ts.tv_sec = (s64)tv->tv_sec + tv->tv_usec / (s32)USEC_PER_SEC;
	ts.tv_nsec = tv->tv_usec % (s32)USEC_PER_SEC * (long)NSEC_PER_USEC;
	*expires = deadline_after(timespec64_to_ns(&ts));
	return 0;
}

/* Read and check the timeout; *@expires gets the deadline. */
static int get_timeout(const struct user_timeout *ut, u64 *expires)
{
	struct timeval tv;
	u64 ns;
	int err;

	*expires = POLL_FOREVER;
	if (!ut->p)
		return 0;
	switch (ut->type) {
	case PT_TIMEVAL:
		if (copy_from_user(&tv, ut->p, sizeof(tv)))
			return -EFAULT;
		return timeval_deadline(&tv, expires);
	case PT_OLD_TIMESPEC:
		err = get_old_timespec32_ns(&ns, ut->p);
		break;
	default:
		err = get_timespec64_ns(&ns, ut->p);
	}
	if (!err)
		*expires = deadline_after(ns);
	return err;
}

/* Write @left ns into the user's timeout, in its layout. */
static int put_time_left(const struct user_timeout *ut, u64 left)
{
	struct timespec64 ts = ns_to_timespec64(left);
	struct timeval tv = ns_to_timeval(left);

	switch (ut->type) {
	case PT_TIMEVAL:
		return copy_to_user(ut->p, &tv, sizeof(tv)) ? -EFAULT : 0;
	case PT_OLD_TIMESPEC:
		return put_old_timespec32(&ts, ut->p);
	default:
		return put_timespec64(&ts, ut->p);
	}
}

/*
 * ppoll, pselect6: wait with @umask blocked. The old mask is kept in
 * saved_sigmask and restore_sigmask set, as sigsuspend does, so the
 * signal code puts it back if a signal interrupts the wait.
 */
static int set_user_sigmask(const sigset_t __user *umask, size_t sigsetsize)
{
	struct task *t = current;
	sigset_t kmask;

	if (!umask)
		return 0;
	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&kmask, umask, sizeof(kmask)))
		return -EFAULT;
	t->saved_sigmask = t->blocked;
	set_current_blocked(&kmask);
	t->restore_sigmask = true;
	return 0;
}

/*
 * The end of every call with a timeout argument (Linux's
 * poll_select_finish): put back the signal mask unless a signal
 * interrupted the wait (then its delivery does), and write the time left
 * back. If that write fails, the call cannot restart transparently: the
 * restart would wait for the whole timeout again.
 */
static int poll_select_finish(const struct user_timeout *ut, u64 expires,
			      int ret)
{
	struct task *t = current;
	u64 now;

	if (ret != -ERESTARTNOHAND && t->restore_sigmask) {
		t->restore_sigmask = false;
		set_current_blocked(&t->saved_sigmask);
	}
	if (!ut->p || expires == POLL_NO_WAIT || expires == POLL_FOREVER)
		return ret;
	now = ktime_get_ns();
	if (put_time_left(ut, expires > now ? expires - now : 0) &&
	    ret == -ERESTARTNOHAND)
		ret = -EINTR;
	return ret;
}

/* ---- poll --------------------------------------------------------------- */

/* A kernel copy of poll()'s array. */
struct poll_list {
	struct poll_scan ps;
	struct pollfd *fds;
	unsigned int nfds;
};

/* One pollfd: its revents. */
static unsigned int do_pollfd(const struct pollfd *pfd, poll_table *pt)
{
	unsigned int filter, mask;
	struct file *file;

	if (pfd->fd < 0)
		return 0;
	file = fget(pfd->fd);
	if (!file)
		return POLLNVAL;
	filter = (unsigned short)pfd->events | POLLERR | POLLHUP;
	if (pt)
		pt->_key = filter;
	mask = vfs_poll(file, pt) & filter;
	fput(file);
	return mask;
}

static int poll_scan_fds(struct poll_scan *ps, poll_table *pt)
{
	struct poll_list *pl = container_of(ps, struct poll_list, ps);
	unsigned int i;
	int count = 0;

	for (i = 0; i < pl->nfds; i++) {
		struct pollfd *pfd = &pl->fds[i];

		pfd->revents = do_pollfd(pfd, pt);
		if (pfd->revents) {
			count++;
			pt = NULL; /* we will not sleep: stop registering */
		}
	}
	return count;
}

/* Only revents goes back, entry by entry, as Linux writes it. */
static int put_revents(struct pollfd __user *ufds, const struct poll_list *pl)
{
	unsigned int i;

	for (i = 0; i < pl->nfds; i++)
		if (put_user(pl->fds[i].revents, &ufds[i].revents))
			return -EFAULT;
	return 0;
}

static int do_sys_poll(struct pollfd __user *ufds, unsigned int nfds,
		       u64 expires)
{
	struct poll_list pl = { .ps.scan = poll_scan_fds, .nfds = nfds };
	size_t size = (size_t)nfds * sizeof(struct pollfd);
	int ret;

	if (nfds > rlimit_nofile())
		return -EINVAL;
	pl.fds = poll_alloc(size);
	if (!pl.fds)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(pl.fds, ufds, size))
		goto out_free;
	ret = poll_wait_loop(&pl.ps, expires);
	if (put_revents(ufds, &pl))
		ret = -EFAULT;
out_free:
	poll_free(pl.fds, size);
	return ret;
}

SYSCALL_DEFINE3(poll, struct pollfd __user *, ufds, unsigned int, nfds, int,
		timeout_msecs)
{
	u64 expires = POLL_FOREVER;

	if (timeout_msecs >= 0)
		expires = deadline_after((u64)timeout_msecs * NSEC_PER_MSEC);
	return do_sys_poll(ufds, nfds, expires);
}

static long do_ppoll(struct pollfd __user *ufds, unsigned int nfds,
		     const struct user_timeout *ut,
		     const sigset_t __user *sigmask, size_t sigsetsize)
{
	u64 expires;
	int ret;

	ret = get_timeout(ut, &expires);
	if (ret)
		return ret;
	ret = set_user_sigmask(sigmask, sigsetsize);
	if (ret)
		return ret;
	ret = do_sys_poll(ufds, nfds, expires);
	return poll_select_finish(ut, expires, ret);
}

SYSCALL_DEFINE5(ppoll, struct pollfd __user *, ufds, unsigned int, nfds,
		struct timespec __user *, tsp, const sigset_t __user *, sigmask,
		size_t, sigsetsize)
{
	struct user_timeout ut = { .p = tsp, .type = PT_OLD_TIMESPEC };

	return do_ppoll(ufds, nfds, &ut, sigmask, sigsetsize);
}

SYSCALL_DEFINE5(ppoll_time64, struct pollfd __user *, ufds, unsigned int, nfds,
		struct __kernel_timespec __user *, tsp, const sigset_t __user *,
		sigmask, size_t, sigsetsize)
{
	struct user_timeout ut = { .p = tsp, .type = PT_TIMESPEC64 };

	return do_ppoll(ufds, nfds, &ut, sigmask, sigsetsize);
}

/* ---- select bitmaps ----------------------------------------------------- */

static unsigned long fds_word(const unsigned long *map, unsigned int i)
{
	return map ? map[i] : 0;
}

static bool fds_test(const unsigned long *map, unsigned int fd)
{
	return map && test_bit(fd, map);
}

static void fds_set(unsigned long *map, unsigned int fd)
{
	if (map)
		__set_bit(fd, map);
}

size_t fds_bytes(unsigned int n)
{
	return BITMAP_BYTES(n);
}

int select_max_fd(const struct select_sets *want, unsigned int n,
		  const unsigned long *open_fds)
{
	unsigned int words = BITS_TO_LONGS(n), i;
	int max = 0;

	for (i = 0; i < words; i++) {
		unsigned long set = fds_word(want->in, i) |
				    fds_word(want->out, i) |
				    fds_word(want->ex, i);

		if (i == words - 1)
			set &= BITMAP_LAST_WORD_MASK(n); /* bits past n */
		if (!set)
			continue;
		if (set & ~open_fds[i])
			return -EBADF;
		max = (int)(i * BITS_PER_LONG + __fls(set) + 1);
	}
	return max;
}

int select_mark(const struct select_sets *want, const struct select_sets *res,
		unsigned int fd, unsigned int mask)
{
	int count = 0;

	if ((mask & POLLIN_SET) && fds_test(want->in, fd)) {
		fds_set(res->in, fd);
		count++;
	}
	if ((mask & POLLOUT_SET) && fds_test(want->out, fd)) {
		fds_set(res->out, fd);
		count++;
	}
	if ((mask & POLLEX_SET) && fds_test(want->ex, fd)) {
		fds_set(res->ex, fd);
		count++;
	}
	return count;
}

/* ---- select ------------------------------------------------------------- */

/* Kernel copies of select()'s sets and its results. */
struct select_list {
	struct poll_scan ps;
	struct select_sets want, res;
	unsigned int n; /* highest descriptor asked about, plus one */
};

/* The POLL* events select() wants from @fd (for ->poll's key). */
static unsigned int select_events(const struct select_sets *want,
				  unsigned int fd)
{
	unsigned int events = 0;

	if (fds_test(want->in, fd))
		events |= POLLIN_SET;
	if (fds_test(want->out, fd))
		events |= POLLOUT_SET;
	if (fds_test(want->ex, fd))
		events |= POLLEX_SET;
	return events;
}

static int select_scan(struct poll_scan *ps, poll_table *pt)
{
	struct select_list *sl = container_of(ps, struct select_list, ps);
	unsigned int fd, events, mask;
	struct file *file;
	int count = 0;

	for (fd = 0; fd < sl->n; fd++) {
		events = select_events(&sl->want, fd);
		if (!events)
			continue;
		file = fget(fd);
		if (!file)
			continue; /* closed since select_max_fd(): POLLNVAL */
		if (pt)
			pt->_key = events;
		mask = vfs_poll(file, pt);
		fput(file);
		count += select_mark(&sl->want, &sl->res, fd, mask);
		if (count)
			pt = NULL; /* we will not sleep: stop registering */
	}
	return count;
}

/* The size of the current descriptor table, in descriptors. */
static unsigned int files_max_fds(void)
{
	struct files_struct *files = current->files;
	unsigned int max;

	spin_lock(&files->file_lock);
	max = files->fdt->max_fds;
	spin_unlock(&files->file_lock);
	return max;
}

static int select_check_open(struct select_list *sl)
{
	struct files_struct *files = current->files;
	int ret;

	spin_lock(&files->file_lock);
	ret = select_max_fd(&sl->want, sl->n, files->fdt->open_fds);
	spin_unlock(&files->file_lock);
	return ret;
}

static int get_fd_set(unsigned long *set, const unsigned long __user *uset,
		      size_t size)
{
	if (!uset) {
		memset(set, 0, size);
		return 0;
	}
	return copy_from_user(set, uset, size) ? -EFAULT : 0;
}

static int put_fd_set(unsigned long __user *uset, const unsigned long *set,
		      size_t size)
{
	if (!uset)
		return 0;
	return copy_to_user(uset, set, size) ? -EFAULT : 0;
}

/*
 * Six bitmaps in one allocation: in, out, ex asked, in, out, ex ready.
 * Results are written back only on success or timeout, not on a signal.
 */
static int core_sys_select(int n, unsigned long __user *inp,
			   unsigned long __user *outp,
			   unsigned long __user *exp, u64 expires)
{
	struct select_list sl = { .ps.scan = select_scan };
	unsigned int max_fds = files_max_fds();
	unsigned long *bits;
	size_t size, words;
	int ret;

	if (n < 0)
		return -EINVAL;
	sl.n = (unsigned int)n < max_fds ? (unsigned int)n : max_fds;
	size = fds_bytes(sl.n);
	words = size / sizeof(unsigned long);
	bits = poll_alloc(6 * size);
	if (!bits)
		return -ENOMEM;
	sl.want = (struct select_sets){ bits, bits + words, bits + 2 * words };
	sl.res = (struct select_sets){ bits + 3 * words, bits + 4 * words,
				       bits + 5 * words };
	memset(sl.res.in, 0, 3 * size);
	ret = get_fd_set(sl.want.in, inp, size);
	if (!ret)
		ret = get_fd_set(sl.want.out, outp, size);
	if (!ret)
		ret = get_fd_set(sl.want.ex, exp, size);
	if (!ret)
		ret = select_check_open(&sl);
	if (ret < 0)
		goto out_free;
	sl.n = ret;
	ret = poll_wait_loop(&sl.ps, expires);
	if (ret >= 0 && (put_fd_set(inp, sl.res.in, size) ||
			 put_fd_set(outp, sl.res.out, size) ||
			 put_fd_set(exp, sl.res.ex, size)))
		ret = -EFAULT;
out_free:
	poll_free(bits, 6 * size);
	return ret;
}

static long kern_select(int n, unsigned long __user *inp,
			unsigned long __user *outp, unsigned long __user *exp,
			struct timeval __user *tvp)
{
	struct user_timeout ut = { .p = tvp, .type = PT_TIMEVAL };
	u64 expires;
	int ret;

	ret = get_timeout(&ut, &expires);
	if (ret)
		return ret;
	ret = core_sys_select(n, inp, outp, exp, expires);
	return poll_select_finish(&ut, expires, ret);
}

SYSCALL_DEFINE5(_newselect, int, n, unsigned long __user *, inp,
		unsigned long __user *, outp, unsigned long __user *, exp,
		struct timeval __user *, tvp)
{
	return kern_select(n, inp, outp, exp, tvp);
}

/* The i386 select (82): its five arguments in a block in user memory. */
struct sel_arg_struct {
	unsigned long n;
	unsigned long __user *inp, *outp, *exp;
	struct timeval __user *tvp;
};

SYSCALL_DEFINE1(select, struct sel_arg_struct __user *, arg)
{
	struct sel_arg_struct a;

	if (copy_from_user(&a, arg, sizeof(a)))
		return -EFAULT;
	return kern_select(a.n, a.inp, a.outp, a.exp, a.tvp);
}

/* pselect6's sixth argument points at a signal mask and its size. */
struct sigset_argpack {
	const sigset_t __user *p;
	size_t size;
};

static long do_pselect(int n, unsigned long __user *inp,
		       unsigned long __user *outp, unsigned long __user *exp,
		       const struct user_timeout *ut,
		       const struct sigset_argpack __user *sig)
{
	struct sigset_argpack pack = { NULL, 0 };
	u64 expires;
	int ret;

	ret = get_timeout(ut, &expires);
	if (ret)
		return ret;
	if (sig && copy_from_user(&pack, sig, sizeof(pack)))
		return -EFAULT;
	ret = set_user_sigmask(pack.p, pack.size);
	if (ret)
		return ret;
	ret = core_sys_select(n, inp, outp, exp, expires);
	return poll_select_finish(ut, expires, ret);
}

SYSCALL_DEFINE6(pselect6, int, n, unsigned long __user *, inp,
		unsigned long __user *, outp, unsigned long __user *, exp,
		struct timespec __user *, tsp,
		const struct sigset_argpack __user *, sig)
{
	struct user_timeout ut = { .p = tsp, .type = PT_OLD_TIMESPEC };

	return do_pselect(n, inp, outp, exp, &ut, sig);
}

SYSCALL_DEFINE6(pselect6_time64, int, n, unsigned long __user *, inp,
		unsigned long __user *, outp, unsigned long __user *, exp,
		struct __kernel_timespec __user *, tsp,
		const struct sigset_argpack __user *, sig)
{
	struct user_timeout ut = { .p = tsp, .type = PT_TIMESPEC64 };

	return do_pselect(n, inp, outp, exp, &ut, sig);
}
