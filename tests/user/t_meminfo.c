/*
 * The memory figures of /proc are real counts: what a program does to
 * memory moves them by about as much, and undoing it brings them back.
 *
 *   private memory   mmap 8 MiB: VmSize and Committed_AS rise; touch
 *                    every page: AnonPages, VmRSS, RssAnon rise and
 *                    MemFree falls; munmap: all come back, but VmPeak
 *                    and VmHWM keep the high-water marks
 *   read-only map    commits nothing
 *   sparse touch     one page per 4 MiB of a large range: PageTables and
 *                    VmPTE rise by a page table each, and fall at munmap
 *   shared memory    MAP_SHARED anonymous pages touched: Shmem, Cached,
 *                    Mapped, RssShmem and statm's shared rise; munmap
 *                    frees them
 *   tmpfs            a file written on a new tmpfs mount counts in
 *                    Shmem until it is removed
 *   kernel objects   forked children count in KernelStack; many files
 *                    in Slab
 *
 * Tolerances are generous (Linux's counters are per-CPU and folded
 * lazily, its rss counters lag by up to 64 faults per task, and other
 * tasks allocate meanwhile), but each check would fail if the figure
 * were a constant or an invention. The same binary passes on Linux
 * (make test-linux).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fileio.h"
#include "ktap.h"

#define PAGE 4096L
#define KB 1024L
#define MB (1024L * KB)
#define PRIVATE_LEN (8 * MB)
#define SHARED_LEN (4 * MB)
#define SPARSE_LEN (256 * MB)
#define SPARSE_STEP (4 * MB) /* one page table's span (2 MiB with PAE) */
#define TMPFS_LEN (2 * MB)
#define TMPFS_DIR "/tmp_meminfo"
#define NR_CHILDREN 20
#define NR_FILES 2000
#define TEXT_MAX 8192
#define RSS_LAG (512 * KB) /* Linux 6.1's per-task rss caching, and some */

/* The number after "@key:" in @path (a meminfo or status file), or -1. */
static long field_kb(const char *path, const char *key)
{
	char buf[TEXT_MAX], pat[64];
	const char *p;

	if (read_text(path, buf, sizeof(buf)) <= 0)
		return -1;
	snprintf(pat, sizeof(pat), "\n%s:", key);
	p = strncmp(buf, pat + 1, strlen(pat + 1)) ? strstr(buf, pat) : buf - 1;
	return p ? strtol(p + strlen(pat), NULL, 10) : -1;
}

static long meminfo(const char *key)
{
	return field_kb("/proc/meminfo", key);
}

static long status(const char *key)
{
	return field_kb("/proc/self/status", key);
}

/* Field @n (0-based) of /proc/self/statm, in kB (it counts pages). */
static long statm_kb(int n)
{
	char buf[256], *p = buf;
	long v = -1;

	if (read_text("/proc/self/statm", buf, sizeof(buf)) <= 0)
		return -1;
	for (int i = 0; i <= n; i++)
		v = strtol(p, &p, 10);
	return v * (PAGE / KB);
}

/* Is @now - @before within [@lo, @hi] kB? Says what it saw if not. */
static bool rose(const char *what, long before, long now, long lo, long hi)
{
	bool ok = before >= 0 && now >= 0 && now - before >= lo &&
		  now - before <= hi;

	if (!ktap_ok(ok, "%s rises by %ld..%ld kB", what, lo, hi))
		ktap_diag("%s: %ld kB -> %ld kB", what, before, now);
	return ok;
}

static bool fell(const char *what, long before, long now, long lo)
{
	bool ok = before >= 0 && now >= 0 && before - now >= lo;

	if (!ktap_ok(ok, "%s falls by at least %ld kB", what, lo))
		ktap_diag("%s: %ld kB -> %ld kB", what, before, now);
	return ok;
}

static void touch(char *p, long len, long step)
{
	for (long off = 0; off < len; off += step)
		p[off] = 1;
}

/* ---- private anonymous memory ------------------------------------------ */

