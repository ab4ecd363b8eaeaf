/*
 * ktest suite "vm": address spaces, exercised through the kernel API.
 *
 * There is no user mode when ktest runs, so the cases build address
 * spaces with mm_alloc(), map with do_mmap()/vm_map_anon(), "touch"
 * memory with handle_mm_fault() as the page-fault handler would, and
 * look at the result through mm_lookup_pte(), copy_from_mm() and the
 * page reference counts. One case loads a test mm into CR3 and touches
 * its user pages from kernel mode for real.
 *
 * Every case gets two mm slots from the suite's init hook; the exit
 * hook mmput()s whatever is left in them, so a failed assertion leaks
 * nothing. The cases assume nothing else allocates pages meanwhile,
 * which holds while ktest runs at boot.
 */
#include <asm/pgtable.h>
#include <kestrel/err.h>
#include <kestrel/fs.h>
#include <kestrel/ktest.h>
#include <kestrel/mm.h>
#include <kestrel/mman.h>
#include <kestrel/preempt.h>
#include <kestrel/rbtree.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#define PROT_RW (PROT_READ | PROT_WRITE)
#define MAP_ANON_PRIV (MAP_ANONYMOUS | MAP_PRIVATE)
#define PAGES(n) ((unsigned long)(n)*PAGE_SIZE)
/* A fixed test address, well inside user space. */
#define TADDR 0x10000000UL

struct vm_test {
	struct mm_struct *mm[2];
};

static int vm_test_init(struct ktest *t)
{
	struct vm_test *vt = kzalloc(sizeof(*vt), GFP_KERNEL);

	if (!vt)
		return -ENOMEM;
	ktest_set_priv(t, vt);
	return 0;
}

static void vm_test_exit(struct ktest *t)
{
	struct vm_test *vt = ktest_priv(t);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vt->mm); i++)
		if (vt->mm[i])
			mmput(vt->mm[i]);
	kfree(vt);
}

/* A new mm in slot @i, released by the exit hook. */
static struct mm_struct *new_mm(struct ktest *t, unsigned int i)
{
	struct vm_test *vt = ktest_priv(t);

	vt->mm[i] = mm_alloc();
	KT_ASSERT_NOT_NULL(t, vt->mm[i]);
	return vt->mm[i];
}

/* Put slot @i's mm now (to count the pages it gave back). */
static void put_mm(struct ktest *t, unsigned int i)
{
	struct vm_test *vt = ktest_priv(t);

	mmput(vt->mm[i]);
	vt->mm[i] = NULL;
}

static unsigned long map_anon(struct mm_struct *mm, unsigned long addr,
			      unsigned long len, unsigned long prot,
			      unsigned long flags)
{
	return do_mmap(mm, addr, len, prot, flags | MAP_ANONYMOUS, NULL, 0);
}

/* An address-or-errno result as a signed value, to compare with -EXXX. */
static long as_err(unsigned long ret)
{
	return (long)ret;
}

static struct vm_area_struct *vma_of(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mutex_lock(&mm->mmap_lock);
	vma = find_vma(mm, addr);
	mutex_unlock(&mm->mmap_lock);
	return vma && vma->vm_start <= addr ? vma : NULL;
}

static struct page *page_at(struct mm_struct *mm, unsigned long addr)
{
	pte_t pte = mm_lookup_pte(mm, addr);

	return pte_mapped(pte) ? pfn_to_page(pte_pfn(pte)) : NULL;
}

static u32 read_u32(struct mm_struct *mm, unsigned long addr)
{
	u32 v = 0xdeadbeef;

	copy_from_mm(mm, &v, addr, sizeof(v));
	return v;
}

static int write_u32(struct mm_struct *mm, unsigned long addr, u32 v)
{
	return copy_to_mm(mm, addr, &v, sizeof(v));
}

/* ---- the red-black tree -------------------------------------------------- */

struct rb_item {
	struct rb_node node;
	u32 key;
	bool linked;
};

/* Black height of @node's subtree, or -1 if a rule is broken. */
static int rb_check(const struct rb_node *node, const struct rb_node *parent)
{
	int l, r;

	if (!node)
		return 1;
	if (node->rb_parent != parent)
		return -1;
	if (node->rb_color == RB_RED &&
	    ((node->rb_left && node->rb_left->rb_color == RB_RED) ||
	     (node->rb_right && node->rb_right->rb_color == RB_RED)))
		return -1;
	l = rb_check(node->rb_left, node);
	r = rb_check(node->rb_right, node);
	if (l < 0 || l != r)
		return -1;
	return l + (node->rb_color == RB_BLACK);
}

static void rb_insert_item(struct rb_root *root, struct rb_item *item)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (item->key < rb_entry(parent, struct rb_item, node)->key)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&item->node, parent, link);
	rb_insert_color(&item->node, root);
	item->linked = true;
}

/* Number of nodes, checking that an in-order walk is sorted. */
static int rb_count_sorted(const struct rb_root *root)
{
	const struct rb_node *node;
	u32 last = 0;
	int n = 0;

	for (node = rb_first(root); node; node = rb_next(node), n++) {
		u32 key = rb_entry(node, struct rb_item, node)->key;

		if (n && key < last)
			return -1;
		last = key;
	}
	return n;
}

#define RB_ITEMS 300

static void test_rbtree_invariants(struct ktest *t)
{
	struct rb_item *items = kcalloc(RB_ITEMS, sizeof(*items), GFP_KERNEL);
	struct rb_root root = RB_ROOT;
	u32 seed = 12345;
	int i, n = RB_ITEMS;

	KT_ASSERT_NOT_NULL(t, items);
	for (i = 0; i < RB_ITEMS; i++) {
		seed = seed * 1103515245 + 12345;
		items[i].key = (seed >> 16) % 1000;
		rb_insert_item(&root, &items[i]);
	}
	KT_EXPECT_EQ(t, root.rb_node->rb_color, RB_BLACK);
	KT_EXPECT_GT(t, rb_check(root.rb_node, NULL), 0);
	KT_EXPECT_EQ(t, rb_count_sorted(&root), RB_ITEMS);
	for (i = 0; i < RB_ITEMS; i += 1 + (i % 3)) {
		rb_erase(&items[i].node, &root);
		items[i].linked = false;
		n--;
		if (rb_check(root.rb_node, NULL) < 0)
			break;
	}
	KT_EXPECT_GT(t, rb_check(root.rb_node, NULL), 0);
	KT_EXPECT_EQ(t, rb_count_sorted(&root), n);
	KT_EXPECT_TRUE(t, rb_prev(rb_next(rb_first(&root))) == rb_first(&root));
	for (i = 0; i < RB_ITEMS; i++)
		if (items[i].linked)
			rb_erase(&items[i].node, &root);
	KT_EXPECT_TRUE(t, rb_empty(&root));
	kfree(items);
}

/* ---- lifetime ------------------------------------------------------------ */

static void test_mm_alloc_shares_kernel_half(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0);
	unsigned int i;

	for (i = USER_PTRS_PER_PGD; i < PTRS_PER_PGD; i++)
		if (mm->pgd[i] != swapper_pg_dir[i])
			break;
	KT_EXPECT_EQ(t, i, PTRS_PER_PGD);
	for (i = 0; i < USER_PTRS_PER_PGD; i++)
		if (mm->pgd[i])
			break;
	KT_EXPECT_EQ(t, i, USER_PTRS_PER_PGD);
	KT_EXPECT_EQ(t, mm->map_count, 0);
	KT_EXPECT_EQ(t, mm->mmap_base, TASK_SIZE - MMAP_STACK_GAP);
}

