/*
 * Address spaces and their VMAs: creating, copying and destroying an
 * mm_struct, and the system calls that change its map (mmap, munmap,
 * mprotect, mremap, brk), plus exec's vm_map_anon() and vm_map_file().
 *
 * An mm's VMAs never overlap. They are kept sorted twice: a red-black
 * tree keyed by vm_start answers find_vma() in O(log n) (with a one-entry
 * cache in front, since faults come in runs on one VMA), and a list in
 * address order serves walks over a range and the gap search of
 * get_unmapped_area(). Every change to the map is built from four
 * steps on this pair:
 *
 *	vma_link()     insert a VMA                 tree + list
 *	vma_unlink()   remove one                   tree + list
 *	split_vma()    cut one in two at an address
 *	vma_merge_neighbours()  join a VMA with equal, adjacent neighbours
 *
 * munmap splits the VMAs that stick out of the range and unlinks those
 * inside; mprotect splits, changes the flags and merges again; mmap
 * unmaps the range (MAP_FIXED), links a new VMA and merges it; brk is an
 * mmap or a munmap at the end of the heap. Only anonymous VMAs with
 * equal flags merge, so a program calling brk() a thousand times still
 * has one heap VMA.
 *
 * The pages behind the VMAs are mm/memory.c's business: this file calls
 * it to unmap (__unmap_region), re-protect (__change_protection), copy
 * for fork (__copy_page_range) and populate.
 *
 * Every change to the map also keeps the overcommit invariant of
 * mm/overcommit.c: the pages of the VMAs marked VM_ACCOUNT are exactly
 * what is charged to vm_committed_as. mmap_region() charges new memory
 * (and checks RLIMIT_AS), detach_range() returns the charge of what it
 * takes out, and stack growth, mprotect adding write and fork charge
 * what they add.
 *
 * Locking: mm->mmap_lock, a mutex, protects the tree, the list, every
 * VMA and the mm's layout fields; functions named __* expect it held.
 * Reference counts are atomic (mm_types.h).
 */
#include <asm/pgtable.h>
#include <kestrel/aio.h>
#include <kestrel/coredump.h>
#include <kestrel/err.h>
#include <kestrel/fs.h>
#include <kestrel/mm.h>
#include <kestrel/mman.h>
#include <kestrel/mutex.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <uapi/resource.h>

struct mm_struct init_mm = {
	.mm_rb = { NULL },
	.mmap_list = LIST_HEAD_INIT(init_mm.mmap_list),
	.pgd = swapper_pg_dir,
	.mm_users = ATOMIC_INIT(1), /* never dropped: init_mm is never freed */
	.mm_count = ATOMIC_INIT(1),
	.mmap_lock = __MUTEX_INITIALIZER(init_mm.mmap_lock),
	.ioctx_list = LIST_HEAD_INIT(init_mm.ioctx_list),
	.ioctx_lock = __SPIN_LOCK_UNLOCKED(init_mm.ioctx_lock),
	.mmap_base = TASK_SIZE - MMAP_STACK_GAP,
	.stack_limit = DEFAULT_STACK_LIMIT,
};

static struct kmem_cache *mm_cache; /* struct mm_struct */
static struct kmem_cache *vma_cache; /* struct vm_area_struct */
static DEFINE_MUTEX(mm_caches_lock); /* creating the two caches once */

/* The caches are made by the first mm_alloc(): no boot hook needed. */
static int mm_caches_init(void)
{
	if (READ_ONCE(vma_cache))
		return 0;
	mutex_lock(&mm_caches_lock);
	if (!mm_cache)
		mm_cache = kmem_cache_create("mm_struct",
					     sizeof(struct mm_struct), 0,
					     SLAB_HWCACHE_ALIGN, NULL);
	if (mm_cache && !vma_cache)
		WRITE_ONCE(vma_cache,
			   kmem_cache_create("vm_area_struct",
					     sizeof(struct vm_area_struct), 0,
					     0, NULL));
	mutex_unlock(&mm_caches_lock);
	return vma_cache ? 0 : -ENOMEM;
}

/* ---- the VMA tree and list ------------------------------------------- */

static struct vm_area_struct *vma_alloc(struct mm_struct *mm,
					unsigned long start, unsigned long end,
					unsigned long vm_flags)
{
	struct vm_area_struct *vma;

	vma = kmem_cache_alloc(vma_cache, GFP_KERNEL | __GFP_ZERO);
	if (!vma)
		return NULL;
	vma->vm_mm = mm;
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = vm_flags;
	vma->vm_page_prot = vm_get_page_prot(vm_flags);
	INIT_LIST_HEAD(&vma->vm_list);
	return vma;
}

/*
 * The PTE protection of @vma's flags. A shared file mapping's pages
 * start read-only even where it may write: the first write faults, and
 * the fault dirties the page (page_mkwrite); write-back write-protects
 * the PTEs again (page_mkclean), so that every write after a page was
 * cleaned marks it dirty once more (Linux's vma_wants_writenotify()).
 */
static void vma_set_page_prot(struct vm_area_struct *vma)
{
	unsigned long flags = vma->vm_flags;

	if (vma->vm_file && (flags & VM_SHARED))
		flags &= ~VM_WRITE;
	vma->vm_page_prot = vm_get_page_prot(flags);
}

/* Drop the VMA; its file reference with it (a merge or a failed map
 * has no ->close: the VMA's range lives on elsewhere or never was). */
static void vma_free(struct vm_area_struct *vma)
{
	if (vma->vm_file)
		fput(vma->vm_file);
	kmem_cache_free(vma_cache, vma);
}

/* A VMA is going for good (munmap, exit): its ->close, then free it. */
static void vma_remove(struct vm_area_struct *vma)
{
	if (vma->vm_ops && vma->vm_ops->close)
		vma->vm_ops->close(vma);
	vma_free(vma);
}

/* Make @new map the same file as @vma, @pgoff pages into it. */
static void vma_copy_file(struct vm_area_struct *new,
			  const struct vm_area_struct *vma, unsigned long pgoff)
{
	if (!vma->vm_file)
		return;
	new->vm_file = get_file(vma->vm_file);
	new->vm_pgoff = pgoff;
	new->vm_ops = vma->vm_ops;
	if (new->vm_ops &&new->vm_ops->open)
		new->vm_ops->open(new);
}

