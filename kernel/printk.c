/*
 * printk and the kernel log.
 *
 * The log is one ring of text, log_buf, in the format Linux 2.6 kept:
 * every line starts with its level marker and a timestamp,
 *
 *	<6>[    0.012345] Memory: 253952K available
 *
 * log_end counts every byte ever written, so a reader (dmesg, the gdb
 * helper kx-dmesg) knows what was overwritten. Each completed piece of
 * text also goes straight to the enabled consoles, without the marker,
 * when its level is below console_loglevel.
 *
 * Locking: logbuf_lock (irqsave) protects log_buf, log_end, the line
 * state and the console list; consoles are written under it, so lines
 * from an interrupt handler never interleave with others. While an oops
 * is reported (oops_in_progress) the lock is only tried, never waited
 * for: a report from inside printk must still get out.
 *
 * The end of the file reads the log for user space: syslog(2), which
 * dmesg uses, and /proc/kmsg (fs/proc/kmsg.c), which klogd uses.
 */
#include <kestrel/console.h>
#include <kestrel/cred.h>
#include <kestrel/errno.h>
#include <kestrel/init.h>
#include <kestrel/kstrtox.h>
#include <kestrel/math64.h>
#include <kestrel/mutex.h>
#include <kestrel/panic.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/spinlock.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/syslog.h>
#include <kestrel/time.h>
#include <kestrel/uaccess.h>
#include <uapi/fcntl.h>

#define DEFAULT_MESSAGE_LOGLEVEL LOGLEVEL_WARNING
#define MINIMUM_CONSOLE_LOGLEVEL 1 /* syslog(2) cannot go lower */
#define DEFAULT_CONSOLE_LOGLEVEL 7
#define MAX_PREFERRED_CONSOLES 8
#define PRINTK_LINE_MAX 1024

char log_buf[LOG_BUF_LEN];
unsigned long log_end;
int console_printk[4] = {
	DEFAULT_CONSOLE_LOGLEVEL,
	DEFAULT_MESSAGE_LOGLEVEL,
	MINIMUM_CONSOLE_LOGLEVEL,
	DEFAULT_CONSOLE_LOGLEVEL,
};

static DEFINE_SPINLOCK(logbuf_lock);
static LIST_HEAD(console_list);
static bool at_line_start = true; /* the last byte logged was '\n' */
static int line_level = DEFAULT_MESSAGE_LOGLEVEL;

struct preferred_console {
	char name[8];
	int index;
};
static struct preferred_console preferred[MAX_PREFERRED_CONSOLES];
static int nr_preferred;

/* console=NAMEn, e.g. ttyS0 or tty0; options after a comma are ignored. */
static int console_param(char *value)
{
	char name[8];
	size_t n = 0;
	int index;

	if (!value)
		return -EINVAL;
	while (value[n] && (value[n] < '0' || value[n] > '9') &&
	       value[n] != ',' && n < sizeof(name) - 1) {
		name[n] = value[n];
		n++;
	}
	name[n] = '\0';
	index = 0;
	while (value[n] >= '0' && value[n] <= '9')
		index = index * 10 + (value[n++] - '0');
	if (!n || (value[n] && value[n] != ','))
		return -EINVAL;
	return add_preferred_console(name, index);
}
early_param("console", console_param);

static void log_putc(char c)
{
	log_buf[log_end & (LOG_BUF_LEN - 1)] = c;
	log_end++;
}

static void log_write(const char *s, unsigned int len)
{
	while (len--)
		log_putc(*s++);
}

static void consoles_write(const char *s, unsigned int len, int level)
{
	struct console *con;

	if (level >= console_loglevel || !len)
		return;
	list_for_each_entry(con, &console_list, list)
		if (con->flags & CON_ENABLED)
			con->write(con, s, len, level);
}

/* "[    5.123456] " for the current time; returns its length. */
static unsigned int format_timestamp(char *buf, unsigned int size)
{
	u32 nsec;
	u64 sec = div_u64_rem(ktime_get_ns(), NSEC_PER_SEC, &nsec);

	return scnprintf(buf, size, "[%5lu.%06lu] ", (unsigned long)sec,
			 (unsigned long)(nsec / NSEC_PER_USEC));
}

