/*
 * The terminal layer through a pseudo-terminal pair: canonical editing
 * and echo, input and output mapping, raw mode and the four VMIN/VTIME
 * cases, FIONREAD and flushing, the controlling-terminal ioctls and
 * their errors, signals from the keyboard (^C, ^Z), SIGWINCH, the
 * background-group stops (SIGTTIN, SIGTTOU with TOSTOP), and hangup
 * when the master closes. Every expectation is Linux's behaviour.
 *
 * Tests that need a controlling terminal run in a child that makes its
 * own session (setsid + TIOCSCTTY on the slave), so the test works
 * with or without a terminal of its own; the child reports a bit per
 * failed check in its exit status.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"

#define NR_TESTS 48
#define QUIET_MS 200 /* "nothing more comes" */

static int master = -1, slave = -1;
static char slave_name[64];

static int open_pair(void)
{
	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) || unlockpt(master))
		return -1;
	snprintf(slave_name, sizeof(slave_name), "%s", ptsname(master));
	slave = open(slave_name, O_RDWR | O_NOCTTY);
	return slave < 0 ? -1 : 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Everything @fd has within QUIET_MS of quiet, NUL-terminated. */
static int drain(int fd, char *buf, int size)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int n = 0, k;

	while (n < size - 1 && poll(&pfd, 1, QUIET_MS) == 1 &&
	       (pfd.revents & POLLIN)) {
		k = read(fd, buf + n, size - 1 - n);
		if (k <= 0)
			break;
		n += k;
	}
	buf[n] = 0;
	return n;
}

static void put(const char *s)
{
	if (write(master, s, strlen(s)) != (ssize_t)strlen(s))
		ktap_diag("short write to master");
}

static void set_lflag(int fd, tcflag_t on, tcflag_t off)
{
	struct termios t;

	tcgetattr(fd, &t);
	t.c_lflag = (t.c_lflag | on) & ~off;
	tcsetattr(fd, TCSANOW, &t);
}

/* Read one canonical line from the slave and compare it with @want. */
static bool line_is(const char *want)
{
	char buf[256];
	ssize_t n = read(slave, buf, sizeof(buf) - 1);

	if (n < 0)
		return false;
	buf[n] = 0;
	if (strcmp(buf, want))
		ktap_diag("read \"%s\", expected \"%s\"", buf, want);
	return !strcmp(buf, want);
}

static void test_canonical(void)
{
	char buf[64];
	unsigned int ptn = ~0u;

	ktap_ok(ioctl(master, TIOCGPTN, &ptn) == 0 &&
			strtoul(slave_name + 9, NULL, 10) == ptn,
		"TIOCGPTN matches ptsname %s", slave_name);
	set_lflag(slave, 0, ECHO);
	put("hello\n");
	ktap_ok(line_is("hello\n"), "canonical read of a line");
	put("abx\177c\n");
	ktap_ok(line_is("abc\n"), "VERASE erases one character");
	put("junk\025ok\n");
	ktap_ok(line_is("ok\n"), "VKILL erases the line");
	put("one two\027three\n");
	ktap_ok(line_is("one three\n"), "VWERASE erases a word");
	put("\004");
	ktap_ok(read(slave, buf, sizeof(buf)) == 0, "VEOF at line start: 0");
	put("ab\004");
	ktap_ok(read(slave, buf, sizeof(buf)) == 2 && !memcmp(buf, "ab", 2),
		"VEOF mid-line ends the line without itself");
	put("a\r");
	ktap_ok(line_is("a\n"), "ICRNL maps CR to NL");
	put("split\n");
	ktap_ok(read(slave, buf, 3) == 3 && line_is("it\n"),
		"a short read leaves the rest of the line");
}

/*
 * Regression: erasing a tab with OPOST off looped forever with
 * interrupts off (the backspaces echoed did not move the column the
 * loop waited on). Any user with a pty could hang the machine.
 */
