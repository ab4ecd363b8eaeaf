/*
 * ext2: inodes and their block maps (docs/ext2.md, "Files").
 *
 * An inode's data is found through i_block[15]:
 *
 *	i_block[0..11]  -> data blocks 0..11
 *	i_block[12]     -> indirect block  -> 256 data blocks (1 KiB blocks)
 *	i_block[13]     -> double indirect -> 256 indirect -> 65536 data
 *	i_block[14]     -> triple indirect -> ... -> 16M data blocks
 *
 * A zero pointer is a hole: it reads as zeroes, and a write allocates
 * the missing blocks top-down (ext2_get_block with @create), each new
 * indirect block zeroed before the pointer to it is set. Indirect blocks
 * are metadata: they live in the device's cache (sb_bread), dirtied with
 * mark_buffer_dirty_inode so that fsync writes them. Data pages are in
 * the inode's own cache, read and written a block at a time by the
 * buffer helpers of fs/buffer.c. truncate_mutex serialises the map's
 * changes (a write-back may allocate under a mapping while a truncate
 * frees).
 *
 * Every pointer is checked before it is followed (inside the data zone,
 * not metadata); a bad one is an ext2_error() and -EIO for that block,
 * nothing is written. An inode read from the table is checked too: its
 * number, type, size, and that it is not a deleted inode.
 */
#include <kestrel/blkdev.h>
#include <kestrel/errno.h>
#include <kestrel/pagemap.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/time.h>
#include <kestrel/writeback.h>

#include "ext2.h"

/* ---- reading and writing the disk inode --------------------------------- */

/* Inode-table blocks read ahead of one that is missing, as Linux's ext4
 * (inode_readahead_blks): a walk over a tree (find, ls -l) then waits for
 * one read of 32 blocks instead of 32 reads of one. */
#define EXT2_INODE_READAHEAD 32

/* Start reading the table blocks after @block of the group whose table
 * starts at @table, if @block is not cached. */
static void ext2_inode_readahead(struct super_block *sb, unsigned long table,
				 unsigned long block)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long end = table + sbi->s_itb_per_group, b;
	struct buffer_head *bh =
		__find_get_block(sb->s_bdev, block, sb->s_blocksize);
	struct blk_plug plug;
	bool cached = bh && buffer_uptodate(bh);

	brelse(bh);
	if (cached)
		return;
	if (end > sbi->s_blocks_count)
		end = sbi->s_blocks_count;
	blk_start_plug(&plug);
	for (b = block; b < end && b < block + EXT2_INODE_READAHEAD; b++)
		sb_breadahead(sb, b);
	blk_finish_plug(&plug);
}

/* The disk inode @ino in its table block (*@bh, a reference). */
static struct ext2_inode *ext2_get_inode(struct super_block *sb,
					 unsigned long ino,
					 struct buffer_head **bh)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_group_desc *gd;
	unsigned long offset, block;

	if ((ino != EXT2_ROOT_INO && ino < sbi->s_first_ino) ||
	    ino > sbi->s_inodes_count) {
		EXT2_ERROR(sb, "bad inode number: %lu", ino);
		return ERR_PTR(-EUCLEAN);
	}
	gd = ext2_get_group_desc(sb, (ino - 1) / sbi->s_inodes_per_group, NULL);
	if (!gd)
		return ERR_PTR(-EIO);
	offset = ((ino - 1) % sbi->s_inodes_per_group) * sbi->s_inode_size;
	block = gd->bg_inode_table + (offset >> sb->s_blocksize_bits);
	ext2_inode_readahead(sb, gd->bg_inode_table, block);
	*bh = sb_bread(sb, block);
	if (!*bh) {
		EXT2_ERROR(sb,
			   "unable to read inode block - inode=%lu, block=%lu",
			   ino, block);
		return ERR_PTR(-EIO);
	}
	offset &= sb->s_blocksize - 1;
	return (struct ext2_inode *)((*bh)->b_data + offset);
}

/* A symlink whose target is in i_block (no data block). */
static bool ext2_inode_is_fast_symlink(struct inode *inode)
{
	u64 ea_blocks =
		EXT2_I(inode)->i_file_acl ? inode->i_sb->s_blocksize >> 9 : 0;

	return S_ISLNK(inode->i_mode) && inode->i_blocks - ea_blocks == 0;
}

