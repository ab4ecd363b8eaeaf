/*
 * Futexes (fast user-space mutexes): WAIT, WAKE, REQUEUE, CMP_REQUEUE,
 * WAKE_OP, WAIT_BITSET and WAKE_BITSET, private or shared, with
 * timeouts on the monotonic or (WAIT_BITSET) the real-time clock.
 *
 * A futex is a u32 of user memory; the kernel only keeps its sleepers,
 * in a hash table of queues. What matters is how a futex is *named*,
 * so that a waker finds the sleepers of the same word whatever address
 * it sees the word at (Linux's get_futex_key()):
 *
 *	operation             memory             key
 *	FUTEX_PRIVATE_FLAG    any                (mm, address)
 *	shared                a private mapping  (mm, address), marked shared
 *	shared                a MAP_SHARED one   (page, offset in the page)
 *
 * Threads share their mm, so (mm, address) names a word for all of them
 * and costs nothing: the memory is not even looked at. Processes see a
 * shared page at addresses of their own, so a shared futex there is
 * named by what they have in common. Kestrel has no object behind
 * MAP_SHARED|MAP_ANONYMOUS memory yet: the sharers map the same frames
 * (mm/gup.c), so the frame is the name. A key holds a reference on its
 * page: a queued waiter keeps the frame from being freed and reused as
 * other memory, where a stranger's wake-up would find it. A shared
 * operation on a private mapping stays in its mm; the mark keeps it
 * apart from private operations on the same word, as Linux's
 * FUT_OFF_MMSHARED does (the kernel's own wake-up at thread exit, for
 * pthread_join, is such a shared operation).
 *
 * No lost wake-ups: a waiter reads the futex word and queues itself
 * under its bucket's lock, and a waker changes the word first and takes
 * the lock second. Either the waiter reads the new value and does not
 * sleep, or it is queued before the waker looks. CMP_REQUEUE compares
 * the word under the same lock, so "the value is still X" and "these
 * are all the waiters of X" are one fact.
 *
 * Counting, as Linux: a wake of nr waiters stops after the nr-th, but
 * checks only after waking one, so nr = 0 wakes one; a requeue wakes
 * up to nr_wake and moves up to nr_requeue more, and returns the sum.
 *
 * Locking: each bucket's lock (irqsave: wake-ups may come from timers)
 * guards its queue and the queued futex_q's fields; a requeue moves a
 * futex_q holding both buckets' locks. The futex word is read or
 * changed under a bucket lock only in atomic context, where a page
 * fault is not served: the access fails with -EFAULT, the lock is
 * dropped, the page faulted in, and the operation retried.
 */
#include <asm/futex.h>
#include <kestrel/errno.h>
#include <kestrel/futex.h>
#include <kestrel/hash.h>
#include <kestrel/math64.h>
#include <kestrel/mm.h>
#include <kestrel/mman.h>
#include <kestrel/sched.h>
#include <kestrel/spinlock.h>
#include <kestrel/syscalls.h>
#include <kestrel/time.h>
#include <kestrel/time64.h>
#include <kestrel/uaccess.h>
#include <uapi/time.h>

#define FUTEX_HASH_BITS 8
#define FUTEX_HASH_SIZE (1U << FUTEX_HASH_BITS)

/* do_futex()'s view of the operation's flag bits. */
#define FLAGS_SHARED 0x01 /* no FUTEX_PRIVATE_FLAG */
#define FLAGS_CLOCKRT 0x02 /* FUTEX_CLOCK_REALTIME */

#define FUTEX_TIME_MAX (~0ULL) /* "never", in ns */

/* FUTEX_WAKE_OP's encoded operation (Linux's futex_atomic_op_inuser). */
#define FUTEX_OP_OP(e) (((e) >> 28) & 7)
#define FUTEX_OP_CMP(e) (((e) >> 24) & 15)
#define FUTEX_OP_OPARG(e) sign_extend12((e) >> 12)
#define FUTEX_OP_CMPARG(e) sign_extend12(e)
#define FUTEX_OP_ARG_BITS 12
#define FUTEX_OP_SHIFT_MAX 31

