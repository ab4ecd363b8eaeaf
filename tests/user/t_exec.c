/*
 * execve: the new image gets argv, envp and the auxiliary vector exactly
 * as passed (AT_PAGESZ, AT_RANDOM, AT_EXECFN, the ids, ...), keeps its pid,
 * loses close-on-exec descriptors and caught signal handlers but keeps
 * ignored signals and the blocked mask. Failures leave the caller running:
 * E2BIG for oversized arguments, ENOENT, ENOTDIR, EACCES, EFAULT, and
 * ENOEXEC for malformed ELF files that this test writes into /tmp, each a
 * one-field mutation of a tiny valid program (which is also run, to show
 * the template itself is good). "#!" scripts run their interpreter with
 * the script's path and arguments; this program serves as the interpreter,
 * and /bin/sh is tried when the system has one.
 *
 * The program re-executes itself in two modes, "--exec-child" and
 * "--interp", which check what they received and report through their
 * exit status: one bit per failed check.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"
#include "fileio.h"
#include "util.h"

extern char **environ;

static char self[PATH_MAX]; /* absolute path of this program */

/* ---- the re-executed side ------------------------------------------- */

enum child_check {
	CHK_ARGV = 1 << 0,
	CHK_PID = 1 << 1,
	CHK_ENV = 1 << 2,
	CHK_PAGESZ = 1 << 3,
	CHK_RANDOM_EXECFN = 1 << 4,
	CHK_AUXV_IDS = 1 << 5,
	CHK_CLOEXEC = 1 << 6,
	CHK_SIGNALS = 1 << 7,
};

static const char *const check_names[] = {
	"argv arrives intact, empty and spaced strings included",
	"the pid is the same after execve",
	"envp arrives intact and nothing else",
	"AT_PAGESZ is 4096",
	"AT_RANDOM points to 16 bytes, AT_EXECFN to the path",
	"AT_UID/EUID/GID/EGID, AT_SECURE, AT_PHDR/PHENT/PHNUM, AT_ENTRY, AT_CLKTCK, AT_PLATFORM",
	"close-on-exec descriptors are closed, others kept",
	"caught signals reset to SIG_DFL, ignored and blocked ones kept",
};

static int check_auxv(const char *path)
{
	int bad = 0;
	const unsigned char *rnd = (void *)getauxval(AT_RANDOM);
	const char *fn = (const char *)getauxval(AT_EXECFN);
	const char *plat = (const char *)getauxval(AT_PLATFORM);
	unsigned char zero[16] = { 0 };

	if (getauxval(AT_PAGESZ) != 4096)
		bad |= CHK_PAGESZ;
	if (!rnd || !memcmp(rnd, zero, 16) || !fn || strcmp(fn, path))
		bad |= CHK_RANDOM_EXECFN;
	if (getauxval(AT_UID) != getuid() || getauxval(AT_EUID) != geteuid() ||
	    getauxval(AT_GID) != getgid() || getauxval(AT_EGID) != getegid() ||
	    getauxval(AT_SECURE) != 0 || !getauxval(AT_PHDR) ||
	    getauxval(AT_PHENT) != sizeof(Elf32_Phdr) ||
	    getauxval(AT_PHNUM) == 0 || !getauxval(AT_ENTRY) ||
	    getauxval(AT_CLKTCK) != 100 || !plat || !plat[0])
		bad |= CHK_AUXV_IDS;
	printf("# child: AT_PLATFORM '%s' AT_EXECFN '%s' AT_HWCAP %#lx\n",
	       plat ? plat : "(none)", fn ? fn : "(none)", getauxval(AT_HWCAP));
	return bad;
}

static int check_signals(void)
{
	struct sigaction sa;
	sigset_t mask;
	int bad = 0;

	sigaction(SIGUSR1, NULL, &sa);
	bad |= sa.sa_handler != SIG_DFL;
	sigaction(SIGUSR2, NULL, &sa);
	bad |= sa.sa_handler != SIG_IGN;
	sigprocmask(SIG_BLOCK, NULL, &mask);
	bad |= !sigismember(&mask, SIGTERM);
	return bad ? CHK_SIGNALS : 0;
}

