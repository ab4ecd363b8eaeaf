/*
 * The IDE disks of the user boot, for the tier-3 disk tests, the same on
 * Kestrel and on Linux (the oracle, with its ata_piix).
 *
 * A disk is found by where it sits, ATA port P (1 primary, 2 secondary
 * channel) and device D (0 master, 1 slave), never by its name: Kestrel
 * calls the primary master hda, Linux sda, and Linux's names follow the
 * order its asynchronous probes finish in. /sys/block/NAME/device leads
 * to the ATA device on Kestrel and to the SCSI device libata made for it
 * on Linux:
 *
 *	Kestrel	/sys/devices/pci0000:00/0000:00:01.1/ata1/ata1.00
 *	Linux	/sys/devices/pci0000:00/0000:00:01.1/ata1/host0/target0:0:0/0:0:0:0
 *
 * The "ataP" component gives the port, the last one the device (ataP.0D,
 * or H:C:D:L, libata's SCSI id being the device number).
 *
 * scripts/run-tests (ata_drives()) builds the images: every 512-byte
 * sector holds its own LBA as a little-endian u64 repeated 64 times (a
 * "stamp"), the partition tables' sectors excepted, so data read from or
 * written to the wrong place is caught. The user boot's disks:
 *
 *	1.0  8 MiB, an MBR: DISK_LAYOUT below        DMA
 *	1.1  1 MiB, no table; QEMU's blkdebug fails every read of
 *	     sector DISK_BAD_SECTOR with EIO
 *	2.0  QEMU's DVD-ROM (no disk is made for it)
 *	2.1  2 MiB, no table: the scratch disk (t_partitions writes tables
 *	     on it)                                    PIO (ata.pio=1.1)
 *
 * t_disk_rw writes DISK_WRITE_PATTERN stamps at the sectors it lists
 * ("# disk-wrote" lines) on 1.0; the harness checks them in the image
 * after power-off. Other tests must not expect stamps there.
 */
#ifndef _TESTS_USER_DISK_H
#define _TESTS_USER_DISK_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"

#define DISK_SECTOR 512
#define DISK_NAME_LEN 32

/* The partitioned disk (1.0): number, first sector, length in sectors.
 * The extended partition (2) shows as 2 sectors, its EBR and one more,
 * on both kernels; the EBRs are at 4096, 6144 and 8192. */
struct disk_part {
	int n;
	unsigned long long start, size;
};

#define DISK_SECTORS 16384ULL
static const struct disk_part DISK_LAYOUT[] = {
	{ 1, 63, 2000 },   { 2, 4096, 2 },    { 3, 12288, 4096 },
	{ 5, 4159, 1000 }, { 6, 6145, 1500 }, { 7, 8194, 4094 },
};
#define DISK_LAYOUT_N (sizeof(DISK_LAYOUT) / sizeof(DISK_LAYOUT[0]))

/* The MBR and the EBRs: the sectors of 1.0 that hold no stamp. */
static const unsigned long long DISK_TABLES[] = { 0, 4096, 6144, 8192 };

static inline bool disk_is_table(unsigned long long lba)
{
	for (size_t i = 0; i < sizeof(DISK_TABLES) / sizeof(DISK_TABLES[0]);
	     i++)
		if (DISK_TABLES[i] == lba)
			return true;
	return false;
}

#define BLKDEBUG_SECTORS 2048ULL
#define DISK_BAD_SECTOR 1000ULL /* of 1.1: every read of it fails */
#define SCRATCH_SECTORS 4096ULL

/* What t_disk_rw writes: the stamp of (LBA ^ this). */
#define DISK_WRITE_PATTERN 0xa5a5a5a5a5a5a5a5ULL

/*
 * Are we in a test boot? Its command line names the disks (kt_disks=,
 * in init's environment, which the tests inherit). Elsewhere (make
 * user-tests-host on a developer's machine) the disk tests skip: they
 * write to the disks they find.
 */
static inline bool disk_test_boot(void)
{
	return getenv("kt_disks") != NULL;
}

/*
 * For a disk test's main(): print the plan of @plan cases; outside a
 * test boot report them all skipped and return false.
 */
static inline bool disk_plan(int plan, const char *name)
{
	ktap_plan(plan);
	if (disk_test_boot())
		return true;
	for (int i = 0; i < plan; i++)
		ktap_skip(name, "not a test boot (no kt_disks=)");
	return false;
}

/* After a failed first case (a disk missing): fail the @plan - 1 others.
 * Returns main()'s exit status. */
static inline int disk_missing(int plan)
{
	for (int i = 1; i < plan; i++)
		ktap_ok(false, "no test disk");
	return ktap_exit();
}

/* Fill @nsect sectors at @buf with the stamps of @lba, @lba + 1, ...,
 * each value XORed with @xor (0 for the image's own stamps). */
