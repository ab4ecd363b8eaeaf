/*
 * The initramfs: unpack a newc cpio archive (the boot module QEMU's
 * -initrd or GRUB's module2 passes) into the root tmpfs, as Linux's
 * init/initramfs.c does, before the first program runs.
 *
 * First the root gets what Linux's built-in initramfs holds: /dev,
 * /dev/console (c 5 1) and /root (default_rootfs), so that init has a
 * console to open whatever the archive holds.
 *
 * The parser (fs/cpio.c) validates each entry; this file turns entries
 * into files with the ordinary VFS calls, as root, from an fs_struct
 * rooted at the target directory, with umask 0:
 *
 *	directory   do_mkdirat (an existing one is kept), owner, mode;
 *	            its mtime is set at the very end, after its children
 *	regular     do_filp_open(O_CREAT|O_TRUNC), kernel_write the data
 *	symlink     do_symlinkat
 *	device,     do_mknodat with the entry's rdev
 *	fifo, sock
 *	hard link   an entry with nlink >= 2 whose (dev, ino) was seen
 *	            before becomes do_linkat to the first name
 *
 * then chown, chmod (chown clears set-id bits) and the mtime.
 *
 * Names are cleaned (cpio_clean_name): "/bin" and "./bin" are both
 * "bin" under the root; a ".." component is refused.
 *
 * Nothing that goes wrong is quiet, and nothing here panics; what was
 * unpacked stays and the boot goes on, as on Linux:
 *
 *	malformed or cut short   one error naming the offset, the reason
 *	(no trailer, zeros, a    and how many entries were unpacked; the
 *	size past the end)       rest of the module is skipped
 *	an entry not created     an error for it, then a summary: how
 *	(ENOSPC, ENOMEM, ...)    many failed, the first, and for ENOSPC
 *	                         the root's size (half of RAM, as Linux's)
 *	a module out of reach    reported by setup_arch(), never read
 *	(above mem=)
 */
#include <asm/page.h>
#include <kestrel/bootinfo.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/fs_struct.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "cpio.h"
#include "internal.h"

/* The default root (default_rootfs): Linux's usr/default_cpio_list. */
#define ROOTFS_DIR_MODE 0755
#define ROOTFS_ROOT_MODE 0700
#define ROOTFS_CONSOLE_MODE 0600
#define ROOTFS_CONSOLE MKDEV(5, 1) /* Linux's devices.txt: /dev/console */

/* A name seen with nlink >= 2, for later hard links to it. */
struct link_entry {
	struct list_head list;
	u32 ino, major, minor, type;
	char name[];
};

/* A directory whose mtime is set once its children exist. */
struct dir_time {
	struct list_head list;
	s64 mtime;
	char name[];
};

/* An entry's name, as much as the summary shows of it. */
#define REPORT_NAME_LEN 64

struct unpack_state {
	struct fs_struct *fs; /* root at the target, umask 0 */
	char *path; /* PATH_MAX: the cleaned name of the entry */
	struct list_head links; /* of struct link_entry */
	struct list_head dir_times; /* of struct dir_time */
	/* For the report: entries unpacked and failed, the first failure. */
	unsigned int done, failed;
	int first_err;
	char first_failed[REPORT_NAME_LEN];
};

/* ---- bookkeeping lists -------------------------------------------------- */

static void *alloc_named(size_t head, const char *name, struct list_head *list)
{
	size_t len = strlen(name) + 1;
	char *p = kmalloc(head + len, GFP_KERNEL);

	if (!p)
		return NULL;
	memcpy(p + head, name, len);
	list_add_tail((struct list_head *)p, list);
	return p;
}

static void free_list(struct list_head *list)
{
	while (!list_empty(list)) {
		struct list_head *p = list->next;

		list_del(p);
		kfree(p);
	}
}

/*
 * Hard links: if an earlier entry had the same (device, inode, type),
 * link to it and return 1; else remember this name and return 0.
 */
