/*
 * The virtual consoles (drivers/tty/vt/): tty1..tty4 on the VGA text
 * screen, switched with Alt-F1..F4, fed by the PS/2 keyboard. /dev/tty0
 * is the foreground console. printk's console "tty0" draws into the
 * foreground console from boot (a console_initcall); the tty side comes
 * up with vt_init() once the tty core is there.
 */
#ifndef _KESTREL_VT_H
#define _KESTREL_VT_H

#include <kestrel/types.h>

/*
 * vt_init - register tty0..tty4 (major 4), name the foreground console
 * as /dev/console's terminal for console=tty0 (tty_set_console_vt()).
 * Called by the tty core's initcall, after class tty exists; the
 * keyboard (atkbd.c) starts later, a device_initcall. Returns 0 or
 * -errno. Process context; may sleep.
 */
int vt_init(void);

/*
 * vt_keyboard_input - one scancode byte from the keyboard controller:
 * decode it, switch consoles or send the bytes to the foreground
 * console's tty. Returns the new lock-key LED bits (LED_SCR, LED_NUM,
 * LED_CAP of <uapi/vt.h>) when they changed, else -1. Interrupt
 * context (the keyboard's IRQ); takes vt_lock and the input lock.
 */
int vt_keyboard_input(u8 scancode);

#endif /* _KESTREL_VT_H */
