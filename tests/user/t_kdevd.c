/*
 * kdevd (user/kdevd): /dev/disk/by-label and /dev/disk/by-uuid follow
 * what is written on the disks, through the kernel's uevents.
 *
 * The program runs kdevd (the binary next to it in /tests, put there
 * by tests/user/Kbuild.mk) against the scratch disk (2.1, tests/user/
 * disk.h), whose first sectors it saves and restores:
 *
 *  - with kt_kdevd=KIND/KEY=NAME,... in the environment (the "kdevd"
 *    boot of scripts/run-tests, whose disks are mke2fs images), the
 *    coldplug pass made each of those links, pointing at ../../NAME;
 *  - an ext2 superblock written on the scratch disk, then a "change"
 *    uevent (written to its uevent file), gives the links; a new label
 *    (with a '/' and a space: escaped \x2f, \x20) replaces them; garbage
 *    removes them, and kdevd lives on;
 *  - a partition table and BLKRRPART: the new partition's "add" event
 *    links its label; a 1 KiB partition (shorter than a superblock) is
 *    skipped; the table removed, the "remove" event takes the link;
 *  - kdevd -1 (coldplug only) finds what is there and exits 0.
 *
 * On Linux (udev absent, the same disks) it passes the same way: kdevd
 * is an ordinary program. Outside a test boot every case is skipped.
 */
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/wait.h>

#include "disk.h"

#define SB_OFF 1024
#define SAVED (8 * DISK_SECTOR)
#define WAIT_MS 5000
#define PART_START 64 /* sectors */
#define PART_LEN 2000
#define SHORT_START 2100
#define SHORT_LEN 2 /* 1 KiB: no room for a superblock */

static char scratch[DISK_NAME_LEN];
static char kdevd_path[PATH_MAX];

static const unsigned char UUID1[16] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66,
					 0x47, 0x88, 0x99, 0xaa, 0xbb, 0xcc,
					 0xdd, 0xee, 0xff, 0x01 };
static const unsigned char UUID2[16] = {
	0xde, 0xad, 0xbe, 0xef, 1, 2, 0x43, 4, 5, 6, 7, 8, 9, 10, 11, 12
};
#define UUID1_STR "11223344-5566-4788-99aa-bbccddeeff01"
#define UUID2_STR "deadbeef-0102-4304-0506-0708090a0b0c"

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* A plausible ext2 revision-1 superblock (1 KiB blocks, 1 MiB). */
static void make_sb(unsigned char *sb, const unsigned char *uuid,
		    const char *label)
{
	memset(sb, 0, 1024);
	put32(sb + 0, 128); /* inodes */
	put32(sb + 4, 1024); /* blocks */
	put32(sb + 20, 1); /* first data block */
	put32(sb + 32, 8192); /* blocks per group */
	put32(sb + 40, 128); /* inodes per group */
	sb[56] = 0x53, sb[57] = 0xef;
	put32(sb + 76, 1); /* revision */
	memcpy(sb + 104, uuid, 16);
	strncpy((char *)sb + 120, label, 16);
}

/* Write @len bytes at @off of the file @fmt names (and sync a disk's). */
static bool write_path(off_t off, const void *buf, size_t len, const char *fmt,
		       const char *name)
{
	char path[PATH_MAX];
	int fd;
	bool ok;

	snprintf(path, sizeof(path), fmt, name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return false;
	ok = pwrite(fd, buf, len, off) == (ssize_t)len &&
	     (strncmp(path, "/dev/", 5) || !fsync(fd));
	close(fd);
	return ok;
}

static bool write_at(const char *dev, off_t off, const void *buf, size_t len)
{
	return write_path(off, buf, len, "/dev/%s", dev);
}

static bool write_sb(const char *dev, const unsigned char *uuid,
		     const char *label)
{
	unsigned char sb[1024];

	make_sb(sb, uuid, label);
	return write_at(dev, SB_OFF, sb, sizeof(sb));
}

/* Ask the kernel to send a "change" event for @dev. */
static bool trigger_change(const char *dev)
{
	return write_path(0, "change", 6, "/sys/class/block/%s/uevent", dev);
}

/* Does /dev/disk/@rel point at ../../@dev (or not exist, @dev NULL)? */
static bool link_is(const char *rel, const char *dev)
{
	char path[PATH_MAX], target[PATH_MAX], want[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/dev/disk/%s", rel);
	n = readlink(path, target, sizeof(target) - 1);
	if (!dev)
		return n < 0 && errno == ENOENT;
	if (n < 0)
		return false;
	target[n] = '\0';
	snprintf(want, sizeof(want), "../../%s", dev);
	return !strcmp(target, want);
}

/* Wait up to WAIT_MS for link_is(); diagnose when it never comes. */
static bool wait_link(const char *rel, const char *dev)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };

	for (int ms = 0; ms < WAIT_MS; ms += 20) {
		if (link_is(rel, dev))
			return true;
		nanosleep(&tick, NULL);
	}
	ktap_diag("/dev/disk/%s: not %s%s", rel, dev ? "-> ../../" : "absent",
		  dev ? dev : "");
	return false;
}

