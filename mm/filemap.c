/*
 * The page cache (<kestrel/pagemap.h> states the rules; docs/pagecache.md
 * tells the story): finding, adding and removing a file's pages, the
 * page lock, and the generic read and write paths every cached file
 * system uses.
 */
#include <kestrel/pagemap.h>
#include <kestrel/writeback.h>

void address_space_init(struct address_space *mapping, struct inode *host)
{
	mapping->host = host;
	INIT_RADIX_TREE(&mapping->page_tree);
	spin_lock_init(&mapping->tree_lock);
	mapping->nrpages = 0;
	mapping->a_ops = NULL;
	mapping->flags = 0;
	INIT_LIST_HEAD(&mapping->i_mmap);
	spin_lock_init(&mapping->i_mmap_lock);
	spin_lock_init(&mapping->private_lock);
	INIT_LIST_HEAD(&mapping->private_list);
	mapping->gfp_mask = GFP_KERNEL;
}
