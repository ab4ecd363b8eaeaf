/*
 * The file system calls of the VFS core on a scratch directory in /tmp:
 * open/read/write/lseek/close and their offsets, the errors every path
 * walk can produce (ENOENT, ENOTDIR, EISDIR, EEXIST, ENAMETOOLONG, ELOOP
 * and Linux's 40-link limit), EBADF, EMFILE at RLIMIT_NOFILE, the dup
 * family and close-on-exec flags, vectored and positioned I/O, directory
 * listing with getdents64, and the permission check for a non-root user.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"
#include "util.h"

static void test_basic_io(void)
{
	char buf[32];
	struct stat st;
	int fd;

	fd = open(at("a"), O_RDWR | O_CREAT | O_EXCL, 0644);
	ktap_ok(fd >= 0, "open O_CREAT|O_EXCL creates a file");
	EXPECT_EQ(write(fd, "0123456789", 10), 10);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 10);
	EXPECT_EQ(lseek(fd, 0, SEEK_SET), 0);
	memset(buf, 0, sizeof(buf));
	ktap_ok(read(fd, buf, sizeof(buf)) == 10 &&
			!memcmp(buf, "0123456789", 10),
		"read returns what was written");
	EXPECT_EQ(read(fd, buf, sizeof(buf)), 0);
	EXPECT_EQ(lseek(fd, -3, SEEK_END), 7);
	ktap_ok(read(fd, buf, 2) == 2 && !memcmp(buf, "78", 2),
		"read after SEEK_END-3");
	EXPECT_EQ(lseek(fd, 4096, SEEK_SET), 4096);
	EXPECT_EQ(write(fd, "Z", 1), 1);
	ktap_ok(fstat(fd, &st) == 0 && st.st_size == 4097 &&
			S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0644 &&
			st.st_nlink == 1,
		"fstat: size 4097, regular, mode 0644, one link");
	ktap_ok(pread(fd, buf, 4, 100) == 4 && !memcmp(buf, "\0\0\0\0", 4),
		"a hole reads as zeros");
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 4097);
	ktap_ok(pwrite(fd, "ab", 2, 1) == 2 && pread(fd, buf, 3, 0) == 3 &&
			!memcmp(buf, "0ab", 3),
		"pwrite and pread at an offset");
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 4097);
	EXPECT_ERRNO(lseek(fd, -1, SEEK_SET), EINVAL);
	EXPECT_ERRNO(lseek(fd, 0, 99), EINVAL);
	EXPECT_SUCCESS(ftruncate(fd, 5));
	ktap_ok(fstat(fd, &st) == 0 && st.st_size == 5, "ftruncate shrinks");
	EXPECT_SUCCESS(close(fd));

	fd = open(at("a"), O_WRONLY | O_APPEND);
	write(fd, "XY", 2);
	close(fd);
	fd = open(at("a"), O_RDONLY);
	ktap_ok(read(fd, buf, 16) == 7 && !memcmp(buf, "0ab34XY", 7),
		"O_APPEND writes at the end");
	close(fd);
	fd = open(at("a"), O_RDWR | O_TRUNC);
	ktap_ok(fstat(fd, &st) == 0 && st.st_size == 0, "O_TRUNC empties");
	close(fd);
}

static void test_ebadf(void)
{
	char c;
	struct stat st;
	int fd;

	EXPECT_ERRNO(read(-1, &c, 1), EBADF);
	EXPECT_ERRNO(write(1000000, &c, 1), EBADF);
	EXPECT_ERRNO(close(-1), EBADF);
	EXPECT_ERRNO(fstat(999, &st), EBADF);
	fd = open(at("a"), O_RDONLY);
	close(fd);
	EXPECT_ERRNO(close(fd), EBADF);
	fd = open(at("a"), O_WRONLY);
	EXPECT_ERRNO(read(fd, &c, 1), EBADF);
	close(fd);
	fd = open(at("a"), O_RDONLY);
	EXPECT_ERRNO(write(fd, &c, 1), EBADF);
	close(fd);
	EXPECT_ERRNO(lseek(-5, 0, SEEK_SET), EBADF);
}

static void test_path_errors(void)
{
	struct stat st;
	char *longname, *longpath;
	int fd;

	EXPECT_ERRNO(open(at("missing"), O_RDONLY), ENOENT);
	EXPECT_ERRNO(open(at("nodir/x"), O_RDWR | O_CREAT, 0644), ENOENT);
	EXPECT_ERRNO(stat("", &st), ENOENT);
	EXPECT_ERRNO(unlink(at("missing")), ENOENT);

	EXPECT_ERRNO(open(at("a/x"), O_RDONLY), ENOTDIR);
	EXPECT_ERRNO(open(at("a"), O_RDONLY | O_DIRECTORY), ENOTDIR);
	EXPECT_ERRNO(mkdir(at("a/sub"), 0755), ENOTDIR);
	EXPECT_ERRNO(rmdir(at("a")), ENOTDIR);
	EXPECT_ERRNO(stat(at("a/"), &st), ENOTDIR);

	EXPECT_SUCCESS(mkdir(at("d"), 0755));
	EXPECT_ERRNO(open(at("d"), O_WRONLY), EISDIR);
	EXPECT_ERRNO(open(at("d"), O_RDWR | O_CREAT, 0644), EISDIR);
	fd = open(at("d"), O_RDONLY | O_DIRECTORY);
	{
		char c;

		EXPECT_ERRNO(read(fd, &c, 1), EISDIR);
	}
	close(fd);
	EXPECT_ERRNO(unlink(at("d")), EISDIR);

	EXPECT_ERRNO(open(at("a"), O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
	EXPECT_ERRNO(mkdir(at("d"), 0755), EEXIST);
	EXPECT_ERRNO(symlink("whatever", at("a")), EEXIST);
	EXPECT_ERRNO(link(at("a"), at("d")), EEXIST);

	longname = malloc(NAME_MAX + 2);
	memset(longname, 'n', NAME_MAX + 1);
	longname[NAME_MAX + 1] = 0;
	EXPECT_ERRNO(open(at(longname), O_RDWR | O_CREAT, 0644), ENAMETOOLONG);
	longname[NAME_MAX] = 0; /* exactly NAME_MAX is allowed */
	fd = open(at(longname), O_RDWR | O_CREAT, 0644);
	ktap_ok(fd >= 0, "a 255-byte name can be created");
	close(fd);
	unlink(at(longname));
	free(longname);
	longpath = malloc(PATH_MAX + 2);
	for (int i = 0; i < PATH_MAX + 1; i += 2)
		memcpy(longpath + i, "./", 2);
	longpath[PATH_MAX + 1] = 0;
	EXPECT_ERRNO(stat(longpath, &st), ENAMETOOLONG);
	free(longpath);
}

