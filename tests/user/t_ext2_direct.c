/*
 * Tier-3 test: O_DIRECT on ext2 files (the ext2 boot's kxfm partition,
 * tests/user/ext2.h), synchronous and through io_submit; the same on
 * Linux (its ext2 is the ext4 module).
 *
 *  - a file written through the page cache and fsync'ed reads back right
 *    with O_DIRECT (the blocks on the disk);
 *  - an O_DIRECT write inside the file is seen by a buffered read after
 *    it (no stale page stays cached), and one written after a buffered
 *    read of the same range too;
 *  - a position or buffer not aligned to 512 bytes: EINVAL; a read at the
 *    end of the file gives 0, one across it a short count;
 *  - four reads submitted at once with io_submit complete with their
 *    byte counts and data;
 *  - a hole reads as zeros; a write into a hole and a write past the end
 *    (blocks to allocate) land, and the size grows.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aio.h"
#include "ext2.h"
#include "ktap.h"

#define PLAN 11
#define MIB (1 << 20)
#define TAIL 1000 /* the file is 1 MiB + TAIL bytes */
#define SEED 77

static const char *dir = "/mnt/kxdio";
static char path[PATH_MAX], sparse[PATH_MAX];
static unsigned char *buf, *want;

static bool same_as_pattern(const unsigned char *p, off_t off, size_t len)
{
	ext2_pattern(want, SEED, off, len);
	return !memcmp(p, want, len);
}

static bool make_file(void)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	bool ok;

	ext2_pattern(buf, SEED, 0, MIB + TAIL);
	ok = fd >= 0 && write(fd, buf, MIB + TAIL) == MIB + TAIL && !fsync(fd);
	if (fd >= 0)
		close(fd);
	return ok;
}

/* @len bytes at @off through the page cache. */
static bool buffered_has(const char *file, off_t off, const void *data,
			 size_t len)
{
	int fd = open(file, O_RDONLY);
	bool ok = fd >= 0 && pread(fd, buf, len, off) == (ssize_t)len &&
		  !memcmp(buf, data, len);

	if (fd >= 0)
		close(fd);
	return ok;
}

static bool direct_write_seen(int fd)
{
	static unsigned char data[8192] __attribute__((aligned(4096)));
	int bfd = open(path, O_RDONLY);
	bool ok = bfd >= 0 && pread(bfd, buf, 8192, 256 * 1024) == 8192;

	memset(data, 0xd5, sizeof(data));
	ok = ok && pwrite(fd, data, sizeof(data), 256 * 1024) == 8192 &&
	     pread(bfd, buf, 8192, 256 * 1024) == 8192 &&
	     !memcmp(buf, data, 8192);
	if (bfd >= 0)
		close(bfd);
	return ok && buffered_has(path, 256 * 1024, data, sizeof(data));
}

static bool aio_reads(int fd)
{
	struct iocb cbs[4], *list[4];
	struct io_event ev[4];
	aio_context_t ctx = 0;
	bool ok = !io_setup(8, &ctx);
	int i, got = 0;

	for (i = 0; ok && i < 4; i++) {
		prep(&cbs[i], IOCB_CMD_PREAD, fd, buf + i * 16384, 16384,
		     (long long)i * 65536, i);
		list[i] = &cbs[i];
	}
	ok = ok && io_submit(ctx, 4, list) == 4;
	while (ok && got < 4) {
		long n = io_getevents(ctx, 1, 4 - got, ev + got, NULL);

		ok = n > 0;
		got += n > 0 ? n : 0;
	}
	for (i = 0; ok && i < 4; i++) {
		unsigned int k = ev[i].data;

		ok = ev[i].res == 16384 && k < 4 &&
		     same_as_pattern(buf + k * 16384, (off_t)k * 65536, 16384);
	}
	if (ctx)
		io_destroy(ctx);
	return ok;
}

/* A 64 KiB file that is all hole: reads as zeros; writes into it and
 * past its end need blocks. */
static void holes(void)
{
	static unsigned char data[4096] __attribute__((aligned(4096)));
	int fd = open(sparse, O_RDWR | O_CREAT | O_TRUNC | O_DIRECT, 0644);
	struct stat st;
	bool ok = fd >= 0 && !ftruncate(fd, 65536) &&
		  pread(fd, buf, 65536, 0) == 65536;

	for (int i = 0; ok && i < 65536; i++)
		ok = buf[i] == 0;
	ktap_ok(ok, "a hole reads as zeros");
	memset(data, 0x11, sizeof(data));
	ok = fd >= 0 && pwrite(fd, data, 4096, 8192) == 4096;
	ktap_ok(ok && buffered_has(sparse, 8192, data, 4096),
		"a write into a hole lands");
	memset(data, 0x22, sizeof(data));
	ok = fd >= 0 && pwrite(fd, data, 4096, 65536) == 4096 &&
	     !fstat(fd, &st) && st.st_size == 65536 + 4096;
	ktap_ok(ok && buffered_has(sparse, 65536, data, 4096),
		"a write past the end lands and the size grows");
	if (fd >= 0)
		close(fd);
}

int main(void)
{
	int fd;

	if (!ext2_plan(PLAN, "ext2 direct"))
		return ktap_exit();
	if (posix_memalign((void **)&buf, 4096, 2 * MIB) ||
	    posix_memalign((void **)&want, 4096, 2 * MIB))
		return 1;
	snprintf(path, sizeof(path), "%s/dio.bin", dir);
	snprintf(sparse, sizeof(sparse), "%s/dio-sparse.bin", dir);
	if (!ktap_ok(!ext2_mount(&EXT2_FM, dir, 0) && make_file(),
		     "mount kxfm, a 1 MiB file written and fsync'ed")) {
		ktap_diag("%s", ktap_errname(errno));
		for (int i = 1; i < PLAN; i++)
			ktap_ok(false, "no file");
		return ktap_exit();
	}
	fd = open(path, O_RDWR | O_DIRECT);
	memset(buf, 0, 65536);
	ktap_ok(fd >= 0 && pread(fd, buf, 65536, 128 * 1024) == 65536 &&
			same_as_pattern(buf, 128 * 1024, 65536),
		"O_DIRECT read of 64 KiB");
	ktap_ok(fd >= 0 && direct_write_seen(fd),
		"O_DIRECT write seen by buffered reads, before and after");
	ktap_ok(pread(fd, buf, 4096, 100) == -1 && errno == EINVAL &&
			pread(fd, buf + 1, 4096, 0) == -1 && errno == EINVAL,
		"unaligned position or buffer: EINVAL");
	ktap_ok(pread(fd, buf, 4096, MIB + 4096) == 0,
		"a read past the end gives 0");
	ktap_ok(pread(fd, buf, 8192, MIB) == TAIL &&
			same_as_pattern(buf, MIB, TAIL),
		"a read across the end gives the bytes up to it");
	ktap_ok(fd >= 0 && aio_reads(fd), "four reads through io_submit");
	holes();
	if (fd >= 0)
		close(fd);
	ktap_ok(!unlink(path) && !unlink(sparse) && !umount(dir),
		"unlink, umount");
	return ktap_exit();
}
