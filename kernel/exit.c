/*
 * Ending tasks and waiting for them.
 *
 * do_exit() releases what the task holds (its address space, files,
 * cwd), wakes a vfork parent and a CLONE_CHILD_CLEARTID futex waiter,
 * gives its children to init, and becomes a zombie: the task stays,
 * with its exit status, until its parent collects it with wait4() or
 * waitid() (release_task). A parent that ignores SIGCHLD (or set
 * SA_NOCLDWAIT) never sees zombies: they are released at once. Threads
 * other than a process's leader are released at once too; the leader's
 * zombie is reported when the last thread is gone.
 *
 * Wait statuses are encoded exactly as Linux's: exit(n) gives n << 8, a
 * kill by signal s gives s (| 0x80 when a core was dumped: CLD_DUMPED
 * for SIGCHLD and waitid), a stop by s gives (s << 8) | 0x7f, and a
 * continue 0xffff.
 *
 * An exit can orphan a process group (no member left with a parent in
 * another group of the same session); one with stopped members then
 * gets SIGHUP and SIGCONT (kill_orphaned_pgrp, docs/processes.md).
 *
 * Locking: tasklist_lock guards the family links and exit_state;
 * siglock the job-control flags read by wait.
 */
#include <kestrel/completion.h>
#include <kestrel/cputime.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs_struct.h>
#include <kestrel/itimer.h>
#include <kestrel/futex.h>
#include <kestrel/mman.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/time.h>
#include <kestrel/time64.h>
#include <kestrel/tty.h>
#include <kestrel/uaccess.h>
#include <uapi/resource.h>
#include <uapi/wait.h>

#define WAIT_STOPPED_STATUS 0x7f
#define WAIT_SIGNAL_MASK 0x7f /* the killing signal, 0 for an exit */
#define WAIT_CORE_DUMPED 0x80 /* WCOREDUMP */
#define WAIT_CONTINUED_STATUS 0xffff

struct task *child_reaper;

/* ---- telling the parent ---------------------------------------------- */

static void fill_chld_info(siginfo_t *info, struct task *t, int code,
			   int status)
{
	u64 utime, stime;

	thread_group_cputime(t, &utime, &stime);
	memset(info, 0, sizeof(*info));
	info->si_signo = SIGCHLD;
	info->si_code = code;
	info->si_pid = t->tgid;
	info->si_uid = t->cred->uid;
	info->si_status = status;
	info->si_utime = (long)nsec_to_clock_t(utime);
	info->si_stime = (long)nsec_to_clock_t(stime);
}

/* Does the parent not want zombies (SIGCHLD ignored or SA_NOCLDWAIT)? */
static bool parent_autoreaps(struct task *parent)
{
	struct k_sigaction *ka = &parent->sighand->action[SIGCHLD - 1];

	return ka->sa.sa_handler == SIG_IGN || (ka->sa.sa_flags & SA_NOCLDWAIT);
}

/* The si_code of a finished process's SIGCHLD/waitid from its status. */
static int status_code(int status)
{
	if (!(status & WAIT_SIGNAL_MASK))
		return CLD_EXITED;
	return status & WAIT_CORE_DUMPED ? CLD_DUMPED : CLD_KILLED;
}

/* ... and its si_status: the exit code or the signal. */
static int status_stat(int status)
{
	return status & WAIT_SIGNAL_MASK ? status & WAIT_SIGNAL_MASK :
					   (status >> 8) & 0xff;
}

/* The wait status of a finished process whose leader is @t. */
static int exit_status(struct task *t)
{
	return t->signal->flags & SIGNAL_GROUP_EXIT ?
		       t->signal->group_exit_code :
		       t->exit_code;
}

/*
 * The leader @t of a finished process: signal and wake the parent.
 * Returns true if the parent does not want the zombie.
 * Caller holds tasklist_lock.
 */
static bool do_notify_parent(struct task *t)
{
	struct task *parent = t->real_parent;
	int status = exit_status(t);
	siginfo_t info;

	lockdep_assert_held(&tasklist_lock);
	fill_chld_info(&info, t, status_code(status), status_stat(status));
	if (t->exit_signal > 0)
		send_sig_info(t->exit_signal, &info, parent);
	wake_up_interruptible_all(&parent->signal->wait_chldexit);
	return parent_autoreaps(parent) || t->exit_signal <= 0;
}

