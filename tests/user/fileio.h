/*
 * Whole-file reads and writes for the tier-3 test programs: /proc and
 * /sys files are read to the end in a few calls and written in one;
 * a scratch file is created and written whole.
 */
#ifndef _TESTS_USER_FILEIO_H
#define _TESTS_USER_FILEIO_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Read @path to its end into @buf (at most @size - 1 bytes), @chunk
 * bytes per read(), and NUL-terminate it. Returns the length, or -1
 * (@buf is then "" or what came before the error). Small chunks check
 * that a file's snapshot holds across many reads (seq_file).
 */
static inline long read_text_chunked(const char *path, char *buf, size_t size,
				     size_t chunk)
{
	int fd = open(path, O_RDONLY);
	long total = 0, n = 0;

	buf[0] = '\0';
	if (fd < 0)
		return -1;
	while ((size_t)total < size - 1) {
		size_t want = size - 1 - total;

		n = read(fd, buf + total, want < chunk ? want : chunk);
		if (n <= 0)
			break;
		total += n;
	}
	close(fd);
	buf[total] = '\0';
	return n < 0 ? -1 : total;
}

/* Read @path whole into @buf, in as few reads as it takes. */
static inline long read_text(const char *path, char *buf, size_t size)
{
	return read_text_chunked(path, buf, size, size);
}

/*
 * Write @text to @path (opened without O_CREAT) in one write(): the
 * write's result, the byte count or -1 with errno set by open or write.
 */
static inline long write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	long n;
	int err;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	err = errno;
	close(fd);
	errno = err;
	return n;
}

/* Create or truncate @path with exactly @mode (umask aside) and write
 * @len bytes of @data to it: true when all of it went. */
static inline bool write_new_file(const char *path, const void *data,
				  size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	bool ok = fd >= 0 && write(fd, data, len) == (ssize_t)len;

	if (fd >= 0)
		close(fd);
	return ok && chmod(path, mode) == 0;
}

#endif /* _TESTS_USER_FILEIO_H */
