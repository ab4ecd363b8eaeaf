/*
 * kbench: Kestrel's user-space benchmarks (DESIGN.md section 6), one
 * static i386 program with a subcommand per group of figures:
 *
 *   kbench SUB          run one group (see figures.h), e.g. kbench fault
 *   kbench all          run every group in this process
 *
 * Each figure prints exactly one line "BENCH <name> <value> <unit>": the
 * median of REPS timed repetitions (default 5, env KBENCH_REPS), each
 * timed with clock_gettime(CLOCK_MONOTONIC). The samples are printed
 * first as a "# " comment. A figure whose system calls fail (ENOSYS on a
 * kernel that lacks one, or any other error) prints "# skipped: ..." and
 * "BENCH <name> nan <unit>", and the program goes on with the next one.
 *
 * The same binary runs on Linux and on Kestrel, as /bench/kbench under
 * the bench /init (init.c), or on the host from build/user/bench/.
 * The programs it execs (exit0, tiny) are looked up next to argv[0].
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "figures.h"

#define MAX_REPS 31
#define KiB 1024
#define MiB (1024 * 1024)
#define MB 1e6 /* MB/s figures are 10^6 bytes per second */

static int reps = 5;
static char *buf64k; /* PIPE_CHUNK bytes, for the bandwidth figures */
static int bw_fd; /* what a bandwidth figure reads or writes */
static char progdir[200] = "/bench";
static char why[600]; /* reason the current figure failed */

/* ---- helpers ------------------------------------------------------------ */

static int fail(const char *what)
{
	int err = errno ? errno : EIO;

	snprintf(why, sizeof(why), "%.300s: %.200s", what, strerror(err));
	return -1;
}

static int failf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return -1;
}

static int now(double *ns)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		return fail("clock_gettime(CLOCK_MONOTONIC)");
	*ns = ts.tv_sec * 1e9 + ts.tv_nsec;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	double s[MAX_REPS];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* Print a figure: its samples as a comment, then the BENCH line. */
static void report(const char *name, const char *unit, double *v, int n)
{
	int i;

	printf("# %s samples:", name);
	for (i = 0; i < n; i++)
		printf(" %.2f", v[i]);
	printf("\nBENCH %s %.2f %s\n", name, median(v, n), unit);
	fflush(stdout);
}

static void report_nan(const char *name, const char *unit)
{
	printf("# skipped: %s: %s\nBENCH %s nan %s\n", name, why, name, unit);
	fflush(stdout);
}

/* Run fn once per repetition and print the figure (or its failure). */
typedef int bench_fn(double *sample);

static void figure(const char *name, const char *unit, bench_fn *fn)
{
	double v[MAX_REPS];
	int i;

	for (i = 0; i < reps; i++) {
		errno = 0;
		if (fn(&v[i]) < 0) {
			report_nan(name, unit);
			return;
		}
	}
	report(name, unit, v, reps);
}

/* Wait for @pid; fail unless it exited with status 0. */
static int reap(pid_t pid, const char *what)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return fail("waitpid");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		return failf("%s: child killed by signal %d", what,
			     WTERMSIG(status));
	return failf("%s: child exit status %d", what, WEXITSTATUS(status));
}