/* argv: self --exec-child "" "two words" PID CLOEXEC_FD KEEP_FD */
static int exec_child(int argc, char **argv)
{
	int bad = 0, n = 0, cloexec_fd, keep_fd;

	if (argc != 7 || strcmp(argv[2], "") || strcmp(argv[3], "two words"))
		return CHK_ARGV;
	if (getpid() != atoi(argv[4]))
		bad |= CHK_PID;
	for (char **e = environ; *e; e++)
		n++;
	if (n != 2 || !getenv("KX_TEST") ||
	    strcmp(getenv("KX_TEST"), "hello") || !getenv("KX_EMPTY") ||
	    strcmp(getenv("KX_EMPTY"), ""))
		bad |= CHK_ENV;
	bad |= check_auxv(argv[0]);
	cloexec_fd = atoi(argv[5]);
	keep_fd = atoi(argv[6]);
	if (fcntl(cloexec_fd, F_GETFD) != -1 || errno != EBADF ||
	    fcntl(keep_fd, F_GETFD) != 0)
		bad |= CHK_CLOEXEC;
	bad |= check_signals();
	return bad;
}

/* argv: INTERP --interp SCRIPT arg1 (what the kernel builds for "#!") */
static int interp_child(int argc, char **argv)
{
	if (argc != 4)
		return 1;
	if (strcmp(argv[0], self))
		return 2;
	if (strcmp(argv[2], at("script")))
		return 3;
	return strcmp(argv[3], "arg1") ? 4 : 0;
}

/* ---- the test side --------------------------------------------------- */

static void handler(int sig)
{
	(void)sig;
}

static void test_exec_child(void)
{
	char pid[16], cfd[16], kfd[16];
	char *env[] = { "KX_TEST=hello", "KX_EMPTY=", NULL };
	int cloexec_fd, keep_fd, st;
	pid_t child;

	cloexec_fd = open(self, O_RDONLY | O_CLOEXEC);
	keep_fd = open(self, O_RDONLY);
	child = fork();
	if (child == 0) {
		char *argv[] = { self, "--exec-child",
				 "",   "two words",
				 pid,  cfd,
				 kfd,  NULL };
		sigset_t block;

		snprintf(pid, sizeof(pid), "%d", getpid());
		snprintf(cfd, sizeof(cfd), "%d", cloexec_fd);
		snprintf(kfd, sizeof(kfd), "%d", keep_fd);
		signal(SIGUSR1, handler);
		signal(SIGUSR2, SIG_IGN);
		sigemptyset(&block);
		sigaddset(&block, SIGTERM);
		sigprocmask(SIG_BLOCK, &block, NULL);
		execve(self, argv, env);
		_exit(255);
	}
	waitpid(child, &st, 0);
	close(cloexec_fd);
	close(keep_fd);
	ktap_ok(WIFEXITED(st) && WEXITSTATUS(st) != 255,
		"execve of itself runs the new image (status 0x%x)", st);
	for (int i = 0; i < 8; i++)
		ktap_ok(WIFEXITED(st) && !(WEXITSTATUS(st) & (1 << i)), "%s",
			check_names[i]);
}

/*
 * Run execve(@path, @argv) with an empty environment in a child. Returns
 * the errno it failed with (sent back through a close-on-exec pipe), or
 * 1000 + the exit code if the new image ran, or 2000 + a signal number.
 */