struct vm_area_struct *vma_next(struct mm_struct *mm,
				struct vm_area_struct *vma)
{
	if (vma->vm_list.next == &mm->mmap_list)
		return NULL;
	return list_next_entry(vma, vm_list);
}

struct vm_area_struct *vma_prev(struct mm_struct *mm,
				struct vm_area_struct *vma)
{
	if (vma->vm_list.prev == &mm->mmap_list)
		return NULL;
	return list_entry(vma->vm_list.prev, struct vm_area_struct, vm_list);
}

static struct vm_area_struct *vma_last(struct mm_struct *mm)
{
	if (list_empty(&mm->mmap_list))
		return NULL;
	return list_last_entry(&mm->mmap_list, struct vm_area_struct, vm_list);
}

/*
 * Where a new mapping must end below @vma: a stack keeps a guard gap
 * free beneath it, so that it can grow and so that an overflow faults
 * instead of running into the mapping below.
 */
static unsigned long vm_start_gap(const struct vm_area_struct *vma)
{
	if (!(vma->vm_flags & VM_GROWSDOWN))
		return vma->vm_start;
	if (vma->vm_start < STACK_GUARD_GAP)
		return 0;
	return vma->vm_start - STACK_GUARD_GAP;
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = mm->mmap_cache, *found = NULL;
	struct rb_node *node = mm->mm_rb.rb_node;

	if (vma && vma->vm_start <= addr && addr < vma->vm_end)
		return vma;
	/* Disjoint ranges sort the same by start and by end. */
	while (node) {
		vma = rb_entry(node, struct vm_area_struct, vm_rb);
		if (vma->vm_end > addr) {
			found = vma;
			if (vma->vm_start <= addr)
				break;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	if (found)
		mm->mmap_cache = found;
	return found;
}

/* The first VMA intersecting [@start, @end), or NULL. */
static struct vm_area_struct *find_vma_intersection(struct mm_struct *mm,
						    unsigned long start,
						    unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	return vma && vma->vm_start < end ? vma : NULL;
}

/* Insert @vma, which overlaps nothing, into the tree and the list. */
static void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct rb_node **link = &mm->mm_rb.rb_node, *parent = NULL;
	struct vm_area_struct *prev = NULL, *this;

	while (*link) {
		parent = *link;
		this = rb_entry(parent, struct vm_area_struct, vm_rb);
		if (vma->vm_start < this->vm_start) {
			link = &parent->rb_left;
		} else {
			prev = this; /* the last node we passed on the left */
			link = &parent->rb_right;
		}
	}
	rb_link_node(&vma->vm_rb, parent, link);
	rb_insert_color(&vma->vm_rb, &mm->mm_rb);
	list_add(&vma->vm_list, prev ? &prev->vm_list : &mm->mmap_list);
	mm->map_count++;
	if (vma->vm_file)
		vma_link_file(vma);
}

/* The file's list goes first: once off it, no rmap walk can reach the
 * VMA, and its page tables may go (mm/filemap_fault.c relies on it). */
static void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	if (vma->vm_file)
		vma_unlink_file(vma);
	rb_erase(&vma->vm_rb, &mm->mm_rb);
	list_del_init(&vma->vm_list);
	mm->map_count--;
	if (mm->mmap_cache == vma)
		mm->mmap_cache = NULL;
}

/*
 * Cut @vma at @addr: @vma keeps [vm_start, addr), a new VMA gets
 * [addr, vm_end). Fails with -ENOMEM at MAX_MAP_COUNT or out of memory.
 */
static int split_vma(struct mm_struct *mm, struct vm_area_struct *vma,
		     unsigned long addr)
{
	struct vm_area_struct *new;

	if (mm->map_count >= MAX_MAP_COUNT)
		return -ENOMEM;
	new = vma_alloc(mm, addr, vma->vm_end, vma->vm_flags);
	if (!new)
		return -ENOMEM;
	new->vm_page_prot = vma->vm_page_prot;
	vma_copy_file(new, vma,
		      vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT));
	vma->vm_end = addr;
	vma_link(mm, new);
	return 0;
}

/* May @a and @b, adjacent in that order, become one VMA? Anonymous
 * VMAs with equal flags; file VMAs too if they map the same file
 * contiguously. */
static bool vma_can_merge(const struct vm_area_struct *a,
			  const struct vm_area_struct *b)
{
	if (a->vm_end != b->vm_start || a->vm_flags != b->vm_flags)
		return false;
	if (a->vm_file != b->vm_file || a->vm_ops != b->vm_ops)
		return false;
	return !a->vm_file || a->vm_pgoff + vma_pages(a) == b->vm_pgoff;
}

/*
 * Join @vma with its neighbours where they touch and are compatible.
 * Returns the VMA that now covers @vma's range (@vma may be freed).
 * Keys in the tree do not change order: the survivor only grows into
 * space that was its neighbour's.
 */
static struct vm_area_struct *vma_merge_neighbours(struct mm_struct *mm,
						   struct vm_area_struct *vma)
{
	struct vm_area_struct *next = vma_next(mm, vma);
	struct vm_area_struct *prev = vma_prev(mm, vma);

	if (next && vma_can_merge(vma, next)) {
		vma->vm_end = next->vm_end;
		vma_unlink(mm, next);
		vma_free(next);
	}
	if (prev && vma_can_merge(prev, vma)) {
		prev->vm_end = vma->vm_end;
		vma_unlink(mm, vma);
		vma_free(vma);
		vma = prev;
	}
	return vma;
}

