/*
 * The O(1) scheduler of Linux 2.6, for one CPU (written per runqueue so
 * that SMP can add one runqueue per CPU).
 *
 * Runnable tasks live in one of two priority arrays of the runqueue:
 *
 *   active:  tasks that still have timeslice left;
 *   expired: tasks that used theirs up this round.
 *
 * Each array has 140 lists, one per priority (0-99 real-time, unused
 * yet; 100-139 for nice -20..19), and a bitmap of the non-empty lists.
 * Picking the next task is constant time: find the first set bit of
 * the active bitmap, take the first task of that list. When a task's
 * slice runs out (scheduler_tick) it gets a new slice and moves to the
 * expired array; when the active array is empty the arrays swap, and
 * everybody has a fresh slice. No task can starve another of its
 * priority: everybody runs once per round.
 *
 * Timeslices grow with priority: nice 0 gets 100 ms, nice -20 800 ms,
 * nice 19 the minimum of one tick (task_timeslice()).
 *
 * Interactivity, kept simple: each task keeps sleep_avg, the time it
 * spent sleeping recently (up to one second; sleeping adds, running
 * subtracts). Its dynamic priority is its static priority minus a bonus
 * of -5..+5 levels scaled from sleep_avg, so tasks that mostly wait for
 * input run ahead of tasks that compute. Unlike Linux, an interactive
 * task whose slice expires still goes to the expired array.
 *
 * sched_yield() follows 2.5's semantics: the caller moves to the
 * expired array, so it runs again only after every other runnable task
 * has had its turn.
 *
 * Locking: rq->lock, taken with interrupts disabled, protects the
 * runqueue and the scheduling fields of its tasks. It is a raw lock
 * (it does not count as a preemption-disabling spinlock): it is held
 * across the switch itself and released by the next task, in
 * finish_task_switch(), with interrupts off the whole time.
 */
#include <asm/irqflags.h>
#include <kestrel/bitmap.h>
#include <kestrel/bug.h>
#include <kestrel/cputime.h>
#include <kestrel/interrupt.h>
#include <kestrel/irqflags.h>
#include <kestrel/math64.h>
#include <kestrel/mm.h>
#include <kestrel/mman.h>
#include <kestrel/panic.h>
#include <kestrel/pid.h>
#include <kestrel/printk.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/stacktrace.h>
#include <kestrel/string.h>
#include <kestrel/time.h>
#include <kestrel/uaccess.h>
#include <kestrel/timer.h>
#include <kestrel/vmstat.h>
#include "sched.h"

#define DEF_TIMESLICE (100 * HZ / 1000) /* ticks, nice 0 */
#define MIN_TIMESLICE (5 * HZ / 1000 > 0 ? 5 * HZ / 1000 : 1)
#define MAX_USER_PRIO (MAX_PRIO - MAX_RT_PRIO)
#define MAX_BONUS 10
#define MAX_SLEEP_AVG (1000UL * 1000 * 1000) /* ns */
#define NS_PER_BONUS (MAX_SLEEP_AVG / MAX_BONUS)
#define KSTACK_ORDER 1 /* THREAD_SIZE is two pages */

static struct rq runqueue;
static struct task idle_task;
static struct kmem_cache *task_cache;

LIST_HEAD(task_list);
DEFINE_SPINLOCK(tasklist_lock);

extern unsigned long boot_stack[];

static struct rq *this_rq(void)
{
	return &runqueue;
}

/*
 * The lock validator sees rq->lock like any other lock, except across
 * a switch: prev takes it and next releases it, so __schedule() drops
 * it from prev's held locks and finish_task_switch() adds it to next's.
 */
static void rq_lock(struct rq *rq)
{
	spin_acquire(&rq->lock.dep_map, 0, 0, _RET_IP_);
	arch_spin_lock(&rq->lock.raw);
}

static void rq_unlock(struct rq *rq)
{
	spin_release(&rq->lock.dep_map, _RET_IP_);
	arch_spin_unlock(&rq->lock.raw);
}

