/*
 * Signals as the Linux i386 ABI defines them: numbers, sigaction flags, the
 * 64-bit signal set the rt_* calls take, struct sigaction as rt_sigaction
 * reads it, stack_t for sigaltstack, and the 128-byte siginfo_t with its
 * si_code values. Copied from Linux's arch/x86/include/uapi/asm/signal.h,
 * include/uapi/asm-generic/signal-defs.h, include/uapi/asm-generic/siginfo.h
 * and include/linux/signal_types.h (the kernel's own sigaction layout, which
 * is what rt_sigaction copies). They are facts of the ABI and must not
 * change.
 */
#ifndef _UAPI_SIGNAL_H
#define _UAPI_SIGNAL_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>

/* Signal numbers. */
#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGIOT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPOLL SIGIO
#define SIGPWR 30
#define SIGSYS 31
#define SIGUNUSED 31
#define SIGRTMIN 32
#define SIGRTMAX _NSIG

/* The kernel's signal set: 64 signals in two 32-bit words. */
#define _NSIG 64
#define _NSIG_BPW 32
#define _NSIG_WORDS (_NSIG / _NSIG_BPW)

typedef struct {
	unsigned long sig[_NSIG_WORDS];
} sigset_t;
_Static_assert(sizeof(sigset_t) == 8, "i386 kernel sigset_t");

/* The one-word set of the old sigprocmask/sigpending/sigaction calls. */
typedef unsigned long old_sigset_t;

/* sa_flags. */
#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004
#define SA_UNSUPPORTED 0x00000400
#define SA_EXPOSE_TAGBITS 0x00000800
#define SA_RESTORER 0x04000000
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000
#define SA_NOMASK SA_NODEFER
#define SA_ONESHOT SA_RESETHAND

/* sigprocmask() how. */
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* Handlers and restorers are user-space code addresses. */
typedef void __signalfn_t(int);
typedef __signalfn_t __user *__sighandler_t;
typedef void __restorefn_t(void);
typedef __restorefn_t __user *__sigrestore_t;

#define SIG_DFL ((__sighandler_t)0)
#define SIG_IGN ((__sighandler_t)1)
#define SIG_ERR ((__sighandler_t)-1)

/* rt_sigaction()'s argument (sigsetsize == 8): mask last. */
struct sigaction {
	__sighandler_t sa_handler;
	unsigned long sa_flags;
	__sigrestore_t sa_restorer;
	sigset_t sa_mask;
};
_Static_assert(sizeof(struct sigaction) == 20, "i386 kernel sigaction");
_Static_assert(__builtin_offsetof(struct sigaction, sa_mask) == 12,
	       "i386 kernel sigaction");

/* The old sigaction() (67) argument: one-word mask second. */
struct old_sigaction {
	__sighandler_t sa_handler;
	old_sigset_t sa_mask;
	unsigned long sa_flags;
	__sigrestore_t sa_restorer;
};
_Static_assert(sizeof(struct old_sigaction) == 16, "i386 old_sigaction");

/* sigaltstack(). */
typedef struct sigaltstack {
	void __user *ss_sp;
	int ss_flags;
	size_t ss_size;
} stack_t;
_Static_assert(sizeof(stack_t) == 12, "i386 stack_t");

#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1U << 31)
#define SS_FLAG_BITS SS_AUTODISARM

#define MINSIGSTKSZ 2048
#define SIGSTKSZ 8192

typedef union sigval {
	int sival_int;
	void __user *sival_ptr;
} sigval_t;

/*
 * The per-cause fields of siginfo_t. Which member is valid is decided by
 * the signal number and si_code, as Linux's siginfo_layout() does.
 */
union __sifields {
	struct { /* kill(), tkill(), SI_USER */
		s32 _pid;
		u32 _uid;
	} _kill;
	struct { /* POSIX timers */
		s32 _tid;
		int _overrun;
		sigval_t _sigval;
		int _sys_private;
	} _timer;
	struct { /* sigqueue(), SI_QUEUE */
		s32 _pid;
		u32 _uid;
		sigval_t _sigval;
	} _rt;
	struct { /* SIGCHLD */
		s32 _pid;
		u32 _uid;
		int _status;
		long _utime; /* clock_t */
		long _stime;
	} _sigchld;
	struct { /* SIGILL, SIGFPE, SIGSEGV, SIGBUS, SIGTRAP */
		void __user *_addr;
		union {
			short _addr_lsb; /* BUS_MCEERR_AR/AO */
			struct { /* SEGV_BNDERR */
				char _dummy_bnd[4];
				void __user *_lower;
				void __user *_upper;
			} _addr_bnd;
			struct { /* SEGV_PKUERR */
				char _dummy_pkey[4];
				u32 _pkey;
			} _addr_pkey;
			struct { /* TRAP_PERF */
				unsigned long _data;
				u32 _type;
				u32 _flags;
			} _perf;
		};
	} _sigfault;
	struct { /* SIGPOLL */
		long _band;
		int _fd;
	} _sigpoll;
	struct { /* SIGSYS */
		void __user *_call_addr;
		int _syscall;
		unsigned int _arch;
	} _sigsys;
};