/* ---- lifetime ---------------------------------------------------------- */

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm;

	if (mm_caches_init())
		return NULL;
	mm = kmem_cache_alloc(mm_cache, GFP_KERNEL | __GFP_ZERO);
	if (!mm)
		return NULL;
	mm->pgd = pgd_alloc();
	if (!mm->pgd) {
		kmem_cache_free(mm_cache, mm);
		return NULL;
	}
	mm->mm_rb = RB_ROOT;
	INIT_LIST_HEAD(&mm->mmap_list);
	mutex_init(&mm->mmap_lock);
	INIT_LIST_HEAD(&mm->ioctx_list);
	spin_lock_init(&mm->ioctx_lock);
	atomic_set(&mm->mm_users, 1);
	atomic_set(&mm->mm_count, 1); /* held by the users, together */
	mm->mmap_base = TASK_SIZE - MMAP_STACK_GAP;
	mm->stack_limit = DEFAULT_STACK_LIMIT;
	mm->dumpable = SUID_DUMP_USER; /* exec decides for real */
	return mm;
}

/*
 * Take every VMA of [@start, @end) out of the tree and the list, onto
 * @detached in address order, splitting the two that stick out.
 */
static int detach_range(struct mm_struct *mm, unsigned long start,
			unsigned long end, struct list_head *detached)
{
	struct vm_area_struct *vma = find_vma(mm, start), *last, *next;
	int err;

	if (!vma || vma->vm_start >= end)
		return 0;
	update_hiwater_vm(mm);
	if (vma->vm_start < start) {
		err = split_vma(mm, vma, start);
		if (err)
			return err;
		vma = vma_next(mm, vma);
	}
	last = find_vma(mm, end - 1);
	if (last && last->vm_start < end && last->vm_end > end) {
		err = split_vma(mm, last, end);
		if (err)
			return err;
	}
	while (vma && vma->vm_start < end) {
		next = vma_next(mm, vma);
		vma_unlink(mm, vma);
		list_add_tail(&vma->vm_list, detached);
		mm->total_vm -= vma_pages(vma);
		if (vma->vm_flags & VM_ACCOUNT)
			vm_unacct_memory((long)vma_pages(vma));
		vma = next;
	}
	return 0;
}

static void free_vma_list(struct list_head *vmas)
{
	struct vm_area_struct *vma, *tmp;

	list_for_each_entry_safe(vma, tmp, vmas, vm_list) {
		list_del(&vma->vm_list);
		vma_remove(vma);
	}
}

/* Tear down everything mapped in @mm: its last user has gone. */
static void exit_mmap(struct mm_struct *mm)
{
	LIST_HEAD(all);

	mutex_lock(&mm->mmap_lock);
	if (detach_range(mm, 0, TASK_SIZE, &all) == 0 && !list_empty(&all))
		__unmap_region(mm, &all, 0, TASK_SIZE);
	free_vma_list(&all);
	WARN_ON(mm->map_count || get_mm_rss(mm) || mm->nr_ptes);
	mutex_unlock(&mm->mmap_lock);
}

void mmput(struct mm_struct *mm)
{
	if (!atomic_dec_and_test(&mm->mm_users))
		return;
	exit_aio(mm); /* before the ring pages are unmapped, as Linux */
	exit_mmap(mm);
	if (mm->exe_file)
		fput(mm->exe_file);
	mmdrop(mm);
}

void mmdrop(struct mm_struct *mm)
{
	if (!atomic_dec_and_test(&mm->mm_count))
		return;
	BUG_ON(mm == &init_mm);
	/*
	 * The users hold one mm_count together, so it cannot reach zero
	 * while they last: if it does, a reference was dropped twice, and
	 * freeing would pull the address space from under its tasks. Leak
	 * it, loudly, instead.
	 */
	if (WARN_ON(atomic_read(&mm->mm_users) > 0))
		return;
	/*
	 * The scheduler keeps an mm grabbed while it is loaded, so this is
	 * a safety net: never free the directory that CR3 points to.
	 */
	if (mm_is_loaded(mm))
		switch_mm(mm, &init_mm);
	pgd_free(mm->pgd);
	kmem_cache_free(mm_cache, mm);
}

static void copy_layout(struct mm_struct *mm, const struct mm_struct *old)
{
	mm->mmap_base = old->mmap_base;
	mm->stack_limit = old->stack_limit;
	mm->start_code = old->start_code;
	mm->end_code = old->end_code;
	mm->start_data = old->start_data;
	mm->end_data = old->end_data;
	mm->start_brk = old->start_brk;
	mm->brk = old->brk;
	mm->start_stack = old->start_stack;
	mm->arg_start = old->arg_start;
	mm->arg_end = old->arg_end;
	mm->env_start = old->env_start;
	mm->env_end = old->env_end;
	mm->exe_file = old->exe_file ? get_file(old->exe_file) : NULL;
	mm->dumpable = READ_ONCE(old->dumpable);
}

/*
 * Copy @old's VMAs and page tables into the empty @mm, as Linux's
 * dup_mmap(): a VM_DONTCOPY VMA is left out, a VM_WIPEONFORK one is
 * copied empty (its pages fault in as new zeroed memory), and the copy
 * of a VM_ACCOUNT VMA is charged again (-ENOMEM if the overcommit
 * policy refuses; the caller's mmput() returns what was charged).
 */
static int dup_vmas(struct mm_struct *mm, struct mm_struct *old)
{
	struct vm_area_struct *vma, *new;
	int err;

	list_for_each_entry(vma, &old->mmap_list, vm_list) {
		if (vma->vm_flags & VM_DONTCOPY) /* MADV_DONTFORK */
			continue;
		if ((vma->vm_flags & VM_ACCOUNT) &&
		    vm_enough_memory(old, (long)vma_pages(vma)))
			return -ENOMEM;
		new = vma_alloc(mm, vma->vm_start, vma->vm_end, vma->vm_flags);
		if (!new) {
			if (vma->vm_flags & VM_ACCOUNT)
				vm_unacct_memory((long)vma_pages(vma));
			return -ENOMEM;
		}
		new->vm_page_prot = vma->vm_page_prot;
		vma_copy_file(new, vma, vma->vm_pgoff);
		vma_link(mm, new);
		mm->total_vm += vma_pages(new);
		if (vma->vm_flags & VM_WIPEONFORK) /* the child's reads zero */
			continue;
		err = __copy_page_range(mm, old, vma);
		if (err)
			return err;
	}
	return 0;
}

struct mm_struct *dup_mm(struct mm_struct *old)
{
	struct mm_struct *mm = mm_alloc();
	int err;

