/*
 * busybox mdev, Linux's user-space tool, unmodified, against our /sys
 * and our uevents (docs/device-model.md, docs/device-tools.md):
 *
 *  - `mdev -s` scans /sys and must create a node in /dev for every
 *    device with a "dev" attribute, of the right type and number;
 *  - `mdev -d -f` listens on the uevent netlink socket and must recreate
 *    /dev/zero when an "add" is written to /sys/class/mem/zero/uevent;
 *  - `mdev` as the uevent helper (the seed's /sbin/hotplug transport),
 *    configured through /sys/kernel/uevent_helper and through
 *    /proc/sys/kernel/hotplug, must do the same when the kernel runs it.
 *
 * mdev always writes to /dev, so each part mounts a fresh tmpfs over
 * /dev and unmounts it afterwards, which brings the devtmpfs back. On a
 * machine that is not the test VM (the runner is not PID 1), all of this
 * happens in a private mount namespace, or not at all; the helper parts
 * then SKIP, since the kernel runs helpers in the first namespace. They
 * SKIP too where the kernel has no uevent helper (Linux without
 * CONFIG_UEVENT_HELPER: Debian's). busybox is /bin/busybox (the test
 * initramfs has it) or $BUSYBOX. Needs root.
 */
#include "ktap.h"
#include "fileio.h"
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SYSFS_MAGIC 0x62656572 /* Linux's include/uapi/linux/magic.h */
#define HELPER_LINK "/tmp/mdev" /* busybox runs the applet argv[0] names */
#define SYS_HELPER "/sys/kernel/uevent_helper"
#define PROC_HOTPLUG "/proc/sys/kernel/hotplug"
#define WAIT_NODE_MS 5000
#define POLL_STEP_MS 20
#define NS_PER_MS 1000000L
#define MAX_DIAG 5
#define MEM_MAJOR 1 /* Linux's Documentation/admin-guide/devices.txt */
#define NULL_MINOR 3
#define ZERO_MINOR 5
#define TTY_MAJOR 4
#define TTYS0_MINOR 64
#define PLAN 15
#define HELPER_CASES 3

static const char *busybox;
static bool private_ns; /* in a mount namespace of our own */

/* Read @dir/@name into @out (NUL-terminated); the length or -1. */
static ssize_t read_attr(const char *dir, const char *name, char *out,
			 size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path))
		return -1;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, out, len - 1);
	close(fd);
	out[n > 0 ? n : 0] = '\0';
	return n;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * NS_PER_MS };

	nanosleep(&ts, NULL);
}

/* Whether @path is a node of type @type (S_IFCHR, S_IFBLK) and @maj:@min. */
static bool is_node(const char *path, mode_t type, unsigned int maj,
		    unsigned int min)
{
	struct stat st;

	return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == type &&
	       st.st_rdev == makedev(maj, min);
}

/* Wait up to WAIT_NODE_MS for @path to become char device @maj:@min. */
static bool wait_node(const char *path, unsigned int maj, unsigned int min)
{
	long waited;

	for (waited = 0; waited < WAIT_NODE_MS; waited += POLL_STEP_MS) {
		if (is_node(path, S_IFCHR, maj, min))
			return true;
		sleep_ms(POLL_STEP_MS);
	}
	return false;
}

/* Run busybox with @applet and @arg; returns its exit status or -1. */
static int run_busybox(const char *applet, const char *arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execl(busybox, applet, arg, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static bool mount_dev_tmpfs(void)
{
	return mount("tmpfs", "/dev", "tmpfs", 0, "mode=0755") == 0;
}

/*
 * Unmount the tmpfs over /dev. mdev works in /dev (its cwd), so while a
 * helper the kernel started is still running, umount fails with EBUSY:
 * retry for WAIT_NODE_MS.
 */
static bool umount_dev(void)
{
	long waited;

	for (waited = 0; waited < WAIT_NODE_MS; waited += POLL_STEP_MS) {
		if (umount("/dev") == 0)
			return true;
		if (errno != EBUSY)
			break;
		sleep_ms(POLL_STEP_MS);
	}
	ktap_diag("umount /dev: %s", strerror(errno));
	return false;
}

/* Find busybox, mount /sys, and make mounting over /dev safe. */
static bool setup(void)
{
	struct statfs sfs;

	busybox = getenv("BUSYBOX");
	if (access("/bin/busybox", X_OK) == 0)
		busybox = "/bin/busybox";
	if (!busybox || access(busybox, X_OK) < 0)
		return false;
	if (statfs("/sys", &sfs) < 0 || sfs.f_type != SYSFS_MAGIC) {
		mkdir("/sys", 0755);
		mount("sysfs", "/sys", "sysfs", 0, NULL);
	}
	if (getppid() == 1)
		return true; /* the test VM: /dev is ours to cover */
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return false;
	private_ns = true;
	return true;
}

/* ---- mdev -s ------------------------------------------------------------ */

/* The node mdev makes for a device: DEVNAME from uevent, else its name. */
static bool node_name(const char *dir, char *out, size_t len)
{
	char env[4096], *p, *real;

	if (read_attr(dir, "uevent", env, sizeof(env)) < 0)
		env[0] = '\0';
	p = strstr(env, "DEVNAME=");
	if (p && (p == env || p[-1] == '\n')) {
		p += strlen("DEVNAME=");
		snprintf(out, len, "/dev/%.*s", (int)strcspn(p, "\n"), p);
		return true;
	}
	real = realpath(dir, NULL);
	if (!real)
		return false;
	snprintf(out, len, "/dev/%s", strrchr(real, '/') + 1);
	free(real);
	return true;
}

/* Counts over the devices checked against the /dev mdev made. */
struct scan_result {
	int checked, bad;
};

/* Check the node of the device in @dir (of @type) if it has a "dev". */
static void check_device_node(const char *dir, mode_t type,
			      struct scan_result *r)
{
	char dev[64], node[PATH_MAX];
	unsigned int maj, min;

	if (read_attr(dir, "dev", dev, sizeof(dev)) < 0)
		return;
	if (sscanf(dev, "%u:%u", &maj, &min) != 2 ||
	    !node_name(dir, node, sizeof(node)))
		return;
	r->checked++;
	if (!is_node(node, type, maj, min) && r->bad++ < MAX_DIAG)
		ktap_diag("%s: no node %s %u:%u", dir, node, maj, min);
}

/* Every entry of @dir, or of each directory of @dir with @depth 2. */
static void scan_dir(const char *dir, int depth, mode_t type,
		     struct scan_result *r)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(dir);

	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir,
				     de->d_name) >= sizeof(path))
			continue;
		if (depth > 1 && strcmp(de->d_name, "block"))
			scan_dir(path, depth - 1, type, r);
		else if (depth > 1)
			continue; /* block devices: /sys/dev/block */
		else
			check_device_node(path, type, r);
	}
	if (d)
		closedir(d);
}

