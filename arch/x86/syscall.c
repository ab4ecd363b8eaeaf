/*
 * System-call dispatch. entry.asm's system_call saves the user's
 * registers as a struct pt_regs and calls do_syscall_32(), which looks
 * the number up in sys_call_table (arch/x86/syscall_32.c, indexed by
 * Linux's i386 numbers), runs the call, stores its result in eax, and
 * does the work due before any return to user mode.
 *
 * A number with no implementation returns -ENOSYS and is logged once,
 * so a program's missing calls show up in the kernel log; the strace=
 * boot parameter logs every one, or every call (syscall_trace.c).
 */
#include <kestrel/errno.h>
#include <kestrel/irqflags.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/syscalls.h>
#include <uapi/unistd_32.h>

#include "syscall.h"

#define NI_LOGGED_WORDS ((NR_syscalls + 1 + 31) / 32)

static u32 ni_logged[NI_LOGGED_WORDS]; /* numbers already reported */

long sys_ni_syscall(const struct pt_regs *regs)
{
	unsigned long nr = regs->orig_ax;
	unsigned long slot = nr < NR_syscalls ? nr : NR_syscalls;
	const char *name = syscall_name(nr);

	if (syscall_trace_mode == STRACE_ENOSYS ||
	    !(ni_logged[slot / 32] & (1U << (slot % 32)))) {
		ni_logged[slot / 32] |= 1U << (slot % 32);
		pr_notice("%s[%d]: unknown system call %lu %s (ENOSYS)\n",
			  current->comm, current->pid, nr, name ? name : "?");
	}
	return -ENOSYS;
}

/* exit and exit_group do not return: log them on the way in. */
static bool syscall_returns(unsigned long nr)
{
	return nr != __NR_exit && nr != __NR_exit_group;
}

void do_syscall_32(struct pt_regs *regs)
{
	unsigned long nr = regs->orig_ax;
	syscall_fn_t fn = NULL;
	long ret;

	if (likely(nr < NR_syscalls))
		fn = sys_call_table[nr];
	if (unlikely(syscall_trace_mode == STRACE_ALL) && !syscall_returns(nr))
		syscall_trace_noreturn(regs);
	ret = fn ? fn(regs) : sys_ni_syscall(regs);
	regs->ax = (unsigned long)ret;
	if (unlikely(syscall_trace_mode == STRACE_ALL))
		syscall_trace_exit(regs, ret);
	exit_to_user_mode(regs);
}

/**
 * exit_to_user_mode - the last work before returning to user mode
 *
 * Reschedule if asked, deliver pending signals; repeat until neither is
 * pending. Returns with interrupts disabled, as restore_all needs.
 */
void exit_to_user_mode(struct pt_regs *regs)
{
	unsigned long work = (1UL << TIF_NEED_RESCHED) |
			     (1UL << TIF_SIGPENDING);

	local_irq_disable();
	while (READ_ONCE(current_thread_info()->flags) & work) {
		local_irq_enable();
		if (need_resched())
			schedule();
		if (signal_pending(current))
			do_signal(regs);
		local_irq_disable();
	}
}
