/*
 * ext2: directories (docs/ext2.md, "Directories"), as Linux's ext2 keeps
 * them: in the directory inode's own page cache, read with
 * read_mapping_page() and changed with the buffer helpers, like file
 * data.
 *
 * A directory block is a chain of entries, each rec_len bytes long, that
 * exactly tiles the block; an entry with inode 0 is free space:
 *
 *	| 2 "."  12 | 2 ".."  12 | 14 "a.txt" 16 | 0 (free) 984 |
 *	  inode name rec_len
 *
 * Adding a name takes a free entry big enough, or splits an entry whose
 * rec_len is longer than its name needs; at the end of the directory a
 * new block is added (i_size grows). Removing a name merges its space
 * into the entry before it in the block (coalescing), or marks it free
 * if it is the block's first. A name is found by walking the blocks,
 * starting from the page where the last lookup succeeded.
 *
 * Before a page is used, every entry in it is checked: rec_len at least
 * 12, a multiple of 4, big enough for the name, not crossing a block
 * boundary; the inode number within the file system. A page that fails
 * is reported (ext2_error) and its directory operation gets -EIO: no
 * walk of a corrupted block can loop or run outside the page.
 *
 * The dir_index (htree) feature keeps an index in the first block of a
 * big directory, disguised as a free entry: reading linearly still sees
 * every name. Any change clears EXT2_INDEX_FL, as Linux's ext2 does, so
 * that e2fsck rebuilds the index instead of trusting a stale one.
 *
 * All changes run under the directory's i_mutex (the VFS takes it).
 */
#include <kestrel/errno.h>
#include <kestrel/pagemap.h>
#include <kestrel/string.h>
#include <kestrel/writeback.h>
#include <uapi/dirent.h>

#include "ext2.h"

static unsigned int chunk_size(struct inode *inode)
{
	return (unsigned int)inode->i_sb->s_blocksize;
}

static unsigned long dir_pages(struct inode *inode)
{
	return (unsigned long)((inode->i_size + PAGE_SIZE - 1) >> PAGE_SHIFT);
}

/* The bytes of page @n that are inside the directory. */
static unsigned int last_byte(struct inode *inode, unsigned long n)
{
	loff_t last = inode->i_size - ((loff_t)n << PAGE_SHIFT);

	return last > (loff_t)PAGE_SIZE ? PAGE_SIZE : (unsigned int)last;
}

static struct ext2_dir_entry_2 *next_entry(struct ext2_dir_entry_2 *de)
{
	return (struct ext2_dir_entry_2 *)((char *)de + de->rec_len);
}

static loff_t page_pos(const struct page *page)
{
	return (loff_t)page->index << PAGE_SHIFT;
}

void ext2_put_page(struct page *page)
{
	put_page(page);
}

/* Is every entry of the directory page sane? (see above) */
static bool ext2_check_page(struct inode *dir, struct page *page)
{
	struct super_block *sb = dir->i_sb;
	unsigned int chunk = chunk_size(dir), limit = PAGE_SIZE, offs = 0,
		     rec_len;
	char *kaddr = page_address(page);
	struct ext2_dir_entry_2 *p = NULL;
	const char *why;

	if ((dir->i_size >> PAGE_SHIFT) == (loff_t)page->index) {
		limit = dir->i_size & ~PAGE_MASK;
		if (limit & (chunk - 1)) {
			why = "size of directory is not a multiple of chunk size";
			goto bad;
		}
	}
	for (offs = 0; limit && offs <= limit - EXT2_DIR_REC_LEN(1);
	     offs += rec_len) {
		p = (struct ext2_dir_entry_2 *)(kaddr + offs);
		rec_len = p->rec_len;
		if (rec_len < EXT2_DIR_REC_LEN(1))
			why = "rec_len is smaller than minimal";
		else if (rec_len & 3)
			why = "unaligned directory entry";
		else if (rec_len < EXT2_DIR_REC_LEN(p->name_len))
			why = "rec_len is too small for name_len";
		else if (((offs + rec_len - 1) ^ offs) & ~(chunk - 1))
			why = "directory entry across blocks";
		else if (p->inode > EXT2_SB(sb)->s_inodes_count)
			why = "inode out of bounds";
		else
			continue;
		goto bad;
	}
	if (offs == limit)
		return true;
	why = "entries do not end at the end of the block";
bad:
	EXT2_ERROR(
		sb,
		"bad entry in directory #%lu: %s - offset=%llu, inode=%u, rec_len=%u, name_len=%u",
		dir->i_ino, why, (unsigned long long)page_pos(page) + offs,
		p ? p->inode : 0, p ? p->rec_len : 0, p ? p->name_len : 0);
	return false;
}

