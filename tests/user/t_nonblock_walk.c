/*
 * Reading every file under /proc, /sys and /dev with O_NONBLOCK must
 * finish, the way `find /proc -type f | xargs head`
 * style walkers read them.
 *
 * Every regular file and character device (symlinks are not followed)
 * is opened O_RDONLY | O_NONBLOCK | O_NOCTTY and read, up to 64 KiB,
 * under a per-file alarm. A file whose open or read is still waiting
 * when the alarm rings is reported: with O_NONBLOCK a read must return
 * data, end of file or EAGAIN, never sleep. A regular file that states
 * its size (sysfs attributes do) must not yield more bytes than that:
 * a read that never reaches end of file makes such walkers loop.
 *
 * A walker trusts readdir's d_type, as LTP's read_all does: a symlink
 * reported as a directory would send it round /proc/self/root forever,
 * so d_type must agree with lstat.
 *
 * The walk meets live terminals and tasks in every state: the test takes
 * a pty as its controlling terminal with half a line typed into it, and
 * keeps children sleeping in a read, stopped, a zombie, a parent waiting
 * in vfork() and a process whose leader thread has exited. /dev is
 * walked once more from a background process group with SIGTTIN
 * ignored: reads of the terminal must then fail with EIO.
 *
 * Nothing is written. Left out, for their side effects, as a walker of
 * real systems would leave them: /dev/port (reads hardware I/O ports)
 * and watchdogs (opening one arms it).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"
#include "util.h"

#define READ_CAP (64 * 1024) /* bytes read from one file at most */
#define GUARD_SECONDS 3 /* a file that takes longer is waiting */
#define BACKGROUND_SECONDS 60 /* for the whole background walk */
#define MAX_REPORTS 16 /* offenders named per tree */

/* What the walk of one tree found. */
struct walk {
	int files; /* opened and read */
	int waited; /* still in open or read at the alarm */
	int overlong; /* more bytes than their stated size */
	int mistyped; /* readdir's d_type is not lstat's type */
};

static char buf[READ_CAP];
static volatile sig_atomic_t rang;

static void on_alarm(int sig)
{
	(void)sig;
	rang = 1;
}

static bool skipped(const char *path, const char *name)
{
	return !strcmp(path, "/dev/port") || !strncmp(name, "watchdog", 8);
}

/* Read @path as a walker would; count and name what goes wrong. */
static void read_one(const char *path, const struct stat *st, struct walk *w)
{
	ssize_t n = 0, total = 0;
	int fd;

	rang = 0;
	alarm(GUARD_SECONDS);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	while (fd >= 0 && total < READ_CAP &&
	       (n = read(fd, buf, READ_CAP - total)) > 0)
		total += n;
	alarm(0);
	if (fd >= 0) {
		w->files++;
		close(fd);
	}
	if (rang && w->waited++ < MAX_REPORTS)
		ktap_diag("%s: still waiting after %d s (%s, %zd bytes)", path,
			  GUARD_SECONDS, fd < 0 ? "open" : "read", total);
	if (S_ISREG(st->st_mode) && st->st_size > 0 && total > st->st_size &&
	    w->overlong++ < MAX_REPORTS)
		ktap_diag("%s: read %zd bytes, its size is %lld", path, total,
			  (long long)st->st_size);
}

static void walk(const char *dirpath, struct walk *w)
{
	DIR *d = opendir(dirpath);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[PATH_MAX];
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dirpath, e->d_name);
		if (lstat(path, &st) < 0 || skipped(path, e->d_name))
			continue;
		if (e->d_type != DT_UNKNOWN &&
		    e->d_type != IFTODT(st.st_mode) &&
		    w->mistyped++ < MAX_REPORTS)
			ktap_diag("%s: d_type %d, but lstat says mode 0%o",
				  path, e->d_type, st.st_mode);
		if (S_ISDIR(st.st_mode))
			walk(path, w);
		else if (S_ISREG(st.st_mode) || S_ISCHR(st.st_mode))
			read_one(path, &st, w);
	}
	closedir(d);
}

