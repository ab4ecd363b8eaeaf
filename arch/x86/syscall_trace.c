/*
 * System-call tracing from the kernel command line: a poor man's
 * strace(1) for a kernel whose user space has no ptrace.
 *
 *	strace=enosys		every call that returns ENOSYS because no
 *				implementation exists (default: the first
 *				of each number only)
 *	strace=all		every call, as
 *				"comm[pid] name(arg0, arg1, arg2, ...) = ret"
 *	strace=all,pid=N	only the calls of process N
 *
 * The lines go through printk at KERN_INFO, which the default console
 * level (7) shows on every console; `quiet` or a low `loglevel=` hides
 * them from the console, not from the log (dmesg). The arguments are
 * the raw registers ebx, ecx and edx: the first three arguments of any
 * call, whatever its arity. Results in -4095..-1 are errors (-errno);
 * other values print in hex when they look like addresses.
 *
 * Cost when off: do_syscall_32() tests one variable that never changes
 * after boot, a branch the CPU predicts every time.
 *
 * Locking: none; the mode is written only by the boot parameter.
 */
#include <kestrel/errno.h>
#include <kestrel/init.h>
#include <kestrel/kstrtox.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/string.h>
#include <uapi/unistd_32.h>

#include "syscall.h"

/* Results at or above this (as unsigned) are -errno, as in Linux. */
#define MAX_ERRNO 4095
/* Non-negative results below this print in decimal (counts, fds). */
#define TRACE_DECIMAL_LIMIT 0x10000

enum syscall_trace_mode syscall_trace_mode = STRACE_OFF;
static int trace_pid; /* 0: every process */

/*
 * The name of each i386 number, implemented or not, so an unknown call
 * is reported by name; NULL for the numbers Linux never assigned.
 * Generated from arch/x86/syscall_32.tbl.
 */
static const char *const syscall_names[NR_syscalls] = {
#include <asm/syscall_names_32.h>
};

const char *syscall_name(unsigned long nr)
{
	return nr < NR_syscalls ? syscall_names[nr] : NULL;
}

/* "enosys", "all" or "all,pid=N". */
static int strace_param(char *value)
{
	char *mode = value, *opt;
	enum syscall_trace_mode mode_val;
	int pid = 0;

	if (!value)
		return -EINVAL;
	opt = strchr(value, ',');
	if (opt)
		*opt++ = '\0';
	if (!strcmp(mode, "enosys"))
		mode_val = STRACE_ENOSYS;
	else if (!strcmp(mode, "all"))
		mode_val = STRACE_ALL;
	else
		return -EINVAL;
	/* Nothing takes effect unless all of it is valid. */
	if (opt && (strncmp(opt, "pid=", 4) || kstrtoint(opt + 4, 0, &pid) ||
		    pid <= 0))
		return -EINVAL;
	syscall_trace_mode = mode_val;
	trace_pid = pid;
	return 0;
}
early_param("strace", strace_param);

static bool trace_wanted(void)
{
	return syscall_trace_mode == STRACE_ALL &&
	       (!trace_pid || current->tgid == trace_pid);
}

/* "comm[pid] name(a, b, c" with an unknown number as "syscall_N". */
static void trace_call(const struct pt_regs *regs, const char *result)
{
	const char *name = syscall_name(regs->orig_ax);

	if (name)
		pr_info("%s[%d] %s(%#lx, %#lx, %#lx, ...) = %s\n",
			current->comm, current->pid, name, regs->bx, regs->cx,
			regs->dx, result);
	else
		pr_info("%s[%d] syscall_%lu(%#lx, %#lx, %#lx, ...) = %s\n",
			current->comm, current->pid, regs->orig_ax, regs->bx,
			regs->cx, regs->dx, result);
}

void syscall_trace_exit(const struct pt_regs *regs, long ret)
{
	char result[24];

	if (!trace_wanted())
		return;
	if ((unsigned long)ret >= (unsigned long)-MAX_ERRNO ||
	    (ret >= 0 && ret < TRACE_DECIMAL_LIMIT))
		snprintf(result, sizeof(result), "%ld", ret);
	else
		snprintf(result, sizeof(result), "%#lx", (unsigned long)ret);
	trace_call(regs, result);
}

void syscall_trace_noreturn(const struct pt_regs *regs)
{
	if (trace_wanted())
		trace_call(regs, "?");
}
