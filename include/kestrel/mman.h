/*
 * The address-space layer: what fork, exec, exit, the page-fault handler
 * and the memory system calls (mmap2, munmap, mprotect, brk) call.
 *
 * mm/mmap.c keeps the VMAs (struct vm_area_struct) of each mm_struct
 * and implements the calls that change them; mm/memory.c turns VMAs
 * into page-table entries: demand-zero faults, copy-on-write, copying
 * page tables for fork, unmapping, and access to another process's
 * memory (copy_to_mm() for exec). arch/x86/pgtable.c owns the hardware
 * format, and arch/x86/fault.c the entry from the page-fault exception.
 *
 * User layout (i386, 3G/1G split):
 *
 *	TASK_SIZE = STACK_TOP  0xC0000000
 *	                       stack (VM_GROWSDOWN), grows down to
 *	                       stack_limit (RLIMIT_STACK, 8 MiB)
 *	mmap_base              TASK_SIZE - MMAP_STACK_GAP: mmap() areas
 *	                       are placed top-down from here
 *	                       ...
 *	brk                    heap, grows up from start_brk
 *	                       program (exec), 0x08048000 for ET_EXEC
 *	MMAP_MIN_ADDR          64 KiB: nothing is ever mapped below
 *
 * Locking: every function taking an mm takes its mmap_lock itself,
 * except those named __* and the VMA lookups (find_vma(), vma_prev(),
 * vma_next()), whose caller holds it. mmap_lock
 * is a mutex and page faults on user addresses take it: never hold it
 * across copy_to_user()/copy_from_user(). All functions here may sleep
 * unless they say otherwise.
 */
#ifndef _KESTREL_MMAN_H
#define _KESTREL_MMAN_H

#include <kestrel/bug.h>
#include <kestrel/mm_types.h>
#include <kestrel/types.h>
#include <uapi/mman.h>
#include <uapi/signal.h>

struct file;
struct page;
struct pt_regs;

/* Room left above mmap_base for the stack to grow into. */
#define MMAP_STACK_GAP (128UL << 20)
/* A growing stack keeps at least this much from the mapping below. */
#define STACK_GUARD_GAP PAGE_SIZE
/* The RLIMIT_STACK default, until exec sets the real limit. */
#define DEFAULT_STACK_LIMIT (8UL << 20)
/* Lowest mappable address (Linux's vm.mmap_min_addr on Debian). */
#define MMAP_MIN_ADDR 65536UL
/* Most VMAs one mm may have (Linux's vm.max_map_count). */
#define MAX_MAP_COUNT 65530

/* handle_mm_fault() flags. */
#define FAULT_FLAG_WRITE 0x01 /* the access was a write */
#define FAULT_FLAG_USER 0x02 /* it came from user mode */
#define FAULT_FLAG_INSTRUCTION 0x04 /* it was an instruction fetch */

/*
 * Page-fault results: 0 when the fault was handled (retry the access),
 * else one of these negative codes. A SIGSEGV result is -si_code.
 */
#define VM_FAULT_SIGSEGV_MAPERR (-SEGV_MAPERR) /* no mapping there */
#define VM_FAULT_SIGSEGV_ACCERR (-SEGV_ACCERR) /* mapping forbids it */
#define VM_FAULT_OOM (-0x100) /* no memory for a page or a page table */
#define VM_FAULT_SIGBUS (-0x101) /* file mappings, beyond EOF (later) */

static inline bool vm_fault_is_sigsegv(int fault)
{
	return fault == VM_FAULT_SIGSEGV_MAPERR ||
	       fault == VM_FAULT_SIGSEGV_ACCERR;
}

/* The siginfo si_code of a SIGSEGV fault result. */
static inline int vm_fault_si_code(int fault)
{
	return -fault;
}

/* Is [@addr, @addr + @len) inside user space (an empty range is)? */
static inline bool mm_range_ok(unsigned long addr, unsigned long len)
{
	return addr < TASK_SIZE && len <= TASK_SIZE - addr;
}

