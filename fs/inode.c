/*
 * Inodes: allocation, reference counting and eviction.
 *
 * An inode lives while something refers to it: the dentries that name it
 * (one reference each), open files (through their dentry) and callers
 * between ihold and iput. When the last reference goes, iput() evicts it
 * at once: the filesystem's ->evict_inode frees its data if the file was
 * unlinked (i_nlink == 0), and the inode is freed. Kestrel keeps no cache
 * of unused inodes: a name that is still cached keeps its inode through
 * its dentry, which is the cache that matters for in-memory filesystems.
 * Disk filesystems find their inodes by number through Linux's inode
 * hash (iget_locked()): every name of a file gets the same inode while
 * it lives; an inode being evicted stays hashed until its
 * ->evict_inode has written it, and a lookup of its number waits for
 * that before reading it again.
 *
 * Filesystems that embed the inode in a larger structure (tmpfs) supply
 * ->alloc_inode/->destroy_inode; the others get plain inodes from
 * inode_cachep.
 *
 * Locking: inode->i_lock guards i_count, i_state and i_pipe;
 * inode_sb_list_lock guards each super_block's s_inodes list;
 * for_each_sb_inode() takes i_lock inside it.
 */
#include <kestrel/bug.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/printk.h>
#include <kestrel/pagemap.h>
#include <kestrel/writeback.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/time.h>
#include <kestrel/writeback.h>
#include <kestrel/sched.h>
#include <kestrel/wait.h>
#include <kestrel/lockdep.h>
#include <kestrel/math64.h>

#include "internal.h"

static struct kmem_cache *inode_cachep;
#define INODE_HASH_SIZE 256
static struct list_head inode_hashtable[INODE_HASH_SIZE];
static DEFINE_SPINLOCK(inode_hash_lock);
/* I_NEW cleared, or an inode left the hash. */
static DECLARE_WAIT_QUEUE_HEAD(inode_wait);
static DEFINE_SPINLOCK(inode_sb_list_lock);
static unsigned long inodes_allocated; /* inode_sb_list_lock */
static atomic_long_t last_ino;

static const struct inode_operations empty_iops;
static const struct file_operations no_open_fops;

unsigned long get_next_ino(void)
{
	return (unsigned long)atomic_long_inc_return(&last_ino);
}

unsigned long nr_inodes(void)
{
	return READ_ONCE(inodes_allocated);
}

struct timespec64 current_time(const struct inode *inode)
{
	struct timespec64 now;
	u32 nsec;

	div_u64_rem(ktime_get_ns(), NSEC_PER_SEC, &nsec);
	now.tv_sec = ktime_get_real_seconds();
	now.tv_nsec = nsec;
	return now;
}

static void inode_init_always(struct super_block *sb, struct inode *inode)
{
	memset(inode, 0, sizeof(*inode));
	inode->i_sb = sb;
	inode->i_blkbits = sb->s_blocksize_bits;
	inode->i_count = 1;
	inode->i_nlink = 1;
	inode->i_op = &empty_iops;
	inode->i_fop = &no_open_fops;
	spin_lock_init(&inode->i_lock);
	mutex_init(&inode->i_mutex);
	INIT_LIST_HEAD(&inode->i_sb_list);
	INIT_LIST_HEAD(&inode->i_hash);
	INIT_LIST_HEAD(&inode->i_wb_list);
	address_space_init(&inode->i_data, inode);
	inode->i_mapping = &inode->i_data;
}

struct inode *new_inode(struct super_block *sb)
{
	struct inode *inode;

	if (sb->s_op->alloc_inode)
		inode = sb->s_op->alloc_inode(sb);
	else
		inode = kmem_cache_alloc(inode_cachep, GFP_KERNEL);
	if (!inode)
		return NULL;
	inode_init_always(sb, inode);
	spin_lock(&inode_sb_list_lock);
	list_add(&inode->i_sb_list, &sb->s_inodes);
	inodes_allocated++;
	spin_unlock(&inode_sb_list_lock);
	return inode;
}

unsigned long sb_cached_pages(struct super_block *sb)
{
	unsigned long n = 0;
	struct inode *inode;

	spin_lock(&inode_sb_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list)
		n += READ_ONCE(inode->i_data.nrpages);
	spin_unlock(&inode_sb_list_lock);
	return n;
}

void ihold(struct inode *inode)
{
	spin_lock(&inode->i_lock);
	WARN_ON(inode->i_count <= 0 || (inode->i_state & I_FREEING));
	inode->i_count++;
	spin_unlock(&inode->i_lock);
}

