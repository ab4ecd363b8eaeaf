/*
 * /init of the bench initramfs (build/bench-initramfs.cpio): runs every
 * kbench subcommand of figures.h as "/bench/kbench SUB", each in its own
 * child and process group with a time limit, relays its output to the
 * console, and prints "BENCH <name> nan <unit>" for each figure the child
 * did not print (crash, timeout, exec failure). Then it powers off.
 *
 * The first thing it writes is the line "KBENCH-INIT start": the host
 * harness (scripts/run-bench, scripts/bench-linux) times QEMU start ->
 * that line as the boot_to_init_ms figure. The last is "KBENCH-INIT done".
 *
 * Then it mounts devtmpfs on /dev, devpts on /dev/pts, proc on /proc and
 * sysfs on /sys, as an init does (no kernel mounts them over an
 * initramfs): the pty figures open /dev/ptmx and /dev/pts/N, the disk
 * figures /dev/hda or /dev/sda and /sys/block/NAME/stat.
 *
 * A subcommand with a program of its own (figures.h: diskbench) runs as
 * "/bench/PROG SUB".
 *
 * On Linux the disk drivers are modules: scripts/bench-linux adds
 * /modules/ to the initramfs, the .ko files and a file "order" naming
 * them in dependency order (the layout of scripts/test-linux's boot).
 * init loads each with finit_module(2),
 * passing the "MODULE.param=value" words of /proc/cmdline that name it, as
 * modprobe does (libata.dma=0 for the PIO boot). Kestrel's initramfs has
 * no such directory.
 *
 * Environment (the kernel passes unknown name=value parameters to init):
 * KBENCH_REPS (repetitions per figure, kbench's default 5) is inherited;
 * KBENCH_ONLY=SUB[,SUB...] runs only those subcommands. Without it every
 * subcommand runs except those figures.h marks on_request (diskpio, which
 * the harness runs in a boot of its own with PIO forced).
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
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "figures.h"

#ifndef SUB_TIMEOUT
#define SUB_TIMEOUT 150 /* seconds per subcommand */
#endif
#define MARK_START "KBENCH-INIT start\n"
#define MOD_DIR "/modules" /* the layout of scripts/test-linux's boot */

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

/* devtmpfs on /dev, devpts on /dev/pts, proc, sysfs; as PID 1 only. */
static void mount_dev(void)
{
	if (getpid() != 1)
		return;
	mkdir("/proc", 0555);
	if (mount("proc", "/proc", "proc", 0, NULL) < 0)
		printf("# kbench-init: mount proc: %s\n", strerror(errno));
	mkdir("/sys", 0555);
	if (mount("sysfs", "/sys", "sysfs", 0, NULL) < 0)
		printf("# kbench-init: mount sysfs: %s\n", strerror(errno));
	mkdir("/dev", 0755);
	if (mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, NULL) < 0)
		printf("# kbench-init: mount devtmpfs: %s\n", strerror(errno));
	mkdir("/dev/pts", 0755);
	if (mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, NULL) <
	    0)
		printf("# kbench-init: mount devpts: %s\n", strerror(errno));
}

/* Make sure fds 0-2 are the console, in case the kernel did not open it. */
static void ensure_console(void)
{
	int fd;

	if (fcntl(1, F_GETFD) >= 0)
		return;
	fd = open("/dev/console", O_RDWR);
	if (fd < 0) {
		mkdir("/dev", 0755);
		mknod("/dev/console", S_IFCHR | 0600, makedev(5, 1));
		fd = open("/dev/console", O_RDWR);
	}
	if (fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

struct relay {
	char line[512];
	size_t len;
	int seen[KBENCH_MAX_FIGS];
	const struct kbench_sub *sub;
};

static void relay_line(struct relay *r)
{
	char name[128];
	int i;

	r->line[r->len] = '\0';
	fputs(r->line, stdout);
	if (sscanf(r->line, "BENCH %127s", name) == 1)
		for (i = 0; i < KBENCH_MAX_FIGS && r->sub->figs[i].name; i++)
			if (!strcmp(name, r->sub->figs[i].name))
				r->seen[i] = 1;
	r->len = 0;
}

static void relay_bytes(struct relay *r, const char *buf, ssize_t n)
{
	ssize_t i;

	for (i = 0; i < n; i++) {
		r->line[r->len++] = buf[i];
		if (buf[i] == '\n' || r->len == sizeof(r->line) - 2)
			relay_line(r);
	}
}

static void run_sub(const char *prog, const struct kbench_sub *sub)
{
	struct relay r = { .sub = sub };
	char buf[512], why[160] = "printed nothing";
	int pfd[2] = { -1, -1 }, status = 0, killed = 0, i;
	ssize_t n;
	pid_t pid;

	if (pipe(pfd) < 0) {
		printf("# kbench-init: pipe: %s; output not checked\n",
		       strerror(errno));
		pfd[0] = pfd[1] = -1;
	}
	timed_out = 0;
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		if (pfd[1] >= 0) {
			dup2(pfd[1], 1);
			dup2(pfd[1], 2);
			close(pfd[0]);
			close(pfd[1]);
		}
		execl(prog, prog, sub->sub, (char *)NULL);
		printf("# kbench-init: exec %s: %s\n", prog, strerror(errno));
		_exit(127);
	}
	if (pid < 0) {
		snprintf(why, sizeof(why), "fork: %s", strerror(errno));
		goto out;
	}
	setpgid(pid, pid);
	alarm(SUB_TIMEOUT);
	if (pfd[0] >= 0) {
		close(pfd[1]);
		pfd[1] = -1;
		while (!timed_out) {
			n = read(pfd[0], buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			relay_bytes(&r, buf, n);
		}
		if (r.len)
			relay_bytes(&r, "\n", 1);
		fflush(stdout);
	}
	if (timed_out) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		killed = 1;
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			status = -1;
			break;
		}
		if (timed_out && !killed) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			killed = 1;
		}
	}
	alarm(0);
	if (status == -1)
		snprintf(why, sizeof(why), "waitpid: %s", strerror(errno));
	else if (killed)
		snprintf(why, sizeof(why), "killed after %d s", SUB_TIMEOUT);
	else if (WIFSIGNALED(status))
		snprintf(why, sizeof(why), "killed by signal %d",
			 WTERMSIG(status));
	else if (WEXITSTATUS(status))
		snprintf(why, sizeof(why), "exit status %d",
			 WEXITSTATUS(status));
