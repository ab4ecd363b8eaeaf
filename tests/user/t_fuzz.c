/*
 * A system-call fuzzer: children make thousands of calls with random
 * numbers and hostile arguments (NULL, -1, huge sizes, pointers to
 * unmapped memory, to the kernel half, straddling 0xC0000000, to valid
 * buffers), and the test checks that every child ends (by returning, by
 * a signal, or by its alarm) and that the kernel keeps working. A kernel
 * that oopses, panics or hangs on bad input fails this test.
 *
 * A child that does not end within its alarm (a random call may block
 * on a pipe, a futex...) is killed by the parent; it must then die: a
 * task stuck uninterruptibly in the kernel fails the test.
 */
#include "ktap.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILDREN 12
#define CALLS_PER_CHILD 1500
#define CHILD_SECONDS 3

/*
 * The calls fuzzed: an allow-list, so the test is also safe to run as
 * root on a real Linux machine (no reboot, kill, settimeofday, mount,
 * module loading...). They cover the argument handling of the file,
 * descriptor, time, identity and memory-query paths, and the socket
 * calls that take a descriptor (fd 4 is a netlink socket, see
 * fuzz_child) — none that creates a socket, so no random packet ever
 * leaves a real machine.
 */
static const int fuzzed[] = {
	SYS_read,	   SYS_write,
	SYS_open,	   SYS_close,
	SYS_creat,	   SYS_time,
	SYS_lseek,	   SYS_getpid,
	SYS_access,	   SYS_dup,
	SYS_pipe,	   SYS_times,
	SYS_ioctl,	   SYS_fcntl,
	SYS_dup2,	   SYS_getppid,
	SYS_getpgrp,	   SYS_sigpending,
	SYS_gettimeofday,  SYS_readlink,
	SYS_statfs,	   SYS_fstatfs,
	SYS_stat,	   SYS_lstat,
	SYS_fstat,	   SYS_uname,
	SYS_wait4,	   SYS_sysinfo,
	SYS_fsync,	   SYS__llseek,
	SYS__newselect,	   SYS_readv,
	SYS_writev,	   SYS_getsid,
	SYS_fdatasync,	   SYS_sched_yield,
	SYS_nanosleep,	   SYS_poll,
	SYS_getcwd,	   SYS_ugetrlimit,
	SYS_getuid32,	   SYS_getgid32,
	SYS_geteuid32,	   SYS_getegid32,
	SYS_getgroups32,   SYS_getresuid32,
	SYS_getresgid32,   SYS_getdents64,
	SYS_fcntl64,	   SYS_gettid,
	SYS_futex,	   SYS_sched_getaffinity,
	SYS_clock_gettime, SYS_clock_getres,
	SYS_statfs64,	   SYS_fstatfs64,
	SYS_openat,	   SYS_mkdirat,
	SYS_fstatat64,	   SYS_readlinkat,
	SYS_faccessat,	   SYS_pselect6,
	SYS_ppoll,	   SYS_pipe2,
	SYS_dup3,	   SYS_preadv,
	SYS_pwritev,	   SYS_getrandom,
	SYS_statx,	   SYS_pread64,
	SYS_pwrite64,	   SYS_mkdir,
	SYS_rt_sigpending, SYS_getrusage,
	SYS_getpriority,   SYS_sched_getscheduler,
	SYS_getpgid,	   SYS_get_thread_area,
	SYS_waitid,	   SYS_stat64,
	SYS_lstat64,	   SYS_fstat64,
	SYS_getdents,	   SYS_select,
	SYS_sigaltstack,   SYS_getitimer,
	SYS_mincore,	   SYS_bind,
	SYS_connect,	   SYS_listen,
	SYS_accept4,	   SYS_getsockname,
	SYS_getpeername,   SYS_sendto,
	SYS_recvfrom,	   SYS_sendmsg,
	SYS_recvmsg,	   SYS_setsockopt,
	SYS_getsockopt,	   SYS_shutdown,
};

