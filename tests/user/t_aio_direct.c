/*
 * O_DIRECT on a block device, synchronous and through native AIO, where
 * requests are really in flight (fs/block_dev.c, fs/aio.c, docs/aio.md).
 *
 *  - the rules: position, buffer and length multiples of 512 or EINVAL
 *    (read, readv, pwrite, F_SETFL O_DIRECT on an open file; through
 *    io_submit the event says EINVAL), an unmapped or read-only buffer
 *    EFAULT (after a good segment: a short count), the device's end (a
 *    short read, 0, ENOSPC);
 *  - 64 PREADV requests of 4 segments in one io_submit: how many were
 *    done at once (io_getevents with min_nr 0) and the queue depth
 *    (/sys/block/DISK/inflight) are printed; on a disk whose queue holds
 *    64 requests (Kestrel's) fewer than 64 must be done (Linux's ata_piix
 *    queue holds 2, so io_submit waits: SKIP there; a RAM disk completes
 *    inside io_submit: all 64); each completes once with its cookie, its
 *    count and its sectors' stamps;
 *  - PWRITEV then PREADV with uneven segments; a write from untouched
 *    memory (the zero page); buffered and direct I/O see each other;
 *  - io_cancel of a request in flight (EINVAL, as Linux: reads and
 *    writes cannot be cancelled; the event still comes), io_destroy and
 *    a child's exit with requests in flight (they finish first), a
 *    buffer unmapped before its read completes (the data goes to the
 *    pinned page, not to what is mapped there next), IOCB_FLAG_RESFD,
 *    and events consumed from the ring in user space.
 *
 * It all runs twice (test_disk() picks the devices): on the test
 * images' primary master ATA disk (/dev/hda on Kestrel, /dev/sda on
 * Linux), where requests complete from the disk's interrupt, and on
 * /dev/ram0 (brd.rd_nr=1 in the user boot), which completes them inside
 * submission. Tests write only a scratch area, saved first and restored
 * at the end. A disk is used only if it is QEMU's and its scratch area
 * holds the images' stamps (each sector its LBA as a little-endian u64,
 * 64 times): never a real machine's disk. Where a device is missing
 * (Debian's brd is a module, not loaded) its cases SKIP.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/fs.h>

#include "aio.h"
#include "fileio.h"
#include "disk.h"
#include "ktap.h"

#define DISK_CASES 55 /* results of one device's run */
/* The scratch area on the ATA disk: inside its partition 7 (8194..12287),
 * clear of the partition tables and of t_disk_rw's writes. */
#define ATA_SCRATCH 9000
#define NR_DISKS 2
#define SECT 512
#define NREQ 64
#define AREA_SECTORS 640 /* the scratch area */
/* NREQ requests of 4 sectors, 8 apart: no two merge into one request,
 * so a disk takes NREQ commands (and interrupts) to do them. */
#define MANY_AT 0
#define MANY_STRIDE 8
#define RT_AT 512 /* the uneven round trip: 8 sectors */
#define CHILD_AT 528 /* the exiting child's writes: 16 x 4 sectors */
#define ZERO_AT 592 /* the write from the zero page: 8 sectors */
#define MISC_AT 600 /* other requests: 40 sectors */

struct disk {
	char name[32]; /* in /sys/block */
	char path[48]; /* in /dev */
	long long base; /* the scratch area's first sector */
	long long sectors; /* the device's size */
	bool ramdisk; /* completes inside ->queue_rq */
};

static struct disk disk;
static int fd = -1;
static aio_context_t ctx;

static char saved[AREA_SECTORS * SECT] __attribute__((aligned(4096)));
static char many[NREQ][4][SECT] __attribute__((aligned(4096)));
static char buf[16 * SECT] __attribute__((aligned(4096)));
static char buf2[16 * SECT] __attribute__((aligned(4096)));

static bool stamped(const void *p, long long lba, int nsect);

/* Does @d's scratch area hold the test images' stamps? */
static bool image_stamped(const struct disk *d)
{
	char model[64];
	bool ok;
	int f;

	snprintf(model, sizeof(model), "/sys/block/%s/device/model", d->name);
	if (read_text(model, model, sizeof(model)) <= 0 ||
	    strncmp(model, "QEMU HARDDISK", 13))
		return false;
	f = open(d->path, O_RDONLY | O_DIRECT);
	ok = f >= 0 &&
	     pread(f, saved, sizeof(saved), d->base * SECT) == sizeof(saved) &&
	     stamped(saved, d->base, AREA_SECTORS);
	if (f >= 0)
		close(f);
	return ok;
}