enum futex_key_type {
	FUTEX_KEY_PRIVATE, /* (mm, address): FUTEX_PRIVATE_FLAG */
	FUTEX_KEY_MM_SHARED, /* (mm, address): shared op, private memory */
	FUTEX_KEY_PAGE, /* (page, offset): shared op, shared memory */
};

struct futex_key {
	void *ptr; /* the mm, or the struct page (referenced) */
	unsigned long word; /* the address, or the offset in the page */
	enum futex_key_type type;
};

struct futex_bucket {
	spinlock_t lock; /* list and the queued futex_q's */
	struct list_head list;
};

/*
 * A sleeper, on its own stack. b: its bucket's lock; I: set before it
 * is queued. The waiter takes its bucket's lock before it returns, so
 * a waker holding that lock may still touch it.
 */
struct futex_q {
	struct list_head list; /* b */
	struct task *task; /* I */
	struct futex_key key; /* b: a requeue changes it */
	struct futex_bucket *bucket; /* b: the queue it is on */
	u32 bitset; /* I */
	bool woken; /* b: dequeued by a waker */
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

/* ---- keys ---------------------------------------------------------------- */

/* What an operation does to the futex word (Linux's enum futex_access). */
enum futex_access { FUTEX_READ, FUTEX_WRITE };

/*
 * May a shared operation use the mapping with @vm_flags? As Linux's
 * get_futex_key(): a writable mapping always; a read-only one only for
 * an operation that reads the word (FUTEX_READ) in shared memory: a
 * read-only private page never changes, so waiting on it is a bug.
 */
static bool futex_access_ok(unsigned long vm_flags, bool shared_memory,
			    enum futex_access rw)
{
	if (vm_flags & VM_WRITE)
		return true;
	return shared_memory && rw == FUTEX_READ && (vm_flags & VM_READ);
}

/*
 * Name the futex at @uaddr (see the table at the top); @rw is
 * FUTEX_WRITE for an operation that changes the word (WAKE_OP's second
 * futex). A page key holds a reference: put_futex_key() drops
 * it. Returns 0, -EINVAL (unaligned), -EFAULT (not user space; for a
 * shared op, no mapping with the rights needed) or -ENOMEM.
 */
static int get_futex_key(u32 __user *uaddr, unsigned int flags,
			 enum futex_access rw, struct futex_key *key)
{
	unsigned long addr = (unsigned long)(uintptr_t)uaddr, vm_flags = 0;
	struct page *page;
	int err;

	if (addr % sizeof(u32))
		return -EINVAL;
	if (!access_ok(uaddr, sizeof(u32)))
		return -EFAULT;
	key->ptr = current->mm;
	key->word = addr;
	key->type = FUTEX_KEY_PRIVATE;
	if (!(flags & FLAGS_SHARED))
		return 0;
	err = get_user_page_shared(current->mm, addr, &page, &vm_flags);
	if (err)
		return err;
	if (!futex_access_ok(vm_flags, page != NULL, rw)) {
		if (page)
			put_page(page);
		return -EFAULT;
	}
	key->type = FUTEX_KEY_MM_SHARED;
	if (page) {
		key->ptr = page;
		key->word = addr & ~PAGE_MASK;
		key->type = FUTEX_KEY_PAGE;
	}
	return 0;
}

/* Another reference to what @key names (a requeued waiter's new key). */
static void get_futex_key_ref(const struct futex_key *key)
{
	if (key->type == FUTEX_KEY_PAGE)
		get_page(key->ptr);
}

static void put_futex_key(const struct futex_key *key)
{
	if (key->type == FUTEX_KEY_PAGE)
		put_page(key->ptr);
}

static bool key_equal(const struct futex_key *a, const struct futex_key *b)
{
	return a->ptr == b->ptr && a->word == b->word && a->type == b->type;
}

static struct futex_bucket *futex_bucket(const struct futex_key *key)
{
	u32 key32 = (u32)(uintptr_t)key->ptr ^ (u32)(key->word >> 2) ^
		    (u32)key->type;

