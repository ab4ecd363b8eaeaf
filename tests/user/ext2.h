/*
 * The ext2 test boot's disks and the helpers its programs share
 * (t_ext2_rw, t_ext2_mount, t_ext2_corrupt, t_filemap; t_ext2_powercut
 * has a boot of its own). scripts/ext2-images builds the images with
 * mke2fs -d from a generated tree; scripts/run-tests (ata_drives(),
 * layout "ext2") puts them on the IDE disks:
 *
 *	1.0  kx1k: ext2, 1 KiB blocks, the whole disk
 *	1.1  kx4k: ext2, 4 KiB blocks, the whole disk
 *	2.0  an MBR: 1 kx2k, ext2 in 2 KiB blocks; 2 LBA stamps, no file
 *	     system; 3 kxfm, ext2 in 4 KiB blocks, with an empty tree but
 *	     for bin/busybox (t_filemap's disk)
 *	2.1  an MBR: an extended partition, and in it one logical partition
 *	     (5, 6, ...) per corrupted image, in the order of the boot's
 *	     kt_ext2_bad=NAME:TARGET,... word (t_ext2_corrupt)
 *
 * The tree's MANIFEST (scripts/ext2-images, make_tree()) is read from the
 * image itself, and every entry checked against what stat, readlink,
 * readdir and read say (ext2_verify_manifest()). File data is
 * ext2_pattern(): each 512-byte piece starts with the file's seed and
 * the piece's index, so data from the wrong place is caught; the host
 * builds the same bytes (pattern()).
 *
 * Outside the ext2 boot (no kt_ext2= word in init's environment) these
 * programs report every case skipped.
 */
#ifndef _TESTS_USER_EXT2_H
#define _TESTS_USER_EXT2_H

#include <signal.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "disk.h"

struct ext2_disk {
	const char *label;
	int port, dev, part; /* part 0: the whole disk */
};

static const struct ext2_disk EXT2_1K = { "kx1k", 1, 0, 0 };
static const struct ext2_disk EXT2_4K = { "kx4k", 1, 1, 0 };
static const struct ext2_disk EXT2_2K = { "kx2k", 2, 0, 1 };
static const struct ext2_disk EXT2_NONE = { "stamps", 2, 0, 2 };
static const struct ext2_disk EXT2_FM = { "kxfm", 2, 0, 3 };
#define EXT2_BAD_PORT 2
#define EXT2_BAD_DEV 1
#define EXT2_BAD_FIRST 5 /* the first logical partition */

/* Is this the ext2 boot? */
static inline bool ext2_boot(void)
{
	return getenv("kt_ext2") != NULL;
}

/* ktap_plan(@plan); outside the ext2 boot, every case skipped and false. */
static inline bool ext2_plan(int plan, const char *name)
{
	ktap_plan(plan);
	if (ext2_boot())
		return true;
	for (int i = 0; i < plan; i++)
		ktap_skip(name, "not the ext2 boot (no kt_ext2=)");
	return false;
}

/* @len bytes of file @seed's data from offset @off (scripts/ext2-images,
 * pattern()). */
static inline void ext2_pattern(void *buf, uint32_t seed, uint64_t off,
				size_t len)
{
	unsigned char *p = buf;

	for (size_t i = 0; i < len; i++, off++) {
		uint32_t sector = off / 512, in = off % 512;
		unsigned char c = (seed * 7 + in * 13) & 0xff;

		if (in < 4)
			c = seed >> (8 * in);
		else if (in < 8)
			c = sector >> (8 * (in - 4));
		else if (in == 8)
			c = sector;
		p[i] = c;
	}
}

/* zlib's CRC-32, continued from @crc (0 to start). */
static inline uint32_t ext2_crc32(uint32_t crc, const void *buf, size_t len)
{
	static uint32_t table[256];
	const unsigned char *p = buf;

	if (!table[1])
		for (uint32_t n = 0; n < 256; n++) {
			uint32_t c = n;

			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
			table[n] = c;
		}
	crc = ~crc;
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* The CRC-32 and length of the file at @path; -1 with errno on error. */
static inline int ext2_file_crc(const char *path, uint32_t *crc, off_t *size)
{
	static char buf[1 << 16];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	*crc = 0;
	*size = 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		*crc = ext2_crc32(*crc, buf, n);
		*size += n;
	}
	close(fd);
	return n < 0 ? -1 : 0;
}

/* Put in @dev the /dev path of @d; 0, or -1 when the disk is missing. */
static inline int ext2_dev_path(const struct ext2_disk *d, char *dev,
				size_t size)
{
	char disk[DISK_NAME_LEN], part[DISK_NAME_LEN];

	if (disk_wait(d->port, d->dev, disk, 5000))
		return -1;
	disk_part_name(disk, d->part, part);
	snprintf(dev, size, "/dev/%s", part);
	return 0;
}

