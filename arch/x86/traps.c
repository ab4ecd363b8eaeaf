/*
 * CPU exceptions.
 *
 * Every exception lands in do_exception() with the registers of the
 * interrupted code. A fault in kernel mode at an instruction listed in
 * the exception table (the user-copy routines) is fixed up and resumes;
 * any other kernel fault is an oops: die() prints what happened (the
 * exception, the error code, CR2 for a page fault, all registers, a
 * symbolised backtrace) and panics. Faults from user mode become
 * signals once processes exist; until then they are oopses too.
 */
#include <asm/desc.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/traps.h>
#include <kestrel/irqflags.h>
#include <kestrel/kallsyms.h>
#include <kestrel/mman.h>
#include <kestrel/panic.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/syscalls.h>
#include <kestrel/stacktrace.h>

_Static_assert(offsetof(struct pt_regs, ds) == 28, "entry.inc PT_DS");
_Static_assert(offsetof(struct pt_regs, vector) == 44, "entry.inc PT_VECTOR");
_Static_assert(offsetof(struct pt_regs, ip) == 52, "entry.inc PT_IP");
_Static_assert(offsetof(struct pt_regs, ss) == 68, "entry.inc PT_SS");

static const char *const exception_names[NR_EXCEPTIONS] = {
	[X86_TRAP_DE] = "divide error",
	[X86_TRAP_DB] = "debug",
	[X86_TRAP_NMI] = "non-maskable interrupt",
	[X86_TRAP_BP] = "int3",
	[X86_TRAP_OF] = "overflow",
	[X86_TRAP_BR] = "bounds",
	[X86_TRAP_UD] = "invalid opcode",
	[X86_TRAP_NM] = "device not available",
	[X86_TRAP_DF] = "double fault",
	[X86_TRAP_OLD_MF] = "coprocessor segment overrun",
	[X86_TRAP_TS] = "invalid TSS",
	[X86_TRAP_NP] = "segment not present",
	[X86_TRAP_SS] = "stack segment",
	[X86_TRAP_GP] = "general protection fault",
	[X86_TRAP_PF] = "page fault",
	[X86_TRAP_MF] = "coprocessor error",
	[X86_TRAP_AC] = "alignment check",
	[X86_TRAP_MC] = "machine check",
	[X86_TRAP_XF] = "SIMD coprocessor error",
	[X86_TRAP_VE] = "virtualization exception",
	[X86_TRAP_CP] = "control protection",
};

static const char *exception_name(unsigned long vector)
{
	if (vector < NR_EXCEPTIONS && exception_names[vector])
		return exception_names[vector];
	return "reserved exception";
}

extern const struct exception_table_entry __ex_table_start[];
extern const struct exception_table_entry __ex_table_end[];

bool fixup_exception(struct pt_regs *regs)
{
	const struct exception_table_entry *e;

	for (e = __ex_table_start; e < __ex_table_end; e++) {
		if (e->insn == regs->ip) {
			regs->ip = e->fixup;
			return true;
		}
	}
	return false;
}

/**
 * show_regs - print @regs the way Linux's i386 oops does
 */