void do_notify_parent_cldstop(struct task *t, int why)
{
	struct task *leader = t->group_leader, *parent;
	struct k_sigaction *ka;
	siginfo_t info;

	spin_lock(&tasklist_lock);
	parent = leader->real_parent;
	fill_chld_info(&info, leader, why,
		       why == CLD_STOPPED ? t->signal->group_exit_code :
					    SIGCONT);
	ka = &parent->sighand->action[SIGCHLD - 1];
	if (ka->sa.sa_handler != SIG_IGN && !(ka->sa.sa_flags & SA_NOCLDSTOP))
		send_sig_info(SIGCHLD, &info, parent);
	wake_up_interruptible_all(&parent->signal->wait_chldexit);
	spin_unlock(&tasklist_lock);
}

/* ---- releasing -------------------------------------------------------- */

/*
 * Free a dead task's process bookkeeping and the parent's reference.
 * It leaves task_list here, as Linux's __unhash_process does (a zombie
 * stays listed until then; do_exit_task leaves it there): a parent may
 * reap a zombie that has not run its last instructions yet, and a task left
 * on the list with its signal_struct freed would be seen through a
 * dangling ->signal by every walker of the list (the freed struct,
 * reused by a new process, once made a tty hangup clear that process's
 * controlling terminal instead of signalling it).
 */
static void release_task(struct task *p)
{
	spin_lock(&tasklist_lock);
	list_del_init(&p->tasks);
	list_del_init(&p->sibling);
	list_del_init(&p->thread_node);
	p->exit_state = EXIT_DEAD;
	spin_unlock(&tasklist_lock);
	signal_put(p->signal);
	sighand_put(p->sighand);
	task_flush_signals(p);
	put_task_struct(p);
}

/* ---- orphaned process groups ------------------------------------------ */

/*
 * POSIX's orphaned process group: one in which no member has a parent
 * in a different group of the same session. Nobody is left who could
 * resume its stopped members with job control, so the kernel does: a
 * group that becomes orphaned while some member is stopped gets SIGHUP
 * then SIGCONT (kill_orphaned_pgrp), and the terminal stop signals are
 * not obeyed in an orphaned group (get_signal).
 *
 * Processes are their group leaders here; threads share the leader's
 * signal_struct and so its group and session.
 */

/* Is @p a live process (a leader) that can link a group to its session? */
static bool counts_as_member(struct task *p, struct task *ignored)
{
	if (p != p->group_leader || !p->signal || (p->flags & PF_KTHREAD))
		return false;
	if (p == ignored || p->exit_state == EXIT_DEAD)
		return false;
	/* A zombie whose threads are all gone is no longer a member. */
	return !(p->exit_state && !p->signal->nr_threads);
}

/*
 * Would group @pgrp be orphaned without @ignored (NULL: as it is)? Init's
 * children never link a group: init does no job control.
 * Caller holds tasklist_lock.
 */
static bool will_become_orphaned_pgrp(int pgrp, struct task *ignored)
{
	struct task *p, *parent;

	lockdep_assert_held(&tasklist_lock);
	list_for_each_entry(p, &task_list, tasks) {
		if (!counts_as_member(p, ignored) || p->signal->pgrp != pgrp)
			continue;
		parent = p->real_parent->group_leader;
		if (parent == child_reaper || !parent->signal)
			continue;
		if (parent->signal->pgrp != pgrp &&
		    parent->signal->session == p->signal->session)
			return false;
	}
	return true;
}

/* Is some process of group @pgrp job-control stopped? The flag is read
 * without siglock, as a snapshot. Caller holds tasklist_lock. */
static bool has_stopped_jobs(int pgrp)
{
	struct task *p;

	lockdep_assert_held(&tasklist_lock);
	list_for_each_entry(p, &task_list, tasks)
		if (counts_as_member(p, NULL) && p->signal->pgrp == pgrp &&
		    (READ_ONCE(p->signal->flags) & SIGNAL_STOP_STOPPED))
			return true;
	return false;
}

