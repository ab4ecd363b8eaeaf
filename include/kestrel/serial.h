/*
 * The serial console's input side (drivers/tty/serial/8250.c), until
 * the TTY layer owns the port.
 */
#ifndef _KESTREL_SERIAL_H
#define _KESTREL_SERIAL_H

/*
 * Turn on the receive interrupt of the console port; @receive is called
 * with each byte, from the interrupt handler. Process context, once.
 */
int serial_rx_start(void (*receive)(char c));

#endif /* _KESTREL_SERIAL_H */
