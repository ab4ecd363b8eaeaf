/*
 * Tier-3 test: MBR partition tables as user space sees them
 * (block/partitions/msdos.c), the same on Kestrel and on Linux, whose
 * outcome for a bad table is the oracle (tests/user/disk.h names the
 * disks):
 *
 *  - the partitioned disk (1.0): /proc/partitions lists the disk and
 *    exactly its partitions, with their sizes in 1 KiB blocks; each has
 *    its number in `partition` and its /dev node;
 *  - on the scratch disk (2.1) the test writes tables, asks for them to
 *    be read again (BLKRRPART on the whole disk) and checks
 *    /sys/block/D/DN/{start,size}, /proc/partitions and /dev:
 *      an empty table (55 AA, no entry): no partitions;
 *      an extended partition with a chain of four logical ones;
 *      entries past the end of the disk: the one running past it is
 *      truncated at the end, those starting past it are ignored;
 *      an EBR chain that loops through EBRs without a partition (Linux
 *      stops after 100 links that add none, Kestrel at the first EBR
 *      seen twice: the same partitions);
 *      an EBR that links to itself and holds a partition: it must end
 *      (Linux adds the same partition again until the partition numbers
 *      run out, Kestrel stops at the loop: only hdd5 is asserted);
 *      overlapping entries, and a logical partition running out of its
 *      extended one: all kept;
 *  - BLKRRPART on a partition fails with EINVAL; with a partition open
 *    it fails with EBUSY and the partitions stay.
 *
 * With a disk missing every case fails: the user boot always has both.
 */
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "disk.h"
#include "ktap.h"

#define PLAN 13
#define MAX_WANT 8

/* One table entry: in the sector @sector, slot @slot (0-3). */
struct ent {
	unsigned int sector;
	int slot;
	unsigned char type;
	unsigned int start, size;
};

/* What the kernel must show: partition @n at @start, @size sectors. */
struct want {
	int n;
	unsigned long long start, size;
};

static char parted[DISK_NAME_LEN], scratch[DISK_NAME_LEN];
static char text[65536];

static void put_le32(unsigned char *p, unsigned int v)
{
	for (int i = 0; i < 4; i++)
		p[i] = v >> (8 * i);
}

/* Write sector 0 and every sector @ents name, each holding its entries
 * and 55 AA, through the whole disk @fd. */
static int write_table(int fd, const struct ent *ents, int n)
{
	unsigned char sec[DISK_SECTOR];
	unsigned int sectors[16] = { 0 };
	int nsec = 1, i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < nsec && sectors[k] != ents[i].sector; k++)
			;
		if (k == nsec && nsec < 16)
			sectors[nsec++] = ents[i].sector;
	}
	for (k = 0; k < nsec; k++) {
		memset(sec, 0, sizeof(sec));
		sec[510] = 0x55;
		sec[511] = 0xaa;
		for (i = 0; i < n; i++) {
			unsigned char *e = sec + 446 + 16 * ents[i].slot;

			if (ents[i].sector != sectors[k])
				continue;
			e[4] = ents[i].type;
			put_le32(e + 8, ents[i].start);
			put_le32(e + 12, ents[i].size);
		}
		if (disk_io(fd, true, sec, sectors[k], 1))
			return -1;
	}
	return fsync(fd);
}

/* Read @path whole into text[]. */
static long read_text_all(const char *path)
{
	int fd = open(path, O_RDONLY);
	long total = 0, n;

	text[0] = '\0';
	if (fd < 0)
		return -1;
	while ((n = read(fd, text + total, sizeof(text) - 1 - total)) > 0)
		total += n;
	close(fd);
	text[total] = '\0';
	return n < 0 ? -1 : total;
}

/* The partition number in @name if it is "@disk" followed by digits,
 * else 0. */
static int part_number(const char *disk, const char *name)
{
	size_t len = strlen(disk);
	char *end;
	long n;

	if (strncmp(name, disk, len) || !name[len])
		return 0;
	n = strtol(name + len, &end, 10);
	return *end ? 0 : (int)n;
}

/* /proc/partitions's 1 KiB blocks for @disk's partition @n, or -1. */
static long long proc_blocks(const char *disk, int n, int *count)
{
	long long blocks = -1, b;
	char name[64], *line, *save = NULL;
	unsigned int maj, min;

	*count = 0;
	if (read_text_all("/proc/partitions") < 0)
		return -1;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%u %u %lld %63s", &maj, &min, &b, name) != 4)
			continue;
		if (part_number(disk, name))
			(*count)++;
		if (n ? part_number(disk, name) == n : !strcmp(name, disk))
			blocks = b;
	}
	return blocks;
}

/* Partition @n of @disk in /sys: start, size, number, a /dev node with
 * its device number. */
