/*
 * Writes whose buffer faults: a failed or short write must change
 * exactly the bytes it reports written and nothing else.
 *
 * Each case starts a tmpfs file with known contents, keeps a model of
 * what the file must hold, makes a write from a bad buffer (a kernel
 * address, an unmapped page, or a buffer whose first K bytes are mapped
 * and the rest is not), applies to the model only the bytes the call
 * says it wrote, and compares the whole file with the model byte by
 * byte, size included. The paths: write, pwrite64, writev, pwritev
 * (pwritev2 where the kernel has it), O_APPEND, writes that extend the
 * file or fill a hole, a whole-page overwrite, pipes (no byte the writer
 * did not supply may come out) and sendfile with a bad offset pointer.
 *
 * The straddling buffers check a range, not one count: Linux may stop
 * a few bytes before the fault. What both kernels must agree on is that
 * the count returned and the file's new contents match.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ktap.h"

#define PAGE 4096
#define FILE_MAX (4 * PAGE)
#define KERNEL_ADDR ((void *)0xC0000000UL) /* i386 PAGE_OFFSET */
#define MAPPED 64 /* bytes of a straddling buffer before the hole */
/*
 * File offsets where a straddling buffer lands are multiples of ALIGN,
 * as the buffer itself is: Linux 6.1 on i386 copies misaligned pairs
 * with a routine that reads 64 bytes ahead, faults before copying any
 * byte, and generic_perform_write() then retries forever.
 */
#define ALIGN 8
#define SMALL (2 * ALIGN) /* the size of the small files */

/* What the file under test must hold. */
struct model {
	char data[FILE_MAX];
	size_t size;
};

static char dir[64];
static char *edge; /* one mapped page; the page after it is not mapped */

static char *unmapped(void)
{
	return edge + PAGE;
}

/* A buffer whose first @k bytes (set to @c) end at the unmapped page. */
static char *straddle(size_t k, char c)
{
	char *p = edge + PAGE - k;

	memset(p, c, k);
	return p;
}

/* A fresh file holding @size bytes of a pattern with no zeros in it,
 * open at position 0 (for writing only, with @flags). */
static int model_file(struct model *m, const char *name, size_t size, int flags)
{
	char path[128];
	size_t i;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	for (i = 0; i < size; i++)
		m->data[i] = 'A' + i % 23;
	memset(m->data + size, 0, FILE_MAX - size);
	m->size = size;
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, m->data, size) != (ssize_t)size)
		ktap_diag("cannot set up %s: %s", path, strerror(errno));
	close(fd);
	return open(path, (flags ? O_WRONLY : O_RDWR) | flags);
}

/* The model after a write of @n bytes of @src at @pos. */
static void model_write(struct model *m, off_t pos, const char *src, ssize_t n)
{
	if (n <= 0)
		return;
	memcpy(m->data + pos, src, n);
	if ((size_t)(pos + n) > m->size)
		m->size = pos + n;
}

/* Is the file behind @fd (or @path) byte for byte the model? */
static bool file_is_model(int fd, const struct model *m)
{
	static char got[FILE_MAX + 1];
	struct stat st;
	ssize_t n;
	size_t i;

	if (fstat(fd, &st) < 0)
		return false;
	if ((size_t)st.st_size != m->size) {
		ktap_diag("size %lld, expected %zu", (long long)st.st_size,
			  m->size);
		return false;
	}
	n = pread(fd, got, sizeof(got), 0);
	if (n != (ssize_t)m->size) {
		ktap_diag("pread returned %zd, expected %zu", n, m->size);
		return false;
	}
	for (i = 0; i < m->size; i++) {
		if (got[i] != m->data[i]) {
			ktap_diag("byte %zu is 0x%02x, expected 0x%02x", i,
				  (unsigned char)got[i],
				  (unsigned char)m->data[i]);
			return false;
		}
	}
	return true;
}

/* A straddling write's count: some of the mapped bytes, none past. */
static bool short_count(ssize_t n, size_t mapped)
{
	if (n > 0 && (size_t)n <= mapped)
		return true;
	ktap_diag("returned %zd (errno %s), expected 1..%zu", n,
		  n < 0 ? ktap_errname(errno) : "-", mapped);
	return false;
}

/* A reopened descriptor of the same file, to read what it holds. */
static int reader(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return open(path, O_RDONLY);
}

static void test_write_efault(void)
{
	struct model m;
	int fd;

	fd = model_file(&m, "efault", SMALL, 0);
	lseek(fd, 0, SEEK_SET);
	EXPECT_ERRNO(write(fd, KERNEL_ADDR, 10), EFAULT);
	ktap_ok(file_is_model(fd, &m) && lseek(fd, 0, SEEK_CUR) == 0,
		"write from a kernel address leaves the file untouched");
	EXPECT_ERRNO(write(fd, unmapped(), 10), EFAULT);
	ktap_ok(file_is_model(fd, &m),
		"write from an unmapped page leaves the file untouched");
	EXPECT_ERRNO(pwrite(fd, unmapped(), 10, 3), EFAULT);
	EXPECT_ERRNO(pwrite(fd, KERNEL_ADDR, 10, 3), EFAULT);
	ktap_ok(file_is_model(fd, &m),
		"pwrite64 from bad buffers leaves the file untouched");
	EXPECT_ERRNO(pwrite(fd, unmapped(), 10, 2 * PAGE), EFAULT);
	EXPECT_EQ(pwrite(fd, "x", 0, 2 * PAGE), 0);
	ktap_ok(file_is_model(fd, &m),
		"a failed or empty pwrite past the end does not grow the file");
	close(fd);
}

