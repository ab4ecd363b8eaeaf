/*
 * The tier-3 test runner: /init of the test initramfs. It runs every
 * program named in /tests/list (one per line), each in a child process
 * with its output piped back, and prints one KTAP document: the child's
 * own KTAP indented as a subtest, then "ok N name" or "not ok N name"
 * from its exit status (a crash, a non-zero exit or a timeout fails it).
 * Then it powers the machine off, which ends the QEMU run.
 *
 * As PID 1 it first mounts what an init mounts (the kernel does not, on
 * Linux nor on Kestrel, over an initramfs): procfs on /proc, sysfs on
 * /sys, devtmpfs on /dev, devpts on /dev/pts, creating the directories
 * the initramfs lacks, in a session of its own (setsid). It is an
 * ordinary static program: on Linux it runs the same way (without the
 * mounts and the power-off when not PID 1).
 *
 * Then the disks. On Linux the IDE driver is a module: scripts/test-linux
 * appends the modules and /modules/order (their file names, in load
 * order) to the initramfs, and the runner loads each with finit_module,
 * giving it its NAME.param=value words from /proc/cmdline as modprobe
 * would. Kestrel's initramfs has no /modules. On both it waits, at most
 * DISK_WAIT_MS, for the disks named by kt_disks=P.D,P.D... (ATA port and
 * device, tests/user/disk.h) on the command line, which is init's
 * environment. kt_only=NAME,NAME... runs only those programs of the list,
 * and kt_list=NAME reads /tests/NAME in place of /tests/list
 * (scripts/test-linux: list-linux). kt_timeout=SECONDS replaces
 * TEST_TIMEOUT (the ext2 boot's programs write 64 MiB files).
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
#include <sys/syscall.h>
#include <unistd.h>

#include "disk.h"

#define MAX_TESTS 64
#define NAME_LEN 64
#define TEST_TIMEOUT 120 /* seconds per program */
#define DISK_WAIT_MS 10000

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
		alarm(getenv("kt_timeout") ? atoi(getenv("kt_timeout")) :
					     TEST_TIMEOUT);
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
	{ "sysfs", "/sys", 0555, MS_NOSUID | MS_NODEV | MS_NOEXEC },
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

/*
 * The NAME.param=value words of the command line for module @mod
 * ("libata"; '-' and '_' are the same in module names), as one
 * "param=value param=value" string in @out.
 */
static void module_params(const char *mod, char *out, size_t size)
{
	char cmdline[4096], *word, *save = NULL;
	size_t len = strlen(mod), used = 0;
	FILE *f = fopen("/proc/cmdline", "r");

	out[0] = '\0';
	if (!f)
		return;
	if (!fgets(cmdline, sizeof(cmdline), f))
		cmdline[0] = '\0';
	fclose(f);
	for (word = strtok_r(cmdline, " \n", &save); word;
	     word = strtok_r(NULL, " \n", &save)) {
		size_t i;

		for (i = 0; i < len && word[i]; i++)
			if (word[i] != mod[i] &&
			    !(strchr("-_", word[i]) && strchr("-_", mod[i])))
				break;
		if (i < len || word[len] != '.' ||
		    used + strlen(word + len + 1) + 2 > size)
			continue;
		used += snprintf(out + used, size - used, "%s%s",
				 used ? " " : "", word + len + 1);
	}
}

/* Load the modules /modules/order names, in order (Linux's test boot). */
static void load_modules(void)
{
	char line[NAME_LEN], path[NAME_LEN + 16], mod[NAME_LEN], params[512];
	FILE *order = fopen("/modules/order", "r");
	int fd;

	if (!order)
		return;
	while (fgets(line, sizeof(line), order)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		snprintf(path, sizeof(path), "/modules/%s", line);
		snprintf(mod, sizeof(mod), "%.*s", (int)strcspn(line, "."),
			 line);
		module_params(mod, params, sizeof(params));
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || syscall(SYS_finit_module, fd, params, 0) < 0)
			printf("# runner: loading %s: %s\n", path,
			       strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	fclose(order);
}

/* Wait for the disks kt_disks=P.D,P.D... names to be in /sys/block. */
static void wait_for_disks(void)
{
	const char *list = getenv("kt_disks");
	char name[DISK_NAME_LEN];
	int port, dev, n, waited = 0;

	while (list && sscanf(list, "%d.%d%n", &port, &dev, &n) == 2) {
		while (disk_find(port, dev, name) && waited < DISK_WAIT_MS) {
			usleep(50 * 1000);
			waited += 50;
		}
		if (disk_find(port, dev, name))
			printf("# runner: no disk at ata%d.%02d after %d ms\n",
			       port, dev, waited);
		else
			printf("# runner: ata%d.%02d is %s\n", port, dev, name);
		list += n;
		list += *list == ',';
	}
}

/* Drop from names[0..n) what kt_only=NAME,NAME... does not name. */
static int select_tests(int n)
{
	const char *only = getenv("kt_only");
	char want[NAME_LEN + 2], all[512];
	int i, kept = 0;

	if (!only)
		return n;
	snprintf(all, sizeof(all), ",%s,", only);
	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want), ",%.*s,", NAME_LEN - 1, names[i]);
		if (strstr(all, want))
			memmove(names[kept++], names[i], NAME_LEN);
	}
	return kept;
}

int main(int argc, char **argv)
{
	/* As PID 1 its arguments are the kernel's command line's. */
	const char *dir = argc > 1 && getpid() != 1 ? argv[1] : "/tests";
	const char *listname;
	char list[256];
	int n, i, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (getpid() == 1) {
		/* Its own session, as inits make (Linux starts PID 1 in
		 * session 0, Kestrel in session 1): the same on both. */
		setsid();
		mount_early();
		load_modules();
		wait_for_disks();
	}
	listname = getenv("kt_list");
	if (!listname || strchr(listname, '/'))
		listname = "list";
	snprintf(list, sizeof(list), "%s/%s", dir, listname);
	n = read_list(list);
	if (n > 0)
		n = select_tests(n);
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
