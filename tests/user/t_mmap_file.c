/*
<<<<<<< HEAD
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
 * ext2 files are tested by the ext2 suite.
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
=======
 * Tier-3 test of file mappings (issue 13), on tmpfs and on ext2 (kxfm,
 * partition 3 of the disk at 2.0 in the ext2 boot: tests/user/ext2.h;
 * without that boot only the tmpfs half runs, the ext2 half skips).
 * On each file system, with a file of 4 pages of pattern data:
 *
 *  - MAP_SHARED: a store through the mapping is seen by read(); a
 *    write() is seen through the mapping; another process's own mapping
 *    sees the first's stores and the first sees the other's;
 *  - MAP_PRIVATE: stores are copied on write: the file, a shared mapping
 *    and read() do not see them;
 *  - after ftruncate to 1 page and 100 bytes: the rest of the last page
 *    reads as zeros, the next page gives SIGBUS;
 *  - msync MS_SYNC, MS_ASYNC, MS_INVALIDATE succeed; MS_SYNC|MS_ASYNC and
 *    an unaligned address give EINVAL, an unmapped range ENOMEM;
 *  - mremap grows a mapping of 1 page to 4 (moving it if need be): the
 *    new pages show the file; mincore says a touched page is resident,
 *    EINVAL for an unaligned address, ENOMEM for an unmapped range;
 *  - MAP_FIXED of the file's third page over an anonymous mapping;
 *    MAP_POPULATE: every page resident before the first touch;
 *  - madvise: MADV_DONTNEED drops a private copy (the file's data shows
 *    again) and keeps a shared store (it is the file's); WILLNEED,
 *    SEQUENTIAL and RANDOM succeed;
 *  - /proc/self/maps shows the mapping as Linux prints it: "rw-s", the
 *    offset (00001000), the device as major:minor in hex, the inode
 *    number and the path;
 *  - exec of a static program stored on it: on ext2 bin/busybox, put
 *    in the image by the harness; on tmpfs a copy of this program.
 *
<<<<<<<< HEAD:tests/user/t_filemap.c
 * Then MAP_SHARED|MAP_ANONYMOUS between a parent and its forked child,
 * both ways. Last, on ext2, shared.bin (5 pages) is written only through
 * a mapping, msync'ed and unmapped, and the file system unmounted: after
 * power-off the harness reads it with debugfs (scripts/run-tests,
 * check_filemap_image()) and e2fsck -fn must find kxfm clean.
========
 * t_filemap (the ext2 suite) runs the common cases on tmpfs and ext2;
 * this one adds the error paths, block devices and mremap's moves.
>>>>>>>> fff787d (t_filemap -> t_mmap_file: the ext2 suite has its own t_filemap (tmpfs and ext2); this one keeps the error paths, the RAM disk and mremap):tests/user/t_mmap_file.c
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ext2.h"
#include "ktap.h"

#define PER_FS 12
#define PLAN (2 * PER_FS + 3)
#define PAGE 4096
#define FILE_PAGES 4
#define SHARED_PAGES 5
#define SHARED_SEED 30

static const char *dir; /* the file system's directory */
static char file[PATH_MAX];
static sigjmp_buf jump;

static void on_fault(int sig)
{
	siglongjmp(jump, sig);
}

/* Read (or write, with @store) the byte at @p: the signal it raised,
 * or 0. */
static int touch(volatile char *p, bool store)
{
	int sig = sigsetjmp(jump, 1);

	if (sig)
		return sig;
	if (store)
		*p = 1;
	else
		(void)*p;
	return 0;
}

/* Did a call returning @ret fail with @err? */
static bool fails(long ret, int err)
{
	return ret == -1 && errno == err;
}

/* A fresh file of @pages pages of pattern @seed; its fd, or -1. */
static int fresh_file(int pages, uint32_t seed)
{
	static char buf[PAGE * FILE_PAGES];
	int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);

	ext2_pattern(buf, seed, 0, (size_t)pages * PAGE);
	if (fd >= 0 &&
	    write(fd, buf, (size_t)pages * PAGE) != (ssize_t)pages * PAGE) {
		close(fd);
		fd = -1;
>>>>>>> fff787d (t_filemap -> t_mmap_file: the ext2 suite has its own t_filemap (tmpfs and ext2); this one keeps the error paths, the RAM disk and mremap)
	}
	return fd;
}

