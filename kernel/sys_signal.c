/*
 * The signal system calls: dispositions (sigaction), masks
 * (sigprocmask, sigsuspend), sending (kill, tkill, tgkill, sigqueue),
 * waiting (sigtimedwait, pause) and the alternate stack (sigaltstack).
 * The mechanics are in kernel/signal.c.
 */
#include <kestrel/errno.h>
#include <kestrel/pid.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/time.h>
#include <kestrel/time64.h>
#include <kestrel/uaccess.h>
#include <uapi/signal.h>
#include <uapi/time.h>

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* ---- dispositions -------------------------------------------------- */

static int do_sigaction(int sig, const struct k_sigaction *act,
			struct k_sigaction *oact)
{
	struct sighand_struct *sh = current->sighand;
	struct k_sigaction *k;
	unsigned long flags;

	if (!valid_signal(sig) || sig < 1 ||
	    (act && (sig == SIGKILL || sig == SIGSTOP)))
		return -EINVAL;
	k = &sh->action[sig - 1];
	spin_lock_irqsave(&sh->siglock, flags);
	if (oact)
		*oact = *k;
	if (act) {
		*k = *act;
		sigdelset(&k->sa.sa_mask, SIGKILL);
		sigdelset(&k->sa.sa_mask, SIGSTOP);
	}
	spin_unlock_irqrestore(&sh->siglock, flags);
	return 0;
}

SYSCALL_DEFINE4(rt_sigaction, int, sig, const struct sigaction __user *, act,
		struct sigaction __user *, oact, size_t, sigsetsize)
{
	struct k_sigaction new, old;
	int ret;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (act && copy_from_user(&new.sa, act, sizeof(new.sa)))
		return -EFAULT;
	ret = do_sigaction(sig, act ? &new : NULL, oact ? &old : NULL);
	if (!ret && oact && copy_to_user(oact, &old.sa, sizeof(old.sa)))
		return -EFAULT;
	return ret;
}

SYSCALL_DEFINE3(sigaction, int, sig, const struct old_sigaction __user *, act,
		struct old_sigaction __user *, oact)
{
	struct k_sigaction new, old;
	struct old_sigaction o;
	int ret;

	if (act) {
		if (copy_from_user(&o, act, sizeof(o)))
			return -EFAULT;
		memset(&new, 0, sizeof(new));
		new.sa.sa_handler = o.sa_handler;
		new.sa.sa_flags = o.sa_flags;
		new.sa.sa_restorer = o.sa_restorer;
		new.sa.sa_mask.sig[0] = o.sa_mask;
	}
	ret = do_sigaction(sig, act ? &new : NULL, oact ? &old : NULL);
	if (ret || !oact)
		return ret;
	o.sa_handler = old.sa.sa_handler;
	o.sa_flags = old.sa.sa_flags;
	o.sa_restorer = old.sa.sa_restorer;
	o.sa_mask = old.sa.sa_mask.sig[0];
	return copy_to_user(oact, &o, sizeof(o)) ? -EFAULT : 0;
}

/* signal(2): SysV semantics as Linux's sys_signal: one-shot, no defer. */
SYSCALL_DEFINE2(signal, int, sig, __sighandler_t, handler)
{
	struct k_sigaction new, old;
	int ret;

	memset(&new, 0, sizeof(new));
	new.sa.sa_handler = handler;
	new.sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	ret = do_sigaction(sig, &new, &old);
	return ret ? ret : (long)(uintptr_t)old.sa.sa_handler;
}

/* ---- masks ----------------------------------------------------------- */

static int sigprocmask(int how, const sigset_t *set, sigset_t *oldset)
{
	sigset_t blocked = current->blocked;
	int i;

	if (oldset)
		*oldset = blocked;
	if (!set)
		return 0;
	for (i = 0; i < _NSIG_WORDS; i++) {
		switch (how) {
		case SIG_BLOCK:
			blocked.sig[i] |= set->sig[i];
			break;
		case SIG_UNBLOCK:
			blocked.sig[i] &= ~set->sig[i];
			break;
		case SIG_SETMASK:
			blocked.sig[i] = set->sig[i];
			break;
		default:
			return -EINVAL;
		}
	}
	set_current_blocked(&blocked);
	return 0;
}

SYSCALL_DEFINE4(rt_sigprocmask, int, how, const sigset_t __user *, nset,
		sigset_t __user *, oset, size_t, sigsetsize)
{
	sigset_t new, old;
	int ret;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (nset && copy_from_user(&new, nset, sizeof(new)))
		return -EFAULT;
	ret = sigprocmask(how, nset ? &new : NULL, &old);
	if (!ret && oset && copy_to_user(oset, &old, sizeof(old)))
		return -EFAULT;
	return ret;
}

