/*
 * The 8250/16550 serial port (COM1, 115200 baud, 8N1): printk's
 * console and the tty driver "ttyS" (major 4, minor 64: /dev/ttyS0).
 *
 * Two paths share the UART:
 *
 *   - the console writes polled, one byte at a time after waiting
 *     for the transmitter holding register to empty (THRE), with
 *     interrupts off: it works from an oops and never loses a byte;
 *   - the tty path is interrupt driven. ->write copies into a
 *     transmit ring and enables the THRE interrupt; each interrupt
 *     moves up to 16 bytes (one FIFO) from the ring to the UART and
 *     wakes the writers. Received bytes are read out of the receive
 *     FIFO in the same handler and pushed up to the line discipline.
 *
 * When both paths write, their bytes interleave, but since the
 * handler only fills the FIFO when THRE says it is empty and the
 * console waits for THRE before each byte, the FIFO never overflows.
 *
 * Locking: port.rx_lock (irqsave) guards port.tty for the receive
 * path, which calls into the line discipline (and, for echo, back into
 * ->write); port.tx_lock (irqsave) guards the transmit ring and IER.
 * Order: rx_lock, then the tty's ldisc_lock, then tx_lock.
 */
#include "8250.h"
#include <asm/io.h>
#include <kestrel/init.h>
#include <kestrel/console.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/interrupt.h>
#include <kestrel/ioport.h>
#include <kestrel/irqflags.h>
#include <kestrel/platform_device.h>
#include <kestrel/string.h>
#include <kestrel/tty.h>
#include <kestrel/uaccess.h>
#include <uapi/ioctls.h>

#define SERIAL_CONSOLE_BAUD 115200
#define SERIAL_TTY_BAUD B115200
#define THRE_SPIN_LIMIT 100000 /* give up on a dead UART, don't hang */
#define UART_XMIT_SIZE 4096 /* the transmit ring; a power of two */
#define UART_RX_BATCH 64 /* bytes pushed up at once */
#define TTY_MAJOR 4
#define SERIAL_MINOR_START 64 /* ttyS0 is 4:64 */
#define SERIAL_NR_PORTS 1

/* TIOCGSERIAL's answer, as the Linux i386 ABI lays it out. */
struct serial_struct {
	int type, line;
	unsigned int port;
	int irq, flags, xmit_fifo_size, custom_divisor, baud_base;
	unsigned short close_delay;
	char io_type, reserved_char[1];
	int hub6;
	unsigned short closing_wait, closing_wait2;
	unsigned int iomem_base; /* a user pointer on i386 */
	unsigned short iomem_reg_shift;
	unsigned int port_high;
	unsigned long iomap_base;
};
_Static_assert(sizeof(struct serial_struct) == 60, "struct serial_struct");

static struct uart_port {
	unsigned short base;
	int irq;
	spinlock_t rx_lock; /* tty, for the receive path */
	struct tty_struct *tty; /* the open ttyS0 (rx_lock) */
	spinlock_t tx_lock; /* xmit, head, tail, ier */
	unsigned char xmit[UART_XMIT_SIZE];
	unsigned int head, tail; /* free-running */
	unsigned char ier;
} port = {
	.base = UART_COM1_BASE,
	.irq = UART_COM1_IRQ,
	.rx_lock = __SPIN_LOCK_UNLOCKED(port.rx_lock),
	.tx_lock = __SPIN_LOCK_UNLOCKED(port.tx_lock),
};

/* ---- the console: polled --------------------------------------------- */

static void serial_init_port(unsigned short base, unsigned int baud)
{
	unsigned int divisor = UART_BAUD_BASE / baud;

	outb(0, base + UART_IER); /* no interrupts until a tty opens */
	outb(UART_LCR_DLAB, base + UART_LCR);
	outb(divisor & 0xff, base + UART_DLL);
	outb(divisor >> 8, base + UART_DLM);
	outb(UART_LCR_WLEN8, base + UART_LCR);
	outb(UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR_RCVR | UART_FCR_CLEAR_XMIT |
		     UART_FCR_TRIGGER_14,
	     base + UART_FCR);
	outb(UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2, base + UART_MCR);
}

static void serial_putc(unsigned short base, char c)
{
	unsigned int spin = 0;

	while (!(inb(base + UART_LSR) & UART_LSR_THRE) &&
	       spin++ < THRE_SPIN_LIMIT)
		;
	outb((unsigned char)c, base + UART_TX);
}

static void serial_console_write(struct console *con, const char *s,
				 unsigned int len, int level)
{
	unsigned long flags;

	local_irq_save(flags); /* the THRE handler waits meanwhile */
	while (len--) {
		if (*s == '\n')
			serial_putc(port.base, '\r');
		serial_putc(port.base, *s++);
	}
	local_irq_restore(flags);
}

