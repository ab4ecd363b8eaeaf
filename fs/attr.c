/*
 * Changing attributes: chmod, chown, utimes and truncate all end in
 * notify_change(), which fills in the time stamps, turns "kill the
 * set-id bits" requests into a mode change, checks the request against
 * the rules (setattr_prepare) and hands it to ->setattr.
 *
 * The rules, as in Linux: only CAP_CHOWN changes the owner; the owner
 * may change the group to one of his groups; only the owner (or
 * CAP_FOWNER) changes the mode or sets explicit times; anyone who may
 * write the file may set its times to "now". A chmod by someone outside
 * the file's group drops the set-gid bit. A size change may not grow
 * the file past the process's RLIMIT_FSIZE (SIGXFSZ and EFBIG) nor
 * past the filesystem's largest size (EFBIG): inode_newsize_ok(), which
 * the write path's generic_write_checks() mirrors.
 *
 * Locking: the caller holds the inode's i_mutex around notify_change.
 */
#include <kestrel/cred.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>

#include "internal.h"

bool inode_owner_or_capable(const struct inode *inode)
{
	return current_fsuid() == inode->i_uid || capable(CAP_FOWNER);
}

static bool chown_ok(const struct inode *inode, kuid_t uid)
{
	if (current_fsuid() == inode->i_uid && uid == inode->i_uid)
		return true;
	return capable(CAP_CHOWN);
}

static bool chgrp_ok(const struct inode *inode, kgid_t gid)
{
	if (current_fsuid() == inode->i_uid &&
	    (gid == inode->i_gid || in_group_p(gid)))
		return true;
	return capable(CAP_CHOWN);
}

unsigned long fsize_limit(void)
{
	struct signal_struct *sig = current->signal;

	/* Kernel threads have no signal_struct and no limit. */
	return sig ? READ_ONCE(sig->rlim[RLIMIT_FSIZE].rlim_cur) :
		     RLIM_INFINITY;
}

int fsize_exceeded(void)
{
	send_sig_to_thread(SIGXFSZ, NULL, current);
	return -EFBIG;
}

int inode_newsize_ok(const struct inode *inode, loff_t offset)
{
	unsigned long limit = fsize_limit();

	if (offset < 0)
		return -EINVAL;
	if (offset <= i_size_read(inode))
		return 0;
	if (limit != RLIM_INFINITY && offset > (loff_t)limit)
		return fsize_exceeded();
	if (offset > inode->i_sb->s_maxbytes)
		return -EFBIG;
	return 0;
}

int setattr_prepare(struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = dentry->d_inode;
	unsigned int valid = attr->ia_valid;
	int err;

	/* Size limits hold even for ATTR_FORCE. */
	if (valid & ATTR_SIZE) {
		err = inode_newsize_ok(inode, attr->ia_size);
		if (err)
			return err;
	}
	if (valid & ATTR_FORCE)
		return 0;
	if ((valid & ATTR_UID) && !chown_ok(inode, attr->ia_uid))
		return -EPERM;
	if ((valid & ATTR_GID) && !chgrp_ok(inode, attr->ia_gid))
		return -EPERM;
	if (valid & ATTR_MODE) {
		kgid_t gid = (valid & ATTR_GID) ? attr->ia_gid : inode->i_gid;

		if (!inode_owner_or_capable(inode))
			return -EPERM;
		if (!in_group_p(gid) && !capable(CAP_FSETID))
			attr->ia_mode &= ~S_ISGID;
	}
	if ((valid & (ATTR_ATIME_SET | ATTR_MTIME_SET)) &&
	    !inode_owner_or_capable(inode))
		return -EPERM;
	if ((valid & ATTR_TOUCH) && !inode_owner_or_capable(inode))
		return inode_permission(inode, MAY_WRITE);
	return 0;
}

void setattr_copy(struct inode *inode, const struct iattr *attr)
{
	unsigned int valid = attr->ia_valid;

	if (valid & ATTR_UID)
		inode->i_uid = attr->ia_uid;
	if (valid & ATTR_GID)
		inode->i_gid = attr->ia_gid;
	if (valid & ATTR_ATIME)
		inode->i_atime = attr->ia_atime;
	if (valid & ATTR_MTIME)
		inode->i_mtime = attr->ia_mtime;
	if (valid & ATTR_CTIME)
		inode->i_ctime = attr->ia_ctime;
	if (valid & ATTR_MODE)
		inode->i_mode = attr->ia_mode;
}

/* Turn ATTR_KILL_SUID/SGID into a mode change, if the bits are set. */
static void kill_privs(struct inode *inode, struct iattr *attr)
{
	umode_t mode = (attr->ia_valid & ATTR_MODE) ? attr->ia_mode :
						      inode->i_mode;

	if (attr->ia_valid & ATTR_KILL_SUID)
		mode &= ~S_ISUID;
	/* S_ISGID without group execute is mandatory locking, not set-gid. */
	if ((attr->ia_valid & ATTR_KILL_SGID) &&
	    (mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		mode &= ~S_ISGID;
	if (mode != inode->i_mode) {
		attr->ia_valid |= ATTR_MODE;
		attr->ia_mode = mode;
	}
	attr->ia_valid &= ~(ATTR_KILL_SUID | ATTR_KILL_SGID);
}

int notify_change(struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = dentry->d_inode;
	struct timespec64 now = current_time(inode);
	int err;

	attr->ia_ctime = now;
	if (!(attr->ia_valid & ATTR_ATIME_SET))
		attr->ia_atime = now;
	if (!(attr->ia_valid & ATTR_MTIME_SET))
		attr->ia_mtime = now;
	attr->ia_valid |= ATTR_CTIME;
	if (attr->ia_valid & (ATTR_KILL_SUID | ATTR_KILL_SGID))
		kill_privs(inode, attr);
	if (attr->ia_valid & ATTR_MODE)
		attr->ia_mode = (attr->ia_mode & S_IALLUGO) |
				(inode->i_mode & S_IFMT);
	err = setattr_prepare(dentry, attr);
	if (err)
		return err;
	if (inode->i_op->setattr)
		return inode->i_op->setattr(dentry, attr);
	return simple_setattr(dentry, attr);
}

/* Set-id bits a write or truncate by @inode's non-privileged writer
 * must drop: ATTR_KILL_* flags, or 0. */
static unsigned int privs_to_kill(const struct inode *inode)
{
	unsigned int kill = 0;

	if (!S_ISREG(inode->i_mode))
		return 0;
	if (inode->i_mode & S_ISUID)
		kill |= ATTR_KILL_SUID;
	if ((inode->i_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		kill |= ATTR_KILL_SGID;
	if (kill && capable(CAP_FSETID))
		kill = 0;
	return kill;
}

int file_remove_privs(struct file *file)
{
	struct iattr attr = { 0 };

	attr.ia_valid = privs_to_kill(file_inode(file));
	if (!attr.ia_valid)
		return 0;
	attr.ia_valid |= ATTR_FORCE;
	return notify_change(file->f_path.dentry, &attr);
}

/* Used by do_truncate(): the kill flags for @dentry's inode. */
unsigned int dentry_needs_remove_privs(struct dentry *dentry)
{
	return privs_to_kill(dentry->d_inode);
}
