/*
 * The page cache (<kestrel/pagemap.h> states the rules; docs/pagecache.md
 * tells the story): finding, adding and removing a file's pages, the
 * page lock, and the generic read and write paths every cached file
 * system uses.
 *
 * A read of a file (generic_file_aio_read) goes page by page:
 *
 *	find_get_page(index) --miss--> read-ahead a window, look again
 *	     |                              |
 *	   hit, uptodate? --no--> lock_page: someone is reading it;
 *	     |                     still not uptodate: ->readpage, wait
 *	   copy to the user
 *
 * A write (generic_file_aio_write) asks the file system for each page
 * (->write_begin: locked, with the bytes around the write read in when
 * needed), copies into it and hands it back (->write_end: dirty,
 * unlocked). Dirty pages go to the disk later, by write-back
 * (mm/page-writeback.c), or at fsync.
 *
 * The page lock is a bit of page->flags; its waiters sleep on one of a
 * small table of wait queues chosen by hashing the page's address (as
 * Linux's page_waitqueue()): a struct page has no room for a queue of
 * its own, and few pages are waited on at once.
 */
#include <kestrel/blkdev.h>
#include <kestrel/errno.h>
#include <kestrel/hash.h>
#include <kestrel/pagemap.h>
#include <kestrel/preempt.h>
#include <kestrel/sched.h>
#include <kestrel/string.h>
#include <kestrel/uaccess.h>
#include <kestrel/vmstat.h>
#include <kestrel/wait.h>
#include <kestrel/writeback.h>

#define PAGE_WAIT_BITS 6
static struct wait_queue_head page_wait_table[1 << PAGE_WAIT_BITS];

void filemap_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(page_wait_table); i++)
		init_waitqueue_head(&page_wait_table[i]);
}

static struct wait_queue_head *page_waitqueue(const struct page *page)
{
	return &page_wait_table[hash_32((u32)(uintptr_t)page, PAGE_WAIT_BITS)];
}

/* The methods of a mapping nobody gave any: nothing to read or write. */
static const struct address_space_operations empty_aops;

void address_space_init(struct address_space *mapping, struct inode *host)
{
	mapping->host = host;
	INIT_RADIX_TREE(&mapping->page_tree);
	spin_lock_init(&mapping->tree_lock);
	mapping->nrpages = 0;
	mapping->a_ops = &empty_aops;
	mapping->flags = 0;
	INIT_LIST_HEAD(&mapping->i_mmap);
	spin_lock_init(&mapping->i_mmap_lock);
	spin_lock_init(&mapping->private_lock);
	INIT_LIST_HEAD(&mapping->private_list);
	mapping->gfp_mask = GFP_KERNEL;
}

void mapping_set_error(struct address_space *mapping, int error)
{
	if (!error)
		return;
	set_bit(error == -ENOSPC ? AS_ENOSPC : AS_EIO, &mapping->flags);
}

/* ---- the page lock and write-back waits --------------------------------- */

void lock_page(struct page *page)
{
	might_sleep();
	while (!trylock_page(page))
		wait_event(*page_waitqueue(page), !PageLocked(page));
}

void unlock_page(struct page *page)
{
	WARN_ON(!PageLocked(page));
	ClearPageLocked(page);
	wake_up_all(page_waitqueue(page));
}

void wait_on_page_locked(struct page *page)
{
	might_sleep();
	wait_event(*page_waitqueue(page), !PageLocked(page));
}

void wait_on_page_writeback(struct page *page)
{
	might_sleep();
	wait_event(*page_waitqueue(page), !PageWriteback(page));
}

void set_page_writeback(struct page *page)
{
	struct address_space *mapping = page->mapping;
	unsigned long flags;

	if (TestSetPageWriteback(page))
		return;
	inc_node_page_state(NR_WRITEBACK);
	if (!mapping)
		return;
	spin_lock_irqsave(&mapping->tree_lock, flags);
	radix_tree_tag_set(&mapping->page_tree, page->index,
			   PAGECACHE_TAG_WRITEBACK);
	if (!PageDirty(page))
		radix_tree_tag_clear(&mapping->page_tree, page->index,
				     PAGECACHE_TAG_DIRTY);
	spin_unlock_irqrestore(&mapping->tree_lock, flags);
}

