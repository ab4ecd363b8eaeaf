/*
 * /dev/console and /dev/tty (major 5, minors 1 and 0), enough for
 * programs until the TTY layer exists: output goes to every enabled
 * kernel console (serial and VGA) as it is, input comes from the serial
 * port's receive interrupt into a small ring. Input carriage returns
 * become newlines and are echoed (what a terminal in its default cooked
 * mode shows), and termios queries get a fixed cooked-mode answer so
 * isatty() holds; real line editing, job control and termios settings
 * come with the TTY layer (drivers/tty/, the next issue).
 */
#include <kestrel/console.h>
#include <kestrel/devtmpfs.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/poll.h>
#include <kestrel/sched.h>
#include <kestrel/serial.h>
#include <kestrel/string.h>
#include <kestrel/uaccess.h>
#include <kestrel/wait.h>
#include <uapi/fcntl.h>
#include <uapi/ioctls.h>
#include <uapi/termbits.h>

#define TTYAUX_MAJOR 5
#define CONSOLE_MINOR 1
#define TTY_MINOR 0
#define INPUT_RING 1024 /* a power of two */
#define WRITE_CHUNK 256
#define CONSOLE_ROWS 25
#define CONSOLE_COLS 80

static struct {
	spinlock_t lock; /* buf, head, tail */
	char buf[INPUT_RING];
	unsigned int head, tail; /* free-running; head - tail = count */
	struct wait_queue_head wait; /* readers */
} input = {
	.lock = __SPIN_LOCK_UNLOCKED(input.lock),
	.wait = __WAIT_QUEUE_HEAD_INITIALIZER(input.wait),
};

/* From the serial receive interrupt. */
static void console_receive(char c)
{
	unsigned long flags;

	if (c == '\r')
		c = '\n';
	spin_lock_irqsave(&input.lock, flags);
	if (input.head - input.tail < INPUT_RING)
		input.buf[input.head++ % INPUT_RING] = c;
	spin_unlock_irqrestore(&input.lock, flags);
	console_write_raw(&c, 1); /* echo */
	wake_up_interruptible(&input.wait);
}

static bool input_ready(void)
{
	return READ_ONCE(input.head) != READ_ONCE(input.tail);
}

static size_t input_take(char *dst, size_t n)
{
	unsigned long flags;
	size_t got = 0;

	spin_lock_irqsave(&input.lock, flags);
	while (got < n && input.tail != input.head) {
		dst[got] = input.buf[input.tail++ % INPUT_RING];
		if (dst[got++] == '\n')
			break; /* one line per read, as a cooked tty */
	}
	spin_unlock_irqrestore(&input.lock, flags);
	return got;
}

static ssize_t console_read(struct file *file, char __user *buf, size_t n,
			    loff_t *pos)
{
	char chunk[WRITE_CHUNK];
	size_t got;
	int err;

	if (!n)
		return 0;
	if (!input_ready()) {
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(input.wait, input_ready());
		if (err)
			return err;
	}
	got = input_take(chunk, n < sizeof(chunk) ? n : sizeof(chunk));
	if (copy_to_user(buf, chunk, got))
		return -EFAULT;
	return (ssize_t)got;
}

static ssize_t console_write(struct file *file, const char __user *buf,
			     size_t n, loff_t *pos)
{
	char chunk[WRITE_CHUNK];
	size_t done = 0, k;

	while (done < n) {
		k = n - done < sizeof(chunk) ? n - done : sizeof(chunk);
		if (copy_from_user(chunk, buf + done, k))
			return done ? (ssize_t)done : -EFAULT;
		console_write_raw(chunk, k);
		done += k;
	}
	return (ssize_t)done;
}

static unsigned int console_poll(struct file *file,
				 struct poll_table_struct *pt)
{
	poll_wait(file, &input.wait, pt);
	return POLLOUT | POLLWRNORM | (input_ready() ? POLLIN | POLLRDNORM : 0);
}

/* The answer of a terminal in its default cooked mode at 115200 baud. */
static void default_termios(struct termios *t)
{
	static const cc_t cc[] = { 3,  28, 127, 21, 4,	0,  1,	0,
				   17, 19, 26,	0,  18, 15, 23, 22 };

	memset(t, 0, sizeof(*t));
	t->c_iflag = ICRNL | IXON;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = B115200 | CS8 | CREAD | HUPCL;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE |
		     IEXTEN;
	memcpy(t->c_cc, cc, sizeof(cc));
}

static long console_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct winsize ws = { .ws_row = CONSOLE_ROWS, .ws_col = CONSOLE_COLS };
	struct termios t;

	switch (cmd) {
	case TCGETS:
		default_termios(&t);
		return copy_to_user((void __user *)arg, &t, sizeof(t)) ?
			       -EFAULT :
			       0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return 0; /* accepted; modes come with the TTY layer */
	case TIOCGWINSZ:
		return copy_to_user((void __user *)arg, &ws, sizeof(ws)) ?
			       -EFAULT :
			       0;
	default:
		return -ENOTTY;
	}
}

static const struct file_operations console_fops = {
	.read = console_read,
	.write = console_write,
	.poll = console_poll,
	.ioctl = console_ioctl,
	.open = nonseekable_open,
};

int console_dev_init(void)
{
	int err = __register_chrdev(TTYAUX_MAJOR, TTY_MINOR, 2, "/dev/tty",
				    &console_fops);

	if (err < 0)
		return err;
	serial_rx_start(console_receive);
	devtmpfs_create_node("console", S_IFCHR | 0600,
			     MKDEV(TTYAUX_MAJOR, CONSOLE_MINOR));
	devtmpfs_create_node("tty", S_IFCHR | 0666,
			     MKDEV(TTYAUX_MAJOR, TTY_MINOR));
	return 0;
}
