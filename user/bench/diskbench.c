/*
 * diskbench: the raw-disk benchmarks (DESIGN.md section 6, docs/bench.md
 * "Disks"), one static i386 program run by the bench /init:
 *
 *   diskbench disk      with the kernel's default transfer mode (DMA)
 *   diskbench diskpio   the sequential figures again, named disk_pio_*;
 *                       init runs it only in a boot where the harness
 *                       forced PIO (ata.pio=1 libata.dma=0)
 *
 * The disk is the primary master: /dev/hda on Kestrel, /dev/sda on Linux
 * (ata_piix names it so), or $DISKBENCH_DEV. The harness gives each boot a
 * fresh scratch image, so the write figures may overwrite it. Every
 * access is O_DIRECT, from 4 KiB-aligned buffers, within the first
 * DISK_SPAN bytes of the disk:
 *
 *   disk_read_mbs, disk_write_mbs   sequential pread/pwrite of SEQ_CHUNK
 *       bytes per call for at least SEQ_TIME, wrapping at DISK_SPAN
 *   disk_qd1_iops, disk_qd32_iops   random 4 KiB reads through io_submit,
 *       QD requests kept in flight, reaped with io_getevents, for at least
 *       RAND_TIME (raw system calls: no libaio)
 *   disk_lat_p50_us, disk_lat_p99_us  the QD1 run's requests, each timed
 *       from io_submit to its io_getevents return
 *
 *   disk_ceiling_mbs, disk_ceiling_iops  not measured here: Kestrel's
 *       drivers/ata/ata_ceiling.c logs them at boot (ata.ceiling=MIB) and
 *       this copies them from the kernel log (syslog(2)); nan on a
 *       kernel that logged none
 *
 * Each figure is the median of REPS repetitions ($KBENCH_REPS, default
 * 5; the latency figures are over every QD1 request of all repetitions).
 *
 * A kernel that ignores O_DIRECT (a read at offset 1 succeeds instead of
 * failing with EINVAL) would measure its own cache, not the disk: then
 * every figure but the ceiling is printed as nan with the reason, as are
 * the AIO figures when io_setup fails. The program exits 0 either way.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <math.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "benchutil.h"
#include "figures.h"

#define KiB 1024
#define MiB (1024 * 1024)
#define MB 1e6 /* MB/s figures are 10^6 bytes per second */
#define MAX_REPS 31
#define DISK_SPAN (64LL * MiB)
#define SEQ_CHUNK MiB
#define SEQ_TIME 0.4 /* seconds per sequential repetition, at least */
#define RAND_TIME 0.4 /* seconds per random repetition, at least */
#define BLK 4096
#define QD_MAX 32
#define LAT_MAX 100000 /* latency samples kept */

static int reps = 5;
static int fd = -1;
static char stat_path[64]; /* /sys/block/NAME/stat */
static long long span; /* bytes of the disk used */
static char *buf; /* SEQ_CHUNK, also QD_MAX * BLK */
static double lat[LAT_MAX];
static int nlat;

/* ---- helpers ------------------------------------------------------------ */

/* The @pct percentile of @v (sorted in place). */
static double pctile(double *v, int n, double pct)
{
	int i = (int)(pct / 100.0 * (n - 1) + 0.5);

	qsort(v, n, sizeof(*v), cmp_double);
	return v[i];
}

static void report(const char *name, const char *unit, double *v, int n)
{
	int i;

	printf("# %s samples:", name);
	for (i = 0; i < n; i++)
		printf(" %.1f", v[i]);
	printf("\nBENCH %s %.1f %s\n", name, pctile(v, n, 50), unit);
	fflush(stdout);
}

static void report_nan(const char *name, const char *unit)
{
	printf("# skipped: %s: %s\nBENCH %s nan %s\n", name, why, name, unit);
	fflush(stdout);
}

/* Run @fn REPS times and print the median of its samples (or nan). */
static double figure(const char *name, const char *unit, int (*fn)(double *))
{
	double v[MAX_REPS];
	int i;

	for (i = 0; i < reps; i++)
		if (fn(&v[i]) < 0) {
			report_nan(name, unit);
			return NAN;
		}
	report(name, unit, v, reps);
	return pctile(v, reps, 50);
}

/* ---- the disk ----------------------------------------------------------- */

