/*
 * N_TTY, the line discipline every terminal uses: it sits between the
 * tty core and the driver and turns a byte stream into what a terminal
 * user expects.
 *
 * Input (n_tty_receive, from the driver, any context, ldisc_lock held)
 * goes through four steps for each byte:
 *
 *   1. input mapping: ISTRIP, IGNCR, ICRNL, INLCR;
 *   2. flow control (IXON): VSTOP stops output, VSTART restarts it;
 *   3. signals (ISIG): VINTR, VQUIT, VSUSP flush the input (unless
 *      NOFLSH) and signal the foreground process group;
 *   4. canonical editing (ICANON): VERASE, VWERASE, VKILL edit the
 *      line being typed, VLNEXT quotes the next byte, '\n', VEOL,
 *      VEOL2 and VEOF end it. Without ICANON bytes are stored as they
 *      come and VMIN/VTIME decide when a read returns.
 *
 * The input buffer is a ring of N_TTY_BUF_SIZE bytes with free-running
 * indices:
 *
 *      read_tail        canon_head              read_head
 *          | complete lines |  the line being typed  |
 *
 * A bitmap marks the bytes that end a line. VEOF is stored as a NUL
 * with its bit set and never handed to the reader, which is how a ^D
 * at the start of a line makes read() return 0.
 *
 * Echo is queued in its own ring while ldisc_lock is held and sent to
 * the driver after it is dropped (n_tty_flush_echo), so a pty whose
 * two ends both echo cannot deadlock on the two ldisc_locks. Output
 * (user writes and echo alike) goes through opost(): ONLCR, OCRNL,
 * ONOCR, ONLRET, OLCUC and tab expansion, keeping the column that
 * erasing a tab needs.
 *
 * Locking: tty->ldisc_lock (irqsave) guards struct n_tty_data and, for
 * this file, tty->termios. Readers and writers sleep on tty->read_wait
 * and tty->write_wait.
 */
#include <kestrel/bitmap.h>
#include <kestrel/errno.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/time.h>
#include <kestrel/uaccess.h>
#include <uapi/fcntl.h>
#include <uapi/signal.h>

#include "tty_internal.h"

#define N_TTY_BUF_SIZE 4096 /* a power of two */
#define N_TTY_ECHO_SIZE 512 /* a power of two */
#define N_TTY_CHUNK 128 /* bytes moved per lock hold */
#define N_TTY_WRITE_CHUNK 64 /* user bytes output-processed at once */
#define N_TTY_RAW_CHUNK 4096 /* user bytes passed at once without OPOST */
#define TAB_STOP 8
#define DISABLED_CHAR 0 /* _POSIX_VDISABLE, and the stored VEOF */
#define CTRL_XOR 0x40 /* ^C is 'C' ^ 0x40 */
#define ASCII_DEL 0x7f
#define DECISECOND_MS 100 /* VTIME's unit */
#define OPOST_MAX 8 /* the most bytes opost() makes of one (a tab) */
#define UTF8_CONT_MASK 0xc0
#define UTF8_CONT 0x80

struct n_tty_data {
	unsigned char read_buf[N_TTY_BUF_SIZE];
	DECLARE_BITMAP(read_flags, N_TTY_BUF_SIZE);
	unsigned int read_head, read_tail, canon_head; /* free-running */
	unsigned char echo_buf[N_TTY_ECHO_SIZE];
	unsigned int echo_head, echo_tail; /* free-running */
	bool echo_busy; /* someone is sending echo to the driver */
	bool lnext; /* the next byte is taken literally */
	unsigned int column; /* output column, for tabs and erase */
	unsigned int canon_column; /* column where the edited line began */
};

#define L_FLAG(tty, f) ((tty)->termios.c_lflag & (f))
#define I_FLAG(tty, f) ((tty)->termios.c_iflag & (f))
#define O_FLAG(tty, f) ((tty)->termios.c_oflag & (f))
#define CC_CHAR(tty, v) ((tty)->termios.c_cc[v])

static inline struct n_tty_data *ldata(struct tty_struct *tty)
{
	return tty->disc_data;
}

static bool is_cntrl(unsigned char c)
{
	return c < ' ' || c == ASCII_DEL;
}

