/*
 * The C halves of the user-copy functions (see <kestrel/uaccess.h> and
 * arch/x86/usercopy.asm for the fault-recovering primitives).
 */
#include <kestrel/string.h>
#include <kestrel/uaccess.h>

unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	unsigned long left = raw_copy_from_user(to, from, n);

	if (left)
		memset((char *)to + (n - left), 0, left);
	return left;
}

long strncpy_from_user(char *dst, const char __user *src, long count)
{
	unsigned long limit;

	might_fault();
	if (count <= 0)
		return 0;
	limit = TASK_SIZE - (unsigned long)(uintptr_t)src;
	if ((unsigned long)(uintptr_t)src >= TASK_SIZE)
		return -EFAULT;
	/* Stop at the user limit: a string running into it faults. */
	if ((unsigned long)count > limit) {
		long n = __strncpy_from_user(dst, src, (long)limit);

		return n == (long)limit ? -EFAULT : n;
	}
	return __strncpy_from_user(dst, src, count);
}
