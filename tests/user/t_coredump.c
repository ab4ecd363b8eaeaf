/*
 * Core dumps, as Linux writes them with its default core_pattern
 * ("core", in the cwd): a child killed by SIGSEGV, SIGABRT or SIGQUIT
 * with RLIMIT_CORE above a page reports WCOREDUMP and leaves an ET_CORE
 * ELF32 file, mode 0600, whose notes this program parses itself:
 * NT_PRSTATUS (the signal, the pid, the registers at the fault: eip in
 * the crashing function, esp in a dumped segment), NT_PRPSINFO (comm,
 * command line), NT_SIGINFO (si_signo, si_addr), and whose PT_LOAD
 * segments hold the memory (a marker written before the crash is found
 * at its address). RLIMIT_CORE 0 or below a page writes nothing and
 * reports no WCOREDUMP; a small limit cuts the file short but still
 * reports it; a non-dumpable process (prctl PR_SET_DUMPABLE 0, or one
 * that changed its uid) writes nothing; core_pattern's %p names the
 * file after the pid. In the test VM the short core is also printed in
 * base64 for the harness to check with the host's readelf and gdb.
 *
 * Everything happens in a fresh directory under /tmp. Where the
 * machine's core_pattern is not the default (a host whose cores go to
 * a helper), the file checks are skipped: only the Linux in QEMU and
 * Kestrel are the reference here.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/procfs.h>
#include <sys/reg.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"

#define NCHECKS 23
#define MARKER "kestrel-core-marker: the memory is in the dump"
#define PATTERN_PATH "/proc/sys/kernel/core_pattern"
#define EIP_SLACK 256 /* bytes of crash_segv() the fault may be in */
#define SMALL_LIMIT 8192
#define B64_LINE 76 /* characters of base64 per diagnostic line */

static char *marker_buf; /* heap memory the child inherits */
static char *dontdump_buf; /* a mapping marked MADV_DONTDUMP */
static char dir[] = "/tmp/t_coredump.XXXXXX";

/* ---- the children ----------------------------------------------------- */

static void set_core_limit(rlim_t limit)
{
	struct rlimit r = { limit, limit };

	setrlimit(RLIMIT_CORE, &r);
}

/* A store through a null pointer the compiler cannot see is null. */
static __attribute__((noinline)) void crash_segv(void)
{
	volatile int *volatile p = NULL;

	*p = 1;
}

enum how { BY_SEGV, BY_ABORT, BY_QUIT };

/* Fork a child that sets @limit and dies as @how; returns its status
 * (and pid in *@pidp). */
static int die_with_limit(rlim_t limit, enum how how, pid_t *pidp)
{
	pid_t pid = fork();
	int st = -1;

	if (pid == 0) {
		set_core_limit(limit);
		if (how == BY_SEGV)
			crash_segv();
		else if (how == BY_ABORT)
			abort();
		else
			raise(SIGQUIT);
		_exit(100);
	}
	waitpid(pid, &st, 0);
	if (pidp)
		*pidp = pid;
	return st;
}

static bool file_exists(const char *name)
{
	struct stat st;

	return stat(name, &st) == 0;
}

/* ---- reading the core ------------------------------------------------- */

struct core {
	unsigned char *data;
	size_t size;
	const Elf32_Ehdr *ehdr;
	const Elf32_Phdr *phdr;
};

static bool load_core(const char *name, struct core *c)
{
	struct stat st;
	ssize_t n;
	int fd = open(name, O_RDONLY);

	memset(c, 0, sizeof(*c));
	if (fd < 0 || fstat(fd, &st))
		goto fail;
	c->size = st.st_size;
	c->data = malloc(c->size ? c->size : 1);
	n = c->data ? pread(fd, c->data, c->size, 0) : -1;
	close(fd);
	if (n != (ssize_t)c->size || c->size < sizeof(Elf32_Ehdr))
		return false;
	c->ehdr = (const Elf32_Ehdr *)c->data;
	if (c->ehdr->e_phoff + (size_t)c->ehdr->e_phnum * sizeof(Elf32_Phdr) >
	    c->size)
		return false;
	c->phdr = (const Elf32_Phdr *)(c->data + c->ehdr->e_phoff);
	return true;
fail:
	if (fd >= 0)
		close(fd);
	return false;
}

static bool header_ok(const struct core *c)
{
	const Elf32_Ehdr *e = c->ehdr;

	return e && !memcmp(e->e_ident, ELFMAG, SELFMAG) &&
	       e->e_ident[EI_CLASS] == ELFCLASS32 &&
	       e->e_ident[EI_DATA] == ELFDATA2LSB && e->e_type == ET_CORE &&
	       e->e_machine == EM_386 && e->e_phentsize == sizeof(Elf32_Phdr) &&
	       e->e_phnum >= 2 && c->phdr[0].p_type == PT_NOTE;
}

