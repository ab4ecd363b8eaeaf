/*
 * Scancodes to bytes: the virtual consoles' keyboard decoder.
 *
 * The i8042 controller translates what the keyboard sends into scancode
 * set 1, the IBM PC/XT code: one byte per key press ("make"), the same
 * byte with bit 7 set on release ("break"). Keys added with the AT
 * 101-key layout (the separate arrows, Insert..Page Down, right Ctrl and
 * Alt, keypad Enter and /) come as 0xE0 followed by a set 1 code; Pause
 * sends E1 1D 45 E1 9D C5 and has no release.
 *
 * A press is looked up in this order:
 *   1. modifiers and lock keys change the state and send nothing;
 *   2. function, cursor and editing keys send the Linux console's
 *      strings (ESC [ A, ESC [ 3 ~, ESC [ [ A...), with Alt-Fn switching
 *      consoles instead;
 *   3. the keypad sends cursor strings with Num Lock off, digits on;
 *   4. the other keys give a character from the US keymap, shifted by
 *      Shift (letters also by Caps Lock), made a control code by Ctrl,
 *      and prefixed with ESC by Alt (Linux's default "meta" mode).
 * Releases only matter for modifiers.
 */
#include "keyboard.h"
#include <kestrel/string.h>

#define ESC 0x1b
#define DEL 0x7f
#define CTRL_MASK 0x1f /* Ctrl-X is X & 0x1f */

/* Set 1 make codes (IBM PC AT Technical Reference, keyboard scan codes). */
#define SC_ESC 0x01
#define SC_BACKSPACE 0x0e
#define SC_ENTER 0x1c
#define SC_LCTRL 0x1d
#define SC_LSHIFT 0x2a
#define SC_RSHIFT 0x36
#define SC_LALT 0x38
#define SC_CAPSLOCK 0x3a
#define SC_F1 0x3b
#define SC_F10 0x44
#define SC_NUMLOCK 0x45
#define SC_SCROLLLOCK 0x46
#define SC_KP7 0x47
#define SC_KP8 0x48
#define SC_KP9 0x49
#define SC_KP_MINUS 0x4a
#define SC_KP4 0x4b
#define SC_KP5 0x4c
#define SC_KP6 0x4d
#define SC_KP_PLUS 0x4e
#define SC_KP1 0x4f
#define SC_KP2 0x50
#define SC_KP3 0x51
#define SC_KP0 0x52
#define SC_KP_DOT 0x53
#define SC_F11 0x57
#define SC_F12 0x58
#define SC_KP_STAR 0x37
/* After 0xE0. */
#define SC_E0_KP_ENTER 0x1c
#define SC_E0_RCTRL 0x1d
#define SC_E0_KP_SLASH 0x35
#define SC_E0_RALT 0x38
#define SC_E0_HOME 0x47
#define SC_E0_UP 0x48
#define SC_E0_PGUP 0x49
#define SC_E0_LEFT 0x4b
#define SC_E0_RIGHT 0x4d
#define SC_E0_END 0x4f
#define SC_E0_DOWN 0x50
#define SC_E0_PGDN 0x51
#define SC_E0_INSERT 0x52
#define SC_E0_DELETE 0x53
#define SC_KEYS 0x59 /* codes below this have an entry in the maps */

