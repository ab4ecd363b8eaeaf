/*
 * init's early setup, run once before any shell: the filesystems every
 * Unix program expects (/proc, /sys, /dev, /dev/pts, /tmp, /run), the
 * hostname from /etc/hostname, and /etc/rc.
 *
 * Mounting is forgiving: a mount point that is already one (a /dev
 * someone mounted before init, say) is left alone, and the filesystems
 * the kernel may not have yet (sysfs before the device model, devpts
 * before the TTY layer) are optional: their failure is not reported.
 * A failed required mount is reported and init carries on; a shell
 * with a missing /proc is more useful than no shell.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init.h"

#define HOSTNAME_FILE "/etc/hostname"
#define HOSTNAME_MAX 64 /* Linux's __NEW_UTS_LEN */
#define RC_FILE "/etc/rc"
#define SHELL "/bin/sh"
#define TMP_MODE 01777 /* world-writable, sticky: anyone may create */

enum mount_flags {
	MNT_REQUIRED = 0,
	MNT_OPTIONAL = 1, /* the kernel may not know this filesystem yet */
};

struct early_mount {
	const char *target;
	const char *type;
	unsigned long flags; /* MS_* for mount(2) */
	mode_t mode; /* of the mount point, and of the root after */
	enum mount_flags opt;
};

/* In order: /dev before /dev/pts. */
static const struct early_mount early_mounts[] = {
	{ "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, 0555,
	  MNT_REQUIRED },
	{ "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, 0555,
	  MNT_OPTIONAL },
	{ "/dev", "devtmpfs", MS_NOSUID, 0755, MNT_REQUIRED },
	{ "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, 0755, MNT_OPTIONAL },
	{ "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, TMP_MODE, MNT_REQUIRED },
	{ "/run", "tmpfs", MS_NOSUID | MS_NODEV, 0755, MNT_OPTIONAL },
};

/*
 * True if @path is already a mount point: its device differs from its
 * parent's. (The root is never passed here.)
 */
static bool is_mount_point(const char *path)
{
	char parent[TTY_PATH_MAX];
	struct stat st, pst;

	snprintf(parent, sizeof(parent), "%s/..", path);
	if (stat(path, &st) < 0 || stat(parent, &pst) < 0)
		return false;
	return st.st_dev != pst.st_dev;
}

static void mount_one(const struct early_mount *m)
{
	if (mkdir(m->target, m->mode) < 0 && errno != EEXIST) {
		if (m->opt == MNT_REQUIRED)
			init_msg("mkdir %s: %m", m->target);
		return;
	}
	if (is_mount_point(m->target))
		return;
	if (mount(m->type, m->target, m->type, m->flags, NULL) < 0) {
		if (m->opt == MNT_REQUIRED)
			init_msg("cannot mount %s on %s: %m", m->type,
				 m->target);
		return;
	}
	/* The root of a fresh tmpfs is 0777 or 0755: set what we want. */
	chmod(m->target, m->mode);
}

/**
 * mount_early_filesystems() - mount /proc, /sys, /dev, /dev/pts, /tmp, /run
 *
 * Creates each mount point that is missing. Failures are reported on
 * the console (optional filesystems stay quiet) and are not fatal.
 */
void mount_early_filesystems(void)
{
	size_t i;

	for (i = 0; i < sizeof(early_mounts) / sizeof(early_mounts[0]); i++)
		mount_one(&early_mounts[i]);
}

/**
 * set_hostname() - set the hostname from the first line of /etc/hostname
 *
 * A missing file leaves the kernel's default; a failed sethostname() is
 * reported.
 */
void set_hostname(void)
{
	char name[HOSTNAME_MAX + 2];
	FILE *f = fopen(HOSTNAME_FILE, "r");

	if (!f)
		return;
	if (fgets(name, sizeof(name), f)) {
		name[strcspn(name, " \t\r\n")] = '\0';
		if (name[0] && sethostname(name, strlen(name)) < 0)
			init_msg("sethostname %s: %m", name);
	}
	fclose(f);
}

/**
 * start_rc() - start "/bin/sh /etc/rc" if /etc/rc exists
 *
 * The script runs with init's stdio (the console) and an empty signal
 * mask. Return: its pid, or 0 if there is no /etc/rc or it could not
 * be started (reported).
 */
pid_t start_rc(void)
{
	sigset_t none;
	pid_t pid;

	if (access(RC_FILE, R_OK) < 0)
		return 0;
	pid = fork();
	if (pid < 0) {
		init_msg("fork for %s: %m", RC_FILE);
		return 0;
	}
	if (pid > 0)
		return pid;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execl(SHELL, SHELL, RC_FILE, (char *)NULL);
	init_msg("exec %s %s: %m", SHELL, RC_FILE);
	_exit(127);
}
