/*
 * ext2: block groups and the block allocator (docs/ext2.md,
 * "Allocation").
 *
 * Each group has a block bitmap, one bit per block of the group (bit set:
 * in use). Allocating a block is finding a clear bit: first from the
 * goal onwards in the goal's group (the caller's goal is the block after
 * the file's previous one, so that a file written sequentially is laid
 * out contiguously), then the rest of that group, then the following
 * groups in turn. Freeing clears the bit. Each change updates the group
 * descriptor's free count and the in-memory total (written into the
 * superblock at sync).
 *
 * Nothing read from the disk is trusted: a block number outside the
 * data zone is refused with ext2_error(), a bitmap that shows its own
 * group's metadata as free is refused, a bit found set when freeing is
 * reported rather than counted twice, and a block the bitmap offers
 * that turns out to be metadata is kept marked in use and skipped.
 *
 * s_alloc_lock serialises the bitmaps, the descriptors' counts and the
 * totals.
 */
#include <kestrel/bitmap.h>
#include <kestrel/cred.h>
#include <kestrel/errno.h>
#include <kestrel/writeback.h>

#include "ext2.h"

struct ext2_group_desc *ext2_get_group_desc(struct super_block *sb,
					    unsigned long group,
					    struct buffer_head **bh)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long block = group / sbi->s_desc_per_block;
	unsigned long off = group % sbi->s_desc_per_block;

	if (group >= sbi->s_groups_count) {
		EXT2_ERROR(
			sb,
			"block_group >= groups_count - block_group = %lu, groups_count = %lu",
			group, sbi->s_groups_count);
		return NULL;
	}
	if (bh)
		*bh = sbi->s_gdb[block];
	return (struct ext2_group_desc *)sbi->s_gdb[block]->b_data + off;
}

unsigned long ext2_group_first_block(struct super_block *sb,
				     unsigned long group)
{
	return EXT2_SB(sb)->s_first_data_block +
	       group * EXT2_SB(sb)->s_blocks_per_group;
}

static bool test_root(unsigned long a, unsigned long b)
{
	unsigned long num = b;

	while (a > num)
		num *= b;
	return num == a;
}

bool ext2_group_has_super(struct super_block *sb, unsigned long group)
{
	if (group <= 1 || !(EXT2_SB(sb)->s_es->s_feature_ro_compat &
			    EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER))
		return true;
	if (!(group & 1))
		return false;
	return test_root(group, 3) || test_root(group, 5) ||
	       test_root(group, 7);
}

/* Blocks in @group (the last group may be short). */
static unsigned long group_blocks(struct super_block *sb, unsigned long group)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long first = ext2_group_first_block(sb, group);

	if (group == sbi->s_groups_count - 1)
		return sbi->s_blocks_count - first;
	return sbi->s_blocks_per_group;
}

/* Is @block part of its group's metadata (super copy, descriptors,
 * bitmaps, inode table)? */
static bool is_metadata(struct super_block *sb, unsigned long block)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long group, first;
	struct ext2_group_desc *gd;

	group = (block - sbi->s_first_data_block) / sbi->s_blocks_per_group;
	first = ext2_group_first_block(sb, group);
	if (ext2_group_has_super(sb, group) &&
	    block < first + 1 + sbi->s_gdb_count +
			    sbi->s_es->s_reserved_gdt_blocks)
		return true;
	gd = ext2_get_group_desc(sb, group, NULL);
	return !gd || block == gd->bg_block_bitmap ||
	       block == gd->bg_inode_bitmap ||
	       (block >= gd->bg_inode_table &&
		block < gd->bg_inode_table + sbi->s_itb_per_group);
}

bool ext2_data_block_valid(struct super_block *sb, unsigned long block,
			   unsigned long count)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long i;

	if (block < sbi->s_first_data_block || block + count < block ||
	    block + count > sbi->s_blocks_count)
		return false;
	for (i = 0; i < count; i++)
		if (is_metadata(sb, block + i))
			return false;
	return true;
}

unsigned long ext2_count_free(const u8 *map, unsigned long bits)
{
	unsigned long i, used = 0;

	for (i = 0; i < bits; i++)
		used += (map[i / 8] >> (i % 8)) & 1;
	return bits - used;
}

/*
 * The block bitmap of @group, read and checked: its own bit, the inode
 * bitmap's and the inode table's must be set. NULL after ext2_error().
 */
static struct buffer_head *read_block_bitmap(struct super_block *sb,
					     unsigned long group)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_group_desc *gd = ext2_get_group_desc(sb, group, NULL);
	unsigned long first = ext2_group_first_block(sb, group), i;
	struct buffer_head *bh;
	unsigned long *map;

	if (!gd)
		return NULL;
	bh = sb_bread(sb, gd->bg_block_bitmap);
	if (!bh) {
		EXT2_ERROR(
			sb,
			"Cannot read block bitmap - block_group = %lu, block_bitmap = %u",
			group, gd->bg_block_bitmap);
		return NULL;
	}
	map = (unsigned long *)bh->b_data;
	if (!test_bit(gd->bg_block_bitmap - first, map) ||
	    !test_bit(gd->bg_inode_bitmap - first, map))
		goto invalid;
	for (i = 0; i < sbi->s_itb_per_group; i++)
		if (!test_bit(gd->bg_inode_table + i - first, map))
			goto invalid;
	return bh;
invalid:
	EXT2_ERROR(sb, "Invalid block bitmap - block_group = %lu, block = %u",
		   group, gd->bg_block_bitmap);
	brelse(bh);
	return NULL;
}

