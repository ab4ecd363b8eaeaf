/*
 * tmpfs regular files: their data lives in the page cache and nowhere
 * else (docs/pagecache.md). Reads and writes are the generic ones of
 * mm/filemap.c, the vectored AIO methods the seed asks for: read(),
 * readv(), pread64() and the kernel's kernel_read() all arrive there
 * through fs/read_write.c.
 *
 * With no storage behind it, a tmpfs page is in one of two states:
 *
 *   clean	never written: zeros. tmpfs has no ->readpage, so the read
 *		path copies zeros for a missing page without allocating
 *		one (a hole costs no memory); a clean page only exists when
 *		a mapping faulted it in, and drop_caches may take it back.
 *   dirty	holds data. It stays dirty for its whole life (there is
 *		no ->writepage to clean it) and is charged to the mount
 *		(size=, statfs, Shmem): charged when it becomes dirty
 *		(tmpfs_set_page_dirty), given back when it leaves the cache
 *		(tmpfs_freepage: truncation, unlink).
 *
 * A write that would charge a page past size= gets ENOSPC in
 * ->write_begin, before anything changed. A fault in the user's buffer
 * ends a write there: the file changes by exactly the bytes reported
 * written (generic_perform_write() and simple_write_end()).
 */
#include <kestrel/atomic.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/mman.h>
#include <kestrel/pagemap.h>
#include <kestrel/vmstat.h>

#include "../internal.h"
#include "internal.h"

/* Pages charged, every mount together. */
static atomic_long_t tmpfs_pages;

unsigned long tmpfs_nr_pages(void)
{
	long n = atomic_long_read(&tmpfs_pages);

	return n > 0 ? n : 0;
}

/* Is there room for one more page in the mount? */
static bool tmpfs_room(struct super_block *sb)
{
	struct tmpfs_sb_info *sbinfo = TMPFS_SB(sb);

	return !sbinfo->max_pages ||
	       READ_ONCE(sbinfo->used_pages) < sbinfo->max_pages;
}

/* Charge (@n = 1) or give back (@n = -1) one page of @inode. */
static void tmpfs_charge(struct inode *inode, long n)
{
	struct tmpfs_sb_info *sbinfo = TMPFS_SB(inode->i_sb);
	struct tmpfs_inode_info *info = TMPFS_I(inode);

	spin_lock(&sbinfo->stat_lock);
	sbinfo->used_pages += n;
	info->nr_pages += n;
	inode->i_blocks = (u64)info->nr_pages << (PAGE_SHIFT - 9);
	spin_unlock(&sbinfo->stat_lock);
	/* tmpfs pages are Linux's shmem: Shmem, and Cached */
	mod_node_page_state(NR_SHMEM, n);
	atomic_long_add_return(n, &tmpfs_pages);
}

static int tmpfs_set_page_dirty(struct page *page)
{
	struct address_space *mapping = page->mapping;

	if (!__set_page_dirty_nobuffers(page))
		return 0;
	if (mapping)
		tmpfs_charge(mapping->host, 1);
	return 1;
}

static void tmpfs_freepage(struct page *page)
{
	if (PageDirty(page))
		tmpfs_charge(page->mapping->host, -1);
}

static int tmpfs_write_begin(struct file *file, struct address_space *mapping,
			     loff_t pos, unsigned int len, struct page **pagep,
			     void **fsdata)
{
	struct page *page;
	int err = simple_write_begin(file, mapping, pos, len, &page, fsdata);

	if (err)
		return err;
	if (!PageDirty(page) && !tmpfs_room(mapping->host->i_sb)) {
		if (!PageUptodate(page)) /* a page we just added */
			delete_from_page_cache(page);
		unlock_page(page);
		put_page(page);
		return -ENOSPC;
	}
	*pagep = page;
	return 0;
}

const struct address_space_operations tmpfs_aops = {
	.write_begin = tmpfs_write_begin,
	.write_end = simple_write_end,
	.set_page_dirty = tmpfs_set_page_dirty,
	.freepage = tmpfs_freepage,
};

static int tmpfs_setattr(struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = dentry->d_inode;

	if ((attr->ia_valid & ATTR_SIZE) &&
	    attr->ia_size != i_size_read(inode)) {
		truncate_setsize(inode, attr->ia_size);
		inode->i_mtime = inode->i_ctime = current_time(inode);
	}
	setattr_copy(inode, attr);
	return 0;
}

const struct file_operations tmpfs_file_operations = {
	.aio_read = generic_file_aio_read,
	.aio_write = generic_file_aio_write,
	.fsync = noop_fsync,
	.mmap = generic_file_mmap,
};

const struct inode_operations tmpfs_file_inode_operations = {
	.setattr = tmpfs_setattr,
};
