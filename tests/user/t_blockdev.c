/*
 * The block layer as user space sees it, with the first RAM disk
 * (drivers/block/brd.c; the user-test boot passes brd.rd_nr=1): what a
 * Linux reader (lsblk, util-linux, busybox) parses must be there and
 * agree with itself:
 *
 *  - /sys/block/ram0: dev, size, ro, removable, stat (11 fields at
 *    least: Linux 4.18+ prints 15, 5.5+ 17), queue/ limits, uevent;
 *    /sys/class/block/ram0 and /sys/dev/block/MAJ:MIN lead to it;
 *  - /dev/ram0 is a block node with that number (devtmpfs);
 *  - /proc/partitions lists it with size / 2 1-KiB blocks,
 *    /proc/diskstats with 14 fields at least, /proc/devices's "Block
 *    devices:" names its major;
 *  - the node reads and writes (unaligned too), seeks from its end,
 *    fsyncs, ends with ENOSPC, answers BLKGETSIZE(64), BLKSSZGET,
 *    BLKPBSZGET, BLKROGET/BLKROSET (read-only: EPERM, EACCES) and
 *    HDIO_GETGEO, and the write counters of stat move.
 *
 * Where there is no ram0 (Debian's brd is a module, not loaded) every
 * case SKIPs.
 */
#include "ktap.h"
#include "fileio.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/hdreg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define DISK "ram0"
#define SYSDIR "/sys/block/" DISK
#define PLAN 23
#define FILE_CASES 12
#define BUF_SIZE 8192

static char buf[BUF_SIZE];

/* The unsigned number in @path, or -1. */
static long long read_num(const char *path)
{
	char *end;
	long long v;

	if (read_text(path, buf, sizeof(buf)) <= 0)
		return -1;
	v = strtoll(buf, &end, 10);
	return end != buf && *end == '\n' ? v : -1;
}

/* How many numbers the line holds (all of it must be numbers). */
static int count_fields(const char *line)
{
	int n = 0;
	char *end;

	for (;;) {
		while (*line == ' ')
			line++;
		if (!*line || *line == '\n')
			return n;
		strtoull(line, &end, 10);
		if (end == line || (*end != ' ' && *end != '\n' && *end))
			return -1;
		n++;
		line = end;
	}
}

static unsigned int major_nr, minor_nr;
static long long sectors;

static void test_sysfs_dev(void)
{
	bool ok = read_text(SYSDIR "/dev", buf, sizeof(buf)) > 0 &&
		  sscanf(buf, "%u:%u", &major_nr, &minor_nr) == 2;

	ktap_ok(ok, "dev is MAJ:MIN (%u:%u)", major_nr, minor_nr);
	sectors = read_num(SYSDIR "/size");
	ktap_ok(sectors > 0, "size is a count of sectors (%lld)", sectors);
	ktap_ok(read_num(SYSDIR "/ro") == 0 &&
			read_num(SYSDIR "/removable") == 0,
		"ro and removable are 0");
}

static void test_sysfs_stat_queue(void)
{
	int n = read_text(SYSDIR "/stat", buf, sizeof(buf)) > 0 ?
			count_fields(buf) :
			-1;

	ktap_ok(n >= 11, "stat has 11 fields or more (%d)", n);
	ktap_ok(read_num(SYSDIR "/queue/logical_block_size") == 512 &&
			read_num(SYSDIR "/queue/hw_sector_size") == 512 &&
			read_num(SYSDIR "/queue/max_sectors_kb") > 0 &&
			read_num(SYSDIR "/queue/nr_requests") >= 0 &&
			read_num(SYSDIR "/queue/rotational") == 0,
		"queue/ limits");
}