void kill_pgrp_locked(int sig, int pgrp)
{
	struct task *p;
	siginfo_t info;

	lockdep_assert_held(&tasklist_lock);
	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = SI_KERNEL;
	list_for_each_entry(p, &task_list, tasks)
		if (counts_as_member(p, NULL) && p->signal->pgrp == pgrp)
			send_sig_info(sig, &info, p);
}

/*
 * @tsk's group may have just lost its last link to the session: through
 * @tsk's own exit (@parent NULL: the link was @tsk and its parent), or
 * because @tsk's parent @parent, in another group of the same session,
 * exited and @tsk went to init. If the group is now orphaned and has
 * stopped members, hang it up and continue it, as Linux does.
 * Caller holds tasklist_lock.
 */
static void kill_orphaned_pgrp(struct task *tsk, struct task *parent)
{
	int pgrp = tsk->signal->pgrp;
	struct task *ignored = tsk;

	lockdep_assert_held(&tasklist_lock);
	if (!parent)
		parent = tsk->real_parent->group_leader;
	else
		ignored = NULL;
	if (!parent->signal || parent->signal->pgrp == pgrp ||
	    parent->signal->session != tsk->signal->session)
		return;
	if (will_become_orphaned_pgrp(pgrp, ignored) &&
	    has_stopped_jobs(pgrp)) {
		kill_pgrp_locked(SIGHUP, pgrp);
		kill_pgrp_locked(SIGCONT, pgrp);
	}
}

bool is_current_pgrp_orphaned(void)
{
	bool ret;

	spin_lock(&tasklist_lock);
	ret = will_become_orphaned_pgrp(current->signal->pgrp, NULL);
	spin_unlock(&tasklist_lock);
	return ret;
}

/*
 * Who takes the children of exiting @p: another live thread of its
 * process, which goes on waiting for them (Linux's find_alive_thread),
 * or else init. Caller holds tasklist_lock.
 */
static struct task *find_new_reaper(struct task *p)
{
	struct task *t;

	lockdep_assert_held(&tasklist_lock);
	list_for_each_entry(t, &p->signal->thread_head, thread_node)
		if (t != p && !(t->flags & PF_EXITING) && !t->exit_state)
			return t;
	return child_reaper;
}

/*
 * Give @p's children to a sibling thread or to init. Only a move out
 * of the process is news: the children's groups may be orphaned, and
 * a zombie is reported to init (which may release it at once: then it
 * goes on @dead). Caller holds tasklist_lock.
 */
static void forget_original_parent(struct task *p, struct list_head *dead)
{
	struct task *child, *n, *reaper = find_new_reaper(p);

	lockdep_assert_held(&tasklist_lock);
	list_for_each_entry_safe(child, n, &p->children, sibling) {
		child->real_parent = reaper;
		list_move_tail(&child->sibling, &reaper->children);
		if (child != child->group_leader || reaper->signal == p->signal)
			continue;
		kill_orphaned_pgrp(child, p->group_leader);
		if (child->exit_state == EXIT_ZOMBIE && do_notify_parent(child))
			list_move_tail(&child->sibling, dead);
	}
}

/* Become a zombie, or go at once. */
static void exit_notify(struct task *p)
{
	LIST_HEAD(dead);
	struct task *leader = p->group_leader, *t, *n;
	bool release_self = false, group_dead;

	spin_lock(&tasklist_lock);
	forget_original_parent(p, &dead);
	cputime_thread_exit(p); /* before the process can be reaped */
	p->exit_state = EXIT_ZOMBIE;
	group_dead = --p->signal->nr_threads == 0;
	/* The process is gone: its group may have lost its link. */
	if (group_dead)
		kill_orphaned_pgrp(leader, NULL);
	if (p != leader) {
		release_self = true; /* threads are not waited for */
		if (group_dead && leader->exit_state == EXIT_ZOMBIE &&
		    do_notify_parent(leader))
			list_add_tail(&leader->sibling, &dead);
	} else if (group_dead) {
		release_self = do_notify_parent(p);
	}
	spin_unlock(&tasklist_lock);

	list_for_each_entry_safe(t, n, &dead, sibling)
		release_task(t);
	if (release_self)
		release_task(p);
}