/* Keep the super-user's reserve (s_r_blocks_count) for the super-user. */
static bool has_free_blocks(struct ext2_sb_info *sbi)
{
	unsigned long free = sbi->s_free_blocks;

	if (!free)
		return false;
	return free > sbi->s_es->s_r_blocks_count || capable(CAP_SYS_RESOURCE);
}

/*
 * Take a clear bit of @group's bitmap, from @start on (then from the
 * group's start). Returns the block, or 0 when the group has none.
 * s_alloc_lock held.
 */
static unsigned long alloc_in_group(struct super_block *sb, unsigned long group,
				    unsigned long start, int *err)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long nbits = group_blocks(sb, group), bit, block;
	struct buffer_head *bitmap, *gdbh;
	struct ext2_group_desc *gd = ext2_get_group_desc(sb, group, &gdbh);
	unsigned long *map;

	if (!gd || !gd->bg_free_blocks_count)
		return 0;
	bitmap = read_block_bitmap(sb, group);
	if (!bitmap) {
		*err = -EIO;
		return 0;
	}
	map = (unsigned long *)bitmap->b_data;
	for (;;) {
		bit = find_next_zero_bit(map, nbits, start);
		if (bit >= nbits && start)
			bit = find_next_zero_bit(map, nbits, 0);
		if (bit >= nbits) { /* the descriptor's count lied */
			brelse(bitmap);
			return 0;
		}
		__set_bit(bit, map);
		mark_buffer_dirty(bitmap);
		block = ext2_group_first_block(sb, group) + bit;
		if (!is_metadata(sb, block))
			break;
		/* the bitmap said a metadata block was free: keep it
		 * marked (that repairs the bitmap) and look again */
		EXT2_ERROR(sb, "Allocating block in system zone - block = %lu",
			   block);
		if (sb->s_flags & SB_RDONLY) {
			brelse(bitmap);
			*err = -EIO;
			return 0;
		}
	}
	brelse(bitmap);
	if (gd->bg_free_blocks_count)
		gd->bg_free_blocks_count--;
	mark_buffer_dirty(gdbh);
	if (sbi->s_free_blocks)
		sbi->s_free_blocks--;
	return block;
}

unsigned long ext2_new_block(struct inode *inode, unsigned long goal, int *err)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long group, start, block = 0, i;

	*err = -ENOSPC;
	if (sb->s_flags & SB_RDONLY) {
		*err = -EROFS;
		return 0;
	}
	if (goal < sbi->s_first_data_block || goal >= sbi->s_blocks_count)
		goal = sbi->s_first_data_block;
	group = (goal - sbi->s_first_data_block) / sbi->s_blocks_per_group;
	start = (goal - sbi->s_first_data_block) % sbi->s_blocks_per_group;
	mutex_lock(&sbi->s_alloc_lock);
	if (!has_free_blocks(sbi))
		goto out;
	for (i = 0; i < sbi->s_groups_count; i++) {
		int gerr = 0;

		block = alloc_in_group(sb, group, start, &gerr);
		if (block)
			break;
		if (gerr)
			*err = gerr;
		if (sb->s_flags & SB_RDONLY)
			goto out;
		group = (group + 1) % sbi->s_groups_count;
		start = 0;
	}
out:
	mutex_unlock(&sbi->s_alloc_lock);
	if (!block)
		return 0;
	*err = 0;
	inode->i_blocks += sb->s_blocksize >> 9;
	mark_inode_dirty(inode);
	return block;
}

/* Clear the bits of [@block, @block + @count) within one group. */
static unsigned long free_in_group(struct super_block *sb, unsigned long group,
				   unsigned long block, unsigned long count)
{
	unsigned long first = ext2_group_first_block(sb, group), i, freed = 0;
	struct buffer_head *bitmap, *gdbh;
	struct ext2_group_desc *gd = ext2_get_group_desc(sb, group, &gdbh);
	unsigned long *map;

	if (!gd)
		return 0;
	bitmap = read_block_bitmap(sb, group);
	if (!bitmap)
		return 0;
	map = (unsigned long *)bitmap->b_data;
	for (i = 0; i < count; i++) {
		if (!test_bit(block + i - first, map)) {
			EXT2_ERROR(sb, "bit already cleared for block %lu",
				   block + i);
			continue;
		}
		__clear_bit(block + i - first, map);
		freed++;
	}
	mark_buffer_dirty(bitmap);
	brelse(bitmap);
	gd->bg_free_blocks_count = (u16)(gd->bg_free_blocks_count + freed);
	mark_buffer_dirty(gdbh);
	return freed;
}

void ext2_free_blocks(struct inode *inode, unsigned long block,
		      unsigned long count)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long group, first, n, freed;
	u64 sectors;

	if (!ext2_data_block_valid(sb, block, count)) {
		EXT2_ERROR(
			sb,
			"Freeing blocks not in datazone - block = %lu, count = %lu",
			block, count);
		return;
	}
	mutex_lock(&sbi->s_alloc_lock);
	while (count) {
		group = (block - sbi->s_first_data_block) /
			sbi->s_blocks_per_group;
		first = ext2_group_first_block(sb, group);
		n = first + sbi->s_blocks_per_group - block;
		if (n > count)
			n = count;
		freed = free_in_group(sb, group, block, n);
		sbi->s_free_blocks += freed;
		sectors = (u64)freed * (sb->s_blocksize >> 9);
		inode->i_blocks = inode->i_blocks > sectors ?
					  inode->i_blocks - sectors :
					  0;
		block += n;
		count -= n;
	}
	mutex_unlock(&sbi->s_alloc_lock);
	mark_inode_dirty(inode);
}
