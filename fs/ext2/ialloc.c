/*
 * ext2: the inode allocator (docs/ext2.md, "Allocation").
 *
 * Each group has an inode bitmap (bit set: inode in use) and an inode
 * table. Where a new inode goes decides where its blocks go (the block
 * allocator starts from the inode's group), so the choice of group is
 * the locality policy, an Orlov-like one as in Linux:
 *
 *   a directory made in the root goes to the group with the fewest
 *     directories among those with at least the average of free inodes
 *     and free blocks: top-level trees spread over the disk;
 *   a directory deeper down stays in its parent's group if that group
 *     has room (average free inodes and blocks) and not too many
 *     directories, else the next such group: a subtree stays together;
 *   a file goes to its directory's group if it has free inodes and
 *     blocks, else a quadratic hash from there, else any group with a
 *     free inode.
 *
 * A bitmap that offers a reserved inode (below s_first_ino) or one past
 * s_inodes_count is reported with ext2_error() and the bit is set, so
 * that it is never offered again.
 */
#include <kestrel/bitmap.h>
#include <kestrel/errno.h>
#include <kestrel/time.h>
#include <kestrel/writeback.h>

#include "ext2.h"

static struct buffer_head *read_inode_bitmap(struct super_block *sb,
					     unsigned long group)
{
	struct ext2_group_desc *gd = ext2_get_group_desc(sb, group, NULL);
	struct buffer_head *bh;

	if (!gd)
		return NULL;
	bh = sb_bread(sb, gd->bg_inode_bitmap);
	if (!bh)
		EXT2_ERROR(
			sb,
			"Cannot read inode bitmap - block_group = %lu, inode_bitmap = %u",
			group, gd->bg_inode_bitmap);
	return bh;
}

/* Does @group have at least the average free inodes and blocks? */
static bool group_roomy(struct super_block *sb, unsigned long group)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_group_desc *gd = ext2_get_group_desc(sb, group, NULL);
	unsigned long n = sbi->s_groups_count;

	return gd && gd->bg_free_inodes_count &&
	       gd->bg_free_inodes_count >= sbi->s_free_inodes / n &&
	       gd->bg_free_blocks_count >= sbi->s_free_blocks / n;
}

static bool group_has_inode(struct super_block *sb, unsigned long group)
{
	struct ext2_group_desc *gd = ext2_get_group_desc(sb, group, NULL);

	return gd && gd->bg_free_inodes_count;
}

static long find_group_dir(struct super_block *sb, struct inode *parent)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long n = sbi->s_groups_count, i, g, best_dirs = ~0UL;
	unsigned long max_dirs = sbi->s_dirs / n + sbi->s_inodes_per_group / 16;
	struct ext2_group_desc *gd;
	long best = -1;

	if (parent->i_ino == EXT2_ROOT_INO) {
		for (i = 0; i < n; i++) {
			g = (sbi->s_last_dir_group + 1 + i) % n;
			gd = ext2_get_group_desc(sb, g, NULL);
			if (group_roomy(sb, g) &&
			    gd->bg_used_dirs_count < best_dirs) {
				best_dirs = gd->bg_used_dirs_count;
				best = (long)g;
			}
		}
		if (best >= 0) {
			sbi->s_last_dir_group = (unsigned long)best;
			return best;
		}
	} else {
		for (i = 0; i < n; i++) {
			g = (EXT2_I(parent)->i_block_group + i) % n;
			gd = ext2_get_group_desc(sb, g, NULL);
			if (group_roomy(sb, g) &&
			    gd->bg_used_dirs_count < max_dirs)
				return (long)g;
		}
	}
	for (i = 0; i < n; i++) { /* fall back: any free inode */
		g = (EXT2_I(parent)->i_block_group + i) % n;
		if (group_has_inode(sb, g))
			return (long)g;
	}
	return -1;
}

static long find_group_other(struct super_block *sb, struct inode *parent)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long n = sbi->s_groups_count, start, g, i;
	struct ext2_group_desc *gd;

	start = EXT2_I(parent)->i_block_group % n;
	gd = ext2_get_group_desc(sb, start, NULL);
	if (gd && gd->bg_free_inodes_count && gd->bg_free_blocks_count)
		return (long)start;
	g = (start + parent->i_ino) % n;
	for (i = 1; i < n; i <<= 1) { /* a quadratic hash from there */
		g = (g + i) % n;
		gd = ext2_get_group_desc(sb, g, NULL);
		if (gd && gd->bg_free_inodes_count && gd->bg_free_blocks_count)
			return (long)g;
	}
	for (i = 0; i < n; i++) {
		g = (start + i) % n;
		if (group_has_inode(sb, g))
			return (long)g;
	}
	return -1;
}

