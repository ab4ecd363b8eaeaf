/*
 * CPU time accounting (kernel/sched/cputime.c): how long each thread,
 * and each process, has run, exactly (the scheduler's runtime, from the
 * TSC), split into user and kernel time in the ratio of the tick's
 * samples, as Linux's default accounting does.
 */
#ifndef _KESTREL_CPUTIME_H
#define _KESTREL_CPUTIME_H

#include <kestrel/types.h>

struct task;

/* What was last reported of a split: neither part ever goes back. */
struct prev_cputime {
	u64 utime, stime; /* ns */
};

/* ---- the events (the scheduler and the tick) ---- */

/*
 * @t ran from its timestamp to @now (ns): add that to its runtime and
 * its process's, and move its timestamp. Interrupts off (the scheduler
 * calls it with the runqueue lock held).
 */
void cputime_account_runtime(struct task *t, u64 now);
/* The tick interrupted @t (current) in user mode (@user) or kernel
 * mode. Hard interrupt context. */
void cputime_tick(struct task *t, bool user);
/*
 * @t (the current thread) is leaving its process (exit_notify): its
 * time so far is added to the process for good; what it runs after
 * this counts for the thread only. Caller holds tasklist_lock.
 */
void cputime_thread_exit(struct task *t);

/* ---- reading ---- */

/* The runtime, ns, of thread @t / of @t's whole process (threads live
 * or gone), up to now for the current thread. Any context. */
u64 task_sched_runtime(struct task *t);
u64 thread_group_sched_runtime(struct task *t);
/*
 * The user and kernel time, in ns, of thread @t / of its whole process:
 * the runtime split as the tick sampled it. Any context.
 */
void task_cputime(struct task *t, u64 *utime, u64 *stime);
void thread_group_cputime(struct task *t, u64 *utime, u64 *stime);

#endif /* _KESTREL_CPUTIME_H */
