/*
 * ktest suite "fs_syscalls": the pure parts of the system-call layer
 * (fs/syscalls.h), the places where an ABI detail can go wrong without
 * any VFS code noticing: the stat64, statx and statfs64 layouts filled
 * from kernel structures, getdents64 record packing (sizes, alignment,
 * the d_off chain), iovec validation, the F_SETFL mask, select()
 * bitmaps, and the refusal of kernel addresses as path names. The calls
 * themselves are exercised by the user programs in tests/user/.
 */
#include <kestrel/errno.h>
#include <kestrel/ktest.h>
#include <kestrel/string.h>
#include <kestrel/uaccess.h>

#include "syscalls.h"

#define POISON 0xaa

/* True when @len bytes at @p are all zero. */
static bool all_zero(const void *p, size_t len)
{
	const u8 *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

/* ---- stat64, statx, statfs64 -------------------------------------------- */

static void fill_kstat(struct kstat *k)
{
	memset(k, 0, sizeof(*k));
	k->result_mask = STATX_BASIC_STATS;
	k->mode = S_IFCHR | 0620;
	k->nlink = 3;
	k->blksize = 4096;
	k->ino = 0x123456789ULL; /* wider than __st_ino */
	k->dev = MKDEV(0, 21);
	k->rdev = MKDEV(254, 0x1234); /* a minor above 255 */
	k->uid = 1000;
	k->gid = 100;
	k->size = 0x100000001LL; /* past 4 GiB */
	k->atime = (struct timespec64){ 1700000000, 1 };
	k->mtime = (struct timespec64){ 1700000001, 999999999 };
	k->ctime = (struct timespec64){ 1700000002, 500 };
	k->blocks = 9;
}

static void test_stat64_fields(struct ktest *t)
{
	struct stat64 st;
	struct kstat k;

	fill_kstat(&k);
	memset(&st, POISON, sizeof(st));
	cp_new_stat64(&k, &st);
	KT_EXPECT_EQ(t, st.st_dev, 21); /* new_encode_dev(0:21) */
	/* minor low byte | major << 8 | minor high bits << 12 */
	KT_EXPECT_EQ(t, st.st_rdev, 0x34 | (254 << 8) | (0x1200 << 12));
	KT_EXPECT_EQ(t, st.__st_ino, 0x23456789);
	KT_EXPECT_EQ(t, st.st_ino, 0x123456789ULL);
	KT_EXPECT_EQ(t, st.st_mode, S_IFCHR | 0620);
	KT_EXPECT_EQ(t, st.st_nlink, 3);
	KT_EXPECT_EQ(t, st.st_uid, 1000);
	KT_EXPECT_EQ(t, st.st_gid, 100);
	KT_EXPECT_EQ(t, st.st_size, 0x100000001LL);
	KT_EXPECT_EQ(t, st.st_blksize, 4096);
	KT_EXPECT_EQ(t, st.st_blocks, 9);
	KT_EXPECT_EQ(t, st.st_atime, 1700000000);
	KT_EXPECT_EQ(t, st.st_atime_nsec, 1);
	KT_EXPECT_EQ(t, st.st_mtime_nsec, 999999999);
	KT_EXPECT_EQ(t, st.st_ctime, 1700000002);
	KT_EXPECT_EQ(t, st.st_ctime_nsec, 500);
}

/* The padding glibc never reads must not carry kernel bytes either. */
static void test_stat64_padding(struct ktest *t)
{
	struct stat64 st;
	struct kstat k;
	const u8 *b = (const u8 *)&st;

	fill_kstat(&k);
	memset(&st, POISON, sizeof(st));
	cp_new_stat64(&k, &st);
	KT_EXPECT_TRUE(t, all_zero(st.__pad0, sizeof(st.__pad0)));
	KT_EXPECT_TRUE(t, all_zero(st.__pad3, sizeof(st.__pad3)));
	/* The raw image: st_size at byte 44, st_ino at 88 (i386 ABI). */
	KT_EXPECT_EQ(t, b[44], 0x01);
	KT_EXPECT_EQ(t, b[48], 0x01);
	KT_EXPECT_EQ(t, b[88], 0x89);
	KT_EXPECT_EQ(t, b[92], 0x01);
}

static void test_statx_fields(struct ktest *t)
{
	struct statx sx;
	struct kstat k;

	fill_kstat(&k);
	memset(&sx, POISON, sizeof(sx));
	cp_statx(&k, STATX_ATTR_MOUNT_ROOT | STATX_ATTR_COMPRESSED, &sx);
	KT_EXPECT_EQ(t, sx.stx_mask, STATX_BASIC_STATS);
	KT_EXPECT_EQ(t, sx.stx_ino, 0x123456789ULL);
	KT_EXPECT_EQ(t, sx.stx_size, 0x100000001ULL);
	KT_EXPECT_EQ(t, sx.stx_mode, S_IFCHR | 0620);
	/* statx gives major and minor apart, not encoded. */
	KT_EXPECT_EQ(t, sx.stx_rdev_major, 254);
	KT_EXPECT_EQ(t, sx.stx_rdev_minor, 0x1234);
	KT_EXPECT_EQ(t, sx.stx_dev_major, 0);
	KT_EXPECT_EQ(t, sx.stx_dev_minor, 21);
	KT_EXPECT_EQ(t, sx.stx_mtime.tv_sec, 1700000001);
	KT_EXPECT_EQ(t, sx.stx_mtime.tv_nsec, 999999999);
	/* Only attributes this kernel knows are reported. */
	KT_EXPECT_EQ(t, sx.stx_attributes, STATX_ATTR_MOUNT_ROOT);
	KT_EXPECT_EQ(t, sx.stx_attributes_mask, STATX_ATTR_KNOWN);
	KT_EXPECT_TRUE(t, all_zero(&sx.stx_btime, sizeof(sx.stx_btime)));
	KT_EXPECT_TRUE(
		t, all_zero(&sx.stx_mnt_id,
			    sizeof(sx) - offsetof(struct statx, stx_mnt_id)));
}

static void test_statfs64_fields(struct ktest *t)
{
	struct kstatfs k = {
		.f_type = TMPFS_MAGIC,
		.f_bsize = 4096,
		.f_blocks = 0x100000000ULL,
		.f_bfree = 7,
		.f_bavail = 6,
		.f_files = 5,
		.f_ffree = 4,
		.f_fsid = { 0x1234, 0 },
		.f_namelen = NAME_MAX,
		.f_frsize = 4096,
		.f_flags = ST_VALID | ST_NOSUID,
	};
	struct statfs64 st;

	memset(&st, POISON, sizeof(st));
	cp_statfs64(&k, &st);
	KT_EXPECT_EQ(t, st.f_type, TMPFS_MAGIC);
	KT_EXPECT_EQ(t, st.f_blocks, 0x100000000ULL);
	KT_EXPECT_EQ(t, st.f_bavail, 6);
	KT_EXPECT_EQ(t, st.f_fsid.val[0], 0x1234);
	KT_EXPECT_EQ(t, st.f_namelen, NAME_MAX);
	KT_EXPECT_EQ(t, st.f_flags, ST_VALID | ST_NOSUID);
	KT_EXPECT_TRUE(t, all_zero(st.f_spare, sizeof(st.f_spare)));
}

/* ---- getdents64 records ------------------------------------------------- */

static void test_dirent64_reclen(struct ktest *t)
{
	/* 19-byte header + name + NUL, rounded up to 8. */
	KT_EXPECT_EQ(t, dirent64_reclen(1), 24);
	KT_EXPECT_EQ(t, dirent64_reclen(4), 24); /* 19 + 5: exactly 24 */
	KT_EXPECT_EQ(t, dirent64_reclen(5), 32);
	KT_EXPECT_EQ(t, dirent64_reclen(NAME_MAX), 280);
}

static struct linux_dirent64 *rec_at(char *buf, size_t off)
{
	return (struct linux_dirent64 *)(buf + off);
}

/*
 *	buffer of 64:  [".": 24][" ..": 24][16 free]
 *	"abcdef" needs 32: refused, buffer unchanged; the listing stops at
 *	position 2, which becomes the last record's d_off.
 */
static void test_dirent64_pack(struct ktest *t)
{
	u64 store[8];
	char *buf = (char *)store;
	struct dirent64_buf db = { .buf = buf, .size = sizeof(store) };
	struct linux_dirent64 *d;

	memset(buf, POISON, sizeof(store));
	KT_ASSERT_TRUE(t, dirent64_add(&db, ".", 1, 0, 10, DT_DIR));
	KT_ASSERT_TRUE(t, dirent64_add(&db, "..", 2, 1, 11, DT_DIR));
	KT_EXPECT_FALSE(t, dirent64_add(&db, "abcdef", 6, 2, 12, DT_REG));
	KT_EXPECT_EQ(t, db.used, 48);
	KT_EXPECT_EQ(t, db.error, 0);
	KT_EXPECT_EQ(t, (u8)buf[48], POISON); /* nothing of "abcdef" */
	dirent64_finish(&db, 2);

	d = rec_at(buf, 0);
	KT_EXPECT_EQ(t, d->d_ino, 10);
	KT_EXPECT_EQ(t, d->d_off, 1); /* where ".." is */
	KT_EXPECT_EQ(t, d->d_reclen, 24);
	KT_EXPECT_EQ(t, d->d_type, DT_DIR);
	KT_EXPECT_TRUE(t, !strcmp(d->d_name, "."));
	KT_EXPECT_TRUE(t, all_zero(d->d_name + 1, 24 - 19 - 1));
	d = rec_at(buf, 24);
	KT_EXPECT_EQ(t, d->d_off, 2); /* where the listing resumes */
	KT_EXPECT_TRUE(t, !strcmp(d->d_name, ".."));
	KT_EXPECT_TRUE(t, all_zero(d->d_name + 2, 24 - 19 - 2));
}

static void test_dirent64_sizes(struct ktest *t)
{
	u64 store[4];
	struct dirent64_buf db = { .buf = (char *)store, .size = 8 };

	/* Not even one record fits: getdents64's EINVAL. */
	KT_EXPECT_FALSE(t, dirent64_add(&db, "x", 1, 0, 1, DT_REG));
	KT_EXPECT_EQ(t, db.error, -EINVAL);
	/* A record that exactly fills the buffer is accepted. */
	db = (struct dirent64_buf){ .buf = (char *)store, .size = 24 };
	KT_EXPECT_TRUE(t, dirent64_add(&db, "abcd", 4, 7, 1, DT_REG));
	KT_EXPECT_EQ(t, db.used, 24);
	dirent64_finish(&db, 8);
	KT_EXPECT_EQ(t, rec_at((char *)store, 0)->d_off, 8);
	/* An empty listing: finish touches nothing. */
	db = (struct dirent64_buf){ .buf = (char *)store, .size = 32 };
	dirent64_finish(&db, 99);
	KT_EXPECT_EQ(t, db.used, 0);
}

/* ---- iovec arrays ------------------------------------------------------- */

#define UPTR(a) ((void __user *)(uintptr_t)(a))

static void test_iovec_check(struct ktest *t)
{
	static struct iovec iov[3];
	static int kernel_object;

	KT_EXPECT_EQ(t, iovec_check(iov, 0), 0);
	KT_EXPECT_EQ(t, iovec_check(iov, UIO_MAXIOV + 1), -EINVAL);

	iov[0] = (struct iovec){ UPTR(0x1000), 0x80000000U };
	KT_EXPECT_EQ(t, iovec_check(iov, 1), -EINVAL); /* negative */
	iov[0] = (struct iovec){ UPTR(0x1000), 0x7fffffff };
	KT_EXPECT_EQ(t, iovec_check(iov, 1), 0);
	iov[1] = (struct iovec){ UPTR(0x2000), 1 };
	KT_EXPECT_EQ(t, iovec_check(iov, 2), -EINVAL); /* total overflows */
	iov[1].iov_len = 0;
	KT_EXPECT_EQ(t, iovec_check(iov, 2), 0);

	iov[0] = (struct iovec){ UPTR(&kernel_object), sizeof(int) };
	KT_EXPECT_EQ(t, iovec_check(iov, 1), -EFAULT);
	iov[0] = (struct iovec){ UPTR(TASK_SIZE - 0x1000), 0x2000 };
	KT_EXPECT_EQ(t, iovec_check(iov, 1), -EFAULT); /* across the split */
	iov[0].iov_len = 0x1000;
	KT_EXPECT_EQ(t, iovec_check(iov, 1), 0); /* up to the split */
	/* A bad length anywhere wins over a bad address (Linux's order). */
	iov[0] = (struct iovec){ UPTR(&kernel_object), 1 };
	iov[2] = (struct iovec){ UPTR(0x1000), 0x80000000U };
	KT_EXPECT_EQ(t, iovec_check(iov, 3), -EINVAL);
}

/* send/recv's one buffer: checked as a segment, the count clamped. */
static void test_import_single_range(struct ktest *t)
{
	static int kernel_object;
	struct iov_iter it;
	struct iovec iov;

	KT_EXPECT_EQ(t, import_single_range(UPTR(0x1000), 10, &iov, &it), 0);
	KT_EXPECT_EQ(t, iov_iter_count(&it), 10);
	KT_EXPECT_TRUE(t, it.iov == &iov && iov.iov_len == 10);
	KT_EXPECT_EQ(
		t, import_single_range(UPTR(0x1000), 0x7ffff800, &iov, &it), 0);
	KT_EXPECT_EQ(t, iov_iter_count(&it), MAX_RW_COUNT);
	KT_EXPECT_EQ(t,
		     import_single_range(UPTR(0x1000), 0x80000000U, &iov, &it),
		     -EINVAL);
	KT_EXPECT_EQ(t, import_single_range(UPTR(&kernel_object), 1, &iov, &it),
		     -EFAULT);
	KT_EXPECT_EQ(t, iovec_total(&iov, 1), 1);
}

/* ---- fcntl -------------------------------------------------------------- */

static void test_fcntl_setfl(struct ktest *t)
{
	/* The access mode never changes; O_APPEND and O_NONBLOCK do. */
	KT_EXPECT_EQ(t,
		     fcntl_setfl_flags(O_RDWR | O_LARGEFILE,
				       O_RDONLY | O_APPEND | O_NONBLOCK),
		     O_RDWR | O_LARGEFILE | O_APPEND | O_NONBLOCK);
	KT_EXPECT_EQ(t, fcntl_setfl_flags(O_RDONLY, O_RDWR), O_RDONLY);
	KT_EXPECT_EQ(t, fcntl_setfl_flags(O_WRONLY | O_APPEND | O_NONBLOCK, 0),
		     O_WRONLY);
	/* Open-time flags cannot be set or cleared. */
	KT_EXPECT_EQ(t,
		     fcntl_setfl_flags(O_RDONLY | O_DIRECTORY,
				       O_CLOEXEC | O_CREAT | O_TRUNC),
		     O_RDONLY | O_DIRECTORY);
	KT_EXPECT_EQ(t, fcntl_setfl_flags(0, ~0UL), SETFL_MASK);
}

/* ---- 64-bit values in two registers ------------------------------------- */

static void test_loff_from_lohi(struct ktest *t)
{
	KT_EXPECT_EQ(t, loff_from_lohi(0xffffffff, 0x7fffffff),
		     0x7fffffffffffffffLL);
	KT_EXPECT_EQ(t, loff_from_lohi(5, 1), 0x100000005LL);
	KT_EXPECT_LT(t, loff_from_lohi(0, 0x80000000), 0);
}

/* ---- select() bitmaps --------------------------------------------------- */

static void test_fds_bytes(struct ktest *t)
{
	KT_EXPECT_EQ(t, fds_bytes(0), 0);
	KT_EXPECT_EQ(t, fds_bytes(1), 4);
	KT_EXPECT_EQ(t, fds_bytes(32), 4);
	KT_EXPECT_EQ(t, fds_bytes(33), 8);
	KT_EXPECT_EQ(t, fds_bytes(1024), 128); /* a glibc fd_set */
}

static void test_select_max_fd(struct ktest *t)
{
	/* Open: 0, 1, 2, 5, 40 and 63. */
	unsigned long open[2] = { 0x27, (1UL << 8) | (1UL << 31) };
	unsigned long in[2] = { 0 }, out[2] = { 0 };
	struct select_sets want = { .in = in, .out = out };

	KT_EXPECT_EQ(t, select_max_fd(&want, 64, open), 0);
	in[0] = 1UL << 1;
	out[0] = 1UL << 5;
	KT_EXPECT_EQ(t, select_max_fd(&want, 64, open), 6);
	in[1] = 1UL << 8;
	KT_EXPECT_EQ(t, select_max_fd(&want, 64, open), 41);
	in[1] |= 1UL << 31; /* the last bit of the last word */
	KT_EXPECT_EQ(t, select_max_fd(&want, 64, open), 64);
	in[1] = 0;
	/* Bits at or past n are not looked at, open or not. */
	KT_EXPECT_EQ(t, select_max_fd(&want, 5, open), 2);
	in[0] |= 1UL << 3; /* 3 is closed */
	KT_EXPECT_EQ(t, select_max_fd(&want, 64, open), -EBADF);
	KT_EXPECT_EQ(t, select_max_fd(&want, 3, open), 2);
	KT_EXPECT_EQ(t, select_max_fd(&want, 0, open), 0);
}

static void test_select_mark(struct ktest *t)
{
	unsigned long in = 1UL << 3, out = 1UL << 3;
	unsigned long rin = 0, rout = 0, rex = 0;
	struct select_sets want = { .in = &in, .out = &out };
	struct select_sets res = { .in = &rin, .out = &rout, .ex = &rex };

	KT_EXPECT_EQ(t, select_mark(&want, &res, 3, POLLIN), 1);
	KT_EXPECT_EQ(t, rin, 1UL << 3);
	KT_EXPECT_EQ(t, rout, 0);
	rin = 0;
	/* POLLERR: readable and writable, counted twice. */
	KT_EXPECT_EQ(t, select_mark(&want, &res, 3, POLLERR), 2);
	KT_EXPECT_EQ(t, rin | rout, 1UL << 3);
	rin = rout = 0;
	/* POLLHUP reads as readable only. */
	KT_EXPECT_EQ(t, select_mark(&want, &res, 3, POLLHUP), 1);
	KT_EXPECT_EQ(t, rout, 0);
	/* Nothing for sets not asked about, nor for other descriptors. */
	KT_EXPECT_EQ(t, select_mark(&want, &res, 3, POLLPRI), 0);
	KT_EXPECT_EQ(t, select_mark(&want, &res, 4, POLLIN | POLLOUT), 0);
	KT_EXPECT_EQ(t, rex, 0);
}

/* ---- names -------------------------------------------------------------- */

/* A kernel address is refused before a byte of it is read. */
static void test_getname_kernel_pointer(struct ktest *t)
{
	static const char path[] = "/etc/passwd";
	char *name = getname((const char __user *)(uintptr_t)path, 0);

	KT_EXPECT_TRUE(t, IS_ERR(name));
	KT_EXPECT_EQ(t, PTR_ERR(name), -EFAULT);
}

static struct ktest_case fs_syscalls_cases[] = {
	KTEST_CASE(test_stat64_fields),
	KTEST_CASE(test_stat64_padding),
	KTEST_CASE(test_statx_fields),
	KTEST_CASE(test_statfs64_fields),
	KTEST_CASE(test_dirent64_reclen),
	KTEST_CASE(test_dirent64_pack),
	KTEST_CASE(test_dirent64_sizes),
	KTEST_CASE(test_iovec_check),
	KTEST_CASE(test_import_single_range),
	KTEST_CASE(test_fcntl_setfl),
	KTEST_CASE(test_loff_from_lohi),
	KTEST_CASE(test_fds_bytes),
	KTEST_CASE(test_select_max_fd),
	KTEST_CASE(test_select_mark),
	KTEST_CASE(test_getname_kernel_pointer),
	{}
};

KTEST_SUITE(fs_syscalls, fs_syscalls_cases);