/* ---- priority arrays ------------------------------------------------ */

static void array_init(struct prio_array *array)
{
	unsigned int i;

	memset(array, 0, sizeof(*array));
	for (i = 0; i < MAX_PRIO; i++)
		INIT_LIST_HEAD(&array->queue[i]);
	/* The delimiter: the search for a set bit always ends here. */
	__set_bit(MAX_PRIO, array->bitmap);
}

/* The best priority with a runnable task, MAX_PRIO when there is none. */
static unsigned int sched_find_first_bit(const unsigned long *bitmap)
{
	return find_first_bit(bitmap, MAX_PRIO + 1);
}

static void enqueue_task(struct task *p, struct prio_array *array)
{
	list_add_tail(&p->run_list, &array->queue[p->prio]);
	__set_bit(p->prio, array->bitmap);
	array->nr_active++;
	p->array = array;
}

static void dequeue_task(struct task *p, struct prio_array *array)
{
	array->nr_active--;
	list_del(&p->run_list);
	if (list_empty(&array->queue[p->prio]))
		__clear_bit(p->prio, array->bitmap);
	p->array = NULL;
}

/* ---- priorities and timeslices -------------------------------------- */

/* The timeslice of @p in ticks: Linux 2.6's scale of static priority. */
static unsigned int task_timeslice(const struct task *p)
{
	unsigned int base = p->static_prio < NICE_TO_PRIO(0) ?
				    DEF_TIMESLICE * 4 :
				    DEF_TIMESLICE;
	unsigned int slice =
		base * (MAX_PRIO - p->static_prio) / (MAX_USER_PRIO / 2);

	return slice > MIN_TIMESLICE ? slice : MIN_TIMESLICE;
}

/* Static priority adjusted by the sleep bonus, -5..+5 levels. */
static int effective_prio(const struct task *p)
{
	int bonus = (int)(p->sleep_avg / NS_PER_BONUS) - MAX_BONUS / 2;
	int prio = p->static_prio - bonus;

	if (prio < MAX_RT_PRIO)
		prio = MAX_RT_PRIO;
	if (prio > MAX_PRIO - 1)
		prio = MAX_PRIO - 1;
	return prio;
}

/* Credit the time @p slept since it was dequeued. */
static void recalc_task_prio(struct task *p, u64 now)
{
	u64 slept = now > p->timestamp ? now - p->timestamp : 0;
	u64 avg = p->sleep_avg + slept;

	p->sleep_avg = avg > MAX_SLEEP_AVG ? MAX_SLEEP_AVG : (unsigned long)avg;
	p->prio = effective_prio(p);
}

/* Put @p on the runqueue (it was sleeping or new). Caller holds rq. */
static void activate_task(struct task *p, struct rq *rq)
{
	u64 now = ktime_get_ns();

	lockdep_assert_held(&rq->lock);
	recalc_task_prio(p, now);
	p->timestamp = now;
	enqueue_task(p, rq->active);
	rq->nr_running++;
	if (p->load_counted) {
		rq->nr_uninterruptible--;
		p->load_counted = false;
	}
}

/* Take @p off the runqueue: it sleeps from @now. Caller holds rq. */
static void deactivate_task(struct task *p, struct rq *rq, u64 now)
{
	lockdep_assert_held(&rq->lock);
	rq->nr_running--;
	dequeue_task(p, p->array);
	p->timestamp = now;
	/*
	 * A D-state sleeper counts in the load average (loadavg.c); kernel
	 * threads do not, since they wait for work in that state (Linux
	 * has TASK_IDLE for them).
	 */
	if ((p->state & TASK_UNINTERRUPTIBLE) && !(p->flags & PF_KTHREAD)) {
		rq->nr_uninterruptible++;
		p->load_counted = true;
	}
}

/* Ask the running task to reschedule if @p should run before it. */
static void check_preempt(struct rq *rq, struct task *p)
{
	if (p->prio < rq->curr->prio || rq->curr == rq->idle)
		set_tsk_need_resched(rq->curr);
}