/*
 * Page @n of @dir, uptodate and checked: a reference, or ERR_PTR. A page
 * is checked once after it is read (PG_checked, as Linux's ext2): what
 * ext2 itself writes into it keeps it sane, and a page read again from
 * the disk is a new page, checked again.
 */
static struct page *ext2_get_page(struct inode *dir, unsigned long n)
{
	struct page *page = read_mapping_page(dir->i_mapping, n, NULL);

	if (IS_ERR(page) || PageChecked(page))
		return page;
	if (!ext2_check_page(dir, page)) {
		put_page(page);
		return ERR_PTR(-EIO);
	}
	SetPageChecked(page);
	return page;
}

static bool ext2_match(unsigned int len, const char *name,
		       const struct ext2_dir_entry_2 *de)
{
	return len == de->name_len && de->inode && !memcmp(name, de->name, len);
}

static const unsigned char ext2_filetype_table[EXT2_FT_MAX] = {
	[EXT2_FT_UNKNOWN] = DT_UNKNOWN, [EXT2_FT_REG_FILE] = DT_REG,
	[EXT2_FT_DIR] = DT_DIR,		[EXT2_FT_CHRDEV] = DT_CHR,
	[EXT2_FT_BLKDEV] = DT_BLK,	[EXT2_FT_FIFO] = DT_FIFO,
	[EXT2_FT_SOCK] = DT_SOCK,	[EXT2_FT_SYMLINK] = DT_LNK,
};

static bool has_filetype(struct super_block *sb)
{
	struct ext2_super_block *es = EXT2_SB(sb)->s_es;

	return es->s_rev_level > EXT2_GOOD_OLD_REV &&
	       (es->s_feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE);
}

static void set_de_type(struct ext2_dir_entry_2 *de, struct inode *inode)
{
	umode_t m = inode->i_mode & S_IFMT;

	de->file_type = EXT2_FT_UNKNOWN;
	if (!has_filetype(inode->i_sb))
		return;
	if (m == S_IFREG)
		de->file_type = EXT2_FT_REG_FILE;
	else if (m == S_IFDIR)
		de->file_type = EXT2_FT_DIR;
	else if (m == S_IFLNK)
		de->file_type = EXT2_FT_SYMLINK;
	else if (m == S_IFCHR)
		de->file_type = EXT2_FT_CHRDEV;
	else if (m == S_IFBLK)
		de->file_type = EXT2_FT_BLKDEV;
	else if (m == S_IFIFO)
		de->file_type = EXT2_FT_FIFO;
	else if (m == S_IFSOCK)
		de->file_type = EXT2_FT_SOCK;
}

/* ---- changing a directory page ------------------------------------------ */

static int prepare_chunk(struct page *page, loff_t pos, unsigned int len)
{
	return __block_write_begin(page, pos, len, ext2_get_block);
}

/* The change is in the page: dirty it, grow i_size, unlock the page. */
static void commit_chunk(struct page *page, loff_t pos, unsigned int len)
{
	struct inode *dir = page->mapping->host;

	block_write_end(NULL, page->mapping, pos, len, len, page, NULL);
	if (pos + len > dir->i_size) {
		i_size_write(dir, pos + len);
		mark_inode_dirty(dir);
	}
	unlock_page(page);
}

