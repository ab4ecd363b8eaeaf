/*
 * ktest suite "procfs": /proc files read through the VFS as any reader
 * would (do_filp_open + kernel_read) and parsed. Needs /proc mounted
 * (proc_root_init); the suite mounts it if boot has not.
 */
#include <asm/page.h>
#include <kestrel/cpuinfo.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs_struct.h>
#include <kestrel/kstrtox.h>
#include <kestrel/ktest.h>
#include <kestrel/math64.h>
#include <kestrel/mm.h>
#include <kestrel/mmzone.h>
#include <kestrel/pid.h>
#include <kestrel/sched.h>
#include <kestrel/string.h>
#include <kestrel/sysctl.h>
#include <kestrel/time.h>
#include <kestrel/vmalloc.h>
#include <uapi/fcntl.h>

#include "internal.h"

#define TEST_BUF_SIZE 8192
#define CPUINFO_BUF_SIZE 2048 /* one CPU's block, on the stack */

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
		return proc_mount_on("/proc");
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
	KT_EXPECT_EQ(t, strncmp(buf, "Linux version ", 14), 0);
	KT_EXPECT_NOT_NULL(t, strstr(buf, " #1 Kestrel " KESTREL_VERSION));
}

#define TEAR_RECORDS 3000 /* "record 1234\n" x 3000: several buffer sizes */

static int show_many_records(struct seq_file *m, const struct proc_ref *ref)
{
	int i;

	for (i = 0; i < TEAR_RECORDS; i++)
		seq_printf(m, "record %d\n", i);
	return 0;
}

/*
 * The helper retries with a bigger buffer until the text fits: every
 * record whole, in order, none cut at a buffer boundary.
 *
 *   4 KiB: record 0 .. record 3xx|cut  -> overflow, retry
 *   8 KiB: ...                         -> overflow, retry
 *  32 KiB: record 0 .. record 2999\n   -> done
 */
static void test_seq_never_tears(struct ktest *t)
{
	static const struct proc_ref ref = { .pid = 0, .tid = 0, .fd = -1 };
	struct seq_file m;
	const char *p;
	int i, bad = 0;
	char want[24];

	KT_ASSERT_EQ(t, proc_seq_build(show_many_records, &ref, &m), 0);
	KT_EXPECT_GT(t, m.size, PAGE_SIZE);
	KT_EXPECT_FALSE(t, m.overflow);
	p = m.buf;
	for (i = 0; i < TEAR_RECORDS && !bad; i++) {
		int n = snprintf(want, sizeof(want), "record %d\n", i);

		bad = (size_t)(p + n - m.buf) > m.count || memcmp(p, want, n);
		p += n;
	}
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, (size_t)(p - m.buf), m.count);
	proc_seq_free(&m);
}

static void test_loadavg(struct ktest *t)
{
	char buf[128];
	const char *p = buf;
	unsigned long running, total;
	int i;

	KT_ASSERT_GT(t, read_proc("/proc/loadavg", buf, sizeof(buf)), 0);
	for (i = 0; i < 3; i++) {
		parse_ul(&p);
		KT_EXPECT_EQ(t, p[-1], '.');
		KT_EXPECT_LT(t, parse_ul(&p), 100);
		KT_EXPECT_EQ(t, p[-1], ' ');
	}
	running = parse_ul(&p);
	KT_EXPECT_EQ(t, p[-1], '/');
	total = parse_ul(&p);
	KT_EXPECT_GE(t, running, 1);
	KT_EXPECT_GE(t, total, running);
	KT_EXPECT_EQ(t, parse_ul(&p), last_pid_allocated());
}

/* Call @table's handler on @text as a write at @pos. */
static int sysctl_write(const struct ctl_table *table, const char *text,
			loff_t pos)
{
	char buf[32];
	size_t len = strlen(text);

	memcpy(buf, text, len + 1);
	return table->proc_handler(table, SYSCTL_WRITE, buf, &len, pos);
}

