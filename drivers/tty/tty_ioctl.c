/*
 * The terminal-mode ioctls every tty answers: termios in its three
 * shapes (struct termios for TCGETS/TCSETS*, struct termios2 with
 * explicit speeds, the old struct termio for TCGETA/TCSETA*), window
 * size, flushing, flow control, draining, FIONREAD/TIOCOUTQ, TIOCSTI
 * and the exclusive-open bit. The job-control ioctls are in
 * tty_jobctrl.c; a driver answers its own first (pty: TIOCGPTN).
 *
 * Changing termios: writers serialise on tty->termios_mutex and swap
 * the structure under tty->ldisc_lock, so the receive path (which may
 * run in an interrupt) always sees one consistent setting.
 */
#include <kestrel/cred.h>
#include <kestrel/errno.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/string.h>
#include <kestrel/uaccess.h>
#include <uapi/ioctls.h>
#include <uapi/signal.h>

#include "tty_internal.h"

#define TERMIO_FLAGS_MASK 0xffffU /* struct termio keeps the low half */
#define DRAIN_POLL_TICKS 1 /* how often a drain looks at the driver */

/* Set termios @new (flags: TERMIOS_*); may wait for output to drain. */
#define TERMIOS_WAIT 0x1 /* TCSETSW: drain first */
#define TERMIOS_FLUSH 0x2 /* TCSETSF: drain, then drop unread input */

/* Wait until the driver has sent everything; 0 or -ERESTARTSYS. */
static int tty_drain(struct tty_struct *tty)
{
	while (tty->driver->ops->chars_in_buffer &&
	       tty->driver->ops->chars_in_buffer(tty) &&
	       !tty_test_flag(tty, TTY_HUPPED)) {
		if (signal_pending(current))
			return -ERESTARTSYS;
		schedule_timeout_interruptible(DRAIN_POLL_TICKS);
	}
	return 0;
}

static void tty_flush_input(struct tty_struct *tty)
{
	unsigned long flags;

	spin_lock_irqsave(&tty->ldisc_lock, flags);
	n_tty_flush_input(tty);
	spin_unlock_irqrestore(&tty->ldisc_lock, flags);
	if (tty->driver->ops->unthrottle)
		tty->driver->ops->unthrottle(tty);
}

static int set_termios(struct tty_struct *tty, const struct termios *new,
		       unsigned int how)
{
	struct termios old;
	unsigned long flags;
	int err;

	err = tty_check_change(tty);
	if (err)
		return err;
	if (how & (TERMIOS_WAIT | TERMIOS_FLUSH)) {
		err = tty_drain(tty);
		if (err)
			return err;
	}
	mutex_lock(&tty->termios_mutex);
	if (how & TERMIOS_FLUSH)
		tty_flush_input(tty);
	spin_lock_irqsave(&tty->ldisc_lock, flags);
	old = tty->termios;
	tty->termios = *new;
	n_tty_set_termios(tty, &old);
	spin_unlock_irqrestore(&tty->ldisc_lock, flags);
	if (tty->driver->ops->set_termios)
		tty->driver->ops->set_termios(tty, &old);
	mutex_unlock(&tty->termios_mutex);
	wake_up_interruptible_all(&tty->read_wait);
	wake_up_interruptible_all(&tty->write_wait);
	return 0;
}

static unsigned int set_how(unsigned int cmd)
{
	switch (cmd) {
	case TCSETSW:
	case TCSETSW2:
	case TCSETAW:
		return TERMIOS_WAIT;
	case TCSETSF:
	case TCSETSF2:
	case TCSETAF:
		return TERMIOS_FLUSH;
	default:
		return 0;
	}
}

/* struct termio carries the low 16 bits of the flags and NCC chars. */
static int set_termio(struct tty_struct *tty, const struct termio __user *u,
		      unsigned int how)
{
	struct termio tio;
	struct termios t;

	if (copy_from_user(&tio, u, sizeof(tio)))
		return -EFAULT;
	t = tty->termios;
	t.c_iflag = (t.c_iflag & ~TERMIO_FLAGS_MASK) | tio.c_iflag;
	t.c_oflag = (t.c_oflag & ~TERMIO_FLAGS_MASK) | tio.c_oflag;
	t.c_cflag = (t.c_cflag & ~TERMIO_FLAGS_MASK) | tio.c_cflag;
	t.c_lflag = (t.c_lflag & ~TERMIO_FLAGS_MASK) | tio.c_lflag;
	t.c_line = tio.c_line;
	memcpy(t.c_cc, tio.c_cc, NCC);
	return set_termios(tty, &t, how);
}

static int get_termio(struct tty_struct *tty, struct termio __user *u)
{
	struct termio tio;

	memset(&tio, 0, sizeof(tio)); /* its padding byte goes out too */
	tio.c_iflag = (unsigned short)tty->termios.c_iflag;
	tio.c_oflag = (unsigned short)tty->termios.c_oflag;
	tio.c_cflag = (unsigned short)tty->termios.c_cflag;
	tio.c_lflag = (unsigned short)tty->termios.c_lflag;
	tio.c_line = tty->termios.c_line;
	memcpy(tio.c_cc, tty->termios.c_cc, NCC);
	return copy_to_user(u, &tio, sizeof(tio)) ? -EFAULT : 0;
}