/* mkdir @dir and mount @d there as ext2; 0 or -1 with errno. */
static inline int ext2_mount(const struct ext2_disk *d, const char *dir,
			     unsigned long flags)
{
	char dev[64];

	if (ext2_dev_path(d, dev, sizeof(dev))) {
		errno = ENODEV;
		return -1;
	}
	if (mkdir("/mnt", 0755) && errno != EEXIST)
		return -1;
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -1;
	return mount(dev, dir, "ext2", flags, NULL);
}

/* ---- the manifest ------------------------------------------------------ */

#define EXT2_MAX_ENTRIES 512

struct ext2_entry {
	char kind; /* f S d l p c b h, as in the MANIFEST */
	char path[128];
	char other[320]; /* symlink target, hard link's other path */
	unsigned mode, uid, gid, nlink, major, minor;
	unsigned long long size, mtime;
	uint32_t crc;
};

static struct ext2_entry ext2_entries[EXT2_MAX_ENTRIES];
static int ext2_nentries;

/* Read @root/MANIFEST; the number of entries, or -1. */
static inline int ext2_read_manifest(const char *root)
{
	char path[PATH_MAX], line[600];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "%s/MANIFEST", root);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (n < EXT2_MAX_ENTRIES && fgets(line, sizeof(line), f)) {
		struct ext2_entry *e = &ext2_entries[n];

		memset(e, 0, sizeof(*e));
		e->kind = line[0];
		switch (e->kind) {
		case 'f':
		case 'S':
			sscanf(line + 2, "%127s %o %u %u %u %llu %x %llu",
			       e->path, &e->mode, &e->uid, &e->gid, &e->nlink,
			       &e->size, &e->crc, &e->mtime);
			break;
		case 'd':
			sscanf(line + 2, "%127s %o %u %u %u %llu", e->path,
			       &e->mode, &e->uid, &e->gid, &e->nlink,
			       &e->mtime);
			break;
		case 'l':
		case 'h':
			sscanf(line + 2, "%127s %319s", e->path, e->other);
			break;
		case 'p':
			sscanf(line + 2, "%127s %o", e->path, &e->mode);
			break;
		default: /* c, b */
			sscanf(line + 2, "%127s %o %u %u", e->path, &e->mode,
			       &e->major, &e->minor);
		}
		n++;
	}
	fclose(f);
	ext2_nentries = n;
	return n;
}

static inline mode_t ext2_kind_type(char kind)
{
	switch (kind) {
	case 'd':
		return S_IFDIR;
	case 'l':
		return S_IFLNK;
	case 'p':
		return S_IFIFO;
	case 'c':
		return S_IFCHR;
	case 'b':
		return S_IFBLK;
	default:
		return S_IFREG;
	}
}

