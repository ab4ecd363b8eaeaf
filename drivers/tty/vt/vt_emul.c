/*
 * The virtual consoles' terminal emulator: bytes in, cells out.
 *
 * A byte stream is parsed by a small state machine (enum
 * vt_parse_state). In VT_GROUND printable bytes are drawn at the cursor
 * and control bytes (CR, LF, BS, TAB, ESC...) act at once. ESC leads to
 * VT_ESC, whose next byte is either a complete command (ESC 7, ESC M,
 * ESC c...) or opens a longer one: ESC [ starts a control sequence
 * (VT_CSI) that collects numeric parameters separated by ';', an
 * optional private marker ('?') and ends at a final byte in '@'..'~',
 * which selects the action (csi_dispatch()). Anything not understood is
 * consumed and dropped, leaving the screen and modes as they were.
 *
 * Like a real VT100, writing the last column does not wrap at once: the
 * cursor stays there with wrap_pending set and the wrap happens before
 * the next printable character, so a program may fill a line and then
 * send CR LF without getting an empty line in between.
 *
 * Colours follow the Linux console on VGA: the pen keeps VGA colour
 * numbers; bold brightens the foreground, underline (which VGA colour
 * text cannot draw) shows as cyan, blink sets the attribute's blink bit,
 * reverse swaps foreground and background. Blanked cells take the pen's
 * colours without bold or underline, as Linux's erase character does.
 *
 * Nothing here touches hardware or locks; the driver (vt.c) serialises.
 */
#include "vt_emul.h"
#include "vga.h"
#include <kestrel/string.h>

#define ESC 0x1b
#define CSI_PARAM_MAX 9999 /* larger parameters are clamped */
#define TAB_STOP 8
#define DEFAULT_FG VGA_LIGHT_GREY
#define DEFAULT_BG VGA_BLACK
#define UNDERLINE_FG VGA_CYAN /* Linux's default underline colour */
#define VGA_ATTR_BRIGHT 0x08 /* foreground intensity bit */
#define VGA_ATTR_BLINK 0x80 /* blink bit (bright background if off) */
#define VGA_ATTR_COLOURS 0x77 /* the two 3-bit colours */

/* C0 control bytes (ECMA-48 section 8.3). */
#define C0_BEL 0x07
#define C0_BS 0x08
#define C0_HT 0x09
#define C0_LF 0x0a
#define C0_VT 0x0b
#define C0_FF 0x0c
#define C0_CR 0x0d
#define C0_CAN 0x18
#define C0_SUB 0x1a
#define C0_DEL 0x7f

/* ANSI colour number (SGR 30 + n) to VGA colour number. */
static const u8 ansi_to_vga[8] = {
	VGA_BLACK, VGA_RED,	VGA_GREEN, VGA_BROWN,
	VGA_BLUE,  VGA_MAGENTA, VGA_CYAN,  VGA_LIGHT_GREY,
};

static u8 swap_colours(u8 a)
{
	return (u8)((a & ~VGA_ATTR_COLOURS) |
		    (((a >> 4) | (a << 4)) & VGA_ATTR_COLOURS));
}

/* An attribute for @p's background, foreground @fg and the VT_PEN_*
 * @flags, in Linux's order. */
static u8 pen_attr(const struct vt_pen *p, u8 fg, unsigned int flags)
{
	u8 a = VGA_ATTR(fg, p->bg);

	if (flags & VT_PEN_REVERSE)
		a = swap_colours(a);
	if (flags & VT_PEN_BLINK)
		a ^= VGA_ATTR_BLINK;
	if (flags & VT_PEN_BOLD)
		a ^= VGA_ATTR_BRIGHT;
	return a;
}

static void update_attr(struct vt_emul *vt)
{
	const struct vt_pen *p = &vt->pen;
	u8 fg = p->fg;

	if (p->flags & VT_PEN_UNDERLINE)
		fg = (u8)((fg & VGA_ATTR_BRIGHT) | UNDERLINE_FG);
	vt->attr = pen_attr(p, fg, p->flags);
	vt->erase_attr = pen_attr(p, p->fg, p->flags & ~VT_PEN_BOLD);
}

static u16 cell(unsigned char c, u8 attr)
{
	return (u16)(c | (attr << 8));
}