SYSCALL_DEFINE3(sigprocmask, int, how, const old_sigset_t __user *, nset,
		old_sigset_t __user *, oset)
{
	old_sigset_t o;
	sigset_t new, old;
	int ret;

	if (nset) {
		if (get_user(o, nset))
			return -EFAULT;
		new = current->blocked;
		new.sig[0] = o;
		if (how != SIG_SETMASK) {
			sigemptyset(&new);
			new.sig[0] = o;
		}
	}
	ret = sigprocmask(how, nset ? &new : NULL, &old);
	if (!ret && oset && put_user(old.sig[0], oset))
		return -EFAULT;
	return ret;
}

static void pending_set(sigset_t *set)
{
	struct task *t = current;
	unsigned long flags;
	int i;

	spin_lock_irqsave(&t->sighand->siglock, flags);
	for (i = 0; i < _NSIG_WORDS; i++)
		set->sig[i] = (t->pending.signal.sig[i] |
			       t->signal->shared_pending.signal.sig[i]) &
			      t->blocked.sig[i];
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
}

SYSCALL_DEFINE2(rt_sigpending, sigset_t __user *, uset, size_t, sigsetsize)
{
	sigset_t set;

	if (sigsetsize > sizeof(sigset_t))
		return -EINVAL;
	pending_set(&set);
	return copy_to_user(uset, &set, sigsetsize) ? -EFAULT : 0;
}

SYSCALL_DEFINE1(sigpending, old_sigset_t __user *, uset)
{
	sigset_t set;

	pending_set(&set);
	return put_user(set.sig[0], uset) ? -EFAULT : 0;
}

/* Sleep with @mask until a handler runs; the old mask comes back on the
 * way out (restore_sigmask). */
static long sigsuspend(const sigset_t *mask)
{
	struct task *t = current;

	t->saved_sigmask = t->blocked;
	set_current_blocked(mask);
	while (!signal_pending(t)) {
		set_current_state(TASK_INTERRUPTIBLE);
		schedule();
	}
	t->restore_sigmask = true;
	return -ERESTARTNOHAND;
}

SYSCALL_DEFINE2(rt_sigsuspend, const sigset_t __user *, umask, size_t,
		sigsetsize)
{
	sigset_t mask;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	return sigsuspend(&mask);
}

/* The i386 sigsuspend(history0, history1, mask): only mask counts. */
SYSCALL_DEFINE3(sigsuspend, int, unused1, int, unused2, old_sigset_t, mask)
{
	sigset_t set;

	sigemptyset(&set);
	set.sig[0] = mask;
	return sigsuspend(&set);
}

SYSCALL_DEFINE0(pause)
{
	while (!signal_pending(current)) {
		set_current_state(TASK_INTERRUPTIBLE);
		schedule();
	}
	return -ERESTARTNOHAND;
}

/* ---- sending --------------------------------------------------------- */

/* May the current task signal @p? Root, or a matching real/effective
 * uid (Linux's kill_ok_by_cred, without capabilities sets). */
static bool kill_permitted(struct task *p)
{
	const struct cred *c = current_cred(), *tc = p->cred;

	return c->euid == 0 || c->euid == tc->suid || c->euid == tc->uid ||
	       c->uid == tc->suid || c->uid == tc->uid;
}

static int kill_task(int sig, const siginfo_t *info, struct task *p,
		     enum pid_type type)
{
	if (!kill_permitted(p))
		return -EPERM;
	if (!sig)
		return 0; /* only checking existence and permission */
	return type == PIDTYPE_PID ? send_sig_to_thread(sig, info, p) :
				     send_sig_info(sig, info, p);
}

/*
 * Is @p a process that kill() can name? Kernel threads are not; a
 * zombie is, until it is reaped (Linux finds it by its pid until then:
 * signalling it succeeds, and the signal is dropped). Reaped tasks are
 * off the task list already. Caller holds tasklist_lock.
 */
static bool is_signalable(const struct task *p)
{
	lockdep_assert_held(&tasklist_lock);
	return !(p->flags & PF_KTHREAD) && p->signal &&
	       p->exit_state != EXIT_DEAD;
}

/*
 * Signal every process of group @pgrp (KILL_PGRP), or every process but
 * init and the caller (KILL_ALL: kill(-1); @pgrp is unused). Init is not
 * skipped for a group: it drops what it has no handler for
 * (SIGNAL_UNKILLABLE), as on Linux.
 */
enum kill_scope { KILL_PGRP, KILL_ALL };

