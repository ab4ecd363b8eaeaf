/*
 * The i386 signal frame: what the kernel pushes on the user stack before
 * running a handler, and what sigreturn/rt_sigreturn read back. struct
 * sigcontext, the legacy FPU save area struct _fpstate, struct ucontext and
 * the two frame layouts (sigframe for handlers without SA_SIGINFO,
 * rt_sigframe for the rt_sigaction path glibc uses) are copied from Linux's
 * arch/x86/include/uapi/asm/sigcontext.h, asm/ucontext.h and
 * arch/x86/include/asm/sigframe.h. glibc, gdb and unwinders read these
 * offsets directly; they are facts of the ABI and must not change.
 */
#ifndef _UAPI_SIGCONTEXT_H
#define _UAPI_SIGCONTEXT_H

#include <kestrel/types.h>
#include <uapi/signal.h>

/* Software-reserved bytes at the end of _fpstate when XSAVE state follows. */
#define FP_XSTATE_MAGIC1 0x46505853U
#define FP_XSTATE_MAGIC2 0x46505845U
#define FP_XSTATE_MAGIC2_SIZE sizeof(FP_XSTATE_MAGIC2)

struct _fpx_sw_bytes {
	u32 magic1; /* FP_XSTATE_MAGIC1, or 0 for a legacy frame */
	u32 extended_size; /* whole fpstate area, including MAGIC2 */
	u64 xfeatures;
	u32 xstate_size;
	u32 padding[7];
};
_Static_assert(sizeof(struct _fpx_sw_bytes) == 48, "_fpx_sw_bytes");

/* One x87 register as FSAVE stores it. */
struct _fpreg {
	u16 significand[4];
	u16 exponent;
};
_Static_assert(sizeof(struct _fpreg) == 10, "_fpreg");

/* One x87 register as FXSAVE stores it. */
struct _fpxreg {
	u16 significand[4];
	u16 exponent;
	u16 padding[3];
};
_Static_assert(sizeof(struct _fpxreg) == 16, "_fpxreg");

struct _xmmreg {
	u32 element[4];
};

/* magic: FSAVE data only, or FXSAVE data follows. */
#define X86_FXSR_MAGIC 0x0000
#define X86_FSAVE_MAGIC 0xffff

/*
 * The i386 FPU save area (_fpstate_32): the 112-byte FSAVE image, then
 * from offset 112 the 512-byte FXSAVE image whose last 48 bytes hold
 * struct _fpx_sw_bytes. Must be 16-byte aligned on the stack for FXSAVE.
 */
struct _fpstate {
	u32 cw;
	u32 sw;
	u32 tag;
	u32 ipoff;
	u32 cssel;
	u32 dataoff;
	u32 datasel;
	struct _fpreg _st[8];
	u16 status;
	u16 magic; /* X86_FSAVE_MAGIC or X86_FXSR_MAGIC */
	u32 _fxsr_env[6];
	u32 mxcsr;
	u32 reserved;
	struct _fpxreg _fxsr_st[8];
	struct _xmmreg _xmm[8];
	union {
		u32 padding1[44];
		u32 padding[44];
	};
	union {
		u32 padding2[12];
		struct _fpx_sw_bytes sw_reserved;
	};
};
_Static_assert(sizeof(struct _fpstate) == 624, "i386 _fpstate");
_Static_assert(__builtin_offsetof(struct _fpstate, _fxsr_env) == 112,
	       "i386 _fpstate: FXSAVE image at 112");
_Static_assert(__builtin_offsetof(struct _fpstate, sw_reserved) == 576,
	       "i386 _fpstate");

/* The user registers at the time of the signal (sigcontext_32). */
struct sigcontext {
	u16 gs, __gsh;
	u16 fs, __fsh;
	u16 es, __esh;
	u16 ds, __dsh;
	u32 di;
	u32 si;
	u32 bp;
	u32 sp;
	u32 bx;
	u32 dx;
	u32 cx;
	u32 ax;
	u32 trapno;
	u32 err;
	u32 ip;
	u16 cs, __csh;
	u32 flags;
	u32 sp_at_signal;
	u16 ss, __ssh;
	u32 fpstate; /* user address of struct _fpstate, 0 if none */
	u32 oldmask; /* first word of the blocked set */
	u32 cr2; /* faulting address for a page fault */
};
_Static_assert(sizeof(struct sigcontext) == 88, "i386 sigcontext");
_Static_assert(__builtin_offsetof(struct sigcontext, ip) == 56,
	       "i386 sigcontext");
_Static_assert(__builtin_offsetof(struct sigcontext, fpstate) == 76,
	       "i386 sigcontext");

/* uc_flags. */
#define UC_FP_XSTATE 0x1

struct ucontext {
	unsigned long uc_flags;
	u32 uc_link; /* user address of a struct ucontext */
	stack_t uc_stack;
	struct sigcontext uc_mcontext;
	sigset_t uc_sigmask; /* last, for extensibility */
};
_Static_assert(sizeof(struct ucontext) == 116, "i386 ucontext");
_Static_assert(__builtin_offsetof(struct ucontext, uc_mcontext) == 20,
	       "i386 ucontext");

/*
 * The frame of a handler installed without SA_SIGINFO. fpstate_unused
 * keeps extramask at its historical offset; the real FPU state follows
 * retcode.
 */
struct sigframe {
	u32 pretcode; /* return address: sa_restorer or retcode */
	int sig;
	struct sigcontext sc;
	struct _fpstate fpstate_unused;
	unsigned int extramask[_NSIG_WORDS - 1];
	char retcode[8];
};
_Static_assert(sizeof(struct sigframe) == 732, "i386 sigframe");
_Static_assert(__builtin_offsetof(struct sigframe, extramask) == 720,
	       "i386 sigframe");

/* The frame of an SA_SIGINFO handler: handler(sig, pinfo, puc). */
struct rt_sigframe {
	u32 pretcode;
	int sig;
	u32 pinfo; /* user address of info */
	u32 puc; /* user address of uc */
	siginfo_t info;
	struct ucontext uc;
	char retcode[8];
};
_Static_assert(sizeof(struct rt_sigframe) == 268, "i386 rt_sigframe");
_Static_assert(__builtin_offsetof(struct rt_sigframe, info) == 16,
	       "i386 rt_sigframe");
_Static_assert(__builtin_offsetof(struct rt_sigframe, uc) == 144,
	       "i386 rt_sigframe");

#endif /* _UAPI_SIGCONTEXT_H */
