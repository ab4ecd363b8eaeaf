/*
 * Processes: creating (kernel/fork.c), ending and waiting
 * (kernel/exit.c), and replacing the program (fs/exec.c).
 */
#ifndef _KESTREL_PROCESS_H
#define _KESTREL_PROCESS_H

#include <asm/ptrace.h>
#include <kestrel/compiler.h>
#include <kestrel/types.h>

struct task;

/* What fork, vfork and clone ask for, in one place. */
struct clone_args_k {
	unsigned long flags; /* CLONE_*, exit signal in the low byte */
	unsigned long stack; /* the child's user stack; 0: the parent's */
	int __user *parent_tid; /* CLONE_PARENT_SETTID */
	int __user *child_tid; /* CLONE_CHILD_SETTID / _CLEARTID */
	unsigned long tls; /* CLONE_SETTLS: a struct user_desc pointer */
};

long kernel_clone(const struct clone_args_k *args);

/* End the current task with wait status @code ((status & 0xff) << 8
 * for exit(), the signal number for a kill). Never returns. */
void __noreturn do_exit(int code);

/* Undo alloc_task() for a task that never ran (kernel/sched/core.c). */
void discard_new_task(struct task *p);

/* Arch part of fork: registers, stack, TLS, FPU (arch/x86/process.c). */
int arch_copy_thread(struct task *p, const struct pt_regs *regs,
		     unsigned long user_stack, unsigned long tls);

/* Turn the calling kernel thread into the first process (PID 1). */
int make_init_process(void);

/*
 * Start a kernel thread running @fn that becomes a user process of its
 * own, a child of init reaped at exit (kernel/fork.c; the usermode
 * helper's). Returns its pid or -errno.
 */
int user_mode_thread(void (*fn)(void), const char *name);

/* The task that adopts orphans: PID 1. */
extern struct task *child_reaper;

/*
 * Start the first user program from the init kernel thread. On success
 * the calling kernel thread has become a user process and must return
 * from its thread function, which enters user mode.
 */
int kernel_execve(const char *filename, const char *const argv[],
		  const char *const envp[]);

#endif /* _KESTREL_PROCESS_H */