/* ---- waking up ------------------------------------------------------- */

static int try_to_wake_up(struct task *p, unsigned int state)
{
	struct rq *rq = this_rq();
	unsigned long flags;
	int woken = 0;

	local_irq_save(flags);
	rq_lock(rq);
	if (!(p->state & state))
		goto out;
	/* Still queued: it has not reached schedule() yet; just let it run. */
	if (!p->array) {
		activate_task(p, rq);
		check_preempt(rq, p);
	}
	p->state = TASK_RUNNING;
	woken = 1;
out:
	rq_unlock(rq);
	local_irq_restore(flags);
	return woken;
}

int wake_up_process(struct task *task)
{
	return try_to_wake_up(task, TASK_NORMAL);
}

int wake_up_state(struct task *task, unsigned int state)
{
	return try_to_wake_up(task, state);
}

void wake_up_new_task(struct task *task)
{
	try_to_wake_up(task, TASK_UNINTERRUPTIBLE);
}

void set_current_state(long state)
{
	WRITE_ONCE(current->state, state);
	barrier();
}

/* ---- the tick -------------------------------------------------------- */

/*
 * @ticks is more than one when tick interrupts were lost (timekeeping.c
 * catches up from the clock): the running task used them all, so its
 * slice and its sleep credit run down by all of them.
 */
void scheduler_tick(unsigned long ticks)
{
	struct pt_regs *regs = get_irq_regs();
	struct rq *rq = this_rq();
	struct task *p = current;
	unsigned long active =
		READ_ONCE(rq->nr_running) + READ_ONCE(rq->nr_uninterruptible);
	u64 ran = (u64)ticks * TICK_NSEC;

	calc_global_load_tick(active, ticks);
	if (!p || p == rq->idle)
		return;
	/* One user/kernel sample per interrupt, as Linux takes. */
	cputime_tick(p, regs && user_mode(regs));
	rq_lock(rq);
	p->sleep_avg = ran < p->sleep_avg ? p->sleep_avg - (unsigned long)ran :
					    0;
	if (p->array != rq->active) {
		/* Already expired (e.g. it yielded): let it go. */
		set_tsk_need_resched(p);
	} else if (p->time_slice > ticks) {
		p->time_slice -= ticks;
	} else {
		dequeue_task(p, rq->active);
		p->prio = effective_prio(p);
		p->time_slice = task_timeslice(p);
		p->first_time_slice = 0;
		enqueue_task(p, rq->expired);
		set_tsk_need_resched(p);
	}
	rq_unlock(rq);
}

/* ---- switching ------------------------------------------------------- */

static struct task *pick_next_task(struct rq *rq)
{
	struct prio_array *array = rq->active;
	unsigned int idx;

	if (!rq->nr_running)
		return rq->idle;
	if (!array->nr_active) {
		/* Everybody used their slice: a new round. */
		rq->active = rq->expired;
		rq->expired = array;
		array = rq->active;
	}
	idx = sched_find_first_bit(array->bitmap);
	return list_first_entry(&array->queue[idx], struct task, run_list);
}

static void check_stack_canary(const struct task *p)
{
	if (task_thread_info(p)->stack_canary != STACK_END_MAGIC)
		panic("kernel stack overflow in task %d (%s)", p->pid, p->comm);
}

/*
 * The second half of a switch, run by the task switched to: release
 * the runqueue, turn interrupts on, and drop the last reference of a
 * task that switched away for the last time.
 */
static void finish_task_switch(struct task *prev)
{
	struct rq *rq = this_rq();
	struct mm_struct *mm = rq->prev_mm;
	long prev_state = prev->state;

	rq->prev_mm = NULL;
	spin_acquire(&rq->lock.dep_map, 0, 0, _THIS_IP_); /* from prev */
	rq_unlock(rq);
	local_irq_enable();
	if (mm)
		mmdrop(mm);
	/* A dead task still queued would be picked again: leak it. */
	if (prev_state == TASK_DEAD && !WARN_ON(prev->array))
		put_task_struct(prev);
}