static int exec_result(const char *path, char *const argv[])
{
	char *env[] = { NULL };
	int p[2], st, err = 0;
	pid_t child;

	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	child = fork();
	if (child == 0) {
		execve(path, argv, env);
		err = errno;
		write(p[1], &err, sizeof(err));
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(p[0]);
	if (waitpid(child, &st, 0) != child)
		return -1;
	if (err)
		return err;
	if (WIFSIGNALED(st))
		return 2000 + WTERMSIG(st);
	return 1000 + WEXITSTATUS(st);
}

static void expect_exec(const char *path, char *const argv[], int want,
			const char *what)
{
	int got = exec_result(path, argv);

	if (!ktap_ok(got == want, "%s", what))
		ktap_diag("got %d (%s)", got,
			  got < 1000 ? ktap_errname(got) :
				       "1000+exit, 2000+signal");
}

/* ---- a tiny valid ELF program, and mutations of it ------------------- */

#define LOAD_ADDR 0x08048000u

struct tiny_elf {
	Elf32_Ehdr eh;
	Elf32_Phdr ph;
	unsigned char code[12];
}; /* 52 + 32 + 12 bytes: no padding */

/* exit(42) through int $0x80. */
static const unsigned char exit42[12] = {
	0xb8, SYS_exit, 0, 0, 0, /* mov $SYS_exit,%eax */
	0xbb, 42,	0, 0, 0, /* mov $42,%ebx */
	0xcd, 0x80, /* int $0x80 */
};

static struct tiny_elf tiny(void)
{
	struct tiny_elf t;

	memset(&t, 0, sizeof(t));
	tiny_elf_headers(&t.eh, &t.ph, LOAD_ADDR,
			 LOAD_ADDR + offsetof(struct tiny_elf, code),
			 offsetof(struct tiny_elf, ph));
	t.ph.p_filesz = t.ph.p_memsz = sizeof(t);
	t.ph.p_flags = PF_R | PF_X;
	memcpy(t.code, exit42, sizeof(exit42));
	return t;
}

/* Write @t (its first @len bytes) to @name and expect execve to fail. */
static void bad_elf(const char *name, const struct tiny_elf *t, size_t len,
		    int want, const char *what)
{
	char *argv[] = { (char *)at(name), NULL };

	write_new_file(at(name), t, len, 0755);
	expect_exec(at(name), argv, want, what);
}

static void test_elf_files(void)
{
	struct tiny_elf t = tiny();
	char *argv[] = { (char *)at("good"), NULL };

	ktap_ok(write_new_file(at("good"), &t, sizeof(t), 0755),
		"write a 96-byte ELF program");
	expect_exec(at("good"), argv, 1000 + 42,
		    "the tiny ELF program runs and exits with 42");
	bad_elf("empty", &t, 0, ENOEXEC, "an empty file: ENOEXEC");
	bad_elf("truncated", &t, 20, ENOEXEC,
		"a truncated ELF header: ENOEXEC");
	t.eh.e_ident[EI_MAG1] = 'X';
	bad_elf("magic", &t, sizeof(t), ENOEXEC, "bad ELF magic: ENOEXEC");
	t = tiny();
	t.eh.e_machine = EM_ARM; /* (unless binfmt_misc runs ARM programs) */
	bad_elf("machine", &t, sizeof(t), ENOEXEC, "e_machine EM_ARM: ENOEXEC");
	t = tiny();
	t.eh.e_type = ET_REL;
	bad_elf("type", &t, sizeof(t), ENOEXEC, "e_type ET_REL: ENOEXEC");
	t = tiny();
	t.eh.e_phnum = 0;
	bad_elf("phnum0", &t, sizeof(t), ENOEXEC, "e_phnum 0: ENOEXEC");
	t = tiny();
	t.eh.e_phnum = 200;
	bad_elf("phnum200", &t, sizeof(t), ENOEXEC,
		"200 program headers (more than a page): ENOEXEC");
	t = tiny();
	t.eh.e_phentsize = 40;
	bad_elf("phentsize", &t, sizeof(t), ENOEXEC, "e_phentsize 40: ENOEXEC");
	t = tiny();
	t.eh.e_phoff = 0x10000;
	bad_elf("phoff", &t, sizeof(t), ENOEXEC,
		"program headers beyond the end of the file: ENOEXEC");
}

static void test_path_errors(void)
{
	struct tiny_elf t = tiny();
	char *argv[] = { "x", NULL };
	char *bad_argv[] = { "x", (char *)1, NULL };
	char path[PATH_MAX];

	write_new_file(at("noexec"), &t, sizeof(t), 0644);
	expect_exec(at("missing"), argv, ENOENT, "a missing file: ENOENT");
	snprintf(path, sizeof(path), "%s/x", at("noexec"));
	expect_exec(path, argv, ENOTDIR, "a file used as a directory: ENOTDIR");
	expect_exec(at("noexec"), argv, EACCES,
		    "a file without x bits: EACCES");
	expect_exec(scratch_dir, argv, EACCES, "a directory: EACCES");
	expect_exec(NULL, argv, EFAULT, "a NULL path: EFAULT");
	expect_exec(self, bad_argv, EFAULT, "a bad argv[1] pointer: EFAULT");
	EXPECT_ERRNO(execve(at("missing"), argv, environ), ENOENT);
	ktap_ok(getpid() > 0, "the caller survives a failed execve");
}

/*
 * Many empty arguments: few bytes of strings, but a pointer each on the
 * new stack. 200,000 take 800 KB of pointers and fit; 600,000 take
 * 2.4 MB, more than Linux's cap (a quarter of RLIMIT_STACK, 2 MiB) for
 * strings and pointers together.
 */
static void test_many_args(void)
{
	size_t n = 600000;
	char **argv = calloc(n + 3, sizeof(char *));

	if (!ktap_ok(argv != NULL, "allocate a large argv"))
		return;
	argv[0] = self;
	argv[1] = "--argc";
	for (size_t i = 2; i < n + 2; i++)
		argv[i] = "";
	argv[n + 2] = NULL;
	expect_exec(self, argv, E2BIG,
		    "600,000 empty arguments (2.4 MB of pointers): E2BIG");
	argv[200000] = NULL; /* argc 200,000 */
	expect_exec(self, argv, 1000 + (200000 & 0xff),
		    "200,000 empty arguments: the program sees them all");
	free(argv);
}

static void test_e2big(void)
{
	size_t len = 128 * 1024; /* MAX_ARG_STRLEN, with the NUL */
	char *s = malloc(len + 1);
	char *argv[67];

	memset(s, 'a', len);
	s[len] = 0; /* strlen + 1 == MAX_ARG_STRLEN + 1 */
	argv[0] = self;
	argv[1] = "--noop";
	argv[2] = s;
	argv[3] = NULL;
	expect_exec(self, argv, E2BIG,
		    "an argument longer than MAX_ARG_STRLEN: E2BIG");
	s[len - 1] = 0; /* exactly MAX_ARG_STRLEN */
	expect_exec(self, argv, 1000,
		    "an argument of exactly MAX_ARG_STRLEN is accepted");
	/* 8 MiB: over Linux's cap of min(RLIMIT_STACK / 4, 6 MiB). */
	for (int i = 2; i < 66; i++)
		argv[i] = s;
	argv[66] = NULL;
	expect_exec(self, argv, E2BIG, "64 x 128 KiB of arguments: E2BIG");
	free(s);
	test_many_args();
}

static void test_scripts(void)
{
	char text[PATH_MAX + 64];
	char *argv[] = { (char *)at("script"), "arg1", NULL };
	char *sh_argv[] = { (char *)at("sh"), NULL };
	int n;

	n = snprintf(text, sizeof(text), "#!%s --interp\nnot shell\n", self);
	write_new_file(at("script"), text, n, 0755);
	expect_exec(at("script"), argv, 1000 + 0,
		    "#! runs the interpreter with the script path and args");
	write_new_file(at("noint"), "#!/nonexistent/kx_interp\n", 25, 0755);
	argv[0] = (char *)at("noint");
	expect_exec(at("noint"), argv, ENOENT,
		    "#! naming a missing interpreter: ENOENT");
	write_new_file(at("empty_int"), "#!\n", 3, 0755);
	argv[0] = (char *)at("empty_int");
	expect_exec(at("empty_int"), argv, ENOEXEC,
		    "#! with no interpreter: ENOEXEC");
	if (access("/bin/sh", X_OK) != 0) {
		ktap_skip("#!/bin/sh script exits 42", "no /bin/sh");
		return;
	}
	write_new_file(at("sh"), "#!/bin/sh\nexit 42\n", 18, 0755);
	expect_exec(at("sh"), sh_argv, 1000 + 42, "#!/bin/sh script exits 42");
}

static int remove_tree(void)
{
	static const char *files[] = { "good",	 "empty",     "truncated",
				       "magic",	 "machine",   "type",
				       "phnum0", "phnum200",  "phentsize",
				       "phoff",	 "noexec",    "script",
				       "noint",	 "empty_int", "sh" };

	for (unsigned i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(at(files[i]));
	return rmdir(scratch_dir);
}

int main(int argc, char **argv)
{
	if (!realpath(argv[0], self))
		snprintf(self, sizeof(self), "%s", argv[0]);
	if (argc > 1 && !strcmp(argv[1], "--noop"))
		return 0;
	if (argc > 1 && !strcmp(argv[1], "--argc"))
		return argc & 0xff;
	if (argc > 1 && !strcmp(argv[1], "--exec-child"))
		return exec_child(argc, argv);
	snprintf(scratch_dir, sizeof(scratch_dir), "/tmp/kx_exec.%d",
		 argc > 1 && !strcmp(argv[1], "--interp") ? getppid() :
							    getpid());
	if (argc > 1 && !strcmp(argv[1], "--interp"))
		return interp_child(argc, argv);

	ktap_plan(40);
	if (!ktap_ok(mkdir(scratch_dir, 0755) == 0, "create %s", scratch_dir))
		return ktap_exit();
	EXPECT_EQ(getauxval(AT_PAGESZ), 4096);
	test_exec_child();
	test_elf_files();
	test_path_errors();
	test_e2big();
	test_scripts();
	if (remove_tree() != 0)
		ktap_diag("could not remove %s", scratch_dir);
	return ktap_exit();
}
