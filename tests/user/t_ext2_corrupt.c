/*
 * Tier-3 test: corrupted ext2 images give errors, never a hang or a
 * crash (issue 13). scripts/ext2-images (corrupt_images()) breaks one
 * thing in each copy of a small clean image (dir/file, dir/big with an
 * indirect block, dir/sub/loop); the ext2 boot puts them in logical
 * partitions 5, 6, ... of the disk at 2.1 and names them, in order, in
 * kt_ext2_bad=NAME:TARGET,... (tests/user/ext2.h). For each, in a child
 * killed past a deadline:
 *
 *  - TARGET empty (a broken superblock or group descriptor): the mount
 *    is refused, with EINVAL, EUCLEAN or EIO;
 *  - TARGET a path: the image mounts read-only, the whole tree is
 *    walked (readdir, lstat, read of every file, at most 64 levels deep)
 *    with no error but EIO, EUCLEAN, ENOENT or ELOOP, and the target
 *    itself gives one of those errors;
 *  - TARGET "@write" (the block bitmap marks metadata free): the image
 *    mounts read-write, a 256 KiB file is written and synced (allowed
 *    to fail with EIO, EUCLEAN or ENOSPC), and dir/file and dir/big
 *    still read back as they were: the allocator never hands out the
 *    inode table or the directories' blocks.
 */
#include <fcntl.h>
#include <unistd.h>

#include "ext2.h"
#include "ktap.h"

#define MAX_CASES 24
#define DEADLINE 60 /* seconds per image */
#define MAX_DEPTH 64

struct bad_case {
	char name[32], target[64], dev[64], dir[64];
};

static struct bad_case cases[MAX_CASES];
static int ncases;

/* The errors a corrupted image may give. */
static bool allowed(int err)
{
	return err == EIO || err == EUCLEAN || err == ENOENT || err == ELOOP;
}

/* Parse kt_ext2_bad=NAME:TARGET,... into cases[]. */
static void parse_cases(void)
{
	const char *p = getenv("kt_ext2_bad");
	int n;

	while (p && *p && ncases < MAX_CASES) {
		struct bad_case *c = &cases[ncases];

		if (sscanf(p, "%31[^:]:%63[^,]%n", c->name, c->target, &n) !=
			    2 &&
		    sscanf(p, "%31[^:]:%n", c->name, &n) != 1)
			break;
		if (p[n - 1] == ':')
			c->target[0] = '\0';
		p += n;
		p += *p == ',';
		ncases++;
	}
}

/* Walk @path: the number of errors not allowed (each printed). */
static int walk(const char *path, int depth)
{
	static char buf[65536];
	char sub[PATH_MAX];
	struct dirent *de;
	struct stat st;
	int bad = 0, fd;
	DIR *d;

	if (lstat(path, &st))
		return allowed(errno) ? 0 :
					(ktap_diag("lstat %s: %s", path,
						   ktap_errname(errno)),
					 1);
	if (S_ISREG(st.st_mode)) {
		errno = 0;
		fd = open(path, O_RDONLY);
		while (fd >= 0 && read(fd, buf, sizeof(buf)) > 0)
			;
		if (errno && !allowed(errno))
			ktap_diag("read %s: %s", path, ktap_errname(errno)),
				bad++;
		if (fd >= 0)
			close(fd);
		return bad;
	}
	if (!S_ISDIR(st.st_mode) || depth >= MAX_DEPTH)
		return 0;
	d = opendir(path);
	if (!d)
		return allowed(errno) ? 0 :
					(ktap_diag("opendir %s: %s", path,
						   ktap_errname(errno)),
					 1);
	errno = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		bad += walk(sub, depth + 1);
		errno = 0;
	}
	if (errno && !allowed(errno))
		ktap_diag("readdir %s: %s", path, ktap_errname(errno)), bad++;
	closedir(d);
	return bad;
}

