/*
 * Host shim for <asm/page.h>: the mm code compiled for the host sees a
 * "physical memory" that is a malloc'd buffer. Physical address 0 is the
 * start of the buffer and PAGE_OFFSET is the buffer's address, so __va()
 * and __pa() keep their meaning. host_phys_setup() (shim.c) creates it.
 */
#ifndef _SHIM_ASM_PAGE_H
#define _SHIM_ASM_PAGE_H

#include <stdint.h>

extern uintptr_t host_phys_base;

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

#define PAGE_OFFSET ((unsigned long)host_phys_base)
#define MAXMEM (896UL << 20)

/* Not used on the host (vmalloc is not built), kept for the headers. */
#define VMALLOC_START 0xF8800000UL
#define VMALLOC_END 0xFF800000UL

#define __pa(vaddr) ((unsigned long)(vaddr)-PAGE_OFFSET)
#define __va(paddr) ((void *)((unsigned long)(paddr) + PAGE_OFFSET))

#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & PAGE_MASK)

#endif /* _SHIM_ASM_PAGE_H */