/* The kernel's own mm: swapper_pg_dir. The active_mm of kernel threads
 * that never ran after a process; never freed. */
extern struct mm_struct init_mm;

/* ---- overcommit accounting (mm/overcommit.c) ----------------------- */

/* vm.overcommit_memory (Linux's values). */
#define OVERCOMMIT_GUESS 0 /* refuse only a request larger than RAM + swap */
#define OVERCOMMIT_ALWAYS 1 /* never refuse */
#define OVERCOMMIT_NEVER 2 /* refuse past CommitLimit */

/* The tunables of /proc/sys/vm (kernel/sysctl.c): the mode, the share
 * of RAM in CommitLimit (percent) or, when non-zero, CommitLimit in kB,
 * and mode 2's reserves for root and against one process taking all. */
extern int sysctl_overcommit_memory;
extern int sysctl_overcommit_ratio;
extern int sysctl_overcommit_kbytes;
extern int sysctl_admin_reserve_kbytes;
extern int sysctl_user_reserve_kbytes;

/**
 * vm_enough_memory - charge @pages to the committed total, if allowed
 * @mm: the address space that asks (its size matters in mode 2), or NULL
 * @pages: how many pages the new VM_ACCOUNT memory covers
 *
 * Decides by vm.overcommit_memory (mm/overcommit.c has the rules) and
 * on success leaves @pages charged: the caller gives them back with
 * vm_unacct_memory() when the memory goes (or its own step fails).
 * Returns 0 or -ENOMEM. Context: any; does not sleep.
 */
int vm_enough_memory(const struct mm_struct *mm, long pages);

/* Charge or return @pages with no policy check (the charge of memory
 * already accounted elsewhere changing hands). Context: any. */
void vm_acct_memory(long pages);
void vm_unacct_memory(long pages);

/* Committed_AS and CommitLimit of /proc/meminfo, in pages. */
unsigned long vm_memory_committed(void);
unsigned long vm_commit_limit(void);

/* Pages of swap (Linux's total_swap_pages): 0, Kestrel swaps nothing
 * yet. In CommitLimit, and /proc/meminfo's SwapTotal and SwapFree. */
extern const unsigned long total_swap_pages;

/* ---- lifetime (mm/mmap.c) --------------------------------------------- */

/**
 * mm_alloc - a new, empty address space
 *
 * Its page directory shares the kernel half (pgd_alloc()); no VMAs;
 * mmap_base and stack_limit set to their defaults; one user, one
 * reference. Returns NULL when out of memory.
 */
struct mm_struct *mm_alloc(void);

/* Take a user reference (a task or a temporary user). Context: any. */
static inline void mmget(struct mm_struct *mm)
{
	atomic_inc(&mm->mm_users);
}

/**
 * mmput - drop a user reference
 *
 * The last one unmaps everything (pages whose last mapping goes are
 * freed), frees the user page tables and drops the users' mm_count
 * reference. Context: process; takes mmap_lock; may sleep.
 */
void mmput(struct mm_struct *mm);

/* Keep the structure and page directory alive (lazy TLB): the
 * scheduler grabs the active_mm a kernel thread borrows. Context: any. */
static inline void mmgrab(struct mm_struct *mm)
{
	atomic_inc(&mm->mm_count);
}

/* Drop an mmgrab() reference; the last frees the page directory and
 * the structure. Context: any but interrupt handlers. */
void mmdrop(struct mm_struct *mm);

