/*
 * ktest suite "writeback": the dirty-inode lists and the write-back of
 * fs/fs-writeback.c, on a small file system made here ("wbtest") whose
 * methods only count their calls: ->write_inode, ->sync_fs and a
 * ->writepage that completes the write at once.
 *
 *	mark dirty  -> on sb->s_dirty, oldest first, once
 *	write_inode_now / sync_filesystem / iput -> methods called, list empty
 *	fdatasync   -> metadata only when I_DIRTY_DATASYNC
 *	flusher     -> writes what is older than dirty_expire, not the rest
 *	a dirty page -> Dirty counted, written by ->writepage, counted out
 *	remount,ro  -> (suite writeback_mount, mounted in a tmpfs fixture)
 *	               the dirty inode written before the flag changes
 */
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/ktest.h>
#include <kestrel/pagemap.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/time.h>
#include <kestrel/vmstat.h>
#include <kestrel/writeback.h>

#include "fs_test_util.h"
#include "internal.h"

struct wbt {
	struct super_block *sb;
	int write_inode; /* ->write_inode calls */
	int write_inode_sync; /* ... of them with WB_SYNC_ALL */
	int sync_fs[2]; /* ->sync_fs calls, by @wait */
	int writepage;
	struct inode *last; /* the last inode ->write_inode saw */
};

static struct wbt *sb_wbt(struct super_block *sb)
{
	return sb->s_fs_info;
}

static int wbt_write_inode(struct inode *inode, struct writeback_control *wbc)
{
	struct wbt *w = sb_wbt(inode->i_sb);

	w->write_inode++;
	w->write_inode_sync += wbc->sync_mode == WB_SYNC_ALL;
	w->last = inode;
	return 0;
}

static int wbt_sync_fs(struct super_block *sb, int wait)
{
	sb_wbt(sb)->sync_fs[!!wait]++;
	return 0;
}

static const struct super_operations wbt_sops = {
	.write_inode = wbt_write_inode,
	.sync_fs = wbt_sync_fs,
};

/* The "disk" takes the page at once. */
static int wbt_writepage(struct page *page, struct writeback_control *wbc)
{
	sb_wbt(page->mapping->host->i_sb)->writepage++;
	set_page_writeback(page);
	unlock_page(page);
	end_page_writeback(page);
	return 0;
}

static const struct address_space_operations wbt_aops = {
	.writepage = wbt_writepage,
};

static struct wbt *wbt_pending; /* handed from the case to fill_super */

static int wbt_fill_super(struct super_block *sb, void *data, int silent)
{
	struct inode *root = new_inode(sb);

	if (!root)
		return -ENOMEM;
	root->i_mode = S_IFDIR | 0755;
	sb->s_op = &wbt_sops;
	sb->s_fs_info = wbt_pending;
	sb->s_root = d_make_root(root);
	return sb->s_root ? 0 : -ENOMEM;
}

static struct dentry *wbt_mount(struct file_system_type *type, int flags,
				const char *dev_name, void *data)
{
	return mount_nodev(type, flags, data, wbt_fill_super);
}

static struct file_system_type wbt_type = {
	.name = "wbtest",
	.mount = wbt_mount,
	.kill_sb = kill_anon_super,
	.fs_supers = LIST_HEAD_INIT(wbt_type.fs_supers),
};

static int wbt_init(struct ktest *t)
{
	struct wbt *w = kzalloc(sizeof(*w), GFP_KERNEL);
	struct dentry *root;

	if (!w)
		return -ENOMEM;
	wbt_pending = w;
	root = mount_nodev(&wbt_type, 0, NULL, wbt_fill_super);
	if (IS_ERR(root)) {
		kfree(w);
		return PTR_ERR(root);
	}
	w->sb = root->d_sb;
	dput(root); /* s_root keeps it */
	ktest_set_priv(t, w);
	return 0;
}

static void wbt_exit(struct ktest *t)
{
	struct wbt *w = ktest_priv(t);

	deactivate_super(w->sb);
	kfree(w);
}

static struct inode *wbt_inode(struct wbt *w)
{
	struct inode *inode = new_inode(w->sb);

	if (inode) {
		inode->i_mode = S_IFREG | 0644;
		inode->i_mapping->a_ops = &wbt_aops;
	}
	return inode;
}

static bool on_dirty_list(struct inode *inode)
{
	return !list_empty(&inode->i_wb_list);
}

