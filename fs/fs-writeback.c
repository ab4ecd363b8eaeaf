/*
 * Write-back of inodes (<kestrel/writeback.h>; docs/pagecache.md,
 * "Write-back"): each super_block's list of dirty inodes, oldest first.
 *
 * An inode is dirty when its metadata changed (I_DIRTY_SYNC: times;
 * I_DIRTY_DATASYNC: what fdatasync must write, the size) or when its
 * mapping has dirty pages (I_DIRTY_PAGES). The first dirtying puts it at
 * the tail of sb->s_dirty with dirtied_when = now, so the list stays in
 * age order for the flusher.
 */
#include <kestrel/time.h>
#include <kestrel/pagemap.h>
#include <kestrel/spinlock.h>
#include <kestrel/writeback.h>

static DEFINE_SPINLOCK(inode_wb_list_lock);

void __mark_inode_dirty(struct inode *inode, unsigned int flags)
{
	struct super_block *sb = inode->i_sb;

	/* Metadata with nowhere to go (tmpfs, pipes) is never dirty. */
	if (!sb->s_op->write_inode)
		flags &= I_DIRTY_PAGES;
	if ((inode->i_state & flags) == flags)
		return;
	spin_lock(&inode_wb_list_lock);
	if (!(inode->i_state & I_FREEING)) {
		if (!(inode->i_state & I_DIRTY)) {
			inode->dirtied_when = jiffies;
			list_add_tail(&inode->i_wb_list, &sb->s_dirty);
		}
		inode->i_state |= flags;
	}
	spin_unlock(&inode_wb_list_lock);
}

/* The inode is being evicted: it leaves the dirty list. */
void inode_wb_list_del(struct inode *inode)
{
	spin_lock(&inode_wb_list_lock);
	list_del_init(&inode->i_wb_list);
	inode->i_state &= ~I_DIRTY;
	spin_unlock(&inode_wb_list_lock);
}