/**
 * dup_mm - copy an address space for fork()
 * @old: the parent's mm
 *
 * Copies every VMA and every page-table entry. Private pages become
 * copy-on-write in both address spaces: their PTEs are write-protected
 * in the parent and the child and each page gains a reference; the
 * first write in either copies it (or, if it has become the only
 * mapping, simply makes it writable again). Pages of shared mappings
 * are shared for good; missing ones are first allocated in the parent,
 * so that both see the same pages. The parent's stale TLB entries are
 * flushed. The layout fields are copied too. VMAs marked MADV_DONTFORK
 * are left out, MADV_WIPEONFORK ones copied without their pages, and
 * the copies of committed (VM_ACCOUNT) VMAs are charged again.
 *
 * Returns the new mm (one user), or NULL when out of memory or when the
 * overcommit policy refuses the charge.
 * Context: takes @old's mmap_lock; may sleep.
 */
struct mm_struct *dup_mm(struct mm_struct *old);

/* ---- VMAs (mm/mmap.c) ------------------------------------------------- */

/**
 * find_vma - the first VMA that ends above @addr
 *
 * That is the VMA containing @addr, or else the next one above it (the
 * one a stack would grow down from), or NULL.
 * Context: mmap_lock held; does not sleep.
 */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);

/* The VMA before @vma in address order, or NULL. mmap_lock held. */
struct vm_area_struct *vma_prev(struct mm_struct *mm,
				struct vm_area_struct *vma);
/* The VMA after @vma in address order, or NULL. mmap_lock held. */
struct vm_area_struct *vma_next(struct mm_struct *mm,
				struct vm_area_struct *vma);

#define mmap_assert_locked(mm) WARN_ON(!mutex_owned(&(mm)->mmap_lock))

/**
 * get_unmapped_area - find room for a new mapping
 * @mm: the address space
 * @addr: a hint (used if that range is free), or 0; with MAP_FIXED, the
 *        address itself
 * @len: the length in bytes (rounded up to pages)
 * @flags: MAP_* flags (MAP_FIXED)
 *
 * Searches top-down from mm->mmap_base, then above it, never closer
 * than STACK_GUARD_GAP below a stack. Returns the address, or -ENOMEM
 * (no room, or @len too big) / -EINVAL (unaligned MAP_FIXED address),
 * as an unsigned long (IS_ERR_VALUE()).
 * Context: takes mmap_lock.
 */
unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long addr,
				unsigned long len, unsigned long flags);

/**
 * do_mmap - mmap2() for @mm
 * @addr: hint, or the address with MAP_FIXED / MAP_FIXED_NOREPLACE
 * @len: length in bytes; rounded up to pages
 * @prot: PROT_READ | PROT_WRITE | PROT_EXEC, or PROT_NONE
 * @flags: MAP_PRIVATE or MAP_SHARED (or MAP_SHARED_VALIDATE), with
 *         MAP_ANONYMOUS, MAP_FIXED (replaces what is there),
 *         MAP_FIXED_NOREPLACE, MAP_GROWSDOWN, MAP_POPULATE,
 *         MAP_NORESERVE (not committed, unless vm.overcommit_memory is
 *         2); MAP_STACK, MAP_LOCKED, MAP_DENYWRITE, MAP_EXECUTABLE are
 *         accepted
 * @file: the file to map, or NULL; ignored with MAP_ANONYMOUS
 * @pgoff: file offset in pages
 *
 * Returns the address of the mapping or a negative errno, as Linux:
 * EINVAL (@len 0, bad MAP_TYPE, unaligned MAP_FIXED address), ENOMEM
 * (no room, @len or the range beyond TASK_SIZE, too many mappings,
 * past RLIMIT_AS, or a commitment the overcommit policy refuses),
 * EPERM (MAP_FIXED below MMAP_MIN_ADDR), EEXIST (MAP_FIXED_NOREPLACE
 * over a mapping), EOVERFLOW (@pgoff + pages wraps), EOPNOTSUPP
 * (unknown flag with MAP_SHARED_VALIDATE), EBADF (no file and no
 * MAP_ANONYMOUS), and for a file: EACCES (a shared writable mapping of
 * a file not open for writing, or a file not open for reading), EPERM
 * (PROT_EXEC on a noexec mount), ENODEV (a file without ->mmap).
 * Context: takes mmap_lock.
 */