	return &futex_queues[hash_32(key32, FUTEX_HASH_BITS)];
}

/* ---- queues -------------------------------------------------------------- */

/*
 * Lock both buckets (in address order: no deadlock), interrupts off.
 * Two locks of one class: the second is a subclass for the validator.
 */
static void double_lock(struct futex_bucket *b1, struct futex_bucket *b2,
			unsigned long *flags)
{
	struct futex_bucket *first = b1 < b2 ? b1 : b2;

	local_irq_save(*flags);
	spin_lock(&first->lock);
	if (b1 != b2)
		spin_lock_nested(first == b1 ? &b2->lock : &b1->lock,
				 SINGLE_DEPTH_NESTING);
}

static void double_unlock(struct futex_bucket *b1, struct futex_bucket *b2,
			  unsigned long flags)
{
	spin_unlock(&b1->lock);
	if (b1 != b2)
		spin_unlock(&b2->lock);
	local_irq_restore(flags);
}

/* Read the futex word in atomic context (a bucket lock held): -EFAULT
 * when its page is not present; the caller faults it in unlocked. */
static int get_value_locked(u32 *val, u32 __user *uaddr)
{
	return __copy_from_user_inatomic(val, uaddr, sizeof(*val)) ? -EFAULT :
								     0;
}

/* Dequeue @q and wake its task. Caller holds @q's bucket lock. */
static void futex_wake_q(struct futex_q *q)
{
	lockdep_assert_held(&q->bucket->lock);
	list_del(&q->list);
	WRITE_ONCE(q->woken, true);
	wake_up_process(q->task);
}

/* Move @q to the futex @key2 in @b2. Caller holds both buckets' locks
 * and a reference on @q's old key, so dropping @q's is never the last. */
static void futex_requeue_q(struct futex_q *q, struct futex_bucket *b2,
			    const struct futex_key *key2)
{
	lockdep_assert_held(&q->bucket->lock);
	lockdep_assert_held(&b2->lock);
	if (q->bucket != b2) {
		list_move_tail(&q->list, &b2->list);
		WRITE_ONCE(q->bucket, b2);
	}
	get_futex_key_ref(key2);
	put_futex_key(&q->key);
	q->key = *key2;
}

/*
 * Queue @q on its key if the word at @uaddr still holds @val, as one
 * step under the bucket lock. 0 when queued, else -EAGAIN or -EFAULT.
 */
static int futex_wait_setup(u32 __user *uaddr, u32 val, struct futex_q *q)
{
	struct futex_bucket *b = futex_bucket(&q->key);
	unsigned long flags;
	u32 cur;
	int ret;

	for (;;) {
		spin_lock_irqsave(&b->lock, flags);
		ret = get_value_locked(&cur, uaddr);
		if (!ret)
			break;
		spin_unlock_irqrestore(&b->lock, flags);
		if (get_user(cur, uaddr)) /* fault the page in, unlocked */
			return -EFAULT;
	}
	if (cur != val) {
		spin_unlock_irqrestore(&b->lock, flags);
		return -EAGAIN;
	}
	q->bucket = b;
	list_add_tail(&q->list, &b->list);
	spin_unlock_irqrestore(&b->lock, flags);
	return 0;
}

/*
 * Take @q off its queue unless a waker did. Returns true if it was
 * woken. A requeue may move @q between reading q->bucket and locking
 * it: then the lock is the wrong one, and we try again (Linux's
 * futex_unqueue()).
 */
static bool futex_unqueue(struct futex_q *q)
{
	struct futex_bucket *b;
	unsigned long flags;
	bool woken;

	for (;;) {
		b = READ_ONCE(q->bucket);
		spin_lock_irqsave(&b->lock, flags);
		if (b == q->bucket)
			break;
		spin_unlock_irqrestore(&b->lock, flags);
	}
	woken = q->woken;
	if (!woken)
		list_del(&q->list);
	spin_unlock_irqrestore(&b->lock, flags);
	return woken;
}

/* ---- WAIT ---------------------------------------------------------------- */

/*
 * Sleep until a waker dequeues @q, a signal comes (-ERESTARTSYS) or the
 * monotonic clock passes @expires (-ETIMEDOUT; FUTEX_TIME_MAX: never).
 */
static int futex_sleep(struct futex_q *q, u64 expires)
{
	u64 now;
	int ret = 0;

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (READ_ONCE(q->woken))
			break;
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		now = ktime_get_ns();
		if (now >= expires) {
			ret = -ETIMEDOUT;
			break;
		}
		schedule_timeout(expires == FUTEX_TIME_MAX ?
					 MAX_SCHEDULE_TIMEOUT :
					 (long)nsecs_to_jiffies(expires - now));
	}
	set_current_state(TASK_RUNNING);
	return ret;
}