static void fill(struct vt_emul *vt, unsigned int from, unsigned int count)
{
	u16 blank = cell(' ', vt->erase_attr);
	u16 *p = vt->screen + from;

	while (count--)
		*p++ = blank;
}

/* Move rows [top, bottom] up by @n, blanking the freed rows at the end. */
static void scroll_up(struct vt_emul *vt, unsigned int top, unsigned int bottom,
		      unsigned int n)
{
	unsigned int rows = bottom - top + 1;

	if (n > rows)
		n = rows;
	memmove(vt->screen + top * VT_COLS, vt->screen + (top + n) * VT_COLS,
		(rows - n) * VT_COLS * sizeof(u16));
	fill(vt, (bottom + 1 - n) * VT_COLS, n * VT_COLS);
}

/* Move rows [top, bottom] down by @n, blanking the freed rows at top. */
static void scroll_down(struct vt_emul *vt, unsigned int top,
			unsigned int bottom, unsigned int n)
{
	unsigned int rows = bottom - top + 1;

	if (n > rows)
		n = rows;
	memmove(vt->screen + (top + n) * VT_COLS, vt->screen + top * VT_COLS,
		(rows - n) * VT_COLS * sizeof(u16));
	fill(vt, top * VT_COLS, n * VT_COLS);
}

/* Put the cursor at @x, @y (absolute), clamped to the screen. */
static void move_to(struct vt_emul *vt, int x, int y)
{
	int min_y = 0, max_y = VT_ROWS - 1;

	if (vt->mode & VT_MODE_ORIGIN) {
		min_y = (int)vt->top;
		max_y = (int)vt->bottom;
	}
	if (x < 0)
		x = 0;
	if (x >= VT_COLS)
		x = VT_COLS - 1;
	if (y < min_y)
		y = min_y;
	if (y > max_y)
		y = max_y;
	vt->x = (unsigned int)x;
	vt->y = (unsigned int)y;
	vt->wrap_pending = false;
}

/* CUP and friends: row @row counts from the region in origin mode. */
static void move_to_origin(struct vt_emul *vt, int x, int row)
{
	move_to(vt, x, row + (vt->mode & VT_MODE_ORIGIN ? (int)vt->top : 0));
}

/* LF, IND: down one row, scrolling the region at its bottom. */
static void line_feed(struct vt_emul *vt)
{
	if (vt->y == vt->bottom)
		scroll_up(vt, vt->top, vt->bottom, 1);
	else if (vt->y < VT_ROWS - 1)
		vt->y++;
	vt->wrap_pending = false;
}

/* RI: up one row, scrolling the region down at its top. */
static void reverse_index(struct vt_emul *vt)
{
	if (vt->y == vt->top)
		scroll_down(vt, vt->top, vt->bottom, 1);
	else if (vt->y > 0)
		vt->y--;
	vt->wrap_pending = false;
}

static void carriage_return(struct vt_emul *vt)
{
	vt->x = 0;
	vt->wrap_pending = false;
}

/* Draw @c in @attr at the cursor, with deferred autowrap. */
static void put_glyph(struct vt_emul *vt, unsigned char c, u8 attr)
{
	u16 *at;

	if (vt->wrap_pending && (vt->mode & VT_MODE_AUTOWRAP)) {
		carriage_return(vt);
		line_feed(vt);
	}
	at = vt->screen + vt->y * VT_COLS + vt->x;
	if (vt->mode & VT_MODE_INSERT)
		memmove(at + 1, at, (VT_COLS - 1 - vt->x) * sizeof(u16));
	*at = cell(c, attr);
	if (vt->x < VT_COLS - 1) {
		vt->x++;
		vt->wrap_pending = false;
	} else {
		vt->wrap_pending = true;
	}
}

static void tab(struct vt_emul *vt)
{
	unsigned int x = (vt->x / TAB_STOP + 1) * TAB_STOP;

	vt->x = x < VT_COLS ? x : VT_COLS - 1;
	vt->wrap_pending = false;
}

static void backspace(struct vt_emul *vt)
{
	if (vt->x > 0)
		vt->x--;
	vt->wrap_pending = false;
}

