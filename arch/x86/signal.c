/*
 * Signal delivery on i386: the frames a handler runs on, as Linux lays
 * them out (glibc depends on it), and sigreturn.
 *
 * For a handler with SA_SIGINFO the kernel pushes a struct rt_sigframe
 * (handler(sig, &info, &uc)); otherwise the older struct sigframe
 * (handler(sig)). Both hold the interrupted registers in a struct
 * sigcontext, and the FPU/SSE state goes below them in a struct
 * _fpstate. The handler returns to pretcode: the sa_restorer glibc
 * gave (SA_RESTORER), or the frame's own retcode, which calls
 * (rt_)sigreturn; that restores everything from the frame.
 *
 * System calls interrupted by a signal: -ERESTARTSYS restarts when the
 * handler has SA_RESTART and fails with EINTR otherwise;
 * -ERESTARTNOHAND restarts only if no handler runs; -ERESTARTNOINTR
 * always restarts; -ERESTART_RESTARTBLOCK restarts through
 * restart_syscall. Restarting is backing eip over the 2-byte int $0x80.
 */
#include <asm/fpu.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#include <asm/switch_to.h>
#include <kestrel/errno.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <uapi/sigcontext.h>
#include <uapi/unistd_32.h>

#define INT80_INSN_LEN 2
#define FPSTATE_ALIGN 64
/* EFLAGS bits a signal handler may change (Linux's FIX_EFLAGS). */
#define FIX_EFLAGS 0x00040dd5 /* AC, OF, DF, TF, SF, ZF, AF, PF, CF */

static bool is_syscall(const struct pt_regs *regs)
{
	return regs->vector == 0x80;
}

/* ---- FPU state in the frame ------------------------------------------- */

/* Copy the task's FPU/SSE state to @fp (user, 64-byte aligned). */
static int save_fpstate(struct _fpstate __user *fp)
{
	struct task *t = current;

	fpu_save(t);
	if (clear_user(fp, offsetof(struct _fpstate, _fxsr_env)))
		return -EFAULT;
	if (copy_to_user(&fp->_fxsr_env, &t->thread.fpu, FXSAVE_SIZE))
		return -EFAULT;
	return put_user((u16)X86_FXSR_MAGIC, &fp->magic);
}

static int restore_fpstate(const struct _fpstate __user *fp)
{
	struct task *t = current;

	if (!fp)
		return 0;
	if (copy_from_user(&t->thread.fpu, &fp->_fxsr_env, FXSAVE_SIZE))
		return -EFAULT;
	fpu_sanitize_and_reload(t);
	return 0;
}

/* ---- sigcontext ------------------------------------------------------- */

static int setup_sigcontext(struct sigcontext __user *sc,
			    struct _fpstate __user *fp,
			    const struct pt_regs *regs, unsigned long mask)
{
	struct sigcontext k;

	memset(&k, 0, sizeof(k));
	k.gs = (u16)regs->gs;
	k.fs = (u16)regs->fs;
	k.es = (u16)regs->es;
	k.ds = (u16)regs->ds;
	k.di = regs->di;
	k.si = regs->si;
	k.bp = regs->bp;
	k.sp = regs->sp;
	k.bx = regs->bx;
	k.dx = regs->dx;
	k.cx = regs->cx;
	k.ax = regs->ax;
	k.trapno = regs->vector;
	k.err = regs->error_code;
	k.ip = regs->ip;
	k.cs = (u16)regs->cs;
	k.flags = regs->flags;
	k.sp_at_signal = regs->sp;
	k.ss = (u16)regs->ss;
	k.fpstate = (u32)(uintptr_t)fp;
	k.oldmask = mask;
	k.cr2 = current->thread.cr2;
	if (copy_to_user(sc, &k, sizeof(k)))
		return -EFAULT;
	return save_fpstate(fp);
}

/* A selector user space may load into a data segment register: null, or
 * an RPL-3 GDT entry (the user data segment or a TLS slot). */
static bool user_data_selector(u16 sel)
{
	unsigned int idx = sel >> 3;

	if (!(sel & ~SEGMENT_RPL_MASK))
		return true;
	return (sel & SEGMENT_RPL_MASK) == USER_RPL && !(sel & 0x4) &&
	       (sel == __USER_DS ||
		(idx >= GDT_ENTRY_TLS_MIN && idx <= GDT_ENTRY_TLS_MAX));
}

/* Load @regs from the user's sigcontext, checking what the user could
 * have forged: segment selectors and privileged EFLAGS bits. */
static int restore_sigcontext(struct pt_regs *regs,
			      const struct sigcontext __user *sc)
{
	struct sigcontext k;

	if (copy_from_user(&k, sc, sizeof(k)))
		return -EFAULT;
	if (!user_data_selector(k.ds) || !user_data_selector(k.es) ||
	    !user_data_selector(k.fs) || !user_data_selector(k.gs))
		return -EFAULT;
	regs->gs = k.gs;
	regs->fs = k.fs;
	regs->es = k.es;
	regs->ds = k.ds;
	regs->di = k.di;
	regs->si = k.si;
	regs->bp = k.bp;
	regs->sp = k.sp;
	regs->bx = k.bx;
	regs->dx = k.dx;
	regs->cx = k.cx;
	regs->ax = k.ax;
	regs->ip = k.ip;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->flags = (regs->flags & ~FIX_EFLAGS) | (k.flags & FIX_EFLAGS);
	regs->vector = 0; /* no system call to restart any more */
	load_user_fs_gs(k.fs, k.gs); /* restore_all leaves FS and GS alone */
	return restore_fpstate(
		(const struct _fpstate __user *)(uintptr_t)k.fpstate);
}

