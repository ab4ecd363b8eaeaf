/*
 * Futexes (fast user-space mutexes): WAIT, WAKE, REQUEUE, CMP_REQUEUE,
 * WAIT_BITSET and WAKE_BITSET, private or not, with timeouts.
 *
 * Sleepers hang in a hash table of queues keyed by (address space, user
 * address). A waiter queues itself *before* it reads the futex word, so
 * a waker that changes the word and then wakes always finds it queued:
 * either the waiter reads the new value and leaves, or it is already in
 * the queue and gets woken. (Reading first and queueing second would
 * lose a wake-up in between.)
 *
 * Limitation: the key is the virtual address in the caller's address
 * space, for private and shared futexes alike, so a futex in memory
 * shared between processes is not matched across them.
 *
 * Locking: each bucket's lock (irqsave: wake-ups may come from timers)
 * guards its queue and the queued futex_q's fields.
 */
#include <kestrel/errno.h>
#include <kestrel/futex.h>
#include <kestrel/math64.h>
#include <kestrel/sched.h>
#include <kestrel/spinlock.h>
#include <kestrel/syscalls.h>
#include <kestrel/time.h>
#include <kestrel/uaccess.h>
#include <uapi/time.h>

#define FUTEX_HASH_BITS 8
#define FUTEX_HASH_SIZE (1U << FUTEX_HASH_BITS)

struct futex_key {
	const void *mm;
	unsigned long uaddr;
};

struct futex_q {
	struct list_head list;
	struct task *task;
	struct futex_key key;
	u32 bitset;
	bool woken; /* dequeued by a waker */
};

struct futex_bucket {
	spinlock_t lock; /* list and the queued futex_q's */
	struct list_head list;
};

static struct futex_bucket futex_queues[FUTEX_HASH_SIZE];
static bool futex_ready;

static void futex_init_once(void)
{
	unsigned int i;

	if (futex_ready)
		return;
	for (i = 0; i < FUTEX_HASH_SIZE; i++) {
		spin_lock_init(&futex_queues[i].lock);
		INIT_LIST_HEAD(&futex_queues[i].list);
	}
	futex_ready = true;
}

static struct futex_key futex_key(u32 __user *uaddr)
{
	struct futex_key key = {
		.mm = current->mm,
		.uaddr = (unsigned long)(uintptr_t)uaddr,
	};

	return key;
}

static struct futex_bucket *futex_bucket(const struct futex_key *key)
{
	u32 h = (u32)(key->uaddr >> 2) * 0x9e3779b9u ^ (u32)(uintptr_t)key->mm;

	return &futex_queues[h >> (32 - FUTEX_HASH_BITS)];
}

static bool key_equal(const struct futex_key *a, const struct futex_key *b)
{
	return a->mm == b->mm && a->uaddr == b->uaddr;
}

/* Can @uaddr be a futex: aligned, in user space? */
static int futex_check_addr(u32 __user *uaddr)
{
	if ((uintptr_t)uaddr % sizeof(u32))
		return -EINVAL;
	if (!access_ok(uaddr, sizeof(u32)))
		return -EFAULT;
	return 0;
}

static int futex_wait(u32 __user *uaddr, u32 val, long timeout, u32 bitset)
{
	struct futex_q q = { .task = current, .bitset = bitset };
	struct futex_bucket *b;
	unsigned long flags;
	u32 cur;
	int ret = 0;

	q.key = futex_key(uaddr);
	b = futex_bucket(&q.key);
	spin_lock_irqsave(&b->lock, flags);
	list_add_tail(&q.list, &b->list);
	spin_unlock_irqrestore(&b->lock, flags);

	if (get_user(cur, uaddr))
		ret = -EFAULT;
	else if (cur != val)
		ret = -EAGAIN;
	while (!ret) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (READ_ONCE(q.woken))
			break;
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		if (!timeout) {
			ret = -ETIMEDOUT;
			break;
		}
		timeout = schedule_timeout(timeout);
	}
	set_current_state(TASK_RUNNING);
	spin_lock_irqsave(&b->lock, flags);
	if (!q.woken)
		list_del(&q.list);
	else
		ret = 0; /* woken wins over a late signal or timeout */
	spin_unlock_irqrestore(&b->lock, flags);
	return ret;
}

static void wake_q(struct futex_q *q)
{
	list_del(&q->list);
	q->woken = true;
	wake_up_process(q->task);
}

static int futex_wake_key(const struct futex_key *key, int nr, u32 bitset)
{
	struct futex_bucket *b = futex_bucket(key);
	struct futex_q *q, *n;
	unsigned long flags;
	int woken = 0;

	spin_lock_irqsave(&b->lock, flags);
	list_for_each_entry_safe(q, n, &b->list, list) {
		if (woken >= nr)
			break;
		if (!key_equal(&q->key, key) || !(q->bitset & bitset))
			continue;
		wake_q(q);
		woken++;
	}
	spin_unlock_irqrestore(&b->lock, flags);
	return woken;
}

int futex_wake(u32 __user *uaddr, int nr, u32 bitset)
{
	struct futex_key key;

	futex_init_once();
	if (futex_check_addr(uaddr) || !bitset)
		return 0;
	key = futex_key(uaddr);
	return futex_wake_key(&key, nr, bitset);
}