/* Build a populated mm with a forked copy; both go at the end. */
static void test_mmput_returns_every_page(struct ktest *t)
{
	unsigned long before, addr;
	struct mm_struct *mm, *child;

	/* Warm the slab caches, so that only our pages move the count. */
	map_anon(new_mm(t, 0), 0, PAGES(1), PROT_RW, MAP_PRIVATE);
	put_mm(t, 0);
	before = nr_free_pages();

	mm = new_mm(t, 0);
	addr = map_anon(mm, 0, PAGES(64), PROT_RW, MAP_PRIVATE | MAP_POPULATE);
	KT_ASSERT_TRUE(t, !IS_ERR_VALUE(addr));
	KT_EXPECT_EQ(t, get_mm_rss(mm), 64);
	child = dup_mm(mm);
	KT_ASSERT_NOT_NULL(t, child);
	((struct vm_test *)ktest_priv(t))->mm[1] = child;
	KT_EXPECT_EQ(t, get_mm_rss(child), 64);
	KT_EXPECT_EQ(t,
		     handle_mm_fault(child, addr + PAGES(5), FAULT_FLAG_WRITE),
		     0);
	KT_EXPECT_LT(t, nr_free_pages(), before);
	put_mm(t, 0);
	put_mm(t, 1);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
}

/* ---- faults -------------------------------------------------------------- */

static void test_demand_zero(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0);
	unsigned long addr = map_anon(mm, 0, PAGES(2), PROT_RW, MAP_PRIVATE);
	pte_t pte;

	KT_ASSERT_TRUE(t, !IS_ERR_VALUE(addr));
	KT_EXPECT_EQ(t, mm_lookup_pte(mm, addr), 0);
	/* A read maps the zero page, read-only, not counted. */
	KT_EXPECT_EQ(t, handle_mm_fault(mm, addr + 12, 0), 0);
	pte = mm_lookup_pte(mm, addr);
	KT_EXPECT_TRUE(t, pte_present(pte) && !pte_write(pte));
	KT_EXPECT_EQ(t, pte_pfn(pte), zero_pfn());
	KT_EXPECT_EQ(t, get_mm_rss(mm), 0);
	/* A write replaces it with a private zeroed page. */
	KT_EXPECT_EQ(t, handle_mm_fault(mm, addr + 12, FAULT_FLAG_WRITE), 0);
	pte = mm_lookup_pte(mm, addr);
	KT_EXPECT_TRUE(t, pte_present(pte) && pte_write(pte));
	KT_EXPECT_TRUE(t, pte & _PAGE_USER);
	KT_EXPECT_NE(t, pte_pfn(pte), zero_pfn());
	KT_EXPECT_EQ(t, page_count(page_at(mm, addr)), 1);
	KT_EXPECT_EQ(t, read_u32(mm, addr + 12), 0);
	KT_EXPECT_EQ(t, get_mm_rss(mm), 1);
	/* A write to an untouched page: one fault, straight to a page. */
	KT_EXPECT_EQ(t, handle_mm_fault(mm, addr + PAGES(1), FAULT_FLAG_WRITE),
		     0);
	KT_EXPECT_TRUE(t, pte_write(mm_lookup_pte(mm, addr + PAGES(1))));
	KT_EXPECT_EQ(t, get_mm_rss(mm), 2);
}

static void test_fault_errors(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0);
	unsigned long ro = map_anon(mm, 0, PAGES(1), PROT_READ, MAP_PRIVATE);
	unsigned long none = map_anon(mm, 0, PAGES(1), PROT_NONE, MAP_PRIVATE);

	KT_ASSERT_TRUE(t, !IS_ERR_VALUE(ro) && !IS_ERR_VALUE(none));
	KT_EXPECT_EQ(t, handle_mm_fault(mm, TADDR, 0), VM_FAULT_SIGSEGV_MAPERR);
	KT_EXPECT_EQ(t, handle_mm_fault(mm, ro, FAULT_FLAG_WRITE),
		     VM_FAULT_SIGSEGV_ACCERR);
	KT_EXPECT_EQ(t, handle_mm_fault(mm, ro, 0), 0);
	KT_EXPECT_EQ(t, handle_mm_fault(mm, none, 0), VM_FAULT_SIGSEGV_ACCERR);
	KT_EXPECT_EQ(t, handle_mm_fault(mm, TASK_SIZE, 0),
		     VM_FAULT_SIGSEGV_MAPERR);
	KT_EXPECT_EQ(t, vm_fault_si_code(VM_FAULT_SIGSEGV_ACCERR), SEGV_ACCERR);
	KT_EXPECT_TRUE(t, vm_fault_is_sigsegv(VM_FAULT_SIGSEGV_MAPERR));
	KT_EXPECT_FALSE(t, vm_fault_is_sigsegv(VM_FAULT_OOM));
}

/*
 * fork: the page is shared read-only; a write in the child copies it,
 * the parent keeps the original; the parent's next write finds itself
 * the only user and gets write access back without a copy.
 */
static void test_cow_after_fork(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0), *child;
	unsigned long addr = map_anon(mm, 0, PAGES(1), PROT_RW, MAP_PRIVATE);
	struct page *orig;

	KT_ASSERT_TRUE(t, !IS_ERR_VALUE(addr));
	KT_ASSERT_EQ(t, write_u32(mm, addr + 8, 0xaaaa), 0);
	orig = page_at(mm, addr);
	KT_ASSERT_NOT_NULL(t, orig);
	child = dup_mm(mm);
	KT_ASSERT_NOT_NULL(t, child);
	((struct vm_test *)ktest_priv(t))->mm[1] = child;

	KT_EXPECT_FALSE(t, pte_write(mm_lookup_pte(mm, addr)));
	KT_EXPECT_FALSE(t, pte_write(mm_lookup_pte(child, addr)));
	KT_EXPECT_TRUE(t, page_at(child, addr) == orig);
	KT_EXPECT_EQ(t, page_count(orig), 2);

	KT_EXPECT_EQ(t, handle_mm_fault(child, addr, FAULT_FLAG_WRITE), 0);
	KT_EXPECT_TRUE(t, page_at(child, addr) != orig);
	KT_EXPECT_EQ(t, page_count(orig), 1);
	KT_EXPECT_EQ(t, read_u32(child, addr + 8), 0xaaaa);
	KT_EXPECT_EQ(t, write_u32(child, addr + 8, 0xbbbb), 0);
	KT_EXPECT_EQ(t, read_u32(mm, addr + 8), 0xaaaa);

	KT_EXPECT_EQ(t, handle_mm_fault(mm, addr, FAULT_FLAG_WRITE), 0);
	KT_EXPECT_TRUE(t, page_at(mm, addr) == orig);
	KT_EXPECT_TRUE(t, pte_write(mm_lookup_pte(mm, addr)));
	KT_EXPECT_EQ(t, read_u32(mm, addr + 8), 0xaaaa);
}

/* Each PTE counts in its page's map count and in its mm's rss, by kind. */
static void test_map_counts(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0), *child;
	unsigned long priv, shared;
	struct page *page;

	priv = map_anon(mm, 0, PAGES(1), PROT_RW, MAP_PRIVATE | MAP_POPULATE);
	shared = map_anon(mm, 0, PAGES(1), PROT_RW, MAP_SHARED | MAP_POPULATE);
	KT_ASSERT_TRUE(t, !IS_ERR_VALUE(priv) && !IS_ERR_VALUE(shared));
	page = page_at(mm, priv);
	KT_EXPECT_TRUE(t, PageAnon(page));
	KT_EXPECT_EQ(t, atomic_read(&page->_mapcount), 1);
	KT_EXPECT_FALSE(t, PageAnon(page_at(mm, shared)));
	KT_EXPECT_EQ(t, mm->rss_stat[MM_ANONPAGES], 1);
	KT_EXPECT_EQ(t, mm->rss_stat[MM_SHMEMPAGES], 1);
	child = dup_mm(mm);
	KT_ASSERT_NOT_NULL(t, child);
	((struct vm_test *)ktest_priv(t))->mm[1] = child;
	KT_EXPECT_EQ(t, atomic_read(&page->_mapcount), 2);
	KT_EXPECT_EQ(t, atomic_read(&page_at(mm, shared)->_mapcount), 2);
	KT_EXPECT_EQ(t, child->rss_stat[MM_SHMEMPAGES], 1);
	/* The child's write copies: one PTE each for the old and new page. */
	KT_EXPECT_EQ(t, handle_mm_fault(child, priv, FAULT_FLAG_WRITE), 0);
	KT_EXPECT_EQ(t, atomic_read(&page->_mapcount), 1);
	KT_EXPECT_EQ(t, atomic_read(&page_at(child, priv)->_mapcount), 1);
	KT_EXPECT_TRUE(t, PageAnon(page_at(child, priv)));
	KT_EXPECT_EQ(t, child->rss_stat[MM_ANONPAGES], 1);
	/* Its last PTE gone, a page held by a reference is no longer
	 * mapped anonymous memory. */
	get_page(page);
	KT_EXPECT_EQ(t, do_munmap(mm, priv, PAGES(1)), 0);
	KT_EXPECT_EQ(t, atomic_read(&page->_mapcount), 0);
	KT_EXPECT_FALSE(t, PageAnon(page));
	KT_EXPECT_EQ(t, mm->rss_stat[MM_ANONPAGES], 0);
	put_page(page);
}

