/*
 * The Global Descriptor Table and the Task-State Segments.
 *
 * Kestrel uses a flat memory model: every code and data segment spans
 * 4 GiB from base 0, and protection comes from paging. The GDT still
 * matters for three things: the privilege level of the code segment
 * (ring 0 kernel, ring 3 user), the TSS that tells the CPU which stack
 * to switch to on an entry from user mode (sp0), and the three TLS
 * slots that set_thread_area() fills per task.
 *
 * A double fault gets its own TSS and a task gate: when the kernel
 * stack overflows, the fault cannot push a frame on the broken stack,
 * but a task switch loads a fresh one, so the report still gets out.
 */
#include <asm/desc.h>
#include <asm/page.h>
#include <asm/segment.h>
#include <kestrel/compiler.h>
#include <kestrel/string.h>

struct desc_struct gdt_table[GDT_ENTRIES] __aligned(8);
struct x86_hw_tss cpu_tss __aligned(128);
static struct x86_hw_tss doublefault_tss __aligned(128);

#define DOUBLEFAULT_STACK_SIZE 4096
static u8 doublefault_stack[DOUBLEFAULT_STACK_SIZE] __aligned(16);
extern unsigned long boot_stack_top[];
extern unsigned long boot_page_dir[];
void doublefault_entry(void);

void set_desc_base_limit(struct desc_struct *d, u32 base, u32 limit)
{
	d->base0 = base & 0xffff;
	d->base1 = (base >> 16) & 0xff;
	d->base2 = base >> 24;
	d->limit0 = limit & 0xffff;
	d->flags_limit1 = (d->flags_limit1 & 0xf0) | ((limit >> 16) & 0x0f);
}

static void set_flat_segment(unsigned int entry, u8 access)
{
	struct desc_struct *d = &gdt_table[entry];

	d->access = DESC_PRESENT | DESC_CODE_DATA | access;
	d->flags_limit1 = DESC_FLAG_4K | DESC_FLAG_32;
	set_desc_base_limit(d, 0, 0xfffff);
}

static void set_tss(unsigned int entry, struct x86_hw_tss *tss)
{
	struct desc_struct *d = &gdt_table[entry];

	d->access = DESC_PRESENT | DESC_TSS_AVAIL;
	d->flags_limit1 = 0;
	set_desc_base_limit(d, (u32)(uintptr_t)tss, sizeof(*tss) - 1);
}

/*
 * The double-fault task starts in doublefault_entry with its own stack
 * and the kernel's segments; CR3 is the boot page directory, which maps
 * the kernel half like every later one. paging_init() updates it.
 */
static void doublefault_tss_init(void)
{
	struct x86_hw_tss *t = &doublefault_tss;

	t->sp = (u32)(uintptr_t)(doublefault_stack + DOUBLEFAULT_STACK_SIZE);
	t->sp0 = t->sp;
	t->ss = t->ss0 = __KERNEL_DS;
	t->ip = (u32)(uintptr_t)doublefault_entry;
	t->cs = __KERNEL_CS;
	t->ds = t->es = __USER_DS;
	t->flags = 0x2; /* reserved bit 1; interrupts off */
	t->cr3 = __pa(boot_page_dir);
	t->io_bitmap_base = sizeof(*t); /* no I/O bitmap */
	set_tss(GDT_ENTRY_DOUBLEFAULT_TSS, t);
}

void arch_set_doublefault_cr3(unsigned long cr3);
void arch_set_doublefault_cr3(unsigned long cr3)
{
	doublefault_tss.cr3 = cr3;
}

static void load_gdt(void)
{
	struct desc_ptr gdtr = {
		.size = sizeof(gdt_table) - 1,
		.address = (u32)(uintptr_t)gdt_table,
	};

	__asm__ __volatile__("lgdt %0\n\t"
			     "ljmp %1, $1f\n"
			     "1:\n\t"
			     "movl %2, %%eax\n\t"
			     "movl %%eax, %%ss\n\t"
			     "movl %3, %%eax\n\t"
			     "movl %%eax, %%ds\n\t"
			     "movl %%eax, %%es\n\t"
			     "xorl %%eax, %%eax\n\t"
			     "movl %%eax, %%fs\n\t"
			     "movl %%eax, %%gs\n\t"
			     "ltr %w4"
			     :
			     : "m"(gdtr), "i"(__KERNEL_CS), "i"(__KERNEL_DS),
			       "i"(__USER_DS), "r"(GDT_ENTRY_TSS_SEL)
			     : "eax", "memory");
}

/**
 * gdt_init - build the GDT and TSSs and load them
 *
 * After it, CS/SS hold the kernel selectors, DS/ES the flat user data
 * selector (valid in ring 0 as well, so entries from user mode need not
 * reload them) and TR the TSS. Boot only.
 */
void gdt_init(void)
{
	memset(gdt_table, 0, sizeof(gdt_table));
	set_flat_segment(GDT_ENTRY_KERNEL_CS, DESC_DPL(0) | DESC_CODE_READ);
	set_flat_segment(GDT_ENTRY_KERNEL_DS, DESC_DPL(0) | DESC_DATA_WRITE);
	set_flat_segment(GDT_ENTRY_DEFAULT_USER_CS,
			 DESC_DPL(3) | DESC_CODE_READ);
	set_flat_segment(GDT_ENTRY_DEFAULT_USER_DS,
			 DESC_DPL(3) | DESC_DATA_WRITE);

	cpu_tss.ss0 = __KERNEL_DS;
	cpu_tss.sp0 = (u32)(uintptr_t)boot_stack_top;
	cpu_tss.io_bitmap_base = sizeof(cpu_tss); /* no I/O bitmap */
	set_tss(GDT_ENTRY_TSS, &cpu_tss);
	doublefault_tss_init();

	load_gdt();
}