/* The descriptor of the first note of @type named "CORE", or NULL. */
static const void *find_note(const struct core *c, unsigned int type,
			     size_t *size)
{
	const Elf32_Phdr *p = &c->phdr[0];
	size_t off = p->p_offset, end = p->p_offset + p->p_filesz;
	const Elf32_Nhdr *n;
	size_t name, desc;

	if (end > c->size)
		return NULL;
	while (off + sizeof(*n) <= end) {
		n = (const Elf32_Nhdr *)(c->data + off);
		name = off + sizeof(*n);
		desc = name + ((n->n_namesz + 3) & ~3u);
		off = desc + ((n->n_descsz + 3) & ~3u);
		if (off > end)
			return NULL;
		if (n->n_type == type && n->n_namesz == 5 &&
		    !memcmp(c->data + name, "CORE", 5)) {
			*size = n->n_descsz;
			return c->data + desc;
		}
	}
	return NULL;
}

/* The file offset of @addr's byte, or 0 if no PT_LOAD holds it. */
static size_t load_offset(const struct core *c, uintptr_t addr)
{
	const Elf32_Phdr *p;
	int i;

	for (i = 1; i < c->ehdr->e_phnum; i++) {
		p = &c->phdr[i];
		if (p->p_type == PT_LOAD && addr >= p->p_vaddr &&
		    addr - p->p_vaddr < p->p_filesz)
			return p->p_offset + (addr - p->p_vaddr);
	}
	return 0;
}

/* The PT_LOAD whose memory holds @addr, or NULL. */
static const Elf32_Phdr *find_load(const struct core *c, uintptr_t addr)
{
	const Elf32_Phdr *p;
	int i;

	for (i = 1; i < c->ehdr->e_phnum; i++) {
		p = &c->phdr[i];
		if (p->p_type == PT_LOAD && addr >= p->p_vaddr &&
		    addr - p->p_vaddr < p->p_memsz)
			return p;
	}
	return NULL;
}

/* ---- the checks ------------------------------------------------------- */

static void test_no_core(void)
{
	int st;

	st = die_with_limit(0, BY_SEGV, NULL);
	ktap_ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV && !WCOREDUMP(st) &&
			!file_exists("core"),
		"RLIMIT_CORE 0: SIGSEGV, no WCOREDUMP, no file (0x%x)", st);
	st = die_with_limit(1000, BY_SEGV, NULL);
	ktap_ok(WIFSIGNALED(st) && !WCOREDUMP(st) && !file_exists("core"),
		"RLIMIT_CORE below a page: no core (0x%x)", st);
}

static void check_prstatus(const struct core *c, pid_t pid)
{
	const struct elf_prstatus *prs;
	uintptr_t eip, esp;
	size_t size = 0;

	prs = find_note(c, NT_PRSTATUS, &size);
	ktap_ok(prs && size == sizeof(*prs) && prs->pr_cursig == SIGSEGV &&
			prs->pr_info.si_signo == SIGSEGV &&
			prs->pr_pid == pid && prs->pr_ppid == getpid(),
		"NT_PRSTATUS: %zu bytes, signal, pid %d, ppid", size,
		prs ? prs->pr_pid : -1);
	if (!prs || size != sizeof(*prs)) {
		ktap_ok(0, "NT_PRSTATUS's eip is in the crashing function");
		ktap_ok(0, "NT_PRSTATUS's esp is in a dumped segment");
		return;
	}
	eip = prs->pr_reg[EIP];
	esp = prs->pr_reg[UESP];
	ktap_ok(eip >= (uintptr_t)crash_segv &&
			eip < (uintptr_t)crash_segv + EIP_SLACK,
		"NT_PRSTATUS's eip is in the crashing function (%#lx, %p)",
		(unsigned long)eip, (void *)crash_segv);
	ktap_ok(load_offset(c, esp) != 0,
		"NT_PRSTATUS's esp is in a dumped segment (%#lx)",
		(unsigned long)esp);
}