	if (!mm)
		return NULL;
	mutex_lock(&old->mmap_lock);
	/* The new mm is private still: nobody else can take its lock, so
	 * the order cannot deadlock (Linux's dup_mmap does the same). */
	mutex_lock_nested(&mm->mmap_lock, SINGLE_DEPTH_NESTING);
	copy_layout(mm, old);
	err = dup_vmas(mm, old);
	/* The parent's PTEs lost their write bit: drop what the TLB has. */
	flush_tlb_mm(old);
	mutex_unlock(&mm->mmap_lock);
	mutex_unlock(&old->mmap_lock);
	if (err) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

/* ---- munmap ------------------------------------------------------------ */

/* Unmap [@start, @start + @len), both page-aligned. mmap_lock held. */
static int __do_munmap(struct mm_struct *mm, unsigned long start,
		       unsigned long len)
{
	unsigned long end = start + len, floor = 0, ceiling = TASK_SIZE;
	struct vm_area_struct *next, *prev;
	LIST_HEAD(detached);
	int err;

	lockdep_assert_held(&mm->mmap_lock);
	mmap_assert_locked(mm);
	err = detach_range(mm, start, end, &detached);
	if (err || list_empty(&detached))
		goto out;
	/* Page tables may go where no VMA remains: between prev and next. */
	next = find_vma(mm, start);
	prev = next ? vma_prev(mm, next) : vma_last(mm);
	if (prev)
		floor = prev->vm_end;
	if (next)
		ceiling = next->vm_start;
	__unmap_region(mm, &detached, floor, ceiling);
out:
	free_vma_list(&detached);
	return err;
}

int do_munmap(struct mm_struct *mm, unsigned long addr, size_t len)
{
	int err;

	if ((addr & ~PAGE_MASK) || !len || !mm_range_ok(addr, len))
		return -EINVAL;
	mutex_lock(&mm->mmap_lock);
	err = __do_munmap(mm, addr, PAGE_ALIGN(len));
	mutex_unlock(&mm->mmap_lock);
	return err;
}

/* ---- finding room ------------------------------------------------------ */

/*
 * Fit @len bytes at the top of the gap [@gap_start, @gap_end), clipped
 * to [@low, @high). True, with the address in *@addr, if it fits.
 */
static bool fit_in_gap(unsigned long gap_start, unsigned long gap_end,
		       unsigned long len, unsigned long low, unsigned long high,
		       unsigned long *addr)
{
	if (gap_end > high)
		gap_end = high;
	if (gap_start < low)
		gap_start = low;
	if (gap_end < gap_start || gap_end - gap_start < len)
		return false;
	*addr = gap_end - len;
	return true;
}

/*
 * The highest free range of @len bytes in [@low, @high): walk the gaps
 * between VMAs from the top down. O(number of VMAs); Linux augments the
 * tree with the largest gap of each subtree to make this O(log n)
 * (docs/vm.md, exercise 3).
 */
static unsigned long unmapped_area_topdown(struct mm_struct *mm,
					   unsigned long len, unsigned long low,
					   unsigned long high)
{
	struct vm_area_struct *vma = vma_last(mm);
	unsigned long gap_end = TASK_SIZE, addr;

	for (; vma; vma = vma_prev(mm, vma)) {
		if (fit_in_gap(vma->vm_end, gap_end, len, low, high, &addr))
			return addr;
		gap_end = vm_start_gap(vma);
		if (gap_end <= low)
			return -ENOMEM;
	}
	if (fit_in_gap(0, gap_end, len, low, high, &addr))
		return addr;
	return -ENOMEM;
}

/* Is [@addr, @addr + @len) free, with the guard gaps respected? */
static bool range_is_free(struct mm_struct *mm, unsigned long addr,
			  unsigned long len)
{
	struct vm_area_struct *next = find_vma(mm, addr), *prev;

	if (addr < MMAP_MIN_ADDR || addr > TASK_SIZE - len)
		return false;
	prev = next ? vma_prev(mm, next) : vma_last(mm);
	return (!next || addr + len <= vm_start_gap(next)) &&
	       (!prev || addr >= prev->vm_end);
}

static unsigned long __get_unmapped_area(struct mm_struct *mm,
					 unsigned long addr, unsigned long len,
					 unsigned long flags)
{
	if (len > TASK_SIZE - MMAP_MIN_ADDR)
		return -ENOMEM;
	if (flags & MAP_FIXED) {
		if (addr > TASK_SIZE - len)
			return -ENOMEM;
		if (addr & ~PAGE_MASK)
			return -EINVAL;
		if (addr < MMAP_MIN_ADDR)
			return -EPERM;
		return addr;
	}
	if (addr) {
		addr = PAGE_ALIGN(addr);
		if (addr < MMAP_MIN_ADDR)
			addr = MMAP_MIN_ADDR;
		if (range_is_free(mm, addr, len))
			return addr;
	}
	addr = unmapped_area_topdown(mm, len, MMAP_MIN_ADDR, mm->mmap_base);
	if (IS_ERR_VALUE(addr))
		addr = unmapped_area_topdown(mm, len, MMAP_MIN_ADDR, TASK_SIZE);
	return addr;
}

unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long addr,
				unsigned long len, unsigned long flags)
{
	unsigned long ret;

	len = PAGE_ALIGN(len);
	if (!len)
		return -ENOMEM;
	mutex_lock(&mm->mmap_lock);
	ret = __get_unmapped_area(mm, addr, len, flags);
	mutex_unlock(&mm->mmap_lock);
	return ret;
}

/* ---- mmap -------------------------------------------------------------- */

/* RLIMIT_AS of the current process, in pages (kernel threads: none). */
static unsigned long as_limit_pages(void)
{
	struct signal_struct *sig = current->signal;
	unsigned long limit;

	if (!sig)
		return ~0UL;
	limit = READ_ONCE(sig->rlim[RLIMIT_AS].rlim_cur);
	return limit == RLIM_INFINITY ? ~0UL : limit >> PAGE_SHIFT;
}

