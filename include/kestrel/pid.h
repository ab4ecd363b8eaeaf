/*
 * Process IDs. Every number a task is known by is handed out and looked
 * up here, so that PID spaces (pspaces) can be added behind this
 * interface without touching its users.
 */
#ifndef _KESTREL_PID_H
#define _KESTREL_PID_H

struct task;

#define PID_MAX_DEFAULT 32768
#define RESERVED_PIDS 300 /* after wrapping, numbers restart here */

/*
 * A free PID, the next after the last one handed out (kernel/pid.c), or
 * -EAGAIN when all are taken, -ENOMEM. May sleep (the IDA may grow).
 */
int alloc_pid(void);
/* Give @pid back. Any context (the last put_task_struct). */
void free_pid(int pid);
/* The number alloc_pid() handed out last (/proc/loadavg). Any context. */
int last_pid_allocated(void);
/* The task with thread id @pid, or NULL. Caller holds tasklist_lock. */
struct task *find_task_by_pid(int pid);

#endif /* _KESTREL_PID_H */
