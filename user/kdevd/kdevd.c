/*
 * kdevd - name block devices by what is on them
 *
 * SYNOPSIS
 *	kdevd [-f] [-1] [-d DEVDIR] [-s SYSDIR]
 *
 * DESCRIPTION
 *	A disk's kernel name (hda1, sda1) says where it sits, not what it
 *	holds, and it changes when the driver or the cabling does: the
 *	"mount by label" problem of the seed articles. kdevd keeps two
 *	directories of symbolic links, as udev's 60-persistent-storage
 *	rules do:
 *
 *	  /dev/disk/by-label/LABEL -> ../../hda1
 *	  /dev/disk/by-uuid/UUID   -> ../../hda1
 *
 *	so that `mount LABEL=root /mnt` (busybox resolves it through
 *	by-label) and fstab lines keep working whatever the disk is called.
 *
 *	It listens to the kernel's device events on the kevent socket
 *	(AF_NETLINK, NETLINK_KOBJECT_UEVENT, group 1: docs/netlink.md).
 *	The socket is bound before anything else, then the block devices
 *	that already exist are read from /sys/class/block (the coldplug
 *	pass): an event that comes meanwhile is queued, not lost. For each
 *	block device that is added or changed kdevd reads the superblock
 *	and updates the links; a removed device loses its links. A lost
 *	event (ENOBUFS) makes it scan again.
 *
 *	Known superblocks: ext2, ext3 and ext4 (magic 0xEF53 at byte 1080,
 *	UUID at 1128, label at 1144). Each field is checked before it is
 *	believed; a short device, an I/O error or garbage gives no links
 *	and a log line, never an exit. A label is written as udev writes
 *	ID_FS_LABEL_ENC: bytes other than letters, digits, valid UTF-8 and
 *	"#+-.:=@_" become \xHH ("a/b c" is a\x2fb\x20c). When two devices
 *	carry the same label the link goes to one of them, and to the other
 *	when that one goes away.
 *
 *	Started by init's /etc/rc (docs/rootfs.md); it forks into the
 *	background unless -f is given.
 *
 * OPTIONS
 *	-f		stay in the foreground
 *	-1		the coldplug pass only, then exit
 *	-d DEVDIR	where the device nodes are (default /dev)
 *	-s SYSDIR	where sysfs is mounted (default /sys)
 *
 * EXIT STATUS
 *	0 after -1; 1 if the socket or the directories cannot be made.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/netlink.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "uevent.h"

#define UEVENT_GROUP_KERNEL 1
#define MAX_DEVS 128
#define NAME_LEN 32
#define LABEL_ENC_LEN (16 * 4 + 1) /* 16 bytes, each \xHH at worst */
#define UUID_LEN 37 /* 8-4-4-4-12 and the NUL */

/* The ext2 superblock, as far as kdevd reads it (byte offsets in it). */
#define SB_OFFSET 1024
#define SB_SIZE 1024
#define SB_INODES_COUNT 0
#define SB_BLOCKS_COUNT 4
#define SB_FIRST_DATA_BLOCK 20
#define SB_LOG_BLOCK_SIZE 24
#define SB_BLOCKS_PER_GROUP 32
#define SB_INODES_PER_GROUP 40
#define SB_MAGIC 56
#define SB_REV_LEVEL 76
#define SB_UUID 104
#define SB_LABEL 120
#define EXT2_MAGIC 0xEF53
#define EXT2_MAX_LOG_BLOCK 6 /* 64 KiB blocks */

/* One block device kdevd knows; label and uuid empty when it has none. */
struct kdev {
	char name[NAME_LEN];
	char label[LABEL_ENC_LEN];
	char uuid[UUID_LEN];
};

static struct kdev devs[MAX_DEVS];
static const char *devdir = "/dev";
static const char *sysdir = "/sys";

#define log(...) fprintf(stderr, "kdevd: " __VA_ARGS__)

static uint32_t le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const unsigned char *p)
{
	return p[0] | p[1] << 8;
}

/* Is this an ext2/3/4 superblock whose counts hang together? */
static bool ext2_sb_valid(const unsigned char *sb)
{
	uint32_t blocks = le32(sb + SB_BLOCKS_COUNT);
	uint32_t first = le32(sb + SB_FIRST_DATA_BLOCK);
	uint32_t log_bs = le32(sb + SB_LOG_BLOCK_SIZE);

	if (le16(sb + SB_MAGIC) != EXT2_MAGIC)
		return false;
	if (log_bs > EXT2_MAX_LOG_BLOCK || !blocks || first >= blocks)
		return false;
	if (first != (log_bs == 0 ? 1u : 0u))
		return false; /* 1 KiB blocks start at block 1, others at 0 */
	return le32(sb + SB_INODES_COUNT) && le32(sb + SB_BLOCKS_PER_GROUP) &&
	       le32(sb + SB_INODES_PER_GROUP);
}

