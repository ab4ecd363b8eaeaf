/*
 * Controlling terminals and job control, with Linux's rules.
 *
 * A session may have one controlling terminal (signal_struct->tty,
 * shared by every process of the session that was in it when it got
 * one); a tty may be the controlling terminal of one session
 * (tty->session), and has one foreground process group (tty->pgrp):
 *
 *   - a session leader without one acquires it by opening a tty
 *     without O_NOCTTY, or by TIOCSCTTY; fork inherits it, setsid()
 *     drops it, TIOCNOTTY gives it up;
 *   - ^C, ^\, ^Z and SIGWINCH go to the foreground group;
 *   - a background process reading its ctty gets SIGTTIN, writing it
 *     with TOSTOP set (or changing its modes) gets SIGTTOU; if the
 *     signal is ignored or blocked, reads fail with EIO and writes go
 *     ahead; an orphaned group gets EIO instead of being stopped;
 *   - when the session leader exits, the foreground group gets SIGHUP
 *     and SIGCONT and the session loses the terminal; when the line
 *     hangs up (pty master closed), the leader gets them.
 *
 * Signals raised by input in interrupt context (^C from the keyboard
 * or the UART) cannot take tasklist_lock there, so they are queued on
 * the tty and sent by the "ttysig" kernel thread.
 *
 * Locking: tty_mutex, then tasklist_lock (tty->session, tty->pgrp,
 * signal_struct->tty); tty_sig_lock (irqsave) guards the queue.
 */
#include <kestrel/cred.h>
#include <kestrel/errno.h>
#include <kestrel/interrupt.h>
#include <kestrel/irqflags.h>
#include <kestrel/kthread.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/string.h>
#include <kestrel/uaccess.h>
#include <uapi/ioctls.h>
#include <uapi/signal.h>

#include "tty_internal.h"

#define STEAL_CTTY 1 /* TIOCSCTTY argument: take it from another session */

static DEFINE_SPINLOCK(tty_sig_lock);
static LIST_HEAD(tty_sig_list); /* ttys with sig_pending (tty_sig_lock) */
static DECLARE_WAIT_QUEUE_HEAD(tty_sig_wait);

/* ---- sending to process groups ---------------------------------------- */

static void kill_pgrp(int pgrp, int sig)
{
	if (pgrp <= 0)
		return;
	spin_lock(&tasklist_lock);
	kill_pgrp_locked(sig, pgrp);
	spin_unlock(&tasklist_lock);
}

/* Process context: signal the foreground group now. */
static void signal_fg_now(struct tty_struct *tty, int sig)
{
	spin_lock(&tasklist_lock);
	if (tty->pgrp > 0)
		kill_pgrp_locked(sig, tty->pgrp);
	spin_unlock(&tasklist_lock);
}

void tty_signal_pgrp(struct tty_struct *tty, int sig)
{
	unsigned long flags;

	if (!in_interrupt() && !irqs_disabled()) {
		signal_fg_now(tty, sig);
		return;
	}
	spin_lock_irqsave(&tty_sig_lock, flags);
	tty->sig_pending |= TTY_SIGBIT(sig);
	if (list_empty(&tty->sig_node))
		list_add_tail(&tty->sig_node, &tty_sig_list);
	spin_unlock_irqrestore(&tty_sig_lock, flags);
	wake_up(&tty_sig_wait);
}

void tty_cancel_signals(struct tty_struct *tty)
{
	unsigned long flags;

	spin_lock_irqsave(&tty_sig_lock, flags);
	list_del_init(&tty->sig_node);
	tty->sig_pending = 0;
	spin_unlock_irqrestore(&tty_sig_lock, flags);
}

static bool signals_queued(void)
{
	return !list_empty(&tty_sig_list);
}

/* Take one queued tty and its signals; tty_mutex keeps it alive. */
static struct tty_struct *dequeue_signals(unsigned long *sigs)
{
	struct tty_struct *tty = NULL;
	unsigned long flags;

	spin_lock_irqsave(&tty_sig_lock, flags);
	if (!list_empty(&tty_sig_list)) {
		tty = list_first_entry(&tty_sig_list, struct tty_struct,
				       sig_node);
		list_del_init(&tty->sig_node);
		*sigs = tty->sig_pending;
		tty->sig_pending = 0;
	}
	spin_unlock_irqrestore(&tty_sig_lock, flags);
	return tty;
}