static void test_dirty_list_order(struct ktest *t)
{
	struct wbt *w = ktest_priv(t);
	struct inode *a = wbt_inode(w), *b = wbt_inode(w);

	KT_ASSERT_TRUE(t, a && b);
	mark_inode_dirty(a);
	mark_inode_dirty(b);
	mark_inode_dirty(a); /* already dirty: stays first */
	KT_EXPECT_TRUE(t, list_first_entry(&w->sb->s_dirty, struct inode,
					   i_wb_list) == a);
	KT_EXPECT_TRUE(t, list_last_entry(&w->sb->s_dirty, struct inode,
					  i_wb_list) == b);
	KT_EXPECT_EQ(t, a->i_state & I_DIRTY, I_DIRTY_SYNC | I_DIRTY_DATASYNC);
	KT_EXPECT_EQ(t, write_inode_now(a, true), 0);
	KT_EXPECT_EQ(t, w->write_inode, 1);
	KT_EXPECT_EQ(t, w->write_inode_sync, 1);
	KT_EXPECT_FALSE(t, on_dirty_list(a));
	KT_EXPECT_EQ(t, a->i_state & (I_DIRTY | I_SYNC), 0U);
	KT_EXPECT_TRUE(t, on_dirty_list(b));
	iput(a);
	iput(b); /* evicted dirty: written then */
	KT_EXPECT_EQ(t, w->write_inode, 2);
	KT_EXPECT_TRUE(t, list_empty(&w->sb->s_dirty));
}

/* An inode nothing can write (no ->writepage, no ->write_inode) is not
 * queued, and its metadata is never dirty: tmpfs's. */
static void test_memory_only_not_queued(struct ktest *t)
{
	struct wbt *w = ktest_priv(t);
	static const struct super_operations none;
	struct inode *inode = wbt_inode(w);

	KT_ASSERT_TRUE(t, inode);
	w->sb->s_op = &none;
	inode->i_mapping->a_ops = NULL;
	mark_inode_dirty(inode);
	KT_EXPECT_FALSE(t, on_dirty_list(inode));
	KT_EXPECT_FALSE(t, inode->i_state & I_DIRTY_SYNC);
	iput(inode);
	w->sb->s_op = &wbt_sops;
}

static void test_fsync_datasync(struct ktest *t)
{
	struct wbt *w = ktest_priv(t);
	struct inode *inode = wbt_inode(w);
	struct file file = { .f_inode = inode };

	KT_ASSERT_TRUE(t, inode);
	mark_inode_dirty_sync(inode); /* times only */
	KT_EXPECT_EQ(t, generic_file_fsync(&file, 0, MAX_LFS_FILESIZE, 1), 0);
	KT_EXPECT_EQ(t, w->write_inode, 0);
	KT_EXPECT_EQ(t, generic_file_fsync(&file, 0, MAX_LFS_FILESIZE, 0), 0);
	KT_EXPECT_EQ(t, w->write_inode, 1);
	__mark_inode_dirty(inode, I_DIRTY_DATASYNC); /* a new size */
	KT_EXPECT_EQ(t, generic_file_fsync(&file, 0, MAX_LFS_FILESIZE, 1), 0);
	KT_EXPECT_EQ(t, w->write_inode, 2);
	KT_EXPECT_FALSE(t, on_dirty_list(inode));
	iput(inode);
}

static void test_sync_filesystem(struct ktest *t)
{
	struct wbt *w = ktest_priv(t);
	struct inode *in[3];
	int i;

	for (i = 0; i < 3; i++) {
		in[i] = wbt_inode(w);
		KT_ASSERT_TRUE(t, in[i]);
		mark_inode_dirty(in[i]);
	}
	KT_EXPECT_EQ(t, sync_filesystem(w->sb), 0);
	KT_EXPECT_EQ(t, w->write_inode, 3);
	KT_EXPECT_EQ(t, w->sync_fs[0], 1);
	KT_EXPECT_EQ(t, w->sync_fs[1], 1);
	KT_EXPECT_TRUE(t, list_empty(&w->sb->s_dirty));
	/* Read-only: nothing to write. */
	mark_inode_dirty(in[0]);
	w->sb->s_flags |= SB_RDONLY;
	KT_EXPECT_EQ(t, sync_filesystem(w->sb), 0);
	KT_EXPECT_EQ(t, w->write_inode, 3);
	w->sb->s_flags &= ~SB_RDONLY;
	for (i = 0; i < 3; i++)
		iput(in[i]);
	KT_EXPECT_EQ(t, w->write_inode, 4); /* in[0], at eviction */
}

/* An unlinked inode's dirt is not written at eviction: it is going. */
static void test_evict_unlinked(struct ktest *t)
{
	struct wbt *w = ktest_priv(t);
	struct inode *inode = wbt_inode(w);

	KT_ASSERT_TRUE(t, inode);
	mark_inode_dirty(inode);
	clear_nlink(inode);
	iput(inode);
	KT_EXPECT_EQ(t, w->write_inode, 0);
	KT_EXPECT_TRUE(t, list_empty(&w->sb->s_dirty));
}

/* Sleep up to @ms for @cond. */
#define WAIT_FOR(cond, ms)                                            \
	({                                                            \
		unsigned long __end = jiffies + msecs_to_jiffies(ms); \
		while (!(cond) && time_before(jiffies, __end))        \
			schedule_timeout_uninterruptible(1);          \
		(cond);                                               \
	})

/* The flusher writes what has been dirty longer than dirty_expire and
 * leaves the young. */
