/*
 * The i386 system-call table: Linux's numbers mapped to Kestrel's
 * implementations. Both come from one list, arch/x86/syscall_32.tbl,
 * which scripts/gen-syscalls turns into <asm/syscalls_32.h>: one
 * __SYSCALL(number, entry point) per implemented call. The list is read
 * twice, to declare each sys_NAME and to fill its slot. Numbers with no
 * entry point stay NULL and return -ENOSYS (arch/x86/syscall.c).
 */
#include <kestrel/syscalls.h>
#include <uapi/unistd_32.h>

#define __SYSCALL(nr, entry) long entry(const struct pt_regs *regs);
#include <asm/syscalls_32.h>
#undef __SYSCALL

#define __SYSCALL(nr, entry) [nr] = entry,
const syscall_fn_t sys_call_table[NR_syscalls] = {
#include <asm/syscalls_32.h>
};
#undef __SYSCALL
