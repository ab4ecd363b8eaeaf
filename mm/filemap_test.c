/*
 * ktest suite "pagecache": the radix tree and the page cache core, on a
 * mapping of the test's own whose "storage" is counted calls:
 * ->readpage fills a page with its index (so a read can be checked) and
 * ->writepage records what was written. No disk, no file system: the
 * rules of <kestrel/pagemap.h> are checked one by one (references,
 * states, tags, read-ahead windows, truncation, invalidation, write-back
 * and its errors, the Dirty and Writeback counts).
 */
#include <kestrel/fs.h>
#include <kestrel/ktest.h>
#include <kestrel/pagemap.h>
#include <kestrel/radix-tree.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/swap.h>
#include <kestrel/vmstat.h>
#include <kestrel/writeback.h>

/* ---- the radix tree ----------------------------------------------------- */

static void radix_basic(struct ktest *t)
{
	struct radix_tree_root root = RADIX_TREE_INIT;
	static int items[4];
	void *found[8];

	KT_EXPECT_NULL(t, radix_tree_lookup(&root, 0));
	KT_ASSERT_EQ(t, radix_tree_insert(&root, 5, &items[0]), 0);
	KT_EXPECT_EQ(t, root.height, 1);
	KT_ASSERT_EQ(t, radix_tree_insert(&root, 100000, &items[1]), 0);
	KT_EXPECT_EQ(t, root.height, 3); /* 64^3 > 100000 */
	KT_ASSERT_EQ(t, radix_tree_insert(&root, ~0UL, &items[2]), 0);
	KT_EXPECT_EQ(t, radix_tree_insert(&root, 5, &items[3]), -EEXIST);
	KT_EXPECT_TRUE(t, radix_tree_lookup(&root, 5) == &items[0]);
	KT_EXPECT_TRUE(t, radix_tree_lookup(&root, 100000) == &items[1]);
	KT_EXPECT_TRUE(t, radix_tree_lookup(&root, ~0UL) == &items[2]);
	KT_EXPECT_NULL(t, radix_tree_lookup(&root, 6));
	KT_EXPECT_EQ(t, radix_tree_gang_lookup(&root, found, 0, 8), 3);
	KT_EXPECT_TRUE(t, found[0] == &items[0] && found[2] == &items[2]);
	KT_EXPECT_EQ(t, radix_tree_gang_lookup(&root, found, 6, 8), 2);
	KT_EXPECT_TRUE(t, found[0] == &items[1]);
	KT_EXPECT_EQ(t, radix_tree_gang_lookup(&root, found, 0, 1), 1);
	/* tags: set, found by a tagged lookup, cleared by a delete */
	radix_tree_tag_set(&root, 100000, 0);
	KT_EXPECT_TRUE(t, radix_tree_tagged(&root, 0));
	KT_EXPECT_FALSE(t, radix_tree_tagged(&root, 1));
	KT_EXPECT_TRUE(t, radix_tree_tag_get(&root, 100000, 0));
	KT_EXPECT_FALSE(t, radix_tree_tag_get(&root, 5, 0));
	KT_EXPECT_EQ(t, radix_tree_gang_lookup_tag(&root, found, 0, 8, 0), 1);
	KT_EXPECT_TRUE(t, found[0] == &items[1]);
	KT_EXPECT_TRUE(t, radix_tree_delete(&root, 100000) == &items[1]);
	KT_EXPECT_FALSE(t, radix_tree_tagged(&root, 0));
	KT_EXPECT_NULL(t, radix_tree_delete(&root, 100000));
	KT_EXPECT_TRUE(t, radix_tree_delete(&root, ~0UL) == &items[2]);
	/* only index 5 is left: the tree shrinks back to one leaf */
	KT_EXPECT_EQ(t, root.height, 1);
	KT_EXPECT_TRUE(t, radix_tree_delete(&root, 5) == &items[0]);
	KT_EXPECT_EQ(t, root.height, 0);
	KT_EXPECT_NULL(t, root.rnode);
}

