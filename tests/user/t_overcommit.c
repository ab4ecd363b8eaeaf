/*
 * Overcommit accounting as Linux does it: /proc/meminfo's Committed_AS
 * grows by the size of each private writable or shared anonymous
 * mapping (not MAP_NORESERVE, not read-only private) and shrinks when it
 * goes; mprotect adding write charges, brk charges, fork charges the
 * child's copy. vm.overcommit_memory 0 refuses a single request larger
 * than RAM + swap, 1 refuses nothing, 2 refuses past CommitLimit (RAM *
 * overcommit_ratio / 100, or overcommit_kbytes) and then ignores
 * MAP_NORESERVE. exec of a program whose .bss is 2.5 GiB fails in modes
 * 0 and 2 and runs in mode 1; a .bss past RLIMIT_AS fails too. Linux
 * fails such an exec after its point of no return (the process dies of
 * SIGSEGV), Kestrel before it (execve returns ENOMEM): both are
 * accepted. The tunables are restored at exit.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"
#include "fileio.h"
#include "util.h"

#define KB 1024L
#define MB (1024 * KB)
#define SLACK_KB 256 /* what else may commit meanwhile */
#define VM_DIR "/proc/sys/vm/"
#define BIG_BSS_PATH "/tmp/kx_bigbss"
#define LOAD_ADDR 0x08048000u
#define EXEC_FAILED 42 /* the child's status when execve returned */

static const char *const tunables[] = { "overcommit_memory", "overcommit_ratio",
					"overcommit_kbytes" };
static char saved[3][32];

static long read_long(const char *path)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

static bool set_vm(const char *name, long value)
{
	char path[64], text[32];

	snprintf(path, sizeof(path), VM_DIR "%s", name);
	snprintf(text, sizeof(text), "%ld\n", value);
	return write_text(path, text) == (long)strlen(text);
}

static long get_vm(const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), VM_DIR "%s", name);
	return read_long(path);
}

/* Put the three tunables back as they were (ratio before kbytes: each
 * write clears the other, and one of them was 0). */
static void restore_tunables(void)
{
	char path[64];

	for (int i = 0; i < 3; i++) {
		if (!saved[i][0] || (i > 0 && !strcmp(saved[i], "0\n")))
			continue;
		snprintf(path, sizeof(path), VM_DIR "%s", tunables[i]);
		write_text(path, saved[i]);
	}
}

static void save_tunables(void)
{
	char path[64];

	for (int i = 0; i < 3; i++) {
		int fd;
		ssize_t n;

		snprintf(path, sizeof(path), VM_DIR "%s", tunables[i]);
		fd = open(path, O_RDONLY);
		n = fd >= 0 ? read(fd, saved[i], sizeof(saved[i]) - 1) : -1;
		saved[i][n > 0 ? n : 0] = '\0';
		if (fd >= 0)
			close(fd);
	}
	atexit(restore_tunables);
}

/*
 * A /proc/meminfo field in kB, or -1; *@line_ok false if its line is
 * not in Linux's "Name:%*s%8lu kB" form. Read with read(), into a static
 * buffer: stdio would malloc, and malloc would move the break that
 * test_charges() moves by hand.
 */
static long meminfo(const char *key, bool *line_ok)
{
	static char buf[4096];
	size_t klen = strlen(key);
	int fd = open("/proc/meminfo", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	char *line, *end;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	for (line = buf; *line; line = end + 1) {
		end = strchr(line, '\n');
		if (!end)
			break;
		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		if (line_ok)
			*line_ok = end - line == 27 &&
				   !strncmp(end - 3, " kB", 3);
		return strtol(line + klen + 1, NULL, 10);
	}
	return -1;
}

static long committed(void)
{
	return meminfo("Committed_AS", NULL);
}

static bool near(long got, long want)
{
	return got >= want - SLACK_KB && got <= want + SLACK_KB;
}

static void *map(size_t len, int prot, int flags)
{
	return mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0);
}

/* Map @len with @prot/@flags; true if mmap succeeded. Unmaps it. */
static bool can_map(size_t len, int prot, int flags)
{
	void *p = map(len, prot, flags);

	if (p == MAP_FAILED)
		return false;
	munmap(p, len);
	return true;
}

/* ---- the tunables and meminfo ------------------------------------------ */