/*
 * Address spaces across a switch. A user task brings its own mm
 * (switch_mm reloads CR3 only if it differs). A kernel thread has none:
 * it borrows the previous task's (lazy TLB: no CR3 reload at all) and
 * holds it with mmgrab() until it is switched away from.
 */
static void context_switch_mm(struct rq *rq, struct task *prev,
			      struct task *next)
{
	if (!next->mm) {
		next->active_mm = prev->active_mm;
		mmgrab(next->active_mm);
	} else {
		switch_mm(prev->active_mm, next->mm);
	}
	if (!prev->mm) {
		rq->prev_mm = prev->active_mm;
		prev->active_mm = NULL;
	}
}

void schedule_tail(struct task *prev)
{
	finish_task_switch(prev);
	/* CLONE_CHILD_SETTID: the child stores its tid before user mode. */
	if (current->set_child_tid)
		(void)put_user(current->pid, current->set_child_tid);
}

/* Sleeping with a signal pending would miss it: stay runnable. */
static bool signal_pending_state(long state, const struct task *p)
{
	return (state & TASK_INTERRUPTIBLE) && signal_pending(p);
}

/* __schedule()'s modes (Linux's): SM_PREEMPT for an involuntary switch,
 * which leaves a sleeping-state task on the runqueue. */
#define SM_NONE 0x0
#define SM_PREEMPT 0x1

static void __schedule(unsigned int sched_mode)
{
	struct rq *rq = this_rq();
	struct task *prev = current, *next;
	u64 now;

	check_stack_canary(prev);
	local_irq_disable();
	rq_lock(rq);
	/* timestamp: when prev was switched in, for the runtime account. */
	now = ktime_get_ns();
	cputime_account_runtime(prev, now);
	if (!(sched_mode & SM_PREEMPT) && prev->state != TASK_RUNNING &&
	    prev != rq->idle) {
		if (signal_pending_state(prev->state, prev))
			prev->state = TASK_RUNNING;
		else
			deactivate_task(prev, rq, now);
	}
	next = pick_next_task(rq);
	clear_tsk_thread_flag(prev, TIF_NEED_RESCHED);
	if (next == prev) {
		rq_unlock(rq);
		local_irq_enable();
		return;
	}
	next->timestamp = now;
	if (sched_mode & SM_PREEMPT)
		prev->nivcsw++;
	else
		prev->nvcsw++;
	rq->nr_switches++;
	rq->curr = next;
	context_switch_mm(rq, prev, next);
	spin_release(&rq->lock.dep_map, _THIS_IP_); /* next releases it */
	prev = arch_switch_to(prev, next);
	finish_task_switch(prev);
}

/**
 * schedule - give the CPU to the next task
 *
 * If the current task's state is not TASK_RUNNING it sleeps until
 * woken; otherwise it stays runnable and may be picked again.
 * Context: process context, interrupts enabled, no spinlock held.
 */
void schedule(void)
{
	if (unlikely(preempt_count() || in_interrupt())) {
		pr_err("BUG: scheduling while atomic: %s/%d, preempt_count %d\n",
		       current->comm, current->pid, preempt_count());
		dump_stack();
	}
	/* about to sleep holding bios back: send them first, or the
	 * task may wait for I/O it never started (Linux's
	 * sched_submit_work) */
	if (current->plug && current->state != TASK_RUNNING)
		current->plug->flush(current->plug);
	__schedule(SM_NONE);
}

/* ---- might_sleep ----------------------------------------------------- */

enum system_states system_state = SYSTEM_BOOTING;

#ifdef CONFIG_DEBUG
#define MIGHT_SLEEP_PATHS 64 /* calling paths reported; then no more */
#define MIGHT_SLEEP_DEPTH 4 /* frames that make a path */

static unsigned int nr_might_sleep_reports;
static unsigned long might_sleep_paths[MIGHT_SLEEP_PATHS];
static unsigned int nr_might_sleep_paths;

