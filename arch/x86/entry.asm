; Trap and interrupt entry. Every vector has a small stub that makes the
; stack uniform (an error code of 0 where the CPU pushes none, then the
; vector number) and jumps to a common path, which saves the rest of
; struct pt_regs, calls C with a pointer to it, and returns with iret.
;
; Segment registers cost ~110 ns each to load under emulation, so they
; are loaded only when they differ from what the kernel needs: DS and ES
; must hold the flat __USER_DS (usable at any privilege), FS and GS are
; never used by the kernel and are saved only for the record.

%include "arch/x86/entry.inc"

section .text

; Exceptions that push an error code: 8, 10-14, 17, 21, 29, 30
; (SDM vol. 3, table 6-1).
%macro EXC_NOERR 1
global exc_stub_%1
exc_stub_%1:
	push dword 0
	push dword %1
	jmp exception_common
%endmacro

%macro EXC_ERR 1
global exc_stub_%1
exc_stub_%1:
	push dword %1
	jmp exception_common
%endmacro

%macro IRQ_STUB 1
global irq_stub_%1
irq_stub_%1:
	push dword 0
	push dword %1 + 0x20
	jmp irq_common
%endmacro

EXC_NOERR 0
EXC_NOERR 1
EXC_NOERR 2
EXC_NOERR 3
EXC_NOERR 4
EXC_NOERR 5
EXC_NOERR 6
EXC_NOERR 7
EXC_ERR   8
EXC_NOERR 9
EXC_ERR   10
EXC_ERR   11
EXC_ERR   12
EXC_ERR   13
EXC_ERR   14
EXC_NOERR 15
EXC_NOERR 16
EXC_ERR   17
EXC_NOERR 18
EXC_NOERR 19
EXC_NOERR 20
EXC_ERR   21
EXC_NOERR 22
EXC_NOERR 23
EXC_NOERR 24
EXC_NOERR 25
EXC_NOERR 26
EXC_NOERR 27
EXC_NOERR 28
EXC_ERR   29
EXC_ERR   30
EXC_NOERR 31

%assign i 0
%rep 16
IRQ_STUB i
%assign i i + 1
%endrep

; The stub addresses, for idt_init().
section .rodata
global exception_stubs, irq_stubs
exception_stubs:
%assign i 0
%rep 32
	dd exc_stub_ %+ i
%assign i i + 1
%endrep
irq_stubs:
%assign i 0
%rep 16
	dd irq_stub_ %+ i
%assign i i + 1
%endrep

section .text

; Save the registers below the vector and error code: the segment
; registers, then the general registers, so the stack holds a complete
; struct pt_regs. A 32-bit push of a segment register may leave the
; upper half of the slot untouched (SDM vol. 2B, PUSH), so clear it.
%macro SAVE_ALL 0
	cld
	push gs
	push fs
	push es
	push ds
	push eax
	push ebp
	push edi
	push esi
	push edx
	push ecx
	push ebx
	and dword [esp + PT_DS], 0xffff
	and dword [esp + PT_ES], 0xffff
	and dword [esp + PT_FS], 0xffff
	and dword [esp + PT_GS], 0xffff
	mov ecx, ds
	cmp ecx, USER_DS
	je %%segs_ok
	mov ecx, USER_DS
	mov ds, ecx
	mov es, ecx
%%segs_ok:
%endmacro

extern do_exception, do_IRQ, do_syscall_32, exit_to_user_mode, schedule_tail

; int $0x80: the Linux i386 system-call gate (a trap gate of DPL 3, so
; interrupts stay on). The call number goes in the error-code slot as
; orig_ax; the result replaces the saved eax.
global system_call
system_call:
	push eax
	push dword 0x80
	SAVE_ALL
	push esp
	call do_syscall_32
	add esp, 4
	jmp restore_all

exception_common:
	SAVE_ALL
	push esp
	call do_exception
	add esp, 4
	jmp restore_all

irq_common:
	SAVE_ALL
	push esp
	call do_IRQ
	add esp, 4
	jmp restore_all

; The first return of a new user task: a child of fork, or PID 1 after
; kernel_execve. ESP points at its struct pt_regs.
global ret_to_user
ret_to_user:
	push esp
	call exit_to_user_mode
	add esp, 4
	jmp restore_all

; A forked child's first instructions: finish the switch, then return
; to user mode with the registers fork copied (eax = 0).
global ret_from_fork
ret_from_fork:
	push eax
	call schedule_tail
	add esp, 4
	jmp ret_to_user

; Restore what SAVE_ALL saved. DS and ES are reloaded only when pt_regs
; asks for other values than the ones in place (a trap from user mode
; with unusual segments, or a signal frame that changed them). A
; selector that cannot be loaded (sigreturn's checks let through a TLS
; slot, which may be empty) faults here, in the kernel: the exception
; table sends the fault to a fixup that loads the null selector instead
; and goes on, as Linux's POP_SEGMENTS does (EX_TYPE_POP_ZERO). The
; program then meets its own bad segment, not the kernel.
global restore_all
restore_all:
	cli				; iret restores IF from the frame
	mov eax, [esp + PT_DS]
	mov ecx, ds
	cmp eax, ecx
	je .ds_ok
.lds:	mov ds, eax
.ds_ok:
	mov eax, [esp + PT_ES]
	mov ecx, es
	cmp eax, ecx
	je .es_ok
.les:	mov es, eax
.es_ok:
	pop ebx
	pop ecx
	pop edx
	pop esi
	pop edi
	pop ebp
	pop eax
	add esp, 4 * 4 + 8		; ds es fs gs, vector, error code
	iret
.ds_fault:
	xor eax, eax
	mov ds, eax
	jmp .ds_ok
.es_fault:
	xor eax, eax
	mov es, eax
	jmp .es_ok

section __ex_table align=4
	dd restore_all.lds, restore_all.ds_fault
	dd restore_all.les, restore_all.es_fault

section .text

; void arch_capture_regs(struct pt_regs *regs): the caller's registers,
; with ip = the return address and sp = the caller's stack pointer after
; the return. Used by panic() to show where it was called.
global arch_capture_regs
arch_capture_regs:
	push eax
	mov eax, [esp + 8]		; regs
	mov [eax + PT_BX], ebx
	mov [eax + PT_CX], ecx
	mov [eax + PT_DX], edx
	mov [eax + PT_SI], esi
	mov [eax + PT_DI], edi
	mov [eax + PT_BP], ebp
	pop ecx
	mov [eax + PT_AX], ecx
	mov ecx, [eax + PT_CX]		; restore the caller's ecx
	mov dword [eax + PT_DS], 0
	mov [eax + PT_DS], ds
	mov dword [eax + PT_ES], 0
	mov [eax + PT_ES], es
	mov dword [eax + PT_FS], 0
	mov [eax + PT_FS], fs
	mov dword [eax + PT_GS], 0
	mov [eax + PT_GS], gs
	mov dword [eax + PT_VECTOR], -1
	mov dword [eax + PT_ERROR], 0
	mov edx, [esp]
	mov [eax + PT_IP], edx
	mov dword [eax + PT_CS], 0
	mov [eax + PT_CS], cs
	pushfd
	pop edx
	mov [eax + PT_FLAGS], edx
	lea edx, [esp + 4]
	mov [eax + PT_SP], edx
	mov dword [eax + PT_SS], 0
	mov [eax + PT_SS], ss
	mov edx, [eax + PT_DX]
	ret
