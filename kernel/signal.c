/*
 * Signals: sending, queueing, default actions, and the portable half of
 * delivery (arch/x86/signal.c builds the frames).
 *
 * Sending (send_signal): under the target's siglock, decide whether the
 * signal is ignored (prepare_signal: also where SIGCONT and the stop
 * signals cancel each other), queue it with its siginfo in the thread's
 * or the process's pending set, then pick a live thread that does not
 * block it and set its TIF_SIGPENDING (complete_signal). A fatal signal
 * nobody handles kills the whole process at once, unless it dumps core:
 * that one is taken by a thread in get_signal, which writes the dump.
 * A process that is already dying (SIGNAL_GROUP_EXIT), and so a zombie,
 * drops what it is sent: the sender still succeeds, as on Linux.
 *
 * Init is unkillable (SIGNAL_UNKILLABLE, as Linux's global init): a
 * signal it has no handler for is dropped, SIGKILL and SIGSTOP
 * included, so no program can take the system down by signalling PID 1.
 * A fault in init itself is different: force_sig_info() takes the flag
 * away when init has no handler, and init dies (a panic) rather than
 * fault again forever.
 *
 * Receiving (get_signal, on the way back to user mode): dequeue the
 * lowest unblocked signal, thread-directed ones first, and act: run the
 * handler (the arch sets up its frame), ignore, stop the process (job
 * control), or end it, after a core dump for the signals whose default
 * action is "core" (do_coredump, fs/coredump.c). A SIGCONT that resumed
 * a stopped process is
 * reported to the parent by the first of its threads to get here.
 *
 * Locking: sighand->siglock (irqsave) guards the dispositions, every
 * pending set, blocked masks and the job-control state; tasklist_lock
 * guards the family links used to notify parents.
 */
#include <kestrel/bug.h>
#include <kestrel/coredump.h>
#include <kestrel/errno.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/timer.h>

#define SIG_STOP_MASK                                             \
	(sigmask(SIGSTOP) | sigmask(SIGTSTP) | sigmask(SIGTTIN) | \
	 sigmask(SIGTTOU))
#define SIG_IGNORE_MASK                                           \
	(sigmask(SIGCHLD) | sigmask(SIGURG) | sigmask(SIGWINCH) | \
	 sigmask(SIGCONT))
/* Whose default action dumps core (Linux's SIG_KERNEL_COREDUMP_MASK). */
#define SIG_COREDUMP_MASK                                        \
	(sigmask(SIGQUIT) | sigmask(SIGILL) | sigmask(SIGTRAP) | \
	 sigmask(SIGABRT) | sigmask(SIGFPE) | sigmask(SIGSEGV) | \
	 sigmask(SIGBUS) | sigmask(SIGSYS) | sigmask(SIGXCPU) |  \
	 sigmask(SIGXFSZ))

/* Is @sig (1..31) in the one-word @mask? Real-time signals never are. */
static bool sig_in_mask(int sig, unsigned long mask)
{
	return sig < SIGRTMIN && (mask & sigmask(sig));
}

static bool sig_default_ignored(int sig)
{
	return sig_in_mask(sig, SIG_IGNORE_MASK);
}

static bool sig_stop(int sig)
{
	return sig_in_mask(sig, SIG_STOP_MASK);
}

static bool sig_coredump(int sig)
{
	return sig_in_mask(sig, SIG_COREDUMP_MASK);
}

/* SIGKILL and SIGSTOP: never caught, blocked or ignored by choice. */
static bool sig_kernel_only(int sig)
{
	return sig_in_mask(sig, SIG_KERNEL_ONLY_MASK);
}

/* Job-control flags replace each other; SIGNAL_UNKILLABLE stays. */
static void signal_set_stop_flags(struct signal_struct *signal,
				  unsigned int flags)
{
	signal->flags = (signal->flags & SIGNAL_UNKILLABLE) | flags;
}

