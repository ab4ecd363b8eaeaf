/*
 * mount(2) with MS_MOVE (mount --move), what busybox switch_root does
 * to put the new root on /: the mount and what is mounted below it go
 * to the new place and leave the old one; a path that is not a mount's
 * root is EINVAL, a move into the mount itself ELOOP. Runs as root (the
 * test boot); elsewhere it is skipped. The whole switch_root is the
 * "switch-root" boot of scripts/run-tests.
 */
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ktap.h"

#define BASE "/tmp/t_mount_move"

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static bool make_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

int main(void)
{
	ktap_plan(6);
	if (geteuid() != 0) {
		for (int i = 0; i < 6; i++)
			ktap_skip("mount_move", "needs root");
		return ktap_exit();
	}
	mkdir(BASE, 0755);
	mkdir(BASE "/a", 0755);
	mkdir(BASE "/b", 0755);
	ktap_ok(!mount("none", BASE "/a", "tmpfs", 0, NULL) &&
			!mkdir(BASE "/a/sub", 0755) &&
			!mount("none", BASE "/a/sub", "tmpfs", 0, NULL) &&
			make_file(BASE "/a/file") &&
			make_file(BASE "/a/sub/f2"),
		"setup_two_tmpfs");
	ktap_ok(!mount(BASE "/a", BASE "/b", NULL, MS_MOVE, NULL) &&
			exists(BASE "/b/file") && exists(BASE "/b/sub/f2") &&
			!exists(BASE "/a/file"),
		"move_takes_children_along");
	mkdir(BASE "/b/plain", 0755); /* a directory, not a mount's root */
	EXPECT_ERRNO(mount(BASE "/b/plain", BASE "/a", NULL, MS_MOVE, NULL),
		     EINVAL);
	EXPECT_ERRNO(mount(BASE "/b", BASE "/b/sub", NULL, MS_MOVE, NULL),
		     ELOOP);
	EXPECT_ERRNO(mount(BASE "/nosuch", BASE "/a", NULL, MS_MOVE, NULL),
		     ENOENT);
	ktap_ok(!umount(BASE "/b/sub") && !umount(BASE "/b") &&
			!exists(BASE "/b/file"),
		"umount_after_move");
	rmdir(BASE "/a");
	rmdir(BASE "/b");
	rmdir(BASE);
	return ktap_exit();
}