static int kill_many(int sig, const siginfo_t *info, enum kill_scope scope,
		     int pgrp)
{
	struct task *p;
	int ret = -ESRCH, err;
	bool any_ok = false;

	spin_lock(&tasklist_lock);
	list_for_each_entry(p, &task_list, tasks) {
		if (p != p->group_leader || !is_signalable(p))
			continue;
		if (scope == KILL_ALL ?
			    p->pid <= 1 || p->tgid == current->tgid :
			    p->signal->pgrp != pgrp)
			continue;
		err = kill_task(sig, info, p, PIDTYPE_TGID);
		if (!err)
			any_ok = true;
		ret = err;
	}
	spin_unlock(&tasklist_lock);
	return any_ok ? 0 : ret;
}

static struct task *find_process(int pid)
{
	struct task *p = find_task_by_pid(pid);

	if (!p || !is_signalable(p))
		return NULL;
	return p->group_leader;
}

static int kill_something(int sig, const siginfo_t *info, int pid)
{
	struct task *p;
	int ret;

	if (pid > 0) {
		spin_lock(&tasklist_lock);
		p = find_process(pid);
		ret = p ? kill_task(sig, info, p, PIDTYPE_TGID) : -ESRCH;
		spin_unlock(&tasklist_lock);
		return ret;
	}
	if (pid == INT32_MIN)
		return -ESRCH; /* no group -INT_MIN (Linux's check too) */
	if (pid == -1)
		return kill_many(sig, info, KILL_ALL, 0);
	return kill_many(sig, info, KILL_PGRP,
			 pid ? -pid : current->signal->pgrp);
}

SYSCALL_DEFINE2(kill, int, pid, int, sig)
{
	if (!valid_signal(sig) || sig < 0)
		return -EINVAL;
	return kill_something(sig, NULL, pid);
}

static int do_tkill(int tgid, int tid, int sig)
{
	struct task *p;
	siginfo_t info;
	int ret = -ESRCH;

	if (!valid_signal(sig) || sig < 0 || tid <= 0)
		return -EINVAL;
	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = SI_TKILL;
	info.si_pid = current->tgid;
	info.si_uid = current_cred()->uid;
	spin_lock(&tasklist_lock);
	p = find_task_by_pid(tid);
	if (p && is_signalable(p) && (tgid <= 0 || p->tgid == tgid))
		ret = kill_task(sig, &info, p, PIDTYPE_PID);
	spin_unlock(&tasklist_lock);
	return ret;
}

SYSCALL_DEFINE2(tkill, int, tid, int, sig)
{
	return do_tkill(0, tid, sig);
}

SYSCALL_DEFINE3(tgkill, int, tgid, int, tid, int, sig)
{
	if (tgid <= 0)
		return -EINVAL;
	return do_tkill(tgid, tid, sig);
}

SYSCALL_DEFINE3(rt_sigqueueinfo, int, pid, int, sig, siginfo_t __user *, uinfo)
{
	siginfo_t info;

	if (copy_from_user(&info, uinfo, sizeof(info)))
		return -EFAULT;
	/* Only the kernel may claim to be the kernel or kill(). */
	if ((info.si_code >= 0 || info.si_code == SI_TKILL) &&
	    pid != current->tgid)
		return -EPERM;
	info.si_signo = sig;
	if (!valid_signal(sig) || sig <= 0)
		return -EINVAL;
	if (pid <= 0)
		return -ESRCH;
	return kill_something(sig, &info, pid);
}

/* ---- the alternate stack ---------------------------------------------- */

