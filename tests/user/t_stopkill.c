/*
 * Stop, continue, kill: a stopped and continued process must still die
 * of the SIGTERM sent right after the SIGCONT, whatever it was waiting
 * in. The scripted shell session's job_ctrl_z_bg case (^Z, bg, kill %1)
 * once saw a job still "Running" after the kill; this drives the same
 * sequence hundreds of times, faster than a shell can:
 *
 *	fork a child that blocks (see enum waiter) in a group of its own
 *	SIGSTOP or SIGTSTP it; waitpid(WUNTRACED) until it has stopped
 *	SIGCONT it; then SIGTERM it after a varying delay (none, a yield,
 *	    a short spin, a short sleep), so that the SIGTERM lands at every
 *	    point of the way back: waking, reporting CLD_CONTINUED,
 *	    restarting the interrupted call (restart_syscall for nanosleep),
 *	    and blocked again
 *	waitpid with a deadline: a child not dead of SIGTERM within
 *	    DEATH_TIMEOUT_MS missed the signal's wake-up
 *
 * A sibling burns CPU the whole time, so that the child is preempted at
 * random points of its path too. Every wait is bounded: an interval
 * timer interrupts waitpid, and a child that outlives its deadline is
 * killed with SIGKILL.
 *
 *	tests/user/t_stopkill               run every case
 *	tests/user/t_stopkill sleeper FD    (internal) the exec'd child:
 *	                                    writes a byte to FD, then sleeps
 */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"

#define ROUNDS 48 /* stop/continue/kill rounds per waiter */
#define DEATH_TIMEOUT_MS 2000 /* SIGTERM to death, under a loaded host */
#define STOP_TIMEOUT_MS 5000 /* one expected stop */
#define LONG_SLEEP_SEC 100 /* the child's nanosleep: "sleep 100" */
#define NR_DELAYS 5 /* kinds of pause between SIGCONT and SIGTERM */
#define SPIN_STEP_NS 20000 /* a spin lasts a multiple of this */
#define NAP_STEP_NS 150000 /* a short sleep lasts a multiple of this */
#define LONG_NAP_STEP_NS 5000000 /* and a long one (asleep again) this */
#define DELAY_STEPS 7

/* What the child blocks in when it is stopped. */
enum waiter {
	WAIT_NANOSLEEP, /* restarts through restart_syscall */
	WAIT_EXEC_SLEEP, /* the same after an exec, as sleep(1) does it */
	WAIT_PAUSE, /* -ERESTARTNOHAND */
	WAIT_PIPE_READ, /* -ERESTARTSYS */
	WAIT_FUTEX, /* -ERESTARTSYS from the futex queue */
	WAIT_THREADS, /* nanosleep, with a second thread in pause() */
	NR_WAITERS
};

static const char *const waiter_name[NR_WAITERS] = {
	"nanosleep", "an exec'd nanosleep", "pause",
	"pipe read", "futex wait",	    "two-thread nanosleep",
};

static const char *self_path;

static volatile sig_atomic_t timed_out;

static void on_timer(int sig)
{
	(void)sig;
	timed_out = 1;
}

static void set_timer_ms(int ms)
{
	struct itimerval it = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

/* waitpid() that gives up after @ms: returns 0 then. */
static pid_t wait_bounded(pid_t pid, int *st, int options, int ms)
{
	pid_t r;

	timed_out = 0;
	set_timer_ms(ms);
	do
		r = waitpid(pid, st, options);
	while (r < 0 && errno == EINTR && !timed_out);
	set_timer_ms(0);
	return r < 0 && timed_out ? 0 : r;
}

static void *pause_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* Sleep as busybox's sleep does: the time left, again after EINTR. */
static void long_sleep(void)
{
	struct timespec ts = { LONG_SLEEP_SEC, 0 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The child: block in @w until killed; never returns. */
static void __attribute__((noreturn)) block_in(enum waiter w, int ready_fd)
{
	static uint32_t futex_word;
	pthread_t thread;
	char fd_arg[16];
	int p[2];
	char c = 'r';

	if (w == WAIT_EXEC_SLEEP) {
		snprintf(fd_arg, sizeof(fd_arg), "%d", ready_fd);
		execl(self_path, self_path, "sleeper", fd_arg, (char *)NULL);
		_exit(2);
	}
	if (w == WAIT_PIPE_READ && pipe(p))
		_exit(2);
	if (w == WAIT_THREADS &&
	    pthread_create(&thread, NULL, pause_forever, NULL))
		_exit(2);
	if (write(ready_fd, &c, 1) != 1)
		_exit(2);
	switch (w) {
	case WAIT_NANOSLEEP:
	case WAIT_THREADS:
		long_sleep();
		break;
	case WAIT_PAUSE:
		pause();
		break;
	case WAIT_PIPE_READ:
		if (read(p[0], &c, 1) < 0)
			_exit(3);
		break;
	case WAIT_FUTEX:
		syscall(SYS_futex, &futex_word, FUTEX_WAIT, 0, NULL, NULL, 0);
		break;
	default:
		break;
	}
	_exit(1); /* woke up without dying: wrong either way */
}

static pid_t fork_waiter(enum waiter w)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		setpgid(0, 0); /* SIGTSTP stops only a non-orphaned group */
		block_in(w, p[1]);
	}
	close(p[1]);
	if (pid > 0 && read(p[0], &c, 1) != 1)
		pid = -1;
	close(p[0]);
	return pid;
}

static void spin_ns(long ns)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((b.tv_sec - a.tv_sec) * 1000000000L + b.tv_nsec - a.tv_nsec <
	       ns);
}

