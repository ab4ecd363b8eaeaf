; arch_setjmp/arch_longjmp (asm/setjmp.h): save and restore the
; callee-saved registers, the stack pointer and the return address.

section .text

; int arch_setjmp(struct arch_jmp_buf *jb)
global arch_setjmp
arch_setjmp:
	mov eax, [esp + 4]
	mov [eax + 0], ebx
	mov [eax + 4], esi
	mov [eax + 8], edi
	mov [eax + 12], ebp
	lea ecx, [esp + 4]		; sp as it will be after our return
	mov [eax + 16], ecx
	mov ecx, [esp]			; the return address
	mov [eax + 20], ecx
	xor eax, eax
	ret

; void arch_longjmp(struct arch_jmp_buf *jb, int val)
global arch_longjmp
arch_longjmp:
	mov edx, [esp + 4]
	mov eax, [esp + 8]
	test eax, eax
	jnz .nonzero
	inc eax				; setjmp must not appear to return 0
.nonzero:
	mov ebx, [edx + 0]
	mov esi, [edx + 4]
	mov edi, [edx + 8]
	mov ebp, [edx + 12]
	mov esp, [edx + 16]
	jmp [edx + 20]