/* ---- frames ---------------------------------------------------------- */

/* Where the frame goes: the alternate stack if asked for and not
 * already on it, else below the interrupted stack pointer. */
static unsigned long frame_base(const struct k_sigaction *ka,
				const struct pt_regs *regs)
{
	struct task *t = current;
	unsigned long sp = regs->sp;
	bool on_altstack = t->sas_ss_size && sp > t->sas_ss_sp &&
			   sp - t->sas_ss_sp <= t->sas_ss_size;

	if ((ka->sa.sa_flags & SA_ONSTACK) && t->sas_ss_size && !on_altstack)
		sp = t->sas_ss_sp + t->sas_ss_size;
	return sp;
}

/* Reserve the FPU area and a frame of @size below @sp; the handler
 * sees its stack as if after a call (esp + 4 aligned to 16). */
static void __user *get_frame(unsigned long sp, size_t size,
			      struct _fpstate __user **fp)
{
	sp -= sizeof(struct _fpstate);
	sp &= ~(unsigned long)(FPSTATE_ALIGN - 1);
	*fp = (struct _fpstate __user *)sp;
	sp -= size;
	sp = ((sp + 4) & ~15UL) - 4;
	return (void __user *)sp;
}

static const u8 sigreturn_code[8] = {
	0x58, /* popl %eax */
	0xb8, __NR_sigreturn, 0, 0, 0, /* movl $__NR_sigreturn, %eax */
	0xcd, 0x80, /* int $0x80 */
};

static const u8 rt_sigreturn_code[8] = {
	0xb8, __NR_rt_sigreturn,
	0,    0,
	0, /* movl $__NR_rt_sigreturn, %eax */
	0xcd, 0x80, /* int $0x80 */
	0,
};

static u32 frame_return(const struct k_sigaction *ka, void __user *retcode)
{
	if (ka->sa.sa_flags & SA_RESTORER)
		return (u32)(uintptr_t)ka->sa.sa_restorer;
	return (u32)(uintptr_t)retcode;
}

static int setup_frame(int sig, const struct k_sigaction *ka,
		       const sigset_t *set, struct pt_regs *regs)
{
	struct _fpstate __user *fp;
	struct sigframe __user *frame =
		get_frame(frame_base(ka, regs), sizeof(*frame), &fp);

	if (!access_ok(frame, sizeof(*frame)))
		return -EFAULT;
	if (put_user(sig, &frame->sig) ||
	    setup_sigcontext(&frame->sc, fp, regs, set->sig[0]) ||
	    put_user((unsigned int)set->sig[1], &frame->extramask[0]) ||
	    copy_to_user(frame->retcode, sigreturn_code, 8) ||
	    put_user(frame_return(ka, frame->retcode), &frame->pretcode))
		return -EFAULT;
	regs->sp = (unsigned long)(uintptr_t)frame;
	regs->ip = (unsigned long)(uintptr_t)ka->sa.sa_handler;
	regs->ax = (unsigned long)sig;
	regs->dx = regs->cx = 0;
	return 0;
}

static int setup_rt_frame(int sig, const struct k_sigaction *ka,
			  const siginfo_t *info, const sigset_t *set,
			  struct pt_regs *regs)
{
	struct task *t = current;
	struct _fpstate __user *fp;
	struct rt_sigframe __user *frame =
		get_frame(frame_base(ka, regs), sizeof(*frame), &fp);
	stack_t st = {
		.ss_sp = (void __user *)t->sas_ss_sp,
		.ss_size = t->sas_ss_size,
		.ss_flags = t->sas_ss_size ? 0 : SS_DISABLE,
	};

	if (!access_ok(frame, sizeof(*frame)))
		return -EFAULT;
	if (put_user(sig, &frame->sig) ||
	    put_user((u32)(uintptr_t)&frame->info, &frame->pinfo) ||
	    put_user((u32)(uintptr_t)&frame->uc, &frame->puc) ||
	    copy_to_user(&frame->info, info, sizeof(*info)) ||
	    clear_user(&frame->uc, offsetof(struct ucontext, uc_stack)) ||
	    copy_to_user(&frame->uc.uc_stack, &st, sizeof(st)) ||
	    setup_sigcontext(&frame->uc.uc_mcontext, fp, regs, set->sig[0]) ||
	    copy_to_user(&frame->uc.uc_sigmask, set, sizeof(*set)) ||
	    copy_to_user(frame->retcode, rt_sigreturn_code, 8) ||
	    put_user(frame_return(ka, frame->retcode), &frame->pretcode))
		return -EFAULT;
	regs->sp = (unsigned long)(uintptr_t)frame;
	regs->ip = (unsigned long)(uintptr_t)ka->sa.sa_handler;
	/* Also in registers, as Linux does (regparm handlers). */
	regs->ax = (unsigned long)sig;
	regs->dx = (unsigned long)(uintptr_t)&frame->info;
	regs->cx = (unsigned long)(uintptr_t)&frame->uc;
	return 0;
}

