/*
 * The x86 side of tasks: building a new kernel thread's first stack
 * frame, and switching the CPU's per-task state (the TSS stack pointer
 * and the TLS descriptors) before the stacks themselves are switched.
 */
#include <asm/desc.h>
#include <asm/switch_to.h>
#include <asm/thread_info.h>
#include <kestrel/sched.h>
#include <kestrel/process.h>
#include <kestrel/string.h>
#include <kestrel/tls.h>

struct task *__switch_to_asm(struct task *prev, struct task *next);
void ret_from_kernel_thread(void);
void ret_from_fork(void);

/* The frame __switch_to_asm pops on a task's first switch-in. */
struct switch_frame {
	unsigned long di, si, bx, bp;
	unsigned long ret; /* where __switch_to_asm returns to */
};

static struct pt_regs *task_pt_regs(const struct task *task)
{
	return (struct pt_regs *)((unsigned long)task->stack + THREAD_SIZE) - 1;
}

struct pt_regs *current_pt_regs(void)
{
	return task_pt_regs(current);
}

/*
 * The stack of a new task, top down: the struct pt_regs it will return
 * to user mode with (entries from user mode put theirs there too: the
 * TSS points the CPU at the top), then the frame __switch_to_asm pops.
 */
void arch_setup_kthread(struct task *task, void (*fn)(void))
{
	unsigned long top = (unsigned long)task->stack + THREAD_SIZE;
	struct switch_frame *frame =
		(struct switch_frame *)task_pt_regs(task) - 1;

	memset(task_pt_regs(task), 0, sizeof(struct pt_regs));
	memset(frame, 0, sizeof(*frame));
	frame->bx = (unsigned long)fn;
	frame->ret = (unsigned long)ret_from_kernel_thread;
	task->thread.sp = (unsigned long)frame;
	task->thread.sp0 = top;
}

/* Load @next's TLS descriptors into the GDT when they differ. */
static void load_tls(const struct task *next)
{
	struct desc_struct *gdt_tls = &gdt_table[GDT_ENTRY_TLS_MIN];

	if (memcmp(gdt_tls, next->thread.tls_array,
		   sizeof(next->thread.tls_array)))
		memcpy(gdt_tls, next->thread.tls_array,
		       sizeof(next->thread.tls_array));
}

struct task *arch_switch_to(struct task *prev, struct task *next)
{
	cpu_tss.sp0 = next->thread.sp0;
	load_tls(next);
	if (prev->mm) {
		fpu_save(prev);
		prev->thread.fs = read_fs();
		prev->thread.gs = read_gs();
	}
	if (next->mm) {
		fpu_restore(next);
		load_user_fs_gs(next->thread.fs, next->thread.gs);
	}
	return __switch_to_asm(prev, next);
}

/*
 * A forked child: its user registers are the parent's, but fork
 * returns 0 in it; its first switch-in lands in ret_from_fork.
 */
void arch_setup_fork_child(struct task *child, const struct pt_regs *regs)
{
	struct pt_regs *child_regs = task_pt_regs(child);
	struct switch_frame *frame = (struct switch_frame *)child_regs - 1;

	*child_regs = *regs;
	child_regs->ax = 0;
	memset(frame, 0, sizeof(*frame));
	frame->ret = (unsigned long)ret_from_fork;
	child->thread.sp = (unsigned long)frame;
	child->thread.sp0 = (unsigned long)child->stack + THREAD_SIZE;
}

/*
 * The arch part of fork: the child's kernel stack and registers, its own
 * user stack if clone gave one, its TLS (CLONE_SETTLS: a struct
 * user_desc, as set_thread_area takes), and a copy of the FPU state.
 */
int arch_copy_thread(struct task *p, const struct pt_regs *regs,
		     unsigned long user_stack, unsigned long tls)
{
	int err;

	arch_setup_fork_child(p, regs);
	if (user_stack)
		task_pt_regs(p)->sp = user_stack;
	memcpy(p->thread.tls_array, current->thread.tls_array,
	       sizeof(p->thread.tls_array));
	p->thread.fs = read_fs();
	p->thread.gs = read_gs();
	if (tls) {
		err = tls_set_from_user(p, (void __user *)tls, NULL);
		if (err)
			return err;
	}
	if (current->mm)
		fpu_save(current);
	p->thread.fpu = current->thread.fpu;
	return 0;
}
