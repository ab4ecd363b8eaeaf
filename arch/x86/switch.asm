; The context switch: the only place a CPU changes stacks between tasks.
;
; __switch_to_asm(prev, next) pushes the callee-saved registers on
; prev's kernel stack, stores its stack pointer in prev->thread.sp
; (offset 0 of struct task), loads next's, pops next's registers and
; returns on next's stack: into next's own call of schedule(), or, for
; a task that never ran, into ret_from_kernel_thread. Everything else a
; C caller expects preserved is caller-saved (i386 SysV ABI).

section .text

; struct task *__switch_to_asm(struct task *prev, struct task *next)
; Returns prev, as seen from next's side of the switch.
global __switch_to_asm
__switch_to_asm:
	mov eax, [esp + 4]		; prev
	mov edx, [esp + 8]		; next
	push ebp
	push ebx
	push esi
	push edi
	mov [eax], esp			; prev->thread.sp
	mov esp, [edx]			; next->thread.sp
	pop edi
	pop esi
	pop ebx
	pop ebp
	ret

; A new kernel thread's first instructions. arch_setup_kthread() built
; its stack so that __switch_to_asm returns here with EAX = the task
; switched from and EBX = the function to run, below an empty struct
; pt_regs at the top of the stack.
extern schedule_tail, ret_to_user
global ret_from_kernel_thread
ret_from_kernel_thread:
	push eax
	call schedule_tail
	add esp, 4
	xor ebp, ebp			; the end of this thread's backtraces
	call ebx
	; The function returned: it turned this thread into a user process
	; (kernel_execve filled the pt_regs ESP now points at).
	jmp ret_to_user
