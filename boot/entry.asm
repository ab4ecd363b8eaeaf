; The first instructions of the kernel, entered by the boot loader in
; 32-bit protected mode with paging off, flat segments, interrupts
; disabled, EAX = boot-loader magic and EBX = physical address of the
; boot information (Multiboot1 or Multiboot2).
;
; The kernel is linked at 0xC0100000 but loaded at 1 MiB, so until
; paging is on every address must be converted with V2P(). We:
;   1. clear .bss (the loaders do, but nothing here depends on it),
;   2. build a temporary page directory of 4 MiB pages mapping all of
;      low memory twice, at 0 (identity: the code we are running) and at
;      PAGE_OFFSET (where the kernel is linked),
;   3. enable PSE and paging, jump to the higher half (this file's
;      first part runs at its load address, in the boot section; the
;      rest is linked high, in .text),
;   4. switch to the boot stack, save the loader's registers and call
;      start_kernel(). paging_init() later replaces these tables with
;      4 KiB-page tables and drops the identity map.

%include "boot/multiboot.inc"

PAGE_OFFSET	equ 0xC0000000
%define V2P(x)	((x) - PAGE_OFFSET)

PDE_PRESENT	equ 1 << 0		; SDM vol. 3, 4.3, table 4-5
PDE_WRITE	equ 1 << 1
PDE_PS		equ 1 << 7		; 4 MiB page
CR0_PG		equ 1 << 31
CR0_WP		equ 1 << 16
CR4_PSE		equ 1 << 4
BOOT_MAP_PDES	equ 224			; 224 x 4 MiB = 896 MiB of low memory
KERNEL_PDE	equ PAGE_OFFSET >> 22	; first PDE of the kernel half
BOOT_STACK_SIZE	equ 8192		; THREAD_SIZE: it becomes the idle task's

section .boot.text progbits alloc exec nowrite align=16
global _start
_start:
	cld
	mov esi, eax			; keep the loader's magic
	mov edx, ebx			; and its information pointer

	; 1. Clear .bss.
	extern __bss_start, __bss_end
	mov edi, V2P(__bss_start)
	mov ecx, V2P(__bss_end)
	sub ecx, edi
	shr ecx, 2
	xor eax, eax
	rep stosd

	; 2. Map low memory at 0 and at PAGE_OFFSET with 4 MiB pages.
	mov edi, V2P(boot_page_dir)
	mov eax, PDE_PRESENT | PDE_WRITE | PDE_PS
	xor ecx, ecx
.map:
	mov [edi + ecx * 4], eax
	mov [edi + (KERNEL_PDE + ecx) * 4], eax
	add eax, 1 << 22
	inc ecx
	cmp ecx, BOOT_MAP_PDES
	jb .map

	; 3. Paging on, then continue at our linked (high) address.
	mov eax, cr4
	or eax, CR4_PSE
	mov cr4, eax
	mov eax, V2P(boot_page_dir)
	mov cr3, eax
	mov eax, cr0
	or eax, CR0_PG | CR0_WP
	mov cr0, eax
	mov eax, high_entry
	jmp eax

section .text
high_entry:
	; 4. The boot stack, the loader's registers, and C.
	mov esp, boot_stack_top
	xor ebp, ebp			; ends the frame-pointer chain
	mov [boot_loader_magic], esi
	mov [boot_loader_info], edx
	extern start_kernel
	call start_kernel
.hang:
	cli
	hlt
	jmp .hang

section .data
global boot_loader_magic, boot_loader_info
boot_loader_magic:	dd 0		; EAX at entry
boot_loader_info:	dd 0		; EBX at entry (physical)

; The boot stack is aligned to its size, like every kernel stack, so
; `current` works on it (asm/thread_info.h); it becomes the idle task's.
section .bss nobits alloc noexec write align=8192
global boot_stack, boot_stack_top
boot_stack:
	resb BOOT_STACK_SIZE
boot_stack_top:
global boot_page_dir
boot_page_dir:
	resb 4096
