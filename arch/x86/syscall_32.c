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
	X(alarm) \
	X(pause) \
	X(nice) \
	X(kill) \
	X(times) \
	X(brk) \
	X(signal) \
	X(setpgid) \
	X(getppid) \
	X(getpgrp) \
	X(setsid) \
	X(sigaction) \
	X(sigsuspend) \
	X(sigpending) \
	X(setrlimit) \
	X(getrlimit) \
	X(getrusage) \
	X(gettimeofday) \
	X(settimeofday) \
	X(reboot) \
	X(mmap) \
	X(munmap) \
	X(getpriority) \
	X(setpriority) \
	X(setitimer) \
	X(getitimer) \
	X(wait4) \
	X(sysinfo) \
	X(sigreturn) \
	X(clone) \
	X(uname) \
	X(sethostname) \
	X(setdomainname) \
	X(syslog) \
	X(mprotect) \
	X(sigprocmask) \
	X(getpgid) \
	X(personality) \
	X(getsid) \
	X(sched_getscheduler) \
	X(sched_yield) \
	X(nanosleep) \
	X(prctl) \
	X(rt_sigreturn) \
	X(rt_sigaction) \
	X(rt_sigprocmask) \
	X(rt_sigpending) \
	X(rt_sigtimedwait) \
	X(rt_sigqueueinfo) \
	X(rt_sigsuspend) \
	X(sigaltstack) \
	X(vfork) \
	X(ugetrlimit) \
	X(mmap2) \
	X(getuid32) \
	X(getgid32) \
	X(geteuid32) \
	X(getegid32) \
	X(setreuid32) \
	X(setregid32) \
	X(getgroups32) \
	X(setgroups32) \
	X(setresuid32) \
	X(getresuid32) \
	X(setresgid32) \
	X(getresgid32) \
	X(setuid32) \
	X(setgid32) \
	X(setfsuid32) \
	X(setfsgid32) \
	X(madvise) \
	X(gettid) \
	X(tkill) \
	X(futex) \
	X(sched_setaffinity) \
	X(sched_getaffinity) \
	X(set_thread_area) \
	X(get_thread_area) \
	X(exit_group) \
	X(set_tid_address) \
	X(clock_gettime) \
	X(clock_getres) \
	X(clock_nanosleep) \
	X(tgkill) \
	X(waitid) \
	X(set_robust_list) \
	X(getcpu) \
	X(prlimit64) \
	X(getrandom) \
	X(clock_gettime64) \
	X(clock_getres_time64) \
	X(clock_nanosleep_time64) \
	X(rt_sigtimedwait_time64) \
	X(futex_time64) \
	X(socketcall) \
	X(socket) \
	X(socketpair) \
	X(bind) \
	X(connect) \
	X(listen) \
	X(accept4) \
	X(getsockopt) \
	X(setsockopt) \
	X(getsockname) \
	X(getpeername) \
	X(sendto) \
	X(sendmsg) \
	X(recvfrom) \
	X(recvmsg) \
	X(shutdown) \
	X(sendmmsg) \
	X(recvmmsg)
// clang-format on

#define DECLARE_SYSCALL(name) long sys_##name(const struct pt_regs *regs);
SYSCALLS(DECLARE_SYSCALL)
FS_SYSCALLS(DECLARE_SYSCALL)

#define SYSCALL_ENTRY(name) [__NR_##name] = sys_##name,
// clang-format off
const syscall_fn_t sys_call_table[NR_syscalls] = {
	SYSCALLS(SYSCALL_ENTRY)
	FS_SYSCALLS(SYSCALL_ENTRY)
};
// clang-format on