static void test_write_short(void)
{
	struct model m;
	ssize_t n;
	int fd;

	/* Inside the file: only the copied bytes change. */
	fd = model_file(&m, "inside", 2 * PAGE, 0);
	lseek(fd, 13 * ALIGN, SEEK_SET);
	n = write(fd, straddle(MAPPED, 'x'), 200);
	ktap_ok(short_count(n, MAPPED) &&
			lseek(fd, 0, SEEK_CUR) == 13 * ALIGN + n,
		"a write straddling a hole is short, the position moves by it");
	model_write(&m, 13 * ALIGN, edge + PAGE - MAPPED, n);
	ktap_ok(file_is_model(fd, &m),
		"a short write changes the copied bytes and no others");
	close(fd);

	/* A whole page of live data: the uncopied part keeps its bytes. */
	fd = model_file(&m, "page", 3 * PAGE, 0);
	n = pwrite(fd, straddle(MAPPED, 'y'), PAGE, PAGE);
	model_write(&m, PAGE, edge + PAGE - MAPPED, n);
	ktap_ok(short_count(n, MAPPED) && file_is_model(fd, &m),
		"a short whole-page overwrite keeps the rest of the page");
	close(fd);
}

static void test_write_extend(void)
{
	struct model m;
	ssize_t n;
	int fd;

	/* At the end of the file: the size grows by what was copied. */
	fd = model_file(&m, "grow", SMALL, 0);
	n = pwrite(fd, straddle(MAPPED, 'z'), 200, m.size);
	model_write(&m, m.size, edge + PAGE - MAPPED, n);
	ktap_ok(short_count(n, MAPPED) && file_is_model(fd, &m),
		"a short write at the end grows the file by the bytes copied");
	close(fd);

	/* Past the end, into a hole: zeros up to the new bytes. */
	fd = model_file(&m, "hole", SMALL, 0);
	n = pwrite(fd, straddle(MAPPED, 'h'), 300, 2 * PAGE + ALIGN);
	model_write(&m, 2 * PAGE + ALIGN, edge + PAGE - MAPPED, n);
	ktap_ok(short_count(n, MAPPED) && file_is_model(fd, &m),
		"a short write past the end leaves a hole of zeros");
	close(fd);

	/*
	 * A whole page into a hole, cut short: what lies past the new end
	 * must be zeros when a truncate later exposes it, not garbage.
	 */
	fd = model_file(&m, "fresh", SMALL, 0);
	n = pwrite(fd, straddle(MAPPED, 'f'), PAGE, PAGE);
	model_write(&m, PAGE, edge + PAGE - MAPPED, n);
	ktap_ok(short_count(n, MAPPED) && file_is_model(fd, &m),
		"a short whole-page write into a hole");
	ftruncate(fd, 2 * PAGE);
	m.size = 2 * PAGE;
	ktap_ok(file_is_model(fd, &m),
		"extending it after shows zeros, not uncopied garbage");
	close(fd);
}

static void test_append(void)
{
	struct model m;
	ssize_t n;
	int fd, rd;

	fd = model_file(&m, "append", SMALL, O_APPEND);
	rd = reader("append");
	EXPECT_ERRNO(write(fd, unmapped(), 10), EFAULT);
	ktap_ok(file_is_model(rd, &m),
		"O_APPEND: a failed write does not grow the file");
	n = write(fd, straddle(MAPPED, 'a'), 100);
	model_write(&m, m.size, edge + PAGE - MAPPED, n);
	ktap_ok(short_count(n, MAPPED) && file_is_model(rd, &m),
		"O_APPEND: a short write grows the file by its count");
	close(rd);
	close(fd);
}

