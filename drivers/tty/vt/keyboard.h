/*
 * The keyboard decoder of the virtual consoles (keyboard.c): PC scancode
 * set 1 bytes, as the i8042 delivers them with translation on, become
 * the bytes a Linux console with the US keymap sends to programs, or a
 * console switch (Alt-Fn). Pure code: the driver (vt.c) feeds it one
 * byte at a time from the keyboard interrupt, under its lock.
 */
#ifndef _DRIVERS_TTY_VT_KEYBOARD_H
#define _DRIVERS_TTY_VT_KEYBOARD_H

#include <kestrel/types.h>

/* Scancode set 1 framing (IBM PC AT Technical Reference, keyboard). */
#define SC_BREAK 0x80 /* set in a key's release code */
#define SC_PREFIX_E0 0xe0 /* the next code is an extended key */
#define SC_PREFIX_E1 0xe1 /* Pause: two more bytes follow */
#define SC_PAUSE_BYTES 2

/* kbd_state.mods: modifier keys held. */
#define KBD_MOD_LSHIFT 0x01
#define KBD_MOD_RSHIFT 0x02
#define KBD_MOD_LCTRL 0x04
#define KBD_MOD_RCTRL 0x08
#define KBD_MOD_LALT 0x10
#define KBD_MOD_RALT 0x20
#define KBD_MOD_SHIFT (KBD_MOD_LSHIFT | KBD_MOD_RSHIFT)
#define KBD_MOD_CTRL (KBD_MOD_LCTRL | KBD_MOD_RCTRL)
#define KBD_MOD_ALT (KBD_MOD_LALT | KBD_MOD_RALT)

/* kbd_state.locks: the lock states, in the bit order of the PS/2 "set
 * LEDs" command byte (scroll 0, num 1, caps 2). */
#define KBD_LOCK_SCROLL 0x01
#define KBD_LOCK_NUM 0x02
#define KBD_LOCK_CAPS 0x04

/* kbd_decode() flags: the foreground console's modes. */
#define KBD_APP_CURSOR 0x01 /* DECCKM: arrows send ESC O x */

#define KBD_OUT_MAX 8 /* longest output of one key ("ESC [ 2 4 ~") */
#define KBD_NO_SWITCH (-1)

struct kbd_state {
	unsigned int mods; /* KBD_MOD_* held */
	unsigned int locks; /* KBD_LOCK_* on */
	unsigned int held_locks; /* lock keys down: repeats don't toggle */
	bool extended; /* an 0xE0 prefix came */
	unsigned int skip; /* bytes of a Pause sequence still to drop */
};

/* What one scancode byte did. */
struct kbd_event {
	unsigned int len; /* bytes in buf for the foreground tty */
	char buf[KBD_OUT_MAX];
	int console; /* console to switch to (0-based), or KBD_NO_SWITCH */
	bool leds_changed; /* locks changed: update the LEDs */
};

/* kbd_init - no keys held, all locks off (Linux's boot state). */
void kbd_init(struct kbd_state *kbd);

/*
 * kbd_decode - feed one scancode byte
 * @flags: KBD_APP_CURSOR if the foreground console asked for it.
 * Fills @ev (always: len 0 and no switch when the byte only changed the
 * state). Context: any; the caller serialises calls on one @kbd.
 */
void kbd_decode(struct kbd_state *kbd, u8 code, unsigned int flags,
		struct kbd_event *ev);

#endif /* _DRIVERS_TTY_VT_KEYBOARD_H */
