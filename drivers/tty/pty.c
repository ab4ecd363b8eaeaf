/*
 * Pseudo-terminals, the UNIX98 way: opening /dev/ptmx creates a pair
 * of ttys linked to each other, the master (the open file, numbered N
 * internally) and the slave /dev/pts/N (in devpts).
 *
 *   master write --> slave's n_tty input   (what a user types)
 *   slave write  --> master's n_tty input  (what programs print)
 *
 * Each side's ->write pushes into the other side's line discipline,
 * as much as its input buffer takes; a reader making room wakes the
 * writers of the other side (->unthrottle). The master's termios
 * start raw, the slave's cooked; ioctls for modes, window size and
 * job control on the master act on the slave, as on Linux.
 *
 * The slave cannot be opened until unlockpt() (TIOCSPTLCK 0), nor
 * after the master closed. Closing the master hangs up the slave
 * (SIGHUP to its session's leader, reads give EIO, writes EIO); when
 * the last slave file closes, reads on the master give EIO. The pair
 * is freed when both sides are closed (tty_io.c), and the number is
 * given back then. The numbers are devpts's (devpts_new_index), as on
 * Linux: one owner for the number and the node /dev/pts/N.
 *
 * Locking: tty_mutex guards a pair's links.
 */
#include <kestrel/errno.h>
#include <kestrel/err.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/uaccess.h>
#include <uapi/ioctls.h>
#include <uapi/signal.h>

#include <kestrel/sched.h>

#include "tty_internal.h"

#define PTY_BAUD B38400 /* what a pty reports, as Linux's */

static struct tty_driver ptm_driver, pts_driver;

static bool is_master(struct tty_struct *tty)
{
	return tty->driver == &ptm_driver;
}

/* ---- moving bytes --------------------------------------------------------- */

static int pty_write(struct tty_struct *tty, const unsigned char *buf, int n)
{
	struct tty_struct *to = tty->link;
	unsigned int room;

	if (!to || !to->disc_data)
		return n; /* nobody will ever read it */
	room = n_tty_receive_room(to);
	if ((unsigned int)n > room)
		n = (int)room;
	if (n)
		tty_insert_flip_string(to, buf, (size_t)n);
	return n;
}

static unsigned int pty_write_room(struct tty_struct *tty)
{
	struct tty_struct *to = tty->link;

	if (!to || !to->disc_data)
		return N_TTY_ROOM_UNLIMITED;
	return n_tty_receive_room(to);
}

/* @tty's reader made room: the other side may write again. */
static void pty_unthrottle(struct tty_struct *tty)
{
	struct tty_struct *from = tty->link;

	if (from)
		tty_wakeup(from);
}

/* ---- open and close ---------------------------------------------------- */

static int pty_open(struct tty_struct *tty, struct file *file)
{
	struct tty_struct *master = tty->link;

	if (is_master(tty))
		return 0;
	if (!master || !master->count ||
	    tty_test_flag(master, TTY_OTHER_CLOSED))
		return -EIO;
	if (tty_test_flag(master, TTY_PTY_LOCK))
		return -EIO;
	tty_clear_flag(master, TTY_OTHER_CLOSED);
	tty_clear_flag(tty, TTY_OTHER_CLOSED);
	return 0;
}

static void pty_close(struct tty_struct *tty, struct file *file)
{
	struct tty_struct *other = tty->link;

	if (tty->count || !other)
		return;
	tty_set_flag(other, TTY_OTHER_CLOSED);
	wake_up_interruptible_all(&other->read_wait);
	wake_up_interruptible_all(&other->write_wait);
	if (is_master(tty)) {
		tty_set_flag(tty, TTY_OTHER_CLOSED);
		tty_hangup(other);
		devpts_pty_kill((unsigned int)tty->index);
	}
}

/* The pair is being freed: its number is free again. tty_mutex held. */
static void pty_cleanup(struct tty_struct *tty)
{
	lockdep_assert_held(&tty_mutex);
	if (is_master(tty))
		devpts_kill_index((unsigned int)tty->index);
}

