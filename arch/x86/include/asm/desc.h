/*
 * Descriptor tables: the GDT, the IDT and the TSS (Intel SDM vol. 3,
 * chapter 3.4.5 "Segment Descriptors", 6.11 "IDT Descriptors" and 7.2.1
 * "Task-State Segment").
 */
#ifndef _ASM_X86_DESC_H
#define _ASM_X86_DESC_H

#include <kestrel/types.h>
#include <asm/segment.h>

struct desc_struct {
	u16 limit0;
	u16 base0;
	u8 base1;
	u8 access; /* P, DPL, S, type */
	u8 flags_limit1; /* G, D/B, L, AVL, limit 19:16 */
	u8 base2;
} __attribute__((packed));
_Static_assert(sizeof(struct desc_struct) == 8, "GDT descriptor is 8 bytes");

struct gate_struct {
	u16 offset_low;
	u16 segment;
	u8 reserved;
	u8 access; /* P, DPL, 0, type */
	u16 offset_high;
} __attribute__((packed));
_Static_assert(sizeof(struct gate_struct) == 8, "IDT gate is 8 bytes");

struct desc_ptr {
	u16 size;
	u32 address;
} __attribute__((packed));

/* The 32-bit TSS, SDM vol. 3 figure 7-2. */
struct x86_hw_tss {
	u16 back_link, __blh;
	u32 sp0;
	u16 ss0, __ss0h;
	u32 sp1;
	u16 ss1, __ss1h;
	u32 sp2;
	u16 ss2, __ss2h;
	u32 cr3, ip, flags, ax, cx, dx, bx, sp, bp, si, di;
	u16 es, __esh, cs, __csh, ss, __ssh, ds, __dsh;
	u16 fs, __fsh, gs, __gsh, ldt, __ldth;
	u16 trace, io_bitmap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct x86_hw_tss) == 104, "TSS is 104 bytes");

/* Descriptor access bytes. */
#define DESC_PRESENT 0x80
#define DESC_DPL(n) ((n) << 5)
#define DESC_CODE_DATA 0x10 /* S: code/data, not system */
#define DESC_CODE_READ 0x0a /* type: execute/read */
#define DESC_DATA_WRITE 0x02 /* type: read/write */
#define DESC_TSS_AVAIL 0x09 /* system type: 32-bit TSS (available) */
#define DESC_FLAG_4K 0x80 /* G: limit in 4 KiB units */
#define DESC_FLAG_32 0x40 /* D/B: 32-bit segment */

/* Gate types (SDM vol. 3 table 3-2). */
#define GATE_INTERRUPT 0x0e /* IF cleared on entry */
#define GATE_TRAP 0x0f
#define GATE_TASK 0x05

#define FIRST_EXTERNAL_VECTOR 0x20 /* the 8259 pair is remapped here */
#define SYSCALL_VECTOR 0x80 /* int $0x80: Linux's i386 system calls */
#define NR_EXCEPTIONS 32
#define IDT_ENTRIES 256

extern struct desc_struct gdt_table[GDT_ENTRIES];
extern struct x86_hw_tss cpu_tss;

void gdt_init(void);
void idt_init(void);
void set_desc_base_limit(struct desc_struct *d, u32 base, u32 limit);
/* Install @handler (an entry stub) at @vector; @dpl 3 lets int $n in. */
void idt_set_gate(unsigned int vector, void *handler, unsigned int dpl);

#endif /* _ASM_X86_DESC_H */