static struct console serial_console = {
	.name = "ttyS",
	.index = 0,
	.write = serial_console_write,
};

static void serial_console_init(void)
{
	serial_init_port(port.base, SERIAL_CONSOLE_BAUD);
	register_console(&serial_console);
}
console_initcall(serial_console_init);

/* ---- transmit ------------------------------------------------------------ */

static unsigned int xmit_count(void)
{
	return port.head - port.tail;
}

/* Fill the FIFO from the ring if the UART is ready (@lsr, the line
 * status just read, has THRE). tx_lock held. */
static void start_tx(unsigned char lsr)
{
	unsigned int n = 0;

	lockdep_assert_held(&port.tx_lock);
	if (!(lsr & UART_LSR_THRE))
		return;
	while (n++ < UART_FIFO_SIZE && port.tail != port.head)
		outb(port.xmit[port.tail++ & (UART_XMIT_SIZE - 1)],
		     port.base + UART_TX);
}

/* Want the THRE interrupt exactly while the ring has bytes. tx_lock. */
static void update_thri(void)
{
	unsigned char ier = port.ier & ~UART_IER_THRI;

	if (xmit_count())
		ier |= UART_IER_THRI;
	if (ier != port.ier) {
		port.ier = ier;
		outb(ier, port.base + UART_IER);
	}
}

static int serial_write(struct tty_struct *tty, const unsigned char *buf, int n)
{
	unsigned long flags;
	int done = 0;

	spin_lock_irqsave(&port.tx_lock, flags);
	while (done < n && xmit_count() < UART_XMIT_SIZE)
		port.xmit[port.head++ & (UART_XMIT_SIZE - 1)] = buf[done++];
	start_tx(inb(port.base + UART_LSR));
	update_thri();
	spin_unlock_irqrestore(&port.tx_lock, flags);
	return done;
}

static unsigned int serial_write_room(struct tty_struct *tty)
{
	return UART_XMIT_SIZE - READ_ONCE(port.head) + READ_ONCE(port.tail);
}

static unsigned int serial_chars_in_buffer(struct tty_struct *tty)
{
	return READ_ONCE(port.head) - READ_ONCE(port.tail);
}

/* ---- the interrupt ------------------------------------------------------ */

/* The interrupt saw DR: read the FIFO while it holds data. */
static void receive_chars(void)
{
	unsigned char buf[UART_RX_BATCH];
	unsigned int n = 0;

	do
		buf[n++] = inb(port.base + UART_RX);
	while (n < sizeof(buf) && (inb(port.base + UART_LSR) & UART_LSR_DR));
	spin_lock(&port.rx_lock);
	if (port.tty && n)
		tty_insert_flip_string(port.tty, buf, n);
	spin_unlock(&port.rx_lock);
}

static void transmit_chars(unsigned char lsr)
{
	spin_lock(&port.tx_lock);
	start_tx(lsr);
	update_thri();
	spin_unlock(&port.tx_lock);
	spin_lock(&port.rx_lock);
	if (port.tty)
		tty_wakeup(port.tty);
	spin_unlock(&port.rx_lock);
}

static irqreturn_t serial_irq(int irq, void *dev_id)
{
	bool handled = false;
	unsigned char lsr;

	while (!(inb(port.base + UART_IIR) & UART_IIR_NO_INT)) {
		handled = true;
		lsr = inb(port.base + UART_LSR);
		if (lsr & UART_LSR_DR)
			receive_chars();
		/* THRE is set whenever the transmitter is idle: send only
		 * while we asked for the interrupt (output is queued). */
		if ((lsr & UART_LSR_THRE) &&
		    (READ_ONCE(port.ier) & UART_IER_THRI))
			transmit_chars(lsr);
	}
	return handled ? IRQ_HANDLED : IRQ_NONE;
}

/* ---- the tty driver ---------------------------------------------------- */

static int serial_open(struct tty_struct *tty, struct file *file)
{
	unsigned long flags;

	if (tty->count > 1)
		return 0;
	spin_lock_irqsave(&port.rx_lock, flags);
	port.tty = tty;
	spin_unlock_irqrestore(&port.rx_lock, flags);
	spin_lock_irqsave(&port.tx_lock, flags);
	port.ier |= UART_IER_RDI;
	outb(port.ier, port.base + UART_IER);
	spin_unlock_irqrestore(&port.tx_lock, flags);
	return 0;
}