static bool part_is(const char *disk, const struct want *w)
{
	char name[DISK_NAME_LEN], path[64];
	unsigned int maj, min;
	struct stat st;
	int count;
	FILE *f;

	disk_part_name(disk, w->n, name);
	if (disk_attr(disk, name, "start") != (long long)w->start ||
	    disk_attr(disk, name, "size") != (long long)w->size ||
	    disk_attr(disk, name, "partition") != w->n) {
		ktap_diag(
			"%s: start %lld size %lld partition %lld, want %llu %llu %d",
			name, disk_attr(disk, name, "start"),
			disk_attr(disk, name, "size"),
			disk_attr(disk, name, "partition"), w->start, w->size,
			w->n);
		return false;
	}
	if (proc_blocks(disk, w->n, &count) != (long long)w->size / 2) {
		ktap_diag("%s: /proc/partitions says %lld blocks", name,
			  proc_blocks(disk, w->n, &count));
		return false;
	}
	snprintf(path, sizeof(path), "/sys/block/%s/%s/dev", disk, name);
	f = fopen(path, "r");
	maj = min = ~0u;
	if (f) {
		if (fscanf(f, "%u:%u", &maj, &min) != 2)
			maj = ~0u;
		fclose(f);
	}
	snprintf(path, sizeof(path), "/dev/%s", name);
	if (stat(path, &st) || !S_ISBLK(st.st_mode) ||
	    major(st.st_rdev) != maj || minor(st.st_rdev) != min) {
		ktap_diag("%s: no block node %u:%u", path, maj, min);
		return false;
	}
	return true;
}

/* @disk has exactly the partitions @w[0..@n), in /sys and in
 * /proc/partitions. */
static bool parts_are(const char *disk, const struct want *w, int n)
{
	char dir[64];
	struct dirent *de;
	int found = 0, count, i;
	bool ok = true;
	DIR *d;

	snprintf(dir, sizeof(dir), "/sys/block/%s", disk);
	d = opendir(dir);
	while (d && (de = readdir(d)))
		found += part_number(disk, de->d_name) > 0;
	if (d)
		closedir(d);
	proc_blocks(disk, 0, &count);
	if (found != n || count != n) {
		ktap_diag(
			"%s: %d partitions in /sys, %d in /proc/partitions, want %d",
			disk, found, count, n);
		ok = false;
	}
	for (i = 0; i < n; i++)
		ok &= part_is(disk, &w[i]);
	return ok;
}

static void test_boot_disk(void)
{
	struct want w[DISK_LAYOUT_N];
	int count;

	for (size_t i = 0; i < DISK_LAYOUT_N; i++)
		w[i] = (struct want){ DISK_LAYOUT[i].n, DISK_LAYOUT[i].start,
				      DISK_LAYOUT[i].size };
	ktap_ok(proc_blocks(parted, 0, &count) == (long long)DISK_SECTORS / 2,
		"/proc/partitions lists the partitioned disk");
	ktap_ok(parts_are(parted, w, DISK_LAYOUT_N),
		"the partitioned disk's partitions in /sys, /proc, /dev");
}

/* Write a table on the scratch disk, BLKRRPART, compare. */
static bool rescan_to(int fd, const struct ent *ents, int nents,
		      const struct want *w, int nw)
{
	if (write_table(fd, ents, nents)) {
		ktap_diag("writing the table: %s", strerror(errno));
		return false;
	}
	if (ioctl(fd, BLKRRPART) < 0) {
		ktap_diag("BLKRRPART: %s", strerror(errno));
		return false;
	}
	return parts_are(scratch, w, nw);
}

#define RESCAN(fd, ents, w)                                    \
	rescan_to(fd, ents, sizeof(ents) / sizeof(ents[0]), w, \
		  sizeof(w) / sizeof(w[0]))

static void test_empty(int fd)
{
	ktap_ok(rescan_to(fd, NULL, 0, NULL, 0),
		"an empty table: no partitions");
}

static void test_chain(int fd)
{
	static const struct ent ents[] = {
		{ 0, 0, 0x83, 100, 200 },   { 0, 1, 0x0f, 1000, 2000 },
		{ 1000, 0, 0x83, 10, 100 }, { 1000, 1, 0x05, 300, 300 },
		{ 1300, 0, 0x83, 5, 50 },   { 1300, 1, 0x05, 600, 100 },
		{ 1600, 0, 0x83, 1, 99 },   { 1600, 1, 0x05, 700, 500 },
		{ 1700, 0, 0x83, 20, 200 },
	};
	static const struct want w[] = {
		{ 1, 100, 200 }, { 2, 1000, 2 },  { 5, 1010, 100 },
		{ 6, 1305, 50 }, { 7, 1601, 99 }, { 8, 1720, 200 },
	};
	unsigned char buf[DISK_SECTOR];
	char name[DISK_NAME_LEN];
	bool data = false;
	int part;

	ktap_ok(RESCAN(fd, ents, w),
		"an extended partition, four logical ones");
	disk_part_name(scratch, 6, name);
	part = disk_open(name, O_RDONLY);
	if (part >= 0) {
		data = !disk_io(part, false, buf, 0, 1) &&
		       stamp_check(buf, 1305, 1, 0) < 0;
		close(part);
	}
	ktap_ok(data, "the 6th partition's first sector is disk sector 1305");
}