unsigned long do_mmap(struct mm_struct *mm, unsigned long addr,
		      unsigned long len, unsigned long prot,
		      unsigned long flags, struct file *file,
		      unsigned long pgoff);

/**
 * do_munmap - munmap(): remove [@addr, @addr + @len) from @mm
 *
 * VMAs partly inside are split; pages whose last mapping goes are
 * freed; page tables left covering nothing are freed. Unmapping a hole
 * is not an error. Returns 0, or -EINVAL (unaligned @addr, @len 0,
 * range beyond TASK_SIZE), -ENOMEM (a split would exceed MAX_MAP_COUNT
 * or no memory for a VMA). Context: takes mmap_lock.
 */
int do_munmap(struct mm_struct *mm, unsigned long addr, size_t len);

/**
 * do_mprotect - mprotect(): change the rights of [@addr, @addr + @len)
 * @prot: PROT_READ | PROT_WRITE | PROT_EXEC, optionally PROT_GROWSDOWN
 *        (extend the range down to the start of a stack VMA)
 *
 * VMAs are split at the ends and merged with equal neighbours after,
 * and the PTEs of the range follow at once. Returns 0, or -EINVAL
 * (unaligned @addr, unknown @prot bits), -ENOMEM (the range is not all
 * mapped, or beyond TASK_SIZE), -EACCES (a right the mapping may not
 * get: VM_MAYx missing). Unlike Linux, nothing changes when the range
 * has a hole. Context: takes mmap_lock.
 */
int do_mprotect(struct mm_struct *mm, unsigned long addr, size_t len,
		unsigned long prot);

/**
 * do_brk - brk(): move the end of the heap to @brk
 *
 * Returns the new break, or the old one when the request is refused:
 * below start_brk, colliding with a mapping (keeping a guard page), past
 * RLIMIT_AS, refused by the overcommit policy, or out of memory.
 * Shrinking unmaps the pages above. Context: takes mmap_lock.
 */
unsigned long do_brk(struct mm_struct *mm, unsigned long brk);

/**
 * vm_map_anon - map anonymous private memory at a fixed place (exec)
 * @start: page-aligned address
 * @len: length in bytes (rounded up to pages)
 * @vm_flags: VM_READ, VM_WRITE, VM_EXEC, VM_GROWSDOWN; the VM_MAY*
 *            rights are added
 *
 * Replaces whatever was mapped there (MAP_FIXED). Map all the ELF
 * segments first and copy their contents after: a segment sharing a
 * page with the previous one replaces that page. Checked against the
 * current process's RLIMIT_AS and charged as mmap() would (a writable
 * segment is committed memory). Returns 0, -EINVAL (bad range) or
 * -ENOMEM. Context: takes mmap_lock.
 */
int vm_map_anon(struct mm_struct *mm, unsigned long start, unsigned long len,
		unsigned long vm_flags);

/**
 * vm_map_file - map a file privately at a fixed place (exec's segments)
 * @start: page-aligned address
 * @len: length in bytes (rounded up to pages)
 * @vm_flags: VM_READ, VM_WRITE, VM_EXEC; the VM_MAY* rights are added
 * @file: the file, which must have ->mmap (else -ENODEV)
 * @pgoff: the file page mapped at @start
 *
 * As MAP_PRIVATE | MAP_FIXED: the pages come from the file's page cache
 * when touched and are copied on the first write. Returns 0, -EINVAL,
 * -ENODEV or -ENOMEM. Context: takes mmap_lock.
 */
int vm_map_file(struct mm_struct *mm, unsigned long start, unsigned long len,
		unsigned long vm_flags, struct file *file, unsigned long pgoff);