static void destroy_inode(struct inode *inode)
{
	if (inode->i_sb->s_op->destroy_inode)
		inode->i_sb->s_op->destroy_inode(inode);
	else
		kmem_cache_free(inode_cachep, inode);
}

/* The last reference is gone: let the filesystem free the data, then
 * free the inode. */
static void evict(struct inode *inode)
{
	const struct super_operations *op = inode->i_sb->s_op;

	spin_lock(&inode_sb_list_lock);
	list_del_init(&inode->i_sb_list);
	inodes_allocated--;
	spin_unlock(&inode_sb_list_lock);
	/* Written if it still has a name (an unlinked one's pages are
	 * dropped below), and off the dirty list. */
	inode_writeback_evict(inode);
	if (op->evict_inode)
		op->evict_inode(inode);
	truncate_inode_pages(&inode->i_data, 0);
	remove_inode_hash(inode); /* a waiting iget_locked() reads it anew */
	if (inode->i_pipe) {
		free_pipe_info(inode->i_pipe);
		inode->i_pipe = NULL;
	}
	destroy_inode(inode);
}

void iput(struct inode *inode)
{
	if (!inode)
		return;
	spin_lock(&inode->i_lock);
	BUG_ON(inode->i_count <= 0);
	if (--inode->i_count > 0) {
		spin_unlock(&inode->i_lock);
		return;
	}
	inode->i_state |= I_FREEING;
	spin_unlock(&inode->i_lock);
	evict(inode);
}

/*
 * Call @fn(inode, @arg) on each inode of @sb not being evicted, with a
 * reference held across the call (so that it stays on the list and the
 * walk can go on from it); @fn may sleep. The reference of the previous
 * inode is dropped outside the list lock, since iput() may evict.
 */
void for_each_sb_inode(struct super_block *sb,
		       void (*fn)(struct inode *inode, void *arg), void *arg)
{
	struct inode *inode, *prev = NULL;

	spin_lock(&inode_sb_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		spin_lock(&inode->i_lock);
		if (inode->i_state & I_FREEING) {
			spin_unlock(&inode->i_lock);
			continue;
		}
		inode->i_count++;
		spin_unlock(&inode->i_lock);
		spin_unlock(&inode_sb_list_lock);
		iput(prev);
		fn(inode, arg);
		prev = inode;
		spin_lock(&inode_sb_list_lock);
	}
	spin_unlock(&inode_sb_list_lock);
	iput(prev);
}

/* ---- the inode hash ----------------------------------------------------- */

static struct list_head *inode_bucket(struct super_block *sb, unsigned long ino)
{
	unsigned long h = ino ^ ((unsigned long)sb >> 6);

	return &inode_hashtable[(h ^ (h >> 8)) % INODE_HASH_SIZE];
}

static struct inode *find_inode(struct super_block *sb, unsigned long ino)
{
	struct inode *inode;

	lockdep_assert_held(&inode_hash_lock);
	list_for_each_entry(inode, inode_bucket(sb, ino), i_hash)
		if (inode->i_sb == sb && inode->i_ino == ino)
			return inode;
	return NULL;
}

/* Is @inode (perhaps freed by now, and its memory reused for another
 * inode) still the hashed inode of @ino, being evicted? */
static bool still_freeing(struct super_block *sb, unsigned long ino,
			  struct inode *inode)
{
	struct inode *found;
	bool freeing;

	spin_lock(&inode_hash_lock);
	found = find_inode(sb, ino);
	freeing = found == inode && (READ_ONCE(found->i_state) & I_FREEING);
	spin_unlock(&inode_hash_lock);
	return freeing;
}

/* Free an inode nobody saw (iget_locked lost a race). */
static void discard_inode(struct inode *inode)
{
	spin_lock(&inode_sb_list_lock);
	list_del_init(&inode->i_sb_list);
	inodes_allocated--;
	spin_unlock(&inode_sb_list_lock);
	destroy_inode(inode);
}