void end_page_writeback(struct page *page)
{
	struct address_space *mapping = page->mapping;
	unsigned long flags;

	if (WARN_ON(!TestClearPageWriteback(page)))
		return;
	dec_node_page_state(NR_WRITEBACK);
	if (mapping) {
		spin_lock_irqsave(&mapping->tree_lock, flags);
		radix_tree_tag_clear(&mapping->page_tree, page->index,
				     PAGECACHE_TAG_WRITEBACK);
		spin_unlock_irqrestore(&mapping->tree_lock, flags);
	}
	wake_up_all(page_waitqueue(page));
}

/* ---- lookup, insertion, removal ----------------------------------------- */

struct page *find_get_page(struct address_space *mapping, pgoff_t index)
{
	struct page *page;

	spin_lock_irq(&mapping->tree_lock);
	page = radix_tree_lookup(&mapping->page_tree, index);
	if (page)
		get_page(page);
	spin_unlock_irq(&mapping->tree_lock);
	return page;
}

struct page *find_lock_page(struct address_space *mapping, pgoff_t index)
{
	struct page *page;

	for (;;) {
		page = find_get_page(mapping, index);
		if (!page)
			return NULL;
		lock_page(page);
		/* Truncated while we slept? Then look again. */
		if (page->mapping == mapping)
			return page;
		unlock_page(page);
		put_page(page);
	}
}

int add_to_page_cache(struct page *page, struct address_space *mapping,
		      pgoff_t index, gfp_t gfp)
{
	int err = radix_tree_preload(gfp);

	if (err)
		return err;
	SetPageLocked(page);
	get_page(page); /* the cache's reference */
	atomic_set(&page->_mapcount, 0);
	page->mapping = mapping;
	page->index = index;
	spin_lock_irq(&mapping->tree_lock);
	err = radix_tree_insert(&mapping->page_tree, index, page);
	if (!err)
		mapping->nrpages++;
	spin_unlock_irq(&mapping->tree_lock);
	radix_tree_preload_end();
	if (err) {
		page->mapping = NULL;
		ClearPageLocked(page);
		put_page(page);
		return err;
	}
	inc_node_page_state(NR_FILE_PAGES);
	lru_cache_add(page);
	return 0;
}

void delete_from_page_cache(struct page *page)
{
	struct address_space *mapping = page->mapping;

	WARN_ON(!PageLocked(page));
	if (!mapping)
		return;
	if (mapping->a_ops && mapping->a_ops->freepage)
		mapping->a_ops->freepage(page);
	cancel_dirty_page(page);
	lru_cache_del(page);
	spin_lock_irq(&mapping->tree_lock);
	radix_tree_delete(&mapping->page_tree, page->index);
	page->mapping = NULL;
	mapping->nrpages--;
	spin_unlock_irq(&mapping->tree_lock);
	dec_node_page_state(NR_FILE_PAGES);
	put_page(page);
}

struct page *find_or_create_page(struct address_space *mapping, pgoff_t index,
				 gfp_t gfp)
{
	struct page *page;
	int err;

	for (;;) {
		page = find_lock_page(mapping, index);
		if (page)
			return page;
		page = alloc_page(gfp);
		if (!page)
			return NULL;
		err = add_to_page_cache(page, mapping, index, gfp);
		if (!err)
			return page;
		put_page(page);
		if (err != -EEXIST)
			return NULL;
	}
}

struct page *grab_cache_page_write_begin(struct address_space *mapping,
					 pgoff_t index)
{
	struct page *page =
		find_or_create_page(mapping, index, mapping_gfp_mask(mapping));

	if (page) {
		mark_page_accessed(page);
		wait_on_page_writeback(page);
	}
	return page;
}

unsigned int find_get_pages(struct address_space *mapping, pgoff_t start,
			    unsigned int nr, struct page **pages)
{
	unsigned int i, n;

	spin_lock_irq(&mapping->tree_lock);
	n = radix_tree_gang_lookup(&mapping->page_tree, (void **)pages, start,
				   nr);
	for (i = 0; i < n; i++)
		get_page(pages[i]);
	spin_unlock_irq(&mapping->tree_lock);
	return n;
}

