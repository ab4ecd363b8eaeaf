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
 */
#include <kestrel/console.h>
#include <kestrel/errno.h>
#include <kestrel/init.h>
#include <kestrel/kstrtox.h>
#include <kestrel/math64.h>
#include <kestrel/panic.h>
#include <kestrel/printk.h>
#include <kestrel/spinlock.h>
#include <kestrel/string.h>
#include <kestrel/time.h>

#define DEFAULT_MESSAGE_LOGLEVEL LOGLEVEL_WARNING
#define DEFAULT_CONSOLE_LOGLEVEL 7
#define MAX_PREFERRED_CONSOLES 8
#define PRINTK_LINE_MAX 1024

char log_buf[LOG_BUF_LEN];
unsigned long log_end;
int console_loglevel = DEFAULT_CONSOLE_LOGLEVEL;

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
	int level = DEFAULT_MESSAGE_LOGLEVEL, len;
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