/* Split "<N>text" into level N and the text after the marker. */
static const char *parse_level(const char *text, int *level, bool *cont)
{
	*cont = false;
	if (text[0] != '<' || !text[1] || text[2] != '>')
		return text;
	if (text[1] >= '0' && text[1] <= '7')
		*level = text[1] - '0';
	else if (text[1] == 'c')
		*cont = true;
	else
		return text;
	return text + 3;
}

/* Log and show one piece of text. Caller holds logbuf_lock. */
static void emit_text(const char *text, int level, bool cont)
{
	char prefix[32];
	unsigned int n;
	const char *nl;

	if (!at_line_start && !cont) {
		log_putc('\n');
		consoles_write("\n", 1, line_level);
		at_line_start = true;
	}
	while (*text) {
		if (at_line_start) {
			line_level = level;
			n = scnprintf(prefix, sizeof(prefix), "<%d>", level);
			log_write(prefix, n);
			n = format_timestamp(prefix, sizeof(prefix));
			log_write(prefix, n);
			consoles_write(prefix, n, level);
			at_line_start = false;
		}
		nl = strchr(text, '\n');
		n = nl ? (unsigned int)(nl - text + 1) : strlen(text);
		log_write(text, n);
		consoles_write(text, n, line_level);
		at_line_start = nl != NULL;
		text += n;
	}
}

int vprintk(const char *fmt, va_list args)
{
	static char textbuf[PRINTK_LINE_MAX];
	int level = default_message_loglevel, len;
	const char *text;
	unsigned long flags;
	bool cont, locked;

	local_irq_save(flags);
	locked = oops_in_progress ? spin_trylock(&logbuf_lock) :
				    (spin_lock(&logbuf_lock), true);
	len = vscnprintf(textbuf, sizeof(textbuf), fmt, args);
	text = parse_level(textbuf, &level, &cont);
	emit_text(text, level, cont);
	if (locked)
		spin_unlock(&logbuf_lock);
	local_irq_restore(flags);
	return len;
}

int printk(const char *fmt, ...)
{
	va_list args;
	int r;

	va_start(args, fmt);
	r = vprintk(fmt, args);
	va_end(args);
	return r;
}

unsigned long log_buf_read(char *dst, unsigned long len, unsigned long *pos)
{
	unsigned long flags, n = 0;

	spin_lock_irqsave(&logbuf_lock, flags);
	if (log_end - *pos > LOG_BUF_LEN)
		*pos = log_end - LOG_BUF_LEN;
	while (n < len && *pos != log_end) {
		dst[n++] = log_buf[*pos & (LOG_BUF_LEN - 1)];
		(*pos)++;
	}
	spin_unlock_irqrestore(&logbuf_lock, flags);
	return n;
}

/*
 * Show what is already in the log on @con, line by line, honouring each
 * line's level. Caller holds logbuf_lock.
 */
static void console_replay(struct console *con)
{
	unsigned long pos = log_end > LOG_BUF_LEN ? log_end - LOG_BUF_LEN : 0;
	char line[PRINTK_LINE_MAX];
	unsigned int n = 0;
	int level;
	bool cont;
	const char *text;

	for (; pos != log_end; pos++) {
		char c = log_buf[pos & (LOG_BUF_LEN - 1)];

		if (n < sizeof(line) - 1)
			line[n++] = c;
		if (c != '\n' && pos + 1 != log_end)
			continue;
		line[n] = '\0';
		level = DEFAULT_MESSAGE_LOGLEVEL;
		text = parse_level(line, &level, &cont);
		if (level < console_loglevel)
			con->write(con, text, strlen(text), level);
		n = 0;
	}
}

static bool console_is_preferred(const struct console *con)
{
	int i;

	if (!nr_preferred)
		return true;
	for (i = 0; i < nr_preferred; i++)
		if (!strcmp(preferred[i].name, con->name) &&
		    preferred[i].index == con->index)
			return true;
	return false;
}

void register_console(struct console *con)
{
	unsigned long flags;

	spin_lock_irqsave(&logbuf_lock, flags);
	list_add_tail(&con->list, &console_list);
	if (console_is_preferred(con)) {
		con->flags |= CON_ENABLED;
		console_replay(con);
	}
	spin_unlock_irqrestore(&logbuf_lock, flags);
}

