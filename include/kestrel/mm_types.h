/*
 * Address spaces: struct mm_struct and struct vm_area_struct.
 *
 * A process's user address space (0 - TASK_SIZE) is described twice:
 * by its VMAs, the ranges the process asked for with their rights
 * (what mmap(), brk() and exec created), and by its page tables, the
 * pages that exist so far. The page tables are filled lazily from the
 * VMAs by page faults (mm/memory.c); a fault at an address that no VMA
 * allows is the process's error (SIGSEGV). docs/vm.md tells the story.
 *
 * The VMAs of an mm never overlap and are kept twice, in the same order:
 * in a red-black tree keyed by start address (find_vma() in O(log n))
 * and in a sorted list (walks over a range, and get_unmapped_area()).
 *
 * Locks, as tagged on each member below:
 *	M	mm->mmap_lock (a mutex: its holder may sleep)
 *	A	atomic
 *	I	set when the object is created, constant afterwards
 */
#ifndef _KESTREL_MM_TYPES_H
#define _KESTREL_MM_TYPES_H

#include <asm/pgtable.h>
#include <kestrel/atomic.h>
#include <kestrel/list.h>
#include <kestrel/mutex.h>
#include <kestrel/rbtree.h>
#include <kestrel/spinlock.h>
#include <kestrel/types.h>

struct file;
struct page;
struct vm_area_struct;

/*
 * vm_flags bits (Linux's values, as /proc/PID/smaps "VmFlags" decodes
 * them). The VM_MAY* bits say which rights mprotect() may grant later:
 * VM_MAYx is VM_x << 4.
 */
#define VM_NONE 0x00000000UL
#define VM_READ 0x00000001UL /* readable */
#define VM_WRITE 0x00000002UL /* writable */
#define VM_EXEC 0x00000004UL /* executable */
#define VM_SHARED 0x00000008UL /* writes are seen by every sharer */
#define VM_MAYREAD 0x00000010UL
#define VM_MAYWRITE 0x00000020UL
#define VM_MAYEXEC 0x00000040UL
#define VM_MAYSHARE 0x00000080UL
#define VM_GROWSDOWN 0x00000100UL /* a stack: faults below extend it */
#define VM_LOCKED 0x00002000UL /* MAP_LOCKED (recorded, not enforced) */
#define VM_SEQ_READ 0x00008000UL /* MADV_SEQUENTIAL (recorded) */
#define VM_RAND_READ 0x00010000UL /* MADV_RANDOM (recorded) */
#define VM_DONTCOPY 0x00020000UL /* MADV_DONTFORK: fork leaves it out */
#define VM_ACCOUNT 0x00100000UL /* its pages are in vm_committed_as */
#define VM_NORESERVE 0x00200000UL /* MAP_NORESERVE: never committed */
#define VM_WIPEONFORK 0x02000000UL /* MADV_WIPEONFORK: the child's is empty */
#define VM_DONTDUMP 0x04000000UL /* MADV_DONTDUMP: not in core dumps */
#define VM_HUGEPAGE 0x20000000UL /* MADV_HUGEPAGE (recorded) */
#define VM_NOHUGEPAGE 0x40000000UL /* MADV_NOHUGEPAGE (recorded) */
#define VM_MERGEABLE 0x80000000UL /* MADV_MERGEABLE (recorded: no KSM) */

#define VM_ACCESS_FLAGS (VM_READ | VM_WRITE | VM_EXEC)
#define VM_MAY_FLAGS (VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
/* Brk and data areas: read-write, all rights mprotect-able. */
#define VM_DATA_DEFAULT_FLAGS (VM_READ | VM_WRITE | VM_MAY_FLAGS)
/* VM_MAYx == VM_x << VM_MAY_SHIFT */
#define VM_MAY_SHIFT 4