/* A zero-page mapping is copied as such; a write gets a fresh page. */
static void test_cow_zero_page_and_shared(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0), *child;
	unsigned long priv = map_anon(mm, 0, PAGES(1), PROT_RW, MAP_PRIVATE);
	unsigned long shr = map_anon(mm, 0, PAGES(2), PROT_RW, MAP_SHARED);

	KT_ASSERT_TRUE(t, !IS_ERR_VALUE(priv) && !IS_ERR_VALUE(shr));
	KT_EXPECT_EQ(t, handle_mm_fault(mm, priv, 0), 0);
	KT_EXPECT_EQ(t, write_u32(mm, shr, 1), 0);
	child = dup_mm(mm);
	KT_ASSERT_NOT_NULL(t, child);
	((struct vm_test *)ktest_priv(t))->mm[1] = child;

	KT_EXPECT_EQ(t, pte_pfn(mm_lookup_pte(child, priv)), zero_pfn());
	KT_EXPECT_EQ(t, handle_mm_fault(child, priv, FAULT_FLAG_WRITE), 0);
	KT_EXPECT_NE(t, pte_pfn(mm_lookup_pte(child, priv)), zero_pfn());
	KT_EXPECT_EQ(t, read_u32(child, priv), 0);
	KT_EXPECT_EQ(t, pte_pfn(mm_lookup_pte(mm, priv)), zero_pfn());

	/* Shared: both pages exist in both, writes are seen by both. */
	KT_EXPECT_TRUE(t, pte_write(mm_lookup_pte(child, shr)));
	KT_EXPECT_EQ(t, write_u32(child, shr, 2), 0);
	KT_EXPECT_EQ(t, read_u32(mm, shr), 2);
	KT_EXPECT_EQ(t, write_u32(child, shr + PAGES(1), 3), 0);
	KT_EXPECT_EQ(t, read_u32(mm, shr + PAGES(1)), 3);
	KT_EXPECT_EQ(t, page_count(page_at(mm, shr + PAGES(1))), 2);
}

/* ---- munmap, mprotect, mmap ---------------------------------------------- */

static void test_munmap_middle_splits(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0);
	unsigned long addr, before;
	struct vm_area_struct *lo, *hi;

	addr = map_anon(mm, 0, PAGES(5), PROT_RW, MAP_PRIVATE | MAP_POPULATE);
	KT_ASSERT_TRUE(t, !IS_ERR_VALUE(addr));
	KT_EXPECT_EQ(t, mm->map_count, 1);
	KT_EXPECT_EQ(t, mm->nr_ptes, 1);
	before = nr_free_pages();
	KT_EXPECT_EQ(t, do_munmap(mm, addr + PAGES(2), PAGES(1)), 0);
	KT_EXPECT_EQ(t, nr_free_pages(), before + 1);
	KT_EXPECT_EQ(t, mm->map_count, 2);
	KT_EXPECT_EQ(t, mm->total_vm, 4);
	KT_EXPECT_EQ(t, get_mm_rss(mm), 4);
	lo = vma_of(mm, addr);
	hi = vma_of(mm, addr + PAGES(3));
	KT_ASSERT_TRUE(t, lo && hi && lo != hi);
	KT_EXPECT_EQ(t, lo->vm_end, addr + PAGES(2));
	KT_EXPECT_EQ(t, hi->vm_start, addr + PAGES(3));
	KT_EXPECT_EQ(t, hi->vm_end, addr + PAGES(5));
	KT_EXPECT_NULL(t, vma_of(mm, addr + PAGES(2)));
	KT_EXPECT_EQ(t, mm_lookup_pte(mm, addr + PAGES(2)), 0);
	KT_EXPECT_EQ(t, handle_mm_fault(mm, addr + PAGES(2), 0),
		     VM_FAULT_SIGSEGV_MAPERR);
	/* Everything: the VMAs and the page table go. */
	KT_EXPECT_EQ(t, do_munmap(mm, addr, PAGES(5)), 0);
	KT_EXPECT_EQ(t, mm->map_count, 0);
	KT_EXPECT_EQ(t, get_mm_rss(mm), 0);
	KT_EXPECT_EQ(t, mm->pgd[pgd_index(addr)], 0);
	KT_EXPECT_EQ(t, mm->nr_ptes, 0);
	/* The high-water marks keep the sizes before the first munmap. */
	KT_EXPECT_EQ(t, get_mm_hiwater_vm(mm), 5);
	KT_EXPECT_EQ(t, get_mm_hiwater_rss(mm), 5);
}

/*
 * A page table goes with the last VMA over it, and only then; tables
 * far apart (text low, stack high) all go at once, and mmput() gives
 * every one back.
 */
static void test_munmap_frees_tables(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0);
	unsigned long a = 0x10000000, b = 0x30000000, before;
	unsigned long fixed = MAP_PRIVATE | MAP_FIXED | MAP_POPULATE;

	/* A VMA over two 4 MiB spans, and two VMAs sharing a third. */
	KT_ASSERT_EQ(t,
		     map_anon(mm, a + PGDIR_SIZE - PAGES(1), PAGES(2), PROT_RW,
			      fixed),
		     a + PGDIR_SIZE - PAGES(1));
	KT_ASSERT_EQ(t, map_anon(mm, b, PAGES(1), PROT_RW, fixed), b);
	KT_ASSERT_EQ(t, map_anon(mm, b + PAGES(2), PAGES(1), PROT_READ, fixed),
		     b + PAGES(2));
	KT_EXPECT_EQ(t, mm->nr_ptes, 3);
	/* The neighbour still uses the table: it stays, with its PTE. */
	KT_EXPECT_EQ(t, do_munmap(mm, b, PAGES(1)), 0);
	KT_EXPECT_EQ(t, mm->nr_ptes, 3);
	KT_EXPECT_EQ(t, pte_pfn(mm_lookup_pte(mm, b + PAGES(2))), zero_pfn());
	/* One munmap over both the far VMAs: all three tables go. */
	before = nr_free_pages();
	KT_EXPECT_EQ(t, do_munmap(mm, a, b + PAGES(3) - a), 0);
	KT_EXPECT_EQ(t, mm->nr_ptes, 0);
	KT_EXPECT_EQ(t, mm->pgd[pgd_index(a)], 0);
	KT_EXPECT_EQ(t, mm->pgd[pgd_index(a + PGDIR_SIZE)], 0);
	KT_EXPECT_EQ(t, mm->pgd[pgd_index(b)], 0);
	KT_EXPECT_GE(t, nr_free_pages(), before + 3 + 2); /* tables, pages */
	/* And at exit: tables at both ends of the address space. */
	KT_ASSERT_EQ(t, map_anon(mm, a, PAGES(1), PROT_RW, fixed), a);
	KT_ASSERT_EQ(t, map_anon(mm, 0xbf000000, PAGES(1), PROT_RW, fixed),
		     0xbf000000);
	KT_EXPECT_EQ(t, mm->nr_ptes, 2);
	before = nr_free_pages();
	put_mm(t, 0);
	KT_EXPECT_GE(t, nr_free_pages(), before + 2 + 2 + 1); /* + the pgd */
}

