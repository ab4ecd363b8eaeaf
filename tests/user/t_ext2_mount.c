/*
 * Tier-3 test of ext2's mount and umount paths (issue 13), on the ext2
 * boot's disks (tests/user/ext2.h):
 *
 *  - a partition of LBA stamps (no file system) mounted as ext2: EINVAL;
 *    an unknown type ENODEV, a missing device ENOENT, a file as the
 *    mount point ENOTDIR;
 *  - kxfm mounted: statfs's type, block size and size; umount while a
 *    file is open, or while a process's cwd is inside: EBUSY;
 *  - data written, then "-o remount,ro": creating, opening for writing,
 *    mkdir, unlink and rename give EROFS, statvfs says ST_RDONLY, the
 *    data is there after umount and a fresh read-only mount;
 *  - remount read-write: a file made and removed; umount; umount again
 *    EINVAL.
 */
#include <fcntl.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "ext2.h"
#include "ktap.h"

#define PLAN 14
#define ROOT "/mnt/kxfm"
#define EXT2_SUPER_MAGIC 0xef53

static int child_in_cwd(void)
{
	int go[2], status, ok;
	char c;
	pid_t pid;

	if (pipe(go))
		return 0;
	pid = fork();
	if (pid == 0) {
		close(go[0]);
		if (chdir(ROOT))
			_exit(1);
		write(go[1], "x", 1);
		pause();
		_exit(0);
	}
	close(go[1]);
	ok = read(go[0], &c, 1) == 1;
	close(go[0]);
	errno = 0;
	ok = ok && umount(ROOT) < 0 && errno == EBUSY;
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return ok;
}

static bool all_erofs(void)
{
	struct stat st;
	bool ok = true;

	errno = 0;
	ok &= open(ROOT "/new", O_WRONLY | O_CREAT, 0644) < 0 && errno == EROFS;
	errno = 0;
	ok &= open(ROOT "/data", O_WRONLY) < 0 && errno == EROFS;
	errno = 0;
	ok &= mkdir(ROOT "/dir", 0755) < 0 && errno == EROFS;
	errno = 0;
	ok &= unlink(ROOT "/data") < 0 && errno == EROFS;
	errno = 0;
	ok &= rename(ROOT "/data", ROOT "/moved") < 0 && errno == EROFS;
	return ok && !stat(ROOT "/data", &st);
}

static bool data_is_there(void)
{
	char buf[8192], want[8192];
	int fd = open(ROOT "/data", O_RDONLY);
	bool ok = fd >= 0 && read(fd, buf, sizeof(buf)) == sizeof(buf);

	ext2_pattern(want, 77, 0, sizeof(want));
	if (fd >= 0)
		close(fd);
	return ok && !memcmp(buf, want, sizeof(want));
}

int main(void)
{
	char dev[64], want[8192];
	struct statfs sfs;
	struct statvfs svfs;
	int fd;

	if (!ext2_plan(PLAN, "t_ext2_mount"))
		return ktap_exit();
	mkdir("/mnt", 0755);
	mkdir(ROOT, 0755);
	mkdir("/mnt/none", 0755);
	EXPECT_ERRNO(ext2_mount(&EXT2_NONE, "/mnt/none", 0), EINVAL);
	ext2_dev_path(&EXT2_FM, dev, sizeof(dev));
	EXPECT_ERRNO(mount(dev, ROOT, "ext9", 0, NULL), ENODEV);
	EXPECT_ERRNO(mount("/dev/nothing-here", ROOT, "ext2", 0, NULL), ENOENT);
	EXPECT_ERRNO(mount(dev, "/init", "ext2", 0, NULL), ENOTDIR);

	if (!ktap_ok(!ext2_mount(&EXT2_FM, ROOT, 0) && !statfs(ROOT, &sfs) &&
			     sfs.f_type == EXT2_SUPER_MAGIC &&
			     sfs.f_bsize == 4096 && sfs.f_blocks > 3500 &&
			     sfs.f_blocks <= 4096,
		     "mount kxfm: statfs says ext2, 4 KiB blocks, 16 MiB"))
		ktap_diag("mount: %s", ktap_errname(errno));
	fd = open(ROOT "/data", O_RDWR | O_CREAT | O_TRUNC, 0644);
	ext2_pattern(want, 77, 0, sizeof(want));
	errno = 0;
	ktap_ok(fd >= 0 && write(fd, want, sizeof(want)) == sizeof(want) &&
			umount(ROOT) < 0 && errno == EBUSY,
		"umount with a file open: EBUSY");
	close(fd);
	ktap_ok(child_in_cwd(), "umount with a cwd inside: EBUSY");

	EXPECT_SUCCESS(mount(NULL, ROOT, NULL, MS_REMOUNT | MS_RDONLY, NULL));
	ktap_ok(all_erofs(), "read-only: creat, open for writing, mkdir, "
			     "unlink, rename give EROFS");
	ktap_ok(!statvfs(ROOT, &svfs) && (svfs.f_flag & ST_RDONLY) &&
			data_is_there(),
		"statvfs says ST_RDONLY; the data reads back");
	ktap_ok(!umount(ROOT) && !ext2_mount(&EXT2_FM, ROOT, MS_RDONLY) &&
			data_is_there() && !umount(ROOT),
		"the data is on the disk after remount,ro and umount");

	ktap_ok(!ext2_mount(&EXT2_FM, ROOT, MS_RDONLY) &&
			!mount(NULL, ROOT, NULL, MS_REMOUNT, NULL) &&
			(fd = open(ROOT "/new", O_WRONLY | O_CREAT, 0644)) >=
				0 &&
			!close(fd) && !unlink(ROOT "/new") &&
			!unlink(ROOT "/data"),
		"remount read-write: create and unlink work");
	EXPECT_SUCCESS(umount(ROOT));
	EXPECT_ERRNO(umount(ROOT), EINVAL);
	return ktap_exit();
}