unsigned int find_get_pages_tag(struct address_space *mapping, pgoff_t *index,
				unsigned int tag, unsigned int nr,
				struct page **pages)
{
	unsigned int i, n;

	spin_lock_irq(&mapping->tree_lock);
	n = radix_tree_gang_lookup_tag(&mapping->page_tree, (void **)pages,
				       *index, nr, tag);
	for (i = 0; i < n; i++)
		get_page(pages[i]);
	spin_unlock_irq(&mapping->tree_lock);
	if (n)
		*index = pages[n - 1]->index + 1;
	return n;
}

/*
 * Read the locked, not uptodate @page through ->readpage and wait for
 * the read. 0 with the page uptodate and unlocked, -EIO (the read
 * failed; page unlocked), or AOP_TRUNCATED (-EAGAIN): the page left the
 * cache meanwhile, look again.
 */
static int read_page_and_wait(struct file *file, struct page *page)
{
	struct address_space *mapping = page->mapping;
	int err;

	ClearPageError(page);
	err = mapping->a_ops->readpage(file, page);
	if (err)
		return err;
	if (!PageUptodate(page)) {
		lock_page(page); /* the read's completion unlocks it */
		if (!PageUptodate(page)) {
			err = page->mapping ? -EIO : -EAGAIN;
			unlock_page(page);
			return err;
		}
		unlock_page(page);
	}
	return 0;
}

/*
 * The cached page at @index made uptodate: a reference, unlocked. @page
 * is that page if the caller found it already (its reference is handed
 * over), or NULL. A page found not uptodate is being read by someone, or
 * its read failed: lock it, and if still not uptodate, read it again
 * ourselves.
 */
static struct page *get_uptodate_page(struct address_space *mapping,
				      pgoff_t index, struct file *file,
				      struct page *page)
{
	int err;

	for (;; page = NULL) {
		if (!page)
			page = find_get_page(mapping, index);
		if (!page) {
			page = alloc_page(mapping_gfp_mask(mapping));
			if (!page)
				return ERR_PTR(-ENOMEM);
			err = add_to_page_cache(page, mapping, index,
						mapping_gfp_mask(mapping));
			if (err) {
				put_page(page);
				if (err == -EEXIST)
					continue;
				return ERR_PTR(err);
			}
		} else if (PageUptodate(page)) {
			return page;
		} else {
			lock_page(page);
			if (page->mapping != mapping || PageUptodate(page)) {
				unlock_page(page);
				if (page->mapping == mapping)
					return page;
				put_page(page);
				continue;
			}
		}
		err = read_page_and_wait(file, page);
		if (!err)
			return page;
		put_page(page);
		if (err != -EAGAIN)
			return ERR_PTR(err);
	}
}

struct page *read_mapping_page(struct address_space *mapping, pgoff_t index,
			       struct file *file)
{
	return get_uptodate_page(mapping, index, file, NULL);
}

/* ---- reading files ------------------------------------------------------ */

/* Copy @bytes at @offset of @page to @iter; the bytes copied. */
static size_t copy_page_to_iter(struct page *page, size_t offset, size_t bytes,
				struct iov_iter *iter)
{
	return copy_to_iter((char *)page_address(page) + offset, bytes, iter);
}

/*
 * Start read-ahead for a read of @req pages at @index, as the state of
 * the cache asks: a miss starts a window, a marked page the next one.
 * Returns the page at @index if it is cached now (a reference), so that
 * the read does not look it up a second time, or NULL.
 */
static struct page *readahead_for(struct address_space *mapping,
				  struct file *file, pgoff_t index,
				  unsigned long req)
{
	struct page *page = find_get_page(mapping, index);

	if (!page) {
		page_cache_sync_readahead(mapping, &file->f_ra, file, index,
					  req);
		page = find_get_page(mapping, index);
		if (!page)
			return NULL;
	}
	if (PageReadahead(page))
		page_cache_async_readahead(mapping, &file->f_ra, file, page,
					   index, req);
	return page;
}

/*
 * The read loop: from *@ppos, as much of @iter as the file holds.
 * Returns the bytes read, or an errno if none were.
 */
