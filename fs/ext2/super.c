/*
 * ext2: mounting, the superblock, errors and statfs (docs/ext2.md).
 *
 * Mounting reads the superblock at byte 1024 (first with 1 KiB blocks,
 * then again with the block size it names), checks every field the code
 * will use -- magic, revision, features, block and inode geometry, that
 * the groups fit the device, that each group descriptor points inside
 * its group -- and refuses the mount with EINVAL and an
 * "EXT2-fs (hda1): error: ..." line when something does not add up.
 * Unknown INCOMPAT features refuse the mount; unknown RO_COMPAT features
 * make it read-only; revisions above 1 are mounted read-only.
 *
 * A read-write mount clears EXT2_VALID_FS on the disk for as long as it
 * lasts, counts the mount and stamps the time; umount and remount,ro
 * put back the state found (plus EXT2_ERROR_FS if errors were seen), so
 * that e2fsck knows whether the file system was shut down cleanly.
 *
 * ext2_error() is how every part of ext2 reports a corrupted disk: a
 * printk, EXT2_ERROR_FS in the superblock, then the errors= behaviour:
 * continue, remount read-only, or (panic) refuse every further write --
 * a bad disk never brings Kestrel down.
 */
#include <kestrel/blkdev.h>
#include <kestrel/errno.h>
#include <kestrel/init.h>
#include <kestrel/kstrtox.h>
#include <kestrel/pagemap.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/time.h>
#include <kestrel/writeback.h>

#include "ext2.h"

/* ---- messages and errors ------------------------------------------------ */

void ext2_msg(struct super_block *sb, const char *level, const char *fmt, ...)
{
	char buf[192];
	va_list args;

	va_start(args, fmt);
	vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	printk("%sEXT2-fs (%s): %s\n", level, sb->s_id, buf);
}

void ext2_error(struct super_block *sb, const char *function, const char *fmt,
		...)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	char buf[192];
	va_list args;

	va_start(args, fmt);
	vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	printk(KERN_CRIT "EXT2-fs (%s): error: %s: %s\n", sb->s_id, function,
	       buf);
	if (sb->s_flags & SB_RDONLY)
		return;
	sbi->s_mount_state |= EXT2_ERROR_FS;
	sbi->s_es->s_state |= EXT2_ERROR_FS;
	ext2_sync_super(sb, true);
	if (sbi->s_errors == EXT2_ERRORS_CONTINUE)
		return;
	if (sbi->s_errors == EXT2_ERRORS_PANIC)
		ext2_msg(sb, KERN_CRIT,
			 "errors=panic: refusing further writes instead");
	else
		ext2_msg(sb, KERN_CRIT, "remounting filesystem read-only");
	sb->s_flags |= SB_RDONLY;
}

/* ---- the superblock on disk --------------------------------------------- */

void ext2_sync_super(struct super_block *sb, bool wait)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_super_block *es = sbi->s_es;

	es->s_free_blocks_count = (u32)sbi->s_free_blocks;
	es->s_free_inodes_count = (u32)sbi->s_free_inodes;
	es->s_wtime = (u32)ktime_get_real_seconds();
	mark_buffer_dirty(sbi->s_sbh);
	if (wait)
		sync_dirty_buffer(sbi->s_sbh);
}

/* A revision 0 file system is about to use a revision 1 feature. */
void ext2_update_dynamic_rev(struct super_block *sb)
{
	struct ext2_super_block *es = EXT2_SB(sb)->s_es;

	if (es->s_rev_level > EXT2_GOOD_OLD_REV)
		return;
	ext2_msg(sb, KERN_WARNING,
		 "updating to rev %d because of new feature flag",
		 EXT2_DYNAMIC_REV);
	es->s_first_ino = EXT2_GOOD_OLD_FIRST_INO;
	es->s_inode_size = EXT2_GOOD_OLD_INODE_SIZE;
	es->s_rev_level = EXT2_DYNAMIC_REV;
}

