/*
 * Tier-3 workload for the power-cut test of ext2 (issue 13): the
 * "ext2-powercut" boot (scripts/run-tests, boot_ext2_powercut()) runs
 * it alone on a fresh, zero-filled image at 1.0 (kxpc, 1 KiB blocks,
 * empty) and kills QEMU while it writes: the program never ends by
 * itself.
 *
 * It mounts kxpc, asks the flusher to write back early and often (a
 * power cut then lands in the middle of writeback), and makes files
 * pc/f00000, pc/f00001, ... of 36 KiB to 252 KiB, never freeing a
 * block (no unlink, no truncation: a block that was never any file's
 * holds zeros, so data of one file found in another is a real bug, not
 * stale data). Every 16 bytes of file N at offset O are the record
 * "KXPC", N, O (little-endian u32, u64). After every fifth file it
 * fsyncs the file and the directory and prints "# powercut-synced N":
 * file N must survive whole (the others may lose anything but their
 * identity: ext2 orders no write before another).
 *
 * The harness, after the cut: e2fsck -fn may report only what ext2
 * without a journal may lose (counts, bitmaps, sizes, unattached or
 * missing inodes), never multiply-claimed or illegal blocks nor a
 * corrupted directory; debugfs reads every file back: each record is
 * zeros or its own; the fsync'ed files are whole.
 */
#include <fcntl.h>
#include <unistd.h>

#include "ext2.h"
#include "ktap.h"

#define ROOT "/mnt/kxpc"
#define MAX_FILES 100000

static const struct ext2_disk EXT2_PC = { "kxpc", 1, 0, 0 };

static void proc_write(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY);

	if (fd >= 0) {
		if (write(fd, value, strlen(value)) < 0)
			ktap_diag("%s: %s", path, ktap_errname(errno));
		close(fd);
	}
}

/* File @n, of @size bytes of its records; fsync'ed with @sync. */
static int one_file(int dirfd, uint32_t n, size_t size, bool sync)
{
	static unsigned char buf[4096];
	char name[16];
	int fd;

	snprintf(name, sizeof(name), "f%05u", n);
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0)
		return -1;
	for (uint64_t off = 0; off < size; off += sizeof(buf)) {
		for (size_t i = 0; i < sizeof(buf); i += 16) {
			uint64_t at = off + i;

			memcpy(buf + i, "KXPC", 4);
			memcpy(buf + i + 4, &n, 4);
			memcpy(buf + i + 8, &at, 8);
		}
		if (write(fd, buf, sizeof(buf)) != sizeof(buf)) {
			close(fd);
			return -1;
		}
	}
	if (sync && (fsync(fd) || fsync(dirfd))) {
		close(fd);
		return -1;
	}
	return close(fd);
}

int main(void)
{
	int dirfd;

	if (!ext2_plan(1, "t_ext2_powercut"))
		return ktap_exit();
	if (ext2_mount(&EXT2_PC, ROOT, 0) ||
	    (mkdir(ROOT "/pc", 0755) && errno != EEXIST) ||
	    (dirfd = open(ROOT "/pc", O_RDONLY | O_DIRECTORY)) < 0) {
		ktap_ok(false, "mount kxpc: %s", ktap_errname(errno));
		return ktap_exit();
	}
	proc_write("/proc/sys/vm/dirty_expire_centisecs", "5");
	proc_write("/proc/sys/vm/dirty_writeback_centisecs", "5");
	ktap_diag("powercut-start");
	for (uint32_t n = 0; n < MAX_FILES; n++) {
		bool sync = n % 5 == 4;

		if (one_file(dirfd, n, (36 + n % 7 * 36) * 1024, sync)) {
			ktap_diag("powercut-stopped at f%05u: %s", n,
				  ktap_errname(errno));
			break;
		}
		if (sync)
			ktap_diag("powercut-synced %u", n);
	}
	/* The disk is full: wait for the cut. */
	for (;;)
		pause();
}
