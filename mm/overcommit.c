/*
 * Overcommit accounting: how much memory the system has promised, and
 * whether it may promise more (Linux's vm_committed_as and
 * __vm_enough_memory(), mm/util.c).
 *
 * Mapping memory costs nothing until it is touched (vm.md), so a
 * process can map far more than the machine has. What could one day
 * need a frame of its own is *committed*: every private writable
 * mapping (each page may be written and copied) and every shared
 * anonymous one, unless mapped MAP_NORESERVE. Their VMAs carry
 * VM_ACCOUNT and their pages are counted in vm_committed_as from the
 * moment they are mapped (mmap, brk, exec, stack growth, mprotect adding
 * write to a private mapping, fork copying them) until they are
 * unmapped (munmap, exit, or the failure of whatever charged them).
 * mm/mmap.c keeps that invariant:
 *
 *	vm_committed_as == the pages of all VMAs with VM_ACCOUNT
 *
 * Before a charge, vm.overcommit_memory decides:
 *
 *	0  heuristic  refuse a single request larger than RAM + swap
 *	1  always     never refuse
 *	2  never      refuse once the total would pass CommitLimit =
 *	              swap + RAM * overcommit_ratio / 100, or swap +
 *	              overcommit_kbytes when that is set; a process
 *	              without CAP_SYS_ADMIN leaves admin_reserve_kbytes
 *	              for root, and a process may not take the last
 *	              min(its size / 32, user_reserve_kbytes)
 *
 * MAP_NORESERVE is honoured (nothing charged) in modes 0 and 1 only.
 * Kestrel has no swap. /proc/meminfo shows CommitLimit and Committed_AS;
 * /proc/sys/vm has the five tunables (kernel/sysctl.c).
 *
 * Linux charges a shared anonymous mapping once, to the shmem object
 * behind it, until the object dies. Kestrel has no such object yet, so
 * each VMA carries its own charge: a fork charges the shared region
 * again, and a munmap in one process returns that process's part.
 *
 * Locking: none. The counter is atomic and every tunable is read once
 * per decision (READ_ONCE), as Linux does with its per-CPU counter.
 */
#include <kestrel/atomic.h>
#include <kestrel/cred.h>
#include <kestrel/errno.h>
#include <kestrel/init.h>
#include <kestrel/math64.h>
#include <kestrel/mm.h>
#include <kestrel/mman.h>

#define OVERCOMMIT_RATIO_DEFAULT 50
/* The reserves' defaults: 1/32 of free memory, at most 8 MiB / 128 MiB. */
#define RESERVE_FREE_SHIFT 5
#define ADMIN_RESERVE_MAX_KB (8 << 10)
#define USER_RESERVE_MAX_KB (128 << 10)
#define PAGES_TO_KB_SHIFT (PAGE_SHIFT - 10)
#define PERCENT 100
/* Mode 2 keeps 1/32 of the requesting process's size (up to the user
 * reserve) out of its reach, so that it cannot take the very last page. */
#define PROCESS_RESERVE_DIV 32

int sysctl_overcommit_memory = OVERCOMMIT_GUESS;
int sysctl_overcommit_ratio = OVERCOMMIT_RATIO_DEFAULT;
int sysctl_overcommit_kbytes;
int sysctl_admin_reserve_kbytes;
int sysctl_user_reserve_kbytes;

/* Pages committed: see the invariant above. */
static atomic_t vm_committed_as = ATOMIC_INIT(0);

const unsigned long total_swap_pages; /* no swap (yet) */

void vm_acct_memory(long pages)
{
	atomic_add_return((int)pages, &vm_committed_as);
}

void vm_unacct_memory(long pages)
{
	atomic_sub_return((int)pages, &vm_committed_as);
}

unsigned long vm_memory_committed(void)
{
	int committed = atomic_read(&vm_committed_as);

	return committed > 0 ? (unsigned long)committed : 0;
}

unsigned long vm_commit_limit(void)
{
	int kbytes = READ_ONCE(sysctl_overcommit_kbytes);
	int ratio = READ_ONCE(sysctl_overcommit_ratio);
	u64 allowed;

	if (kbytes > 0)
		allowed = (unsigned long)kbytes >> PAGES_TO_KB_SHIFT;
	else
		allowed = div_u64((u64)totalram_pages * (ratio > 0 ? ratio : 0),
				  PERCENT);
	allowed += total_swap_pages;
	return allowed > ~0UL ? ~0UL : (unsigned long)allowed;
}

/* Mode 2's limit for a request by @mm (see the table at the top). */
static long strict_limit(const struct mm_struct *mm)
{
	long allowed = (long)vm_commit_limit();
	long reserve;

	if (!capable(CAP_SYS_ADMIN))
		allowed -= READ_ONCE(sysctl_admin_reserve_kbytes) >>
			   PAGES_TO_KB_SHIFT;
	if (mm) {
		reserve = READ_ONCE(sysctl_user_reserve_kbytes) >>
			  PAGES_TO_KB_SHIFT;
		if ((long)mm->total_vm / PROCESS_RESERVE_DIV < reserve)
			reserve = (long)mm->total_vm / PROCESS_RESERVE_DIV;
		allowed -= reserve;
	}
	return allowed;
}

int vm_enough_memory(const struct mm_struct *mm, long pages)
{
	vm_acct_memory(pages);
	switch (READ_ONCE(sysctl_overcommit_memory)) {
	case OVERCOMMIT_ALWAYS:
		return 0;
	case OVERCOMMIT_GUESS:
		if ((unsigned long)pages <= totalram_pages + total_swap_pages)
			return 0;
		break;
	default:
		if ((long)vm_memory_committed() < strict_limit(mm))
			return 0;
		break;
	}
	vm_unacct_memory(pages);
	return -ENOMEM;
}

/* The reserves' defaults, from the memory free once boot is done
 * (Linux's init_user_reserve() and init_admin_reserve()). */
static int init_reserves(void)
{
	unsigned long free_kb = nr_free_pages() << PAGES_TO_KB_SHIFT;
	unsigned long share = free_kb >> RESERVE_FREE_SHIFT;

	sysctl_user_reserve_kbytes = (int)(share < USER_RESERVE_MAX_KB ?
						   share :
						   USER_RESERVE_MAX_KB);
	sysctl_admin_reserve_kbytes = (int)(share < ADMIN_RESERVE_MAX_KB ?
						    share :
						    ADMIN_RESERVE_MAX_KB);
	return 0;
}
subsys_initcall(init_reserves);
