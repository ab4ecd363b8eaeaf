/*
 * File mappings (mm/filemap_fault.c, docs/filemap.md) on tmpfs and a
 * RAM disk, as Linux behaves:
 *
 *  - MAP_PRIVATE reads the file and keeps its writes to itself;
 *    MAP_SHARED writes reach read(), other mappings and other processes;
 *    write() reaches the mappings;
 *  - SIGBUS for a page wholly past the end of the file, and after a
 *    truncation; the tail of the last page reads as zeroes;
 *  - msync, mincore, madvise (DONTNEED, WILLNEED, SEQUENTIAL, RANDOM),
 *    MAP_FIXED, MAP_POPULATE, MAP_SHARED|MAP_ANONYMOUS across fork,
 *    mremap of file and anonymous mappings (in place, moved, fixed);
 *  - /proc/self/maps names the file with its offset, device and inode;
 *  - the errors: EACCES, ENODEV, EBADF, EINVAL, ENOMEM, EBUSY-free
 *    MS_INVALIDATE;
 *  - exec of a program (this one) mapped from the page cache;
 *  - a block device (/dev/ram0) mapped shared; skipped without one.
 *
 * t_filemap (the ext2 suite) runs the common cases on tmpfs and ext2;
 * this one adds the error paths, block devices and mremap's moves.
 */
#include "ktap.h"
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096L
#define PLAN 49

static char dir[64];
static char path[96];

/* A file of @pages pages, byte i of page p being 'a' + p (mod 26). */
static int make_file(const char *name, long pages, int flags)
{
	char page[PAGE];
	int fd;
	long p;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	for (p = 0; p < pages; p++) {
		memset(page, 'a' + p % 26, PAGE);
		if (write(fd, page, PAGE) != PAGE)
			return -1;
	}
	if (flags == O_RDONLY) {
		close(fd);
		fd = open(path, O_RDONLY);
	}
	return fd;
}

/* Run @fn in a child; its termination signal, or 0 for a clean exit. */
static int child_signal(void (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void touch(void *p)
{
	*(volatile char *)p;
}

static void test_private(void)
{
	int fd = make_file("private", 3, O_RDWR);
	char *a, *b, c;

	a = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	b = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	ktap_ok(a != MAP_FAILED && a[0] == 'a' && a[PAGE] == 'b' &&
			a[3 * PAGE - 1] == 'c',
		"MAP_PRIVATE reads the file");
	a[PAGE] = 'X';
	ktap_ok(pread(fd, &c, 1, PAGE) == 1 && c == 'b' && b[PAGE] == 'b',
		"MAP_PRIVATE writes stay private");
	EXPECT_SUCCESS(pwrite(fd, "Y", 1, 2 * PAGE));
	ktap_ok(a[2 * PAGE] == 'Y' && a[PAGE] == 'X',
		"write() shows in an unwritten private page, not a copied one");
	EXPECT_SUCCESS(madvise(a, 3 * PAGE, MADV_DONTNEED));
	ktap_ok(a[PAGE] == 'b', "MADV_DONTNEED drops the private copy");
	munmap(a, 3 * PAGE);
	munmap(b, 3 * PAGE);
	close(fd);
}

static void child_write_shared(void *p)
{
	memcpy((char *)p + 10, "child", 5);
}

static void test_shared(void)
{
	int fd = make_file("shared", 2, O_RDWR);
	char *a, *b, buf[8] = { 0 };

	a = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	b = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, PAGE);
	if (a == MAP_FAILED || b == MAP_FAILED) {
		ktap_ok(false, "MAP_SHARED: %s", strerror(errno));
		ktap_skip("shared_other", "no mapping");
		ktap_skip("shared_fork", "no mapping");
		ktap_skip("shared_msync", "no mapping");
		return;
	}
	memcpy(a + PAGE + 1, "hello", 5);
	ktap_ok(pread(fd, buf, 5, PAGE + 1) == 5 && !memcmp(buf, "hello", 5),
		"MAP_SHARED writes reach read()");
	ktap_ok(!memcmp(b + 1, "hello", 5),
		"MAP_SHARED writes reach another mapping (offset one page)");
	ktap_ok(child_signal(child_write_shared, a) == 0 &&
			!memcmp(a + 10, "child", 5),
		"a child's write through the inherited mapping reaches us");
	EXPECT_SUCCESS(msync(a, 2 * PAGE, MS_SYNC));
	munmap(a, 2 * PAGE);
	munmap(b, 2 * PAGE);
	close(fd);
}

static void test_sigbus(void)
{
	int fd = make_file("sigbus", 1, O_RDWR);
	char *a;

	EXPECT_SUCCESS(ftruncate(fd, 100));
	a = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ktap_ok(a != MAP_FAILED && a[99] == 'a' && a[100] == 0 &&
			a[PAGE - 1] == 0,
		"the tail of the last page reads as zeroes");
	ktap_ok(child_signal(touch, a + PAGE) == SIGBUS,
		"SIGBUS for a page past the end of the file");
	EXPECT_SUCCESS(ftruncate(fd, 3 * PAGE));
	ktap_ok(a[2 * PAGE] == 0 && child_signal(touch, a + 2 * PAGE) == 0,
		"the file grew: no SIGBUS, zeroes");
	a[2 * PAGE] = 'z';
	EXPECT_SUCCESS(ftruncate(fd, PAGE));
	ktap_ok(child_signal(touch, a + 2 * PAGE) == SIGBUS &&
			child_signal(touch, a) == 0,
		"SIGBUS after a truncation, not before the new end");
	munmap(a, 3 * PAGE);
	close(fd);
}

static void test_errors(void)
{
	int fd = make_file("errors", 2, O_RDONLY), wfd, p[2];
	char *a;

	EXPECT_ERRNO(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			  0),
		     EACCES);
	a = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	ktap_ok(a != MAP_FAILED, "MAP_SHARED read-only of an O_RDONLY file");
	EXPECT_ERRNO(mprotect(a, PAGE, PROT_READ | PROT_WRITE), EACCES);
	munmap(a, PAGE);
	a = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	ktap_ok(a != MAP_FAILED, "MAP_PRIVATE writable of an O_RDONLY file");
	munmap(a, PAGE);
	wfd = open(path, O_WRONLY);
	EXPECT_ERRNO(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, wfd, 0), EACCES);
	close(wfd);
	EXPECT_ERRNO(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 100), EINVAL);
	EXPECT_ERRNO(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 999, 0), EBADF);
	EXPECT_ERRNO(mmap(NULL, 0, PROT_READ, MAP_PRIVATE, fd, 0), EINVAL);
	if (pipe(p) == 0) {
		EXPECT_ERRNO(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, p[0], 0),
			     ENODEV);
		close(p[0]);
		close(p[1]);
	} else {
		ktap_skip("enodev", "pipe: %s", strerror(errno));
	}
	close(fd);
}

