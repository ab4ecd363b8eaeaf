/*
 * The 8250/16550 serial port as the kernel console (ttyS0 on COM1,
 * 115200 baud, 8N1). Output is polled: the console must work with
 * interrupts off and from an oops. Input arrives by the receive
 * interrupt and goes to the handler serial_rx_start() installed (the
 * console device); the full tty driver comes with the TTY layer.
 */
#include "8250.h"
#include <asm/io.h>
#include <kestrel/console.h>
#include <kestrel/interrupt.h>
#include <kestrel/serial.h>

#define SERIAL_CONSOLE_BAUD 115200
#define THRE_SPIN_LIMIT 100000 /* give up on a dead UART, don't hang */

static const unsigned short serial_base = UART_COM1_BASE;

static void serial_init_port(unsigned short base, unsigned int baud)
{
	unsigned int divisor = UART_BAUD_BASE / baud;

	outb(0, base + UART_IER); /* no interrupts: the console polls */
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
	while (len--) {
		if (*s == '\n')
			serial_putc(serial_base, '\r');
		serial_putc(serial_base, *s++);
	}
}

static void (*rx_handler)(char c);

static irqreturn_t serial_irq(int irq, void *dev_id)
{
	bool handled = false;

	while (inb(serial_base + UART_LSR) & UART_LSR_DR) {
		char c = (char)inb(serial_base + UART_RX);

		handled = true;
		if (rx_handler)
			rx_handler(c);
	}
	return handled ? IRQ_HANDLED : IRQ_NONE;
}

int serial_rx_start(void (*receive)(char c))
{
	int err;

	rx_handler = receive;
	err = request_irq(UART_COM1_IRQ, serial_irq, 0, "serial", NULL);
	if (err)
		return err;
	outb(UART_IER_RDI, serial_base + UART_IER);
	return 0;
}

static struct console serial_console = {
	.name = "ttyS",
	.index = 0,
	.write = serial_console_write,
};

static void serial_console_init(void)
{
	serial_init_port(serial_base, SERIAL_CONSOLE_BAUD);
	register_console(&serial_console);
}
console_initcall(serial_console_init);
