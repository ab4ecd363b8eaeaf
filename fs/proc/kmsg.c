/*
 * procfs: /proc/kmsg, the kernel log for one consuming reader (klogd):
 * open and close are syslog(2)'s OPEN and CLOSE (root only), and a read
 * is SYSLOG_ACTION_READ, which waits for text and consumes it, or fails
 * with EAGAIN under O_NONBLOCK. The position is the log's, not the
 * file's: two readers share (and split) one stream, as on Linux.
 */
#include <kestrel/errno.h>
#include <kestrel/syslog.h>

#include "internal.h"

static int kmsg_open(struct inode *inode, struct file *file)
{
	return do_syslog(SYSLOG_ACTION_OPEN, NULL, 0, SYSLOG_FROM_READER, 0);
}

static int kmsg_release(struct inode *inode, struct file *file)
{
	do_syslog(SYSLOG_ACTION_CLOSE, NULL, 0, SYSLOG_FROM_PROC, 0);
	return 0;
}

static ssize_t kmsg_read(struct file *file, char __user *buf, size_t count,
			 loff_t *pos)
{
	int len = count > INT32_MAX ? INT32_MAX : (int)count;

	return do_syslog(SYSLOG_ACTION_READ, buf, len, SYSLOG_FROM_PROC,
			 file->f_flags);
}

const struct file_operations proc_kmsg_operations = {
	.open = kmsg_open,
	.read = kmsg_read,
	.release = kmsg_release,
};