static void test_private(void)
{
	long free0 = meminfo("MemFree"), anon0 = meminfo("AnonPages");
	long commit0 = meminfo("Committed_AS"), size0 = status("VmSize");
	long rss0 = status("VmRSS"), ranon0 = status("RssAnon");
	long anon1, free1, rss1, commit1;
	char *p = mmap(NULL, PRIVATE_LEN, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (!ktap_ok(p != MAP_FAILED, "mmap 8 MiB private"))
		return;
	commit1 = meminfo("Committed_AS");
	rose("Committed_AS", commit0, commit1, 6 * MB / KB, 10 * MB / KB);
	rose("VmSize", size0, status("VmSize"), 8 * MB / KB, 8 * MB / KB);
	touch(p, PRIVATE_LEN, PAGE);
	anon1 = meminfo("AnonPages");
	free1 = meminfo("MemFree");
	rss1 = status("VmRSS");
	rose("AnonPages", anon0, anon1, 7 * MB / KB, 10 * MB / KB);
	/* Linux's per-CPU free lists hold some pages outside MemFree. */
	fell("MemFree", free0, free1, 6 * MB / KB);
	/* The first reading may miss the program's own unsynced pages. */
	rose("VmRSS", rss0, rss1, (8 * MB - RSS_LAG) / KB, 9 * MB / KB);
	rose("RssAnon", ranon0, status("RssAnon"), (8 * MB - RSS_LAG) / KB,
	     9 * MB / KB);
	ktap_ok(status("VmHWM") >= rss1 - RSS_LAG / KB,
		"VmHWM %ld >= VmRSS %ld", status("VmHWM"), rss1);
	ktap_ok(status("VmPeak") >= size0 + PRIVATE_LEN / KB,
		"VmPeak %ld covers the mapping", status("VmPeak"));
	munmap(p, PRIVATE_LEN);
	fell("AnonPages after munmap", anon1, meminfo("AnonPages"),
	     7 * MB / KB);
	fell("Committed_AS after munmap", commit1, meminfo("Committed_AS"),
	     6 * MB / KB);
	ktap_ok(meminfo("MemFree") > free1 + 6 * MB / KB,
		"MemFree comes back after munmap");
	fell("VmRSS after munmap", rss1, status("VmRSS"),
	     (8 * MB - RSS_LAG) / KB);
	ktap_ok(status("VmHWM") >= rss0 + (8 * MB - RSS_LAG) / KB,
		"VmHWM %ld stays after munmap (VmRSS %ld)", status("VmHWM"),
		status("VmRSS"));
	ktap_ok(status("VmPeak") >= size0 + PRIVATE_LEN / KB,
		"VmPeak %ld stays after munmap (VmSize %ld)", status("VmPeak"),
		status("VmSize"));
}

static void test_readonly_commits_nothing(void)
{
	long commit0 = meminfo("Committed_AS");
	char *p = mmap(NULL, PRIVATE_LEN, PROT_READ,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (!ktap_ok(p != MAP_FAILED, "mmap 8 MiB read-only"))
		return;
	rose("Committed_AS (read-only map)", commit0, meminfo("Committed_AS"),
	     -1 * MB / KB, 1 * MB / KB);
	munmap(p, PRIVATE_LEN);
}

/* ---- page tables --------------------------------------------------------- */

static void test_page_tables(void)
{
	long pt0 = meminfo("PageTables"), pte0 = status("VmPTE"), pt1, pte1;
	long tables = SPARSE_LEN / SPARSE_STEP * PAGE / KB;
	char *p = mmap(NULL, SPARSE_LEN, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (!ktap_ok(p != MAP_FAILED, "mmap 256 MiB, no reserve"))
		return;
	touch(p, SPARSE_LEN, SPARSE_STEP);
	pt1 = meminfo("PageTables");
	pte1 = status("VmPTE");
	rose("PageTables", pt0, pt1, tables * 3 / 4, 3 * tables);
	rose("VmPTE", pte0, pte1, tables * 3 / 4, 3 * tables);
	munmap(p, SPARSE_LEN);
	fell("PageTables after munmap", pt1, meminfo("PageTables"),
	     tables * 3 / 4);
	fell("VmPTE after munmap", pte1, status("VmPTE"), tables * 3 / 4);
}

/* ---- shared memory ------------------------------------------------------- */

static void test_shared(void)
{
	long shmem0 = meminfo("Shmem"), cached0 = meminfo("Cached");
	long mapped0 = meminfo("Mapped"), rss0 = status("RssShmem");
	long statm0 = statm_kb(2), shmem1;
	char *p = mmap(NULL, SHARED_LEN, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (!ktap_ok(p != MAP_FAILED, "mmap 4 MiB shared"))
		return;
	touch(p, SHARED_LEN, PAGE);
	shmem1 = meminfo("Shmem");
	rose("Shmem", shmem0, shmem1, 3 * MB / KB, 6 * MB / KB);
	rose("Cached", cached0, meminfo("Cached"), 3 * MB / KB, 6 * MB / KB);
	rose("Mapped", mapped0, meminfo("Mapped"), 3 * MB / KB, 6 * MB / KB);
	rose("RssShmem", rss0, status("RssShmem"), (4 * MB - RSS_LAG) / KB,
	     (4 * MB + RSS_LAG) / KB);
	rose("statm shared", statm0, statm_kb(2), (4 * MB - RSS_LAG) / KB,
	     (4 * MB + RSS_LAG) / KB);
	munmap(p, SHARED_LEN);
	fell("Shmem after munmap", shmem1, meminfo("Shmem"), 3 * MB / KB);
}

static void test_tmpfs(void)
{
	long shmem0, shmem1;
	char *buf;
	int fd;

	mkdir(TMPFS_DIR, 0755);
	if (mount("tmpfs", TMPFS_DIR, "tmpfs", 0, NULL) < 0) {
		ktap_skip("tmpfs file in Shmem", "mount: %s", strerror(errno));
		ktap_skip("tmpfs file leaves Shmem", "no mount");
		return;
	}
	shmem0 = meminfo("Shmem");
	buf = calloc(1, TMPFS_LEN);
	fd = open(TMPFS_DIR "/f", O_CREAT | O_WRONLY, 0644);
	if (fd < 0 || !buf || write(fd, buf, TMPFS_LEN) != TMPFS_LEN)
		ktap_diag("write: %s", strerror(errno));
	close(fd);
	free(buf);
	shmem1 = meminfo("Shmem");
	rose("Shmem (tmpfs file)", shmem0, shmem1, TMPFS_LEN * 3 / 4 / KB,
	     TMPFS_LEN * 2 / KB);
	unlink(TMPFS_DIR "/f");
	fell("Shmem after unlink", shmem1, meminfo("Shmem"),
	     TMPFS_LEN * 3 / 4 / KB);
	umount(TMPFS_DIR);
	rmdir(TMPFS_DIR);
}

/* ---- kernel memory ------------------------------------------------------- */

static void test_kernel_stacks(void)
{
	long stack0 = meminfo("KernelStack"), stack1;
	pid_t pids[NR_CHILDREN];
	int i, n = 0;

	for (i = 0; i < NR_CHILDREN; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			pause();
			_exit(0);
		}
		n += pids[i] > 0;
	}
	stack1 = meminfo("KernelStack");
	/* At least 4 KiB each: 8 KiB on i386, Linux's and Kestrel's. */
	rose("KernelStack (20 children)", stack0, stack1, n * 4, n * 64);
	for (i = 0; i < NR_CHILDREN; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGKILL);
	for (i = 0; i < NR_CHILDREN; i++)
		if (pids[i] > 0)
			waitpid(pids[i], NULL, 0);
	fell("KernelStack after they exit", stack1, meminfo("KernelStack"),
	     n * 4);
}

static void test_slab(void)
{
	long slab0 = meminfo("Slab"), slab1;
	char name[64];
	int i;

	mkdir("/tmp_meminfo_files", 0755);
	for (i = 0; i < NR_FILES; i++) {
		snprintf(name, sizeof(name), "/tmp_meminfo_files/%d", i);
		close(open(name, O_CREAT | O_WRONLY, 0644));
	}
	slab1 = meminfo("Slab");
	/* A dentry and an inode each: some hundreds of bytes a file. */
	rose("Slab (2000 files)", slab0, slab1, NR_FILES / 8, 64 * MB / KB);
	for (i = 0; i < NR_FILES; i++) {
		snprintf(name, sizeof(name), "/tmp_meminfo_files/%d", i);
		unlink(name);
	}
	rmdir("/tmp_meminfo_files");
}

/* /proc/vmstat's counters are the ones /proc/meminfo prints. */
static void test_vmstat(void)
{
	char buf[TEXT_MAX], *p;
	long pages = -1, anon;

	if (read_text("/proc/vmstat", buf, sizeof(buf)) > 0) {
		p = strstr(buf, "\nnr_anon_pages ");
		pages = p ? strtol(p + 15, NULL, 10) : -1;
	}
	anon = meminfo("AnonPages");
	if (!ktap_ok(pages >= 0 && labs(pages * PAGE / KB - anon) <= 1024,
		     "vmstat nr_anon_pages agrees with AnonPages"))
		ktap_diag("nr_anon_pages %ld, AnonPages %ld kB", pages, anon);
}

int main(void)
{
	ktap_plan(35);
	test_private();
	test_readonly_commits_nothing();
	test_page_tables();
	test_shared();
	test_tmpfs();
	test_kernel_stacks();
	test_slab();
	test_vmstat();
	return ktap_exit();
}