static void test_tab_erase_without_opost(void)
{
	char buf[256];
	struct termios t;

	set_lflag(slave, ECHO | ECHOE, 0);
	if (write(slave, "abc", 3) != 3) /* the output column moves on */
		ktap_diag("slave write failed");
	drain(master, buf, sizeof(buf));
	tcgetattr(slave, &t);
	t.c_oflag &= ~OPOST;
	tcsetattr(slave, TCSANOW, &t);
	put("\t\177\n");
	ktap_ok(line_is("\n"), "erasing a tab without OPOST ends");
	drain(master, buf, sizeof(buf));
	t.c_oflag |= OPOST;
	tcsetattr(slave, TCSANOW, &t);
	set_lflag(slave, 0, ECHO);
}

static void test_echo(void)
{
	char buf[256];

	drain(master, buf, sizeof(buf));
	set_lflag(slave, ECHO | ECHOE | ECHOCTL, 0);
	put("hi\n");
	drain(master, buf, sizeof(buf));
	ktap_ok(!strcmp(buf, "hi\r\n"), "echo with ONLCR on the master");
	line_is("hi\n");
	put("ab\177\n");
	drain(master, buf, sizeof(buf));
	ktap_ok(!strcmp(buf, "ab\b \b\r\n"), "ECHOE rubs a character out");
	line_is("a\n");
	put("\003");
	drain(master, buf, sizeof(buf));
	ktap_ok(!strcmp(buf, "^C"), "ECHOCTL shows ^C (got \"%s\")", buf);
	put("\t\177\n");
	drain(master, buf, sizeof(buf));
	ktap_ok(!strcmp(buf, "\t\b\b\b\b\b\b\r\n"),
		"a tab erased after ^C goes back to its column (got %zu bytes)",
		strlen(buf));
	line_is("\n");
	put("hi\n\t\177\n");
	drain(master, buf, sizeof(buf));
	ktap_ok(!strcmp(buf, "hi\r\n\t\b\b\b\b\b\b\b\b\r\n"),
		"a tab erased after a newline goes back to column 0 (got %zu "
		"bytes)",
		strlen(buf));
	line_is("hi\n");
	line_is("\n");
	set_lflag(slave, 0, ECHO);
	put("x\n");
	ktap_ok(drain(master, buf, sizeof(buf)) == 0, "no echo without ECHO");
	line_is("x\n");
	if (write(slave, "z\n", 2) != 2)
		ktap_diag("slave write failed");
	drain(master, buf, sizeof(buf));
	ktap_ok(!strcmp(buf, "z\r\n"), "ONLCR on output");
	test_tab_erase_without_opost();
}

static void set_raw(int vmin, int vtime)
{
	struct termios t;

	tcgetattr(slave, &t);
	t.c_lflag &= ~(ICANON | ECHO | ISIG);
	t.c_cc[VMIN] = vmin;
	t.c_cc[VTIME] = vtime;
	tcsetattr(slave, TCSANOW, &t);
}

/* A child writes @s to the master after @ms milliseconds. */
static pid_t later(const char *s, int ms)
{
	pid_t pid = fork();

	if (!pid) {
		usleep(ms * 1000);
		put(s);
		_exit(0);
	}
	return pid;
}

static void test_raw(void)
{
	char buf[16];
	long t0;
	int n;
	pid_t pid;

	set_raw(1, 0);
	put("q");
	ktap_ok(read(slave, buf, sizeof(buf)) == 1 && buf[0] == 'q',
		"raw mode: a byte at a time");
	set_raw(0, 0);
	t0 = now_ms();
	ktap_ok(read(slave, buf, sizeof(buf)) == 0 && now_ms() - t0 < 100,
		"MIN=0 TIME=0: returns 0 at once");
	set_raw(0, 2);
	t0 = now_ms();
	n = read(slave, buf, sizeof(buf));
	ktap_ok(n == 0 && now_ms() - t0 >= 150, "MIN=0 TIME=2: times out");
	set_raw(3, 0);
	put("ab");
	pid = later("c", 300);
	t0 = now_ms();
	n = read(slave, buf, sizeof(buf));
	ktap_ok(n == 3 && now_ms() - t0 >= 200, "MIN=3 TIME=0: waits for 3");
	waitpid(pid, NULL, 0);
	set_raw(5, 2);
	pid = later("ab", 300);
	t0 = now_ms();
	n = read(slave, buf, sizeof(buf));
	ktap_ok(n == 2 && now_ms() - t0 >= 300,
		"MIN=5 TIME=2: blocks for the first byte, then a timer");
	waitpid(pid, NULL, 0);
	set_lflag(slave, ICANON, 0);
}