static ssize_t do_generic_file_read(struct file *file, loff_t *ppos,
				    struct iov_iter *iter)
{
	struct address_space *mapping = file->f_mapping;
	struct inode *inode = mapping->host;
	loff_t pos = *ppos;
	ssize_t done = 0;
	int err = 0;

	while (iov_iter_count(iter)) {
		loff_t isize = i_size_read(inode);
		pgoff_t index = pos >> PAGE_SHIFT;
		size_t offset = pos & ~PAGE_MASK, nr = PAGE_SIZE - offset, n;
		struct page *page;

		if (pos >= isize)
			break;
		if ((loff_t)nr > isize - pos)
			nr = isize - pos;
		if (nr > iov_iter_count(iter))
			nr = iov_iter_count(iter);
		if (!mapping->a_ops->readpage) {
			page = find_get_page(mapping, index);
			if (!page) { /* a hole of a memory file system */
				n = iov_iter_zero(nr, iter);
				goto advance;
			}
		} else {
			page = readahead_for(
				mapping, file, index,
				((pos + iov_iter_count(iter) - 1) >>
				 PAGE_SHIFT) -
					index + 1);
			page = get_uptodate_page(mapping, index, file, page);
			if (IS_ERR(page)) {
				err = PTR_ERR(page);
				break;
			}
		}
		/* The size may have shrunk while we waited for the page. */
		isize = i_size_read(inode);
		if (pos >= isize) {
			put_page(page);
			break;
		}
		if ((loff_t)nr > isize - pos)
			nr = isize - pos;
		n = copy_page_to_iter(page, offset, nr, iter);
		mark_page_accessed(page);
		put_page(page);
advance:
		pos += n;
		done += n;
		if (n < nr) {
			err = -EFAULT;
			break;
		}
	}
	file->f_ra.prev_pos = pos;
	*ppos = pos;
	return done ? done : err;
}

ssize_t generic_file_aio_read(struct kiocb *iocb, const struct iovec *iov,
			      unsigned long nr_segs, loff_t pos)
{
	struct iov_iter iter;
	ssize_t ret;

	kiocb_iter_init(&iter, iocb, iov, nr_segs);
	if (pos < 0)
		return -EINVAL;
	ret = do_generic_file_read(iocb->ki_filp, &pos, &iter);
	iocb->ki_pos = pos;
	return ret;
}

/* ---- writing files ------------------------------------------------------ */

int simple_readpage(struct file *file, struct page *page)
{
	(void)file;
	memset(page_address(page), 0, PAGE_SIZE);
	SetPageUptodate(page);
	unlock_page(page);
	return 0;
}

int simple_write_begin(struct file *file, struct address_space *mapping,
		       loff_t pos, unsigned int len, struct page **pagep,
		       void **fsdata)
{
	struct page *page =
		grab_cache_page_write_begin(mapping, pos >> PAGE_SHIFT);
	size_t from = pos & ~PAGE_MASK;

	(void)file;
	(void)fsdata;
	if (!page)
		return -ENOMEM;
	/* A new page: what the write does not cover is a hole's zeros. */
	if (!PageUptodate(page) && len != PAGE_SIZE) {
		char *addr = page_address(page);

		memset(addr, 0, from);
		memset(addr + from + len, 0, PAGE_SIZE - from - len);
	}
	*pagep = page;
	return 0;
}

int simple_write_end(struct file *file, struct address_space *mapping,
		     loff_t pos, unsigned int len, unsigned int copied,
		     struct page *page, void *fsdata)
{
	struct inode *inode = mapping->host;
	size_t from = pos & ~PAGE_MASK;

	(void)file;
	(void)fsdata;
	/* A short copy into a new page leaves zeros, never stale bytes. */
	if (!PageUptodate(page)) {
		if (copied < len)
			memset((char *)page_address(page) + from + copied, 0,
			       len - copied);
		SetPageUptodate(page);
	}
	if (copied && pos + copied > i_size_read(inode))
		i_size_write(inode, pos + copied);
	if (copied)
		set_page_dirty(page);
	unlock_page(page);
	put_page(page);
	return copied;
}

