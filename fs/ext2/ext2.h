/*
 * ext2: the on-disk structures (little-endian, as e2fsprogs writes them)
 * and the in-memory state of a mounted ext2 (docs/ext2.md draws the
 * layout).
 *
 *	| boot 1 KiB | super | group descs | (reserved GDT) | block bitmap |
 *	  inode bitmap | inode table ... | data ... |   <- group 0
 *	| (backup super + descs) | block bitmap | inode bitmap | ... | <- 1..
 *
 * The disk is cut into block groups of s_blocks_per_group blocks, each
 * with one block of block bitmap, one of inode bitmap and
 * s_inodes_per_group inodes of inode table. The superblock sits at byte
 * 1024; sparse_super keeps backup copies (with the descriptor table)
 * only in groups 0, 1 and powers of 3, 5 and 7.
 *
 * Kestrel runs on little-endian x86 only: fields are read as they are
 * (the __le32 types document the disk's byte order).
 */
#ifndef _FS_EXT2_EXT2_H
#define _FS_EXT2_EXT2_H

#include <kestrel/buffer_head.h>
#include <kestrel/fs.h>
#include <kestrel/mutex.h>
#include <kestrel/spinlock.h>
#include <kestrel/types.h>

typedef u16 __le16;
typedef u32 __le32;

#define EXT2_SUPER_MAGIC 0xEF53
#define EXT2_SUPER_OFFSET 1024 /* bytes from the start of the device */
#define EXT2_MIN_BLOCK_SIZE 1024
#define EXT2_MAX_BLOCK_SIZE 65536

/* Special inode numbers. */
#define EXT2_BAD_INO 1
#define EXT2_ROOT_INO 2
#define EXT2_GOOD_OLD_FIRST_INO 11
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_GOOD_OLD_REV 0
#define EXT2_DYNAMIC_REV 1

/* s_state */
#define EXT2_VALID_FS 0x0001
#define EXT2_ERROR_FS 0x0002

/* s_errors */
#define EXT2_ERRORS_CONTINUE 1
#define EXT2_ERRORS_RO 2
#define EXT2_ERRORS_PANIC 3

/* Features. */
#define EXT2_FEATURE_COMPAT_DIR_INDEX 0x0020
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE 0x0002
#define EXT2_FEATURE_INCOMPAT_FILETYPE 0x0002
#define EXT2_FEATURE_INCOMPAT_SUPP EXT2_FEATURE_INCOMPAT_FILETYPE
#define EXT2_FEATURE_RO_COMPAT_SUPP            \
	(EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | \
	 EXT2_FEATURE_RO_COMPAT_LARGE_FILE)

/* i_flags */
#define EXT2_INDEX_FL 0x00001000 /* hashed directory (dir_index) */

/* The superblock: byte 1024 of the device, 1024 bytes. */
struct ext2_super_block {
	__le32 s_inodes_count;
	__le32 s_blocks_count;
	__le32 s_r_blocks_count; /* reserved for the super-user */
	__le32 s_free_blocks_count;
	__le32 s_free_inodes_count;
	__le32 s_first_data_block; /* 1 with 1 KiB blocks, else 0 */
	__le32 s_log_block_size; /* block size = 1024 << this */
	__le32 s_log_frag_size;
	__le32 s_blocks_per_group;
	__le32 s_frags_per_group;
	__le32 s_inodes_per_group;
	__le32 s_mtime; /* last mount */
	__le32 s_wtime; /* last write */
	__le16 s_mnt_count;
	__le16 s_max_mnt_count;
	__le16 s_magic;
	__le16 s_state;
	__le16 s_errors;
	__le16 s_minor_rev_level;
	__le32 s_lastcheck;
	__le32 s_checkinterval;
	__le32 s_creator_os;
	__le32 s_rev_level;
	__le16 s_def_resuid;
	__le16 s_def_resgid;
	/* EXT2_DYNAMIC_REV only: */
	__le32 s_first_ino;
	__le16 s_inode_size;
	__le16 s_block_group_nr; /* the group of this copy */
	__le32 s_feature_compat;
	__le32 s_feature_incompat;
	__le32 s_feature_ro_compat;
	u8 s_uuid[16];
	char s_volume_name[16];
	char s_last_mounted[64];
	__le32 s_algorithm_usage_bitmap;
	u8 s_prealloc_blocks;
	u8 s_prealloc_dir_blocks;
	__le16 s_reserved_gdt_blocks; /* resize_inode: after the descriptors */
	u8 s_journal_uuid[16];
	__le32 s_journal_inum;
	__le32 s_journal_dev;
	__le32 s_last_orphan;
	__le32 s_hash_seed[4];
	u8 s_def_hash_version;
	u8 s_reserved_char_pad;
	__le16 s_reserved_word_pad;
	__le32 s_default_mount_opts;
	__le32 s_first_meta_bg;
	__le32 s_reserved[190];
};

