/*
 * Mounting the root file system from a disk (Linux's init/do_mounts.c,
 * in simpler code). docs/rootfs.md.
 *
 * The command line names the root device and how to mount it:
 *
 *	root=/dev/hda1  root=hda1	a block device by name
 *	root=3:1  root=0301		by number: MAJ:MIN, or hex MMmm
 *	root=LABEL=kroot  root=UUID=6b65...	read from the ext2/3/4
 *					superblock of each disk and partition
 *	rootfstype=ext2,ext4		the types to try, in order (default:
 *					every registered FS_REQUIRES_DEV type)
 *	rootflags=OPTS			the file system's options
 *	ro / rw				read-only (the default, as Linux) or not
 *	rootwait			wait for the device to appear
 *
 * Linux's rule decides who mounts it (kernel_init, kernel/main.c): an
 * initramfs with /init (or rdinit=) runs first, and the disk is its
 * business (busybox switch_root). Without one, and with root= given,
 * prepare_namespace() here mounts the device on /root, moves that mount
 * onto / and makes it the root and working directory of PID 1, which
 * then execs init= or /sbin/init from the disk:
 *
 *	name_to_dev_t("LABEL=kroot")  -> 3:1
 *	mknod /dev/root b 3 1          (in the initial tmpfs)
 *	mount /dev/root /root -t ext2 -o ro
 *	cd /root; mount --move . /; chroot .
 *
 * A failure is Linux's: the error, the list of every disk and partition
 * ("here are the available partitions"), then panic, since there is no
 * system to run. Without root= and without an initramfs init, Kestrel
 * reports that no init was found and idles (kernel_init), where Linux
 * would try root=0:0 and panic.
 */
#include <kestrel/blkdev.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/fs_struct.h>
#include <kestrel/genhd.h>
#include <kestrel/init.h>
#include <kestrel/kstrtox.h>
#include <kestrel/panic.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/time.h>

#include "do_mounts.h"

static const char *root_device_name;
static const char *root_fs_names;
static char *root_mount_data;
static unsigned long root_mountflags = MS_RDONLY | MS_SILENT;
static bool root_wait;

static int set_root(char *value)
{
	if (!value || !*value)
		return -EINVAL;
	root_device_name = value;
	return 0;
}
__setup("root", set_root);

static int set_rootfstype(char *value)
{
	if (!value || !*value)
		return -EINVAL;
	root_fs_names = value;
	return 0;
}
__setup("rootfstype", set_rootfstype);

static int set_rootflags(char *value)
{
	root_mount_data = value;
	return 0;
}
__setup("rootflags", set_rootflags);

static int set_root_ro(char *value)
{
	root_mountflags |= MS_RDONLY;
	return 0;
}
__setup("ro", set_root_ro);

static int set_root_rw(char *value)
{
	root_mountflags &= ~MS_RDONLY;
	return 0;
}
__setup("rw", set_root_rw);

static int set_rootwait(char *value)
{
	root_wait = true;
	return 0;
}
__setup("rootwait", set_rootwait);

const char *root_device(void)
{
	return root_device_name;
}

/* ---- naming the device -------------------------------------------------- */

/* The ext2 superblock: where it is and the fields this file reads. */
#define EXT2_SB_SECTOR 2 /* byte 1024 */
#define EXT2_SB_SIZE 1024
#define EXT2_MAGIC 0xEF53
#define EXT2_MAX_LOG_BLOCK 6 /* 64 KiB blocks */

/* On disk little-endian, as the x86 reads it. */
struct ext2_sb_id {
	u32 s_inodes_count;
	u32 s_blocks_count;
	u8 pad1[12];
	u32 s_first_data_block;
	u32 s_log_block_size;
	u8 pad2[4];
	u32 s_blocks_per_group;
	u8 pad3[4];
	u32 s_inodes_per_group;
	u8 pad4[12];
	u16 s_magic;
	u8 pad5[18];
	u32 s_rev_level;
	u8 pad6[24];
	u8 s_uuid[16];
	char s_volume_name[16];
} __packed;

/*
 * Does @sb look like an ext2/3/4 superblock whose counts hang together?
 * Only then are its uuid and label believed (a stamped or random disk
 * must never match a LABEL=). Revision 0 has neither.
 */