static int maybe_link(struct unpack_state *st, const struct cpio_header *h)
{
	u32 type = h->mode & S_IFMT;
	struct link_entry *l;

	if (h->nlink < 2 || S_ISDIR(h->mode))
		return 0;
	list_for_each_entry(l, &st->links, list) {
		if (l->ino == h->ino && l->major == h->devmajor &&
		    l->minor == h->devminor && l->type == type) {
			int err = do_linkat(st->fs, NULL, l->name, NULL,
					    st->path, 0);

			return err ? err : 1;
		}
	}
	/* Without the record, the names linked later would get the data
	 * and this one would stay empty: fail it instead. */
	l = alloc_named(offsetof(struct link_entry, name), st->path,
			&st->links);
	if (!l)
		return -ENOMEM;
	l->ino = h->ino;
	l->major = h->devmajor;
	l->minor = h->devminor;
	l->type = type;
	return 0;
}

/* ---- attributes --------------------------------------------------------- */

static void set_mtime(const struct path *path, s64 mtime)
{
	struct timespec64 t[2] = { { mtime, 0 }, { mtime, 0 } };

	vfs_utimes(path, t);
}

/* When set_attrs() sets the mtime: a directory's waits until its entries
 * are made (dir_times), which would change it. */
enum mtime_when { MTIME_NOW, MTIME_LATER };

/* Owner, then mode (chown clears set-id bits), then mtime. */
static int set_attrs(const struct path *path, const struct cpio_header *h,
		     enum mtime_when mtime)
{
	int err = vfs_chown(path, h->uid, h->gid);

	if (!err && !S_ISLNK(h->mode))
		err = vfs_chmod(path, h->mode & S_IALLUGO);
	if (!err && mtime == MTIME_NOW)
		set_mtime(path, h->mtime);
	return err;
}

static int set_attrs_by_name(struct unpack_state *st,
			     const struct cpio_header *h, enum mtime_when mtime)
{
	struct path path;
	int err = vfs_path_lookup(st->fs, NULL, st->path, 0, &path);

	if (err)
		return err;
	err = set_attrs(&path, h, mtime);
	path_put(&path);
	return err;
}

/*
 * Make room for an entry of @mode's type: an existing name of another
 * type (or a symlink or node, which cannot be overwritten) is removed.
 */
static void clean_path(struct unpack_state *st, umode_t mode)
{
	struct path path;
	umode_t old;

	if (vfs_path_lookup(st->fs, NULL, st->path, 0, &path))
		return;
	old = path.dentry->d_inode->i_mode;
	path_put(&path);
	if (S_ISDIR(old) && !S_ISDIR(mode))
		do_rmdir(st->fs, NULL, st->path);
	else if (!S_ISDIR(old) && (((old ^ mode) & S_IFMT) || !S_ISREG(old)))
		do_unlinkat(st->fs, NULL, st->path);
}

/* ---- one entry of each kind --------------------------------------------- */

static int unpack_dir(struct unpack_state *st, const struct cpio_entry *e)
{
	struct dir_time *dt;
	int err = do_mkdirat(st->fs, NULL, st->path, e->h.mode & S_IALLUGO);

	if (err && err != -EEXIST)
		return err;
	err = set_attrs_by_name(st, &e->h, MTIME_LATER);
	dt = alloc_named(offsetof(struct dir_time, name), st->path,
			 &st->dir_times);
	if (dt)
		dt->mtime = e->h.mtime;
	return err;
}

static int write_data(struct unpack_state *st, const struct cpio_entry *e,
		      int flags)
{
	struct file *file;
	loff_t pos = 0;
	ssize_t n = 0;
	int err = 0;

	file = do_filp_open(st->fs, NULL, st->path, flags | O_WRONLY | O_TRUNC,
			    e->h.mode & S_IALLUGO);
	if (IS_ERR(file))
		return PTR_ERR(file);
	if (e->h.filesize)
		n = kernel_write(file, e->data, e->h.filesize, &pos);
	if (n < 0)
		err = n;
	else if ((u32)n != e->h.filesize)
		err = -ENOSPC;
	if (!err)
		err = set_attrs(&file->f_path, &e->h, MTIME_NOW);
	fput(file);
	return err;
}

