/*
 * Private to the system-call dispatcher (arch/x86/syscall*.c): the
 * strace= boot parameter's hooks and the call names it prints.
 */
#ifndef _ARCH_X86_SYSCALL_H
#define _ARCH_X86_SYSCALL_H

#include <asm/ptrace.h>
#include <kestrel/compiler.h>
#include <kestrel/types.h>

/* strace= modes (syscall_trace.c). */
enum syscall_trace_mode {
	STRACE_OFF, /* default: each unknown number logged once */
	STRACE_ENOSYS, /* every unknown call logged */
	STRACE_ALL, /* every call logged with its result */
};

/* Set once by the boot parameter, read on every call: one test. */
extern enum syscall_trace_mode syscall_trace_mode;

/*
 * syscall_trace_exit - log the call in @regs and its result @ret
 *
 * For STRACE_ALL, when the process matches the pid= filter. Called on
 * the way out of do_syscall_32(), process context; may sleep only as
 * printk may (it does not).
 */
void syscall_trace_exit(const struct pt_regs *regs, long ret);

/*
 * syscall_trace_noreturn - log a call that will not come back (exit)
 *
 * As syscall_trace_exit(), with "= ?" for the result.
 */
void syscall_trace_noreturn(const struct pt_regs *regs);

/* The name of call @nr, or NULL. */
const char *syscall_name(unsigned long nr);

#endif /* _ARCH_X86_SYSCALL_H */