/* Many items: every one found, in order, and all freed at the end. */
static void radix_many(struct ktest *t)
{
	struct radix_tree_root root = RADIX_TREE_INIT;
	void *found[16];
	unsigned long i, n = 0, next = 0;
	unsigned int got;

	for (i = 0; i < 5000; i += 3)
		KT_ASSERT_EQ(t, radix_tree_insert(&root, i, (void *)(i + 1)),
			     0);
	for (i = 0; i < 5000; i += 6)
		radix_tree_tag_set(&root, i, 1);
	while ((got = radix_tree_gang_lookup_tag(&root, found, next, 16, 1))) {
		KT_ASSERT_EQ(t, (unsigned long)found[0] - 1, n * 6);
		n += got;
		next = (unsigned long)found[got - 1];
	}
	KT_EXPECT_EQ(t, n, (5000 + 5) / 6);
	for (i = 0; i < 5000; i += 3)
		KT_ASSERT_TRUE(t,
			       radix_tree_delete(&root, i) == (void *)(i + 1));
	KT_EXPECT_NULL(t, root.rnode);
}

/* ---- a test mapping ----------------------------------------------------- */

static const struct super_operations tm_sops;

static struct {
	struct super_block sb;
	struct inode inode;
	unsigned int reads, writes, fail_reads, fail_writes;
	pgoff_t last_read;
	unsigned char stored[64]; /* first byte of each page written */
} tm;

static int tm_readpage(struct file *file, struct page *page)
{
	(void)file;
	tm.reads++;
	tm.last_read = page->index;
	if (tm.fail_reads) {
		tm.fail_reads--;
		SetPageError(page);
	} else {
		memset(page_address(page), (int)page->index, PAGE_SIZE);
		SetPageUptodate(page);
	}
	unlock_page(page);
	return 0;
}

/* Writes "complete" at once, as a RAM disk's would. */
static int tm_writepage(struct page *page, struct writeback_control *wbc)
{
	(void)wbc;
	set_page_writeback(page);
	unlock_page(page);
	tm.writes++;
	if (tm.fail_writes) {
		tm.fail_writes--;
		SetPageError(page);
		mapping_set_error(page->mapping, -EIO);
	} else if (page->index < ARRAY_SIZE(tm.stored)) {
		tm.stored[page->index] = *(unsigned char *)page_address(page);
	}
	end_page_writeback(page);
	return 0;
}

static const struct address_space_operations tm_aops = {
	.readpage = tm_readpage,
	.writepage = tm_writepage,
	.write_begin = simple_write_begin,
	.write_end = simple_write_end,
};

static struct address_space *tm_setup(loff_t size)
{
	memset(&tm, 0, sizeof(tm));
	INIT_LIST_HEAD(&tm.sb.s_dirty);
	tm.sb.s_op = &tm_sops;
	tm.inode.i_sb = &tm.sb;
	address_space_init(&tm.inode.i_data, &tm.inode);
	tm.inode.i_mapping = &tm.inode.i_data;
	tm.inode.i_data.a_ops = &tm_aops;
	tm.inode.i_size = size;
	INIT_LIST_HEAD(&tm.inode.i_wb_list);
	return &tm.inode.i_data;
}

static void tm_teardown(struct address_space *mapping)
{
	truncate_inode_pages(mapping, 0);
}

