/*
 * Tasks and the scheduler.
 *
 * A task is a thread of execution with its own kernel stack: a kernel
 * thread, or a user thread that enters the kernel through system calls
 * and interrupts. Tasks of one process share an address space (mm), a
 * file table and signal handlers.
 *
 * The scheduler is Linux 2.6's O(1) scheduler (kernel/sched/core.c):
 * per CPU, a runqueue with an *active* and an *expired* priority array
 * of 140 lists and a bitmap; the next task is the first of the highest
 * non-empty list, found with one find-first-bit. A task that uses up its
 * timeslice goes to the expired array; when the active array empties,
 * the two swap.
 */
#ifndef _KESTREL_SCHED_H
#define _KESTREL_SCHED_H

#include <asm/current.h>
#include <asm/processor.h>
#include <asm/switch_to.h>
#include <asm/thread_info.h>
#include <kestrel/atomic.h>
#include <kestrel/compiler.h>
#include <kestrel/cred.h>
#include <kestrel/list.h>
#include <kestrel/signal.h>
#include <kestrel/spinlock.h>
#include <kestrel/time64.h>
#include <kestrel/types.h>

/* Task states (Linux's values, shown in /proc/PID/stat). */
#define TASK_RUNNING 0x0000
#define TASK_INTERRUPTIBLE 0x0001
#define TASK_UNINTERRUPTIBLE 0x0002
#define __TASK_STOPPED 0x0004
#define __TASK_TRACED 0x0008
#define EXIT_DEAD 0x0010
#define EXIT_ZOMBIE 0x0020
#define TASK_DEAD 0x0080
#define TASK_NORMAL (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

/* Task flags. */
#define PF_KTHREAD 0x00200000 /* a kernel thread */
#define PF_EXITING 0x00000004
#define PF_IDLE 0x00000002 /* the idle task */

/* Priorities: 0..99 real-time (unused yet), 100..139 for nice -20..19. */
#define MAX_USER_RT_PRIO 100
#define MAX_RT_PRIO MAX_USER_RT_PRIO
#define MAX_PRIO (MAX_RT_PRIO + 40)
#define DEFAULT_PRIO (MAX_RT_PRIO + 20)
#define NICE_TO_PRIO(nice) ((nice) + DEFAULT_PRIO)
#define PRIO_TO_NICE(prio) ((prio)-DEFAULT_PRIO)
#define MIN_NICE (-20)
#define MAX_NICE 19

#define TASK_COMM_LEN 16

/*
 * What restart_syscall() resumes after a signal interrupted a sleep
 * that returned -ERESTART_RESTARTBLOCK (nanosleep, a timed futex wait):
 * the remaining wait.
 */
struct restart_block {
	long (*fn)(struct restart_block *rb);
	u64 expires; /* absolute, on the monotonic clock, ns */
	union {
		struct { /* nanosleep */
			void __user *rmtp; /* where to store the time left */
			enum timespec_type rmtp_type; /* its layout */
		};
		struct { /* futex_wait (kernel/futex.c) */
			u32 __user *uaddr;
			u32 val, bitset;
			unsigned int flags;
		} futex;
	};
};

struct prio_array;
struct completion;
struct kthread;
struct mm_struct;
struct files_struct;
struct fs_struct;

/*
 * Work a task holds back while it runs: the block layer's plug (struct
 * blk_plug, <kestrel/blkdev.h>). schedule() calls @flush before the
 * task sleeps, without knowing what is held.
 */
struct task_plug {
	void (*flush)(struct task_plug *plug);
};

struct task {
	struct thread_struct thread; /* arch: saved stack pointer, TLS */
	volatile long state; /* TASK_* */
	unsigned int flags; /* PF_* */
	void *stack; /* THREAD_SIZE bytes, thread_info at the bottom */
	atomic_t usage; /* references; freed at 0 (put_task_struct) */

	/* Scheduling (the O(1) scheduler; rq->lock). */
	int prio, static_prio;
	struct list_head run_list; /* in a priority list of array */
	struct prio_array *array; /* NULL when not runnable */
	unsigned int time_slice; /* ticks left */
	unsigned int first_time_slice;
	unsigned long sleep_avg; /* ns of recent sleep, for the bonus */
	u64 timestamp; /* ns: last enqueue or switch */
	u64 sum_exec_runtime; /* ns spent running */
	unsigned long nvcsw, nivcsw; /* voluntary/involuntary switches */
	bool load_counted; /* in rq->nr_uninterruptible (loadavg) */
	u64 start_time; /* ns since boot when it was created (/proc stat) */

	int pid; /* thread id, in the initial PID space */
	int tgid; /* process id: the group leader's pid */
	int exit_code; /* wait status, once exiting */
	int exit_state; /* 0, EXIT_ZOMBIE or EXIT_DEAD */
	int exit_signal; /* sent to the parent at exit; -1 for threads */
	char comm[TASK_COMM_LEN];
	struct list_head tasks; /* in the list of all tasks */

	/* Family (tasklist_lock). */
	struct task *real_parent; /* forked us, or adopted us */
	struct task *group_leader; /* the thread group's first thread */
	struct list_head children; /* our children's sibling links */
	struct list_head sibling; /* in real_parent->children */
	struct list_head thread_node; /* in signal->thread_head */