/**
 * do_madvise - madvise(): advice about [@addr, @addr + @len)
 * @advice: any advice Linux 6.1 accepts, with Linux's effects where
 *          Kestrel has the machinery (mm/madvise.c has the table):
 *          MADV_DONTNEED and MADV_FREE drop private pages (anonymous
 *          memory reads as zeroes afterwards; shared pages are kept),
 *          MADV_REMOVE zeroes shared memory for every sharer,
 *          MADV_DONTFORK / MADV_WIPEONFORK change what fork copies,
 *          MADV_POPULATE_READ / _WRITE fault the pages in; the rest set
 *          a VMA flag or do nothing
 *
 * Returns 0, or -EINVAL (unaligned @addr, unknown advice, the range
 * wraps, or advice this mapping refuses), -EACCES, -EAGAIN (a VMA split
 * found no memory), -ENOMEM (part of the range is not mapped; the
 * mapped parts are still advised, as Linux does), -EFAULT (populate).
 * Context: takes mmap_lock.
 */
int do_madvise(struct mm_struct *mm, unsigned long addr, size_t len,
	       int advice);

/**
 * do_mremap - mremap(): resize or move [@addr, @addr + @old_len)
 * @flags: MREMAP_MAYMOVE (move if it cannot grow in place),
 *         MREMAP_FIXED (move to @new_addr, replacing what is there)
 *
 * The range must lie in one VMA. Shrinking unmaps the tail; growing
 * extends the VMA in place when the room after it is free, else moves
 * it (its pages move with their PTEs, nothing is copied). Returns the
 * new address or, as Linux: -EINVAL (unaligned addresses, unknown
 * flags, FIXED without MAYMOVE, @new_len 0, overlapping ranges,
 * MREMAP_DONTUNMAP and an @old_len of 0, which Kestrel does not
 * support), -EFAULT (no VMA at @addr, or the range leaves it), -ENOMEM
 * (no room without MREMAP_MAYMOVE, RLIMIT_AS, overcommit).
 * Context: takes mmap_lock.
 */
unsigned long do_mremap(struct mm_struct *mm, unsigned long addr,
			unsigned long old_len, unsigned long new_len,
			unsigned long flags, unsigned long new_addr);

/* msync() for @mm: mm/msync.c. 0, -EINVAL, -ENOMEM, -EBUSY or -EIO. */
int do_msync(struct mm_struct *mm, unsigned long start, size_t len, int flags);

/* ---- faults and pages (mm/memory.c, arch/x86/fault.c) ------------------ */

/**
 * handle_mm_fault - resolve a page fault at @address in @mm
 * @flags: FAULT_FLAG_*
 *
 * Finds the VMA (growing a VM_GROWSDOWN stack down to @address if that
 * is where the fault is, within stack_limit and STACK_GUARD_GAP), checks
 * the access against its rights, and makes the page present: a zero
 * page for a read of anonymous memory, a new zeroed page for a write,
 * a private copy for a write to a copy-on-write page. Returns 0 or a
 * VM_FAULT_* code.
 * Context: process; takes mmap_lock; may sleep (see do_page_fault()).
 */
int handle_mm_fault(struct mm_struct *mm, unsigned long address,
		    unsigned int flags);

/**
 * do_page_fault - the arch entry for a page fault on a user address
 * @regs: the faulting context (its error code says read/write, user)
 * @address: CR2
 *
 * Returns 0 when handled, else a VM_FAULT_* code for the caller
 * (traps.c) to act on: from user mode, SIGSEGV with si_code
 * vm_fault_si_code() and si_addr @address (SIGKILL for VM_FAULT_OOM,
 * SIGBUS for VM_FAULT_SIGBUS); from kernel mode, the exception-table
 * fixup or an oops. Kernel addresses, faults in kernel threads and
 * faults in atomic context (preempt_count() raised or interrupts off in
 * @regs) are never handled here: VM_FAULT_SIGSEGV_MAPERR at once.
 *
 * Context: the caller re-enables interrupts if @regs had them enabled;
 * may sleep then.
 */
int do_page_fault(struct pt_regs *regs, unsigned long address);