/* Lookups, references, the lock and the uptodate state. */
static void cache_lookup(struct ktest *t)
{
	struct address_space *mapping = tm_setup(64 * PAGE_SIZE);
	unsigned long files = node_page_state(NR_FILE_PAGES);
	struct page *page, *again;

	KT_EXPECT_NULL(t, find_get_page(mapping, 3));
	page = find_or_create_page(mapping, 3, GFP_KERNEL);
	KT_ASSERT_NOT_NULL(t, page);
	KT_EXPECT_TRUE(t, PageLocked(page));
	KT_EXPECT_FALSE(t, PageUptodate(page));
	KT_EXPECT_EQ(t, page_count(page), 2); /* ours and the cache's */
	KT_EXPECT_TRUE(t, page->mapping == mapping && page->index == 3);
	KT_EXPECT_EQ(t, mapping->nrpages, 1);
	KT_EXPECT_EQ(t, node_page_state(NR_FILE_PAGES), files + 1);
	KT_EXPECT_FALSE(t, trylock_page(page));
	unlock_page(page);
	again = find_get_page(mapping, 3);
	KT_EXPECT_TRUE(t, again == page);
	KT_EXPECT_EQ(t, page_count(page), 3);
	put_page(again);
	put_page(page);
	/* read_mapping_page reads the not-uptodate page in */
	page = read_mapping_page(mapping, 3, NULL);
	KT_ASSERT_TRUE(t, !IS_ERR(page));
	KT_EXPECT_TRUE(t, PageUptodate(page) && !PageLocked(page));
	KT_EXPECT_EQ(t, *(unsigned char *)page_address(page), 3);
	KT_EXPECT_EQ(t, tm.reads, 1);
	put_page(page);
	page = read_mapping_page(mapping, 3, NULL); /* cached now */
	KT_EXPECT_EQ(t, tm.reads, 1);
	put_page(page);
	/* a failed read: -EIO, the page stays not uptodate, a retry reads */
	tm.fail_reads = 1;
	page = read_mapping_page(mapping, 9, NULL);
	KT_EXPECT_TRUE(t, page == ERR_PTR(-EIO));
	page = read_mapping_page(mapping, 9, NULL);
	KT_ASSERT_TRUE(t, !IS_ERR(page));
	KT_EXPECT_EQ(t, *(unsigned char *)page_address(page), 9);
	KT_EXPECT_EQ(t, tm.reads, 3);
	put_page(page);
	tm_teardown(mapping);
	KT_EXPECT_EQ(t, mapping->nrpages, 0);
	KT_EXPECT_EQ(t, node_page_state(NR_FILE_PAGES), files);
}

/* A reader of consecutive pages: windows that grow up to ra_pages. */
static void cache_readahead(struct ktest *t)
{
	struct address_space *mapping = tm_setup(1000 * PAGE_SIZE);
	struct file_ra_state ra;
	struct page *page;
	pgoff_t i;

	file_ra_state_init(&ra, mapping);
	page_cache_sync_readahead(mapping, &ra, NULL, 0, 1);
	KT_EXPECT_EQ(t, ra.start, 0);
	KT_EXPECT_EQ(t, ra.size, 4); /* 4x a one-page request */
	KT_EXPECT_EQ(t, tm.reads, 4);
	page = find_get_page(mapping, 1);
	KT_ASSERT_NOT_NULL(t, page);
	KT_EXPECT_TRUE(t, PageReadahead(page)); /* first async page */
	page_cache_async_readahead(mapping, &ra, NULL, page, 1, 1);
	put_page(page);
	KT_EXPECT_EQ(t, ra.start, 4);
	KT_EXPECT_EQ(t, ra.size, 8);
	KT_EXPECT_EQ(t, tm.reads, 12);
	for (i = 0; i < 4; i++) { /* each next window twice as large */
		page = find_get_page(mapping, ra.start);
		KT_ASSERT_NOT_NULL(t, page);
		KT_EXPECT_TRUE(t, PageReadahead(page));
		page_cache_async_readahead(mapping, &ra, NULL, page, ra.start,
					   1);
		put_page(page);
	}
	KT_EXPECT_EQ(t, ra.size, VM_READAHEAD_PAGES);
	/* a random miss reads only what was asked */
	tm.reads = 0;
	ra.prev_pos = 100 * PAGE_SIZE;
	page_cache_sync_readahead(mapping, &ra, NULL, 700, 2);
	KT_EXPECT_EQ(t, tm.reads, 2);
	KT_EXPECT_EQ(t, ra.size, 0);
	/* nothing is read past the end of the file */
	tm.reads = 0;
	force_page_cache_readahead(mapping, NULL, 995, 50);
	KT_EXPECT_EQ(t, tm.reads, 5);
	KT_EXPECT_EQ(t, tm.last_read, 999);
	tm_teardown(mapping);
}

