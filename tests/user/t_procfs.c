/*
 * procfs, sysctl and syslog, field by field against the process's own
 * view: /proc/self/{stat,status,statm,exe,fd,fdinfo,task}, thread-self,
 * /proc/{meminfo,uptime,loadavg,mounts,filesystems}, /proc/sys/kernel
 * (hostname with sethostname and uname, ostype, writes at offsets,
 * permissions), /proc/sys/vm/min_free_kbytes, and syslog(2)'s actions
 * and error paths. Needs root (it changes the host name and restores
 * it). Passes on Linux.
 */
#include "ktap.h"
#include "fileio.h"
#include "util.h"
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BUF_SIZE 65536
#define SYSLOG_ACTION_READ 2
#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_CLEAR 5
#define SYSLOG_ACTION_CONSOLE_LEVEL 8
#define SYSLOG_ACTION_SIZE_UNREAD 9
#define SYSLOG_ACTION_SIZE_BUFFER 10
#define NOBODY 65534
#define HOSTNAME_SYSCTL "/proc/sys/kernel/hostname"
#define MIN_FREE_SYSCTL "/proc/sys/vm/min_free_kbytes"

static char buf[BUF_SIZE];
static const char *self_path;

/* Read all of @name into buf, NUL-ended, seven bytes per read: the
 * snapshot must hold. Length or -1. */
static long read_file(const char *name)
{
	return read_text_chunked(name, buf, BUF_SIZE, 7);
}

/* The value after "@key:" in buf (status, meminfo), or -1. */
static long field(const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\n%s:", key);
	p = strstr(buf, pat);
	if (!p && !strncmp(buf, pat + 1, strlen(pat) - 1))
		p = buf - 1;
	return p ? strtol(p + strlen(pat), NULL, 10) : -1;
}

struct stat_line {
	int pid, ppid, pgrp, session, tpgid, num_threads;
	char state, comm[32];
	unsigned long utime, starttime, vsize, rss;
};

static int parse_stat(const char *name, struct stat_line *s)
{
	char *open_paren, *close_paren;

	if (read_file(name) <= 0)
		return -1;
	s->pid = atoi(buf);
	open_paren = strchr(buf, '(');
	close_paren = strrchr(buf, ')');
	if (!open_paren || !close_paren)
		return -1;
	snprintf(s->comm, sizeof(s->comm), "%.*s",
		 (int)(close_paren - open_paren - 1), open_paren + 1);
	return sscanf(close_paren + 2,
		      "%c %d %d %d %*d %d %*u %*u %*u %*u %*u %lu %*u %*d "
		      "%*d %*d %*d %d %*d %lu %lu %lu",
		      &s->state, &s->ppid, &s->pgrp, &s->session, &s->tpgid,
		      &s->utime, &s->num_threads, &s->starttime, &s->vsize,
		      &s->rss) == 10 ?
		       0 :
		       -1;
}

static double uptime_now(void)
{
	return read_file("/proc/uptime") > 0 ? atof(buf) : -1;
}

static void test_stat(void)
{
	struct stat_line s, s2;

	ktap_ok(parse_stat("/proc/self/stat", &s) == 0, "stat parses");
	EXPECT_EQ(s.pid, getpid());
	EXPECT_EQ(s.ppid, getppid());
	EXPECT_EQ(s.pgrp, getpgrp());
	EXPECT_EQ(s.session, getsid(0));
	ktap_ok(s.state == 'R', "stat state is R (got %c)", s.state);
	ktap_ok(!strcmp(s.comm, "t_procfs"), "stat comm (%s)", s.comm);
	EXPECT_EQ(s.num_threads, 1);
	ktap_ok(s.starttime <= (unsigned long)(uptime_now() * 100) + 1,
		"starttime %lu <= uptime", s.starttime);
	ktap_ok(s.vsize > 0 && s.rss > 0, "vsize %lu rss %lu", s.vsize, s.rss);
	burn_cpu_ms(100);
	parse_stat("/proc/self/stat", &s2);
	ktap_ok(s2.utime > s.utime, "utime advances (%lu -> %lu)", s.utime,
		s2.utime);
}

