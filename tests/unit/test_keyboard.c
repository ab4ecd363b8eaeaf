/*
 * Host unit test of drivers/tty/vt/keyboard.c, the scancode decoder.
 * Key strokes are written as scancode set 1 byte strings (make codes,
 * break codes with bit 7, 0xE0 prefixes) and the bytes the decoder
 * sends are compared with what Linux's console sends with its default
 * US keymap.
 */
#include "../../drivers/tty/vt/keyboard.h"
#include <string.h>

#include "ktap.h"

#define ESC "\x1b"
/* Set 1 make codes used below. */
#define SC_A 0x1e
#define SC_C 0x2e
#define SC_X 0x2d
#define K1 0x02
#define K2 0x03
#define LSHIFT 0x2a
#define RSHIFT 0x36
#define LCTRL 0x1d
#define LALT 0x38
#define CAPS 0x3a
#define NUM 0x45
#define BRK 0x80
#define E0 0xe0

static struct kbd_state kbd;
static int last_console, leds_changes;

/* Feed @n codes; returns everything sent, NUL-terminated. */
static const char *keys_flags(const unsigned char *codes, size_t n,
			      unsigned int flags)
{
	static char out[256];
	struct kbd_event ev;
	size_t len = 0, i;

	last_console = KBD_NO_SWITCH;
	leds_changes = 0;
	for (i = 0; i < n; i++) {
		kbd_decode(&kbd, codes[i], flags, &ev);
		if (ev.len && len + ev.len < sizeof(out)) {
			memcpy(out + len, ev.buf, ev.len);
			len += ev.len;
		}
		if (ev.console != KBD_NO_SWITCH)
			last_console = ev.console;
		leds_changes += ev.leds_changed;
	}
	out[len] = 0;
	return out;
}

#define KEYS(...) KEYS_F(0, __VA_ARGS__)
#define KEYS_F(flags, ...)                                 \
	keys_flags((const unsigned char[]){ __VA_ARGS__ }, \
		   sizeof((const unsigned char[]){ __VA_ARGS__ }), flags)

#define EXPECT(ok, got, want)                                             \
	do {                                                              \
		const char *g_ = (got);                                   \
		ktap_check(ok, !strcmp(g_, want), "got '%s' (%zu bytes)", \
			   g_[0] == 0x1b ? g_ + 1 : g_, strlen(g_));      \
	} while (0)

static bool test_letters(void)
{
	bool ok = true;

	kbd_init(&kbd);
	EXPECT(ok, KEYS(SC_A, SC_A | BRK, SC_C, SC_C | BRK), "ac");
	EXPECT(ok, KEYS(LSHIFT, SC_A, SC_A | BRK, LSHIFT | BRK, SC_A), "Aa");
	EXPECT(ok, KEYS(RSHIFT, SC_C, RSHIFT | BRK, SC_C), "Cc");
	EXPECT(ok, KEYS(0x10, 0x11, 0x2c, 0x32, 0x39), "qwzm ");
	return ok;
}

static bool test_symbols(void)
{
	bool ok = true;

	kbd_init(&kbd);
	EXPECT(ok,
	       KEYS(K1, K2, 0x0b, 0x0c, 0x0d, 0x1a, 0x1b, 0x27, 0x28, 0x29,
		    0x2b, 0x33, 0x34, 0x35),
	       "120-=[];'`\\,./");
	EXPECT(ok,
	       KEYS(LSHIFT, K1, K2, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
		    0x0b, 0x0c, 0x0d, 0x1a, 0x1b, 0x27, 0x28, 0x29, 0x2b, 0x33,
		    0x34, 0x35, LSHIFT | BRK),
	       "!@#$%^&*()_+{}:\"~|<>?");
	return ok;
}

static bool test_special_chars(void)
{
	bool ok = true;

	kbd_init(&kbd);
	EXPECT(ok, KEYS(0x1c), "\r");
	EXPECT(ok, KEYS(0x0e), "\x7f");
	EXPECT(ok, KEYS(0x0f), "\t");
	EXPECT(ok, KEYS(0x01), ESC);
	EXPECT(ok, KEYS(E0, 0x1c), "\r");
	EXPECT(ok, KEYS(E0, 0x35), "/");
	EXPECT(ok, KEYS(0x37, 0x4a, 0x4e), "*-+");
	return ok;
}

