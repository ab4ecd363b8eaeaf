/*
 * fork, vfork and clone: making a new task out of the current one.
 *
 * copy_process() builds the child: a task and kernel stack, then, for
 * each resource, either a share (the CLONE_* flag is set: take a
 * reference) or a copy: the address space (CLONE_VM; a copy is
 * copy-on-write, mm/memory.c), open files (CLONE_FILES), cwd and root
 * (CLONE_FS), signal handlers (CLONE_SIGHAND) and the process itself
 * (CLONE_THREAD: the child is another thread of the same process).
 * The child returns to user mode with the parent's registers and eax 0
 * (arch_setup_fork_child). What glibc's pthread_create needs is here:
 * CLONE_SETTLS, CLONE_PARENT_SETTID, CLONE_CHILD_SETTID and
 * CLONE_CHILD_CLEARTID.
 *
 * A vfork parent sleeps until the child execs or exits (vfork_done).
 */
#include <asm/switch_to.h>
#include <kestrel/completion.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs_struct.h>
#include <kestrel/mman.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <uapi/resource.h>
#include <uapi/sched.h>

#define CSIGNAL 0x000000ff /* the low byte of clone flags: exit signal */

static int copy_mm(unsigned long flags, struct task *p)
{
	struct mm_struct *mm = current->mm;

	if (!mm)
		return 0; /* a kernel thread's child: no user memory */
	if (flags & CLONE_VM) {
		mmget(mm);
	} else {
		mm = dup_mm(mm);
		if (!mm)
			return -ENOMEM;
	}
	p->mm = p->active_mm = mm;
	return 0;
}

static int copy_files_fs(unsigned long flags, struct task *p)
{
	if (current->files) {
		if (flags & CLONE_FILES) {
			get_files_struct(current->files);
			p->files = current->files;
		} else {
			p->files = dup_fd(current->files);
			if (IS_ERR_OR_NULL(p->files)) {
				p->files = NULL;
				return -ENOMEM;
			}
		}
	}
	if (current->fs) {
		if (flags & CLONE_FS) {
			get_fs_struct(current->fs);
			p->fs = current->fs;
		} else {
			p->fs = copy_fs_struct(current->fs);
			if (!p->fs)
				return -ENOMEM;
		}
	}
	return 0;
}

static int copy_sighand(unsigned long flags, struct task *p)
{
	struct sighand_struct *sh = current->sighand;
	unsigned long irqflags;

	if (flags & CLONE_SIGHAND) {
		atomic_inc(&sh->count);
		p->sighand = sh;
		return 0;
	}
	p->sighand = sighand_alloc();
	if (!p->sighand)
		return -ENOMEM;
	spin_lock_irqsave(&sh->siglock, irqflags);
	memcpy(p->sighand->action, sh->action, sizeof(sh->action));
	spin_unlock_irqrestore(&sh->siglock, irqflags);
	return 0;
}

static int copy_signal(unsigned long flags, struct task *p)
{
	struct signal_struct *sig = current->signal;

	if (flags & CLONE_THREAD) { /* counted as a thread by link_child */
		atomic_inc(&sig->count);
		p->signal = sig;
		return 0;
	}
	p->signal = signal_alloc();
	if (!p->signal)
		return -ENOMEM;
	p->signal->nr_threads = 1;
	memcpy(p->signal->rlim, sig->rlim, sizeof(sig->rlim));
	p->signal->pgrp = sig->pgrp;
	p->signal->session = sig->session;
	return 0;
}

/* Which flag combinations Linux accepts. */
static int check_clone_flags(unsigned long flags)
{
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CLONE_FS) && (flags & CLONE_NEWNS))
		return -EINVAL;
	return 0;
}

/*
 * Set the family links; the child becomes visible. A new thread counts
 * in its process's nr_threads and live only now, past every failure of
 * copy_process(), whose undo (free_unused_child) drops the reference
 * alone.
 */
static void link_child(struct task *p, unsigned long flags)
{
	spin_lock(&tasklist_lock);
	if (flags & CLONE_THREAD) {
		p->signal->nr_threads++;
		atomic_inc(&p->signal->live);
	}
	if (flags & (CLONE_PARENT | CLONE_THREAD))
		p->real_parent = current->real_parent;
	else
		p->real_parent = current;
	list_add_tail(&p->sibling, &p->real_parent->children);
	list_add_tail(&p->thread_node, &p->signal->thread_head);
	if (!(flags & CLONE_THREAD)) /* the ctty, under tasklist_lock */
		p->signal->tty = current->signal->tty;
	spin_unlock(&tasklist_lock);
}