/* The length of the valid UTF-8 sequence at @s (of @n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/*
 * udev's encoding of a name for a link (encode_devnode_name): what is
 * safe is kept, every other byte is \xHH. "." and ".." are escaped
 * whole so that a label can never name a directory.
 */
static void encode_label(const unsigned char *raw, size_t n, char *out)
{
	static const char safe[] = "#+-.:=@_";
	size_t end = strnlen((const char *)raw, n), i = 0, len;
	bool dots = (end == 1 || end == 2) && raw[0] == '.' &&
		    raw[end - 1] == '.';
	char *o = out;

	while (i < end) {
		unsigned char c = raw[i];

		if (c >= 0x80 && (len = utf8_len(raw + i, end - i))) {
			memcpy(o, raw + i, len);
			o += len;
			i += len;
			continue;
		}
		if (!dots &&
		    ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
		     (c >= 'a' && c <= 'z') || strchr(safe, c)))
			*o++ = (char)c;
		else
			o += sprintf(o, "\\x%02x", c);
		i++;
	}
	*o = '\0';
}

static void format_uuid(const unsigned char *u, char *out)
{
	static const char zero[16];

	if (!memcmp(u, zero, sizeof(zero))) {
		out[0] = '\0';
		return;
	}
	sprintf(out,
		"%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		"%02x%02x%02x%02x%02x%02x",
		u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		u[10], u[11], u[12], u[13], u[14], u[15]);
}

/* Read @name's superblock into @d's label and uuid (empty if none). */
static void probe(struct kdev *d)
{
	unsigned char sb[SB_SIZE];
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	d->label[0] = d->uuid[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s", devdir, d->name);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		log("%s: %s\n", path, strerror(errno));
		return;
	}
	n = pread(fd, sb, sizeof(sb), SB_OFFSET);
	close(fd);
	if (n < 0)
		log("%s: reading the superblock: %s\n", path, strerror(errno));
	if (n != (ssize_t)sizeof(sb) || !ext2_sb_valid(sb))
		return; /* too short, unreadable or not ext2: no name */
	if (le32(sb + SB_REV_LEVEL) < 1)
		return; /* revision 0 has no uuid nor label */
	format_uuid(sb + SB_UUID, d->uuid);
	encode_label(sb + SB_LABEL, 16, d->label);
}

static struct kdev *find_dev(const char *name)
{
	for (int i = 0; i < MAX_DEVS; i++)
		if (!strcmp(devs[i].name, name))
			return &devs[i];
	return NULL;
}

/* The first device whose label (or uuid, @by_uuid) is @key. */
static struct kdev *owner(const char *key, bool by_uuid)
{
	for (int i = 0; i < MAX_DEVS; i++) {
		const char *k = by_uuid ? devs[i].uuid : devs[i].label;

		if (devs[i].name[0] && !strcmp(k, key))
			return &devs[i];
	}
	return NULL;
}

/*
 * Make DEVDIR/disk/by-KIND/KEY point at the device that owns @key, or
 * remove it when none does. The new link is made aside and renamed
 * over the old one, so a reader never finds the name missing.
 */
static void sync_link(const char *key, bool by_uuid)
{
	const char *kind = by_uuid ? "by-uuid" : "by-label";
	char path[PATH_MAX], tmp[PATH_MAX + 8], target[NAME_LEN + 8];
	char old[PATH_MAX];
	struct kdev *d;
	ssize_t n;

	if (!key[0])
		return;
	snprintf(path, sizeof(path), "%s/disk/%s/%s", devdir, kind, key);
	d = owner(key, by_uuid);
	if (!d) {
		if (!unlink(path))
			log("removed %s\n", path);
		return;
	}
	snprintf(target, sizeof(target), "../../%s", d->name);
	n = readlink(path, old, sizeof(old) - 1);
	if (n >= 0 && (old[n] = '\0', !strcmp(old, target)))
		return;
	snprintf(tmp, sizeof(tmp), "%s.kdevd", path);
	unlink(tmp);
	if (symlink(target, tmp) || rename(tmp, path)) {
		log("%s: %s\n", path, strerror(errno));
		unlink(tmp);
		return;
	}
	log("%s -> %s\n", path, target);
}

/* A device's names may have changed from @before: bring the links up to
 * date for both the old and the new ones. */
static void sync_dev(const struct kdev *before, const struct kdev *now)
{
	sync_link(before->label, false);
	sync_link(before->uuid, true);
	if (now) {
		sync_link(now->label, false);
		sync_link(now->uuid, true);
	}
}

/* Only plain names: a DEVNAME with a '/' (or "..") is not a disk's. */
static bool good_name(const char *name)
{
	return name[0] && name[0] != '.' && !strchr(name, '/') &&
	       strlen(name) < NAME_LEN;
}

