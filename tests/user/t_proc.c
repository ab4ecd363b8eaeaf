/*
 * procfs formats, field by field against the process's own view:
 * /proc/self/stat (pid, ppid, state, utime advancing), status, cmdline,
 * /proc/meminfo against sysinfo(), /proc/uptime against CLOCK_BOOTTIME,
 * /proc/self/maps covering the stack, /proc/self/fd/1. Passes on Linux.
 */
#include "fileio.h"
#include "ktap.h"
#include "util.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#define BUF_SIZE 65536

static char buf[BUF_SIZE];

/* Read all of @name into buf, NUL-ended, seven bytes per read: the
 * snapshot must hold. Length or -1. */
static long read_file(const char *name)
{
	return read_text_chunked(name, buf, BUF_SIZE, 7);
}

struct stat_fields {
	int pid, ppid;
	char state;
	unsigned long utime;
};

static int parse_stat(struct stat_fields *f)
{
	char *p;

	if (read_file("/proc/self/stat") <= 0)
		return -1;
	f->pid = atoi(buf);
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu",
			 &f->state, &f->ppid, &f->utime) != 3)
		return -1;
	return 0;
}

static void test_stat(void)
{
	struct stat_fields before, after;
	bool ok;

	ktap_ok(parse_stat(&before) == 0 && before.pid == getpid() &&
			before.ppid == getppid() && before.state == 'R',
		"stat: pid %d ppid %d state R", getpid(), getppid());
	burn_cpu_ms(300);
	after.utime = 0;
	ok = parse_stat(&after) == 0;
	ktap_ok(ok && after.utime > before.utime,
		"stat: utime advances (%lu -> %lu)", before.utime, after.utime);
}

/* The number after "@key:" in buf, or -1. */
static long field(const char *key)
{
	char pat[64], *p;

	snprintf(pat, sizeof(pat), "\n%s:", key);
	p = strstr(buf, pat);
	if (!p && !strncmp(buf, pat + 1, strlen(pat + 1)))
		p = buf - 1;
	return p ? strtol(p + strlen(pat), NULL, 10) : -1;
}

static void test_status(void)
{
	bool ok = read_file("/proc/self/status") > 0;

	ktap_ok(ok && field("Pid") == getpid() && field("PPid") == getppid() &&
			field("Uid") == (long)getuid(),
		"status: Pid, PPid, Uid");
}

static void test_cmdline(int argc, char **argv)
{
	long len = read_file("/proc/self/cmdline"), want = 0;
	bool ok = true;

	for (int i = 0; i < argc; i++) {
		ok = ok && want < len && !strcmp(buf + want, argv[i]);
		want += strlen(argv[i]) + 1;
	}
	ktap_ok(ok && len == want, "cmdline equals argv (%ld bytes)", len);
}

static void test_meminfo(void)
{
	struct sysinfo si;
	long total = read_file("/proc/meminfo") > 0 ? field("MemTotal") : -1;
	double want = 0;

	if (sysinfo(&si) == 0)
		want = (double)si.totalram * si.mem_unit / 1024;
	ktap_ok(total > 0 && total > want * 0.99 && total < want * 1.01,
		"meminfo: MemTotal %ld kB, sysinfo %.0f kB", total, want);
}

static void test_uptime(void)
{
	struct timespec ts;
	double up = -1, now;

	if (read_file("/proc/uptime") > 0)
		up = strtod(buf, NULL);
	clock_gettime(CLOCK_BOOTTIME, &ts);
	now = ts.tv_sec + ts.tv_nsec / 1e9;
	ktap_ok(up >= 0 && up <= now + 0.02 && up > now - 2,
		"uptime %.2f close to CLOCK_BOOTTIME %.2f", up, now);
}

static void test_maps(void)
{
	unsigned long addr = (unsigned long)&addr, lo, hi;
	bool found = false;
	char *line;

	if (read_file("/proc/self/maps") > 0)
		for (line = strtok(buf, "\n"); line && !found;
		     line = strtok(NULL, "\n"))
			found = sscanf(line, "%lx-%lx", &lo, &hi) == 2 &&
				lo <= addr && addr < hi;
	ktap_ok(found, "maps covers the stack address %#lx", addr);
}

static void test_fd(void)
{
	struct stat st;
	char target[256];
	ssize_t n = readlink("/proc/self/fd/1", target, sizeof(target) - 1);

	ktap_ok(lstat("/proc/self/fd/1", &st) == 0 && S_ISLNK(st.st_mode) &&
			n > 0,
		"fd/1 exists");
}

int main(int argc, char **argv)
{
	ktap_plan(8);
	test_stat();
	test_status();
	test_cmdline(argc, argv);
	test_meminfo();
	test_uptime();
	test_maps();
	test_fd();
	return ktap_exit();
}
