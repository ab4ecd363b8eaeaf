; User-memory access with fault recovery. Each instruction that touches
; user memory has an entry in the exception table (__ex_table): if it
; faults and the fault cannot be served (no mapping, no permission),
; do_exception() resumes at the entry's fixup instead of oopsing. The
; fixups compute how much was not copied.
;
; Copies move 32-bit words with rep movsd, then the tail bytes: rep
; movsb is four times slower under emulation (TARGETS.md).

section .text

; unsigned long __copy_user(void *to, const void *from, unsigned long n)
; Returns the number of bytes not copied.
global __copy_user
__copy_user:
	push edi
	push esi
	mov edi, [esp + 12]
	mov esi, [esp + 16]
	mov edx, [esp + 20]
	mov ecx, edx
	shr ecx, 2
.words:	rep movsd
	mov ecx, edx
	and ecx, 3
.bytes:	rep movsb
	xor eax, eax
	pop esi
	pop edi
	ret
.words_fault:
	; ecx words left, plus the tail bytes
	and edx, 3
	lea eax, [edx + ecx * 4]
	pop esi
	pop edi
	ret
.bytes_fault:
	mov eax, ecx
	pop esi
	pop edi
	ret

; unsigned long __clear_user(void *to, unsigned long n)
global __clear_user
__clear_user:
	push edi
	mov edi, [esp + 8]
	mov edx, [esp + 12]
	xor eax, eax
	mov ecx, edx
	shr ecx, 2
.cwords: rep stosd
	mov ecx, edx
	and ecx, 3
.cbytes: rep stosb
	xor eax, eax
	pop edi
	ret
.cwords_fault:
	and edx, 3
	lea eax, [edx + ecx * 4]
	pop edi
	ret
.cbytes_fault:
	mov eax, ecx
	pop edi
	ret

; long __strncpy_from_user(char *dst, const char *src, long n)
; Returns the length without the NUL, n if no NUL, or -EFAULT (-14).
global __strncpy_from_user
__strncpy_from_user:
	push edi
	push esi
	mov edi, [esp + 12]
	mov esi, [esp + 16]
	mov ecx, [esp + 20]
	xor edx, edx			; length so far
.next:
	cmp edx, ecx
	jae .done
.load:	mov al, [esi + edx]
	mov [edi + edx], al
	test al, al
	jz .done
	inc edx
	jmp .next
.done:
	mov eax, edx
	pop esi
	pop edi
	ret
.sfault:
	mov eax, -14			; -EFAULT
	pop esi
	pop edi
	ret

; int futex_atomic_cmpxchg_inatomic(u32 *uval, u32 *uaddr, u32 old, u32 new)
; One locked compare-and-exchange on a user word (SDM vol. 2A, CMPXCHG):
; *uval gets the value found there (the exchange happened if it equals
; old). Returns 0, or -EFAULT if the word could not be reached.
global futex_atomic_cmpxchg_inatomic
futex_atomic_cmpxchg_inatomic:
	mov ecx, [esp + 8]
	mov eax, [esp + 12]
	mov edx, [esp + 16]
.xchg:	lock cmpxchg [ecx], edx
	mov ecx, [esp + 4]
	mov [ecx], eax
	xor eax, eax
	ret
.xfault:
	mov eax, -14			; -EFAULT
	ret

section __ex_table align=4
	dd __copy_user.words, __copy_user.words_fault
	dd __copy_user.bytes, __copy_user.bytes_fault
	dd __clear_user.cwords, __clear_user.cwords_fault
	dd __clear_user.cbytes, __clear_user.cbytes_fault
	dd __strncpy_from_user.load, __strncpy_from_user.sfault
	dd futex_atomic_cmpxchg_inatomic.xchg, futex_atomic_cmpxchg_inatomic.xfault

section .text
; void load_user_fs_gs(unsigned int fs, unsigned int gs)
; Load user segment selectors saved earlier. A selector that became
; invalid (its TLS slot was cleared) faults; the fixup loads 0 instead,
; as Linux's loadsegment does.
global load_user_fs_gs
load_user_fs_gs:
	mov eax, [esp + 4]
.lfs:	mov fs, eax
.fs_done:
	mov eax, [esp + 8]
.lgs:	mov gs, eax
.gs_done:
	ret
.fs_fault:
	xor eax, eax
	mov fs, eax
	jmp .fs_done
.gs_fault:
	xor eax, eax
	mov gs, eax
	jmp .gs_done

section __ex_table align=4
	dd load_user_fs_gs.lfs, load_user_fs_gs.fs_fault
	dd load_user_fs_gs.lgs, load_user_fs_gs.gs_fault