static void test_symlinks(void)
{
	char buf[64], name[32], target[32];
	struct stat st;
	ssize_t n;
	int fd;

	EXPECT_SUCCESS(symlink("loop2", at("loop1")));
	EXPECT_SUCCESS(symlink("loop1", at("loop2")));
	EXPECT_ERRNO(open(at("loop1"), O_RDONLY), ELOOP);
	EXPECT_ERRNO(stat(at("loop2"), &st), ELOOP);
	ktap_ok(lstat(at("loop1"), &st) == 0 && S_ISLNK(st.st_mode),
		"lstat does not follow the loop");

	EXPECT_SUCCESS(symlink("a", at("ln")));
	EXPECT_ERRNO(open(at("ln"), O_RDONLY | O_NOFOLLOW), ELOOP);
	n = readlink(at("ln"), buf, sizeof(buf));
	ktap_ok(n == 1 && buf[0] == 'a',
		"readlink returns the target unterminated");
	EXPECT_ERRNO(readlink(at("a"), buf, sizeof(buf)), EINVAL);

	/* chain40 -> chain39 -> ... -> chain1 -> a: 40 links to follow. */
	for (int i = 1; i <= 41; i++) {
		snprintf(name, sizeof(name), "chain%d", i);
		if (i == 1)
			strcpy(target, "a");
		else
			snprintf(target, sizeof(target), "chain%d", i - 1);
		symlink(target, at(name));
	}
	fd = open(at("chain40"), O_RDONLY);
	ktap_ok(fd >= 0, "a chain of 40 symlinks is followed");
	close(fd);
	EXPECT_ERRNO(open(at("chain41"), O_RDONLY), ELOOP);
}

