/*
 * Kernel threads. Each has a struct kthread (owned by its task, freed
 * with it) holding the function to run, the stop request and the
 * completion kthread_stop() waits on.
 */
#include <asm/switch_to.h>
#include <kestrel/completion.h>
#include <kestrel/err.h>
#include <kestrel/kthread.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>

struct kthread {
	int (*fn)(void *data);
	void *data;
	bool should_stop; /* set by kthread_stop() */
	int result; /* what fn returned */
	struct completion exited;
};

/* The first C function of every kernel thread (ret_from_kernel_thread). */
static void kthread_main(void)
{
	struct kthread *k = current->kthread;

	kthread_exit(k->fn(k->data));
}

struct task *kthread_create(int (*fn)(void *data), void *data, const char *name)
{
	struct kthread *k;
	struct task *task;

	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return ERR_PTR(-ENOMEM);
	task = alloc_task(name);
	if (!task) {
		kfree(k);
		return ERR_PTR(-ENOMEM);
	}
	k->fn = fn;
	k->data = data;
	init_completion(&k->exited);
	task->kthread = k;
	task->flags |= PF_KTHREAD;
	arch_setup_kthread(task, kthread_main);
	return task;
}

struct task *kthread_run(int (*fn)(void *data), void *data, const char *name)
{
	struct task *task = kthread_create(fn, data, name);

	if (!IS_ERR(task))
		wake_up_new_task(task);
	return task;
}

bool kthread_should_stop(void)
{
	struct kthread *k = current->kthread;

	return k && READ_ONCE(k->should_stop);
}

int kthread_stop(struct task *task)
{
	struct kthread *k = task->kthread;
	int result;

	get_task_struct(task);
	WRITE_ONCE(k->should_stop, true);
	wake_up_process(task);
	wait_for_completion(&k->exited);
	result = k->result;
	put_task_struct(task);
	return result;
}

void kthread_exit(int result)
{
	struct kthread *k = current->kthread;

	k->result = result;
	complete_all(&k->exited);
	do_exit_task(result);
}
