/*
 * Tier-3 test: the sync calls and the write-back tunables, without a
 * disk (tests/user/t_writeback.c writes one back):
 *
 *  - sync, syncfs, fsync, fdatasync on a file succeed; a bad or closed
 *    descriptor is EBADF, an O_PATH one too (fsync); a pipe or
 *    /dev/null has no fsync: EINVAL;
 *  - sync_file_range: a bad descriptor is EBADF (before anything else);
 *    flags outside WAIT_BEFORE|WRITE|WAIT_AFTER, a negative offset or
 *    length, or a range that wraps are EINVAL; a pipe ESPIPE;
 *  - /proc/sys/vm/: dirty_ratio, dirty_background_ratio,
 *    dirty_writeback_centisecs, dirty_expire_centisecs read Linux's
 *    defaults; a ratio over 100 is EINVAL; setting dirty_bytes clears
 *    dirty_ratio and setting the ratio clears the bytes; drop_caches is
 *    write-only (EACCES to read, even for root) and takes 1 to 4 only;
 *  - /proc/meminfo shows Dirty and Writeback between SwapFree and
 *    AnonPages, /proc/vmstat nr_file_pages, nr_dirty, nr_writeback.
 *
 * The same binary passes on Linux (make test-linux).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "ktap.h"

#define PLAN 35
#define VM "/proc/sys/vm/"
#define FILE_NAME "/t_sync.tmp"

static char text[16384];

/* The integer in @path, or -1. */
static long read_long(const char *path)
{
	return read_text(path, text, sizeof(text)) > 0 ? atol(text) : -1;
}

static void test_fsync_family(void)
{
	int fd = open(FILE_NAME, O_RDWR | O_CREAT | O_TRUNC, 0644);
	int p[2], null = open("/dev/null", O_WRONLY);
	int path = open(FILE_NAME, O_PATH);

	if (fd < 0 || pipe(p) || null < 0 || path < 0)
		ktap_diag("setup failed: %s", ktap_errname(errno));
	sync(); /* void: it must just come back */
	ktap_ok(write(fd, "data", 4) == 4, "write a file");
	EXPECT_SUCCESS(fsync(fd));
	EXPECT_SUCCESS(fdatasync(fd));
	EXPECT_SUCCESS(syncfs(fd));
	EXPECT_ERRNO(fsync(-1), EBADF);
	EXPECT_ERRNO(fdatasync(1000), EBADF);
	EXPECT_ERRNO(syncfs(-1), EBADF);
	EXPECT_ERRNO(fsync(path), EBADF);
	EXPECT_ERRNO(fsync(p[0]), EINVAL);
	EXPECT_ERRNO(fdatasync(p[1]), EINVAL);
	EXPECT_ERRNO(fsync(null), EINVAL);
	close(path);
	close(null);

	EXPECT_SUCCESS(sync_file_range(fd, 0, 0,
				       SYNC_FILE_RANGE_WAIT_BEFORE |
					       SYNC_FILE_RANGE_WRITE |
					       SYNC_FILE_RANGE_WAIT_AFTER));
	EXPECT_SUCCESS(sync_file_range(fd, 4096, 100, SYNC_FILE_RANGE_WRITE));
	EXPECT_ERRNO(sync_file_range(fd, 0, 0, 8), EINVAL);
	EXPECT_ERRNO(sync_file_range(-1, 0, 0, 8), EBADF);
	EXPECT_ERRNO(sync_file_range(fd, -1, 10, SYNC_FILE_RANGE_WRITE),
		     EINVAL);
	EXPECT_ERRNO(sync_file_range(fd, 10, -20, SYNC_FILE_RANGE_WRITE),
		     EINVAL);
	EXPECT_ERRNO(sync_file_range(fd, LLONG_MAX, 10, SYNC_FILE_RANGE_WRITE),
		     EINVAL);
	EXPECT_ERRNO(sync_file_range(-1, 0, 0, SYNC_FILE_RANGE_WRITE), EBADF);
	EXPECT_ERRNO(sync_file_range(p[0], 0, 0, SYNC_FILE_RANGE_WRITE),
		     ESPIPE);
	close(p[0]);
	close(p[1]);
	close(fd);
	unlink(FILE_NAME);
}

static void test_tunables(void)
{
	long ratio = read_long(VM "dirty_ratio");
	int fd;

	EXPECT_EQ(ratio, 20);
	EXPECT_EQ(read_long(VM "dirty_background_ratio"), 10);
	EXPECT_EQ(read_long(VM "dirty_writeback_centisecs"), 500);
	EXPECT_EQ(read_long(VM "dirty_expire_centisecs"), 3000);
	EXPECT_ERRNO(write_text(VM "dirty_ratio", "101"), EINVAL);
	/* The ratio and the bytes exclude each other. */
	EXPECT_EQ(write_text(VM "dirty_bytes", "1048576"), 7);
	ktap_ok(read_long(VM "dirty_ratio") == 0 &&
			read_long(VM "dirty_bytes") == 1048576,
		"dirty_bytes set: dirty_ratio reads 0");
	EXPECT_EQ(write_text(VM "dirty_ratio", "20"), 2);
	ktap_ok(read_long(VM "dirty_ratio") == 20 &&
			read_long(VM "dirty_bytes") == 0,
		"dirty_ratio set again: dirty_bytes reads 0");

	fd = open(VM "drop_caches", O_RDONLY);
	ktap_ok(fd < 0 && errno == EACCES,
		"drop_caches is write-only (EACCES to read)");
	if (fd >= 0)
		close(fd);
	EXPECT_ERRNO(write_text(VM "drop_caches", "0"), EINVAL);
	EXPECT_ERRNO(write_text(VM "drop_caches", "5"), EINVAL);
	EXPECT_EQ(write_text(VM "drop_caches", "1"), 1);
}

/* "@a" comes before "@b" in text, both present. */
static bool in_order(const char *a, const char *b)
{
	const char *pa = strstr(text, a), *pb = strstr(text, b);

	return pa && pb && pa < pb;
}

static void test_proc_lines(void)
{
	read_text("/proc/meminfo", text, sizeof(text));
	ktap_ok(in_order("\nSwapFree:", "\nDirty:") &&
			in_order("\nDirty:", "\nWriteback:") &&
			in_order("\nWriteback:", "\nAnonPages:"),
		"meminfo: SwapFree, Dirty, Writeback, AnonPages in order");
	read_text("/proc/vmstat", text, sizeof(text));
	ktap_ok(in_order("\nnr_file_pages ", "\nnr_dirty ") &&
			in_order("\nnr_dirty ", "\nnr_writeback "),
		"vmstat: nr_file_pages, nr_dirty, nr_writeback in order");
}

int main(void)
{
	ktap_plan(PLAN);
	test_fsync_family();
	test_tunables();
	test_proc_lines();
	return ktap_exit();
}
