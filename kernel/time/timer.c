/*
 * Kernel timers: Linux 2.6's cascading timer wheel.
 *
 * A pending timer sits on one list of a five-level wheel, chosen by how
 * far its expiry is from base.timer_jiffies, the next jiffy to process:
 *
 *	level   slots   holds timers due in      slot chosen by expiry bits
 *	tv1     256     [0, 2^8) jiffies         7..0   (one jiffy per slot)
 *	tv2      64     [2^8, 2^14)              13..8
 *	tv3      64     [2^14, 2^20)             19..14
 *	tv4      64     [2^20, 2^26)             25..20
 *	tv5      64     [2^26, 2^32)             31..26
 *
 * Adding and deleting are O(1): compute the slot, link or unlink. Every
 * jiffy the softirq empties one tv1 slot, and everything in it is due,
 * since a tv1 slot stands for exactly one jiffy. Each time tv1 comes
 * round to slot 0 (every 256 jiffies) the next tv2 slot is emptied and
 * its timers re-filed, now into tv1 at their exact jiffy; when tv2 wraps
 * the same happens from tv3, and so on: the "cascade". A timer moves
 * down at most four times in its life, and most timers (timeouts that
 * get deleted before they fire) never move at all.
 *
 * The simpler alternative is a single hashed wheel: 256 slots indexed
 * by expires % 256, each timer keeping its absolute expiry. Adding is
 * just as cheap, but every tick must walk its whole slot and skip the
 * timers due in a later lap, so a tick costs O(timers / 256) instead of
 * O(timers due). The cascade trades that scan for a little bookkeeping
 * every 256 jiffies.
 *
 * Callbacks run from TIMER_SOFTIRQ, with interrupts enabled, one at a
 * time, with base.lock dropped around each call: a callback may re-arm
 * its own timer (it is no longer pending when called) or add, modify or
 * delete any other. The timers due in one jiffy are first moved to a
 * private list, so a timer a callback arms for "now" fires on a later
 * pass, never in an endless loop.
 *
 * Locking: base.lock, taken with interrupts disabled (the tick reads
 * nr_pending; the softirq and any context may add or delete), guards
 * the whole wheel and every pending timer's entry and expires. It is
 * the innermost lock: nothing is called while it is held. With one CPU
 * a callback cannot run while del_timer() is called elsewhere; SMP will
 * need a del_timer_sync() that waits for a running callback.
 */
#include <kestrel/bug.h>
#include <kestrel/interrupt.h>
#include <kestrel/list.h>
#include <kestrel/spinlock.h>
#include <kestrel/time.h>
#include <kestrel/timer.h>

#define TVR_BITS 8
#define TVN_BITS 6
#define TVR_SIZE (1UL << TVR_BITS)
#define TVN_SIZE (1UL << TVN_BITS)
#define TVR_MASK (TVR_SIZE - 1)
#define TVN_MASK (TVN_SIZE - 1)
#define TVN_LEVELS 4 /* tv2..tv5 */

/* The expiry bits that choose a slot of outer level @n (0 = tv2). */
#define TVN_SHIFT(n) (TVR_BITS + (n)*TVN_BITS)

static struct timer_base {
	spinlock_t lock; /* everything below, and pending timers */
	bool ready; /* init_timers() has run */
	unsigned long timer_jiffies; /* the next jiffy to process */
	unsigned long nr_pending; /* timers on the wheel */
	struct list_head tv1[TVR_SIZE];
	struct list_head tvn[TVN_LEVELS][TVN_SIZE];
} base = {
	.lock = __SPIN_LOCK_UNLOCKED(base.lock),
};

/* Move every entry of @from to the empty list @to, leaving @from empty. */
static void list_take_all(struct list_head *from, struct list_head *to)
{
	INIT_LIST_HEAD(to);
	if (list_empty(from))
		return;
	to->next = from->next;
	to->prev = from->prev;
	to->next->prev = to;
	to->prev->next = to;
	INIT_LIST_HEAD(from);
}

/* The wheel slot for a timer due at @expires. Caller holds base.lock. */
static struct list_head *wheel_slot(unsigned long expires)
{
	unsigned long delta = expires - base.timer_jiffies;
	int n;

	lockdep_assert_held(&base.lock);
	if ((long)delta < 0) /* already due: the next slot to be run */
		return &base.tv1[base.timer_jiffies & TVR_MASK];
	if (delta < TVR_SIZE)
		return &base.tv1[expires & TVR_MASK];
	for (n = 0; n < TVN_LEVELS - 1; n++)
		if (delta < 1UL << TVN_SHIFT(n + 1))
			break;
	return &base.tvn[n][(expires >> TVN_SHIFT(n)) & TVN_MASK];
}

/* Put @timer on the wheel. Caller holds base.lock. */
static void enqueue_timer(struct timer_list *timer)
{
	assert_spin_locked(&base.lock);
	list_add_tail(&timer->entry, wheel_slot(timer->expires));
	base.nr_pending++;
}

/* Take pending @timer off the wheel. Caller holds base.lock. */
static void detach_timer(struct timer_list *timer)
{
	assert_spin_locked(&base.lock);
	list_del_init(&timer->entry);
	base.nr_pending--;
}