/* Wait up to 10 s for a device node (Linux's sd probe is asynchronous). */
static const char *find_disk(void)
{
	static const char *const names[] = { "/dev/hda", "/dev/sda" };
	const char *env = getenv("DISKBENCH_DEV");
	int tries, i;

	for (tries = 0; tries < 100; tries++) {
		if (env && !access(env, F_OK))
			return env;
		for (i = 0; !env && i < 2; i++)
			if (!access(names[i], F_OK))
				return names[i];
		usleep(100000);
	}
	return NULL;
}

/* Print what the kernel says of the transfer mode, where it says it. */
static void show_mode(void)
{
	static const char *const files[] = {
		"/sys/class/ata_device/dev1.0/xfer_mode", /* Linux */
		"/sys/block/hda/device/selected_dma", /* Kestrel */
	};
	char line[80];
	FILE *f;
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		f = fopen(files[i], "r");
		if (!f)
			continue;
		if (fgets(line, sizeof(line), f))
			printf("# %s: %s", files[i], line);
		fclose(f);
	}
}

/*
 * Open the disk O_DIRECT and check the kernel honours it: a read at a
 * misaligned offset must fail with EINVAL.
 */
static int open_disk(void)
{
	const char *dev = find_disk();
	unsigned long long size = 0;
	ssize_t n;

	errno = ENOENT;
	if (!dev)
		return failf("no /dev/hda or /dev/sda");
	snprintf(stat_path, sizeof(stat_path), "/sys/block/%s/stat",
		 strrchr(dev, '/') ? strrchr(dev, '/') + 1 : dev);
	fd = open(dev, O_RDWR | O_DIRECT);
	if (fd < 0)
		return failf(dev);
	if (ioctl(fd, BLKGETSIZE64, &size) < 0)
		return failf("BLKGETSIZE64");
	span = size < DISK_SPAN ? (long long)size : DISK_SPAN;
	span -= span % SEQ_CHUNK;
	show_mode();
	printf("# diskbench: %s, %llu bytes, using the first %lld\n", dev, size,
	       span);
	if (span < SEQ_CHUNK) {
		errno = ENOSPC;
		return failf("disk smaller than 1 MiB");
	}
	n = pread(fd, buf, 512, 1);
	if (n >= 0 || errno != EINVAL) {
		snprintf(why, sizeof(why),
			 "O_DIRECT not honoured (a read at offset 1 gave %s)",
			 n >= 0 ? "data" : strerror(errno));
		return -1;
	}
	return 0;
}

/* The disk's requests and sectors read (@w 0) or written (@w 1). */
static int disk_stat(int w, long long *ios, long long *sect)
{
	return blk_stat(stat_path, w, ios, sect);
}

/* Say how the driver saw @name's calls: requests and their mean size. */
static void stat_note(const char *name, int w, long long ios0, long long s0)
{
	long long ios, sect;

	if (disk_stat(w, &ios, &sect) < 0 || ios <= ios0)
		return;
	printf("# %s: %lld requests of %.0f KiB on average (%s)\n", name,
	       ios - ios0, (sect - s0) / 2.0 / (ios - ios0), stat_path);
}

/* figure(), with stat_note() after it. */
static double figure_stat(const char *name, const char *unit, int w,
			  int (*fn)(double *))
{
	long long ios = 0, sect = 0;
	int have = disk_stat(w, &ios, &sect) == 0;
	double v = figure(name, unit, fn);

	if (have)
		stat_note(name, w, ios, sect);
	return v;
}

/* ---- sequential --------------------------------------------------------- */

static int seq(double *out, int write)
{
	double t0 = now(), t;
	long long off = 0, done = 0;
	ssize_t n;

	do {
		n = write ? pwrite(fd, buf, SEQ_CHUNK, off) :
			    pread(fd, buf, SEQ_CHUNK, off);
		if (n != SEQ_CHUNK) {
			if (n >= 0)
				errno = EIO;
			return failf(write ? "pwrite" : "pread");
		}
		done += n;
		off = (off + n) % span;
		t = now() - t0;
	} while (t < SEQ_TIME);
	*out = done / t / MB;
	return 0;
}

static int seq_read(double *out)
{
	return seq(out, 0);
}

static int seq_write(double *out)
{
	return seq(out, 1);
}

/* ---- random reads through io_submit ------------------------------------- */

static aio_context_t ctx;
static int qd;
static unsigned int rnd = 12345;

