/*
 * The tty core: the file side of every terminal.
 *
 * A driver registers a struct tty_driver for a range of minors; the
 * core owns the character-device region and answers open, read,
 * write, poll, ioctl and release for all of them with tty_fops. The
 * first open of a minor creates its struct tty_struct (termios from
 * the driver's init_termios, the n_tty line discipline); later opens
 * count it; the last close frees it (a pty frees both ends together,
 * once both are closed). Reads and writes go to n_tty, which calls the
 * driver's ->write; the driver pushes input up with
 * tty_insert_flip_string().
 *
 * Three nodes of major 5 are not terminals of their own:
 *   /dev/tty     (5, 0) the opener's controlling terminal (ENXIO: none)
 *   /dev/console (5, 1) the terminal of the kernel console: ttyS0, or
 *                the VT named by the last console=ttyN option
 *   /dev/ptmx    (5, 2) a new pseudo-terminal master (pty.c)
 *
 * Locking: tty_mutex guards the drivers list, driver->ttys[] and
 * tty->count; the other locks are listed in <kestrel/tty.h>.
 */
#include <kestrel/cred.h>
#include <kestrel/device.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/init.h>
#include <kestrel/kstrtox.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/uaccess.h>
#include <kestrel/vt.h>
#include <uapi/fcntl.h>
#include <uapi/ioctls.h>

#include "tty_internal.h"

#define TTY_NAME_MAX 32
#define CONSOLE_NONE (-1) /* no console=ttyN: /dev/console is ttyS0 */
#define SERIAL_CONSOLE_NAME "ttyS"
#define VT_CONSOLE_NAME "tty"

/* The tty drivers list, driver->ttys[], tty->count, a tty's life. */
DEFINE_MUTEX(tty_mutex);
static LIST_HEAD(tty_drivers); /* tty_mutex */

/*
 * /dev/console: the VT driver's hook and the console= choice. Written
 * once at boot (the command line, then vt_init() under tty_mutex), read
 * under tty_mutex.
 */
static struct tty_driver *console_vt_driver;
static int (*console_vt_fg_index)(void);
static int console_vt_minor = CONSOLE_NONE;

#define CTRL(c) ((c) ^ 0x40) /* the control character of a letter */
#define ASCII_DEL 0x7f

void tty_std_termios(struct termios *t, tcflag_t baud)
{
	static const cc_t cc[NCCS] = {
		[VINTR] = CTRL('C'),	[VQUIT] = CTRL('\\'),
		[VERASE] = ASCII_DEL,	[VKILL] = CTRL('U'),
		[VEOF] = CTRL('D'),	[VMIN] = 1,
		[VSTART] = CTRL('Q'),	[VSTOP] = CTRL('S'),
		[VSUSP] = CTRL('Z'),	[VREPRINT] = CTRL('R'),
		[VDISCARD] = CTRL('O'), [VWERASE] = CTRL('W'),
		[VLNEXT] = CTRL('V'),
	};

	memset(t, 0, sizeof(*t));
	t->c_iflag = ICRNL | IXON;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = baud | CS8 | CREAD | HUPCL;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE |
		     IEXTEN;
	memcpy(t->c_cc, cc, sizeof(cc));
}

/* ---- registration and lookup ------------------------------------------ */

int tty_register_driver(struct tty_driver *drv)
{
	unsigned int i;
	int err;

	drv->ttys = kzalloc(drv->num * sizeof(*drv->ttys), GFP_KERNEL);
	if (!drv->ttys)
		return -ENOMEM;
	err = __register_chrdev(drv->major, drv->minor_start, drv->num,
				drv->name, &tty_fops);
	if (err < 0) {
		kfree(drv->ttys);
		return err;
	}
	mutex_lock(&tty_mutex);
	list_add_tail(&drv->list, &tty_drivers);
	mutex_unlock(&tty_mutex);
	if (drv->flags & TTY_DRIVER_DYNAMIC_DEV)
		return 0;
	for (i = 0; i < drv->num; i++)
		tty_register_device(drv, i, NULL);
	return 0;
}