/* The CLONE_CHILD_CLEARTID protocol of pthread_join: zero, then wake. */
static void mm_release(struct task *p)
{
	if (p->clear_child_tid) {
		if (!put_user(0, p->clear_child_tid))
			futex_wake((u32 __user *)p->clear_child_tid, 1,
				   FUTEX_BITSET_MATCH_ANY);
		p->clear_child_tid = NULL;
	}
	if (p->vfork_done) {
		complete(p->vfork_done);
		p->vfork_done = NULL;
	}
}

/*
 * Leave the address space. A task without an mm runs on a borrowed
 * one that it holds with mmgrab(), like a kernel thread: the scheduler
 * drops prev->active_mm when it switches away from a task whose ->mm
 * is NULL. So ->mm = NULL and ->active_mm = &init_mm (grabbed) must
 * change together, with preemption off: a switch in between once made
 * the scheduler drop a reference to @mm that was never taken, and an
 * address space still used by the other threads was freed under them
 * (found by trinity: an oops in switch_mm, or page tables left in a
 * freed directory). tasklist_lock keeps preemption off, and procfs
 * readers take ->mm under it.
 */
static void exit_mm(struct task *p)
{
	struct mm_struct *mm = p->mm;

	mm_release(p);
	if (!mm)
		return;
	mmgrab(&init_mm); /* dropped by the scheduler at the last switch */
	spin_lock(&tasklist_lock);
	switch_mm(mm, &init_mm); /* stop using the tables before they go */
	p->mm = NULL;
	p->active_mm = &init_mm;
	spin_unlock(&tasklist_lock);
	mmput(mm);
}

/* As exit_mm(): the pointers are cleared under tasklist_lock, which
 * procfs holds while it uses them, before the references go. */
static void exit_files_fs(struct task *p)
{
	struct files_struct *files;
	struct fs_struct *fs;

	spin_lock(&tasklist_lock);
	files = p->files;
	fs = p->fs;
	p->files = NULL;
	p->fs = NULL;
	spin_unlock(&tasklist_lock);
	if (files)
		put_files_struct(files);
	if (fs)
		put_fs_struct(fs);
}

/*
 * The last thread to enter do_exit() ends the process: it alone cancels
 * the interval timers and lets the controlling terminal go. That is
 * decided by ->live, lowered here, and not by ->nr_threads, which
 * exit_notify() lowers later: two threads in between (one preempted
 * there, as when a thread's exit wakes the leader's pthread_join and
 * the leader exits at once) both saw nr_threads > 1, neither cancelled
 * the alarm, and the signal_struct was freed with its real_timer still
 * on the timer wheel, which then wrote into the freed object.
 */
void do_exit(int code)
{
	struct task *p = current;
	bool group_dead = atomic_dec_and_test(&p->signal->live);

	/* Init's last thread: nothing can go on (Linux panics too). Only
	 * init itself gets here: by exiting, or by a fault it does not
	 * handle; signals from others are dropped (SIGNAL_UNKILLABLE). */
	if (group_dead && child_reaper && p->signal == child_reaper->signal)
		panic("Attempted to kill init! exitcode=0x%08x", code);
	p->flags |= PF_EXITING;
	p->exit_code = code;
	if (group_dead)
		exit_itimers(p);
	exit_mm(p);
	exit_files_fs(p);
	if (group_dead) /* a session leader's ctty goes */
		tty_session_leader_exit(p->signal);
	exit_notify(p);
	do_exit_task(code);
}

void do_group_exit(int exit_code)
{
	struct signal_struct *sig = current->signal;
	unsigned long flags;

	spin_lock_irqsave(&current->sighand->siglock, flags);
	if (sig->flags & SIGNAL_GROUP_EXIT) {
		exit_code = sig->group_exit_code;
	} else {
		sig->flags = SIGNAL_GROUP_EXIT;
		sig->group_exit_code = exit_code;
		zap_other_threads(current);
	}
	spin_unlock_irqrestore(&current->sighand->siglock, flags);
	do_exit(exit_code);
}

SYSCALL_DEFINE1(exit, int, error_code)
{
	do_exit((error_code & 0xff) << 8);
}

SYSCALL_DEFINE1(exit_group, int, error_code)
{
	do_group_exit((error_code & 0xff) << 8);
}

/* ---- waiting ----------------------------------------------------------- */

