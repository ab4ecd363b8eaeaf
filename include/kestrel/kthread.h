/*
 * Kernel threads: tasks that run a kernel function on their own stack,
 * with no user address space.
 *
 *	struct task *t = kthread_run(worker, data, "worker");
 *	...
 *	int ret = kthread_stop(t);	-- worker sees kthread_should_stop()
 *
 * A thread that will be stopped with kthread_stop() must keep running
 * until kthread_should_stop() says so (Linux's rule): kthread_stop() of
 * a thread that already ended on its own is a use after free.
 */
#ifndef _KESTREL_KTHREAD_H
#define _KESTREL_KTHREAD_H

#include <kestrel/compiler.h>

struct task;

/*
 * Create a thread that will run @fn(@data), named @name; it does not
 * run until wake_up_process(). Returns ERR_PTR(-ENOMEM) on failure.
 * May sleep.
 */
struct task *kthread_create(int (*fn)(void *data), void *data,
			    const char *name);
/* kthread_create() and start it. */
struct task *kthread_run(int (*fn)(void *data), void *data, const char *name);
/* Ask @task to stop, wait until it has, return what @fn returned. */
int kthread_stop(struct task *task);
/* True in a kernel thread once kthread_stop() was called on it. */
bool kthread_should_stop(void);
/* End the calling kernel thread with @result. */
void __noreturn kthread_exit(int result);

#endif /* _KESTREL_KTHREAD_H */
