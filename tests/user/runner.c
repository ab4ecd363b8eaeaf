/*
 * The tier-3 test runner: /init of the test initramfs. It runs every
 * program named in /tests/list (one per line), each in a child process
 * with its output piped back, and prints one KTAP document: the child's
 * own KTAP indented as a subtest, then "ok N name" or "not ok N name"
 * from its exit status (a crash, a non-zero exit or a timeout fails it).
 * Then it powers the machine off, which ends the QEMU run.
 *
 * As PID 1 it first mounts what an init mounts (the kernel does not, on
 * Linux nor on Kestrel, over an initramfs): procfs on /proc, devtmpfs
 * on /dev, devpts on /dev/pts, creating the directories the initramfs
 * lacks, in a session of its own (setsid). It is an ordinary static
 * program: on Linux it runs the same way (without the mounts and the
 * power-off when not PID 1).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_TESTS 64
#define NAME_LEN 64
#define TEST_TIMEOUT 120 /* seconds per program */

static char names[MAX_TESTS][NAME_LEN];

static int read_list(const char *path)
{
	FILE *f = fopen(path, "r");
	int n = 0;

	if (!f)
		return -1;
	while (n < MAX_TESTS && fgets(names[n], NAME_LEN, f)) {
		names[n][strcspn(names[n], "\n")] = '\0';
		if (names[n][0])
			n++;
	}
	fclose(f);
	return n;
}

/* Copy the child's output to stdout, each line indented by 4 spaces. */
static void relay(int fd)
{
	char buf[512];
	int at_line_start = 1;
	ssize_t n, i;

	while ((n = read(fd, buf, sizeof(buf))) > 0 ||
	       (n < 0 && errno == EINTR)) {
		for (i = 0; i < n; i++) {
			if (at_line_start)
				fputs("    ", stdout);
			putchar(buf[i]);
			at_line_start = buf[i] == '\n';
		}
		fflush(stdout);
	}
	if (!at_line_start)
		putchar('\n');
}

static int run_one(const char *dir, const char *name, int num)
{
	char path[256];
	int pipefd[2], status = 0;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (pipe(pipefd) < 0)
		return printf("not ok %d %s # pipe: %s\n", num, name,
			      strerror(errno)),
		       1;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		close(pipefd[1]);
		alarm(TEST_TIMEOUT);
		execl(path, path, (char *)NULL);
		printf("# exec %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	if (pid < 0)
		return printf("not ok %d %s # fork: %s\n", num, name,
			      strerror(errno)),
		       1;
	relay(pipefd[0]);
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		printf("ok %d %s\n", num, name);
		return 0;
	}
	if (WIFSIGNALED(status))
		printf("not ok %d %s # killed by signal %d\n", num, name,
		       WTERMSIG(status));
	else
		printf("not ok %d %s # exit status %d\n", num, name,
		       WEXITSTATUS(status));
	return 1;
}

struct early_mount {
	const char *type, *dir;
	mode_t mode;
	unsigned long flags;
};

/* In order: /dev before /dev/pts. */
static const struct early_mount early_mounts[] = {
	{ "proc", "/proc", 0555, MS_NOSUID | MS_NODEV | MS_NOEXEC },
	{ "devtmpfs", "/dev", 0755, MS_NOSUID },
	{ "devpts", "/dev/pts", 0755, MS_NOSUID | MS_NOEXEC },
};

/* What init does first: mount -t proc proc /proc, and so on. */
static void mount_early(void)
{
	const struct early_mount *m;
	size_t i;

	for (i = 0; i < sizeof(early_mounts) / sizeof(early_mounts[0]); i++) {
		m = &early_mounts[i];
		if (mkdir(m->dir, m->mode) < 0 && errno != EEXIST)
			printf("# mkdir %s: %s\n", m->dir, strerror(errno));
		if (mount(m->type, m->dir, m->type, m->flags, NULL) < 0)
			printf("# mount %s: %s\n", m->type, strerror(errno));
	}
}

int main(int argc, char **argv)
{
	/* As PID 1 its arguments are the kernel's command line's. */
	const char *dir = argc > 1 && getpid() != 1 ? argv[1] : "/tests";
	char list[256];
	int n, i, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (getpid() == 1) {
		/* Its own session, as inits make (Linux starts PID 1 in
		 * session 0, Kestrel in session 1): the same on both. */
		setsid();
		mount_early();
	}
	snprintf(list, sizeof(list), "%s/list", dir);
	n = read_list(list);
	printf("KTAP version 1\n");
	if (n < 0) {
		printf("1..0 # cannot read %s: %s\n", list, strerror(errno));
		n = 0;
		failed = 1;
	} else {
		printf("1..%d\n", n);
	}
	for (i = 0; i < n; i++)
		failed += run_one(dir, names[i], i + 1);
	printf("# runner: %d programs, %d failed\n", n, failed);
	fflush(stdout);
	if (getpid() == 1) {
		sync();
		reboot(RB_POWER_OFF);
	}
	return failed ? 1 : 0;
}