struct wait_opts {
	int type; /* P_ALL, P_PID, P_PGID */
	int id;
	int options; /* WEXITED, WSTOPPED, WCONTINUED, WNOHANG, WNOWAIT ... */
	siginfo_t *info; /* waitid: filled; NULL for wait4 */
	int status; /* wait4: the status word */
	struct rusage *ru;
};

static bool wait_matches(const struct wait_opts *wo, struct task *p)
{
	if (wo->type == P_PID && p->tgid != wo->id)
		return false;
	if (wo->type == P_PGID && p->signal->pgrp != wo->id)
		return false;
	/* Threads (no exit signal) only with __WALL; clones with __WCLONE. */
	if (wo->options & __WALL)
		return true;
	if (p->exit_signal < 0)
		return false;
	return !!(wo->options & __WCLONE) == (p->exit_signal != SIGCHLD);
}

static void fill_rusage(struct rusage *ru, u64 utime, u64 stime)
{
	memset(ru, 0, sizeof(*ru));
	ru->ru_utime = ns_to_timeval(utime);
	ru->ru_stime = ns_to_timeval(stime);
}

/* Report @p with wait status @status and, for waitid, @code/@stat. */
static int wait_report(struct wait_opts *wo, struct task *p, int status,
		       int code, int stat)
{
	u64 utime, stime;

	wo->status = status;
	if (wo->info) {
		memset(wo->info, 0, sizeof(*wo->info));
		wo->info->si_signo = SIGCHLD;
		wo->info->si_code = code;
		wo->info->si_pid = p->tgid;
		wo->info->si_uid = p->cred->uid;
		wo->info->si_status = stat;
	}
	if (wo->ru) {
		thread_group_cputime(p, &utime, &stime);
		fill_rusage(wo->ru, utime, stime);
	}
	return p->tgid;
}

/* A zombie: report it and, unless WNOWAIT, reap it. Caller holds
 * tasklist_lock; it is dropped when reaping (returns with it unlocked
 * in that case: *unlocked set). */
static int wait_zombie(struct wait_opts *wo, struct task *p, bool *unlocked)
{
	int status = exit_status(p);
	int pid = wait_report(wo, p, status, status_code(status),
			      status_stat(status));
	u64 utime, stime;

	if (wo->options & WNOWAIT)
		return pid;
	/* Every thread's time: the zombie's threads are all gone. */
	thread_group_cputime(p, &utime, &stime);
	current->signal->cutime += utime + p->signal->cutime;
	current->signal->cstime += stime + p->signal->cstime;
	/* Claim it before the unlock: another thread of this process may
	 * be waiting too, and must not reap it a second time. */
	p->exit_state = EXIT_DEAD;
	spin_unlock(&tasklist_lock);
	*unlocked = true;
	release_task(p);
	return pid;
}

/* Job-control reports: stopped (WSTOPPED) or continued (WCONTINUED). */
static int wait_task_stopped_continued(struct wait_opts *wo, struct task *p)
{
	struct signal_struct *sig = p->signal;
	unsigned long flags;
	int pid = 0;

	spin_lock_irqsave(&p->sighand->siglock, flags);
	if ((wo->options & WSTOPPED) && (sig->flags & SIGNAL_CLD_STOPPED)) {
		pid = wait_report(wo, p,
				  (sig->group_exit_code << 8) |
					  WAIT_STOPPED_STATUS,
				  CLD_STOPPED, sig->group_exit_code);
		if (!(wo->options & WNOWAIT))
			sig->flags &= ~SIGNAL_CLD_STOPPED;
	} else if ((wo->options & WCONTINUED) &&
		   (sig->flags & SIGNAL_CLD_CONTINUED)) {
		pid = wait_report(wo, p, WAIT_CONTINUED_STATUS, CLD_CONTINUED,
				  SIGCONT);
		if (!(wo->options & WNOWAIT))
			sig->flags &= ~SIGNAL_CLD_CONTINUED;
	}
	spin_unlock_irqrestore(&p->sighand->siglock, flags);
	return pid;
}

/* One pass over the children of every thread of the caller's process
 * (of the caller alone with __WNOTHREAD). Returns a pid, 0 (matching
 * children, none ready) or -ECHILD: no child matches at all. */