static void init_process_fields(struct task *p, unsigned long flags,
				const struct clone_args_k *args)
{
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->sibling);
	INIT_LIST_HEAD(&p->thread_node);
	task_init_sigpending(p);
	p->blocked = current->blocked;
	sigemptyset(&p->real_blocked);
	p->flags &= ~PF_KTHREAD;
	if (flags & CLONE_THREAD) {
		p->tgid = current->tgid;
		p->group_leader = current->group_leader;
		p->exit_signal = -1;
	} else {
		p->tgid = p->pid;
		p->group_leader = p;
		p->exit_signal = (int)(flags & CSIGNAL);
	}
	if (flags & CLONE_CHILD_SETTID)
		p->set_child_tid = args->child_tid;
	if (flags & CLONE_CHILD_CLEARTID)
		p->clear_child_tid = args->child_tid;
}

/* Undo what copy_process() built, in reverse. */
static void free_unused_child(struct task *p)
{
	if (p->signal)
		signal_put(p->signal);
	if (p->sighand)
		sighand_put(p->sighand);
	if (p->fs)
		put_fs_struct(p->fs);
	if (p->files)
		put_files_struct(p->files);
	if (p->mm)
		mmput(p->mm);
	task_flush_signals(p);
	discard_new_task(p);
}

/* RLIMIT_NPROC: processes (and threads) of the real uid, root exempt. */
static bool over_nproc_limit(void)
{
	unsigned long limit =
		current->signal ? current->signal->rlim[RLIMIT_NPROC].rlim_cur :
				  RLIM_INFINITY;
	kuid_t uid = current_cred()->uid;
	unsigned long n = 0;
	struct task *t;

	if (limit == RLIM_INFINITY || capable(CAP_SYS_RESOURCE))
		return false;
	spin_lock(&tasklist_lock);
	list_for_each_entry(t, &task_list, tasks)
		if (!(t->flags & PF_KTHREAD) && !t->exit_state &&
		    t->cred->uid == uid)
			n++;
	spin_unlock(&tasklist_lock);
	return n >= limit;
}

static struct task *copy_process(const struct clone_args_k *args,
				 const struct pt_regs *regs)
{
	unsigned long flags = args->flags;
	struct task *p;
	int err;

	err = check_clone_flags(flags);
	if (err)
		return ERR_PTR(err);
	if (over_nproc_limit())
		return ERR_PTR(-EAGAIN);
	p = alloc_task(current->comm);
	if (!p)
		return ERR_PTR(-EAGAIN);
	init_process_fields(p, flags, args);
	err = copy_mm(flags, p);
	if (!err)
		err = copy_files_fs(flags, p);
	if (!err)
		err = copy_sighand(flags, p);
	if (!err)
		err = copy_signal(flags, p);
	if (!err)
		err = arch_copy_thread(p, regs, args->stack,
				       flags & CLONE_SETTLS ? args->tls : 0);
	if (err) {
		free_unused_child(p);
		return ERR_PTR(err);
	}
	get_task_struct(p); /* the parent's, dropped when reaped */
	link_child(p, flags);
	return p;
}

/**
 * kernel_clone - create a task as fork/vfork/clone ask
 *
 * Return: the child's thread id in the caller, or -errno.
 * Context: process context, from a system call; may sleep.
 */
long kernel_clone(const struct clone_args_k *args)
{
	struct completion vfork;
	struct task *p;
	int pid;

	p = copy_process(args, current_pt_regs());
	if (IS_ERR(p))
		return PTR_ERR(p);
	pid = p->pid;
	/* A bad parent_tid is ignored, as Linux does: the child runs. */
	if (args->flags & CLONE_PARENT_SETTID)
		(void)put_user(pid, args->parent_tid);
	if (args->flags & CLONE_VFORK) {
		init_completion(&vfork);
		p->vfork_done = &vfork;
	}
	wake_up_new_task(p);
	if (args->flags & CLONE_VFORK)
		wait_for_completion(&vfork);
	return pid;
}

SYSCALL_DEFINE0(fork)
{
	struct clone_args_k args = { .flags = SIGCHLD };

	return kernel_clone(&args);
}

SYSCALL_DEFINE0(vfork)
{
	struct clone_args_k args = { .flags = CLONE_VFORK | CLONE_VM |
					      SIGCHLD };

	return kernel_clone(&args);
}

/* i386 argument order: flags, newsp, parent_tid, tls, child_tid. */
SYSCALL_DEFINE5(clone, unsigned long, flags, unsigned long, newsp, int __user *,
		parent_tid, unsigned long, tls, int __user *, child_tid)
{
	struct clone_args_k args = {
		.flags = flags,
		.stack = newsp,
		.parent_tid = parent_tid,
		.child_tid = child_tid,
		.tls = tls,
	};

	return kernel_clone(&args);
}

/* set_tid_address: the CLONE_CHILD_CLEARTID address, for pthreads. */
SYSCALL_DEFINE1(set_tid_address, int __user *, tidptr)
{
	current->clear_child_tid = tidptr;
	return current->pid;
}

