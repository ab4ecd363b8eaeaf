/*
 * Tier-3 test: unbinding the IDE controller's driver while a disk is open
 * (drivers/ata/ata_disk.c, docs/ata.md "Disks"). The disk goes from
 * /sys/block and /dev, a read on the file still open returns no data
 * instead of crashing (Kestrel: ENXIO; Linux: 0, the disk's capacity
 * having dropped to 0), closing it is fine, and binding the driver again
 * brings the disk back with the same data. The same on Linux, whose
 * ata_piix is unbound the same way; there the channels come back with
 * new numbers (ata3, ata4: libata never reuses one), so the disk is
 * looked for as the master of any channel with the test disk's size. Skipped outside a test boot (no kt_disks=, tests/user/disk.h),
 * failed when the test disk is missing from one. It runs last: the disks
 * come back under the same positions, not necessarily the same names.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "disk.h"
#include "ktap.h"

#define PIIX "0000:00:01.1"
#define DRIVER "/sys/bus/pci/drivers/ata_piix/"
#define NR_CASES 9
#define BLKGETSIZE64_ _IOR(0x12, 114, size_t)

/* Write @what into the driver's @file (bind, unbind). */
static bool driver_write(const char *file, const char *what)
{
	char path[128];
	bool ok;
	int fd;

	snprintf(path, sizeof(path), DRIVER "%s", file);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return false;
	ok = write(fd, what, strlen(what)) == (ssize_t)strlen(what);
	close(fd);
	return ok;
}

/* The test disk again: the master of a channel, 8 MiB, waited for up
 * to @ms milliseconds. 0, or -1. */
static int find_again(char *name, int ms)
{
	int port;

	for (; ms > 0; ms -= 50) {
		for (port = 1; port <= 16; port++)
			if (!disk_find(port, 0, name) &&
			    disk_attr(name, NULL, "size") ==
				    (long long)DISK_SECTORS)
				return 0;
		usleep(50 * 1000);
	}
	return -1;
}

/* One sector at @lba of @fd holds its stamp. */
static bool sector_ok(int fd, unsigned long long lba)
{
	static char buf[DISK_SECTOR];

	return !disk_io(fd, false, buf, lba, 1) &&
	       stamp_check(buf, lba, 1, 0) < 0;
}

int main(void)
{
	char name[DISK_NAME_LEN], again[DISK_NAME_LEN], path[96];
	struct stat st;
	char buf[DISK_SECTOR];
	unsigned long long bytes;
	int fd;
	ssize_t n;

	if (!disk_plan(NR_CASES, "unbind"))
		return ktap_exit();
	if (!ktap_ok(!disk_wait(1, 0, name, 2000) &&
			     disk_attr(name, NULL, "size") ==
				     (long long)DISK_SECTORS,
		     "test_disk_at_ata1.00"))
		return disk_missing(NR_CASES);
	fd = disk_open(name, O_RDONLY);
	ktap_ok(fd >= 0 && sector_ok(fd, 3000), "read_before_unbind");

	ktap_ok(driver_write("unbind", PIIX), "unbind_with_disk_open");
	snprintf(path, sizeof(path), "/sys/block/%s", name);
	ktap_ok(stat(path, &st) && disk_find(1, 0, again), "disk_gone");

	/* sector 5000 was never read: no cache can answer it */
	errno = 0;
	n = pread(fd, buf, sizeof(buf), 5000LL * DISK_SECTOR);
	if (!ktap_ok(n == 0 || (n < 0 && (errno == EIO || errno == ENXIO ||
					  errno == ENODEV)),
		     "io_on_open_file_gets_no_data"))
		ktap_diag("pread returned %zd (errno %d)", n, errno);
	/* whatever it answers, it answers */
	ioctl(fd, BLKGETSIZE64_, &bytes);
	ktap_ok(close(fd) == 0, "close_after_unbind");

	ktap_ok(driver_write("bind", PIIX), "bind_again");
	if (!ktap_ok(!find_again(again, 10000), "disk_back"))
		return ktap_exit();
	fd = disk_open(again, O_RDONLY);
	ktap_ok(fd >= 0 && sector_ok(fd, 5000) && sector_ok(fd, 3000),
		"data_after_rebind");
	if (fd >= 0)
		close(fd);
	return ktap_exit();
}