#define EXT2_BAD(fmt, ...)                                             \
	do {                                                           \
		if ((*bad)++ < 8)                                      \
			ktap_diag("%s: " fmt, e->path, ##__VA_ARGS__); \
	} while (0)

/* Check one entry under @root; counts problems in *@bad. */
static inline void ext2_check_entry(const char *root,
				    const struct ext2_entry *e, int *bad)
{
	char path[PATH_MAX], other[PATH_MAX], target[400];
	struct stat st, st2;
	uint32_t crc;
	off_t size;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", root, e->path);
	if (lstat(path, &st)) {
		EXT2_BAD("lstat: %s", ktap_errname(errno));
		return;
	}
	if (e->kind == 'h') {
		snprintf(other, sizeof(other), "%s/%s", root, e->other);
		if (lstat(other, &st2) || st2.st_ino != st.st_ino ||
		    st.st_nlink < 2)
			EXT2_BAD("not a hard link of %s", e->other);
		return;
	}
	if ((st.st_mode & S_IFMT) != ext2_kind_type(e->kind)) {
		EXT2_BAD("type %o", st.st_mode & S_IFMT);
		return;
	}
	if (e->kind == 'l') {
		n = readlink(path, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		if (strcmp(target, e->other) ||
		    (size_t)st.st_size != strlen(e->other))
			EXT2_BAD("readlink gives \"%.40s\"", target);
		return;
	}
	if ((st.st_mode & 07777) != e->mode)
		EXT2_BAD("mode %o, want %o", st.st_mode & 07777, e->mode);
	if (e->kind == 'c' || e->kind == 'b') {
		if (major(st.st_rdev) != e->major ||
		    minor(st.st_rdev) != e->minor)
			EXT2_BAD("device %u:%u", major(st.st_rdev),
				 minor(st.st_rdev));
		return;
	}
	if (e->kind == 'p')
		return;
	if (st.st_uid != e->uid || st.st_gid != e->gid ||
	    st.st_nlink != e->nlink ||
	    (unsigned long long)st.st_mtime != e->mtime)
		EXT2_BAD("uid %u gid %u nlink %u mtime %lld", st.st_uid,
			 st.st_gid, (unsigned)st.st_nlink,
			 (long long)st.st_mtime);
	if (e->kind == 'd')
		return;
	if ((unsigned long long)st.st_size != e->size)
		EXT2_BAD("size %lld, want %llu", (long long)st.st_size,
			 e->size);
	if (e->kind == 'S' &&
	    (unsigned long long)st.st_blocks * 512 > e->size / 4)
		EXT2_BAD("not sparse: %lld blocks", (long long)st.st_blocks);
	if (ext2_file_crc(path, &crc, &size))
		EXT2_BAD("read: %s", ktap_errname(errno));
	else if (crc != e->crc || (unsigned long long)size != e->size)
		EXT2_BAD("read %lld bytes of CRC %08x, want %08x",
			 (long long)size, crc, e->crc);
}

/* Is @name, in directory @dir ("" for the root), in the manifest? */
static inline bool ext2_listed(const char *dir, const char *name)
{
	char path[300];

	snprintf(path, sizeof(path), "%s%s%s", dir, *dir ? "/" : "", name);
	if (!*dir && (!strcmp(name, "lost+found") || !strcmp(name, "MANIFEST")))
		return true;
	for (int i = 0; i < ext2_nentries; i++)
		if (!strcmp(ext2_entries[i].path, path))
			return true;
	return false;
}

/* readdir of @root/@dir gives what the manifest lists there, and ".."
 * is the parent. */
static inline void ext2_check_dir(const char *root, const char *dir, int *bad)
{
	char path[PATH_MAX], parent[PATH_MAX + 4];
	struct ext2_entry fake = { 0 }, *e = &fake;
	struct stat dotdot, up;
	struct dirent *de;
	int seen = 0, want = *dir ? 0 : 2;
	DIR *d;

	snprintf(fake.path, sizeof(fake.path), "%s/", dir);
	snprintf(path, sizeof(path), "%s/%s", root, dir);
	for (int i = 0; i < ext2_nentries; i++) {
		const char *p = ext2_entries[i].path, *slash = strrchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : 0;

		if (len == strlen(dir) && !strncmp(p, dir, len))
			want++;
	}
	d = opendir(path);
	if (!d) {
		EXT2_BAD("opendir: %s", ktap_errname(errno));
		return;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		seen++;
		if (!ext2_listed(dir, de->d_name))
			EXT2_BAD("unexpected entry %s", de->d_name);
	}
	closedir(d);
	if (seen != want)
		EXT2_BAD("%d entries, want %d", seen, want);
	snprintf(parent, sizeof(parent), "%s/..", path);
	if (*dir) {
		snprintf(path, sizeof(path), "%s/%s", root, dir);
		*strrchr(path, '/') = '\0';
		if (stat(parent, &dotdot) || stat(path, &up) ||
		    dotdot.st_ino != up.st_ino)
			EXT2_BAD(".. is not the parent");
	}
}

/* Check every entry of @root/MANIFEST and every directory's list; the
 * number of problems (each of the first few printed), -1 without a
 * manifest. */
static inline int ext2_verify_manifest(const char *root)
{
	int bad = 0;

	if (ext2_read_manifest(root) < 1)
		return -1;
	for (int i = 0; i < ext2_nentries; i++) {
		ext2_check_entry(root, &ext2_entries[i], &bad);
		if (ext2_entries[i].kind == 'd')
			ext2_check_dir(root, ext2_entries[i].path, &bad);
	}
	ext2_check_dir(root, "", &bad);
	return bad;
}

/* ---- running with a deadline ------------------------------------------- */

/*
 * Run @fn(@arg) in a child killed after @secs seconds: its exit status
 * (fn's return value), or -1 with a diagnostic when it timed out or
 * crashed. A corrupted image must give errors, never a hang: this keeps a
 * hang from hiding the other cases.
 */
static inline int ext2_with_deadline(int (*fn)(void *), void *arg, int secs,
				     const char *what)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	int status, waited;
	pid_t pid = fork();

	if (pid == 0) {
		alarm(secs);
		_exit(fn(arg));
	}
	if (pid < 0)
		return -1;
	/* The child's alarm cannot end a sleep the kernel never wakes
	 * from: past the deadline (and a grace), kill and move on. */
	for (waited = 0; waited < (secs + 5) * 50; waited++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		nanosleep(&tick, NULL);
	}
	if (waited == (secs + 5) * 50) {
		kill(pid, SIGKILL);
		ktap_diag("%s: hung past %d s (killed)", what, secs);
		return -1;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	ktap_diag("%s: killed by signal %d%s", what, WTERMSIG(status),
		  WTERMSIG(status) == SIGALRM ? " (timed out)" : "");
	return -1;
}

#endif /* _TESTS_USER_EXT2_H */