/*
 * Touch every user page the next @bytes of @iter lie on before any page
 * cache page is locked, so that the faults (which may need this very
 * file's page, if the buffer maps it) happen without the page lock held.
 * A page faulted in and mapped stays (reclaim never takes a mapped
 * page), so the copy under the lock finds it, short of a munmap or a
 * truncation racing with us; then the copy stops short, as on a bad
 * address. Linux also copies with page faults disabled and retries;
 * Kestrel has no such mode.
 */
static void fault_in_iter(const struct iov_iter *iter, size_t bytes)
{
	const struct iovec *iov = iter->iov;
	size_t offset = iter->iov_offset;
	unsigned long segs = iter->nr_segs;
	char c;

	if (iter->type != ITER_UVEC)
		return;
	while (bytes && segs) {
		unsigned long addr = (unsigned long)iov->iov_base + offset;
		size_t step = PAGE_SIZE - (addr & ~PAGE_MASK);

		if (offset == iov->iov_len) { /* the next segment */
			iov++;
			segs--;
			offset = 0;
			continue;
		}
		if (step > iov->iov_len - offset)
			step = iov->iov_len - offset;
		if (step > bytes)
			step = bytes;
		if (get_user(c, (const char __user *)addr))
			return;
		(void)c;
		offset += step;
		bytes -= step;
	}
}

ssize_t generic_perform_write(struct file *file, struct iov_iter *iter,
			      loff_t pos)
{
	struct address_space *mapping = file->f_mapping;
	const struct address_space_operations *a_ops = mapping->a_ops;
	ssize_t written = 0;
	int status = 0;

	while (iov_iter_count(iter)) {
		size_t offset = pos & ~PAGE_MASK;
		size_t bytes = PAGE_SIZE - offset;
		struct page *page;
		void *fsdata = NULL;
		size_t copied;

		if (bytes > iov_iter_count(iter))
			bytes = iov_iter_count(iter);
		fault_in_iter(iter, bytes);
		status = a_ops->write_begin(file, mapping, pos, bytes, &page,
					    &fsdata);
		if (status)
			break;
		copied = copy_from_iter((char *)page_address(page) + offset,
					bytes, iter);
		status = a_ops->write_end(file, mapping, pos, bytes, copied,
					  page, fsdata);
		if (status < 0)
			break;
		pos += status;
		written += status;
		if ((size_t)status < bytes) {
			/* A fault in the user's buffer ends the write. */
			status = -EFAULT;
			break;
		}
		balance_dirty_pages_ratelimited(mapping);
	}
	return written ? written : status;
}

ssize_t generic_write_prepare(struct kiocb *iocb, struct iov_iter *iter)
{
	struct file *file = iocb->ki_filp;
	struct inode *inode = file->f_mapping->host;
	ssize_t ret = generic_write_checks(iocb, iter);

	if (ret <= 0)
		return ret;
	ret = file_remove_privs(file);
	if (ret || !iov_iter_count(iter))
		return ret;
	inode->i_mtime = inode->i_ctime = current_time(inode);
	mark_inode_dirty_sync(inode);
	return iov_iter_count(iter);
}

ssize_t generic_file_aio_write(struct kiocb *iocb, const struct iovec *iov,
			       unsigned long nr_segs, loff_t pos)
{
	struct file *file = iocb->ki_filp;
	struct inode *inode = file->f_mapping->host;
	struct iov_iter iter;
	ssize_t ret;

	kiocb_iter_init(&iter, iocb, iov, nr_segs);
	iocb->ki_pos = pos;
	inode_lock(inode);
	ret = generic_write_prepare(iocb, &iter);
	if (ret > 0) {
		ret = generic_perform_write(file, &iter, iocb->ki_pos);
		if (ret > 0)
			iocb->ki_pos += ret;
	}
	inode_unlock(inode);
	if (ret > 0 && ((file->f_flags & O_DSYNC) || IS_SYNC(inode))) {
		int err = vfs_fsync_range(file, iocb->ki_pos - ret,
					  iocb->ki_pos - 1,
					  !(file->f_flags & __O_SYNC));

		if (err)
			ret = err;
	}
	return ret;
}