/* After a change: times, and the hash index is no longer right. */
static void dir_changed(struct inode *dir)
{
	dir->i_mtime = dir->i_ctime = current_time(dir);
	EXT2_I(dir)->i_flags &= ~EXT2_INDEX_FL;
	mark_inode_dirty(dir);
}

/* ---- readdir ------------------------------------------------------------ */

/* The first entry at or after @offset in its block: a position from a
 * reader may not be an entry's start (the directory changed). */
static unsigned int validate_offset(char *kaddr, unsigned int offset,
				    unsigned int chunk)
{
	unsigned int p = offset & ~(chunk - 1);

	while (p < offset)
		p += ((struct ext2_dir_entry_2 *)(kaddr + p))->rec_len;
	return p;
}

static int ext2_readdir(struct file *file, struct dir_context *ctx)
{
	struct inode *inode = file_inode(file);
	struct super_block *sb = inode->i_sb;
	unsigned long n, npages = dir_pages(inode);
	unsigned int offset, type;
	struct ext2_dir_entry_2 *de;
	struct page *page;
	char *kaddr, *limit;

	if (ctx->pos < 0 || ctx->pos > inode->i_size - EXT2_DIR_REC_LEN(1))
		return 0;
	n = (unsigned long)(ctx->pos >> PAGE_SHIFT);
	offset = ctx->pos & ~PAGE_MASK;
	for (; n < npages; n++, offset = 0) {
		page = ext2_get_page(inode, n);
		if (IS_ERR(page)) {
			ctx->pos += PAGE_SIZE - offset;
			return PTR_ERR(page);
		}
		kaddr = page_address(page);
		if (offset) {
			offset = validate_offset(kaddr, offset,
						 chunk_size(inode));
			ctx->pos = ((loff_t)n << PAGE_SHIFT) + offset;
		}
		limit = kaddr + last_byte(inode, n) - EXT2_DIR_REC_LEN(1);
		for (de = (struct ext2_dir_entry_2 *)(kaddr + offset);
		     (char *)de <= limit; de = next_entry(de)) {
			if (de->inode) {
				type = has_filetype(sb) && de->file_type <
								   EXT2_FT_MAX ?
					       ext2_filetype_table[de->file_type] :
					       DT_UNKNOWN;
				if (!dir_emit(ctx, de->name, de->name_len,
					      de->inode, type)) {
					put_page(page);
					return 0;
				}
			}
			ctx->pos += de->rec_len;
		}
		put_page(page);
	}
	return 0;
}

/* ---- lookup ------------------------------------------------------------- */

struct ext2_dir_entry_2 *ext2_find_entry(struct inode *dir,
					 const struct qstr *name,
					 struct page **res_page, int *err)
{
	struct ext2_inode_info *ei = EXT2_I(dir);
	unsigned int reclen = EXT2_DIR_REC_LEN(name->len);
	unsigned long start, n, npages = dir_pages(dir);
	struct ext2_dir_entry_2 *de;
	struct page *page;
	char *kaddr;

	*res_page = NULL;
	*err = -ENOENT;
	if (!npages)
		return NULL;
	start = ei->i_dir_start_lookup < npages ? ei->i_dir_start_lookup : 0;
	n = start;
	do {
		page = ext2_get_page(dir, n);
		if (IS_ERR(page)) {
			*err = PTR_ERR(page);
			return NULL;
		}
		kaddr = page_address(page);
		de = (struct ext2_dir_entry_2 *)kaddr;
		kaddr += last_byte(dir, n) - reclen;
		for (; (char *)de <= kaddr; de = next_entry(de)) {
			if (ext2_match(name->len, name->name, de)) {
				*res_page = page;
				ei->i_dir_start_lookup = n;
				*err = 0;
				return de;
			}
		}
		put_page(page);
		if (++n >= npages)
			n = 0;
	} while (n != start);
	return NULL;
}

unsigned long ext2_inode_by_name(struct inode *dir, const struct qstr *name,
				 int *err)
{
	struct page *page;
	struct ext2_dir_entry_2 *de = ext2_find_entry(dir, name, &page, err);
	unsigned long ino;

	if (!de)
		return 0;
	ino = de->inode;
	put_page(page);
	return ino;
}

