/*
 * The O(1) scheduler's private structures (kernel/sched/core.c).
 */
#ifndef _KERNEL_SCHED_SCHED_H
#define _KERNEL_SCHED_SCHED_H

#include <kestrel/bitops.h>
#include <kestrel/list.h>
#include <kestrel/sched.h>
#include <kestrel/spinlock.h>

/* MAX_PRIO + 1 bits: the priorities and the delimiter below. */
#define PRIO_BITMAP_LONGS BITS_TO_LONGS(MAX_PRIO + 1)

/*
 * One priority array: a list of runnable tasks per priority, and a
 * bitmap with bit p set when list p is non-empty. One bit past the last
 * priority is always set, so the search for the first set bit always
 * ends (it finds MAX_PRIO when the array is empty).
 */
struct prio_array {
	unsigned int nr_active;
	unsigned long bitmap[PRIO_BITMAP_LONGS];
	struct list_head queue[MAX_PRIO];
};

/*
 * The per-CPU runqueue. Runnable tasks sit in the active array until
 * their timeslice runs out, then in the expired array; when active
 * empties, the arrays swap. The running task stays in its array.
 */
struct rq {
	spinlock_t lock; /* everything below, and the arrays' tasks' fields */
	unsigned long nr_running; /* tasks in both arrays */
	unsigned long nr_uninterruptible; /* slept in TASK_UNINTERRUPTIBLE */
	unsigned long nr_switches;
	struct task *curr, *idle;
	struct mm_struct *prev_mm; /* a kernel thread's borrowed mm, to drop */
	struct prio_array *active, *expired;
	struct prio_array arrays[2];
};

/*
 * loadavg.c: called by every tick interrupt with the tasks that count
 * now (runnable + uninterruptible) and the @ticks that passed; every
 * LOAD_FREQ ticks it folds them into the averages. Interrupt context,
 * interrupts off.
 */
void calc_global_load_tick(unsigned long active, unsigned long ticks);

#endif /* _KERNEL_SCHED_SCHED_H */