/* Mounted read-write: count the mount, stamp it, mark it in use. */
static void ext2_setup_super(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_super_block *es = sbi->s_es;

	if (!(sbi->s_mount_state & EXT2_VALID_FS))
		ext2_msg(
			sb, KERN_WARNING,
			"warning: mounting unchecked fs, running e2fsck is recommended");
	else if (sbi->s_mount_state & EXT2_ERROR_FS)
		ext2_msg(
			sb, KERN_WARNING,
			"warning: mounting fs with errors, running e2fsck is recommended");
	if (es->s_max_mnt_count != 0xffff && (s16)es->s_max_mnt_count > 0 &&
	    es->s_mnt_count >= es->s_max_mnt_count)
		ext2_msg(
			sb, KERN_WARNING,
			"warning: maximal mount count reached, running e2fsck is recommended");
	es->s_mnt_count++;
	es->s_mtime = (u32)ktime_get_real_seconds();
	es->s_state &= ~EXT2_VALID_FS;
	ext2_sync_super(sb, true);
}

/* ---- super_operations --------------------------------------------------- */

static void ext2_release_sbi(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long i;

	if (!sbi)
		return;
	for (i = 0; sbi->s_gdb && i < sbi->s_gdb_count; i++)
		brelse(sbi->s_gdb[i]);
	kfree(sbi->s_gdb);
	brelse(sbi->s_sbh);
	kfree(sbi);
	sb->s_fs_info = NULL;
}

static void ext2_put_super(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (!sbi)
		return;
	if (!(sb->s_flags & SB_RDONLY)) {
		sbi->s_es->s_state = (u16)sbi->s_mount_state;
		ext2_sync_super(sb, true);
	}
	sync_blockdev(sb->s_bdev);
	ext2_release_sbi(sb);
}

/* sync(2), syncfs(2): every inode's data and metadata, then the
 * superblock, then the device's cache. */
static int ext2_sync_fs(struct super_block *sb, int wait)
{
	int err = 0;

	if (!(sb->s_flags & SB_RDONLY)) {
		err = ext2_write_all(sb);
		ext2_sync_super(sb, wait);
	}
	if (wait) {
		int err2 = sync_blockdev(sb->s_bdev);

		err = err ? err : err2;
	}
	return err;
}

/* Blocks of metadata: what statfs leaves out of f_blocks. */
static unsigned long ext2_overhead(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long i, overhead = sbi->s_first_data_block;

	for (i = 0; i < sbi->s_groups_count; i++) {
		if (ext2_group_has_super(sb, i))
			overhead += 1 + sbi->s_gdb_count +
				    sbi->s_es->s_reserved_gdt_blocks;
		overhead += 2 + sbi->s_itb_per_group;
	}
	return overhead;
}

static int ext2_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	struct super_block *sb = dentry->d_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_super_block *es = sbi->s_es;
	unsigned long overhead = ext2_overhead(sb);

	buf->f_type = EXT2_SUPER_MAGIC;
	buf->f_bsize = (long)sb->s_blocksize;
	buf->f_frsize = (long)sb->s_blocksize;
	buf->f_blocks = sbi->s_blocks_count > overhead ?
				sbi->s_blocks_count - overhead :
				0;
	buf->f_bfree = sbi->s_free_blocks;
	buf->f_bavail = buf->f_bfree > es->s_r_blocks_count ?
				buf->f_bfree - es->s_r_blocks_count :
				0;
	buf->f_files = sbi->s_inodes_count;
	buf->f_ffree = sbi->s_free_inodes;
	buf->f_namelen = EXT2_NAME_LEN;
	memcpy(&buf->f_fsid[0], es->s_uuid, 4);
	memcpy(&buf->f_fsid[1], es->s_uuid + 4, 4);
	buf->f_flags = (long)(sb->s_flags & SB_RDONLY);
	return 0;
}

static const char *const errors_names[] = {
	[EXT2_ERRORS_CONTINUE] = "continue",
	[EXT2_ERRORS_RO] = "remount-ro",
	[EXT2_ERRORS_PANIC] = "panic",
};