static inline void stamp_fill(void *buf, unsigned long long lba,
			      unsigned int nsect, unsigned long long xor)
{
	uint64_t *p = buf;

	for (unsigned int s = 0; s < nsect; s++)
		for (int i = 0; i < DISK_SECTOR / 8; i++)
			*p++ = (lba + s) ^ xor;
}

/* The index of the first of @nsect sectors at @buf that is not the
 * stamp of @lba + index (XOR @xor), or -1 when all are. */
static inline long stamp_check(const void *buf, unsigned long long lba,
			       unsigned int nsect, unsigned long long xor)
{
	const uint64_t *p = buf;

	for (unsigned int s = 0; s < nsect; s++)
		for (int i = 0; i < DISK_SECTOR / 8; i++)
			if (*p++ != ((lba + s) ^ xor))
				return s;
	return -1;
}

/* The port and device that the real path of /sys/block/@name/device
 * names; false when it is not an ATA disk. */
static inline bool disk_position(const char *name, int *port, int *dev)
{
	char link[PATH_MAX], real[PATH_MAX], *comp, *save = NULL;
	int p = -1, d = -1, h, c, l, n;

	snprintf(link, sizeof(link), "/sys/block/%s/device", name);
	if (!realpath(link, real))
		return false;
	for (comp = strtok_r(real, "/", &save); comp;
	     comp = strtok_r(NULL, "/", &save)) {
		if (sscanf(comp, "ata%d%n", &p, &n) == 1 && !comp[n])
			continue; /* the port, "ata1" */
		if (sscanf(comp, "ata%*d.%d%n", &d, &n) == 1 && !comp[n])
			continue; /* Kestrel's device, "ata1.00" */
		if (sscanf(comp, "%d:%d:%d:%d%n", &h, &c, &d, &l, &n) == 4 &&
		    !comp[n])
			continue; /* Linux's SCSI device, "0:0:0:0" */
	}
	*port = p;
	*dev = d;
	return p > 0 && d >= 0;
}

/* Put in @name the /sys/block name of the disk at @port.@dev; 0, or -1
 * when there is none. */
static inline int disk_find(int port, int dev, char *name)
{
	DIR *dir = opendir("/sys/block");
	struct dirent *de;
	int p, d, ret = -1;

	if (!dir)
		return -1;
	while (ret && (de = readdir(dir))) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= DISK_NAME_LEN)
			continue;
		if (disk_position(de->d_name, &p, &d) && p == port &&
		    d == dev) {
			strcpy(name, de->d_name);
			ret = 0;
		}
	}
	closedir(dir);
	return ret;
}

/* disk_find(), retried for up to @ms milliseconds (Linux probes its
 * disks asynchronously, after the driver's module is loaded). */
static inline int disk_wait(int port, int dev, char *name, int ms)
{
	struct timespec tick = { 0, 50 * 1000 * 1000 };

	for (;;) {
		if (!disk_find(port, dev, name))
			return 0;
		if (ms <= 0)
			return -1;
		nanosleep(&tick, NULL);
		ms -= 50;
	}
}

/* Partition @n of @disk: "hda5" (a name ending in a digit would take a
 * "p", as Linux's nvme0n1p5, but ATA names never do). @n 0: the disk. */
static inline void disk_part_name(const char *disk, int n, char *buf)
{
	if (n)
		snprintf(buf, DISK_NAME_LEN, "%.20s%d", disk, n);
	else
		snprintf(buf, DISK_NAME_LEN, "%s", disk);
}

/* The number in /sys/block/@disk/[@part/]@attr, or -1. */
static inline long long disk_attr(const char *disk, const char *part,
				  const char *attr)
{
	char path[PATH_MAX], text[64], *end;
	long long v = -1;
	FILE *f;

	if (part && strcmp(part, disk))
		snprintf(path, sizeof(path), "/sys/block/%s/%s/%s", disk, part,
			 attr);
	else
		snprintf(path, sizeof(path), "/sys/block/%s/%s", disk, attr);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(text, sizeof(text), f)) {
		v = strtoll(text, &end, 10);
		if (end == text || (*end && *end != '\n'))
			v = -1;
	}
	fclose(f);
	return v;
}

/* open("/dev/@name", @flags). */
static inline int disk_open(const char *name, int flags)
{
	char path[64];

	snprintf(path, sizeof(path), "/dev/%s", name);
	return open(path, flags);
}

/* pread or pwrite of @nsect whole sectors at sector @lba: 0 when every
 * byte moved, else -1 with errno (EIO for a short transfer). */
static inline int disk_io(int fd, bool write, void *buf, unsigned long long lba,
			  unsigned int nsect)
{
	size_t len = (size_t)nsect * DISK_SECTOR, done = 0;
	off_t off = (off_t)lba * DISK_SECTOR;
	ssize_t n;

	while (done < len) {
		n = write ? pwrite(fd, (char *)buf + done, len - done,
				   off + done) :
			    pread(fd, (char *)buf + done, len - done,
				  off + done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!n)
				errno = EIO;
			return -1;
		}
		done += n;
	}
	return 0;
}

#endif /* _TESTS_USER_DISK_H */