static void test_links_and_node(void)
{
	char path[64];
	struct stat a, b, node;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", major_nr,
		 minor_nr);
	ktap_ok(!stat(SYSDIR, &a) && !stat("/sys/class/block/" DISK, &b) &&
			a.st_ino == b.st_ino && !stat(path, &b) &&
			a.st_ino == b.st_ino,
		"/sys/class/block and /sys/dev/block lead to the disk");
	ktap_ok(read_text(SYSDIR "/uevent", buf, sizeof(buf)) > 0 &&
			strstr(buf, "DEVNAME=" DISK "\n") &&
			strstr(buf, "DEVTYPE=disk\n"),
		"uevent has DEVNAME and DEVTYPE=disk");
	ktap_ok(!stat("/dev/" DISK, &node) && S_ISBLK(node.st_mode) &&
			major(node.st_rdev) == major_nr &&
			minor(node.st_rdev) == minor_nr,
		"/dev/" DISK " is a block node %u:%u", major_nr, minor_nr);
}

/* The line of /proc/@file about the disk, after "MAJ MIN NAME". */
static const char *proc_line(const char *file, const char *fmt)
{
	unsigned int ma, mi;
	char name[32], *line;
	int at;

	if (read_text(file, buf, sizeof(buf)) <= 0)
		return NULL;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (sscanf(line, fmt, &ma, &mi, name, &at) == 3 &&
		    ma == major_nr && mi == minor_nr && !strcmp(name, DISK))
			return line;
	return NULL;
}

static void test_proc(void)
{
	const char *line;
	unsigned long long blocks = 0;
	unsigned int ma, mi;
	char name[32];
	int at = 0;

	line = proc_line("/proc/partitions", "%u %u %*u %31s%n");
	if (line)
		sscanf(line, "%u %u %llu %31s", &ma, &mi, &blocks, name);
	ktap_ok(line && (long long)blocks * 2 == sectors,
		"/proc/partitions: %llu blocks of 1 KiB", blocks);
	line = proc_line("/proc/diskstats", "%u %u %31s%n");
	if (line)
		sscanf(line, "%u %u %31s %n", &ma, &mi, name, &at);
	ktap_ok(line && count_fields(line + at) >= 11,
		"/proc/diskstats: 11 counters or more");
	ktap_ok(read_text("/proc/devices", buf, sizeof(buf)) > 0 &&
			(line = strstr(buf, "Block devices:\n")) &&
			(snprintf(name, sizeof(name), "\n%3u ", major_nr),
			 strstr(line, name)),
		"/proc/devices lists block major %u", major_nr);
}

static void test_ioctls(int fd)
{
	unsigned long long bytes = 0;
	unsigned long nr = 0;
	struct hd_geometry geo;
	int ssz = 0, pbsz = 0, ro = -1;

	bool ok = !ioctl(fd, BLKGETSIZE64, &bytes) &&
		  !ioctl(fd, BLKGETSIZE, &nr);

	ktap_ok(ok && (long long)bytes == sectors * 512 &&
			(long long)nr == sectors,
		"BLKGETSIZE64 and BLKGETSIZE (%llu, %lu)", bytes, nr);
	ktap_ok(!ioctl(fd, BLKSSZGET, &ssz) && !ioctl(fd, BLKPBSZGET, &pbsz) &&
			ssz == 512 && pbsz == 512,
		"BLKSSZGET and BLKPBSZGET are 512");
	ktap_ok(!ioctl(fd, BLKROGET, &ro) && ro == 0, "BLKROGET is 0");
	/* brd has no geometry: Linux says ENOTTY, Kestrel fakes 255/63 */
	ktap_ok((!ioctl(fd, HDIO_GETGEO, &geo) && geo.start == 0 &&
		 (long long)geo.heads * geo.sectors * geo.cylinders <=
			 sectors) ||
			errno == ENOTTY,
		"HDIO_GETGEO");
}

/* Fill @b with a pattern that depends on @seed and the position. */
static void pattern(unsigned char *b, size_t n, int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (unsigned char)(i * 7 + seed);
}

