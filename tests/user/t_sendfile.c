/*
 * sendfile(2) between files: with and without an offset (which of the
 * two positions moves), at the end of the input, and its errors (bad
 * descriptors, an output not open for writing or opened O_APPEND, a bad
 * offset pointer, an offset on a pipe).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include "ktap.h"

#define DATA "0123456789abcdefghij"
#define DATA_LEN 20

static int make_file(const char *path, const char *text, int flags)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | flags, 0644);

	if (fd >= 0 && text && write(fd, text, strlen(text)) < 0)
		ktap_diag("write %s failed", path);
	return fd;
}

static bool file_is(int fd, const char *want)
{
	char buf[64];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n < 0)
		return false;
	buf[n] = '\0';
	return !strcmp(buf, want);
}

int main(void)
{
	const char *in_path = "/tmp/t_sendfile.in",
		   *out_path = "/tmp/t_sendfile.out";
	int in, out, ro, app, p[2];
	off_t off;

	ktap_plan(12);
	in = make_file(in_path, DATA, 0);
	out = make_file(out_path, NULL, 0);
	lseek(in, 0, SEEK_SET);
	EXPECT_EQ(sendfile(out, in, NULL, 5), 5);
	ktap_ok(lseek(in, 0, SEEK_CUR) == 5 && file_is(out, "01234"),
		"without an offset the input's position moves");
	off = 10;
	EXPECT_EQ(sendfile(out, in, &off, 100), 10);
	ktap_ok(off == DATA_LEN && lseek(in, 0, SEEK_CUR) == 5 &&
			file_is(out, "01234abcdefghij"),
		"with an offset only the offset moves");
	EXPECT_EQ(sendfile(out, in, &off, 100), 0); /* at the end */
	EXPECT_ERRNO(sendfile(out, -1, NULL, 1), EBADF);
	EXPECT_ERRNO(sendfile(-1, in, NULL, 1), EBADF);
	ro = open(out_path, O_RDONLY);
	EXPECT_ERRNO(sendfile(ro, in, NULL, 1), EBADF);
	app = open(out_path, O_WRONLY | O_APPEND);
	EXPECT_ERRNO(sendfile(app, in, NULL, 1), EINVAL);
	EXPECT_ERRNO(sendfile(out, in, (off_t *)1, 1), EFAULT);
	if (pipe(p) == 0) {
		off = 0;
		EXPECT_ERRNO(sendfile(out, p[0], &off, 1), ESPIPE);
	} else {
		ktap_ok(0, "pipe");
	}
	ktap_ok(file_is(out, "01234abcdefghij"), "failed calls wrote nothing");
	unlink(in_path);
	unlink(out_path);
	return ktap_exit();
}
