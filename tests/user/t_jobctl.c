/*
 * Job control, the kernel's side: sessions and process groups (setsid,
 * setpgid, getpgid, getsid and their errors), stop and continue as wait
 * reports them (WUNTRACED once per stop, WCONTINUED, waitid with
 * WNOWAIT) and as SIGCHLD tells them (CLD_STOPPED, CLD_CONTINUED,
 * SA_NOCLDSTOP), and orphaned process groups: a group that loses its
 * last link to its session while a member is stopped gets SIGHUP then
 * SIGCONT, and SIGTSTP/SIGTTIN/SIGTTOU do not stop a process in an
 * orphaned group while SIGSTOP still does.
 *
 * The tests run in a session of their own: main() forks a child that
 * calls setsid() and reports the results, so the caller's terminal and
 * groups do not matter. That session leader's own group is orphaned (its
 * parent is in another session); groups made with setpgid() inside the
 * session are not, while the leader lives.
 *
 * Nothing may hang: every wait polls with a deadline, and alarm() ends
 * the whole test if something still blocks.
 *
 *	tests/user/t_jobctl            run every case
 *	tests/user/t_jobctl sleeper    (internal) the exec'd child of the
 *	                               setpgid EACCES case: waits to be killed
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"

#define TEST_ALARM_SECONDS 60 /* the whole run */
#define WAIT_TIMEOUT_MS 5000 /* one expected event */
#define NO_EVENT_MS 300 /* how long "nothing happens" is watched */
#define POLL_STEP_MS 10
#define NO_SUCH_PID 0x3ffffff0 /* above any pid_max */
#define BAD_WAIT_OPTION 0x1000 /* no wait flag has this bit */

static const char *self_path;

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* waitpid() that gives up after @ms: returns 0 then, as WNOHANG does. */
static pid_t wait_for(pid_t pid, int *st, int options, int ms)
{
	pid_t r;

	for (;;) {
		r = waitpid(pid, st, options | WNOHANG);
		if (r != 0 || ms <= 0)
			return r;
		sleep_ms(POLL_STEP_MS);
		ms -= POLL_STEP_MS;
	}
}

/* Read up to @len bytes until EOF or @ms pass. Returns the count. */
static int read_for(int fd, char *buf, int len, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int got = 0, n;

	while (got < len && poll(&pfd, 1, ms) > 0) {
		n = read(fd, buf + got, len - got);
		if (n <= 0)
			break;
		got += n;
	}
	return got;
}

/* Kill and reap a child, whatever state it is in. */
static void finish(pid_t pid)
{
	int st;

	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	wait_for(pid, &st, 0, WAIT_TIMEOUT_MS);
}