/* pwritev of three unaligned pieces, preadv back in other pieces. */
static void test_vectors(int fd)
{
	static unsigned char out[3000], in[3000];
	struct iovec w[3] = { { out, 100 },
			      { out + 100, 1500 },
			      { out + 1600, 1400 } };
	struct iovec r[2] = { { in, 2999 }, { in + 2999, 1 } };

	pattern(out, sizeof(out), 77);
	ktap_ok(pwritev(fd, w, 3, 7000) == 3000 &&
			preadv(fd, r, 2, 7000) == 3000 &&
			!memcmp(in, out, sizeof(out)),
		"pwritev and preadv");
}

static void test_rw(int fd)
{
	static unsigned char out[5000], in[5000];
	long long size = sectors * 512;
	long before = 0, after = 0;
	int n = 0;

	if (read_text(SYSDIR "/stat", buf, sizeof(buf)) > 0)
		sscanf(buf, "%*u %*u %*u %*u %ld", &before);
	pattern(out, sizeof(out), 3);
	ktap_ok(pwrite(fd, out, 3000, 1000) == 3000 &&
			pread(fd, in, 3000, 1000) == 3000 &&
			!memcmp(in, out, 3000) && pread(fd, in, 1, 999) == 1 &&
			in[0] == 0,
		"unaligned pwrite and pread, neighbours untouched");
	pattern(out, sizeof(out), 9);
	ktap_ok(lseek(fd, 0, SEEK_SET) == 0 && write(fd, out, 4096) == 4096 &&
			lseek(fd, 0, SEEK_CUR) == 4096 &&
			pread(fd, in, 4096, 0) == 4096 &&
			!memcmp(in, out, 4096),
		"write at the position, read back");
	ktap_ok(lseek(fd, 0, SEEK_END) == size &&
			lseek(fd, -512, SEEK_END) == size - 512,
		"SEEK_END is the device's size");
	errno = 0;
	ktap_ok(pwrite(fd, out, 1024, size - 512) == 512 &&
			pwrite(fd, out, 1, size) == -1 && errno == ENOSPC &&
			pread(fd, in, 10, size) == 0,
		"writes stop at the end (ENOSPC), reads return 0");
	ktap_ok(!fsync(fd), "fsync");
	test_vectors(fd);
	if (read_text(SYSDIR "/stat", buf, sizeof(buf)) > 0)
		n = sscanf(buf, "%*u %*u %*u %*u %ld", &after);
	ktap_ok(n == 1 && after > before, "stat counts the writes (%ld -> %ld)",
		before, after);
}

static void test_read_only(int fd)
{
	int ro = 1, back = 0, fd2;
	bool ok;

	if (geteuid()) {
		ktap_skip("BLKROSET", "not root");
		return;
	}
	ok = !ioctl(fd, BLKROSET, &ro);
	errno = 0;
	ok = ok && pwrite(fd, buf, 512, 0) == -1 && errno == EPERM;
	fd2 = open("/dev/" DISK, O_WRONLY);
	ok = ok && fd2 == -1 && errno == EACCES;
	if (fd2 >= 0)
		close(fd2);
	ok = ok && read_num(SYSDIR "/ro") == 1;
	ok = !ioctl(fd, BLKROSET, &back) && ok && !ioctl(fd, BLKROGET, &ro) &&
	     ro == 0;
	ktap_ok(ok, "BLKROSET: writes fail with EPERM, opens with EACCES");
}

static void test_file(void)
{
	int fd = open("/dev/" DISK, O_RDWR);
	int i;

	if (fd < 0) {
		for (i = 0; i < FILE_CASES; i++)
			ktap_skip("blockdev_file", "open: %s", strerror(errno));
		return;
	}
	test_ioctls(fd);
	test_rw(fd);
	test_read_only(fd);
	close(fd);
}

int main(void)
{
	int i;

	ktap_plan(PLAN);
	if (access(SYSDIR, F_OK)) {
		for (i = 0; i < PLAN; i++)
			ktap_skip("blockdev", "no " SYSDIR " (brd not loaded)");
		return ktap_exit();
	}
	test_sysfs_dev();
	test_sysfs_stat_queue();
	test_links_and_node();
	test_proc();
	test_file();
	return ktap_exit();
}
