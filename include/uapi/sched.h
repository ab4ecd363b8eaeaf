/*
 * clone() flags, struct clone_args of clone3(), and scheduling policies as
 * the Linux i386 ABI numbers them. Copied from Linux's
 * include/uapi/linux/sched.h and sched/types.h; facts of the ABI that must
 * not change. The low byte of clone()'s flags (CSIGNAL) is the signal sent
 * to the parent when the child exits.
 */
#ifndef _UAPI_SCHED_H
#define _UAPI_SCHED_H

#include <kestrel/types.h>

#define CSIGNAL 0x000000ff
#define CLONE_NEWTIME 0x00000080
#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_PIDFD 0x00001000
#define CLONE_PTRACE 0x00002000
#define CLONE_VFORK 0x00004000
#define CLONE_PARENT 0x00008000
#define CLONE_THREAD 0x00010000
#define CLONE_NEWNS 0x00020000
#define CLONE_SYSVSEM 0x00040000
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_DETACHED 0x00400000 /* ignored */
#define CLONE_UNTRACED 0x00800000
#define CLONE_CHILD_SETTID 0x01000000
#define CLONE_NEWCGROUP 0x02000000
#define CLONE_NEWUTS 0x04000000
#define CLONE_NEWIPC 0x08000000
#define CLONE_NEWUSER 0x10000000
#define CLONE_NEWPID 0x20000000
#define CLONE_NEWNET 0x40000000
#define CLONE_IO 0x80000000

/* clone3() only: these do not fit in clone()'s 32-bit flags. */
#define CLONE_CLEAR_SIGHAND 0x100000000ULL
#define CLONE_INTO_CGROUP 0x200000000ULL

/* clone3()'s argument: every field 64 bits and 8-byte aligned. */
typedef u64 __aligned_u64 __attribute__((aligned(8)));

struct clone_args {
	__aligned_u64 flags;
	__aligned_u64 pidfd;
	__aligned_u64 child_tid;
	__aligned_u64 parent_tid;
	__aligned_u64 exit_signal;
	__aligned_u64 stack;
	__aligned_u64 stack_size;
	__aligned_u64 tls;
	__aligned_u64 set_tid;
	__aligned_u64 set_tid_size;
	__aligned_u64 cgroup;
};
_Static_assert(sizeof(struct clone_args) == 88, "struct clone_args");

#define CLONE_ARGS_SIZE_VER0 64
#define CLONE_ARGS_SIZE_VER1 80
#define CLONE_ARGS_SIZE_VER2 88

/* Scheduling policies. SCHED_OTHER is glibc's name for SCHED_NORMAL. */
#define SCHED_NORMAL 0
#define SCHED_OTHER SCHED_NORMAL
#define SCHED_FIFO 1
#define SCHED_RR 2
#define SCHED_BATCH 3
#define SCHED_IDLE 5
#define SCHED_DEADLINE 6
#define SCHED_EXT 7
#define SCHED_RESET_ON_FORK 0x40000000 /* or-ed into the policy */

struct sched_param {
	int sched_priority;
};

#endif /* _UAPI_SCHED_H */