static void queue_reply(struct vt_emul *vt, const char *s, size_t n)
{
	if (vt->reply_len + n > VT_REPLY_MAX)
		return; /* nobody collects: drop rather than overflow */
	memcpy(vt->reply + vt->reply_len, s, n);
	vt->reply_len += (unsigned int)n;
}

/* Append the decimal digits of @v to @buf; returns the new end. */
static char *put_decimal(char *buf, unsigned int v)
{
	char digits[10];
	int n = 0;

	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (n)
		*buf++ = digits[--n];
	return buf;
}

/* DSR 6: "ESC [ row ; col R", 1-based, rows from the region in DECOM. */
static void report_cursor(struct vt_emul *vt)
{
	char buf[24], *p = buf;
	unsigned int row = vt->y + 1;

	if (vt->mode & VT_MODE_ORIGIN)
		row -= vt->top;
	*p++ = ESC;
	*p++ = '[';
	p = put_decimal(p, row);
	*p++ = ';';
	p = put_decimal(p, vt->x + 1);
	*p++ = 'R';
	queue_reply(vt, buf, (size_t)(p - buf));
}

/* ---- erasing and editing (ED, EL, ICH, DCH, ECH, IL, DL) ---------------- */

static unsigned int cursor_cell(const struct vt_emul *vt)
{
	return vt->y * VT_COLS + vt->x;
}

static void erase_display(struct vt_emul *vt, unsigned int how)
{
	unsigned int pos = cursor_cell(vt);

	switch (how) {
	case 0: /* cursor to end */
		fill(vt, pos, VT_CELLS - pos);
		break;
	case 1: /* start to cursor, inclusive */
		fill(vt, 0, pos + 1);
		break;
	case 2: /* everything */
		fill(vt, 0, VT_CELLS);
		break;
	default: /* 3 (scrollback) and unknown: nothing to do */
		return;
	}
	vt->wrap_pending = false;
}

static void erase_line(struct vt_emul *vt, unsigned int how)
{
	unsigned int line = vt->y * VT_COLS;

	switch (how) {
	case 0: /* cursor to end of line */
		fill(vt, cursor_cell(vt), VT_COLS - vt->x);
		break;
	case 1: /* start of line to cursor, inclusive */
		fill(vt, line, vt->x + 1);
		break;
	case 2: /* whole line */
		fill(vt, line, VT_COLS);
		break;
	default:
		return;
	}
	vt->wrap_pending = false;
}

/* ICH (@insert) and DCH: shift the rest of the line by @n cells. */
static void shift_chars(struct vt_emul *vt, unsigned int n, bool insert)
{
	unsigned int left = VT_COLS - vt->x;
	u16 *at = vt->screen + cursor_cell(vt);

	if (n > left)
		n = left;
	if (insert) {
		memmove(at + n, at, (left - n) * sizeof(u16));
		fill(vt, cursor_cell(vt), n);
	} else {
		memmove(at, at + n, (left - n) * sizeof(u16));
		fill(vt, cursor_cell(vt) + left - n, n);
	}
	vt->wrap_pending = false;
}

static void erase_chars(struct vt_emul *vt, unsigned int n)
{
	unsigned int left = VT_COLS - vt->x;

	fill(vt, cursor_cell(vt), n < left ? n : left);
	vt->wrap_pending = false;
}

/* IL (@insert) and DL: lines at the cursor, inside the scroll region. */
static void shift_lines(struct vt_emul *vt, unsigned int n, bool insert)
{
	if (vt->y < vt->top || vt->y > vt->bottom)
		return;
	if (insert)
		scroll_down(vt, vt->y, vt->bottom, n);
	else
		scroll_up(vt, vt->y, vt->bottom, n);
	vt->wrap_pending = false;
}

/* ---- modes, margins, saved cursor --------------------------------------- */

static void save_cursor(struct vt_emul *vt, struct vt_saved *s)
{
	s->x = vt->x;
	s->y = vt->y;
	s->pen = vt->pen;
	s->mode = vt->mode & VT_MODE_ORIGIN;
}

static void restore_cursor(struct vt_emul *vt, const struct vt_saved *s)
{
	vt->pen = s->pen;
	vt->mode = (vt->mode & ~VT_MODE_ORIGIN) | s->mode;
	update_attr(vt);
	move_to(vt, (int)s->x, (int)s->y);
}

