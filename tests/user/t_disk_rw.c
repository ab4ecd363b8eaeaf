/*
 * Tier-3 test: raw reads and writes of the partitioned IDE disk (the
 * primary master, ATA 1.0: tests/user/disk.h), through the whole disk
 * and every partition, checked against the sectors' LBA stamps; the same
 * on Kestrel (hda, hda1...) and on Linux (sdX, sdX1...).
 *
 *  - each partition's start and size in /sys/block/D/DN, as the table
 *    the harness wrote says;
 *  - the whole of every partition and of the disk read in 64 KiB
 *    pieces: sector N of partition P holds the stamp of P's start + N;
 *  - a read of 100 bytes in the middle of a sector;
 *  - at a partition's end, a read returns 0 and a write fails with ENOSPC;
 *  - two sectors of a pattern written into each data partition and the
 *    disk, read back through the partition and through the whole disk
 *    (after BLKFLSBUF: Linux caches each block device apart), with their
 *    neighbours untouched. Each write is printed as "# disk-wrote PART
 *    SECTOR COUNT"; after power-off the harness finds them in the image
 *    (scripts/run-tests, check_disk_writes()).
 *
 * With no disk at 1.0 every case fails: the user boot always has one.
 * The "user-pio" boot runs this program alone with every disk in PIO.
 */
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "disk.h"
#include "ktap.h"

#define CHUNK 128 /* sectors per read: 64 KiB */
#define NR_WRITES 6
#define PLAN (1 + 2 * ((int)DISK_LAYOUT_N + 1) + 1 + 2 + NR_WRITES)

/* Where the writes go: partition (0: the disk), sector in it. */
static const struct {
	int part;
	unsigned long long sector;
} writes[NR_WRITES] = {
	{ 0, 2100 }, { 1, 10 }, { 3, 4094 }, { 5, 0 }, { 6, 700 }, { 7, 4092 },
};

static char disk[DISK_NAME_LEN];
static unsigned char buf[CHUNK * DISK_SECTOR];

/* Partition @n of the layout, or the whole disk for 0. */
static struct disk_part layout(int n)
{
	struct disk_part whole = { 0, 0, DISK_SECTORS };

	for (size_t i = 0; i < DISK_LAYOUT_N; i++)
		if (DISK_LAYOUT[i].n == n)
			return DISK_LAYOUT[i];
	return whole;
}

static int open_part(int n, int flags)
{
	char name[DISK_NAME_LEN];

	disk_part_name(disk, n, name);
	return disk_open(name, flags);
}

/* The first sector of [@lba, @lba + @nsect) in @buf that is not its
 * stamp (table sectors aside), or -1. */
static long long first_bad(unsigned long long lba, unsigned int nsect)
{
	for (unsigned int s = 0; s < nsect; s++)
		if (!disk_is_table(lba + s) &&
		    stamp_check(buf + s * DISK_SECTOR, lba + s, 1, 0) >= 0)
			return lba + s;
	return -1;
}

static void test_geometry(const struct disk_part *p)
{
	char name[DISK_NAME_LEN];
	long long start, size;

	disk_part_name(disk, p->n, name);
	start = p->n ? disk_attr(disk, name, "start") : 0;
	size = disk_attr(disk, name, "size");
	if (!ktap_ok(start == (long long)p->start && size == (long long)p->size,
		     "partition %d start and size", p->n))
		ktap_diag("%s: start %lld size %lld, want %llu %llu", name,
			  start, size, p->start, p->size);
}

/* Read partition @p whole; every sector must hold its disk LBA. */
static void test_read_all(const struct disk_part *p)
{
	int fd = open_part(p->n, O_RDONLY);
	unsigned long long at;
	long long bad = -1;
	unsigned int n;

	for (at = 0; fd >= 0 && bad < 0 && at < p->size; at += n) {
		n = p->size - at < CHUNK ? p->size - at : CHUNK;
		if (disk_io(fd, false, buf, at, n)) {
			ktap_diag("read at sector %llu: %s", at,
				  strerror(errno));
			bad = p->start + at;
		} else {
			bad = first_bad(p->start + at, n);
		}
	}
	if (!ktap_ok(fd >= 0 && bad < 0, "partition %d reads its stamps", p->n))
		ktap_diag("open: %s; disk sector %lld wrong",
			  fd < 0 ? strerror(errno) : "ok", bad);
	if (fd >= 0)
		close(fd);
}

