/*
 * The 8250/16550 UART (National Semiconductor PC16550D datasheet,
 * "Registers"). Offsets are from the port base; COM1 is at 0x3f8.
 */
#ifndef _DRIVERS_TTY_SERIAL_8250_H
#define _DRIVERS_TTY_SERIAL_8250_H

#define UART_COM1_BASE 0x3f8
#define UART_COM1_IRQ 4
#define UART_CLOCK_HZ 1843200 /* the PC's crystal */
#define UART_BAUD_BASE (UART_CLOCK_HZ / 16)

#define UART_TX 0 /* out: transmit holding register (DLAB = 0) */
#define UART_RX 0 /* in: receive buffer (DLAB = 0) */
#define UART_DLL 0 /* divisor latch low (DLAB = 1) */
#define UART_DLM 1 /* divisor latch high (DLAB = 1) */
#define UART_IER 1 /* interrupt enable */
#define UART_IIR 2 /* in: interrupt identification (section 8.6) */
#define UART_FCR 2 /* out: FIFO control */
#define UART_LCR 3 /* line control */
#define UART_MCR 4 /* modem control */
#define UART_LSR 5 /* line status */

#define UART_LCR_WLEN8 0x03 /* 8 data bits, 1 stop bit, no parity */
#define UART_LCR_DLAB 0x80 /* divisor latch access */
#define UART_FCR_ENABLE_FIFO 0x01
#define UART_FCR_CLEAR_RCVR 0x02
#define UART_FCR_CLEAR_XMIT 0x04
#define UART_FCR_TRIGGER_14 0xc0
#define UART_MCR_DTR 0x01
#define UART_MCR_RTS 0x02
#define UART_MCR_OUT2 0x08 /* gates the IRQ line on PCs */
#define UART_LSR_DR 0x01 /* data ready */
#define UART_LSR_THRE 0x20 /* transmit holding register empty */
#define UART_IER_RDI 0x01 /* interrupt on received data */
#define UART_IER_THRI 0x02 /* interrupt on transmitter holding empty */
#define UART_IIR_NO_INT 0x01 /* no interrupt pending (section 8.6) */
#define UART_FIFO_SIZE 16 /* bytes in each FIFO (section 8.4) */

/* TIOCGSERIAL's port type for a 16550A (Linux's serial_core.h). */
#define PORT_16550A 4

#endif /* _DRIVERS_TTY_SERIAL_8250_H */