static void test_munmap_errors(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0);

	KT_EXPECT_EQ(t, do_munmap(mm, TADDR + 1, PAGES(1)), -EINVAL);
	KT_EXPECT_EQ(t, do_munmap(mm, TADDR, 0), -EINVAL);
	KT_EXPECT_EQ(t, do_munmap(mm, TASK_SIZE, PAGES(1)), -EINVAL);
	KT_EXPECT_EQ(t, do_munmap(mm, TASK_SIZE - PAGES(1), PAGES(2)), -EINVAL);
	KT_EXPECT_EQ(t, do_munmap(mm, TADDR, PAGES(3)), 0); /* a hole: fine */
}

static void test_mprotect_splits_and_merges(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0);
	unsigned long addr;
	struct page *mid;

	addr = map_anon(mm, 0, PAGES(4), PROT_RW, MAP_PRIVATE | MAP_POPULATE);
	KT_ASSERT_TRUE(t, !IS_ERR_VALUE(addr));
	KT_EXPECT_TRUE(t, pte_write(mm_lookup_pte(mm, addr + PAGES(1))));
	mid = page_at(mm, addr + PAGES(1));
	KT_EXPECT_EQ(t, do_mprotect(mm, addr + PAGES(1), PAGES(2), PROT_READ),
		     0);
	KT_EXPECT_EQ(t, mm->map_count, 3);
	KT_EXPECT_FALSE(t, pte_write(mm_lookup_pte(mm, addr + PAGES(1))));
	KT_EXPECT_FALSE(t, pte_write(mm_lookup_pte(mm, addr + PAGES(2))));
	KT_EXPECT_TRUE(t, pte_write(mm_lookup_pte(mm, addr)));
	KT_EXPECT_TRUE(t, pte_write(mm_lookup_pte(mm, addr + PAGES(3))));
	KT_EXPECT_EQ(t, vma_of(mm, addr + PAGES(1))->vm_flags & VM_ACCESS_FLAGS,
		     VM_READ);
	KT_EXPECT_EQ(t, handle_mm_fault(mm, addr + PAGES(1), FAULT_FLAG_WRITE),
		     VM_FAULT_SIGSEGV_ACCERR);

	KT_EXPECT_EQ(t, do_mprotect(mm, addr + PAGES(1), PAGES(2), PROT_RW), 0);
	KT_EXPECT_EQ(t, mm->map_count, 1);
	/* Only mapping of its page: write access back, no copy. */
	KT_EXPECT_EQ(t, handle_mm_fault(mm, addr + PAGES(1), FAULT_FLAG_WRITE),
		     0);
	KT_EXPECT_TRUE(t, page_at(mm, addr + PAGES(1)) == mid);
	KT_EXPECT_TRUE(t, pte_write(mm_lookup_pte(mm, addr + PAGES(1))));
}

static void test_mprotect_none_keeps_page(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0);
	unsigned long addr = map_anon(mm, 0, PAGES(1), PROT_RW, MAP_PRIVATE);
	struct page *page;
	pte_t pte;

	KT_ASSERT_TRUE(t, !IS_ERR_VALUE(addr));
	KT_ASSERT_EQ(t, write_u32(mm, addr, 0x1234), 0);
	page = page_at(mm, addr);
	KT_EXPECT_EQ(t, do_mprotect(mm, addr, PAGES(1), PROT_NONE), 0);
	pte = mm_lookup_pte(mm, addr);
	KT_EXPECT_FALSE(t, pte_present(pte));
	KT_EXPECT_TRUE(t, pte_protnone(pte));
	KT_EXPECT_EQ(t, handle_mm_fault(mm, addr, 0), VM_FAULT_SIGSEGV_ACCERR);
	KT_EXPECT_EQ(t, do_mprotect(mm, addr, PAGES(1), PROT_READ), 0);
	pte = mm_lookup_pte(mm, addr);
	KT_EXPECT_TRUE(t, pte_present(pte) && !pte_write(pte));
	KT_EXPECT_TRUE(t, page_at(mm, addr) == page);
	KT_EXPECT_EQ(t, read_u32(mm, addr), 0x1234);
}

static void test_mprotect_errors(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0);
	unsigned long addr = map_anon(mm, 0, PAGES(2), PROT_RW, MAP_PRIVATE);
	struct vm_area_struct *vma;

	KT_ASSERT_TRUE(t, !IS_ERR_VALUE(addr));
	KT_EXPECT_EQ(t, do_mprotect(mm, addr + 1, PAGES(1), PROT_READ),
		     -EINVAL);
	KT_EXPECT_EQ(t, do_mprotect(mm, addr, PAGES(1), 0x100), -EINVAL);
	KT_EXPECT_EQ(t,
		     do_mprotect(mm, addr, PAGES(1),
				 PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP),
		     -EINVAL);
	KT_EXPECT_EQ(t, do_mprotect(mm, addr, 0, PROT_READ), 0);
	KT_EXPECT_EQ(t, do_mprotect(mm, addr, PAGES(3), PROT_READ), -ENOMEM);
	KT_EXPECT_EQ(t, do_mprotect(mm, TADDR, PAGES(1), PROT_READ), -ENOMEM);
	KT_EXPECT_EQ(
		t, do_mprotect(mm, addr, PAGES(1), PROT_READ | PROT_GROWSDOWN),
		-EINVAL);
	/* A mapping that may never be writable (as a read-only file). */
	mutex_lock(&mm->mmap_lock);
	vma = find_vma(mm, addr);
	vma->vm_flags &= ~(VM_WRITE | VM_MAYWRITE);
	mutex_unlock(&mm->mmap_lock);
	KT_EXPECT_EQ(t, do_mprotect(mm, addr, PAGES(1), PROT_RW), -EACCES);
	KT_EXPECT_EQ(t, do_mprotect(mm, addr, PAGES(1), PROT_READ), 0);
}

static void test_mmap_fixed_replaces(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0);
	unsigned long addr, before;

	addr = map_anon(mm, TADDR, PAGES(4), PROT_RW, MAP_PRIVATE | MAP_FIXED);
	KT_ASSERT_EQ(t, addr, TADDR);
	KT_EXPECT_EQ(t, write_u32(mm, addr + PAGES(1), 7), 0);
	KT_EXPECT_EQ(t, write_u32(mm, addr + PAGES(3), 9), 0);
	before = nr_free_pages();
	KT_EXPECT_EQ(t,
		     map_anon(mm, addr + PAGES(1), PAGES(2), PROT_READ,
			      MAP_PRIVATE | MAP_FIXED),
		     addr + PAGES(1));
	KT_EXPECT_EQ(t, nr_free_pages(), before + 1);
	KT_EXPECT_EQ(t, mm->map_count, 3);
	KT_EXPECT_EQ(t, mm->total_vm, 4);
	KT_EXPECT_EQ(t, read_u32(mm, addr + PAGES(1)), 0);
	KT_EXPECT_EQ(t, read_u32(mm, addr + PAGES(3)), 9);
	KT_EXPECT_EQ(t, vma_of(mm, addr + PAGES(2))->vm_flags & VM_ACCESS_FLAGS,
		     VM_READ);
	KT_EXPECT_EQ(t,
		     as_err(map_anon(mm, addr + PAGES(3), PAGES(2), PROT_RW,
				     MAP_PRIVATE | MAP_FIXED_NOREPLACE)),
		     -EEXIST);
	KT_EXPECT_EQ(t,
		     map_anon(mm, addr + PAGES(4), PAGES(2), PROT_RW,
			      MAP_PRIVATE | MAP_FIXED_NOREPLACE),
		     addr + PAGES(4));
	/* Adjacent and equal to the last VMA: merged into it. */
	KT_EXPECT_EQ(t, mm->map_count, 3);
}

/* An open file whose file system cannot map it: mmap gives ENODEV. */
static const struct file_operations no_mmap_fops;
static struct file no_mmap_file = {
	.f_op = &no_mmap_fops,
	.f_mode = FMODE_READ,
};