void show_regs(const struct pt_regs *regs)
{
	unsigned long sp = kernel_stack_pointer(regs);
	unsigned long ss = user_mode(regs) ? regs->ss : __KERNEL_DS;
	char sym[KSYM_NAME_LEN + 32];

	printk(KERN_EMERG "EIP: %04lx:[<%08lx>] EFLAGS: %08lx\n", regs->cs,
	       regs->ip, regs->flags);
	sprint_symbol(sym, sizeof(sym), regs->ip);
	printk(KERN_EMERG "EIP is at %s\n", sym);
	printk(KERN_EMERG "EAX: %08lx EBX: %08lx ECX: %08lx EDX: %08lx\n",
	       regs->ax, regs->bx, regs->cx, regs->dx);
	printk(KERN_EMERG "ESI: %08lx EDI: %08lx EBP: %08lx ESP: %08lx\n",
	       regs->si, regs->di, regs->bp, sp);
	printk(KERN_EMERG "DS: %04lx ES: %04lx FS: %04lx GS: %04lx SS: %04lx\n",
	       regs->ds, regs->es, regs->fs, regs->gs, ss);
	printk(KERN_EMERG "CR0: %08lx CR2: %08lx CR3: %08lx CR4: %08lx\n",
	       read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

static int die_nesting;

/**
 * die - report a fatal fault in the kernel and panic
 * @msg: what happened, e.g. "general protection fault"
 * @regs: the registers at the fault
 */
void die(const char *msg, struct pt_regs *regs)
{
	oops_begin();
	if (die_nesting++)
		panic("recursive fault while reporting: %s", msg);
	printk(KERN_EMERG "Oops: %s: %04lx [#1]\n", msg, regs->error_code);
	show_regs(regs);
	show_stack(regs->ip, regs->bp, kernel_stack_pointer(regs));
	panic("Fatal exception");
}

static void page_fault_oops(struct pt_regs *regs, unsigned long address)
{
	const char *what;

	if (address < PAGE_SIZE)
		what = "kernel NULL pointer dereference";
	else
		what = "unable to handle page fault";
	printk(KERN_EMERG "BUG: %s at address: %08lx\n", what, address);
	printk(KERN_EMERG "#PF: %s %s access in %s mode\n",
	       regs->error_code & X86_PF_USER ? "user" : "supervisor",
	       regs->error_code & X86_PF_INSTR ? "instruction fetch" :
	       regs->error_code & X86_PF_WRITE ? "write" :
						 "read",
	       user_mode(regs) ? "user" : "kernel");
	printk(KERN_EMERG "#PF: error_code(0x%04lx) - %s\n", regs->error_code,
	       regs->error_code & X86_PF_PROT ? "permissions violation" :
						"not-present page");
	die("page fault", regs);
}

/* The signal a user-mode exception raises, Linux's choices. */
static const struct {
	int sig, code;
} trap_signals[NR_EXCEPTIONS] = {
	[X86_TRAP_DE] = { SIGFPE, FPE_INTDIV },
	[X86_TRAP_DB] = { SIGTRAP, TRAP_BRKPT },
	[X86_TRAP_BP] = { SIGTRAP, SI_KERNEL },
	[X86_TRAP_OF] = { SIGSEGV, SI_KERNEL },
	[X86_TRAP_BR] = { SIGSEGV, SI_KERNEL },
	[X86_TRAP_UD] = { SIGILL, ILL_ILLOPN },
	[X86_TRAP_NM] = { SIGSEGV, SI_KERNEL },
	[X86_TRAP_OLD_MF] = { SIGFPE, SI_KERNEL },
	[X86_TRAP_TS] = { SIGSEGV, SI_KERNEL },
	[X86_TRAP_NP] = { SIGBUS, SI_KERNEL },
	[X86_TRAP_SS] = { SIGBUS, SI_KERNEL },
	[X86_TRAP_GP] = { SIGSEGV, SI_KERNEL },
	[X86_TRAP_MF] = { SIGFPE, FPE_FLTINV },
	[X86_TRAP_AC] = { SIGBUS, BUS_ADRALN },
	[X86_TRAP_XF] = { SIGFPE, FPE_FLTINV },
};

/* A fault of a user program: a signal to it, not an oops. */
static void user_trap(struct pt_regs *regs)
{
	unsigned long v = regs->vector;
	void __user *addr = (void __user *)regs->ip;

	if (v >= NR_EXCEPTIONS || !trap_signals[v].sig) {
		force_sig(SIGSEGV);
		return;
	}
	current->thread.cr2 = 0;
	if (trap_signals[v].code == SI_KERNEL)
		force_sig(trap_signals[v].sig);
	else
		force_sig_fault(trap_signals[v].sig, trap_signals[v].code,
				addr);
}

/*
 * A page fault: first the memory manager's chance to serve it (demand
 * paging, copy-on-write, stack growth); if it cannot, SIGSEGV/SIGBUS
 * for a user program, the exception-table fixup or an oops for the
 * kernel. Interrupts come back on for the memory manager (it may sleep)
 * when the faulting context had them on.
 */
static void do_user_or_kernel_page_fault(struct pt_regs *regs,
					 unsigned long address)
{
	int fault;

	if (regs->flags & X86_EFLAGS_IF)
		local_irq_enable();
	fault = do_page_fault(regs, address);
	if (!fault)
		return;
	if (user_mode(regs)) {
		current->thread.cr2 = address;
		pr_info("%s[%d]: segfault at %lx ip %08lx sp %08lx error %lx\n",
			current->comm, current->pid, address, regs->ip,
			regs->sp, regs->error_code);
		if (fault == VM_FAULT_OOM)
			force_sig(SIGKILL);
		else if (fault == VM_FAULT_SIGBUS)
			force_sig_fault(SIGBUS, BUS_ADRERR,
					(void __user *)address);
		else
			force_sig_fault(SIGSEGV, vm_fault_si_code(fault),
					(void __user *)address);
		return;
	}
	local_irq_disable();
	if (fixup_exception(regs))
		return;
	page_fault_oops(regs, address);
}

/**
 * do_exception - the C side of every CPU exception (entry.asm)
 * @regs: the interrupted context; the handler may change it
 *
 * Context: interrupts disabled (interrupt gates).
 */
void do_exception(struct pt_regs *regs)
{
	if (regs->vector == X86_TRAP_PF) {
		do_user_or_kernel_page_fault(regs, read_cr2());
	} else if (user_mode(regs)) {
		user_trap(regs);
	} else if (!fixup_exception(regs)) {
		die(exception_name(regs->vector), regs);
	}
	if (user_mode(regs))
		exit_to_user_mode(regs);
}

/*
 * The double-fault task (gdt.c). It runs on its own stack after a task
 * switch; the CPU saved the state of the faulting context into cpu_tss.
 */
void __noreturn doublefault_entry(void);
void __noreturn doublefault_entry(void)
{
	struct pt_regs regs = {
		.ax = cpu_tss.ax,
		.bx = cpu_tss.bx,
		.cx = cpu_tss.cx,
		.dx = cpu_tss.dx,
		.si = cpu_tss.si,
		.di = cpu_tss.di,
		.bp = cpu_tss.bp,
		.ds = cpu_tss.ds,
		.es = cpu_tss.es,
		.fs = cpu_tss.fs,
		.gs = cpu_tss.gs,
		.ip = cpu_tss.ip,
		.cs = cpu_tss.cs,
		.flags = cpu_tss.flags,
		.sp = cpu_tss.sp,
		.ss = cpu_tss.ss,
		.vector = X86_TRAP_DF,
	};

	oops_begin();
	printk(KERN_EMERG "PANIC: double fault, kernel stack overflow?\n");
	printk(KERN_EMERG "ESP at the fault: %08lx\n", regs.sp);
	show_regs(&regs);
	show_stack(regs.ip, regs.bp, regs.sp);
	panic("double fault");
}