static void test_msync_errors(void)
{
	char *a = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	munmap(a + PAGE, PAGE);
	EXPECT_ERRNO(msync(a + 1, PAGE, MS_SYNC), EINVAL);
	EXPECT_ERRNO(msync(a, PAGE, MS_SYNC | MS_ASYNC), EINVAL);
	EXPECT_ERRNO(msync(a, PAGE, 8), EINVAL);
	EXPECT_ERRNO(msync(a, 3 * PAGE, MS_ASYNC), ENOMEM);
	EXPECT_SUCCESS(msync(a, PAGE, MS_INVALIDATE));
	munmap(a, 3 * PAGE);
}

static void test_mincore(void)
{
	int fd = make_file("mincore", 4, O_RDWR);
	unsigned char vec[4] = { 9, 9, 9, 9 };
	char *a, *anon;

	a = mmap(NULL, 4 * PAGE, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	ktap_ok(a != MAP_FAILED && mincore(a, 4 * PAGE, vec) == 0 &&
			(vec[0] & vec[1] & vec[2] & vec[3] & 1),
		"mincore: a populated file mapping is resident");
	anon = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	anon[PAGE] = 1;
	ktap_ok(mincore(anon, 2 * PAGE, vec) == 0 && !(vec[0] & 1) &&
			(vec[1] & 1),
		"mincore: untouched anonymous page absent, written present");
	EXPECT_ERRNO(mincore(a + 1, PAGE, vec), EINVAL);
	munmap(anon, 2 * PAGE);
	EXPECT_ERRNO(mincore(anon, PAGE, vec), ENOMEM);
	EXPECT_ERRNO(mincore(a, PAGE, (unsigned char *)8), EFAULT);
	ktap_ok(madvise(a, 4 * PAGE, MADV_WILLNEED) == 0 &&
			madvise(a, 4 * PAGE, MADV_SEQUENTIAL) == 0 &&
			madvise(a, 4 * PAGE, MADV_RANDOM) == 0 &&
			a[3 * PAGE] == 'd',
		"madvise WILLNEED, SEQUENTIAL, RANDOM on a file mapping");
	munmap(a, 4 * PAGE);
	close(fd);
}

static void test_fixed(void)
{
	int fd = make_file("fixed", 2, O_RDWR);
	char *anon, *a;

	anon = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(anon, 'q', 4 * PAGE);
	a = mmap(anon + PAGE, 2 * PAGE, PROT_READ, MAP_SHARED | MAP_FIXED, fd,
		 0);
	ktap_ok(a == anon + PAGE && anon[0] == 'q' && a[0] == 'a' &&
			a[PAGE] == 'b' && anon[3 * PAGE] == 'q',
		"MAP_FIXED puts the file in the middle of a mapping");
	munmap(anon, 4 * PAGE);
	close(fd);
}

/* The maps line of @addr: offset, device, inode and path. */
static void test_maps(void)
{
	int fd = make_file("maps", 3, O_RDWR);
	char line[512], name[256], perms[8];
	unsigned long start, end, off, ino;
	unsigned int maj, min;
	bool found = false;
	struct stat st;
	FILE *f;
	char *a;

	a = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, PAGE);
	fstat(fd, &st);
	f = fopen("/proc/self/maps", "r");
	while (f && a != MAP_FAILED && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %7s %lx %x:%x %lu %255s", &start,
			   &end, perms, &off, &maj, &min, &ino, name) != 8 ||
		    start != (unsigned long)a)
			continue;
		found = end == start + 2 * PAGE && !strcmp(perms, "r--s") &&
			off == PAGE && maj == major(st.st_dev) &&
			min == minor(st.st_dev) && ino == st.st_ino &&
			!strcmp(name, path);
		if (!found)
			ktap_diag("maps: %s", line);
	}
	if (f)
		fclose(f);
	ktap_ok(found, "/proc/self/maps: offset, device, inode and path");
	munmap(a, 2 * PAGE);
	close(fd);
}

