/*
 * tmpfs regular files: data in whole pages from alloc_pages(), found
 * through the file's radix tree (pages.c).
 *
 * The file operations are the vectored AIO methods, as the seed asks:
 * tmpfs_file_read() and tmpfs_file_write() take every segment of a
 * request at once and copy page-sized chunks with copy_to_iter() /
 * copy_from_iter(), one copy per byte. read(), readv(), pread64() and
 * the kernel's own kernel_read() all arrive here through fs/read_write.c.
 *
 * A hole (a page never written, or beyond a truncation) reads as zeros
 * from the shared zero page and costs no memory. Each page allocated is
 * charged to the mount (size=); past the limit a write gets ENOSPC.
 *
 * A write copies page by page straight into the file's pages. A fault
 * in the user's buffer ends it there: the file changes by exactly the
 * bytes reported written, its size grows by no more, and the rest of a
 * page that was partly copied keeps its old bytes (tmpfs_write_pages()).
 * Before copying, it passes generic_write_checks(): RLIMIT_FSIZE and
 * the mount's largest file.
 *
 * Locking: the inode's i_mutex is held across each read and write, so
 * a truncate cannot free a page under a copy. Reads take it too (tmpfs
 * has no per-page lock); docs/vfs.md suggests lifting that as an
 * exercise.
 */
#include <asm/page.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/mm.h>
#include <kestrel/string.h>
#include <kestrel/vmstat.h>

#include "../internal.h"
#include "internal.h"

int tmpfs_acct_page(struct super_block *sb)
{
	struct tmpfs_sb_info *sbinfo = TMPFS_SB(sb);
	int err = 0;

	spin_lock(&sbinfo->stat_lock);
	if (sbinfo->max_pages && sbinfo->used_pages >= sbinfo->max_pages)
		err = -ENOSPC;
	else
		sbinfo->used_pages++;
	spin_unlock(&sbinfo->stat_lock);
	if (!err) /* tmpfs pages are Linux's shmem: Shmem, Cached */
		inc_node_page_state(NR_SHMEM);
	return err;
}

void tmpfs_unacct_pages(struct super_block *sb, unsigned long n)
{
	struct tmpfs_sb_info *sbinfo = TMPFS_SB(sb);

	spin_lock(&sbinfo->stat_lock);
	sbinfo->used_pages -= n;
	spin_unlock(&sbinfo->stat_lock);
	mod_node_page_state(NR_SHMEM, -(long)n);
}

static void update_blocks(struct inode *inode)
{
	inode->i_blocks = (u64)TMPFS_I(inode)->nr_pages << (PAGE_SHIFT - 9);
}

/*
 * The page at @index for a write of @len bytes into it, allocated if it
 * is a hole. A new page is zeroed first unless the write covers all of
 * it (@len == PAGE_SIZE); then *@unzeroed is set, and what a fault
 * leaves uncopied is the caller's to zero. A page that was there is
 * live data: *@unzeroed is false and no byte outside the copy may move.
 */
static struct page *tmpfs_write_page(struct inode *inode, unsigned long index,
				     size_t len, bool *unzeroed)
{
	struct tmpfs_inode_info *info = TMPFS_I(inode);
	struct page *page = tmpfs_page_lookup(&info->pages, index);
	gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;
	int err;

	*unzeroed = false;
	if (page)
		return page;
	err = tmpfs_acct_page(inode->i_sb);
	if (err)
		return ERR_PTR(err);
	if (len < PAGE_SIZE)
		gfp |= __GFP_ZERO;
	page = alloc_page(gfp);
	err = -ENOMEM;
	if (!page)
		goto out_unacct;
	err = tmpfs_page_insert(&info->pages, index, page);
	if (err)
		goto out_free_page;
	info->nr_pages++;
	update_blocks(inode);
	*unzeroed = len == PAGE_SIZE;
	return page;

out_free_page:
	__free_page(page);
out_unacct:
	tmpfs_unacct_pages(inode->i_sb, 1);
	return ERR_PTR(err);
}

static ssize_t tmpfs_file_read(struct kiocb *iocb, const struct iovec *iov,
			       unsigned long nr_segs, loff_t pos)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	struct iov_iter iter;
	ssize_t ret = 0;
	loff_t size;

	kiocb_iter_init(&iter, iocb, iov, nr_segs);
	inode_lock(inode);
	size = i_size_read(inode);
	while (iov_iter_count(&iter) && pos < size) {
		struct page *page = tmpfs_page_lookup(&TMPFS_I(inode)->pages,
						      pos >> PAGE_SHIFT);
		size_t offset = pos & ~PAGE_MASK, chunk = PAGE_SIZE - offset;
		size_t n;

		if ((loff_t)chunk > size - pos)
			chunk = size - pos;
		if (page)
			n = copy_to_iter((char *)page_address(page) + offset,
					 chunk, &iter);
		else
			n = iov_iter_zero(chunk, &iter);
		pos += n;
		ret += n;
		if (n < chunk) {
			if (iov_iter_count(&iter) && !ret)
				ret = -EFAULT;
			break;
		}
	}
	inode_unlock(inode);
	iocb->ki_pos = pos;
	return ret;
}

