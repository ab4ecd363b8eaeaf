/*
 * The memory system calls: brk, mmap2 and the old mmap, munmap,
 * mprotect, mremap, madvise. Thin wrappers over mm/mmap.c, where the
 * rules are.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs.h>
#include <kestrel/mman.h>
#include <kestrel/sched.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <uapi/mman.h>
#include <kestrel/mm_types.h>
#include <kestrel/signal.h>

/* Growth past RLIMIT_AS or the overcommit policy fails in mmap_region();
 * brk() then returns the old break. */
SYSCALL_DEFINE1(brk, unsigned long, brk)
{
	return (long)do_brk(current->mm, brk);
}

/* mmap with the file offset in pages (i386 mmap2). */
static long mmap_pgoff(unsigned long addr, unsigned long len,
		       unsigned long prot, unsigned long flags, int fd,
		       unsigned long pgoff)
{
	struct file *file = NULL;
	unsigned long ret;

	if (!(flags & MAP_ANONYMOUS)) {
		file = fget_files(current->files, (unsigned int)fd);
		if (!file)
			return -EBADF;
	}
	ret = do_mmap(current->mm, addr, len, prot, flags, file, pgoff);
	if (file)
		fput(file);
	return (long)ret;
}

SYSCALL_DEFINE6(mmap2, unsigned long, addr, unsigned long, len, unsigned long,
		prot, unsigned long, flags, int, fd, unsigned long, pgoff)
{
	return mmap_pgoff(addr, len, prot, flags, fd, pgoff);
}

/* The original mmap (90): one pointer to its six arguments. */
struct mmap_arg_struct {
	u32 addr, len, prot, flags, fd, offset;
};

SYSCALL_DEFINE1(mmap, const struct mmap_arg_struct __user *, arg)
{
	struct mmap_arg_struct a;

	if (copy_from_user(&a, arg, sizeof(a)))
		return -EFAULT;
	if (a.offset & ~PAGE_MASK)
		return -EINVAL;
	return mmap_pgoff(a.addr, a.len, a.prot, a.flags, (int)a.fd,
			  a.offset >> PAGE_SHIFT);
}

SYSCALL_DEFINE2(munmap, unsigned long, addr, size_t, len)
{
	return do_munmap(current->mm, addr, len);
}

SYSCALL_DEFINE3(mprotect, unsigned long, addr, size_t, len, unsigned long, prot)
{
	return do_mprotect(current->mm, addr, len, prot);
}

SYSCALL_DEFINE5(mremap, unsigned long, addr, unsigned long, old_len,
		unsigned long, new_len, unsigned long, flags, unsigned long,
		new_addr)
{
	return (long)do_mremap(current->mm, addr, old_len, new_len, flags,
			       new_addr);
}

SYSCALL_DEFINE3(madvise, unsigned long, addr, size_t, len, int, advice)
{
	return do_madvise(current->mm, addr, len, advice);
}
