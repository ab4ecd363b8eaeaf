/*
 * The machine-specific side of ELF core files: the i386 register set as
 * NT_PRSTATUS carries it (Linux's ELF_CORE_COPY_REGS, in struct
 * user_regs_struct's order).
 */
#ifndef _ASM_X86_ELF_H
#define _ASM_X86_ELF_H

#include <asm/ptrace.h>
#include <uapi/elf.h>

/* What int $0x80 leaves in pt_regs->vector (a system call). */
#define ELF_SYSCALL_VECTOR 0x80
/* A selector is 16 bits; the CPU may push garbage above them. */
#define ELF_SELECTOR_MASK 0xffffU

/* elf_gregset_t slots (asm/user_32.h's struct user_regs_struct). */
enum elf_greg {
	ELF_EBX,
	ELF_ECX,
	ELF_EDX,
	ELF_ESI,
	ELF_EDI,
	ELF_EBP,
	ELF_EAX,
	ELF_DS,
	ELF_ES,
	ELF_FS,
	ELF_GS,
	ELF_ORIG_EAX,
	ELF_EIP,
	ELF_CS,
	ELF_EFLAGS,
	ELF_ESP,
	ELF_SS,
};
_Static_assert(ELF_SS + 1 == ELF_NGREG, "elf_gregset_t has 17 slots");

/* The user registers of @regs, as a debugger reads them from a core.
 * orig_eax is the system call number, or -1 outside a system call. */
static inline void elf_core_copy_regs(elf_gregset_t gregs,
				      const struct pt_regs *regs)
{
	gregs[ELF_EBX] = regs->bx;
	gregs[ELF_ECX] = regs->cx;
	gregs[ELF_EDX] = regs->dx;
	gregs[ELF_ESI] = regs->si;
	gregs[ELF_EDI] = regs->di;
	gregs[ELF_EBP] = regs->bp;
	gregs[ELF_EAX] = regs->ax;
	gregs[ELF_DS] = regs->ds & ELF_SELECTOR_MASK;
	gregs[ELF_ES] = regs->es & ELF_SELECTOR_MASK;
	gregs[ELF_FS] = regs->fs & ELF_SELECTOR_MASK;
	gregs[ELF_GS] = regs->gs & ELF_SELECTOR_MASK;
	gregs[ELF_ORIG_EAX] =
		regs->vector == ELF_SYSCALL_VECTOR ? regs->orig_ax : (u32)-1;
	gregs[ELF_EIP] = regs->ip;
	gregs[ELF_CS] = regs->cs & ELF_SELECTOR_MASK;
	gregs[ELF_EFLAGS] = regs->flags;
	gregs[ELF_ESP] = regs->sp;
	gregs[ELF_SS] = regs->ss & ELF_SELECTOR_MASK;
}

#endif /* _ASM_X86_ELF_H */
