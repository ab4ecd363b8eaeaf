/*
 * The x86 side of tasks: building a new kernel thread's first stack
 * frame, and switching the CPU's per-task state (the TSS stack pointer
 * and the TLS descriptors) before the stacks themselves are switched.
 */
#include <asm/desc.h>
#include <asm/switch_to.h>
#include <asm/thread_info.h>
#include <kestrel/sched.h>
#include <kestrel/string.h>

struct task *__switch_to_asm(struct task *prev, struct task *next);
void ret_from_kernel_thread(void);

/* The frame __switch_to_asm pops on a task's first switch-in. */
struct switch_frame {
	unsigned long di, si, bx, bp;
	unsigned long ret; /* where __switch_to_asm returns to */
};

void arch_setup_kthread(struct task *task, void (*fn)(void))
{
	unsigned long top = (unsigned long)task->stack + THREAD_SIZE;
	struct switch_frame *frame = (struct switch_frame *)top - 1;

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
	return __switch_to_asm(prev, next);
}