/*
 * Device @i of the run (0: the ATA disk, 1: the RAM disk) into @d, or
 * false with *@why set. The one place that knows the devices.
 */
static bool test_disk(int i, struct disk *d, const char **why)
{
	/* the 8 MiB primary master is the only disk big enough; Linux
	 * names its disks in the order their probes end: found by place */
	char names[NR_DISKS][2][DISK_NAME_LEN] = { { "", "" }, { "ram0", "" } };
	char text[64];
	int n;

	if (access("/sys/block", F_OK)) { /* as init would have */
		mkdir("/sys", 0755);
		mount("sysfs", "/sys", "sysfs", 0, NULL);
	}
	*why = i ? "no /dev/ram0 (brd not loaded)" :
		   "no QEMU disk with the test image at ata1.00";
	if (!i)
		disk_find(1, 0, names[0][0]);
	for (n = 0; names[i][n][0]; n++) {
		snprintf(d->name, sizeof(d->name), "%s", names[i][n]);
		snprintf(d->path, sizeof(d->path), "/dev/%s", d->name);
		d->ramdisk = i == 1;
		d->base = d->ramdisk ? 1024 : ATA_SCRATCH;
		snprintf(text, sizeof(text), "/sys/block/%s/size", d->name);
		if (read_text(text, text, sizeof(text)) <= 0)
			continue;
		d->sectors = atoll(text);
		if (d->sectors < d->base + AREA_SECTORS)
			continue;
		if (d->ramdisk || image_stamped(d))
			return true;
	}
	return false;
}

static off_t at(long long sector)
{
	return (disk.base + sector) * SECT;
}

/* The disk images' pattern (tests/user/disk.h): each sector holds its
 * LBA, 64 times. */
static void stamp(void *p, long long lba, int nsect)
{
	stamp_fill(p, lba, nsect, 0);
}

static bool stamped(const void *p, long long lba, int nsect)
{
	return stamp_check(p, lba, nsect, 0) < 0;
}

static void fill(void *p, size_t n, int seed)
{
	unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		c[i] = (unsigned char)(seed + i * 13 + (i >> 9));
}

/* Wait for @n events into @ev (5 s at most); how many came. */
static long wait_events(long n, struct io_event *ev)
{
	struct timespec ts = { 5, 0 };

	return io_getevents(ctx, n, n, ev, &ts);
}

static void test_open(void)
{
	uint64_t bytes = 0;

	ktap_ok(ioctl(fd, BLKGETSIZE64, &bytes) == 0 &&
			bytes == (uint64_t)disk.sectors * SECT,
		"%s opened with O_DIRECT (%lld sectors)", disk.path,
		disk.sectors);
	/* Save the scratch area, then stamp it (a disk image already is). */
	ktap_ok(pread(fd, saved, sizeof(saved), at(0)) == sizeof(saved),
		"saved the scratch area (%d sectors at %lld)", AREA_SECTORS,
		disk.base);
	bool ok = true;

	for (int s = 0; s < AREA_SECTORS && ok; s += 16) {
		stamp(buf, disk.base + s, 16);
		ok = pwrite(fd, buf, sizeof(buf), at(s)) == sizeof(buf);
	}
	memset(buf, 0, sizeof(buf));
	ktap_ok(ok && pread(fd, buf, sizeof(buf), at(MISC_AT)) == sizeof(buf) &&
			stamped(buf, disk.base + MISC_AT, 16),
		"O_DIRECT pwrite then pread: the stamps are back");
}

/* Synchronous readv: uneven segments, out of order in memory. */
static void test_readv(void)
{
	struct iovec iov[3] = { { buf2 + 2048, 1536 },
				{ buf2, 512 },
				{ buf2 + 4096, 2048 } };

	memset(buf2, 0, sizeof(buf2));
	ktap_ok(preadv(fd, iov, 3, at(MISC_AT)) == 4096 &&
			stamped(buf2 + 2048, disk.base + MISC_AT, 3) &&
			stamped(buf2, disk.base + MISC_AT + 3, 1) &&
			stamped(buf2 + 4096, disk.base + MISC_AT + 4, 4),
		"O_DIRECT preadv of 1536 + 512 + 2048 bytes");
}