static bool is_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Is @c the special character @v (and that one not disabled)? */
static bool is_cc(struct tty_struct *tty, unsigned char c, int v)
{
	return CC_CHAR(tty, v) != DISABLED_CHAR && c == CC_CHAR(tty, v);
}

static unsigned int idx(unsigned int i)
{
	return i & (N_TTY_BUF_SIZE - 1);
}

static bool eol_bit(struct n_tty_data *ld, unsigned int i)
{
	return test_bit(idx(i), ld->read_flags);
}

static void set_eol_bit(struct n_tty_data *ld, unsigned int i, bool on)
{
	__assign_bit(idx(i), ld->read_flags, on);
}

/* ---- output processing ---------------------------------------------- */

/*
 * opost - the bytes @c becomes on output, in @out (OPOST_MAX room);
 * returns how many. Updates the column. ldisc_lock held.
 */
static unsigned int opost(struct tty_struct *tty, unsigned char c,
			  unsigned char *out)
{
	struct n_tty_data *ld = ldata(tty);
	unsigned int n = 0, spaces;

	lockdep_assert_held(&tty->ldisc_lock);
	if (!O_FLAG(tty, OPOST)) {
		out[0] = c;
		return 1;
	}
	switch (c) {
	case '\n':
		if (O_FLAG(tty, ONLRET | ONLCR))
			ld->column = 0;
		if (O_FLAG(tty, ONLCR))
			out[n++] = '\r';
		break;
	case '\r':
		if (O_FLAG(tty, ONOCR) && !ld->column)
			return 0;
		if (O_FLAG(tty, OCRNL)) {
			c = '\n';
			if (O_FLAG(tty, ONLRET))
				ld->column = 0;
			break;
		}
		ld->column = 0;
		break;
	case '\t':
		spaces = TAB_STOP - ld->column % TAB_STOP;
		ld->column += spaces;
		if ((tty->termios.c_oflag & TABDLY) != XTABS)
			break;
		memset(out, ' ', spaces);
		return spaces;
	case '\b':
		if (ld->column)
			ld->column--;
		break;
	default:
		if (O_FLAG(tty, OLCUC) && c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (!is_cntrl(c) && (c & UTF8_CONT_MASK) != UTF8_CONT)
			ld->column++;
		break;
	}
	out[n++] = c;
	return n;
}

/* ---- echo --------------------------------------------------------------- */

/* Queue @c, output-processed, for echo. ldisc_lock held. */
static void echo_raw(struct tty_struct *tty, unsigned char c)
{
	struct n_tty_data *ld = ldata(tty);
	unsigned char out[OPOST_MAX];
	unsigned int i, n = opost(tty, c, out);

	lockdep_assert_held(&tty->ldisc_lock);
	for (i = 0; i < n; i++) {
		if (ld->echo_head - ld->echo_tail >= N_TTY_ECHO_SIZE)
			return; /* the terminal isn't keeping up: drop */
		ld->echo_buf[ld->echo_head++ & (N_TTY_ECHO_SIZE - 1)] = out[i];
	}
}

/* Echo @c as the user sees it typed: control characters as ^X. */
static void echo_char(struct tty_struct *tty, unsigned char c)
{
	if (L_FLAG(tty, ECHOCTL) && is_cntrl(c) && c != '\t' && c != '\n') {
		echo_raw(tty, '^');
		echo_raw(tty, c ^ CTRL_XOR);
		return;
	}
	echo_raw(tty, c);
}

static void echo_erase_one(struct tty_struct *tty)
{
	echo_raw(tty, '\b');
	echo_raw(tty, ' ');
	echo_raw(tty, '\b');
}

void n_tty_flush_echo(struct tty_struct *tty)
{
	struct n_tty_data *ld = ldata(tty);
	unsigned char chunk[N_TTY_CHUNK];
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&tty->ldisc_lock, flags);
	if (!ld || ld->echo_busy) {
		/* The one sending will pick our bytes up too. */
		spin_unlock_irqrestore(&tty->ldisc_lock, flags);
		return;
	}
	ld->echo_busy = true;
	while (ld->echo_head != ld->echo_tail) {
		for (n = 0; n < sizeof(chunk) && ld->echo_tail != ld->echo_head;
		     n++)
			chunk[n] = ld->echo_buf[ld->echo_tail++ &
						(N_TTY_ECHO_SIZE - 1)];
		spin_unlock_irqrestore(&tty->ldisc_lock, flags);
		tty_driver_write(tty, chunk, (int)n);
		spin_lock_irqsave(&tty->ldisc_lock, flags);
		if (tty->disc_data != ld) {
			/* Closed meanwhile: @ld is gone. */
			spin_unlock_irqrestore(&tty->ldisc_lock, flags);
			return;
		}
	}
	ld->echo_busy = false;
	spin_unlock_irqrestore(&tty->ldisc_lock, flags);
}