static void check_tree(const char *root)
{
	struct walk w = { 0 };

	walk(root, &w);
	ktap_diag("%s: %d files read", root, w.files);
	ktap_ok(w.files > 0 && w.waited == 0,
		"every file under %s reads without waiting", root);
	ktap_ok(w.overlong == 0, "no file under %s reads past its size", root);
	ktap_ok(w.mistyped == 0, "readdir under %s gives each entry its type",
		root);
}

/* ---- tasks in every state, for /proc/<pid> ------------------------------ */

#define NR_SUBJECTS 5

static pid_t subjects[NR_SUBJECTS];
static int hold[2]; /* the blocked readers wait on this pipe */

static pid_t spawn_sleeper(void)
{
	pid_t pid = fork();
	char c;

	if (pid == 0) {
		close(hold[1]);
		read(hold[0], &c, 1); /* blocked until the test ends */
		_exit(0);
	}
	return pid;
}

/* A parent blocked in vfork() while its child sleeps in the shared mm. */
static pid_t spawn_vforker(void)
{
	pid_t pid = fork();
	char c;

	if (pid == 0) {
		close(hold[1]);
		if (vfork() == 0) {
			read(hold[0], &c, 1);
			_exit(0);
		}
		_exit(0);
	}
	return pid;
}

static void *thread_sleeps(void *arg)
{
	char c;

	read(*(int *)arg, &c, 1);
	return NULL;
}

/*
 * A process of two threads whose leader has exited: the leader stays
 * a zombie while the other thread sleeps in a read.
 */
static pid_t spawn_threaded(void)
{
	pid_t pid = fork();
	pthread_t t;

	if (pid == 0) {
		close(hold[1]);
		pthread_create(&t, NULL, thread_sleeps, &hold[0]);
		pthread_exit(NULL);
	}
	return pid;
}

/*
 * Tasks in the states a walker of /proc meets: sleeping in a read,
 * stopped, a zombie, a parent waiting in vfork() and its child. Each
 * is a child of this test; reap_subjects() ends them.
 */
static void spawn_subjects(void)
{
	if (pipe(hold) < 0)
		return;
	subjects[0] = spawn_sleeper();
	subjects[1] = spawn_sleeper();
	kill(subjects[1], SIGSTOP);
	subjects[2] = fork();
	if (subjects[2] == 0)
		_exit(0); /* a zombie until reaped */
	subjects[3] = spawn_vforker();
	subjects[4] = spawn_threaded();
	usleep(100 * 1000); /* let them reach their states */
}

static void reap_subjects(void)
{
	int i;

	close(hold[0]);
	close(hold[1]);
	for (i = 0; i < NR_SUBJECTS; i++) {
		if (subjects[i] <= 0)
			continue;
		kill(subjects[i], SIGKILL);
		waitpid(subjects[i], NULL, 0);
	}
}

/*
 * Make a pty this process's controlling terminal (in a new session), so
 * that /dev/tty and a /dev/pts slave are live terminals during the walk.
 * Returns the master, or -1.
 */
static int take_a_terminal(void)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY), slave;

	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
	    setsid() < 0)
		return -1;
	slave = open(ptsname(master), O_RDWR); /* becomes the ctty */
	if (slave < 0)
		return -1;
	write(master, "partial", 7); /* a line begun, not ended */
	return master;
}

/*
 * Walk /dev again from a background process group of our terminal, with
 * SIGTTIN ignored, as LTP's read_all workers run: reads of the terminal
 * must fail with EIO, not stop or wait. True if the walk finished clean.
 */
