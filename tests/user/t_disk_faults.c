/*
 * Tier-3 test: a disk that fails reads (tests/user/disk.h: the primary
 * slave, ATA 1.1, is behind QEMU's blkdebug, which fails every read of
 * sector DISK_BAD_SECTOR with EIO), the same on Kestrel and on Linux:
 *
 *  - reads elsewhere on the disk work before the failure;
 *  - a read of the bad sector returns EIO to the program;
 *  - the kernel logs it: a new line in the kernel log names the sector
 *    and says "error" or "failed" (Kestrel: "ata1.01: failed command:
 *    READ DMA, LBA 1000, count 1"; Linux: "I/O error, dev sdb, sector
 *    1000 ...");
 *  - afterwards reads of other sectors of the disk (the next 4 KiB
 *    page: Linux reads a page at a time, so a neighbour in the same page
 *    fails too) and of the other disk work, and the bad sector fails
 *    again.
 *
 * With no disk at 1.1 or 1.0 every case fails: the user boot has both.
 */
#include <ctype.h>
#include <fcntl.h>
#include <sys/klog.h>
#include <unistd.h>

#include "disk.h"
#include "ktap.h"

#define PLAN 7
#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_CLEAR 5
#define LOG_SIZE (256 * 1024)

static char bad_disk[DISK_NAME_LEN], good_disk[DISK_NAME_LEN];
static unsigned char buf[8 * DISK_SECTOR];
static char log_text[LOG_SIZE];

/* Read sector @lba of @disk; it must hold its stamp. */
static bool reads_stamp(const char *disk, unsigned long long lba)
{
	int fd = disk_open(disk, O_RDONLY);
	bool ok = fd >= 0 && !disk_io(fd, false, buf, lba, 1) &&
		  stamp_check(buf, lba, 1, 0) < 0;

	if (!ok)
		ktap_diag("%s sector %llu: %s", disk, lba, strerror(errno));
	if (fd >= 0)
		close(fd);
	return ok;
}

/* Read the bad sector: -1 and the errno, or what the read returned. */
static int read_bad(int *err)
{
	int fd = disk_open(bad_disk, O_RDONLY);
	ssize_t n = -1;

	errno = 0;
	if (fd >= 0) {
		n = pread(fd, buf, DISK_SECTOR, DISK_BAD_SECTOR * DISK_SECTOR);
		*err = errno;
		close(fd);
	} else {
		*err = errno;
	}
	return (int)n;
}

/* A line of the kernel log that names @lba and an error or failure. */
static bool logged(unsigned long long lba)
{
	char num[24], *line, *save = NULL, *p;
	int n = klogctl(SYSLOG_ACTION_READ_ALL, log_text, LOG_SIZE - 1);

	if (n < 0)
		return false;
	log_text[n] = '\0';
	snprintf(num, sizeof(num), "%llu", lba);
	for (line = strtok_r(log_text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		for (p = line; *p; p++)
			*p = tolower((unsigned char)*p);
		p = strstr(line, num);
		if (p && !isdigit((unsigned char)p[strlen(num)]) &&
		    (strstr(line, "error") || strstr(line, "failed"))) {
			ktap_diag("logged: %s", line);
			return true;
		}
	}
	return false;
}

int main(void)
{
	int n, err;

	if (!disk_plan(PLAN, "disk_faults"))
		return ktap_exit();
	if (!ktap_ok(!disk_find(1, 1, bad_disk) && !disk_find(1, 0, good_disk),
		     "disks at ata1.01 and ata1.00"))
		return disk_missing(PLAN);
	ktap_diag("ata1.01 is %s", bad_disk);
	ktap_ok(reads_stamp(bad_disk, 0) && reads_stamp(bad_disk, 500),
		"reads before the bad sector work");
	klogctl(SYSLOG_ACTION_CLEAR, NULL, 0);
	n = read_bad(&err);
	if (!ktap_ok(n == -1 && err == EIO,
		     "a read of the bad sector fails with EIO"))
		ktap_diag("read returned %d, errno %s", n, strerror(err));
	ktap_ok(logged(DISK_BAD_SECTOR), "the kernel logs the failed read");
	ktap_ok(reads_stamp(bad_disk, DISK_BAD_SECTOR + 8) &&
			reads_stamp(bad_disk, BLKDEBUG_SECTORS - 1) &&
			reads_stamp(bad_disk, 1500),
		"other sectors of the disk read after it");
	ktap_ok(reads_stamp(good_disk, 100), "the other disk reads after it");
	n = read_bad(&err);
	if (!ktap_ok(n == -1 && err == EIO, "the bad sector fails again"))
		ktap_diag("read returned %d, errno %s", n, strerror(err));
	return ktap_exit();
}