int add_preferred_console(const char *name, int index)
{
	if (nr_preferred >= MAX_PREFERRED_CONSOLES)
		return -ENOSPC;
	strlcpy(preferred[nr_preferred].name, name,
		sizeof(preferred[nr_preferred].name));
	preferred[nr_preferred].index = index;
	nr_preferred++;
	return 0;
}

extern const console_initcall_t __con_initcall_start[], __con_initcall_end[];

void console_init(void)
{
	const console_initcall_t *call;

	for (call = __con_initcall_start; call < __con_initcall_end; call++)
		(*call)();
}

void console_write_raw(const char *s, size_t len)
{
	struct console *con;
	unsigned long flags;

	spin_lock_irqsave(&logbuf_lock, flags);
	list_for_each_entry(con, &console_list, list)
		if (con->flags & CON_ENABLED)
			con->write(con, s, len, LOGLEVEL_INFO);
	spin_unlock_irqrestore(&logbuf_lock, flags);
}

/* ---- syslog(2) and /proc/kmsg ------------------------------------------- */

/*
 * The readers' state. SYSLOG_ACTION_READ consumes from syslog_pos (klogd
 * and /proc/kmsg share it, as in Linux); READ_ALL starts no earlier than
 * clear_pos, which CLEAR moves to the end. printk never wakes a reader:
 * it may run with the runqueue lock held, where a wake-up would deadlock
 * (Linux defers it to irq_work), so a waiting reader polls every
 * SYSLOG_POLL_MS instead.
 */
#define SYSLOG_POLL_MS 50
#define SYSLOG_CHUNK 256 /* bytes copied per logbuf_lock hold */
#define LOGLEVEL_UNSET (-1)

static DEFINE_MUTEX(syslog_mutex); /* syslog_pos, clear_pos, saved level */
static unsigned long syslog_pos;
static unsigned long clear_pos;
static int saved_console_loglevel = LOGLEVEL_UNSET;

bool syslog_has_unread(void)
{
	return READ_ONCE(log_end) != READ_ONCE(syslog_pos);
}

/*
 * Copy up to @len bytes of the log from *@pos to user @buf, in chunks
 * (the lock is not held across a user copy, which may fault and sleep).
 * Returns the bytes copied or -EFAULT. Caller holds syslog_mutex.
 */
static int log_copy_to_user(char __user *buf, int len, unsigned long *pos)
{
	char chunk[SYSLOG_CHUNK];
	unsigned long n;
	int done = 0;

	lockdep_assert_held(&syslog_mutex);
	while (done < len) {
		n = (unsigned long)(len - done);
		n = log_buf_read(chunk, n < sizeof(chunk) ? n : sizeof(chunk),
				 pos);
		if (!n)
			break;
		if (copy_to_user(buf + done, chunk, n))
			return -EFAULT;
		done += n;
	}
	return done;
}

/* SYSLOG_ACTION_READ: wait for text, return and consume it. */
static int syslog_read(char __user *buf, int len, bool nonblock)
{
	unsigned long pos;
	int n;

	for (;;) {
		while (!syslog_has_unread()) {
			if (nonblock)
				return -EAGAIN;
			schedule_timeout_interruptible(
				msecs_to_jiffies(SYSLOG_POLL_MS));
			if (signal_pending(current))
				return -ERESTARTSYS;
		}
		mutex_lock(&syslog_mutex);
		pos = syslog_pos;
		n = log_copy_to_user(buf, len, &pos);
		if (n > 0)
			syslog_pos = pos;
		mutex_unlock(&syslog_mutex);
		if (n)
			return n; /* bytes, or -EFAULT */
	}
}

/* Move *@pos past the next newline: the start of a whole line. */
static void log_skip_partial_line(unsigned long *pos)
{
	unsigned int i;
	char c;

	for (i = 0; i < PRINTK_LINE_MAX; i++)
		if (!log_buf_read(&c, 1, pos) || c == '\n')
			return;
}

/*
 * SYSLOG_ACTION_READ_ALL / READ_CLEAR: the newest @len bytes, from the
 * start of a line (Linux returns whole records).
 */
