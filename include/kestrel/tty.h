/*
 * The TTY layer (drivers/tty/), as Linux 2.6 splits it:
 *
 *   user space  read/write/ioctl/poll on /dev/ttyS0, /dev/tty1, /dev/pts/N
 *        |
 *   tty core    (tty_io.c) one struct tty_struct per open terminal: the
 *               termios, the window size, the session and foreground
 *               process group, job-control checks, hangup
 *        |
 *   line discipline (n_tty.c) canonical editing, echo, signal
 *               characters, VMIN/VTIME, output post-processing
 *        |
 *   driver      (serial/8250.c, vt/, pty.c) fills a struct tty_driver
 *               and a const struct tty_operations; pushes received
 *               bytes up with tty_insert_flip_string() and drains the
 *               bytes the discipline hands to ops->write.
 *
 * A tty_struct lives while anyone has it open (tty->count) or a session
 * holds it as its controlling terminal; the core frees it, drivers never.
 */
#ifndef _KESTREL_TTY_H
#define _KESTREL_TTY_H

#include <kestrel/list.h>
#include <kestrel/mutex.h>
#include <kestrel/spinlock.h>
#include <kestrel/types.h>
#include <kestrel/wait.h>
#include <uapi/termbits.h>

struct file;
struct tty_struct;
struct signal_struct;

/*
 * What a driver supplies. An empty slot means the core's default.
 * Context: process context unless said otherwise; ->write and
 * ->write_room may also be called with the tty's output lock held
 * (echo from the receive path), so they must not sleep.
 */
struct tty_operations {
	/* First and later opens of @tty; 0 or -errno (the open fails). */
	int (*open)(struct tty_struct *tty, struct file *file);
	/* Every close; tty->count is already decremented. */
	void (*close)(struct tty_struct *tty, struct file *file);
	/* Take up to @n bytes of processed output; returns how many. */
	int (*write)(struct tty_struct *tty, const unsigned char *buf, int n);
	/* Bytes ->write would take now. Default: unlimited. */
	unsigned int (*write_room)(struct tty_struct *tty);
	/* tty->termios changed; @old is the previous setting. */
	void (*set_termios)(struct tty_struct *tty, const struct termios *old);
	/* Driver ioctls; -ENOIOCTLCMD lets the core answer. */
	int (*ioctl)(struct tty_struct *tty, unsigned int cmd,
		     unsigned long arg);
	/* The line dropped (tty_hangup). */
	void (*hangup)(struct tty_struct *tty);
	/* A reader made room in @tty's input buffer (pty: wake the
	 * other side's writers). Any context, ldisc_lock not held. */
	void (*unthrottle)(struct tty_struct *tty);
	/* @tty is about to be freed (pty: give its number back).
	 * tty_mutex held. */
	void (*cleanup)(struct tty_struct *tty);
	/* Bytes written but not yet sent (TIOCOUTQ). Default: 0. */
	unsigned int (*chars_in_buffer)(struct tty_struct *tty);
};

/* tty_driver.flags */
#define TTY_DRIVER_DYNAMIC_DEV 0x1 /* no /dev nodes at registration */
#define TTY_DRIVER_PTY_MASTER 0x2 /* pty masters: ioctls act on the slave */
#define TTY_DRIVER_NAME_BY_INDEX 0x4 /* nodes name + index, not + minor */

struct tty_driver {
	/* Node names: name + minor ("tty1" is 4:1), or name + index with
	 * TTY_DRIVER_NAME_BY_INDEX ("ttyS0" is 4:64). */
	const char *name;
	unsigned int major, minor_start, num; /* minors owned */
	unsigned int flags; /* TTY_DRIVER_* */
	struct termios init_termios; /* a new tty's settings */
	const struct tty_operations *ops;
	struct tty_struct **ttys; /* [num], the open ones (tty_mutex) */
	void *driver_state; /* the driver's */
	struct list_head list; /* all drivers (tty_mutex) */
};

/*
 * Lock rules (docs/tty.md), in the order they nest:
 *   tty_mutex       the drivers list, driver->ttys, tty->count, and a
 *                   tty's life: whoever holds it may use any tty that
 *                   is in a driver's ttys[] or is a session's ctty
 *   tty->termios_mutex  serialises termios/winsize writers (readers of
 *                   termios in the receive path take ldisc_lock)
 *   tasklist_lock   tty->session/pgrp and signal_struct->tty
 *   tty->ldisc_lock (spinlock, irqsave) the line discipline's buffers
 *                   and state and tty->termios; taken from the
 *                   driver's receive path, any context
 */
struct tty_struct {
	struct tty_driver *driver;
	int index; /* minor - driver->minor_start */
	int count; /* open files (tty_mutex) */
	unsigned long flags; /* TTY_* below (atomic bit ops or ldisc_lock) */
	struct mutex termios_mutex; /* termios, winsize writers */
	struct termios termios;
	struct winsize winsize;
	int session; /* controlling session, 0: none (tasklist_lock) */
	int pgrp; /* foreground process group, 0: none (tasklist_lock) */
	spinlock_t ldisc_lock; /* disc_data */
	void *disc_data; /* n_tty's state */
	struct wait_queue_head read_wait; /* readers and pollers */
	struct wait_queue_head write_wait; /* writers waiting for room */
	struct tty_struct *link; /* the other end of a pty pair */
	/* Hangups so far (tty_mutex; read locklessly): a file opened
	 * before the last one is dead for good (tty_hung_up). */
	unsigned int hangups;
	void *driver_data; /* the driver's */
	/* Job-control signals raised in interrupt context, sent later by
	 * the ttysig thread (tty_sig_lock). */
	unsigned long sig_pending; /* bit n: signal n + 1 */
	struct list_head sig_node; /* in the pending list, or empty */
};