static bool test_caps_lock(void)
{
	bool ok = true;

	kbd_init(&kbd);
	EXPECT(ok, KEYS(CAPS, CAPS | BRK, SC_A, K1), "A1");
	ktap_check(ok, kbd.locks & KBD_LOCK_CAPS, "caps on");
	ktap_check(ok, leds_changes == 1, "LED update %d", leds_changes);
	EXPECT(ok, KEYS(LSHIFT, SC_A, K1, LSHIFT | BRK), "a!");
	/* typematic repeat of the lock key must not toggle it back */
	EXPECT(ok, KEYS(CAPS, CAPS, CAPS, CAPS | BRK, SC_A), "a");
	ktap_check(ok, !(kbd.locks & KBD_LOCK_CAPS), "caps off");
	ktap_check(ok, leds_changes == 1, "one LED update %d", leds_changes);
	return ok;
}

static bool test_ctrl(void)
{
	bool ok = true;

	kbd_init(&kbd);
	EXPECT(ok, KEYS(LCTRL, SC_C, LCTRL | BRK), "\x03");
	EXPECT(ok, KEYS(LCTRL, SC_A, 0x2c, LCTRL | BRK), "\x01\x1a");
	EXPECT(ok, KEYS(LCTRL, 0x1a, 0x2b, 0x1b, LCTRL | BRK), "\x1b\x1c\x1d");
	EXPECT(ok, KEYS(LCTRL, 0x07, 0x0c, 0x09, LCTRL | BRK), "\x1e\x1f\x7f");
	EXPECT(ok, KEYS(E0, LCTRL, SC_X, E0, LCTRL | BRK, SC_X), "\x18x");
	EXPECT(ok, KEYS(LCTRL, LSHIFT, 0x07, LSHIFT | BRK, LCTRL | BRK),
	       "\x1e");
	EXPECT(ok, KEYS(LCTRL, 0x0e, LCTRL | BRK), "\b");
	EXPECT(ok,
	       KEYS(LCTRL, CAPS, CAPS | BRK, SC_C, LCTRL | BRK, CAPS,
		    CAPS | BRK),
	       "\x03");
	return ok;
}

/* Ctrl-Space and Ctrl-2 send NUL: check the byte count too. */
static bool test_ctrl_nul(void)
{
	struct kbd_event ev;
	bool ok = true;

	kbd_init(&kbd);
	kbd_decode(&kbd, LCTRL, 0, &ev);
	kbd_decode(&kbd, 0x39, 0, &ev);
	ktap_check(ok, ev.len == 1 && ev.buf[0] == 0, "ctrl-space %u", ev.len);
	kbd_decode(&kbd, K2, 0, &ev);
	ktap_check(ok, ev.len == 1 && ev.buf[0] == 0, "ctrl-2 %u", ev.len);
	return ok;
}

static bool test_alt_meta(void)
{
	bool ok = true;

	kbd_init(&kbd);
	EXPECT(ok, KEYS(LALT, SC_X, LALT | BRK, SC_X), ESC "xx");
	EXPECT(ok, KEYS(E0, LALT, SC_A, E0, LALT | BRK), ESC "a");
	EXPECT(ok, KEYS(LALT, LSHIFT, SC_A, LSHIFT | BRK, LALT | BRK), ESC "A");
	EXPECT(ok, KEYS(LALT, LCTRL, SC_C, LCTRL | BRK, LALT | BRK),
	       ESC "\x03");
	return ok;
}

static bool test_arrows(void)
{
	bool ok = true;

	kbd_init(&kbd);
	EXPECT(ok, KEYS(E0, 0x48, E0, 0xc8), ESC "[A");
	EXPECT(ok, KEYS(E0, 0x50, E0, 0x4d, E0, 0x4b),
	       ESC "[B" ESC "[C" ESC "[D");
	EXPECT(ok, KEYS_F(KBD_APP_CURSOR, E0, 0x48, E0, 0x4b),
	       ESC "OA" ESC "OD");
	EXPECT(ok, KEYS(LALT, E0, 0x48, LALT | BRK), ESC "[A");
	return ok;
}

static bool test_editing_keys(void)
{
	bool ok = true;

	kbd_init(&kbd);
	EXPECT(ok, KEYS(E0, 0x47), ESC "[1~");
	EXPECT(ok, KEYS(E0, 0x52), ESC "[2~");
	EXPECT(ok, KEYS(E0, 0x53), ESC "[3~");
	EXPECT(ok, KEYS(E0, 0x4f), ESC "[4~");
	EXPECT(ok, KEYS(E0, 0x49), ESC "[5~");
	EXPECT(ok, KEYS(E0, 0x51), ESC "[6~");
	EXPECT(ok, KEYS(E0, 0xd3), "");
	return ok;
}