/*
 * Re-file the timers of slot @index of outer level @n, one level down.
 * Returns @index, so the caller cascades further only when it is 0.
 * Caller holds base.lock.
 */
static unsigned long cascade(int n, unsigned long index)
{
	struct timer_list *timer, *next;
	struct list_head work;

	lockdep_assert_held(&base.lock);
	list_take_all(&base.tvn[n][index], &work);
	list_for_each_entry_safe(timer, next, &work, entry)
		list_add_tail(&timer->entry, wheel_slot(timer->expires));
	return index;
}

/* Called when tv1 wraps: refill it from tv2, and so on outwards. */
static void cascade_all(void)
{
	int n;

	for (n = 0; n < TVN_LEVELS; n++)
		if (cascade(n, (base.timer_jiffies >> TVN_SHIFT(n)) &
				       TVN_MASK) != 0)
			break;
}

/* Run the callbacks on @work, dropping the lock around each one. */
static void run_timer_list(struct list_head *work, unsigned long *flags)
{
	void (*fn)(struct timer_list *);
	struct timer_list *timer;

	while (!list_empty(work)) {
		timer = list_first_entry(work, struct timer_list, entry);
		fn = timer->function;
		detach_timer(timer);
		spin_unlock_irqrestore(&base.lock, *flags);
		fn(timer);
		spin_lock_irqsave(&base.lock, *flags);
	}
}

/* TIMER_SOFTIRQ: run everything due up to and including jiffies. */
static void run_timer_softirq(void)
{
	struct list_head work;
	unsigned long flags, index;

	spin_lock_irqsave(&base.lock, flags);
	while (time_after_eq(jiffies, base.timer_jiffies)) {
		index = base.timer_jiffies & TVR_MASK;
		if (index == 0)
			cascade_all();
		base.timer_jiffies++;
		list_take_all(&base.tv1[index], &work);
		run_timer_list(&work, &flags);
	}
	spin_unlock_irqrestore(&base.lock, flags);
}

/**
 * timer_setup - prepare @timer to call @function; it is not pending
 *
 * Must be called once before any other use of @timer.
 * Context: any.
 */
void timer_setup(struct timer_list *timer,
		 void (*function)(struct timer_list *), unsigned int flags)
{
	INIT_LIST_HEAD(&timer->entry);
	timer->expires = 0;
	timer->function = function;
	timer->flags = flags;
}

/**
 * mod_timer - (re)arm @timer to fire at jiffy @expires
 *
 * A pending timer is moved; an expiry in the past fires on the next
 * tick. Return: 1 if @timer was pending, 0 if not.
 * Context: any, including the timer's own callback; takes base.lock.
 */
int mod_timer(struct timer_list *timer, unsigned long expires)
{
	unsigned long flags;
	int pending;

	BUG_ON(!timer->function);
	spin_lock_irqsave(&base.lock, flags);
	BUG_ON(!base.ready);
	pending = timer_pending(timer);
	if (pending)
		detach_timer(timer);
	/* An empty wheel skips the idle jiffies instead of walking them. */
	if (!base.nr_pending && time_after(jiffies, base.timer_jiffies))
		base.timer_jiffies = jiffies;
	timer->expires = expires;
	enqueue_timer(timer);
	spin_unlock_irqrestore(&base.lock, flags);
	return pending;
}

/**
 * add_timer - arm a timer that is not pending for @timer->expires
 *
 * Context: any; takes base.lock.
 */
void add_timer(struct timer_list *timer)
{
	BUG_ON(timer_pending(timer));
	mod_timer(timer, timer->expires);
}

/**
 * del_timer - disarm @timer
 *
 * Return: 1 if it was pending, 0 if not (never armed, already fired or
 * already deleted). Context: any; takes base.lock.
 */
int del_timer(struct timer_list *timer)
{
	unsigned long flags;
	int pending;

	spin_lock_irqsave(&base.lock, flags);
	pending = timer_pending(timer);
	if (pending)
		detach_timer(timer);
	spin_unlock_irqrestore(&base.lock, flags);
	return pending;
}

/* True while @timer is armed and has not yet been called. */
bool timer_pending(const struct timer_list *timer)
{
	return !list_empty(&timer->entry);
}

/**
 * timer_tick - let the wheel see a new jiffy
 *
 * Raises TIMER_SOFTIRQ when any timer is pending; the softirq works
 * out which are due. Context: the tick's hard interrupt.
 */
void timer_tick(void)
{
	if (READ_ONCE(base.nr_pending))
		raise_softirq(TIMER_SOFTIRQ);
}

/**
 * init_timers - empty the wheel and install TIMER_SOFTIRQ
 *
 * Context: boot, once, from time_init().
 */
void init_timers(void)
{
	unsigned long flags;
	unsigned int i, n;

	spin_lock_irqsave(&base.lock, flags);
	for (i = 0; i < TVR_SIZE; i++)
		INIT_LIST_HEAD(&base.tv1[i]);
	for (n = 0; n < TVN_LEVELS; n++)
		for (i = 0; i < TVN_SIZE; i++)
			INIT_LIST_HEAD(&base.tvn[n][i]);
	base.timer_jiffies = jiffies;
	base.nr_pending = 0;
	base.ready = true;
	spin_unlock_irqrestore(&base.lock, flags);
	open_softirq(TIMER_SOFTIRQ, run_timer_softirq);
}
