/*
 * Pipes: pipe2 and its flags, end-of-file, the 64 KiB capacity, O_NONBLOCK
 * (EAGAIN on an empty or full pipe, a partial write above PIPE_BUF), the
 * atomicity of writes of at most PIPE_BUF bytes from several writers,
 * EPIPE and SIGPIPE once the readers are gone, and readiness as poll and
 * select report it, including waking a sleeping poll.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"

#define CAPACITY 65536 /* Linux's default pipe size: 16 pages */

static void test_pipe2(void)
{
	int p[2];
	char buf[8];

	ktap_ok(pipe2(p, 0) == 0 && p[0] >= 0 && p[1] >= 0 && p[0] != p[1],
		"pipe2 returns two descriptors");
	ktap_ok(write(p[1], "ping", 4) == 4 && read(p[0], buf, 8) == 4 &&
			!memcmp(buf, "ping", 4),
		"bytes written come out of the read end");
	EXPECT_ERRNO(write(p[0], "x", 1), EBADF);
	EXPECT_ERRNO(read(p[1], buf, 1), EBADF);
	EXPECT_ERRNO(lseek(p[0], 0, SEEK_SET), ESPIPE);
	close(p[1]);
	EXPECT_EQ(read(p[0], buf, 8), 0); /* no writers: end of file */
	close(p[0]);

	pipe2(p, O_CLOEXEC | O_NONBLOCK);
	ktap_ok(fcntl(p[0], F_GETFD) == FD_CLOEXEC &&
			fcntl(p[1], F_GETFD) == FD_CLOEXEC,
		"pipe2 O_CLOEXEC sets FD_CLOEXEC on both ends");
	ktap_ok((fcntl(p[0], F_GETFL) & O_NONBLOCK) &&
			(fcntl(p[1], F_GETFL) & O_NONBLOCK),
		"pipe2 O_NONBLOCK sets O_NONBLOCK on both ends");
	ktap_ok((fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY &&
			(fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY,
		"the read end is O_RDONLY, the write end O_WRONLY");
	close(p[0]);
	close(p[1]);
	EXPECT_ERRNO(pipe2(p, 0x10), EINVAL);
	EXPECT_ERRNO(syscall(SYS_pipe2, NULL, 0), EFAULT);
}

static void test_nonblock(void)
{
	static char big[2 * 4096];
	char buf[4096];
	long total = 0, n;
	int p[2];

	pipe2(p, O_NONBLOCK);
	EXPECT_ERRNO(read(p[0], buf, 1), EAGAIN);
	memset(big, 'q', sizeof(big));
	while ((n = write(p[1], big, 4096)) > 0)
		total += n;
	ktap_ok(n == -1 && errno == EAGAIN, "a full pipe gives EAGAIN");
	EXPECT_EQ(total, CAPACITY);
	EXPECT_ERRNO(write(p[1], big, 1), EAGAIN);
	EXPECT_EQ(read(p[0], buf, 4096), 4096);
	n = write(p[1], big, sizeof(big));
	ktap_ok(n == 4096,
		"a write above PIPE_BUF into 4 KiB of room is partial (%ld)",
		n);
	EXPECT_ERRNO(write(p[1], big, PIPE_BUF), EAGAIN);
	close(p[0]);
	close(p[1]);
}

/* Writer @id: @count records of PIPE_BUF bytes, each filled with @id. */
static void atomic_writer(int fd, int id, int count)
{
	char rec[PIPE_BUF];

	memset(rec, 'A' + id, sizeof(rec));
	for (int i = 0; i < count; i++)
		if (write(fd, rec, sizeof(rec)) != sizeof(rec))
			_exit(1);
	_exit(0);
}

/* Read exactly @len bytes unless end of file comes first. */
static long read_full(int fd, char *buf, long len)
{
	long got = 0, n;

	while (got < len && (n = read(fd, buf + got, len - got)) > 0)
		got += n;
	return got;
}

static void test_atomicity(void)
{
	enum { WRITERS = 4, RECORDS = 64 };
	static char rec[PIPE_BUF];
	int p[2], counts[WRITERS] = { 0 }, mixed = 0, st, ok = 1;

	pipe(p);
	for (int w = 0; w < WRITERS; w++)
		if (fork() == 0) {
			close(p[0]);
			atomic_writer(p[1], w, RECORDS);
		}
	close(p[1]);
	while (read_full(p[0], rec, sizeof(rec)) == sizeof(rec)) {
		int id = rec[0] - 'A';

		for (int i = 1; i < PIPE_BUF; i++)
			if (rec[i] != rec[0]) {
				mixed++;
				break;
			}
		if (id >= 0 && id < WRITERS)
			counts[id]++;
	}
	close(p[0]);
	for (int w = 0; w < WRITERS; w++) {
		wait(&st);
		ok &= WIFEXITED(st) && WEXITSTATUS(st) == 0;
		ok &= counts[w] == RECORDS;
	}
	ktap_ok(mixed == 0,
		"writes of PIPE_BUF bytes never interleave (%d mixed)", mixed);
	ktap_ok(ok, "every record from 4 writers arrives whole");
}

static volatile sig_atomic_t got_sigpipe;

static void on_sigpipe(int sig)
{
	got_sigpipe = sig;
}

static void test_epipe(void)
{
	int p[2], st;
	pid_t pid;

	pipe(p);
	close(p[0]);
	pid = fork();
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		write(p[1], "x", 1);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	ktap_ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE,
		"writing with no reader kills with SIGPIPE by default (0x%x)",
		st);
	signal(SIGPIPE, SIG_IGN);
	EXPECT_ERRNO(write(p[1], "x", 1), EPIPE);
	signal(SIGPIPE, on_sigpipe);
	got_sigpipe = 0;
	EXPECT_ERRNO(write(p[1], "x", 1), EPIPE);
	EXPECT_EQ(got_sigpipe, SIGPIPE);
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);
}