static long futex_wait_restart(struct restart_block *rb);

/*
 * A signal ended a wait. Without a timeout the call restarts as it was
 * (-ERESTARTSYS, or EINTR for a handler without SA_RESTART); with one,
 * a restart must not start the timeout over, so the call returns
 * -ERESTART_RESTARTBLOCK with the absolute expiry kept: a handler sees
 * EINTR, and a signal that runs none resumes the rest of the wait.
 */
static long futex_wait_interrupted(u32 __user *uaddr, unsigned int flags,
				   u32 val, u64 expires, u32 bitset)
{
	struct restart_block *rb = &current->restart_block;

	if (expires == FUTEX_TIME_MAX)
		return -ERESTARTSYS;
	rb->fn = futex_wait_restart;
	rb->expires = expires;
	rb->futex.uaddr = uaddr;
	rb->futex.val = val;
	rb->futex.bitset = bitset;
	rb->futex.flags = flags;
	return -ERESTART_RESTARTBLOCK;
}

static long futex_wait(u32 __user *uaddr, unsigned int flags, u32 val,
		       u64 expires, u32 bitset)
{
	struct futex_q q = { .task = current, .bitset = bitset };
	long ret;

	if (!bitset)
		return -EINVAL;
	ret = get_futex_key(uaddr, flags, FUTEX_READ, &q.key);
	if (ret)
		return ret;
	ret = futex_wait_setup(uaddr, val, &q);
	if (ret)
		goto out_put_key;
	ret = futex_sleep(&q, expires);
	if (futex_unqueue(&q))
		ret = 0; /* woken wins over a late signal or timeout */
	else if (ret == -ERESTARTSYS)
		ret = futex_wait_interrupted(uaddr, flags, val, expires,
					     bitset);
out_put_key:
	put_futex_key(&q.key); /* the key it ended on, after a requeue */
	return ret;
}

static long futex_wait_restart(struct restart_block *rb)
{
	rb->fn = NULL; /* a restart_syscall() with nothing to resume: EINTR */
	return futex_wait(rb->futex.uaddr, rb->futex.flags, rb->futex.val,
			  rb->expires, rb->futex.bitset);
}

/* ---- WAKE, REQUEUE, WAKE_OP ---------------------------------------------- */

/* Wake up to @nr (at least one) waiters of @key whose bitset meets
 * @bitset. Caller holds @b's lock. Returns how many. */
static int __futex_wake(struct futex_bucket *b, const struct futex_key *key,
			int nr, u32 bitset)
{
	struct futex_q *q, *n;
	int woken = 0;

	lockdep_assert_held(&b->lock);
	list_for_each_entry_safe(q, n, &b->list, list) {
		if (!key_equal(&q->key, key) || !(q->bitset & bitset))
			continue;
		futex_wake_q(q);
		if (++woken >= nr)
			break;
	}
	return woken;
}

