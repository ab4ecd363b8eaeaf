/*
 * What the tty core (tty_io.c, tty_jobctrl.c), the line discipline
 * (n_tty.c) and the pty driver (pty.c) share and nobody else needs.
 */
#ifndef _DRIVERS_TTY_TTY_INTERNAL_H
#define _DRIVERS_TTY_TTY_INTERNAL_H

#include <kestrel/atomic.h>
#include <kestrel/fs.h>
#include <kestrel/mutex.h>
#include <kestrel/poll.h>
#include <kestrel/tty.h>

#define TTYAUX_MAJOR 5 /* /dev/tty, /dev/console, /dev/ptmx */
#define TTY_DEV_MINOR 0
#define CONSOLE_DEV_MINOR 1
#define PTMX_DEV_MINOR 2

extern struct mutex tty_mutex;

/* tty->flags: atomic bit operations. */
static inline bool tty_test_flag(const struct tty_struct *tty, int bit)
{
	return test_bit(bit, &tty->flags);
}

static inline void tty_set_flag(struct tty_struct *tty, int bit)
{
	set_bit(bit, &tty->flags);
}

static inline void tty_clear_flag(struct tty_struct *tty, int bit)
{
	clear_bit(bit, &tty->flags);
}

/* A pty master's modes and job-control ioctls act on its slave. */
static inline struct tty_struct *tty_real(struct tty_struct *tty)
{
	if ((tty->driver->flags & TTY_DRIVER_PTY_MASTER) && tty->link)
		return tty->link;
	return tty;
}

/* The bits of signal numbers collected by the receive path. */
#define TTY_SIGBIT(sig) (1UL << ((sig)-1))

/* ---- the tty core (tty_io.c) ---- */

/*
 * tty_open_by_driver - open minor @index of @drv for @file: find or
 * create its tty_struct, count the open, run ->open. Takes tty_mutex.
 * Returns the tty or an ERR_PTR. May sleep.
 */
struct tty_struct *tty_open_by_driver(struct tty_driver *drv, int index,
				      struct file *file);
/* Allocate and initialise a tty of @drv's minor @index (not counted). */
struct tty_struct *tty_alloc(struct tty_driver *drv, int index);
/* Free a tty no file and no session refers to. tty_mutex held. */
void tty_free(struct tty_struct *tty);
/* The file_operations of every tty file; private_data is the tty. */
extern const struct file_operations tty_fops;
/* Run @drv->ops->write, or drop the bytes without one. */
int tty_driver_write(struct tty_struct *tty, const unsigned char *buf, int n);

/*
 * Is @file of @tty hung up? The tty was hung up (TTY_HUPPED, until its
 * next first open), or @file was opened before a hangup since: as
 * Linux's hung_up_tty_fops, such a file stays dead (reads 0, writes
 * EIO), whoever opens the tty afresh. Files of /dev/console survive,
 * as Linux keeps the console's. Any context.
 */
bool tty_hung_up(struct tty_struct *tty, struct file *file);

/*
 * Linux's vhangup of a terminal whose session leader exited: the open
 * files die (tty_hung_up) and waiters wake; the tty itself works for
 * the next open (the login shell init starts). tty_mutex held.
 */
void tty_vhangup(struct tty_struct *tty);
unsigned int tty_write_room(struct tty_struct *tty);
#define N_TTY_ROOM_UNLIMITED 65536 /* ->write_room left empty */

/* ---- termios and the other non-job-control ioctls (tty_ioctl.c) ---- */

/* -ENOTTY for what nobody knows. May sleep. */
long tty_mode_ioctl(struct tty_struct *tty, struct file *file, unsigned int cmd,
		    unsigned long arg);

/* ---- pseudo-terminals (pty.c) ---- */

/* /dev/ptmx: a new master, opened for @file, or an ERR_PTR. */
struct tty_struct *ptmx_open_tty(struct file *file);

/* ---- job control (tty_jobctrl.c) ---- */

/* A reader in a background group: 0, -EIO or -ERESTARTSYS (SIGTTIN). */
int tty_check_read(struct tty_struct *tty);
/* A writer: 0 or -EIO / -ERESTARTSYS (SIGTTOU) when TOSTOP is set. */
int tty_check_write(struct tty_struct *tty);
/* A termios change (TCSETS*, TIOCSPGRP...): 0, -EIO or -ERESTARTSYS. */
int tty_check_change(struct tty_struct *tty);
/* A session leader without a ctty opened @tty: it becomes the ctty
 * unless @file was opened with O_NOCTTY. tty_mutex held. */
void tty_open_set_ctty(struct tty_struct *tty, struct file *file);
/* The last file of @tty closes: no session keeps it. tty_mutex held. */
void tty_clear_session(struct tty_struct *tty);
/* The job-control ioctls; -ENOIOCTLCMD when @cmd is none of them. */
long tty_jobctrl_ioctl(struct tty_struct *tty, struct file *file,
		       unsigned int cmd, unsigned long arg);
/* Hang up the session of @tty: SIGHUP+SIGCONT, ctty dropped. */
void tty_hangup_session(struct tty_struct *tty);
/* Start the thread that sends signals raised in interrupt context. */
int tty_signal_thread_init(void);
/* Forget pending deferred signals of a tty about to be freed. */
void tty_cancel_signals(struct tty_struct *tty);

/* ---- the line discipline (n_tty.c) ---- */

int n_tty_open(struct tty_struct *tty);
void n_tty_close(struct tty_struct *tty);
/* Receive @n bytes; ldisc_lock held. Returns the TTY_SIGBIT()s to
 * raise; *@wake says whether readers have something new. */
unsigned long n_tty_receive(struct tty_struct *tty, const unsigned char *s,
			    size_t n, bool *wake);
/* Send out what the receive path queued for echo. Any context. */
void n_tty_flush_echo(struct tty_struct *tty);
ssize_t n_tty_read(struct tty_struct *tty, struct file *file, char __user *buf,
		   size_t n);
ssize_t n_tty_write(struct tty_struct *tty, struct file *file,
		    const char __user *buf, size_t n);
unsigned int n_tty_poll(struct tty_struct *tty, struct file *file,
			struct poll_table_struct *pt);
/* Drop unread input (TCFLSH, TCSETSF, signals). ldisc_lock held. */
void n_tty_flush_input(struct tty_struct *tty);
/* Bytes the input buffer would take now (pty flow control). */
unsigned int n_tty_receive_room(struct tty_struct *tty);
/* Bytes a read could return now (FIONREAD). */
unsigned int n_tty_inq(struct tty_struct *tty);
/* tty->termios changed from @old; ldisc_lock held. */
void n_tty_set_termios(struct tty_struct *tty, const struct termios *old);

#endif /* _DRIVERS_TTY_TTY_INTERNAL_H */