/* Inodes without pages of their own (devices, fifos, sockets, fast
 * symlinks): write-back may still ask their mapping (do_writepages). */
static const struct address_space_operations ext2_nopage_aops;

void ext2_set_inode_ops(struct inode *inode)
{
	inode->i_mapping->a_ops = &ext2_nopage_aops;
	if (S_ISREG(inode->i_mode)) {
		inode->i_op = &ext2_file_inode_operations;
		inode->i_fop = &ext2_file_operations;
		inode->i_mapping->a_ops = &ext2_aops;
	} else if (S_ISDIR(inode->i_mode)) {
		inode->i_op = &ext2_dir_inode_operations;
		inode->i_fop = &ext2_dir_operations;
		inode->i_mapping->a_ops = &ext2_aops;
	} else if (S_ISLNK(inode->i_mode)) {
		if (ext2_inode_is_fast_symlink(inode)) {
			char *target = (char *)EXT2_I(inode)->i_data;

			target[inode->i_size] = '\0';
			inode->i_link = target;
			inode->i_op = &ext2_fast_symlink_inode_operations;
		} else {
			inode->i_op = &ext2_symlink_inode_operations;
			inode->i_mapping->a_ops = &ext2_aops;
		}
	} else {
		u32 *data = EXT2_I(inode)->i_data;
		dev_t dev =
			data[0] ? MKDEV((data[0] >> 8) & 0xff, data[0] & 0xff) :
				  new_decode_dev(data[1]);

		inode->i_op = &ext2_special_inode_operations;
		init_special_inode(inode, inode->i_mode, dev);
	}
}

/* Is what ext2_iget read a sane inode? 0 or -EUCLEAN after ext2_error. */
static int check_inode(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	umode_t fmt = inode->i_mode & S_IFMT;
	loff_t size = inode->i_size;

	if (fmt != S_IFREG && fmt != S_IFDIR && fmt != S_IFLNK &&
	    fmt != S_IFCHR && fmt != S_IFBLK && fmt != S_IFIFO &&
	    fmt != S_IFSOCK) {
		EXT2_ERROR(sb, "inode %lu: bad mode 0%o", inode->i_ino,
			   inode->i_mode);
		return -EUCLEAN;
	}
	if (size < 0 || size > sb->s_maxbytes ||
	    (S_ISDIR(inode->i_mode) && (size & (sb->s_blocksize - 1))) ||
	    (S_ISLNK(inode->i_mode) &&
	     (size >= (loff_t)sb->s_blocksize ||
	      (ext2_inode_is_fast_symlink(inode) &&
	       size >= (loff_t)sizeof(EXT2_I(inode)->i_data))))) {
		EXT2_ERROR(sb, "inode %lu: bad size %lld for mode 0%o",
			   inode->i_ino, (long long)size, inode->i_mode);
		return -EUCLEAN;
	}
	return 0;
}

static void fill_inode(struct inode *inode, const struct ext2_inode *raw,
		       unsigned long ino)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	int i;

	inode->i_mode = raw->i_mode;
	inode->i_uid = (kuid_t)(raw->i_uid | ((u32)raw->l_i_uid_high << 16));
	inode->i_gid = (kgid_t)(raw->i_gid | ((u32)raw->l_i_gid_high << 16));
	set_nlink(inode, raw->i_links_count);
	inode->i_size = raw->i_size;
	if (S_ISREG(inode->i_mode))
		inode->i_size |= (loff_t)raw->i_size_high << 32;
	inode->i_atime.tv_sec = (s32)raw->i_atime;
	inode->i_mtime.tv_sec = (s32)raw->i_mtime;
	inode->i_ctime.tv_sec = (s32)raw->i_ctime;
	inode->i_atime.tv_nsec = inode->i_mtime.tv_nsec = 0;
	inode->i_ctime.tv_nsec = 0;
	inode->i_blocks = raw->i_blocks;
	ei->i_dtime = raw->i_dtime;
	ei->i_flags = raw->i_flags;
	ei->i_file_acl = raw->i_file_acl;
	ei->i_generation = raw->i_generation;
	ei->i_block_group =
		(ino - 1) / EXT2_SB(inode->i_sb)->s_inodes_per_group;
	for (i = 0; i < EXT2_N_BLOCKS; i++)
		ei->i_data[i] = raw->i_block[i];
}

