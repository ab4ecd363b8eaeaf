/*
 * Init cannot be killed by a signal: PID 1 drops every signal it has no
 * handler for, SIGKILL and SIGSTOP included, when the sender is in its
 * own PID space (Linux's SIGNAL_UNKILLABLE). This program is a child of
 * the test runner, which is PID 1 both inside Kestrel and on Linux in
 * QEMU and installs no handlers: it sends PID 1 the signals that would
 * end or stop any other process and checks that init is still there,
 * neither stopped nor with the signals left pending, and that a group
 * kill that includes init still reaches the other members. Run anywhere
 * else (a parent that is not PID 1) it only skips: it must not signal a
 * real init.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"

#define NCHECKS 6

/* Init's state letter from /proc/1/stat, or '?'. */
static char init_state(void)
{
	char buf[256], *p;
	FILE *f = fopen("/proc/1/stat", "r");
	size_t n;

	if (!f)
		return '?';
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* the comm may contain anything */
	return p && p[1] == ' ' ? p[2] : '?';
}

/* The pending sets of /proc/1/status (thread and shared), ORed. */
static unsigned long long init_pending(void)
{
	char line[128];
	unsigned long long v, all = 0;
	FILE *f = fopen("/proc/1/status", "r");

	if (!f)
		return ~0ULL;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "SigPnd: %llx", &v) == 1 ||
		    sscanf(line, "ShdPnd: %llx", &v) == 1)
			all |= v;
	fclose(f);
	return all;
}

/* Give init time to act on a signal if it were going to. */
static void settle(void)
{
	usleep(100 * 1000);
}

static bool init_alive_and_running(void)
{
	char st = init_state();

	return kill(1, 0) == 0 && getppid() == 1 && st != 'T' && st != 'Z' &&
	       st != '?';
}

static void test_direct(void)
{
	static const int sigs[] = { SIGTERM, SIGINT,  SIGHUP,
				    SIGUSR1, SIGSTOP, SIGKILL };
	bool sent = true;
	unsigned int i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sent &= kill(1, sigs[i]) == 0;
	ktap_ok(sent, "kill(1, sig) succeeds for TERM INT HUP USR1 STOP KILL");
	settle();
	ktap_ok(init_alive_and_running(),
		"init is alive, not stopped (state %c)", init_state());
	ktap_ok(init_pending() == 0,
		"the signals were dropped, not left pending (%llx)",
		init_pending());
}

/* A signal that dumps core, and SIGCONT after SIGSTOP: still nothing. */
static void test_more(void)
{
	ktap_ok(kill(1, SIGQUIT) == 0 && kill(1, SIGSTOP) == 0 &&
			kill(1, SIGCONT) == 0,
		"kill(1, QUIT/STOP/CONT) succeeds");
	settle();
	ktap_ok(init_alive_and_running() && init_pending() == 0,
		"init survives them with nothing pending");
}

/* kill(0) from a child in init's own group: init is spared, the
 * sender is not. (The runner keeps its children in its group: group 1
 * on Kestrel, group 0 on Linux, where init never calls setsid.) */
static void test_group(void)
{
	sigset_t usr2, pending;
	siginfo_t si;
	pid_t pid;
	int st = 0;

	if (getpgrp() != getpgid(1)) {
		ktap_skip("group kill spares init", "not in init's group");
		return;
	}
	/* We are in the group too: hold the signal to see it arrive. */
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	sigprocmask(SIG_BLOCK, &usr2, NULL);
	pid = fork();
	if (pid == 0)
		_exit(kill(0, SIGUSR2) == 0 ? 0 : 2);
	waitpid(pid, &st, 0);
	settle();
	sigpending(&pending);
	ktap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0 &&
			sigismember(&pending, SIGUSR2) &&
			init_alive_and_running() && init_pending() == 0,
		"kill(0, SIGUSR2) in init's group reaches us, spares init");
	sigtimedwait(&usr2, &si, &(struct timespec){ 0, 0 });
	sigprocmask(SIG_UNBLOCK, &usr2, NULL);
}

int main(void)
{
	ktap_plan(NCHECKS);
	if (getppid() != 1) {
		for (int i = 0; i < NCHECKS; i++)
			ktap_skip("kill init", "the parent is not PID 1");
		return ktap_exit();
	}
	test_direct();
	test_more();
	test_group();
	return ktap_exit();
}
