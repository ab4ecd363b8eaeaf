/*
 * devtmpfs is one instance: every "mount -t devtmpfs" shows the same
 * live tree (the same st_dev, the drivers' nodes, what any mount of it
 * creates or removes), and it outlives its mounts. And the kernel does
 * not mount it over the initramfs: seen through a bind mount of the
 * root (which carries no submounts), the initramfs's /dev has the
 * console node the kernel opened init's stdio on, and no /dev/null.
 *
 * Needs root. In the test VM (the runner, PID 1, mounted devtmpfs on
 * /dev) it works in /tmp; elsewhere in a mount namespace of its own,
 * where the initramfs cases SKIP. Passes on Linux.
 */
#include "ktap.h"
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define DIR_A "/tmp/kt_devtmpfs_a"
#define DIR_B "/tmp/kt_devtmpfs_b"
#define DIR_ROOT "/tmp/kt_devtmpfs_root"
#define MEM_MAJOR 1 /* Linux's Documentation/admin-guide/devices.txt */
#define NULL_MINOR 3
#define ZERO_MINOR 5
#define TTYAUX_MAJOR 5
#define CONSOLE_MINOR 1
#define NODE_MODE (S_IFCHR | 0600)
#define PLAN 11

static bool in_test_vm; /* run by the runner as PID 1 */

static bool is_chr(const char *path, unsigned int major, unsigned int minor)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISCHR(st.st_mode) &&
	       major(st.st_rdev) == major && minor(st.st_rdev) == minor;
}

static dev_t dev_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_dev : (dev_t)-1;
}

/* Mount devtmpfs on @dir (made if missing). */
static bool mount_devtmpfs(const char *dir)
{
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return false;
	if (mount("none", dir, "devtmpfs", 0, NULL) == 0)
		return true;
	ktap_diag("mount devtmpfs on %s: %s", dir, strerror(errno));
	return false;
}

/* The VM, or a private mount namespace; false if neither. */
static bool setup(void)
{
	in_test_vm = getppid() == 1;
	if (in_test_vm)
		return true;
	return unshare(CLONE_NEWNS) == 0 &&
	       mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0;
}

static void test_shared(void)
{
	ktap_ok(dev_of(DIR_A) == dev_of(DIR_B) && dev_of(DIR_A) != (dev_t)-1,
		"two devtmpfs mounts have one st_dev");
	ktap_ok(dev_of(DIR_A) == dev_of("/dev"),
		"and it is the one on /dev (init's)");
	ktap_ok(is_chr(DIR_A "/null", MEM_MAJOR, NULL_MINOR) &&
			is_chr(DIR_B "/zero", MEM_MAJOR, ZERO_MINOR),
		"the drivers' nodes are in each (null 1:3, zero 1:5)");
	ktap_ok(mknod(DIR_A "/kt_node", NODE_MODE,
		      makedev(MEM_MAJOR, NULL_MINOR)) == 0 &&
			is_chr(DIR_B "/kt_node", MEM_MAJOR, NULL_MINOR),
		"a node made in one mount is in the other");
	ktap_ok(unlink(DIR_B "/kt_node") == 0 &&
			access(DIR_A "/kt_node", F_OK) < 0 && errno == ENOENT,
		"a node removed in one is gone from the other");
	ktap_ok(mkdir(DIR_A "/kt_dir", 0755) == 0 &&
			access(DIR_B "/kt_dir", F_OK) == 0 &&
			rmdir(DIR_B "/kt_dir") == 0,
		"directories too");
}

/* What is made in the instance stays when no mount of ours is left. */
static void test_outlives_mounts(void)
{
	bool made = mknod(DIR_A "/kt_kept", NODE_MODE,
			  makedev(MEM_MAJOR, NULL_MINOR)) == 0;

	ktap_ok(made && umount(DIR_A) == 0 && umount(DIR_B) == 0,
		"make a node, unmount both");
	ktap_ok(mount_devtmpfs(DIR_A) &&
			is_chr(DIR_A "/kt_kept", MEM_MAJOR, NULL_MINOR),
		"a new mount still has it");
	unlink(DIR_A "/kt_kept");
	umount(DIR_A);
}

/* The initramfs's own /dev, under whatever init mounted on it. */
static void test_initramfs_dev(void)
{
	if (!in_test_vm) {
		for (int i = 0; i < 3; i++)
			ktap_skip("initramfs_dev", "not the test VM's root");
		return;
	}
	ktap_ok(mkdir(DIR_ROOT, 0755) == 0 &&
			mount("/", DIR_ROOT, NULL, MS_BIND, NULL) == 0,
		"bind-mount the root (without its submounts)");
	ktap_ok(is_chr(DIR_ROOT "/dev/console", TTYAUX_MAJOR, CONSOLE_MINOR),
		"the initramfs's /dev has the console node (5:1)");
	ktap_ok(access(DIR_ROOT "/dev/null", F_OK) < 0,
		"and no /dev/null: the kernel mounted nothing on it");
	umount(DIR_ROOT);
	rmdir(DIR_ROOT);
}

int main(void)
{
	ktap_plan(PLAN);
	if (geteuid() != 0 || !setup()) {
		for (int i = 0; i < PLAN; i++)
			ktap_skip("devtmpfs",
				  "needs root and a mount namespace");
		return ktap_exit();
	}
	if (!mount_devtmpfs(DIR_A) || !mount_devtmpfs(DIR_B)) {
		for (int i = 0; i < PLAN; i++)
			ktap_ok(false, "mount devtmpfs");
		return ktap_exit();
	}
	test_shared();
	test_outlives_mounts();
	test_initramfs_dev();
	rmdir(DIR_A);
	rmdir(DIR_B);
	return ktap_exit();
}