static void test_status_statm(void)
{
	long size, resident, vmsize;

	ktap_ok(read_file("/proc/self/status") > 0, "status read");
	EXPECT_EQ(field("Pid"), getpid());
	EXPECT_EQ(field("Tgid"), getpid());
	EXPECT_EQ(field("PPid"), getppid());
	EXPECT_EQ(field("Uid"), getuid());
	EXPECT_EQ(field("Threads"), 1);
	ktap_ok(strstr(buf, "\nState:\tR (running)\n") != NULL, "status State");
	ktap_ok(strstr(buf, "\nSigBlk:\t") && strstr(buf, "\nUmask:\t"),
		"status SigBlk and Umask lines");
	vmsize = field("VmSize");
	ktap_ok(read_file("/proc/self/statm") > 0 &&
			sscanf(buf, "%ld %ld", &size, &resident) == 2,
		"statm parses");
	ktap_ok(size >= resident && resident > 0, "statm size %ld >= rss %ld",
		size, resident);
	ktap_ok(labs(size * (getpagesize() / 1024) - vmsize) <= 64,
		"statm size %ld pages ~ VmSize %ld kB", size, vmsize);
}

/* SigQ counts the signals queued to the user: three real-time signals
 * blocked and queued to ourselves are in it until they are taken. */
static void test_sigq(void)
{
	union sigval v = { .sival_int = 0 };
	long before, queued;
	sigset_t set;
	int i;

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	read_file("/proc/self/status");
	before = field("SigQ");
	for (i = 0; i < 3; i++)
		sigqueue(getpid(), SIGRTMIN, v);
	read_file("/proc/self/status");
	queued = field("SigQ");
	ktap_ok(before >= 0 && queued - before == 3,
		"SigQ counts 3 queued signals (%ld -> %ld)", before, queued);
	while (sigtimedwait(&set, NULL, &(struct timespec){ 0 }) == SIGRTMIN)
		;
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	read_file("/proc/self/status");
	EXPECT_EQ(field("SigQ"), before);
}

static void test_meminfo_uptime(void)
{
	struct sysinfo si;
	double a, b;

	sysinfo(&si);
	read_file("/proc/meminfo");
	EXPECT_EQ(field("MemTotal"),
		  (long long)si.totalram * si.mem_unit / 1024);
	a = uptime_now();
	burn_cpu_ms(100);
	b = uptime_now();
	ktap_ok(a > 0 && b > a, "uptime increases (%.2f -> %.2f)", a, b);
}

static void test_loadavg(void)
{
	float l1, l5, l15;
	int running, total, last = 0, n = 0;
	pid_t child = fork();

	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	if (read_file("/proc/loadavg") > 0)
		n = sscanf(buf, "%f %f %f %d/%d %d", &l1, &l5, &l15, &running,
			   &total, &last);
	ktap_ok(n == 6, "loadavg has 6 fields: %s", buf);
	ktap_ok(l1 >= 0 && l5 >= 0 && l15 >= 0 && running >= 1 &&
			total >= running,
		"loadavg values");
	ktap_ok(last >= child, "loadavg last pid %d >= child %d", last, child);
}

