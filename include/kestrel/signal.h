/*
 * Signals, as Linux 2.6 keeps them.
 *
 * A process (a thread group) shares a struct signal_struct (the
 * process-wide pending set, the group-exit and job-control state, the
 * resource limits, the children wait queue) and a struct sighand_struct
 * (the 64 dispositions, and siglock, which guards everything about
 * signals). Each thread has its own blocked mask and its own pending
 * set for signals sent to it alone (tkill, faults).
 *
 * Sending queues the signal and sets TIF_SIGPENDING on a thread that
 * can take it; that thread runs do_signal() on its way back to user
 * mode (exit_to_user_mode) and either acts by default (ignore,
 * terminate, stop, continue) or builds a frame on the user stack and
 * enters the handler, which returns through sigreturn.
 */
#ifndef _KESTREL_SIGNAL_H
#define _KESTREL_SIGNAL_H

#include <asm/ptrace.h>
#include <kestrel/atomic.h>
#include <kestrel/cputime.h>
#include <kestrel/list.h>
#include <kestrel/spinlock.h>
#include <kestrel/timer.h>
#include <kestrel/wait.h>
#include <uapi/resource.h>
#include <uapi/signal.h>

struct task;
struct tty_struct;

/* A queued signal with its information. */
struct sigqueue {
	struct list_head list;
	siginfo_t info;
};

struct sigpending {
	struct list_head list; /* of struct sigqueue, oldest first */
	sigset_t signal; /* the numbers pending */
};

struct k_sigaction {
	struct sigaction sa;
};

struct sighand_struct {
	atomic_t count; /* threads sharing it (CLONE_SIGHAND) */
	spinlock_t siglock; /* all signal state of the process */
	struct k_sigaction action[_NSIG];
};

/*
 * ITIMER_VIRTUAL and ITIMER_PROF (it[0] and it[1]): the process CPU time
 * (user; user + kernel) at which the timer fires, ns (0: disarmed), and
 * the interval it is reloaded with (0: once).
 */
struct cpu_itimer {
	u64 expires;
	u64 incr;
};
#define ITIMER_CPU_COUNT 2

/* signal_struct.flags */
#define SIGNAL_GROUP_EXIT 0x01 /* the process is exiting */
#define SIGNAL_STOP_STOPPED 0x02 /* job-control stopped */
#define SIGNAL_STOP_CONTINUED 0x04 /* SIGCONT since the last wait */
#define SIGNAL_CLD_STOPPED 0x10 /* report to the parent: stopped */
#define SIGNAL_CLD_CONTINUED 0x20 /* report to the parent: continued */
#define SIGNAL_NOTIFY_CONTINUED 0x40 /* SIGCHLD (CLD_CONTINUED) still due */
/* Init: signals it has no handler for are dropped (kernel/signal.c). */
#define SIGNAL_UNKILLABLE 0x80

struct signal_struct {
	atomic_t count; /* references: threads, and the zombie leader */
	int nr_threads; /* threads not through exit_notify (tasklist_lock) */
	/* Threads not yet in do_exit: the one that takes it to 0 ends the
	 * process. */
	atomic_t live;
	struct list_head thread_head; /* its threads (tasklist_lock) */
	struct sigpending shared_pending;
	unsigned int flags; /* SIGNAL_* (siglock) */
	int group_exit_code;
	int group_stop_count; /* threads still to stop (siglock) */
	struct wait_queue_head wait_chldexit; /* parents in wait4() */
	int pgrp, session; /* job control (tasklist_lock) */
	/* The controlling terminal, NULL: none (tasklist_lock). A weak
	 * reference: the tty core clears it before freeing the tty. */
	struct tty_struct *tty;
	struct rlimit rlim[RLIM_NLIMITS];
	u64 cutime, cstime; /* reaped children's times, ns */
	/* Every thread's runtime (ns, up to its last switch) and tick
	 * samples, live threads and gone ones, and the last split
	 * reported (cputime_lock, irqsave; kernel/sched/cputime.c). */
	spinlock_t cputime_lock;
	u64 sum_exec_runtime;
	unsigned long utime_ticks, stime_ticks;
	struct prev_cputime prev_cputime;
	/* The interval timers (kernel/time/itimer.c; siglock). ITIMER_REAL
	 * and alarm(): SIGALRM when the monotonic clock reaches
	 * it_real_expires (ns; 0: disarmed), then every it_real_incr ns
	 * (0: once); real_timer fires at the jiffy that covers it. */
	struct timer_list real_timer;
	u64 it_real_expires, it_real_incr;
	struct task *leader; /* who real_timer signals */
	/* ITIMER_VIRTUAL, ITIMER_PROF: at the process CPU times in it[] */
	struct cpu_itimer it[ITIMER_CPU_COUNT];
};