struct fs_struct *current_fs(void)
{
	return current->fs ? current->fs : &init_fs;
}

/* The limits of the first process, inherited by all: Linux's defaults. */
static void init_rlimits(struct rlimit *rlim)
{
	unsigned int i;

	for (i = 0; i < RLIM_NLIMITS; i++)
		rlim[i].rlim_cur = rlim[i].rlim_max = RLIM_INFINITY;
	rlim[RLIMIT_STACK].rlim_cur = 8 * 1024 * 1024;
	rlim[RLIMIT_CORE].rlim_cur = 0;
	rlim[RLIMIT_NOFILE].rlim_cur = 1024;
	rlim[RLIMIT_NOFILE].rlim_max = 4096;
	rlim[RLIMIT_MEMLOCK].rlim_cur = rlim[RLIMIT_MEMLOCK].rlim_max =
		8 * 1024 * 1024;
}

/**
 * make_init_process - turn the current kernel thread into process 1
 *
 * Gives it what a user process has and a kernel thread lacks: signal
 * state, an empty descriptor table, the root filesystem as root and
 * cwd. It becomes the reaper of orphans, and unkillable: signals it has
 * no handler for are dropped (SIGNAL_UNKILLABLE). Boot only.
 */
int make_init_process(void)
{
	struct task *p = current;

	p->signal = signal_alloc();
	p->sighand = sighand_alloc();
	p->files = alloc_files_struct();
	if (!p->signal || !p->sighand || !p->files)
		return -ENOMEM;
	get_fs_struct(&init_fs);
	p->fs = &init_fs;
	init_rlimits(p->signal->rlim);
	p->signal->nr_threads = 1;
	p->signal->pgrp = p->signal->session = p->pid;
	task_init_sigpending(p);
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->sibling);
	list_add_tail(&p->thread_node, &p->signal->thread_head);
	p->tgid = p->pid;
	p->group_leader = p;
	p->exit_signal = SIGCHLD;
	p->real_parent = p;
	p->flags &= ~PF_KTHREAD;
	p->signal->flags |= SIGNAL_UNKILLABLE;
	child_reaper = p;
	return 0;
}

/* A user_mode_thread()'s process state: its own session, init's root. */
static int init_helper_process(struct task *p)
{
	struct path root;

	put_cred(p->cred);
	p->cred = get_cred(&init_cred); /* root, whoever asked */
	p->signal = signal_alloc();
	p->sighand = sighand_alloc();
	p->files = alloc_files_struct();
	if (!p->signal || !p->sighand || !p->files)
		return -ENOMEM;
	/* Its own fs_struct at init's root: a chdir must not move init. */
	get_fs_root(&init_fs, &root);
	p->fs = alloc_fs_struct(&root);
	path_put(&root);
	if (!p->fs)
		return -ENOMEM;
	init_rlimits(p->signal->rlim);
	p->signal->nr_threads = 1;
	p->signal->pgrp = p->signal->session = p->pid;
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->sibling);
	INIT_LIST_HEAD(&p->thread_node);
	task_init_sigpending(p);
	p->tgid = p->pid;
	p->group_leader = p;
	p->exit_signal = 0; /* nobody is told: released at exit */
	return 0;
}

/**
 * user_mode_thread - start a kernel thread that becomes a user process
 * @fn: runs in kernel mode in the new process; it calls kernel_execve()
 *      and returns to enter user mode (as kernel_init does), or ends
 *      with do_exit()
 * @name: the task's name until the exec
 *
 * The process is a child of init with root credentials, its own
 * fs_struct at init's root (cwd "/"), an empty descriptor table and a
 * session of its own. Its
 * exit signal is 0, so it is released as soon as it exits: helpers
 * never linger as zombies (Linux parents them to kthreadd, which
 * ignores SIGCHLD). Returns its pid, -EBUSY before init exists, or
 * -ENOMEM. Context: process; may sleep.
 */
int user_mode_thread(void (*fn)(void), const char *name)
{
	struct task *p;
	int pid;

	if (!child_reaper)
		return -EBUSY;
	p = alloc_task(name);
	if (!p)
		return -ENOMEM;
	if (init_helper_process(p)) {
		free_unused_child(p);
		return -ENOMEM;
	}
	arch_setup_kthread(p, fn);
	get_task_struct(p); /* the parent's, dropped at release */
	spin_lock(&tasklist_lock);
	p->real_parent = child_reaper;
	list_add_tail(&p->sibling, &child_reaper->children);
	list_add_tail(&p->thread_node, &p->signal->thread_head);
	spin_unlock(&tasklist_lock);
	pid = p->pid;
	wake_up_new_task(p);
	return pid;
}
