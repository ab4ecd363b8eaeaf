/*
 * Resource limits that the kernel enforces: RLIMIT_NOFILE (EMFILE at
 * the limit), RLIMIT_AS (mmap and brk fail past it), RLIMIT_NPROC (fork
 * fails with EAGAIN for a non-root user at its limit), and the
 * getrlimit/setrlimit/prlimit64 rules (soft above hard is EINVAL,
 * raising the hard limit needs privilege).
 */
#include "ktap.h"
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB (1024UL * 1024)

static int child_status(int (*fn)(void))
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Exit 0 if the 11th descriptor is refused with EMFILE at NOFILE 10. */
static int nofile_child(void)
{
	struct rlimit r = { 10, 10 };
	int fd, last = -1;

	if (setrlimit(RLIMIT_NOFILE, &r))
		return 2;
	while ((fd = open("/", O_RDONLY)) >= 0)
		last = fd;
	return errno == EMFILE && last == 9 ? 0 : 1;
}

/* Exit 0 if mmap past RLIMIT_AS fails with ENOMEM but fits below. */
static int as_child(void)
{
	struct rlimit r;
	void *small, *big;

	r.rlim_cur = r.rlim_max = 64 * MIB;
	if (setrlimit(RLIMIT_AS, &r))
		return 2;
	big = mmap(NULL, 128 * MIB, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (big != MAP_FAILED || errno != ENOMEM)
		return 1;
	small = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (small == MAP_FAILED)
		return 3;
	/* The heap cannot jump past the limit either. */
	return sbrk(128 * MIB) == (void *)-1 && errno == ENOMEM ? 0 : 4;
}

/* Exit 0 if, as nobody with NPROC 1, fork fails with EAGAIN. */
static int nproc_child(void)
{
	struct rlimit r = { 1, 1 };
	pid_t pid;

	if (setrlimit(RLIMIT_NPROC, &r) || setuid(65534))
		return 2;
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid > 0) {
		waitpid(pid, NULL, 0);
		return 1;
	}
	return errno == EAGAIN ? 0 : 3;
}

int main(void)
{
	struct rlimit r, bad;

	ktap_plan(7);
	ktap_ok(getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur <= r.rlim_max,
		"getrlimit(RLIMIT_NOFILE) soft <= hard");
	bad.rlim_cur = r.rlim_max == RLIM_INFINITY ? RLIM_INFINITY :
						     r.rlim_max + 1;
	bad.rlim_max = r.rlim_max == RLIM_INFINITY ? 1 : r.rlim_max;
	EXPECT_ERRNO(setrlimit(RLIMIT_NOFILE, &bad), EINVAL);
	EXPECT_ERRNO(setrlimit(99, &r), EINVAL);
	ktap_ok(child_status(nofile_child) == 0,
		"RLIMIT_NOFILE 10: the 11th descriptor gets EMFILE");
	ktap_ok(child_status(as_child) == 0,
		"RLIMIT_AS 64 MiB: a 128 MiB mmap and sbrk fail with ENOMEM");
	if (getuid() == 0)
		ktap_ok(child_status(nproc_child) == 0,
			"RLIMIT_NPROC 1 as nobody: fork fails with EAGAIN");
	else
		ktap_skip("RLIMIT_NPROC 1 as nobody", "needs root to setuid");
	r.rlim_cur = 0;
	r.rlim_max = RLIM_INFINITY;
	ktap_ok(setrlimit(RLIMIT_CORE, &r) == 0 &&
			getrlimit(RLIMIT_CORE, &r) == 0 && r.rlim_cur == 0,
		"RLIMIT_CORE round-trips");
	return ktap_exit();
}