static void test_sysctl_intvec(struct ktest *t)
{
	static const int lo = 0, hi = 100;
	int v[2] = { 7, 8 };
	struct ctl_table table = { .procname = "x",
				   .data = v,
				   .maxlen = sizeof(v),
				   .mode = 0644,
				   .proc_handler = proc_dointvec_minmax,
				   .extra1 = &lo,
				   .extra2 = &hi };
	char buf[32];
	size_t len = sizeof(buf);

	KT_EXPECT_EQ(t, sysctl_write(&table, " 12\t34\n", 0), 0);
	KT_EXPECT_EQ(t, v[0] * 100 + v[1], 1234);
	KT_EXPECT_EQ(t, sysctl_write(&table, "5", 0), 0);
	KT_EXPECT_EQ(t, v[0] * 100 + v[1], 534);
	KT_EXPECT_EQ(t, sysctl_write(&table, "-1", 0), -EINVAL);
	KT_EXPECT_EQ(t, sysctl_write(&table, "1 101", 0), -EINVAL);
	KT_EXPECT_EQ(t, v[0] * 100 + v[1], 534); /* all or nothing */
	KT_EXPECT_EQ(t, sysctl_write(&table, "12x", 0), -EINVAL);
	KT_EXPECT_EQ(t, sysctl_write(&table, "", 0), -EINVAL);
	KT_EXPECT_EQ(t, sysctl_write(&table, "99999999999", 0), -EINVAL);
	KT_EXPECT_EQ(t, sysctl_write(&table, "9", 3), 0); /* ignored */
	KT_EXPECT_EQ(t, v[0], 5);
	KT_EXPECT_EQ(t, table.proc_handler(&table, SYSCTL_READ, buf, &len, 0),
		     0);
	KT_EXPECT_EQ(t, strncmp(buf, "5\t34\n", len), 0);
}

static void test_sysctl_files(struct ktest *t)
{
	char buf[64];
	const char *p = buf;

	KT_ASSERT_GT(t, read_proc("/proc/sys/kernel/ostype", buf, sizeof(buf)),
		     0);
	KT_EXPECT_EQ(t, strcmp(buf, "Linux\n"), 0);
	KT_ASSERT_GT(
		t, read_proc("/proc/sys/vm/min_free_kbytes", buf, sizeof(buf)),
		0);
	KT_EXPECT_EQ(t, parse_ul(&p), (unsigned long)min_free_kbytes);
	KT_EXPECT_EQ(t, read_proc("/proc/sys/kernel/nope", buf, sizeof(buf)),
		     -ENOENT);
}

/* One block per CPU in Linux's layout, with the architecture's values. */
static void test_cpuinfo(struct ktest *t)
{
	char buf[CPUINFO_BUF_SIZE], want[64];
	struct cpu_desc d;
	ssize_t len = read_proc("/proc/cpuinfo", buf, sizeof(buf));

	KT_ASSERT_TRUE(t, arch_cpu_desc(0, &d));
	KT_ASSERT_GT(t, len, 2);
	KT_EXPECT_EQ(t, strncmp(buf, "processor\t: 0\nvendor_id\t: ", 25), 0);
	snprintf(want, sizeof(want), "\nmodel name\t: %s\n", d.model_name);
	KT_EXPECT_NOT_NULL(t, strstr(buf, want));
	KT_EXPECT_NOT_NULL(t, strstr(buf, "\nflags\t\t:"));
	KT_EXPECT_NOT_NULL(t, strstr(buf, "\npower management:"));
	KT_EXPECT_EQ(t, strcmp(buf + len - 2, "\n\n"), 0);
	KT_EXPECT_FALSE(t, arch_cpu_desc(1, &d)); /* one CPU runs */
}

static struct ktest_case procfs_cases[] = { KTEST_CASE(test_meminfo),
					    KTEST_CASE(test_uptime),
					    KTEST_CASE(test_buddyinfo),
					    KTEST_CASE(test_pid_stat),
					    KTEST_CASE(test_self_and_root),
					    KTEST_CASE(test_seq_never_tears),
					    KTEST_CASE(test_loadavg),
					    KTEST_CASE(test_sysctl_intvec),
					    KTEST_CASE(test_sysctl_files),
					    KTEST_CASE(test_cpuinfo),
					    {} };

KTEST_SUITE_FULL(procfs, procfs_cases, procfs_init, NULL);