static void test_flusher_expiry(struct ktest *t)
{
	struct wbt *w = ktest_priv(t);
	struct inode *old = wbt_inode(w), *young = wbt_inode(w);
	unsigned long expire = msecs_to_jiffies(dirty_expire_interval * 10);

	KT_ASSERT_TRUE(t, old && young);
	mark_inode_dirty(old);
	old->dirtied_when = jiffies - expire - HZ; /* as if long ago */
	mark_inode_dirty(young);
	wakeup_flusher_threads();
	KT_EXPECT_TRUE(t, WAIT_FOR(!on_dirty_list(old), 2000));
	KT_EXPECT_TRUE(t, w->last == old);
	KT_EXPECT_TRUE(t, on_dirty_list(young));
	KT_EXPECT_EQ(t, w->write_inode, 1);
	iput(old);
	iput(young);
}

/* A dirty page: counted in Dirty, tagged, the inode queued; written by
 * ->writepage at sync, and counted out. */
static void test_dirty_page(struct ktest *t)
{
	struct wbt *w = ktest_priv(t);
	struct inode *inode = wbt_inode(w);
	unsigned long dirty0 = node_page_state(NR_FILE_DIRTY);
	struct page *page;

	KT_ASSERT_TRUE(t, inode);
	page = find_or_create_page(inode->i_mapping, 0, GFP_KERNEL);
	KT_ASSERT_TRUE(t, page);
	SetPageUptodate(page);
	KT_EXPECT_TRUE(t, set_page_dirty(page));
	unlock_page(page);
	put_page(page);
	KT_EXPECT_EQ(t, node_page_state(NR_FILE_DIRTY), dirty0 + 1);
	KT_EXPECT_TRUE(t, inode->i_state & I_DIRTY_PAGES);
	KT_EXPECT_TRUE(t, on_dirty_list(inode));
	sync_inodes_sb(w->sb);
	KT_EXPECT_EQ(t, w->writepage, 1);
	KT_EXPECT_EQ(t, w->write_inode, 0); /* only pages were dirty */
	KT_EXPECT_EQ(t, node_page_state(NR_FILE_DIRTY), dirty0);
	KT_EXPECT_FALSE(t, on_dirty_list(inode));
	iput(inode); /* the clean page goes with it */
}

static struct ktest_case writeback_cases[] = {
	KTEST_CASE(test_dirty_list_order),
	KTEST_CASE(test_memory_only_not_queued),
	KTEST_CASE(test_fsync_datasync),
	KTEST_CASE(test_sync_filesystem),
	KTEST_CASE(test_evict_unlinked),
	KTEST_CASE(test_flusher_expiry),
	KTEST_CASE(test_dirty_page),
	{}
};
KTEST_SUITE_FULL(writeback, writeback_cases, wbt_init, wbt_exit);

/* mount -o remount,ro writes what is dirty while it still may. */
static void test_remount_ro_writes(struct ktest *t)
{
	struct fs_struct *fs = fx_fs(t);
	struct wbt *w = kzalloc(sizeof(*w), GFP_KERNEL);
	struct path dir, top;
	struct inode *inode;

	KT_ASSERT_TRUE(t, w);
	KT_ASSERT_EQ(t, register_filesystem(&wbt_type), 0);
	KT_ASSERT_EQ(t, do_mkdirat(fs, NULL, "/wb", 0755), 0);
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/wb", 0, &dir), 0);
	wbt_pending = w;
	KT_ASSERT_EQ(t, do_mount("none", &dir, "wbtest", 0, NULL), 0);
	KT_ASSERT_EQ(t, vfs_path_lookup(fs, NULL, "/wb", 0, &top), 0);
	w->sb = top.dentry->d_sb;
	KT_EXPECT_TRUE(t, w->sb->s_fs_info == w);
	inode = wbt_inode(w);
	KT_ASSERT_TRUE(t, inode);
	mark_inode_dirty(inode);
	KT_EXPECT_EQ(
		t, do_mount(NULL, &top, NULL, MS_REMOUNT | MS_RDONLY, NULL), 0);
	KT_EXPECT_EQ(t, w->write_inode, 1);
	KT_EXPECT_FALSE(t, on_dirty_list(inode));
	KT_EXPECT_TRUE(t, w->sb->s_flags & SB_RDONLY);
	iput(inode);
	KT_EXPECT_EQ(t, do_umount(&top, 0), 0);
	path_put(&top); /* the last mount reference: the sb goes */
	path_put(&dir);
	KT_EXPECT_EQ(t, w->write_inode, 1); /* read-only: nothing more */
	unregister_filesystem(&wbt_type);
	kfree(w);
}

static struct ktest_case writeback_mount_cases[] = {
	KTEST_CASE(test_remount_ro_writes),
	{}
};
KTEST_SUITE_FULL(writeback_mount, writeback_mount_cases, fs_fixture_init,
		 fs_fixture_exit);