/*
 * Has this calling path been reported already? A path is named by a
 * hash of its innermost frames, so one bad caller of mutex_lock() does
 * not hide another (a flag per might_sleep() line would).
 */
static bool might_sleep_reported(void)
{
	unsigned long trace[MIGHT_SLEEP_DEPTH], hash = 0;
	unsigned int i, n = stack_trace_save(trace, MIGHT_SLEEP_DEPTH, 2);

	for (i = 0; i < n; i++)
		hash = hash * 31 + trace[i];
	for (i = 0; i < nr_might_sleep_paths; i++)
		if (might_sleep_paths[i] == hash)
			return true;
	if (nr_might_sleep_paths == MIGHT_SLEEP_PATHS)
		return true; /* the table is full: quiet from now on */
	might_sleep_paths[nr_might_sleep_paths++] = hash;
	return false;
}

/* Why the current context may not sleep, or NULL if it may. */
static const char *sleep_forbidden(void)
{
	if (in_interrupt())
		return "in interrupt context";
	if (preempt_count())
		return "with preemption disabled (a spinlock held?)";
	if (irqs_disabled())
		return "with interrupts disabled";
	if (current->flags & PF_IDLE)
		return "in the idle task, which must never sleep";
	return NULL;
}

void __might_sleep(const char *file, int line)
{
	const char *why;

	if (system_state == SYSTEM_BOOTING || oops_in_progress || !current)
		return;
	why = sleep_forbidden();
	if (likely(!why) || might_sleep_reported())
		return;
	nr_might_sleep_reports++;
	pr_err("BUG: sleeping function called from invalid context at %s:%d\n",
	       file, line);
	pr_err("%s/%d may sleep here, but runs %s (preempt_count %d)\n",
	       current->comm, current->pid, why, preempt_count());
	lockdep_print_held_locks();
	dump_stack();
}

unsigned int might_sleep_report_count(void)
{
	return READ_ONCE(nr_might_sleep_reports);
}
#endif

/*
 * Both preempting paths hold a preemption count across __schedule(), as
 * Linux does: __schedule() returns with interrupts on, and an interrupt
 * arriving then, with the count at zero and a reschedule pending (a disk
 * completion at 10,000 per second wakes a task each time), would preempt
 * again from inside this frame, and again, until the stack overflows.
 */
void preempt_schedule(void)
{
	if (preempt_count() || irqs_disabled() || !current)
		return;
	do {
		preempt_disable();
		__schedule(SM_PREEMPT);
		preempt_enable_no_resched();
	} while (preempt_need_resched());
}

void preempt_schedule_irq(void)
{
	do {
		preempt_disable();
		__schedule(SM_PREEMPT);
		local_irq_disable();
		preempt_enable_no_resched();
	} while (preempt_need_resched());
}

void yield(void)
{
	struct rq *rq = this_rq();
	struct task *p = current;

	local_irq_disable();
	rq_lock(rq);
	if (p->array) {
		dequeue_task(p, p->array);
		enqueue_task(p, rq->expired);
	}
	rq_unlock(rq);
	local_irq_enable();
	schedule();
}

/* ---- nice ------------------------------------------------------------ */

void set_user_nice(struct task *p, long nice)
{
	struct rq *rq = this_rq();
	struct prio_array *array;
	unsigned long flags;
	int old_prio;

	if (nice < MIN_NICE)
		nice = MIN_NICE;
	if (nice > MAX_NICE)
		nice = MAX_NICE;
	local_irq_save(flags);
	rq_lock(rq);
	array = p->array;
	if (array)
		dequeue_task(p, array);
	old_prio = p->prio;
	p->static_prio = NICE_TO_PRIO(nice);
	p->prio = effective_prio(p);
	if (array) {
		enqueue_task(p, array);
		/* Higher priority now, or the running task got weaker. */
		if (p->prio < old_prio || (p == rq->curr && p->prio > old_prio))
			set_tsk_need_resched(rq->curr);
	}
	rq_unlock(rq);
	local_irq_restore(flags);
}