/* ---- input: the line buffer ------------------------------------------- */

static unsigned int read_cnt(struct n_tty_data *ld)
{
	return ld->read_head - ld->read_tail;
}

/* Where a stored byte stands in its line: a line end sets its EOL bit. */
enum line_pos { MID_LINE, LINE_END };

/*
 * Store @c, a LINE_END or not. In canonical mode the last free byte is
 * kept for a line end, so an overlong line can still be finished (Linux
 * drops the rest of it the same way).
 */
static bool put_char(struct tty_struct *tty, unsigned char c, enum line_pos pos)
{
	struct n_tty_data *ld = ldata(tty);
	unsigned int room = N_TTY_BUF_SIZE - read_cnt(ld);

	if (!room || (L_FLAG(tty, ICANON) && room == 1 && pos != LINE_END))
		return false;
	ld->read_buf[idx(ld->read_head)] = c;
	set_eol_bit(ld, ld->read_head, pos == LINE_END);
	ld->read_head++;
	if (pos == LINE_END) {
		ld->canon_head = ld->read_head;
		ld->canon_column = ld->column;
	}
	return true;
}

void n_tty_flush_input(struct tty_struct *tty)
{
	struct n_tty_data *ld = ldata(tty);

	lockdep_assert_held(&tty->ldisc_lock);
	if (!ld)
		return;
	ld->read_tail = ld->read_head = ld->canon_head = 0;
	ld->lnext = false;
	memset(ld->read_flags, 0, sizeof(ld->read_flags));
	ld->canon_column = ld->column;
}

/* ---- input: canonical editing ----------------------------------------- */

/* The column a line ending just before @end would leave the cursor at. */
static unsigned int column_at(struct tty_struct *tty, unsigned int end)
{
	struct n_tty_data *ld = ldata(tty);
	unsigned int i, col = ld->canon_column;
	unsigned char c;

	for (i = ld->canon_head; i != end; i++) {
		c = ld->read_buf[idx(i)];
		if (c == '\t')
			col += TAB_STOP - col % TAB_STOP;
		else if (is_cntrl(c))
			col += L_FLAG(tty, ECHOCTL) ? 2 : 0;
		else if ((c & UTF8_CONT_MASK) != UTF8_CONT)
			col++;
	}
	return col;
}

/* Undo on screen the echo of @c, which was just removed from the line. */
static void echo_rubout(struct tty_struct *tty, unsigned char c)
{
	struct n_tty_data *ld = ldata(tty);
	unsigned int col, n;

	if (c == '\t') {
		/* Count first: without OPOST the backspaces do not move
		 * ld->column, and a loop on it would never end. */
		col = column_at(tty, ld->read_head);
		for (n = ld->column > col ? ld->column - col : 0; n; n--)
			echo_raw(tty, '\b');
		ld->column = col;
		return;
	}
	if ((c & UTF8_CONT_MASK) == UTF8_CONT)
		return; /* the lead byte takes the cell back */
	if (is_cntrl(c) && !L_FLAG(tty, ECHOCTL))
		return;
	echo_erase_one(tty);
	if (is_cntrl(c))
		echo_erase_one(tty);
}

/* The kill character without ECHOKE: echo it and start a new line. */
static void kill_line_plain(struct tty_struct *tty, unsigned char c)
{
	struct n_tty_data *ld = ldata(tty);

	ld->read_head = ld->canon_head;
	if (!L_FLAG(tty, ECHO))
		return;
	echo_char(tty, c);
	if (L_FLAG(tty, ECHOK))
		echo_raw(tty, '\n');
	ld->canon_column = ld->column;
}

/*
 * eraser - VERASE (one character), VWERASE (a word and the blanks
 * before it) or VKILL (the whole line), never past canon_head.
 */