/* The entries readdir gives in @path, errno ignored: a diagnostic. */
static int list_count(const char *path)
{
	DIR *d = opendir(path);
	int n = 0;

	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

/* Does @path give an allowed error (lstat, or reading it whole)? */
static bool target_fails(const char *path)
{
	static char buf[65536];
	struct stat st;
	ssize_t n;
	int fd;

	errno = 0;
	if (lstat(path, &st))
		return allowed(errno);
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *de;
		int n = 0;

		if (!d)
			return allowed(errno);
		while ((de = readdir(d)))
			n++;
		closedir(d);
		ktap_diag("%s: a directory of %d entries", path, n);
		return allowed(errno) && errno;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return allowed(errno);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	close(fd);
	return n < 0 && allowed(errno);
}

/* Does @path hold @size bytes of pattern @seed? */
static bool intact(const char *path, uint32_t seed, size_t size)
{
	static char buf[65536], want[65536];
	int fd = open(path, O_RDONLY);
	bool ok = fd >= 0 && read(fd, buf, size) == (ssize_t)size;

	ext2_pattern(want, seed, 0, size);
	if (fd >= 0)
		close(fd);
	return ok && !memcmp(buf, want, size);
}

static int write_case(struct bad_case *c)
{
	char path[PATH_MAX], *data = calloc(1, 256 * 1024);
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/new", c->dir);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (fd < 0 || write(fd, data, 256 * 1024) != 256 * 1024 || fsync(fd))
		err = errno;
	if (fd >= 0)
		close(fd);
	if (err && err != EIO && err != EUCLEAN && err != ENOSPC) {
		ktap_diag("write: %s", ktap_errname(err));
		return 1;
	}
	ktap_diag("the write %s%s", err ? "failed: " : "worked",
		  err ? ktap_errname(err) : "");
	sync();
	snprintf(path, sizeof(path), "%s/dir/file", c->dir);
	if (!intact(path, 900, 3000))
		return ktap_diag("dir/file damaged"), 1;
	snprintf(path, sizeof(path), "%s/dir/big", c->dir);
	if (!intact(path, 901, 40 * 1024))
		return ktap_diag("dir/big damaged"), 1;
	return 0;
}

/* One image, in the child: 0 when it behaved. */
static int one_case(void *arg)
{
	struct bad_case *c = arg;
	char path[PATH_MAX];
	bool write = !strcmp(c->target, "@write");
	int ret, bad;

	ret = mount(c->dev, c->dir, "ext2", write ? 0 : MS_RDONLY, NULL);
	if (!c->target[0]) {
		if (!ret) {
			ktap_diag("mounted");
			umount(c->dir);
			return 1;
		}
		ktap_diag("mount: %s", ktap_errname(errno));
		return errno == EINVAL || errno == EUCLEAN || errno == EIO ? 0 :
									     1;
	}
	if (ret) {
		ktap_diag("mount: %s", ktap_errname(errno));
		return 1;
	}
	bad = walk(c->dir, 0);
	if (write) {
		bad += write_case(c);
	} else {
		snprintf(path, sizeof(path), "%s/%s", c->dir, c->target);
		if (!target_fails(path)) {
			ktap_diag("%s: no error (%s)", c->target,
				  ktap_errname(errno));
			bad++;
		} else {
			ktap_diag("%s: %s", c->target, ktap_errname(errno));
		}
		*strrchr(path, '/') = '\0';
		ktap_diag("its directory lists %d entries", list_count(path));
	}
	if (umount(c->dir)) {
		ktap_diag("umount: %s", ktap_errname(errno));
		bad++;
	}
	return bad ? 1 : 0;
}

int main(void)
{
	char disk[DISK_NAME_LEN], part[DISK_NAME_LEN];
	int i;

	parse_cases();
	if (!ext2_plan(ncases ? ncases : 1, "t_ext2_corrupt"))
		return ktap_exit();
	if (!ncases || disk_wait(EXT2_BAD_PORT, EXT2_BAD_DEV, disk, 5000)) {
		ktap_ok(false, "no cases (kt_ext2_bad=) or no disk at 2.1");
		return ktap_exit();
	}
	mkdir("/mnt", 0755);
	for (i = 0; i < ncases; i++) {
		struct bad_case *c = &cases[i];

		disk_part_name(disk, EXT2_BAD_FIRST + i, part);
		snprintf(c->dev, sizeof(c->dev), "/dev/%s", part);
		snprintf(c->dir, sizeof(c->dir), "/mnt/bad%d", i);
		mkdir(c->dir, 0755);
		ktap_ok(ext2_with_deadline(one_case, c, DEADLINE, c->name) == 0,
			"%s: %s", c->name,
			!c->target[0] ? "mount refused" :
			!strcmp(c->target, "@write") ?
					"allocation spares metadata" :
					c->target);
	}
	return ktap_exit();
}