/* tty->flags bits */
#define TTY_HUPPED 0 /* hung up: reads give 0, writes -EIO */
#define TTY_OTHER_CLOSED 1 /* pty: the other side closed */
#define TTY_STOPPED 2 /* output stopped by ^S / TCXONC */
#define TTY_PTY_LOCK 3 /* pty master: slave not yet unlocked */
#define TTY_EXCLUSIVE 4 /* TIOCEXCL: further opens need root */

/*
 * tty_register_driver - make @drv's minors openable
 * Registers the character-device region and, unless
 * TTY_DRIVER_DYNAMIC_DEV, creates /dev/<name><index> for each minor.
 * Returns 0 or -errno. Process context, may sleep.
 */
int tty_register_driver(struct tty_driver *drv);

struct device;
/*
 * tty_register_device - add minor @index of @drv to the device model:
 * /sys/class/tty/<name>, and its /dev node, under @parent (the port's
 * device, e.g. the serial8250 platform device) or NULL (virtual/).
 * For drivers with TTY_DRIVER_DYNAMIC_DEV; tty_register_driver() does
 * it for the others. Returns the device or ERR_PTR(-errno). Process
 * context, may sleep; undo with tty_unregister_device().
 */
struct device *tty_register_device(struct tty_driver *drv, unsigned int index,
				   struct device *parent);
void tty_unregister_device(struct tty_driver *drv, unsigned int index);

/*
 * tty_insert_flip_string - received bytes, from the driver
 * Queue @n bytes for the line discipline of @tty (echo and signals
 * happen here). Any context, including interrupt handlers. Bytes that
 * do not fit are dropped, as a full UART FIFO drops them.
 */
void tty_insert_flip_string(struct tty_struct *tty, const unsigned char *s,
			    size_t n);

/* The driver drained output: wake writers and pollers. Any context. */
void tty_wakeup(struct tty_struct *tty);

/* The line dropped: SIGHUP+SIGCONT the session, further I/O fails. */
void tty_hangup(struct tty_struct *tty);

/*
 * tty_signal_pgrp - @tty's foreground process group gets @sig (^C,
 * SIGWINCH). Any context: from interrupt context the signal is sent a
 * moment later by a kernel thread.
 */
void tty_signal_pgrp(struct tty_struct *tty, int sig);

/*
 * tty_std_termios - the settings of a fresh terminal at @baud (a B*
 * constant): cooked, echoing, ^C/^\\/^Z signals, ICRNL, ONLCR, as
 * Linux's tty_std_termios. For a driver's init_termios.
 */
void tty_std_termios(struct termios *t, tcflag_t baud);

/*
 * tty_set_console_vt - the VT driver names the terminal that
 * /dev/console stands for when the last console= option is ttyN:
 * minor N of @drv, or for tty0 the foreground console, whose index in
 * @drv @fg_index returns. Without it (or with console=ttyS0, or no
 * console= at all) /dev/console is ttyS0. Process context, boot.
 */
void tty_set_console_vt(struct tty_driver *drv, int (*fg_index)(void));

/*
 * The session of @sig (a process's signal_struct) lost its leader:
 * hang up its controlling terminal (disassociate_ctty).
 */
void tty_session_leader_exit(struct signal_struct *sig);

/* Pseudo-terminals: masters through /dev/ptmx, slaves /dev/pts/N. */
#define PTY_MASTER_MAJOR 128 /* Linux's UNIX98_PTY_MASTER_MAJOR */
#define PTY_SLAVE_MAJOR 136 /* UNIX98_PTY_SLAVE_MAJOR */
#define PTY_MAX 256 /* pairs at once */

/*
 * devpts (fs/devpts/) owns the pty numbers: devpts_new_index() hands out
 * the lowest free one below PTY_MAX (-ENOSPC when all are taken, -ENOMEM;
 * may sleep), devpts_kill_index() gives it back when the pair is freed.
 */
int devpts_new_index(void);
void devpts_kill_index(unsigned int index);
/*
 * Node @index appears in every devpts mount,
 * owned by the caller; devpts_pty_kill() removes it. 0 or -errno.
 * Process context, may sleep; takes directory locks, so never call
 * them with a spinlock held.
 */
int devpts_pty_new(unsigned int index);
void devpts_pty_kill(unsigned int index);
/* Register devpts (init mounts it on /dev/pts). Boot. */
int devpts_init(void);
struct platform_device;
extern struct platform_device *serial8250_device; /* ttyS0's parent */
/* The pty driver's part: ptmx, the pts driver, devpts. */
int pty_init(void);

#endif /* _KESTREL_TTY_H */