static int tty_signal_thread(void *unused)
{
	struct tty_struct *tty;
	unsigned long sigs;
	int sig;

	for (;;) {
		wait_event(tty_sig_wait, signals_queued());
		mutex_lock(&tty_mutex);
		while ((tty = dequeue_signals(&sigs)) != NULL)
			for (sig = 1; sigs; sig++, sigs >>= 1)
				if (sigs & 1)
					signal_fg_now(tty, sig);
		mutex_unlock(&tty_mutex);
	}
	return 0;
}

int tty_signal_thread_init(void)
{
	struct task *t = kthread_run(tty_signal_thread, NULL, "ttysig");

	return IS_ERR_OR_NULL(t) ? -ENOMEM : 0;
}

/* ---- background access ------------------------------------------------- */

static bool sig_ignored_or_blocked(int sig)
{
	return current->sighand->action[sig - 1].sa.sa_handler == SIG_IGN ||
	       sigismember(&current->blocked, sig);
}

/* Is the caller in a background group of @tty, its ctty? */
static bool in_background(struct tty_struct *tty)
{
	bool bg;

	spin_lock(&tasklist_lock);
	bg = current->signal->tty == tty && tty->pgrp > 0 &&
	     tty->pgrp != current->signal->pgrp;
	spin_unlock(&tasklist_lock);
	return bg;
}

/* Linux's __tty_check_change: stop the caller's group with @sig. */
static int check_background(struct tty_struct *tty, int sig)
{
	if (!in_background(tty))
		return 0;
	if (sig_ignored_or_blocked(sig))
		return sig == SIGTTIN ? -EIO : 0;
	if (is_current_pgrp_orphaned())
		return -EIO;
	kill_pgrp(current->signal->pgrp, sig);
	return -ERESTARTSYS;
}

int tty_check_read(struct tty_struct *tty)
{
	return check_background(tty, SIGTTIN);
}

int tty_check_write(struct tty_struct *tty)
{
	if (!(tty->termios.c_lflag & TOSTOP))
		return 0;
	return check_background(tty, SIGTTOU);
}

int tty_check_change(struct tty_struct *tty)
{
	return check_background(tty, SIGTTOU);
}

/* ---- acquiring and losing the ctty -------------------------------------- */

static bool current_is_session_leader(void)
{
	return current->signal->session == current->tgid;
}

/* @tty becomes the caller's ctty. tasklist_lock held. */
static void set_ctty_locked(struct tty_struct *tty)
{
	lockdep_assert_held(&tasklist_lock);
	current->signal->tty = tty;
	tty->session = current->signal->session;
	tty->pgrp = current->signal->pgrp;
}

/* Every process whose ctty @tty is loses it. tasklist_lock held. */
static void drop_ctty_locked(struct tty_struct *tty)
{
	struct task *p;

	lockdep_assert_held(&tasklist_lock);
	list_for_each_entry(p, &task_list, tasks)
		if (p->signal && p->signal->tty == tty)
			p->signal->tty = NULL;
	tty->session = 0;
	tty->pgrp = 0;
}

void tty_open_set_ctty(struct tty_struct *tty, struct file *file)
{
	lockdep_assert_held(&tty_mutex);
	spin_lock(&tasklist_lock);
	if (current_is_session_leader() && !current->signal->tty &&
	    !tty->session)
		set_ctty_locked(tty);
	spin_unlock(&tasklist_lock);
}

void tty_clear_session(struct tty_struct *tty)
{
	lockdep_assert_held(&tty_mutex);
	spin_lock(&tasklist_lock);
	drop_ctty_locked(tty);
	spin_unlock(&tasklist_lock);
}

void tty_hangup_session(struct tty_struct *tty)
{
	struct task *p;

	spin_lock(&tasklist_lock);
	list_for_each_entry(p, &task_list, tasks) {
		if (p != p->group_leader || !p->signal || p->signal->tty != tty)
			continue;
		p->signal->tty = NULL;
		if (p->exit_state || p->signal->session != p->tgid)
			continue;
		send_sig_info(SIGHUP, NULL, p);
		send_sig_info(SIGCONT, NULL, p);
	}
	tty->session = 0;
	tty->pgrp = 0;
	spin_unlock(&tasklist_lock);
}

/* Linux's disassociate_ctty: the leader gives the terminal up. */
static void disassociate_ctty(struct tty_struct *tty)
{
	int pgrp;

	spin_lock(&tasklist_lock);
	pgrp = tty->pgrp;
	drop_ctty_locked(tty);
	if (pgrp > 0) {
		kill_pgrp_locked(SIGHUP, pgrp);
		kill_pgrp_locked(SIGCONT, pgrp);
	}
	spin_unlock(&tasklist_lock);
}

