/*
 * Native AIO through the raw system calls (no libaio): io_setup,
 * io_submit, io_getevents, io_cancel, io_destroy on a tmpfs file.
 *
 * Round trips of PREAD/PWRITE and of PREADV/PWRITEV with uneven
 * segments; 64 requests in one io_submit, each completing once with its
 * own cookie; io_getevents' min_nr, nr and timeout; the ring header and
 * consuming events straight from the ring (libaio's fast path);
 * FSYNC/FDSYNC; a full ring (EAGAIN); the errors (opcode, descriptor,
 * buffers, nr, iocb pointers, contexts, io_setup's arguments, io_cancel
 * of a finished request); /proc/sys/fs/aio-max-nr and aio-nr; fork (the
 * child has none of the parent's contexts) and exit with a context
 * open; IOCB_FLAG_RESFD counting completions on an eventfd.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "aio.h"
#include "ktap.h"

#define PATH "/tmp/t_aio.dat"

/* Submit one request and wait for its event; the event's res, or
 * -1000 - errno if io_submit failed. */
static long long run1(aio_context_t ctx, struct iocb *cb)
{
	struct iocb *cbs[1] = { cb };
	struct io_event ev;

	if (io_submit(ctx, 1, cbs) != 1)
		return -1000 - errno;
	if (io_getevents(ctx, 1, 1, &ev, NULL) != 1)
		return -2000;
	if (ev.obj != (uintptr_t)cb || ev.data != cb->aio_data)
		return -3000;
	return ev.res;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long read_sysctl(const char *name)
{
	char path[64], buf[32] = "";
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/fs/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = '\0';
	if (fd >= 0)
		close(fd);
	return buf[0] ? atol(buf) : -1;
}

static int write_sysctl(const char *name, long v)
{
	char path[64], buf[32];
	int fd, n;

	snprintf(path, sizeof(path), "/proc/sys/fs/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	n = snprintf(buf, sizeof(buf), "%ld\n", v);
	n = write(fd, buf, n) == n ? 0 : -1;
	close(fd);
	return n;
}

static void test_setup_errors(void)
{
	aio_context_t ctx = 1;

	EXPECT_ERRNO(io_setup(8, &ctx), EINVAL); /* *ctxp must be 0 */
	ctx = 0;
	EXPECT_ERRNO(io_setup(0, &ctx), EINVAL);
	EXPECT_ERRNO(io_setup(0xffffffffU, &ctx), EINVAL);
	EXPECT_ERRNO(io_setup(100000, &ctx), EAGAIN); /* > aio-max-nr */
	EXPECT_ERRNO(io_setup(8, (aio_context_t *)8), EFAULT);
	EXPECT_ERRNO(io_destroy(12345), EINVAL);
	EXPECT_ERRNO(io_getevents(12345, 0, 1, NULL, NULL), EINVAL);
	EXPECT_ERRNO(io_submit(12345, 0, NULL), EINVAL);
}

static void test_ring_header(aio_context_t ctx)
{
	struct aio_ring *ring = (struct aio_ring *)ctx;

	ktap_ok(ring->magic == 0xa10a10a1 && ring->compat_features == 1 &&
			ring->incompat_features == 0 &&
			ring->header_length == sizeof(*ring),
		"the ring header (magic %#x)", ring->magic);
	ktap_ok(ring->nr >= 128 && ring->head == ring->tail,
		"the ring has %u slots, empty", ring->nr);
}

static void test_rw(aio_context_t ctx, int fd)
{
	static const char msg[] = "hello, asynchronous world";
	char buf[64] = "";
	struct iocb cb;

	prep(&cb, IOCB_CMD_PWRITE, fd, msg, sizeof(msg), 3, 77);
	EXPECT_EQ(run1(ctx, &cb), sizeof(msg));
	prep(&cb, IOCB_CMD_PREAD, fd, buf, sizeof(msg), 3, 78);
	EXPECT_EQ(run1(ctx, &cb), sizeof(msg));
	ktap_ok(!memcmp(buf, msg, sizeof(msg)),
		"PREAD reads what PWRITE wrote");
	ktap_ok(cb.aio_key == 0, "io_submit set aio_key to 0");
}

static void fill(char *p, size_t n, int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (char)(seed + i * 7);
}

static void test_rwv(aio_context_t ctx, int fd)
{
	static char out[5313], in[5313];
	struct iovec wv[5] = { { out, 1 },
			       { out + 1, 7 },
			       { out + 8, 300 },
			       { out + 308, 0 },
			       { out + 308, 5005 } };
	struct iovec rv[3] = { { in, 4000 },
			       { in + 4000, 3 },
			       { in + 4003, 1310 } };
	struct iocb cb;

	fill(out, sizeof(out), 5);
	prep(&cb, IOCB_CMD_PWRITEV, fd, wv, 5, 1000, 1);
	EXPECT_EQ(run1(ctx, &cb), sizeof(out));
	prep(&cb, IOCB_CMD_PREADV, fd, rv, 3, 1000, 2);
	EXPECT_EQ(run1(ctx, &cb), sizeof(in));
	ktap_ok(!memcmp(in, out, sizeof(in)),
		"PREADV with other segments reads what PWRITEV wrote");
}

/* 64 requests in one io_submit: each event once, with its cookie. */
static void test_many(aio_context_t ctx, int fd)
{
	static char bufs[64][16], back[64][16];
	struct iocb cbs[64], *ptrs[64];
	struct io_event ev[64];
	int seen[64] = { 0 }, ok = 1, i;
	long n;

	for (i = 0; i < 64; i++) {
		fill(bufs[i], 16, i);
		prep(&cbs[i], IOCB_CMD_PWRITE, fd, bufs[i], 16, 8192 + i * 16,
		     1000 + i);
		ptrs[i] = &cbs[i];
	}
	EXPECT_EQ(io_submit(ctx, 64, ptrs), 64);
	n = io_getevents(ctx, 64, 64, ev, NULL);
	EXPECT_EQ(n, 64);
	for (i = 0; i < n; i++) {
		int k = (int)(ev[i].data - 1000);

		if (k < 0 || k >= 64 || seen[k]++ || ev[i].res != 16 ||
		    ev[i].obj != (uintptr_t)&cbs[k])
			ok = 0;
	}
	ktap_ok(ok, "64 writes: every cookie once, res 16, obj its iocb");
	for (i = 0; i < 64; i++)
		prep(&cbs[i], IOCB_CMD_PREAD, fd, back[i], 16, 8192 + i * 16,
		     i);
	ok = io_submit(ctx, 64, ptrs) == 64 &&
	     io_getevents(ctx, 64, 64, ev, NULL) == 64 &&
	     !memcmp(bufs, back, sizeof(bufs));
	ktap_ok(ok, "64 reads bring the data back");
}

static void test_getevents(aio_context_t ctx, int fd)
{
	struct timespec zero = { 0, 0 }, short_wait = { 0, 50000000 };
	struct iocb cbs[3], *ptrs[3] = { &cbs[0], &cbs[1], &cbs[2] };
	struct io_event ev[10];
	char buf[3][8];
	long long t0;
	int i;

	EXPECT_EQ(io_getevents(ctx, 1, 1, ev, &zero), 0);
	t0 = now_ns();
	EXPECT_EQ(io_getevents(ctx, 1, 1, ev, &short_wait), 0);
	ktap_ok(now_ns() - t0 >= 40000000, "the timeout was waited for");
	EXPECT_ERRNO(io_getevents(ctx, 2, 1, ev, NULL), EINVAL);
	EXPECT_ERRNO(io_getevents(ctx, -1, 1, ev, NULL), EINVAL);
	EXPECT_ERRNO(io_getevents(ctx, 0, -1, ev, NULL), EINVAL);
	for (i = 0; i < 3; i++)
		prep(&cbs[i], IOCB_CMD_PREAD, fd, buf[i], 8, 0, i);
	EXPECT_EQ(io_submit(ctx, 3, ptrs), 3);
	EXPECT_EQ(io_getevents(ctx, 1, 2, ev, NULL), 2); /* at most nr */
	EXPECT_EQ(io_getevents(ctx, 0, 10, ev, &zero), 1); /* the rest */
	/* An event to copy and nowhere to put it: EFAULT, event kept. */
	EXPECT_EQ(io_submit(ctx, 1, ptrs), 1);
	EXPECT_ERRNO(io_getevents(ctx, 1, 1, (void *)8, NULL), EFAULT);
	EXPECT_EQ(io_getevents(ctx, 1, 10, ev, &zero), 1);
}

/* libaio's io_getevents: consume from the ring with no system call. */
static void test_ring_fast_path(aio_context_t ctx, int fd)
{
	struct aio_ring *ring = (struct aio_ring *)ctx;
	struct iocb cbs[2], *ptrs[2] = { &cbs[0], &cbs[1] };
	struct timespec zero = { 0, 0 };
	struct io_event ev;
	char buf[2][8];
	unsigned head, tail, got = 0;

	prep(&cbs[0], IOCB_CMD_PREAD, fd, buf[0], 8, 0, 501);
	prep(&cbs[1], IOCB_CMD_PREAD, fd, buf[1], 8, 8, 502);
	EXPECT_EQ(io_submit(ctx, 2, ptrs), 2);
	EXPECT_EQ(ring_pending(ring), 2);
	head = ring->head;
	tail = ring->tail;
	while (head != tail) {
		got = got * 1000 + ring->io_events[head].data;
		head = (head + 1) % ring->nr;
	}
	__atomic_store_n(&ring->head, head, __ATOMIC_RELEASE);
	EXPECT_EQ(got, 501502);
	EXPECT_EQ(io_getevents(ctx, 0, 1, &ev, &zero), 0);
}

static void test_fsync(aio_context_t ctx, int fd)
{
	struct iocb cb;
	struct iocb *ptrs[1] = { &cb };

	prep(&cb, IOCB_CMD_FSYNC, fd, NULL, 0, 0, 1);
	EXPECT_EQ(run1(ctx, &cb), 0);
	prep(&cb, IOCB_CMD_FDSYNC, fd, NULL, 0, 0, 1);
	EXPECT_EQ(run1(ctx, &cb), 0);
	prep(&cb, IOCB_CMD_FSYNC, fd, NULL, 4, 0, 1);
	EXPECT_ERRNO(io_submit(ctx, 1, ptrs), EINVAL);
}

static void test_submit_errors(aio_context_t ctx, int fd)
{
	char buf[16];
	struct iocb cb, good, *ptrs[2] = { &cb, NULL };
	struct iovec *gone;
	int ro = open(PATH, O_RDONLY);
	long long res;

	prep(&cb, 99, fd, buf, sizeof(buf), 0, 1);
	EXPECT_ERRNO(io_submit(ctx, 1, ptrs), EINVAL);
	prep(&cb, IOCB_CMD_PREAD, 999, buf, sizeof(buf), 0, 1);
	EXPECT_ERRNO(io_submit(ctx, 1, ptrs), EBADF);
	prep(&cb, IOCB_CMD_PWRITE, ro, buf, sizeof(buf), 0, 1);
	EXPECT_ERRNO(io_submit(ctx, 1, ptrs), EBADF);
	prep(&cb, IOCB_CMD_PREAD, fd, buf, sizeof(buf), -1, 1);
	EXPECT_ERRNO(io_submit(ctx, 1, ptrs), EINVAL);
	EXPECT_EQ(io_submit(ctx, 0, ptrs), 0);
	EXPECT_ERRNO(io_submit(ctx, -1, ptrs), EINVAL);
	EXPECT_ERRNO(io_submit(ctx, 1, (struct iocb **)8), EFAULT);
	ptrs[0] = (struct iocb *)8;
	EXPECT_ERRNO(io_submit(ctx, 1, ptrs), EFAULT);
	/* The second fails: the first was submitted, and that is the count. */
	prep(&good, IOCB_CMD_PREAD, fd, buf, sizeof(buf), 0, 1);
	ptrs[0] = &good;
	ptrs[1] = (struct iocb *)8;
	EXPECT_EQ(io_submit(ctx, 2, ptrs), 1);
	EXPECT_EQ(run1(ctx, &good), sizeof(buf)); /* reap both */
	io_getevents(ctx, 0, 1, (struct io_event[1]){}, NULL);
	/* A buffer that is no longer mapped: Linux fails the event. */
	gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(gone, 4096);
	prep(&cb, IOCB_CMD_PREAD, fd, gone, 16, 0, 1);
	res = run1(ctx, &cb);
	ktap_ok(res == -EFAULT || res == -1000 - EFAULT,
		"PREAD into an unmapped buffer: EFAULT (%lld)", res);
	prep(&cb, IOCB_CMD_PREADV, fd, gone, 1, 0, 1);
	ptrs[0] = &cb;
	EXPECT_ERRNO(io_submit(ctx, 1, ptrs), EFAULT); /* the iovec array */
	prep(&cb, IOCB_CMD_PREAD, fd, buf, 16, 0, 5);
	EXPECT_EQ(run1(ctx, &cb), 16);
	EXPECT_ERRNO(io_cancel(ctx, &cb, (struct io_event[1]){}), EINVAL);
	cb.aio_key = 1;
	EXPECT_ERRNO(io_cancel(ctx, &cb, (struct io_event[1]){}), EINVAL);
	EXPECT_ERRNO(io_cancel(ctx, (struct iocb *)8, NULL), EFAULT);
	close(ro);
}

/* A small context: submitting without reaping ends in EAGAIN. */
static void test_full_ring(int fd)
{
	aio_context_t ctx = 0;
	struct iocb cb, *ptrs[1] = { &cb };
	struct io_event ev[256];
	char buf[4];
	long r = 0;
	int n;

	EXPECT_SUCCESS(io_setup(1, &ctx));
	prep(&cb, IOCB_CMD_PREAD, fd, buf, sizeof(buf), 0, 1);
	for (n = 0; n < 1000 && (r = io_submit(ctx, 1, ptrs)) == 1; n++)
		;
	ktap_ok(r == -1 && errno == EAGAIN && n > 1,
		"full after %d requests: EAGAIN", n);
	ktap_ok(io_getevents(ctx, n, 256, ev, NULL) == n &&
			io_submit(ctx, 1, ptrs) == 1,
		"reaping the events makes room again");
	EXPECT_SUCCESS(io_destroy(ctx));
	EXPECT_ERRNO(io_destroy(ctx), EINVAL);
}

static void test_max_nr(void)
{
	long max = read_sysctl("aio-max-nr"), nr = read_sysctl("aio-nr");
	aio_context_t a = 0, b = 0;

	ktap_ok(max == 65536, "aio-max-nr defaults to 65536 (%ld)", max);
	if (geteuid() != 0 || write_sysctl("aio-max-nr", nr + 20)) {
		ktap_skip("aio_max_nr_eagain", "needs root");
		ktap_skip("aio_nr_counts", "needs root");
		return;
	}
	EXPECT_SUCCESS(io_setup(16, &a));
	ktap_ok(read_sysctl("aio-nr") == nr + 16, "aio-nr counts 16 more");
	EXPECT_ERRNO(io_setup(16, &b), EAGAIN);
	io_destroy(a);
	write_sysctl("aio-max-nr", max);
	EXPECT_EQ(read_sysctl("aio-nr"), nr);
}

static void test_fork(aio_context_t ctx, int fd)
{
	char buf[4];
	struct iocb cb, *ptrs[1] = { &cb };
	int status;
	pid_t pid;

	prep(&cb, IOCB_CMD_PREAD, fd, buf, sizeof(buf), 0, 1);
	pid = fork();
	if (pid == 0) {
		int bad = io_submit(ctx, 1, ptrs) == -1 && errno == EINVAL &&
			  io_getevents(ctx, 0, 1, NULL, NULL) == -1 &&
			  errno == EINVAL && io_destroy(ctx) == -1 &&
			  errno == EINVAL;
		_exit(bad ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	ktap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		"the child of fork has none of the parent's contexts");
	EXPECT_EQ(run1(ctx, &cb), sizeof(buf));
}

/* A child exits with a context open and an event not reaped. */
static void test_exit(int fd)
{
	long nr = read_sysctl("aio-nr");
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		aio_context_t ctx = 0;
		char buf[4];
		struct iocb cb, *ptrs[1] = { &cb };

		prep(&cb, IOCB_CMD_PREAD, fd, buf, sizeof(buf), 0, 1);
		if (io_setup(32, &ctx) || io_submit(ctx, 1, ptrs) != 1)
			_exit(1);
		_exit(read_sysctl("aio-nr") == nr + 32 ? 0 : 2);
	}
	waitpid(pid, &status, 0);
	ktap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		"a child exits with a context open");
	EXPECT_EQ(read_sysctl("aio-nr"), nr);
}

static void test_resfd(aio_context_t ctx, int fd)
{
	struct iocb cbs[5], *ptrs[5];
	struct io_event ev[5];
	char buf[5][4];
	int efd = eventfd(0, EFD_NONBLOCK), i;
	uint64_t count = 0;
	bool ok;

	for (i = 0; i < 5; i++) {
		prep(&cbs[i], IOCB_CMD_PREAD, fd, buf[i], 4, 0, i);
		cbs[i].aio_flags = IOCB_FLAG_RESFD;
		cbs[i].aio_resfd = efd;
		ptrs[i] = &cbs[i];
	}
	EXPECT_EQ(io_submit(ctx, 5, ptrs), 5);
	ok = read(efd, &count, 8) == 8;
	ktap_ok(ok && count == 5, "the eventfd counted 5 completions (%llu)",
		(unsigned long long)count);
	EXPECT_EQ(io_getevents(ctx, 5, 5, ev, NULL), 5);
	cbs[0].aio_resfd = fd; /* not an eventfd */
	EXPECT_ERRNO(io_submit(ctx, 1, ptrs), EINVAL);
	cbs[0].aio_resfd = 999;
	EXPECT_ERRNO(io_submit(ctx, 1, ptrs), EBADF);
	close(efd);
}

int main(void)
{
	aio_context_t ctx = 0;
	int fd;

	ktap_plan(80);
	fd = open(PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ktap_ok(fd >= 0, "open " PATH);
	test_setup_errors();
	EXPECT_SUCCESS(io_setup(128, &ctx));
	ktap_ok(ctx != 0, "the context id is the ring's address");
	test_ring_header(ctx);
	test_rw(ctx, fd);
	test_rwv(ctx, fd);
	test_many(ctx, fd);
	test_getevents(ctx, fd);
	test_ring_fast_path(ctx, fd);
	test_fsync(ctx, fd);
	test_submit_errors(ctx, fd);
	test_resfd(ctx, fd);
	test_fork(ctx, fd);
	test_full_ring(fd);
	test_max_nr();
	test_exit(fd);
	EXPECT_SUCCESS(io_destroy(ctx));
	EXPECT_ERRNO(io_getevents(ctx, 0, 1, NULL, NULL), EINVAL);
	close(fd);
	unlink(PATH);
	return ktap_exit();
}