static void eraser(struct tty_struct *tty, unsigned char c)
{
	struct n_tty_data *ld = ldata(tty);
	bool erase = is_cc(tty, c, VERASE),
	     word = !erase && !is_cc(tty, c, VKILL);
	bool seen_word = false;
	unsigned char prev;

	if (ld->read_head == ld->canon_head)
		return;
	if (!erase && !word &&
	    (!L_FLAG(tty, ECHO) || !L_FLAG(tty, ECHOK) ||
	     !L_FLAG(tty, ECHOKE) || !L_FLAG(tty, ECHOE))) {
		kill_line_plain(tty, c);
		return;
	}
	while (ld->read_head != ld->canon_head) {
		prev = ld->read_buf[idx(ld->read_head - 1)];
		if (word && is_word(prev))
			seen_word = true;
		else if (word && seen_word)
			break;
		ld->read_head--;
		if (L_FLAG(tty, ECHO) && erase && !L_FLAG(tty, ECHOE))
			echo_char(tty, c);
		else if (L_FLAG(tty, ECHO))
			echo_rubout(tty, prev);
		if (erase && (prev & UTF8_CONT_MASK) != UTF8_CONT)
			break;
	}
}

/* ---- input: one byte --------------------------------------------------- */

/* ISIG: VINTR, VQUIT or VSUSP typed. */
static unsigned long isig(struct tty_struct *tty, unsigned char c, int sig)
{
	if (!L_FLAG(tty, NOFLSH))
		n_tty_flush_input(tty);
	if (L_FLAG(tty, ECHO))
		echo_char(tty, c);
	if (!L_FLAG(tty, NOFLSH)) /* a new line starts after the echoed ^C */
		ldata(tty)->canon_column = ldata(tty)->column;
	if (I_FLAG(tty, IXON))
		tty_clear_flag(tty, TTY_STOPPED);
	return TTY_SIGBIT(sig);
}

/* A byte that will be stored: echo it and keep it. */
static void store(struct tty_struct *tty, unsigned char c, enum line_pos pos)
{
	bool echo = L_FLAG(tty, ECHO) ||
		    (c == '\n' && L_FLAG(tty, ECHONL) && L_FLAG(tty, ICANON));

	if (!put_char(tty, c, pos))
		return;
	if (echo)
		echo_char(tty, c);
	if (pos ==
	    LINE_END) /* the next line starts where this echo left the cursor */
		ldata(tty)->canon_column = ldata(tty)->column;
}

/* Canonical-mode special characters; true if @c was one. */
static bool canon_special(struct tty_struct *tty, unsigned char c)
{
	if (is_cc(tty, c, VERASE) || is_cc(tty, c, VKILL) ||
	    (L_FLAG(tty, IEXTEN) && is_cc(tty, c, VWERASE))) {
		eraser(tty, c);
		return true;
	}
	if (L_FLAG(tty, IEXTEN) && is_cc(tty, c, VLNEXT)) {
		ldata(tty)->lnext = true;
		if (L_FLAG(tty, ECHO) && L_FLAG(tty, ECHOCTL)) {
			echo_raw(tty, '^');
			echo_raw(tty, '\b');
		}
		return true;
	}
	if (is_cc(tty, c, VEOF)) {
		put_char(tty, DISABLED_CHAR, LINE_END);
		return true;
	}
	if (c == '\n' || is_cc(tty, c, VEOL) ||
	    (L_FLAG(tty, IEXTEN) && is_cc(tty, c, VEOL2))) {
		store(tty, c, LINE_END);
		return true;
	}
	return false;
}

/* Input mapping (ISTRIP, IGNCR, ICRNL, INLCR); false: drop the byte. */
static bool map_input(struct tty_struct *tty, unsigned char *c)
{
	if (I_FLAG(tty, ISTRIP))
		*c &= ASCII_DEL;
	if (*c == '\r') {
		if (I_FLAG(tty, IGNCR))
			return false;
		if (I_FLAG(tty, ICRNL))
			*c = '\n';
	} else if (*c == '\n' && I_FLAG(tty, INLCR)) {
		*c = '\r';
	}
	return true;
}