SYSCALL_DEFINE2(sigaltstack, const stack_t __user *, uss, stack_t __user *,
		uoss)
{
	struct task *t = current;
	struct pt_regs *regs = current_pt_regs();
	bool on_stack = t->sas_ss_size && regs->sp > t->sas_ss_sp &&
			regs->sp - t->sas_ss_sp <= t->sas_ss_size;
	stack_t old = {
		.ss_sp = (void __user *)t->sas_ss_sp,
		.ss_size = t->sas_ss_size,
		.ss_flags = on_stack ? SS_ONSTACK :
				       (t->sas_ss_size ? 0 : SS_DISABLE),
	};
	stack_t ss;

	if (uss) {
		if (copy_from_user(&ss, uss, sizeof(ss)))
			return -EFAULT;
		if (on_stack)
			return -EPERM;
		if ((ss.ss_flags & ~SS_FLAG_BITS) != 0 &&
		    (ss.ss_flags & ~SS_FLAG_BITS) != SS_DISABLE &&
		    (ss.ss_flags & ~SS_FLAG_BITS) != SS_ONSTACK)
			return -EINVAL;
		if ((ss.ss_flags & ~SS_FLAG_BITS) == SS_DISABLE) {
			t->sas_ss_sp = 0;
			t->sas_ss_size = 0;
		} else {
			if (ss.ss_size < MINSIGSTKSZ)
				return -ENOMEM;
			t->sas_ss_sp = (unsigned long)(uintptr_t)ss.ss_sp;
			t->sas_ss_size = ss.ss_size;
		}
		t->sas_ss_flags = ss.ss_flags;
	}
	if (uoss && copy_to_user(uoss, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* ---- waiting for a signal ---------------------------------------------- */

/*
 * sigtimedwait's sleeping mask, set atomically under siglock: @waiting
 * as the blocked mask while asleep, with @real, the
 * mask the thread really has, kept in real_blocked so that a signal
 * whose default is to be ignored (SIGCHLD) is still queued for the
 * waiter; @real == NULL ends it.
 */
static void sigwait_set_blocked(const sigset_t *waiting, const sigset_t *real)
{
	struct sighand_struct *sh = current->sighand;
	unsigned long flags;

	spin_lock_irqsave(&sh->siglock, flags);
	current->blocked = *waiting; /* never SIGKILL or SIGSTOP */
	if (real)
		current->real_blocked = *real;
	else
		sigemptyset(&current->real_blocked);
	recalc_sigpending();
	spin_unlock_irqrestore(&sh->siglock, flags);
}

/*
 * Wait for one of @set. The awaited signals are normally blocked (that
 * is how sigwait is used), and a blocked signal neither picks this
 * thread nor wakes it: so, as Linux does with real_blocked, they are
 * unblocked while the thread sleeps and blocked again before it looks
 * at what came. The state is set before the mask is lowered, so a
 * signal arriving in between still ends the sleep.
 */
static long sigtimedwait(const sigset_t *set, siginfo_t *info, long timeout)
{
	sigset_t saved = current->blocked, waiting;
	int sig;

	waiting.sig[0] = saved.sig[0] & ~set->sig[0];
	waiting.sig[1] = saved.sig[1] & ~set->sig[1];
	for (;;) {
		sig = dequeue_signal_in(set, info);
		if (sig)
			return sig;
		if (signal_pending(current))
			return -EINTR;
		if (!timeout)
			return -EAGAIN;
		set_current_state(TASK_INTERRUPTIBLE);
		sigwait_set_blocked(&waiting, &saved);
		if (signal_pending(current))
			set_current_state(TASK_RUNNING);
		else
			timeout = schedule_timeout(timeout);
		sigwait_set_blocked(&saved, NULL);
	}
}

/* A timeout in ticks, rounded up; past what the tick can count
 * (~49 days at HZ=250 on i386) it is forever. */
static long timeout_ticks(u64 ns)
{
	unsigned long ticks = nsecs_to_jiffies(ns);

	return ticks == MAX_JIFFY_OFFSET ? MAX_SCHEDULE_TIMEOUT : (long)ticks;
}

static long rt_sigtimedwait_common(const sigset_t __user *uthese,
				   siginfo_t __user *uinfo, long timeout,
				   size_t sigsetsize)
{
	sigset_t these;
	siginfo_t info;
	long sig;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&these, uthese, sizeof(these)))
		return -EFAULT;
	sigdelset(&these, SIGKILL);
	sigdelset(&these, SIGSTOP);
	sig = sigtimedwait(&these, &info, timeout);
	if (sig > 0 && uinfo && copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	return sig;
}

SYSCALL_DEFINE4(rt_sigtimedwait, const sigset_t __user *, uthese,
		siginfo_t __user *, uinfo, const struct timespec __user *, uts,
		size_t, sigsetsize)
{
	long timeout = MAX_SCHEDULE_TIMEOUT;
	u64 ns;
	int err;

	if (uts) {
		err = get_old_timespec32_ns(&ns, uts);
		if (err)
			return err;
		timeout = timeout_ticks(ns);
	}
	return rt_sigtimedwait_common(uthese, uinfo, timeout, sigsetsize);
}

SYSCALL_DEFINE4(rt_sigtimedwait_time64, const sigset_t __user *, uthese,
		siginfo_t __user *, uinfo,
		const struct __kernel_timespec __user *, uts, size_t,
		sigsetsize)
{
	long timeout = MAX_SCHEDULE_TIMEOUT;
	u64 ns;
	int err;

	if (uts) {
		err = get_timespec64_ns(&ns, uts);
		if (err)
			return err;
		timeout = timeout_ticks(ns);
	}
	return rt_sigtimedwait_common(uthese, uinfo, timeout, sigsetsize);
}