/* Write a byte through write_begin/write_end, as a buffered write. */
static void tm_write(struct address_space *mapping, loff_t pos, char c)
{
	struct page *page;

	if (simple_write_begin(NULL, mapping, pos, 1, &page, NULL))
		return;
	*((char *)page_address(page) + (pos & ~PAGE_MASK)) = c;
	simple_write_end(NULL, mapping, pos, 1, 1, page, NULL);
}

/* Dirty pages, the Dirty count, write-back and its errors. */
static void cache_writeback(struct ktest *t)
{
	struct address_space *mapping = tm_setup(0);
	unsigned long dirty = node_page_state(NR_FILE_DIRTY);
	unsigned long writeback = node_page_state(NR_WRITEBACK);
	struct page *pages[8];
	pgoff_t index = 0;

	tm_write(mapping, 0, 'a');
	tm_write(mapping, 5 * PAGE_SIZE + 7, 'b');
	KT_EXPECT_EQ(t, i_size_read(&tm.inode), 5 * PAGE_SIZE + 8);
	KT_EXPECT_EQ(t, node_page_state(NR_FILE_DIRTY), dirty + 2);
	KT_EXPECT_TRUE(t, tm.inode.i_state & I_DIRTY_PAGES);
	KT_EXPECT_EQ(t,
		     find_get_pages_tag(mapping, &index, PAGECACHE_TAG_DIRTY, 8,
					pages),
		     2);
	put_page(pages[0]);
	put_page(pages[1]);
	KT_EXPECT_EQ(t, index, 6);
	/* only the range asked for is written */
	KT_EXPECT_EQ(t, filemap_fdatawrite_range(mapping, 0, PAGE_SIZE - 1), 0);
	KT_EXPECT_EQ(t, tm.writes, 1);
	KT_EXPECT_EQ(t, tm.stored[0], 'a');
	KT_EXPECT_EQ(t, node_page_state(NR_FILE_DIRTY), dirty + 1);
	/* a failed write is reported once, by the wait */
	tm.fail_writes = 1;
	KT_EXPECT_EQ(t, filemap_write_and_wait(mapping), -EIO);
	KT_EXPECT_EQ(t, filemap_write_and_wait(mapping), 0);
	KT_EXPECT_EQ(t, node_page_state(NR_FILE_DIRTY), dirty);
	KT_EXPECT_EQ(t, node_page_state(NR_WRITEBACK), writeback);
	index = 0;
	KT_EXPECT_EQ(t,
		     find_get_pages_tag(mapping, &index, PAGECACHE_TAG_DIRTY, 8,
					pages),
		     0);
	/* truncation drops a dirty page without writing it */
	tm_write(mapping, PAGE_SIZE, 'c');
	KT_EXPECT_EQ(t, node_page_state(NR_FILE_DIRTY), dirty + 1);
	truncate_setsize(&tm.inode, 10);
	KT_EXPECT_EQ(t, node_page_state(NR_FILE_DIRTY), dirty);
	KT_EXPECT_EQ(t, mapping->nrpages, 1);
	KT_EXPECT_EQ(t, tm.writes, 2);
	tm_teardown(mapping);
	inode_wb_list_del(&tm.inode);
}

