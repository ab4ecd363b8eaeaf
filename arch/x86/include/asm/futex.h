/*
 * The one futex operation that needs the machine: an atomic
 * compare-and-exchange on a word of user memory, with the fault
 * recovery of the user-copy routines (arch/x86/usercopy.asm).
 * kernel/futex.c builds FUTEX_WAKE_OP's read-modify-write on it.
 */
#ifndef _ASM_X86_FUTEX_H
#define _ASM_X86_FUTEX_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>

/**
 * futex_atomic_cmpxchg_inatomic - compare-and-exchange a user word
 * @uval: receives the value found at @uaddr
 * @uaddr: an aligned user address the caller checked with access_ok()
 * @oldval: the value expected there
 * @newval: the value stored if @oldval was found
 *
 * One `lock cmpxchg`, atomic against every CPU and every user thread.
 * The exchange happened if *@uval == @oldval afterwards.
 *
 * Return: 0, or -EFAULT if the page is absent or read-only and the
 * fault could not be served (always so in atomic context: the caller
 * then faults the page in and tries again).
 * Context: any; does not sleep in atomic context.
 */
int futex_atomic_cmpxchg_inatomic(u32 *uval, u32 __user *uaddr, u32 oldval,
				  u32 newval);

#endif /* _ASM_X86_FUTEX_H */