static void test_mmap_errors(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0);
	unsigned long fixed = MAP_PRIVATE | MAP_FIXED;

	KT_EXPECT_EQ(t, as_err(map_anon(mm, 0, 0, PROT_RW, MAP_PRIVATE)),
		     -EINVAL);
	KT_EXPECT_EQ(t,
		     as_err(map_anon(mm, TADDR + 12, PAGES(1), PROT_RW, fixed)),
		     -EINVAL);
	KT_EXPECT_EQ(t,
		     as_err(map_anon(mm, TASK_SIZE, PAGES(1), PROT_RW, fixed)),
		     -ENOMEM);
	KT_EXPECT_EQ(t,
		     as_err(map_anon(mm, TASK_SIZE - PAGES(1), PAGES(2),
				     PROT_RW, fixed)),
		     -ENOMEM);
	KT_EXPECT_EQ(t, as_err(map_anon(mm, 0x1000, PAGES(1), PROT_RW, fixed)),
		     -EPERM);
	KT_EXPECT_EQ(t, as_err(map_anon(mm, 0, PAGES(1), PROT_RW, 0)), -EINVAL);
	KT_EXPECT_EQ(
		t,
		as_err(map_anon(mm, 0, PAGES(1), PROT_RW, MAP_SHARED_VALIDATE)),
		-EINVAL);
	KT_EXPECT_EQ(t,
		     as_err(map_anon(mm, 0, PAGES(1), PROT_RW,
				     MAP_SHARED | MAP_GROWSDOWN)),
		     -EINVAL);
	KT_EXPECT_EQ(
		t, as_err(map_anon(mm, 0, 0xfffff000UL, PROT_RW, MAP_PRIVATE)),
		-ENOMEM);
	KT_EXPECT_EQ(t, as_err(map_anon(mm, 0, -1UL, PROT_RW, MAP_PRIVATE)),
		     -ENOMEM);
	KT_EXPECT_EQ(
		t,
		as_err(do_mmap(mm, 0, PAGES(1), PROT_RW, MAP_PRIVATE, NULL, 0)),
		-EBADF);
	KT_EXPECT_EQ(t,
		     as_err(do_mmap(mm, 0, PAGES(1), PROT_RW, MAP_PRIVATE,
				    &no_mmap_file, 0)),
		     -ENODEV);
	KT_EXPECT_EQ(
		t, map_anon(mm, 0, PAGES(2), PROT_RW, MAP_PRIVATE) & ~PAGE_MASK,
		0);
	KT_EXPECT_EQ(t, mm->map_count, 1);
}

/* Fill user space with one lazy (page-less) mapping: then ENOMEM. */
static void test_mmap_enomem_when_full(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0);
	unsigned long len = TASK_SIZE - MMAP_MIN_ADDR - PAGES(16), a;

	a = map_anon(mm, MMAP_MIN_ADDR, len, PROT_NONE,
		     MAP_PRIVATE | MAP_FIXED | MAP_NORESERVE);
	KT_ASSERT_EQ(t, a, MMAP_MIN_ADDR);
	KT_EXPECT_EQ(t, mm->total_vm, len >> PAGE_SHIFT);
	KT_EXPECT_EQ(t,
		     as_err(map_anon(mm, 0, PAGES(64), PROT_RW, MAP_PRIVATE)),
		     -ENOMEM);
	KT_EXPECT_EQ(t, as_err(get_unmapped_area(mm, 0, PAGES(17), 0)),
		     -ENOMEM);
	KT_EXPECT_EQ(t, map_anon(mm, 0, PAGES(16), PROT_RW, MAP_PRIVATE),
		     TASK_SIZE - PAGES(16));
	KT_EXPECT_EQ(t, get_mm_rss(mm), 0);
}

static void test_get_unmapped_area_topdown(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0);
	unsigned long addr[24], len, last = TASK_SIZE, hint;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(addr); i++) {
		len = PAGES(1 + (i * 7) % 5);
		addr[i] = map_anon(mm, 0, len, i & 1 ? PROT_READ : PROT_RW,
				   MAP_PRIVATE);
		KT_ASSERT_TRUE(t, !IS_ERR_VALUE(addr[i]));
		KT_EXPECT_LE(t, addr[i] + len, last);
		KT_EXPECT_LE(t, addr[i] + len, mm->mmap_base);
		last = addr[i];
	}
	KT_EXPECT_EQ(t, mm->map_count, ARRAY_SIZE(addr));
	/* A free hint is taken; a busy one is not. */
	hint = TADDR;
	KT_EXPECT_EQ(t, get_unmapped_area(mm, hint + 5, PAGES(2), 0),
		     hint + PAGES(1));
	KT_EXPECT_NE(t, get_unmapped_area(mm, addr[3], PAGES(1), 0), addr[3]);
	KT_EXPECT_EQ(t, as_err(get_unmapped_area(mm, 0, TASK_SIZE, 0)),
		     -ENOMEM);
	/* A stack keeps its guard gap free. */
	KT_ASSERT_EQ(
		t, vm_map_anon(mm, TADDR, PAGES(4), VM_READ | VM_GROWSDOWN), 0);
	KT_EXPECT_NE(t, get_unmapped_area(mm, TADDR - PAGES(1), PAGES(1), 0),
		     TADDR - PAGES(1));
	KT_EXPECT_EQ(t, get_unmapped_area(mm, TADDR - PAGES(2), PAGES(1), 0),
		     TADDR - PAGES(2));
}

static void test_brk_grows_and_shrinks(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0);
	unsigned long base = TADDR, before;

	mm->start_brk = mm->brk = base;
	KT_EXPECT_EQ(t, do_brk(mm, base + PAGES(3) + 100),
		     base + PAGES(3) + 100);
	KT_EXPECT_EQ(t, vma_of(mm, base)->vm_end, base + PAGES(4));
	KT_EXPECT_EQ(t, do_brk(mm, base + PAGES(6)), base + PAGES(6));
	KT_EXPECT_EQ(t, mm->map_count, 1); /* the heap grew in place */
	KT_EXPECT_EQ(t, write_u32(mm, base + PAGES(5), 5), 0);
	before = nr_free_pages();
	KT_EXPECT_EQ(t, do_brk(mm, base + 10), base + 10);
	KT_EXPECT_EQ(t, nr_free_pages(), before + 1);
	KT_EXPECT_EQ(t, vma_of(mm, base)->vm_end, base + PAGES(1));
	KT_EXPECT_NULL(t, vma_of(mm, base + PAGES(1)));
	/* Below start_brk, or into a mapping: the old break is returned. */
	KT_EXPECT_EQ(t, do_brk(mm, base - PAGES(1)), base + 10);
	KT_EXPECT_EQ(t,
		     map_anon(mm, base + PAGES(8), PAGES(1), PROT_RW,
			      MAP_PRIVATE | MAP_FIXED),
		     base + PAGES(8));
	KT_EXPECT_EQ(t, do_brk(mm, base + PAGES(8)), base + 10);
	KT_EXPECT_EQ(t, do_brk(mm, base + PAGES(7)), base + PAGES(7));
	KT_EXPECT_EQ(t, do_brk(mm, base), base);
	KT_EXPECT_NULL(t, vma_of(mm, base));
}

static void test_stack_grows_down(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0);
	unsigned long top = STACK_TOP, low = TADDR;

	KT_ASSERT_EQ(t,
		     vm_map_anon(mm, top - PAGES(4), PAGES(4),
				 VM_READ | VM_WRITE | VM_GROWSDOWN),
		     0);
	KT_EXPECT_EQ(t,
		     handle_mm_fault(mm, top - PAGES(10) + 4, FAULT_FLAG_WRITE),
		     0);
	KT_EXPECT_EQ(t, vma_of(mm, top - PAGES(1))->vm_start, top - PAGES(10));
	KT_EXPECT_EQ(t, mm->total_vm, 10);
	/* RLIMIT_STACK: 8 MiB and no more. */
	KT_EXPECT_EQ(t, handle_mm_fault(mm, top - DEFAULT_STACK_LIMIT, 0), 0);
	KT_EXPECT_EQ(t, handle_mm_fault(mm, top - DEFAULT_STACK_LIMIT - 4, 0),
		     VM_FAULT_SIGSEGV_MAPERR);
	/* A guard page must stay between a stack and the mapping below. */
	KT_ASSERT_EQ(t, vm_map_anon(mm, low, PAGES(1), VM_READ | VM_WRITE), 0);
	KT_ASSERT_EQ(t,
		     vm_map_anon(mm, low + PAGES(3), PAGES(1),
				 VM_READ | VM_WRITE | VM_GROWSDOWN),
		     0);
	KT_EXPECT_EQ(t, handle_mm_fault(mm, low + PAGES(2), FAULT_FLAG_WRITE),
		     0);
	KT_EXPECT_EQ(t, handle_mm_fault(mm, low + PAGES(1), FAULT_FLAG_WRITE),
		     VM_FAULT_SIGSEGV_MAPERR);
}

