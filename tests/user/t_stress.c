/*
 * Stress: many processes forking, exec-ing and exiting at once for a
 * while, then a check that nothing leaked: on Kestrel, free memory
 * (sysinfo) comes back to what it was after a warm-up round, within a
 * small margin for caches that legitimately grew.
 *
 * Up to MAX_LIVE children are alive at once; each one either exits at
 * once, or execs this program with "child" (which exits), or forks a
 * grandchild first. The run lasts RUN_SECONDS.
 */
#include "ktap.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_LIVE 200
#define RUN_SECONDS 30
#define WARMUP_ROUNDS 50
#define LEAK_MARGIN (4UL << 20) /* bytes */

static const char *self;

static unsigned long free_bytes(void)
{
	struct sysinfo si;

	if (sysinfo(&si))
		return 0;
	return si.freeram * (unsigned long)si.mem_unit;
}

static bool on_kestrel(void)
{
	struct utsname u;

	return !uname(&u) && strstr(u.version, "Kestrel") != NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void child_work(unsigned int i)
{
	switch (i % 3) {
	case 0:
		_exit(0);
	case 1:
		execl(self, self, "child", (char *)NULL);
		_exit(3); /* exec failed */
	default:
		if (fork() == 0)
			_exit(0);
		wait(NULL);
		_exit(0);
	}
}

/* Run @rounds children (or until @until), MAX_LIVE at a time. Returns
 * the number of children that did not exit with status 0. */
static int churn(unsigned int rounds, double until, unsigned long *started)
{
	unsigned int live = 0, i = 0;
	int status, bad = 0;
	pid_t pid;

	while ((rounds && i < rounds) || (!rounds && now() < until)) {
		if (live < MAX_LIVE) {
			pid = fork();
			if (pid == 0)
				child_work(i);
			if (pid > 0) {
				live++;
				i++;
				continue;
			}
		}
		if (wait(&status) > 0) {
			live--;
			if (!WIFEXITED(status) || WEXITSTATUS(status))
				bad++;
		}
	}
	while (live && wait(&status) > 0) {
		live--;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	}
	*started += i;
	return bad;
}

int main(int argc, char **argv)
{
	unsigned long before, after, started = 0;
	int bad;

	if (argc > 1 && !strcmp(argv[1], "child"))
		return 0;
	/* The runner passes the full path; a relative one works from cwd. */
	self = argv[0];
	ktap_plan(3);
	churn(WARMUP_ROUNDS, 0, &started);
	before = free_bytes();
	bad = churn(0, now() + RUN_SECONDS, &started);
	after = free_bytes();
	ktap_ok(bad == 0, "all children exited cleanly");
	if (bad)
		ktap_diag("%d of %lu children failed", bad, started);
	ktap_ok(started > 100, "many processes ran (%lu)", started);
	/* Linux's free memory moves with its caches: the leak check is
	 * Kestrel's (a kernel without a page cache yet). */
	if (on_kestrel())
		ktap_ok(after + LEAK_MARGIN >= before, "no memory leaked");
	else
		ktap_skip("no memory leaked",
			  "free memory follows caches here");
	ktap_diag("free before %lu KiB, after %lu KiB, %lu children",
		  before >> 10, after >> 10, started);
	return ktap_exit();
}