/*
 * Copy @iter into the file from *@pos on. Bytes written, or -errno.
 *
 * A fault in the user's buffer stops the copy: *@pos and the count
 * cover exactly the bytes copied, and the rest of the page keeps what
 * it held (copy_from_iter() never zeroes past the fault). Only a new,
 * unzeroed page has its uncopied part cleared, to the zeros of the hole
 * it replaced.
 */
static ssize_t tmpfs_write_pages(struct inode *inode, loff_t *pos,
				 struct iov_iter *iter)
{
	ssize_t done = 0;

	while (iov_iter_count(iter)) {
		size_t offset = *pos & ~PAGE_MASK, chunk = PAGE_SIZE - offset;
		struct page *page;
		bool unzeroed;
		char *addr;
		size_t n;

		if (chunk > iov_iter_count(iter))
			chunk = iov_iter_count(iter);
		page = tmpfs_write_page(inode, *pos >> PAGE_SHIFT, chunk,
					&unzeroed);
		if (IS_ERR(page))
			return done ? done : PTR_ERR(page);
		addr = page_address(page);
		n = copy_from_iter(addr + offset, chunk, iter);
		*pos += n;
		done += n;
		if (n < chunk) {
			if (unzeroed)
				memset(addr + n, 0, PAGE_SIZE - n);
			return done ? done : -EFAULT;
		}
	}
	return done;
}

static ssize_t tmpfs_file_write(struct kiocb *iocb, const struct iovec *iov,
				unsigned long nr_segs, loff_t pos)
{
	struct file *file = iocb->ki_filp;
	struct inode *inode = file_inode(file);
	struct iov_iter iter;
	ssize_t ret;

	kiocb_iter_init(&iter, iocb, iov, nr_segs);
	iocb->ki_pos = pos;
	inode_lock(inode);
	ret = generic_write_checks(iocb, &iter);
	if (ret > 0)
		ret = file_remove_privs(file);
	if (!ret && iov_iter_count(&iter)) {
		inode->i_mtime = inode->i_ctime = current_time(inode);
		ret = tmpfs_write_pages(inode, &iocb->ki_pos, &iter);
	}
	/* Only bytes written move the end: not a failed or empty write. */
	if (ret > 0 && iocb->ki_pos > i_size_read(inode))
		i_size_write(inode, iocb->ki_pos);
	inode_unlock(inode);
	return ret;
}

void tmpfs_truncate(struct inode *inode, loff_t newsize)
{
	struct tmpfs_inode_info *info = TMPFS_I(inode);
	loff_t oldsize = i_size_read(inode);
	unsigned long freed;
	size_t partial = newsize & ~PAGE_MASK;

	lockdep_assert_held(&inode->i_mutex);
	if (newsize < oldsize) {
		struct page *page =
			tmpfs_page_lookup(&info->pages, newsize >> PAGE_SHIFT);

		/* What a later extension exposes must read as zeros. */
		if (partial && page)
			memset((char *)page_address(page) + partial, 0,
			       PAGE_SIZE - partial);
		freed = tmpfs_pages_truncate(
			&info->pages, (newsize + PAGE_SIZE - 1) >> PAGE_SHIFT);
		info->nr_pages -= freed;
		tmpfs_unacct_pages(inode->i_sb, freed);
		update_blocks(inode);
	}
	i_size_write(inode, newsize);
}

static int tmpfs_setattr(struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = dentry->d_inode;

	if ((attr->ia_valid & ATTR_SIZE) &&
	    attr->ia_size != i_size_read(inode)) {
		tmpfs_truncate(inode, attr->ia_size);
		inode->i_mtime = inode->i_ctime = current_time(inode);
	}
	setattr_copy(inode, attr);
	return 0;
}

const struct file_operations tmpfs_file_operations = {
	.aio_read = tmpfs_file_read,
	.aio_write = tmpfs_file_write,
	.fsync = noop_fsync,
};

const struct inode_operations tmpfs_file_inode_operations = {
	.setattr = tmpfs_setattr,
};