/* DECSTBM: rows @t..@b (1-based, 0 = default) scroll; cursor home. */
static void set_margins(struct vt_emul *vt, unsigned int t, unsigned int b)
{
	if (!t)
		t = 1;
	if (!b || b > VT_ROWS)
		b = VT_ROWS;
	if (t >= b)
		return; /* a region must have two lines at least */
	vt->top = t - 1;
	vt->bottom = b - 1;
	move_to_origin(vt, 0, 0);
}

/* ?1049 / ?1047 / ?47: swap in a blank alternate screen, or back. */
static void alt_screen(struct vt_emul *vt, bool on, bool with_cursor)
{
	if (on == !!(vt->mode & VT_MODE_ALTSCREEN))
		return;
	if (on) {
		if (with_cursor)
			save_cursor(vt, &vt->alt_saved);
		memcpy(vt->alt, vt->screen, sizeof(vt->alt));
		fill(vt, 0, VT_CELLS);
		vt->mode |= VT_MODE_ALTSCREEN;
		return;
	}
	memcpy(vt->screen, vt->alt, sizeof(vt->alt));
	vt->mode &= ~VT_MODE_ALTSCREEN;
	if (with_cursor)
		restore_cursor(vt, &vt->alt_saved);
}

static void set_private_mode(struct vt_emul *vt, unsigned int m, bool on)
{
	unsigned int bit;

	switch (m) {
	case 1:
		bit = VT_MODE_APP_CURSOR;
		break;
	case 6:
		bit = VT_MODE_ORIGIN;
		break;
	case 7:
		bit = VT_MODE_AUTOWRAP;
		break;
	case 25:
		bit = VT_MODE_CURSOR;
		break;
	case 47:
	case 1047:
	case 1049:
		alt_screen(vt, on, m == 1049);
		return;
	default:
		return; /* unknown modes are ignored */
	}
	vt->mode = on ? vt->mode | bit : vt->mode & ~bit;
	if (bit == VT_MODE_ORIGIN)
		move_to_origin(vt, 0, 0);
}

static void set_modes(struct vt_emul *vt, bool on)
{
	unsigned int i;

	for (i = 0; i <= vt->npar; i++) {
		if (vt->private == '?')
			set_private_mode(vt, vt->par[i], on);
		else if (!vt->private && vt->par[i] == 4)
			vt->mode = on ? vt->mode | VT_MODE_INSERT :
					vt->mode & ~VT_MODE_INSERT;
	}
}

/* ---- SGR ---------------------------------------------------------------- */

/* SGR 38/48 ; 5 ; n and ; 2 ; r ; g ; b: returns parameters consumed. */
static unsigned int sgr_extended(struct vt_emul *vt, unsigned int i, u8 *col)
{
	unsigned int n;

	if (i + 1 > vt->npar)
		return 0;
	if (vt->par[i + 1] == 2)
		return 4; /* direct colour: not representable, skipped */
	if (vt->par[i + 1] != 5 || i + 2 > vt->npar)
		return 1;
	n = vt->par[i + 2];
	if (n < 8)
		*col = ansi_to_vga[n];
	else if (n < 16)
		*col = (u8)(ansi_to_vga[n - 8] | VGA_ATTR_BRIGHT);
	return 2;
}

static void sgr_reset(struct vt_emul *vt)
{
	vt->pen.fg = DEFAULT_FG;
	vt->pen.bg = DEFAULT_BG;
	vt->pen.flags = 0;
}

