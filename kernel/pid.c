/*
 * PID allocation: an IDA (lib/ida.c) of the numbers below
 * PID_MAX_DEFAULT, handed out in the cyclic order: each one after the
 * last given, so that a number is not reused soon after its task died
 * (a kill() aimed at the dead task must not hit a new one). PID 0 is the
 * idle task's and is never handed out.
 *
 * Numbers count up from 1 at boot. Once they have passed RESERVED_PIDS,
 * a wrap goes back to RESERVED_PIDS and not to 1: the low numbers stay
 * with the daemons started at boot, as on Linux.
 *
 *	1 2 3 ... 299 300 301 ... 32767 | 300 301 ... (skipping those in use)
 *
 * Lookup walks the task list; a hash comes with PID spaces.
 */
#include <kestrel/errno.h>
#include <kestrel/ida.h>
#include <kestrel/pid.h>
#include <kestrel/sched.h>

static DEFINE_IDA(pid_ida);

int alloc_pid(void)
{
	unsigned int min = 1;
	int pid;

	if (ida_get_cursor(&pid_ida) > RESERVED_PIDS)
		min = RESERVED_PIDS;
	pid = ida_alloc_cyclic(&pid_ida, min, PID_MAX_DEFAULT - 1, GFP_KERNEL);
	return pid == -ENOSPC ? -EAGAIN : pid;
}

void free_pid(int pid)
{
	if (pid > 0 && pid < PID_MAX_DEFAULT)
		ida_free(&pid_ida, (unsigned int)pid);
}

int last_pid_allocated(void)
{
	unsigned int next = ida_get_cursor(&pid_ida);

	return next ? (int)next - 1 : 0;
}

struct task *find_task_by_pid(int pid)
{
	struct task *p;

	lockdep_assert_held(&tasklist_lock);
	list_for_each_entry(p, &task_list, tasks)
		if (p->pid == pid)
			return p;
	return NULL;
}