/* One block group's descriptor: 32 bytes in the table after the super. */
struct ext2_group_desc {
	__le32 bg_block_bitmap;
	__le32 bg_inode_bitmap;
	__le32 bg_inode_table;
	__le16 bg_free_blocks_count;
	__le16 bg_free_inodes_count;
	__le16 bg_used_dirs_count;
	__le16 bg_pad;
	__le32 bg_reserved[3];
};

/* i_block[]: 12 direct blocks, then one indirect, double, triple. */
#define EXT2_NDIR_BLOCKS 12
#define EXT2_IND_BLOCK 12
#define EXT2_DIND_BLOCK 13
#define EXT2_TIND_BLOCK 14
#define EXT2_N_BLOCKS 15

/* The first 128 bytes of an inode (s_inode_size may be larger). */
struct ext2_inode {
	__le16 i_mode;
	__le16 i_uid;
	__le32 i_size;
	__le32 i_atime;
	__le32 i_ctime;
	__le32 i_mtime;
	__le32 i_dtime; /* when deleted */
	__le16 i_gid;
	__le16 i_links_count;
	__le32 i_blocks; /* 512-byte units */
	__le32 i_flags;
	__le32 i_reserved1;
	__le32 i_block[EXT2_N_BLOCKS];
	__le32 i_generation;
	__le32 i_file_acl; /* extended attribute block */
	__le32 i_size_high; /* i_dir_acl: regular files' size >> 32 */
	__le32 i_faddr;
	u8 l_i_frag;
	u8 l_i_fsize;
	__le16 i_pad1;
	__le16 l_i_uid_high;
	__le16 l_i_gid_high;
	__le32 l_i_reserved2;
};

/* A directory entry; entries tile each block (rec_len to the next). */
struct ext2_dir_entry_2 {
	__le32 inode; /* 0: unused */
	__le16 rec_len;
	u8 name_len;
	u8 file_type; /* EXT2_FT_* with the filetype feature */
	char name[]; /* not NUL-ended */
};

enum {
	EXT2_FT_UNKNOWN,
	EXT2_FT_REG_FILE,
	EXT2_FT_DIR,
	EXT2_FT_CHRDEV,
	EXT2_FT_BLKDEV,
	EXT2_FT_FIFO,
	EXT2_FT_SOCK,
	EXT2_FT_SYMLINK,
	EXT2_FT_MAX
};

#define EXT2_NAME_LEN 255
#define EXT2_DIR_PAD 4
#define EXT2_DIR_REC_LEN(name_len) (((name_len) + 8 + 3) & ~3U)
#define EXT2_LINK_MAX 32000

/* ---- in memory ---------------------------------------------------------- */

/**
 * struct ext2_sb_info - a mounted ext2
 * @s_sbh, @s_es: the buffer holding the superblock, and the superblock
 * @s_gdb: the buffers of the group descriptor table (@s_gdb_count)
 * @s_groups_count, @s_blocks_per_group, @s_inodes_per_group,
 * @s_itb_per_group, @s_desc_per_block, @s_inodes_per_block: geometry
 * @s_inode_size, @s_first_ino: from the superblock (revision 0: 128, 11)
 * @s_first_data_block, @s_blocks_count, @s_inodes_count: the same
 * @s_alloc_lock: the bitmaps, the descriptors' counts, the free counts
 * @s_free_blocks, @s_free_inodes, @s_dirs: totals (written at sync)
 * @s_mount_state: s_state as found at mount (EXT2_VALID_FS...)
 * @s_errors: EXT2_ERRORS_*: the option, else the superblock's
 * @s_last_dir_group: where the last top-level directory went
 */
struct ext2_sb_info {
	struct buffer_head *s_sbh;
	struct ext2_super_block *s_es;
	struct buffer_head **s_gdb;
	unsigned long s_gdb_count;
	unsigned long s_groups_count;
	unsigned long s_blocks_per_group;
	unsigned long s_inodes_per_group;
	unsigned long s_itb_per_group;
	unsigned long s_desc_per_block;
	unsigned long s_inodes_per_block;
	unsigned int s_inode_size;
	unsigned long s_first_ino;
	unsigned long s_first_data_block;
	unsigned long s_blocks_count;
	unsigned long s_inodes_count;
	unsigned long s_addr_per_block;
	unsigned int s_addr_per_block_bits;
	struct mutex s_alloc_lock;
	unsigned long s_free_blocks;
	unsigned long s_free_inodes;
	unsigned long s_dirs;
	unsigned int s_mount_state;
	unsigned int s_errors;
	bool s_errors_opt; /* errors= was given */
	unsigned long s_last_dir_group;
	struct mutex s_inodes_lock; /* s_inodes */
	struct list_head s_inodes; /* the live ext2_inode_infos (sync) */
};

static inline struct ext2_sb_info *EXT2_SB(const struct super_block *sb)
{
	return sb->s_fs_info;
}

/* ext2_inode_info->i_state */
#define EXT2_STATE_NEW 0x1 /* allocated: its disk inode is to be cleared */
#define EXT2_STATE_BAD 0x2 /* failed to load: nothing of it is trusted */