/* Mount options: errors=continue|remount-ro|panic. 0 or -EINVAL. */
static int parse_options(struct super_block *sb, char *data)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	char *opt;
	unsigned int i;

	while (data && *data) {
		opt = data;
		data = strchr(data, ',');
		if (data)
			*data++ = '\0';
		if (!*opt)
			continue;
		if (strncmp(opt, "errors=", 7)) {
			ext2_msg(sb, KERN_ERR,
				 "error: unrecognized mount option \"%s\"",
				 opt);
			return -EINVAL;
		}
		for (i = EXT2_ERRORS_CONTINUE; i <= EXT2_ERRORS_PANIC; i++)
			if (!strcmp(opt + 7, errors_names[i]))
				break;
		if (i > EXT2_ERRORS_PANIC) {
			ext2_msg(sb, KERN_ERR,
				 "error: bad value for errors=: \"%s\"",
				 opt + 7);
			return -EINVAL;
		}
		sbi->s_errors = i;
		sbi->s_errors_opt = true;
	}
	return 0;
}

static int ext2_show_options(char *buf, size_t size, struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (!sbi->s_errors_opt)
		return 0;
	return snprintf(buf, size, ",errors=%s", errors_names[sbi->s_errors]);
}

static int ext2_remount(struct super_block *sb, unsigned long *flags,
			char *data)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_super_block *es = sbi->s_es;
	int err;

	err = parse_options(sb, data);
	if (err)
		return err;
	if ((*flags & SB_RDONLY) == (sb->s_flags & SB_RDONLY))
		return 0;
	if (*flags & SB_RDONLY) { /* rw -> ro: everything out, state back */
		ext2_write_all(sb);
		es->s_state = (u16)sbi->s_mount_state;
		ext2_sync_super(sb, true);
		return sync_blockdev(sb->s_bdev);
	}
	if (es->s_feature_ro_compat & ~EXT2_FEATURE_RO_COMPAT_SUPP) {
		ext2_msg(
			sb, KERN_WARNING,
			"warning: unsupported optional features (%x): cannot remount read-write",
			es->s_feature_ro_compat & ~EXT2_FEATURE_RO_COMPAT_SUPP);
		return -EROFS;
	}
	if (es->s_rev_level > EXT2_DYNAMIC_REV)
		return -EROFS;
	sbi->s_mount_state = es->s_state;
	sb->s_flags &= ~SB_RDONLY; /* ext2_sync_super writes only then */
	ext2_setup_super(sb);
	return 0;
}

static struct inode *ext2_alloc_inode(struct super_block *sb)
{
	struct ext2_inode_info *ei = kzalloc(sizeof(*ei), GFP_NOFS);

	if (!ei)
		return NULL;
	mutex_init(&ei->truncate_mutex);
	INIT_LIST_HEAD(&ei->i_sb_link);
	return &ei->vfs_inode;
}

static void ext2_destroy_inode(struct inode *inode)
{
	kfree(EXT2_I(inode));
}

static const struct super_operations ext2_sops = {
	.alloc_inode = ext2_alloc_inode,
	.destroy_inode = ext2_destroy_inode,
	.write_inode = ext2_write_inode,
	.evict_inode = ext2_evict_inode,
	.put_super = ext2_put_super,
	.sync_fs = ext2_sync_fs,
	.statfs = ext2_statfs,
	.remount_fs = ext2_remount,
	.show_options = ext2_show_options,
};

/* ---- mounting ----------------------------------------------------------- */

struct feature_name {
	u32 mask;
	const char *name;
};

static const struct feature_name incompat_names[] = {
	{ 0x0001, "compression" },
	{ 0x0002, "filetype" },
	{ 0x0004, "needs_recovery" },
	{ 0x0008, "journal_dev" },
	{ 0x0010, "meta_bg" },
	{ 0x0040, "extent" },
	{ 0x0080, "64bit" },
	{ 0x0100, "mmp" },
	{ 0x0200, "flex_bg" },
	{ 0x0400, "ea_inode" },
	{ 0x1000, "dirdata" },
	{ 0x2000, "metadata_csum_seed" },
	{ 0x4000, "large_dir" },
	{ 0x8000, "inline_data" },
	{ 0x10000, "encrypt" },
	{ 0x20000, "casefold" },
	{ 0, NULL },
};