bool ext2_sb_identifies(const void *buf)
{
	const struct ext2_sb_id *sb = buf;
	u32 blocks = (sb->s_blocks_count);
	u32 log_bs = (sb->s_log_block_size);

	BUILD_BUG_ON(offsetof(struct ext2_sb_id, s_magic) != 56);
	BUILD_BUG_ON(offsetof(struct ext2_sb_id, s_uuid) != 104);
	if ((sb->s_magic) != EXT2_MAGIC || !blocks ||
	    log_bs > EXT2_MAX_LOG_BLOCK || (sb->s_rev_level) < 1)
		return false;
	if ((sb->s_first_data_block) != (log_bs == 0 ? 1u : 0u))
		return false;
	return sb->s_inodes_count && sb->s_blocks_per_group &&
	       sb->s_inodes_per_group;
}

/* Read @bdev's superblock area into @buf (EXT2_SB_SIZE bytes). */
static int read_sb(struct block_device *bdev, void *buf)
{
	if (bdev->bd_nr_sectors < EXT2_SB_SECTOR + EXT2_SB_SIZE / SECTOR_SIZE)
		return -EINVAL; /* too short to hold one */
	return bdev_read_sync(bdev, EXT2_SB_SECTOR, buf, EXT2_SB_SIZE);
}

/*
 * Parse "6b657374-7265-4c00-8000-000000000001" (hex digits of either
 * case, the dashes where blkid prints them) into @uuid.
 */
static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20; /* lower case */
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int parse_uuid(const char *s, u8 uuid[16])
{
	int i, hi, lo;

	if (strlen(s) != 36)
		return -EINVAL;
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10) {
			if (*s != '-')
				return -EINVAL;
			s++;
		}
		hi = hex_digit(s[0]);
		lo = hex_digit(s[1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		uuid[i] = (u8)(hi << 4 | lo);
		s += 2;
	}
	return 0;
}

/* What root= asks for; the helpers below fill @dev. */
struct root_query {
	const char *name; /* a device name, or NULL */
	const char *label; /* LABEL=, or NULL */
	u8 uuid[16];
	bool by_uuid;
	dev_t candidates[DISK_MAX_PARTS * 4];
	int nr;
	dev_t dev;
};

/* blk_for_each_bdev(): match by name, or note the device to read. */
static void query_one(struct block_device *bdev, void *arg)
{
	struct root_query *q = arg;

	if (q->name) {
		if (!q->dev && !strcmp(dev_name(&bdev->bd_device), q->name))
			q->dev = bdev->bd_dev;
	} else if (q->nr < (int)ARRAY_SIZE(q->candidates)) {
		q->candidates[q->nr++] = bdev->bd_dev;
	}
}

/* Is @sb (a valid ext2 superblock) the one @q asks for? */
static bool sb_matches(const struct ext2_sb_id *sb, const struct root_query *q)
{
	if (q->by_uuid)
		return !memcmp(sb->s_uuid, q->uuid, sizeof(q->uuid));
	return !strncmp(sb->s_volume_name, q->label,
			sizeof(sb->s_volume_name)) &&
	       strlen(q->label) <= sizeof(sb->s_volume_name);
}

/* The first disk or partition whose superblock @q names, or 0. */
static dev_t find_by_sb(struct root_query *q)
{
	void *buf = kmalloc(EXT2_SB_SIZE, GFP_KERNEL);
	struct block_device *bdev;
	dev_t found = 0;
	int i;

	if (!buf)
		return 0;
	blk_for_each_bdev(query_one, q);
	for (i = 0; i < q->nr && !found; i++) {
		bdev = blkdev_get_by_dev(q->candidates[i]);
		if (!bdev)
			continue; /* gone meanwhile */
		if (!read_sb(bdev, buf) && ext2_sb_identifies(buf) &&
		    sb_matches(buf, q))
			found = bdev->bd_dev;
		put_device(&bdev->bd_device);
	}
	kfree(buf);
	return found;
}

/* "3:1" (decimal) or "0301" (hex, Linux's old MMmm): the number, or 0. */
static dev_t parse_devnum(const char *name)
{
	unsigned int major, minor;
	unsigned long n;
	char *colon = strchr(name, ':');
	char buf[16];

	if (colon) {
		if (colon - name >= (long)sizeof(buf))
			return 0;
		memcpy(buf, name, colon - name);
		buf[colon - name] = '\0';
		if (kstrtouint(buf, 10, &major) ||
		    kstrtouint(colon + 1, 10, &minor) || major > 0xfff ||
		    minor > 0xfffff)
			return 0;
		return MKDEV(major, minor);
	}
	if (kstrtoul(name, 16, &n) || n > 0xffff)
		return 0;
	return MKDEV(n >> 8, n & 0xff);
}