static void test_tunables(void)
{
	long total = meminfo("MemTotal", NULL), limit;
	bool ok1 = false, ok2 = false;

	ktap_ok(get_vm("overcommit_memory") == 0 &&
			get_vm("overcommit_ratio") == 50 &&
			get_vm("overcommit_kbytes") == 0,
		"defaults: overcommit_memory 0, ratio 50, kbytes 0");
	ktap_ok(meminfo("CommitLimit", &ok1) >= 0 &&
			meminfo("Committed_AS", &ok2) > 0 && ok1 && ok2,
		"/proc/meminfo has CommitLimit and Committed_AS, Linux's format");
	limit = meminfo("CommitLimit", NULL);
	if (!ktap_ok(limit >= total / 2 - 4 && limit <= total / 2 + 4,
		     "CommitLimit is MemTotal * 50 / 100 (no swap)"))
		ktap_diag("CommitLimit %ld kB, MemTotal %ld kB", limit, total);
	ktap_ok(set_vm("overcommit_kbytes", 100000) &&
			get_vm("overcommit_ratio") == 0 &&
			meminfo("CommitLimit", NULL) == 100000,
		"overcommit_kbytes sets CommitLimit and clears the ratio");
	ktap_ok(set_vm("overcommit_ratio", 25) &&
			get_vm("overcommit_kbytes") == 0 &&
			near(meminfo("CommitLimit", NULL), total / 4),
		"overcommit_ratio sets CommitLimit and clears the kbytes");
	set_vm("overcommit_ratio", 50);
	EXPECT_ERRNO(write_text(VM_DIR "overcommit_memory", "3\n"), EINVAL);
	EXPECT_ERRNO(write_text(VM_DIR "overcommit_memory", "x\n"), EINVAL);
	EXPECT_EQ(get_vm("overcommit_memory"), 0);
}

/* ---- what is charged ------------------------------------------------------- */