<<<<<<< HEAD
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
=======
static char *map(int fd, int pages, int flags, off_t off)
{
	char *p = mmap(NULL, (size_t)pages * PAGE, PROT_READ | PROT_WRITE,
		       flags, fd, off);

	return p == MAP_FAILED ? NULL : p;
}

static bool shared_and_read(void)
{
	int fd = fresh_file(FILE_PAGES, 20);
	char *p = map(fd, FILE_PAGES, MAP_SHARED, 0), got[16];
	bool ok = p != NULL;

	if (ok) {
		memcpy(p + PAGE + 10, "mapped-store", 12);
		ok = pread(fd, got, 12, PAGE + 10) == 12 &&
		     !memcmp(got, "mapped-store", 12) &&
		     pwrite(fd, "written", 7, 2 * PAGE + 5) == 7 &&
		     !memcmp(p + 2 * PAGE + 5, "written", 7);
		munmap(p, FILE_PAGES * PAGE);
	}
	close(fd);
	return ok;
}

static bool two_processes(void)
{
	int fd = fresh_file(FILE_PAGES, 21), go[2], back[2], status;
	char *p = map(fd, FILE_PAGES, MAP_SHARED, 0), c = 0;
	bool ok = p && !pipe(go) && !pipe(back);
	pid_t pid;

	if (!ok)
		return false;
	pid = fork();
	if (pid == 0) {
		int cfd = open(file, O_RDWR);
		char *q = map(cfd, FILE_PAGES, MAP_SHARED, 0);

		if (!q || read(go[0], &c, 1) != 1 ||
		    memcmp(q + 3 * PAGE, "from-parent", 11))
			_exit(1);
		memcpy(q + 100, "from-child", 10);
		_exit(write(back[1], "x", 1) == 1 ? 0 : 1);
	}
	memcpy(p + 3 * PAGE, "from-parent", 11);
	ok = write(go[1], "x", 1) == 1 && read(back[0], &c, 1) == 1 &&
	     !memcmp(p + 100, "from-child", 10);
	waitpid(pid, &status, 0);
	munmap(p, FILE_PAGES * PAGE);
	close(fd);
	return ok && WIFEXITED(status) && !WEXITSTATUS(status);
}

/* The end of a case with two mappings of @fd: unmap, close, @ok. */
static bool unmap_both(int fd, char *a, char *b, bool ok)
{
	if (a)
		munmap(a, FILE_PAGES * PAGE);
	if (b)
		munmap(b, FILE_PAGES * PAGE);
	close(fd);
	return ok;
}

static bool private_cow(void)
{
	int fd = fresh_file(FILE_PAGES, 22);
	char *priv = map(fd, FILE_PAGES, MAP_PRIVATE, 0);
	char *shared = map(fd, FILE_PAGES, MAP_SHARED, 0);
	char want[PAGE], got[PAGE];
	bool ok = priv && shared;

	ext2_pattern(want, 22, PAGE, PAGE);
	if (ok) {
		memset(priv + PAGE, 'P', PAGE);
		ok = pread(fd, got, PAGE, PAGE) == PAGE &&
		     !memcmp(got, want, PAGE) &&
		     !memcmp(shared + PAGE, want, PAGE) &&
		     priv[PAGE + 7] == 'P';
	}
	return unmap_both(fd, priv, shared, ok);
}

static bool sigbus_past_eof(void)
{
	int fd = fresh_file(FILE_PAGES, 23);
	char *p = map(fd, FILE_PAGES, MAP_SHARED, 0);
	bool ok = p && !ftruncate(fd, PAGE + 100);

	if (ok) {
		ok = touch(p + PAGE + 50, false) == 0 && p[PAGE + 200] == 0 &&
		     p[2 * PAGE - 1] == 0 &&
		     touch(p + 2 * PAGE, false) == SIGBUS &&
		     touch(p + 3 * PAGE + 9, true) == SIGBUS;
		munmap(p, FILE_PAGES * PAGE);
	}
	close(fd);
	return ok;
}