/**
 * name_to_dev_t - the device number root= names
 * @name: "/dev/hda1", "hda1", "3:1", "0301", "LABEL=x" or "UUID=u"
 *
 * Return: the number of an existing disk or partition, or 0 when there
 * is none (yet: rootwait asks again). Context: process; reads the
 * superblocks of every block device for LABEL= and UUID=.
 */
dev_t name_to_dev_t(const char *name)
{
	struct root_query *q;
	struct block_device *bdev;
	dev_t dev = 0;

	if (!name || !*name)
		return 0;
	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return 0;
	if (!strncmp(name, "LABEL=", 6)) {
		q->label = name + 6;
		dev = find_by_sb(q);
	} else if (!strncmp(name, "UUID=", 5)) {
		q->by_uuid = true;
		if (!parse_uuid(name + 5, q->uuid))
			dev = find_by_sb(q);
	} else {
		if (!strncmp(name, "/dev/", 5))
			name += 5;
		q->name = name;
		blk_for_each_bdev(query_one, q);
		dev = q->dev;
		if (!dev && name[0] >= '0' && name[0] <= '9') {
			dev = parse_devnum(name);
			bdev = dev ? blkdev_get_by_dev(dev) : NULL;
			if (!bdev)
				dev = 0;
			else
				put_device(&bdev->bd_device);
		}
	}
	kfree(q);
	return dev;
}

/* ---- mounting ----------------------------------------------------------- */

struct fs_list {
	char *buf; /* NUL-separated names, an empty one at the end */
	size_t size, used;
};

static void add_fs_name(struct fs_list *l, const char *name, size_t len)
{
	if (!len || l->used + len + 2 > l->size)
		return;
	memcpy(l->buf + l->used, name, len);
	l->used += len;
	l->buf[l->used++] = '\0';
	l->buf[l->used] = '\0';
}

/* filesystems_for_each(): the types that mount a block device. */
static void add_dev_fs(const struct file_system_type *type, void *arg)
{
	if (type->fs_flags & FS_REQUIRES_DEV)
		add_fs_name(arg, type->name, strlen(type->name));
}

/**
 * root_fs_list - the types to try: rootfstype=, or every FS_REQUIRES_DEV
 * @buf: filled with NUL-terminated names and an empty one at the end
 * @size: its size
 * @names: rootfstype='s comma list, or NULL
 *
 * Return: how many names.
 */
int root_fs_list(char *buf, size_t size, const char *names)
{
	struct fs_list l = { buf, size, 0 };
	const char *comma;
	int n = 0;

	buf[0] = buf[1] = '\0';
	if (names) {
		for (; *names; names = comma + 1) {
			comma = strchr(names, ',');
			if (!comma)
				comma = names + strlen(names);
			add_fs_name(&l, names, comma - names);
			if (!*comma)
				break;
		}
	} else {
		filesystems_for_each(add_dev_fs, &l);
	}
	for (const char *p = buf; *p; p += strlen(p) + 1)
		n++;
	return n;
}

/* printk_all_partitions(): Linux's list, one line per disk or partition. */
static void print_one_partition(struct block_device *bdev, void *arg)
{
	struct device *parent = bdev->bd_disk->part0.bd_device.parent;
	unsigned int major = MAJOR(bdev->bd_dev), minor = MINOR(bdev->bd_dev);
	char devt[16];

	if (major <= 0xff && minor <= 0xff)
		snprintf(devt, sizeof(devt), "%02x%02x", major, minor);
	else
		snprintf(devt, sizeof(devt), "%03x:%05x", major, minor);
	while (parent && !parent->driver)
		parent = parent->parent; /* the ATA device: its controller's */
	if (bdev->bd_partno) {
		pr_notice("  %s %10llu %s\n", devt,
			  (unsigned long long)bdev->bd_nr_sectors >> 1,
			  dev_name(&bdev->bd_device));
		return;
	}
	pr_notice("%s %10llu %s %s%s\n", devt,
		  (unsigned long long)bdev->bd_nr_sectors >> 1,
		  dev_name(&bdev->bd_device),
		  parent && parent->driver ? "driver: " : "(driver?)",
		  parent && parent->driver ? parent->driver->name : "");
}

void printk_all_partitions(void)
{
	blk_for_each_bdev(print_one_partition, NULL);
}

/* Make /@path (a directory of the initial tmpfs) if it is missing. */
static void make_dir(const char *path)
{
	int err = do_mkdirat(current_fs(), NULL, path, 0700);

	if (err && err != -EEXIST)
		pr_warn("VFS: cannot make %s (%d)\n", path, err);
}