static const struct feature_name ro_compat_names[] = {
	{ 0x0001, "sparse_super" }, { 0x0002, "large_file" },
	{ 0x0004, "btree_dir" },    { 0x0008, "huge_file" },
	{ 0x0010, "uninit_bg" },    { 0x0020, "dir_nlink" },
	{ 0x0040, "extra_isize" },  { 0x0100, "quota" },
	{ 0x0200, "bigalloc" },	    { 0x0400, "metadata_csum" },
	{ 0x1000, "readonly" },	    { 0x2000, "project" },
	{ 0x8000, "verity" },	    { 0, NULL },
};

/* "extent flex_bg 0x40000000" for the features in @mask. */
static void feature_list(char *buf, size_t size, u32 mask,
			 const struct feature_name *names)
{
	size_t len = 0;
	u32 left = mask;
	int i;

	buf[0] = '\0';
	for (i = 0; names[i].name; i++) {
		if (!(mask & names[i].mask))
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					len ? " " : "", names[i].name);
		left &= ~names[i].mask;
		if (len >= size)
			return;
	}
	if (left)
		snprintf(buf + len, size - len, "%s0x%x", len ? " " : "", left);
}

/* INCOMPAT: refuse; RO_COMPAT: read-only. 0 or -EINVAL. */
static int check_features(struct super_block *sb, struct ext2_super_block *es)
{
	char names[128];
	u32 bad;

	if (es->s_rev_level == EXT2_GOOD_OLD_REV)
		return 0; /* revision 0 has no feature fields */
	bad = es->s_feature_incompat & ~EXT2_FEATURE_INCOMPAT_SUPP;
	if (bad) {
		feature_list(names, sizeof(names), bad, incompat_names);
		ext2_msg(
			sb, KERN_ERR,
			"error: couldn't mount because of unsupported optional features (%s)",
			names);
		return -EINVAL;
	}
	bad = es->s_feature_ro_compat & ~EXT2_FEATURE_RO_COMPAT_SUPP;
	if (bad && !(sb->s_flags & SB_RDONLY)) {
		feature_list(names, sizeof(names), bad, ro_compat_names);
		ext2_msg(
			sb, KERN_WARNING,
			"warning: unsupported optional features (%s): mounting read-only",
			names);
		sb->s_flags |= SB_RDONLY;
	}
	return 0;
}

/* The largest file the block tree (and i_blocks, in 512-byte units) can
 * address. */
static loff_t ext2_max_size(unsigned int bits)
{
	u64 apb = 1ULL << (bits - 2), blocks, meta, upper;

	blocks = EXT2_NDIR_BLOCKS + apb + apb * apb + apb * apb * apb;
	meta = 1 + 1 + apb + 1 + apb + apb * apb; /* indirect blocks */
	upper = (1ULL << 32) - 1; /* i_blocks */
	upper >>= bits - 9;
	if (blocks > upper - meta)
		blocks = upper - meta;
	blocks <<= bits;
	if (blocks > (u64)MAX_LFS_FILESIZE)
		blocks = MAX_LFS_FILESIZE;
	return (loff_t)blocks;
}

#define SB_ERR(sb, ...)                                        \
	do {                                                   \
		ext2_msg(sb, KERN_ERR, "error: " __VA_ARGS__); \
		return -EINVAL;                                \
	} while (0)