/* ---- sets ---- */

static inline void sigemptyset(sigset_t *set)
{
	set->sig[0] = set->sig[1] = 0;
}

static inline void sigfillset(sigset_t *set)
{
	set->sig[0] = set->sig[1] = ~0UL;
}

static inline void sigaddset(sigset_t *set, int sig)
{
	set->sig[(sig - 1) / _NSIG_BPW] |= 1UL << ((sig - 1) % _NSIG_BPW);
}

static inline void sigdelset(sigset_t *set, int sig)
{
	set->sig[(sig - 1) / _NSIG_BPW] &= ~(1UL << ((sig - 1) % _NSIG_BPW));
}

static inline bool sigismember(const sigset_t *set, int sig)
{
	return (set->sig[(sig - 1) / _NSIG_BPW] >> ((sig - 1) % _NSIG_BPW)) & 1;
}

static inline bool sigisemptyset(const sigset_t *set)
{
	return !(set->sig[0] | set->sig[1]);
}

#define sigmask(sig) (1UL << ((sig)-1))
/* Signals that can be neither caught, blocked nor ignored. */
#define SIG_KERNEL_ONLY_MASK (sigmask(SIGKILL) | sigmask(SIGSTOP))

static inline bool valid_signal(unsigned long sig)
{
	return sig <= _NSIG;
}

/* ---- sending ---- */

/* Who a signal is for: one thread, or its whole process (thread group).
 * Linux's enum pid_type, cut to the two kinds that signals use. */
enum pid_type { PIDTYPE_PID, PIDTYPE_TGID };

/* Send @sig with @info (NULL: SI_USER from the current task) to the
 * process of @p. Returns 0 or -errno. Any context but NMI. */
int send_sig_info(int sig, const siginfo_t *info, struct task *p);
/* Send to the thread @p only (tkill, faults). */
int send_sig_to_thread(int sig, const siginfo_t *info, struct task *p);
/* A synchronous fault signal to the current thread: unblocked and
 * un-ignored first, as Linux's force_sig does. */
void force_sig_fault(int sig, int code, void __user *addr);
void force_sig(int sig);

/* ---- the task's side ---- */

/* The next signal to act on (default actions done inside); 0: none. */
int get_signal(struct k_sigaction *ka, siginfo_t *info);
/* Take the lowest pending signal that is in @set (sigtimedwait). */
int dequeue_signal_in(const sigset_t *set, siginfo_t *info);
/* A new task's empty pending set; freeing it at the end. */
void task_init_sigpending(struct task *t);
void task_flush_signals(struct task *t);

/* Deliver pending signals before returning to user mode with @regs. */
void do_signal(struct pt_regs *regs);
/* Recompute TIF_SIGPENDING for the current thread. siglock held. */
void recalc_sigpending(void);
/* Set the blocked mask of the current thread. */
void set_current_blocked(const sigset_t *set);
/* Tell @t's parent that its process stopped or continued (CLD_*). */
void do_notify_parent_cldstop(struct task *t, int why);
/* SIGKILL every thread of @p's process but @p. siglock held. */
void zap_other_threads(struct task *p);
/* The process dies with @exit_code (already encoded as wait status). */
void __noreturn do_group_exit(int exit_code);

struct sighand_struct *sighand_alloc(void);
void sighand_put(struct sighand_struct *sighand);
struct signal_struct *signal_alloc(void);
void signal_put(struct signal_struct *sig);
/*
 * Is the current process's group orphaned (no member has a parent in
 * another group of the same session)? Job-control stops are then not
 * taken and terminal reads/writes fail with EIO. Takes tasklist_lock.
 */
bool is_current_pgrp_orphaned(void);

/*
 * Send @sig from the kernel (SI_KERNEL) to every live process of group
 * @pgrp: orphaned groups, terminal signals. Caller holds tasklist_lock.
 */
void kill_pgrp_locked(int sig, int pgrp);

/* exec: handlers reset to default, ignored signals stay ignored. */
void flush_signal_handlers(struct task *p);

#endif /* _KESTREL_SIGNAL_H */
