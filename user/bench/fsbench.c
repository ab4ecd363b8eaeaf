/*
 * fsbench: the file-system benchmarks of issue 13 (DESIGN.md section 6,
 * docs/bench.md "File systems (ext2)"), one static i386 program run by
 * the bench /init as "fsbench fs".
 *
 * The harness (scripts/run-bench, make_fs_image()) attaches an ext2 image
 * made with `mke2fs -t ext2 -b 4096 -L kbenchfs -d TREE` as the primary
 * slave of the benchmark boot: /dev/hdb on Kestrel, /dev/sdb (or sda:
 * Linux's sd probe is asynchronous) on Linux. This program finds it by
 * its superblock (magic 0xEF53, label "kbenchfs"), never by name, so it
 * cannot take the scratch disk of diskbench for it. The image holds
 *
 *   /big20m            20 MiB of non-zero data (no holes)
 *   /tree/DD/SS/fFF    10,000 empty files in 10 x 10 directories
 *   /bench/exit0       the static glibc program that exits 0
 *
 * and the figures are, in this order (each a median where repeated):
 *
 *   fs_cold_read_20m     read(2) of /big20m in 1 MiB calls, right after
 *                        the first mount: nothing of the disk cached yet
 *   fs_find_10000        ms to walk /tree as find does (getdents64 and
 *                        fstatat(AT_SYMLINK_NOFOLLOW) of every entry),
 *                        still cold: the first walk after that mount
 *   fs_fork_exec_ext2_us fork + execve(/mnt/bench/exit0) + waitpid, the
 *                        program on ext2 (warm: the median of REPS runs
 *                        of EXEC_N after one untimed exec)
 *   fs_create_2000       files/s: open(O_CREAT|O_EXCL) + close of 2,000
 *                        new empty files in one new directory
 *   fs_unlink_2000       files/s: unlink(2) of those 2,000
 *   fs_write_64m_sync    MB/s: 64 MiB in 64 KiB write(2) calls to a new
 *                        file and fsync(2), timed to fsync's return
 *
 * After the cold read and the write the program prints, from
 * /sys/block/NAME/stat, how many MiB the disk moved, in how many
 * requests: the read must come from the disk, and fsync must have
 * written the data.
 *
 * The cold figures are measured once per boot (a remount would not make
 * them cold again on a kernel that keeps the block device's cache after
 * umount): the harness boots several times and takes the median. REPS is
 * $KBENCH_REPS, default 3. Any failure prints nan for the figures not
 * yet printed, with the reason; the program exits 0 either way.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "benchutil.h"

#define MiB (1024 * 1024)
#define MB 1e6 /* MB/s figures are 10^6 bytes per second */
#define MAX_REPS 31
#define MNT "/mnt"
#define LABEL "kbenchfs"
#define BIG_SIZE (20 * MiB)
#define READ_CHUNK MiB
#define TREE_FILES 10000
#define WRITE_SIZE (64LL * MiB)
#define WRITE_CHUNK (64 * 1024)
#define NFILES 2000
#define EXEC_N 100

static int reps = 3;
static char *buf; /* READ_CHUNK bytes */
static const char *const fig_names[] = {
	"fs_cold_read_20m", "fs_find_10000",  "fs_fork_exec_ext2_us",
	"fs_create_2000",   "fs_unlink_2000", "fs_write_64m_sync",
};
static const char *const fig_units[] = { "MB/s",    "ms",      "us",
					 "files/s", "files/s", "MB/s" };
static int printed; /* figures printed so far, in fig_names' order */
static char stat_path[64]; /* /sys/block/NAME/stat of the image's disk */

/* ---- helpers ------------------------------------------------------------ */

/* Print the next figure: the median of @v[0..n), its samples as a comment. */
static void report(double *v, int n)
{
	int i;

	printf("# %s samples:", fig_names[printed]);
	for (i = 0; i < n; i++)
		printf(" %.1f", v[i]);
	qsort(v, n, sizeof(*v), cmp_double);
	printf("\nBENCH %s %.1f %s\n", fig_names[printed], v[n / 2],
	       fig_units[printed]);
	fflush(stdout);
	printed++;
}