/* The geometry of @es, checked against itself and the device. */
static int check_geometry(struct super_block *sb, struct ext2_super_block *es)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long bs = sb->s_blocksize, bpg, ipg, dev_blocks;

	if (es->s_rev_level == EXT2_GOOD_OLD_REV) {
		sbi->s_inode_size = EXT2_GOOD_OLD_INODE_SIZE;
		sbi->s_first_ino = EXT2_GOOD_OLD_FIRST_INO;
	} else {
		sbi->s_inode_size = es->s_inode_size;
		sbi->s_first_ino = es->s_first_ino;
		if (sbi->s_inode_size < EXT2_GOOD_OLD_INODE_SIZE ||
		    sbi->s_inode_size > bs ||
		    (sbi->s_inode_size & (sbi->s_inode_size - 1)))
			SB_ERR(sb, "unsupported inode size: %u",
			       sbi->s_inode_size);
		if (sbi->s_first_ino < EXT2_GOOD_OLD_FIRST_INO)
			SB_ERR(sb, "bad first inode: %lu", sbi->s_first_ino);
	}
	if (es->s_log_frag_size != es->s_log_block_size)
		SB_ERR(sb, "fragsize %u != blocksize %lu (not supported)",
		       1024U << (es->s_log_frag_size & 15), bs);
	bpg = es->s_blocks_per_group;
	ipg = es->s_inodes_per_group;
	sbi->s_blocks_per_group = bpg;
	sbi->s_inodes_per_group = ipg;
	sbi->s_blocks_count = es->s_blocks_count;
	sbi->s_inodes_count = es->s_inodes_count;
	sbi->s_first_data_block = es->s_first_data_block;
	if (!bpg || bpg > bs * 8 || es->s_frags_per_group != bpg)
		SB_ERR(sb, "#blocks per group wrong: %lu", bpg);
	sbi->s_inodes_per_block = bs / sbi->s_inode_size;
	if (!ipg || ipg > bs * 8 || ipg % sbi->s_inodes_per_block)
		SB_ERR(sb, "#inodes per group wrong: %lu", ipg);
	if (sbi->s_first_data_block != (bs == 1024 ? 1U : 0U) ||
	    sbi->s_blocks_count <= sbi->s_first_data_block)
		SB_ERR(sb, "bad first data block %lu (of %lu blocks)",
		       sbi->s_first_data_block, sbi->s_blocks_count);
	dev_blocks = (unsigned long)(sb->s_bdev->bd_nr_sectors >>
				     (sb->s_blocksize_bits - 9));
	if (sbi->s_blocks_count > dev_blocks)
		SB_ERR(sb,
		       "bad geometry: block count %lu exceeds size of device (%lu blocks)",
		       sbi->s_blocks_count, dev_blocks);
	sbi->s_itb_per_group = ipg / sbi->s_inodes_per_block;
	sbi->s_groups_count =
		(sbi->s_blocks_count - sbi->s_first_data_block + bpg - 1) / bpg;
	if ((u64)sbi->s_groups_count * ipg != sbi->s_inodes_count)
		SB_ERR(sb, "inodes count %lu is not %lu groups of %lu",
		       sbi->s_inodes_count, sbi->s_groups_count, ipg);
	sbi->s_desc_per_block = bs / sizeof(struct ext2_group_desc);
	sbi->s_gdb_count = (sbi->s_groups_count + sbi->s_desc_per_block - 1) /
			   sbi->s_desc_per_block;
	sbi->s_addr_per_block = bs / 4;
	sbi->s_addr_per_block_bits = sb->s_blocksize_bits - 2;
	if (es->s_reserved_gdt_blocks > bs / 4)
		SB_ERR(sb, "too many reserved group descriptor blocks: %u",
		       es->s_reserved_gdt_blocks);
	if (1 + sbi->s_gdb_count + es->s_reserved_gdt_blocks + 2 +
		    sbi->s_itb_per_group >
	    bpg)
		SB_ERR(sb, "the metadata of a group does not fit in it");
	return 0;
}

/* Each descriptor's bitmaps and inode table inside its own group, past
 * the superblock copy, and its counts within the group's size. */