static int unpack_file(struct unpack_state *st, const struct cpio_entry *e)
{
	int linked = maybe_link(st, &e->h);
	int err;

	if (linked < 0)
		return linked;
	if (linked && !e->h.filesize)
		return 0;
	err = write_data(st, e, linked ? 0 : O_CREAT);
	if (err)
		do_unlinkat(st->fs, NULL, st->path); /* no half-written file */
	return err;
}

static int unpack_symlink(struct unpack_state *st, const struct cpio_entry *e)
{
	char *target = kmalloc(e->h.filesize + 1, GFP_KERNEL);
	int err;

	if (!target)
		return -ENOMEM;
	memcpy(target, e->data, e->h.filesize);
	target[e->h.filesize] = '\0';
	err = do_symlinkat(st->fs, target, NULL, st->path);
	kfree(target);
	if (!err)
		err = set_attrs_by_name(st, &e->h, MTIME_NOW);
	return err;
}

static int unpack_node(struct unpack_state *st, const struct cpio_entry *e)
{
	int linked = maybe_link(st, &e->h);
	int err;

	if (linked)
		return linked < 0 ? linked : 0;
	err = do_mknodat(st->fs, NULL, st->path, e->h.mode,
			 MKDEV(e->h.rdevmajor, e->h.rdevminor));
	if (!err)
		err = set_attrs_by_name(st, &e->h, MTIME_NOW);
	return err;
}

/* Unpack @e, whose cleaned name is in st->path. */
static int unpack_entry(struct unpack_state *st, const struct cpio_entry *e)
{
	if (!st->path[0])
		return 0; /* the root itself: it exists */
	clean_path(st, e->h.mode);
	switch (e->h.mode & S_IFMT) {
	case S_IFDIR:
		return unpack_dir(st, e);
	case S_IFREG:
		return unpack_file(st, e);
	case S_IFLNK:
		return unpack_symlink(st, e);
	default:
		return unpack_node(st, e);
	}
}

/* ---- the archive -------------------------------------------------------- */

static void apply_dir_times(struct unpack_state *st)
{
	struct dir_time *dt;
	struct path path;

	list_for_each_entry(dt, &st->dir_times, list) {
		if (vfs_path_lookup(st->fs, NULL, dt->name, 0, &path))
			continue;
		set_mtime(&path, dt->mtime);
		path_put(&path);
	}
}

/* Count the entry's outcome; the first failure is kept for the report. */
static void account(struct unpack_state *st, const char *name, int err)
{
	if (!err) {
		st->done++;
		return;
	}
	if (!st->failed++) {
		st->first_err = err;
		strlcpy(st->first_failed, name, sizeof(st->first_failed));
	}
}

/* Unpack every entry; returns the first error (format or entry). */
static int unpack_all(struct unpack_state *st, const void *buf, size_t len)
{
	struct cpio_reader r;
	struct cpio_entry e;
	int res, err;

	cpio_reader_init(&r, buf, len);
	while ((res = cpio_next(&r, &e)) != CPIO_END) {
		if (res < 0) {
			pr_err("initramfs: archive malformed or cut short at "
			       "offset %zu of %zu: %s; %u entries unpacked, "
			       "the rest is lost\n",
			       r.error_pos, len, r.error, st->done);
			return st->first_err ? st->first_err : -EINVAL;
		}
		if (res == CPIO_TRAILER)
			continue;
		if (cpio_clean_name(e.name, st->path, PATH_MAX) < 0) {
			pr_err("initramfs: refusing name \"%s\" (\"..\" or "
			       "too long)\n",
			       e.name);
			err = -EPERM;
		} else {
			err = unpack_entry(st, &e);
			if (err)
				pr_err("initramfs: cannot unpack \"%s\": "
				       "error %d\n",
				       e.name, err);
		}
		account(st, e.name, err);
	}
	return st->first_err;
}