static void test_mdev_scan(void)
{
	struct scan_result r = { 0 };
	bool mounted = mount_dev_tmpfs();

	ktap_ok(mounted, "mount_tmpfs_over_dev");
	EXPECT_EQ(run_busybox("mdev", "-s"), 0);
	scan_dir("/sys/dev/char", 1, S_IFCHR, &r);
	scan_dir("/sys/dev/block", 1, S_IFBLK, &r);
	scan_dir("/sys/class", 2, S_IFCHR, &r);
	ktap_diag("%d devices checked", r.checked);
	ktap_ok(mounted && r.checked && !r.bad, "mdev_s_node_for_every_dev");
	ktap_ok(is_node("/dev/null", S_IFCHR, MEM_MAJOR, NULL_MINOR),
		"mdev_s_dev_null_1_3");
	ktap_ok(is_node("/dev/ttyS0", S_IFCHR, TTY_MAJOR, TTYS0_MINOR),
		"mdev_s_dev_ttyS0_4_64");
	ktap_ok(mounted && umount_dev(), "umount_dev");
}

/* ---- mdev -d: the netlink listener --------------------------------------- */

static void test_mdev_daemon(void)
{
	bool mounted = mount_dev_tmpfs(), scanned = false, made = false;
	pid_t pid = -1;

	if (mounted)
		pid = fork();
	if (pid == 0) {
		execl(busybox, "mdev", "-d", "-f", (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		scanned = wait_node("/dev/zero", MEM_MAJOR, ZERO_MINOR);
	if (scanned && unlink("/dev/zero") == 0 &&
	    write_text("/sys/class/mem/zero/uevent", "add") >= 0)
		made = wait_node("/dev/zero", MEM_MAJOR, ZERO_MINOR);
	ktap_ok(scanned, "mdev_d_scans_at_start");
	ktap_ok(made, "mdev_d_makes_node_on_add_uevent");
	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
	ktap_ok(mounted && umount_dev(), "mdev_d_umount_dev");
}

/* ---- mdev as the uevent helper ------------------------------------------- */

/*
 * mdev chdirs to /dev: the helper must have a filesystem context of its
 * own, or PID 1 ends up in /dev (and /dev cannot be unmounted).
 */
static void report_init_cwd(void)
{
	char cwd[PATH_MAX];
	ssize_t n = readlink("/proc/1/cwd", cwd, sizeof(cwd) - 1);

	if (n > 0 && (cwd[n] = '\0', strcmp(cwd, "/")))
		ktap_diag("PID 1's cwd is now %s: the helper shares its fs",
			  cwd);
}

/*
 * Set the helper through @knob, synthesise "add" for /dev/zero, and wait
 * for the helper the kernel runs to make the node; then restore.
 */
static void test_helper(const char *knob, const char *name)
{
	bool mounted, set, made = false, cleared, unmounted;

	if (private_ns || access(knob, F_OK) < 0) {
		for (int i = 0; i < HELPER_CASES; i++)
			ktap_skip(name, "%s",
				  private_ns ?
					  "not the test VM (own namespace)" :
					  "no uevent helper in this kernel");
		return;
	}
	mounted = mount_dev_tmpfs();
	set = write_text(knob, HELPER_LINK) >= 0;
	if (mounted && set &&
	    write_text("/sys/class/mem/zero/uevent", "add") >= 0)
		made = wait_node("/dev/zero", MEM_MAJOR, ZERO_MINOR);
	ktap_ok(set, "%s_set", name);
	ktap_ok(made, "%s_mdev_makes_dev_zero", name);
	report_init_cwd();
	cleared = write_text(knob, "") >= 0;
	if (!cleared)
		ktap_diag("clearing %s: %s", knob, strerror(errno));
	unmounted = mounted && umount_dev();
	ktap_ok(cleared && unmounted, "%s_restored", name);
}

int main(void)
{
	ktap_plan(PLAN);
	if (!setup()) {
		for (int i = 0; i < PLAN; i++)
			ktap_skip("mdev",
				  "no busybox, or /dev not safe to cover");
		return ktap_exit();
	}
	unlink(HELPER_LINK);
	if (symlink(busybox, HELPER_LINK) < 0)
		ktap_diag("symlink %s: %s", HELPER_LINK, strerror(errno));
	test_mdev_scan();
	test_mdev_daemon();
	test_helper(SYS_HELPER, "uevent_helper");
	test_helper(PROC_HOTPLUG, "proc_hotplug");
	unlink(HELPER_LINK);
	return ktap_exit();
}
