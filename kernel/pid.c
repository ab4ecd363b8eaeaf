/*
 * PID allocation: a bitmap of PID_MAX_DEFAULT numbers, handed out in
 * increasing order from the last one given (so a number is not reused
 * soon after its task died), wrapping to RESERVED_PIDS. PID 0 is the
 * idle task's and is never handed out.
 *
 * Lookup walks the task list; a hash comes with PID spaces.
 */
#include <kestrel/errno.h>
#include <kestrel/pid.h>
#include <kestrel/sched.h>
#include <kestrel/spinlock.h>

#define BITS_PER_WORD (8 * sizeof(unsigned long))

static unsigned long pid_bitmap[PID_MAX_DEFAULT / BITS_PER_WORD];
static int last_pid;
static DEFINE_SPINLOCK(pidmap_lock); /* pid_bitmap, last_pid */

static bool pid_test_and_set(int pid)
{
	unsigned long bit = 1UL << (pid % BITS_PER_WORD);
	unsigned long *word = &pid_bitmap[pid / BITS_PER_WORD];

	if (*word & bit)
		return true;
	*word |= bit;
	return false;
}

int alloc_pid(void)
{
	unsigned long flags;
	int pid, tries;

	spin_lock_irqsave(&pidmap_lock, flags);
	pid = last_pid;
	for (tries = 0; tries < PID_MAX_DEFAULT; tries++) {
		if (++pid >= PID_MAX_DEFAULT)
			pid = RESERVED_PIDS;
		if (!pid_test_and_set(pid)) {
			last_pid = pid;
			spin_unlock_irqrestore(&pidmap_lock, flags);
			return pid;
		}
	}
	spin_unlock_irqrestore(&pidmap_lock, flags);
	return -EAGAIN;
}

void free_pid(int pid)
{
	unsigned long flags;

	if (pid <= 0 || pid >= PID_MAX_DEFAULT)
		return;
	spin_lock_irqsave(&pidmap_lock, flags);
	pid_bitmap[pid / BITS_PER_WORD] &= ~(1UL << (pid % BITS_PER_WORD));
	spin_unlock_irqrestore(&pidmap_lock, flags);
}

int last_pid_allocated(void)
{
	return READ_ONCE(last_pid);
}

struct task *find_task_by_pid(int pid)
{
	struct task *p;

	list_for_each_entry(p, &task_list, tasks)
		if (p->pid == pid)
			return p;
	return NULL;
}
