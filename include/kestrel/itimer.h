/*
 * ITIMER_REAL and alarm(): SIGALRM to a process after a delay, then
 * periodically if an interval is set (kernel/time/itimer.c).
 */
#ifndef _KESTREL_ITIMER_H
#define _KESTREL_ITIMER_H

struct task;

/* Cancel the process's timer when its last thread exits. */
void exit_itimers(struct task *t);

#endif /* _KESTREL_ITIMER_H */
