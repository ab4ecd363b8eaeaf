; The boot-protocol headers. Kestrel carries both:
;  - a Multiboot1 header, so QEMU's -kernel/-initrd/-append boot the ELF
;    directly (QEMU's loader speaks only Multiboot1), and
;  - a Multiboot2 header, used by GRUB's `multiboot2` command on the ISO.
; Neither asks for the a.out kludge: the loaders read our ELF program
; headers and load each segment at its physical address.
;
; Multiboot Specification 0.6.96, section 3.1; Multiboot2 Specification
; 2.0, section 3.1. Both headers must lie in the first 8 KiB (MB1) or
; 32 KiB (MB2) of the file; the linker script puts this section first.

%include "boot/multiboot.inc"

section .multiboot progbits alloc noexec nowrite align=8

	align 4
mb1_header:
	dd MB1_HEADER_MAGIC
	dd MB1_HEADER_FLAGS
	dd -(MB1_HEADER_MAGIC + MB1_HEADER_FLAGS)

	align 8
mb2_header:
	dd MB2_HEADER_MAGIC
	dd MB2_ARCH_I386
	dd mb2_header_end - mb2_header
	dd -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

	; Ask GRUB to page-align the boot modules (the initramfs).
	align 8
	dw MB2_TAG_MODULE_ALIGN
	dw 0
	dd 8

	; End of tags.
	align 8
	dw MB2_TAG_END
	dw 0
	dd 8
mb2_header_end:
