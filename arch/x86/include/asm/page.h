/*
 * The i386 kernel's virtual memory layout (3G/1G split):
 *
 *   0x00000000 - 0xBFFFFFFF  user space
 *   0xC0000000 - 0xF7FFFFFF  direct map of low memory (at most 896 MiB);
 *                            the kernel image sits at 0xC0100000 (1 MiB)
 *   0xF8800000 - 0xFF7FFFFF  vmalloc area (page tables preallocated at
 *                            boot, so every address space shares them)
 *   0xFF800000 - 0xFFFFFFFF  reserved (fixed mappings)
 */
#ifndef _ASM_X86_PAGE_H
#define _ASM_X86_PAGE_H

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

#define PAGE_OFFSET 0xC0000000UL
/* Low memory beyond this is not direct-mapped and is ignored. */
#define MAXMEM (0xF8000000UL - PAGE_OFFSET)

#define VMALLOC_START 0xF8800000UL
#define VMALLOC_END 0xFF800000UL

#define __pa(vaddr) ((unsigned long)(vaddr)-PAGE_OFFSET)
#define __va(paddr) ((void *)((unsigned long)(paddr) + PAGE_OFFSET))

#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & PAGE_MASK)

#endif /* _ASM_X86_PAGE_H */