static short revents(int fd, short events)
{
	struct pollfd pfd = { fd, events, 0 };

	if (poll(&pfd, 1, 0) < 0)
		return -1;
	return pfd.revents;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 +
	       (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void test_poll(void)
{
	struct pollfd pfd[3];
	struct timespec t0;
	fd_set rset;
	struct timeval tv = { 0, 0 };
	char c;
	int p[2], st;
	pid_t pid;

	pipe(p);
	EXPECT_EQ(revents(p[0], POLLIN), 0);
	EXPECT_EQ(revents(p[1], POLLOUT), POLLOUT);
	write(p[1], "x", 1);
	EXPECT_EQ(revents(p[0], POLLIN), POLLIN);
	FD_ZERO(&rset);
	FD_SET(p[0], &rset);
	ktap_ok(select(p[0] + 1, &rset, NULL, NULL, &tv) == 1 &&
			FD_ISSET(p[0], &rset),
		"select reports the read end readable");
	read(p[0], &c, 1);

	pfd[0] = (struct pollfd){ p[0], POLLIN, 0 };
	pfd[1] = (struct pollfd){ -1, POLLIN, 0x7f };
	pfd[2] = (struct pollfd){ 999, POLLIN, 0 };
	ktap_ok(poll(pfd, 3, 0) == 1 && pfd[0].revents == 0 &&
			pfd[1].revents == 0 && pfd[2].revents == POLLNVAL,
		"poll: nothing to read, negative fd ignored, bad fd POLLNVAL");

	pid = fork();
	if (pid == 0) {
		usleep(100000);
		write(p[1], "y", 1);
		_exit(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pfd[0] = (struct pollfd){ p[0], POLLIN, 0 };
	ktap_ok(poll(pfd, 1, 5000) == 1 && pfd[0].revents == POLLIN,
		"a sleeping poll wakes when data arrives");
	ktap_ok(ms_since(&t0) >= 80, "poll slept until the write (%ld ms)",
		ms_since(&t0));
	waitpid(pid, &st, 0);
	read(p[0], &c, 1);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(poll(pfd, 1, 100), 0);
	ktap_ok(ms_since(&t0) >= 90, "poll timed out after 100 ms (%ld ms)",
		ms_since(&t0));

	write(p[1], "z", 1);
	close(p[1]);
	EXPECT_EQ(revents(p[0], POLLIN), POLLIN | POLLHUP);
	read(p[0], &c, 1);
	EXPECT_EQ(revents(p[0], POLLIN), POLLHUP);
	close(p[0]);

	pipe(p);
	close(p[0]);
	EXPECT_EQ(revents(p[1], POLLOUT), POLLOUT | POLLERR);
	close(p[1]);
	EXPECT_ERRNO(syscall(SYS_poll, pfd, 0x7fffffff, 0), EINVAL);
}

int main(void)
{
	ktap_plan(37);
	test_pipe2();
	test_nonblock();
	test_atomicity();
	test_epipe();
	test_poll();
	return ktap_exit();
}
