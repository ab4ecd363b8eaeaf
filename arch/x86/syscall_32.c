/*
 * The i386 system-call table: Linux's numbers (include/uapi/unistd_32.h)
 * mapped to Kestrel's implementations. One list, used twice: to declare
 * each sys_NAME and to fill its slot. Numbers with no entry are NULL
 * and return -ENOSYS (arch/x86/syscall.c).
 */
#include "../../fs/syscall_list.h"
#include <kestrel/syscalls.h>
#include <uapi/unistd_32.h>

/* One call per line reads best: */
// clang-format off
#define SYSCALLS(X) \
	X(restart_syscall) \
	X(exit) \
	X(fork) \
	X(waitpid) \
	X(time) \
	X(getpid) \
	X(pause) \
	X(kill) \
	X(times) \
	X(signal) \
	X(getppid) \
	X(sigsuspend) \
	X(sigpending) \
	X(setrlimit) \
	X(getrlimit) \
	X(getrusage) \
	X(gettimeofday) \
	X(settimeofday) \
	X(wait4) \
	X(sysinfo) \
	X(sigreturn) \
	X(clone) \
	X(sigprocmask) \
	X(personality) \
	X(nice) \
	X(getpriority) \
	X(setpriority) \
	X(setitimer) \
	X(getitimer) \
	X(alarm) \
	X(sched_yield) \
	X(sched_getscheduler) \
	X(prctl) \
	X(rt_sigreturn) \
	X(rt_sigaction) \
	X(rt_sigprocmask) \
	X(rt_sigpending) \
	X(rt_sigtimedwait) \
	X(rt_sigqueueinfo) \
	X(sigaltstack) \
	X(vfork) \
	X(ugetrlimit) \
	X(getuid32) \
	X(getgid32) \
	X(geteuid32) \
	X(getegid32) \
	X(setreuid32) \
	X(getgroups32) \
	X(setgroups32) \
	X(setresuid32) \
	X(getresuid32) \
	X(setresgid32) \
	X(getresgid32) \
	X(setgid32) \
	X(setfsuid32) \
	X(setfsgid32) \
	X(gettid) \
	X(tkill) \
	X(futex) \
	X(exit_group) \
	X(clock_getres) \
	X(clock_nanosleep) \
	X(tgkill) \
	X(waitid) \
	X(prlimit64) \
	X(clock_getres_time64) \
	X(clock_nanosleep_time64) \
	X(futex_time64) \
	X(set_thread_area) \
	X(get_thread_area) \
	X(set_tid_address) \
	X(reboot) \
	X(brk) \
	X(mmap) \
	X(mmap2) \
	X(munmap) \
	X(mprotect) \
	X(madvise)
// clang-format on

#define DECLARE_SYSCALL(name) long sys_##name(const struct pt_regs *regs);
SYSCALLS(DECLARE_SYSCALL)
FS_SYSCALLS(DECLARE_SYSCALL)

#define SYSCALL_ENTRY(name) [__NR_##name] = sys_##name,
const syscall_fn_t sys_call_table[NR_syscalls] = { SYSCALLS(
	SYSCALL_ENTRY) FS_SYSCALLS(SYSCALL_ENTRY) };