/* Flow control (IXON); true if @c was consumed. */
static bool flow_control(struct tty_struct *tty, unsigned char c)
{
	if (!I_FLAG(tty, IXON))
		return false;
	if (is_cc(tty, c, VSTOP)) {
		tty_set_flag(tty, TTY_STOPPED);
		return true;
	}
	if (is_cc(tty, c, VSTART)) {
		tty_clear_flag(tty, TTY_STOPPED);
		return true;
	}
	if (I_FLAG(tty, IXANY))
		tty_clear_flag(tty, TTY_STOPPED);
	return false;
}

static unsigned long receive_char(struct tty_struct *tty, unsigned char c)
{
	struct n_tty_data *ld = ldata(tty);

	if (ld->lnext) {
		ld->lnext = false;
		if (L_FLAG(tty, ECHO) && L_FLAG(tty, ECHOCTL))
			echo_raw(tty, '\b');
		store(tty, c, MID_LINE);
		return 0;
	}
	if (!map_input(tty, &c) || flow_control(tty, c))
		return 0;
	if (L_FLAG(tty, ISIG)) {
		if (is_cc(tty, c, VINTR))
			return isig(tty, c, SIGINT);
		if (is_cc(tty, c, VQUIT))
			return isig(tty, c, SIGQUIT);
		if (is_cc(tty, c, VSUSP))
			return isig(tty, c, SIGTSTP);
	}
	if (L_FLAG(tty, ICANON) && canon_special(tty, c))
		return 0;
	store(tty, c, MID_LINE);
	return 0;
}

/*
 * "Real raw" input (Linux's term): no editing, signals, echo or input
 * mapping, so bytes need no look one by one. In raw mode the EOL bits
 * mean nothing (take() ignores them and going canonical clears them).
 */
static bool real_raw(struct tty_struct *tty)
{
	return !L_FLAG(tty, ICANON | ISIG | ECHO | IEXTEN) &&
	       !I_FLAG(tty, ISTRIP | INLCR | IGNCR | ICRNL | IUCLC | IXON |
				    PARMRK) &&
	       !ldata(tty)->lnext;
}

/* Of @n bytes at ring position @pos, how many lie before the wrap. */
static size_t ring_first(unsigned int pos, size_t n)
{
	size_t first = N_TTY_BUF_SIZE - idx(pos);

	return first < n ? first : n;
}

static void ring_put(struct n_tty_data *ld, const unsigned char *src, size_t n)
{
	size_t first = ring_first(ld->read_head, n);

	memcpy(ld->read_buf + idx(ld->read_head), src, first);
	memcpy(ld->read_buf, src + first, n - first);
	ld->read_head += (unsigned int)n;
}

static void ring_get(struct n_tty_data *ld, unsigned char *dst, size_t n)
{
	size_t first = ring_first(ld->read_tail, n);

	memcpy(dst, ld->read_buf + idx(ld->read_tail), first);
	memcpy(dst + first, ld->read_buf, n - first);
	ld->read_tail += (unsigned int)n;
}

/* Real raw input: as much as fits, the rest dropped (as put_char). */
static void receive_raw(struct n_tty_data *ld, const unsigned char *s, size_t n)
{
	size_t room = N_TTY_BUF_SIZE - read_cnt(ld);

	if (n > room)
		n = room;
	ring_put(ld, s, n);
}

unsigned long n_tty_receive(struct tty_struct *tty, const unsigned char *s,
			    size_t n, bool *wake)
{
	struct n_tty_data *ld = ldata(tty);
	unsigned int before;
	unsigned long sigs = 0;

	lockdep_assert_held(&tty->ldisc_lock);
	*wake = false;
	if (!ld)
		return 0;
	before = L_FLAG(tty, ICANON) ? ld->canon_head : ld->read_head;
	if (real_raw(tty))
		receive_raw(ld, s, n);
	else
		while (n--)
			sigs |= receive_char(tty, *s++);
	*wake = before !=
		(L_FLAG(tty, ICANON) ? ld->canon_head : ld->read_head);
	return sigs;
}

void n_tty_set_termios(struct tty_struct *tty, const struct termios *old)
{
	struct n_tty_data *ld = ldata(tty);

	lockdep_assert_held(&tty->ldisc_lock);
	if (!ld || (old->c_lflag & ICANON) || !L_FLAG(tty, ICANON))
		return;
	/* Raw input still unread becomes a line the reader gets. */
	memset(ld->read_flags, 0, sizeof(ld->read_flags));
	if (read_cnt(ld))
		set_eol_bit(ld, ld->read_head - 1, true);
	ld->canon_head = ld->read_head;
	ld->canon_column = ld->column;
}