static int check_descriptors(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long g, first, last, meta_end, itb = sbi->s_itb_per_group;
	struct ext2_group_desc *gd;

	for (g = 0; g < sbi->s_groups_count; g++) {
		gd = ext2_get_group_desc(sb, g, NULL);
		first = ext2_group_first_block(sb, g);
		last = g == sbi->s_groups_count - 1 ?
			       sbi->s_blocks_count - 1 :
			       first + sbi->s_blocks_per_group - 1;
		meta_end = first;
		if (ext2_group_has_super(sb, g))
			meta_end += 1 + sbi->s_gdb_count +
				    sbi->s_es->s_reserved_gdt_blocks;
		if (gd->bg_block_bitmap < meta_end ||
		    gd->bg_block_bitmap > last)
			SB_ERR(sb,
			       "block bitmap for group %lu not in group (block %u)",
			       g, gd->bg_block_bitmap);
		if (gd->bg_inode_bitmap < meta_end ||
		    gd->bg_inode_bitmap > last ||
		    gd->bg_inode_bitmap == gd->bg_block_bitmap)
			SB_ERR(sb,
			       "inode bitmap for group %lu not in group (block %u)",
			       g, gd->bg_inode_bitmap);
		if (gd->bg_inode_table < meta_end ||
		    gd->bg_inode_table + itb - 1 > last ||
		    gd->bg_inode_table + itb < gd->bg_inode_table ||
		    (gd->bg_block_bitmap >= gd->bg_inode_table &&
		     gd->bg_block_bitmap < gd->bg_inode_table + itb) ||
		    (gd->bg_inode_bitmap >= gd->bg_inode_table &&
		     gd->bg_inode_bitmap < gd->bg_inode_table + itb))
			SB_ERR(sb,
			       "inode table for group %lu not in group (block %u)",
			       g, gd->bg_inode_table);
		if (gd->bg_free_blocks_count > last - first + 1 ||
		    gd->bg_free_inodes_count > sbi->s_inodes_per_group ||
		    gd->bg_used_dirs_count >
			    sbi->s_inodes_per_group - gd->bg_free_inodes_count)
			SB_ERR(sb,
			       "group %lu: counts out of range (%u free blocks, %u free inodes, %u dirs)",
			       g, gd->bg_free_blocks_count,
			       gd->bg_free_inodes_count,
			       gd->bg_used_dirs_count);
		sbi->s_free_blocks += gd->bg_free_blocks_count;
		sbi->s_free_inodes += gd->bg_free_inodes_count;
		sbi->s_dirs += gd->bg_used_dirs_count;
	}
	return 0;
}

static int read_descriptors(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long i;

	sbi->s_gdb = kcalloc(sbi->s_gdb_count, sizeof(*sbi->s_gdb), GFP_KERNEL);
	if (!sbi->s_gdb)
		return -ENOMEM;
	for (i = 0; i < sbi->s_gdb_count; i++) {
		sbi->s_gdb[i] = sb_bread(sb, sbi->s_first_data_block + 1 + i);
		if (!sbi->s_gdb[i]) {
			ext2_msg(sb, KERN_ERR,
				 "error: unable to read group descriptors");
			return -EIO;
		}
	}
	return check_descriptors(sb);
}

/* Read the superblock with @blocksize blocks: *@es points into it. */
static int read_super(struct super_block *sb, unsigned int blocksize,
		      bool silent, struct ext2_super_block **es)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long block = EXT2_SUPER_OFFSET / blocksize;
	unsigned long offset = EXT2_SUPER_OFFSET % blocksize;

	if (!sb_set_blocksize(sb, blocksize)) {
		ext2_msg(sb, KERN_ERR, "error: unable to set blocksize %u",
			 blocksize);
		return -EINVAL;
	}
	brelse(sbi->s_sbh);
	sbi->s_sbh = sb_bread(sb, block);
	if (!sbi->s_sbh) {
		ext2_msg(sb, KERN_ERR, "error: unable to read superblock");
		return -EIO;
	}
	*es = (struct ext2_super_block *)(sbi->s_sbh->b_data + offset);
	if ((*es)->s_magic != EXT2_SUPER_MAGIC) {
		if (!silent)
			ext2_msg(
				sb, KERN_ERR,
				"error: can't find an ext2 filesystem on dev %s.",
				sb->s_id);
		return -EINVAL;
	}
	return 0;
}