out:
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	if (pid > 0)
		kill(-pid, SIGKILL); /* stray grandchildren, if any */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	for (i = 0; i < KBENCH_MAX_FIGS && sub->figs[i].name; i++)
		if (!r.seen[i])
			printf("# kbench-init: %s: %s\nBENCH %s nan %s\n",
			       sub->sub, why, sub->figs[i].name,
			       sub->figs[i].unit);
	fflush(stdout);
}

/* KBENCH_ONLY, or every subcommand not run on request only. */
static int wanted(const struct kbench_sub *sub)
{
	const char *only = getenv("KBENCH_ONLY");
	size_t len = strlen(sub->sub);
	const char *p;

	if (!only || !*only)
		return !sub->on_request;
	for (p = only; (p = strstr(p, sub->sub)); p += len)
		if ((p == only || p[-1] == ',') &&
		    (p[len] == ',' || p[len] == '\0'))
			return 1;
	return 0;
}

/* /bench/PROG for a subcommand with a program of its own. */
static const char *sub_prog(const char *dflt, const struct kbench_sub *sub)
{
	static char path[256];

	if (!sub->prog)
		return dflt;
	snprintf(path, sizeof(path), "/bench/%s", sub->prog);
	return path;
}

/* Module @name as the kernel spells it: '-' read as '_'. */
static int same_module(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((a[i] == '-' ? '_' : a[i]) != (b[i] == '-' ? '_' : b[i]))
			return 0;
	return 1;
}

/* The "@mod.param=value" words of @cmdline, as "param=value ...". */
static void module_params(const char *cmdline, const char *mod, char *out,
			  size_t size)
{
	size_t len = strlen(mod), used = 0;
	const char *w = cmdline;

	out[0] = '\0';
	while (*w) {
		size_t wl = strcspn(w, " \n");

		if (wl > len + 1 && w[len] == '.' && same_module(w, mod, len) &&
		    used + wl - len < size)
			used += snprintf(out + used, size - used, "%s%.*s",
					 used ? " " : "", (int)(wl - len - 1),
					 w + len + 1);
		w += wl;
		w += strspn(w, " \n");
	}
}

static void read_cmdline(char *buf, size_t size)
{
	int fd = open("/proc/cmdline", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);

	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
}

/* Load the modules MOD_DIR/order names (Linux's disk drivers), if any. */
static void load_modules(void)
{
	char cmdline[1024], name[64], path[160], params[256];
	FILE *order = fopen(MOD_DIR "/order", "r");
	int fd, loaded = 0;

	if (!order)
		return;
	read_cmdline(cmdline, sizeof(cmdline));
	while (fscanf(order, "%63s", name) == 1) {
		snprintf(path, sizeof(path), MOD_DIR "/%s", name);
		name[strcspn(name, ".")] = '\0'; /* "sd_mod.ko" -> "sd_mod" */
		module_params(cmdline, name, params, sizeof(params));
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || syscall(SYS_finit_module, fd, params, 0) < 0)
			printf("# kbench-init: load %s: %s\n", path,
			       strerror(errno));
		else
			loaded++;
		if (fd >= 0)
			close(fd);
	}
	fclose(order);
	printf("# kbench-init: loaded %d modules from " MOD_DIR "\n", loaded);
}

int main(int argc, char **argv)
{
	const char *prog = argc > 1 ? argv[1] : "/bench/kbench";
	struct sigaction sa;
	struct utsname u;
	size_t i;

	ensure_console();
	/* If even this fails there is no console: run anyway, power off. */
	if (write(1, MARK_START, strlen(MARK_START)) < 0)
		(void)0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm; /* no SA_RESTART: a read must return */
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	mount_dev();
	if (uname(&u) == 0)
		printf("# kbench-init: %s %s %s\n", u.sysname, u.release,
		       u.machine);
	load_modules();
	for (i = 0; i < KBENCH_NSUBS; i++)
		if (wanted(&kbench_subs[i]))
			run_sub(sub_prog(prog, &kbench_subs[i]),
				&kbench_subs[i]);
	printf("KBENCH-INIT done\n");
	fflush(stdout);
	if (getpid() == 1) {
		sync();
		reboot(RB_POWER_OFF);
		for (;;)
			pause();
	}
	return 0;
}