static void test_charges(void)
{
	long c0 = committed(), c1, c2;
	char *p, *q, *brk0;

	p = map(64 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	c1 = committed();
	munmap(p, 64 * MB);
	c2 = committed();
	if (!ktap_ok(near(c1 - c0, 64 * MB / KB) && near(c2, c0),
		     "a private writable mapping is charged until munmap"))
		ktap_diag("%ld -> %ld -> %ld kB", c0, c1, c2);

	c0 = committed();
	p = map(16 * MB, PROT_READ | PROT_WRITE, MAP_SHARED);
	c1 = committed();
	munmap(p, 16 * MB);
	ktap_ok(near(c1 - c0, 16 * MB / KB) && near(committed(), c0),
		"a shared anonymous mapping is charged until munmap");

	c0 = committed();
	p = map(64 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE);
	q = map(64 * MB, PROT_READ, MAP_PRIVATE);
	ktap_ok(near(committed(), c0),
		"MAP_NORESERVE and read-only private mappings are not charged");
	munmap(p, 64 * MB);

	c0 = committed();
	mprotect(q, 32 * MB, PROT_READ | PROT_WRITE);
	c1 = committed();
	mprotect(q, 32 * MB, PROT_READ);
	c2 = committed();
	munmap(q, 64 * MB);
	if (!ktap_ok(
		    near(c1 - c0, 32 * MB / KB) && near(c2, c1) &&
			    near(committed(), c0),
		    "mprotect adding write charges; removing it does not refund"))
		ktap_diag("%ld -> %ld -> %ld -> %ld kB", c0, c1, c2,
			  committed());

	brk0 = (char *)syscall(SYS_brk, 0);
	c0 = committed();
	syscall(SYS_brk, brk0 + 8 * MB);
	c1 = committed();
	syscall(SYS_brk, brk0);
	ktap_ok(near(c1 - c0, 8 * MB / KB) && near(committed(), c0),
		"brk growth is charged, and shrinking returns it");
}

static void test_fork_charges(void)
{
	char *p = map(32 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	int fds[2], st;
	long c0, c1 = -1;
	pid_t pid;

	if (pipe(fds))
		return;
	c0 = committed();
	pid = fork();
	if (pid == 0) {
		c1 = committed();
		write(fds[1], &c1, sizeof(c1));
		_exit(0);
	}
	read(fds[0], &c1, sizeof(c1));
	waitpid(pid, &st, 0);
	ktap_ok(c1 - c0 >= 32 * MB / KB && near(committed(), c0),
		"fork charges the child's copy, its exit returns it");
	close(fds[0]);
	close(fds[1]);
	munmap(p, 32 * MB);
}

/* ---- the three policies -------------------------------------------------- */

static void test_modes(void)
{
	long total = meminfo("MemTotal", NULL) * KB;
	long swap = meminfo("SwapTotal", NULL) * KB, left;
	int rw = PROT_READ | PROT_WRITE;

	ktap_ok(!can_map(total + swap + 16 * MB, rw, MAP_PRIVATE),
		"mode 0: one request larger than RAM + swap is refused");
	ktap_ok(can_map(total + swap + 16 * MB, rw,
			MAP_PRIVATE | MAP_NORESERVE) &&
			can_map(total + swap + 16 * MB, PROT_READ, MAP_PRIVATE),
		"mode 0: unless MAP_NORESERVE or read-only");
	ktap_ok(can_map(total / 2, rw, MAP_PRIVATE) &&
			can_map(total * 3 / 4, rw, MAP_SHARED),
		"mode 0: requests within RAM are granted");

	set_vm("overcommit_memory", 1);
	ktap_ok(can_map(2 * (total + swap), rw, MAP_PRIVATE),
		"mode 1: twice RAM + swap is granted");

	set_vm("overcommit_memory", 2);
	left = (meminfo("CommitLimit", NULL) - committed()) * KB;
	ktap_ok(left > 32 * MB && can_map(left / 2, rw, MAP_PRIVATE),
		"mode 2: half of what is left under CommitLimit is granted");
	ktap_ok(!can_map(left + 16 * MB, rw, MAP_PRIVATE) &&
			!can_map(left + 16 * MB, rw, MAP_SHARED),
		"mode 2: more than is left is refused");
	ktap_ok(!can_map(left + 16 * MB, rw, MAP_PRIVATE | MAP_NORESERVE),
		"mode 2: MAP_NORESERVE is ignored");
	ktap_ok((long)syscall(SYS_brk, 0) ==
			(long)syscall(SYS_brk, (char *)syscall(SYS_brk, 0) +
						       left + 16 * MB),
		"mode 2: brk past the limit leaves the break");
	{
		char *ro = map(left + 16 * MB, PROT_READ, MAP_PRIVATE);

		ktap_ok(ro != MAP_FAILED && mprotect(ro, left + 16 * MB, rw) &&
				errno == ENOMEM,
			"mode 2: mprotect(PROT_WRITE) past the limit: ENOMEM");
		if (ro != MAP_FAILED)
			munmap(ro, left + 16 * MB);
	}
	set_vm("overcommit_memory", 0);
}

/* ---- exec ------------------------------------------------------------------ */

/* A program of one PT_LOAD segment: its header and exit(0), then a
 * .bss of @bss bytes. */
struct bss_elf {
	Elf32_Ehdr eh;
	Elf32_Phdr ph;
	unsigned char code[12]; /* exit0 and zeros */
}; /* 52 + 32 + 12 bytes: no padding */

static const unsigned char exit0[9] = {
	0xb8, SYS_exit, 0, 0, 0, /* mov $SYS_exit,%eax */
	0x31, 0xdb, /* xor %ebx,%ebx */
	0xcd, 0x80, /* int $0x80 */
};

static bool write_bss_elf(unsigned long bss)
{
	struct bss_elf e;

	memset(&e, 0, sizeof(e));
	tiny_elf_headers(&e.eh, &e.ph, LOAD_ADDR,
			 LOAD_ADDR + offsetof(struct bss_elf, code),
			 offsetof(struct bss_elf, ph));
	e.ph.p_filesz = sizeof(e);
	e.ph.p_memsz = sizeof(e) + bss;
	e.ph.p_flags = PF_R | PF_W | PF_X;
	memcpy(e.code, exit0, sizeof(exit0));
	return write_new_file(BIG_BSS_PATH, &e, sizeof(e), 0755);
}

enum exec_result { EXEC_RAN, EXEC_REFUSED, EXEC_OTHER };

/* Exec the .bss program in a child with RLIMIT_AS @as (0: unchanged). */
static enum exec_result exec_bss(rlim_t as)
{
	char *argv[] = { BIG_BSS_PATH, NULL }, *envp[] = { NULL };
	struct rlimit r = { as, as };
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		if (as && setrlimit(RLIMIT_AS, &r))
			_exit(1);
		execve(BIG_BSS_PATH, argv, envp);
		_exit(errno == ENOMEM ? EXEC_FAILED : 1);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return EXEC_OTHER;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return EXEC_RAN;
	/* Kestrel: ENOMEM before the point of no return; Linux: killed
	 * after it (SIGSEGV, or SIGKILL). */
	if ((WIFEXITED(st) && WEXITSTATUS(st) == EXEC_FAILED) ||
	    (WIFSIGNALED(st) &&
	     (WTERMSIG(st) == SIGSEGV || WTERMSIG(st) == SIGKILL)))
		return EXEC_REFUSED;
	ktap_diag("exec status %#x", st);
	return EXEC_OTHER;
}

static void test_exec(void)
{
	unsigned long huge = 2560UL * MB;

	if (!write_bss_elf(huge)) {
		ktap_skip("exec of a 2.5 GiB .bss", "cannot write %s",
			  BIG_BSS_PATH);
		return;
	}
	ktap_ok(exec_bss(0) == EXEC_REFUSED,
		"mode 0: a 2.5 GiB .bss does not exec");
	set_vm("overcommit_memory", 2);
	ktap_ok(exec_bss(0) == EXEC_REFUSED,
		"mode 2: a 2.5 GiB .bss does not exec either");
	set_vm("overcommit_memory", 1);
	ktap_ok(exec_bss(0) == EXEC_RAN, "mode 1: a 2.5 GiB .bss runs");
	set_vm("overcommit_memory", 0);

	write_bss_elf(128 * MB);
	ktap_ok(exec_bss(256 * MB) == EXEC_RAN &&
			exec_bss(64 * MB) == EXEC_REFUSED,
		"a 128 MiB .bss runs under RLIMIT_AS 256 MiB, not under 64 MiB");
	unlink(BIG_BSS_PATH);
}

int main(void)
{
	ktap_plan(27);
	if (geteuid() != 0) {
		for (int i = 0; i < 27; i++)
			ktap_skip("overcommit", "needs root for /proc/sys/vm");
		return ktap_exit();
	}
	save_tunables();
	test_tunables();
	test_charges();
	test_fork_charges();
	test_modes();
	test_exec();
	restore_tunables();
	return ktap_exit();
}
