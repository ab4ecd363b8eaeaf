/*
 * Keys of the auxiliary vector the kernel puts on a new program's stack
 * after envp (pairs of 32-bit key and value, ended by AT_NULL), as the
 * Linux i386 ABI numbers them: Linux's include/uapi/linux/auxvec.h and
 * arch/x86/include/uapi/asm/auxvec.h. Facts of the ABI that must not
 * change. (The AT_* flags of the *at() calls are a different namespace, in
 * <uapi/stat.h>.)
 */
#ifndef _UAPI_AUXVEC_H
#define _UAPI_AUXVEC_H

#define AT_NULL 0 /* end of vector */
#define AT_IGNORE 1
#define AT_EXECFD 2
#define AT_PHDR 3 /* address of the program headers */
#define AT_PHENT 4 /* size of one program header */
#define AT_PHNUM 5 /* number of program headers */
#define AT_PAGESZ 6
#define AT_BASE 7 /* interpreter's load address */
#define AT_FLAGS 8
#define AT_ENTRY 9 /* program entry point */
#define AT_NOTELF 10
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15 /* address of a string, "i686" */
#define AT_HWCAP 16 /* CPUID.1:EDX */
#define AT_CLKTCK 17 /* times() frequency, USER_HZ */
#define AT_SECURE 23
#define AT_BASE_PLATFORM 24
#define AT_RANDOM 25 /* address of 16 random bytes */
#define AT_HWCAP2 26
#define AT_RSEQ_FEATURE_SIZE 27
#define AT_RSEQ_ALIGN 28
#define AT_HWCAP3 29
#define AT_HWCAP4 30
#define AT_EXECFN 31 /* address of the pathname given to execve */
#define AT_SYSINFO 32 /* i386: vsyscall entry point */
#define AT_SYSINFO_EHDR 33 /* address of the vDSO */
#define AT_MINSIGSTKSZ 51 /* smallest stack a signal frame fits in */

#endif /* _UAPI_AUXVEC_H */
