/*
 * The Interrupt Descriptor Table: which code runs for each of the 256
 * vectors. Vectors 0-31 are the CPU's exceptions, 0x20-0x2f the 16
 * lines of the remapped 8259 pair, 0x80 the Linux system-call gate; the
 * rest stay empty (a stray int $n then raises #GP/#NP and is reported).
 *
 * Every gate but 0x80 is an interrupt gate, so handlers start with interrupts
 * disabled: the page-fault handler must read CR2 before another fault
 * can overwrite it. Breakpoint and overflow have DPL 3 so int3 and into
 * work from user mode. The double fault is a task gate (see gdt.c).
 */
#include <asm/desc.h>
#include <asm/segment.h>
#include <asm/traps.h>
#include <kestrel/compiler.h>

static struct gate_struct idt_table[IDT_ENTRIES] __aligned(8);

extern void *const exception_stubs[NR_EXCEPTIONS];
extern void *const irq_stubs[16];
void system_call(void);

void idt_set_gate(unsigned int vector, void *handler, unsigned int dpl)
{
	struct gate_struct *g = &idt_table[vector];
	u32 addr = (u32)(uintptr_t)handler;

	g->offset_low = addr & 0xffff;
	g->offset_high = addr >> 16;
	g->segment = __KERNEL_CS;
	g->reserved = 0;
	g->access = DESC_PRESENT | DESC_DPL(dpl) | GATE_INTERRUPT;
}

/* A trap gate leaves IF alone: system calls run with interrupts on. */
static void idt_set_trap_gate(unsigned int vector, void *handler,
			      unsigned int dpl)
{
	idt_set_gate(vector, handler, dpl);
	idt_table[vector].access = DESC_PRESENT | DESC_DPL(dpl) | GATE_TRAP;
}

static void idt_set_task_gate(unsigned int vector, u16 tss_selector)
{
	struct gate_struct *g = &idt_table[vector];

	g->offset_low = 0;
	g->offset_high = 0;
	g->segment = tss_selector;
	g->reserved = 0;
	g->access = DESC_PRESENT | DESC_DPL(0) | GATE_TASK;
}

/**
 * idt_init - fill and load the IDT. Boot only, after gdt_init().
 */
void idt_init(void)
{
	struct desc_ptr idtr = {
		.size = sizeof(idt_table) - 1,
		.address = (u32)(uintptr_t)idt_table,
	};
	unsigned int i;

	for (i = 0; i < NR_EXCEPTIONS; i++)
		idt_set_gate(i, exception_stubs[i], 0);
	idt_set_gate(X86_TRAP_BP, exception_stubs[X86_TRAP_BP], 3);
	idt_set_gate(X86_TRAP_OF, exception_stubs[X86_TRAP_OF], 3);
	idt_set_task_gate(X86_TRAP_DF, GDT_ENTRY_DOUBLEFAULT_TSS_SEL);

	for (i = 0; i < 16; i++)
		idt_set_gate(FIRST_EXTERNAL_VECTOR + i, irq_stubs[i], 0);
	idt_set_trap_gate(SYSCALL_VECTOR, system_call, 3);

	__asm__ __volatile__("lidt %0" : : "m"(idtr));
}