static void test_flush_and_errors(void)
{
	struct termios t;
	int n = -1, fd;

	put("abc");
	ioctl(slave, FIONREAD, &n);
	ktap_ok(n == 0, "FIONREAD: an unfinished line is not counted");
	put("\n");
	usleep(50000);
	ioctl(slave, FIONREAD, &n);
	ktap_ok(n == 4, "FIONREAD counts a finished line (%d)", n);
	tcgetattr(slave, &t);
	ktap_ok(tcsetattr(slave, TCSAFLUSH, &t) == 0 &&
			ioctl(slave, FIONREAD, &n) == 0 && n == 0,
		"TCSETSF flushes input");
	put("stale\n");
	usleep(50000);
	ktap_ok(tcflush(slave, TCIFLUSH) == 0 &&
			ioctl(slave, FIONREAD, &n) == 0 && n == 0,
		"TCFLSH drops input");
	fd = open("/proc/self/stat", O_RDONLY);
	EXPECT_ERRNO(ioctl(fd, TCGETS, &t), ENOTTY);
	close(fd);
	EXPECT_ERRNO(ioctl(slave, TCGETS, (void *)16), EFAULT);
	EXPECT_ERRNO(ioctl(slave, TIOCGWINSZ, (void *)16), EFAULT);
	EXPECT_ERRNO(ioctl(slave, 0x54ff, 0), ENOTTY);
	EXPECT_ERRNO(tcflush(slave, 7), EINVAL);
}

/* ---- in a session of its own ------------------------------------------ */

static volatile sig_atomic_t got_sig;

static void on_sig(int sig)
{
	got_sig = sig;
}

static void catch (int sig)
{
	struct sigaction sa = { .sa_handler = on_sig };

	sigaction(sig, &sa, NULL);
}

/* Wait up to a second for got_sig == @sig. */
static bool wait_sig(int sig)
{
	int i;

	for (i = 0; i < 100 && got_sig != sig; i++)
		usleep(10000);
	return got_sig == sig;
}

/* Become a session leader with the slave as ctty. */
static int become_leader(void)
{
	if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0))
		return -1;
	return 0;
}

/*
 * A group whose only member has exited but is not yet reaped still
 * exists (Linux keeps a zombie in its group): TIOCSPGRP to it works.
 * A shell's pipeline races exactly so. 0, or 16 on failure.
 */
static int zombie_group_checks(void)
{
	siginfo_t info;
	pid_t pid = fork();
	int v, fail = 0;

	if (!pid) {
		setpgid(0, 0);
		_exit(0);
	}
	if (pid < 0 || waitid(P_PID, pid, &info, WEXITED | WNOWAIT))
		return 16;
	v = pid;
	if (ioctl(slave, TIOCSPGRP, &v))
		fail = 16;
	v = getpgrp();
	ioctl(slave, TIOCSPGRP, &v);
	waitpid(pid, NULL, 0);
	return fail;
}

/* The ctty ioctls; a bit per failed check. */
static int ctty_checks(void)
{
	int fail = 0, v = 0, fd;
	pid_t pid, st;

	if (setsid() < 0)
		return 0xff;
	fd = open("/dev/tty", O_RDWR);
	if (!(fd < 0 && errno == ENXIO))
		fail |= 1; /* no ctty yet */
	if (ioctl(slave, TIOCSCTTY, 0))
		fail |= 2;
	if (ioctl(slave, TIOCGSID, &v) || v != getpid())
		fail |= 4;
	if (ioctl(slave, TIOCGPGRP, &v) || v != getpid())
		fail |= 8;
	v = 0x7ffffff0;
	if (!(ioctl(slave, TIOCSPGRP, &v) < 0 && errno == ESRCH))
		fail |= 16;
	v = getpgid(getppid());
	if (!(ioctl(slave, TIOCSPGRP, &v) < 0 && errno == EPERM))
		fail |= 16;
	if (!(ioctl(slave, TIOCSPGRP, (void *)16) < 0 && errno == EFAULT))
		fail |= 32;
	fail |= zombie_group_checks();
	fd = open("/dev/tty", O_RDWR);
	if (fd < 0)
		fail |= 64;
	close(fd);
	pid = fork();
	if (!pid) /* not a session leader */
		_exit(ioctl(slave, TIOCSCTTY, 0) < 0 && errno == EPERM ? 0 : 1);
	waitpid(pid, &st, 0);
	if (st)
		fail |= 128;
	return fail;
}

