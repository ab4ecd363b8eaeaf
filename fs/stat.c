/*
 * stat and statfs: what a file and a filesystem report about themselves,
 * in kernel structures (struct kstat, struct kstatfs) that the system
 * calls convert to stat64, statx and statfs64.
 */
#include <kestrel/fs.h>
#include <kestrel/string.h>
#include <uapi/statfs.h>

void generic_fillattr(struct inode *inode, struct kstat *stat)
{
	stat->result_mask = STATX_BASIC_STATS;
	stat->dev = inode->i_sb->s_dev;
	stat->ino = inode->i_ino;
	stat->mode = inode->i_mode;
	stat->nlink = inode->i_nlink;
	stat->uid = inode->i_uid;
	stat->gid = inode->i_gid;
	stat->rdev = inode->i_rdev;
	stat->size = i_size_read(inode);
	stat->atime = inode->i_atime;
	stat->mtime = inode->i_mtime;
	stat->ctime = inode->i_ctime;
	stat->blksize = 1U << inode->i_blkbits;
	stat->blocks = inode->i_blocks;
}

/**
 * vfs_getattr - the attributes of the file at @path
 * @request_mask: STATX_* the caller wants (a hint)
 * @flags: AT_STATX_* (a hint)
 *
 * Returns 0 or -errno. Context: process; may sleep.
 */
int vfs_getattr(const struct path *path, struct kstat *stat, u32 request_mask,
		unsigned int flags)
{
	struct inode *inode = path->dentry->d_inode;

	memset(stat, 0, sizeof(*stat));
	if (inode->i_op->getattr)
		return inode->i_op->getattr(path->mnt, path->dentry, stat,
					    request_mask, flags);
	generic_fillattr(inode, stat);
	return 0;
}

static long mnt_statfs_flags(const struct vfsmount *mnt)
{
	long flags = ST_VALID;

	if ((mnt->mnt_flags & MNT_READONLY) ||
	    (mnt->mnt_sb->s_flags & SB_RDONLY))
		flags |= ST_RDONLY;
	if (mnt->mnt_flags & MNT_NOSUID)
		flags |= ST_NOSUID;
	if (mnt->mnt_flags & MNT_NODEV)
		flags |= ST_NODEV;
	if (mnt->mnt_flags & MNT_NOEXEC)
		flags |= ST_NOEXEC;
	return flags;
}

/**
 * vfs_statfs - statfs of the filesystem @path is on
 *
 * Returns 0 or -errno. Context: process; may sleep.
 */
int vfs_statfs(const struct path *path, struct kstatfs *buf)
{
	struct super_block *sb = path->dentry->d_sb;
	int err;

	memset(buf, 0, sizeof(*buf));
	if (sb->s_op && sb->s_op->statfs)
		err = sb->s_op->statfs(path->dentry, buf);
	else
		err = simple_statfs(path->dentry, buf);
	if (err)
		return err;
	if (!buf->f_frsize)
		buf->f_frsize = buf->f_bsize;
	buf->f_fsid[0] = sb->s_dev;
	buf->f_flags = mnt_statfs_flags(path->mnt);
	return 0;
}