static int do_futex_wake(u32 __user *uaddr, unsigned int flags, int nr,
			 u32 bitset)
{
	struct futex_key key;
	struct futex_bucket *b;
	unsigned long irqflags;
	int ret;

	if (!bitset)
		return -EINVAL;
	ret = get_futex_key(uaddr, flags, FUTEX_READ, &key);
	if (ret)
		return ret;
	b = futex_bucket(&key);
	spin_lock_irqsave(&b->lock, irqflags);
	ret = __futex_wake(b, &key, nr, bitset);
	spin_unlock_irqrestore(&b->lock, irqflags);
	put_futex_key(&key);
	return ret;
}

int futex_wake(u32 __user *uaddr, int nr, u32 bitset)
{
	futex_init_once();
	return do_futex_wake(uaddr, FLAGS_SHARED, nr, bitset);
}

/*
 * Wake up to @nr_wake waiters of @k1 and move up to @nr_requeue more to
 * @k2; with @cmpval, only if the word at @uaddr1 still holds *@cmpval
 * (-EAGAIN otherwise). Returns woken + moved.
 */
static int __futex_requeue(u32 __user *uaddr1, const struct futex_key *k1,
			   const struct futex_key *k2, int nr_wake,
			   int nr_requeue, const u32 *cmpval)
{
	struct futex_bucket *b1 = futex_bucket(k1), *b2 = futex_bucket(k2);
	struct futex_q *q, *n;
	unsigned long flags;
	int count = 0;
	u32 cur;

	for (;;) {
		double_lock(b1, b2, &flags);
		if (!cmpval || !get_value_locked(&cur, uaddr1))
			break;
		double_unlock(b1, b2, flags);
		if (get_user(cur, uaddr1)) /* fault the page in, unlocked */
			return -EFAULT;
	}
	if (cmpval && cur != *cmpval) {
		count = -EAGAIN;
		goto out_unlock;
	}
	list_for_each_entry_safe(q, n, &b1->list, list) {
		/* Written so that nr_wake + nr_requeue cannot overflow. */
		if (count - nr_wake >= nr_requeue)
			break;
		if (!key_equal(&q->key, k1))
			continue;
		if (++count <= nr_wake)
			futex_wake_q(q);
		else
			futex_requeue_q(q, b2, k2);
	}
out_unlock:
	double_unlock(b1, b2, flags);
	return count;
}

static int futex_requeue(u32 __user *uaddr1, unsigned int flags,
			 u32 __user *uaddr2, int nr_wake, int nr_requeue,
			 const u32 *cmpval)
{
	struct futex_key k1, k2;
	int ret;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	ret = get_futex_key(uaddr1, flags, FUTEX_READ, &k1);
	if (ret)
		return ret;
	ret = get_futex_key(uaddr2, flags, FUTEX_READ, &k2);
	if (ret)
		goto out_put_k1;
	ret = __futex_requeue(uaddr1, &k1, &k2, nr_wake, nr_requeue, cmpval);
	put_futex_key(&k2);
out_put_k1:
	put_futex_key(&k1);
	return ret;
}

static int sign_extend12(u32 v)
{
	return (int)(v << (32 - FUTEX_OP_ARG_BITS)) >> (32 - FUTEX_OP_ARG_BITS);
}

/* FUTEX_WAKE_OP's operation on @old; false for an unknown one. */
static bool futex_op_apply(unsigned int op, u32 old, u32 arg, u32 *new)
{
	switch (op) {
	case FUTEX_OP_SET:
		*new = arg;
		return true;
	case FUTEX_OP_ADD:
		*new = old + arg;
		return true;
	case FUTEX_OP_OR:
		*new = old | arg;
		return true;
	case FUTEX_OP_ANDN:
		*new = old & ~arg;
		return true;
	case FUTEX_OP_XOR:
		*new = old ^ arg;
		return true;
	}
	return false;
}