#define SI_MAX_SIZE 128

typedef struct siginfo {
	union {
		struct {
			int si_signo;
			int si_errno;
			int si_code;
			union __sifields _sifields;
		};
		int _si_pad[SI_MAX_SIZE / sizeof(int)];
	};
} siginfo_t;
_Static_assert(sizeof(siginfo_t) == 128, "siginfo_t");
_Static_assert(__builtin_offsetof(siginfo_t, _sifields) == 12, "siginfo_t");

#define si_pid _sifields._kill._pid
#define si_uid _sifields._kill._uid
#define si_tid _sifields._timer._tid
#define si_overrun _sifields._timer._overrun
#define si_sys_private _sifields._timer._sys_private
#define si_status _sifields._sigchld._status
#define si_utime _sifields._sigchld._utime
#define si_stime _sifields._sigchld._stime
#define si_value _sifields._rt._sigval
#define si_int _sifields._rt._sigval.sival_int
#define si_ptr _sifields._rt._sigval.sival_ptr
#define si_addr _sifields._sigfault._addr
#define si_addr_lsb _sifields._sigfault._addr_lsb
#define si_lower _sifields._sigfault._addr_bnd._lower
#define si_upper _sifields._sigfault._addr_bnd._upper
#define si_pkey _sifields._sigfault._addr_pkey._pkey
#define si_band _sifields._sigpoll._band
#define si_fd _sifields._sigpoll._fd
#define si_call_addr _sifields._sigsys._call_addr
#define si_syscall _sifields._sigsys._syscall
#define si_arch _sifields._sigsys._arch

/* si_code: who sent it. Values <= 0 come from user space. */
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_QUEUE (-1)
#define SI_TIMER (-2)
#define SI_MESGQ (-3)
#define SI_ASYNCIO (-4)
#define SI_SIGIO (-5)
#define SI_TKILL (-6)
#define SI_DETHREAD (-7)
#define SI_ASYNCNL (-60)

/* si_code for SIGILL. */
#define ILL_ILLOPC 1
#define ILL_ILLOPN 2
#define ILL_ILLADR 3
#define ILL_ILLTRP 4
#define ILL_PRVOPC 5
#define ILL_PRVREG 6
#define ILL_COPROC 7
#define ILL_BADSTK 8
#define ILL_BADIADDR 9

/* si_code for SIGFPE. */
#define FPE_INTDIV 1
#define FPE_INTOVF 2
#define FPE_FLTDIV 3
#define FPE_FLTOVF 4
#define FPE_FLTUND 5
#define FPE_FLTRES 6
#define FPE_FLTINV 7
#define FPE_FLTSUB 8
#define FPE_FLTUNK 14
#define FPE_CONDTRAP 15

/* si_code for SIGSEGV. */
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define SEGV_BNDERR 3
#define SEGV_PKUERR 4

/* si_code for SIGBUS. */
#define BUS_ADRALN 1
#define BUS_ADRERR 2
#define BUS_OBJERR 3
#define BUS_MCEERR_AR 4
#define BUS_MCEERR_AO 5

/* si_code for SIGTRAP. */
#define TRAP_BRKPT 1
#define TRAP_TRACE 2
#define TRAP_BRANCH 3
#define TRAP_HWBKPT 4
#define TRAP_UNK 5
#define TRAP_PERF 6

/* si_code for SIGCHLD. */
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_TRAPPED 4
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

/* si_code for SIGPOLL. */
#define POLL_IN 1
#define POLL_OUT 2
#define POLL_MSG 3
#define POLL_ERR 4
#define POLL_PRI 5
#define POLL_HUP 6

/* si_code for SIGSYS. */
#define SYS_SECCOMP 1
#define SYS_USER_DISPATCH 2

/* timer_create()'s notification request. */
#define SIGEV_SIGNAL 0
#define SIGEV_NONE 1
#define SIGEV_THREAD 2
#define SIGEV_THREAD_ID 4

#define SIGEV_MAX_SIZE 64

typedef struct sigevent {
	sigval_t sigev_value;
	int sigev_signo;
	int sigev_notify;
	union {
		int _pad[(SIGEV_MAX_SIZE - 12) / sizeof(int)];
		int _tid;
		struct {
			void __user *_function;
			void __user *_attribute;
		} _sigev_thread;
	} _sigev_un;
} sigevent_t;
_Static_assert(sizeof(sigevent_t) == 64, "i386 sigevent_t");

#endif /* _UAPI_SIGNAL_H */