/* Truncation zeroes the partial page; invalidation keeps dirty pages. */
static void cache_truncate(struct ktest *t)
{
	struct address_space *mapping = tm_setup(8 * PAGE_SIZE);
	struct page *page;
	pgoff_t i;

	for (i = 0; i < 8; i++)
		put_page(read_mapping_page(mapping, i, NULL));
	tm_write(mapping, 6 * PAGE_SIZE, 'd');
	KT_EXPECT_EQ(t, mapping->nrpages, 8);
	/* drop_caches: the clean pages go, the dirty one stays */
	KT_EXPECT_EQ(t, invalidate_mapping_pages(mapping, 0, ~0UL), 7);
	KT_EXPECT_EQ(t, mapping->nrpages, 1);
	for (i = 0; i < 8; i++)
		put_page(read_mapping_page(mapping, i, NULL));
	/* a hole punched in the middle: pages 2..4 go, 1 and 5 are cut */
	truncate_inode_pages_range(mapping, PAGE_SIZE + 100,
				   5 * PAGE_SIZE + 99);
	KT_EXPECT_EQ(t, mapping->nrpages, 5);
	page = find_get_page(mapping, 1);
	KT_ASSERT_NOT_NULL(t, page);
	KT_EXPECT_EQ(t, *((unsigned char *)page_address(page) + 99), 1);
	KT_EXPECT_EQ(t, *((unsigned char *)page_address(page) + 100), 0);
	put_page(page);
	page = find_get_page(mapping, 5);
	KT_ASSERT_NOT_NULL(t, page);
	KT_EXPECT_EQ(t, *((unsigned char *)page_address(page) + 99), 0);
	KT_EXPECT_EQ(t, *((unsigned char *)page_address(page) + 100), 5);
	put_page(page);
	KT_EXPECT_NULL(t, find_get_page(mapping, 3));
	/* invalidate2 writes the dirty page first, then drops it */
	KT_EXPECT_EQ(t, invalidate_inode_pages2_range(mapping, 6, 6), 0);
	KT_EXPECT_EQ(t, tm.stored[6], 'd');
	KT_EXPECT_NULL(t, find_get_page(mapping, 6));
	tm_teardown(mapping);
	inode_wb_list_del(&tm.inode);
}

/* Reclaim drops clean pages, oldest first, and never a dirty one. */
static void cache_reclaim(struct ktest *t)
{
	struct address_space *mapping = tm_setup(8 * PAGE_SIZE);
	struct page *page;
	pgoff_t i;

	for (i = 0; i < 8; i++)
		put_page(read_mapping_page(mapping, i, NULL));
	tm_write(mapping, 3 * PAGE_SIZE, 'r');
	KT_EXPECT_EQ(t, mapping->nrpages, 8);
	/* Everything clean anywhere in the cache may go: at least our 7. */
	KT_EXPECT_GE(t, shrink_page_cache(GFP_KERNEL, ~0UL), 7);
	KT_EXPECT_EQ(t, mapping->nrpages, 1);
	page = find_get_page(mapping, 3);
	KT_ASSERT_NOT_NULL(t, page);
	KT_EXPECT_TRUE(t, PageDirty(page));
	put_page(page);
	/* a page in use (locked) is passed over */
	put_page(read_mapping_page(mapping, 5, NULL));
	page = find_lock_page(mapping, 5);
	KT_ASSERT_NOT_NULL(t, page);
	shrink_page_cache(GFP_KERNEL, ~0UL);
	KT_EXPECT_EQ(t, mapping->nrpages, 2);
	unlock_page(page);
	put_page(page);
	tm_teardown(mapping);
	inode_wb_list_del(&tm.inode);
}

static struct ktest_case pagecache_cases[] = {
	KTEST_CASE(radix_basic),     KTEST_CASE(radix_many),
	KTEST_CASE(cache_lookup),    KTEST_CASE(cache_readahead),
	KTEST_CASE(cache_writeback), KTEST_CASE(cache_truncate),
	KTEST_CASE(cache_reclaim),   {}
};
KTEST_SUITE(pagecache, pagecache_cases);
