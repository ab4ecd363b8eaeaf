/*
 * The virtual consoles: four terminals on one VGA screen.
 *
 * Each console (struct vc_data) is a terminal emulator (vt_emul.c)
 * drawing into a screen of 80x25 cells. The foreground console's screen
 * is VGA memory itself, so what it draws is seen at once; a background
 * console draws into its own shadow buffer. Switching (Alt-F1..F4, or
 * VT_ACTIVATE) copies the old foreground's cells out of VGA memory into
 * its shadow, the new one's shadow in, and points each emulator at its
 * new screen, as Linux's vc->vc_origin does.
 *
 * The tty driver "tty" owns major 4, minors 0..4: ttyN (N = 1..4) is
 * console N; tty0 is whichever console is in the foreground when it
 * writes. The tty core opens the foreground console (its index here is
 * fg_console + 1) for /dev/console with console=tty0; vt_init() tells
 * it so with tty_set_console_vt().
 *
 * Input: the keyboard interrupt (atkbd.c) hands each scancode byte to
 * vt_keyboard_input(), which decodes it (keyboard.c) and pushes the
 * bytes to the foreground console's tty (or, when nobody has that
 * console open, to tty0's, else they are dropped). Answers of the
 * emulator (ESC [ 6 n...) are input too; they are delivered from a
 * timer, because ->write may run with the line discipline's lock held
 * (echo), which the input path takes.
 *
 * printk's console "tty0" prints into the foreground console through the
 * same emulator (vt_emul_print(): no escape sequences), in colours by
 * message level, with interrupts off and even during an oops.
 *
 * Locking, in this order:
 *   vt_input_lock (spinlock, irqsave): vc_data.tty, tty0. Held while
 *                 input is pushed to a tty, so the tty stays open.
 *   tty->ldisc_lock (the core's, taken inside tty_insert_flip_string)
 *   vt_lock (spinlock, irqsave): every emulator, the shadows,
 *                 fg_console, VGA memory and the cursor registers, the
 *                 keyboard state and modes. Never held across a call
 *                 into the tty core or printk.
 */
#include "keyboard.h"
#include "vga.h"
#include "vt_emul.h"
#include <kestrel/console.h>
#include <kestrel/cred.h>
#include <kestrel/errno.h>
#include <kestrel/panic.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/spinlock.h>
#include <kestrel/string.h>
#include <kestrel/time.h>
#include <kestrel/timer.h>
#include <kestrel/tty.h>
#include <kestrel/uaccess.h>
#include <kestrel/vt.h>
#include <kestrel/wait.h>
#include <uapi/ioctls.h>
#include <uapi/vt.h>

#define VT_MAJOR 4 /* Linux's TTY_MAJOR: tty0..tty63 */
#define VT_NR_CONSOLES 4 /* tty1..tty4 */
#define VT_FG_INDEX 0 /* tty0: the foreground console */
#define VT_REPLY_CHUNK 32
#define VT_STATE_TTY0 0x1 /* vt_stat.v_state bit 0: tty0, always */
#define LOG_LEVELS 8 /* KERN_EMERG (0) .. KERN_DEBUG (7) */

_Static_assert(VT_ROWS == VGA_ROWS && VT_COLS == VGA_COLS, "screen size");
_Static_assert(KBD_LOCK_SCROLL == LED_SCR && KBD_LOCK_NUM == LED_NUM &&
		       KBD_LOCK_CAPS == LED_CAP,
	       "lock bits are the LED bits");

struct vc_data {
	struct vt_emul emul; /* vt_lock */
	u16 shadow[VT_CELLS]; /* the screen in the background (vt_lock) */
	struct tty_struct *tty; /* ttyN while open (vt_input_lock) */
};

static struct vc_data vcs[VT_NR_CONSOLES];
static unsigned int fg_console; /* vcs[] index shown (vt_lock) */
static struct kbd_state kbd; /* vt_lock */
/* KDSKBMODE's and KDSETMODE's values: lockless (READ/WRITE_ONCE), only
 * reported back (KDGKBMODE, KDGETMODE); nothing acts on them yet. */