static bool msync_flags(void)
{
	int fd = fresh_file(FILE_PAGES, 24);
	char *p = map(fd, FILE_PAGES, MAP_SHARED, 0);
	bool ok = p != NULL;

	if (ok) {
		p[0] = 'S';
		ok = !msync(p, FILE_PAGES * PAGE, MS_SYNC) &&
		     !msync(p, PAGE, MS_ASYNC) &&
		     !msync(p, FILE_PAGES * PAGE, MS_INVALIDATE);
		ok = ok && fails(msync(p, PAGE, MS_SYNC | MS_ASYNC), EINVAL) &&
		     fails(msync(p + 1, PAGE, MS_SYNC), EINVAL);
		munmap(p, FILE_PAGES * PAGE);
		ok = ok && fails(msync(p, PAGE, MS_SYNC), ENOMEM);
	}
	close(fd);
	return ok;
}

static bool mremap_mincore(void)
{
	int fd = fresh_file(FILE_PAGES, 25);
	char *p = map(fd, 1, MAP_SHARED, 0), *q, want[PAGE];
	unsigned char vec[FILE_PAGES];
	bool ok = p != NULL;

	if (!ok)
		return false;
	q = mremap(p, PAGE, FILE_PAGES * PAGE, MREMAP_MAYMOVE);
	ext2_pattern(want, 25, 3 * PAGE, PAGE);
	ok = q != MAP_FAILED && !memcmp(q + 3 * PAGE, want, PAGE);
	if (ok) {
		(void)*(volatile char *)q;
		ok = !mincore(q, FILE_PAGES * PAGE, vec) && (vec[0] & 1) &&
		     (vec[3] & 1);
		ok = ok && fails(mincore(q + 1, PAGE, vec), EINVAL);
		munmap(q, FILE_PAGES * PAGE);
		ok = ok && fails(mincore(q, PAGE, vec), ENOMEM);
	}
	close(fd);
	return ok;
}

static bool madvise_file(void)
{
	int fd = fresh_file(FILE_PAGES, 26);
	char *priv = map(fd, FILE_PAGES, MAP_PRIVATE, 0);
	char *shared = map(fd, FILE_PAGES, MAP_SHARED, 0), want[PAGE];
	bool ok = priv && shared;

	ext2_pattern(want, 26, 0, PAGE);
	if (ok) {
		memset(priv, 'X', PAGE);
		memcpy(shared + PAGE, "kept", 4);
		ok = !madvise(priv, FILE_PAGES * PAGE, MADV_DONTNEED) &&
		     !memcmp(priv, want, PAGE) &&
		     !madvise(shared, FILE_PAGES * PAGE, MADV_DONTNEED) &&
		     !memcmp(shared + PAGE, "kept", 4) &&
		     !memcmp(priv + PAGE, "kept", 4) &&
		     !madvise(shared, FILE_PAGES * PAGE, MADV_WILLNEED) &&
		     !madvise(shared, FILE_PAGES * PAGE, MADV_SEQUENTIAL) &&
		     !madvise(shared, FILE_PAGES * PAGE, MADV_RANDOM);
	}
	return unmap_both(fd, priv, shared, ok);
}

/* MAP_FIXED over an anonymous mapping puts the file's page 2 there;
 * MAP_POPULATE makes every page resident before the first touch. */
static bool fixed_populate(void)
{
	int fd = fresh_file(FILE_PAGES, 28);
	char *anon = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *p, want[PAGE];
	unsigned char vec[FILE_PAGES];
	bool ok = fd >= 0 && anon != MAP_FAILED;

	ext2_pattern(want, 28, 2 * PAGE, PAGE);
	if (ok) {
		p = mmap(anon + PAGE, PAGE, PROT_READ, MAP_SHARED | MAP_FIXED,
			 fd, 2 * PAGE);
		ok = p == anon + PAGE && !memcmp(p, want, PAGE) && anon[0] == 0;
		munmap(anon, 2 * PAGE);
	}
	p = ok ? map(fd, FILE_PAGES, MAP_SHARED | MAP_POPULATE, 0) : NULL;
	ok = ok && p && !mincore(p, FILE_PAGES * PAGE, vec) &&
	     (vec[0] & vec[1] & vec[2] & vec[3] & 1);
	if (p)
		munmap(p, FILE_PAGES * PAGE);
	if (fd >= 0)
		close(fd);
	return ok;
}