/**
 * struct vm_area_struct - one range of an address space
 * @vm_mm: the address space it belongs to
 * @vm_start: first address
 * @vm_end: first address after the range; both page-aligned
 * @vm_flags: VM_* bits
 * @vm_page_prot: PTE protection bits for vm_flags (vm_get_page_prot())
 * @vm_rb: node in @vm_mm->mm_rb
 * @vm_list: link in @vm_mm->mmap_list (address order)
 *
 * @vm_file: the file mapped (a reference), or NULL for anonymous memory
 * @vm_pgoff: the file page at @vm_start
 * @vm_ops: the file's fault methods (NULL: anonymous)
 * @vm_shared: link in vm_file->f_mapping->i_mmap, the VMAs mapping the
 *     file (under its i_mmap_lock and vm_mm->mmap_lock to change)
 * @vm_unmap_gen: the last unmap_mapping_range() pass that visited this
 *     VMA (mm/filemap_fault.c; i_mmap_lock)
 *
 * Every member is protected by vm_mm->mmap_lock. Created and freed by
 * mm/mmap.c only; other holders of a pointer to a VMA hold its mm's
 * mmap_lock, or the file's i_mmap_lock (the rmap walks of
 * mm/filemap_fault.c: a VMA stays on i_mmap until it leaves its mm).
 * docs/filemap.md tells the story of file mappings.
 */
struct vm_area_struct {
	struct mm_struct *vm_mm; /* I */
	unsigned long vm_start; /* M */
	unsigned long vm_end; /* M */
	unsigned long vm_flags; /* M */
	pgprot_t vm_page_prot; /* M */
	struct rb_node vm_rb; /* M */
	struct list_head vm_list; /* M */
	struct file *vm_file; /* I */
	unsigned long vm_pgoff; /* M */
	const struct vm_operations_struct *vm_ops; /* I */
	struct list_head vm_shared; /* M and i_mmap_lock */
	unsigned long vm_unmap_gen; /* i_mmap_lock */
};

/**
 * struct vm_fault - one fault on a file mapping, for ->fault
 * @pgoff: the file page that the faulting address maps
 * @address: the faulting address, page-aligned
 * @flags: FAULT_FLAG_* (<kestrel/mman.h>)
 * @page: set by ->fault: the page, locked, with a reference
 */
struct vm_fault {
	unsigned long pgoff;
	unsigned long address;
	unsigned int flags;
	struct page *page;
};

/*
 * What a mapped file does on faults (Linux's vm_operations_struct). The
 * page cache's are generic_file_vm_ops (mm/filemap_fault.c). Each is
 * called with vm_mm->mmap_lock held.
 *   fault         find or read the page of vmf->pgoff: 0 with vmf->page
 *                 locked and referenced, or VM_FAULT_SIGBUS (past the
 *                 end of the file, a read error) or VM_FAULT_OOM
 *   page_mkwrite  the first write to @page (locked) through a shared
 *                 mapping: make it dirty (and ready to be written, for
 *                 a file system that allocates blocks); 0 or VM_FAULT_*;
 *                 NULL: set_page_dirty()
 *   open, close   a VMA was copied (fork, split) / is being freed
 */
struct vm_operations_struct {
	int (*fault)(struct vm_area_struct *vma, struct vm_fault *vmf);
	int (*page_mkwrite)(struct vm_area_struct *vma, struct page *page);
	void (*open)(struct vm_area_struct *vma);
	void (*close)(struct vm_area_struct *vma);
};

/* The pages @vma covers. */
static inline unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

/* The kinds of page in an mm's rss (Linux's MM_*PAGES; nothing is
 * swapped yet). */
enum {
	MM_FILEPAGES, /* page cache pages of file mappings (RssFile) */
	MM_ANONPAGES, /* private pages (RssAnon) */
	MM_SHMEMPAGES, /* pages of shared anonymous mappings (RssShmem) */
	NR_MM_COUNTERS,
};