static void test_emfile(void)
{
	struct rlimit old, rl;
	int fds[64], n = 0, fd = 0;

	getrlimit(RLIMIT_NOFILE, &old);
	rl = old;
	rl.rlim_cur = 32;
	EXPECT_SUCCESS(setrlimit(RLIMIT_NOFILE, &rl));
	while (n < 64) {
		fd = open(at("a"), O_RDONLY);
		if (fd < 0)
			break;
		fds[n++] = fd;
	}
	ktap_ok(fd == -1 && errno == EMFILE,
		"open fails with EMFILE at RLIMIT_NOFILE");
	ktap_ok(n > 0 && fds[n - 1] == 31,
		"the last descriptor opened is limit-1 (%d)",
		n ? fds[n - 1] : -1);
	EXPECT_ERRNO(dup(0), EMFILE);
	EXPECT_ERRNO(fcntl(0, F_DUPFD, 0), EMFILE);
	close(fds[--n]);
	EXPECT_ERRNO(dup2(0, 32), EBADF);
	EXPECT_ERRNO(fcntl(0, F_DUPFD, 32), EINVAL);
	while (n > 0)
		close(fds[--n]);
	EXPECT_SUCCESS(setrlimit(RLIMIT_NOFILE, &old));
}

static void test_dup(void)
{
	int fd, a, b, c;
	char ch;

	fd = open(at("dupfile"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(fd, "hello", 5);
	lseek(fd, 0, SEEK_SET);
	a = dup(fd);
	ktap_ok(a > fd, "dup returns a new descriptor");
	ktap_ok(read(a, &ch, 1) == 1 && lseek(fd, 0, SEEK_CUR) == 1,
		"dup'ed descriptors share the file offset");
	close(a);
	EXPECT_EQ(dup(fd), a); /* the lowest free number */
	close(a);
	EXPECT_EQ(dup2(fd, fd), fd);
	b = open(at("a"), O_RDONLY);
	EXPECT_EQ(dup2(fd, b), b);
	ktap_ok(lseek(b, 0, SEEK_CUR) == 1,
		"dup2 onto an open descriptor replaces it");
	EXPECT_EQ(fcntl(b, F_GETFD), 0);
	EXPECT_ERRNO(dup2(-1, b), EBADF);
	EXPECT_ERRNO(dup2(fd, -1), EBADF);
	close(b);

	EXPECT_ERRNO(dup3(fd, fd, 0), EINVAL);
	EXPECT_ERRNO(dup3(fd, 40, 0x4), EINVAL);
	EXPECT_EQ(dup3(fd, 40, O_CLOEXEC), 40);
	EXPECT_EQ(fcntl(40, F_GETFD), FD_CLOEXEC);
	close(40);

	c = fcntl(fd, F_DUPFD_CLOEXEC, 50);
	ktap_ok(c >= 50 && fcntl(c, F_GETFD) == FD_CLOEXEC,
		"F_DUPFD_CLOEXEC gives a descriptor >= 50 with FD_CLOEXEC");
	close(c);
	c = fcntl(fd, F_DUPFD, 50);
	ktap_ok(c >= 50 && fcntl(c, F_GETFD) == 0,
		"F_DUPFD gives a descriptor >= 50 without FD_CLOEXEC");
	close(c);
	EXPECT_SUCCESS(fcntl(fd, F_SETFD, FD_CLOEXEC));
	EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND), O_RDWR);
	fcntl(fd, F_SETFL, O_APPEND | O_RDONLY);
	EXPECT_EQ(fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND),
		  O_RDWR | O_APPEND);
	EXPECT_ERRNO(fcntl(fd, 9999), EINVAL);
	close(fd);
}