static int ext2_load_super(struct super_block *sb, bool silent)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_super_block *es;
	unsigned int blocksize;
	int err;

	err = read_super(sb, EXT2_MIN_BLOCK_SIZE, silent, &es);
	if (err)
		return err;
	if (es->s_log_block_size > 6)
		SB_ERR(sb, "bad block size 1024 << %u", es->s_log_block_size);
	blocksize = EXT2_MIN_BLOCK_SIZE << es->s_log_block_size;
	if (blocksize > PAGE_SIZE)
		SB_ERR(sb, "unsupported blocksize %u (larger than a page, %lu)",
		       blocksize, PAGE_SIZE);
	if (blocksize != EXT2_MIN_BLOCK_SIZE) {
		err = read_super(sb, blocksize, silent, &es);
		if (err)
			return err;
	}
	sbi->s_es = es;
	if (es->s_rev_level > EXT2_DYNAMIC_REV && !(sb->s_flags & SB_RDONLY)) {
		ext2_msg(
			sb, KERN_WARNING,
			"warning: revision level too high, forcing read-only mode");
		sb->s_flags |= SB_RDONLY;
	}
	err = check_features(sb, es);
	if (!err)
		err = check_geometry(sb, es);
	return err;
}

static int ext2_fill_super(struct super_block *sb, void *data, int silent)
{
	struct ext2_sb_info *sbi = kzalloc(sizeof(*sbi), GFP_KERNEL);
	struct inode *root;
	int err;

	if (!sbi)
		return -ENOMEM;
	sb->s_fs_info = sbi;
	mutex_init(&sbi->s_alloc_lock);
	mutex_init(&sbi->s_inodes_lock);
	INIT_LIST_HEAD(&sbi->s_inodes);
	err = ext2_load_super(sb, silent);
	if (err)
		goto fail;
	sbi->s_errors = sbi->s_es->s_errors;
	if (sbi->s_errors < EXT2_ERRORS_CONTINUE ||
	    sbi->s_errors > EXT2_ERRORS_PANIC)
		sbi->s_errors = EXT2_ERRORS_CONTINUE;
	err = parse_options(sb, data);
	if (err)
		goto fail;
	err = read_descriptors(sb);
	if (err)
		goto fail;
	sbi->s_mount_state = sbi->s_es->s_state;
	sb->s_magic = EXT2_SUPER_MAGIC;
	sb->s_op = &ext2_sops;
	sb->s_maxbytes = ext2_max_size(sb->s_blocksize_bits);
	sb->s_time_gran = 1000000000; /* the disk keeps seconds */
	root = ext2_iget(sb, EXT2_ROOT_INO);
	if (IS_ERR(root)) {
		err = PTR_ERR(root);
		ext2_msg(sb, KERN_ERR, "error: get root inode failed");
		goto fail;
	}
	if (!S_ISDIR(root->i_mode) || !root->i_size) {
		iput(root);
		ext2_msg(sb, KERN_ERR, "error: corrupt root inode, run e2fsck");
		err = -EUCLEAN;
		goto fail;
	}
	sb->s_root = d_make_root(root);
	if (!sb->s_root) {
		err = -ENOMEM;
		goto fail;
	}
	if (!(sb->s_flags & SB_RDONLY))
		ext2_setup_super(sb);
	return 0;
fail:
	ext2_release_sbi(sb);
	return err;
}

static struct dentry *ext2_mount(struct file_system_type *type, int flags,
				 const char *dev_name, void *data)
{
	return mount_bdev(type, flags, dev_name, data, ext2_fill_super);
}

static struct file_system_type ext2_fs_type = {
	.name = "ext2",
	.fs_flags = FS_REQUIRES_DEV,
	.mount = ext2_mount,
	.kill_sb = kill_block_super,
};

static int ext2_init(void)
{
	return register_filesystem(&ext2_fs_type);
}
fs_initcall(ext2_init);