static bool wait_dir(const char *path)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };

	for (int ms = 0; ms < WAIT_MS; ms += 20) {
		if (!access(path, F_OK))
			return true;
		nanosleep(&tick, NULL);
	}
	return false;
}

static pid_t start_kdevd(const char *opt)
{
	pid_t pid = fork();

	if (pid == 0) {
		execl(kdevd_path, "kdevd", opt, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static bool alive(pid_t pid)
{
	return pid > 0 && waitpid(pid, NULL, WNOHANG) == 0;
}

/* kt_kdevd=KIND/KEY=NAME,...: the links the coldplug pass must make. */
static bool check_expected(const char *spec)
{
	char copy[1024], *item, *save = NULL, *eq;
	bool ok = true;

	snprintf(copy, sizeof(copy), "%s", spec);
	for (item = strtok_r(copy, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		eq = strrchr(item, '=');
		if (!eq)
			return false;
		*eq = '\0';
		ok &= wait_link(item, eq + 1);
	}
	return ok;
}

/* busybox findfs @what prints @want (it probes the superblocks itself,
 * as its mount LABEL= does). */
static bool findfs(const char *what, const char *want)
{
	char out[64] = "";
	int pipefd[2], status = -1;
	ssize_t n = 0;
	pid_t pid;

	if (pipe(pipefd))
		return false;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		execl("/bin/busybox", "findfs", what, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	if (pid > 0)
		n = read(pipefd[0], out, sizeof(out) - 1);
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	out[n > 0 ? n : 0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	if (strcmp(out, want))
		ktap_diag("findfs %s: \"%s\", want %s", what, out, want);
	return WIFEXITED(status) && !WEXITSTATUS(status) && !strcmp(out, want);
}

/* An MBR with partition 1 at PART_START and 2 at SHORT_START (or none). */
static bool write_table(bool with_parts)
{
	unsigned char mbr[DISK_SECTOR] = { 0 };
	const uint32_t part[2][2] = { { PART_START, PART_LEN },
				      { SHORT_START, SHORT_LEN } };

	for (int i = 0; with_parts && i < 2; i++) {
		unsigned char *e = mbr + 446 + 16 * i;

		e[4] = 0x83;
		put32(e + 8, part[i][0]);
		put32(e + 12, part[i][1]);
	}
	mbr[510] = 0x55, mbr[511] = 0xaa;
	return write_at(scratch, 0, mbr, sizeof(mbr));
}

static bool reread_table(void)
{
	char path[PATH_MAX];
	int fd, err;

	snprintf(path, sizeof(path), "/dev/%s", scratch);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	err = ioctl(fd, BLKRRPART);
	close(fd);
	return !err;
}

static void test_change(pid_t pid)
{
	unsigned char junk[1024];

	ktap_ok(write_sb(scratch, UUID1, "kd-one") && trigger_change(scratch) &&
			wait_link("by-label/kd-one", scratch) &&
			wait_link("by-uuid/" UUID1_STR, scratch),
		"change_links_label_and_uuid");
	ktap_ok(write_sb(scratch, UUID2, "kd two/x") &&
			trigger_change(scratch) &&
			wait_link("by-label/kd\\x20two\\x2fx", scratch) &&
			wait_link("by-uuid/" UUID2_STR, scratch) &&
			wait_link("by-label/kd-one", NULL) &&
			wait_link("by-uuid/" UUID1_STR, NULL),
		"relabel_replaces_links_escaped");
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(i * 7 + 3);
	ktap_ok(write_at(scratch, SB_OFF, junk, sizeof(junk)) &&
			trigger_change(scratch) &&
			wait_link("by-label/kd\\x20two\\x2fx", NULL) &&
			wait_link("by-uuid/" UUID2_STR, NULL) && alive(pid),
		"garbage_removes_links_kdevd_lives");
}

static void test_partitions(pid_t pid)
{
	char p1[DISK_NAME_LEN];
	unsigned char zero[1024] = { 0 };

	disk_part_name(scratch, 1, p1);
	unsigned char sb[1024];

	/* Behind the 1 KiB partition, where its superblock would be if it
	 * were longer: a reader that overran its end would find it. */
	make_sb(sb, UUID1, "kd-short");
	ktap_ok(write_at(scratch, SB_OFF, zero, sizeof(zero)) &&
			write_at(scratch,
				 (off_t)SHORT_START * DISK_SECTOR + SB_OFF, sb,
				 sizeof(sb)) &&
			write_at(scratch,
				 (off_t)PART_START * DISK_SECTOR + SB_OFF, zero,
				 sizeof(zero)) &&
			write_table(true) && reread_table(),
		"table_written");
	/* The superblock goes on the partition after the scan: the "add"
	 * saw nothing; "change" must see it. Then one already there. */
	ktap_ok(write_sb(p1, UUID2, "kd-part") && trigger_change(p1) &&
			wait_link("by-label/kd-part", p1) &&
			wait_link("by-uuid/" UUID2_STR, p1) &&
			link_is("by-label/kd-short", NULL) && alive(pid),
		"partition_links_short_one_skipped");
	ktap_ok(write_table(false) && reread_table() &&
			wait_link("by-label/kd-part", NULL) &&
			wait_link("by-uuid/" UUID2_STR, NULL) && alive(pid),
		"partition_removed_links_gone");
	ktap_ok(write_table(true) && reread_table() &&
			wait_link("by-label/kd-part", p1) && alive(pid),
		"partition_added_links_back");
	write_table(false);
	reread_table();
}

static void test_coldplug_once(void)
{
	int status = -1;
	pid_t pid;

	write_sb(scratch, UUID1, "kd-cold");
	pid = start_kdevd("-1");
	waitpid(pid, &status, 0);
	ktap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
			link_is("by-label/kd-cold", scratch) &&
			link_is("by-uuid/" UUID1_STR, scratch),
		"once_coldplug_links_exit_0");
}

int main(int argc, char **argv)
{
	const char *spec = getenv("kt_kdevd");
	unsigned char saved[SAVED];
	char *slash;
	pid_t pid;
	int fd;

	(void)argc;
	if (!disk_plan(spec ? 13 : 11, "kdevd"))
		return ktap_exit();
	snprintf(kdevd_path, sizeof(kdevd_path), "%s", argv[0]);
	slash = strrchr(kdevd_path, '/');
	snprintf(slash ? slash + 1 : kdevd_path,
		 sizeof(kdevd_path) - (slash ? slash + 1 - kdevd_path : 0),
		 "kdevd");
	fd = -1;
	if (!disk_wait(2, 1, scratch, 10000)) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "/dev/%s", scratch);
		fd = open(path, O_RDWR);
	}
	if (!ktap_ok(fd >= 0 && pread(fd, saved, SAVED, 0) == SAVED &&
			     !access(kdevd_path, X_OK),
		     "scratch_disk_and_kdevd"))
		return disk_missing(spec ? 13 : 11);
	pid = start_kdevd("-f");
	ktap_ok(pid > 0 && wait_dir("/dev/disk/by-uuid") && alive(pid),
		"daemon_started");
	if (spec) {
		ktap_ok(check_expected(spec), "coldplug_images");
		ktap_ok(findfs("LABEL=kroot", "/dev/hda1"),
			"busybox_findfs_label");
	}
	test_change(pid);
	test_partitions(pid);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	test_coldplug_once();
	ktap_ok(pwrite(fd, saved, SAVED, 0) == SAVED && !fsync(fd),
		"scratch_restored");
	close(fd);
	reread_table();
	unlink("/dev/disk/by-label/kd-cold");
	unlink("/dev/disk/by-uuid/" UUID1_STR);
	return ktap_exit();
}