/* FUTEX_WAKE_OP's comparison of the old value: 1, 0, or -ENOSYS. */
static int futex_op_compare(unsigned int cmp, int old, int arg)
{
	switch (cmp) {
	case FUTEX_OP_CMP_EQ:
		return old == arg;
	case FUTEX_OP_CMP_NE:
		return old != arg;
	case FUTEX_OP_CMP_LT:
		return old < arg;
	case FUTEX_OP_CMP_LE:
		return old <= arg;
	case FUTEX_OP_CMP_GT:
		return old > arg;
	case FUTEX_OP_CMP_GE:
		return old >= arg;
	}
	return -ENOSYS;
}

/*
 * Apply the encoded operation @encoded to the word at @uaddr atomically,
 * in atomic context (buckets locked), and compare its old value.
 * Returns 1 or 0 (the comparison), -EFAULT (not present or read-only:
 * fault it in and retry) or -ENOSYS (unknown operation or comparison;
 * as Linux, an unknown comparison is found after the word changed).
 */
static int futex_atomic_op_inuser(u32 encoded, u32 __user *uaddr)
{
	unsigned int op = FUTEX_OP_OP(encoded);
	int oparg = FUTEX_OP_OPARG(encoded);
	u32 old, new, found;
	int ret;

	if (encoded & ((u32)FUTEX_OP_OPARG_SHIFT << 28)) {
		/* Linux masks a bad shift (and complains) rather than fail. */
		oparg = (int)(1U << ((u32)oparg & FUTEX_OP_SHIFT_MAX));
	}
	if (!futex_op_apply(op, 0, (u32)oparg, &new))
		return -ENOSYS;
	ret = get_value_locked(&found, uaddr);
	do {
		if (ret)
			return ret;
		old = found;
		futex_op_apply(op, old, (u32)oparg, &new);
		ret = futex_atomic_cmpxchg_inatomic(&found, uaddr, old, new);
	} while (ret || found != old);
	return futex_op_compare(FUTEX_OP_CMP(encoded), (int)old,
				FUTEX_OP_CMPARG(encoded));
}

/* Make the word at @uaddr present and writable, as a write would. */
static int fault_in_user_writeable(u32 __user *uaddr)
{
	int fault = handle_mm_fault(current->mm, (uintptr_t)uaddr,
				    FAULT_FLAG_WRITE);

	if (fault == VM_FAULT_OOM)
		return -ENOMEM;
	return fault ? -EFAULT : 0;
}

/* The locked part of FUTEX_WAKE_OP: > 0 woken count or 0, or -errno
 * (-EFAULT: fault the word in and call again). */
