/*
 * A system call writes into a user buffer only the bytes it reports.
 *
 * Named after the bug it caught: sched_getaffinity() zeroed the whole
 * buffer length user space passed, not just the CPU mask it returned.
 * A fuzzer (trinity) passes long lengths with pointers into its own
 * small mappings, so the zeroes ran on into the next mapping — trinity's
 * MAP_SHARED process table — and its parent found pid 0 in its slots.
 * The first cases reproduce that mechanism deterministically; the sweep
 * after them holds every call that takes a (buffer, length) pair and
 * returns a count to the same rule: the bytes past the count stay as
 * they were.
 */
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"

#define PAGE 4096
#define FILL 0xa5
#define BUF_LEN (16 * PAGE)

static unsigned char buf[BUF_LEN];

/* Are @len bytes at @p all FILL? Reports the first that is not. */
static bool untouched(const unsigned char *p, size_t len, const char *what)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] != FILL) {
			ktap_diag("%s: byte %zu is 0x%02x", what, i, p[i]);
			return false;
		}
	}
	return true;
}

/* Check that a call which reported @ret bytes in buf left the rest. */
static void expect_only(long ret, const char *what)
{
	bool ok = ret >= 0 && ret <= BUF_LEN &&
		  untouched(buf + ret, BUF_LEN - ret, what);

	if (!ktap_ok(ok, "%s writes only the %ld bytes it reports", what, ret))
		ktap_diag("returned %ld, errno %d", ret, errno);
}

static void getaffinity_writes_only_its_mask(void)
{
	long ret;

	memset(buf, FILL, sizeof(buf));
	ret = syscall(SYS_sched_getaffinity, 0, BUF_LEN, buf);
	expect_only(ret, "sched_getaffinity");
	ktap_ok(ret > 0 && (buf[0] & 1), "CPU 0 is in the mask");
}

/*
 * The trinity case: a private page directly below a shared region; a
 * child asks for its affinity mask into the private page with a length
 * that covers the shared pages too. The parent's view of the shared
 * pages must not change.
 */
static void getaffinity_spares_shared_neighbour(void)
{
	unsigned char *area, *shared;
	int status;
	pid_t pid;

	area = mmap(NULL, 5 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		    0);
	shared = area + PAGE;
	if (area == MAP_FAILED ||
	    mmap(area, PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != area ||
	    mmap(shared, 4 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != shared) {
		ktap_ok(false, "shared neighbour survives a long mask");
		return;
	}
	memset(shared, FILL, 4 * PAGE);
	pid = fork();
	if (pid == 0) {
		syscall(SYS_sched_getaffinity, 0, 5 * PAGE, area);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	ktap_ok(untouched(shared, 4 * PAGE, "shared region"),
		"shared neighbour survives a long mask");
	munmap(area, 5 * PAGE);
}

static pid_t reaped_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

static void affinity_errors(void)
{
	unsigned long mask = 0;

	EXPECT_ERRNO(syscall(SYS_sched_getaffinity, 0, 0, buf), EINVAL);
	EXPECT_ERRNO(syscall(SYS_sched_getaffinity, 0, 3, buf), EINVAL);
	EXPECT_ERRNO(syscall(SYS_sched_getaffinity, reaped_pid(), 128, buf),
		     ESRCH);
	EXPECT_ERRNO(syscall(SYS_sched_getaffinity, 0, 128, (void *)8), EFAULT);
	EXPECT_ERRNO(syscall(SYS_sched_setaffinity, 0, sizeof(mask), &mask),
		     EINVAL);
	mask = 1;
	EXPECT_SUCCESS(syscall(SYS_sched_setaffinity, 0, sizeof(mask), &mask));
}

static void sweep_reads(void)
{
	int fd, p[2];

	memset(buf, FILL, sizeof(buf));
	expect_only(syscall(SYS_readlink, "/proc/self/exe", buf, BUF_LEN),
		    "readlink");
	memset(buf, FILL, sizeof(buf));
	expect_only(syscall(SYS_getcwd, buf, BUF_LEN), "getcwd");

	fd = open("/proc/self/stat", O_RDONLY);
	memset(buf, FILL, sizeof(buf));
	expect_only(read(fd, buf, BUF_LEN), "read of /proc/self/stat");
	close(fd);

	fd = open("/", O_RDONLY | O_DIRECTORY);
	memset(buf, FILL, sizeof(buf));
	expect_only(syscall(SYS_getdents64, fd, buf, BUF_LEN), "getdents64");
	close(fd);

	memset(buf, FILL, sizeof(buf));
	expect_only(syscall(SYS_getgroups32, BUF_LEN / 4, buf) * 4,
		    "getgroups32");

	if (pipe(p) || write(p[1], "ten bytes!", 10) != 10)
		ktap_diag("pipe write failed");
	memset(buf, FILL, sizeof(buf));
	expect_only(read(p[0], buf, BUF_LEN), "read of a pipe");
	close(p[0]);
	close(p[1]);

	fd = open("/tmp/t_overwrite", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (write(fd, "some data here", 14) != 14)
		ktap_diag("file write failed");
	memset(buf, FILL, sizeof(buf));
	expect_only(pread(fd, buf, BUF_LEN, 0), "pread past the end");
	close(fd);
	unlink("/tmp/t_overwrite");
}

int main(void)
{
	ktap_plan(16);
	getaffinity_writes_only_its_mask();
	getaffinity_spares_shared_neighbour();
	affinity_errors();
	sweep_reads();
	return ktap_exit();
}