/* ---- reading ------------------------------------------------------------ */

/* Enough input for a reader (or a poller) wanting @min bytes? */
static bool input_available(struct tty_struct *tty, unsigned int min)
{
	struct n_tty_data *ld = ldata(tty);

	if (L_FLAG(tty, ICANON))
		return ld->canon_head != ld->read_tail;
	return read_cnt(ld) >= (min ? min : 1);
}

unsigned int n_tty_receive_room(struct tty_struct *tty)
{
	unsigned long flags;
	unsigned int room = 0;

	spin_lock_irqsave(&tty->ldisc_lock, flags);
	if (ldata(tty))
		room = N_TTY_BUF_SIZE - read_cnt(ldata(tty));
	spin_unlock_irqrestore(&tty->ldisc_lock, flags);
	return room;
}

unsigned int n_tty_inq(struct tty_struct *tty)
{
	struct n_tty_data *ld = ldata(tty);
	unsigned long flags;
	unsigned int i, n;

	spin_lock_irqsave(&tty->ldisc_lock, flags);
	if (!L_FLAG(tty, ICANON)) {
		n = read_cnt(ld);
	} else {
		n = 0;
		for (i = ld->read_tail; i != ld->canon_head; i++)
			if (!eol_bit(ld, i) ||
			    ld->read_buf[idx(i)] != DISABLED_CHAR)
				n++;
	}
	spin_unlock_irqrestore(&tty->ldisc_lock, flags);
	return n;
}

/*
 * take - move up to @n bytes of input into @dst; *@line_done is set
 * when a canonical line end was consumed (the read must stop there).
 * ldisc_lock held.
 */
static size_t take(struct tty_struct *tty, unsigned char *dst, size_t n,
		   bool *line_done)
{
	struct n_tty_data *ld = ldata(tty);
	unsigned int end = L_FLAG(tty, ICANON) ? ld->canon_head : ld->read_head;
	size_t got = 0;
	bool eol;
	unsigned char c;

	lockdep_assert_held(&tty->ldisc_lock);
	*line_done = false;
	if (!L_FLAG(tty, ICANON)) { /* no lines, no EOL bits: one copy */
		got = read_cnt(ld) < n ? read_cnt(ld) : n;
		ring_get(ld, dst, got);
		return got;
	}
	while (ld->read_tail != end) {
		eol = eol_bit(ld, ld->read_tail);
		c = ld->read_buf[idx(ld->read_tail)];
		if (eol && c == DISABLED_CHAR) {
			ld->read_tail++; /* VEOF: ends the line, not read */
			*line_done = true;
			break;
		}
		if (got == n)
			break;
		set_eol_bit(ld, ld->read_tail, false);
		ld->read_tail++;
		dst[got++] = c;
		if (eol) {
			*line_done = true;
			break;
		}
	}
	return got;
}

/* The VMIN/VTIME rules, as POSIX tells them (docs/tty.md). */
struct read_plan {
	unsigned int min; /* bytes the read waits for */
	long timeout; /* jiffies: first wait, then between bytes */
	bool overall; /* MIN == 0: the timer starts at the read */
};

static void plan_read(struct tty_struct *tty, size_t n, struct read_plan *p)
{
	unsigned int vmin = CC_CHAR(tty, VMIN), vtime = CC_CHAR(tty, VTIME);

	p->min = 1;
	p->timeout = MAX_SCHEDULE_TIMEOUT;
	p->overall = false;
	if (L_FLAG(tty, ICANON))
		return;
	if (vtime)
		p->timeout = (long)msecs_to_jiffies(vtime * DECISECOND_MS);
	if (!vmin) {
		p->min = 0;
		p->overall = true;
		if (!vtime)
			p->timeout = 0;
		return;
	}
	p->min = vmin < n ? vmin : (unsigned int)n;
}

