/*
 * ktest suite "procfs": /proc files read through the VFS as any reader
 * would (do_filp_open + kernel_read) and parsed. Needs /proc mounted
 * (proc_root_init); the suite mounts it if boot has not.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs_struct.h>
#include <kestrel/kstrtox.h>
#include <kestrel/ktest.h>
#include <kestrel/math64.h>
#include <kestrel/mm.h>
#include <kestrel/sched.h>
#include <kestrel/string.h>
#include <kestrel/time.h>
#include <kestrel/vmalloc.h>
#include <uapi/fcntl.h>

#include "internal.h"

#define TEST_BUF_SIZE 8192

/* Read all of @name into @buf (NUL-ended). Length or -errno. */
static ssize_t read_proc(const char *name, char *buf, size_t size)
{
	struct file *file = do_filp_open(&init_fs, NULL, name, O_RDONLY, 0);
	loff_t pos = 0;
	ssize_t n, total = 0;

	if (IS_ERR(file))
		return PTR_ERR(file);
	do {
		n = kernel_read(file, buf + total, size - 1 - total, &pos);
		if (n > 0)
			total += n;
	} while (n > 0 && (size_t)total < size - 1);
	fput(file);
	buf[total] = '\0';
	return n < 0 ? n : total;
}

/* The decimal number at *@s, advancing past it and one separator. */
static unsigned long parse_ul(const char **s)
{
	unsigned long v = 0;

	while (**s == ' ')
		(*s)++;
	while (**s >= '0' && **s <= '9')
		v = v * 10 + (*(*s)++ - '0');
	if (**s)
		(*s)++;
	return v;
}

static int procfs_init(struct ktest *t)
{
	struct file *file =
		do_filp_open(&init_fs, NULL, "/proc/meminfo", O_RDONLY, 0);

	if (IS_ERR(file))
		proc_root_init();
	else
		fput(file);
	return 0;
}

static void test_meminfo(struct ktest *t)
{
	char *buf = vmalloc(TEST_BUF_SIZE);
	const char *p;

	KT_ASSERT_NOT_NULL(t, buf);
	KT_EXPECT_GT(t, read_proc("/proc/meminfo", buf, TEST_BUF_SIZE), 0);
	p = strstr(buf, "MemTotal:");
	KT_EXPECT_NOT_NULL(t, p);
	if (p) {
		p += strlen("MemTotal:");
		KT_EXPECT_EQ(t, parse_ul(&p), totalram_pages * 4);
	}
	KT_EXPECT_NOT_NULL(t, strstr(buf, "SwapFree:"));
	vfree(buf);
}

static void test_uptime(struct ktest *t)
{
	char buf[64];
	const char *p = buf;
	unsigned long secs, cs;

	KT_ASSERT_GT(t, read_proc("/proc/uptime", buf, sizeof(buf)), 0);
	secs = parse_ul(&p);
	cs = parse_ul(&p);
	KT_EXPECT_EQ(t, p[-1], ' ');
	KT_EXPECT_LT(t, cs, 100);
	KT_EXPECT_LE(t, secs, div_u64(ktime_get_ns(), NSEC_PER_SEC));
}

static void test_buddyinfo(struct ktest *t)
{
	char *buf = vmalloc(TEST_BUF_SIZE);

	KT_ASSERT_NOT_NULL(t, buf);
	KT_EXPECT_GT(t, read_proc("/proc/buddyinfo", buf, TEST_BUF_SIZE), 0);
	KT_EXPECT_NOT_NULL(t, strstr(buf, "Node 0, zone   Normal"));
	vfree(buf);
}

static void test_pid_stat(struct ktest *t)
{
	char name[32], buf[1024];
	const char *p = buf;

	snprintf(name, sizeof(name), "/proc/%d/stat", current->tgid);
	KT_ASSERT_GT(t, read_proc(name, buf, sizeof(buf)), 0);
	KT_EXPECT_EQ(t, parse_ul(&p), current->tgid);
	KT_EXPECT_EQ(t, *p, '(');
	KT_EXPECT_EQ(t, read_proc("/proc/99999/stat", buf, sizeof(buf)),
		     -ENOENT);
}

static void test_self_and_root(struct ktest *t)
{
	char buf[2048];

	KT_EXPECT_GT(t, read_proc("/proc/self/status", buf, sizeof(buf)), 0);
	KT_EXPECT_NOT_NULL(t, strstr(buf, "Pid:\t"));
	KT_EXPECT_GT(t, read_proc("/proc/filesystems", buf, sizeof(buf)), 0);
	KT_EXPECT_NOT_NULL(t, strstr(buf, "nodev\ttmpfs"));
	KT_EXPECT_GT(t, read_proc("/proc/version", buf, sizeof(buf)), 0);
	KT_EXPECT_EQ(t, strncmp(buf, "Kestrel version ", 16), 0);
}

static struct ktest_case procfs_cases[] = {
	KTEST_CASE(test_meminfo),	KTEST_CASE(test_uptime),
	KTEST_CASE(test_buddyinfo),	KTEST_CASE(test_pid_stat),
	KTEST_CASE(test_self_and_root), {}
};

KTEST_SUITE_FULL(procfs, procfs_cases, procfs_init, NULL);
