/*
 * Futexes: the kernel half of user-space locks (kernel/futex.c). A
 * thread sleeps on a user address while it holds an expected value;
 * another wakes sleepers on that address.
 */
#ifndef _KESTREL_FUTEX_H
#define _KESTREL_FUTEX_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>
#include <uapi/futex.h>

/* Wake up to @nr sleepers on @uaddr of the current address space whose
 * bitset intersects @bitset. Returns how many were woken. */
int futex_wake(u32 __user *uaddr, int nr, u32 bitset);

/* The futex system call's work; @timeout_ns NULL: no timeout. */
long do_futex(u32 __user *uaddr, int op, u32 val, const u64 *timeout_ns,
	      u32 __user *uaddr2, u32 val2, u32 val3);

#endif /* _KESTREL_FUTEX_H */
