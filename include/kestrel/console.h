/*
 * Consoles: where printk's messages are shown. A console driver fills a
 * struct console and registers it; the command line's console= options
 * choose which registered consoles are enabled (all of them when none
 * is given). A newly enabled console first replays the log buffer, so
 * nothing printed before it existed is lost.
 */
#ifndef _KESTREL_CONSOLE_H
#define _KESTREL_CONSOLE_H

#include <kestrel/list.h>
#include <stddef.h>

#define CON_ENABLED 0x1

struct console {
	char name[8]; /* "ttyS", "tty": console=NAMEn selects it */
	int index; /* n in console=NAMEn */
	/*
	 * Write @len bytes of one line of the log (no level marker) at
	 * message level @level. Context: any, interrupts may be off; must
	 * not sleep or call printk.
	 */
	void (*write)(struct console *con, const char *s, unsigned int len,
		      int level);
	unsigned int flags;
	struct list_head list;
};

/*
 * console_initcall(fn): run @fn from console_init(), early in boot, so
 * a console driver can register itself without the core naming it.
 */
typedef void (*console_initcall_t)(void);
#define console_initcall(fn)                                                  \
	static const console_initcall_t __con_initcall_##fn __used __section( \
		".con_initcall") = fn

/* Run every console_initcall(): the consoles come up. Boot only. */
void console_init(void);

/* Register and (if the command line allows it) enable @con. */
void register_console(struct console *con);

/*
 * Record a console= option (called by the command-line parser).
 * Returns 0 or -ENOSPC when too many were given.
 */
int add_preferred_console(const char *name, int index);

/* Write program output (not log text) to every enabled console. */
void console_write_raw(const char *s, size_t len);

/*
 * The four printk levels, as /proc/sys/kernel/printk shows them:
 * console_loglevel (messages with a level below it are shown),
 * default_message_loglevel (of a printk without a level marker),
 * minimum_console_loglevel (the lowest console_loglevel syslog(2) may
 * set) and default_console_loglevel.
 */
extern int console_printk[4];
#define console_loglevel (console_printk[0])
#define default_message_loglevel (console_printk[1])
#define minimum_console_loglevel (console_printk[2])
#define default_console_loglevel (console_printk[3])

/* The log buffer, for dmesg and the gdb helper kx-dmesg. */
#define LOG_BUF_LEN (1UL << CONFIG_LOG_BUF_SHIFT)
extern char log_buf[];
extern unsigned long log_end; /* bytes ever written; index & (LEN-1) */

/*
 * Copy up to @len bytes of the log, oldest first, starting at absolute
 * position *@pos (advanced past what was copied; moved forward if the
 * text there was overwritten). Returns the number of bytes copied.
 */
unsigned long log_buf_read(char *dst, unsigned long len, unsigned long *pos);

#endif /* _KESTREL_CONSOLE_H */
