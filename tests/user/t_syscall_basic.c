/*
 * The simple system calls a static glibc program makes before and around
 * main(): process identity, uname, credentials, umask, times, sysinfo,
 * the clocks, getrandom, prctl names, and what an unknown system-call
 * number returns. Each is checked on its success path and its error paths,
 * against Linux's documented behaviour (the man pages of section 2).
 */
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"

/* The i386 system-call ABI's 32-bit struct timespec. */
struct timespec32 {
	int32_t tv_sec;
	int32_t tv_nsec;
};

/* Run @fn in a child; returns its wait status, or -1 if fork failed. */
static int in_child(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(fn());
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static pid_t parent_pid;

static int child_identity(void)
{
	if (getpid() == parent_pid)
		return 1;
	if (getppid() != parent_pid)
		return 2;
	if (gettid() != getpid())
		return 3;
	return 0;
}

static void test_identity(void)
{
	pid_t pid = getpid();

	ktap_ok(pid > 0, "getpid is positive");
	EXPECT_EQ(syscall(SYS_getpid), pid);
	ktap_ok(getppid() > 0 && getppid() != pid,
		"getppid is positive and not getpid");
	EXPECT_EQ(gettid(), pid);
	parent_pid = pid;
	EXPECT_EQ(in_child(child_identity), 0);
}

/* Each field is NUL-terminated inside its 65 bytes. */
static bool uts_terminated(const struct utsname *u)
{
	const char *f[] = { u->sysname, u->nodename, u->release,
			    u->version, u->machine,  u->domainname };

	for (unsigned i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (!memchr(f[i], 0, 65))
			return false;
	return true;
}

static void test_uname(void)
{
	struct utsname u;

	memset(&u, 0xff, sizeof(u));
	if (EXPECT_SUCCESS(syscall(SYS_uname, &u)))
		ktap_diag("sysname '%.65s' release '%.65s' machine '%.65s'",
			  u.sysname, u.release, u.machine);
	ktap_ok(sizeof(u) == 390 && uts_terminated(&u),
		"uname fills six NUL-terminated 65-byte fields");
	ktap_ok(u.sysname[0] != 0 && u.release[0] != 0,
		"uname sysname and release are not empty");
	EXPECT_ERRNO(syscall(SYS_uname, NULL), EFAULT);
}

static int child_drop_uid(void)
{
	if (setgroups(0, NULL) != 0 || setresgid(65534, 65534, 65534) != 0 ||
	    setresuid(65534, 65534, 65534) != 0)
		return 10;
	if (getuid() != 65534 || geteuid() != 65534 || getegid() != 65534)
		return 11;
	errno = 0;
	if (setuid(0) != -1 || errno != EPERM)
		return 12;
	if (setresuid(-1, 0, -1) != -1 || errno != EPERM)
		return 13;
	if (setgid(0) != -1 || errno != EPERM)
		return 14;
	return 0;
}

static void test_credentials(void)
{
	uid_t r, e, s;
	gid_t list[64];
	int n;

	EXPECT_EQ(syscall(SYS_getuid32), getuid());
	EXPECT_EQ(syscall(SYS_geteuid32), geteuid());
	EXPECT_EQ(syscall(SYS_getgid32), getgid());
	EXPECT_EQ(syscall(SYS_getegid32), getegid());
	ktap_ok(getresuid(&r, &e, &s) == 0 && r == getuid() && e == geteuid(),
		"getresuid agrees with getuid and geteuid");
	n = getgroups(0, NULL);
	ktap_ok(n >= 0 && n <= 64 && getgroups(64, list) == n,
		"getgroups(0) counts what getgroups(64) returns");
	EXPECT_ERRNO(syscall(SYS_getgroups32, -1, list), EINVAL);
	if (geteuid() != 0) {
		ktap_skip("setuid family drops and cannot regain root",
			  "needs root");
		return;
	}
	EXPECT_EQ(in_child(child_drop_uid), 0);
}

static void test_umask(void)
{
	mode_t old = umask(022);

	EXPECT_EQ(umask(077), 022);
	EXPECT_EQ(umask(07777), 077);
	EXPECT_EQ(umask(old), 0777); /* only the permission bits are kept */
}

static double cpu_seconds(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Spin for @ms milliseconds of CPU time. */
static void burn_cpu(int ms)
{
	double end = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) + ms / 1000.0;
	volatile unsigned long x = 0;

	while (cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) < end)
		for (int i = 0; i < 10000; i++)
			x += i;
}

static int child_burn(void)
{
	burn_cpu(100);
	return 0;
}

static void test_times(void)
{
	struct tms t;
	clock_t c;

	burn_cpu(100);
	c = times(&t);
	ktap_ok(c != (clock_t)-1, "times succeeds");
	ktap_ok(t.tms_utime + t.tms_stime >= 5,
		"times counts 100 ms of CPU (%ld+%ld ticks)", (long)t.tms_utime,
		(long)t.tms_stime);
	EXPECT_EQ(in_child(child_burn), 0);
	times(&t);
	ktap_ok(t.tms_cutime + t.tms_cstime >= 5,
		"times counts a waited-for child's 100 ms (%ld+%ld ticks)",
		(long)t.tms_cutime, (long)t.tms_cstime);
	EXPECT_SUCCESS(syscall(SYS_times, NULL));
	EXPECT_EQ(sysconf(_SC_CLK_TCK), 100);
}

static void test_sysinfo(void)
{
	struct sysinfo si;
	struct timespec boot;

	memset(&si, 0, sizeof(si));
	EXPECT_SUCCESS(sysinfo(&si));
	clock_gettime(CLOCK_BOOTTIME, &boot);
	ktap_ok(si.mem_unit >= 1 && si.totalram > 0 &&
			si.freeram <= si.totalram,
		"sysinfo memory: total %lu free %lu unit %u", si.totalram,
		si.freeram, si.mem_unit);
	ktap_ok(si.procs >= 1, "sysinfo counts %u processes", si.procs);
	ktap_ok(labs(si.uptime - boot.tv_sec) <= 1,
		"sysinfo uptime %ld matches CLOCK_BOOTTIME %ld", si.uptime,
		(long)boot.tv_sec);
	EXPECT_ERRNO(syscall(SYS_sysinfo, NULL), EFAULT);
}

static const struct {
	clockid_t id;
	const char *name;
} clocks[] = {
	{ CLOCK_REALTIME, "CLOCK_REALTIME" },
	{ CLOCK_MONOTONIC, "CLOCK_MONOTONIC" },
	{ CLOCK_BOOTTIME, "CLOCK_BOOTTIME" },
};

static void test_one_clock(clockid_t id, const char *name)
{
	struct timespec a, b, res;
	struct timespec32 t32;
	bool ok;

	ok = clock_gettime(id, &a) == 0 && clock_gettime(id, &b) == 0;
	ktap_ok(ok && a.tv_nsec >= 0 && a.tv_nsec < 1000000000 &&
			(b.tv_sec > a.tv_sec ||
			 (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec)),
		"clock_gettime(%s) is valid and does not go back", name);
	ok = syscall(SYS_clock_gettime, id, &t32) == 0;
	ktap_ok(ok && t32.tv_nsec >= 0 && t32.tv_nsec < 1000000000 &&
			t32.tv_sec >= a.tv_sec,
		"clock_gettime(%s) with a 32-bit timespec", name);
	ok = clock_getres(id, &res) == 0;
	ktap_ok(ok && res.tv_sec == 0 && res.tv_nsec > 0 &&
			res.tv_nsec <= 10000000,
		"clock_getres(%s) is at most 10 ms (%ld ns)", name,
		(long)res.tv_nsec);
}

static void test_clocks(void)
{
	struct timespec mono, boot, ts, before, after;
	struct timeval tv1, tv2;
	struct timezone tz;

	for (unsigned i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++)
		test_one_clock(clocks[i].id, clocks[i].name);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	ktap_ok(boot.tv_sec >= mono.tv_sec,
		"CLOCK_BOOTTIME is not behind CLOCK_MONOTONIC");
	EXPECT_ERRNO(clock_gettime(100, &ts), EINVAL);
	EXPECT_ERRNO(clock_getres(100, &ts), EINVAL);
	EXPECT_ERRNO(syscall(SYS_clock_gettime, CLOCK_REALTIME, NULL), EFAULT);

	EXPECT_SUCCESS(gettimeofday(&tv1, &tz));
	clock_gettime(CLOCK_REALTIME, &ts);
	gettimeofday(&tv2, NULL);
	ktap_ok(tv1.tv_usec >= 0 && tv1.tv_usec < 1000000 &&
			labs((long)(ts.tv_sec - tv1.tv_sec)) <= 1,
		"gettimeofday agrees with CLOCK_REALTIME");
	ktap_ok(tv2.tv_sec > tv1.tv_sec || (tv2.tv_sec == tv1.tv_sec &&
					    tv2.tv_usec >= tv1.tv_usec),
		"gettimeofday does not go back");

	clock_gettime(CLOCK_MONOTONIC, &before);
	ts.tv_sec = 0;
	ts.tv_nsec = 20000000;
	EXPECT_SUCCESS(nanosleep(&ts, NULL));
	clock_gettime(CLOCK_MONOTONIC, &after);
	ktap_ok((after.tv_sec - before.tv_sec) * 1000000000LL + after.tv_nsec -
				before.tv_nsec >=
			20000000,
		"nanosleep(20 ms) sleeps at least 20 ms");
	ts.tv_nsec = 1000000000;
	EXPECT_ERRNO(nanosleep(&ts, NULL), EINVAL);
}

static void test_getrandom(void)
{
	unsigned char a[16], b[16];

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	EXPECT_EQ(getrandom(a, sizeof(a), 0), 16);
	EXPECT_EQ(getrandom(b, sizeof(b), GRND_NONBLOCK), 16);
	ktap_ok(memcmp(a, b, sizeof(a)) != 0, "two getrandom calls differ");
	EXPECT_EQ(getrandom(a, 0, 0), 0);
	EXPECT_ERRNO(getrandom(a, sizeof(a), 0x80), EINVAL);
	EXPECT_ERRNO(syscall(SYS_getrandom, NULL, 16, 0), EFAULT);
	EXPECT_ERRNO(syscall(SYS_getrandom, (void *)0xC0000000, 16, 0), EFAULT);
}

static void test_prctl_name(void)
{
	char name[32];

	EXPECT_SUCCESS(prctl(PR_SET_NAME, "kx-basic"));
	memset(name, 0xff, sizeof(name));
	ktap_ok(prctl(PR_GET_NAME, name) == 0 && !strcmp(name, "kx-basic"),
		"PR_GET_NAME returns what PR_SET_NAME set");
	prctl(PR_SET_NAME, "0123456789abcdefXYZ");
	prctl(PR_GET_NAME, name);
	ktap_ok(!strcmp(name, "0123456789abcde"),
		"PR_SET_NAME keeps 15 bytes and a NUL");
	EXPECT_ERRNO(prctl(PR_GET_NAME, NULL), EFAULT);
	EXPECT_ERRNO(prctl(0x7fff0000), EINVAL);
}

static void test_rlimits(void)
{
	struct rlimit rl;

	ktap_ok(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur > 2 &&
			rl.rlim_cur <= rl.rlim_max,
		"getrlimit(RLIMIT_NOFILE) is sane");
	EXPECT_ERRNO(getrlimit(99, &rl), EINVAL);
	rl.rlim_cur = rl.rlim_max + 1;
	if (rl.rlim_max == RLIM_INFINITY)
		rl.rlim_cur = RLIM_INFINITY, rl.rlim_max = 1;
	EXPECT_ERRNO(setrlimit(RLIMIT_NOFILE, &rl), EINVAL);
}

static void test_bad_numbers(void)
{
	EXPECT_ERRNO(syscall(9999), ENOSYS);
	EXPECT_ERRNO(syscall(-1), ENOSYS);
	EXPECT_ERRNO(syscall(222), ENOSYS); /* never assigned */
	EXPECT_SUCCESS(syscall(SYS_sched_yield));
}

int main(void)
{
	ktap_plan(69);
	test_identity();
	test_uname();
	test_credentials();
	test_umask();
	test_times();
	test_sysinfo();
	test_clocks();
	test_getrandom();
	test_prctl_name();
	test_rlimits();
	test_bad_numbers();
	return ktap_exit();
}
