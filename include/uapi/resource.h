/*
 * Resource limits and usage as the Linux i386 ABI shows them: RLIMIT_*
 * numbers, struct rlimit (32-bit, getrlimit/setrlimit/ugetrlimit),
 * struct rlimit64 (prlimit64), struct rusage (getrusage, wait4) and the
 * PRIO_* selectors of getpriority/setpriority. Copied from Linux's
 * include/uapi/asm-generic/resource.h and include/uapi/linux/resource.h;
 * they are facts of the ABI and must not change.
 */
#ifndef _UAPI_RESOURCE_H
#define _UAPI_RESOURCE_H

#include <kestrel/types.h>
#include <uapi/time.h>

#define RLIMIT_CPU 0 /* CPU time in seconds */
#define RLIMIT_FSIZE 1 /* largest file */
#define RLIMIT_DATA 2 /* data segment */
#define RLIMIT_STACK 3 /* main-thread stack */
#define RLIMIT_CORE 4 /* core file */
#define RLIMIT_RSS 5
#define RLIMIT_NPROC 6 /* processes per real uid */
#define RLIMIT_NOFILE 7 /* one more than the highest fd */
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS 9 /* address space */
#define RLIMIT_LOCKS 10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE 12
#define RLIMIT_NICE 13
#define RLIMIT_RTPRIO 14
#define RLIMIT_RTTIME 15
#define RLIM_NLIMITS 16

/*
 * "No limit". The old getrlimit (76) clamps what it reports to
 * 0x7fffffff; ugetrlimit (191) reports RLIM_INFINITY as is.
 */
#define RLIM_INFINITY (~0UL)
#define RLIM64_INFINITY (~0ULL)

struct rlimit {
	unsigned long rlim_cur;
	unsigned long rlim_max;
};
_Static_assert(sizeof(struct rlimit) == 8, "i386 struct rlimit");

struct rlimit64 {
	u64 rlim_cur;
	u64 rlim_max;
};
_Static_assert(sizeof(struct rlimit64) == 16, "struct rlimit64");

/* getrusage() who. */
#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_BOTH (-2) /* internal to wait4 */
#define RUSAGE_THREAD 1

struct rusage {
	struct timeval ru_utime; /* user time */
	struct timeval ru_stime; /* system time */
	long ru_maxrss; /* KiB */
	long ru_ixrss;
	long ru_idrss;
	long ru_isrss;
	long ru_minflt;
	long ru_majflt;
	long ru_nswap;
	long ru_inblock;
	long ru_oublock;
	long ru_msgsnd;
	long ru_msgrcv;
	long ru_nsignals;
	long ru_nvcsw;
	long ru_nivcsw;
};
_Static_assert(sizeof(struct rusage) == 72, "i386 struct rusage");

/* getpriority()/setpriority() which, and the nice range. */
#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2
#define PRIO_MIN (-20)
#define PRIO_MAX 20

#endif /* _UAPI_RESOURCE_H */