/* The device name of minor @index of @drv: "ttyS0", "tty1". */
static void tty_line_name(struct tty_driver *drv, unsigned int index,
			  char *name, size_t size)
{
	snprintf(name, size, "%s%u", drv->name,
		 (drv->flags & TTY_DRIVER_NAME_BY_INDEX) ?
			 index :
			 drv->minor_start + index);
}

/*
 * Modes of the /dev nodes, as Linux's tty_devnode() and what Kestrel
 * gave before the driver core: /dev/tty and /dev/ptmx are everyone's,
 * /dev/console root's, the terminals crw--w---- (group tty may write).
 */
#define TTY_NODE_MODE 0620
#define TTY_SHARED_NODE_MODE 0666

static char *tty_devnode(const struct device *dev, umode_t *mode)
{
	if (!mode)
		return NULL;
	if (dev->devt == MKDEV(TTYAUX_MAJOR, TTY_DEV_MINOR) ||
	    dev->devt == MKDEV(TTYAUX_MAJOR, PTMX_DEV_MINOR))
		*mode = TTY_SHARED_NODE_MODE;
	else if (MAJOR(dev->devt) != TTYAUX_MAJOR)
		*mode = TTY_NODE_MODE;
	return NULL;
}

/* /sys/class/tty: every terminal's device. */
static struct class tty_class = {
	.name = "tty",
	.devnode = tty_devnode,
};

struct device *tty_register_device(struct tty_driver *drv, unsigned int index,
				   struct device *parent)
{
	char name[TTY_NAME_MAX];
	struct device *dev;

	if (index >= drv->num)
		return ERR_PTR(-EINVAL);
	tty_line_name(drv, index, name, sizeof(name));
	dev = device_create(&tty_class, parent,
			    MKDEV(drv->major, drv->minor_start + index), drv,
			    "%s", name);
	if (IS_ERR(dev))
		pr_err("tty: cannot add %s: error %ld\n", name, PTR_ERR(dev));
	return dev;
}

void tty_unregister_device(struct tty_driver *drv, unsigned int index)
{
	device_destroy(&tty_class, MKDEV(drv->major, drv->minor_start + index));
}

/* The driver owning @dev, its index in *@index. tty_mutex held. */
static struct tty_driver *driver_of(dev_t dev, int *index)
{
	struct tty_driver *drv;

	lockdep_assert_held(&tty_mutex);
	list_for_each_entry(drv, &tty_drivers, list) {
		if (drv->major == MAJOR(dev) &&
		    MINOR(dev) >= drv->minor_start &&
		    MINOR(dev) - drv->minor_start < drv->num) {
			*index = (int)(MINOR(dev) - drv->minor_start);
			return drv;
		}
	}
	return NULL;
}

static struct tty_driver *driver_by_name(const char *name)
{
	struct tty_driver *drv;

	list_for_each_entry(drv, &tty_drivers, list)
		if (!strcmp(drv->name, name))
			return drv;
	return NULL;
}

/* ---- life of a tty_struct --------------------------------------------- */

struct tty_struct *tty_alloc(struct tty_driver *drv, int index)
{
	struct tty_struct *tty = kzalloc(sizeof(*tty), GFP_KERNEL);

	if (!tty)
		return NULL;
	tty->driver = drv;
	tty->index = index;
	tty->termios = drv->init_termios;
	mutex_init(&tty->termios_mutex);
	spin_lock_init(&tty->ldisc_lock);
	init_waitqueue_head(&tty->read_wait);
	init_waitqueue_head(&tty->write_wait);
	INIT_LIST_HEAD(&tty->sig_node);
	return tty;
}

void tty_free(struct tty_struct *tty)
{
	lockdep_assert_held(&tty_mutex);
	tty_cancel_signals(tty);
	if (tty->driver->ops->cleanup)
		tty->driver->ops->cleanup(tty);
	if (tty->driver->ttys[tty->index] == tty)
		tty->driver->ttys[tty->index] = NULL;
	kfree(tty);
}

