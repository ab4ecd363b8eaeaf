/*
 * The 8259A programmable interrupt controller pair of the PC (Intel
 * 8259A datasheet, "Programming the 8259A": ICW1-4, OCW1-3). The master
 * handles IRQ 0-7; the slave, cascaded on the master's line 2, IRQ 8-15.
 */
#ifndef _ASM_X86_I8259_H
#define _ASM_X86_I8259_H

#define PIC_MASTER_CMD 0x20
#define PIC_MASTER_DATA 0x21
#define PIC_SLAVE_CMD 0xa0
#define PIC_SLAVE_DATA 0xa1

#define PIC_ICW1_INIT 0x10 /* ICW1: start initialisation */
#define PIC_ICW1_ICW4 0x01 /* ICW1: ICW4 follows */
#define PIC_ICW4_8086 0x01 /* ICW4: 8086/88 mode */
#define PIC_OCW2_EOI 0x20 /* OCW2: non-specific end of interrupt */
#define PIC_OCW2_SEOI 0x60 /* OCW2: specific EOI, line in bits 0-2 */
#define PIC_OCW3_READ_ISR 0x0b /* OCW3: next read of CMD returns ISR */
#define PIC_OCW3_READ_IRR 0x0a /* OCW3: next read of CMD returns IRR */

#define PIC_CASCADE_IRQ 2 /* the slave is wired to master line 2 */
#define PIC_MASTER_VECTOR 0x20
#define PIC_SLAVE_VECTOR 0x28
#define PIC_SPURIOUS_MASTER 7
#define PIC_SPURIOUS_SLAVE 15

void i8259_init(void);

#endif /* _ASM_X86_I8259_H */