static long io_setup(unsigned int nr, aio_context_t *c)
{
	return syscall(__NR_io_setup, nr, c);
}

static long io_submit(aio_context_t c, long nr, struct iocb **iocbs)
{
	return syscall(__NR_io_submit, c, nr, iocbs);
}

static long io_getevents(aio_context_t c, long min, long nr,
			 struct io_event *ev)
{
	return syscall(__NR_io_getevents, c, min, nr, ev, NULL);
}

/* Aim @cb at a random 4 KiB block, with slot @i's buffer. */
static void aim(struct iocb *cb, int i)
{
	rnd = rnd * 1103515245 + 12345;
	memset(cb, 0, sizeof(*cb));
	cb->aio_lio_opcode = IOCB_CMD_PREAD;
	cb->aio_fildes = fd;
	cb->aio_buf = (unsigned long)(buf + i * BLK);
	cb->aio_nbytes = BLK;
	cb->aio_offset = (long long)((rnd >> 8) % (span / BLK)) * BLK;
	cb->aio_data = i;
}

static int submit(struct iocb *cb, double *start)
{
	struct iocb *p = cb;

	start[cb->aio_data] = now();
	if (io_submit(ctx, 1, &p) != 1)
		return failf("io_submit");
	return 0;
}

/* Reap at least one event; resubmit each slot; count and time them. */
static int reap(struct iocb *cbs, double *start, long *done)
{
	struct io_event ev[QD_MAX];
	long n, i;

	n = io_getevents(ctx, 1, QD_MAX, ev);
	if (n < 1)
		return failf("io_getevents");
	for (i = 0; i < n; i++) {
		int slot = (int)ev[i].data;

		if (ev[i].res != BLK) {
			errno = ev[i].res < 0 ? (int)-ev[i].res : EIO;
			return failf("AIO read");
		}
		if (qd == 1 && nlat < LAT_MAX)
			lat[nlat++] = (now() - start[slot]) * 1e6;
		aim(&cbs[slot], slot);
		if (submit(&cbs[slot], start) < 0)
			return -1;
	}
	*done += n;
	return 0;
}

/* Drain what is still in flight, so the next repetition starts empty. */
static int drain(long inflight)
{
	struct io_event ev[QD_MAX];
	long n;

	while (inflight > 0) {
		n = io_getevents(ctx, 1, QD_MAX, ev);
		if (n < 1)
			return failf("io_getevents");
		inflight -= n;
	}
	return 0;
}

static int rand_read(double *out)
{
	struct iocb cbs[QD_MAX];
	double start[QD_MAX], t0 = now(), t;
	long done = 0;
	int i;

	for (i = 0; i < qd; i++) {
		aim(&cbs[i], i);
		if (submit(&cbs[i], start) < 0)
			return -1;
	}
	do {
		if (reap(cbs, start, &done) < 0)
			return -1;
		t = now() - t0;
	} while (t < RAND_TIME);
	*out = done / t;
	return drain(qd);
}

/* The AIO figures; returns the QD32 IOPS (NAN if none). */
static double aio_figures(void)
{
	double p[2], qd32;

	if (io_setup(QD_MAX * 2, &ctx) < 0) {
		failf("io_setup");
		report_nan("disk_qd1_iops", "IOPS");
		report_nan("disk_qd32_iops", "IOPS");
		report_nan("disk_lat_p50_us", "us");
		report_nan("disk_lat_p99_us", "us");
		return NAN;
	}
	qd = 1;
	figure_stat("disk_qd1_iops", "IOPS", 0, rand_read);
	qd = 32;
	qd32 = figure_stat("disk_qd32_iops", "IOPS", 0, rand_read);
	syscall(__NR_io_destroy, ctx);
	if (!nlat) {
		report_nan("disk_lat_p50_us", "us");
		report_nan("disk_lat_p99_us", "us");
		return qd32;
	}
	p[0] = pctile(lat, nlat, 50);
	p[1] = pctile(lat, nlat, 99);
	printf("# QD1 latency over %d requests: min %.1f max %.1f us\n", nlat,
	       lat[0], lat[nlat - 1]);
	printf("BENCH disk_lat_p50_us %.1f us\nBENCH disk_lat_p99_us %.1f us\n",
	       p[0], p[1]);
	return qd32;
}

/* ---- the ceiling, from the kernel log ----------------------------------- */

