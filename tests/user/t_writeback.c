/*
 * Tier-3 test: write-back through the page cache, on the scratch disk
 * (2.1 in tests/user/disk.h), whose block device file is cached
 * write-back as Linux's is: a write makes dirty pages, and the disk gets
 * them later. What reached the disk is read with O_DIRECT, past the
 * cache.
 *
 *  - a buffered write of 1 MiB raises meminfo's Dirty by about that
 *    much; fsync writes it (Dirty falls back, the disk has it);
 *  - sync() does the same for another write; sync_file_range
 *    (WAIT_BEFORE|WRITE|WAIT_AFTER) for a range;
 *  - drop_caches: after reading the disk through the cache, writing 3
 *    makes Buffers + Cached fall by most of it, and the data read again
 *    is still right;
 *  - the flusher: a write left alone reaches the disk within 40 s
 *    (dirty_expire_centisecs 30 s + dirty_writeback_centisecs 5 s) and
 *    Dirty falls, with no sync;
 *  - throttling: with dirty_bytes at 256 KiB, writing the whole 2 MiB
 *    disk completes and Dirty never goes past 1 MiB (Linux's per-CPU
 *    counters and rate limits need the slack); then the old limits are
 *    restored.
 *
 * At the end the disk gets its stamps back (tests/user/disk.h).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "disk.h"
#include "fileio.h"
#include "ktap.h"

#define PLAN 14
#define KB 1024L
#define MB (1024 * KB)
#define DISK_BYTES ((long)(SCRATCH_SECTORS * DISK_SECTOR))
#define VM "/proc/sys/vm/"
#define FLUSH_WAIT_S 40
#define THROTTLE_BYTES (256 * KB)
#define THROTTLE_BOUND_KB 1024
#define CHUNK (64 * KB)

static char dev[64];
static char text[16384];
static char *buf, *rbuf; /* DISK_BYTES each, page aligned */

/* meminfo's @key in kB, or -1. */
static long meminfo(const char *key)
{
	char pat[64];
	const char *p;

	if (read_text("/proc/meminfo", text, sizeof(text)) <= 0)
		return -1;
	snprintf(pat, sizeof(pat), "\n%s:", key);
	p = strstr(text, pat);
	return p ? strtol(p + strlen(pat), NULL, 10) : -1;
}

/* Fill [@off, @off + @len) of buf with the stamps XORed with @xor. */
static void fill(off_t off, size_t len, unsigned long long xor)
{
	stamp_fill(buf + off, off / DISK_SECTOR, len / DISK_SECTOR, xor);
}

/* Buffered write of buf's [@off, @off + @len) to the disk. */
static bool put(int fd, off_t off, size_t len)
{
	return pwrite(fd, buf + off, len, off) == (ssize_t)len;
}

/* Does the disk itself (O_DIRECT) hold the stamps ^ @xor there? */
static bool on_disk(off_t off, size_t len, unsigned long long xor)
{
	int fd = open(dev, O_RDONLY | O_DIRECT);
	bool ok = fd >= 0 && pread(fd, rbuf, len, off) == (ssize_t)len &&
		  stamp_check(rbuf, off / DISK_SECTOR, len / DISK_SECTOR, xor) <
			  0;

	if (fd >= 0)
		close(fd);
	return ok;
}

static void test_fsync_and_sync(int fd)
{
	long base = meminfo("Dirty"), high;

	fill(0, MB, 0x1111);
	ktap_ok(put(fd, 0, MB), "buffered write of 1 MiB");
	high = meminfo("Dirty");
	if (!ktap_ok(high >= base + 512, "Dirty rose by about 1 MiB"))
		ktap_diag("Dirty %ld kB before, %ld kB after", base, high);
	ktap_ok(!fsync(fd) && meminfo("Dirty") <= base + 256 &&
			on_disk(0, MB, 0x1111),
		"fsync: Dirty falls back, the disk has the data");

	fill(MB, 256 * KB, 0x2222);
	put(fd, MB, 256 * KB);
	sync();
	ktap_ok(meminfo("Dirty") <= base + 256 && on_disk(MB, 256 * KB, 0x2222),
		"sync: Dirty falls back, the disk has the data");

	fill(0, 64 * KB, 0x3333);
	put(fd, 0, 64 * KB);
	ktap_ok(!sync_file_range(fd, 0, 64 * KB,
				 SYNC_FILE_RANGE_WAIT_BEFORE |
					 SYNC_FILE_RANGE_WRITE |
					 SYNC_FILE_RANGE_WAIT_AFTER) &&
			on_disk(0, 64 * KB, 0x3333),
		"sync_file_range: the range is on the disk");
}