static int read_full(int fd, char *buf, size_t len)
{
	while (len) {
		ssize_t n = read(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

static int write_full(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

/* ---- null system call --------------------------------------------------- */

#define SYSCALL_LOOPS 40000 /* per repetition: 200k calls with 5 reps */

/* glibc's getppid: int 0x80, or sysenter through AT_SYSINFO when given. */
static int b_getppid(double *out)
{
	double t0, t1;
	int i;

	if (now(&t0) < 0)
		return -1;
	for (i = 0; i < SYSCALL_LOOPS; i++) {
		long r = getppid(); /* glibc may return -errno as it is */

		if (r < 0) {
			if (r != -1 || !errno)
				errno = -r;
			return fail("getppid");
		}
	}
	if (now(&t1) < 0)
		return -1;
	*out = (t1 - t0) / SYSCALL_LOOPS;
	return 0;
}

static inline long getppid_int80(void)
{
	long ret;

	asm volatile("int $0x80" : "=a"(ret) : "0"(SYS_getppid) : "memory");
	return ret;
}

static int b_getppid_int80(double *out)
{
	double t0, t1;
	int i;

	if (now(&t0) < 0)
		return -1;
	for (i = 0; i < SYSCALL_LOOPS; i++) {
		long r = getppid_int80();

		if (r < 0) {
			errno = -r;
			return fail("getppid via int 0x80");
		}
	}
	if (now(&t1) < 0)
		return -1;
	*out = (t1 - t0) / SYSCALL_LOOPS;
	return 0;
}

/* ---- pipe ping-pong ----------------------------------------------------- */

#define PINGPONG_LOOPS 1000

static int pp_to[2], pp_from[2]; /* parent -> child, child -> parent */

static int b_pingpong(double *out)
{
	double t0, t1;
	char c = 'x';
	int i;

	if (now(&t0) < 0)
		return -1;
	for (i = 0; i < PINGPONG_LOOPS; i++) {
		if (write(pp_to[1], &c, 1) != 1)
			return fail("ping: write");
		if (read_full(pp_from[0], &c, 1) < 0)
			return fail("ping: read");
	}
	if (now(&t1) < 0)
		return -1;
	*out = (t1 - t0) / PINGPONG_LOOPS / 1e3;
	return 0;
}

static void sub_pingpong(const struct kbench_fig *f)
{
	pid_t pid;
	char c;

	if (pipe(pp_to) < 0 || pipe(pp_from) < 0) {
		fail("pipe");
		report_nan(f->name, f->unit);
		return;
	}
	pid = fork();
	if (pid < 0) {
		fail("fork");
		report_nan(f->name, f->unit);
		return;
	}
	if (pid == 0) {
		close(pp_to[1]);
		close(pp_from[0]);
		/* Echo until the parent closes its end (or dies). */
		while (read(pp_to[0], &c, 1) == 1)
			if (write(pp_from[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(pp_to[0]);
	close(pp_from[1]);
	figure(f->name, f->unit, b_pingpong);
	close(pp_to[1]);
	close(pp_from[0]);
	reap(pid, "pingpong echo");
}

/* ---- pseudo-terminal ---------------------------------------------------- */

/*
 * A terminal round trip and throughput through a pty pair in raw mode:
 * the parent works the master, an echo (or a sink) child the slave, so
 * every byte crosses the line discipline. The bench /init mounts
 * devtmpfs and devpts; run elsewhere without /dev/ptmx, devpts is
 * mounted here and its ptmx used.
 */
#define PTY_BW_CHUNK (4 * KiB)
#define PTY_BW_BYTES (1 * MiB) /* per repetition */

static int pty_open_pair(int *master, int *slave)
{
	struct termios t;
	const char *ptmx = "/dev/ptmx";

	if (access(ptmx, F_OK) < 0) {
		mkdir("/dev/pts", 0755);
		mount("devpts", "/dev/pts", "devpts", 0, "ptmxmode=0666");
		ptmx = "/dev/pts/ptmx";
	}
	*master = open(ptmx, O_RDWR | O_NOCTTY);
	if (*master < 0)
		return fail("open ptmx");
	if (grantpt(*master) < 0 || unlockpt(*master) < 0)
		return fail("unlockpt");
	*slave = open(ptsname(*master), O_RDWR | O_NOCTTY);
	if (*slave < 0)
		return fail("open pts");
	if (tcgetattr(*slave, &t) < 0)
		return fail("tcgetattr");
	cfmakeraw(&t);
	if (tcsetattr(*slave, TCSANOW, &t) < 0)
		return fail("tcsetattr");
	return 0;
}

/* The slave side: echo each byte, or swallow PTY_BW_BYTES and ack. */
static void __attribute__((noreturn)) pty_child(int slave, bool echo)
{
	size_t got = 0;
	ssize_t n;

	for (;;) {
		n = read(slave, buf64k, echo ? 1 : PTY_BW_CHUNK);
		if (n <= 0)
			_exit(0); /* the master closed */
		if (echo) {
			if (write(slave, buf64k, 1) != 1)
				_exit(1);
			continue;
		}
		got += n;
		if (got >= PTY_BW_BYTES) {
			got -= PTY_BW_BYTES;
			if (write(slave, "k", 1) != 1)
				_exit(1);
		}
	}
}

static int b_ptybw(double *out)
{
	double t0, t1;
	size_t sent;
	char ack;

	if (now(&t0) < 0)
		return -1;
	for (sent = 0; sent < PTY_BW_BYTES; sent += PTY_BW_CHUNK)
		if (write_full(bw_fd, buf64k, PTY_BW_CHUNK) < 0)
			return fail("pty write");
	if (read_full(bw_fd, &ack, 1) < 0)
		return fail("pty ack");
	if (now(&t1) < 0)
		return -1;
	*out = PTY_BW_BYTES / ((t1 - t0) / 1e9) / MB;
	return 0;
}

/* One pty figure: a pair, a child on the slave, @fn timed on the master. */
static void pty_figure(const struct kbench_fig *f, bool echo, bench_fn *fn)
{
	int master, slave;
	pid_t pid;

	if (pty_open_pair(&master, &slave) < 0) {
		report_nan(f->name, f->unit);
		return;
	}
	pid = fork();
	if (pid < 0) {
		fail("fork");
		report_nan(f->name, f->unit);
		return;
	}
	if (pid == 0) {
		close(master);
		pty_child(slave, echo);
	}
	close(slave);
	pp_to[1] = pp_from[0] = bw_fd = master;
	figure(f->name, f->unit, fn);
	close(master);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* ---- fork, exec --------------------------------------------------------- */

#define FORK_LOOPS 100
#define EXEC_LOOPS 40

static int b_fork(double *out)
{
	double t0, t1;
	int i;

	if (now(&t0) < 0)
		return -1;
	for (i = 0; i < FORK_LOOPS; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		if (pid < 0)
			return fail("fork");
		if (reap(pid, "fork+exit") < 0)
			return -1;
	}
	if (now(&t1) < 0)
		return -1;
	*out = (t1 - t0) / FORK_LOOPS / 1e3;
	return 0;
}

static char exec_path[256];

static int b_exec(double *out)
{
	char *argv[] = { exec_path, NULL };
	char *envp[] = { NULL };
	double t0, t1;
	int i;

	if (now(&t0) < 0)
		return -1;
	for (i = 0; i < EXEC_LOOPS; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			execve(exec_path, argv, envp);
			_exit(100 + (errno & 0x1f));
		}
		if (pid < 0)
			return fail("fork");
		if (reap(pid, exec_path) < 0)
			return -1;
	}
	if (now(&t1) < 0)
		return -1;
	*out = (t1 - t0) / EXEC_LOOPS / 1e3;
	return 0;
}

static void exec_figure(const struct kbench_fig *f, const char *prog)
{
	snprintf(exec_path, sizeof(exec_path), "%.200s/%.40s", progdir, prog);
	if (access(exec_path, X_OK) < 0) {
		fail(exec_path);
		report_nan(f->name, f->unit);
		return;
	}
	figure(f->name, f->unit, b_exec);
}

/* ---- anonymous page faults ---------------------------------------------- */

#define FAULT_BYTES (4 * MiB)
#define PAGE 4096

static int b_fault(double *out)
{
	volatile char *p;
	double t0, t1;
	size_t off;

	p = mmap(NULL, FAULT_BYTES, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return fail("mmap 4 MiB");
	if (now(&t0) < 0)
		return -1;
	for (off = 0; off < FAULT_BYTES; off += PAGE)
		p[off] = 1;
	if (now(&t1) < 0)
		return -1;
	if (munmap((void *)p, FAULT_BYTES) < 0)
		return fail("munmap");
	*out = (t1 - t0) / (FAULT_BYTES / PAGE);
	return 0;
}

/* ---- pipe bandwidth ----------------------------------------------------- */

#define PIPE_CHUNK (64 * KiB)
#define PIPE_BYTES (16 * MiB) /* per repetition */

static int b_pipebw(double *out)
{
	double t0, t1;
	size_t got = 0;

	if (now(&t0) < 0)
		return -1;
	while (got < PIPE_BYTES) {
		ssize_t n = read(bw_fd, buf64k, PIPE_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail("pipe read");
		if (n == 0)
			return failf("pipe read: early EOF after %zu bytes",
				     got);
		got += n;
	}
	if (now(&t1) < 0)
		return -1;
	*out = PIPE_BYTES / ((t1 - t0) / 1e9) / MB;
	return 0;
}

static void sub_pipebw(const struct kbench_fig *f)
{
	int fd[2];
	double warm;
	pid_t pid;
	long i;

	if (pipe(fd) < 0) {
		fail("pipe");
		report_nan(f->name, f->unit);
		return;
	}
	pid = fork();
	if (pid < 0) {
		fail("fork");
		report_nan(f->name, f->unit);
		return;
	}
	if (pid == 0) {
		/* One warm-up round, then one per repetition. */
		long chunks = (long)(reps + 1) * (PIPE_BYTES / PIPE_CHUNK);

		close(fd[0]);
		for (i = 0; i < chunks; i++)
			if (write_full(fd[1], buf64k, PIPE_CHUNK) < 0)
				_exit(1);
		_exit(0);
	}
	close(fd[1]);
	bw_fd = fd[0];
	if (b_pipebw(&warm) < 0)
		report_nan(f->name, f->unit);
	else
		figure(f->name, f->unit, b_pipebw);
	close(fd[0]);
	kill(pid, SIGKILL); /* if the figure failed midway */
	waitpid(pid, NULL, 0);
}

/* ---- tmpfs -------------------------------------------------------------- */

#define FILE_BYTES (16 * MiB)
static char tmpdir[200] = "/tmp";
static char data_path[256];

static int b_tmpfs_write(double *out)
{
	double t0, t1;
	int fd, i;

	unlink(data_path);
	fd = open(data_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fail(data_path);
	if (now(&t0) < 0)
		return -1;
	for (i = 0; i < FILE_BYTES / PIPE_CHUNK; i++)
		if (write_full(fd, buf64k, PIPE_CHUNK) < 0) {
			fail("write");
			close(fd);
			return -1;
		}
	if (now(&t1) < 0)
		return -1;
	if (close(fd) < 0)
		return fail("close");
	*out = FILE_BYTES / ((t1 - t0) / 1e9) / MB;
	return 0;
}

static int b_tmpfs_read(double *out)
{
	double t0, t1;
	size_t got = 0;
	ssize_t n;
	int fd;

	fd = open(data_path, O_RDONLY);
	if (fd < 0)
		return fail(data_path);
	if (now(&t0) < 0)
		return -1;
	while ((n = read(fd, buf64k, PIPE_CHUNK)) > 0 ||
	       (n < 0 && errno == EINTR))
		if (n > 0)
			got += n;
	if (now(&t1) < 0)
		return -1;
	if (n < 0) {
		fail("read");
		close(fd);
		return -1;
	}
	close(fd);
	if (got != FILE_BYTES)
		return failf("read %zu bytes back, wrote %d", got, FILE_BYTES);
	*out = FILE_BYTES / ((t1 - t0) / 1e9) / MB;
	return 0;
}

/* ---- open/close, stat, create/unlink ------------------------------------ */

#define OPEN_LOOPS 1000
#define CREATE_LOOPS 500

static int b_open_close(double *out)
{
	double t0, t1;
	int i, fd;

	if (now(&t0) < 0)
		return -1;
	for (i = 0; i < OPEN_LOOPS; i++) {
		fd = open(data_path, O_RDONLY);
		if (fd < 0)
			return fail(data_path);
		if (close(fd) < 0)
			return fail("close");
	}
	if (now(&t1) < 0)
		return -1;
	*out = (t1 - t0) / OPEN_LOOPS / 1e3;
	return 0;
}

static int b_stat(double *out)
{
	struct stat st;
	double t0, t1;
	int i;

	if (now(&t0) < 0)
		return -1;
	for (i = 0; i < OPEN_LOOPS; i++)
		if (stat(data_path, &st) < 0)
			return fail("stat");
	if (now(&t1) < 0)
		return -1;
	*out = (t1 - t0) / OPEN_LOOPS / 1e3;
	return 0;
}

static int b_create_unlink(double *out)
{
	char name[256];
	double t0, t1;
	int i, fd;

	if (now(&t0) < 0)
		return -1;
	for (i = 0; i < CREATE_LOOPS; i++) {
		snprintf(name, sizeof(name), "%s/kbench.%d", tmpdir, i);
		fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			return fail(name);
		if (close(fd) < 0)
			return fail("close");
		if (unlink(name) < 0)
			return fail("unlink");
	}
	if (now(&t1) < 0)
		return -1;
	*out = (t1 - t0) / CREATE_LOOPS / 1e3;
	return 0;
}

/* A small file for open/stat to look up. */
static int make_small_file(void)
{
	int fd = open(data_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return fail(data_path);
	if (write(fd, "kbench\n", 7) != 7) {
		fail("write");
		close(fd);
		return -1;
	}
	return close(fd) < 0 ? fail("close") : 0;
}

/* ---- uevents: write "change" to a uevent file, receive the message ------ */

#define SYSFS_MAGIC 0x62656572 /* Linux's include/uapi/linux/magic.h */
#define UEVENT_FILE "/sys/class/mem/null/uevent"
#define UEVENT_GROUP_KERNEL 1 /* multicast group of kernel uevents */
#define UEVENT_MSG_MAX 8192
#define UEVENT_LAT_LOOPS 50 /* events per latency sample */
#define UEVENT_BATCH 16 /* writes before reading: well within SO_RCVBUF */
#define UEVENT_TPUT_NS 500e6 /* each throughput sample runs this long */

static int uevent_sock = -1, uevent_fd = -1;

/* Mount sysfs if /sys is not one (the bench /init mounts nothing). */
static int ensure_sysfs(void)
{
	struct statfs sfs;

	if (statfs("/sys", &sfs) == 0 && sfs.f_type == SYSFS_MAGIC)
		return 0;
	mkdir("/sys", 0755);
	if (mount("sysfs", "/sys", "sysfs", 0, NULL) < 0)
		return fail("mount sysfs on /sys");
	return 0;
}

/* The listener (bound to group 1) and the uevent file, opened once. */
static int uevent_open(void)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK,
				    .nl_groups = UEVENT_GROUP_KERNEL };

	if (ensure_sysfs() < 0)
		return -1;
	uevent_sock = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_KOBJECT_UEVENT);
	if (uevent_sock < 0)
		return fail("socket(AF_NETLINK, NETLINK_KOBJECT_UEVENT)");
	if (bind(uevent_sock, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return fail("bind uevent socket to group 1");
	uevent_fd = open(UEVENT_FILE, O_WRONLY);
	if (uevent_fd < 0)
		return fail(UEVENT_FILE);
	return 0;
}

static void uevent_close(void)
{
	if (uevent_sock >= 0)
		close(uevent_sock);
	if (uevent_fd >= 0)
		close(uevent_fd);
	uevent_sock = uevent_fd = -1;
}

static int uevent_trigger(void)
{
	if (pwrite(uevent_fd, "change", 6, 0) != 6)
		return fail("write change to " UEVENT_FILE);
	return 0;
}

/* Receive one "change@..." message (others, if any, are skipped). */
static int uevent_receive(void)
{
	char msg[UEVENT_MSG_MAX];
	ssize_t n;

	for (;;) {
		n = recv(uevent_sock, msg, sizeof(msg), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail("recv uevent");
		if (n > 7 && !memcmp(msg, "change@", 7))
			return 0;
	}
}

/* Write to the uevent file, time until the listener has the message. */
static int b_uevent_latency(double *out)
{
	double t0, t1;
	int i;

	if (now(&t0) < 0)
		return -1;
	for (i = 0; i < UEVENT_LAT_LOOPS; i++)
		if (uevent_trigger() < 0 || uevent_receive() < 0)
			return -1;
	if (now(&t1) < 0)
		return -1;
	*out = (t1 - t0) / UEVENT_LAT_LOOPS / 1e3;
	return 0;
}

/* Events received per second: batches of writes, then the reads. */
static int b_uevent_throughput(double *out)
{
	double t0, t1;
	long events = 0;
	int i;

	if (now(&t0) < 0)
		return -1;
	t1 = t0;
	while (t1 - t0 < UEVENT_TPUT_NS) {
		for (i = 0; i < UEVENT_BATCH; i++)
			if (uevent_trigger() < 0)
				return -1;
		for (i = 0; i < UEVENT_BATCH; i++)
			if (uevent_receive() < 0)
				return -1;
		events += UEVENT_BATCH;
		if (now(&t1) < 0)
			return -1;
	}
	*out = events / ((t1 - t0) / 1e9);
	return 0;
}

static void sub_uevent(const struct kbench_fig *f)
{
	if (uevent_open() < 0) {
		report_nan(f[0].name, f[0].unit);
		report_nan(f[1].name, f[1].unit);
		uevent_close();
		return;
	}
	figure(f[0].name, f[0].unit, b_uevent_latency);
	figure(f[1].name, f[1].unit, b_uevent_throughput);
	uevent_close();
}

/* ---- subcommands -------------------------------------------------------- */

static void run_sub(int idx)
{
	const struct kbench_fig *f = kbench_subs[idx].figs;
	const char *sub = kbench_subs[idx].sub;

	snprintf(data_path, sizeof(data_path), "%s/kbench.data", tmpdir);
	if (!strcmp(sub, "syscall")) {
		figure(f[0].name, f[0].unit, b_getppid);
		figure(f[1].name, f[1].unit, b_getppid_int80);
	} else if (!strcmp(sub, "pingpong")) {
		sub_pingpong(f);
	} else if (!strcmp(sub, "fork")) {
		figure(f[0].name, f[0].unit, b_fork);
	} else if (!strcmp(sub, "exec")) {
		exec_figure(&f[0], "exit0");
		exec_figure(&f[1], "tiny");
	} else if (!strcmp(sub, "fault")) {
		figure(f[0].name, f[0].unit, b_fault);
	} else if (!strcmp(sub, "pipebw")) {
		sub_pipebw(f);
	} else if (!strcmp(sub, "tmpfs")) {
		figure(f[0].name, f[0].unit, b_tmpfs_write);
		figure(f[1].name, f[1].unit, b_tmpfs_read);
		unlink(data_path);
	} else if (!strcmp(sub, "open")) {
		if (make_small_file() < 0) {
			report_nan(f[0].name, f[0].unit);
			report_nan(f[1].name, f[1].unit);
			return;
		}
		figure(f[0].name, f[0].unit, b_open_close);
		figure(f[1].name, f[1].unit, b_stat);
		unlink(data_path);
	} else if (!strcmp(sub, "create")) {
		figure(f[0].name, f[0].unit, b_create_unlink);
	} else if (!strcmp(sub, "pty")) {
		pty_figure(&f[0], true, b_pingpong);
		pty_figure(&f[1], false, b_ptybw);
	} else if (!strcmp(sub, "uevent")) {
		sub_uevent(f);
	}
}

int main(int argc, char **argv)
{
	const char *env;
	char *slash;
	size_t i;
	int found = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s all|SUB [TMPDIR]\nSUB:", argv[0]);
		for (i = 0; i < KBENCH_NSUBS; i++)
			fprintf(stderr, " %s", kbench_subs[i].sub);
		fprintf(stderr, "\n");
		return 2;
	}
	env = getenv("KBENCH_REPS");
	if (env && atoi(env) > 0)
		reps = atoi(env) < MAX_REPS ? atoi(env) : MAX_REPS;
	if (argc > 2)
		snprintf(tmpdir, sizeof(tmpdir), "%s", argv[2]);
	snprintf(progdir, sizeof(progdir), "%s", argv[0]);
	slash = strrchr(progdir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(progdir, sizeof(progdir), ".");
	signal(SIGPIPE, SIG_IGN);

	/* The 64 KiB buffer for pipes and files, touched before any timing. */
	buf64k = malloc(PIPE_CHUNK);
	if (!buf64k) {
		printf("# kbench: out of memory\n");
		return 1;
	}
	memset(buf64k, 'k', PIPE_CHUNK);

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < KBENCH_NSUBS; i++)
		if (!kbench_subs[i].prog && /* another program's */
		    (!strcmp(argv[1], "all") ||
		     !strcmp(argv[1], kbench_subs[i].sub))) {
			run_sub(i);
			found = 1;
		}
	if (!found) {
		fprintf(stderr, "%s: unknown subcommand %s\n", argv[0],
			argv[1]);
		return 2;
	}
	return 0;
}