/* mount /dev/root on /root as @type; 0 or the error, as Linux's. */
static int do_mount_root(const char *type, unsigned long flags)
{
	struct path dir;
	int err;

	err = vfs_path_lookup(current_fs(), NULL, "/root", LOOKUP_FOLLOW, &dir);
	if (err)
		return err;
	err = do_mount("/dev/root", &dir, type, flags, root_mount_data);
	path_put(&dir);
	if (!err)
		pr_info("VFS: Mounted root (%s filesystem)%s on device %u:%u.\n",
			type, flags & MS_RDONLY ? " readonly" : "",
			MAJOR(ROOT_DEV), MINOR(ROOT_DEV));
	return err;
}

dev_t ROOT_DEV;

static void __noreturn cannot_open(const char *b, int err)
{
	pr_emerg("VFS: Cannot open root device \"%s\" or %s: error %d\n",
		 root_device_name, b, err);
	pr_emerg(
		"Please append a correct \"root=\" boot option; here are the available partitions:\n");
	printk_all_partitions();
	panic("VFS: Unable to mount root fs on %s", b);
}

/* The list's names on one line, in place: " ext2 ext4". */
static const char *join_names(char *names)
{
	char *p = names, *end = names;

	while (*end)
		end += strlen(end) + 1;
	if (end == names)
		return "(no block file system is registered)";
	for (; p < end - 1; p++)
		if (!*p)
			*p = ' ';
	return names;
}

/*
 * Linux's mount_block_root(): each type in turn; EACCES retries read-only,
 * EINVAL (not this type) and ENODEV (no such type) go to the next;
 * anything else, or no type that fits, is fatal.
 */
static void mount_block_root(void)
{
	char *names = kzalloc(PAGE_SIZE, GFP_KERNEL);
	unsigned long flags = root_mountflags;
	char b[32];
	const char *p;
	int err;

	snprintf(b, sizeof(b), "unknown-block(%u,%u)", MAJOR(ROOT_DEV),
		 MINOR(ROOT_DEV));
	if (!names)
		panic("VFS: no memory to mount root fs on %s", b);
	if (!ROOT_DEV)
		cannot_open(b, -ENXIO);
	root_fs_list(names, PAGE_SIZE, root_fs_names);
retry:
	for (p = names; *p; p += strlen(p) + 1) {
		err = do_mount_root(p, flags);
		if (!err) {
			kfree(names);
			return;
		}
		if (err == -EACCES && !(flags & MS_RDONLY)) {
			flags |= MS_RDONLY;
			goto retry;
		}
		if (err != -EINVAL && err != -ENODEV)
			cannot_open(b, err);
	}
	pr_emerg("List of all partitions:\n");
	printk_all_partitions();
	pr_emerg("No filesystem could mount root, tried: %s\n",
		 join_names(names));
	panic("VFS: Unable to mount root fs on %s", b);
}

/* cd /root; mount --move . /; chroot . */
static void enter_root(void)
{
	struct path root, slash;
	int err;

	err = vfs_path_lookup(current_fs(), NULL, "/root", LOOKUP_FOLLOW,
			      &root);
	if (err)
		panic("VFS: the mounted root vanished (%d)", err);
	err = vfs_path_lookup(current_fs(), NULL, "/", 0, &slash);
	if (!err) {
		err = do_move_mount(&root, &slash);
		path_put(&slash);
	}
	if (!err)
		err = vfs_chdir(current_fs(), &root);
	if (!err)
		err = vfs_chroot(current_fs(), &root);
	path_put(&root);
	if (err)
		panic("VFS: cannot make the mounted root the root (%d)", err);
}

/**
 * prepare_namespace - mount the root= device and make it PID 1's root
 *
 * Context: PID 1 (kernel_init) after the initcalls, when no initramfs
 * init is there and root= was given. Returns with the disk as / and the
 * working directory; panics, as Linux, when it cannot be mounted.
 */
void prepare_namespace(void)
{
	int err;

	ROOT_DEV = name_to_dev_t(root_device_name);
	if (!ROOT_DEV && root_wait) {
		pr_notice("Waiting for root device %s...\n", root_device_name);
		while (!(ROOT_DEV = name_to_dev_t(root_device_name)))
			schedule_timeout_interruptible(msecs_to_jiffies(20));
	}
	make_dir("/dev");
	make_dir("/root");
	if (ROOT_DEV) {
		do_unlinkat(current_fs(), NULL, "/dev/root"); /* a stale one */
		err = do_mknodat(current_fs(), NULL, "/dev/root",
				 S_IFBLK | 0600, ROOT_DEV);
		if (err)
			pr_warn("VFS: cannot make /dev/root (%d)\n", err);
	}
	mount_block_root();
	enter_root();
}
