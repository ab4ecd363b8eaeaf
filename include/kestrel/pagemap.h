/*
 * The page cache: every file's data, in pages, shared by read/write,
 * mmap, exec and the block devices (mm/filemap.c, mm/readahead.c,
 * mm/page-writeback.c; docs/pagecache.md tells the story).
 *
 * A page of file F at offset index * PAGE_SIZE is in F's mapping
 * (inode->i_mapping, a struct address_space) at @index of its radix
 * tree, with page->mapping == mapping and page->index == index. At
 * most one page per (mapping, index).
 *
 * The rules:
 *
 * References. The cache holds one reference to each of its pages; every
 * lookup (find_get_page() and friends) returns another, dropped with
 * put_page(). A page removed from the cache (truncate, drop_caches)
 * loses ->mapping under its lock but lives on while anyone still holds
 * a reference: after lock_page(), check page->mapping before trusting
 * the page to be in the file.
 *
 * The page lock (PG_locked, lock_page()) is held while the page is
 * read in (set by the cache insertion, released by the read's
 * completion), while it is inserted or removed, while a write copies
 * into it (write_begin .. write_end), and while write-back starts on
 * it. It sleeps; one task holds it. Waiting for a read is waiting for
 * the lock: lock_page(), then PageUptodate() says whether it worked.
 *
 * States, each an atomic bit of page->flags:
 *   PG_uptodate   the page holds the file's data (set once, by a read or
 *                 a full overwrite; a read error leaves it clear)
 *   PG_dirty      newer than the storage; tagged PAGECACHE_TAG_DIRTY in
 *                 the tree, counted in NR_FILE_DIRTY (meminfo Dirty)
 *   PG_writeback  being written; tagged PAGECACHE_TAG_WRITEBACK,
 *                 counted in NR_WRITEBACK; the page lock is NOT held
 *                 during the I/O, so a page may be dirty again while
 *                 its previous contents are written
 *   PG_error      the last read or write failed
 *   PG_private    page->private belongs to the file system (buffer
 *                 heads, fs/buffer.c); it holds a page reference
 *   PG_readahead  the read-ahead marker: a read that reaches this page
 *                 starts the next window (mm/readahead.c)
 *   PG_lru        on the LRU list reclaim scans (mm/vmscan.c)
 *   PG_referenced read or written since reclaim last looked at it
 *   PG_checked    the file system's (ext2: a directory page whose entries
 *                 were checked once; Linux's PG_checked); lost with the
 *                 page, so a page read again is checked again
 *
 * Lock order: page lock -> mapping->tree_lock (irq-safe spinlock); the
 * inode's i_mutex comes before the page lock.
 */
#ifndef _KESTREL_PAGEMAP_H
#define _KESTREL_PAGEMAP_H

#include <kestrel/atomic.h>
#include <kestrel/bitops.h>
#include <kestrel/fs.h>
#include <kestrel/mm.h>
#include <kestrel/uio.h>

/* ---- the page-cache bits (atomic: I/O completions change them) ---------- */