/**
 * mm_populate - fault in every page of [@start, @start + @len)
 *
 * As if each page were touched (written, where the VMA is writable).
 * Returns 0, -ENOMEM, or -EFAULT if part of the range is not mapped.
 * Context: takes mmap_lock.
 */
int mm_populate(struct mm_struct *mm, unsigned long start, size_t len);

/**
 * copy_to_mm - write into an address space that need not be current
 * @mm: the target (exec's new mm before the switch)
 * @dst: user address in @mm
 * @src: kernel buffer
 * @len: bytes
 *
 * The range must lie within VMAs; their rights are ignored (exec writes
 * read-only text). Pages are allocated or unshared as by a write fault
 * and written through the direct map; whole pages are not zeroed first.
 * Returns 0, -EFAULT (a hole, or beyond TASK_SIZE) or -ENOMEM.
 * Context: takes @mm's mmap_lock.
 */
int copy_to_mm(struct mm_struct *mm, unsigned long dst, const void *src,
	       size_t len);

/* Read from @mm into @dst, as copy_to_mm() writes (holes of the page
 * tables read as zeroes, nothing is allocated). Returns 0 or -EFAULT. */
int copy_from_mm(struct mm_struct *mm, void *dst, unsigned long src,
		 size_t len);

/* Zero [@dst, @dst + @len) in @mm (a .bss tail). Pages not yet present
 * are left alone: they will be zero when faulted. As copy_to_mm(). */
int clear_in_mm(struct mm_struct *mm, unsigned long dst, size_t len);

/**
 * get_user_page_shared - the page behind @addr, if it is shared memory
 * @mm: the address space
 * @addr: a user address
 * @pagep: set to the page, with a reference the caller drops with
 *         put_page(), when @addr lies in a VM_SHARED mapping; set to
 *         NULL when it lies in a private one
 * @vm_flags: set to the flags of the mapping at @addr, for the caller
 *            to check the rights it needs
 *
 * A page of a shared mapping that is not present yet is faulted in, as
 * a read would (which the mapping must allow). The futex code names a
 * shared futex by this page (mm/gup.c explains why the frame is the
 * name for now).
 *
 * Returns 0, -EFAULT (no mapping at @addr, or a page that cannot be
 * read) or -ENOMEM. Context: takes mmap_lock.
 */
int get_user_page_shared(struct mm_struct *mm, unsigned long addr,
			 struct page **pagep, unsigned long *vm_flags);

/**
 * get_user_pages - pin the pages of a user buffer for direct I/O
 * @start: a user address in the current process (rounded down to a page)
 * @nr_pages: how many pages from there
 * @write: the kernel (a device) will write into them: each is faulted in
 *         private and writable (copy-on-write broken); else as a read
 * @pages: filled with the pages, each with a reference (the shared zero
 *         page, which a read may find, has none)
 *
 * Faults the pages in as the accesses would, checks the mapping allows
 * them (a write needs VM_WRITE), and takes a reference on each, so the
 * frames stay while a device uses them, even if the process unmaps
 * them. In order, stopping at the first page that fails, as Linux's.
 * Returns how many were pinned (@nr_pages, or fewer), or, when the
 * first fails, -EFAULT (no mapping, or one that forbids the access) or
 * -ENOMEM. Context: process; takes mmap_lock.
 */
int get_user_pages(unsigned long start, unsigned int nr_pages, bool write,
		   struct page **pages);

/* Drop the pins of get_user_pages(). Context: any (put_page() is
 * IRQ-safe: the zone lock is taken with interrupts off). */
void put_user_pages(struct page **pages, unsigned int nr_pages);

/*
 * The page at @addr in @mm for a core dump (Linux's get_dump_page):
 * 1 with its PAGE_SIZE bytes copied to @buf, 0 if it holds nothing (never
 * touched, or the shared zero page: the dump leaves a hole), -EFAULT
 * outside every VMA. Nothing is faulted in; rights are ignored.
 * Context: takes @mm's mmap_lock.
 */
