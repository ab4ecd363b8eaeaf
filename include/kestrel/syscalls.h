/*
 * System calls. Each is written once with SYSCALL_DEFINEn, which names
 * its arguments with their types and generates the entry the table
 * calls, sys_NAME(regs): it takes the i386 argument registers (ebx,
 * ecx, edx, esi, edi, ebp, in that order) and converts them, so the
 * body is ordinary typed C:
 *
 *	SYSCALL_DEFINE2(umask_example, int, fd, const char __user *, path)
 *	{
 *		...
 *	}
 *
 * A system call returns a value or -errno; the entry code puts it in
 * eax. Every user pointer argument is __user and is only touched through
 * <kestrel/uaccess.h>.
 */
#ifndef _KESTREL_SYSCALLS_H
#define _KESTREL_SYSCALLS_H

#include <asm/ptrace.h>
#include <kestrel/compiler.h>
#include <kestrel/types.h>

typedef long (*syscall_fn_t)(const struct pt_regs *regs);

#define __SC_CAST(t, reg) ((t)(uintptr_t)(reg))

#define SYSCALL_DEFINE0(name)                        \
	long sys_##name(const struct pt_regs *regs); \
	static long __do_sys_##name(void);           \
	long sys_##name(const struct pt_regs *regs)  \
	{                                            \
		(void)regs;                          \
		return __do_sys_##name();            \
	}                                            \
	static long __do_sys_##name(void)

#define SYSCALL_DEFINE1(name, t1, a1)                            \
	long sys_##name(const struct pt_regs *regs);             \
	static long __do_sys_##name(t1 a1);                      \
	long sys_##name(const struct pt_regs *regs)              \
	{                                                        \
		return __do_sys_##name(__SC_CAST(t1, regs->bx)); \
	}                                                        \
	static long __do_sys_##name(t1 a1)

#define SYSCALL_DEFINE2(name, t1, a1, t2, a2)                    \
	long sys_##name(const struct pt_regs *regs);             \
	static long __do_sys_##name(t1 a1, t2 a2);               \
	long sys_##name(const struct pt_regs *regs)              \
	{                                                        \
		return __do_sys_##name(__SC_CAST(t1, regs->bx),  \
				       __SC_CAST(t2, regs->cx)); \
	}                                                        \
	static long __do_sys_##name(t1 a1, t2 a2)

#define SYSCALL_DEFINE3(name, t1, a1, t2, a2, t3, a3)            \
	long sys_##name(const struct pt_regs *regs);             \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3);        \
	long sys_##name(const struct pt_regs *regs)              \
	{                                                        \
		return __do_sys_##name(__SC_CAST(t1, regs->bx),  \
				       __SC_CAST(t2, regs->cx),  \
				       __SC_CAST(t3, regs->dx)); \
	}                                                        \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3)

#define SYSCALL_DEFINE4(name, t1, a1, t2, a2, t3, a3, t4, a4)    \
	long sys_##name(const struct pt_regs *regs);             \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4); \
	long sys_##name(const struct pt_regs *regs)              \
	{                                                        \
		return __do_sys_##name(__SC_CAST(t1, regs->bx),  \
				       __SC_CAST(t2, regs->cx),  \
				       __SC_CAST(t3, regs->dx),  \
				       __SC_CAST(t4, regs->si)); \
	}                                                        \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4)

#define SYSCALL_DEFINE5(name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5)   \
	long sys_##name(const struct pt_regs *regs);                    \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5); \
	long sys_##name(const struct pt_regs *regs)                     \
	{                                                               \
		return __do_sys_##name(__SC_CAST(t1, regs->bx),         \
				       __SC_CAST(t2, regs->cx),         \
				       __SC_CAST(t3, regs->dx),         \
				       __SC_CAST(t4, regs->si),         \
				       __SC_CAST(t5, regs->di));        \
	}                                                               \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5)

#define SYSCALL_DEFINE6(name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6)  \
	long sys_##name(const struct pt_regs *regs);                           \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6); \
	long sys_##name(const struct pt_regs *regs)                            \
	{                                                                      \
		return __do_sys_##name(                                        \
			__SC_CAST(t1, regs->bx), __SC_CAST(t2, regs->cx),      \
			__SC_CAST(t3, regs->dx), __SC_CAST(t4, regs->si),      \
			__SC_CAST(t5, regs->di), __SC_CAST(t6, regs->bp));     \
	}                                                                      \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6)

/* The table, indexed by Linux's i386 numbers (arch/x86/syscall_32.c). */
extern const syscall_fn_t sys_call_table[];

/* Dispatch the call in @regs (arch/x86/syscall.c). */
void do_syscall_32(struct pt_regs *regs);

/* The work before any return to user mode: reschedule, signals. */
void exit_to_user_mode(struct pt_regs *regs);

/* Log each unknown call number once, or every call (strace=). */
long sys_ni_syscall(const struct pt_regs *regs);

#endif /* _KESTREL_SYSCALLS_H */