static void check_other_notes(const struct core *c, pid_t pid)
{
	const struct elf_prpsinfo *psi;
	const siginfo_t *si;
	size_t size = 0;

	psi = find_note(c, NT_PRPSINFO, &size);
	ktap_ok(psi && size == sizeof(*psi) && psi->pr_pid == pid &&
			!strcmp(psi->pr_fname, "t_coredump") &&
			strstr(psi->pr_psargs, "t_coredump"),
		"NT_PRPSINFO: %zu bytes, pid, comm '%.16s', args '%.80s'", size,
		psi ? psi->pr_fname : "", psi ? psi->pr_psargs : "");
	si = find_note(c, NT_SIGINFO, &size);
	ktap_ok(si && size == sizeof(*si) && si->si_signo == SIGSEGV &&
			si->si_addr == NULL,
		"NT_SIGINFO: SIGSEGV at address 0");
}

static void check_memory(const struct core *c)
{
	const Elf32_Phdr *load;
	size_t off = load_offset(c, (uintptr_t)marker_buf);

	ktap_ok(off && off + sizeof(MARKER) <= c->size &&
			!memcmp(c->data + off, MARKER, sizeof(MARKER)),
		"the marker is in the PT_LOAD of its address (offset %zu)",
		off);
	load = find_load(c, (uintptr_t)dontdump_buf);
	ktap_ok(load && !load->p_filesz && load->p_memsz >= PAGE_SIZE,
		"a MADV_DONTDUMP mapping has a PT_LOAD with no file bytes");
}

/* The full dump; returns its size for test_limited(). */
static size_t test_full_core(void)
{
	struct core c;
	struct stat st;
	pid_t pid;
	int status;
	size_t size;
	bool loaded;

	status = die_with_limit(RLIM_INFINITY, BY_SEGV, &pid);
	ktap_ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV &&
			WCOREDUMP(status),
		"a dumped SIGSEGV reports WCOREDUMP (0x%x)", status);
	memset(&st, 0, sizeof(st));
	stat("core", &st);
	ktap_ok(S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0600 &&
			st.st_uid == getuid(),
		"a file 'core' in the cwd, 0600, ours (%o)",
		(unsigned int)st.st_mode);
	loaded = load_core("core", &c) && header_ok(&c);
	ktap_ok(loaded,
		"an ET_CORE ELF32 i386 file with a PT_NOTE first (%u headers)",
		c.ehdr ? c.ehdr->e_phnum : 0);
	if (!loaded) {
		for (int i = 0; i < 7; i++)
			ktap_ok(0, "(no core to check)");
		free(c.data);
		return 0;
	}
	check_prstatus(&c, pid);
	check_other_notes(&c, pid);
	check_memory(&c);
	size = c.size;
	free(c.data);
	unlink("core");
	return size;
}

static void test_other_signals(void)
{
	int st;

	st = die_with_limit(RLIM_INFINITY, BY_ABORT, NULL);
	ktap_ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT && WCOREDUMP(st) &&
			file_exists("core"),
		"abort(): SIGABRT with WCOREDUMP and a core (0x%x)", st);
	unlink("core");
	st = die_with_limit(RLIM_INFINITY, BY_QUIT, NULL);
	ktap_ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGQUIT && WCOREDUMP(st) &&
			file_exists("core"),
		"SIGQUIT dumps core too (0x%x)", st);
	unlink("core");
}

/*
 * Print @c as "# core-b64 ..." lines: scripts/run-tests decodes them
 * and checks with the host's readelf and gdb that the file is one they
 * read (the test VM has neither).
 */
static void print_core_base64(const struct core *c)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				     "abcdefghijklmnopqrstuvwxyz0123456789+/";
	char line[B64_LINE + 1];
	size_t i, n = 0;
	unsigned int v;

	for (i = 0; i < c->size; i += 3) {
		v = c->data[i] << 16;
		if (i + 1 < c->size)
			v |= c->data[i + 1] << 8;
		if (i + 2 < c->size)
			v |= c->data[i + 2];
		line[n++] = digits[v >> 18];
		line[n++] = digits[(v >> 12) & 63];
		line[n++] = i + 1 < c->size ? digits[(v >> 6) & 63] : '=';
		line[n++] = i + 2 < c->size ? digits[v & 63] : '=';
		if (n == B64_LINE || i + 3 >= c->size) {
			line[n] = '\0';
			ktap_diag("core-b64 %s", line);
			n = 0;
		}
	}
}

/* A small RLIMIT_CORE: the dump stops there but still counts. */
static void test_limited(size_t full)
{
	struct core c;
	bool loaded;
	int st;

	st = die_with_limit(SMALL_LIMIT, BY_SEGV, NULL);
	ktap_ok(WIFSIGNALED(st) && WCOREDUMP(st),
		"RLIMIT_CORE %d: still WCOREDUMP (0x%x)", SMALL_LIMIT, st);
	loaded = load_core("core", &c) && header_ok(&c);
	ktap_ok(loaded && c.size < full / 2,
		"the file is cut short (%zu of %zu bytes), headers intact",
		c.size, full);
	if (loaded && getppid() == 1)
		print_core_base64(&c);
	free(c.data);
	unlink("core");
}