static int __futex_wake_op(const struct futex_key *k1,
			   const struct futex_key *k2, u32 __user *uaddr2,
			   int nr_wake, int nr_wake2, u32 encoded)
{
	struct futex_bucket *b1 = futex_bucket(k1), *b2 = futex_bucket(k2);
	unsigned long flags;
	int ret, op_ret;

	double_lock(b1, b2, &flags);
	op_ret = futex_atomic_op_inuser(encoded, uaddr2);
	if (op_ret < 0) {
		ret = op_ret;
		goto out_unlock;
	}
	ret = __futex_wake(b1, k1, nr_wake, FUTEX_BITSET_MATCH_ANY);
	if (op_ret > 0)
		ret += __futex_wake(b2, k2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
out_unlock:
	double_unlock(b1, b2, flags);
	return ret;
}

/*
 * FUTEX_WAKE_OP: change the word at @uaddr2 by the encoded operation,
 * wake up to @nr_wake waiters of @uaddr1 and, if the comparison of the
 * word's old value holds, up to @nr_wake2 of @uaddr2. Returns the sum.
 */
static int futex_wake_op(u32 __user *uaddr1, unsigned int flags,
			 u32 __user *uaddr2, int nr_wake, int nr_wake2,
			 u32 encoded)
{
	struct futex_key k1, k2;
	int ret;

	ret = get_futex_key(uaddr1, flags, FUTEX_READ, &k1);
	if (ret)
		return ret;
	ret = get_futex_key(uaddr2, flags, FUTEX_WRITE, &k2);
	if (ret)
		goto out_put_k1;
	for (;;) {
		ret = __futex_wake_op(&k1, &k2, uaddr2, nr_wake, nr_wake2,
				      encoded);
		if (ret != -EFAULT)
			break;
		ret = fault_in_user_writeable(uaddr2);
		if (ret)
			break;
	}
	put_futex_key(&k2);
out_put_k1:
	put_futex_key(&k1);
	return ret;
}

/* ---- the system call ----------------------------------------------------- */

/*
 * When a wait with the timeout @ns ends, on the monotonic clock:
 * FUTEX_WAIT's is relative; FUTEX_WAIT_BITSET's absolute, on the
 * monotonic clock or, with FUTEX_CLOCK_REALTIME, the real-time one
 * (converted once: a later change of the wall clock is not followed).
 */
static u64 futex_expiry(int cmd, unsigned int flags, const u64 *ns)
{
	u64 now = ktime_get_ns(), real;

	if (!ns)
		return FUTEX_TIME_MAX;
	if (cmd == FUTEX_WAIT)
		return *ns >= FUTEX_TIME_MAX - now ? FUTEX_TIME_MAX : now + *ns;
	if (!(flags & FLAGS_CLOCKRT))
		return *ns;
	real = ktime_get_real_ns();
	if (*ns <= real)
		return now;
	return *ns - real >= FUTEX_TIME_MAX - now ? FUTEX_TIME_MAX :
						    now + (*ns - real);
}

long do_futex(u32 __user *uaddr, int op, u32 val, const u64 *ts,
	      u32 __user *uaddr2, u32 val2, u32 val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	unsigned int flags = 0;

	futex_init_once();
	if (!(op & FUTEX_PRIVATE_FLAG))
		flags |= FLAGS_SHARED;
	if (op & FUTEX_CLOCK_REALTIME) {
		flags |= FLAGS_CLOCKRT;
		if (cmd != FUTEX_WAIT_BITSET)
			return -ENOSYS;
	}
	switch (cmd) {
	case FUTEX_WAIT:
		return futex_wait(uaddr, flags, val,
				  futex_expiry(cmd, flags, ts),
				  FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAIT_BITSET:
		return futex_wait(uaddr, flags, val,
				  futex_expiry(cmd, flags, ts), val3);
	case FUTEX_WAKE:
		return do_futex_wake(uaddr, flags, (int)val,
				     FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAKE_BITSET:
		return do_futex_wake(uaddr, flags, (int)val, val3);
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, flags, uaddr2, (int)val, (int)val2,
				     NULL);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, flags, uaddr2, (int)val, (int)val2,
				     &val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, flags, uaddr2, (int)val, (int)val2,
				     val3);
	default: /* the PI operations, FUTEX_FD: not implemented */
		return -ENOSYS;
	}
}

static bool futex_has_timeout(int op)
{
	int cmd = op & FUTEX_CMD_MASK;

	return cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET;
}

SYSCALL_DEFINE6(futex, u32 __user *, uaddr, int, op, u32, val,
		const struct timespec __user *, utime, u32 __user *, uaddr2,
		u32, val3)
{
	bool timed = utime && futex_has_timeout(op);
	u64 ns;
	int err = timed ? get_old_timespec32_ns(&ns, utime) : 0;

	if (err)
		return err;
	return do_futex(uaddr, op, val, timed ? &ns : NULL, uaddr2,
			(u32)(uintptr_t)utime, val3);
}

SYSCALL_DEFINE6(futex_time64, u32 __user *, uaddr, int, op, u32, val,
		const struct __kernel_timespec __user *, utime, u32 __user *,
		uaddr2, u32, val3)
{
	bool timed = utime && futex_has_timeout(op);
	u64 ns;
	int err = timed ? get_timespec64_ns(&ns, utime) : 0;

	if (err)
		return err;
	return do_futex(uaddr, op, val, timed ? &ns : NULL, uaddr2,
			(u32)(uintptr_t)utime, val3);
}