	/* Signals (sighand->siglock). */
	struct signal_struct *signal;
	struct sighand_struct *sighand;
	sigset_t blocked, saved_sigmask;
	/* sigtimedwait: the mask the thread really has while it sleeps
	 * with the awaited signals unblocked; empty otherwise. */
	sigset_t real_blocked;
	bool restore_sigmask; /* sigsuspend: put saved_sigmask back */
	struct sigpending pending; /* sent to this thread alone */
	unsigned long sas_ss_sp; /* sigaltstack */
	size_t sas_ss_size;
	unsigned int sas_ss_flags;

	int __user *set_child_tid; /* CLONE_CHILD_SETTID */
	int __user *clear_child_tid; /* CLONE_CHILD_CLEARTID: futex at exit */
	struct completion *vfork_done; /* vfork: parent waits for exec/exit */
	/* The tick's samples of user and kernel mode, and the last split
	 * of the runtime reported (kernel/sched/cputime.c; read with
	 * task_cputime()) */
	unsigned long utime_ticks, stime_ticks;
	struct prev_cputime prev_cputime;
	struct restart_block restart_block;
	void __user *robust_list; /* set_robust_list() */
	bool did_exec; /* exec'd since fork (setpgid's EACCES) */
	unsigned long min_flt, maj_flt;

	const struct cred *cred;
	struct mm_struct *mm; /* NULL for kernel threads */
	struct mm_struct *active_mm; /* the address space in use */
	struct files_struct *files;
	struct fs_struct *fs;

	struct task_plug *plug; /* blk_start_plug(), or NULL */
	struct kthread *kthread; /* kernel threads: kernel/kthread.c */
	struct task_lockdep lockdep; /* locks held (debug: lockdep.h) */
};

/* The task running on this CPU. */
#define current get_current()

#define MAX_SCHEDULE_TIMEOUT ((long)(~0UL >> 1))

/* Pick and switch to the next task. May sleep (that is what it does). */
void schedule(void);
/* Make @task runnable. Returns 1 if it was sleeping. Any context. */
int wake_up_process(struct task *task);
/* Wake @task if its state is in @state. */
int wake_up_state(struct task *task, unsigned int state);
/* Sleep for @timeout ticks in the current state (set it first).
 * Returns the ticks left if woken early, else 0. */
long schedule_timeout(long timeout);
long schedule_timeout_interruptible(long timeout);
long schedule_timeout_uninterruptible(long timeout);
/* Move the current task to the expired array and reschedule (2.5
 * sched_yield semantics: it runs again only after every other runnable
 * task had its turn). */
void yield(void);

void set_current_state(long state);
void set_user_nice(struct task *task, long nice);
long task_nice(const struct task *task);

static inline struct thread_info *task_thread_info(const struct task *task)
{
	return (struct thread_info *)task->stack;
}

static inline void set_tsk_thread_flag(struct task *task, int flag)
{
	set_bit(flag, &task_thread_info(task)->flags);
}

static inline void clear_tsk_thread_flag(struct task *task, int flag)
{
	clear_bit(flag, &task_thread_info(task)->flags);
}

static inline bool test_tsk_thread_flag(const struct task *task, int flag)
{
	return (READ_ONCE(task_thread_info(task)->flags) >> flag) & 1;
}

static inline void set_tsk_need_resched(struct task *task)
{
	set_tsk_thread_flag(task, TIF_NEED_RESCHED);
}

static inline bool need_resched(void)
{
	return test_tsk_thread_flag(current, TIF_NEED_RESCHED);
}

/* True when @task has a signal to handle (interruptible sleeps end). */
static inline bool signal_pending(const struct task *task)
{
	return test_tsk_thread_flag(task, TIF_SIGPENDING);
}

/* Called from the tick: account @ticks ticks (more than one when tick
 * interrupts were lost) to the running task's timeslice. */
void scheduler_tick(unsigned long ticks);
/* Boot: make the boot context the idle task and set up runqueues. */
void sched_init(void);

/* Reschedule on the way out of an interrupt, if needed and allowed
 * (interrupts disabled on entry and exit). */
void preempt_schedule_irq(void);

/* Task references: the task is freed when the last one is put. */
void get_task_struct(struct task *task);
void put_task_struct(struct task *task);

/* Allocate a task with a kernel stack, not yet runnable: state
 * TASK_UNINTERRUPTIBLE, credentials and comm copied from current,
 * the scheduler's fields set up as a child of current. */
struct task *alloc_task(const char *name);
/* Make a new task runnable for the first time. */
void wake_up_new_task(struct task *task);
/* End the current task: it never runs again. */
void __noreturn do_exit_task(int code);
/* Called first by every new task, after its first switch-in. */
void schedule_tail(struct task *prev);

/* The idle loop of the boot task, after start_kernel(). */
void __noreturn cpu_idle(void);
/* Runnable tasks and context switches so far (for /proc). */
unsigned long nr_running(void);
/*
 * The load averages over 1, 5 and 15 minutes, fixed point with
 * FSHIFT fraction bits (kernel/sched/loadavg.c, /proc/loadavg).
 */
#define FSHIFT 11
#define FIXED_1 (1UL << FSHIFT)
extern unsigned long avenrun[3];
unsigned long nr_context_switches(void);

/* Iterate over all tasks (tasklist_lock held). */
extern struct list_head task_list;
extern spinlock_t tasklist_lock; /* protects task_list */

#endif /* _KESTREL_SCHED_H */
