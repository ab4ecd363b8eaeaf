/*
 * eventfd(2) and eventfd2(2): the counter's read (reset, or one at a
 * time with EFD_SEMAPHORE) and write (add) semantics, blocking and
 * O_NONBLOCK on both sides (empty, and at the 0xfffffffffffffffe
 * ceiling), poll, the flags, the errors (short buffers, ~0ULL, bad
 * flags, a bad buffer), the /proc/self/fd link and the fdinfo line.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"

#define CEILING 0xfffffffffffffffeULL

static ssize_t put(int fd, uint64_t v)
{
	return write(fd, &v, sizeof(v));
}

/* The value a read returns, or ~0ULL after an error (errno set). */
static uint64_t get(int fd)
{
	uint64_t v;

	return read(fd, &v, sizeof(v)) == sizeof(v) ? v : ~0ULL;
}

static short revents(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

	return poll(&p, 1, 0) == 1 ? p.revents : 0;
}

/* An address in user space that nothing maps (hidden from the
 * compiler's bounds checks). */
static void *bad_ptr(void)
{
	static volatile uintptr_t addr = 8;

	return (void *)addr;
}

static void test_counter(void)
{
	int fd = eventfd(0, EFD_NONBLOCK);
	uint32_t small;

	ktap_ok(fd >= 0, "eventfd(0, EFD_NONBLOCK)");
	EXPECT_ERRNO(read(fd, &small, sizeof(small)), EINVAL);
	EXPECT_ERRNO(write(fd, &small, sizeof(small)), EINVAL);
	EXPECT_ERRNO(get(fd), EAGAIN);
	ktap_ok(put(fd, 3) == 8 && put(fd, 4) == 8, "writes add");
	EXPECT_EQ(get(fd), 7);
	EXPECT_ERRNO(get(fd), EAGAIN); /* the read reset it */
	EXPECT_ERRNO(put(fd, ~0ULL), EINVAL);
	EXPECT_ERRNO(read(fd, bad_ptr(), 8), EAGAIN); /* nothing to copy */
	put(fd, 1);
	EXPECT_ERRNO(read(fd, bad_ptr(), 8), EFAULT);
	EXPECT_ERRNO(write(fd, bad_ptr(), 8), EFAULT);
	close(fd);
}

static void test_semaphore(void)
{
	int fd = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);

	ktap_ok(get(fd) == 1 && get(fd) == 1 && get(fd) == 1,
		"EFD_SEMAPHORE: three reads of 1 from 3");
	EXPECT_ERRNO(get(fd), EAGAIN);
	close(fd);
}

static void test_poll_and_ceiling(void)
{
	int fd = eventfd(0, EFD_NONBLOCK);

	EXPECT_EQ(revents(fd), POLLOUT);
	put(fd, 1);
	EXPECT_EQ(revents(fd), POLLIN | POLLOUT);
	put(fd, CEILING - 1);
	EXPECT_EQ(revents(fd), POLLIN); /* full: nothing more fits */
	EXPECT_ERRNO(put(fd, 1), EAGAIN);
	ktap_ok(put(fd, 0) == 8, "adding 0 at the ceiling succeeds");
	EXPECT_EQ(get(fd), (long long)CEILING);
	close(fd);
}

static void test_blocking(void)
{
	int fd = eventfd(0, 0), status;
	pid_t pid = fork();

	if (pid == 0) {
		usleep(100000);
		put(fd, 42);
		usleep(100000);
		_exit(get(fd) == CEILING ? 0 : 1); /* makes room */
	}
	EXPECT_EQ(get(fd), 42); /* waits for the child */
	put(fd, CEILING);
	ktap_ok(put(fd, 5) == 8, "a write past the ceiling waits for room");
	waitpid(pid, &status, 0);
	ktap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		"the child read the full count");
	EXPECT_EQ(get(fd), 5);
	close(fd);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void test_interrupted(void)
{
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART */
	int fd = eventfd(0, 0);

	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	EXPECT_ERRNO(get(fd), EINTR);
	close(fd);
}

static void test_flags(void)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	ktap_ok(fcntl(fd, F_GETFD) & FD_CLOEXEC, "EFD_CLOEXEC");
	ktap_ok(fcntl(fd, F_GETFL) & O_NONBLOCK, "EFD_NONBLOCK");
	ktap_ok((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR, "opened O_RDWR");
	close(fd);
	EXPECT_ERRNO(eventfd(0, 0x10), EINVAL);
	fd = syscall(SYS_eventfd, 9);
	ktap_ok(fd >= 0 && get(fd) == 9, "eventfd (no flags) starts at 9");
	ktap_ok(!(fcntl(fd, F_GETFD) & FD_CLOEXEC), "eventfd has no CLOEXEC");
	close(fd);
}

static void test_proc(void)
{
	int fd = eventfd(0x1234, 0);
	char path[64], buf[512];
	ssize_t n;
	int pfd;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	ktap_ok(!strcmp(buf, "anon_inode:[eventfd]"), "fd link is '%s'", buf);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	pfd = open(path, O_RDONLY);
	n = pfd >= 0 ? read(pfd, buf, sizeof(buf) - 1) : -1;
	buf[n > 0 ? n : 0] = '\0';
	ktap_ok(strstr(buf, "eventfd-count:") && strstr(buf, "1234\n") != NULL,
		"fdinfo shows eventfd-count");
	if (pfd >= 0)
		close(pfd);
	close(fd);
}

int main(void)
{
	ktap_plan(32);
	test_counter();
	test_semaphore();
	test_poll_and_ceiling();
	test_blocking();
	test_interrupted();
	test_flags();
	test_proc();
	return ktap_exit();
}