static int kbd_mode = K_XLATE;
static int kd_mode = KD_TEXT;
static struct tty_struct *tty0; /* /dev/tty0 while open (vt_input_lock) */
static DEFINE_SPINLOCK(vt_lock);
static DEFINE_SPINLOCK(vt_input_lock);
static DECLARE_WAIT_QUEUE_HEAD(vt_activate_wait); /* VT_WAITACTIVE */
static struct timer_list reply_timer; /* delivers the emulators' answers */

/* ---- screen ------------------------------------------------------------- */

/* The console @tty draws on. vt_lock held (fg_console). */
static struct vc_data *tty_vc(struct tty_struct *tty)
{
	lockdep_assert_held(&vt_lock);
	if (tty->index == VT_FG_INDEX)
		return &vcs[fg_console];
	return &vcs[tty->index - 1];
}

/* Put the hardware cursor where the foreground emulator has it. */
static void show_cursor(void)
{
	const struct vt_emul *e = &vcs[fg_console].emul;

	vgacon_set_cursor(e->y, e->x, e->mode & VT_MODE_CURSOR);
}

/* Make console @n the foreground. vt_lock held. */
static void switch_console(unsigned int n)
{
	struct vc_data *old = &vcs[fg_console], *new = &vcs[n];
	u16 *vga = vgacon_screen();

	lockdep_assert_held(&vt_lock);
	if (n == fg_console)
		return;
	memcpy(old->shadow, vga, sizeof(old->shadow));
	old->emul.screen = old->shadow;
	memcpy(vga, new->shadow, sizeof(new->shadow));
	new->emul.screen = vga;
	fg_console = n;
	show_cursor();
	wake_up_interruptible_all(&vt_activate_wait);
}

static void activate(unsigned int n)
{
	unsigned long flags;

	spin_lock_irqsave(&vt_lock, flags);
	switch_console(n);
	spin_unlock_irqrestore(&vt_lock, flags);
}

static unsigned int current_fg(void)
{
	return READ_ONCE(fg_console);
}

/* ---- input -------------------------------------------------------------- */

/* Input bytes of console @n (a vcs[] index) to its tty, or tty0's. */
static void deliver(unsigned int n, const char *buf, size_t len)
{
	struct tty_struct *tty;
	unsigned long flags;

	spin_lock_irqsave(&vt_input_lock, flags);
	tty = vcs[n].tty ? vcs[n].tty : tty0;
	if (tty)
		tty_insert_flip_string(tty, (const unsigned char *)buf, len);
	spin_unlock_irqrestore(&vt_input_lock, flags);
}

/* Timer: hand every console's queued answers to its tty. Softirq. */
static void reply_timer_fn(struct timer_list *t)
{
	char buf[VT_REPLY_CHUNK];
	unsigned long flags;
	unsigned int n;
	size_t len;

	for (n = 0; n < VT_NR_CONSOLES; n++) {
		do {
			spin_lock_irqsave(&vt_lock, flags);
			len = vt_emul_take_reply(&vcs[n].emul, buf,
						 sizeof(buf));
			spin_unlock_irqrestore(&vt_lock, flags);
			if (len)
				deliver(n, buf, len);
		} while (len);
	}
}

int vt_keyboard_input(u8 scancode)
{
	struct kbd_event ev;
	unsigned long flags;
	unsigned int target, kflags = 0;
	int leds = -1;

	spin_lock_irqsave(&vt_lock, flags);
	if (vcs[fg_console].emul.mode & VT_MODE_APP_CURSOR)
		kflags |= KBD_APP_CURSOR;
	kbd_decode(&kbd, scancode, kflags, &ev);
	if (ev.console >= 0 && ev.console < VT_NR_CONSOLES)
		switch_console((unsigned int)ev.console);
	if (ev.leds_changed)
		leds = (int)kbd.locks;
	target = fg_console;
	spin_unlock_irqrestore(&vt_lock, flags);
	if (ev.len)
		deliver(target, ev.buf, ev.len);
	return leds;
}

/* ---- the tty driver ----------------------------------------------------- */

static int vt_open(struct tty_struct *tty, struct file *file)
{
	unsigned long flags;

	if (tty->index < 0 || tty->index > VT_NR_CONSOLES)
		return -ENXIO;
	if (!tty->winsize.ws_row) {
		tty->winsize.ws_row = VT_ROWS;
		tty->winsize.ws_col = VT_COLS;
	}
	spin_lock_irqsave(&vt_input_lock, flags);
	if (tty->index == VT_FG_INDEX)
		tty0 = tty;
	else
		vcs[tty->index - 1].tty = tty;
	spin_unlock_irqrestore(&vt_input_lock, flags);
	return 0;
}