/* One SGR parameter @i; returns how many following ones it consumed. */
static unsigned int sgr_one(struct vt_emul *vt, unsigned int i)
{
	unsigned int p = vt->par[i];
	struct vt_pen *pen = &vt->pen;

	if (p >= 30 && p <= 37)
		pen->fg = ansi_to_vga[p - 30];
	else if (p >= 40 && p <= 47)
		pen->bg = ansi_to_vga[p - 40];
	else if (p >= 90 && p <= 97)
		pen->fg = (u8)(ansi_to_vga[p - 90] | VGA_ATTR_BRIGHT);
	else if (p >= 100 && p <= 107)
		pen->bg = (u8)(ansi_to_vga[p - 100] | VGA_ATTR_BRIGHT);
	else if (p == 38)
		return sgr_extended(vt, i, &pen->fg);
	else if (p == 48)
		return sgr_extended(vt, i, &pen->bg);
	else if (p == 0)
		sgr_reset(vt);
	else if (p == 1)
		pen->flags |= VT_PEN_BOLD;
	else if (p == 4)
		pen->flags |= VT_PEN_UNDERLINE;
	else if (p == 5)
		pen->flags |= VT_PEN_BLINK;
	else if (p == 7)
		pen->flags |= VT_PEN_REVERSE;
	else if (p == 22)
		pen->flags &= ~VT_PEN_BOLD;
	else if (p == 24)
		pen->flags &= ~VT_PEN_UNDERLINE;
	else if (p == 25)
		pen->flags &= ~VT_PEN_BLINK;
	else if (p == 27)
		pen->flags &= ~VT_PEN_REVERSE;
	else if (p == 39)
		pen->fg = DEFAULT_FG;
	else if (p == 49)
		pen->bg = DEFAULT_BG;
	return 0; /* 2 (dim) and the unknown ones are ignored */
}

static void sgr(struct vt_emul *vt)
{
	unsigned int i;

	for (i = 0; i <= vt->npar; i++)
		i += sgr_one(vt, i);
	update_attr(vt);
}

/* ---- control sequences -------------------------------------------------- */

/* Parameter @i, with 0 (omitted) meaning 1: counts and positions. */
static int arg1(const struct vt_emul *vt, unsigned int i)
{
	return vt->par[i] ? (int)vt->par[i] : 1;
}

/* Cursor motion; false if @final is not one. */
static bool csi_cursor(struct vt_emul *vt, unsigned char final)
{
	int x = (int)vt->x, y = (int)vt->y, n = arg1(vt, 0);

	switch (final) {
	case 'A': /* CUU */
		move_to(vt, x, y - n);
		return true;
	case 'B': /* CUD */
	case 'e': /* VPR */
		move_to(vt, x, y + n);
		return true;
	case 'C': /* CUF */
	case 'a': /* HPR */
		move_to(vt, x + n, y);
		return true;
	case 'D': /* CUB */
		move_to(vt, x - n, y);
		return true;
	case 'E': /* CNL */
		move_to(vt, 0, y + n);
		return true;
	case 'F': /* CPL */
		move_to(vt, 0, y - n);
		return true;
	case 'G': /* CHA */
	case '`': /* HPA */
		move_to(vt, n - 1, y);
		return true;
	case 'd': /* VPA */
		move_to_origin(vt, x, n - 1);
		return true;
	case 'H': /* CUP */
	case 'f': /* HVP */
		move_to_origin(vt, arg1(vt, 1) - 1, n - 1);
		return true;
	}
	return false;
}

/* Erasing and editing; false if @final is not one. */
static bool csi_edit(struct vt_emul *vt, unsigned char final)
{
	unsigned int n = (unsigned int)arg1(vt, 0);

	switch (final) {
	case 'J': /* ED */
		erase_display(vt, vt->par[0]);
		return true;
	case 'K': /* EL */
		erase_line(vt, vt->par[0]);
		return true;
	case 'L': /* IL */
	case 'M': /* DL */
		shift_lines(vt, n, final == 'L');
		return true;
	case '@': /* ICH */
	case 'P': /* DCH */
		shift_chars(vt, n, final == '@');
		return true;
	case 'X': /* ECH */
		erase_chars(vt, n);
		return true;
	}
	return false;
}