static void test_alignment(void)
{
	struct iovec iov[2] = { { buf, SECT }, { buf + SECT, 100 } };

	EXPECT_ERRNO(pread(fd, buf, SECT, at(0) + 100), EINVAL);
	EXPECT_ERRNO(pread(fd, buf + 8, SECT, at(0)), EINVAL);
	EXPECT_ERRNO(pread(fd, buf, 100, at(0)), EINVAL);
	EXPECT_ERRNO(preadv(fd, iov, 2, at(0)), EINVAL);
	iov[1].iov_base = buf + SECT + 4;
	iov[1].iov_len = SECT;
	EXPECT_ERRNO(preadv(fd, iov, 2, at(0)), EINVAL);
	EXPECT_ERRNO(pwrite(fd, buf, SECT + 1, at(MISC_AT)), EINVAL);
}

/* F_SETFL turns O_DIRECT on and off on an open descriptor. */
static void test_setfl(void)
{
	int fd2 = open(disk.path, O_RDWR);
	bool ok;

	ok = fd2 >= 0 && pread(fd2, buf + 3, 100, at(MISC_AT) + 8) == 100 &&
	     !memcmp(buf + 3, (uint64_t[]){ disk.base + MISC_AT }, 8);
	ok = ok && fcntl(fd2, F_SETFL, O_DIRECT) == 0 &&
	     (fcntl(fd2, F_GETFL) & O_DIRECT);
	ktap_ok(ok, "buffered reads are unaligned; F_SETFL sets O_DIRECT");
	EXPECT_ERRNO(pread(fd2, buf + 3, 100, at(MISC_AT)), EINVAL);
	ok = pread(fd2, buf, SECT, at(MISC_AT + 1)) == SECT &&
	     stamped(buf, disk.base + MISC_AT + 1, 1) &&
	     fcntl(fd2, F_SETFL, 0) == 0 &&
	     pread(fd2, buf + 3, 100, at(MISC_AT) + 8) == 100;
	ktap_ok(ok, "aligned O_DIRECT reads work; F_SETFL clears it");
	close(fd2);
}

/* Buffered and direct I/O of one sector see each other's writes. */
static void test_coherence(void)
{
	int fd2 = open(disk.path, O_RDWR);
	off_t where = at(MISC_AT + 20);
	bool ok;

	fill(buf, SECT, 7);
	ok = fd2 >= 0 && pread(fd2, buf2, SECT, where) == SECT && /* cached */
	     stamped(buf2, disk.base + MISC_AT + 20, 1) &&
	     pwrite(fd, buf, SECT, where) == SECT &&
	     pread(fd2, buf2, SECT, where) == SECT && !memcmp(buf, buf2, SECT);
	ktap_ok(ok, "a buffered read sees an O_DIRECT write");
	fill(buf2, SECT, 9);
	ok = fd2 >= 0 && pwrite(fd2, buf2, SECT, where) == SECT &&
	     pread(fd, buf, SECT, where) == SECT && !memcmp(buf, buf2, SECT);
	ktap_ok(ok, "an O_DIRECT read sees a buffered write");
	if (fd2 >= 0)
		close(fd2);
}

static void test_bad_buffers(void)
{
	char *ro =
		mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *hole =
		mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct iovec iov[2] = { { buf, SECT }, { hole, SECT } };

	munmap(hole, 8192); /* an address with nothing mapped */
	EXPECT_ERRNO(pread(fd, ro, SECT, at(MISC_AT)), EFAULT);
	EXPECT_ERRNO(pread(fd, hole, SECT, at(MISC_AT)), EFAULT);
	EXPECT_ERRNO(pwrite(fd, hole, SECT, at(MISC_AT)), EFAULT);
	/* a bad segment after a good one: a short count, as Linux */
	memset(buf, 0x77, SECT);
	EXPECT_EQ(preadv(fd, iov, 2, at(MISC_AT)), SECT);
	ktap_ok(stamped(buf, disk.base + MISC_AT, 1),
		"the segment before the bad one was read");
	munmap(ro, 8192);
}