static bool proc_maps_line(void)
{
	int fd = fresh_file(FILE_PAGES, 27);
	char *p = map(fd, 2, MAP_SHARED, PAGE), line[512], want[512];
	char real[PATH_MAX];
	struct stat st;
	bool found = false;
	FILE *f;

	if (!p || fstat(fd, &st) || !realpath(file, real))
		return false;
	snprintf(want, sizeof(want), "%08lx-%08lx rw-s 00001000 %02x:%02x %lu",
		 (unsigned long)p, (unsigned long)p + 2 * PAGE,
		 major(st.st_dev), minor(st.st_dev), (unsigned long)st.st_ino);
	f = fopen("/proc/self/maps", "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *path = strchr(line, '/');

		if (strncmp(line, want, strlen(want)) || !path)
			continue;
		line[strcspn(line, "\n")] = '\0';
		found = !strcmp(path, real);
>>>>>>> fff787d (t_filemap -> t_mmap_file: the ext2 suite has its own t_filemap (tmpfs and ext2); this one keeps the error paths, the RAM disk and mremap)
		if (!found)
			ktap_diag("maps: %s", line);
	}
	if (f)
		fclose(f);
<<<<<<< HEAD
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
		execl("/proc/self/exe", "t_filemap", "exec-child", NULL);
		execl(argv0, "t_filemap", "exec-child", NULL);
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
=======
	if (!found)
		ktap_diag("no line \"%s ... %s\"", want, real);
	munmap(p, 2 * PAGE);
	close(fd);
	return found;
}

/* Run @path with @argv, its output in @out; the exit status or -1. */
static int run(const char *path, char *const argv[], char *out, size_t size)
{
	int fds[2], status;
	ssize_t n, got = 0;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
<<<<<<<< HEAD:tests/user/t_filemap.c
		dup2(fds[1], 1);
		execv(path, argv);
		_exit(127);
	}
	close(fds[1]);
	while ((n = read(fds[0], out + got, size - 1 - got)) > 0)
		got += n;
	out[got] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* On ext2, run bin/busybox from the image; elsewhere copy this program
 * to @dir and run it (it exits 42: main()). */
static bool exec_stored(bool ext2)
{
	char path[PATH_MAX], out[128];
	char *bb[] = { "busybox", "echo", "run-from-ext2", NULL };
	char *self[] = { "t_filemap", "--exit-42", NULL };
	static char buf[1 << 16];
	int in, fd;
	ssize_t n;

	if (ext2) {
		snprintf(path, sizeof(path), "%s/bin/busybox", dir);
		return run(path, bb, out, sizeof(out)) == 0 &&
		       !strcmp(out, "run-from-ext2\n");
	}
	snprintf(path, sizeof(path), "%s/self", dir);
	in = open("/proc/self/exe", O_RDONLY);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	while (in >= 0 && fd >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, n) != n)
			break;
	if (in >= 0)
		close(in);
	if (fd < 0 || close(fd))
		return false;
	return run(path, self, out, sizeof(out)) == 42 && !unlink(path);
}

static void one_fs(const char *name, const char *root, bool ext2)
{
	dir = root;
	snprintf(file, sizeof(file), "%s/fm-file", dir);
	ktap_ok(shared_and_read(),
		"%s: MAP_SHARED stores seen by read, "
		"write seen by the mapping",
		name);
	ktap_ok(two_processes(), "%s: another process's mapping", name);
	ktap_ok(private_cow(), "%s: MAP_PRIVATE copies on write", name);
	ktap_ok(sigbus_past_eof(), "%s: SIGBUS past EOF after truncation",
		name);
	ktap_ok(msync_flags(), "%s: msync", name);
	ktap_ok(mremap_mincore(), "%s: mremap and mincore", name);
	ktap_ok(madvise_file(), "%s: madvise", name);
	ktap_ok(fixed_populate(), "%s: MAP_FIXED and MAP_POPULATE", name);
	ktap_ok(proc_maps_line(), "%s: /proc/self/maps line", name);
	ktap_ok(exec_stored(ext2),
		"%s: exec of a static program stored "
		"there",
		name);
	ktap_ok(!unlink(file), "%s: unlink of the mapped file", name);
	ktap_ok(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, -1, 0) == MAP_FAILED &&
			errno == EBADF,
		"%s: MAP_SHARED of a bad fd: EBADF", name);
}

