/*
 * Copying between kernel memory and user memory.
 *
 * Every access to a user pointer goes through these functions. They
 * check the range against the user limit (TASK_SIZE: user space ends at
 * PAGE_OFFSET, 0xC0000000) and recover from page faults through the
 * exception table (arch/x86/usercopy.asm), so a bad pointer yields a
 * short copy or -EFAULT, never an oops. A fault on a valid but not yet
 * present user page is served like any page fault first (demand paging).
 *
 * Context: process context; all of them may fault and so may sleep,
 * and say so with might_fault(). A caller that copies in atomic context
 * on purpose (a spinlock held: the fault then fails at once with
 * -EFAULT, and the caller retries unlocked, as the futex code does)
 * uses __copy_from_user_inatomic().
 */
#ifndef _KESTREL_UACCESS_H
#define _KESTREL_UACCESS_H

#include <asm/page.h>
#include <asm/pgtable.h> /* TASK_SIZE */
#include <kestrel/compiler.h>
#include <kestrel/errno.h>
#include <kestrel/preempt.h>
#include <kestrel/types.h>

/* Does [@addr, @addr + @size) lie entirely in user space? */
static inline bool access_ok(const void __user *addr, unsigned long size)
{
	unsigned long a = (unsigned long)(uintptr_t)addr;

	return a <= TASK_SIZE && size <= TASK_SIZE - a;
}

/*
 * How many of @n bytes at @addr lie below the user limit. A copy that
 * runs into the limit moves the part below it and reports the rest as
 * not copied, the way a copy that hits an unmapped page does.
 */
static inline unsigned long user_room(const void __user *addr, unsigned long n)
{
	unsigned long a = (unsigned long)(uintptr_t)addr;

	if (a >= TASK_SIZE)
		return 0;
	return n < TASK_SIZE - a ? n : TASK_SIZE - a;
}

/* Arch primitives: copy @n bytes, return the number NOT copied. The
 * caller has checked access_ok(). */
unsigned long __copy_user(void *to, const void *from, unsigned long n);
unsigned long __clear_user(void __user *to, unsigned long n);
/* Copy a string of at most @n bytes including its NUL; returns its
 * length without the NUL, @n if no NUL came first, or -EFAULT. */
long __strncpy_from_user(char *dst, const char __user *src, long n);

/* A user copy may fault, and a fault may sleep (Linux's might_fault). */
#define might_fault() might_sleep()

/**
 * copy_to_user - copy @n bytes from kernel @from to user @to
 *
 * Returns the number of bytes that could NOT be copied (0 on success).
 */
static inline unsigned long copy_to_user(void __user *to, const void *from,
					 unsigned long n)
{
	unsigned long room = user_room(to, n);

	might_fault();
	if (!room)
		return n;
	return n - room + __copy_user((void __force *)to, from, room);
}

/**
 * raw_copy_from_user - copy @n bytes from user @from to kernel @to
 *
 * Returns the number of bytes that could NOT be copied. Unlike
 * copy_from_user(), the uncopied tail of @to is left as it was: this is
 * the copy for destinations that already hold data, a file's page or a
 * pipe's ring, where a fault must change only the bytes it copied
 * (copy_from_iter() uses it). __copy_from_user_inatomic() is the same
 * copy without the might_fault() check (see the top of this file).
 */
static inline unsigned long
__copy_from_user_inatomic(void *to, const void __user *from, unsigned long n)
{
	unsigned long room = user_room(from, n);

	if (!room)
		return n;
	return n - room + __copy_user(to, (const void __force *)from, room);
}

static inline unsigned long
raw_copy_from_user(void *to, const void __user *from, unsigned long n)
{
	might_fault();
	return __copy_from_user_inatomic(to, from, n);
}

/**
 * copy_from_user - copy @n bytes from user @from to kernel @to
 *
 * Returns the number of bytes that could NOT be copied; the uncopied
 * tail of @to is zeroed, so no kernel data leaks through it. The copy
 * for fresh buffers (a structure argument); a copy into memory that
 * holds data wants raw_copy_from_user().
 */
unsigned long copy_from_user(void *to, const void __user *from,
			     unsigned long n);

/* Zero @n bytes of user memory; returns the number NOT cleared. */
static inline unsigned long clear_user(void __user *to, unsigned long n)
{
	unsigned long room = user_room(to, n);

	might_fault();
	if (!room)
		return n;
	return n - room + __clear_user(to, room);
}

/**
 * strncpy_from_user - copy a NUL-terminated string from user space
 * @dst: at least @count bytes
 *
 * Return: the string's length (without the NUL, which is copied), or
 * @count when it has no NUL in the first @count bytes (then @dst is not
 * terminated), or -EFAULT.
 */
long strncpy_from_user(char *dst, const char __user *src, long count);

/*
 * get_user(x, ptr) / put_user(x, ptr): one value of the pointed-to type.
 * Evaluate to 0 or -EFAULT.
 */
#define get_user(x, ptr)                                                    \
	({                                                                  \
		unsigned char __gu_buf[sizeof(*(ptr))] __aligned(8);        \
		int __gu_err =                                              \
			copy_from_user(__gu_buf, (ptr), sizeof(__gu_buf)) ? \
				-EFAULT :                                   \
				0;                                          \
		(x) = *(__typeof__(*(ptr)) *)__gu_buf;                      \
		__gu_err;                                                   \
	})

#define put_user(x, ptr)                                                     \
	({                                                                   \
		__typeof__(*(ptr)) __pu_val = (x);                           \
		copy_to_user((ptr), &__pu_val, sizeof(__pu_val)) ? -EFAULT : \
								   0;        \
	})

#endif /* _KESTREL_UACCESS_H */
