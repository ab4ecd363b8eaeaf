/*
 * The i8042 keyboard controller of the PC/AT (IBM PC AT Technical
 * Reference, "Keyboard Controller"; the 8042 data sheet's "Status
 * Register" and "Controller Command Byte"), as QEMU's PIIX3 machine
 * emulates it: a data port, a status/command port, IRQ 1 for the
 * keyboard. Bytes written to the data port go to the keyboard itself
 * (its commands: IBM PS/2 Hardware Interface Technical Reference,
 * "Keyboard and Auxiliary Device Controller").
 */
#ifndef _DRIVERS_INPUT_SERIO_I8042_H
#define _DRIVERS_INPUT_SERIO_I8042_H

#define I8042_DATA_REG 0x60 /* read: a byte from the devices */
#define I8042_STATUS_REG 0x64 /* read: status */
#define I8042_COMMAND_REG 0x64 /* write: a controller command */
#define I8042_KBD_IRQ 1

/* Status register bits. */
#define I8042_STR_OBF 0x01 /* output buffer full: data to read */
#define I8042_STR_IBF 0x02 /* input buffer full: don't write yet */
#define I8042_STR_AUXDATA 0x20 /* the byte is from the aux (mouse) port */

/* Controller commands. */
#define I8042_CMD_CTL_RCTR 0x20 /* read the command byte */
#define I8042_CMD_CTL_WCTR 0x60 /* write the command byte */

/* Command byte bits. */
#define I8042_CTR_KBDINT 0x01 /* keyboard interrupt (IRQ 1) on */
#define I8042_CTR_KBDDIS 0x10 /* keyboard clock off */
#define I8042_CTR_XLATE 0x40 /* translate to scancode set 1 */

/* Keyboard commands and answers. */
#define ATKBD_CMD_SETLEDS 0xed /* followed by the LED bits */
#define ATKBD_RET_ACK 0xfa
#define ATKBD_RET_RESEND 0xfe

#define I8042_POLL_LIMIT 100000 /* status reads before giving up */
#define I8042_FLUSH_LIMIT 32 /* stale bytes drained at start */

#endif /* _DRIVERS_INPUT_SERIO_I8042_H */