/* The last close: no more input may reach @tty, it is about to go. */
static void vt_close(struct tty_struct *tty, struct file *file)
{
	unsigned long flags;

	if (tty->count)
		return;
	spin_lock_irqsave(&vt_input_lock, flags);
	if (tty->index == VT_FG_INDEX && tty0 == tty)
		tty0 = NULL;
	else if (tty->index > 0 && vcs[tty->index - 1].tty == tty)
		vcs[tty->index - 1].tty = NULL;
	spin_unlock_irqrestore(&vt_input_lock, flags);
}

/*
 * Output: through the emulator; never blocks, takes everything. It goes
 * in pieces of VT_WRITE_PIECE bytes with vt_lock dropped in between, so
 * that a long write (4 KiB of newlines: as many full-screen scrolls)
 * does not keep interrupts off for all of it.
 */
#define VT_WRITE_PIECE 128

static int vt_write(struct tty_struct *tty, const unsigned char *buf, int n)
{
	struct vc_data *vc;
	unsigned long flags;
	bool answer = false;
	int done, k;

	for (done = 0; done < n; done += k) {
		k = n - done < VT_WRITE_PIECE ? n - done : VT_WRITE_PIECE;
		spin_lock_irqsave(&vt_lock, flags);
		vc = tty_vc(tty);
		vt_emul_write(&vc->emul, buf + done, (size_t)k);
		if (vc == &vcs[fg_console])
			show_cursor();
		answer |= vc->emul.reply_len != 0;
		spin_unlock_irqrestore(&vt_lock, flags);
	}
	if (answer)
		mod_timer(&reply_timer, jiffies);
	return n > 0 ? n : 0;
}

/* VT_GETSTATE: the foreground and which consoles are open. */
static int get_state(struct vt_stat __user *arg)
{
	struct vt_stat st = { .v_active = (unsigned short)(current_fg() + 1),
			      .v_state = VT_STATE_TTY0 };
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&vt_input_lock, flags);
	for (n = 0; n < VT_NR_CONSOLES; n++)
		if (vcs[n].tty)
			st.v_state |= (unsigned short)(1U << (n + 1));
	spin_unlock_irqrestore(&vt_input_lock, flags);
	return copy_to_user(arg, &st, sizeof(st)) ? -EFAULT : 0;
}

/* VT_OPENQRY: the first console nobody has open, 1-based, or -1. */
static int open_query(int __user *arg)
{
	unsigned long flags;
	int n, found = -1;

	spin_lock_irqsave(&vt_input_lock, flags);
	for (n = 0; n < VT_NR_CONSOLES && found < 0; n++)
		if (!vcs[n].tty)
			found = n + 1;
	spin_unlock_irqrestore(&vt_input_lock, flags);
	return put_user(found, arg);
}

/* VT_ACTIVATE and VT_WAITACTIVE: @arg is a console number, 1-based. */
static int activate_ioctl(unsigned int cmd, unsigned long arg)
{
	unsigned int n = (unsigned int)arg - 1;

	if (!arg || arg > VT_NR_CONSOLES)
		return -ENXIO;
	if (cmd == VT_ACTIVATE) {
		activate(n);
		return 0;
	}
	return wait_event_interruptible(vt_activate_wait, current_fg() == n);
}

static int set_kbd_mode(unsigned long mode)
{
	if (mode != K_XLATE && mode != K_UNICODE)
		return -EINVAL; /* raw scancodes are not offered */
	WRITE_ONCE(kbd_mode, (int)mode);
	return 0;
}

static int set_kd_mode(unsigned long mode)
{
	if (mode != KD_TEXT && mode != KD_GRAPHICS)
		return -EINVAL;
	WRITE_ONCE(kd_mode, (int)mode);
	return 0;
}

/* Changing the display or keyboard: one's own terminal, or the right
 * to configure ttys (Linux's vt_ioctl rule). */
static bool may_configure(struct tty_struct *tty)
{
	return READ_ONCE(current->signal->tty) == tty ||
	       capable(CAP_SYS_TTY_CONFIG);
}

