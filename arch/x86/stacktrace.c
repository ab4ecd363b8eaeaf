/*
 * Frame-pointer backtraces. With -fno-omit-frame-pointer every function
 * starts with push %ebp; mov %esp,%ebp, so at any point
 *
 *	[ebp + 4]  the return address into the caller
 *	[ebp]      the caller's ebp
 *
 * and the chain ends at the ebp of 0 that boot/entry.asm set before
 * calling start_kernel(). A corrupt stack must not crash the report, so
 * the walk only follows frames that move up the same stack, stay inside
 * the kernel half, and stops after a bounded number of frames.
 */
#include <asm/page.h>
#include <kestrel/types.h>
#include <kestrel/kallsyms.h>
#include <kestrel/printk.h>
#include <kestrel/stacktrace.h>

#define MAX_FRAMES 32
#define MAX_FRAME_SIZE 0x4000 /* a frame bigger than this is corrupt */

struct stack_frame {
	struct stack_frame *next_frame;
	unsigned long return_address;
};

/* Is @bp a frame above @prev (the stack grows down) on the same stack? */
static bool frame_ok(unsigned long bp, unsigned long prev)
{
	if (bp & 3 || bp < PAGE_OFFSET || bp > 0xfffffff0UL)
		return false;
	return bp > prev && bp - prev < MAX_FRAME_SIZE;
}

static void print_trace_address(unsigned long addr)
{
	char sym[KSYM_NAME_LEN + 32];

	sprint_symbol(sym, sizeof(sym), addr);
	printk(KERN_EMERG " [<%08lx>] %s\n", addr, sym);
}

void show_stack(unsigned long ip, unsigned long bp, unsigned long sp)
{
	struct stack_frame *frame = (struct stack_frame *)bp;
	unsigned long prev = sp ? sp - 1 : bp - 1;
	unsigned int n;

	printk(KERN_EMERG "Call Trace:\n");
	print_trace_address(ip);
	for (n = 0; n < MAX_FRAMES && frame_ok((unsigned long)frame, prev);
	     n++) {
		if (!frame->return_address)
			break;
		print_trace_address(frame->return_address);
		prev = (unsigned long)frame;
		frame = frame->next_frame;
	}
}

unsigned int stack_trace_save(unsigned long *entries, unsigned int max,
			      unsigned int skip)
{
	struct stack_frame *frame = __builtin_frame_address(0);
	unsigned long prev = (unsigned long)frame - 1;
	unsigned int n = 0;

	while (n < max && frame_ok((unsigned long)frame, prev) &&
	       frame->return_address) {
		if (skip)
			skip--;
		else
			entries[n++] = frame->return_address;
		prev = (unsigned long)frame;
		frame = frame->next_frame;
	}
	return n;
}

/**
 * dump_stack - print a backtrace of the caller, at KERN_EMERG
 */
void dump_stack(void)
{
	struct stack_frame *frame = __builtin_frame_address(0);

	show_stack(frame->return_address, (unsigned long)frame->next_frame,
		   (unsigned long)frame);
}
