/*
 * Bad user pointers must make a system call fail with EFAULT, never crash
 * the caller or the kernel. Every call here is made through syscall() so
 * glibc cannot touch the pointer first. The pointers are NULL, a page that
 * was mapped and then unmapped, the first kernel address of the i386
 * 3G/1G split (0xC0000000), the top page (0xFFFFF000), and buffers that
 * start in the last user page (0xBFFFF000) and run across 0xC0000000.
 *
 * On a 64-bit Linux running this i386 program, 0xC0000000 is an unmapped
 * user address rather than a kernel one; either way it must give EFAULT.
 * Where part of a buffer is accessible, read() and write() transfer that
 * part and return its length, as Linux does; calls that copy a whole
 * structure fail with EFAULT.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"

#define PAGE 4096
#define SPLIT 0xC0000000UL /* the i386 3G/1G user/kernel split */

static char path[64];
static int fd; /* a 8 KiB file of 'x' bytes */

/*
 * One system call with one pointer argument that will be bad. For some,
 * NULL is not bad but means "no such argument" and the call succeeds.
 */
struct ptr_call {
	const char *name;
	long (*call)(void *p);
	bool null_ok;
};

static long c_read(void *p)
{
	return syscall(SYS_pread64, fd, p, 16, 0, 0);
}

static long c_write(void *p)
{
	return syscall(SYS_write, fd, p, 16);
}

static long c_stat64_path(void *p)
{
	char st[96];

	return syscall(SYS_stat64, p, st);
}

static long c_stat64_buf(void *p)
{
	return syscall(SYS_stat64, "/", p);
}

static long c_fstat64(void *p)
{
	return syscall(SYS_fstat64, fd, p);
}

static long c_open(void *p)
{
	return syscall(SYS_open, p, O_RDONLY);
}

static long c_uname(void *p)
{
	return syscall(SYS_uname, p);
}

static long c_clock_gettime(void *p)
{
	return syscall(SYS_clock_gettime, CLOCK_MONOTONIC, p);
}

static long c_gettimeofday(void *p)
{
	return syscall(SYS_gettimeofday, p, NULL);
}

static long c_nanosleep(void *p)
{
	return syscall(SYS_nanosleep, p, NULL);
}

static long c_pipe(void *p)
{
	return syscall(SYS_pipe, p);
}

static long c_getcwd(void *p)
{
	return syscall(SYS_getcwd, p, 128);
}

static long c_sysinfo(void *p)
{
	return syscall(SYS_sysinfo, p);
}

static long c_times(void *p)
{
	return syscall(SYS_times, p);
}

static long c_getrlimit(void *p)
{
	return syscall(SYS_ugetrlimit, RLIMIT_NOFILE, p);
}

static long c_rt_sigaction(void *p)
{
	return syscall(SYS_rt_sigaction, SIGUSR1, p, NULL, 8);
}

static long c_rt_sigprocmask(void *p)
{
	return syscall(SYS_rt_sigprocmask, SIG_BLOCK, p, NULL, 8);
}

static long c_writev_iov(void *p)
{
	return syscall(SYS_writev, fd, p, 1);
}

static long c_writev_base(void *p)
{
	struct iovec iov[2] = { { p, 16 }, { p, 16 } };

	return syscall(SYS_writev, fd, iov, 2);
}

static long c_poll(void *p)
{
	return syscall(SYS_poll, p, 1, 0);
}

static long c_execve(void *p)
{
	char *argv[] = { "x", NULL };

	return syscall(SYS_execve, p, argv, NULL);
}

static long c_getrandom(void *p)
{
	return syscall(SYS_getrandom, p, 16, 0);
}

static const struct ptr_call calls[] = {
	{ .name = "read", .call = c_read },
	{ .name = "write", .call = c_write },
	{ .name = "stat64 path", .call = c_stat64_path },
	{ .name = "stat64 buffer", .call = c_stat64_buf },
	{ .name = "fstat64", .call = c_fstat64 },
	{ .name = "open", .call = c_open },
	{ .name = "uname", .call = c_uname },
	{ .name = "clock_gettime", .call = c_clock_gettime },
	{ .name = "gettimeofday", .call = c_gettimeofday, .null_ok = true },
	{ .name = "nanosleep", .call = c_nanosleep },
	{ .name = "pipe", .call = c_pipe },
	{ .name = "getcwd", .call = c_getcwd },
	{ .name = "sysinfo", .call = c_sysinfo },
	{ .name = "times", .call = c_times, .null_ok = true },
	{ .name = "ugetrlimit", .call = c_getrlimit },
	{ .name = "rt_sigaction", .call = c_rt_sigaction, .null_ok = true },
	{ .name = "rt_sigprocmask", .call = c_rt_sigprocmask, .null_ok = true },
	{ .name = "writev iovec array", .call = c_writev_iov },
	{ .name = "writev iov_base", .call = c_writev_base },
	{ .name = "poll", .call = c_poll },
	{ .name = "execve", .call = c_execve },
	{ .name = "getrandom", .call = c_getrandom },
};
#define NCALLS (sizeof(calls) / sizeof(calls[0]))