/* Modes, margins, reports, the pen. Unknown finals are ignored. */
static void csi_other(struct vt_emul *vt, unsigned char final)
{
	static const char da_reply[] = { ESC, '[', '?', '6', 'c' };
	static const char ok_reply[] = { ESC, '[', '0', 'n' };

	switch (final) {
	case 'm': /* SGR */
		sgr(vt);
		break;
	case 'r': /* DECSTBM */
		set_margins(vt, vt->par[0], vt->npar ? vt->par[1] : 0);
		break;
	case 'h': /* SM */
	case 'l': /* RM */
		set_modes(vt, final == 'h');
		break;
	case 's': /* SCOSC */
		save_cursor(vt, &vt->saved);
		break;
	case 'u': /* SCORC */
		restore_cursor(vt, &vt->saved);
		break;
	case 'n': /* DSR */
		if (vt->par[0] == 6)
			report_cursor(vt);
		else if (vt->par[0] == 5)
			queue_reply(vt, ok_reply, sizeof(ok_reply));
		break;
	case 'c': /* DA: "a VT102", as Linux answers */
		if (!vt->par[0])
			queue_reply(vt, da_reply, sizeof(da_reply));
		break;
	}
}

static void csi_dispatch(struct vt_emul *vt, unsigned char final)
{
	if (vt->intermediate)
		return; /* DECSTR (CSI ! p), DECSCUSR...: nothing to do */
	if (vt->private) {
		if (final == 'h' || final == 'l')
			set_modes(vt, final == 'h');
		return;
	}
	if (!csi_cursor(vt, final) && !csi_edit(vt, final))
		csi_other(vt, final);
}

/* ---- the parser --------------------------------------------------------- */

static void csi_start(struct vt_emul *vt)
{
	memset(vt->par, 0, sizeof(vt->par));
	vt->npar = 0;
	vt->private = 0;
	vt->intermediate = false;
	vt->state = VT_CSI;
}

/* A parameter digit; parameters past VT_NPAR are dropped, as Linux does. */
static void csi_digit(struct vt_emul *vt, unsigned char c)
{
	unsigned int *p;

	if (vt->npar >= VT_NPAR)
		return;
	p = &vt->par[vt->npar];
	*p = *p * 10 + (c - '0');
	if (*p > CSI_PARAM_MAX)
		*p = CSI_PARAM_MAX;
}

/* One byte of a control sequence after ESC [ (ECMA-48 section 5.4). */
static void csi_byte(struct vt_emul *vt, unsigned char c)
{
	if (c >= '0' && c <= '9') {
		csi_digit(vt, c);
	} else if (c == ';') {
		if (vt->npar < VT_NPAR)
			vt->npar++;
	} else if (c >= '<' && c <= '?') {
		vt->private = (char)c;
	} else if (c >= ' ' && c <= '/') {
		vt->intermediate = true;
	} else if (c == '[' && !vt->npar && !vt->par[0] && !vt->private) {
		vt->state = VT_SKIP_ONE; /* ESC [ [ x: Linux ignores x */
	} else if (c >= '@' && c <= '~') {
		vt->state = VT_GROUND;
		if (vt->npar >= VT_NPAR)
			vt->npar = VT_NPAR - 1;
		csi_dispatch(vt, c);
	} else {
		vt->state = VT_GROUND; /* malformed: drop the sequence */
	}
}

/* The byte after ESC. */
static void esc_byte(struct vt_emul *vt, unsigned char c)
{
	vt->state = VT_GROUND;
	switch (c) {
	case '[':
		csi_start(vt);
		break;
	case ']':
		vt->state = VT_OSC;
		break;
	case '(':
	case ')':
		vt->state = VT_CHARSET;
		break;
	case '#':
		vt->state = VT_HASH;
		break;
	case '7': /* DECSC */
		save_cursor(vt, &vt->saved);
		break;
	case '8': /* DECRC */
		restore_cursor(vt, &vt->saved);
		break;
	case 'D': /* IND */
		line_feed(vt);
		break;
	case 'E': /* NEL */
		carriage_return(vt);
		line_feed(vt);
		break;
	case 'M': /* RI */
		reverse_index(vt);
		break;
	case 'c': /* RIS */
		vt_emul_reset(vt);
		break;
	}
}

/*
 * A control byte (below 0x20, or DEL) in any state but the string
 * states: acts at once, as on a VT100, even inside a sequence.
 */
static void control_byte(struct vt_emul *vt, unsigned char c)
{
	switch (c) {
	case C0_BS:
		backspace(vt);
		break;
	case C0_HT:
		tab(vt);
		break;
	case C0_LF:
	case C0_VT:
	case C0_FF:
		line_feed(vt);
		break;
	case C0_CR:
		carriage_return(vt);
		break;
	case ESC:
		vt->state = VT_ESC;
		break;
	case C0_CAN:
	case C0_SUB:
		vt->state = VT_GROUND;
		break;
	}
	/* BEL, DEL, SO/SI and the rest: ignored */
}

