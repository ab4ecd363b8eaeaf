/*
 * Helpers shared by the benchmark programs that print nan with a reason
 * (diskbench.c, fsbench.c): the reason buffer and failf(), which fills
 * it from errno, the monotonic clock in seconds, a qsort comparator
 * for the medians, and a disk's I/O counters. Each program includes it once (static definitions).
 */
#ifndef KBENCH_BENCHUTIL_H
#define KBENCH_BENCHUTIL_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static char why[400]; /* why the current figure has no value */

/* Note "@what: strerror(errno)" as the reason; returns -1. */
static int failf(const char *what)
{
	snprintf(why, sizeof(why), "%.200s: %.150s", what,
		 strerror(errno ? errno : EIO));
	return -1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * The I/O counters of /sys/block/NAME/stat @path
 * (Documentation/block/stat.rst): requests and sectors read (@w 0) or
 * written (@w 1) so far. Returns 0, or -1 without the file.
 */
static int blk_stat(const char *path, int w, long long *ios, long long *sect)
{
	long long v[7];
	FILE *f = fopen(path, "r");
	int n = f ? fscanf(f, "%lld %lld %lld %lld %lld %lld %lld", &v[0],
			   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]) :
		    0;

	if (f)
		fclose(f);
	if (n != 7)
		return -1;
	*ios = v[w ? 4 : 0];
	*sect = v[w ? 6 : 2];
	return 0;
}

#endif