static void test_vectored(void)
{
	char a[3], b[5], c[7], out[16];
	struct iovec w[3] = { { "abc", 3 }, { "defgh", 5 }, { "ijklmno", 7 } };
	struct iovec r[3] = { { c, 7 }, { b, 5 }, { a, 3 } };
	struct iovec many[UIO_MAXIOV + 1];
	int fd;

	fd = open(at("vec"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	EXPECT_EQ(writev(fd, w, 3), 15);
	lseek(fd, 0, SEEK_SET);
	EXPECT_EQ(readv(fd, r, 3), 15);
	ktap_ok(!memcmp(c, "abcdefg", 7) && !memcmp(b, "hijkl", 5) &&
			!memcmp(a, "mno", 3),
		"readv scatters in iovec order");
	EXPECT_EQ(writev(fd, w, 0), 0);
	EXPECT_ERRNO(syscall(SYS_writev, fd, w, -1), EINVAL);
	for (int i = 0; i <= UIO_MAXIOV; i++) {
		many[i].iov_base = out;
		many[i].iov_len = 1;
	}
	EXPECT_ERRNO(writev(fd, many, UIO_MAXIOV + 1), EINVAL);
	lseek(fd, 0, SEEK_SET);
	EXPECT_EQ(readv(fd, many, UIO_MAXIOV), 15);
	w[0].iov_len = 0x80000000; /* negative as an ssize_t */
	EXPECT_ERRNO(writev(fd, w, 1), EINVAL);
	w[0].iov_len = 3;

	EXPECT_EQ(pwritev(fd, w, 2, 100), 8);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 15);
	memset(out, 0, sizeof(out));
	r[0].iov_base = out;
	r[0].iov_len = 4;
	r[1].iov_base = out + 4;
	r[1].iov_len = 4;
	ktap_ok(preadv(fd, r, 2, 100) == 8 && !memcmp(out, "abcdefgh", 8),
		"preadv reads what pwritev wrote at offset 100");
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 15);
	EXPECT_ERRNO(preadv(fd, r, 2, -1), EINVAL);
	close(fd);
}

/* List the scratch directory with getdents64; count the names it finds. */
static void test_getdents(void)
{
	char buf[4096];
	const char *want[] = { ".", "..", "f0", "f1", "f2", "sub" };
	int found[6] = { 0 }, types_ok = 1, aligned = 1, total = 0, fd, dfd;
	long n;

	mkdir(at("list"), 0755);
	for (int i = 0; i < 3; i++) {
		char name[16];

		snprintf(name, sizeof(name), "list/f%d", i);
		fd = open(at(name), O_CREAT | O_WRONLY, 0644);
		close(fd);
	}
	mkdir(at("list/sub"), 0755);
	dfd = open(at("list"), O_RDONLY | O_DIRECTORY);
	while ((n = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);

			total++;
			aligned &= d->d_reclen % 8 == 0;
			for (int i = 0; i < 6; i++) {
				if (strcmp(d->d_name, want[i]))
					continue;
				found[i]++;
				if (i >= 2)
					types_ok &= d->d_type ==
						    (i == 5 ? DT_DIR : DT_REG);
			}
			off += d->d_reclen;
		}
	}
	ktap_ok(n == 0 && total == 6, "getdents64 lists 6 entries then 0");
	ktap_ok(found[0] == 1 && found[1] == 1 && found[2] == 1 &&
			found[3] == 1 && found[4] == 1 && found[5] == 1,
		"getdents64 lists ., .., f0, f1, f2 and sub once each");
	ktap_ok(types_ok, "d_type is DT_REG for files and DT_DIR for sub");
	ktap_ok(aligned, "every d_reclen is a multiple of 8");
	lseek(dfd, 0, SEEK_SET);
	ktap_ok(syscall(SYS_getdents64, dfd, buf, sizeof(buf)) > 0,
		"lseek(0) rewinds a directory");
	lseek(dfd, 0, SEEK_SET);
	EXPECT_ERRNO(syscall(SYS_getdents64, dfd, buf, 8), EINVAL);
	close(dfd);
	fd = open(at("a"), O_RDONLY);
	EXPECT_ERRNO(syscall(SYS_getdents64, fd, buf, sizeof(buf)), ENOTDIR);
	close(fd);
	EXPECT_ERRNO(syscall(SYS_getdents64, 999, buf, sizeof(buf)), EBADF);
	EXPECT_ERRNO(rmdir(at("list")), ENOTEMPTY);
}