static void test_copy_to_and_from_mm(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0);
	unsigned long text = TADDR, bss = TADDR + PAGES(4);
	char buf[64], out[64];
	unsigned int i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 3 + 1);
	KT_ASSERT_EQ(t, vm_map_anon(mm, text, PAGES(3), VM_READ | VM_EXEC), 0);
	KT_ASSERT_EQ(t, vm_map_anon(mm, bss, PAGES(3), VM_READ | VM_WRITE), 0);
	/* Across a page boundary, into read-only text. */
	KT_EXPECT_EQ(t, copy_to_mm(mm, text + PAGES(1) - 20, buf, sizeof(buf)),
		     0);
	KT_EXPECT_EQ(
		t, copy_from_mm(mm, out, text + PAGES(1) - 20, sizeof(out)), 0);
	KT_EXPECT_EQ(t, memcmp(buf, out, sizeof(buf)), 0);
	KT_EXPECT_FALSE(t, pte_write(mm_lookup_pte(mm, text)));
	KT_EXPECT_EQ(t, get_mm_rss(mm), 2);
	/* clear_in_mm() touches only pages that exist. */
	KT_EXPECT_EQ(t, copy_to_mm(mm, bss, buf, sizeof(buf)), 0);
	KT_EXPECT_EQ(t, clear_in_mm(mm, bss + 8, PAGES(3) - 8), 0);
	KT_EXPECT_EQ(t, get_mm_rss(mm), 3);
	KT_EXPECT_EQ(t, copy_from_mm(mm, out, bss, 16), 0);
	KT_EXPECT_EQ(t, memcmp(buf, out, 8), 0);
	KT_EXPECT_EQ(t, out[8] | out[15], 0);
	/* Holes and kernel addresses. */
	KT_EXPECT_EQ(t, copy_to_mm(mm, text + PAGES(3), buf, 4), -EFAULT);
	KT_EXPECT_EQ(t, copy_to_mm(mm, bss + PAGES(3) - 2, buf, 4), -EFAULT);
	KT_EXPECT_EQ(t, copy_from_mm(mm, out, TASK_SIZE - 2, 4), -EFAULT);
	KT_EXPECT_EQ(t, clear_in_mm(mm, text + PAGES(3), 4), -EFAULT);
}

static void test_populate_and_merge(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0);
	unsigned long a, b, c;

	a = map_anon(mm, TADDR, PAGES(3), PROT_RW, MAP_PRIVATE | MAP_FIXED);
	b = map_anon(mm, TADDR + PAGES(3), PAGES(2), PROT_RW,
		     MAP_PRIVATE | MAP_FIXED | MAP_POPULATE);
	KT_EXPECT_EQ(t, a, TADDR);
	KT_EXPECT_EQ(t, b, TADDR + PAGES(3));
	KT_EXPECT_EQ(t, mm->map_count, 1);
	KT_EXPECT_EQ(t, get_mm_rss(mm), 2);
	c = map_anon(mm, TADDR + PAGES(5), PAGES(1), PROT_READ,
		     MAP_PRIVATE | MAP_FIXED);
	KT_EXPECT_EQ(t, c, TADDR + PAGES(5));
	KT_EXPECT_EQ(t, mm->map_count, 2);
	KT_EXPECT_EQ(t, mm_populate(mm, TADDR, PAGES(6)), 0);
	KT_EXPECT_EQ(t, get_mm_rss(mm), 5); /* the read-only page: zero page */
	KT_EXPECT_EQ(t, mm_populate(mm, TADDR, PAGES(7)), -EFAULT);
}

static void test_madvise_dontneed(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0);
	unsigned long addr, before;

	addr = map_anon(mm, TADDR, PAGES(3), PROT_RW, MAP_PRIVATE | MAP_FIXED);
	KT_ASSERT_EQ(t, addr, TADDR);
	KT_EXPECT_EQ(t, write_u32(mm, addr, 1), 0);
	KT_EXPECT_EQ(t, write_u32(mm, addr + PAGES(1), 2), 0);
	KT_EXPECT_EQ(t, write_u32(mm, addr + PAGES(2), 3), 0);
	before = nr_free_pages();
	KT_EXPECT_EQ(
		t, do_madvise(mm, addr + PAGES(1), PAGES(1), MADV_DONTNEED), 0);
	KT_EXPECT_EQ(t, nr_free_pages(), before + 1);
	KT_EXPECT_EQ(t, get_mm_rss(mm), 2);
	KT_EXPECT_EQ(t, mm->map_count, 1);
	KT_EXPECT_EQ(t, read_u32(mm, addr + PAGES(1)), 0);
	KT_EXPECT_EQ(t, read_u32(mm, addr + PAGES(2)), 3);
	/* The hole is reported; the mapped part is still dropped. */
	KT_EXPECT_EQ(t,
		     do_madvise(mm, addr + PAGES(2), PAGES(2), MADV_DONTNEED),
		     -ENOMEM);
	KT_EXPECT_EQ(t, get_mm_rss(mm), 1);
	KT_EXPECT_EQ(t, do_madvise(mm, addr, PAGES(1), MADV_WILLNEED), 0);
	KT_EXPECT_EQ(t, do_madvise(mm, addr + PAGES(3), PAGES(1), MADV_NORMAL),
		     -ENOMEM);
	KT_EXPECT_EQ(t, do_madvise(mm, addr + 1, PAGES(1), MADV_DONTNEED),
		     -EINVAL);
	KT_EXPECT_EQ(t, do_madvise(mm, addr, PAGES(1), 77), -EINVAL);
	KT_EXPECT_EQ(t, do_madvise(mm, addr, 0, MADV_DONTNEED), 0);
	KT_EXPECT_EQ(t, read_u32(mm, addr), 1);
}

/* Shared memory across fork: DONTNEED keeps the shared frames (a zap
 * would refault a private zero page), REMOVE zeroes them for both. */
static void test_madvise_shared(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0), *child;
	unsigned long shr = map_anon(mm, 0, PAGES(2), PROT_RW, MAP_SHARED);
	struct page *page;

	KT_ASSERT_TRUE(t, !IS_ERR_VALUE(shr));
	KT_EXPECT_EQ(t, write_u32(mm, shr, 7), 0);
	KT_EXPECT_EQ(t, write_u32(mm, shr + PAGES(1), 8), 0);
	child = dup_mm(mm);
	KT_ASSERT_NOT_NULL(t, child);
	((struct vm_test *)ktest_priv(t))->mm[1] = child;
	page = page_at(mm, shr);

	KT_EXPECT_EQ(t, do_madvise(child, shr, PAGES(2), MADV_DONTNEED), 0);
	KT_EXPECT_EQ(t, do_madvise(mm, shr, PAGES(2), MADV_DONTNEED), 0);
	KT_EXPECT_TRUE(t, page_at(child, shr) == page);
	KT_EXPECT_EQ(t, page_count(page), 2);
	KT_EXPECT_EQ(t, read_u32(child, shr), 7);
	KT_EXPECT_EQ(t, do_madvise(mm, shr, PAGES(2), MADV_FREE), -EINVAL);

	KT_EXPECT_EQ(
		t, do_madvise(child, shr + PAGES(1), PAGES(1), MADV_REMOVE), 0);
	KT_EXPECT_EQ(t, read_u32(mm, shr + PAGES(1)), 0);
	KT_EXPECT_EQ(t, read_u32(mm, shr), 7);
	KT_EXPECT_EQ(t, write_u32(child, shr + PAGES(1), 9), 0);
	KT_EXPECT_EQ(t, read_u32(mm, shr + PAGES(1)), 9);
}