static void test_drop_caches(int fd)
{
	long before, after;
	bool same;

	fill(0, DISK_BYTES, 0x4444);
	put(fd, 0, DISK_BYTES);
	fsync(fd);
	/* Read it all back through the cache: about 2 MiB of Buffers. */
	pread(fd, rbuf, DISK_BYTES, 0);
	before = meminfo("Buffers") + meminfo("Cached");
	ktap_ok(write_text(VM "drop_caches", "3") == 1,
		"write 3 to drop_caches");
	after = meminfo("Buffers") + meminfo("Cached");
	if (!ktap_ok(after <= before - DISK_BYTES / KB / 2,
		     "Buffers + Cached fell by at least half the disk"))
		ktap_diag("%ld kB before, %ld kB after", before, after);
	memset(rbuf, 0, DISK_BYTES);
	same = pread(fd, rbuf, DISK_BYTES, 0) == DISK_BYTES &&
	       !memcmp(rbuf, buf, DISK_BYTES);
	ktap_ok(same, "the data reads back the same after drop_caches");
}

/* Left alone, dirty data reaches the disk: expiry plus one period.
 * Watched through Dirty: an O_DIRECT read would write the range first
 * (Linux's direct reads do). */
static void test_flusher(int fd)
{
	long base, dirty = -1;
	int s;

	fsync(fd);
	base = meminfo("Dirty");
	fill(512 * KB, 512 * KB, 0x5555);
	ktap_ok(put(fd, 512 * KB, 512 * KB) && meminfo("Dirty") >= base + 256,
		"a write leaves dirty pages");
	for (s = 0; s < FLUSH_WAIT_S; s++) {
		dirty = meminfo("Dirty");
		if (dirty <= base + 128)
			break;
		sleep(1);
	}
	if (!ktap_ok(s < FLUSH_WAIT_S, "the flusher wrote them, no sync"))
		ktap_diag("Dirty %ld kB after %d s (%ld kB before)", dirty,
			  FLUSH_WAIT_S, base);
	else
		ktap_diag("Dirty back after about %d s", s);
	ktap_ok(on_disk(512 * KB, 512 * KB, 0x5555), "the disk has the data");
}

static void test_throttle(int fd)
{
	long ratio, bg_ratio, dirty, high = 0;
	off_t off;
	char num[32];
	bool wrote = true;

	ratio = atol(read_text(VM "dirty_ratio", text, sizeof(text)) > 0 ?
			     text :
			     "20");
	bg_ratio = atol(
		read_text(VM "dirty_background_ratio", text, sizeof(text)) > 0 ?
			text :
			"10");
	fsync(fd);
	snprintf(num, sizeof(num), "%ld", THROTTLE_BYTES);
	write_text(VM "dirty_bytes", num);
	snprintf(num, sizeof(num), "%ld", THROTTLE_BYTES / 2);
	write_text(VM "dirty_background_bytes", num);

	fill(0, DISK_BYTES, 0x6666);
	for (off = 0; off < DISK_BYTES && wrote; off += CHUNK) {
		wrote = put(fd, off, CHUNK);
		dirty = meminfo("Dirty");
		if (dirty > high)
			high = dirty;
	}
	ktap_ok(wrote && !fsync(fd) && on_disk(0, DISK_BYTES, 0x6666),
		"a write of the whole disk past dirty_bytes completes");
	ktap_ok(high <= THROTTLE_BOUND_KB,
		"Dirty stayed bounded (at most %d kB)", THROTTLE_BOUND_KB);
	ktap_diag("Dirty went up to %ld kB (dirty_bytes %ld kB)", high,
		  THROTTLE_BYTES / KB);

	snprintf(num, sizeof(num), "%ld", ratio);
	write_text(VM "dirty_ratio", num);
	snprintf(num, sizeof(num), "%ld", bg_ratio);
	write_text(VM "dirty_background_ratio", num);
}

int main(void)
{
	char name[DISK_NAME_LEN];
	int fd;

	if (!disk_plan(PLAN, "t_writeback"))
		return ktap_exit();
	if (disk_wait(2, 1, name, 10000) ||
	    posix_memalign((void **)&buf, 4096, DISK_BYTES) ||
	    posix_memalign((void **)&rbuf, 4096, DISK_BYTES)) {
		ktap_ok(false, "the scratch disk (2.1)");
		return disk_missing(PLAN);
	}
	snprintf(dev, sizeof(dev), "/dev/%s", name);
	fd = open(dev, O_RDWR);
	if (!ktap_ok(fd >= 0, "open %s", dev))
		return disk_missing(PLAN);
	test_fsync_and_sync(fd);
	test_drop_caches(fd);
	test_flusher(fd);
	test_throttle(fd);
	/* Give the disk its stamps back. */
	fill(0, DISK_BYTES, 0);
	put(fd, 0, DISK_BYTES);
	fsync(fd);
	close(fd);
	return ktap_exit();
}