static int syslog_read_all(char __user *buf, int len, bool clear)
{
	unsigned long end = READ_ONCE(log_end), pos, first;
	int n;

	mutex_lock(&syslog_mutex);
	pos = clear_pos;
	first = end > LOG_BUF_LEN ? end - LOG_BUF_LEN : 0;
	if (end - pos > (unsigned long)len || pos < first) {
		pos = end - pos > (unsigned long)len ? end - len : first;
		if (pos)
			log_skip_partial_line(&pos);
	}
	n = log_copy_to_user(buf, len, &pos);
	if (clear && n >= 0)
		clear_pos = pos;
	mutex_unlock(&syslog_mutex);
	return n;
}

static int syslog_unread_size(void)
{
	unsigned long end = READ_ONCE(log_end), pos;

	mutex_lock(&syslog_mutex);
	pos = syslog_pos;
	if (end - pos > LOG_BUF_LEN)
		pos = end - LOG_BUF_LEN;
	mutex_unlock(&syslog_mutex);
	return (int)(end - pos);
}

/* CONSOLE_OFF, CONSOLE_ON and CONSOLE_LEVEL. */
static int syslog_console(int type, int level)
{
	int err = 0;

	mutex_lock(&syslog_mutex);
	if (type == SYSLOG_ACTION_CONSOLE_OFF) {
		if (saved_console_loglevel == LOGLEVEL_UNSET)
			saved_console_loglevel = console_loglevel;
		console_loglevel = minimum_console_loglevel;
	} else if (type == SYSLOG_ACTION_CONSOLE_ON) {
		if (saved_console_loglevel != LOGLEVEL_UNSET)
			console_loglevel = saved_console_loglevel;
		saved_console_loglevel = LOGLEVEL_UNSET;
	} else if (level < 1 || level > LOGLEVEL_DEBUG + 1) {
		err = -EINVAL;
	} else {
		console_loglevel = level > minimum_console_loglevel ?
					   level :
					   minimum_console_loglevel;
		saved_console_loglevel = LOGLEVEL_UNSET;
	}
	mutex_unlock(&syslog_mutex);
	return err;
}

static int check_syslog_permissions(int type, enum syslog_source source)
{
	if (source == SYSLOG_FROM_PROC && type != SYSLOG_ACTION_OPEN)
		return 0; /* checked when /proc/kmsg was opened */
	if (type == SYSLOG_ACTION_READ_ALL || type == SYSLOG_ACTION_SIZE_BUFFER)
		return 0;
	return capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
}

/* The read actions' argument checks, in Linux's order. */
static int check_read_args(char __user *buf, int len)
{
	if (!buf || len < 0)
		return -EINVAL;
	if (!access_ok(buf, len))
		return -EFAULT;
	return 0;
}

int do_syslog(int type, char __user *buf, int len, enum syslog_source source,
	      unsigned int f_flags)
{
	int err = check_syslog_permissions(type, source);

	if (err)
		return err;
	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
	case SYSLOG_ACTION_CLEAR:
		if (type == SYSLOG_ACTION_CLEAR) {
			mutex_lock(&syslog_mutex);
			clear_pos = READ_ONCE(log_end);
			mutex_unlock(&syslog_mutex);
		}
		return 0;
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		err = check_read_args(buf, len);
		if (err || !len)
			return err;
		if (type == SYSLOG_ACTION_READ)
			return syslog_read(buf, len, f_flags & O_NONBLOCK);
		return syslog_read_all(buf, len,
				       type == SYSLOG_ACTION_READ_CLEAR);
	case SYSLOG_ACTION_CONSOLE_OFF:
	case SYSLOG_ACTION_CONSOLE_ON:
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		return syslog_console(type, len);
	case SYSLOG_ACTION_SIZE_UNREAD:
		return syslog_unread_size();
	case SYSLOG_ACTION_SIZE_BUFFER:
		return (int)LOG_BUF_LEN;
	default:
		return -EINVAL;
	}
}

SYSCALL_DEFINE3(syslog, int, type, char __user *, buf, int, len)
{
	return do_syslog(type, buf, len, SYSLOG_FROM_READER, 0);
}