/* DONTFORK leaves a VMA out of the child, WIPEONFORK copies it empty;
 * both split the VMA they apply to and merge it back when undone. */
static void test_madvise_fork_flags(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0), *child;
	unsigned long a =
		map_anon(mm, TADDR, PAGES(3), PROT_RW, MAP_PRIVATE | MAP_FIXED);

	KT_ASSERT_EQ(t, a, TADDR);
	KT_EXPECT_EQ(t, write_u32(mm, a, 1), 0);
	KT_EXPECT_EQ(t, write_u32(mm, a + PAGES(1), 2), 0);
	KT_EXPECT_EQ(t, write_u32(mm, a + PAGES(2), 3), 0);
	KT_EXPECT_EQ(t, do_madvise(mm, a, PAGES(1), MADV_DONTFORK), 0);
	KT_EXPECT_EQ(t, do_madvise(mm, a + PAGES(1), PAGES(1), MADV_WIPEONFORK),
		     0);
	KT_EXPECT_EQ(t, mm->map_count, 3);
	child = dup_mm(mm);
	KT_ASSERT_NOT_NULL(t, child);
	((struct vm_test *)ktest_priv(t))->mm[1] = child;
	KT_EXPECT_NULL(t, vma_of(child, a));
	KT_EXPECT_EQ(t, read_u32(child, a + PAGES(1)), 0);
	KT_EXPECT_EQ(t, get_mm_rss(child), 1);
	KT_EXPECT_EQ(t, read_u32(child, a + PAGES(2)), 3);
	KT_EXPECT_EQ(t, read_u32(mm, a + PAGES(1)), 2);
	KT_EXPECT_EQ(t, do_madvise(mm, a, PAGES(3), MADV_DOFORK), 0);
	KT_EXPECT_EQ(t, do_madvise(mm, a, PAGES(3), MADV_KEEPONFORK), 0);
	KT_EXPECT_EQ(t, mm->map_count, 1);
	KT_EXPECT_EQ(t, read_u32(mm, a), 1);
}

/*
 * Overcommit accounting: what is charged (private writable and shared
 * memory, not read-only or MAP_NORESERVE), MAP_FIXED handing a charge
 * over, mprotect adding write, fork charging the copy, stack growth,
 * and mode 2 refusing past the limit. Everything comes back at mmput().
 */
static void test_overcommit_accounting(struct ktest *t)
{
	unsigned long base = vm_memory_committed(), a;
	int mode = sysctl_overcommit_memory, kbytes = sysctl_overcommit_kbytes;
	struct mm_struct *mm = new_mm(t, 0), *child;
	struct vm_area_struct *stack;

	a = map_anon(mm, TADDR, PAGES(8), PROT_RW, MAP_PRIVATE | MAP_FIXED);
	KT_ASSERT_EQ(t, a, TADDR);
	KT_EXPECT_EQ(t, vm_memory_committed(), base + 8);
	map_anon(mm, TADDR + PAGES(16), PAGES(4), PROT_READ,
		 MAP_PRIVATE | MAP_FIXED);
	map_anon(mm, TADDR + PAGES(24), PAGES(4), PROT_RW,
		 MAP_PRIVATE | MAP_FIXED | MAP_NORESERVE);
	map_anon(mm, TADDR + PAGES(32), PAGES(2), PROT_READ,
		 MAP_SHARED | MAP_FIXED);
	KT_EXPECT_EQ(t, vm_memory_committed(), base + 10);
	/* Half of the charged range replaced by a NORESERVE mapping. */
	map_anon(mm, TADDR + PAGES(4), PAGES(4), PROT_RW,
		 MAP_PRIVATE | MAP_FIXED | MAP_NORESERVE);
	KT_EXPECT_EQ(t, vm_memory_committed(), base + 6);
	KT_EXPECT_EQ(t, do_mprotect(mm, TADDR + PAGES(16), PAGES(2), PROT_RW),
		     0);
	KT_EXPECT_EQ(t, do_mprotect(mm, TADDR + PAGES(16), PAGES(2), PROT_READ),
		     0);
	KT_EXPECT_EQ(t, vm_memory_committed(), base + 8);
	KT_EXPECT_EQ(t, do_munmap(mm, TADDR, PAGES(1)), 0);
	KT_EXPECT_EQ(t, vm_memory_committed(), base + 7);

	child = dup_mm(mm);
	KT_ASSERT_NOT_NULL(t, child);
	KT_EXPECT_EQ(t, vm_memory_committed(), base + 14);
	mmput(child);
	KT_EXPECT_EQ(t, vm_memory_committed(), base + 7);

	KT_EXPECT_EQ(t,
		     vm_map_anon(mm, TADDR + PAGES(64), PAGES(2),
				 VM_READ | VM_WRITE | VM_GROWSDOWN),
		     0);
	stack = vma_of(mm, TADDR + PAGES(64));
	KT_ASSERT_NOT_NULL(t, stack);
	KT_EXPECT_EQ(
		t, handle_mm_fault(mm, TADDR + PAGES(61), FAULT_FLAG_WRITE), 0);
	KT_EXPECT_EQ(t, vm_memory_committed(), base + 12);

	/* Mode 2 with a limit already passed: new charges are refused. */
	sysctl_overcommit_kbytes = 1;
	sysctl_overcommit_memory = OVERCOMMIT_NEVER;
	KT_EXPECT_EQ(t, as_err(map_anon(mm, 0, PAGES(1), PROT_RW, MAP_PRIVATE)),
		     -ENOMEM);
	KT_EXPECT_EQ(t,
		     as_err(map_anon(mm, 0, PAGES(1), PROT_RW,
				     MAP_PRIVATE | MAP_NORESERVE)),
		     -ENOMEM);
	KT_EXPECT_EQ(t, do_mprotect(mm, TADDR + PAGES(18), PAGES(1), PROT_RW),
		     -ENOMEM);
	KT_EXPECT_EQ(t,
		     handle_mm_fault(mm, TADDR + PAGES(58), FAULT_FLAG_WRITE),
		     VM_FAULT_SIGSEGV_MAPERR);
	KT_EXPECT_NULL(t, dup_mm(mm));
	KT_EXPECT_TRUE(t, !IS_ERR_VALUE(map_anon(mm, 0, PAGES(1), PROT_READ,
						 MAP_PRIVATE)));
	sysctl_overcommit_memory = mode;
	sysctl_overcommit_kbytes = kbytes;
	KT_EXPECT_EQ(t, vm_memory_committed(), base + 12);
	put_mm(t, 0);
	KT_EXPECT_EQ(t, vm_memory_committed(), base);
}

/* ---- random operations against a model ----------------------------------- */

#define RND_PAGES 64 /* the arena: TADDR .. TADDR + 64 pages */
#define RND_OPS 400

/* What the model says each arena page is: 0 unmapped, else PROT + 1. */
struct vm_model {
	u8 prot[RND_PAGES];
};

/*
 * The invariants of the VMA structures: the list is sorted and its VMAs
 * do not overlap, the tree holds the same VMAs in the same order and
 * obeys the red-black rules, map_count and total_vm agree. Returns the
 * number of VMAs, or -1 if something is broken.
 */