static void test_exe_fd_fdinfo(void)
{
	char link[PATH_MAX], name[64], want[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", link, sizeof(link) - 1);
	unsigned int flags = 0;
	long pos = -1;
	int fd;

	link[n > 0 ? n : 0] = '\0';
	ktap_ok(realpath(self_path, want) && !strcmp(link, want),
		"exe is %s (%s)", want, link);
	fd = open(self_path, O_RDONLY | O_CLOEXEC);
	lseek(fd, 100, SEEK_SET);
	snprintf(name, sizeof(name), "/proc/self/fd/%d", fd);
	n = readlink(name, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	ktap_ok(!strcmp(link, want), "fd/%d -> %s", fd, link);
	snprintf(name, sizeof(name), "/proc/self/fdinfo/%d", fd);
	if (read_file(name) > 0)
		sscanf(buf, "pos:\t%ld\nflags:\t%o", &pos, &flags);
	EXPECT_EQ(pos, 100);
	ktap_ok((flags & O_ACCMODE) == O_RDONLY && (flags & O_CLOEXEC),
		"fdinfo flags 0%o: O_RDONLY|O_CLOEXEC", flags);
	ktap_ok(strstr(buf, "\nmnt_id:\t") != NULL, "fdinfo mnt_id");
	close(fd);
	EXPECT_ERRNO(open(name, O_RDONLY), ENOENT);
}

static int started_pipe[2], done_pipe[2];
static pid_t thread_tid;

static void *thread_fn(void *arg)
{
	char c;

	thread_tid = gettid();
	write(started_pipe[1], "x", 1);
	read(done_pipe[0], &c, 1); /* until the main thread is done */
	return arg;
}

/* The thread ids listed in /proc/self/task. */
static int list_tasks(int *tids, int max)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' && n < max)
			tids[n++] = atoi(e->d_name);
	if (d)
		closedir(d);
	return n;
}

static void test_threads(void)
{
	char link[64], want[64], name[64];
	int tids[8], n, i, found = 0;
	struct stat_line s;
	pthread_t th;
	ssize_t len;
	char c;

	pipe(started_pipe);
	pipe(done_pipe);
	pthread_create(&th, NULL, thread_fn, NULL);
	read(started_pipe[0], &c, 1);
	n = list_tasks(tids, 8);
	for (i = 0; i < n; i++)
		found += tids[i] == getpid() || tids[i] == thread_tid;
	ktap_ok(n == 2 && found == 2, "task/ lists %d threads", n);
	read_file("/proc/self/status");
	EXPECT_EQ(field("Threads"), 2);
	snprintf(name, sizeof(name), "/proc/self/task/%d/stat", thread_tid);
	ktap_ok(parse_stat(name, &s) == 0 && s.pid == thread_tid &&
			s.num_threads == 2,
		"task/%d/stat: pid %d threads %d", thread_tid, s.pid,
		s.num_threads);
	snprintf(name, sizeof(name), "/proc/self/task/%d/status", thread_tid);
	read_file(name);
	ktap_ok(field("Pid") == thread_tid && field("Tgid") == getpid(),
		"task/%d/status Pid and Tgid", thread_tid);
	len = readlink("/proc/thread-self", link, sizeof(link) - 1);
	link[len > 0 ? len : 0] = '\0';
	snprintf(want, sizeof(want), "%d/task/%d", getpid(), gettid());
	ktap_ok(!strcmp(link, want), "thread-self -> %s", link);
	write(done_pipe[1], "x", 1);
	pthread_join(th, NULL);
}

/* The first line of @name into @out (no newline). */
static void read_line(const char *name, char *out, size_t size)
{
	out[0] = '\0';
	if (read_file(name) > 0)
		snprintf(out, size, "%.*s", (int)strcspn(buf, "\n"), buf);
}

static void test_hostname(void)
{
	char saved[65], now[65], name[] = "procfs-test";
	struct utsname u;
	int fd;

	read_line(HOSTNAME_SYSCTL, saved, sizeof(saved));
	uname(&u);
	ktap_ok(!strcmp(saved, u.nodename), "hostname sysctl = uname (%s)",
		saved);
	EXPECT_SUCCESS(sethostname(name, strlen(name)));
	read_line(HOSTNAME_SYSCTL, now, sizeof(now));
	ktap_ok(!strcmp(now, name), "sethostname shows in sysctl (%s)", now);
	EXPECT_EQ(write_text(HOSTNAME_SYSCTL, "abcdef\n"), 7);
	uname(&u);
	ktap_ok(!strcmp(u.nodename, "abcdef"), "sysctl write shows in uname");
	fd = open(HOSTNAME_SYSCTL, O_WRONLY);
	EXPECT_EQ(pwrite(fd, "XY", 2, 2), 2);
	EXPECT_EQ(pwrite(fd, "zz", 2, 100), 2);
	close(fd);
	read_line(HOSTNAME_SYSCTL, now, sizeof(now));
	ktap_ok(!strcmp(now, "abXY"), "write at offset 2 continues (%s)", now);
	EXPECT_ERRNO(sethostname(buf, 65), EINVAL);
	sethostname(saved, strlen(saved));
	read_line("/proc/sys/kernel/ostype", now, sizeof(now));
	ktap_ok(!strcmp(now, u.sysname), "ostype %s = uname sysname", now);
	read_line("/proc/sys/kernel/osrelease", now, sizeof(now));
	ktap_ok(!strcmp(now, u.release), "osrelease %s = uname release", now);
	EXPECT_ERRNO(write_text("/proc/sys/kernel/ostype", "x"), EACCES);
}

static void test_min_free_kbytes(void)
{
	char text[32], now[32];
	int fd, v;

	read_line(MIN_FREE_SYSCTL, now, sizeof(now));
	v = atoi(now);
	ktap_ok(v > 0, "min_free_kbytes %d", v);
	snprintf(text, sizeof(text), "%d\n", v + 64);
	EXPECT_EQ(write_text(MIN_FREE_SYSCTL, text), (long)strlen(text));
	read_line(MIN_FREE_SYSCTL, now, sizeof(now));
	EXPECT_EQ(atoi(now), v + 64);
	EXPECT_ERRNO(write_text(MIN_FREE_SYSCTL, "-1"), EINVAL);
	EXPECT_ERRNO(write_text(MIN_FREE_SYSCTL, "12abc"), EINVAL);
	EXPECT_ERRNO(write_text(MIN_FREE_SYSCTL, "abc"), EINVAL);
	fd = open(MIN_FREE_SYSCTL, O_WRONLY);
	EXPECT_EQ(pwrite(fd, "5", 1, 1), 1); /* ignored: numbers at 0 */
	close(fd);
	read_line(MIN_FREE_SYSCTL, now, sizeof(now));
	EXPECT_EQ(atoi(now), v + 64);
	snprintf(text, sizeof(text), "%d", v);
	write_text(MIN_FREE_SYSCTL, text);
}

/* As nobody: sysctl writes, sethostname and syslog CLEAR are refused. */
static void test_unprivileged(void)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		int bad = 0;

		if (setuid(NOBODY))
			_exit(10);
		bad |= open(HOSTNAME_SYSCTL, O_WRONLY) >= 0 || errno != EACCES;
		bad |= (sethostname("x", 1) == 0 || errno != EPERM) << 1;
		bad |= (klogctl(SYSLOG_ACTION_CLEAR, NULL, 0) == 0 ||
			errno != EPERM)
		       << 2;
		bad |= (open("/proc/kmsg", O_RDONLY) >= 0) << 3;
		bad |= (read_file(HOSTNAME_SYSCTL) <= 0) << 4;
		_exit(bad);
	}
	waitpid(pid, &status, 0);
	ktap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		"non-root: EACCES, EPERM, EPERM, kmsg refused, read ok "
		"(status %#x)",
		status);
}

