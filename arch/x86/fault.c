/*
 * The page-fault exception (vector 14) on user addresses.
 *
 * traps.c calls do_page_fault() first for every page fault. This file
 * translates the CPU's error code (SDM vol. 3, 4.7, figure 4-12) into
 * FAULT_FLAG_* and decides whether the fault may be handled at all: the
 * portable handler, handle_mm_fault() in mm/memory.c, sleeps on the
 * mm's mmap_lock and may allocate, so it runs only for user addresses,
 * in a task with an address space, from a context that may sleep.
 * Everything else is returned to traps.c as VM_FAULT_SIGSEGV_MAPERR,
 * which signals the process, or applies an exception-table fixup, or
 * oopses.
 */
#include <asm/irqflags.h>
#include <asm/pgtable.h>
#include <asm/ptrace.h>
#include <asm/traps.h>
#include <kestrel/mman.h>
#include <kestrel/preempt.h>
#include <kestrel/sched.h>

static unsigned int fault_flags(unsigned long error_code)
{
	unsigned int flags = 0;

	if (error_code & X86_PF_WRITE)
		flags |= FAULT_FLAG_WRITE;
	if (error_code & X86_PF_USER)
		flags |= FAULT_FLAG_USER;
	if (error_code & X86_PF_INSTR)
		flags |= FAULT_FLAG_INSTRUCTION;
	return flags;
}

/* May the fault at @regs sleep? Not with a raised preemption count
 * (a spinlock, preempt_disable()) nor with interrupts off. */
static bool fault_may_sleep(const struct pt_regs *regs)
{
	if (user_mode(regs))
		return true;
	return !preempt_count() && (regs->flags & X86_EFLAGS_IF);
}

int do_page_fault(struct pt_regs *regs, unsigned long address)
{
	struct mm_struct *mm = current->mm;

	if (address >= TASK_SIZE || !mm)
		return VM_FAULT_SIGSEGV_MAPERR;
	/* A reserved bit set: a corrupt page table, never our mapping. */
	if (regs->error_code & X86_PF_RSVD)
		return VM_FAULT_SIGSEGV_MAPERR;
	if (!fault_may_sleep(regs))
		return VM_FAULT_SIGSEGV_MAPERR;
	/* A user copy under mmap_lock would wait for itself: a kernel
	 * bug, made an -EFAULT (through the fixup) instead of a hang. */
	if (WARN_ON(mutex_owned(&mm->mmap_lock)))
		return VM_FAULT_SIGSEGV_MAPERR;
	return handle_mm_fault(mm, address, fault_flags(regs->error_code));
}