/* A child that waits, doing nothing, until it is killed. */
static pid_t fork_idle(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

/* ---- sessions and groups --------------------------------------------- */

static void test_ids(void)
{
	pid_t me = getpid(), child;

	EXPECT_EQ(getsid(0), me);
	EXPECT_EQ(getpgid(0), me);
	EXPECT_EQ(getpgrp(), me);
	EXPECT_ERRNO(setsid(), EPERM); /* a group leader already */
	EXPECT_ERRNO(setpgid(0, 0), EPERM); /* a session leader */
	EXPECT_ERRNO(getsid(NO_SUCH_PID), ESRCH);
	EXPECT_ERRNO(getpgid(NO_SUCH_PID), ESRCH);
	EXPECT_ERRNO(getpgid(-1), ESRCH);

	child = fork_idle();
	ktap_ok(getsid(child) == me && getpgid(child) == me,
		"a child starts in its parent's session and group");
	EXPECT_ERRNO(setpgid(child, -1), EINVAL);
	EXPECT_ERRNO(setpgid(NO_SUCH_PID, 0), ESRCH);
	EXPECT_ERRNO(setpgid(getppid(), 0), ESRCH); /* not our child */
	EXPECT_ERRNO(setpgid(child, NO_SUCH_PID), EPERM); /* no such group */
	EXPECT_SUCCESS(setpgid(child, 0));
	EXPECT_EQ(getpgid(child), child);
	EXPECT_SUCCESS(setpgid(child, me)); /* back into an existing group */
	EXPECT_EQ(getpgid(child), me);
	EXPECT_ERRNO(kill(-NO_SUCH_PID, 0), ESRCH);
	finish(child);
}

/* A child in a session of its own: setpgid on it fails with EPERM. */
static void test_other_session(void)
{
	int p[2], st;
	pid_t child, other;
	char c = 0;

	if (pipe(p)) {
		ktap_ok(0, "pipe for the other-session case");
		return;
	}
	child = fork();
	if (child == 0) {
		close(p[0]);
		c = setsid() > 0 ? 's' : 'f';
		if (write(p[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	ktap_ok(read_for(p[0], &c, 1, WAIT_TIMEOUT_MS) == 1 && c == 's',
		"a child can start a session of its own");
	EXPECT_EQ(getsid(child), child);
	EXPECT_ERRNO(setpgid(child, child), EPERM);
	/* A group of another session cannot be joined either. */
	other = fork_idle();
	EXPECT_ERRNO(setpgid(other, child), EPERM);
	finish(other);
	finish(child);
	close(p[0]);
	/* A zombie is still a child whose status can be collected once. */
	child = fork();
	if (child == 0)
		_exit(3);
	EXPECT_ERRNO(wait4(child, (int *)1, 0, NULL), EFAULT);
	EXPECT_ERRNO(waitpid(child, &st, 0), ECHILD);
}

/* A child that exec'd cannot be moved: EACCES. */
static void test_exec_child(void)
{
	int p[2], n;
	pid_t child;
	char c;

	if (pipe2(p, O_CLOEXEC)) {
		ktap_ok(0, "pipe for the exec case");
		return;
	}
	child = fork();
	if (child == 0) {
		execl(self_path, self_path, "sleeper", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	/* The close-on-exec pipe reads EOF once the exec happened. */
	n = read_for(p[0], &c, 1, WAIT_TIMEOUT_MS);
	close(p[0]);
	ktap_ok(n == 0, "the child exec'd");
	EXPECT_ERRNO(setpgid(child, 0), EACCES);
	finish(child);
}

/* ---- stop and continue ------------------------------------------------ */

static void nop_handler(int sig)
{
	(void)sig;
}

/* The next SIGCHLD (blocked), or si_signo 0 after @ms. */
static siginfo_t next_sigchld(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	siginfo_t si;
	sigset_t set;

	memset(&si, 0, sizeof(si));
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	if (sigtimedwait(&set, &si, &ts) != SIGCHLD)
		memset(&si, 0, sizeof(si));
	return si;
}

static void drain_sigchld(void)
{
	while (next_sigchld(0).si_signo)
		;
}

static void test_stop_reports(pid_t k)
{
	siginfo_t si;
	int st = 0, r;

	kill(k, SIGSTOP);
	memset(&si, 0, sizeof(si));
	r = waitid(P_PID, k, &si, WSTOPPED | WNOWAIT);
	ktap_ok(r == 0 && si.si_pid == k && si.si_code == CLD_STOPPED &&
			si.si_status == SIGSTOP,
		"waitid(WSTOPPED|WNOWAIT) sees the stop (code %d status %d)",
		si.si_code, si.si_status);
	r = wait_for(k, &st, WUNTRACED, WAIT_TIMEOUT_MS);
	ktap_ok(r == k && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP,
		"after WNOWAIT, WUNTRACED still reports it (0x%x)", st);
	EXPECT_EQ(waitpid(k, &st, WUNTRACED | WNOHANG), 0);
	memset(&si, 0, sizeof(si));
	ktap_ok(waitid(P_PID, k, &si, WSTOPPED | WNOHANG) == 0 &&
			si.si_pid == 0,
		"a stop is reported once, to waitid too");
	si = next_sigchld(WAIT_TIMEOUT_MS);
	ktap_ok(si.si_code == CLD_STOPPED && si.si_pid == k &&
			si.si_status == SIGSTOP,
		"SIGCHLD says CLD_STOPPED with the signal (code %d status %d)",
		si.si_code, si.si_status);
	drain_sigchld();
}

static void test_continue_reports(pid_t k)
{
	siginfo_t si;
	int st = 0, r;

	kill(k, SIGCONT);
	memset(&si, 0, sizeof(si));
	r = waitid(P_PID, k, &si, WCONTINUED | WNOWAIT);
	ktap_ok(r == 0 && si.si_code == CLD_CONTINUED &&
			si.si_status == SIGCONT,
		"waitid(WCONTINUED|WNOWAIT) sees the continue (code %d)",
		si.si_code);
	r = wait_for(k, &st, WCONTINUED, WAIT_TIMEOUT_MS);
	ktap_ok(r == k && WIFCONTINUED(st), "WCONTINUED reports it (0x%x)", st);
	EXPECT_EQ(waitpid(k, &st, WCONTINUED | WNOHANG), 0);
	si = next_sigchld(WAIT_TIMEOUT_MS);
	ktap_ok(si.si_code == CLD_CONTINUED && si.si_pid == k &&
			si.si_status == SIGCONT,
		"SIGCHLD says CLD_CONTINUED (code %d status %d)", si.si_code,
		si.si_status);
	drain_sigchld();
}

/* With SA_NOCLDSTOP, stops and continues send no SIGCHLD; exits do. */
static void test_nocldstop(pid_t k)
{
	struct sigaction sa;
	siginfo_t si;
	int st = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = nop_handler;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	kill(k, SIGSTOP);
	ktap_ok(wait_for(k, &st, WUNTRACED, WAIT_TIMEOUT_MS) == k &&
			WIFSTOPPED(st),
		"SA_NOCLDSTOP: the stop is still reported by wait");
	kill(k, SIGCONT);
	wait_for(k, &st, WCONTINUED, WAIT_TIMEOUT_MS);
	EXPECT_EQ(next_sigchld(NO_EVENT_MS).si_signo, 0);
	kill(k, SIGKILL);
	ktap_ok(wait_for(k, &st, 0, WAIT_TIMEOUT_MS) == k && WIFSIGNALED(st) &&
			WTERMSIG(st) == SIGKILL,
		"a killed child is reported as killed");
	si = next_sigchld(WAIT_TIMEOUT_MS);
	ktap_ok(si.si_code == CLD_KILLED && si.si_status == SIGKILL,
		"SA_NOCLDSTOP still signals the death (code %d)", si.si_code);
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = 0;
	sigaction(SIGCHLD, &sa, NULL);
}

static void test_wait_errors(void)
{
	siginfo_t si;
	int st;

	EXPECT_ERRNO(waitpid(-1, &st, BAD_WAIT_OPTION), EINVAL);
	EXPECT_ERRNO(waitid(P_ALL, 0, &si, 0), EINVAL); /* no event */
	EXPECT_ERRNO(waitid(P_ALL, 0, &si, WEXITED | BAD_WAIT_OPTION), EINVAL);
	EXPECT_ERRNO(waitid(7, 0, &si, WEXITED), EINVAL); /* bad idtype */
	EXPECT_ERRNO(waitid(P_PID, NO_SUCH_PID, &si, WEXITED), ECHILD);
	EXPECT_ERRNO(waitpid(-NO_SUCH_PID, &st, WNOHANG), ECHILD);
}

static void test_stop_continue(void)
{
	sigset_t set;
	pid_t k;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	drain_sigchld();
	k = fork_idle();
	test_stop_reports(k);
	test_continue_reports(k);
	test_nocldstop(k);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	test_wait_errors();
}

/* ---- orphaned process groups ------------------------------------------ */

/*
 * A child that raises @sig in a group with no link to the session (its
 * own new session) or with one (its own group): does it stop?
 */
enum group_link { LINKED_GROUP, ORPHANED_GROUP };

static bool stops_on(int sig, enum group_link link)
{
	int st = 0;
	pid_t pid = fork();
	bool stopped;

	if (pid == 0) {
		if (link == ORPHANED_GROUP)
			setsid();
		else
			setpgid(0, 0);
		raise(sig);
		_exit(0);
	}
	stopped = wait_for(pid, &st, WUNTRACED, WAIT_TIMEOUT_MS) == pid &&
		  WIFSTOPPED(st) && WSTOPSIG(st) == sig;
	finish(pid);
	return stopped;
}

static void test_orphan_stops(void)
{
	ktap_ok(stops_on(SIGTSTP, LINKED_GROUP),
		"SIGTSTP stops a linked group");
	ktap_ok(!stops_on(SIGTSTP, ORPHANED_GROUP),
		"SIGTSTP is discarded in an orphaned group");
	ktap_ok(!stops_on(SIGTTIN, ORPHANED_GROUP),
		"SIGTTIN is discarded in an orphaned group");
	ktap_ok(!stops_on(SIGTTOU, ORPHANED_GROUP),
		"SIGTTOU is discarded in an orphaned group");
	ktap_ok(stops_on(SIGSTOP, ORPHANED_GROUP),
		"SIGSTOP still stops an orphaned group");
}

static int note_fd = -1;

static void note_hup(int sig)
{
	(void)sig;
	if (write(note_fd, "H", 1) != 1)
		_exit(2);
}

static void note_cont(int sig)
{
	(void)sig;
	if (write(note_fd, "C", 1) != 1)
		_exit(2);
}

/* The stopping child: notes SIGHUP and SIGCONT (in that order: SIGHUP's
 * handler blocks SIGCONT) and 'X' once it runs again. */
static void __attribute__((noreturn)) stopped_member(bool own_group)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = note_hup;
	sigaddset(&sa.sa_mask, SIGCONT);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = note_cont;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCONT, &sa, NULL);
	if (own_group)
		setpgid(0, 0);
	alarm(TEST_ALARM_SECONDS);
	raise(SIGTSTP);
	if (write(note_fd, "X", 1) != 1)
		_exit(2);
	_exit(0);
}

/*
 * The middle process: makes a group of its own (case a; !@child_group) or
 * lets the child make one (case b), waits for the child to stop, tells
 * the test the child's pid, and exits: the group loses its link.
 */
static void __attribute__((noreturn)) link_process(bool child_group)
{
	pid_t c;
	int st;

	if (!child_group)
		setpgid(0, 0);
	c = fork();
	if (c == 0)
		stopped_member(child_group);
	if (wait_for(c, &st, WUNTRACED, WAIT_TIMEOUT_MS) != c ||
	    !WIFSTOPPED(st)) {
		kill(c, SIGKILL);
		_exit(1);
	}
	if (write(note_fd, &c, sizeof(c)) != sizeof(c))
		_exit(2);
	_exit(0);
}

static void orphan_case(bool child_group, const char *what)
{
	char buf[sizeof(pid_t) + 4];
	int p[2], st = 0, n;
	pid_t mid, c = 0;

	if (pipe(p)) {
		ktap_ok(0, "pipe for the orphan case");
		return;
	}
	mid = fork();
	if (mid == 0) {
		close(p[0]);
		note_fd = p[1];
		link_process(child_group);
	}
	close(p[1]);
	ktap_ok(wait_for(mid, &st, 0, WAIT_TIMEOUT_MS) == mid &&
			WIFEXITED(st) && WEXITSTATUS(st) == 0,
		"%s: the link exits after its child stopped", what);
	memset(buf, 0, sizeof(buf));
	n = read_for(p[0], buf, sizeof(buf) - 1, WAIT_TIMEOUT_MS);
	close(p[0]);
	if (n >= (int)sizeof(pid_t))
		memcpy(&c, buf, sizeof(c));
	ktap_ok(n == sizeof(pid_t) + 3 &&
			!memcmp(buf + sizeof(pid_t), "HCX", 3),
		"%s: the stopped member got SIGHUP, SIGCONT and ran (%d bytes: "
		"%.3s)",
		what, n, n > (int)sizeof(pid_t) ? buf + sizeof(pid_t) : "");
	if (c > 0)
		kill(c, SIGKILL); /* init's child now: init reaps it */
}

static void test_orphaned_groups(void)
{
	orphan_case(false, "own group orphaned by the exit");
	orphan_case(true, "child's group orphaned by reparenting");
}

/* The session leader: runs every case and reports. */
static int run_tests(void)
{
	alarm(TEST_ALARM_SECONDS);
	if (setsid() < 0) {
		printf("Bail out! setsid: %s\n", strerror(errno));
		return 1;
	}
	ktap_plan(54);
	test_ids();
	test_other_session();
	test_exec_child();
	test_stop_continue();
	test_orphan_stops();
	test_orphaned_groups();
	return ktap_exit();
}

int main(int argc, char **argv)
{
	pid_t pid;
	int st;

	if (argc > 1 && !strcmp(argv[1], "sleeper")) {
		alarm(TEST_ALARM_SECONDS);
		for (;;)
			pause();
	}
	self_path = argv[0];
	alarm(TEST_ALARM_SECONDS + 5);
	setvbuf(stdout, NULL, _IONBF, 0);
	pid = fork();
	if (pid == 0)
		exit(run_tests());
	if (waitpid(pid, &st, 0) != pid)
		return 1;
	if (WIFSIGNALED(st))
		printf("# the session leader died of signal %d\n",
		       WTERMSIG(st));
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