static void test_syslog(void)
{
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0), n;

	ktap_ok(size > 0, "syslog SIZE_BUFFER %d", size);
	n = klogctl(SYSLOG_ACTION_READ_ALL, buf, BUF_SIZE - 1);
	ktap_ok(n > 0 && n <= size, "syslog READ_ALL %d bytes", n);
	buf[n > 0 ? n : 0] = '\0';
	ktap_ok(n > 0 && buf[0] == '<' && strchr(buf, '\n'),
		"READ_ALL lines start with <level>");
	EXPECT_ERRNO(klogctl(42, buf, 10), EINVAL);
	EXPECT_ERRNO(klogctl(-1, buf, 10), EINVAL);
	EXPECT_ERRNO(klogctl(SYSLOG_ACTION_READ_ALL, NULL, 10), EINVAL);
	EXPECT_ERRNO(klogctl(SYSLOG_ACTION_READ_ALL, buf, -1), EINVAL);
	EXPECT_ERRNO(klogctl(SYSLOG_ACTION_READ_ALL, (char *)16, 4096), EFAULT);
	EXPECT_ERRNO(klogctl(SYSLOG_ACTION_READ, NULL, 10), EINVAL);
	EXPECT_ERRNO(klogctl(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, 9), EINVAL);
	EXPECT_ERRNO(klogctl(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, 0), EINVAL);
	n = klogctl(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0);
	ktap_ok(n >= 0 && n <= size, "SIZE_UNREAD %d", n);
}

static void test_mounts_filesystems(void)
{
	ktap_ok(read_file("/proc/mounts") > 0 && strstr(buf, " /proc proc "),
		"/proc/mounts lists proc on /proc");
	ktap_ok(read_file("/proc/self/mounts") > 0 &&
			strstr(buf, " /proc proc "),
		"/proc/self/mounts too");
	ktap_ok(read_file("/proc/filesystems") > 0 &&
			strstr(buf, "nodev\tproc\n") &&
			strstr(buf, "nodev\ttmpfs\n"),
		"/proc/filesystems lists proc and tmpfs");
	EXPECT_ERRNO(open("/proc/self/fdinfo/9999", O_RDONLY), ENOENT);
	EXPECT_ERRNO(open("/proc/sys/kernel/nonexistent", O_RDONLY), ENOENT);
}

int main(int argc __attribute__((unused)), char **argv)
{
	self_path = argv[0];
	ktap_plan(78);
	if (geteuid() != 0) {
		for (int i = 0; i < 76; i++)
			ktap_skip("procfs", "needs root");
		return ktap_exit();
	}
	test_stat();
	test_status_statm();
	test_sigq();
	test_meminfo_uptime();
	test_loadavg();
	test_exe_fd_fdinfo();
	test_threads();
	test_hostname();
	test_min_free_kbytes();
	test_unprivileged();
	test_syslog();
	test_mounts_filesystems();
	return ktap_exit();
}