static void serial_close(struct tty_struct *tty, struct file *file)
{
	unsigned long flags;

	if (tty->count)
		return;
	spin_lock_irqsave(&port.rx_lock, flags);
	port.tty = NULL;
	spin_unlock_irqrestore(&port.rx_lock, flags);
	spin_lock_irqsave(&port.tx_lock, flags);
	port.ier &= ~UART_IER_RDI;
	outb(port.ier, port.base + UART_IER);
	spin_unlock_irqrestore(&port.tx_lock, flags);
}

static int serial_ioctl(struct tty_struct *tty, unsigned int cmd,
			unsigned long arg)
{
	struct serial_struct ss;

	if (cmd != TIOCGSERIAL)
		return -ENOIOCTLCMD;
	memset(&ss, 0, sizeof(ss));
	ss.type = PORT_16550A;
	ss.line = tty->index;
	ss.port = port.base;
	ss.irq = port.irq;
	ss.xmit_fifo_size = UART_FIFO_SIZE;
	ss.baud_base = UART_BAUD_BASE;
	return copy_to_user((void __user *)(uintptr_t)arg, &ss, sizeof(ss)) ?
		       -EFAULT :
		       0;
}

static const struct tty_operations serial_ops = {
	.open = serial_open,
	.close = serial_close,
	.write = serial_write,
	.write_room = serial_write_room,
	.chars_in_buffer = serial_chars_in_buffer,
	.ioctl = serial_ioctl,
};

static struct tty_driver serial_driver = {
	.name = "ttyS",
	.major = TTY_MAJOR,
	.minor_start = SERIAL_MINOR_START,
	.num = SERIAL_NR_PORTS,
	.flags = TTY_DRIVER_NAME_BY_INDEX | TTY_DRIVER_DYNAMIC_DEV,
	.ops = &serial_ops,
};

static int serial8250_tty_init(void)
{
	struct device *dev;
	int err;

	tty_std_termios(&serial_driver.init_termios, SERIAL_TTY_BAUD);
	err = request_irq(port.irq, serial_irq, 0, "serial", NULL);
	if (err)
		return err;
	err = tty_register_driver(&serial_driver);
	if (err)
		return err;
	/* ttyS0 under its port's platform device, registered at boot. */
	dev = tty_register_device(&serial_driver, 0,
				  serial8250_device ? &serial8250_device->dev :
						      NULL);
	return IS_ERR(dev) ? PTR_ERR(dev) : 0;
}

/*
 * The port in the device model: the platform device "serial8250"
 * (/sys/devices/platform/serial8250, claiming the port's registers and
 * IRQ) bound to the platform driver "serial8250", whose attributes
 * describe the port as Linux's /sys/class/tty/ttyS0/ files do.
 */
#define UART_NR_REGS 8 /* registers at base + 0..7 (16550 datasheet) */

struct platform_device *serial8250_device;

static ssize_t port_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "0x%X\n", port.base);
}
static DEVICE_ATTR_RO(port);

static ssize_t irq_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	return sysfs_emit(buf, "%d\n", port.irq);
}
static DEVICE_ATTR_RO(irq);

static ssize_t uartclk_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%u\n", UART_CLOCK_HZ);
}
static DEVICE_ATTR_RO(uartclk);

static struct attribute *serial8250_attrs[] = {
	&dev_attr_port.attr,
	&dev_attr_irq.attr,
	&dev_attr_uartclk.attr,
	NULL,
};
ATTRIBUTE_GROUPS(serial8250);

static struct platform_driver serial8250_platform_driver = {
	.driver = { .name = "serial8250", .dev_groups = serial8250_groups },
};

/*
 * COM1 as the platform device "serial8250" with its driver (attributes
 * port, irq, uartclk), then the ttyS driver with ttyS0 under it.
 */
static int serial8250_platform_init(void)
{
	const struct resource res[] = {
		DEFINE_RES_IO_NAMED(UART_COM1_BASE, UART_NR_REGS, "serial"),
		DEFINE_RES_IRQ(UART_COM1_IRQ),
	};
	int err = platform_driver_register(&serial8250_platform_driver);

	if (err)
		return err;
	serial8250_device = platform_device_register_simple(
		"serial8250", PLATFORM_DEVID_NONE, res, ARRAY_SIZE(res));
	if (IS_ERR(serial8250_device)) {
		err = PTR_ERR(serial8250_device);
		serial8250_device = NULL;
	}
	return err;
}

/* A device_initcall, after the tty core (an fs_initcall). */
static int serial8250_init(void)
{
	int err = serial8250_platform_init();

	if (err) /* ttyS0 still works, only not under its device */
		pr_err("serial8250: no platform device: error %d\n", err);
	return serial8250_tty_init();
}
device_initcall(serial8250_init);
