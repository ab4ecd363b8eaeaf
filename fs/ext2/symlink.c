/*
 * ext2: symbolic links. A target shorter than 60 bytes is kept in the
 * inode itself, in the space of i_block[] ("fast" symlinks: no data
 * block, i_blocks 0); a longer one (up to a block less one byte) in the
 * first data block, read through the page cache.
 */
#include <kestrel/errno.h>
#include <kestrel/pagemap.h>

#include "ext2.h"

/* The target of a slow symlink: its page, NUL-ended after i_size (which
 * ext2_iget checked to be below the block size). */
static const char *ext2_get_link(struct dentry *dentry, struct inode *inode,
				 void **cookie)
{
	struct page *page = read_mapping_page(inode->i_mapping, 0, NULL);
	char *kaddr;

	if (IS_ERR(page))
		return ERR_CAST(page);
	kaddr = page_address(page);
	kaddr[inode->i_size] = '\0';
	*cookie = page;
	return kaddr;
}

static void ext2_put_link(struct inode *inode, void *cookie)
{
	put_page(cookie);
}

const struct inode_operations ext2_symlink_inode_operations = {
	.get_link = ext2_get_link,
	.put_link = ext2_put_link,
	.setattr = ext2_setattr,
};

/* The target is i_link, pointing into the inode's i_data. */
const struct inode_operations ext2_fast_symlink_inode_operations = {
	.setattr = ext2_setattr,
};
