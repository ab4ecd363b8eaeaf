/*
 * The login shells init keeps on the consoles.
 *
 * Which terminals: every console= parameter of the kernel command line
 * (/proc/cmdline) names one, as it names the kernel's consoles:
 * "console=ttyS0,115200" gives /dev/ttyS0, and "console=tty0" (the
 * current virtual terminal) gives the four virtual terminals
 * /dev/tty1../dev/tty4, one shell each (Alt-F1..F4 switch between them).
 * With no console= at all the default is /dev/ttyS0 and tty1..tty4.
 * Devices that do not exist are dropped; when none is left, /dev/console
 * is used, so a kernel without the TTY layer still gets a shell.
 *
 * Each shell is started the way login(1) would: a new session
 * (setsid), the terminal opened as its controlling terminal (the open
 * of a session leader without one makes it so; TIOCSCTTY asks
 * explicitly), fds 0-2 on it, "-sh" as argv[0] (a login shell, which
 * reads /etc/profile), and a fresh environment. When it exits, init
 * starts another; a shell that keeps dying within RESPAWN_FAST_SECS of
 * its start is paused for RESPAWN_PAUSE_SECS after RESPAWN_FAST_MAX
 * such exits, so a broken shell or device does not make init spin.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init.h"

#define CMDLINE_FILE "/proc/cmdline"
#define CMDLINE_MAX 4096
#define CONSOLE_PARAM "console="
#define SHELL "/bin/sh"
#define FALLBACK_CONSOLE "/dev/console"
#define RESPAWN_FAST_SECS 2
#define RESPAWN_FAST_MAX 5
#define RESPAWN_PAUSE_SECS 10

#define NR_VTS 4 /* the virtual terminals tty1..tty4 */

static const char *const default_consoles[] = { "ttyS0", "tty0" };

/*
 * Add /dev/@name (up to a ',' or the end) to @tab unless it is there
 * already or does not exist. "tty0" means every virtual terminal.
 */
static int add_console(struct console *tab, int n, int max, const char *name)
{
	char path[TTY_PATH_MAX], vt[sizeof("ttyN")];
	int i, len = strcspn(name, ", \t\n");

	if (len == 4 && strncmp(name, "tty0", len) == 0) {
		for (i = 1; i <= NR_VTS; i++) {
			snprintf(vt, sizeof(vt), "tty%d", i);
			n = add_console(tab, n, max, vt);
		}
		return n;
	}
	snprintf(path, sizeof(path), "/dev/%.*s", len, name);
	if (n >= max || access(path, F_OK) < 0)
		return n;
	for (i = 0; i < n; i++)
		if (strcmp(tab[i].path, path) == 0)
			return n;
	memset(&tab[n], 0, sizeof(tab[n]));
	strcpy(tab[n].path, path);
	return n + 1;
}

/* The console= parameters of /proc/cmdline; -1 if there are none. */
static int consoles_from_cmdline(struct console *tab, int max)
{
	char buf[CMDLINE_MAX], *p;
	int fd, len, n = 0;
	bool any = false;

	fd = open(CMDLINE_FILE, O_RDONLY);
	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[len > 0 ? len : 0] = '\0';
	for (p = buf; (p = strstr(p, CONSOLE_PARAM)) != NULL; p++) {
		if (p != buf && p[-1] != ' ')
			continue; /* "xconsole=" is another parameter */
		any = true;
		n = add_console(tab, n, max, p + strlen(CONSOLE_PARAM));
	}
	return any ? n : -1;
}

/**
 * find_consoles() - fill @tab with the terminals to keep shells on
 * @tab:	the table to fill
 * @max:	its size
 *
 * Needs /proc mounted to see the kernel command line.
 * Return: the number of entries, at least 1.
 */
int find_consoles(struct console *tab, int max)
{
	size_t i;
	int n = consoles_from_cmdline(tab, max);

	if (n < 0) {
		n = 0;
		for (i = 0; i < sizeof(default_consoles) / sizeof(char *); i++)
			n = add_console(tab, n, max, default_consoles[i]);
	}
	if (n == 0) {
		memset(&tab[0], 0, sizeof(tab[0]));
		strcpy(tab[0].path, FALLBACK_CONSOLE);
		n = 1;
	}
	return n;
}

/* TERM for @path: the VGA consoles are "linux", the others a vt100. */
static const char *term_for(const char *path)
{
	if (strncmp(path, "/dev/tty", 8) == 0 && path[8] >= '0' &&
	    path[8] <= '9')
		return "TERM=linux";
	if (strcmp(path, FALLBACK_CONSOLE) == 0)
		return "TERM=linux";
	return "TERM=vt100";
}

/* In the child: become a session leader on @path, then exec the shell. */
static void __attribute__((noreturn)) exec_shell(const char *path)
{
	char *const argv[] = { "-sh", "-l", NULL };
	char *const envp[] = {
		"HOME=/root",
		"PATH=/usr/sbin:/usr/bin:/sbin:/bin",
		(char *)term_for(path),
		"SHELL=/bin/sh",
		"USER=root",
		"LOGNAME=root",
		NULL,
	};
	sigset_t none;
	int fd;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();
	fd = open(path, O_RDWR);
	if (fd < 0) {
		init_msg("%s: %m", path);
		_exit(1);
	}
	ioctl(fd, TIOCSCTTY, 0); /* fails harmlessly if it already is */
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	if (chdir("/root") < 0)
		chdir("/");
	execve(SHELL, argv, envp);
	init_msg("%s: exec %s: %m", path, SHELL);
	_exit(127);
}

/**
 * console_start() - start a login shell on @con
 * @con:	a console with no shell (@con->pid == 0)
 *
 * A failed fork is reported and retried after RESPAWN_PAUSE_SECS.
 */
void console_start(struct console *con)
{
	pid_t pid = fork();

	if (pid < 0) {
		init_msg("fork for %s: %m", con->path);
		con->next_start = monotonic_seconds() + RESPAWN_PAUSE_SECS;
		return;
	}
	if (pid == 0)
		exec_shell(con->path);
	con->pid = pid;
	con->started = monotonic_seconds();
}

/**
 * console_exited() - note that @con's shell ended with wait @status
 * @con:	the console whose shell was reaped
 * @status:	its wait status
 *
 * Sets when the next shell may start: now, or RESPAWN_PAUSE_SECS from
 * now when the shell has died young RESPAWN_FAST_MAX times in a row.
 */
void console_exited(struct console *con, int status)
{
	time_t now = monotonic_seconds();

	con->pid = 0;
	con->next_start = now;
	if (now - con->started >= RESPAWN_FAST_SECS) {
		con->fast_exits = 0;
		return;
	}
	if (++con->fast_exits < RESPAWN_FAST_MAX)
		return;
	init_msg("%s: shell exits too fast (status %#x); waiting %d s",
		 con->path, status, RESPAWN_PAUSE_SECS);
	con->fast_exits = 0;
	con->next_start = now + RESPAWN_PAUSE_SECS;
}