/* Copy input to user space; returns bytes copied or -EFAULT. */
static ssize_t read_some(struct tty_struct *tty, char __user *buf, size_t n,
			 bool *line_done)
{
	unsigned char chunk[N_TTY_CHUNK];
	unsigned long flags;
	size_t got, total = 0;

	*line_done = false;
	while (total < n && !*line_done) {
		spin_lock_irqsave(&tty->ldisc_lock, flags);
		got = take(tty, chunk,
			   n - total < sizeof(chunk) ? n - total :
						       sizeof(chunk),
			   line_done);
		spin_unlock_irqrestore(&tty->ldisc_lock, flags);
		if (!got)
			break;
		if (copy_to_user(buf + total, chunk, got))
			return -EFAULT;
		total += got;
	}
	if (total && tty->driver->ops->unthrottle)
		tty->driver->ops->unthrottle(tty);
	return (ssize_t)total;
}

/* Must the read loop stop instead of waiting? Then *@ret is its result. */
static bool read_must_stop(struct tty_struct *tty, struct file *file,
			   size_t total, ssize_t *ret)
{
	*ret = (ssize_t)total;
	if (tty_test_flag(tty, TTY_OTHER_CLOSED)) {
		if (!total)
			*ret = -EIO;
		return true;
	}
	if (tty_hung_up(tty, file))
		return true;
	if (file->f_flags & O_NONBLOCK) {
		if (!total)
			*ret = -EAGAIN;
		return true;
	}
	if (signal_pending(current)) {
		if (!total)
			*ret = -ERESTARTSYS;
		return true;
	}
	return false;
}

ssize_t n_tty_read(struct tty_struct *tty, struct file *file, char __user *buf,
		   size_t n)
{
	struct wait_queue_entry wait;
	struct read_plan plan;
	size_t total = 0;
	ssize_t got, ret;
	bool line_done;
	int err;

	err = tty_check_read(tty);
	if (err)
		return err;
	if (!n)
		return 0;
	plan_read(tty, n, &plan);
	init_wait_entry(&wait, 0);
	for (;;) {
		got = read_some(tty, buf + total, n - total, &line_done);
		if (got < 0)
			return total ? (ssize_t)total : got;
		total += (size_t)got;
		if (line_done || total >= n ||
		    (total && (L_FLAG(tty, ICANON) || total >= plan.min)))
			break;
		if (got && !plan.overall && CC_CHAR(tty, VTIME))
			plan.timeout = (long)msecs_to_jiffies(
				CC_CHAR(tty, VTIME) * DECISECOND_MS);
		if (!plan.timeout && !L_FLAG(tty, ICANON))
			break;
		prepare_to_wait(&tty->read_wait, &wait, TASK_INTERRUPTIBLE);
		if (!input_available(tty, 1)) {
			if (read_must_stop(tty, file, total, &ret)) {
				finish_wait(&tty->read_wait, &wait);
				return ret;
			}
			/* MIN > 0, TIME > 0: the timer runs once a byte came. */
			if (plan.overall || total || L_FLAG(tty, ICANON) ||
			    !CC_CHAR(tty, VTIME))
				plan.timeout = schedule_timeout(plan.timeout);
			else
				schedule();
		}
		finish_wait(&tty->read_wait, &wait);
	}
	return (ssize_t)total;
}

/* ---- writing ------------------------------------------------------------ */

/* Wait until the driver takes bytes; 0, or -EIO / -EAGAIN / -ERESTARTSYS. */
static int wait_for_room(struct tty_struct *tty, struct file *file)
{
	struct wait_queue_entry wait;
	int err = 0;

	init_wait_entry(&wait, 0);
	for (;;) {
		prepare_to_wait(&tty->write_wait, &wait, TASK_INTERRUPTIBLE);
		if (tty_hung_up(tty, file) ||
		    tty_test_flag(tty, TTY_OTHER_CLOSED))
			err = -EIO;
		else if (!tty_test_flag(tty, TTY_STOPPED) &&
			 tty_write_room(tty))
			break;
		else if (file->f_flags & O_NONBLOCK)
			err = -EAGAIN;
		else if (signal_pending(current))
			err = -ERESTARTSYS;
		if (err)
			break;
		schedule();
	}
	finish_wait(&tty->write_wait, &wait);
	return err;
}

/*
 * Hand @n processed bytes to the driver, waiting for room; *@sent says
 * how many it took, also when an error (-EAGAIN...) cut it short.
 */