static int vt_ioctl(struct tty_struct *tty, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	if ((cmd == VT_ACTIVATE || cmd == KDSKBMODE || cmd == KDSETMODE) &&
	    !may_configure(tty))
		return -EPERM;

	switch (cmd) {
	case VT_GETSTATE:
		return get_state(uarg);
	case VT_OPENQRY:
		return open_query(uarg);
	case VT_ACTIVATE:
	case VT_WAITACTIVE:
		return activate_ioctl(cmd, arg);
	case VT_DISALLOCATE:
		return 0; /* the consoles are static: nothing to free */
	case KDGKBTYPE:
		return put_user((char)KB_101, (char __user *)uarg);
	case KDGKBMODE:
		return put_user(READ_ONCE(kbd_mode), (int __user *)uarg);
	case KDSKBMODE:
		return set_kbd_mode(arg);
	case KDGETMODE:
		return put_user(READ_ONCE(kd_mode), (int __user *)uarg);
	case KDSETMODE:
		return set_kd_mode(arg);
	case KDGETLED:
	case KDGKBLED:
		return put_user((char)READ_ONCE(kbd.locks),
				(char __user *)uarg);
	}
	return -ENOIOCTLCMD;
}

static const struct tty_operations vt_ops = {
	.open = vt_open,
	.close = vt_close,
	.write = vt_write,
	.ioctl = vt_ioctl,
};

static struct tty_driver vt_driver = {
	.name = "tty",
	.major = VT_MAJOR,
	.minor_start = 0,
	.num = VT_NR_CONSOLES + 1,
	.ops = &vt_ops,
};

/* For the tty core: /dev/console with console=tty0. */
static int vt_fg_index(void)
{
	return (int)current_fg() + 1;
}

int vt_init(void)
{
	int err;

	timer_setup(&reply_timer, reply_timer_fn, 0);
	tty_std_termios(&vt_driver.init_termios, B38400); /* as Linux's VTs */
	err = tty_register_driver(&vt_driver);
	if (err) {
		pr_err("vt: virtual consoles not set up (%d)\n", err);
		return err;
	}
	tty_set_console_vt(&vt_driver, vt_fg_index);
	return 0;
}

/* ---- printk's console --------------------------------------------------- */

static const u8 level_attr[LOG_LEVELS] = {
	[LOGLEVEL_EMERG] = VGA_ATTR(VGA_WHITE, VGA_RED),
	[1] = VGA_ATTR(VGA_WHITE, VGA_RED),
	[2] = VGA_ATTR(VGA_WHITE, VGA_RED),
	[LOGLEVEL_ERR] = VGA_ATTR(VGA_LIGHT_RED, VGA_BLACK),
	[LOGLEVEL_WARNING] = VGA_ATTR(VGA_YELLOW, VGA_BLACK),
	[LOGLEVEL_NOTICE] = VGA_ATTR(VGA_WHITE, VGA_BLACK),
	[LOGLEVEL_INFO] = VGA_ATTR(VGA_LIGHT_GREY, VGA_BLACK),
	[LOGLEVEL_DEBUG] = VGA_ATTR(VGA_DARK_GREY, VGA_BLACK),
};

/*
 * Kernel messages into the foreground console. Any context; during an
 * oops the lock is only tried: a report must get out even if the
 * oops happened inside the emulator.
 */
static void vt_console_write(struct console *con, const char *s,
			     unsigned int len, int level)
{
	unsigned long flags;
	bool locked = true;

	local_irq_save(flags);
	if (oops_in_progress)
		locked = spin_trylock(&vt_lock);
	else
		spin_lock(&vt_lock);
	vt_emul_print(&vcs[fg_console].emul, s, len,
		      level_attr[(unsigned int)level % LOG_LEVELS]);
	show_cursor();
	if (locked)
		spin_unlock(&vt_lock);
	local_irq_restore(flags);
}

static struct console vt_console = {
	.name = "tty",
	.index = 0,
	.write = vt_console_write,
};

/* Boot: the consoles exist (blank) and printk can draw on the first. */
static void vt_console_init(void)
{
	unsigned int n;

	for (n = 0; n < VT_NR_CONSOLES; n++)
		vt_emul_init(&vcs[n].emul, n ? vcs[n].shadow : vgacon_screen());
	kbd_init(&kbd);
	show_cursor();
	register_console(&vt_console);
}
console_initcall(vt_console_init);
