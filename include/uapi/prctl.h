/*
 * prctl() options in the Linux i386 ABI, the common subset. From Linux's
 * include/uapi/linux/prctl.h; facts of the ABI that must not change.
 * Unknown options return -EINVAL.
 */
#ifndef _UAPI_PRCTL_H
#define _UAPI_PRCTL_H

#define PR_SET_PDEATHSIG 1
#define PR_GET_PDEATHSIG 2
#define PR_GET_DUMPABLE 3
#define PR_SET_DUMPABLE 4
#define PR_GET_KEEPCAPS 7
#define PR_SET_KEEPCAPS 8
#define PR_SET_NAME 15 /* arg2: up to 16 bytes, NUL included */
#define PR_GET_NAME 16 /* arg2: a 16-byte buffer */
#define PR_GET_SECCOMP 21
#define PR_SET_SECCOMP 22
#define PR_CAPBSET_READ 23
#define PR_CAPBSET_DROP 24
#define PR_GET_TSC 25
#define PR_SET_TSC 26
#define PR_SET_TIMERSLACK 29
#define PR_GET_TIMERSLACK 30
#define PR_SET_MM 35
#define PR_SET_CHILD_SUBREAPER 36
#define PR_GET_CHILD_SUBREAPER 37
#define PR_SET_NO_NEW_PRIVS 38
#define PR_GET_NO_NEW_PRIVS 39
#define PR_SET_THP_DISABLE 41
#define PR_GET_THP_DISABLE 42
#define PR_SET_PTRACER 0x59616d61
#define PR_SET_VMA 0x53564d41

/* The length of the name PR_SET_NAME/PR_GET_NAME exchange. */
#define PR_NAME_LEN 16

#endif /* _UAPI_PRCTL_H */
