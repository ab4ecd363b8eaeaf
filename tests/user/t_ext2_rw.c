/*
 * Tier-3 test of ext2, read and write (issue 13), on the three images of
 * the ext2 boot (tests/user/ext2.h): kx1k, kx4k (whole disks) and kx2k
 * (partition 1 of an MBR disk). For each:
 *
 *  - mount(2) as "ext2"; every MANIFEST entry checked (type, mode, owner,
 *    links, size, mtime, CRC of the data, symlink targets, device
 *    numbers, hard links, sparseness) and every directory's list and "..";
 *  - then writes under rw/: a big file (64 MiB on kx4k, 3 MiB elsewhere),
 *    an appended file, a truncated-then-extended file, a sparse file, a
 *    directory of 5,000 entries of which a third are removed, a path 30
 *    levels deep, a rename within a directory and one of a directory
 *    across parents (its ".." and both parents' link counts checked), a
 *    hard link, fast and slow symlinks; deletions and an overwrite in
 *    the image's own tree;
 *  - sync, umount; mount again and read the big file and the directory
 *    back from the disk; umount.
 *
 * After power-off the harness runs e2fsck -fn on each image (it must be
 * clean) and reads the tree back with debugfs against what this program
 * was to leave (scripts/ext2-images, expected_after_rw(): the seeds and
 * sizes here and there agree).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ext2.h"
#include "ktap.h"

#define PER_IMAGE 16
#define PLAN (3 * PER_IMAGE)
#define MANY 5000
#define DEEP 30
#define CHUNK (1 << 20)

static char root[64];
static char buf[CHUNK], want[CHUNK];

static const char *in(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* "@root/..." in one of four rotating buffers. */
static const char *in(const char *fmt, ...)
{
	static char paths[4][PATH_MAX];
	static int next;
	char *p = paths[next++ % 4];
	int n = snprintf(p, PATH_MAX, "%s/", root);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p + n, PATH_MAX - n, fmt, ap);
	va_end(ap);
	return p;
}

/* Write @size bytes of pattern @seed at @off of the open @fd. */
static bool put_pattern(int fd, uint32_t seed, off_t off, size_t size)
{
	for (size_t done = 0; done < size;) {
		size_t n = size - done < CHUNK ? size - done : CHUNK;

		ext2_pattern(buf, seed, done, n);
		if (pwrite(fd, buf, n, off + done) != (ssize_t)n)
			return false;
		done += n;
	}
	return true;
}

/* Are the @size bytes at @off of @fd pattern @seed (from its offset
 * @poff), or zeros when @seed is 0? */
static bool has_pattern(int fd, uint32_t seed, off_t off, uint64_t poff,
			size_t size)
{
	for (size_t done = 0; done < size;) {
		size_t n = size - done < CHUNK ? size - done : CHUNK;

		if (seed)
			ext2_pattern(want, seed, poff + done, n);
		else
			memset(want, 0, n);
		if (pread(fd, buf, n, off + done) != (ssize_t)n ||
		    memcmp(buf, want, n)) {
			ktap_diag("bytes [%lld, +%zu) differ", (long long)off,
				  size);
			return false;
		}
		done += n;
	}
	return true;
}

static bool write_text_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	bool ok = fd >= 0 &&
		  write(fd, text, strlen(text)) == (ssize_t)strlen(text);

	if (fd >= 0)
		close(fd);
	return ok;
}