static uint32_t rng = 12345;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static char *valid_buf;

static long hostile_arg(void)
{
	static const long fixed[] = {
		0,
		1,
		-1,
		2,
		3,
		4096,
		0x7fffffff,
		(long)0x80000000,
		(long)0xbffff000,
		(long)0xbfffffff,
		(long)0xc0000000,
		(long)0xc0100000,
		(long)0xfffff000,
		(long)0xffffffff,
		255,
		1024,
		-100, /* AT_FDCWD */
	};

	switch (rnd() % 4) {
	case 0:
		return fixed[rnd() % (sizeof(fixed) / sizeof(fixed[0]))];
	case 1:
		return (long)(valid_buf + (rnd() % 4096));
	case 2:
		return (long)(rnd() % 64);
	default:
		return (long)rnd();
	}
}

static void fuzz_child(unsigned int seed)
{
	int i, nr;

	int null = open("/dev/null", O_RDWR);

	/* Nothing to block on from the terminal; output goes nowhere
	 * (closed descriptors when there is no /dev/null). */
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	} else {
		close(0);
		close(1);
		close(2);
	}
	/* A netlink uevent socket on descriptor 4 (3 is /dev/null) for
	 * the socket calls: 3 and 4 are among hostile_arg's values. */
	if (null == 3 &&
	    socket(AF_NETLINK, SOCK_RAW, NETLINK_KOBJECT_UEVENT) != 4)
		ktap_diag("no netlink socket on fd 4");
	rng = seed * 2654435761u + 1;
	alarm(CHILD_SECONDS);
	/* Files of our own to play with; the test directory is /tmp. */
	valid_buf = malloc(8192);
	memset(valid_buf, 0, 8192);
	strcpy(valid_buf, "/tmp/fuzz-file");
	for (i = 0; i < CALLS_PER_CHILD; i++) {
		nr = fuzzed[rnd() % (sizeof(fuzzed) / sizeof(fuzzed[0]))];
		syscall(nr, hostile_arg(), hostile_arg(), hostile_arg(),
			hostile_arg(), hostile_arg(), hostile_arg());
	}
	_exit(0);
}

/* Wait for @pid for the child's time and a margin; then SIGKILL it,
 * which must end it promptly. True if it ended. */
static int reap(pid_t pid, int *status)
{
	int i;

	for (i = 0; i < (CHILD_SECONDS + 2) * 10; i++) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return 1;
		usleep(100000);
	}
	kill(pid, SIGKILL);
	for (i = 0; i < 50; i++) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return 1;
		usleep(100000);
	}
	return 0;
}

int main(void)
{
	int i, status, ended = 0, by_signal = 0;
	pid_t pid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ktap_plan(3);
	if (chdir("/tmp") != 0)
		ktap_diag("chdir /tmp: %s", strerror(errno));
	for (i = 0; i < CHILDREN; i++) {
		pid = fork();
		if (pid == 0)
			fuzz_child((unsigned int)i + 1);
		if (pid < 0)
			break;
		if (reap(pid, &status)) {
			ended++;
			if (WIFSIGNALED(status))
				by_signal++;
		}
	}
	ktap_ok(ended == CHILDREN, "every fuzzing child ended (%d of %d)",
		ended, CHILDREN);
	ktap_diag("%d ended by a signal (SIGSEGV, SIGALRM...)", by_signal);
	/* The kernel still works: a fork, a pipe, a wait. */
	pid = fork();
	if (pid == 0)
		_exit(42);
	ktap_ok(pid > 0 && waitpid(pid, &status, 0) == pid &&
			WIFEXITED(status) && WEXITSTATUS(status) == 42,
		"fork and wait still work");
	ktap_ok(getpid() > 0 && access("/tmp", F_OK) == 0,
		"system calls still answer");
	return ktap_exit();
}