static void test_past_end(int fd)
{
	static const struct ent ents[] = {
		{ 0, 0, 0x83, 100, 100 },
		{ 0, 1, 0x83, 3000, 5000 }, /* runs past the end: cut */
		{ 0, 2, 0x83, 5000, 10 }, /* starts past it: ignored */
		{ 0, 3, 0x83, 0xfffffff0u, 0x100 },
	};
	static const struct want w[] = {
		{ 1, 100, 100 },
		{ 2, 3000, SCRATCH_SECTORS - 3000 },
	};

	ktap_ok(RESCAN(fd, ents, w),
		"entries past the end: truncated or ignored");
}

static void test_loops(int fd)
{
	static const struct ent ents[] = {
		{ 0, 0, 0x05, 1000, 2000 },
		{ 1000, 0, 0x83, 10, 100 },
		{ 1000, 1, 0x05, 500, 100 },
		{ 1500, 1, 0x05, 1000, 100 }, /* no partition in these */
		{ 2000, 1, 0x05, 500, 100 }, /* back to 1500 */
	};
	static const struct want w[] = { { 1, 1000, 2 }, { 5, 1010, 100 } };
	static const struct ent self[] = {
		{ 0, 0, 0x05, 1000, 2000 },
		{ 1000, 0, 0x83, 10, 100 },
		{ 1000, 1, 0x05, 0, 2000 }, /* itself */
	};
	static const struct want w5 = { 5, 1010, 100 };
	bool ok;
	int n;

	ktap_ok(RESCAN(fd, ents, w), "an EBR chain looping without partitions");
	ok = !write_table(fd, self, 3) && ioctl(fd, BLKRRPART) == 0 &&
	     part_is(scratch, &w5);
	proc_blocks(scratch, 0, &n);
	ktap_ok(ok, "an EBR linking to itself: the scan ends (%d partitions)",
		n);
}

static void test_overlaps(int fd)
{
	static const struct ent ents[] = {
		{ 0, 0, 0x83, 100, 400 },   { 0, 1, 0x83, 300, 100 },
		{ 0, 2, 0x83, 450, 1000 },  { 0, 3, 0x05, 2000, 1000 },
		{ 2000, 0, 0x83, 1, 1500 }, /* out of its container */
	};
	static const struct want w[] = {
		{ 1, 100, 400 }, { 2, 300, 100 },   { 3, 450, 1000 },
		{ 4, 2000, 2 },	 { 5, 2001, 1500 },
	};

	ktap_ok(RESCAN(fd, ents, w), "overlapping entries are kept");
}

/* BLKRRPART on a partition; on the disk while a partition is open. */
static void test_rrpart_errors(int fd)
{
	static const struct want w1 = { 1, 100, 400 };
	char name[DISK_NAME_LEN];
	int part, ret, err;

	disk_part_name(scratch, 1, name);
	part = disk_open(name, O_RDONLY);
	EXPECT_ERRNO(ioctl(part, BLKRRPART), EINVAL);
	ret = ioctl(fd, BLKRRPART);
	err = errno;
	if (!ktap_ok(part >= 0 && ret < 0 && err == EBUSY &&
			     part_is(scratch, &w1),
		     "BLKRRPART with a partition open: EBUSY, same table"))
		ktap_diag("ret %d errno %s", ret, strerror(err));
	if (part >= 0)
		close(part);
	ktap_ok(ioctl(fd, BLKRRPART) == 0 && part_is(scratch, &w1),
		"BLKRRPART once the partition is closed");
}

int main(void)
{
	int fd;

	if (!disk_plan(PLAN, "partitions"))
		return ktap_exit();
	if (!ktap_ok(!disk_find(1, 0, parted) && !disk_find(2, 1, scratch) &&
			     disk_attr(scratch, NULL, "size") ==
				     SCRATCH_SECTORS,
		     "disks at ata1.00 and ata2.01"))
		return disk_missing(PLAN);
	ktap_diag("ata1.00 is %s, ata2.01 is %s", parted, scratch);
	test_boot_disk();
	fd = disk_open(scratch, O_RDWR);
	test_empty(fd);
	test_chain(fd);
	test_past_end(fd);
	test_loops(fd);
	test_overlaps(fd);
	test_rrpart_errors(fd);
	close(fd);
	return ktap_exit();
}