static void test_writev(void)
{
	static const char vs[ALIGN] = "vvvvvvvv", ws[] = "wwwww";
	struct iovec iov[3];
	struct model m;
	ssize_t n;
	int fd;

	fd = model_file(&m, "writev", 2 * PAGE, 0);
	iov[0] = (struct iovec){ (void *)vs, ALIGN };
	iov[1] = (struct iovec){ unmapped(), 10 };
	iov[2] = (struct iovec){ (void *)ws, 5 };
	EXPECT_EQ(writev(fd, iov, 3), ALIGN);
	model_write(&m, 0, vs, ALIGN);
	ktap_ok(file_is_model(fd, &m) && lseek(fd, 0, SEEK_CUR) == ALIGN,
		"writev: a faulting middle segment ends it after the first");

	iov[1] = (struct iovec){ straddle(MAPPED, 's'), 100 };
	n = writev(fd, iov, 3);
	model_write(&m, ALIGN, vs, n < ALIGN ? n : ALIGN);
	if (n > ALIGN)
		model_write(&m, 2 * ALIGN, edge + PAGE - MAPPED, n - ALIGN);
	ktap_ok(n > ALIGN && n <= ALIGN + MAPPED && file_is_model(fd, &m),
		"writev: a segment straddling a hole is copied up to it");

	iov[0] = (struct iovec){ unmapped(), 10 };
	EXPECT_ERRNO(pwritev(fd, iov, 3, 50), EFAULT);
	iov[0] = (struct iovec){ (void *)ws, 5 };
	iov[1] = (struct iovec){ KERNEL_ADDR, 5 };
	EXPECT_ERRNO(pwritev(fd, iov, 2, 50), EFAULT);
	ktap_ok(file_is_model(fd, &m) && lseek(fd, 0, SEEK_CUR) == ALIGN + n,
		"pwritev: failed calls change neither file nor position");
	iov[1] = (struct iovec){ unmapped(), 5 };
	EXPECT_EQ(pwritev(fd, iov, 2, 50), 5);
	model_write(&m, 50, ws, 5);
	ktap_ok(file_is_model(fd, &m),
		"pwritev: a faulting second segment writes the first");

	n = syscall(SYS_pwritev2, fd, iov, 2, 60, 0, 0);
	if (n < 0 && errno == ENOSYS) {
		ktap_skip("pwritev2 with a faulting segment", "no pwritev2");
	} else {
		model_write(&m, 60, ws, n);
		ktap_ok(n == 5 && file_is_model(fd, &m),
			"pwritev2 with a faulting segment writes the first");
	}
	close(fd);
}

/* Everything a non-blocking pipe holds now, into @buf. */
static ssize_t drain(int fd, char *buf, size_t size)
{
	ssize_t n, got = 0;

	while ((size_t)got < size && (n = read(fd, buf + got, size - got)) > 0)
		got += n;
	return got;
}

/*
 * Did a pipe write that returned @n (errno @err) queue exactly its count
 * of @want? Linux drops a page it could not fill and answers EFAULT;
 * Kestrel queues what was copied and answers with the count: either is
 * honest, as long as the reader gets what the writer was told.
 */
static bool pipe_got(int rfd, ssize_t n, int err, const char *want)
{
	static char buf[PAGE];
	ssize_t got = drain(rfd, buf, sizeof(buf));

	if (n < 0 ? err == EFAULT && got == 0 :
		    got == n && !memcmp(buf, want, got))
		return true;
	ktap_diag("write returned %zd (%s), the reader got %zd", n,
		  n < 0 ? ktap_errname(err) : "-", got);
	return false;
}

static void test_pipe(void)
{
	struct iovec iov[2];
	char buf[16];
	ssize_t n;
	int p[2];

	if (pipe2(p, O_NONBLOCK) < 0) {
		ktap_ok(0, "pipe2");
		return;
	}
	EXPECT_ERRNO(write(p[1], unmapped(), 10), EFAULT);
	EXPECT_ERRNO(write(p[1], KERNEL_ADDR, 10), EFAULT);
	EXPECT_ERRNO(read(p[0], buf, sizeof(buf)), EAGAIN);

	n = write(p[1], straddle(MAPPED, 'p'), 200);
	ktap_ok(n <= MAPPED && pipe_got(p[0], n, errno, edge + PAGE - MAPPED),
		"pipe: a straddling write queues exactly what it reports");

	iov[0] = (struct iovec){ (void *)"qqqqqqqqqq", 10 };
	iov[1] = (struct iovec){ unmapped(), 10 };
	n = writev(p[1], iov, 2);
	ktap_ok(n <= 10 && pipe_got(p[0], n, errno, "qqqqqqqqqq"),
		"pipe: writev with a faulting segment queues what it reports");
	close(p[0]);
	close(p[1]);
}

static void test_sendfile(void)
{
	struct model m;
	int in, out;

	in = model_file(&m, "sf_in", 100, 0);
	close(in);
	in = reader("sf_in");
	out = model_file(&m, "sf_out", 50, 0);
	EXPECT_ERRNO(sendfile(out, in, (off_t *)unmapped(), 10), EFAULT);
	ktap_ok(file_is_model(out, &m) && lseek(in, 0, SEEK_CUR) == 0,
		"sendfile with a bad offset pointer writes nothing");
	close(in);
	close(out);
}

static int setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/t_write_fault.%d", (int)getpid());
	if (mkdir(dir, 0755) < 0)
		return -1;
	edge = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (edge == MAP_FAILED)
		return -1;
	return munmap(edge + PAGE, PAGE);
}

int main(void)
{
	ktap_plan(36);
	if (setup() < 0) {
		ktap_diag("setup: %s", strerror(errno));
		return 1;
	}
	test_write_efault();
	test_write_short();
	test_write_extend();
	test_append();
	test_writev();
	test_pipe();
	test_sendfile();
	return ktap_exit();
}