struct ext2_dir_entry_2 *ext2_dotdot(struct inode *dir, struct page **p,
				     int *err)
{
	struct page *page = ext2_get_page(dir, 0);
	struct ext2_dir_entry_2 *de;

	*p = NULL;
	if (IS_ERR(page)) {
		*err = PTR_ERR(page);
		return NULL;
	}
	de = next_entry((struct ext2_dir_entry_2 *)page_address(page));
	if ((char *)de - (char *)page_address(page) >=
		    (long)last_byte(dir, 0) ||
	    de->name_len != 2 || memcmp(de->name, "..", 2)) {
		EXT2_ERROR(dir->i_sb, "directory #%lu: no \"..\" entry",
			   dir->i_ino);
		put_page(page);
		*err = -EIO;
		return NULL;
	}
	*p = page;
	return de;
}

/* ---- changes ------------------------------------------------------------ */

int ext2_set_link(struct inode *dir, struct ext2_dir_entry_2 *de,
		  struct page *page, struct inode *inode)
{
	loff_t pos = page_pos(page) + ((char *)de - (char *)page_address(page));
	unsigned int len = de->rec_len;
	int err;

	lock_page(page);
	err = prepare_chunk(page, pos, len);
	if (err) {
		unlock_page(page);
		put_page(page);
		return err;
	}
	de->inode = (u32)inode->i_ino;
	set_de_type(de, inode);
	commit_chunk(page, pos, len);
	put_page(page);
	dir_changed(dir);
	return 0;
}

/*
 * Look for room for a @reclen-byte entry named @name in the locked page
 * @n: the entry to use (*@split: how many of its bytes the old name
 * keeps, 0 if free), or NULL with *@err set (-EEXIST) or 0 (no room).
 */
static struct ext2_dir_entry_2 *find_room(struct inode *dir, struct page *page,
					  unsigned long n,
					  const struct qstr *name,
					  unsigned int *split, int *err)
{
	unsigned int reclen = EXT2_DIR_REC_LEN(name->len), used;
	char *kaddr = page_address(page);
	char *dir_end = kaddr + last_byte(dir, n);
	char *top = kaddr + PAGE_SIZE - reclen;
	struct ext2_dir_entry_2 *de = (struct ext2_dir_entry_2 *)kaddr;

	*err = 0;
	for (; (char *)de <= top; de = next_entry(de)) {
		if ((char *)de == dir_end) { /* past i_size: a new block */
			de->rec_len = (u16)chunk_size(dir);
			de->inode = 0;
			*split = 0;
			return de;
		}
		if (ext2_match(name->len, name->name, de)) {
			*err = -EEXIST;
			return NULL;
		}
		used = EXT2_DIR_REC_LEN(de->name_len);
		if (!de->inode && de->rec_len >= reclen) {
			*split = 0;
			return de;
		}
		if (de->inode && de->rec_len >= used + reclen) {
			*split = used;
			return de;
		}
	}
	return NULL;
}

int ext2_add_link(struct dentry *dentry, struct inode *inode)
{
	struct inode *dir = dentry->d_parent->d_inode;
	const struct qstr *name = &dentry->d_name;
	unsigned long n, npages = dir_pages(dir);
	struct ext2_dir_entry_2 *de = NULL, *de1;
	unsigned int split = 0, rec_len;
	struct page *page = NULL;
	loff_t pos;
	int err = 0;

	for (n = 0; n <= npages; n++) {
		page = ext2_get_page(dir, n);
		if (IS_ERR(page))
			return PTR_ERR(page);
		lock_page(page);
		de = find_room(dir, page, n, name, &split, &err);
		if (de || err)
			break;
		unlock_page(page);
		put_page(page);
	}
	if (!de && !err)
		return -EIO; /* cannot happen: the last page is new */
	if (err)
		goto out_unlock;
	rec_len = de->rec_len;
	pos = page_pos(page) + ((char *)de - (char *)page_address(page));
	err = prepare_chunk(page, pos, rec_len);
	if (err)
		goto out_unlock;
	if (split) { /* the old name keeps its bytes, the rest is ours */
		de1 = (struct ext2_dir_entry_2 *)((char *)de + split);
		de1->rec_len = (u16)(rec_len - split);
		de->rec_len = (u16)split;
		de = de1;
	}
	de->name_len = (u8)name->len;
	memcpy(de->name, name->name, name->len);
	de->inode = (u32)inode->i_ino;
	set_de_type(de, inode);
	commit_chunk(page, pos, rec_len);
	put_page(page);
	dir_changed(dir);
	return 0;
out_unlock:
	unlock_page(page);
	put_page(page);
	return err;
}