static void test_namespace_ops(void)
{
	struct stat st;
	char cwd[PATH_MAX];
	int dfd;

	EXPECT_SUCCESS(link(at("a"), at("hard")));
	ktap_ok(stat(at("a"), &st) == 0 && st.st_nlink == 2,
		"link raises st_nlink to 2");
	EXPECT_SUCCESS(rename(at("hard"), at("hard2")));
	EXPECT_ERRNO(stat(at("hard"), &st), ENOENT);
	EXPECT_SUCCESS(unlink(at("hard2")));
	ktap_ok(stat(at("a"), &st) == 0 && st.st_nlink == 1,
		"unlink drops st_nlink to 1");
	EXPECT_SUCCESS(chdir(scratch_dir));
	ktap_ok(getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, scratch_dir),
		"getcwd after chdir");
	EXPECT_ERRNO(syscall(SYS_getcwd, cwd, 2), ERANGE);
	dfd = open("d", O_RDONLY | O_DIRECTORY);
	EXPECT_SUCCESS(fchdir(dfd));
	ktap_ok(getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, at("d")),
		"fchdir into a subdirectory");
	close(dfd);
	chdir("/");
	EXPECT_ERRNO(chdir(at("a")), ENOTDIR);
}

static int child_eacces(void)
{
	int fd;

	if (setgid(65534) != 0 || setuid(65534) != 0)
		return 10;
	fd = open(at("secret"), O_RDONLY);
	if (fd != -1 || errno != EACCES)
		return 11;
	if (access(at("secret"), R_OK) != -1 || errno != EACCES)
		return 12;
	if (open(at("d/new"), O_CREAT | O_WRONLY, 0644) != -1 ||
	    errno != EACCES)
		return 13;
	return 0;
}

static void test_permissions(void)
{
	int fd, st;
	pid_t pid;

	if (geteuid() != 0) {
		ktap_skip("a non-root user gets EACCES", "needs root");
		return;
	}
	fd = open(at("secret"), O_CREAT | O_WRONLY, 0600);
	close(fd);
	chmod(scratch_dir, 0755);
	pid = fork();
	if (pid == 0)
		_exit(child_eacces());
	waitpid(pid, &st, 0);
	ktap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		"a non-root user gets EACCES on 0600 files and 0755 dirs (%d)",
		WEXITSTATUS(st));
}

static int remove_one(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

/* rm -rf the scratch directory. */
static void cleanup(void)
{
	if (nftw(scratch_dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		ktap_diag("could not remove %s", scratch_dir);
}

/* The old i386 struct statfs of statfs(99)/fstatfs(100); glibc's
 * statfs() calls statfs64, so these are reached with syscall(). */
struct old_statfs {
	uint32_t f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree,
		f_fsid[2], f_namelen, f_frsize, f_flags, f_spare[4];
};

static void test_statfs(void)
{
	struct old_statfs old;
	struct statfs64 st;
	int fd;

	memset(&old, 0, sizeof(old));
	EXPECT_SUCCESS(syscall(SYS_statfs, scratch_dir, &old));
	EXPECT_SUCCESS(statfs64(scratch_dir, &st));
	ktap_ok(old.f_bsize == (uint32_t)st.f_bsize &&
			old.f_blocks == st.f_blocks &&
			old.f_type == (uint32_t)st.f_type,
		"statfs agrees with statfs64 (bsize %u blocks %u)", old.f_bsize,
		old.f_blocks);
	fd = open(scratch_dir, O_RDONLY | O_DIRECTORY);
	memset(&old, 0, sizeof(old));
	EXPECT_SUCCESS(syscall(SYS_fstatfs, fd, &old));
	ktap_ok(old.f_type == (uint32_t)st.f_type,
		"fstatfs gives the same type");
	close(fd);
	EXPECT_ERRNO(syscall(SYS_statfs, "/nonexistent/x", &old), ENOENT);
	EXPECT_ERRNO(syscall(SYS_statfs, scratch_dir, (void *)16), EFAULT);
	EXPECT_ERRNO(syscall(SYS_fstatfs, -1, &old), EBADF);
}

int main(void)
{
	ktap_plan(134);
	umask(022);
	snprintf(scratch_dir, sizeof(scratch_dir), "/tmp/kx_files.%d",
		 getpid());
	if (!ktap_ok(mkdir(scratch_dir, 0755) == 0, "create %s", scratch_dir))
		return ktap_exit();
	test_basic_io();
	test_ebadf();
	test_path_errors();
	test_symlinks();
	test_emfile();
	test_dup();
	test_vectored();
	test_getdents();
	test_namespace_ops();
	test_permissions();
	test_statfs();
	cleanup();
	return ktap_exit();
}
