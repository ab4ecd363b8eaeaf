/*
 * Buffer heads (fs/buffer.c): one block of a disk, seen through the
 * page of the page cache that holds it. A file system whose blocks are
 * smaller than a page (ext2 with 1 KiB blocks) reads and writes its
 * metadata a block at a time, and a file page whose blocks are not
 * adjacent on the disk is read and written a block at a time too.
 *
 * A page with buffers has PG_private set and page->private pointing at
 * the first buffer head; the buffers of one page form a ring through
 * b_this_page. fs/buffer.c opens with the picture and the rules.
 */
#ifndef _KESTREL_BUFFER_HEAD_H
#define _KESTREL_BUFFER_HEAD_H

#include <kestrel/atomic.h>
#include <kestrel/bitops.h>
#include <kestrel/fs.h>
#include <kestrel/list.h>
#include <kestrel/mm.h>
#include <kestrel/pagemap.h>
#include <kestrel/types.h>

struct block_device;
struct buffer_head;

/* b_state bits (atomic: I/O completions change them). */
enum bh_state_bits {
	BH_Uptodate, /* holds the block's data */
	BH_Dirty, /* newer than the disk: write it */
	BH_Lock, /* under I/O, or held by one task to start some */
	BH_Mapped, /* b_bdev and b_blocknr say where it is on the disk */
	BH_New, /* get_block just allocated it: nothing on disk yet */
	BH_Boundary, /* the next block of the file is not the next on disk */
	BH_Async_Read, /* part of a page's read (block_read_full_page) */
	BH_Async_Write, /* part of a page's write-back */
	BH_Write_EIO, /* the last write failed */
};

typedef void(bh_end_io_t)(struct buffer_head *bh, int uptodate);

/**
 * struct buffer_head - one disk block in a page
 * @b_state: BH_* bits
 * @b_this_page: the next buffer of the same page (a ring)
 * @b_page: the page holding the data
 * @b_blocknr: the block number on @b_bdev, in units of @b_size (BH_Mapped)
 * @b_size: the block size in bytes
 * @b_data: the data: page_address(b_page) + the buffer's offset
 * @b_bdev: the device (BH_Mapped)
 * @b_end_io: called when its I/O ends; @b_private is the caller's
 * @b_assoc_buffers, @b_assoc_map: on an inode mapping's private_list
 *     (mark_buffer_dirty_inode): a metadata block fsync must write
 * @b_count: users (get_bh/put_bh); a buffer in use is never freed
 */
struct buffer_head {
	unsigned long b_state;
	struct buffer_head *b_this_page;
	struct page *b_page;
	sector_t b_blocknr;
	size_t b_size;
	char *b_data;
	struct block_device *b_bdev;
	bh_end_io_t *b_end_io;
	void *b_private;
	struct list_head b_assoc_buffers;
	struct address_space *b_assoc_map;
	atomic_t b_count;
};