struct inode *ext2_iget(struct super_block *sb, unsigned long ino)
{
	struct ext2_inode *raw;
	struct buffer_head *bh;
	struct inode *inode;
	int err;

	inode = iget_locked(sb, ino);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	if (!(inode->i_state & I_NEW))
		return inode;
	raw = ext2_get_inode(sb, ino, &bh);
	if (IS_ERR(raw)) {
		err = PTR_ERR(raw);
		goto bad;
	}
	fill_inode(inode, raw, ino);
	brelse(bh);
	if (!inode->i_nlink && (!inode->i_mode || EXT2_I(inode)->i_dtime)) {
		EXT2_ERROR(sb, "deleted inode referenced: %lu", ino);
		err = -EUCLEAN;
		goto bad;
	}
	err = check_inode(inode);
	if (err)
		goto bad;
	ext2_set_inode_ops(inode);
	ext2_track_inode(inode);
	unlock_new_inode(inode);
	return inode;
bad:
	EXT2_I(inode)->i_state |= EXT2_STATE_BAD;
	iget_failed(inode);
	return ERR_PTR(err);
}

/* The disk image of @inode, over what @raw held (fields ext2 does not
 * know, past the first 128 bytes or unused, are kept). */
static void build_raw(struct inode *inode, struct ext2_inode *raw)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	int i;

	raw->i_mode = inode->i_mode;
	raw->i_uid = (u16)inode->i_uid;
	raw->l_i_uid_high = (u16)(inode->i_uid >> 16);
	raw->i_gid = (u16)inode->i_gid;
	raw->l_i_gid_high = (u16)(inode->i_gid >> 16);
	raw->i_links_count = (u16)inode->i_nlink;
	raw->i_size = (u32)inode->i_size;
	raw->i_size_high =
		S_ISREG(inode->i_mode) ? (u32)((u64)inode->i_size >> 32) : 0;
	raw->i_atime = (u32)inode->i_atime.tv_sec;
	raw->i_ctime = (u32)inode->i_ctime.tv_sec;
	raw->i_mtime = (u32)inode->i_mtime.tv_sec;
	raw->i_blocks = (u32)inode->i_blocks;
	raw->i_dtime = ei->i_dtime;
	raw->i_flags = ei->i_flags;
	raw->i_file_acl = ei->i_file_acl;
	raw->i_generation = ei->i_generation;
	for (i = 0; i < EXT2_N_BLOCKS; i++)
		raw->i_block[i] = ei->i_data[i];
}

/* A file over 2 GiB needs the large_file feature (and revision 1). */
static void need_large_file(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_super_block *es = EXT2_SB(sb)->s_es;

	if (inode->i_size <= 0x7fffffffLL ||
	    (es->s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE))
		return;
	ext2_update_dynamic_rev(sb);
	es->s_feature_ro_compat |= EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
	ext2_sync_super(sb, true);
}

/*
 * Copy the inode into its table block if it differs from what is there
 * (Kestrel's VFS forgets an inode's dirty state before eviction, so
 * eviction always comes here; an unchanged inode costs no write). With
 * @sync, write the block now.
 */
static int __ext2_write_inode(struct inode *inode, bool sync)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	struct super_block *sb = inode->i_sb;
	struct ext2_inode *raw, img;
	struct buffer_head *bh;
	int err = 0;

	if (ei->i_state & EXT2_STATE_BAD)
		return -EIO;
	if (sb->s_flags & SB_RDONLY)
		return 0;
	raw = ext2_get_inode(sb, inode->i_ino, &bh);
	if (IS_ERR(raw))
		return PTR_ERR(raw);
	if (ei->i_state & EXT2_STATE_NEW)
		memset(raw, 0, EXT2_SB(sb)->s_inode_size);
	if (S_ISREG(inode->i_mode))
		need_large_file(inode);
	img = *raw;
	build_raw(inode, &img);
	if (memcmp(&img, raw, sizeof(img)) || (ei->i_state & EXT2_STATE_NEW)) {
		*raw = img;
		mark_buffer_dirty(bh);
	}
	if (sync && buffer_dirty(bh)) {
		err = sync_dirty_buffer(bh);
		if (err)
			EXT2_ERROR(sb, "IO error syncing inode %lu",
				   inode->i_ino);
	}
	ei->i_state &= ~EXT2_STATE_NEW;
	brelse(bh);
	return err;
}