static void test_mremap(void)
{
	int fd = make_file("mremap", 4, O_RDWR);
	char *a, *b, *anon, *hole;

	a = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
	/* A hole after it, so that it can only grow by moving. */
	hole = mmap(a + PAGE, PAGE, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	EXPECT_ERRNO(mremap(a, PAGE, 3 * PAGE, 0), ENOMEM);
	b = mremap(a, PAGE, 3 * PAGE, MREMAP_MAYMOVE);
	ktap_ok(b != MAP_FAILED && b != a && b[0] == 'b' && b[PAGE] == 'c' &&
			b[2 * PAGE] == 'd',
		"mremap moves a file mapping, keeping its offset");
	munmap(hole, PAGE);
	anon = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	anon[0] = 'x';
	anon[PAGE] = 'y';
	a = mremap(anon, 2 * PAGE, PAGE, 0);
	ktap_ok(a == anon && a[0] == 'x', "mremap shrinks in place");
	hole = mmap(NULL, 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		    0);
	a = mremap(b, 3 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, hole);
	ktap_ok(a == hole && a[0] == 'b' && a[PAGE] == 'c',
		"MREMAP_FIXED moves to the given address, replacing it");
	EXPECT_ERRNO(mremap(anon + 1, PAGE, PAGE, 0), EINVAL);
	EXPECT_ERRNO(mremap(anon, PAGE, PAGE, MREMAP_FIXED, anon), EINVAL);
	EXPECT_ERRNO(mremap(anon + PAGE, PAGE, 2 * PAGE, MREMAP_MAYMOVE),
		     EFAULT);
	munmap(anon, PAGE);
	munmap(a, 2 * PAGE);
	close(fd);
}

static void test_shared_anon(void)
{
	char *a = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	ktap_ok(a != MAP_FAILED && child_signal(child_write_shared, a) == 0 &&
			!memcmp(a + 10, "child", 5),
		"MAP_SHARED|MAP_ANONYMOUS: the child's write reaches us");
	munmap(a, PAGE);
}

/* exec of this program, mapped from the page cache, checks its own map. */
static int exec_child(void)
{
	char line[512], self[256];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	if (n <= 0 || !f)
		return 2;
	self[n] = 0;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, self) && strstr(line, "r-xp"))
			found = 1;
	return found ? 42 : 3;
}

static void test_exec(const char *argv0)
{
	pid_t pid = fork();
	int status = 0;

	if (pid == 0) {
		execl("/proc/self/exe", "t_mmap_file", "exec-child", NULL);
		execl(argv0, "t_mmap_file", "exec-child", NULL);
		_exit(1);
	}
	waitpid(pid, &status, 0);
	ktap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 42,
		"exec maps the program's text from its file (status %#x)",
		status);
}

static void test_blockdev(void)
{
	int fd = open("/dev/ram0", O_RDWR);
	char *a, buf[4] = { 0 };

	if (fd < 0) {
		ktap_skip("blockdev", "/dev/ram0: %s", strerror(errno));
		return;
	}
	a = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PAGE);
	if (a == MAP_FAILED) {
		ktap_ok(false, "mmap /dev/ram0: %s", strerror(errno));
		close(fd);
		return;
	}
	memcpy(a + 5, "blk", 3);
	msync(a, 2 * PAGE, MS_SYNC);
	ktap_ok(pread(fd, buf, 3, PAGE + 5) == 3 && !memcmp(buf, "blk", 3),
		"a shared mapping of a block device reaches read()");
	munmap(a, 2 * PAGE);
	close(fd);
}

static void cleanup(void)
{
	static const char *const names[] = { "private", "shared",  "sigbus",
					     "errors",	"mincore", "fixed",
					     "maps",	"mremap" };
	char name[128];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(name, sizeof(name), "%s/%s", dir, names[i]);
		unlink(name);
	}
	rmdir(dir);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exec-child"))
		return exec_child();
	ktap_plan(PLAN);
	snprintf(dir, sizeof(dir), "/tmp/t_mmap_file.%d", (int)getpid());
	if (mkdir(dir, 0755) < 0) {
		ktap_diag("mkdir %s: %s", dir, strerror(errno));
		return 1;
	}
	test_private();
	test_shared();
	test_sigbus();
	test_errors();
	test_msync_errors();
	test_mincore();
	test_fixed();
	test_maps();
	test_mremap();
	test_shared_anon();
	test_exec(argv[0]);
	test_blockdev();
	cleanup();
	return ktap_exit();
}