static int push_out(struct tty_struct *tty, struct file *file,
		    const unsigned char *out, size_t n, size_t *sent)
{
	int k, err;

	*sent = 0;
	while (n) {
		err = wait_for_room(tty, file);
		if (err)
			return err;
		k = tty_driver_write(tty, out, (int)n);
		out += k;
		n -= (size_t)k;
		*sent += (size_t)k;
	}
	return 0;
}

/*
 * Raw output (no OPOST: a pty master, cfmakeraw) in large pieces. Each
 * piece handed to the driver may wake (and so switch to) the reader on
 * the other side; 64-byte pieces made a pty crawl at 2 MB/s.
 */
static ssize_t write_raw(struct tty_struct *tty, struct file *file,
			 const char __user *buf, size_t n)
{
	unsigned char *chunk = kmalloc(N_TTY_RAW_CHUNK, GFP_KERNEL);
	size_t done = 0, k, sent;
	int err = 0;

	if (!chunk)
		return -ENOMEM;
	while (done < n && !err) {
		k = n - done < N_TTY_RAW_CHUNK ? n - done : N_TTY_RAW_CHUNK;
		if (copy_from_user(chunk, buf + done, k)) {
			err = -EFAULT;
			break;
		}
		err = push_out(tty, file, chunk, k, &sent);
		done += sent; /* bytes taken count, even if cut short */
	}
	kfree(chunk);
	return done ? (ssize_t)done : err;
}

ssize_t n_tty_write(struct tty_struct *tty, struct file *file,
		    const char __user *buf, size_t n)
{
	unsigned char in[N_TTY_WRITE_CHUNK];
	unsigned char out[N_TTY_WRITE_CHUNK * OPOST_MAX];
	unsigned long flags;
	size_t done = 0, k, i, olen, sent;
	int err;

	err = tty_check_write(tty);
	if (err)
		return err;
	if (!O_FLAG(tty, OPOST) && n > sizeof(out))
		return write_raw(tty, file, buf, n);
	while (done < n) {
		k = n - done < sizeof(in) ? n - done : sizeof(in);
		if (copy_from_user(in, buf + done, k))
			return done ? (ssize_t)done : -EFAULT;
		spin_lock_irqsave(&tty->ldisc_lock, flags);
		for (i = olen = 0; i < k; i++)
			olen += opost(tty, in[i], out + olen);
		spin_unlock_irqrestore(&tty->ldisc_lock, flags);
		err = push_out(tty, file, out, olen, &sent);
		if (err)
			return done ? (ssize_t)done : err;
		done += k;
	}
	return (ssize_t)done;
}

unsigned int n_tty_poll(struct tty_struct *tty, struct file *file,
			struct poll_table_struct *pt)
{
	unsigned int mask = 0, min = 1;

	poll_wait(file, &tty->read_wait, pt);
	poll_wait(file, &tty->write_wait, pt);
	if (!L_FLAG(tty, ICANON) && !CC_CHAR(tty, VTIME) && CC_CHAR(tty, VMIN))
		min = CC_CHAR(tty, VMIN);
	if (input_available(tty, min))
		mask |= POLLIN | POLLRDNORM;
	if (tty_hung_up(tty, file) || tty_test_flag(tty, TTY_OTHER_CLOSED))
		mask |= POLLHUP;
	if (!tty_test_flag(tty, TTY_STOPPED) && tty_write_room(tty))
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

/* ---- open and close ----------------------------------------------------- */

int n_tty_open(struct tty_struct *tty)
{
	struct n_tty_data *ld = kzalloc(sizeof(*ld), GFP_KERNEL);
	unsigned long flags;

	if (!ld)
		return -ENOMEM;
	spin_lock_irqsave(&tty->ldisc_lock, flags);
	tty->disc_data = ld;
	spin_unlock_irqrestore(&tty->ldisc_lock, flags);
	return 0;
}

void n_tty_close(struct tty_struct *tty)
{
	unsigned long flags;
	struct n_tty_data *ld;

	spin_lock_irqsave(&tty->ldisc_lock, flags);
	ld = tty->disc_data;
	tty->disc_data = NULL;
	spin_unlock_irqrestore(&tty->ldisc_lock, flags);
	kfree(ld);
}