static bool background_walk(void)
{
	pid_t pid = fork();
	int st = -1;

	if (pid == 0) {
		struct walk w = { 0 };

		setpgid(0, 0);
		signal(SIGTTIN, SIG_IGN);
		walk("/dev", &w);
		_exit(w.files > 0 && !w.waited ? 0 : 1);
	}
	alarm(BACKGROUND_SECONDS);
	if (waitpid(pid, &st, 0) < 0) {
		ktap_diag("the background walk is still running after %d s",
			  BACKGROUND_SECONDS);
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	alarm(0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* ---- the walk as LTP's read_all does it -------------------------------- */

#define QUEUE_LEN 64
#define NR_WORKERS 2
#define SHARED_WALK_SECONDS 60

/*
 * read_all hands paths to worker processes through a queue in shared
 * memory guarded by process-shared semaphores: every wait and post is a
 * FUTEX_WAIT/FUTEX_WAKE on a word in a MAP_SHARED page, between
 * processes. Before futexes were keyed on the shared page, a worker
 * waiting for work never heard the walker's post, every worker stalled
 * and read_all timed out on every tree.
 */
struct work_queue {
	sem_t lock, filled, room;
	int head, tail;
	char path[QUEUE_LEN][PATH_MAX];
};

enum queue_op { QUEUE_TAKE, QUEUE_PUT };

/* Put @path in the queue, or take one out; false if interrupted. */
static bool queue_move(struct work_queue *q, char *path, enum queue_op op)
{
	bool put = op == QUEUE_PUT;

	if (sem_wait(put ? &q->room : &q->filled))
		return false;
	if (sem_wait(&q->lock)) {
		sem_post(put ? &q->room : &q->filled);
		return false;
	}
	if (put)
		memcpy(q->path[q->tail++ % QUEUE_LEN], path, PATH_MAX);
	else
		memcpy(path, q->path[q->head++ % QUEUE_LEN], PATH_MAX);
	sem_post(&q->lock);
	sem_post(put ? &q->filled : &q->room);
	return true;
}

static void worker(struct work_queue *q)
{
	char path[PATH_MAX];
	int fd;

	for (;;) {
		if (!queue_move(q, path, QUEUE_TAKE) || !path[0])
			_exit(0);
		fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
		if (fd >= 0) {
			read(fd, buf, 1024); /* one read, as read_all */
			close(fd);
		}
	}
}

/* Queue every regular file under @dirpath; false if interrupted. */
static bool queue_tree(struct work_queue *q, const char *dirpath)
{
	DIR *d = opendir(dirpath);
	char path[PATH_MAX];
	struct dirent *e;
	bool ok = true;

	while (ok && d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dirpath, e->d_name);
		if (e->d_type == DT_DIR)
			ok = queue_tree(q, path);
		else if (e->d_type == DT_REG)
			ok = queue_move(q, path, QUEUE_PUT);
	}
	if (d)
		closedir(d);
	return ok;
}

/* Walk /proc with read_all's workers; true if all of them finished. */
static bool shared_queue_walk(void)
{
	struct work_queue *q = mmap(NULL, sizeof(*q), PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pids[NR_WORKERS];
	char stop[PATH_MAX] = "";
	int i, st, done = 0;

	if (q == MAP_FAILED || sem_init(&q->lock, 1, 1) ||
	    sem_init(&q->filled, 1, 0) || sem_init(&q->room, 1, QUEUE_LEN))
		return false;
	for (i = 0; i < NR_WORKERS; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			worker(q);
	}
	rang = 0;
	alarm(SHARED_WALK_SECONDS);
	if (queue_tree(q, "/proc"))
		for (i = 0; i < NR_WORKERS; i++)
			if (!queue_move(q, stop, QUEUE_PUT))
				break;
	for (i = 0; i < NR_WORKERS; i++) {
		if (rang)
			kill(pids[i], SIGKILL);
		if (waitpid(pids[i], &st, 0) == pids[i] && WIFEXITED(st) &&
		    !WEXITSTATUS(st))
			done++;
	}
	alarm(0);
	if (rang)
		ktap_diag("the workers still waited after %d s",
			  SHARED_WALK_SECONDS);
	munmap(q, sizeof(*q));
	return done == NR_WORKERS;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART */

	ktap_plan(11);
	sigaction(SIGALRM, &sa, NULL);
	mount_sys_and_dev();
	mount_devpts();
	spawn_subjects();
	if (take_a_terminal() < 0)
		ktap_diag("no controlling terminal: %s", strerror(errno));
	check_tree("/proc");
	check_tree("/sys");
	check_tree("/dev");
	ktap_ok(background_walk(),
		"a background walker (SIGTTIN ignored) reads /dev too");
	ktap_ok(shared_queue_walk(),
		"read_all's workers, fed through shared semaphores, walk /proc");
	reap_subjects();
	return ktap_exit();
}