static bool big_file(size_t size)
{
	int fd = open(in("rw/big"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	bool ok = fd >= 0 && put_pattern(fd, 1, 0, size) && !fsync(fd) &&
		  has_pattern(fd, 1, 0, 0, size);
	struct stat st;

	ok = ok && !fstat(fd, &st) && (size_t)st.st_size == size;
	if (fd >= 0)
		close(fd);
	return ok;
}

static bool appended(void)
{
	int fd = open(in("rw/appended"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	bool ok = fd >= 0 && put_pattern(fd, 2, 0, 10000);

	if (fd >= 0)
		close(fd);
	fd = open(in("rw/appended"), O_RDWR | O_APPEND);
	ext2_pattern(buf, 3, 0, 5000);
	ok = ok && fd >= 0 && write(fd, buf, 5000) == 5000 &&
	     lseek(fd, 0, SEEK_CUR) == 15000 &&
	     has_pattern(fd, 2, 0, 0, 10000) &&
	     has_pattern(fd, 3, 10000, 0, 5000);
	if (fd >= 0)
		close(fd);
	return ok;
}

static bool truncated(void)
{
	int fd = open(in("rw/truncated"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	bool ok = fd >= 0 && put_pattern(fd, 4, 0, 300 * 1024) &&
		  !ftruncate(fd, 12345) && !ftruncate(fd, 200000) &&
		  has_pattern(fd, 4, 0, 0, 12345) &&
		  has_pattern(fd, 0, 12345, 0, 200000 - 12345) &&
		  pread(fd, buf, 10, 200000) == 0;

	if (fd >= 0)
		close(fd);
	return ok;
}

static bool sparse(off_t far)
{
	int fd = open(in("rw/sparse"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	bool ok = fd >= 0 && put_pattern(fd, 5, 0, 4096) &&
		  !lseek(fd, 0, SEEK_SET);
	struct stat st;

	ext2_pattern(buf, 6, 0, 8192);
	ok = ok && pwrite(fd, buf, 8192, far) == 8192 && !fsync(fd) &&
	     has_pattern(fd, 5, 0, 0, 4096) &&
	     has_pattern(fd, 0, 4096, 0, 1 << 20) &&
	     has_pattern(fd, 6, far, 0, 8192) && !fstat(fd, &st) &&
	     st.st_size == far + 8192;
	if (ok && st.st_blocks * 512 > 256 * 1024) {
		ktap_diag("sparse file of %lld blocks",
			  (long long)st.st_blocks);
		ok = false;
	}
	if (fd >= 0)
		close(fd);
	return ok;
}

/* The entries of @path but "." and ".."; -1 on error. */
static int count_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	return n;
}

static bool many(void)
{
	char text[16];
	bool ok = !mkdir(in("rw/many"), 0755);
	struct stat st;
	int n;

	for (int i = 0; ok && i < MANY; i++) {
		snprintf(text, sizeof(text), "%d\n", i);
		ok = write_text_file(in("rw/many/n%05d", i), text);
	}
	for (int i = 0; ok && i < MANY; i += 3)
		ok = !unlink(in("rw/many/n%05d", i));
	n = count_entries(in("rw/many"));
	if (n != MANY - (MANY + 2) / 3)
		ktap_diag("rw/many has %d entries", n);
	errno = 0;
	return ok && n == MANY - (MANY + 2) / 3 &&
	       stat(in("rw/many/n%05d", 3), &st) && errno == ENOENT &&
	       !stat(in("rw/many/n%05d", 4999), &st) && st.st_size == 5;
}

static bool deep(void)
{
	char path[PATH_MAX];
	int n = snprintf(path, sizeof(path), "%s", in("rw/deep"));
	bool ok = !mkdir(path, 0755);
	struct stat st;

	for (int i = 0; ok && i < DEEP; i++) {
		n += snprintf(path + n, sizeof(path) - n, "/level%02d", i);
		ok = !mkdir(path, 0755);
	}
	snprintf(path + n, sizeof(path) - n, "/bottom");
	return ok && write_text_file(path, "bottom\n") && !stat(path, &st) &&
	       st.st_size == 7;
}

static bool rename_file(void)
{
	int fd = open(in("rw/tmpname"), O_RDWR | O_CREAT, 0644);
	bool ok = fd >= 0 && put_pattern(fd, 7, 0, 4321);
	struct stat st;

	if (fd >= 0)
		close(fd);
	errno = 0;
	return ok && !rename(in("rw/tmpname"), in("rw/renamed")) &&
	       stat(in("rw/tmpname"), &st) && errno == ENOENT &&
	       !stat(in("rw/renamed"), &st) && st.st_size == 4321;
}

static bool rename_dir(void)
{
	struct stat a, b, dotdot, moved;
	bool ok = !mkdir(in("rw/a"), 0755) && !mkdir(in("rw/b"), 0755) &&
		  !mkdir(in("rw/a/moving"), 0755) &&
		  write_text_file(in("rw/a/moving/inside"), "inside\n") &&
		  !rename(in("rw/a/moving"), in("rw/b/moved"));

	ok = ok && !stat(in("rw/a"), &a) && !stat(in("rw/b"), &b) &&
	     !stat(in("rw/b/moved/.."), &dotdot) &&
	     !stat(in("rw/b/moved/inside"), &moved);
	if (ok &&
	    (dotdot.st_ino != b.st_ino || a.st_nlink != 2 || b.st_nlink != 3)) {
		ktap_diag("..: %lu, want %lu; links a %u b %u",
			  (unsigned long)dotdot.st_ino, (unsigned long)b.st_ino,
			  (unsigned)a.st_nlink, (unsigned)b.st_nlink);
		ok = false;
	}
	return ok;
}

static bool hard_link(void)
{
	struct stat a, b;

	return !link(in("rw/renamed"), in("rw/linked")) &&
	       !stat(in("rw/renamed"), &a) && !stat(in("rw/linked"), &b) &&
	       a.st_ino == b.st_ino && a.st_nlink == 2;
}

static bool symlinks(void)
{
	char slow[301], got[400];
	ssize_t n;
	struct stat st;
	bool ok;

	memset(slow, 'x', 300);
	slow[300] = '\0';
	ok = !symlink("renamed", in("rw/symfast")) &&
	     !symlink(slow, in("rw/symslow"));
	n = readlink(in("rw/symfast"), got, sizeof(got));
	ok = ok && n == 7 && !memcmp(got, "renamed", 7);
	n = readlink(in("rw/symslow"), got, sizeof(got));
	return ok && n == 300 && !memcmp(got, slow, 300) &&
	       !stat(in("rw/symfast"), &st) && st.st_size == 4321;
}

static bool deletions(void)
{
	struct stat st;

	return !unlink(in("small/f4097")) && !unlink(in("links/dangling")) &&
	       !unlink(in("links/hard1000")) && !unlink(in("dev/fifo")) &&
	       !unlink(in("big/f100k")) && !unlink(in("big/f5m")) &&
	       !rmdir(in("big")) && !stat(in("small/f1000"), &st) &&
	       st.st_nlink == 1 && count_entries(in("links")) == 2;
}

static bool overwrite(void)
{
	int fd = open(in("small/f4096"), O_WRONLY);
	bool ok = fd >= 0 && put_pattern(fd, 8, 0, 100);
	struct stat st;

	ok = ok && !fstat(fd, &st) && st.st_size == 4096;
	if (fd >= 0)
		close(fd);
	return ok;
}

/* After a fresh mount: the big file and rw/many, from the disk. */
static bool read_back(size_t size)
{
	int fd = open(in("rw/big"), O_RDONLY);
	bool ok = fd >= 0 && has_pattern(fd, 1, 0, 0, size);

	if (fd >= 0)
		close(fd);
	return ok && count_entries(in("rw/many")) == MANY - (MANY + 2) / 3;
}

static void one_image(const struct ext2_disk *d, size_t big, off_t far)
{
	int bad;

	snprintf(root, sizeof(root), "/mnt/%s", d->label);
	if (!ktap_ok(!ext2_mount(d, root, 0), "%s: mount", d->label)) {
		ktap_diag("mount: %s", ktap_errname(errno));
		for (int i = 1; i < PER_IMAGE; i++)
			ktap_ok(false, "%s: not mounted", d->label);
		return;
	}
	bad = ext2_verify_manifest(root);
	ktap_ok(bad == 0, "%s: %d manifest entries as made", d->label,
		ext2_nentries);
	mkdir(in("rw"), 0755);
	ktap_ok(big_file(big), "%s: big file of %zu bytes", d->label, big);
	ktap_ok(appended(), "%s: O_APPEND", d->label);
	ktap_ok(truncated(), "%s: truncate down and up", d->label);
	ktap_ok(sparse(far), "%s: sparse file", d->label);
	ktap_ok(many(), "%s: directory of %d entries", d->label, MANY);
	ktap_ok(deep(), "%s: path %d levels deep", d->label, DEEP);
	ktap_ok(rename_file(), "%s: rename of a file", d->label);
	ktap_ok(rename_dir(), "%s: rename of a directory across parents",
		d->label);
	ktap_ok(hard_link(), "%s: hard link", d->label);
	ktap_ok(symlinks(), "%s: fast and slow symlinks", d->label);
	ktap_ok(deletions(), "%s: unlink and rmdir", d->label);
	ktap_ok(overwrite(), "%s: overwrite in place", d->label);
	sync();
	if (!ktap_ok(!umount(root), "%s: sync and umount", d->label))
		ktap_diag("umount: %s", ktap_errname(errno));
	ktap_ok(!ext2_mount(d, root, 0) && read_back(big) && !umount(root),
		"%s: mounted again, read back", d->label);
}

int main(void)
{
	if (!ext2_plan(PLAN, "t_ext2_rw"))
		return ktap_exit();
	one_image(&EXT2_1K, 3 * 1024 * 1024 + 5, 20 << 20);
	one_image(&EXT2_2K, 3 * 1024 * 1024 + 5, 20 << 20);
	one_image(&EXT2_4K, 64 << 20, 40 << 20);
	return ktap_exit();
}