/* ---- delivery ---------------------------------------------------------- */

static void restart_syscall_with(struct pt_regs *regs, unsigned long nr)
{
	regs->ax = nr;
	regs->ip -= INT80_INSN_LEN;
}

/* A handler is about to run: fix up the interrupted call's result. */
static void handler_restart(struct pt_regs *regs, const struct k_sigaction *ka)
{
	switch ((long)regs->ax) {
	case -ERESTART_RESTARTBLOCK:
	case -ERESTARTNOHAND:
		regs->ax = (unsigned long)-EINTR;
		break;
	case -ERESTARTSYS:
		if (!(ka->sa.sa_flags & SA_RESTART)) {
			regs->ax = (unsigned long)-EINTR;
			break;
		}
		restart_syscall_with(regs, regs->orig_ax);
		break;
	case -ERESTARTNOINTR:
		restart_syscall_with(regs, regs->orig_ax);
		break;
	}
}

/* No handler ran: every restartable call restarts. */
static void no_handler_restart(struct pt_regs *regs)
{
	switch ((long)regs->ax) {
	case -ERESTARTNOHAND:
	case -ERESTARTSYS:
	case -ERESTARTNOINTR:
		restart_syscall_with(regs, regs->orig_ax);
		break;
	case -ERESTART_RESTARTBLOCK:
		restart_syscall_with(regs, __NR_restart_syscall);
		break;
	}
}

/* The mask the interrupted code had: sigsuspend's saved one, if any. */
static sigset_t *sigmask_to_save(void)
{
	struct task *t = current;

	return t->restore_sigmask ? &t->saved_sigmask : &t->blocked;
}

static void handle_signal(int sig, const struct k_sigaction *ka,
			  const siginfo_t *info, struct pt_regs *regs)
{
	sigset_t *oldset = sigmask_to_save(), blocked;
	int err;

	if (is_syscall(regs))
		handler_restart(regs, ka);
	if (ka->sa.sa_flags & SA_SIGINFO)
		err = setup_rt_frame(sig, ka, info, oldset, regs);
	else
		err = setup_frame(sig, ka, oldset, regs);
	current->restore_sigmask = false;
	if (err) {
		force_sig(SIGSEGV);
		return;
	}
	regs->flags &= ~(X86_EFLAGS_TF | X86_EFLAGS_DF);
	blocked = current->blocked;
	blocked.sig[0] |= ka->sa.sa_mask.sig[0];
	blocked.sig[1] |= ka->sa.sa_mask.sig[1];
	if (!(ka->sa.sa_flags & SA_NODEFER))
		sigaddset(&blocked, sig);
	set_current_blocked(&blocked);
}

void do_signal(struct pt_regs *regs)
{
	struct k_sigaction ka;
	siginfo_t info;
	int sig = get_signal(&ka, &info);

	if (sig) {
		handle_signal(sig, &ka, &info, regs);
		return;
	}
	if (is_syscall(regs))
		no_handler_restart(regs);
	if (current->restore_sigmask) {
		current->restore_sigmask = false;
		set_current_blocked(&current->saved_sigmask);
	}
}

/* ---- sigreturn --------------------------------------------------------- */

SYSCALL_DEFINE0(sigreturn)
{
	struct pt_regs *regs = current_pt_regs();
	/* The handler's ret popped pretcode, retcode popped sig. */
	struct sigframe __user *frame =
		(struct sigframe __user *)(regs->sp - 8);
	sigset_t set;
	unsigned int extra;

	if (get_user(set.sig[0], &frame->sc.oldmask) ||
	    get_user(extra, &frame->extramask[0]))
		goto badframe;
	set.sig[1] = extra;
	set_current_blocked(&set);
	if (restore_sigcontext(regs, &frame->sc))
		goto badframe;
	return (long)regs->ax;
badframe:
	force_sig(SIGSEGV);
	return 0;
}

SYSCALL_DEFINE0(rt_sigreturn)
{
	struct pt_regs *regs = current_pt_regs();
	struct rt_sigframe __user *frame =
		(struct rt_sigframe __user *)(regs->sp - 4);
	sigset_t set;
	stack_t st;

	if (copy_from_user(&set, &frame->uc.uc_sigmask, sizeof(set)))
		goto badframe;
	set_current_blocked(&set);
	if (restore_sigcontext(regs, &frame->uc.uc_mcontext))
		goto badframe;
	if (!copy_from_user(&st, &frame->uc.uc_stack, sizeof(st)) &&
	    !(st.ss_flags & SS_DISABLE)) {
		current->sas_ss_sp = (unsigned long)(uintptr_t)st.ss_sp;
		current->sas_ss_size = st.ss_size;
	}
	return (long)regs->ax;
badframe:
	force_sig(SIGSEGV);
	return 0;
}