/* May @mm grow by @npages more pages of mappings (RLIMIT_AS)? */
static bool may_expand_vm(const struct mm_struct *mm, unsigned long npages)
{
	return npages <= as_limit_pages() &&
	       mm->total_vm <= as_limit_pages() - npages;
}

/*
 * Is a new mapping with @vm_flags committed memory (VM_ACCOUNT)? Private
 * writable memory, and shared anonymous memory (Linux charges its shmem
 * object; without one, the VMA carries the charge); never MAP_NORESERVE.
 * A shared file mapping is backed by its file.
 */
static bool accountable_mapping(unsigned long vm_flags, struct file *file)
{
	if (vm_flags & VM_NORESERVE)
		return false;
	if (file)
		return (vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
	return vm_flags & (VM_WRITE | VM_SHARED);
}

/* The pages of [@start, @end) that VMAs cover, and how many of those
 * are charged (VM_ACCOUNT): what a MAP_FIXED mapping there replaces. */
static void range_pages(struct mm_struct *mm, unsigned long start,
			unsigned long end, unsigned long *mapped,
			unsigned long *charged)
{
	struct vm_area_struct *vma = find_vma(mm, start);
	unsigned long from, to;

	*mapped = *charged = 0;
	for (; vma && vma->vm_start < end; vma = vma_next(mm, vma)) {
		from = vma->vm_start > start ? vma->vm_start : start;
		to = vma->vm_end < end ? vma->vm_end : end;
		*mapped += (to - from) >> PAGE_SHIFT;
		if (vma->vm_flags & VM_ACCOUNT)
			*charged += (to - from) >> PAGE_SHIFT;
	}
}

/*
 * Charge a mapping of @npages with @vm_flags that replaces @replaced
 * pages of charged memory: only the growth is a new commitment (and
 * passes the policy), the rest is the old mappings' charge, which their
 * unmapping will give back. Returns the pages charged (the caller's to
 * return if it fails), or -ENOMEM.
 */
static long mmap_charge(struct mm_struct *mm, unsigned long vm_flags,
			struct file *file, unsigned long npages,
			unsigned long replaced)
{
	long growth = (long)(npages - replaced);

	if (!accountable_mapping(vm_flags, file))
		return 0;
	if (growth && vm_enough_memory(mm, growth))
		return -ENOMEM;
	vm_acct_memory((long)replaced);
	return (long)npages;
}

/*
 * A new VMA for [@addr, @addr + @len) with @vm_flags, mapping @file
 * from page @pgoff when there is one (its ->mmap sets the VMA's
 * methods, or refuses). An ERR_PTR on failure.
 */
static struct vm_area_struct *
mmap_new_vma(struct mm_struct *mm, unsigned long addr, unsigned long len,
	     unsigned long vm_flags, struct file *file, unsigned long pgoff)
{
	struct vm_area_struct *vma = vma_alloc(mm, addr, addr + len, vm_flags);
	int err;

	if (!vma)
		return ERR_PTR(-ENOMEM);
	if (!file)
		return vma;
	vma->vm_file = get_file(file);
	vma->vm_pgoff = pgoff;
	err = file->f_op->mmap(file, vma);
	if (err) {
		vma_free(vma);
		return ERR_PTR(err);
	}
	vma_set_page_prot(vma);
	return vma;
}

/*
 * Map [@addr, @addr + @len) with @vm_flags (of @file from page @pgoff,
 * or anonymous memory), replacing what was there, within RLIMIT_AS and
 * the overcommit policy (-ENOMEM). The VMA is allocated and the charge
 * taken first, so that a failure leaves the old map.
 */
static unsigned long mmap_region(struct mm_struct *mm, unsigned long addr,
				 unsigned long len, unsigned long vm_flags,
				 struct file *file, unsigned long pgoff)
{
	unsigned long npages = len >> PAGE_SHIFT, mapped, replaced;
	struct vm_area_struct *vma;
	long charged;
	int err;

	range_pages(mm, addr, addr + len, &mapped, &replaced);
	if (!may_expand_vm(mm, npages - mapped))
		return -ENOMEM;
	charged = mmap_charge(mm, vm_flags, file, npages, replaced);
	if (charged < 0)
		return -ENOMEM;
	if (charged)
		vm_flags |= VM_ACCOUNT;
	vma = mmap_new_vma(mm, addr, len, vm_flags, file, pgoff);
	if (IS_ERR(vma)) {
		vm_unacct_memory(charged);
		return PTR_ERR(vma);
	}
	err = __do_munmap(mm, addr, len);
	if (!err && mm->map_count >= MAX_MAP_COUNT)
		err = -ENOMEM;
	if (err)
		goto out_unaccount;
	vma_link(mm, vma);
	mm->total_vm += npages;
	vma_merge_neighbours(mm, vma);
	return addr;

out_unaccount:
	vma_remove(vma);
	vm_unacct_memory(charged);
	return err;
}

/* The flags every mmap() knew before MAP_SHARED_VALIDATE (Linux's):
 * with it, any other is EOPNOTSUPP. */
#define LEGACY_MAP_MASK                                                       \
	(MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS |               \
	 MAP_DENYWRITE | MAP_EXECUTABLE | MAP_UNINITIALIZED | MAP_GROWSDOWN | \
	 MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK |           \
	 MAP_STACK | MAP_HUGETLB)

/* PROT_* to VM_* (the same bits, spelled out). */
static unsigned long prot_to_vm_flags(unsigned long prot)
{
	return (prot & PROT_READ ? VM_READ : 0) |
	       (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

/* The VMA flags of an mmap() before its file is looked at, or a
 * negative errno. */
static long mmap_vm_flags(unsigned long prot, unsigned long flags,
			  struct file *file)
{
	unsigned long vm_flags = prot_to_vm_flags(prot) | VM_MAY_FLAGS;

	if (flags & MAP_GROWSDOWN)
		vm_flags |= VM_GROWSDOWN;
	if (flags & MAP_LOCKED)
		vm_flags |= VM_LOCKED;
	/* Honoured only while the policy may overcommit anyway (Linux). */
	if ((flags & MAP_NORESERVE) &&
	    READ_ONCE(sysctl_overcommit_memory) != OVERCOMMIT_NEVER)
		vm_flags |= VM_NORESERVE;
	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
		if (vm_flags & VM_GROWSDOWN)
			return -EINVAL;
		return vm_flags | VM_SHARED | VM_MAYSHARE;
	case MAP_PRIVATE:
		return vm_flags;
	case MAP_SHARED_VALIDATE: /* a file's only; Linux's mask */
		if (!file)
			return -EINVAL;
		if (flags & ~LEGACY_MAP_MASK)
			return -EOPNOTSUPP;
		return vm_flags | VM_SHARED | VM_MAYSHARE;
	default:
		return -EINVAL;
	}
}

/*
 * The rights the open @file allows a mapping with @vm_flags, as Linux's
 * do_mmap(): the new flags, or -EACCES (a shared writable mapping of a
 * file not open for writing, any mapping of one not open for reading),
 * -EPERM (PROT_EXEC on a noexec mount), -ENODEV (a file that cannot be
 * mapped), -EINVAL (MAP_GROWSDOWN). A shared mapping of a read-only
 * file descriptor may never write: it loses VM_MAYWRITE and VM_SHARED
 * (only VM_MAYSHARE says, in /proc/<pid>/maps, that it was shared).
 */
static long mmap_file_vm_flags(struct file *file, unsigned long vm_flags)
{
	if (vm_flags & VM_SHARED) {
		if ((vm_flags & VM_WRITE) && !(file->f_mode & FMODE_WRITE))
			return -EACCES;
		if (!(file->f_mode & FMODE_WRITE))
			vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
	}
	if (!(file->f_mode & FMODE_READ))
		return -EACCES;
	if (file->f_path.mnt && (file->f_path.mnt->mnt_flags & MNT_NOEXEC)) {
		if (vm_flags & VM_EXEC)
			return -EPERM;
		vm_flags &= ~VM_MAYEXEC;
	}
	if (!file->f_op->mmap)
		return -ENODEV;
	if (vm_flags & VM_GROWSDOWN)
		return -EINVAL;
	return (long)vm_flags;
}

/* The checks of do_mmap() that need no lock. 0 or a negative errno. */
static long mmap_check(unsigned long len, unsigned long flags,
		       struct file *file, unsigned long pgoff)
{
	if (!len)
		return -EINVAL;
	if (!PAGE_ALIGN(len))
		return -ENOMEM;
	if (pgoff + (PAGE_ALIGN(len) >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (flags & MAP_ANONYMOUS)
		return 0;
	return file ? 0 : -EBADF;
}

unsigned long do_mmap(struct mm_struct *mm, unsigned long addr,
		      unsigned long len, unsigned long prot,
		      unsigned long flags, struct file *file,
		      unsigned long pgoff)
{
	long vm_flags, err = mmap_check(len, flags, file, pgoff);

	if (err)
		return err;
	if (flags & MAP_ANONYMOUS)
		file = NULL;
	vm_flags = mmap_vm_flags(prot, flags, file);
	if (vm_flags < 0)
		return vm_flags;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	len = PAGE_ALIGN(len);

	mutex_lock(&mm->mmap_lock);
	addr = __get_unmapped_area(mm, addr, len, flags);
	if (IS_ERR_VALUE(addr))
		goto out_unlock;
	if (file)
		vm_flags = mmap_file_vm_flags(file, vm_flags);
	if (vm_flags < 0)
		addr = vm_flags;
	else if ((flags & MAP_FIXED_NOREPLACE) &&
		 find_vma_intersection(mm, addr, addr + len))
		addr = -EEXIST;
	else
		addr = mmap_region(mm, addr, len, vm_flags, file,
				   file ? pgoff : 0);
	/* As in Linux, a failure to populate does not fail the mmap. */
	if (!IS_ERR_VALUE(addr) && (flags & MAP_POPULATE))
		__mm_populate(mm, addr, addr + len);
out_unlock:
	mutex_unlock(&mm->mmap_lock);
	return addr;
}

int vm_map_anon(struct mm_struct *mm, unsigned long start, unsigned long len,
		unsigned long vm_flags)
{
	unsigned long ret;

	len = PAGE_ALIGN(len);
	if ((start & ~PAGE_MASK) || !len || !mm_range_ok(start, len))
		return -EINVAL;
	vm_flags = (vm_flags & (VM_ACCESS_FLAGS | VM_GROWSDOWN)) | VM_MAY_FLAGS;
	mutex_lock(&mm->mmap_lock);
	ret = mmap_region(mm, start, len, vm_flags, NULL, 0);
	mutex_unlock(&mm->mmap_lock);
	return IS_ERR_VALUE(ret) ? (int)ret : 0;
}

int vm_map_file(struct mm_struct *mm, unsigned long start, unsigned long len,
		unsigned long vm_flags, struct file *file, unsigned long pgoff)
{
	unsigned long ret;

	len = PAGE_ALIGN(len);
	if ((start & ~PAGE_MASK) || !len || !mm_range_ok(start, len))
		return -EINVAL;
	if (!file->f_op->mmap)
		return -ENODEV;
	vm_flags = (vm_flags & VM_ACCESS_FLAGS) | VM_MAY_FLAGS;
	mutex_lock(&mm->mmap_lock);
	ret = mmap_region(mm, start, len, vm_flags, file, pgoff);
	mutex_unlock(&mm->mmap_lock);
	return IS_ERR_VALUE(ret) ? (int)ret : 0;
}

int __expand_stack(struct mm_struct *mm, struct vm_area_struct *vma,
		   unsigned long address)
{
	unsigned long start = address & PAGE_MASK, grow;
	struct vm_area_struct *prev = vma_prev(mm, vma);

	mmap_assert_locked(mm);
	if (start < MMAP_MIN_ADDR)
		return -EPERM;
	if (vma->vm_end - start > mm->stack_limit)
		return -ENOMEM;
	/* find_vma() gave @vma for @address, so prev ends at or below it. */
	if (prev && start - prev->vm_end < STACK_GUARD_GAP)
		return -ENOMEM;
	grow = (vma->vm_start - start) >> PAGE_SHIFT;
	if (!may_expand_vm(mm, grow))
		return -ENOMEM;
	/* The last check: it charges. */
	if ((vma->vm_flags & VM_ACCOUNT) && vm_enough_memory(mm, (long)grow))
		return -ENOMEM;
	vma->vm_start = start; /* its place in the tree does not change */
	mm->total_vm += grow;
	return 0;
}

/* ---- mremap ------------------------------------------------------------ */

/*
 * Give [@addr, @addr + @old_len) of @vma a new home at @new_addr, free,
 * @new_len long (Linux's move_vma()): a new VMA with the same file
 * offset, the PTEs moved into it, then the old range unmapped. The
 * charge moves with it: what the old range returns, the new one takes.
 */
static unsigned long move_vma(struct mm_struct *mm, struct vm_area_struct *vma,
			      unsigned long addr, unsigned long old_len,
			      unsigned long new_len, unsigned long new_addr)
{
	unsigned long flags = vma->vm_flags & ~VM_ACCOUNT;
	unsigned long pgoff =
		vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	struct vm_area_struct *new;
	long charged = 0;

	if (mm->map_count >= MAX_MAP_COUNT - 3)
		return -ENOMEM;
	if (vma->vm_flags & VM_ACCOUNT) {
		charged = mmap_charge(mm, vma->vm_flags, vma->vm_file,
				      new_len >> PAGE_SHIFT,
				      old_len >> PAGE_SHIFT);
		if (charged < 0)
			return -ENOMEM;
		flags |= VM_ACCOUNT;
	}
	new = vma_alloc(mm, new_addr, new_addr + new_len, flags);
	if (!new) {
		vm_unacct_memory(charged);
		return -ENOMEM;
	}
	new->vm_page_prot = vma->vm_page_prot;
	vma_copy_file(new, vma, pgoff);
	vma_link(mm, new);
	mm->total_vm += new_len >> PAGE_SHIFT;
	__move_page_tables(mm, addr, new_addr,
			   old_len < new_len ? old_len : new_len);
	__do_munmap(mm, addr, old_len);
	vma_merge_neighbours(mm, find_vma(mm, new_addr));
	return new_addr;
}

/* Grow @vma, which ends at @addr + @old_len, to @addr + @new_len in
 * place if the room is free: 0, or -ENOMEM. */
static int grow_in_place(struct mm_struct *mm, struct vm_area_struct *vma,
			 unsigned long addr, unsigned long old_len,
			 unsigned long new_len)
{
	unsigned long grow = (new_len - old_len) >> PAGE_SHIFT;
	struct vm_area_struct *next = vma_next(mm, vma);

	if (addr + old_len != vma->vm_end || new_len > TASK_SIZE - addr)
		return -ENOMEM;
	if (next && addr + new_len > vm_start_gap(next))
		return -ENOMEM;
	if ((vma->vm_flags & VM_ACCOUNT) && vm_enough_memory(mm, (long)grow))
		return -ENOMEM;
	vma->vm_end = addr + new_len;
	mm->total_vm += grow;
	return 0;
}

/* The VMA holding all of [@addr, @addr + @old_len), ready to become
 * @new_len long, or an ERR_PTR (Linux's vma_to_resize()). */
static struct vm_area_struct *vma_to_resize(struct mm_struct *mm,
					    unsigned long addr,
					    unsigned long old_len,
					    unsigned long new_len)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (!vma || vma->vm_start > addr || old_len > vma->vm_end - addr)
		return ERR_PTR(-EFAULT);
	if (new_len > old_len) {
		if (vma->vm_file &&
		    vma->vm_pgoff + ((addr - vma->vm_start + new_len) >>
				     PAGE_SHIFT) <
			    vma->vm_pgoff)
			return ERR_PTR(-EINVAL);
		if (!may_expand_vm(mm, (new_len - old_len) >> PAGE_SHIFT))
			return ERR_PTR(-ENOMEM);
	}
	return vma;
}

/* MREMAP_FIXED: the new range replaces whatever was at @new_addr. */
static unsigned long mremap_to(struct mm_struct *mm, unsigned long addr,
			       unsigned long old_len, unsigned long new_len,
			       unsigned long new_addr)
{
	struct vm_area_struct *vma;
	int err;

	if ((new_addr & ~PAGE_MASK) || new_len > TASK_SIZE ||
	    new_addr > TASK_SIZE - new_len)
		return -EINVAL;
	if (new_addr < MMAP_MIN_ADDR)
		return -EPERM;
	/* The two ranges may not overlap. */
	if (addr + old_len > new_addr && new_addr + new_len > addr)
		return -EINVAL;
	err = __do_munmap(mm, new_addr, new_len);
	if (!err && old_len > new_len) {
		err = __do_munmap(mm, addr + new_len, old_len - new_len);
		old_len = new_len;
	}
	if (err)
		return err;
	vma = vma_to_resize(mm, addr, old_len, new_len);
	if (IS_ERR(vma))
		return PTR_ERR(vma);
	return move_vma(mm, vma, addr, old_len, new_len, new_addr);
}

static unsigned long __do_mremap(struct mm_struct *mm, unsigned long addr,
				 unsigned long old_len, unsigned long new_len,
				 unsigned long flags, unsigned long new_addr)
{
	struct vm_area_struct *vma;
	unsigned long to;

	if (flags & MREMAP_FIXED)
		return mremap_to(mm, addr, old_len, new_len, new_addr);
	if (old_len >= new_len) {
		int err = __do_munmap(mm, addr + new_len, old_len - new_len);

		return err ? (unsigned long)err : addr;
	}
	vma = vma_to_resize(mm, addr, old_len, new_len);
	if (IS_ERR(vma))
		return PTR_ERR(vma);
	if (!grow_in_place(mm, vma, addr, old_len, new_len))
		return addr;
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	to = __get_unmapped_area(mm, 0, new_len, 0);
	if (IS_ERR_VALUE(to))
		return to;
	return move_vma(mm, vma, addr, old_len, new_len, to);
}

unsigned long do_mremap(struct mm_struct *mm, unsigned long addr,
			unsigned long old_len, unsigned long new_len,
			unsigned long flags, unsigned long new_addr)
{
	unsigned long ret;

	if (flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if (flags & MREMAP_DONTUNMAP) /* not supported yet */
		return -EINVAL;
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	old_len = PAGE_ALIGN(old_len);
	new_len = PAGE_ALIGN(new_len);
	if (!new_len || !old_len) /* old_len 0: Linux duplicates shared */
		return -EINVAL;
	if (!mm_range_ok(addr, old_len))
		return -EFAULT;
	mutex_lock(&mm->mmap_lock);
	ret = __do_mremap(mm, addr, old_len, new_len, flags, new_addr);
	mutex_unlock(&mm->mmap_lock);
	return ret;
}

/* ---- mprotect ---------------------------------------------------------- */

int __vma_modify_flags(struct mm_struct *mm, struct vm_area_struct *vma,
		       unsigned long start, unsigned long end,
		       unsigned long newflags)
{
	bool rights = (newflags ^ vma->vm_flags) & VM_ACCESS_FLAGS;
	int err;

	mmap_assert_locked(mm);
	if (newflags == vma->vm_flags)
		return 0;
	if (start > vma->vm_start) {
		err = split_vma(mm, vma, start);
		if (err)
			return err;
		vma = vma_next(mm, vma);
	}
	if (end < vma->vm_end) {
		err = split_vma(mm, vma, end);
		if (err)
			return err;
	}
	vma->vm_flags = newflags;
	if (rights) {
		/* Writable PTEs of a private mapping have no mark in the
		 * protection: every right change rewrites the PTEs. */
		vma_set_page_prot(vma);
		__change_protection(vma, start, end);
	}
	vma_merge_neighbours(mm, vma);
	return 0;
}

/*
 * Give [@start, @end) of @vma the flags @newflags for mprotect. A
 * private mapping that becomes writable for the first time is charged
 * now, as Linux does (and, as Linux, never uncharged when it becomes
 * read-only again: its pages may have been written).
 */
static int mprotect_fixup(struct mm_struct *mm, struct vm_area_struct *vma,
			  unsigned long start, unsigned long end,
			  unsigned long newflags)
{
	long charged = 0;
	int err;

	if ((newflags & VM_WRITE) &&
	    !(vma->vm_flags &
	      (VM_ACCOUNT | VM_WRITE | VM_SHARED | VM_NORESERVE))) {
		charged = (long)((end - start) >> PAGE_SHIFT);
		if (vm_enough_memory(mm, charged))
			return -ENOMEM;
		newflags |= VM_ACCOUNT;
	}
	err = __vma_modify_flags(mm, vma, start, end, newflags);
	if (err && charged)
		vm_unacct_memory(charged);
	return err;
}

/* Is [@start, @end) all mapped, by VMAs that may get @access? */
static int mprotect_check(struct mm_struct *mm, unsigned long start,
			  unsigned long end, unsigned long access)
{
	struct vm_area_struct *vma = find_vma(mm, start);
	unsigned long addr = start;

	for (; vma && addr < end; vma = vma_next(mm, vma)) {
		if (vma->vm_start > addr)
			return -ENOMEM;
		if (access & ~(vma->vm_flags >> VM_MAY_SHIFT))
			return -EACCES;
		addr = vma->vm_end;
	}
	return addr < end ? -ENOMEM : 0;
}

static int __do_mprotect(struct mm_struct *mm, unsigned long start,
			 unsigned long end, unsigned long access,
			 bool growsdown)
{
	struct vm_area_struct *vma = find_vma(mm, start);
	unsigned long addr, stop, newflags;
	int err;

	if (!vma || vma->vm_start >= end)
		return -ENOMEM;
	if (growsdown) {
		if (!(vma->vm_flags & VM_GROWSDOWN))
			return -EINVAL;
		start = vma->vm_start;
	}
	err = mprotect_check(mm, start, end, access);
	for (addr = start; !err && addr < end; addr = stop) {
		vma = find_vma(mm, addr);
		stop = vma->vm_end < end ? vma->vm_end : end;
		newflags = (vma->vm_flags & ~VM_ACCESS_FLAGS) | access;
		err = mprotect_fixup(mm, vma, addr, stop, newflags);
	}
	return err;
}

int do_mprotect(struct mm_struct *mm, unsigned long addr, size_t len,
		unsigned long prot)
{
	unsigned long grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP), end;
	int err;

	prot &= ~grows;
	if ((addr & ~PAGE_MASK) || grows == (PROT_GROWSDOWN | PROT_GROWSUP) ||
	    (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM)))
		return -EINVAL;
	if (grows & PROT_GROWSUP) /* no VMA grows up on i386 */
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = addr + len;
	if (end <= addr)
		return -ENOMEM;
	mutex_lock(&mm->mmap_lock);
	err = __do_mprotect(mm, addr, end, prot_to_vm_flags(prot),
			    grows & PROT_GROWSDOWN);
	mutex_unlock(&mm->mmap_lock);
	return err;
}

/* ---- brk --------------------------------------------------------------- */

/* Move the break; true if it moved. Linux's rules (see do_brk()). */
static bool __do_brk(struct mm_struct *mm, unsigned long brk)
{
	unsigned long oldbrk = PAGE_ALIGN(mm->brk), newbrk = PAGE_ALIGN(brk);
	struct vm_area_struct *next;

	if (brk < mm->start_brk || brk > TASK_SIZE - PAGE_SIZE)
		return false;
	if (newbrk == oldbrk)
		return true;
	if (brk < mm->brk)
		return __do_munmap(mm, newbrk, oldbrk - newbrk) == 0;
	/* Growing: keep a guard page below the next mapping. */
	next = find_vma(mm, oldbrk);
	if (next && newbrk + PAGE_SIZE > vm_start_gap(next))
		return false;
	return !IS_ERR_VALUE(mmap_region(mm, oldbrk, newbrk - oldbrk,
					 VM_DATA_DEFAULT_FLAGS, NULL, 0));
}

unsigned long do_brk(struct mm_struct *mm, unsigned long brk)
{
	unsigned long ret;

	mutex_lock(&mm->mmap_lock);
	if (__do_brk(mm, brk))
		mm->brk = brk;
	ret = mm->brk;
	mutex_unlock(&mm->mmap_lock);
	return ret;
}