/* A child of the leader in a new (background) group touches the ctty. */
static int background_access(bool writing)
{
	pid_t pid;
	int st = 1;

	if (become_leader())
		return 10;
	if (writing)
		set_lflag(slave, TOSTOP, 0);
	pid = fork();
	if (!pid) {
		setpgid(0, 0);
		catch (writing ? SIGTTOU : SIGTTIN);
		if (writing)
			(void)!write(slave, "x", 1);
		else
			(void)!read(slave, &st, 1);
		_exit(wait_sig(writing ? SIGTTOU : SIGTTIN) ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 11;
}

/* The leader waits for @sig after telling the parent it is ready; for
 * SIGWINCH, it resizes the tty first. */
static int wait_typed_signal(int sig, int ready_fd)
{
	struct winsize ws = { .ws_row = 33, .ws_col = 99 };

	catch (sig);
	if (become_leader())
		return 10;
	if (sig == SIGWINCH) {
		ioctl(slave, TIOCSWINSZ, &ws);
		memset(&ws, 0, sizeof(ws));
		ioctl(slave, TIOCGWINSZ, &ws);
		if (ws.ws_row != 33 || ws.ws_col != 99)
			return 12;
	}
	(void)!write(ready_fd, "r", 1);
	return wait_sig(sig) ? 0 : 1;
}

/* Run @fn in a child; with @input, write it to the master when ready. */
static int in_child(int (*fn)(int, bool), bool arg, const char *input,
		    bool close_master)
{
	int p[2], st = -1;
	char c;
	pid_t pid;

	if (pipe(p))
		return -1;
	c = 0;
	pid = fork();
	if (!pid) {
		close(p[0]);
		close(master); /* the parent's is then the last */
		_exit(fn(p[1], arg));
	}
	close(p[1]);
	if (read(p[0], &c, 1) == 1) {
		if (input)
			put(input);
		if (close_master) {
			close(master);
			master = -1;
		}
	}
	close(p[0]);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

static int run_ctty(int fd __attribute__((unused)),
		    bool arg __attribute__((unused)))
{
	return ctty_checks();
}

static int run_intr(int fd, bool susp)
{
	return wait_typed_signal(susp ? SIGTSTP : SIGINT, fd);
}

static int run_winch(int fd, bool arg __attribute__((unused)))
{
	return wait_typed_signal(SIGWINCH, fd);
}

static int run_bg(int fd __attribute__((unused)), bool writing)
{
	return background_access(writing);
}

static int run_hup(int fd, bool arg __attribute__((unused)))
{
	char c;
	int ret = wait_typed_signal(SIGHUP, fd);

	if (ret)
		return ret;
	if (read(slave, &c, 1) != 0)
		return 20; /* a hung-up tty reads as end of file */
	if (!(write(slave, "x", 1) < 0 && errno == EIO))
		return 21;
	return 0;
}

static void test_sessions(void)
{
	char c;
	int v, r;

	set_lflag(slave, ISIG, ECHO);
	r = in_child(run_ctty, false, NULL, false);
	ktap_ok(!(r & 1), "/dev/tty without a ctty: ENXIO");
	ktap_ok(!(r & 2), "TIOCSCTTY by a session leader");
	ktap_ok(!(r & 12), "TIOCGSID and TIOCGPGRP of the new session");
	ktap_ok(!(r & 48),
		"TIOCSPGRP: ESRCH, EPERM for another session's group, EFAULT, "
		"a zombie's group");
	ktap_ok(!(r & 64), "/dev/tty opens the ctty");
	ktap_ok(!(r & 128), "TIOCSCTTY by a non-leader: EPERM");
	ktap_ok(ioctl(slave, TIOCGSID, &v) < 0 && errno == ENOTTY,
		"TIOCGSID on a tty that is not our ctty: ENOTTY");
	ktap_ok(in_child(run_intr, false, "\003", false) == 0,
		"^C sends SIGINT to the foreground group");
	ktap_ok(in_child(run_intr, true, "\032", false) == 0,
		"^Z sends SIGTSTP to the foreground group");
	r = in_child(run_winch, false, NULL, false);
	ktap_ok(r == 0, "TIOCSWINSZ sends SIGWINCH (%d)", r);
	ktap_ok(in_child(run_bg, false, NULL, false) == 0,
		"a background read gets SIGTTIN");
	ktap_ok(in_child(run_bg, true, NULL, false) == 0,
		"a background write with TOSTOP gets SIGTTOU");
	set_lflag(slave, 0, TOSTOP);
	r = in_child(run_hup, false, NULL, true);
	ktap_ok(r == 0, "closing the master hangs the slave up (%d)", r);
	close(slave);
	slave = -1;
	if (open_pair())
		return;
	close(slave);
	slave = -1;
	v = (int)read(master, &c, 1);
	if (!ktap_ok(v < 0 && errno == EIO,
		     "master read after the slave closed: EIO"))
		ktap_diag("read returned %d, errno %d", v, errno);
	close(master);
	master = -1;
}

static void test_lock(void)
{
	int fd, m = posix_openpt(O_RDWR | O_NOCTTY);

	fd = open(ptsname(m), O_RDWR | O_NOCTTY);
	ktap_ok(fd < 0 && errno == EIO, "a locked slave does not open: EIO");
	unlockpt(m);
	fd = open(ptsname(m), O_RDWR | O_NOCTTY);
	ktap_ok(fd >= 0 && isatty(fd), "unlockpt opens it");
	close(fd);
	close(m);
}

/*
 * Bulk data through a pty in real raw mode (cfmakeraw on both sides):
 * 256 KiB written by a child in 7000-byte writes, read back in odd-sized
 * reads, every byte in order — the ring wraps many times.
 */
#define BULK_BYTES (256 * 1024)
#define BULK_WRITE 7000
#define BULK_READ 1500

static unsigned char bulk_byte(size_t i)
{
	return (unsigned char)(i * 7 + i / 251);
}

static void test_bulk_raw(void)
{
	static unsigned char buf[BULK_WRITE];
	struct termios t, saved_m, saved_s;
	size_t got = 0, i, bad = BULK_BYTES;
	ssize_t n;
	pid_t pid;

	tcgetattr(master, &saved_m);
	tcgetattr(slave, &saved_s);
	t = saved_s;
	cfmakeraw(&t);
	tcsetattr(slave, TCSANOW, &t);
	pid = fork();
	if (!pid) {
		for (size_t off = 0; off < BULK_BYTES; off += BULK_WRITE) {
			size_t k = BULK_BYTES - off < BULK_WRITE ?
					   BULK_BYTES - off :
					   BULK_WRITE;

			for (i = 0; i < k; i++)
				buf[i] = bulk_byte(off + i);
			if (write(master, buf, k) != (ssize_t)k)
				_exit(1);
		}
		_exit(0);
	}
	alarm(30);
	while (got < BULK_BYTES && bad == BULK_BYTES) {
		n = read(slave, buf, BULK_READ);
		if (n <= 0)
			break;
		for (i = 0; i < (size_t)n; i++)
			if (buf[i] != bulk_byte(got + i) && bad == BULK_BYTES)
				bad = got + i;
		got += n;
	}
	alarm(0);
	waitpid(pid, NULL, 0);
	ktap_ok(got == BULK_BYTES && bad == BULK_BYTES,
		"raw mode: 256 KiB arrive intact and in order (%zu bytes, "
		"first bad at %zu)",
		got, bad);
	tcsetattr(slave, TCSANOW, &saved_s);
	tcsetattr(master, TCSANOW, &saved_m);
}

int main(void)
{
	ktap_plan(NR_TESTS);
	if (open_pair()) {
		ktap_diag("no pty: %s", strerror(errno));
		return ktap_exit();
	}
	test_canonical();
	test_echo();
	test_raw();
	test_bulk_raw();
	test_flush_and_errors();
	test_lock();
	test_sessions();
	return ktap_exit();
}