/* The last file of @tty closed. tty_mutex held. */
static void tty_last_close(struct tty_struct *tty)
{
	struct tty_struct *link = tty->link;

	lockdep_assert_held(&tty_mutex);
	tty_clear_session(tty);
	if (link && link->count)
		return; /* a pty pair goes when both ends are closed */
	n_tty_close(tty);
	if (link) {
		n_tty_close(link);
		link->link = NULL;
		tty_free(link);
	}
	tty_free(tty);
}

struct tty_struct *tty_open_by_driver(struct tty_driver *drv, int index,
				      struct file *file)
{
	struct tty_struct *tty;
	int err = 0;

	mutex_lock(&tty_mutex);
	tty = drv->ttys[index];
	if (!tty) {
		tty = tty_alloc(drv, index);
		if (!tty) {
			mutex_unlock(&tty_mutex);
			return ERR_PTR(-ENOMEM);
		}
		drv->ttys[index] = tty;
	}
	if (tty_test_flag(tty, TTY_EXCLUSIVE) && !capable(CAP_SYS_ADMIN)) {
		err = -EBUSY;
		goto out_unused;
	}
	if (!tty->count && !tty->disc_data) {
		err = n_tty_open(tty);
		if (err)
			goto out_unused;
		tty_clear_flag(tty, TTY_HUPPED);
	}
	tty->count++;
	if (drv->ops->open)
		err = drv->ops->open(tty, file);
	if (err && !--tty->count)
		tty_last_close(tty);
	mutex_unlock(&tty_mutex);
	return err ? ERR_PTR(err) : tty;

out_unused:
	if (!tty->count && !tty->link)
		tty_free(tty);
	mutex_unlock(&tty_mutex);
	return ERR_PTR(err);
}

/* ---- /dev/tty and /dev/console ------------------------------------------ */

/* /dev/tty: another open of the caller's controlling terminal. */
static struct tty_struct *open_current_tty(struct file *file)
{
	struct tty_struct *tty;
	int err = 0;

	mutex_lock(&tty_mutex);
	spin_lock(&tasklist_lock);
	tty = current->signal->tty;
	spin_unlock(&tasklist_lock);
	if (!tty) {
		mutex_unlock(&tty_mutex);
		return ERR_PTR(-ENXIO);
	}
	tty->count++;
	if (tty->driver->ops->open)
		err = tty->driver->ops->open(tty, file);
	if (err && !--tty->count)
		tty_last_close(tty);
	mutex_unlock(&tty_mutex);
	return err ? ERR_PTR(err) : tty;
}

/* console=NAMEn (late pass): remember whether the last one was ttyN. */
static int tty_console_setup(char *value)
{
	size_t n = strlen(VT_CONSOLE_NAME);
	int minor = 0;

	if (!value)
		return 0;
	if (strncmp(value, VT_CONSOLE_NAME, n) || value[n] < '0' ||
	    value[n] > '9') {
		console_vt_minor = CONSOLE_NONE;
		return 0;
	}
	for (; value[n] >= '0' && value[n] <= '9'; n++)
		minor = minor * 10 + (value[n] - '0');
	console_vt_minor = minor;
	return 0;
}
__setup("console", tty_console_setup);

void tty_set_console_vt(struct tty_driver *drv, int (*fg_index)(void))
{
	mutex_lock(&tty_mutex);
	console_vt_driver = drv;
	console_vt_fg_index = fg_index;
	mutex_unlock(&tty_mutex);
}

/* The driver and index /dev/console stands for. tty_mutex held. */
static struct tty_driver *console_driver(int *index)
{
	struct tty_driver *drv = console_vt_driver;
	int minor = console_vt_minor;

	lockdep_assert_held(&tty_mutex);
	if (drv && minor != CONSOLE_NONE) {
		if (!minor && console_vt_fg_index)
			minor = (int)drv->minor_start + console_vt_fg_index();
		if (minor >= (int)drv->minor_start &&
		    minor - drv->minor_start < drv->num) {
			*index = minor - (int)drv->minor_start;
			return drv;
		}
	}
	*index = 0;
	return driver_by_name(SERIAL_CONSOLE_NAME);
}

static struct tty_struct *open_console(struct file *file)
{
	struct tty_driver *drv;
	int index;