static __sighandler_t sig_handler(struct task *t, int sig)
{
	return t->sighand->action[sig - 1].sa.sa_handler;
}

/*
 * Would @sig be thrown away on arrival at @t? A blocked signal waits,
 * whatever it is (the handler may change before it is unblocked); an
 * unkillable process (init) drops every signal it has no handler for;
 * otherwise SIG_IGN, or a default action of "ignore", drops it. Linux's
 * sig_ignored() and sig_task_ignored(). siglock held.
 */
static bool sig_ignored(struct task *t, int sig)
{
	__sighandler_t handler = sig_handler(t, sig);

	assert_spin_locked(&t->sighand->siglock);
	if (sigismember(&t->blocked, sig) || sigismember(&t->real_blocked, sig))
		return false;
	if ((t->signal->flags & SIGNAL_UNKILLABLE) && handler == SIG_DFL)
		return true;
	return handler == SIG_IGN ||
	       (handler == SIG_DFL && sig_default_ignored(sig));
}

/* ---- pending sets ---------------------------------------------------- */

static void init_sigpending(struct sigpending *p)
{
	INIT_LIST_HEAD(&p->list);
	sigemptyset(&p->signal);
}

/* Forget every queued @sig whose bit is in @mask (siglock held). */
static void flush_sigqueue_mask(unsigned long mask, struct sigpending *p)
{
	struct sigqueue *q, *n;

	if (!(p->signal.sig[0] & mask))
		return;
	p->signal.sig[0] &= ~mask;
	list_for_each_entry_safe(q, n, &p->list, list) {
		if (sig_in_mask(q->info.si_signo, mask)) {
			list_del(&q->list);
			kfree(q);
		}
	}
}

static void flush_sigqueue(struct sigpending *p)
{
	struct sigqueue *q, *n;

	list_for_each_entry_safe(q, n, &p->list, list) {
		list_del(&q->list);
		kfree(q);
	}
	sigemptyset(&p->signal);
}

/* The lowest pending signal not in @blocked, or 0. */
static int next_signal(const struct sigpending *p, const sigset_t *blocked)
{
	unsigned long w;
	int i;

	for (i = 0; i < _NSIG_WORDS; i++) {
		w = p->signal.sig[i] & ~blocked->sig[i];
		if (w)
			return i * _NSIG_BPW + __builtin_ctzl(w) + 1;
	}
	return 0;
}

/* Take @sig off @p, filling @info from its queue entry. */
static void collect_signal(int sig, struct sigpending *p, siginfo_t *info)
{
	struct sigqueue *q, *first = NULL;
	bool more = false;

	list_for_each_entry(q, &p->list, list) {
		if (q->info.si_signo != sig)
			continue;
		if (first) {
			more = true;
			break;
		}
		first = q;
	}
	if (!more)
		sigdelset(&p->signal, sig);
	if (first) {
		list_del(&first->list);
		*info = first->info;
		kfree(first);
	} else {
		/* The queue entry could not be allocated: minimal info. */
		memset(info, 0, sizeof(*info));
		info->si_signo = sig;
		info->si_code = SI_USER;
	}
}

static int dequeue_signal(struct task *t, siginfo_t *info)
{
	int sig = next_signal(&t->pending, &t->blocked);

	if (sig) {
		collect_signal(sig, &t->pending, info);
		return sig;
	}
	sig = next_signal(&t->signal->shared_pending, &t->blocked);
	if (sig)
		collect_signal(sig, &t->signal->shared_pending, info);
	return sig;
}

static bool has_pending(struct task *t)
{
	return next_signal(&t->pending, &t->blocked) ||
	       next_signal(&t->signal->shared_pending, &t->blocked);
}

void recalc_sigpending(void)
{
	struct task *t = current;

	lockdep_assert_held(&current->sighand->siglock);
	if (has_pending(t) || (t->signal->flags & SIGNAL_GROUP_EXIT) ||
	    t->signal->group_stop_count)
		set_tsk_thread_flag(t, TIF_SIGPENDING);
	else
		clear_tsk_thread_flag(t, TIF_SIGPENDING);
}