#define PAGE_FLAG_ATOMIC(uname, lname)                               \
	static inline bool Page##uname(const struct page *page)      \
	{                                                            \
		return test_bit(PG_##lname, &page->flags);           \
	}                                                            \
	static inline void SetPage##uname(struct page *page)         \
	{                                                            \
		set_bit(PG_##lname, &page->flags);                   \
	}                                                            \
	static inline void ClearPage##uname(struct page *page)       \
	{                                                            \
		clear_bit(PG_##lname, &page->flags);                 \
	}                                                            \
	static inline bool TestSetPage##uname(struct page *page)     \
	{                                                            \
		return test_and_set_bit(PG_##lname, &page->flags);   \
	}                                                            \
	static inline bool TestClearPage##uname(struct page *page)   \
	{                                                            \
		return test_and_clear_bit(PG_##lname, &page->flags); \
	}

PAGE_FLAG_ATOMIC(Locked, locked)
PAGE_FLAG_ATOMIC(Uptodate, uptodate)
PAGE_FLAG_ATOMIC(Dirty, dirty)
PAGE_FLAG_ATOMIC(Writeback, writeback)
PAGE_FLAG_ATOMIC(Error, error)
PAGE_FLAG_ATOMIC(Private, private)
PAGE_FLAG_ATOMIC(Readahead, readahead)
PAGE_FLAG_ATOMIC(Lru, lru)
PAGE_FLAG_ATOMIC(Referenced, referenced)
PAGE_FLAG_ATOMIC(Checked, checked)

static inline bool page_has_private(const struct page *page)
{
	return PagePrivate(page);
}

/* The mapping's gfp for page allocations. */
static inline gfp_t mapping_gfp_mask(const struct address_space *mapping)
{
	return mapping->gfp_mask;
}

/* Record a write-back error for the next fsync (AS_EIO/AS_ENOSPC). */
void mapping_set_error(struct address_space *mapping, int error);

/* Set up an inode's own mapping (inode_init_always() calls it). */
void address_space_init(struct address_space *mapping, struct inode *host);

/* ---- the page lock ------------------------------------------------------ */

/* Sleep until @page is ours to lock. Context: process. */
void lock_page(struct page *page);
/* Lock @page if free: true when locked. Any context. */
static inline bool trylock_page(struct page *page)
{
	return !TestSetPageLocked(page);
}
/* Release the lock and wake its waiters. Any context (I/O completion). */
void unlock_page(struct page *page);
/* Sleep until @page is unlocked (a read has finished). */
void wait_on_page_locked(struct page *page);

/* Begin write-back of @page (locked): sets PG_writeback and the tag. */
void set_page_writeback(struct page *page);
/* The write of @page is done (any context, I/O completion). */
void end_page_writeback(struct page *page);
/* Sleep until @page is not under write-back. */
void wait_on_page_writeback(struct page *page);

/* ---- lookup, insertion, removal ----------------------------------------- */

/* The page at @index with a reference, or NULL. Any process context. */
struct page *find_get_page(struct address_space *mapping, pgoff_t index);
/* The same, locked (and still in @mapping). */
struct page *find_lock_page(struct address_space *mapping, pgoff_t index);
/* The page at @index, locked, allocated and inserted if absent (a new
 * page is not uptodate). NULL when out of memory. */
struct page *find_or_create_page(struct address_space *mapping, pgoff_t index,
				 gfp_t gfp);
/* Up to @nr pages at @start or beyond, with references; returns how many. */
unsigned int find_get_pages(struct address_space *mapping, pgoff_t start,
			    unsigned int nr, struct page **pages);
/* The same, pages with radix tree @tag; *@index is moved past the last. */
unsigned int find_get_pages_tag(struct address_space *mapping, pgoff_t *index,
				unsigned int tag, unsigned int nr,
				struct page **pages);

/*
 * Insert the new @page (not in any cache, unlocked, one reference held
 * by the caller) at @index: the page is locked and the cache takes its
 * own reference. 0, -EEXIST (someone was faster) or -ENOMEM.
 */
int add_to_page_cache(struct page *page, struct address_space *mapping,
		      pgoff_t index, gfp_t gfp);
/* Take the locked @page out of its mapping; drops the cache's reference. */
void delete_from_page_cache(struct page *page);

/*
 * The uptodate page at @index, read through ->readpage when needed
 * (waiting for it): a reference, unlocked; ERR_PTR(-EIO) when the read
 * failed, ERR_PTR(-ENOMEM).
 */
struct page *read_mapping_page(struct address_space *mapping, pgoff_t index,
			       struct file *file);

/* A page for a buffered write at @index: locked, with a reference. */
struct page *grab_cache_page_write_begin(struct address_space *mapping,
					 pgoff_t index);

/* ---- reading and writing files ------------------------------------------ */

/* read(), readv(), pread() of a cached file: ->aio_read. */
ssize_t generic_file_aio_read(struct kiocb *iocb, const struct iovec *iov,
			      unsigned long nr_segs, loff_t pos);
/* write() and friends: ->aio_write. Takes i_mutex, checks limits
 * (RLIMIT_FSIZE, s_maxbytes), removes setuid, updates times, copies
 * through ->write_begin/->write_end, and syncs for O_SYNC/O_DSYNC. */
ssize_t generic_file_aio_write(struct kiocb *iocb, const struct iovec *iov,
			       unsigned long nr_segs, loff_t pos);
/* The start of any write to a file, i_mutex held: generic_write_checks()
 * (which may move ki_pos for O_APPEND and cut @iter), the setuid bits
 * removed, the times updated. The bytes to write, 0 or -errno. */
ssize_t generic_write_prepare(struct kiocb *iocb, struct iov_iter *iter);
/* The copy loop of a buffered write, i_mutex held; returns the bytes
 * written or an errno when none were. */
ssize_t generic_perform_write(struct file *file, struct iov_iter *iter,
			      loff_t pos);
/* ->write_end for pages without buffers: marks the page dirty and
 * uptodate, grows i_size, unlocks and releases the page. */
int simple_write_end(struct file *file, struct address_space *mapping,
		     loff_t pos, unsigned int len, unsigned int copied,
		     struct page *page, void *fsdata);
/* ->write_begin for memory-only files: the page, zero-filled if new. */
int simple_write_begin(struct file *file, struct address_space *mapping,
		       loff_t pos, unsigned int len, struct page **pagep,
		       void **fsdata);
/* ->readpage of a file whose storage is memory: a zero page. */
int simple_readpage(struct file *file, struct page *page);

/* ---- truncation and invalidation (mm/truncate.c) ------------------------ */

/*
 * Remove the pages from byte @lstart to @lend (inclusive; -1: the end),
 * waiting for their write-back; a partial first page is zeroed from
 * @lstart. Dirty pages are dropped unwritten. Caller holds i_mutex (or
 * the inode is dying).
 */
void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart,
				loff_t lend);
void truncate_inode_pages(struct address_space *mapping, loff_t lstart);
/* i_size = @newsize and the cache cut to match (mappings unmapped
 * first, so that a fault past the new end gets SIGBUS). i_mutex held. */
void truncate_setsize(struct inode *inode, loff_t newsize);
void truncate_pagecache(struct inode *inode, loff_t newsize);
/* Drop the clean, unlocked, unmapped pages of [@start, @end]: returns how
 * many (drop_caches). */
unsigned long invalidate_mapping_pages(struct address_space *mapping,
				       pgoff_t start, pgoff_t end);
/* Remove every page of [@start, @end], writing dirty ones first (after
 * a direct write). 0 or -EBUSY if one could not go. */
int invalidate_inode_pages2_range(struct address_space *mapping, pgoff_t start,
				  pgoff_t end);

/* ---- write-back of a mapping (mm/page-writeback.c) ---------------------- */

/* Mark @page dirty through its mapping's method; returns true if it was
 * clean. Takes care of the tag, the counters and the inode's dirty state. */
bool set_page_dirty(struct page *page);
/* The default: no buffers to dirty. */
int __set_page_dirty_nobuffers(struct page *page);
/* Before writing @page (locked): clear PG_dirty and the count; true if it
 * was dirty (and must be written). */
bool clear_page_dirty_for_io(struct page *page);
/* Account the end of a page's dirtiness without write-back (truncate). */
void cancel_dirty_page(struct page *page);

/* Start writing the dirty pages of [@start, @end] bytes; with @sync wait
 * for none of it. 0 or the first error. */
int filemap_fdatawrite_range(struct address_space *mapping, loff_t start,
			     loff_t end);
int filemap_fdatawrite(struct address_space *mapping);
/* Wait for the write-back of [@start, @end]; reports (and clears) the
 * mapping's recorded error: 0, -EIO or -ENOSPC. */
int filemap_fdatawait_range(struct address_space *mapping, loff_t start,
			    loff_t end);
int filemap_fdatawait(struct address_space *mapping);
/* Both. */
int filemap_write_and_wait_range(struct address_space *mapping, loff_t start,
				 loff_t end);
int filemap_write_and_wait(struct address_space *mapping);

/* ---- read-ahead (mm/readahead.c) ---------------------------------------- */

/* The default largest window: 512 KiB. Linux's is 128 KiB, but its
 * read-ahead builds one bio per run of pages (mpage_readahead) and its
 * windows reach the disk as ~640 KiB requests; Kestrel's readpage is a
 * bio per page, merged by the elevator within one window, so a larger
 * window is what makes large requests (docs/bench.md, "File systems"). */
#define VM_READAHEAD_PAGES 128

void file_ra_state_init(struct file_ra_state *ra,
			struct address_space *mapping);
/* A read of @req pages at @index missed the cache: read a window. */
void page_cache_sync_readahead(struct address_space *mapping,
			       struct file_ra_state *ra, struct file *file,
			       pgoff_t index, unsigned long req);
/* A read reached a page marked for read-ahead: read the next window. */
void page_cache_async_readahead(struct address_space *mapping,
				struct file_ra_state *ra, struct file *file,
				struct page *page, pgoff_t index,
				unsigned long req);
/* Start reading [@index, @index + @nr) (those not cached); the
 * MADV_WILLNEED and fadvise path. */
void force_page_cache_readahead(struct address_space *mapping,
				struct file *file, pgoff_t index,
				unsigned long nr);

/* ---- reclaim of clean cached pages (mm/vmscan.c) ------------------------ */

/* A page entering / leaving the cache joins / leaves the LRU list. */
void lru_cache_add(struct page *page);
void lru_cache_del(struct page *page);
/* Someone used @page: reclaim passes it over once more. */
static inline void mark_page_accessed(struct page *page)
{
	if (!PageReferenced(page))
		SetPageReferenced(page);
}
/* shrink_page_cache(): <kestrel/swap.h>. */

/* Pages in the block devices' mappings (meminfo's Buffers). */
unsigned long nr_blockdev_pages(void);

/* Unmap the pages of [@holebegin, @holebegin + @holelen) bytes (0: to
 * the end) of @mapping from every process mapping them; @even_cows: the
 * private copies too (truncation). mm/ (file mappings). */
void unmap_mapping_range(struct address_space *mapping, loff_t holebegin,
			 loff_t holelen, bool even_cows);

/* Boot: the page wait queues. */
void filemap_init(void);

#endif /* _KESTREL_PAGEMAP_H */
