/*
 * The interval timers of setitimer/getitimer (ITIMER_REAL, ITIMER_VIRTUAL,
 * ITIMER_PROF) and alarm(): signals to a process after an amount of real
 * or CPU time, then periodically if an interval is set
 * (kernel/time/itimer.c).
 */
#ifndef _KESTREL_ITIMER_H
#define _KESTREL_ITIMER_H

struct task;

/* Cancel the process's timers: called by the last of its threads to
 * enter do_exit(), before the signal_struct that holds them can go. */
void exit_itimers(struct task *t);

/* Send SIGVTALRM/SIGPROF to the running process if its CPU timers are
 * due. Called by every tick, interrupts disabled. */
void run_cpu_itimers(void);

#endif /* _KESTREL_ITIMER_H */