void set_current_blocked(const sigset_t *set)
{
	struct sighand_struct *sh = current->sighand;
	unsigned long flags;

	spin_lock_irqsave(&sh->siglock, flags);
	current->blocked = *set;
	sigdelset(&current->blocked, SIGKILL);
	sigdelset(&current->blocked, SIGSTOP);
	recalc_sigpending();
	spin_unlock_irqrestore(&sh->siglock, flags);
}

/* ---- sending --------------------------------------------------------- */

/* Wake @t to notice a signal: interruptible sleeps end, and so do those
 * in @state (__TASK_STOPPED for a fatal signal). Linux's name. */
static void signal_wake_up_state(struct task *t, unsigned int state)
{
	set_tsk_thread_flag(t, TIF_SIGPENDING);
	wake_up_state(t, TASK_INTERRUPTIBLE | state);
}

/*
 * The effects of a signal on arrival that do not wait for delivery:
 * stop signals discard pending SIGCONT and vice versa, and SIGCONT
 * resumes a stopped process. Returns false if @sig is to be ignored.
 * siglock held.
 */
static bool prepare_signal(int sig, struct task *p)
{
	struct signal_struct *signal = p->signal;
	struct task *t;

	lockdep_assert_held(&p->sighand->siglock);
	/* Dying already (a zombie too): nothing left to do, even for
	 * SIGKILL, which must not replace the status it dies with. */
	if (signal->flags & SIGNAL_GROUP_EXIT)
		return false;
	if (sig_stop(sig)) {
		flush_sigqueue_mask(sigmask(SIGCONT), &signal->shared_pending);
		list_for_each_entry(t, &signal->thread_head, thread_node)
			flush_sigqueue_mask(sigmask(SIGCONT), &t->pending);
	} else if (sig == SIGCONT) {
		flush_sigqueue_mask(SIG_STOP_MASK, &signal->shared_pending);
		list_for_each_entry(t, &signal->thread_head, thread_node) {
			flush_sigqueue_mask(SIG_STOP_MASK, &t->pending);
			wake_up_state(t, __TASK_STOPPED);
		}
		signal->group_stop_count = 0;
		/* The parent hears of it from the first thread to run
		 * (get_signal), outside this lock. */
		if (signal->flags & SIGNAL_STOP_STOPPED)
			signal_set_stop_flags(signal,
					      SIGNAL_STOP_CONTINUED |
						      SIGNAL_CLD_CONTINUED |
						      SIGNAL_NOTIFY_CONTINUED);
	}
	return !sig_ignored(p, sig);
}

/* Give @t a SIGKILL and wake it from any sleep it can leave. */
static void kill_thread(struct task *t)
{
	sigaddset(&t->pending.signal, SIGKILL);
	signal_wake_up_state(t, __TASK_STOPPED);
}

void zap_other_threads(struct task *p)
{
	struct task *t;

	lockdep_assert_held(&p->sighand->siglock);
	list_for_each_entry(t, &p->signal->thread_head, thread_node)
		if (t != p)
			kill_thread(t);
}

/*
 * A signal nobody handles that ends the process, arriving at thread @t:
 * kill every thread at once. Not one that dumps core (a thread must take
 * that one itself, in get_signal, to write the dump with its registers),
 * nor one that @t awaits in sigtimedwait (real_blocked).
 */
static bool sig_fatal(struct task *t, int sig)
{
	__sighandler_t handler = sig_handler(t, sig);

	if (sig == SIGKILL)
		return true;
	return handler == SIG_DFL && !sig_default_ignored(sig) &&
	       !sig_stop(sig) && !sig_coredump(sig) &&
	       !sigismember(&t->real_blocked, sig);
}

/* Can thread @t take @sig now? Not if it blocks it or is exiting. */
static bool wants_signal(int sig, const struct task *t)
{
	return !sigismember(&t->blocked, sig) && !(t->flags & PF_EXITING);
}

