/*
 * Whole-file reads and writes for the tier-3 test programs: /proc and
 * /sys files are read to the end in a few calls and written in one.
 */
#ifndef _TESTS_USER_FILEIO_H
#define _TESTS_USER_FILEIO_H

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/*
 * Read @path to its end into @buf (at most @size - 1 bytes) and
 * NUL-terminate it. Returns the length, or -1 (@buf is then "" or what
 * came before the error).
 */
static inline long read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	long total = 0, n = 0;

	buf[0] = '\0';
	if (fd < 0)
		return -1;
	while ((size_t)total < size - 1 &&
	       (n = read(fd, buf + total, size - 1 - total)) > 0)
		total += n;
	close(fd);
	buf[total] = '\0';
	return n < 0 ? -1 : total;
}

/* Write @text to @path in one write(); 0 if all of it went, else -1. */
static inline int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	long n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (long)strlen(text) ? 0 : -1;
}

#endif /* _TESTS_USER_FILEIO_H */