static bool test_keypad(void)
{
	bool ok = true;

	kbd_init(&kbd);
	EXPECT(ok, KEYS(0x48, 0x4b, 0x47, 0x53),
	       ESC "[A" ESC "[D" ESC "[1~" ESC "[3~");
	EXPECT(ok, KEYS(0x4c), ESC "[G");
	EXPECT(ok,
	       KEYS(NUM, NUM | BRK, 0x47, 0x48, 0x49, 0x4b, 0x4c, 0x4d, 0x4f,
		    0x50, 0x51, 0x52, 0x53),
	       "7894561230.");
	ktap_check(ok, leds_changes == 1, "num LED");
	EXPECT(ok, KEYS(NUM, NUM | BRK, 0x50), ESC "[B");
	return ok;
}

static bool test_function_keys(void)
{
	static const char *const want[] = {
		ESC "[[A",  ESC "[[B",	ESC "[[C",  ESC "[[D",
		ESC "[[E",  ESC "[17~", ESC "[18~", ESC "[19~",
		ESC "[20~", ESC "[21~", ESC "[23~", ESC "[24~",
	};
	static const unsigned char codes[] = { 0x3b, 0x3c, 0x3d, 0x3e,
					       0x3f, 0x40, 0x41, 0x42,
					       0x43, 0x44, 0x57, 0x58 };
	bool ok = true;
	unsigned int i;

	kbd_init(&kbd);
	for (i = 0; i < 12; i++) {
		EXPECT(ok, keys_flags(&codes[i], 1, 0), want[i]);
		ktap_check(ok, last_console == KBD_NO_SWITCH, "F%u", i + 1);
	}
	return ok;
}

static bool test_console_switch(void)
{
	bool ok = true;

	kbd_init(&kbd);
	EXPECT(ok, KEYS(LALT, 0x3b, 0xbb, LALT | BRK), "");
	ktap_check(ok, last_console == 0, "Alt-F1 -> %d", last_console);
	EXPECT(ok, KEYS(LALT, 0x3e, 0xbe, LALT | BRK), "");
	ktap_check(ok, last_console == 3, "Alt-F4 -> %d", last_console);
	EXPECT(ok, KEYS(LCTRL, LALT, 0x3c, LALT | BRK, LCTRL | BRK), "");
	ktap_check(ok, last_console == 1, "Ctrl-Alt-F2 -> %d", last_console);
	EXPECT(ok, KEYS(E0, LALT, 0x3d, E0, LALT | BRK), "");
	ktap_check(ok, last_console == 2, "AltGr-F3 -> %d", last_console);
	EXPECT(ok, KEYS(0x3b), ESC "[[A");
	ktap_check(ok, last_console == KBD_NO_SWITCH, "Alt released");
	return ok;
}

static bool test_prefixes_ignored(void)
{
	bool ok = true;

	kbd_init(&kbd);
	/* Pause: E1 1D 45 E1 9D C5, no release, must not leave Ctrl held */
	EXPECT(ok, KEYS(0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5, SC_C), "c");
	ktap_check(ok, kbd.mods == 0 && !(kbd.locks & KBD_LOCK_NUM),
		   "state %#x %#x", kbd.mods, kbd.locks);
	/* Fake shifts around the E0 keys (E0 2A E0 47 E0 C7 E0 AA) */
	EXPECT(ok, KEYS(E0, LSHIFT, E0, 0x47, E0, 0xc7, E0, LSHIFT | BRK, SC_A),
	       ESC "[1~a");
	/* Release without press, unknown codes, controller bytes */
	EXPECT(ok, KEYS(LSHIFT | BRK, 0x5b, 0x7f, 0xfa, 0xfe, 0x00, 0xff, SC_A),
	       "a");
	ktap_check(ok, kbd.mods == 0, "mods %#x", kbd.mods);
	return ok;
}

int main(void)
{
	ktap_plan(13);
	ktap_result(test_letters(), "letters");
	ktap_result(test_symbols(), "symbols");
	ktap_result(test_special_chars(), "special_chars");
	ktap_result(test_caps_lock(), "caps_lock");
	ktap_result(test_ctrl(), "ctrl");
	ktap_result(test_ctrl_nul(), "ctrl_nul");
	ktap_result(test_alt_meta(), "alt_meta");
	ktap_result(test_arrows(), "arrows");
	ktap_result(test_editing_keys(), "editing_keys");
	ktap_result(test_keypad(), "keypad");
	ktap_result(test_function_keys(), "function_keys");
	ktap_result(test_console_switch(), "console_switch");
	ktap_result(test_prefixes_ignored(), "prefixes_ignored");
	return ktap_finish();
}