/*
 * Find a thread to take @sig, just queued for @p (its process with
 * PIDTYPE_TGID), and wake it, or end the process if the signal is fatal.
 * With no thread able to take it (all block it, or all are exiting: a
 * zombie), it just stays pending. Linux's complete_signal(). siglock
 * held.
 */
static void complete_signal(int sig, struct task *p, enum pid_type type)
{
	struct signal_struct *signal = p->signal;
	struct task *t = NULL, *it;

	lockdep_assert_held(&p->sighand->siglock);
	if (wants_signal(sig, p)) {
		t = p;
	} else if (type == PIDTYPE_TGID) {
		list_for_each_entry(it, &signal->thread_head, thread_node) {
			if (wants_signal(sig, it)) {
				t = it;
				break;
			}
		}
	}
	if (!t)
		return;
	if (sig_fatal(t, sig) && !(signal->flags & SIGNAL_GROUP_EXIT)) {
		signal->flags = SIGNAL_GROUP_EXIT;
		signal->group_exit_code = sig;
		signal->group_stop_count = 0;
		zap_other_threads(t);
		kill_thread(t);
		return;
	}
	signal_wake_up_state(t, sig == SIGKILL ? __TASK_STOPPED : 0);
}

static void fill_user_info(siginfo_t *info, int sig)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = SI_USER;
	info->si_pid = current ? current->tgid : 0;
	info->si_uid = current ? current_cred()->uid : 0;
}

static int send_signal(int sig, const siginfo_t *info, struct task *t,
		       enum pid_type type)
{
	struct sigpending *pending =
		type == PIDTYPE_TGID ? &t->signal->shared_pending : &t->pending;
	struct sigqueue *q;
	unsigned long flags;

	if (!valid_signal(sig) || sig <= 0)
		return -EINVAL;
	spin_lock_irqsave(&t->sighand->siglock, flags);
	if (!prepare_signal(sig, t))
		goto out;
	/* Classic signals do not queue: one pending instance is enough. */
	if (sig < SIGRTMIN && sigismember(&pending->signal, sig))
		goto out;
	q = kmalloc(sizeof(*q), GFP_ATOMIC);
	if (q) {
		if (info)
			q->info = *info;
		else
			fill_user_info(&q->info, sig);
		q->info.si_signo = sig;
		list_add_tail(&q->list, &pending->list);
	} else if (sig >= SIGRTMIN && info && info->si_code != SI_USER) {
		spin_unlock_irqrestore(&t->sighand->siglock, flags);
		return -EAGAIN; /* a queued real-time signal must not be lost */
	}
	sigaddset(&pending->signal, sig);
	complete_signal(sig, t, type);
out:
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	return 0;
}

int send_sig_info(int sig, const siginfo_t *info, struct task *p)
{
	return send_signal(sig, info, p, PIDTYPE_TGID);
}

int send_sig_to_thread(int sig, const siginfo_t *info, struct task *p)
{
	return send_signal(sig, info, p, PIDTYPE_PID);
}

/*
 * A fault must be delivered: unblock and un-ignore it first. If it
 * ends up with its default action, even init must take it (Linux's
 * force_sig_info_to_task clears SIGNAL_UNKILLABLE the same way): init
 * could only fault again.
 */
static void force_sig_info(const siginfo_t *info)
{
	struct task *t = current;
	struct k_sigaction *ka = &t->sighand->action[info->si_signo - 1];
	unsigned long flags;

	spin_lock_irqsave(&t->sighand->siglock, flags);
	if (ka->sa.sa_handler == SIG_IGN ||
	    sigismember(&t->blocked, info->si_signo)) {
		ka->sa.sa_handler = SIG_DFL;
		sigdelset(&t->blocked, info->si_signo);
	}
	if (ka->sa.sa_handler == SIG_DFL)
		t->signal->flags &= ~SIGNAL_UNKILLABLE;
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	send_signal(info->si_signo, info, t, PIDTYPE_PID);
}