/* Take a free inode of @group: its number, or 0. s_alloc_lock held. */
static unsigned long take_inode(struct super_block *sb, unsigned long group,
				bool dir)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct buffer_head *bitmap, *gdbh;
	struct ext2_group_desc *gd = ext2_get_group_desc(sb, group, &gdbh);
	unsigned long ipg = sbi->s_inodes_per_group, bit, ino;
	unsigned long *map;

	if (!gd || !gd->bg_free_inodes_count)
		return 0;
	bitmap = read_inode_bitmap(sb, group);
	if (!bitmap)
		return 0;
	map = (unsigned long *)bitmap->b_data;
	for (;;) {
		bit = find_next_zero_bit(map, ipg, 0);
		if (bit >= ipg) { /* the descriptor's count lied */
			brelse(bitmap);
			return 0;
		}
		__set_bit(bit, map);
		mark_buffer_dirty(bitmap);
		ino = group * ipg + bit + 1;
		if (ino >= sbi->s_first_ino && ino <= sbi->s_inodes_count)
			break;
		EXT2_ERROR(
			sb,
			"reserved inode or inode > inodes count - block_group = %lu, inode = %lu",
			group, ino);
		if (sb->s_flags & SB_RDONLY) {
			brelse(bitmap);
			return 0;
		}
	}
	brelse(bitmap);
	if (gd->bg_free_inodes_count)
		gd->bg_free_inodes_count--;
	if (dir)
		gd->bg_used_dirs_count++;
	mark_buffer_dirty(gdbh);
	if (sbi->s_free_inodes)
		sbi->s_free_inodes--;
	if (dir)
		sbi->s_dirs++;
	return ino;
}

static u32 next_generation;

struct inode *ext2_new_inode(struct inode *dir, umode_t mode,
			     const struct qstr *name)
{
	struct super_block *sb = dir->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long ino = 0, i, group = 0;
	struct ext2_inode_info *ei;
	struct inode *inode;
	long start;

	if (sb->s_flags & SB_RDONLY)
		return ERR_PTR(-EROFS);
	inode = new_inode(sb);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	ei = EXT2_I(inode);
	mutex_lock(&sbi->s_alloc_lock);
	start = S_ISDIR(mode) ? find_group_dir(sb, dir) :
				find_group_other(sb, dir);
	for (i = 0; start >= 0 && i < sbi->s_groups_count && !ino; i++) {
		group = ((unsigned long)start + i) % sbi->s_groups_count;
		ino = take_inode(sb, group, S_ISDIR(mode));
	}
	mutex_unlock(&sbi->s_alloc_lock);
	if (!ino) {
		ei->i_state = EXT2_STATE_BAD;
		iput(inode);
		return ERR_PTR(sb->s_flags & SB_RDONLY ? -EIO : -ENOSPC);
	}
	inode_init_owner(inode, dir, mode);
	inode->i_ino = ino;
	inode->i_blocks = 0;
	inode->i_mtime = inode->i_atime = inode->i_ctime = current_time(inode);
	memset(ei->i_data, 0, sizeof(ei->i_data));
	ei->i_flags = 0;
	ei->i_file_acl = 0;
	ei->i_dtime = 0;
	ei->i_generation = ++next_generation;
	ei->i_block_group = group;
	ei->i_dir_start_lookup = 0;
	ei->i_state = EXT2_STATE_NEW;
	insert_inode_hash(inode);
	ext2_track_inode(inode);
	mark_inode_dirty(inode);
	return inode;
}

void ext2_free_inode(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long ino = inode->i_ino, group, bit;
	struct buffer_head *bitmap, *gdbh;
	struct ext2_group_desc *gd;
	bool dir = S_ISDIR(inode->i_mode);

	if (ino < sbi->s_first_ino || ino > sbi->s_inodes_count) {
		EXT2_ERROR(sb, "reserved or nonexistent inode %lu", ino);
		return;
	}
	group = (ino - 1) / sbi->s_inodes_per_group;
	bit = (ino - 1) % sbi->s_inodes_per_group;
	mutex_lock(&sbi->s_alloc_lock);
	gd = ext2_get_group_desc(sb, group, &gdbh);
	bitmap = gd ? read_inode_bitmap(sb, group) : NULL;
	if (!bitmap)
		goto out;
	if (!test_bit(bit, (unsigned long *)bitmap->b_data)) {
		EXT2_ERROR(sb, "bit already cleared for inode %lu", ino);
		brelse(bitmap);
		goto out;
	}
	__clear_bit(bit, (unsigned long *)bitmap->b_data);
	mark_buffer_dirty(bitmap);
	brelse(bitmap);
	if (gd->bg_free_inodes_count < sbi->s_inodes_per_group)
		gd->bg_free_inodes_count++;
	if (dir && gd->bg_used_dirs_count)
		gd->bg_used_dirs_count--;
	mark_buffer_dirty(gdbh);
	sbi->s_free_inodes++;
	if (dir && sbi->s_dirs)
		sbi->s_dirs--;
out:
	mutex_unlock(&sbi->s_alloc_lock);
}