#define BUFFER_FNS(bit, name)                                               \
	static inline void set_buffer_##name(struct buffer_head *bh)        \
	{                                                                   \
		set_bit(BH_##bit, &bh->b_state);                            \
	}                                                                   \
	static inline void clear_buffer_##name(struct buffer_head *bh)      \
	{                                                                   \
		clear_bit(BH_##bit, &bh->b_state);                          \
	}                                                                   \
	static inline bool buffer_##name(const struct buffer_head *bh)      \
	{                                                                   \
		return test_bit(BH_##bit, &bh->b_state);                    \
	}                                                                   \
	static inline bool test_set_buffer_##name(struct buffer_head *bh)   \
	{                                                                   \
		return test_and_set_bit(BH_##bit, &bh->b_state);            \
	}                                                                   \
	static inline bool test_clear_buffer_##name(struct buffer_head *bh) \
	{                                                                   \
		return test_and_clear_bit(BH_##bit, &bh->b_state);          \
	}

BUFFER_FNS(Uptodate, uptodate)
BUFFER_FNS(Dirty, dirty)
BUFFER_FNS(Lock, locked)
BUFFER_FNS(Mapped, mapped)
BUFFER_FNS(New, new)
BUFFER_FNS(Boundary, boundary)
BUFFER_FNS(Async_Read, async_read)
BUFFER_FNS(Async_Write, async_write)
BUFFER_FNS(Write_EIO, write_io_error)

static inline struct buffer_head *page_buffers(const struct page *page)
{
	return (struct buffer_head *)page->private;
}

static inline unsigned long bh_offset(const struct buffer_head *bh)
{
	return (unsigned long)bh->b_data & ~PAGE_MASK;
}

static inline void get_bh(struct buffer_head *bh)
{
	atomic_inc(&bh->b_count);
}

static inline void put_bh(struct buffer_head *bh)
{
	atomic_dec(&bh->b_count);
}

/*
 * Find the disk block of file block @iblock of @inode and map @bh_result
 * to it (map_bh); with @create, allocate one for a hole (and set BH_New).
 * A hole without @create leaves @bh_result unmapped. 0 or -errno.
 */
typedef int(get_block_t)(struct inode *inode, sector_t iblock,
			 struct buffer_head *bh_result, int create);

static inline void map_bh(struct buffer_head *bh, struct super_block *sb,
			  sector_t block)
{
	set_buffer_mapped(bh);
	bh->b_bdev = sb->s_bdev;
	bh->b_blocknr = block;
	bh->b_size = sb->s_blocksize;
}

/* ---- the buffer lock ---------------------------------------------------- */

/* Sleep until @bh is ours to lock. Context: process. */
void lock_buffer(struct buffer_head *bh);
static inline bool trylock_buffer(struct buffer_head *bh)
{
	return !test_set_buffer_locked(bh);
}
/* Release it and wake its waiters. Any context. */
void unlock_buffer(struct buffer_head *bh);
/* Sleep until @bh is unlocked (its I/O has ended). */
void wait_on_buffer(struct buffer_head *bh);

/* ---- metadata blocks of a device's cache -------------------------------- */

/* The buffer of block @block (@size bytes) of @bdev with a reference,
 * created if absent (not read: check buffer_uptodate). NULL: no memory,
 * or the page holds busy buffers of another size. */
struct buffer_head *__getblk(struct block_device *bdev, sector_t block,
			     unsigned int size);
/* The same, read from the disk if needed; NULL on a read error. */
/* Start reading @block if it is not cached (and not busy); no wait. */
void __breadahead(struct block_device *bdev, sector_t block, unsigned int size);
struct buffer_head *__bread(struct block_device *bdev, sector_t block,
			    unsigned int size);
/* The cached buffer, or NULL (no I/O, no allocation). */
struct buffer_head *__find_get_block(struct block_device *bdev, sector_t block,
				     unsigned int size);

static inline struct buffer_head *sb_bread(struct super_block *sb,
					   sector_t block)
{
	return __bread(sb->s_bdev, block, sb->s_blocksize);
}

static inline void sb_breadahead(struct super_block *sb, sector_t block)
{
	__breadahead(sb->s_bdev, block, sb->s_blocksize);
}

static inline struct buffer_head *sb_getblk(struct super_block *sb,
					    sector_t block)
{
	return __getblk(sb->s_bdev, block, sb->s_blocksize);
}

/* Drop a reference (NULL is ignored). */
void brelse(struct buffer_head *bh);
static inline void __brelse(struct buffer_head *bh)
{
	put_bh(bh);
}
/* The block was freed: forget that it is dirty, then brelse. */
void bforget(struct buffer_head *bh);

/* Mark @bh (uptodate) dirty, and its page dirty in its mapping. */
void mark_buffer_dirty(struct buffer_head *bh);
/* The same, and remember it on @inode's mapping for fsync. */
void mark_buffer_dirty_inode(struct buffer_head *bh, struct inode *inode);
/* Write and wait for the buffers mark_buffer_dirty_inode() remembered. */
int sync_mapping_buffers(struct address_space *mapping);
/* Forget them (the inode is going away). */
void invalidate_inode_buffers(struct inode *inode);
/* Write @bh now if dirty and wait: 0 or -EIO. */
int sync_dirty_buffer(struct buffer_head *bh);
/* Read @bh if not uptodate and wait: 0 or -EIO. */
int bh_read(struct buffer_head *bh);

/* Start I/O on a locked buffer (@op REQ_OP_READ or REQ_OP_WRITE); its
 * b_end_io runs when done. One bio per buffer. 0 or -ENOMEM. */
int submit_bh(int op, struct buffer_head *bh);
/* The b_end_io of synchronous I/O: record, unlock, put_bh. */
void end_buffer_read_sync(struct buffer_head *bh, int uptodate);
void end_buffer_write_sync(struct buffer_head *bh, int uptodate);

/* A block just allocated may still have a dirty buffer from its former
 * life as metadata: make sure that old content is never written. */
void unmap_underlying_metadata(struct block_device *bdev, sector_t block);

/* ---- pages of files ----------------------------------------------------- */

/* Give @page (locked) buffers of @blocksize, with @b_state bits:
 * 0 or -ENOMEM. */
int create_empty_buffers(struct page *page, unsigned long blocksize,
			 unsigned long b_state);
int block_read_full_page(struct page *page, get_block_t *get_block);

/*
 * O_DIRECT on a file whose blocks @get_block maps (fs/block_dev.c): the
 * user's pages are pinned and the bios go straight to the file's disk
 * blocks, a bio per run of consecutive blocks; a hole reads as zeros.
 * Linux's rules: position and segments aligned to the device's logical
 * block size (else EINVAL); a read stops at the end of the file. The
 * byte count, -errno, or -EIOCBQUEUED (an io_submit request: its
 * completion comes from the disk's interrupt). A write that needs
 * blocks allocated (a hole, or past the end) is not done: -ENOTBLK, and
 * the caller writes it through the page cache instead.
 */
ssize_t blockdev_direct_IO(struct kiocb *iocb, const struct iovec *iov,
			   unsigned long nr_segs, bool write,
			   get_block_t *get_block);
int block_write_full_page(struct page *page, get_block_t *get_block,
			  struct writeback_control *wbc);
/* Map (allocating) and read what [@pos, @pos + @len) of @page does not
 * cover; the page is locked. 0 or -errno. */
int __block_write_begin(struct page *page, loff_t pos, unsigned int len,
			get_block_t *get_block);
int block_write_begin(struct address_space *mapping, loff_t pos,
		      unsigned int len, struct page **pagep,
		      get_block_t *get_block);
/* Dirty the buffers written; the page stays locked and referenced. */
int block_write_end(struct file *file, struct address_space *mapping,
		    loff_t pos, unsigned int len, unsigned int copied,
		    struct page *page, void *fsdata);
/* block_write_end, i_size, then unlock and release the page. */
int generic_write_end(struct file *file, struct address_space *mapping,
		      loff_t pos, unsigned int len, unsigned int copied,
		      struct page *page, void *fsdata);
/* Zero the part of the block containing @from past @from (truncate). */
int block_truncate_page(struct address_space *mapping, loff_t from,
			get_block_t *get_block);
sector_t generic_block_bmap(struct address_space *mapping, sector_t block,
			    get_block_t *get_block);
/* ->set_page_dirty of mappings with buffers: every buffer dirty. */
int __set_page_dirty_buffers(struct page *page);
/* ->invalidatepage: drop the buffers of the truncated part. */
void block_invalidatepage(struct page *page, unsigned int offset,
			  unsigned int length);
/* ->releasepage: free @page's buffers if none is busy or dirty. */
bool try_to_free_buffers(struct page *page);

/* ---- the device's block size -------------------------------------------- */

/* Use @size-byte blocks on @bdev: 512 .. PAGE_SIZE, a power of two, at
 * least the logical block size. Writes and drops the cached buffers of
 * the old size. 0 or -EINVAL. */
int set_blocksize(struct block_device *bdev, unsigned int size);
/* set_blocksize() and the super_block's s_blocksize: the size, or 0. */
unsigned int sb_set_blocksize(struct super_block *sb, unsigned int size);

/* Buffer heads in use (tests). */
long nr_buffer_heads(void);

#endif /* _KESTREL_BUFFER_HEAD_H */