/* Each call with @p must fail with EFAULT. */
static void check_pointer(void *p, const char *what)
{
	for (unsigned i = 0; i < NCALLS; i++) {
		long ret;
		int err;

		errno = 0;
		ret = calls[i].call(p);
		err = errno;
		if (!p && calls[i].null_ok) {
			EXPECT_SUCCESS(ret);
			continue;
		}
		if (!ktap_ok(ret == -1 && err == EFAULT,
			     "%s with %s pointer %p fails with EFAULT",
			     calls[i].name, what, p))
			ktap_diag("returned %ld, errno %d (%s)", ret, err,
				  ktap_errname(err));
	}
}

/*
 * Map one page at 0xBFFFF000, just below the split, so buffers can run
 * from accessible memory into 0xC0000000. NULL when that page is taken.
 */
static char *map_last_user_page(void)
{
	void *want = (void *)(SPLIT - PAGE);
	void *p = mmap(want, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		       0);

	if (p == MAP_FAILED)
		return NULL;
	if (p != want) { /* a kernel that treats the flag as a hint */
		munmap(p, PAGE);
		return NULL;
	}
	memset(p, 'y', PAGE);
	return p;
}

/* Structures that straddle 0xC0000000: the whole copy must fail. */
static void check_straddling_structs(char *end)
{
	struct ptr_call straddle[] = {
		{ .name = "uname", .call = c_uname },
		{ .name = "clock_gettime", .call = c_clock_gettime },
		{ .name = "gettimeofday", .call = c_gettimeofday },
		{ .name = "stat64 buffer", .call = c_stat64_buf },
		{ .name = "sysinfo", .call = c_sysinfo },
		{ .name = "pipe", .call = c_pipe },
	};
	/* Bytes of each structure that fit below the split. */
	const int below[] = { 100, 4, 4, 48, 16, 4 };

	for (unsigned i = 0; i < 6; i++) {
		long ret;

		errno = 0;
		ret = straddle[i].call(end - below[i]);
		ktap_ok(ret == -1 && errno == EFAULT,
			"%s into a buffer across 0xC0000000 fails with EFAULT",
			straddle[i].name);
	}
}

/*
 * read() and write() across the split: a 32-bit Linux refuses the whole
 * buffer up front (EFAULT), a 64-bit one running this i386 program moves
 * the part below 0xC0000000. Both are Linux; either is accepted, but the
 * part that moved must be right and nothing may move past the split.
 */
static bool fault_or_partial(long ret, long partial)
{
	return ret == partial || (ret == -1 && errno == EFAULT);
}

static void check_straddling_io(char *page)
{
	long ret;

	ret = syscall(SYS_pread64, fd, page, 2 * PAGE, 0, 0);
	ktap_ok(fault_or_partial(ret, PAGE) &&
			(ret == -1 ||
			 (page[0] == 'x' && page[PAGE - 1] == 'x')),
		"read of 8 KiB at 0xBFFFF000: EFAULT or the 4 KiB below (%ld)",
		ret);
	ret = syscall(SYS_pread64, fd, page + PAGE - 100, 200, 0, 0);
	ktap_ok(fault_or_partial(ret, 100),
		"read of 200 bytes at 0xBFFFFF9C: EFAULT or 100 (%ld)", ret);
	memset(page, 'z', PAGE);
	ret = syscall(SYS_pwrite64, fd, page, 2 * PAGE, 0, 0);
	ktap_ok(fault_or_partial(ret, PAGE),
		"write of 8 KiB from 0xBFFFF000: EFAULT or 4 KiB (%ld)", ret);
	ret = syscall(SYS_pread64, fd, page + PAGE, 16, 0, 0);
	ktap_ok(ret == -1 && errno == EFAULT,
		"read into 0xC0000000 itself fails with EFAULT");
}

static char *unmapped_page(void)
{
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || munmap(p, PAGE) != 0)
		return NULL;
	return p;
}

static bool setup_file(void)
{
	char buf[2 * PAGE];

	snprintf(path, sizeof(path), "/tmp/kx_fault.%d", getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return false;
	memset(buf, 'x', sizeof(buf));
	return write(fd, buf, sizeof(buf)) == sizeof(buf);
}

int main(void)
{
	char *page, *gone;
	int before;

	ktap_plan(4 * NCALLS + 6 + 4 + 2);
	if (!ktap_ok(setup_file(), "create an 8 KiB scratch file in /tmp"))
		return ktap_exit();
	check_pointer(NULL, "NULL");
	gone = unmapped_page();
	check_pointer(gone, "unmapped");
	check_pointer((void *)SPLIT, "kernel");
	check_pointer((void *)0xFFFFF000UL, "top-page");

	page = map_last_user_page();
	if (!page) {
		for (int i = 0; i < 6 + 4; i++)
			ktap_skip("straddling 0xC0000000",
				  "0xBFFFF000 is already in use");
	} else {
		check_straddling_structs(page + PAGE);
		check_straddling_io(page);
		munmap(page, PAGE);
	}

	before = fcntl(fd, F_GETFD);
	ktap_ok(before != -1 && getpid() > 0,
		"the process survived every bad pointer");
	close(fd);
	unlink(path);
	return ktap_exit();
}
