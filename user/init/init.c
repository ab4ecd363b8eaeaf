/*
 * init - Kestrel's process 1
 *
 * SYNOPSIS
 *	/init, /sbin/init (the kernel runs it as PID 1)
 *
 * DESCRIPTION
 *	init brings the system up and keeps it usable:
 *
 *	1. It mounts /proc, /sys, /dev, /dev/pts, /tmp and /run (setup.c),
 *	   sets the hostname from /etc/hostname, and runs /etc/rc with
 *	   /bin/sh if it exists, waiting for it to finish.
 *	2. It keeps a login shell ("-sh") on each console (console.c): the
 *	   kernel command line's console= terminals, by default /dev/ttyS0
 *	   and /dev/tty1..tty4, else /dev/console. A shell that exits is
 *	   replaced, with a rate limit.
 *	3. It reaps every process whose parent died (orphans are given to
 *	   PID 1), so none stays a zombie.
 *	4. On a signal it shuts the system down.
 *
 * SIGNALS
 *	The mapping is busybox's, so busybox's halt, poweroff and reboot
 *	applets work unmodified (they signal PID 1; with -f they call
 *	reboot(2) themselves):
 *
 *	SIGUSR2	 poweroff	power off
 *	SIGUSR1	 halt		power off too (QEMU has nothing to halt for)
 *	SIGTERM	 reboot		restart
 *	SIGINT	 Ctrl-Alt-Del	restart
 *
 *	Shutting down: SIGTERM to every process, up to SHUTDOWN_GRACE_MS
 *	for them to exit, SIGKILL to what is left, sync(), then
 *	reboot(RB_POWER_OFF) or reboot(RB_AUTOBOOT).
 *
 * DESIGN
 *	One thread. The signals init cares about stay blocked except
 *	inside sigsuspend(), where the main loop sleeps; their handlers
 *	only record the request. So the console table and the shutdown
 *	state are touched only from the loop, and no wakeup is lost
 *	between a check and the sleep: a signal arriving meanwhile stays
 *	pending until sigsuspend() unblocks it. A delayed respawn is
 *	timed with alarm(). (Handlers are needed anyway: Linux ignores a
 *	signal with the default action sent to PID 1.)
 *
 * MESSAGES
 *	On the console, each prefixed "init: ".
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init.h"

#define SHUTDOWN_GRACE_MS 1000
#define SHUTDOWN_POLL_MS 50
#define NSEC_PER_MSEC 1000000L
#define WAIT_FOREVER ((time_t)-1)
#define INIT_MSG_MAX 256 /* one console line: "init: " and the message */

enum shutdown_kind {
	RUNNING,
	POWER_OFF,
	RESTART,
};

/* The signals that wake the main loop (see SIGNALS above). */
static const int loop_signals[] = { SIGCHLD, SIGALRM, SIGUSR1, SIGUSR2,
				    SIGTERM, SIGINT,  SIGHUP };

/* The last shutdown signal received; written by on_signal() only. */
static volatile sig_atomic_t shutdown_signal;

static struct console consoles[MAX_CONSOLES];
static int nr_consoles;

/**
 * init_msg() - print "init: MESSAGE" on the console
 * @fmt: printf format; %m works, as with syslog
 */
void init_msg(const char *fmt, ...)
{
	char line[INIT_MSG_MAX];
	va_list ap;
	int n;

	/* One write: a shell printing its prompt at the same time must not
	 * land in the middle of the line. */
	n = snprintf(line, sizeof(line), "init: ");
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, n) < 0)
		return; /* no console: nobody to tell */
}

/** monotonic_seconds() - seconds since boot, for the respawn limit */
time_t monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void on_signal(int sig)
{
	if (sig != SIGCHLD && sig != SIGALRM && sig != SIGHUP)
		shutdown_signal = sig;
}

/*
 * Give the loop's signals their handler and block them; @unblocked
 * gets the mask to sleep with.
 */