/* The US keymap: unshifted and shifted characters, 0 for none. */
static const char plain_map[SC_KEYS] = {
	[SC_ESC] = ESC,	    [0x02] = '1',	  [0x03] = '2',
	[0x04] = '3',	    [0x05] = '4',	  [0x06] = '5',
	[0x07] = '6',	    [0x08] = '7',	  [0x09] = '8',
	[0x0a] = '9',	    [0x0b] = '0',	  [0x0c] = '-',
	[0x0d] = '=',	    [SC_BACKSPACE] = DEL, [0x0f] = '\t',
	[0x10] = 'q',	    [0x11] = 'w',	  [0x12] = 'e',
	[0x13] = 'r',	    [0x14] = 't',	  [0x15] = 'y',
	[0x16] = 'u',	    [0x17] = 'i',	  [0x18] = 'o',
	[0x19] = 'p',	    [0x1a] = '[',	  [0x1b] = ']',
	[SC_ENTER] = '\r',  [0x1e] = 'a',	  [0x1f] = 's',
	[0x20] = 'd',	    [0x21] = 'f',	  [0x22] = 'g',
	[0x23] = 'h',	    [0x24] = 'j',	  [0x25] = 'k',
	[0x26] = 'l',	    [0x27] = ';',	  [0x28] = '\'',
	[0x29] = '`',	    [0x2b] = '\\',	  [0x2c] = 'z',
	[0x2d] = 'x',	    [0x2e] = 'c',	  [0x2f] = 'v',
	[0x30] = 'b',	    [0x31] = 'n',	  [0x32] = 'm',
	[0x33] = ',',	    [0x34] = '.',	  [0x35] = '/',
	[SC_KP_STAR] = '*', [0x39] = ' ',	  [SC_KP_MINUS] = '-',
	[SC_KP_PLUS] = '+', [0x56] = '<',
};

static const char shift_map[SC_KEYS] = {
	[SC_ESC] = ESC,	    [0x02] = '!',	  [0x03] = '@',
	[0x04] = '#',	    [0x05] = '$',	  [0x06] = '%',
	[0x07] = '^',	    [0x08] = '&',	  [0x09] = '*',
	[0x0a] = '(',	    [0x0b] = ')',	  [0x0c] = '_',
	[0x0d] = '+',	    [SC_BACKSPACE] = DEL, [0x0f] = '\t',
	[0x10] = 'Q',	    [0x11] = 'W',	  [0x12] = 'E',
	[0x13] = 'R',	    [0x14] = 'T',	  [0x15] = 'Y',
	[0x16] = 'U',	    [0x17] = 'I',	  [0x18] = 'O',
	[0x19] = 'P',	    [0x1a] = '{',	  [0x1b] = '}',
	[SC_ENTER] = '\r',  [0x1e] = 'A',	  [0x1f] = 'S',
	[0x20] = 'D',	    [0x21] = 'F',	  [0x22] = 'G',
	[0x23] = 'H',	    [0x24] = 'J',	  [0x25] = 'K',
	[0x26] = 'L',	    [0x27] = ':',	  [0x28] = '"',
	[0x29] = '~',	    [0x2b] = '|',	  [0x2c] = 'Z',
	[0x2d] = 'X',	    [0x2e] = 'C',	  [0x2f] = 'V',
	[0x30] = 'B',	    [0x31] = 'N',	  [0x32] = 'M',
	[0x33] = '<',	    [0x34] = '>',	  [0x35] = '?',
	[SC_KP_STAR] = '*', [0x39] = ' ',	  [SC_KP_MINUS] = '-',
	[SC_KP_PLUS] = '+', [0x56] = '>',
};

/* The strings of the editing keys: ESC [ <s>. */
enum edit_key { EK_HOME, EK_INSERT, EK_DELETE, EK_END, EK_PGUP, EK_PGDN };
static const char *const edit_strings[] = {
	[EK_HOME] = "1~", [EK_INSERT] = "2~", [EK_DELETE] = "3~",
	[EK_END] = "4~",  [EK_PGUP] = "5~",   [EK_PGDN] = "6~",
};

/* F1..F12: ESC [ <s>, as Linux's default keymap has them. */
static const char *const fkey_strings[] = {
	"[A",  "[B",  "[C",  "[D",  "[E",  "17~",
	"18~", "19~", "20~", "21~", "23~", "24~",
};

static void emit(struct kbd_event *ev, const char *s, size_t n)
{
	if (ev->len + n > KBD_OUT_MAX)
		return;
	memcpy(ev->buf + ev->len, s, n);
	ev->len += (unsigned int)n;
}