void force_sig_fault(int sig, int code, void __user *addr)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = code;
	info.si_addr = addr;
	force_sig_info(&info);
}

void force_sig(int sig)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = SI_KERNEL;
	force_sig_info(&info);
}

/* ---- receiving ------------------------------------------------------- */

/*
 * Job control: stop this thread as part of its process stopping. The
 * last thread to stop tells the parent. Called and returns with siglock
 * held (dropped while stopped).
 */
static void do_signal_stop(int sig, unsigned long *flags)
{
	struct signal_struct *signal = current->signal;
	struct task *t;
	bool notify = false;

	lockdep_assert_held(&current->sighand->siglock);
	if (!signal->group_stop_count &&
	    !(signal->flags & SIGNAL_STOP_STOPPED)) {
		signal->group_exit_code = sig;
		list_for_each_entry(t, &signal->thread_head, thread_node) {
			signal->group_stop_count++;
			if (t != current)
				signal_wake_up_state(t, 0);
		}
	}
	if (signal->group_stop_count && !--signal->group_stop_count) {
		signal_set_stop_flags(signal,
				      SIGNAL_STOP_STOPPED | SIGNAL_CLD_STOPPED);
		notify = true;
	}
	set_current_state(__TASK_STOPPED);
	spin_unlock_irqrestore(&current->sighand->siglock, *flags);
	if (notify)
		do_notify_parent_cldstop(current, CLD_STOPPED);
	schedule();
	spin_lock_irqsave(&current->sighand->siglock, *flags);
}

/*
 * The terminal stop signals (all but SIGSTOP) are not obeyed by a
 * process whose group is orphaned: nobody in the session could resume
 * it (POSIX; Linux discards them the same way). The check takes
 * tasklist_lock, which nests outside siglock: siglock is dropped and
 * retaken around it.
 */
static bool stop_discarded(int sig, unsigned long *flags)
{
	bool orphaned;

	if (sig == SIGSTOP)
		return false;
	spin_unlock_irqrestore(&current->sighand->siglock, *flags);
	orphaned = is_current_pgrp_orphaned();
	spin_lock_irqsave(&current->sighand->siglock, *flags);
	return orphaned;
}

/* A SIGCONT resumed the process: tell the parent (CLD_CONTINUED), once.
 * Called and returns with siglock held (dropped meanwhile). */
static void notify_continued(unsigned long *flags)
{
	lockdep_assert_held(&current->sighand->siglock);
	current->signal->flags &= ~SIGNAL_NOTIFY_CONTINUED;
	spin_unlock_irqrestore(&current->sighand->siglock, *flags);
	do_notify_parent_cldstop(current, CLD_CONTINUED);
	spin_lock_irqsave(&current->sighand->siglock, *flags);
}

/*
 * Find the next signal to act on. Returns its number with its action
 * in @ka and info in @info, or 0 when there is nothing to deliver.
 * Default actions other than "run a handler" happen here.
 */