struct inode *iget_locked(struct super_block *sb, unsigned long ino)
{
	struct inode *inode, *new = NULL;

again:
	spin_lock(&inode_hash_lock);
	inode = find_inode(sb, ino);
	if (inode) {
		spin_lock(&inode->i_lock);
		if (inode->i_state & I_FREEING) { /* wait until written */
			spin_unlock(&inode->i_lock);
			spin_unlock(&inode_hash_lock);
			wait_event(inode_wait, !still_freeing(sb, ino, inode));
			goto again;
		}
		inode->i_count++;
		spin_unlock(&inode->i_lock);
		spin_unlock(&inode_hash_lock);
		if (new)
			discard_inode(new);
		wait_event(inode_wait, !(READ_ONCE(inode->i_state) & I_NEW));
		if (list_empty(&inode->i_hash)) { /* its reading failed */
			iput(inode);
			new = NULL;
			goto again;
		}
		return inode;
	}
	if (!new) {
		spin_unlock(&inode_hash_lock);
		new = new_inode(sb);
		if (!new)
			return NULL;
		goto again;
	}
	new->i_ino = ino;
	new->i_state |= I_NEW;
	list_add(&new->i_hash, inode_bucket(sb, ino));
	spin_unlock(&inode_hash_lock);
	return new;
}

void unlock_new_inode(struct inode *inode)
{
	spin_lock(&inode->i_lock);
	inode->i_state &= ~I_NEW;
	spin_unlock(&inode->i_lock);
	wake_up_all(&inode_wait);
}

void iget_failed(struct inode *inode)
{
	remove_inode_hash(inode);
	unlock_new_inode(inode);
	iput(inode);
}

void insert_inode_hash(struct inode *inode)
{
	spin_lock(&inode_hash_lock);
	list_add(&inode->i_hash, inode_bucket(inode->i_sb, inode->i_ino));
	spin_unlock(&inode_hash_lock);
}

void remove_inode_hash(struct inode *inode)
{
	if (list_empty(&inode->i_hash))
		return;
	spin_lock(&inode_hash_lock);
	list_del_init(&inode->i_hash);
	spin_unlock(&inode_hash_lock);
	wake_up_all(&inode_wait);
}

void evict_inodes(struct super_block *sb)
{
	struct inode *inode;

	spin_lock(&inode_sb_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list)
		pr_err("VFS: busy inode %lu (count %d) after umount of %s\n",
		       inode->i_ino, inode->i_count, sb->s_id);
	spin_unlock(&inode_sb_list_lock);
}

void set_nlink(struct inode *inode, unsigned int nlink)
{
	inode->i_nlink = nlink;
}

void inc_nlink(struct inode *inode)
{
	inode->i_nlink++;
}

void drop_nlink(struct inode *inode)
{
	WARN_ON(inode->i_nlink == 0);
	if (inode->i_nlink)
		inode->i_nlink--;
}

void clear_nlink(struct inode *inode)
{
	inode->i_nlink = 0;
}

/*
 * The owner of a new inode is the creator's fsuid; its group is the
 * creator's fsgid, or the directory's group when the directory is
 * set-gid (BSD semantics), in which case a new directory inherits the
 * set-gid bit too. A set-gid file made by someone outside its group
 * loses the bit (Linux >= 4.x).
 */
void inode_init_owner(struct inode *inode, const struct inode *dir,
		      umode_t mode)
{
	inode->i_uid = current_fsuid();
	if (dir && (dir->i_mode & S_ISGID)) {
		inode->i_gid = dir->i_gid;
		if (S_ISDIR(mode))
			mode |= S_ISGID;
	} else {
		inode->i_gid = current_fsgid();
	}
	if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) &&
	    !S_ISDIR(mode) && !in_group_p(inode->i_gid) && !capable(CAP_FSETID))
		mode &= ~S_ISGID;
	inode->i_mode = mode;
}

void init_special_inode(struct inode *inode, umode_t mode, dev_t rdev)
{
	inode->i_mode = mode;
	if (S_ISCHR(mode)) {
		inode->i_fop = &def_chr_fops;
		inode->i_rdev = rdev;
	} else if (S_ISBLK(mode)) {
		inode->i_fop = &def_blk_fops;
		inode->i_rdev = rdev;
	} else if (S_ISFIFO(mode)) {
		inode->i_fop = &pipefifo_fops;
	} else if (S_ISSOCK(mode)) {
		inode->i_fop = &bad_sock_fops;
	} else {
		pr_warn("init_special_inode: bogus mode %o for inode %lu\n",
			mode, inode->i_ino);
	}
}

static int no_open(struct inode *inode, struct file *file)
{
	return -ENXIO;
}

static const struct file_operations no_open_fops = {
	.open = no_open,
};

void inode_init(void)
{
	unsigned int i;

	for (i = 0; i < INODE_HASH_SIZE; i++)
		INIT_LIST_HEAD(&inode_hashtable[i]);
	inode_cachep = kmem_cache_create("inode_cache", sizeof(struct inode), 0,
					 SLAB_PANIC, NULL);
}
