/*
 * /proc/sys/vm/drop_caches (Linux's fs/drop_caches.c): writing 1 drops
 * the clean page cache, 2 the unused dentries (and the inodes only they
 * held), 3 both. Each write is logged, until one with 4 set silences
 * the log line for good, as Linux.
 *
 * Only clean, unmapped, unlocked pages go (invalidate_mapping_pages()):
 * dirty data is not written first, so `sync; echo 3 > drop_caches` is
 * the way to empty the cache. A mapping whose pages are the only copy
 * of the data (no ->writepage: tmpfs, ramfs) is left alone.
 */
#include <kestrel/fs.h>
#include <kestrel/pagemap.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/writeback.h>

#include "internal.h"

int sysctl_drop_caches;

static void drop_inode_pages(struct inode *inode, void *unused)
{
	struct address_space *mapping = inode->i_mapping;
	const struct address_space_operations *a_ops = mapping->a_ops;

	if (!READ_ONCE(mapping->nrpages) || !a_ops || !a_ops->writepage)
		return;
	invalidate_mapping_pages(mapping, 0, ~0UL);
}

static void drop_pagecache_sb(struct super_block *sb, void *unused)
{
	for_each_sb_inode(sb, drop_inode_pages, NULL);
}

void drop_caches_changed(const struct ctl_table *table)
{
	static bool quiet;
	int mode = READ_ONCE(sysctl_drop_caches);

	if (mode & 1)
		iterate_supers(drop_pagecache_sb, NULL);
	if (mode & 2)
		shrink_dcache_unused();
	if (!quiet)
		pr_info("%s (%d): drop_caches: %d\n", current->comm,
			current->pid, mode);
	quiet |= mode & 4;
}
