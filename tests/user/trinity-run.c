/*
 * /init of the trinity initramfs: a bounded run of the trinity system-call
 * fuzzer (../shared/tools/trinity/, DESIGN.md section 5) as make test
 * runs it, reported in KTAP.
 *
 * It sets up what trinity expects of a system (/proc, /sys, /dev and a
 * tmpfs /tmp as the working directory), then runs trinity as the
 * unprivileged user nobody (uid and gid 65534, no groups), with a fixed
 * seed and a fixed number of calls, so a failure can be replayed:
 *
 *	trinity -q -l off -N CALLS -C CHILDREN -s SEED
 *
 * The checks: trinity's main process completes the run (exit status 0;
 * it exits 1 when it finds its shared state corrupted, and dies of a
 * signal if the kernel broke its memory), the run ends within its time
 * limit, and the kernel log has no oops, BUG, WARNING or panic line.
 * The seed, call count and children come from the kernel command line
 * (trinity.seed=, trinity.calls=, trinity.children=) so the harness can
 * vary them; this program reads them from /proc/cmdline.
 *
 * On Linux it runs the same way (the oracle: trinity completes there).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"

#define TRINITY "/tests/trinity"
#define NOBODY 65534
#define RUN_TIMEOUT 900 /* seconds; the harness has its own limit too */
#define SYSLOG_ACTION_READ_ALL 3
#define LOG_BUF_MAX (1 << 20)

/* Kernel log lines that mean the kernel itself went wrong. */
static const char *const bad_log[] = {
	"Oops",		"BUG:",		  "WARNING:",
	"Kernel panic", "Bad page",	  "general protection fault",
	"double fault", "stack overflow", "Unable to handle",
};

static void mount_one(const char *src, const char *dir, const char *type)
{
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		ktap_diag("mkdir %s: %s", dir, strerror(errno));
	if (mount(src, dir, type, 0, NULL) < 0)
		ktap_diag("mount %s on %s: %s", type, dir, strerror(errno));
}

static void setup_system(void)
{
	mount_one("proc", "/proc", "proc");
	mount_one("sysfs", "/sys", "sysfs");
	if (access("/dev/null", F_OK) < 0)
		mount_one("devtmpfs", "/dev", "devtmpfs");
	mount_one("tmpfs", "/tmp", "tmpfs");
	chmod("/tmp", 01777);
}

/* The value of "@key=" on the kernel command line, or @def. */
static const char *cmdline_value(const char *key, const char *def)
{
	static char line[1024];
	char *p, *end;
	int fd = open("/proc/cmdline", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, line, sizeof(line) - 1);

	if (fd >= 0)
		close(fd);
	line[n > 0 ? n : 0] = '\0';
	for (p = strtok(line, " \n"); p; p = strtok(NULL, " \n")) {
		end = strchr(p, '=');
		if (end && (size_t)(end - p) == strlen(key) &&
		    !strncmp(p, key, end - p))
			return strdup(end + 1);
	}
	return def;
}

static pid_t start_trinity(const char *calls, const char *children,
			   const char *seed)
{
	char *argv[] = { "trinity", "-q",	   "-l", "off",
			 "-N",	    (char *)calls, "-C", (char *)children,
			 "-s",	    (char *)seed,  NULL };
	pid_t pid = fork();

	if (pid == 0) {
		setsid();
		if (chdir("/tmp") || setgroups(0, NULL) || setgid(NOBODY) ||
		    setuid(NOBODY)) {
			perror("trinity-run: dropping privileges");
			_exit(126);
		}
		execv(TRINITY, argv);
		perror("trinity-run: exec " TRINITY);
		_exit(127);
	}
	return pid;
}

/* Wait for @pid; false if it outlived RUN_TIMEOUT (it is then killed). */
static bool wait_bounded(pid_t pid, int *status)
{
	int waited;

	for (waited = 0; waited < RUN_TIMEOUT * 10; waited++) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return true;
		usleep(100 * 1000);
	}
	kill(-pid, SIGKILL);
	waitpid(pid, status, 0);
	return false;
}

static void check_kernel_log(void)
{
	static char log[LOG_BUF_MAX + 1];
	int n = klogctl(SYSLOG_ACTION_READ_ALL, log, LOG_BUF_MAX), bad = 0;
	char *line, *save;
	unsigned int i;

	log[n > 0 ? n : 0] = '\0';
	for (line = strtok_r(log, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		for (i = 0; i < sizeof(bad_log) / sizeof(bad_log[0]); i++) {
			if (strstr(line, bad_log[i]) && bad++ < 20)
				ktap_diag("kernel: %s", line);
		}
	}
	ktap_ok(n > 0 && !bad, "the kernel logged no oops, BUG or WARNING");
}

int main(void)
{
	const char *seed, *calls, *children;
	int status = 0;
	bool done;
	pid_t pid;

	ktap_plan(3);
	setup_system();
	seed = cmdline_value("trinity.seed", "1");
	calls = cmdline_value("trinity.calls", "10000");
	children = cmdline_value("trinity.children", "4");
	ktap_diag("trinity -N %s -C %s -s %s as nobody", calls, children, seed);
	pid = start_trinity(calls, children, seed);
	done = pid > 0 && wait_bounded(pid, &status);
	/* Whatever trinity's children left behind goes now. */
	kill(-1, SIGKILL);
	while (wait(NULL) > 0)
		;
	ktap_ok(done, "trinity finished within %d s", RUN_TIMEOUT);
	if (!ktap_ok(done && WIFEXITED(status) && !WEXITSTATUS(status),
		     "trinity's main process completed the run"))
		ktap_diag("wait status 0x%x", status);
	check_kernel_log();
	ktap_exit();
	if (getpid() == 1) {
		sync();
		reboot(RB_POWER_OFF);
	}
	return ktap_failed ? 1 : 0;
}
