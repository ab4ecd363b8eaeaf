/*
 * The terminal emulator of the virtual consoles (vt_emul.c): the part of
 * the Linux console / VT100 that full-screen programs (busybox vi, less,
 * top) and line editors (ash) use, as pure code on a cell buffer. It
 * knows nothing of VGA registers, ttys or locks: the caller hands it a
 * screen of VT_ROWS x VT_COLS cells (character in the low byte, VGA
 * attribute in the high byte: VGA memory itself for the visible console,
 * a buffer for the others), serialises the calls, and afterwards reads
 * the cursor and collects the bytes the terminal answers (cursor
 * position and device attribute reports) to feed back as input.
 *
 * docs/vt.md has the table of supported sequences and the state machine.
 */
#ifndef _DRIVERS_TTY_VT_VT_EMUL_H
#define _DRIVERS_TTY_VT_VT_EMUL_H

#include <kestrel/types.h>

#define VT_ROWS 25
#define VT_COLS 80
#define VT_CELLS (VT_ROWS * VT_COLS)
#define VT_NPAR 16 /* CSI parameters kept; later ones are dropped */
#define VT_REPLY_MAX 64 /* bytes of answers not yet collected */

/* The parser's states (docs/vt.md draws the machine). */
enum vt_parse_state {
	VT_GROUND, /* printing */
	VT_ESC, /* after ESC */
	VT_CSI, /* after ESC [: parameters, then a final byte */
	VT_CHARSET, /* after ESC ( or ESC ): one charset byte to skip */
	VT_HASH, /* after ESC #: one byte to skip (DECALN...) */
	VT_OSC, /* ESC ]: operating system command, up to BEL or ST */
	VT_OSC_ESC, /* ESC inside an OSC: ESC \ ends it */
	VT_SKIP_ONE, /* ESC [ [: Linux's "ignore the next byte" */
};

/* vt_pen.flags: the rendition SGR selects. */
#define VT_PEN_BOLD 0x01
#define VT_PEN_UNDERLINE 0x02
#define VT_PEN_BLINK 0x04
#define VT_PEN_REVERSE 0x08

/* What SGR sets: colours are VGA colour numbers (enum vga_color). */
struct vt_pen {
	u8 fg, bg;
	u8 flags; /* VT_PEN_* */
};

/* vt_emul.mode bits: the DEC private and ANSI modes the emulator keeps. */
#define VT_MODE_AUTOWRAP 0x01 /* ?7: wrap at the right margin */
#define VT_MODE_CURSOR 0x02 /* ?25: cursor visible */
#define VT_MODE_APP_CURSOR 0x04 /* ?1: arrow keys send ESC O x */
#define VT_MODE_ORIGIN 0x08 /* ?6: rows count from the scroll region */
#define VT_MODE_INSERT 0x10 /* 4: printing shifts the line right */
#define VT_MODE_ALTSCREEN 0x20 /* ?1049/?47: alternate screen shown */
#define VT_MODE_DEFAULT (VT_MODE_AUTOWRAP | VT_MODE_CURSOR)

/* DECSC's record: position, pen and origin mode. */
struct vt_saved {
	unsigned int x, y;
	struct vt_pen pen;
	unsigned int mode; /* only VT_MODE_ORIGIN is restored */
};

/*
 * One terminal. All fields belong to vt_emul.c; the driver reads x, y
 * and mode (cursor, keyboard mode) and sets screen.
 */
struct vt_emul {
	u16 *screen; /* VT_CELLS cells, row-major */
	unsigned int x, y; /* cursor, 0-based; x < VT_COLS, y < VT_ROWS */
	bool wrap_pending; /* last column written: wrap before next char */
	unsigned int top, bottom; /* scroll region, inclusive, 0-based */
	unsigned int mode; /* VT_MODE_* */
	struct vt_pen pen;
	u8 attr; /* pen as a VGA attribute byte, for printing */
	u8 erase_attr; /* pen's colours, for blanking */
	struct vt_saved saved; /* ESC 7 / CSI s */
	struct vt_saved alt_saved; /* cursor of the main screen (?1049) */
	enum vt_parse_state state;
	unsigned int par[VT_NPAR]; /* CSI parameters, 0 = default */
	unsigned int npar; /* parameter being read; VT_NPAR: overflowed */
	char private; /* CSI private marker ('?', '>', '=', '<'), or 0 */
	bool intermediate; /* a CSI intermediate byte: ignore it */
	unsigned int utf8_more; /* UTF-8 continuation bytes to swallow */
	unsigned int reply_len;
	char reply[VT_REPLY_MAX]; /* answers for the input side */
	u16 alt[VT_CELLS]; /* the main screen while ?1049 shows alt */
};

/* The character shown for a code point outside ASCII (CP437 0xFE). */
#define VT_PLACEHOLDER 0xfe

/* vt_emul_init - reset @vt and clear @screen; @vt owns nothing else. */
void vt_emul_init(struct vt_emul *vt, u16 *screen);

/*
 * vt_emul_reset - ESC c: modes, pen and margins to their power-on
 * state, the screen cleared, the cursor home.
 */
void vt_emul_reset(struct vt_emul *vt);

/*
 * vt_emul_write - interpret @n bytes of terminal output
 * Updates the screen, the cursor and the modes; answers are queued for
 * vt_emul_take_reply(). Context: any; the caller serialises calls on
 * one @vt.
 */
void vt_emul_write(struct vt_emul *vt, const unsigned char *buf, size_t n);

/*
 * vt_emul_print - kernel console text in attribute @attr
 * Prints @s without interpreting escape sequences and without
 * disturbing a sequence the program output is in the middle of: '\n'
 * is a new line (CR LF), '\r', '\b' and '\t' move the cursor, other
 * control bytes are dropped. Context: any; serialised by the caller.
 */
void vt_emul_print(struct vt_emul *vt, const char *s, size_t n, u8 attr);

/*
 * vt_emul_take_reply - move up to @size queued answer bytes to @buf
 * Returns the number moved; the queue keeps what did not fit.
 */
size_t vt_emul_take_reply(struct vt_emul *vt, char *buf, size_t size);

/* The cell at @row, @col of @vt's screen. */
static inline u16 vt_emul_cell(const struct vt_emul *vt, unsigned int row,
			       unsigned int col)
{
	return vt->screen[row * VT_COLS + col];
}

#endif /* _DRIVERS_TTY_VT_VT_EMUL_H */