	mutex_lock(&tty_mutex);
	drv = console_driver(&index);
	mutex_unlock(&tty_mutex);
	if (!drv)
		return ERR_PTR(-ENODEV);
	return tty_open_by_driver(drv, index, file);
}

/* ---- file operations ---------------------------------------------------- */

/* What an open file of a tty holds (file->private_data). */
struct tty_file {
	struct tty_struct *tty;
	unsigned int hangups; /* tty->hangups when it was opened */
	bool console; /* opened as /dev/console: survives hangups */
};

static struct tty_struct *file_tty(struct file *file)
{
	return ((struct tty_file *)file->private_data)->tty;
}

bool tty_hung_up(struct tty_struct *tty, struct file *file)
{
	struct tty_file *tf = file->private_data;

	if (tty_test_flag(tty, TTY_HUPPED))
		return true;
	return tf && tf->tty == tty && !tf->console &&
	       tf->hangups != READ_ONCE(tty->hangups);
}

void tty_vhangup(struct tty_struct *tty)
{
	lockdep_assert_held(&tty_mutex);
	WRITE_ONCE(tty->hangups, tty->hangups + 1);
	wake_up_interruptible_all(&tty->read_wait);
	wake_up_interruptible_all(&tty->write_wait);
}

static int tty_open(struct inode *inode, struct file *file)
{
	struct tty_driver *drv;
	struct tty_struct *tty;
	struct tty_file *tf;
	dev_t dev = inode->i_rdev;
	bool noctty = file->f_flags & O_NOCTTY;
	int index;

	tf = kzalloc(sizeof(*tf), GFP_KERNEL);
	if (!tf)
		return -ENOMEM;

	if (dev == MKDEV(TTYAUX_MAJOR, TTY_DEV_MINOR)) {
		tty = open_current_tty(file);
		noctty = true;
	} else if (dev == MKDEV(TTYAUX_MAJOR, CONSOLE_DEV_MINOR)) {
		tty = open_console(file);
		noctty = true; /* as Linux: never a ctty through console */
		tf->console = true;
	} else if (dev == MKDEV(TTYAUX_MAJOR, PTMX_DEV_MINOR)) {
		tty = ptmx_open_tty(file);
		noctty = true;
	} else {
		mutex_lock(&tty_mutex);
		drv = driver_of(dev, &index);
		mutex_unlock(&tty_mutex);
		tty = drv ? tty_open_by_driver(drv, index, file) :
			    ERR_PTR(-ENODEV);
	}
	if (IS_ERR(tty)) {
		kfree(tf);
		return (int)PTR_ERR(tty);
	}
	tf->tty = tty;
	tf->hangups = READ_ONCE(tty->hangups);
	file->private_data = tf;
	if (!noctty) {
		mutex_lock(&tty_mutex);
		tty_open_set_ctty(tty, file);
		mutex_unlock(&tty_mutex);
	}
	return 0;
}

static int tty_release(struct inode *inode, struct file *file)
{
	struct tty_struct *tty = file_tty(file);

	mutex_lock(&tty_mutex);
	tty->count--;
	if (tty->driver->ops->close)
		tty->driver->ops->close(tty, file);
	if (!tty->count)
		tty_last_close(tty);
	mutex_unlock(&tty_mutex);
	kfree(file->private_data);
	return 0;
}

static ssize_t tty_read(struct file *file, char __user *buf, size_t n,
			loff_t *pos)
{
	struct tty_struct *tty = file_tty(file);

	if (tty_hung_up(tty, file))
		return 0; /* as Linux's hung_up_tty_read */
	return n_tty_read(tty, file, buf, n);
}

static ssize_t tty_write(struct file *file, const char __user *buf, size_t n,
			 loff_t *pos)
{
	struct tty_struct *tty = file_tty(file);

	if (tty_hung_up(tty, file))
		return -EIO;
	return n_tty_write(tty, file, buf, n);
}

static unsigned int tty_poll(struct file *file, struct poll_table_struct *pt)
{
	return n_tty_poll(file_tty(file), file, pt);
}