static void test_end(void)
{
	off_t size = disk.sectors * SECT;

	EXPECT_EQ(pread(fd, buf, 2 * SECT, size - SECT), SECT);
	EXPECT_EQ(pread(fd, buf, SECT, size), 0);
	EXPECT_ERRNO(pwrite(fd, buf, SECT, size), ENOSPC);
}

/* Write from memory never touched (the zero page), read it back. */
static void test_zero_page(void)
{
	char *fresh = mmap(NULL, 8 * SECT, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bool zero = true;

	EXPECT_EQ(pwrite(fd, fresh, 8 * SECT, at(ZERO_AT)), 8 * SECT);
	memset(buf, 0x55, sizeof(buf));
	EXPECT_EQ(pread(fd, buf, 8 * SECT, at(ZERO_AT)), 8 * SECT);
	for (int i = 0; i < 8 * SECT; i++)
		zero = zero && !buf[i];
	ktap_ok(zero, "a write from untouched memory wrote zeroes");
	munmap(fresh, 8 * SECT);
}

/* queue/nr_requests: the requests the disk's queue holds before a
 * submitter waits for one to end (Linux: blk-mq tags). */
static long long nr_requests(void)
{
	char path[64], text[32];

	snprintf(path, sizeof(path), "/sys/block/%s/queue/nr_requests",
		 disk.name);
	return read_text(path, text, sizeof(text)) > 0 ? atoll(text) : -1;
}

static long long inflight(void)
{
	char path[64], text[64];
	unsigned r = 0, w = 0;

	snprintf(path, sizeof(path), "/sys/block/%s/inflight", disk.name);
	if (read_text(path, text, sizeof(text)) <= 0 ||
	    sscanf(text, "%u %u", &r, &w) != 2)
		return -1;
	return r + w;
}

/* Submit NREQ PREADV of 4 sectors into many[], the segments reversed. */
static bool submit_many(struct iocb *cbs, struct iovec (*iov)[4], int op)
{
	struct iocb *ptrs[NREQ];

	for (int i = 0; i < NREQ; i++) {
		for (int j = 0; j < 4; j++)
			iov[i][j] = (struct iovec){ many[i][3 - j], SECT };
		prep(&cbs[i], op, fd, iov[i], 4, at(MANY_AT + MANY_STRIDE * i),
		     0xc00c1e000000ULL + i);
		ptrs[i] = &cbs[i];
	}
	return io_submit(ctx, NREQ, ptrs) == NREQ;
}

/* Every request once, with its cookie, obj, count and stamps. */
static bool check_many(struct iocb *cbs, struct io_event *ev, long n)
{
	int seen[NREQ] = { 0 };
	bool ok = n == NREQ;

	for (long e = 0; e < n; e++) {
		long long i = (long long)(ev[e].data - 0xc00c1e000000ULL);

		if (i < 0 || i >= NREQ || seen[i]++ ||
		    ev[e].obj != (uintptr_t)&cbs[i] || ev[e].res != 4 * SECT) {
			ok = false;
			continue;
		}
		for (int j = 0; j < 4; j++)
			ok = ok &&
			     stamped(many[i][3 - j],
				     disk.base + MANY_AT + MANY_STRIDE * i + j,
				     1);
	}
	return ok;
}

/*
 * 64 PREADV in one io_submit. What was done at once is counted twice:
 * from the ring's tail the moment io_submit returns (libaio's view, no
 * system call) and by io_getevents(min_nr = 0) right after. Under QEMU
 * the disk can outrun the guest: each interrupt ends a command and
 * starts the next, and when that one is done before the handler
 * returns, the process hardly runs until all 64 are (in a run of four
 * boots, one batch in three found all 64 done). So a disk has up to
 * MANY_BATCHES batches (a few ms each) to show fewer than 64 done.
 * Where the queue holds fewer than 64 requests, io_submit itself waits
 * for the disk (Linux with ata_piix: a queue depth of 1, nr_requests 2),
 * and the check does not apply.
 */
#define MANY_BATCHES 20

static void test_many(void)
{
	static struct iocb cbs[NREQ];
	static struct iovec iov[NREQ][4];
	struct aio_ring *ring = (struct aio_ring *)ctx;
	struct io_event ev[NREQ];
	struct timespec zero = { 0, 0 };
	/* brd ends requests inside submission; a short queue makes
	 * io_submit wait: one batch, no overlap to look for */
	int batches = disk.ramdisk || nr_requests() < NREQ ? 1 : MANY_BATCHES;
	bool all_ok = true, overlap = false;
	long done = -1, rest;
	unsigned at_return;
	int batch;

	for (batch = 1; batch <= batches && !overlap; batch++) {
		memset(many, 0, sizeof(many));
		if (!submit_many(cbs, iov, IOCB_CMD_PREADV)) {
			all_ok = false;
			break;
		}
		at_return = ring_pending(ring);
		done = io_getevents(ctx, 0, NREQ, ev, &zero);
		ktap_diag("batch %d: %u of %d done when io_submit returned, "
			  "%ld by io_getevents(min_nr=0); inflight %lld",
			  batch, at_return, NREQ, done, inflight());
		rest = done < 0 ? -1 : wait_events(NREQ - done, ev + done);
		all_ok = all_ok && rest >= 0 &&
			 check_many(cbs, ev, done + rest);
		overlap = done >= 0 && done < NREQ;
	}
	ktap_ok(all_ok, "64 PREADV of 4 segments in one io_submit: each "
			"once, with its cookie, count and sectors");
	if (disk.ramdisk)
		ktap_ok(done == NREQ, "all %d done at once (%ld)", NREQ, done);
	else if (nr_requests() < NREQ)
		ktap_skip("fewer than 64 done at once",
			  "queue/nr_requests is %lld: io_submit waits for "
			  "the disk",
			  nr_requests());
	else
		ktap_ok(overlap, "fewer than %d done at once (%ld, batch %d)",
			NREQ, done, batch - 1);
}

/* PWRITEV then PREADV with uneven segments, split differently. */
static void test_uneven(void)
{
	struct iovec wv[3] = { { buf, 512 },
			       { buf + 512, 1536 },
			       { buf + 2048, 2048 } };
	struct iovec rv[3] = { { buf2 + 4096, 2048 },
			       { buf2, 512 },
			       { buf2 + 512, 1536 } };
	struct iocb cb, *ptrs[1] = { &cb };
	struct io_event ev;

	fill(buf, 4096, 42);
	memset(buf2, 0, sizeof(buf2));
	prep(&cb, IOCB_CMD_PWRITEV, fd, wv, 3, at(RT_AT), 1);
	ktap_ok(io_submit(ctx, 1, ptrs) == 1 && wait_events(1, &ev) == 1 &&
			ev.res == 4096 && ev.data == 1,
		"PWRITEV of 512 + 1536 + 2048 bytes");
	prep(&cb, IOCB_CMD_PREADV, fd, rv, 3, at(RT_AT), 2);
	ktap_ok(io_submit(ctx, 1, ptrs) == 1 && wait_events(1, &ev) == 1 &&
			ev.res == 4096 && ev.data == 2,
		"PREADV of 2048 + 512 + 1536 bytes");
	ktap_ok(!memcmp(buf2 + 4096, buf, 2048) &&
			!memcmp(buf2, buf + 2048, 2048),
		"PREADV reads what PWRITEV wrote");
}

/* Submit one request; its event's res, or -1000 - errno. */
static long long run1(struct iocb *cb)
{
	struct iocb *ptrs[1] = { cb };
	struct io_event ev;

	if (io_submit(ctx, 1, ptrs) != 1)
		return -1000 - errno;
	if (wait_events(1, &ev) != 1 || ev.obj != (uintptr_t)cb)
		return -2000;
	return ev.res;
}

/* Linux's answers: io_submit accepts the request, the event says. */
static void test_aio_errors(void)
{
	char *hole =
		mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct iocb cb;

	munmap(hole, 4096);
	prep(&cb, IOCB_CMD_PREAD, fd, buf, SECT, at(MISC_AT) + 100, 1);
	EXPECT_EQ(run1(&cb), -EINVAL);
	prep(&cb, IOCB_CMD_PREAD, fd, buf + 1, SECT, at(MISC_AT), 1);
	EXPECT_EQ(run1(&cb), -EINVAL);
	prep(&cb, IOCB_CMD_PWRITE, fd, buf, 100, at(MISC_AT), 1);
	EXPECT_EQ(run1(&cb), -EINVAL);
	prep(&cb, IOCB_CMD_PREAD, fd, hole, SECT, at(MISC_AT), 1);
	EXPECT_EQ(run1(&cb), -EFAULT);
	/* a kernel address fails the access check in io_submit itself */
	prep(&cb, IOCB_CMD_PREAD, fd, (void *)0xc0000000UL, SECT, at(MISC_AT),
	     1);
	EXPECT_EQ(run1(&cb), -1000 - EFAULT);
}

/* io_cancel cannot stop a read: EINVAL; the event still comes. */
static void test_cancel(void)
{
	static struct iocb cbs[NREQ];
	static struct iovec iov[NREQ][4];
	struct io_event ev[NREQ], res;

	memset(many, 0, sizeof(many));
	ktap_ok(submit_many(cbs, iov, IOCB_CMD_PREADV), "64 PREADV submitted");
	EXPECT_ERRNO(io_cancel(ctx, &cbs[NREQ - 1], &res), EINVAL);
	ktap_ok(check_many(cbs, ev, wait_events(NREQ, ev)),
		"the requests complete all the same");
}

/* io_destroy waits for the requests in flight. */
static void test_destroy(void)
{
	static struct iocb cbs[NREQ];
	static struct iovec iov[NREQ][4];
	struct io_event ev[NREQ];
	bool ok = true;

	memset(many, 0, sizeof(many));
	ktap_ok(submit_many(cbs, iov, IOCB_CMD_PREADV), "64 PREADV submitted");
	EXPECT_SUCCESS(io_destroy(ctx));
	for (int i = 0; i < NREQ; i++)
		for (int j = 0; j < 4; j++)
			ok = ok &&
			     stamped(many[i][3 - j],
				     disk.base + MANY_AT + MANY_STRIDE * i + j,
				     1);
	ktap_ok(ok, "io_destroy returned with every read done");
	EXPECT_ERRNO(io_getevents(ctx, 0, 1, ev, NULL), EINVAL);
	ctx = 0;
	EXPECT_SUCCESS(io_setup(256, &ctx));
}

/* A child submits writes and exits at once: they all land. */
static void test_child_exit(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		aio_context_t c = 0;
		struct iocb cbs[16], *ptrs[16];

		for (int i = 0; i < 16; i++) {
			fill(many[i], 4 * SECT, 100 + i);
			prep(&cbs[i], IOCB_CMD_PWRITE, fd, many[i], 4 * SECT,
			     at(CHILD_AT + 4 * i), i);
			ptrs[i] = &cbs[i];
		}
		if (io_setup(32, &c) || io_submit(c, 16, ptrs) != 16)
			_exit(1);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	ktap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		"a child exits with 16 writes in flight");
	bool ok = true;

	for (int i = 0; i < 16 && ok; i++) {
		fill(buf2, 4 * SECT, 100 + i);
		ok = pread(fd, buf, 4 * SECT, at(CHILD_AT + 4 * i)) ==
			     4 * SECT &&
		     !memcmp(buf, buf2, 4 * SECT);
	}
	ktap_ok(ok, "every write of the child reached the disk");
}