/* TCGETS2: the speeds come from the CBAUD bits; we keep no others. */
static int get_termios2(struct tty_struct *tty, struct termios2 __user *u)
{
	struct termios2 t2;

	memset(&t2, 0, sizeof(t2));
	memcpy(&t2, &tty->termios, sizeof(tty->termios));
	return copy_to_user(u, &t2, sizeof(t2)) ? -EFAULT : 0;
}

static int set_termios2(struct tty_struct *tty, const struct termios2 __user *u,
			unsigned int how)
{
	struct termios2 t2;
	struct termios t;

	if (copy_from_user(&t2, u, sizeof(t2)))
		return -EFAULT;
	memcpy(&t, &t2, sizeof(t));
	return set_termios(tty, &t, how);
}

/* TIOCSWINSZ: a change signals SIGWINCH to the foreground group. */
static int set_winsize(struct tty_struct *tty, const struct winsize __user *u)
{
	struct winsize ws;
	bool changed;

	if (copy_from_user(&ws, u, sizeof(ws)))
		return -EFAULT;
	mutex_lock(&tty->termios_mutex);
	changed = memcmp(&ws, &tty->winsize, sizeof(ws)) != 0;
	tty->winsize = ws;
	mutex_unlock(&tty->termios_mutex);
	if (changed)
		tty_signal_pgrp(tty, SIGWINCH);
	return 0;
}

static int tty_flush(struct tty_struct *tty, unsigned long arg)
{
	int err = tty_check_change(tty);

	if (err)
		return err;
	switch (arg) {
	case TCIFLUSH:
	case TCIOFLUSH:
		tty_flush_input(tty);
		return 0;
	case TCOFLUSH:
		return 0; /* output already handed to the driver stays */
	default:
		return -EINVAL;
	}
}

static int tty_xonc(struct tty_struct *tty, unsigned long arg)
{
	unsigned char c;
	int err = tty_check_change(tty);

	if (err)
		return err;
	switch (arg) {
	case TCOOFF:
		tty_set_flag(tty, TTY_STOPPED);
		return 0;
	case TCOON:
		tty_clear_flag(tty, TTY_STOPPED);
		tty_wakeup(tty);
		return 0;
	case TCIOFF:
	case TCION:
		c = tty->termios.c_cc[arg == TCIOFF ? VSTOP : VSTART];
		if (c)
			tty_driver_write(tty, &c, 1);
		return 0;
	default:
		return -EINVAL;
	}
}

/* TIOCSTI: fake input; only on one's own ctty, or as root. */
static int tty_sti(struct tty_struct *tty, const char __user *u)
{
	unsigned char c;
	bool own;

	spin_lock(&tasklist_lock);
	own = current->signal->tty == tty;
	spin_unlock(&tasklist_lock);
	if (!own && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (get_user(c, (const unsigned char __user *)u))
		return -EFAULT;
	tty_insert_flip_string(tty, &c, 1);
	return 0;
}

static int put_uint(unsigned long arg, unsigned int v)
{
	return put_user(v, (unsigned int __user *)(uintptr_t)arg) ? -EFAULT : 0;
}

/* The termios family. -ENOIOCTLCMD for other commands. */
static long termios_ioctl(struct tty_struct *tty, unsigned int cmd,
			  unsigned long arg)
{
	void __user *p = (void __user *)(uintptr_t)arg;
	struct termios t;

	switch (cmd) {
	case TCGETS:
		return copy_to_user(p, &tty->termios, sizeof(t)) ? -EFAULT : 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		if (copy_from_user(&t, p, sizeof(t)))
			return -EFAULT;
		return set_termios(tty, &t, set_how(cmd));
	case TCGETS2:
		return get_termios2(tty, p);
	case TCSETS2:
	case TCSETSW2:
	case TCSETSF2:
		return set_termios2(tty, p, set_how(cmd));
	case TCGETA:
		return get_termio(tty, p);
	case TCSETA:
	case TCSETAW:
	case TCSETAF:
		return set_termio(tty, p, set_how(cmd));
	default:
		return -ENOIOCTLCMD;
	}
}

long tty_mode_ioctl(struct tty_struct *tty, struct file *file, unsigned int cmd,
		    unsigned long arg)
{
	void __user *p = (void __user *)(uintptr_t)arg;
	struct tty_struct *real = tty_real(tty);
	long ret = termios_ioctl(real, cmd, arg);

	if (ret != -ENOIOCTLCMD)
		return ret;
	switch (cmd) {
	case TIOCGWINSZ:
		return copy_to_user(p, &real->winsize, sizeof(real->winsize)) ?
			       -EFAULT :
			       0;
	case TIOCSWINSZ:
		return set_winsize(real, p);
	case TCFLSH:
		return tty_flush(tty, arg);
	case TCXONC:
		return tty_xonc(tty, arg);
	case TCSBRK:
	case TCSBRKP:
		return tty_drain(tty);
	case FIONREAD:
		return put_uint(arg, n_tty_inq(tty));
	case TIOCOUTQ:
		return put_uint(arg,
				tty->driver->ops->chars_in_buffer ?
					tty->driver->ops->chars_in_buffer(tty) :
					0);
	case TIOCSTI:
		return tty_sti(tty, p);
	case TIOCEXCL:
		tty_set_flag(tty, TTY_EXCLUSIVE);
		return 0;
	case TIOCNXCL:
		tty_clear_flag(tty, TTY_EXCLUSIVE);
		return 0;
	case TIOCGETD:
		return put_uint(arg, N_TTY);
	default:
		return -ENOTTY;
	}
}