#define LOG_SIZE (256 * KiB)
#define CEIL_MARK "ata_ceiling: "

/*
 * Find ata_ceiling.c's line for its 4 KiB commands (@small) or for its
 * largest in the kernel log; its MB/s and commands/s into @mbs and @cps.
 * Returns 0 or -1.
 */
static int ceiling_line(int small, double *mbs, double *cps)
{
	static char log[LOG_SIZE + 1];
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, LOG_SIZE);
	char *p = log, *c;
	unsigned int k;

	if (n <= 0)
		return failf("syslog(SYSLOG_ACTION_READ_ALL)");
	log[n] = '\0';
	while ((p = strstr(p, CEIL_MARK))) {
		c = strstr(p, "commands of ");
		p += strlen(CEIL_MARK);
		if (c &&
		    sscanf(c, "commands of %u KiB: median %lf MB/s, %lf", &k,
			   mbs, cps) == 3 &&
		    (k == 4) == small) {
			printf("# %.*s\n", (int)strcspn(p, "\n"), p);
			return 0;
		}
	}
	snprintf(why, sizeof(why),
		 "no \"%s... commands of %s KiB\" line in the kernel log "
		 "(ata.ceiling= is Kestrel's)",
		 CEIL_MARK, small ? "4" : "N");
	return -1;
}

/* The ceilings, and how close the user-level @read_mbs, @qd32 came. */
static void ceiling_figures(double read_mbs, double qd32)
{
	double mbs, cps;

	if (ceiling_line(0, &mbs, &cps) < 0) {
		report_nan("disk_ceiling_mbs", "MB/s");
	} else {
		if (read_mbs == read_mbs)
			printf("# disk_read_mbs is %.0f%% of the ceiling\n",
			       100 * read_mbs / mbs);
		printf("BENCH disk_ceiling_mbs %.1f MB/s\n", mbs);
	}
	if (ceiling_line(1, &mbs, &cps) < 0) {
		report_nan("disk_ceiling_iops", "IOPS");
	} else {
		if (qd32 == qd32)
			printf("# disk_qd32_iops is %.0f%% of the ceiling\n",
			       100 * qd32 / cps);
		printf("BENCH disk_ceiling_iops %.1f IOPS\n", cps);
	}
	fflush(stdout);
}

/* ---- main --------------------------------------------------------------- */

static const struct kbench_sub *find_sub(const char *name)
{
	size_t i;

	for (i = 0; i < KBENCH_NSUBS; i++)
		if (!strcmp(kbench_subs[i].sub, name))
			return &kbench_subs[i];
	return NULL;
}

/* The disk cannot be measured: nan for its figures, the ceiling still. */
static void all_nan(const struct kbench_sub *sub, int pio)
{
	int i;

	for (i = 0; i < KBENCH_MAX_FIGS && sub->figs[i].name; i++)
		if (strncmp(sub->figs[i].name, "disk_ceiling", 12))
			report_nan(sub->figs[i].name, sub->figs[i].unit);
	if (!pio)
		ceiling_figures(NAN, NAN);
}

int main(int argc, char **argv)
{
	const struct kbench_sub *sub = argc == 2 ? find_sub(argv[1]) : NULL;
	const char *env = getenv("KBENCH_REPS");
	double read_mbs;
	int pio;

	if (!sub || strncmp(sub->sub, "disk", 4)) {
		fprintf(stderr, "usage: %s disk|diskpio\n", argv[0]);
		return 2;
	}
	pio = !strcmp(sub->sub, "diskpio");
	if (env && atoi(env) > 0)
		reps = atoi(env) < MAX_REPS ? atoi(env) : MAX_REPS;
	if (posix_memalign((void **)&buf, BLK, SEQ_CHUNK)) {
		errno = ENOMEM;
		failf("posix_memalign");
		all_nan(sub, pio);
		return 0;
	}
	memset(buf, 0x5a, SEQ_CHUNK);
	if (open_disk() < 0) {
		all_nan(sub, pio);
		return 0;
	}
	read_mbs = figure_stat(pio ? "disk_pio_read_mbs" : "disk_read_mbs",
			       "MB/s", 0, seq_read);
	figure_stat(pio ? "disk_pio_write_mbs" : "disk_write_mbs", "MB/s", 1,
		    seq_write);
	if (!pio)
		ceiling_figures(read_mbs, aio_figures());
	return 0;
}