int copy_dump_page(struct mm_struct *mm, unsigned long addr, void *buf);

/* The PTE mapping @addr in @mm, or 0 (for tests and diagnostics).
 * Context: takes mmap_lock. */
pte_t mm_lookup_pte(struct mm_struct *mm, unsigned long addr);

/* ---- file mappings (mm/filemap_fault.c, docs/filemap.md) -------------- */

struct address_space;
struct vm_fault;

/* ->mmap of a file with pages in the page cache: the VMA's faults are
 * filemap_fault()'s. 0, or -ENOEXEC (no ->readpage). */
int generic_file_mmap(struct file *file, struct vm_area_struct *vma);
/* The same, refusing a shared writable mapping (-EINVAL). */
int generic_file_readonly_mmap(struct file *file, struct vm_area_struct *vma);
/* The page cache's ->fault: the page, locked, or VM_FAULT_SIGBUS past
 * the end of the file or on a read error. */
int filemap_fault(struct vm_area_struct *vma, struct vm_fault *vmf);
extern const struct vm_operations_struct generic_file_vm_ops;

/* Write-protect every shared mapping's PTE of the locked page cache
 * @page (clear_page_dirty_for_io()); returns how many. Does not sleep. */
int page_mkclean(struct page *page);

/* ---- between the files of mm/ (no other callers) ---------------------- */

/* Grow the stack @vma down to @address, within stack_limit, RLIMIT_AS
 * and the overcommit policy. 0, -ENOMEM or -EPERM. */
int __expand_stack(struct mm_struct *mm, struct vm_area_struct *vma,
		   unsigned long address);
/* Resolve a fault, mmap_lock held; flags as handle_mm_fault(). */
int __handle_mm_fault(struct mm_struct *mm, unsigned long address,
		      unsigned int flags);
/* Unmap and free the pages of the VMAs on @vmas (linked by vm_list,
 * already out of the tree) and the page tables of [@floor, @ceiling)
 * they leave empty. */
void __unmap_region(struct mm_struct *mm, struct list_head *vmas,
		    unsigned long floor, unsigned long ceiling);
/* Copy @vma's PTEs from @src to @dst for fork. 0 or -ENOMEM. */
int __copy_page_range(struct mm_struct *dst, struct mm_struct *src,
		      struct vm_area_struct *vma);
/* Unmap and free the pages of [@start, @end), which lies in @vma, which
 * stays (madvise, truncation); with @keep_anon, only the file's pages:
 * the private copies stay. */
void __zap_page_range(struct vm_area_struct *vma, unsigned long start,
		      unsigned long end, bool keep_anon);
/* Put @vma on / take it off its file's list of mappings (i_mmap). */
void vma_link_file(struct vm_area_struct *vma);
void vma_unlink_file(struct vm_area_struct *vma);
/* Give [@start, @end), a part of @vma, the flags @newflags: split off
 * the parts outside, rewrite the PTEs if the rights changed, merge with
 * equal neighbours (mprotect, madvise). 0 or -ENOMEM. */
int __vma_modify_flags(struct mm_struct *mm, struct vm_area_struct *vma,
		       unsigned long start, unsigned long end,
		       unsigned long newflags);
/* Move the PTEs of [@old_addr, @old_addr + @len) to @new_addr, an
 * unmapped range (mremap). 0 or -ENOMEM. */
int __move_page_tables(struct mm_struct *mm, unsigned long old_addr,
		       unsigned long new_addr, unsigned long len);
/* Apply @vma->vm_page_prot to the PTEs of [@start, @end) in @vma. */
void __change_protection(struct vm_area_struct *vma, unsigned long start,
			 unsigned long end);
/* Fault in [@start, @end), within VMAs. 0, -ENOMEM or -EFAULT. */
int __mm_populate(struct mm_struct *mm, unsigned long start, unsigned long end);

#endif /* _KESTREL_MMAN_H */