static long tty_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct tty_struct *tty = file_tty(file);
	long ret;

	if (tty_hung_up(tty, file) && cmd != TIOCGPTN)
		return cmd == TIOCNOTTY ? 0 : -EIO;
	ret = tty_jobctrl_ioctl(tty, file, cmd, arg);
	if (ret != -ENOIOCTLCMD)
		return ret;
	if (tty->driver->ops->ioctl) {
		ret = tty->driver->ops->ioctl(tty, cmd, arg);
		if (ret != -ENOIOCTLCMD)
			return ret;
	}
	return tty_mode_ioctl(tty, file, cmd, arg);
}

const struct file_operations tty_fops = {
	.open = tty_open,
	.release = tty_release,
	.read = tty_read,
	.write = tty_write,
	.poll = tty_poll,
	.ioctl = tty_ioctl,
	.llseek = no_llseek,
};

/* ---- the driver side ---------------------------------------------------- */

int tty_driver_write(struct tty_struct *tty, const unsigned char *buf, int n)
{
	if (!tty->driver->ops->write)
		return n;
	return tty->driver->ops->write(tty, buf, n);
}

unsigned int tty_write_room(struct tty_struct *tty)
{
	if (!tty->driver->ops->write_room)
		return N_TTY_ROOM_UNLIMITED;
	return tty->driver->ops->write_room(tty);
}

void tty_insert_flip_string(struct tty_struct *tty, const unsigned char *s,
			    size_t n)
{
	unsigned long flags, sigs;
	bool wake;
	int sig;

	spin_lock_irqsave(&tty->ldisc_lock, flags);
	sigs = n_tty_receive(tty, s, n, &wake);
	spin_unlock_irqrestore(&tty->ldisc_lock, flags);
	n_tty_flush_echo(tty);
	if (wake)
		wake_up_interruptible_all(&tty->read_wait);
	/* ^Q restarted output, or a signal flushed the input. */
	wake_up_interruptible_all(&tty->write_wait);
	for (sig = 1; sigs; sig++, sigs >>= 1)
		if (sigs & 1)
			tty_signal_pgrp(tty, sig);
}

void tty_wakeup(struct tty_struct *tty)
{
	wake_up_interruptible_all(&tty->write_wait);
}

void tty_hangup(struct tty_struct *tty)
{
	tty_set_flag(tty, TTY_HUPPED);
	WRITE_ONCE(tty->hangups, tty->hangups + 1);
	tty_hangup_session(tty);
	if (tty->driver->ops->hangup)
		tty->driver->ops->hangup(tty);
	wake_up_interruptible_all(&tty->read_wait);
	wake_up_interruptible_all(&tty->write_wait);
}

/* /dev/tty, /dev/console and /dev/ptmx: major 5, minors 0..2. */
static int tty_aux_init(void)
{
	int err = __register_chrdev(TTYAUX_MAJOR, TTY_DEV_MINOR, 3, "/dev/tty",
				    &tty_fops);

	if (err < 0)
		return err;
	device_create(&tty_class, NULL, MKDEV(TTYAUX_MAJOR, TTY_DEV_MINOR),
		      NULL, "tty");
	device_create(&tty_class, NULL, MKDEV(TTYAUX_MAJOR, CONSOLE_DEV_MINOR),
		      NULL, "console");
	device_create(&tty_class, NULL, MKDEV(TTYAUX_MAJOR, PTMX_DEV_MINOR),
		      NULL, "ptmx");
	return 0;
}

/*
 * The tty core at boot (an fs_initcall, as Linux's chr_dev_init ->
 * tty_init): the job-control signal thread, class tty, /dev/tty,
 * /dev/console and /dev/ptmx, the ptys and the devpts type, and the
 * virtual consoles. The serial driver registers ttyS0 later, with its
 * platform device (a device_initcall).
 */
static int tty_init(void)
{
	int err;

	err = tty_signal_thread_init();
	if (!err)
		err = class_register(&tty_class);
	if (!err)
		err = tty_aux_init();
	if (!err)
		err = pty_init();
	if (!err)
		err = vt_init();
	if (err)
		pr_err("tty: initialisation failed: error %d\n", err);
	return err;
}
fs_initcall(tty_init);