int get_signal(struct k_sigaction *ka, siginfo_t *info)
{
	struct sighand_struct *sh = current->sighand;
	struct signal_struct *signal = current->signal;
	unsigned long flags;
	int sig;

	spin_lock_irqsave(&sh->siglock, flags);
	for (;;) {
		if (signal->flags & SIGNAL_GROUP_EXIT) {
			sig = SIGKILL;
			break;
		}
		if (signal->flags & SIGNAL_NOTIFY_CONTINUED) {
			notify_continued(&flags);
			continue;
		}
		if (signal->group_stop_count) {
			do_signal_stop(signal->group_exit_code, &flags);
			continue;
		}
		sig = dequeue_signal(current, info);
		if (!sig)
			break;
		*ka = sh->action[sig - 1];
		if (ka->sa.sa_handler == SIG_IGN)
			continue;
		if (ka->sa.sa_handler != SIG_DFL) {
			if (ka->sa.sa_flags & SA_RESETHAND)
				sh->action[sig - 1].sa.sa_handler = SIG_DFL;
			break;
		}
		if (sig_default_ignored(sig))
			continue;
		/* Init takes no default action it did not ask for (a signal
		 * queued while it blocked it); only a forced one got here
		 * with the flag cleared. */
		if ((signal->flags & SIGNAL_UNKILLABLE) &&
		    !sig_kernel_only(sig))
			continue;
		if (sig_stop(sig)) {
			if (!stop_discarded(sig, &flags))
				do_signal_stop(sig, &flags);
			continue;
		}
		break; /* the default action is to die */
	}
	recalc_sigpending();
	spin_unlock_irqrestore(&sh->siglock, flags);
	if (sig && (sig == SIGKILL || ka->sa.sa_handler == SIG_DFL)) {
		/* The dump, if any, first: it ends the other threads and
		 * sets the status (with WCOREDUMP if a core was written). */
		if (sig != SIGKILL && sig_coredump(sig))
			do_coredump(info);
		do_group_exit(signal->flags & SIGNAL_GROUP_EXIT ?
				      signal->group_exit_code :
				      sig);
	}
	return sig;
}

int dequeue_signal_in(const sigset_t *set, siginfo_t *info)
{
	struct task *t = current;
	sigset_t saved = t->blocked;
	unsigned long flags;
	int sig;

	spin_lock_irqsave(&t->sighand->siglock, flags);
	/* dequeue_signal() takes what is not blocked: block the rest. */
	t->blocked.sig[0] = ~set->sig[0];
	t->blocked.sig[1] = ~set->sig[1];
	sig = dequeue_signal(t, info);
	t->blocked = saved;
	recalc_sigpending();
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	return sig;
}

/* ---- allocation and exec --------------------------------------------- */

struct sighand_struct *sighand_alloc(void)
{
	struct sighand_struct *sh = kzalloc(sizeof(*sh), GFP_KERNEL);

	if (!sh)
		return NULL;
	atomic_set(&sh->count, 1);
	spin_lock_init(&sh->siglock);
	return sh;
}

void sighand_put(struct sighand_struct *sh)
{
	if (atomic_dec_and_test(&sh->count))
		kfree(sh);
}

struct signal_struct *signal_alloc(void)
{
	struct signal_struct *sig = kzalloc(sizeof(*sig), GFP_KERNEL);

	if (!sig)
		return NULL;
	atomic_set(&sig->count, 1);
	atomic_set(&sig->live, 1); /* the thread it is made for */
	INIT_LIST_HEAD(&sig->thread_head);
	spin_lock_init(&sig->cputime_lock);
	init_sigpending(&sig->shared_pending);
	init_waitqueue_head(&sig->wait_chldexit);
	return sig;
}

void signal_put(struct signal_struct *sig)
{
	if (!atomic_dec_and_test(&sig->count))
		return;
	/* The last thread's exit stopped it (exit_itimers): left on the
	 * wheel, it would be written into freed memory by the next timer
	 * operation on its slot, or fire on whatever is there then. */
	if (WARN_ON(sig->leader && timer_pending(&sig->real_timer)))
		del_timer(&sig->real_timer);
	flush_sigqueue(&sig->shared_pending);
	kfree(sig);
}

void task_init_sigpending(struct task *t)
{
	init_sigpending(&t->pending);
}

void task_flush_signals(struct task *t)
{
	flush_sigqueue(&t->pending);
}

void flush_signal_handlers(struct task *t)
{
	struct k_sigaction *ka;
	int i;

	for (i = 0; i < _NSIG; i++) {
		ka = &t->sighand->action[i];
		if (ka->sa.sa_handler != SIG_IGN)
			ka->sa.sa_handler = SIG_DFL;
		ka->sa.sa_flags = 0;
		ka->sa.sa_restorer = NULL;
		sigemptyset(&ka->sa.sa_mask);
	}
}