/* ACTION @action ("add", "change", "remove") on block device @name. */
static void handle(const char *action, const char *name)
{
	struct kdev *d = find_dev(name), before;

	if (!good_name(name))
		return;
	memset(&before, 0, sizeof(before));
	if (d)
		before = *d;
	if (!strcmp(action, "remove")) {
		if (d) {
			memset(d, 0, sizeof(*d));
			sync_dev(&before, NULL);
		}
		return;
	}
	if (strcmp(action, "add") && strcmp(action, "change"))
		return;
	if (!d)
		d = find_dev("");
	if (!d) {
		log("more than %d block devices: %s ignored\n", MAX_DEVS, name);
		return;
	}
	strcpy(d->name, name);
	probe(d);
	sync_dev(&before, d);
}

/* DEVNAME from /sys/class/block/@entry/uevent (else @entry itself). */
static void devname_of(const char *entry, char *name)
{
	char path[PATH_MAX], line[256];
	FILE *f;

	snprintf(name, NAME_LEN, "%.31s", entry);
	snprintf(path, sizeof(path), "%s/class/block/%s/uevent", sysdir, entry);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "DEVNAME=", 8)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(name, NAME_LEN, "%.31s", line + 8);
		}
	fclose(f);
}

/* The coldplug pass: every block device there is, as if just added;
 * the known devices that are gone are removed. */
static void scan(void)
{
	char path[PATH_MAX], name[NAME_LEN];
	bool seen[MAX_DEVS] = { false };
	struct dirent *e;
	struct kdev *d;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/class/block", sysdir);
	dir = opendir(path);
	if (!dir) {
		log("%s: %s\n", path, strerror(errno));
		return;
	}
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		devname_of(e->d_name, name);
		handle("add", name);
		d = find_dev(name);
		if (d)
			seen[d - devs] = true;
	}
	closedir(dir);
	for (int i = 0; i < MAX_DEVS; i++)
		if (devs[i].name[0] && !seen[i]) {
			memcpy(name, devs[i].name, sizeof(name));
			handle("remove", name);
		}
}

/* One message: a block device's event goes to handle(). */
static void event(const char *buf, size_t len)
{
	const char *action = uevent_var(buf, len, "ACTION");
	const char *subsys = uevent_var(buf, len, "SUBSYSTEM");
	const char *name = uevent_var(buf, len, "DEVNAME");
	const char *devpath = uevent_var(buf, len, "DEVPATH");

	if (!action || !subsys || strcmp(subsys, "block"))
		return;
	if (!name && devpath && strrchr(devpath, '/'))
		name = strrchr(devpath, '/') + 1;
	if (name)
		handle(action, name);
}

static int open_socket(void)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK,
				    .nl_groups = UEVENT_GROUP_KERNEL };
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
			NETLINK_KOBJECT_UEVENT);

	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		log("the kevent socket: %s\n", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Read events for ever; only the kernel's (sender port 0) count. */
static void listen_loop(int fd)
{
	static char buf[8192];
	struct sockaddr_nl from;
	struct iovec iov = { buf, sizeof(buf) - 1 };
	struct msghdr msg = { .msg_name = &from,
			      .msg_namelen = sizeof(from),
			      .msg_iov = &iov,
			      .msg_iovlen = 1 };
	ssize_t n;

	for (;;) {
		msg.msg_namelen = sizeof(from);
		n = recvmsg(fd, &msg, 0);
		if (n < 0 && errno == ENOBUFS) {
			log("events were lost; scanning again\n");
			scan();
			continue;
		}
		if (n < 0) {
			if (errno != EINTR)
				log("recvmsg: %s\n", strerror(errno));
			continue;
		}
		if (from.nl_pid != 0)
			continue;
		buf[n] = '\0';
		event(buf, (size_t)n);
	}
}

static int make_dirs(void)
{
	const char *sub[] = { "disk", "disk/by-label", "disk/by-uuid" };
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(sub) / sizeof(sub[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", devdir, sub[i]);
		if (mkdir(path, 0755) && errno != EEXIST) {
			log("%s: %s\n", path, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: kdevd [-f] [-1] [-d DEVDIR] [-s SYSDIR]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	bool foreground = false, once = false;
	int opt, fd = -1;

	while ((opt = getopt(argc, argv, "f1d:s:")) != -1) {
		switch (opt) {
		case 'f':
			foreground = true;
			break;
		case '1':
			once = true;
			break;
		case 'd':
			devdir = optarg;
			break;
		case 's':
			sysdir = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (!once && (fd = open_socket()) < 0)
		return 1;
	if (make_dirs())
		return 1;
	scan();
	if (once)
		return 0;
	if (!foreground) {
		pid_t pid = fork();

		if (pid > 0)
			return 0; /* the parent: init's rc goes on */
		if (pid == 0)
			setsid();
		else
			log("fork: %s; staying in the foreground\n",
			    strerror(errno));
	}
	listen_loop(fd);
	return 0;
}