/* Every figure not printed yet is nan, for the reason in @why. */
static void rest_nan(void)
{
	for (; printed < (int)(sizeof(fig_names) / sizeof(fig_names[0]));
	     printed++)
		printf("# skipped: %s: %s\nBENCH %s nan %s\n",
		       fig_names[printed], why, fig_names[printed],
		       fig_units[printed]);
	fflush(stdout);
}

/* ---- the image ---------------------------------------------------------- */

/* Say what the disk did since @before (blk_stat() of @w). */
static void disk_note(const char *what, int w, const long long *before)
{
	long long after[2];

	if (blk_stat(stat_path, w, &after[0], &after[1]) < 0 ||
	    after[0] <= before[0])
		return;
	printf("# %s: %.1f MiB %s the disk in %lld requests (%s)\n", what,
	       (after[1] - before[1]) / 2048.0, w ? "written to" : "read from",
	       after[0] - before[0], stat_path);
}

/* Is @dev an ext2 file system labelled LABEL? */
static int is_ours(const char *dev)
{
	unsigned char sb[1024];
	int fd = open(dev, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : pread(fd, sb, sizeof(sb), 1024);

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)sizeof(sb) && sb[56] == 0x53 && sb[57] == 0xef &&
	       !strncmp((char *)sb + 120, LABEL, 16);
}

/* Wait up to 10 s for the image (Linux probes its disks asynchronously). */
static const char *find_image(void)
{
	static const char *const names[] = { "/dev/hdb", "/dev/sdb", "/dev/sda",
					     "/dev/hda" };
	int tries, i;

	for (tries = 0; tries < 100; tries++) {
		for (i = 0; i < 4; i++)
			if (is_ours(names[i]))
				return names[i];
		usleep(100000);
	}
	return NULL;
}

static int mount_image(void)
{
	const char *dev = find_image();

	errno = ENOENT;
	if (!dev)
		return failf("no ext2 disk labelled " LABEL);
	mkdir(MNT, 0755);
	if (mount(dev, MNT, "ext2", 0, NULL) < 0)
		return failf("mount ext2");
	snprintf(stat_path, sizeof(stat_path), "/sys/block/%s/stat", dev + 5);
	printf("# fsbench: %s mounted on " MNT "\n", dev);
	return 0;
}

/* ---- cold read, find ---------------------------------------------------- */

static int cold_read(double *out)
{
	long long before[2], done = 0;
	int stat_ok = blk_stat(stat_path, 0, &before[0], &before[1]),
	    fd = open(MNT "/big20m", O_RDONLY);
	double t0 = now();
	ssize_t n;

	if (fd < 0)
		return failf(MNT "/big20m");
	while ((n = read(fd, buf, READ_CHUNK)) > 0)
		done += n;
	*out = done / (now() - t0) / MB;
	close(fd);
	if (!stat_ok)
		disk_note("fs_cold_read_20m", 0, before);
	if (n < 0 || done != BIG_SIZE) {
		errno = n < 0 ? errno : EIO;
		return failf("read " MNT "/big20m");
	}
	return 0;
}

/* Walk the directory @dfd (closed here) as find does; count its files. */
static int walk(int dfd, long *files)
{
	DIR *d = fdopendir(dfd);
	struct dirent *e;
	struct stat st;
	int sub, err = 0;

	if (!d) {
		close(dfd);
		return failf("fdopendir");
	}
	while (!err && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) <
		    0) {
			err = failf("fstatat");
		} else if (S_ISDIR(st.st_mode)) {
			sub = openat(dirfd(d), e->d_name,
				     O_RDONLY | O_DIRECTORY);
			err = sub < 0 ? failf("openat") : walk(sub, files);
		} else {
			(*files)++;
		}
	}
	closedir(d);
	return err;
}