long task_nice(const struct task *p)
{
	return PRIO_TO_NICE(p->static_prio);
}

/* ---- sleeping with a timeout ------------------------------------------ */

struct process_timer {
	struct timer_list timer;
	struct task *task;
};

static void process_timeout(struct timer_list *t)
{
	struct process_timer *pt = container_of(t, struct process_timer, timer);

	wake_up_process(pt->task);
}

long schedule_timeout(long timeout)
{
	struct process_timer pt;
	unsigned long expire;
	long left;

	might_sleep();
	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	if (timeout < 0) {
		pr_err("schedule_timeout: wrong timeout value %ld\n", timeout);
		set_current_state(TASK_RUNNING);
		return 0;
	}
	expire = jiffies + (unsigned long)timeout;
	pt.task = current;
	timer_setup(&pt.timer, process_timeout, 0);
	mod_timer(&pt.timer, expire);
	schedule();
	del_timer(&pt.timer);
	left = (long)(expire - jiffies);
	return left < 0 ? 0 : left;
}

long schedule_timeout_interruptible(long timeout)
{
	set_current_state(TASK_INTERRUPTIBLE);
	return schedule_timeout(timeout);
}

long schedule_timeout_uninterruptible(long timeout)
{
	set_current_state(TASK_UNINTERRUPTIBLE);
	return schedule_timeout(timeout);
}

/* ---- creating and ending tasks ---------------------------------------- */

/* A task's kernel stack, counted in /proc/meminfo's KernelStack. */
static void *alloc_task_stack(void)
{
	void *stack = (void *)__get_free_pages(GFP_KERNEL, KSTACK_ORDER);

	if (stack)
		mod_node_page_state(NR_KERNEL_STACK_KB, THREAD_SIZE / 1024);
	return stack;
}

static void free_task_stack(void *stack)
{
	mod_node_page_state(NR_KERNEL_STACK_KB, -(THREAD_SIZE / 1024));
	free_pages((unsigned long)stack, KSTACK_ORDER);
}

void get_task_struct(struct task *task)
{
	atomic_inc(&task->usage);
}

void put_task_struct(struct task *task)
{
	if (!atomic_dec_and_test(&task->usage))
		return;
	BUG_ON(task == &idle_task || task->state != TASK_DEAD);
	free_pid(task->pid);
	put_cred(task->cred);
	kfree(task->kthread);
	free_task_stack(task->stack);
	kmem_cache_free(task_cache, task);
}

static void init_thread_info(struct task *task)
{
	struct thread_info *ti = task_thread_info(task);

	ti->task = task;
	ti->flags = 0;
	ti->preempt_count = 0;
	ti->stack_canary = STACK_END_MAGIC;
}

/* The scheduler's view of a new task: a child of the current one. */
static void sched_fork(struct task *p)
{
	p->static_prio = current->static_prio;
	p->prio = current->prio;
	p->sleep_avg = current->sleep_avg;
	p->time_slice = task_timeslice(p);
	p->first_time_slice = 1;
	p->array = NULL;
	INIT_LIST_HEAD(&p->run_list);
	p->timestamp = ktime_get_ns();
	p->start_time = p->timestamp;
}

struct task *alloc_task(const char *name)
{
	struct task *p;
	int pid;

	p = kmem_cache_alloc(task_cache, GFP_KERNEL | __GFP_ZERO);
	if (!p)
		return NULL;
	p->stack = alloc_task_stack();
	if (!p->stack)
		goto out_free_task;
	pid = alloc_pid();
	if (pid < 0)
		goto out_free_stack;
	init_thread_info(p);
	p->pid = pid;
	atomic_set(&p->usage, 1); /* dropped at its last switch away */
	p->state = TASK_UNINTERRUPTIBLE;
	p->cred = get_cred(current_cred());
	strlcpy(p->comm, name, sizeof(p->comm));
	sched_fork(p);