static int wait_scan(struct wait_opts *wo)
{
	struct task *thread, *p;
	bool any = false, unlocked = false;
	int pid = 0;

	spin_lock(&tasklist_lock);
	list_for_each_entry(thread, &current->signal->thread_head,
			    thread_node) {
		if ((wo->options & __WNOTHREAD) && thread != current)
			continue;
		list_for_each_entry(p, &thread->children, sibling) {
			if (p->exit_state == EXIT_DEAD || !wait_matches(wo, p))
				continue;
			any = true;
			if (p->exit_state == EXIT_ZOMBIE &&
			    p == p->group_leader && !p->signal->nr_threads &&
			    (wo->options & WEXITED)) {
				pid = wait_zombie(wo, p, &unlocked);
				goto out;
			}
			pid = wait_task_stopped_continued(wo, p);
			if (pid)
				goto out;
		}
	}
out:
	if (!unlocked)
		spin_unlock(&tasklist_lock);
	return pid ? pid : (any ? 0 : -ECHILD);
}

static long do_wait(struct wait_opts *wo)
{
	struct wait_queue_entry wait;
	long ret;

	init_wait_entry(&wait, 0);
	for (;;) {
		prepare_to_wait(&current->signal->wait_chldexit, &wait,
				TASK_INTERRUPTIBLE);
		ret = wait_scan(wo);
		if (ret || (wo->options & WNOHANG))
			break;
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		schedule();
	}
	finish_wait(&current->signal->wait_chldexit, &wait);
	return ret;
}

#define WAIT4_VALID \
	(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)

static long kernel_wait4(int upid, int __user *stat_addr, int options,
			 struct rusage __user *ru)
{
	struct wait_opts wo = { .options = options | WEXITED };
	struct rusage r;
	long ret;

	if (options & ~WAIT4_VALID)
		return -EINVAL;
	if (upid == INT32_MIN)
		return -ESRCH; /* there is no group -INT_MIN (as Linux) */
	if (upid == -1) {
		wo.type = P_ALL;
	} else if (upid < -1) {
		wo.type = P_PGID;
		wo.id = -upid;
	} else if (upid == 0) {
		wo.type = P_PGID;
		wo.id = current->signal->pgrp;
	} else {
		wo.type = P_PID;
		wo.id = upid;
	}
	if (ru)
		wo.ru = &r;
	ret = do_wait(&wo);
	if (ret > 0 && stat_addr && put_user(wo.status, stat_addr))
		return -EFAULT;
	if (ret > 0 && ru && copy_to_user(ru, &r, sizeof(r)))
		return -EFAULT;
	return ret;
}

SYSCALL_DEFINE4(wait4, int, upid, int __user *, stat_addr, int, options,
		struct rusage __user *, ru)
{
	return kernel_wait4(upid, stat_addr, options, ru);
}

SYSCALL_DEFINE3(waitpid, int, pid, int __user *, stat_addr, int, options)
{
	return kernel_wait4(pid, stat_addr, options, NULL);
}

SYSCALL_DEFINE5(waitid, int, which, int, upid, siginfo_t __user *, infop, int,
		options, struct rusage __user *, ru)
{
	struct wait_opts wo = { .options = options, .id = upid };
	siginfo_t info;
	struct rusage r;
	long ret;

	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED |
			__WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (which != P_ALL && which != P_PID && which != P_PGID)
		return -EINVAL;
	/* Linux's rules: a pid must be positive, a group id not negative,
	 * and group 0 is the caller's own (since Linux 5.4). */
	if ((which == P_PID && upid <= 0) || (which == P_PGID && upid < 0))
		return -EINVAL;
	if (which == P_PGID && !upid)
		wo.id = current->signal->pgrp;
	wo.type = which;
	wo.info = &info;
	if (ru)
		wo.ru = &r;
	memset(&info, 0, sizeof(info));
	ret = do_wait(&wo);
	if (ret < 0)
		return ret;
	/* WNOHANG with nothing ready: a zeroed siginfo, return 0. */
	if (infop && copy_to_user(infop, &info, sizeof(info)))
		return -EFAULT;
	if (ru && ret > 0 && copy_to_user(ru, &r, sizeof(r)))
		return -EFAULT;
	return 0;
}