/*
 * A read into a buffer unmapped before it completes: the pinned page
 * takes the data; memory mapped at the same address afterwards, and
 * memory next to it, keep theirs.
 */
static void test_unmapped(void)
{
	char *area = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *target = area + 4096, *again;
	struct iocb cb, *ptrs[1] = { &cb };
	struct io_event ev;
	bool ok = true;
	long got;

	memset(area, 0x5a, 4 * 4096);
	prep(&cb, IOCB_CMD_PREAD, fd, target, 2 * 4096, at(MISC_AT), 7);
	EXPECT_EQ(io_submit(ctx, 1, ptrs), 1);
	munmap(target, 2 * 4096);
	again = mmap(target, 2 * 4096, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (again == target)
		memset(again, 0x33, 2 * 4096);
	ev.res = -1;
	got = wait_events(1, &ev);
	ktap_ok(got == 1 && ev.res == 2 * 4096,
		"the read of an unmapped buffer completes (%lld)",
		(long long)ev.res);
	for (int i = 0; i < 4096; i++)
		ok = ok && area[i] == 0x5a && area[3 * 4096 + i] == 0x5a &&
		     (again != target ||
		      (target[i] == 0x33 && target[4096 + i] == 0x33));
	ktap_ok(ok, "no one else's memory changed");
	munmap(area, 4 * 4096);
}

static void test_resfd(void)
{
	struct iocb cbs[8], *ptrs[8];
	struct io_event ev[8];
	int efd = eventfd(0, 0);
	uint64_t count = 0;
	bool ok;

	for (int i = 0; i < 8; i++) {
		prep(&cbs[i], IOCB_CMD_PREAD, fd, buf + i * SECT, SECT,
		     at(MISC_AT + i), i);
		cbs[i].aio_flags = IOCB_FLAG_RESFD;
		cbs[i].aio_resfd = efd;
		ptrs[i] = &cbs[i];
	}
	EXPECT_EQ(io_submit(ctx, 8, ptrs), 8);
	ok = wait_events(8, ev) == 8 && read(efd, &count, 8) == 8;
	ktap_ok(ok && count == 8, "the eventfd counted 8 completions (%llu)",
		(unsigned long long)count);
	close(efd);
}

/* libaio's fast path: wait on the ring's tail and consume from it. */
static void test_ring(void)
{
	struct aio_ring *ring = (struct aio_ring *)ctx;
	struct iocb cbs[8], *ptrs[8];
	struct timespec zero = { 0, 0 }, nap = { 0, 1000000 };
	struct io_event ev;
	unsigned seen = 0;
	int spins = 0;

	for (int i = 0; i < 8; i++) {
		prep(&cbs[i], IOCB_CMD_PREAD, fd, buf + i * SECT, SECT,
		     at(MISC_AT + 8 + i), 1u << i);
		ptrs[i] = &cbs[i];
	}
	EXPECT_EQ(io_submit(ctx, 8, ptrs), 8);
	while (ring_pending(ring) < 8 && spins++ < 5000)
		nanosleep(&nap, NULL);
	while (ring_pending(ring)) {
		struct io_event *e = &ring->io_events[ring->head];

		if (e->res == SECT)
			seen |= (unsigned)e->data;
		__atomic_store_n(&ring->head, (ring->head + 1) % ring->nr,
				 __ATOMIC_RELEASE);
	}
	ktap_ok(seen == 0xff && stamped(buf, disk.base + MISC_AT + 8, 8),
		"8 events consumed from the mapped ring (%#x)", seen);
	EXPECT_EQ(io_getevents(ctx, 0, 1, &ev, &zero), 0);
}

static void restore(void)
{
	ktap_ok(pwrite(fd, saved, sizeof(saved), at(0)) == sizeof(saved),
		"the scratch area restored");
}

static void skip_disk(int i, const char *why)
{
	for (int n = 0; n < DISK_CASES; n++)
		ktap_skip(i ? "O_DIRECT on the RAM disk" :
			      "O_DIRECT on the ATA disk",
			  "%s", why);
}

static void run_disk(void)
{
	test_open();
	test_readv();
	test_alignment();
	test_setfl();
	test_coherence();
	test_bad_buffers();
	test_end();
	test_zero_page();
	test_many();
	test_uneven();
	test_aio_errors();
	test_cancel();
	test_destroy();
	test_child_exit();
	test_unmapped();
	test_resfd();
	test_ring();
	restore();
	io_destroy(ctx);
	ctx = 0;
	close(fd);
}

int main(void)
{
	const char *why;

	ktap_plan(NR_DISKS * DISK_CASES);
	for (int i = 0; i < NR_DISKS; i++) {
		if (!test_disk(i, &disk, &why)) {
			skip_disk(i, why);
			continue;
		}
		ktap_diag("%s: %lld sectors, scratch area at %lld", disk.path,
			  disk.sectors, disk.base);
		fd = open(disk.path, O_RDWR | O_DIRECT);
		if (fd < 0 || io_setup(256, &ctx)) {
			skip_disk(i, strerror(errno));
			continue;
		}
		run_disk();
	}
	return ktap_exit();
}