/*
 * A byte of printable text: ASCII as is, each UTF-8 encoded code point
 * beyond it as one placeholder cell (its continuation bytes swallowed).
 */
static void text_byte(struct vt_emul *vt, unsigned char c)
{
	if (c < 0x80) {
		vt->utf8_more = 0;
		put_glyph(vt, c, vt->attr);
		return;
	}
	if ((c & 0xc0) == 0x80 && vt->utf8_more) {
		vt->utf8_more--;
		return;
	}
	if ((c & 0xe0) == 0xc0)
		vt->utf8_more = 1;
	else if ((c & 0xf0) == 0xe0)
		vt->utf8_more = 2;
	else if ((c & 0xf8) == 0xf0)
		vt->utf8_more = 3;
	else
		vt->utf8_more = 0; /* stray byte: one placeholder too */
	put_glyph(vt, VT_PLACEHOLDER, vt->attr);
}

/* Operating system commands (titles, palette) end at BEL or ESC \. */
static void osc_byte(struct vt_emul *vt, unsigned char c)
{
	if (vt->state == VT_OSC_ESC) {
		vt->state = c == '\\' ? VT_GROUND : VT_OSC;
		if (c == '[') /* a new sequence: the OSC was cut short */
			csi_start(vt);
		return;
	}
	if (c == C0_BEL || c == C0_CAN || c == C0_SUB)
		vt->state = VT_GROUND;
	else if (c == ESC)
		vt->state = VT_OSC_ESC;
}

static void emul_byte(struct vt_emul *vt, unsigned char c)
{
	if (vt->state == VT_OSC || vt->state == VT_OSC_ESC) {
		osc_byte(vt, c);
		return;
	}
	if (c < ' ' || c == C0_DEL) {
		control_byte(vt, c);
		return;
	}
	switch (vt->state) {
	case VT_GROUND:
		text_byte(vt, c);
		break;
	case VT_ESC:
		esc_byte(vt, c);
		break;
	case VT_CSI:
		csi_byte(vt, c);
		break;
	default: /* VT_CHARSET, VT_HASH, VT_SKIP_ONE: this byte is skipped */
		vt->state = VT_GROUND;
		break;
	}
}

void vt_emul_write(struct vt_emul *vt, const unsigned char *buf, size_t n)
{
	while (n--)
		emul_byte(vt, *buf++);
}

void vt_emul_print(struct vt_emul *vt, const char *s, size_t n, u8 attr)
{
	unsigned char c;

	while (n--) {
		c = (unsigned char)*s++;
		if (c == '\n') {
			carriage_return(vt);
			line_feed(vt);
		} else if (c == '\r') {
			carriage_return(vt);
		} else if (c == C0_BS) {
			backspace(vt);
		} else if (c == C0_HT) {
			tab(vt);
		} else if (c >= ' ') {
			put_glyph(vt, c < C0_DEL ? c : VT_PLACEHOLDER, attr);
		}
	}
}

size_t vt_emul_take_reply(struct vt_emul *vt, char *buf, size_t size)
{
	size_t n = vt->reply_len < size ? vt->reply_len : size;

	memcpy(buf, vt->reply, n);
	memmove(vt->reply, vt->reply + n, vt->reply_len - n);
	vt->reply_len -= (unsigned int)n;
	return n;
}

void vt_emul_reset(struct vt_emul *vt)
{
	vt->mode = VT_MODE_DEFAULT;
	vt->state = VT_GROUND;
	vt->utf8_more = 0;
	vt->top = 0;
	vt->bottom = VT_ROWS - 1;
	sgr_reset(vt);
	update_attr(vt);
	fill(vt, 0, VT_CELLS);
	move_to(vt, 0, 0);
	save_cursor(vt, &vt->saved);
	vt->alt_saved = vt->saved;
}

void vt_emul_init(struct vt_emul *vt, u16 *screen)
{
	vt->screen = screen;
	vt->reply_len = 0;
	vt_emul_reset(vt);
}