	spin_lock(&tasklist_lock);
	list_add_tail(&p->tasks, &task_list);
	spin_unlock(&tasklist_lock);
	return p;

out_free_stack:
	free_task_stack(p->stack);
out_free_task:
	kmem_cache_free(task_cache, p);
	return NULL;
}

void discard_new_task(struct task *p)
{
	spin_lock(&tasklist_lock);
	list_del(&p->tasks);
	spin_unlock(&tasklist_lock);
	p->state = TASK_DEAD;
	put_task_struct(p);
}

void do_exit_task(int code)
{
	struct task *p = current;

	BUG_ON(p == &idle_task);
	p->exit_code = code;
	p->flags |= PF_EXITING;
	/*
	 * A zombie stays on the list until its parent reaps it
	 * (release_task): it is still a member of its process group and
	 * shows in /proc, as in Linux. Anything else goes now.
	 */
	spin_lock(&tasklist_lock);
	if (p->exit_state != EXIT_ZOMBIE)
		list_del_init(&p->tasks); /* release_task may have done it */
	spin_unlock(&tasklist_lock);

	/*
	 * No interrupt between the two: a preemption of a TASK_DEAD task
	 * would leave it on the runqueue while the task switched to drops
	 * its last reference (finish_task_switch), and the freed task would
	 * be picked again (trinity found it: an oops in switch_mm reading
	 * a freed task's mm). __schedule() turns interrupts off anyway;
	 * the next task turns them on.
	 */
	local_irq_disable();
	set_current_state(TASK_DEAD);
	__schedule(SM_NONE);
	BUG(); /* a dead task is never picked again */
	for (;;)
		;
}

/* ---- boot ------------------------------------------------------------ */

/**
 * sched_init - make the boot context the idle task (pid 0)
 *
 * start_kernel() runs on the boot stack, which is aligned like every
 * kernel stack; its thread_info becomes the idle task's. Boot only,
 * after kmem_cache_init().
 */
void sched_init(void)
{
	struct rq *rq = this_rq();
	struct task *idle = &idle_task;

	spin_lock_init(&rq->lock);
	array_init(&rq->arrays[0]);
	array_init(&rq->arrays[1]);
	rq->active = &rq->arrays[0];
	rq->expired = &rq->arrays[1];

	idle->stack = boot_stack;
	init_thread_info(idle);
	atomic_set(&idle->usage, 1);
	idle->state = TASK_RUNNING;
	idle->flags = PF_IDLE | PF_KTHREAD;
	idle->static_prio = NICE_TO_PRIO(0);
	idle->prio = MAX_PRIO; /* below everything; never in an array */
	idle->cred = &init_cred;
	idle->active_mm = &init_mm;
	mmgrab(&init_mm);
	idle->thread.sp0 = (unsigned long)boot_stack + THREAD_SIZE;
	INIT_LIST_HEAD(&idle->run_list);
	strlcpy(idle->comm, "swapper", sizeof(idle->comm));
	list_add(&idle->tasks, &task_list);
	rq->curr = rq->idle = idle;

	/* Aligned for the FXSAVE area in thread_struct. */
	task_cache = kmem_cache_create("task_struct", sizeof(struct task), 64,
				       0, NULL);
	BUG_ON(!task_cache);
}

/**
 * cpu_idle - what the idle task does forever: halt until an interrupt,
 * and run whatever became runnable.
 */
void __noreturn cpu_idle(void)
{
	system_state = SYSTEM_SCHEDULING; /* init may run from now on */
	for (;;) {
		local_irq_disable();
		if (preempt_need_resched()) {
			local_irq_enable();
			schedule();
			continue;
		}
		/* sti; hlt: no interrupt can slip in between. */
		arch_safe_halt();
	}
}

unsigned long nr_running(void)
{
	return READ_ONCE(this_rq()->nr_running);
}

unsigned long nr_context_switches(void)
{
	return READ_ONCE(this_rq()->nr_switches);
}