/* TIOCGPTN, TIOCSPTLCK, TIOCGPTLCK on the master. */
static int pty_ioctl(struct tty_struct *tty, unsigned int cmd,
		     unsigned long arg)
{
	int __user *p = (int __user *)(uintptr_t)arg;
	int lock;

	if (!is_master(tty))
		return -ENOIOCTLCMD;
	switch (cmd) {
	case TIOCGPTN:
		return put_user(tty->index, p) ? -EFAULT : 0;
	case TIOCSPTLCK:
		if (get_user(lock, p))
			return -EFAULT;
		if (lock)
			tty_set_flag(tty, TTY_PTY_LOCK);
		else
			tty_clear_flag(tty, TTY_PTY_LOCK);
		return 0;
	case TIOCGPTLCK:
		lock = tty_test_flag(tty, TTY_PTY_LOCK);
		return put_user(lock, p) ? -EFAULT : 0;
	default:
		return -ENOIOCTLCMD;
	}
}

static const struct tty_operations pty_ops = {
	.open = pty_open,
	.close = pty_close,
	.write = pty_write,
	.write_room = pty_write_room,
	.unthrottle = pty_unthrottle,
	.ioctl = pty_ioctl,
	.cleanup = pty_cleanup,
};

/* ---- /dev/ptmx -------------------------------------------------------------- */

/* Make the pair N, master open once, slave not yet. tty_mutex held. */
static struct tty_struct *make_pair(int index)
{
	struct tty_struct *master, *slave;

	lockdep_assert_held(&tty_mutex);
	master = tty_alloc(&ptm_driver, index);
	slave = tty_alloc(&pts_driver, index);
	if (!master || !slave)
		goto out_free;
	if (n_tty_open(master))
		goto out_free;
	if (n_tty_open(slave))
		goto out_close_master;
	master->link = slave;
	slave->link = master;
	tty_set_flag(master, TTY_PTY_LOCK);
	master->count = 1;
	ptm_driver.ttys[index] = master;
	pts_driver.ttys[index] = slave;
	return master;

out_close_master:
	n_tty_close(master);
out_free:
	kfree(master);
	kfree(slave);
	return NULL;
}

struct tty_struct *ptmx_open_tty(struct file *file)
{
	struct tty_struct *master;
	int index, err;

	mutex_lock(&tty_mutex);
	index = devpts_new_index();
	if (index < 0) {
		mutex_unlock(&tty_mutex);
		return ERR_PTR(index);
	}
	master = make_pair(index);
	if (!master) {
		devpts_kill_index((unsigned int)index);
		mutex_unlock(&tty_mutex);
		return ERR_PTR(-ENOMEM);
	}
	mutex_unlock(&tty_mutex);
	err = devpts_pty_new((unsigned int)index);
	if (err)
		pr_warn("pty: no /dev/pts/%d: error %d\n", index, err);
	return master;
}

/* A new master: the standard control characters (VMIN 1), raw modes. */
static void ptm_termios(struct termios *t)
{
	tty_std_termios(t, PTY_BAUD);
	t->c_iflag = t->c_oflag = t->c_lflag = 0;
	t->c_cflag = PTY_BAUD | CS8 | CREAD;
}

static struct tty_driver ptm_driver = {
	.name = "ptm",
	.major = PTY_MASTER_MAJOR,
	.num = PTY_MAX,
	.flags = TTY_DRIVER_DYNAMIC_DEV | TTY_DRIVER_PTY_MASTER,
	.ops = &pty_ops,
};

static struct tty_driver pts_driver = {
	.name = "pts",
	.major = PTY_SLAVE_MAJOR,
	.num = PTY_MAX,
	.flags = TTY_DRIVER_DYNAMIC_DEV,
	.ops = &pty_ops,
};

int pty_init(void)
{
	int err;

	ptm_termios(&ptm_driver.init_termios);
	tty_std_termios(&pts_driver.init_termios, PTY_BAUD);
	err = tty_register_driver(&ptm_driver);
	if (!err)
		err = tty_register_driver(&pts_driver);
	if (!err)
		err = devpts_init();
	return err;
}