static bool anon_shared(void)
{
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status;
	pid_t pid;

	if (p == MAP_FAILED)
		return false;
	strcpy(p, "parent");
	pid = fork();
	if (pid == 0) {
		if (strcmp(p, "parent"))
			_exit(1);
		strcpy(p + 100, "child");
		_exit(0);
========
		execl("/proc/self/exe", "t_mmap_file", "exec-child", NULL);
		execl(argv0, "t_mmap_file", "exec-child", NULL);
		_exit(1);
>>>>>>>> fff787d (t_filemap -> t_mmap_file: the ext2 suite has its own t_filemap (tmpfs and ext2); this one keeps the error paths, the RAM disk and mremap):tests/user/t_mmap_file.c
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && !WEXITSTATUS(status) &&
	       !strcmp(p + 100, "child") && !munmap(p, PAGE);
}

/* shared.bin on ext2, written through a mapping only (the harness reads
 * it back after power-off). */
static bool shared_for_host(void)
{
	char path[PATH_MAX];
	int fd;
	char *p;

	snprintf(path, sizeof(path), "%s/shared.bin", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, SHARED_PAGES * PAGE))
		return false;
	p = map(fd, SHARED_PAGES, MAP_SHARED, 0);
	close(fd);
	if (!p)
		return false;
	ext2_pattern(p, SHARED_SEED, 0, SHARED_PAGES * PAGE);
	return !msync(p, SHARED_PAGES * PAGE, MS_SYNC) &&
	       !munmap(p, SHARED_PAGES * PAGE) && !umount(dir);
>>>>>>> fff787d (t_filemap -> t_mmap_file: the ext2 suite has its own t_filemap (tmpfs and ext2); this one keeps the error paths, the RAM disk and mremap)
}

int main(int argc, char **argv)
{
<<<<<<< HEAD
	if (argc > 1 && !strcmp(argv[1], "exec-child"))
		return exec_child();
	ktap_plan(PLAN);
	snprintf(dir, sizeof(dir), "/tmp/t_filemap.%d", (int)getpid());
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
=======
	struct sigaction sa = { .sa_handler = on_fault };

	if (argc > 1 && !strcmp(argv[1], "--exit-42"))
		return 42;
	ktap_plan(PLAN);
<<<<<<<< HEAD:tests/user/t_filemap.c
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	mkdir("/mnt", 0755);
	mkdir("/mnt/fm-tmpfs", 0755);
	if (mount("tmpfs", "/mnt/fm-tmpfs", "tmpfs", 0, NULL))
		ktap_diag("mount tmpfs: %s", ktap_errname(errno));
	one_fs("tmpfs", "/mnt/fm-tmpfs", false);
	umount("/mnt/fm-tmpfs");
	ktap_ok(anon_shared(), "MAP_SHARED|MAP_ANONYMOUS across fork");
	/* The ext2 half: its mount, PER_FS cases, shared.bin. */
	if (!ext2_boot()) {
		for (int i = 0; i < PER_FS + 2; i++)
			ktap_skip("ext2", "not the ext2 boot (no kt_ext2=)");
		return ktap_exit();
========
	snprintf(dir, sizeof(dir), "/tmp/t_mmap_file.%d", (int)getpid());
	if (mkdir(dir, 0755) < 0) {
		ktap_diag("mkdir %s: %s", dir, strerror(errno));
		return 1;
>>>>>>>> fff787d (t_filemap -> t_mmap_file: the ext2 suite has its own t_filemap (tmpfs and ext2); this one keeps the error paths, the RAM disk and mremap):tests/user/t_mmap_file.c
	}
	if (!ktap_ok(!ext2_mount(&EXT2_FM, "/mnt/kxfm", 0),
		     "ext2: mount kxfm")) {
		ktap_diag("mount: %s", ktap_errname(errno));
		for (int i = 0; i < PER_FS + 1; i++)
			ktap_ok(false, "ext2: not mounted");
		return ktap_exit();
	}
	one_fs("ext2", "/mnt/kxfm", true);
	ktap_ok(shared_for_host(), "ext2: shared.bin written through a "
				   "mapping, msync, umount");
>>>>>>> fff787d (t_filemap -> t_mmap_file: the ext2 suite has its own t_filemap (tmpfs and ext2); this one keeps the error paths, the RAM disk and mremap)
	return ktap_exit();
}