int ext2_sync_inode(struct inode *inode)
{
	return __ext2_write_inode(inode, true);
}

int ext2_write_inode(struct inode *inode, struct writeback_control *wbc)
{
	return __ext2_write_inode(inode, wbc->sync_mode == WB_SYNC_ALL);
}

/* ---- link counts -------------------------------------------------------- */

void ext2_inc_count(struct inode *inode)
{
	inc_nlink(inode);
	mark_inode_dirty(inode);
}

/* A link count read from a corrupted disk may be too low: it must not
 * wrap below zero. 0 or -EUCLEAN. */
int ext2_dec_count(struct inode *inode)
{
	if (!inode->i_nlink) {
		EXT2_ERROR(inode->i_sb, "inode %lu: link count already 0",
			   inode->i_ino);
		return -EUCLEAN;
	}
	drop_nlink(inode);
	mark_inode_dirty(inode);
	return 0;
}

/* ---- the block map ------------------------------------------------------ */

/*
 * The path to file block @i: the slot in i_block, then the slot in each
 * indirect block. Returns the depth (1..4), or 0 past the largest file.
 */
static int block_to_path(struct inode *inode, sector_t i, unsigned int off[4])
{
	struct ext2_sb_info *sbi = EXT2_SB(inode->i_sb);
	unsigned int bits = sbi->s_addr_per_block_bits;
	u64 apb = sbi->s_addr_per_block;

	if (i < EXT2_NDIR_BLOCKS) {
		off[0] = (unsigned int)i;
		return 1;
	}
	i -= EXT2_NDIR_BLOCKS;
	if (i < apb) {
		off[0] = EXT2_IND_BLOCK;
		off[1] = (unsigned int)i;
		return 2;
	}
	i -= apb;
	if (i < apb * apb) {
		off[0] = EXT2_DIND_BLOCK;
		off[1] = (unsigned int)(i >> bits);
		off[2] = (unsigned int)(i & (apb - 1));
		return 3;
	}
	i -= apb * apb;
	if (i < apb * apb * apb) {
		off[0] = EXT2_TIND_BLOCK;
		off[1] = (unsigned int)(i >> (2 * bits));
		off[2] = (unsigned int)((i >> bits) & (apb - 1));
		off[3] = (unsigned int)(i & (apb - 1));
		return 4;
	}
	return 0;
}

/*
 * Where a new block for the slot @p (in the array starting at @start)
 * should go: after the file's previous block if this write continues
 * the last one, else next to the nearest block before it in the same
 * array, else next to the indirect block holding the array, else at
 * the start of the inode's group.
 */
static unsigned long find_goal(struct inode *inode, sector_t iblock,
			       const u32 *start, const u32 *p,
			       unsigned long parent)
{
	struct ext2_inode_info *ei = EXT2_I(inode);

	if (iblock == ei->i_next_alloc_block && ei->i_next_alloc_goal)
		return ei->i_next_alloc_goal;
	while (p > start) {
		p--;
		if (*p)
			return *p + 1;
	}
	if (parent)
		return parent + 1;
	return ext2_group_first_block(inode->i_sb, ei->i_block_group);
}

/* A zeroed indirect block at @nr, dirty in the device's cache. */
static int init_indirect(struct inode *inode, unsigned long nr)
{
	struct buffer_head *bh = sb_getblk(inode->i_sb, nr);

	if (!bh)
		return -ENOMEM;
	lock_buffer(bh);
	memset(bh->b_data, 0, bh->b_size);
	set_buffer_uptodate(bh);
	unlock_buffer(bh);
	mark_buffer_dirty_inode(bh, inode);
	brelse(bh);
	return 0;
}

