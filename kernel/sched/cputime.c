/*
 * CPU time accounting: how long each thread, and each process, has run,
 * and how that splits into user and kernel time.
 *
 * Two measurements, as in Linux's default (tick-based) accounting:
 *
 *	total   sum_exec_runtime, in ns from the TSC-interpolated clock:
 *	        the scheduler adds each slice when it switches a task out
 *	        (cputime_account_runtime), and a reader adds the current
 *	        task's time since it was switched in. Exact, and a CPU clock
 *	        read twice in a row advances (CLOCK_*_CPUTIME_ID).
 *	split   utime_ticks/stime_ticks: the tick samples whether it
 *	        interrupted user or kernel mode (cputime_tick).
 *
 * What getrusage(), times(), wait4() and /proc report is the exact total
 * divided in the ratio of the samples (cputime_adjust, Linux's
 * function of the same name), never letting either part go backwards
 * from what was reported before. A thread that never met a tick in
 * kernel mode shows all its time as user time.
 *
 * Nothing runs at the user/kernel crossings themselves: they are the
 * hottest path in the kernel (two per system call). A first version
 * charged the clock at every crossing; reading the TSC there (a call
 * into the host under TCG) doubled the cost of a null system call.
 *
 * A process's sums (signal_struct) get each slice and each sample of
 * its threads at the same moments as the threads do, so they include
 * threads that have exited. A thread stops feeding them when it leaves
 * its process (cputime_thread_exit, from exit_notify): after that its
 * signal_struct may be freed under it.
 *
 * Locking: a thread's sum_exec_runtime and timestamp are written by the
 * scheduler (runqueue lock) or by the thread itself, interrupts off;
 * its tick counts by the tick. The process's sums and every
 * prev_cputime are guarded by signal->cputime_lock, taken with
 * interrupts off; it nests inside tasklist_lock, siglock and rq->lock
 * and takes nothing.
 */
#include <asm/ptrace.h>
#include <kestrel/cputime.h>
#include <kestrel/irqflags.h>
#include <kestrel/math64.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/time.h>

/* Serialises the prev_cputime of kernel threads (no signal_struct). */
static DEFINE_SPINLOCK(kthread_prev_lock);

/* Does @t still feed its process's sums? */
static bool feeds_process(const struct task *t)
{
	return t->signal && !t->exit_state;
}

void cputime_account_runtime(struct task *t, u64 now)
{
	u64 delta = now > t->timestamp ? now - t->timestamp : 0;

	t->sum_exec_runtime += delta;
	t->timestamp = now;
	if (!feeds_process(t))
		return;
	spin_lock(&t->signal->cputime_lock);
	t->signal->sum_exec_runtime += delta;
	spin_unlock(&t->signal->cputime_lock);
}

void cputime_tick(struct task *t, bool user)
{
	if (user)
		t->utime_ticks++;
	else
		t->stime_ticks++;
	if (!feeds_process(t))
		return;
	spin_lock(&t->signal->cputime_lock);
	if (user)
		t->signal->utime_ticks++;
	else
		t->signal->stime_ticks++;
	spin_unlock(&t->signal->cputime_lock);
}

void cputime_thread_exit(struct task *t)
{
	unsigned long flags;

	assert_spin_locked(&tasklist_lock);
	local_irq_save(flags);
	cputime_account_runtime(t, ktime_get_ns());
	local_irq_restore(flags);
}

/* ---- reading ------------------------------------------------------------ */

/* @rtime * @part / @total without overflow, for 0 < @part <= @total. */
static u64 scale(u64 rtime, u64 part, u64 total)
{
	u32 rem;
	u64 quot;

	while (total >> 32) { /* keep the divisor in 32 bits */
		part >>= 1;
		total >>= 1;
	}
	quot = div_u64_rem(rtime, (u32)total, &rem);
	return quot * part + div_u64((u64)rem * part, (u32)total);
}

/*
 * Split @rtime in the ratio @uticks : @sticks into *@ut and *@st, with
 * neither below what @prev last gave out. Caller serialises @prev.
 */
static void cputime_adjust(u64 rtime, u64 uticks, u64 sticks,
			   struct prev_cputime *prev, u64 *ut, u64 *st)
{
	u64 utime, stime;

	if (rtime <= prev->utime + prev->stime)
		goto out; /* nothing new since the last report */
	if (!sticks)
		utime = rtime;
	else if (!uticks)
		utime = 0;
	else
		utime = scale(rtime, uticks, (u64)uticks + sticks);
	stime = rtime - utime;
	if (stime < prev->stime) {
		stime = prev->stime;
		utime = rtime - stime;
	} else if (utime < prev->utime) {
		utime = prev->utime;
		stime = rtime - utime;
	}
	prev->utime = utime;
	prev->stime = stime;
out:
	*ut = prev->utime;
	*st = prev->stime;
}

/* The current task's time since it was switched in. Interrupts off. */
static u64 pending_runtime(void)
{
	u64 now = ktime_get_ns(), since = current->timestamp;

	return now > since ? now - since : 0;
}

u64 task_sched_runtime(struct task *t)
{
	unsigned long flags;
	u64 rtime;

	local_irq_save(flags);
	rtime = t->sum_exec_runtime;
	if (t == current)
		rtime += pending_runtime();
	local_irq_restore(flags);
	return rtime;
}

u64 thread_group_sched_runtime(struct task *t)
{
	struct signal_struct *sig = t->signal;
	unsigned long flags;
	u64 rtime;

	if (!sig)
		return task_sched_runtime(t);
	spin_lock_irqsave(&sig->cputime_lock, flags);
	rtime = sig->sum_exec_runtime;
	if (current->signal == sig && feeds_process(current))
		rtime += pending_runtime();
	spin_unlock_irqrestore(&sig->cputime_lock, flags);
	return rtime;
}

void task_cputime(struct task *t, u64 *utime, u64 *stime)
{
	struct signal_struct *sig = t->signal;
	u64 rtime = task_sched_runtime(t);
	spinlock_t *lock = sig ? &sig->cputime_lock : &kthread_prev_lock;
	unsigned long flags;

	spin_lock_irqsave(lock, flags);
	cputime_adjust(rtime, t->utime_ticks, t->stime_ticks, &t->prev_cputime,
		       utime, stime);
	spin_unlock_irqrestore(lock, flags);
}

void thread_group_cputime(struct task *t, u64 *utime, u64 *stime)
{
	struct signal_struct *sig = t->signal;
	unsigned long flags;
	u64 rtime;

	if (!sig) {
		task_cputime(t, utime, stime);
		return;
	}
	rtime = thread_group_sched_runtime(t);
	spin_lock_irqsave(&sig->cputime_lock, flags);
	cputime_adjust(rtime, sig->utime_ticks, sig->stime_ticks,
		       &sig->prev_cputime, utime, stime);
	spin_unlock_irqrestore(&sig->cputime_lock, flags);
}