/* Round @i's pause between SIGCONT and SIGTERM. */
static void delay_for_round(int i)
{
	int step = i / NR_DELAYS % DELAY_STEPS;
	struct timespec ts = { 0, NAP_STEP_NS * step };

	switch (i % NR_DELAYS) {
	case 0: /* none: SIGTERM before the child has run */
		break;
	case 1:
		sched_yield();
		break;
	case 2:
		spin_ns(SPIN_STEP_NS * (step + 1));
		break;
	case 3:
		nanosleep(&ts, NULL);
		break;
	default: /* the child is back in its call */
		ts.tv_nsec = LONG_NAP_STEP_NS * (step + 1);
		nanosleep(&ts, NULL);
		break;
	}
}

/*
 * One round: stop, continue and kill a child blocked in @w. Returns 0,
 * or a short description of what went wrong.
 */
static const char *stop_cont_kill(enum waiter w, int i)
{
	int stop_sig = i % 2 ? SIGTSTP : SIGSTOP, st = 0;
	pid_t pid = fork_waiter(w);

	if (pid < 0)
		return "fork or the ready pipe failed";
	kill(pid, stop_sig);
	if (wait_bounded(pid, &st, WUNTRACED, STOP_TIMEOUT_MS) != pid ||
	    !WIFSTOPPED(st)) {
		kill(pid, SIGKILL);
		wait_bounded(pid, &st, 0, STOP_TIMEOUT_MS);
		return "the child did not stop";
	}
	kill(pid, SIGCONT);
	delay_for_round(i);
	kill(pid, SIGTERM);
	if (wait_bounded(pid, &st, 0, DEATH_TIMEOUT_MS) == pid)
		return WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM ?
			       NULL :
			       "the child ended otherwise than by SIGTERM";
	kill(pid, SIGKILL);
	wait_bounded(pid, &st, 0, STOP_TIMEOUT_MS);
	return "the child was still alive after the SIGTERM";
}

static void test_waiter(enum waiter w)
{
	int i, failed = 0;

	for (i = 0; i < ROUNDS; i++) {
		const char *r = stop_cont_kill(w, i);

		if (!r)
			continue;
		if (!failed++)
			ktap_diag("round %d (%s, delay kind %d): %s", i,
				  i % 2 ? "SIGTSTP" : "SIGSTOP", i % NR_DELAYS,
				  r);
	}
	ktap_ok(!failed,
		"a stopped, continued child in %s dies of SIGTERM (%d of %d)",
		waiter_name[w], ROUNDS - failed, ROUNDS);
}

/* A sibling that keeps the CPU busy until it is killed. */
static pid_t fork_burner(void)
{
	pid_t pid = fork();
	volatile unsigned long x = 0;

	if (pid == 0) {
		for (;;)
			x++;
	}
	return pid;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	pid_t burner;
	int st, w;

	self_path = argv[0];
	if (argc == 3 && !strcmp(argv[1], "sleeper")) {
		if (write(atoi(argv[2]), "r", 1) != 1)
			return 2;
		long_sleep();
		return 1;
	}
	ktap_plan(NR_WAITERS);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_timer; /* no SA_RESTART: it ends a waitpid */
	sigaction(SIGALRM, &sa, NULL);
	burner = fork_burner();
	for (w = 0; w < NR_WAITERS; w++)
		test_waiter(w);
	if (burner > 0) {
		kill(burner, SIGKILL);
		waitpid(burner, &st, 0);
	}
	return ktap_exit();
}
