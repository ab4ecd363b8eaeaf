/*
 * The interval timers of setitimer/getitimer (ITIMER_REAL, ITIMER_VIRTUAL,
 * ITIMER_PROF) and alarm(): signals to a process after an amount of real
 * or CPU time, then periodically if an interval is set
 * (kernel/time/itimer.c).
 */
#ifndef _KESTREL_ITIMER_H
#define _KESTREL_ITIMER_H

struct task;

/* Cancel the process's timers when its last thread exits. */
void exit_itimers(struct task *t);

/* Send SIGVTALRM/SIGPROF to the running process if its CPU timers are
 * due. Called by every tick, interrupts disabled. */
void run_cpu_itimers(void);

#endif /* _KESTREL_ITIMER_H */