void tty_session_leader_exit(struct signal_struct *sig)
{
	struct tty_struct *tty;

	mutex_lock(&tty_mutex);
	spin_lock(&tasklist_lock);
	tty = sig->session == current->tgid ? sig->tty : NULL;
	spin_unlock(&tasklist_lock);
	if (tty) {
		disassociate_ctty(tty);
		/* Linux vhangs up a real terminal (not a pty) on logout:
		 * what the session left behind cannot use it any more. */
		if (!(tty->driver->flags & TTY_DRIVER_PTY_MASTER) && !tty->link)
			tty_vhangup(tty);
	}
	mutex_unlock(&tty_mutex);
}

/* ---- the ioctls --------------------------------------------------------- */

static int tiocsctty(struct tty_struct *tty, unsigned long arg)
{
	int err = 0;

	mutex_lock(&tty_mutex);
	spin_lock(&tasklist_lock);
	if (current_is_session_leader() && current->signal->tty == tty)
		goto out_unlock;
	if (!current_is_session_leader() || current->signal->tty) {
		err = -EPERM;
		goto out_unlock;
	}
	if (tty->session) {
		if (arg != STEAL_CTTY || !capable(CAP_SYS_ADMIN)) {
			err = -EPERM;
			goto out_unlock;
		}
		drop_ctty_locked(tty);
	}
	set_ctty_locked(tty);
out_unlock:
	spin_unlock(&tasklist_lock);
	mutex_unlock(&tty_mutex);
	return err;
}

static int tiocnotty(struct tty_struct *tty)
{
	bool leader;

	mutex_lock(&tty_mutex);
	spin_lock(&tasklist_lock);
	if (current->signal->tty != tty) {
		spin_unlock(&tasklist_lock);
		mutex_unlock(&tty_mutex);
		return -ENOTTY;
	}
	leader = current_is_session_leader();
	if (!leader)
		current->signal->tty = NULL;
	spin_unlock(&tasklist_lock);
	if (leader)
		disassociate_ctty(tty);
	mutex_unlock(&tty_mutex);
	return 0;
}

/*
 * The session of process group @pgrp: 0 if the group does not exist.
 * A zombie not yet reaped is still a member, as in Linux: a shell sets
 * the terminal's group to a pipeline whose leader may already be dead.
 * tasklist_lock held.
 */
static int session_of_pgrp(int pgrp)
{
	struct task *p;

	lockdep_assert_held(&tasklist_lock);
	list_for_each_entry(p, &task_list, tasks)
		if (p->signal && p->exit_state != EXIT_DEAD &&
		    p->signal->pgrp == pgrp)
			return p->signal->session;
	return 0;
}

static int tiocspgrp(struct tty_struct *tty, int __user *arg)
{
	int pgrp, sid, err;

	err = tty_check_change(tty);
	if (err)
		return err;
	if (get_user(pgrp, arg))
		return -EFAULT;
	if (pgrp < 0)
		return -EINVAL;
	spin_lock(&tasklist_lock);
	sid = session_of_pgrp(pgrp);
	if (current->signal->tty != tty ||
	    tty->session != current->signal->session)
		err = -ENOTTY;
	else if (!sid)
		err = -ESRCH;
	else if (sid != current->signal->session)
		err = -EPERM;
	else
		tty->pgrp = pgrp;
	spin_unlock(&tasklist_lock);
	return err;
}

/* TIOCGPGRP and TIOCGSID (@cmd): the caller's ctty only (a master: any). */
static int get_job_id(struct tty_struct *tty, struct tty_struct *real,
		      unsigned int cmd, int __user *arg)
{
	int v;

	spin_lock(&tasklist_lock);
	if (tty == real && current->signal->tty != real) {
		spin_unlock(&tasklist_lock);
		return -ENOTTY;
	}
	v = cmd == TIOCGSID ? real->session : real->pgrp;
	spin_unlock(&tasklist_lock);
	if (cmd == TIOCGSID && !v)
		return -ENOTTY;
	return put_user(v, arg) ? -EFAULT : 0;
}

long tty_jobctrl_ioctl(struct tty_struct *tty, struct file *file,
		       unsigned int cmd, unsigned long arg)
{
	struct tty_struct *real = tty_real(tty);
	int __user *p = (int __user *)(uintptr_t)arg;

	switch (cmd) {
	case TIOCSCTTY:
		return tiocsctty(real, arg);
	case TIOCNOTTY:
		return tiocnotty(real);
	case TIOCGPGRP:
	case TIOCGSID:
		return get_job_id(tty, real, cmd, p);
	case TIOCSPGRP:
		return tiocspgrp(real, p);
	default:
		return -ENOIOCTLCMD;
	}
}