/* The summary of the entries that could not be made, if any. */
static void report_failures(const struct unpack_state *st,
			    const struct path *root)
{
	struct kstatfs sfs;
	unsigned long long kib = 0;

	if (!st->failed)
		return;
	if (st->first_err == -ENOSPC && !vfs_statfs(root, &sfs))
		kib = sfs.f_blocks * sfs.f_bsize >> 10;
	pr_err("initramfs: %u of %u entries not unpacked (the first, "
	       "\"%s\": error %d); the root is incomplete\n",
	       st->failed, st->failed + st->done, st->first_failed,
	       st->first_err);
	if (kib)
		pr_err("initramfs: the root file system is full: it holds "
		       "%lluK (half of RAM, as Linux's rootfs)\n",
		       kib);
}

int unpack_initramfs(const void *buf, size_t len, const struct path *root)
{
	struct unpack_state st = { .done = 0 };
	int err = -ENOMEM;

	INIT_LIST_HEAD(&st.links);
	INIT_LIST_HEAD(&st.dir_times);
	st.path = kmalloc(PATH_MAX, GFP_KERNEL);
	st.fs = alloc_fs_struct(root);
	if (!st.path || !st.fs) {
		pr_err("initramfs: out of memory before unpacking\n");
		goto out_free;
	}
	fs_set_umask(st.fs, 0);
	err = unpack_all(&st, buf, len);
	apply_dir_times(&st);
	report_failures(&st, root);
	if (!st.done && !st.failed && err != -EINVAL)
		pr_warn("initramfs: no archive in %zu bytes\n", len);
out_free:
	if (st.fs)
		put_fs_struct(st.fs);
	kfree(st.path);
	free_list(&st.links);
	free_list(&st.dir_times);
	return err;
}

/*
 * What Linux's built-in initramfs holds (usr/default_cpio_list), made
 * before the boot modules are unpacked over it: /dev with the console
 * node init's stdio is opened on (kernel_init()) and /root. devtmpfs is
 * not mounted on /dev: init does that. An archive may replace any of
 * them; failures are reported (init then runs without a console).
 */
static void default_rootfs(const struct path *root)
{
	struct fs_struct *fs = alloc_fs_struct(root);
	int err = -ENOMEM;

	if (!fs)
		goto out;
	fs_set_umask(fs, 0);
	err = do_mkdirat(fs, NULL, "dev", ROOTFS_DIR_MODE);
	if (!err)
		err = do_mknodat(fs, NULL, "dev/console",
				 S_IFCHR | ROOTFS_CONSOLE_MODE, ROOTFS_CONSOLE);
	if (!err)
		err = do_mkdirat(fs, NULL, "root", ROOTFS_ROOT_MODE);
	put_fs_struct(fs);
out:
	if (err)
		pr_err("initramfs: cannot make /dev/console, /root: error "
		       "%d\n",
		       err);
}

void populate_rootfs(void)
{
	static const u8 gzip_magic[2] = { 0x1f, 0x8b };
	struct path root;
	unsigned int i;

	get_fs_root(&init_fs, &root);
	default_rootfs(&root);
	for (i = 0; i < boot_info.nr_modules; i++) {
		const struct boot_module *m = &boot_info.modules[i];
		const void *buf = __va(m->start);
		size_t len = m->end - m->start;

		if (len >= 2 && !memcmp(buf, gzip_magic, 2)) {
			pr_err("initramfs: module %u is compressed; only "
			       "uncompressed cpio is supported\n",
			       i);
			continue;
		}
		pr_info("initramfs: unpacking module %u (%zu bytes)\n", i, len);
		unpack_initramfs(buf, len, &root);
	}
	path_put(&root);
}
