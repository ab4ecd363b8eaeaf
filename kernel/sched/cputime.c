/*
 * CPU time accounting: user and kernel time, per thread and per process,
 * measured at the boundaries rather than sampled.
 *
 * A tick-sampling kernel charges a whole tick to whoever the tick
 * interrupts, so a thread's CPU clock (CLOCK_THREAD_CPUTIME_ID,
 * getrusage, times) stands still between ticks and a thread that always
 * sleeps just before the tick is never charged at all. Kestrel instead
 * reads the monotonic clock (interpolated with the TSC, so it has
 * nanoseconds) every time a thread crosses a boundary, and charges the
 * interval since the previous crossing, its *accounting point*
 * (acct_timestamp), to the side it was on:
 *
 *	user mode ----- syscall/exception/IRQ ----> kernel mode
 *	          <------ exit_to_user_mode ------
 *	   cputime_user_to_kernel(): utime += now - acct_timestamp
 *	   cputime_kernel_to_user(): stime += now - acct_timestamp
 *	   cputime_switch():         prev's stime += now - its point;
 *	                             next's point = now (off-CPU time is
 *	                             nobody's)
 *
 * A reader adds the current thread's time since its last point (kernel
 * time: it is in the kernel, reading), so a CPU clock read twice in a
 * row always advances. Linux does the same with CONFIG_VIRT_CPU_ACCOUNTING_GEN
 * ("vtime"); its default, tick sampling, is only corrected afterwards
 * by scaling with the precise sum_exec_runtime.
 *
 * Every charge goes to the thread (task->utime/stime) and to its
 * process (signal->utime/stime), so the process's time includes threads
 * that have exited and is read in O(1), even from the tick (the CPU
 * itimers, kernel/time/itimer.c). A thread stops feeding its process
 * when it leaves it (cputime_thread_exit, from exit_notify): after that
 * its signal_struct may be freed under it.
 *
 * Locking: a thread's own fields (utime, stime, acct_timestamp) are
 * written only by the thread itself (or by the scheduler switching it
 * out) with interrupts off; another thread reads a snapshot. The
 * process's sums are guarded by signal->cputime_lock, taken with
 * interrupts off (the tick reads them); it nests inside tasklist_lock
 * and siglock and takes nothing.
 */
#include <kestrel/cputime.h>
#include <kestrel/irqflags.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/time.h>

/* Charge @t's time since its accounting point to user or kernel time. */
static void account_since_point(struct task *t, u64 now, bool user)
{
	struct signal_struct *sig = t->signal;
	u64 delta = now > t->acct_timestamp ? now - t->acct_timestamp : 0;
	unsigned long flags;

	t->acct_timestamp = now;
	if (user)
		t->utime += delta;
	else
		t->stime += delta;
	if (!sig || t->exit_state)
		return; /* a kernel thread, or gone from its process */
	spin_lock_irqsave(&sig->cputime_lock, flags);
	if (user)
		sig->utime += delta;
	else
		sig->stime += delta;
	spin_unlock_irqrestore(&sig->cputime_lock, flags);
}

void cputime_user_to_kernel(void)
{
	unsigned long flags;

	local_irq_save(flags);
	account_since_point(current, ktime_get_ns(), true);
	local_irq_restore(flags);
}

void cputime_kernel_to_user(void)
{
	account_since_point(current, ktime_get_ns(), false);
}

void cputime_switch(struct task *prev, struct task *next, u64 now)
{
	account_since_point(prev, now, false);
	next->acct_timestamp = now;
}

void cputime_thread_exit(struct task *t)
{
	unsigned long flags;

	assert_spin_locked(&tasklist_lock);
	local_irq_save(flags);
	account_since_point(t, ktime_get_ns(), false);
	local_irq_restore(flags);
}

/* The current thread's kernel time since its last accounting point.
 * Interrupts off, so that no switch moves the point meanwhile. */
static u64 pending_kernel_time(void)
{
	u64 now = ktime_get_ns(), point = current->acct_timestamp;

	return now > point ? now - point : 0;
}

void task_cputime(struct task *t, u64 *utime, u64 *stime)
{
	unsigned long flags;

	local_irq_save(flags);
	*utime = t->utime;
	*stime = t->stime;
	if (t == current)
		*stime += pending_kernel_time();
	local_irq_restore(flags);
}

void thread_group_cputime(struct task *t, u64 *utime, u64 *stime)
{
	struct signal_struct *sig = t->signal;
	unsigned long flags;

	if (!sig) {
		task_cputime(t, utime, stime);
		return;
	}
	spin_lock_irqsave(&sig->cputime_lock, flags);
	*utime = sig->utime;
	*stime = sig->stime;
	if (current->signal == sig && !current->exit_state)
		*stime += pending_kernel_time();
	spin_unlock_irqrestore(&sig->cputime_lock, flags);
}
