/*
 * Architecture boot steps called by start_kernel(), in this order.
 */
#ifndef _ASM_X86_SETUP_H
#define _ASM_X86_SETUP_H

/* CPUID, GDT/TSS, IDT: exceptions are reported from here on. */
void arch_early_init(void);
/* Copy the boot loader's information into boot_info and the command line. */
void parse_boot_info(void);
/* Memory map into memblock, reservations, final page tables. */
void setup_arch(void);

#endif /* _ASM_X86_SETUP_H */