static void emit_csi(struct kbd_event *ev, const char *tail)
{
	static const char csi[] = { ESC, '[' };

	emit(ev, csi, sizeof(csi));
	emit(ev, tail, strlen(tail));
}

/* An arrow: ESC [ x, or ESC O x in application cursor mode. */
static void emit_arrow(struct kbd_event *ev, char x, unsigned int flags)
{
	char s[] = { ESC, flags & KBD_APP_CURSOR ? 'O' : '[', x };

	emit(ev, s, sizeof(s));
}

/* Modifier make/break; returns false if @sc is no modifier. */
static bool modifier(struct kbd_state *kbd, u8 sc, bool ext, bool down)
{
	unsigned int bit;

	if (sc == SC_LSHIFT && !ext)
		bit = KBD_MOD_LSHIFT;
	else if (sc == SC_RSHIFT && !ext)
		bit = KBD_MOD_RSHIFT;
	else if (sc == SC_LCTRL)
		bit = ext ? KBD_MOD_RCTRL : KBD_MOD_LCTRL;
	else if (sc == SC_LALT)
		bit = ext ? KBD_MOD_RALT : KBD_MOD_LALT;
	else if (ext && (sc == SC_LSHIFT || sc == SC_RSHIFT))
		return true; /* E0 2A / E0 36: fake shifts, ignored */
	else
		return false;
	kbd->mods = down ? kbd->mods | bit : kbd->mods & ~bit;
	return true;
}

/* Lock key make/break: toggles on the first make only. */
static bool lock_key(struct kbd_state *kbd, u8 sc, bool down,
		     struct kbd_event *ev)
{
	unsigned int bit;

	if (sc == SC_CAPSLOCK)
		bit = KBD_LOCK_CAPS;
	else if (sc == SC_NUMLOCK)
		bit = KBD_LOCK_NUM;
	else if (sc == SC_SCROLLLOCK)
		bit = KBD_LOCK_SCROLL;
	else
		return false;
	if (!down) {
		kbd->held_locks &= ~bit;
	} else if (!(kbd->held_locks & bit)) {
		kbd->held_locks |= bit;
		kbd->locks ^= bit;
		ev->leds_changed = true;
	}
	return true;
}

/* Editing and arrow keys (E0 codes, or the keypad without Num Lock). */
static bool cursor_key(u8 sc, unsigned int flags, struct kbd_event *ev)
{
	switch (sc) {
	case SC_E0_UP:
		emit_arrow(ev, 'A', flags);
		return true;
	case SC_E0_DOWN:
		emit_arrow(ev, 'B', flags);
		return true;
	case SC_E0_RIGHT:
		emit_arrow(ev, 'C', flags);
		return true;
	case SC_E0_LEFT:
		emit_arrow(ev, 'D', flags);
		return true;
	case SC_E0_HOME:
		emit_csi(ev, edit_strings[EK_HOME]);
		return true;
	case SC_E0_END:
		emit_csi(ev, edit_strings[EK_END]);
		return true;
	case SC_E0_INSERT:
		emit_csi(ev, edit_strings[EK_INSERT]);
		return true;
	case SC_E0_DELETE:
		emit_csi(ev, edit_strings[EK_DELETE]);
		return true;
	case SC_E0_PGUP:
		emit_csi(ev, edit_strings[EK_PGUP]);
		return true;
	case SC_E0_PGDN:
		emit_csi(ev, edit_strings[EK_PGDN]);
		return true;
	}
	return false;
}

/* F1..F12, or with Alt a console switch; false for other keys. */
static bool function_key(struct kbd_state *kbd, u8 sc, struct kbd_event *ev)
{
	unsigned int n;

	if (sc >= SC_F1 && sc <= SC_F10)
		n = sc - SC_F1;
	else if (sc == SC_F11 || sc == SC_F12)
		n = sc - SC_F11 + 10;
	else
		return false;
	if (kbd->mods & KBD_MOD_ALT)
		ev->console = (int)n;
	else
		emit_csi(ev, fkey_strings[n]);
	return true;
}

