/*
 * Helpers for reading /sys (see sysfs.h): one attribute at a time, with
 * read(2) on a fresh descriptor, as sysfs expects (each open file sees
 * the value as it was at its first read).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysfs.h"

int sysfs_read_attr(const char *dir, const char *name, char *buf, size_t len)
{
	char path[SYSFS_PATH_MAX];
	ssize_t n;
	int fd, err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	err = errno;
	close(fd);
	if (n < 0) {
		errno = err;
		return -1;
	}
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return (int)n;
}

int sysfs_read_ulong(const char *dir, const char *name, unsigned long *val)
{
	char buf[64], *end;

	if (sysfs_read_attr(dir, name, buf, sizeof(buf)) < 0)
		return -1;
	errno = 0;
	*val = strtoul(buf, &end, 0);
	if (errno || end == buf) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int sysfs_link_name(const char *dir, const char *name, char *buf, size_t len)
{
	char path[SYSFS_PATH_MAX], target[SYSFS_PATH_MAX];
	const char *base;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -1;
	target[n] = '\0';
	base = strrchr(target, '/');
	snprintf(buf, len, "%s", base ? base + 1 : target);
	return 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **sysfs_list_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL, **grown;
	size_t n = 0;

	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		grown = realloc(names, (n + 2) * sizeof(*names));
		if (!grown)
			goto out_free;
		names = grown;
		names[n] = strdup(de->d_name);
		if (!names[n])
			goto out_free;
		names[++n] = NULL;
	}
	closedir(d);
	if (!names)
		names = calloc(1, sizeof(*names));
	else
		qsort(names, n, sizeof(*names), compare_names);
	return names;

out_free:
	if (names)
		names[n] = NULL;
	sysfs_free_list(names);
	closedir(d);
	errno = ENOMEM;
	return NULL;
}

void sysfs_free_list(char **names)
{
	char **p;

	for (p = names; p && *p; p++)
		free(*p);
	free(names);
}