/* 100 bytes from the middle of sector 7 of partition 6. */
static void test_unaligned(void)
{
	struct disk_part p = layout(6);
	unsigned char want[DISK_SECTOR];
	int fd = open_part(6, O_RDONLY);
	bool ok;

	stamp_fill(want, p.start + 7, 1, 0);
	ok = fd >= 0 && pread(fd, buf, 100, 7 * DISK_SECTOR + 203) == 100 &&
	     !memcmp(buf, want + 203, 100);
	ktap_ok(ok, "100 bytes in the middle of a sector");
	if (fd >= 0)
		close(fd);
}

/* The end of partition 5: reads return 0, writes fail with ENOSPC. */
static void test_end(void)
{
	struct disk_part p = layout(5);
	int fd = open_part(5, O_RDWR);
	off_t end = p.size * DISK_SECTOR;
	ssize_t n;

	n = fd >= 0 ? pread(fd, buf, DISK_SECTOR, end) : -1;
	if (!ktap_ok(n == 0, "a read at the partition's end returns 0"))
		ktap_diag("pread: %zd (%s)", n, strerror(errno));
	errno = 0;
	n = fd >= 0 ? pwrite(fd, buf, DISK_SECTOR, end) : -1;
	if (!ktap_ok(n < 0 && errno == ENOSPC,
		     "a write at the partition's end fails with ENOSPC"))
		ktap_diag("pwrite: %zd (%s)", n, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* Read 4 sectors of the whole disk from @lba - 1 (after dropping what
 * Linux cached of it): pattern at @lba, @lba + 1, stamps either side. */
static bool seen_by_disk(int whole, unsigned long long lba)
{
	unsigned long long first = lba - 1;
	unsigned int n = lba + 2 < DISK_SECTORS ? 4 : 3;

	if (ioctl(whole, BLKFLSBUF, 0) < 0 ||
	    disk_io(whole, false, buf, first, n))
		return false;
	return stamp_check(buf + DISK_SECTOR, lba, 2, DISK_WRITE_PATTERN) < 0 &&
	       (disk_is_table(first) || stamp_check(buf, first, 1, 0) < 0) &&
	       (n == 3 ||
		stamp_check(buf + 3 * DISK_SECTOR, lba + 2, 1, 0) < 0);
}

static void test_write(int whole, int part, unsigned long long sector)
{
	struct disk_part p = layout(part);
	unsigned long long lba = p.start + sector;
	int fd = open_part(part, O_RDWR);
	bool wrote, back;

	stamp_fill(buf, lba, 2, DISK_WRITE_PATTERN);
	wrote = fd >= 0 && !disk_io(fd, true, buf, sector, 2) && !fsync(fd);
	if (wrote)
		ktap_diag("disk-wrote %d %llu 2", part, sector);
	memset(buf, 0, 2 * DISK_SECTOR);
	back = wrote && !disk_io(fd, false, buf, sector, 2) &&
	       stamp_check(buf, lba, 2, DISK_WRITE_PATTERN) < 0;
	if (!ktap_ok(back && seen_by_disk(whole, lba),
		     "write to partition %d, sector %llu, read back", part,
		     sector))
		ktap_diag("wrote %d, read back %d, errno %s", wrote, back,
			  strerror(errno));
	if (fd >= 0)
		close(fd);
}

int main(void)
{
	int whole, i;

	if (!disk_plan(PLAN, "disk_rw"))
		return ktap_exit();
	if (!ktap_ok(!disk_find(1, 0, disk) &&
			     disk_attr(disk, NULL, "size") == DISK_SECTORS,
		     "an 8 MiB disk at ata1.00"))
		return disk_missing(PLAN);
	ktap_diag("ata1.00 is %s", disk);
	for (i = 0; i < (int)DISK_LAYOUT_N; i++)
		test_geometry(&DISK_LAYOUT[i]);
	test_geometry(&(struct disk_part){ 0, 0, DISK_SECTORS });
	for (i = 0; i < (int)DISK_LAYOUT_N; i++)
		test_read_all(&DISK_LAYOUT[i]);
	test_read_all(&(struct disk_part){ 0, 0, DISK_SECTORS });
	test_unaligned();
	test_end();
	whole = open_part(0, O_RDWR);
	for (i = 0; i < NR_WRITES; i++)
		test_write(whole, writes[i].part, writes[i].sector);
	if (whole >= 0)
		close(whole);
	return ktap_exit();
}