/**
 * struct mm_struct - a user address space
 *
 * Two reference counts, as in Linux. @mm_users counts the users of the
 * address space itself: the tasks that run in it (threads share one mm)
 * and temporary users such as /proc readers (mmget()). When it drops to
 * zero, mmput() tears down the mappings, the pages and the user page
 * tables. @mm_count counts references to the structure and its page
 * directory, which must outlive the mappings while a kernel thread
 * still runs on them lazily (mmgrab()); all users together hold one.
 * mmdrop() frees the structure at zero.
 *
 * The layout fields (start_code .. env_end) are set by exec and read by
 * /proc; brk is changed by brk() under mmap_lock.
 *
 * The sizes /proc/<pid>/status shows: @total_vm (VmSize), @rss_stat
 * (VmRSS = RssAnon + RssFile + RssShmem), @nr_ptes (VmPTE), and the high-water
 * marks VmPeak and VmHWM. Those are kept as Linux keeps them, lazily:
 * @hiwater_vm and @hiwater_rss are brought up to date just before the
 * size can shrink (munmap, exit, MADV_DONTNEED), and the peak shown is
 * the larger of the mark and the current size (get_mm_hiwater_vm()).
 */
struct mm_struct {
	struct rb_root mm_rb; /* M: VMAs by address */
	struct list_head mmap_list; /* M: VMAs in address order */
	struct vm_area_struct *mmap_cache; /* M: last find_vma() hit */
	pgd_t *pgd; /* I: page directory (direct-map address) */
	atomic_t mm_users; /* A: users of the address space */
	atomic_t mm_count; /* A: references to this structure */
	struct mutex mmap_lock; /* the VMAs, page tables and M fields */
	int map_count; /* M: number of VMAs */
	unsigned long total_vm; /* M: pages covered by VMAs */
	unsigned long hiwater_vm; /* M: total_vm before it last shrank */
	/* M: pages mapped, by kind (the zero page not counted) */
	unsigned long rss_stat[NR_MM_COUNTERS];
	unsigned long hiwater_rss; /* M: rss before it last shrank */
	unsigned long nr_ptes; /* M: page tables (VmPTE) */
	unsigned long mmap_base; /* M: mmap() searches down from here */
	unsigned long stack_limit; /* M: RLIMIT_STACK in bytes */
	unsigned long start_code, end_code; /* M: program text */
	unsigned long start_data, end_data; /* M: initialised data */
	unsigned long start_brk, brk; /* M: the heap: [start_brk, brk) */
	unsigned long start_stack; /* M: initial stack pointer */
	unsigned long arg_start, arg_end; /* M: argv strings */
	unsigned long env_start, env_end; /* M: environment strings */
	/* c: the executable (/proc/<pid>/exe); a reference, put by mmput */
	struct file *exe_file;
	/* A: may the process dump core, SUID_DUMP_* (kestrel/coredump.h):
	 * set by exec, cleared by a change of identity, prctl() */
	unsigned int dumpable;
	/* X: the AIO contexts (fs/aio.c); X is ioctx_lock */
	struct list_head ioctx_list;
	spinlock_t ioctx_lock;
};

/* Pages mapped in @mm (VmRSS). Caller holds mmap_lock, or accepts a
 * snapshot. */
static inline unsigned long get_mm_rss(const struct mm_struct *mm)
{
	return mm->rss_stat[MM_ANONPAGES] + mm->rss_stat[MM_FILEPAGES] +
	       mm->rss_stat[MM_SHMEMPAGES];
}

/* Record the rss as a high-water mark before it shrinks. mmap_lock. */
static inline void update_hiwater_rss(struct mm_struct *mm)
{
	if (mm->hiwater_rss < get_mm_rss(mm))
		mm->hiwater_rss = get_mm_rss(mm);
}

/* Record total_vm as a high-water mark before it shrinks. mmap_lock. */
static inline void update_hiwater_vm(struct mm_struct *mm)
{
	if (mm->hiwater_vm < mm->total_vm)
		mm->hiwater_vm = mm->total_vm;
}

/* VmHWM: the largest rss @mm has had. mmap_lock. */
static inline unsigned long get_mm_hiwater_rss(const struct mm_struct *mm)
{
	return mm->hiwater_rss > get_mm_rss(mm) ? mm->hiwater_rss :
						  get_mm_rss(mm);
}

/* VmPeak: the largest total_vm @mm has had. mmap_lock. */
static inline unsigned long get_mm_hiwater_vm(const struct mm_struct *mm)
{
	return mm->hiwater_vm > mm->total_vm ? mm->hiwater_vm : mm->total_vm;
}

#endif /* _KESTREL_MM_TYPES_H */