static void setup_signals(sigset_t *unblocked)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < sizeof(loop_signals) / sizeof(int); i++) {
		sigaction(loop_signals[i], &sa, NULL);
		sigaddset(&set, loop_signals[i]);
	}
	sigprocmask(SIG_BLOCK, &set, unblocked);
}

static enum shutdown_kind shutdown_for(int sig)
{
	switch (sig) {
	case SIGUSR1:
	case SIGUSR2:
		return POWER_OFF;
	case SIGTERM:
	case SIGINT:
		return RESTART;
	default:
		return RUNNING;
	}
}

/* Reap every finished child; a console's shell is noted for respawn. */
static void reap_children(void)
{
	int i, status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < nr_consoles; i++)
			if (consoles[i].pid == pid)
				console_exited(&consoles[i], status);
	}
}

/* Run /etc/rc to completion, reaping whatever else ends meanwhile. */
static void run_rc(void)
{
	pid_t rc = start_rc();
	int status;
	pid_t pid;

	while (rc > 0) {
		pid = waitpid(-1, &status, 0);
		if (pid == rc || (pid < 0 && errno == ECHILD))
			break;
	}
}

/*
 * Start the shells that are due. Return: seconds until the next
 * delayed start, or WAIT_FOREVER.
 */
static time_t start_due_consoles(void)
{
	time_t now = monotonic_seconds(), wait = WAIT_FOREVER;
	int i;

	for (i = 0; i < nr_consoles; i++) {
		struct console *con = &consoles[i];

		if (con->pid)
			continue;
		if (con->next_start <= now)
			console_start(con);
		else if (wait == WAIT_FOREVER || con->next_start - now < wait)
			wait = con->next_start - now;
	}
	return wait;
}

/* Wait up to @ms for every process to exit; true if they all did. */
static bool wait_all_exited(long ms)
{
	struct timespec poll = { 0, SHUTDOWN_POLL_MS * NSEC_PER_MSEC };
	long waited;

	for (waited = 0; waited <= ms; waited += SHUTDOWN_POLL_MS) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD)
			return true;
		nanosleep(&poll, NULL);
	}
	return false;
}

static void __attribute__((noreturn)) shut_down(enum shutdown_kind kind)
{
	init_msg("the system is going down for %s",
		 kind == POWER_OFF ? "power off" : "restart");
	init_msg("sending all processes the TERM signal");
	kill(-1, SIGTERM);
	if (!wait_all_exited(SHUTDOWN_GRACE_MS)) {
		init_msg("sending all processes the KILL signal");
		kill(-1, SIGKILL);
		wait_all_exited(SHUTDOWN_GRACE_MS);
	}
	sync();
	init_msg("%s", kind == POWER_OFF ? "power off" : "restart");
	reboot(kind == POWER_OFF ? RB_POWER_OFF : RB_AUTOBOOT);
	init_msg("reboot: %m");
	for (;;)
		pause();
}

/*
 * The main loop: reap, respawn, sleep until a signal (or the alarm of
 * a delayed respawn). Entered with the loop's signals blocked.
 */
static void __attribute__((noreturn)) serve(const sigset_t *unblocked)
{
	enum shutdown_kind kind;
	time_t wait;

	for (;;) {
		reap_children();
		kind = shutdown_for(shutdown_signal);
		if (kind != RUNNING)
			shut_down(kind);
		wait = start_due_consoles();
		alarm(wait == WAIT_FOREVER ? 0 : (unsigned int)wait + 1);
		sigsuspend(unblocked);
	}
}

int main(void)
{
	sigset_t unblocked;
	int i;

	if (getpid() != 1) {
		fprintf(stderr, "init: must be run as process 1 by the kernel "
				"(use poweroff, halt or reboot)\n");
		return 1;
	}
	setup_signals(&unblocked);
	umask(022);
	if (chdir("/") < 0)
		init_msg("chdir /: %m");
	setsid();
	mount_early_filesystems();
	set_hostname();
	run_rc();
	nr_consoles = find_consoles(consoles, MAX_CONSOLES);
	for (i = 0; i < nr_consoles; i++)
		init_msg("starting a shell on %s", consoles[i].path);
	serve(&unblocked);
}