int ext2_delete_entry(struct ext2_dir_entry_2 *dir, struct page *page)
{
	struct inode *inode = page->mapping->host;
	char *kaddr = page_address(page);
	unsigned int from = ((char *)dir - kaddr) & ~(chunk_size(inode) - 1);
	unsigned int to = ((char *)dir - kaddr) + dir->rec_len;
	struct ext2_dir_entry_2 *pde = NULL;
	struct ext2_dir_entry_2 *de = (struct ext2_dir_entry_2 *)(kaddr + from);
	loff_t pos;
	int err;

	while (de < dir) { /* the entry before, to merge into */
		pde = de;
		de = next_entry(de);
	}
	if (pde)
		from = (unsigned int)((char *)pde - kaddr);
	pos = page_pos(page) + from;
	lock_page(page);
	err = prepare_chunk(page, pos, to - from);
	if (err) {
		unlock_page(page);
		put_page(page);
		return err;
	}
	if (pde)
		pde->rec_len = (u16)(to - from);
	dir->inode = 0;
	commit_chunk(page, pos, to - from);
	put_page(page);
	dir_changed(inode);
	return 0;
}

int ext2_make_empty(struct inode *inode, struct inode *parent)
{
	struct page *page = find_or_create_page(inode->i_mapping, 0, GFP_NOFS);
	unsigned int chunk = chunk_size(inode);
	struct ext2_dir_entry_2 *de;
	int err;

	if (!page)
		return -ENOMEM;
	err = prepare_chunk(page, 0, chunk);
	if (err) {
		unlock_page(page);
		put_page(page);
		return err;
	}
	memset(page_address(page), 0, chunk);
	de = page_address(page);
	de->name_len = 1;
	de->rec_len = EXT2_DIR_REC_LEN(1);
	memcpy(de->name, ".\0\0", 4);
	de->inode = (u32)inode->i_ino;
	set_de_type(de, inode);
	de = next_entry(de);
	de->name_len = 2;
	de->rec_len = (u16)(chunk - EXT2_DIR_REC_LEN(1));
	de->inode = (u32)parent->i_ino;
	memcpy(de->name, "..\0", 4);
	set_de_type(de, inode);
	commit_chunk(page, 0, chunk);
	put_page(page);
	return 0;
}

/* Only "." and ".."? An unreadable directory counts as not empty. */
int ext2_empty_dir(struct inode *inode)
{
	unsigned long n, npages = dir_pages(inode);
	struct ext2_dir_entry_2 *de;
	struct page *page;
	char *kaddr;

	for (n = 0; n < npages; n++) {
		page = ext2_get_page(inode, n);
		if (IS_ERR(page))
			return 0;
		kaddr = page_address(page);
		de = (struct ext2_dir_entry_2 *)kaddr;
		kaddr += last_byte(inode, n) - EXT2_DIR_REC_LEN(1);
		for (; (char *)de <= kaddr; de = next_entry(de)) {
			if (!de->inode)
				continue;
			if (de->name[0] != '.' || de->name_len > 2)
				goto not_empty;
			if (de->name_len == 1 ? de->inode != inode->i_ino :
						de->name[1] != '.')
				goto not_empty;
		}
		put_page(page);
	}
	return 1;
not_empty:
	put_page(page);
	return 0;
}

const struct file_operations ext2_dir_operations = {
	.read = generic_read_dir,
	.iterate = ext2_readdir,
	.fsync = ext2_fsync,
};