/*
 * Allocate the block for slot @p (@level of @depth): a data block, or a
 * zeroed indirect block. The slot is set afterwards, so a crash leaves
 * at worst a block marked used that nothing points to.
 */
static int alloc_slot(struct inode *inode, sector_t iblock, u32 *start, u32 *p,
		      unsigned long parent, struct buffer_head *pbh,
		      bool indirect)
{
	unsigned long goal = find_goal(inode, iblock, start, p, parent), nr;
	int err;

	nr = ext2_new_block(inode, goal, &err);
	if (!nr)
		return err;
	if (indirect) {
		err = init_indirect(inode, nr);
		if (err) {
			ext2_free_blocks(inode, nr, 1);
			return err;
		}
	}
	*p = (u32)nr;
	if (pbh)
		mark_buffer_dirty_inode(pbh, inode);
	else
		mark_inode_dirty(inode);
	return 0;
}

static int __ext2_get_block(struct inode *inode, sector_t iblock,
			    struct buffer_head *bh_result, bool create)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	struct super_block *sb = inode->i_sb;
	struct buffer_head *pbh = NULL;
	unsigned long parent = 0;
	unsigned int off[4];
	u32 *start = ei->i_data, *p;
	int depth, level, err = 0;
	bool fresh = false;

	depth = block_to_path(inode, iblock, off);
	if (!depth)
		return create ? -EFBIG : -EIO;
	p = start + off[0];
	for (level = 0;; level++) {
		if (!*p) {
			if (!create)
				break; /* a hole */
			err = alloc_slot(inode, iblock, start, p, parent, pbh,
					 level < depth - 1);
			if (err)
				break;
			fresh = level == depth - 1;
		} else if (!ext2_data_block_valid(sb, *p, 1)) {
			EXT2_ERROR(
				sb,
				"inode %lu: invalid block %u (file block %llu, level %d)",
				inode->i_ino, *p, (unsigned long long)iblock,
				level);
			err = -EIO;
			break;
		}
		if (level == depth - 1) {
			map_bh(bh_result, sb, *p);
			if (fresh)
				set_buffer_new(bh_result);
			ei->i_next_alloc_block = iblock + 1;
			ei->i_next_alloc_goal = *p + 1;
			break;
		}
		parent = *p;
		brelse(pbh);
		pbh = sb_bread(sb, parent);
		if (!pbh) {
			EXT2_ERROR(sb,
				   "inode %lu: cannot read indirect block %lu",
				   inode->i_ino, parent);
			err = -EIO;
			break;
		}
		start = (u32 *)pbh->b_data;
		p = start + off[level + 1];
	}
	brelse(pbh);
	return err;
}

int ext2_get_block(struct inode *inode, sector_t iblock,
		   struct buffer_head *bh_result, int create)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	int err;

	if (create && (inode->i_sb->s_flags & SB_RDONLY))
		return -EROFS;
	mutex_lock(&ei->truncate_mutex);
	err = __ext2_get_block(inode, iblock, bh_result, create);
	mutex_unlock(&ei->truncate_mutex);
	return err;
}

/* ---- truncation --------------------------------------------------------- */

/* Data blocks are freed in runs of neighbours. */
struct free_run {
	unsigned long start, count;
};

static void run_flush(struct inode *inode, struct free_run *run)
{
	if (run->count)
		ext2_free_blocks(inode, run->start, run->count);
	run->count = 0;
}

static void run_add(struct inode *inode, struct free_run *run, unsigned long nr)
{
	if (run->count && nr == run->start + run->count) {
		run->count++;
		return;
	}
	run_flush(inode, run);
	run->start = nr;
	run->count = 1;
}

/*
 * Free what the tree of @depth levels under *@slot maps from its
 * relative block @from on; with @from 0 the whole tree and the block
 * itself go, and the slot is cleared (in @sbh's block, or the inode).
 */