static int dump_undumpable(long how)
{
	set_core_limit(RLIM_INFINITY);
	if (how == 0)
		prctl(PR_SET_DUMPABLE, 0);
	else if (setresuid(65534, 65534, 65534))
		_exit(101);
	if (prctl(PR_GET_DUMPABLE) != 0)
		_exit(102);
	crash_segv();
	return 100;
}

static void test_not_dumpable(void)
{
	static const char *const why[] = { "prctl(PR_SET_DUMPABLE, 0)",
					   "a change of uid" };
	pid_t pid;
	int st, i;

	ktap_ok(prctl(PR_GET_DUMPABLE) == 1, "PR_GET_DUMPABLE is 1 after exec");
	EXPECT_ERRNO(prctl(PR_SET_DUMPABLE, 2), EINVAL);
	for (i = 0; i < 2; i++) {
		if (i == 1 && geteuid() != 0) {
			ktap_skip("a change of uid", "needs root");
			continue;
		}
		pid = fork();
		if (pid == 0)
			_exit(dump_undumpable(i));
		st = -1;
		waitpid(pid, &st, 0);
		ktap_ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV &&
				!WCOREDUMP(st) && !file_exists("core"),
			"%s: not dumpable, no core (0x%x)", why[i], st);
	}
}

static bool write_pattern(const char *p)
{
	int fd = open(PATTERN_PATH, O_WRONLY);
	bool ok = fd >= 0 && write(fd, p, strlen(p)) == (ssize_t)strlen(p);

	if (fd >= 0)
		close(fd);
	return ok;
}

/*
 * core_pattern "core.%p": the pid goes into the name. Only as root in
 * the test machine (our parent is the runner, PID 1): a machine-wide
 * setting is not to be changed anywhere else.
 */
static void test_pattern(void)
{
	char name[64], back[64] = "";
	pid_t pid;
	int st, fd;
	ssize_t n;

	if (geteuid() != 0 || getppid() != 1) {
		ktap_skip("core_pattern can be set",
			  "root in the test VM only");
		ktap_skip("core_pattern core.%p", "root in the test VM only");
		return;
	}
	ktap_ok(write_pattern("core.%p\n"), "core_pattern can be set");
	fd = open(PATTERN_PATH, O_RDONLY);
	n = fd >= 0 ? read(fd, back, sizeof(back) - 1) : -1;
	if (fd >= 0)
		close(fd);
	back[n > 0 ? n : 0] = '\0';
	back[strcspn(back, "\n")] = '\0';
	st = die_with_limit(RLIM_INFINITY, BY_SEGV, &pid);
	snprintf(name, sizeof(name), "core.%d", pid);
	ktap_ok(!strcmp(back, "core.%p") && WCOREDUMP(st) &&
			file_exists(name) && !file_exists("core"),
		"with core.%%p the core is named %s ('%s')", name, back);
	unlink(name);
	write_pattern("core\n");
}

/* Is the machine's pattern Linux's default, "core"? */
static bool default_pattern(void)
{
	char buf[256];
	FILE *f = fopen(PATTERN_PATH, "r");
	bool ok = f && fgets(buf, sizeof(buf), f) && !strcmp(buf, "core\n");

	if (f)
		fclose(f);
	return ok;
}

int main(void)
{
	size_t full;

	ktap_plan(NCHECKS);
	marker_buf = malloc(64 * 1024);
	strcpy(marker_buf, MARKER);
	dontdump_buf = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (dontdump_buf != MAP_FAILED) {
		strcpy(dontdump_buf, MARKER);
		madvise(dontdump_buf, PAGE_SIZE, MADV_DONTDUMP);
	}
	if (!mkdtemp(dir) || chdir(dir)) {
		for (int i = 0; i < NCHECKS; i++)
			ktap_ok(0, "a directory to dump in: %s",
				strerror(errno));
		return ktap_exit();
	}
	ktap_ok(file_exists(PATTERN_PATH), "%s exists", PATTERN_PATH);
	if (!default_pattern()) {
		for (int i = 1; i < NCHECKS; i++)
			ktap_skip("core dump", "core_pattern is not 'core'");
		return ktap_exit();
	}
	test_no_core();
	full = test_full_core();
	test_other_signals();
	test_limited(full);
	test_not_dumpable();
	test_pattern();
	chdir("/");
	rmdir(dir);
	return ktap_exit();
}