/**
 * struct ext2_inode_info - an ext2 inode in memory
 * @i_data: the block pointers (i_block[] of the disk inode)
 * @i_flags, @i_file_acl, @i_dtime, @i_generation: from the disk inode
 * @i_block_group: the group of the inode (allocation goal)
 * @i_next_alloc_block, @i_next_alloc_goal: the last allocation: the
 *     next logical block and where it would best go (sequential writes)
 * @i_dir_start_lookup: the directory page where the last lookup hit
 * @i_state: EXT2_STATE_*
 * @truncate_mutex: serialises changes to the block map (allocation in
 *     get_block from write-back, truncation)
 */
struct ext2_inode_info {
	u32 i_data[EXT2_N_BLOCKS];
	u32 i_flags;
	u32 i_file_acl;
	u32 i_dtime;
	u32 i_generation;
	unsigned long i_block_group;
	sector_t i_next_alloc_block;
	unsigned long i_next_alloc_goal;
	unsigned long i_dir_start_lookup;
	unsigned int i_state;
	struct mutex truncate_mutex;
	struct list_head i_sb_link; /* in s_inodes, while live */
	struct inode vfs_inode;
};

static inline struct ext2_inode_info *EXT2_I(struct inode *inode)
{
	return container_of(inode, struct ext2_inode_info, vfs_inode);
}

/* balloc.c */
unsigned long ext2_new_block(struct inode *inode, unsigned long goal, int *err);
void ext2_free_blocks(struct inode *inode, unsigned long block,
		      unsigned long count);
struct ext2_group_desc *ext2_get_group_desc(struct super_block *sb,
					    unsigned long group,
					    struct buffer_head **bh);
bool ext2_data_block_valid(struct super_block *sb, unsigned long block,
			   unsigned long count);
bool ext2_group_has_super(struct super_block *sb, unsigned long group);
unsigned long ext2_group_first_block(struct super_block *sb,
				     unsigned long group);
unsigned long ext2_count_free(const u8 *map, unsigned long bits);

/* ialloc.c */
struct inode *ext2_new_inode(struct inode *dir, umode_t mode,
			     const struct qstr *name);
void ext2_free_inode(struct inode *inode);

/* inode.c */
struct inode *ext2_iget(struct super_block *sb, unsigned long ino);
int ext2_write_inode(struct inode *inode, struct writeback_control *wbc);
/* Write the inode's table block now: 0 or -EIO. */
int ext2_sync_inode(struct inode *inode);
void ext2_evict_inode(struct inode *inode);
int ext2_get_block(struct inode *inode, sector_t iblock,
		   struct buffer_head *bh_result, int create);
int ext2_setattr(struct dentry *dentry, struct iattr *attr);
void ext2_set_inode_ops(struct inode *inode);
void ext2_truncate_blocks(struct inode *inode, loff_t offset);
void ext2_inc_count(struct inode *inode);
void ext2_track_inode(struct inode *inode);
int ext2_write_all(struct super_block *sb);
int ext2_dec_count(struct inode *inode);
extern const struct address_space_operations ext2_aops;

/* dir.c */
int ext2_add_link(struct dentry *dentry, struct inode *inode);
unsigned long ext2_inode_by_name(struct inode *dir, const struct qstr *name,
				 int *err);
int ext2_make_empty(struct inode *inode, struct inode *parent);
struct ext2_dir_entry_2 *ext2_find_entry(struct inode *dir,
					 const struct qstr *name,
					 struct page **res_page, int *err);
int ext2_delete_entry(struct ext2_dir_entry_2 *dir, struct page *page);
int ext2_empty_dir(struct inode *inode);
struct ext2_dir_entry_2 *ext2_dotdot(struct inode *dir, struct page **p,
				     int *err);
int ext2_set_link(struct inode *dir, struct ext2_dir_entry_2 *de,
		  struct page *page, struct inode *inode);
void ext2_put_page(struct page *page);
extern const struct file_operations ext2_dir_operations;

/* namei.c, file.c, symlink.c */
extern const struct inode_operations ext2_dir_inode_operations;
extern const struct inode_operations ext2_special_inode_operations;
extern const struct inode_operations ext2_file_inode_operations;
extern const struct file_operations ext2_file_operations;
int ext2_fsync(struct file *file, loff_t start, loff_t end, int datasync);
extern const struct inode_operations ext2_fast_symlink_inode_operations;
extern const struct inode_operations ext2_symlink_inode_operations;

/* super.c */
void ext2_error(struct super_block *sb, const char *function, const char *fmt,
		...) __attribute__((format(printf, 3, 4)));
void ext2_msg(struct super_block *sb, const char *level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ext2_sync_super(struct super_block *sb, bool wait);
void ext2_update_dynamic_rev(struct super_block *sb);

#define EXT2_ERROR(sb, ...) ext2_error(sb, __func__, __VA_ARGS__)

#endif /* _FS_EXT2_EXT2_H */