/* Keypad digits and '.', with Num Lock on; cursor keys with it off. */
static bool keypad_key(struct kbd_state *kbd, u8 sc, unsigned int flags,
		       struct kbd_event *ev)
{
	static const char digits[] = "789-456+1230.";
	static const char kp5[] = { ESC, '[', 'G' };

	if (sc < SC_KP7 || sc > SC_KP_DOT || sc == SC_KP_MINUS ||
	    sc == SC_KP_PLUS)
		return false;
	if (kbd->locks & KBD_LOCK_NUM)
		emit(ev, &digits[sc - SC_KP7], 1);
	else if (sc == SC_KP5)
		emit(ev, kp5, sizeof(kp5));
	else
		cursor_key(sc, flags, ev); /* same codes as the E0 keys */
	return true;
}

/* Ctrl applied to character @c, as Linux's US keymap does. */
static char control_char(char c)
{
	static const char digit_ctrl[] = { 0,	 0,    ESC,  0x1c,
					   0x1d, 0x1e, 0x1f, DEL };

	if (c >= 'a' && c <= 'z')
		return (char)(c & CTRL_MASK);
	if (c >= '@' && c <= '_')
		return (char)(c & CTRL_MASK);
	if (c >= '2' && c <= '8')
		return digit_ctrl[c - '1'];
	switch (c) {
	case ' ':
		return 0;
	case '/':
	case '-':
		return 0x1f;
	case '?':
		return DEL;
	case DEL:
		return '\b';
	}
	return c;
}

/* A key of the main block: a character, shifted, controlled, metaed. */
static void char_key(struct kbd_state *kbd, u8 sc, struct kbd_event *ev)
{
	bool shift = kbd->mods & KBD_MOD_SHIFT;
	char c = plain_map[sc], esc = ESC;

	if (!c)
		return;
	if (c >= 'a' && c <= 'z' && (kbd->locks & KBD_LOCK_CAPS))
		shift = !shift;
	if (shift)
		c = shift_map[sc];
	if (kbd->mods & KBD_MOD_CTRL)
		c = control_char(c);
	if (kbd->mods & KBD_MOD_ALT)
		emit(ev, &esc, 1);
	emit(ev, &c, 1);
}

/* A make code @sc (@ext: after 0xE0) that is not a modifier. */
static void key_press(struct kbd_state *kbd, u8 sc, bool ext,
		      unsigned int flags, struct kbd_event *ev)
{
	static const char cr = '\r', slash = '/';

	if (ext) {
		if (sc == SC_E0_KP_ENTER)
			emit(ev, &cr, 1);
		else if (sc == SC_E0_KP_SLASH)
			emit(ev, &slash, 1);
		else
			cursor_key(sc, flags, ev);
		return;
	}
	if (function_key(kbd, sc, ev) || keypad_key(kbd, sc, flags, ev))
		return;
	if (sc < SC_KEYS)
		char_key(kbd, sc, ev);
}

void kbd_decode(struct kbd_state *kbd, u8 code, unsigned int flags,
		struct kbd_event *ev)
{
	bool ext = kbd->extended, down = !(code & SC_BREAK);
	u8 sc = code & ~SC_BREAK;

	ev->len = 0;
	ev->console = KBD_NO_SWITCH;
	ev->leds_changed = false;
	if (kbd->skip) {
		kbd->skip--;
		return;
	}
	if (code == SC_PREFIX_E0) {
		kbd->extended = true;
		return;
	}
	if (code == SC_PREFIX_E1) {
		kbd->skip = SC_PAUSE_BYTES;
		return;
	}
	kbd->extended = false;
	if (modifier(kbd, sc, ext, down))
		return;
	if (!ext && lock_key(kbd, sc, down, ev))
		return;
	if (down)
		key_press(kbd, sc, ext, flags, ev);
}

void kbd_init(struct kbd_state *kbd)
{
	memset(kbd, 0, sizeof(*kbd));
}
