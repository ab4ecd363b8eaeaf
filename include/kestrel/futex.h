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

/* Wake up to @nr sleepers (at least one) of the futex at @uaddr, whose
 * bitset intersects @bitset, as a shared (not FUTEX_PRIVATE_FLAG)
 * FUTEX_WAKE_BITSET of the current task would: Linux's exit does so for
 * CLONE_CHILD_CLEARTID. Returns how many were woken, or -EINVAL
 * (unaligned, @bitset 0), -EFAULT (no mapping there). May sleep. */
int futex_wake(u32 __user *uaddr, int nr, u32 bitset);

/* The futex system call's work; @timeout_ns NULL: no timeout. */
long do_futex(u32 __user *uaddr, int op, u32 val, const u64 *timeout_ns,
	      u32 __user *uaddr2, u32 val2, u32 val3);

#endif /* _KESTREL_FUTEX_H */