static int find_tree(double *out)
{
	int dfd;
	long files = 0;
	double t0 = now();

	dfd = open(MNT "/tree", O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		return failf(MNT "/tree");
	if (walk(dfd, &files) < 0)
		return -1;
	*out = (now() - t0) * 1e3;
	if (files != TREE_FILES) {
		snprintf(why, sizeof(why), "found %ld files, not %d", files,
			 TREE_FILES);
		return -1;
	}
	return 0;
}

/* ---- fork + exec -------------------------------------------------------- */

static int spawn(void)
{
	char *argv[] = { MNT "/bench/exit0", NULL };
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return failf("fork");
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return failf("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		errno = ENOEXEC;
		return failf("exec " MNT "/bench/exit0");
	}
	return 0;
}

static int fork_exec(double *out)
{
	double t0 = now();
	int i;

	for (i = 0; i < EXEC_N; i++)
		if (spawn() < 0)
			return -1;
	*out = (now() - t0) / EXEC_N * 1e6;
	return 0;
}

/* ---- create, unlink ----------------------------------------------------- */

/* Create (@unlink 0) or unlink NFILES files in MNT/cREP; files/s. */
static int many(int rep, int unlink_them, double *out)
{
	char path[64];
	double t0 = now();
	int i, fd;

	for (i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), MNT "/c%d/f%04d", rep, i);
		if (unlink_them) {
			if (unlink(path) < 0)
				return failf("unlink");
			continue;
		}
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			return failf("open O_CREAT");
		close(fd);
	}
	*out = NFILES / (now() - t0);
	return 0;
}

static int create_unlink(double *cr, double *ul)
{
	char dir[32];
	int i;

	for (i = 0; i < reps; i++) {
		snprintf(dir, sizeof(dir), MNT "/c%d", i);
		if (mkdir(dir, 0755) < 0)
			return failf("mkdir");
		if (many(i, 0, &cr[i]) < 0 || many(i, 1, &ul[i]) < 0)
			return -1;
		if (rmdir(dir) < 0)
			return failf("rmdir");
	}
	return 0;
}

/* ---- write + fsync ------------------------------------------------------ */

static int write_sync(double *out)
{
	long long before[2], done;
	int stat_ok = blk_stat(stat_path, 1, &before[0], &before[1]),
	    fd = open(MNT "/w64m", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	double t0 = now();

	if (fd < 0)
		return failf("open " MNT "/w64m");
	for (done = 0; done < WRITE_SIZE; done += WRITE_CHUNK)
		if (write(fd, buf, WRITE_CHUNK) != WRITE_CHUNK) {
			close(fd);
			return failf("write");
		}
	if (fsync(fd) < 0) {
		close(fd);
		return failf("fsync");
	}
	*out = WRITE_SIZE / (now() - t0) / MB;
	if (!stat_ok)
		disk_note("fs_write_64m_sync, to fsync's return", 1, before);
	close(fd);
	if (unlink(MNT "/w64m") < 0)
		return failf("unlink " MNT "/w64m");
	sync(); /* the freed blocks, before the next repetition */
	return 0;
}

/* ---- main --------------------------------------------------------------- */

/* REPS samples of @fn, reported; -1 if one failed. */
static int repeated(int (*fn)(double *))
{
	double v[MAX_REPS];
	int i;

	for (i = 0; i < reps; i++)
		if (fn(&v[i]) < 0)
			return -1;
	report(v, reps);
	return 0;
}

static int run(void)
{
	double v, cr[MAX_REPS], ul[MAX_REPS];

	if (mount_image() < 0 || cold_read(&v) < 0)
		return -1;
	report(&v, 1);
	if (find_tree(&v) < 0)
		return -1;
	report(&v, 1);
	if (spawn() < 0 || repeated(fork_exec) < 0)
		return -1;
	if (create_unlink(cr, ul) < 0)
		return -1;
	report(cr, reps);
	report(ul, reps);
	return repeated(write_sync);
}

int main(int argc, char **argv)
{
	const char *env = getenv("KBENCH_REPS");

	if (argc != 2 || strcmp(argv[1], "fs")) {
		fprintf(stderr, "usage: %s fs\n", argv[0]);
		return 2;
	}
	if (env && atoi(env) > 0)
		reps = atoi(env) < MAX_REPS ? atoi(env) : MAX_REPS;
	buf = malloc(READ_CHUNK);
	if (!buf) {
		errno = ENOMEM;
		failf("malloc");
		rest_nan();
		return 0;
	}
	memset(buf, 0x5a, READ_CHUNK);
	if (run() < 0)
		rest_nan();
	if (umount(MNT) < 0 && errno != EINVAL)
		printf("# fsbench: umount: %s\n", strerror(errno));
	return 0;
}