static void free_branch(struct inode *inode, u32 *slot, int depth, u64 from,
			struct buffer_head *sbh, struct free_run *run)
{
	struct super_block *sb = inode->i_sb;
	unsigned long nr = *slot, apb = EXT2_SB(sb)->s_addr_per_block, i;
	unsigned int bits = EXT2_SB(sb)->s_addr_per_block_bits;
	u64 per = 1ULL << (bits * (depth - 1));
	struct buffer_head *bh;

	if (!nr)
		return;
	if (!ext2_data_block_valid(sb, nr, 1)) {
		EXT2_ERROR(sb, "inode %lu: not freeing invalid block %lu",
			   inode->i_ino, nr);
		return;
	}
	if (!depth) {
		run_add(inode, run, nr);
		goto clear;
	}
	bh = sb_bread(sb, nr);
	if (!bh) {
		EXT2_ERROR(sb, "inode %lu: read failure of indirect block %lu",
			   inode->i_ino, nr);
		return;
	}
	for (i = (unsigned long)(from / per); i < apb; i++)
		free_branch(inode, (u32 *)bh->b_data + i, depth - 1,
			    i == from / per ? from % per : 0, bh, run);
	if (from) {
		mark_buffer_dirty_inode(bh, inode);
		brelse(bh);
		return;
	}
	bforget(bh); /* its stale content must never reach the disk */
	run_add(inode, run, nr);
clear:
	*slot = 0;
	if (sbh)
		mark_buffer_dirty_inode(sbh, inode);
}

static bool has_block_map(struct inode *inode)
{
	return (S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode) ||
		S_ISLNK(inode->i_mode)) &&
	       !ext2_inode_is_fast_symlink(inode);
}

void ext2_truncate_blocks(struct inode *inode, loff_t offset)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	struct ext2_sb_info *sbi = EXT2_SB(inode->i_sb);
	unsigned int bits = sbi->s_addr_per_block_bits;
	u64 n = ((u64)offset + inode->i_sb->s_blocksize - 1) >>
		inode->i_sb->s_blocksize_bits;
	u64 base = EXT2_NDIR_BLOCKS;
	struct free_run run = { 0, 0 };
	int level;
	u64 i;

	if (!has_block_map(inode))
		return;
	mutex_lock(&ei->truncate_mutex);
	for (i = n; i < EXT2_NDIR_BLOCKS; i++)
		free_branch(inode, &ei->i_data[i], 0, 0, NULL, &run);
	for (level = 1; level <= 3; level++) {
		u64 span = 1ULL << (bits * level);

		if (n < base + span)
			free_branch(inode,
				    &ei->i_data[EXT2_IND_BLOCK + level - 1],
				    level, n > base ? n - base : 0, NULL, &run);
		base += span;
	}
	run_flush(inode, &run);
	ei->i_next_alloc_block = 0;
	ei->i_next_alloc_goal = 0;
	mutex_unlock(&ei->truncate_mutex);
	inode->i_mtime = inode->i_ctime = current_time(inode);
	mark_inode_dirty(inode);
}

/* ---- eviction and sync -------------------------------------------------- */

/* Put a live inode on its super_block's list, for ext2_write_all(). */
void ext2_track_inode(struct inode *inode)
{
	struct ext2_sb_info *sbi = EXT2_SB(inode->i_sb);

	mutex_lock(&sbi->s_inodes_lock);
	list_add_tail(&EXT2_I(inode)->i_sb_link, &sbi->s_inodes);
	mutex_unlock(&sbi->s_inodes_lock);
}

/*
 * Write every live inode's dirty pages and its metadata (remount,ro;
 * sync). An inode being evicted waits on s_inodes_lock before it leaves
 * the list, so none is freed under the walk; those already being
 * evicted are written by their eviction.
 */
int ext2_write_all(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_inode_info *ei;
	int err = 0, ret;

	mutex_lock(&sbi->s_inodes_lock);
	list_for_each_entry(ei, &sbi->s_inodes, i_sb_link) {
		struct inode *inode = &ei->vfs_inode;

		if (READ_ONCE(inode->i_state) & I_FREEING)
			continue;
		ret = filemap_write_and_wait(inode->i_mapping);
		if (!ret)
			ret = __ext2_write_inode(inode, false);
		if (ret && !err)
			err = ret;
	}
	mutex_unlock(&sbi->s_inodes_lock);
	return err;
}

