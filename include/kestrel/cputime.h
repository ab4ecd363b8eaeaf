/*
 * CPU time accounting (kernel/sched/cputime.c): how long each thread,
 * and each process, has run in user mode and in kernel mode, measured
 * with the monotonic clock (the TSC) at every crossing of the boundary
 * rather than sampled by the tick.
 */
#ifndef _KESTREL_CPUTIME_H
#define _KESTREL_CPUTIME_H

#include <kestrel/types.h>

struct task;

/* ---- the crossings (arch entry code and the scheduler) ---- */

/*
 * The current thread enters the kernel from user mode (a system call,
 * an exception or an interrupt that came from user mode): the time
 * since its last crossing was user time. Any context.
 */
void cputime_user_to_kernel(void);
/*
 * The current thread is about to return to user mode: the time since
 * its last crossing was kernel time. Interrupts disabled.
 */
void cputime_kernel_to_user(void);
/*
 * A context switch at @now (ns): @prev's time since its last crossing
 * was kernel time, and @next's starts counting. Runqueue lock held.
 */
void cputime_switch(struct task *prev, struct task *next, u64 now);
/*
 * @t (the current thread) is leaving its process (exit_notify): its
 * time so far is added to the process for good; what it runs after
 * this counts for the thread only. Caller holds tasklist_lock.
 */
void cputime_thread_exit(struct task *t);

/* ---- reading ---- */

/*
 * The user and kernel time, in ns, of thread @t, up to now if @t is the
 * current thread (the time since its last crossing is kernel time: it
 * is in the kernel, reading). Any context.
 */
void task_cputime(struct task *t, u64 *utime, u64 *stime);
/*
 * The same for @t's whole process: every thread, live or gone, and the
 * current thread up to now if it belongs to it. Any context.
 */
void thread_group_cputime(struct task *t, u64 *utime, u64 *stime);

#endif /* _KESTREL_CPUTIME_H */
