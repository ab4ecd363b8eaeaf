/*
 * syslog(2) and /proc/kmsg: reading and controlling the kernel log
 * (kernel/printk.c). The action numbers are Linux's (syslog(2)); the
 * permission rule is Linux's with dmesg_restrict = 0: anybody may read
 * the whole log (READ_ALL) and ask its size (SIZE_BUFFER), everything
 * else needs CAP_SYS_ADMIN (Linux: CAP_SYSLOG).
 */
#ifndef _KESTREL_SYSLOG_H
#define _KESTREL_SYSLOG_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>

#define SYSLOG_ACTION_CLOSE 0 /* no-op */
#define SYSLOG_ACTION_OPEN 1 /* no-op */
#define SYSLOG_ACTION_READ 2 /* wait for, return and consume new text */
#define SYSLOG_ACTION_READ_ALL 3 /* the last len bytes, not consumed */
#define SYSLOG_ACTION_READ_CLEAR 4 /* READ_ALL, then CLEAR */
#define SYSLOG_ACTION_CLEAR 5 /* READ_ALL shows nothing older */
#define SYSLOG_ACTION_CONSOLE_OFF 6 /* console level to the minimum */
#define SYSLOG_ACTION_CONSOLE_ON 7 /* undo CONSOLE_OFF */
#define SYSLOG_ACTION_CONSOLE_LEVEL 8 /* console level = len (1..8) */
#define SYSLOG_ACTION_SIZE_UNREAD 9 /* bytes READ would return */
#define SYSLOG_ACTION_SIZE_BUFFER 10 /* the log buffer's size */

/* Who asks: the syscall checks every action; /proc/kmsg checks at open. */
enum syslog_source {
	SYSLOG_FROM_READER,
	SYSLOG_FROM_PROC,
};

/**
 * do_syslog - perform one syslog(2) action
 * @type: SYSLOG_ACTION_*
 * @buf: the user buffer of the read actions
 * @len: its size; the level for CONSOLE_LEVEL
 * @source: SYSLOG_FROM_PROC skips the per-action permission check
 * @f_flags: the reader's file flags; with O_NONBLOCK, READ returns
 *	-EAGAIN instead of waiting for text
 *
 * Returns the bytes read, the size asked for, 0, or -errno: -EPERM
 * (not allowed), -EINVAL (bad action, NULL buffer, negative length,
 * level out of 1..8), -EFAULT (bad buffer), -ERESTARTSYS (a signal
 * ended READ's wait), -EAGAIN. Context: process; READ may sleep.
 */
int do_syslog(int type, char __user *buf, int len, enum syslog_source source,
	      unsigned int f_flags);

/* READ would not block (for poll on /proc/kmsg). */
bool syslog_has_unread(void);

#endif /* _KESTREL_SYSLOG_H */