/* Wake @nr waiters of @uaddr, move up to @nr2 more to @uaddr2. */
static int futex_requeue(u32 __user *uaddr, u32 __user *uaddr2, int nr, int nr2,
			 const u32 *cmpval)
{
	struct futex_key k1 = futex_key(uaddr), k2 = futex_key(uaddr2);
	struct futex_bucket *b1 = futex_bucket(&k1), *b2 = futex_bucket(&k2);
	struct futex_q *q, *n;
	unsigned long flags;
	int done = 0;
	u32 cur;

	if (cmpval && (get_user(cur, uaddr) || cur != *cmpval))
		return get_user(cur, uaddr) ? -EFAULT : -EAGAIN;
	/* One CPU, interrupts off: taking both bucket locks in address
	 * order keeps this correct for SMP too. */
	local_irq_save(flags);
	spin_lock(b1 < b2 ? &b1->lock : &b2->lock);
	if (b1 != b2)
		spin_lock(b1 < b2 ? &b2->lock : &b1->lock);
	list_for_each_entry_safe(q, n, &b1->list, list) {
		if (!key_equal(&q->key, &k1))
			continue;
		if (done < nr) {
			wake_q(q);
		} else if (done < nr + nr2) {
			q->key = k2;
			list_move_tail(&q->list, &b2->list);
		} else {
			break;
		}
		done++;
	}
	if (b1 != b2)
		spin_unlock(b1 < b2 ? &b2->lock : &b1->lock);
	spin_unlock(b1 < b2 ? &b1->lock : &b2->lock);
	local_irq_restore(flags);
	return done;
}

#define MAX_TIMEOUT_NS (3600ULL * 24 * 365 * NSEC_PER_SEC) /* a year */

/*
 * A relative (WAIT) or absolute (WAIT_BITSET: on the monotonic clock,
 * or the real-time clock with FUTEX_CLOCK_REALTIME) timeout of
 * @timeout_ns, in ticks; MAX_SCHEDULE_TIMEOUT without one.
 */
static long futex_timeout(const u64 *timeout_ns, bool absolute, int op)
{
	u64 ns, now;

	if (!timeout_ns)
		return MAX_SCHEDULE_TIMEOUT;
	ns = *timeout_ns;
	if (absolute) {
		now = op & FUTEX_CLOCK_REALTIME ? ktime_get_real_ns() :
						  ktime_get_ns();
		ns = ns > now ? ns - now : 0;
	}
	if (ns > MAX_TIMEOUT_NS)
		return MAX_SCHEDULE_TIMEOUT;
	return (long)div_u64(ns + NSEC_PER_SEC / HZ - 1, NSEC_PER_SEC / HZ);
}

long do_futex(u32 __user *uaddr, int op, u32 val, const u64 *ts,
	      u32 __user *uaddr2, u32 val2, u32 val3)
{
	int cmd = op & FUTEX_CMD_MASK, err;

	futex_init_once();
	err = futex_check_addr(uaddr);
	if (err)
		return err;
	switch (cmd) {
	case FUTEX_WAIT:
		return futex_wait(uaddr, val, futex_timeout(ts, false, op),
				  FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAIT_BITSET:
		if (!val3)
			return -EINVAL;
		return futex_wait(uaddr, val, futex_timeout(ts, true, op),
				  val3);
	case FUTEX_WAKE:
		return futex_wake(uaddr, (int)val, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAKE_BITSET:
		return val3 ? futex_wake(uaddr, (int)val, val3) : -EINVAL;
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		if (futex_check_addr(uaddr2) || (int)val < 0 || (int)val2 < 0)
			return -EINVAL;
		return futex_requeue(uaddr, uaddr2, (int)val, (int)val2,
				     cmd == FUTEX_CMP_REQUEUE ? &val3 : NULL);
	default:
		return -ENOSYS;
	}
}

static bool futex_has_timeout(int op)
{
	int cmd = op & FUTEX_CMD_MASK;

	return cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET;
}

/* A timespec from user space as nanoseconds; -EINVAL if malformed. */
static int timespec_to_ns(s64 sec, s64 nsec, u64 *ns)
{
	if (sec < 0 || nsec < 0 || nsec >= (s64)NSEC_PER_SEC)
		return -EINVAL;
	*ns = (u64)sec * NSEC_PER_SEC + (u64)nsec;
	return 0;
}

SYSCALL_DEFINE6(futex, u32 __user *, uaddr, int, op, u32, val,
		const struct timespec __user *, utime, u32 __user *, uaddr2,
		u32, val3)
{
	bool timed = utime && futex_has_timeout(op);
	struct timespec ts;
	u64 ns;

	if (timed) {
		if (copy_from_user(&ts, utime, sizeof(ts)))
			return -EFAULT;
		if (timespec_to_ns(ts.tv_sec, ts.tv_nsec, &ns))
			return -EINVAL;
	}
	return do_futex(uaddr, op, val, timed ? &ns : NULL, uaddr2,
			(u32)(uintptr_t)utime, val3);
}

SYSCALL_DEFINE6(futex_time64, u32 __user *, uaddr, int, op, u32, val,
		const struct __kernel_timespec __user *, utime, u32 __user *,
		uaddr2, u32, val3)
{
	bool timed = utime && futex_has_timeout(op);
	struct __kernel_timespec ts;
	u64 ns;

	if (timed) {
		if (copy_from_user(&ts, utime, sizeof(ts)))
			return -EFAULT;
		if (timespec_to_ns(ts.tv_sec, ts.tv_nsec, &ns))
			return -EINVAL;
	}
	return do_futex(uaddr, op, val, timed ? &ns : NULL, uaddr2,
			(u32)(uintptr_t)utime, val3);
}