void ext2_evict_inode(struct inode *inode)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	struct ext2_sb_info *sbi = EXT2_SB(inode->i_sb);
	bool ok = !(ei->i_state & EXT2_STATE_BAD) &&
		  !(inode->i_sb->s_flags & SB_RDONLY);

	mutex_lock(&sbi->s_inodes_lock);
	list_del_init(&ei->i_sb_link);
	mutex_unlock(&sbi->s_inodes_lock);

	if (ok && inode->i_nlink) {
		/* Kestrel keeps no unused inodes: what is dirty goes now */
		filemap_write_and_wait(inode->i_mapping);
		__ext2_write_inode(inode, false);
	}
	truncate_inode_pages(&inode->i_data, 0);
	if (ok && !inode->i_nlink) {
		ei->i_dtime = (u32)ktime_get_real_seconds();
		inode->i_size = 0;
		if (inode->i_blocks)
			ext2_truncate_blocks(inode, 0);
		__ext2_write_inode(inode, false);
		ext2_free_inode(inode);
	}
	invalidate_inode_buffers(inode);
}

/* ---- attributes --------------------------------------------------------- */

static int ext2_setsize(struct inode *inode, loff_t newsize)
{
	int err;

	if (!(S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode) ||
	      S_ISLNK(inode->i_mode)))
		return -EINVAL;
	err = inode_newsize_ok(inode, newsize);
	if (err)
		return err;
	err = block_truncate_page(inode->i_mapping, newsize, ext2_get_block);
	if (err)
		return err;
	truncate_setsize(inode, newsize);
	ext2_truncate_blocks(inode, newsize);
	return 0;
}

int ext2_setattr(struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = dentry->d_inode;
	int err;

	err = setattr_prepare(dentry, attr);
	if (err)
		return err;
	if ((attr->ia_valid & ATTR_SIZE) && attr->ia_size != inode->i_size) {
		err = ext2_setsize(inode, attr->ia_size);
		if (err)
			return err;
	}
	setattr_copy(inode, attr);
	mark_inode_dirty(inode);
	return 0;
}

/* ---- address_space_operations ------------------------------------------- */

static int ext2_readpage(struct file *file, struct page *page)
{
	return block_read_full_page(page, ext2_get_block);
}

static int ext2_writepage(struct page *page, struct writeback_control *wbc)
{
	return block_write_full_page(page, ext2_get_block, wbc);
}

/* A write that failed may have allocated blocks past the end: free them. */
static void ext2_write_failed(struct address_space *mapping, loff_t to)
{
	struct inode *inode = mapping->host;

	if (to > inode->i_size) {
		truncate_pagecache(inode, inode->i_size);
		ext2_truncate_blocks(inode, inode->i_size);
	}
}

static int ext2_write_begin(struct file *file, struct address_space *mapping,
			    loff_t pos, unsigned int len, struct page **pagep,
			    void **fsdata)
{
	int err = block_write_begin(mapping, pos, len, pagep, ext2_get_block);

	if (err)
		ext2_write_failed(mapping, pos + len);
	return err;
}

static int ext2_write_end(struct file *file, struct address_space *mapping,
			  loff_t pos, unsigned int len, unsigned int copied,
			  struct page *page, void *fsdata)
{
	int ret = generic_write_end(file, mapping, pos, len, copied, page,
				    fsdata);

	if (ret < (int)len)
		ext2_write_failed(mapping, pos + len);
	return ret;
}

static bool ext2_releasepage(struct page *page, gfp_t gfp)
{
	return try_to_free_buffers(page);
}

static sector_t ext2_bmap(struct address_space *mapping, sector_t block)
{
	return generic_block_bmap(mapping, block, ext2_get_block);
}

const struct address_space_operations ext2_aops = {
	.readpage = ext2_readpage,
	.writepage = ext2_writepage,
	.set_page_dirty = __set_page_dirty_buffers,
	.write_begin = ext2_write_begin,
	.write_end = ext2_write_end,
	.bmap = ext2_bmap,
	.invalidatepage = block_invalidatepage,
	.releasepage = ext2_releasepage,
};