static int vma_check(struct mm_struct *mm)
{
	struct vm_area_struct *vma, *prev = NULL;
	struct rb_node *node = rb_first(&mm->mm_rb);
	unsigned long pages = 0;
	int n = 0;

	list_for_each_entry(vma, &mm->mmap_list, vm_list) {
		if (vma->vm_start >= vma->vm_end ||
		    (prev && prev->vm_end > vma->vm_start))
			return -1;
		if (!node ||
		    rb_entry(node, struct vm_area_struct, vm_rb) != vma)
			return -1;
		pages += (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
		node = rb_next(node);
		prev = vma;
		n++;
	}
	if (node || n != mm->map_count || pages != mm->total_vm)
		return -1;
	return rb_check(mm->mm_rb.rb_node, NULL) < 0 ? -1 : n;
}

/* The pages of @mm's VMAs that are charged (VM_ACCOUNT). */
static unsigned long accounted_pages(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	unsigned long pages = 0;

	list_for_each_entry(vma, &mm->mmap_list, vm_list)
		if (vma->vm_flags & VM_ACCOUNT)
			pages += (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
	return pages;
}

/* Does the mm agree with the model, page by page? */
static bool model_matches(struct mm_struct *mm, const struct vm_model *m)
{
	struct vm_area_struct *vma;
	unsigned int i;

	for (i = 0; i < RND_PAGES; i++) {
		vma = vma_of(mm, TADDR + PAGES(i));
		if (!m->prot[i] != !vma)
			return false;
		if (vma && (vma->vm_flags & VM_ACCESS_FLAGS) !=
				   (unsigned long)(m->prot[i] - 1))
			return false;
		if (!vma && mm_lookup_pte(mm, TADDR + PAGES(i)))
			return false;
	}
	return true;
}

static void model_set(struct vm_model *m, unsigned int first, unsigned int n,
		      int value)
{
	memset(&m->prot[first], value, n);
}

/* Run one random operation on the mm and the model. */
static void random_op(struct ktest *t, struct mm_struct *mm, struct vm_model *m,
		      u32 r)
{
	unsigned int first = r % RND_PAGES, n = 1 + (r >> 8) % 8;
	unsigned long prot = (r >> 12) % 4 == 3 ? PROT_RW : (r >> 12) % 4;
	unsigned long addr = TADDR + PAGES(first);

	if (first + n > RND_PAGES)
		n = RND_PAGES - first;
	switch ((r >> 16) % 4) {
	case 0:
		KT_EXPECT_EQ(t,
			     map_anon(mm, addr, PAGES(n), prot,
				      MAP_PRIVATE | MAP_FIXED),
			     addr);
		model_set(m, first, n, prot + 1);
		break;
	case 1:
		KT_EXPECT_EQ(t, do_munmap(mm, addr, PAGES(n)), 0);
		model_set(m, first, n, 0);
		break;
	case 2:
		if (!memchr(&m->prot[first], 0, n)) {
			KT_EXPECT_EQ(t, do_mprotect(mm, addr, PAGES(n), prot),
				     0);
			model_set(m, first, n, prot + 1);
		} else {
			KT_EXPECT_EQ(t, do_mprotect(mm, addr, PAGES(n), prot),
				     -ENOMEM);
		}
		break;
	default:
		if (m->prot[first] == PROT_RW + 1)
			KT_EXPECT_EQ(t, write_u32(mm, addr, r), 0);
		else
			handle_mm_fault(mm, addr, 0);
		break;
	}
}

static void test_random_ops_keep_invariants(struct ktest *t)
{
	struct mm_struct *mm;
	struct vm_model model = { { 0 } };
	unsigned long before, committed;
	u32 seed = 2024;
	int i;

	map_anon(new_mm(t, 0), 0, PAGES(1), PROT_RW, MAP_PRIVATE); /* warm up */
	put_mm(t, 0);
	before = nr_free_pages();
	committed = vm_memory_committed();
	mm = new_mm(t, 0);
	for (i = 0; i < RND_OPS; i++) {
		seed = seed * 1103515245 + 12345;
		random_op(t, mm, &model, seed);
		if (vma_check(mm) < 0 || !model_matches(mm, &model) ||
		    vm_memory_committed() - committed != accounted_pages(mm))
			break;
	}
	KT_EXPECT_EQ(t, i, RND_OPS);
	KT_EXPECT_GE(t, vma_check(mm), 0);
	put_mm(t, 0);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
	KT_EXPECT_EQ(t, vm_memory_committed(), committed);
}

/* ---- switch_mm, for real ------------------------------------------------- */

/*
 * Load the test mm into CR3 and use its user pages from kernel mode.
 * Also checks that a copy-on-write break invalidates the stale TLB entry
 * of the loaded mm: the read through the user address must see the new
 * page, not the one the TLB cached. Preemption is off so the scheduler
 * cannot switch CR3 underneath (this kernel thread has no mm of its
 * own); the mutex taken by the fault is free, so nothing sleeps.
 */
static void test_switch_mm_lazy_and_tlb(struct ktest *t)
{
	struct mm_struct *mm = new_mm(t, 0), *child, *prev;
	unsigned long addr = map_anon(mm, 0, PAGES(1), PROT_RW, MAP_PRIVATE);
	volatile u32 *p = (volatile u32 *)addr;
	unsigned long loads;
	pte_t *pte;

	KT_ASSERT_TRUE(t, !IS_ERR_VALUE(addr));
	KT_ASSERT_EQ(t, write_u32(mm, addr, 0x11), 0);
	child = dup_mm(mm); /* the page is now copy-on-write in both */
	KT_ASSERT_NOT_NULL(t, child);
	((struct vm_test *)ktest_priv(t))->mm[1] = child;
	prev = current->active_mm ? current->active_mm : &init_mm;

	/* mmap_lock is a mutex: taken before preemption goes off, and the
	 * fault and the write below use the forms for a caller holding it
	 * (a mutex may sleep, which the section below must not). */
	mutex_lock(&mm->mmap_lock);
	preempt_disable();
	loads = nr_cr3_loads;
	switch_mm(prev, mm);
	KT_EXPECT_EQ(t, nr_cr3_loads, loads + 1);
	KT_EXPECT_EQ(t, read_cr3(), __pa(mm->pgd));
	switch_mm(mm, mm); /* same mm: no reload */
	KT_EXPECT_EQ(t, nr_cr3_loads, loads + 1);
	KT_EXPECT_EQ(t, *p, 0x11); /* the TLB now holds the shared page */
	KT_EXPECT_EQ(t, __handle_mm_fault(mm, addr, FAULT_FLAG_WRITE), 0);
	pte = pte_offset(mm->pgd, addr);
	KT_EXPECT_TRUE(t, pte && pte_present(*pte));
	/* Write the new page through the direct map: *p must see it. */
	if (pte && pte_present(*pte))
		*(u32 *)page_address(pfn_to_page(pte_pfn(*pte))) = 0x33;
	KT_EXPECT_EQ(t, *p, 0x33);
	*p = 0x44;
	switch_mm(mm, prev);
	preempt_enable();
	mutex_unlock(&mm->mmap_lock);

	KT_EXPECT_EQ(t, read_cr3(), __pa(prev->pgd));
	KT_EXPECT_EQ(t, read_u32(mm, addr), 0x44);
	KT_EXPECT_EQ(t, read_u32(child, addr), 0x11);
}

static struct ktest_case vm_cases[] = {
	KTEST_CASE(test_rbtree_invariants),
	KTEST_CASE(test_mm_alloc_shares_kernel_half),
	KTEST_CASE(test_mmput_returns_every_page),
	KTEST_CASE(test_demand_zero),
	KTEST_CASE(test_fault_errors),
	KTEST_CASE(test_cow_after_fork),
	KTEST_CASE(test_cow_zero_page_and_shared),
	KTEST_CASE(test_map_counts),
	KTEST_CASE(test_munmap_middle_splits),
	KTEST_CASE(test_munmap_frees_tables),
	KTEST_CASE(test_munmap_errors),
	KTEST_CASE(test_mprotect_splits_and_merges),
	KTEST_CASE(test_mprotect_none_keeps_page),
	KTEST_CASE(test_mprotect_errors),
	KTEST_CASE(test_mmap_fixed_replaces),
	KTEST_CASE(test_mmap_errors),
	KTEST_CASE(test_mmap_enomem_when_full),
	KTEST_CASE(test_get_unmapped_area_topdown),
	KTEST_CASE(test_brk_grows_and_shrinks),
	KTEST_CASE(test_stack_grows_down),
	KTEST_CASE(test_copy_to_and_from_mm),
	KTEST_CASE(test_populate_and_merge),
	KTEST_CASE(test_madvise_dontneed),
	KTEST_CASE(test_madvise_shared),
	KTEST_CASE(test_madvise_fork_flags),
	KTEST_CASE(test_overcommit_accounting),
	KTEST_CASE(test_random_ops_keep_invariants),
	KTEST_CASE(test_switch_mm_lazy_and_tlb),
	{}
};

KTEST_SUITE_FULL(vm, vm_cases, vm_test_init, vm_test_exit);
