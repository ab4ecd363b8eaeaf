/*
 * Private interface between the parts of init (user/init/): the early
 * setup (setup.c), the console shells (console.c) and the main loop with
 * the shutdown sequence (init.c). See init.c for the design and
 * docs/init.md for the system image around it.
 */
#ifndef KESTREL_USER_INIT_H
#define KESTREL_USER_INIT_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#define MAX_CONSOLES 8
#define TTY_PATH_MAX 32

/**
 * struct console - one terminal init keeps a login shell on
 * @path:	the device, e.g. "/dev/ttyS0"
 * @pid:	the shell's pid, 0 while none runs
 * @started:	when the shell was started (CLOCK_MONOTONIC seconds)
 * @next_start:	earliest time to start the next shell (respawn limit)
 * @fast_exits:	shells in a row that lived less than RESPAWN_FAST_SECS
 *
 * init is one thread; the table is touched only from its main loop.
 */
struct console {
	char path[TTY_PATH_MAX];
	pid_t pid;
	time_t started;
	time_t next_start;
	int fast_exits;
};

void init_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
time_t monotonic_seconds(void);

void mount_early_filesystems(void);
void set_hostname(void);
pid_t start_rc(void);

int find_consoles(struct console *tab, int max);
void console_start(struct console *con);
void console_exited(struct console *con, int status);

#endif /* KESTREL_USER_INIT_H */
