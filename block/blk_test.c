/*
 * ktest suite of the block layer: a test disk ("ktblk", major 240, a
 * local/experimental number) whose driver is here, backed by memory the
 * cases write partition tables into before add_disk(). It checks what a
 * Linux reader sees (sysfs, /dev nodes, /proc/partitions and diskstats),
 * bios through partitions, the errors of bad bios, a driver that is busy
 * (BLK_STS_RESOURCE, then blk_run_queue) and completes later as an
 * interrupt handler would, splitting of bios too big for the driver,
 * plugging, partition re-reading, and the page cache of block devices
 * (fs/block_dev.c).
 */
#include <kestrel/pagemap.h>
#include <kestrel/writeback.h>
#include <kestrel/blkdev.h>
#include <kestrel/errno.h>
#include <kestrel/ktest.h>
#include <kestrel/ktest_fs.h>
#include <kestrel/platform_device.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/uio.h>
#include <kestrel/vmalloc.h>

#define KT_MAJOR 240
#define KT_SECTORS 2048 /* 1 MiB */

static struct ktest_mount kt_sysfs, kt_devfs, kt_proc;

struct ktdisk {
	u8 *mem;
	struct gendisk *disk;
	struct request_queue *q;
	struct platform_device *parent;
	bool async; /* hold requests for the test to end */
	int busy; /* refuse this many ->queue_rq calls */
	struct request *held;
	int queue_rq_calls;
	int accepted; /* requests taken */
	int last_nr_bios; /* bios of the last request taken */
	bool fail_next; /* end the next request taken with an I/O error */
};

static struct ktdisk kt;

static void kt_transfer(struct request *rq)
{
	sector_t pos = blk_rq_pos(rq);
	struct req_iterator iter;
	struct bio_vec bv;

	rq_for_each_segment(bv, rq, iter)
	{
		u8 *disk = kt.mem + (pos << SECTOR_SHIFT);

		if (rq_data_dir(rq) == WRITE)
			memcpy(disk, bvec_virt(&bv), bv.bv_len);
		else
			memcpy(bvec_virt(&bv), disk, bv.bv_len);
		pos += bv.bv_len >> SECTOR_SHIFT;
	}
}

static blk_status_t kt_queue_rq(struct request *rq)
{
	struct bio *bio;

	kt.queue_rq_calls++;
	if (kt.busy) {
		kt.busy--;
		return BLK_STS_RESOURCE;
	}
	if (kt.held)
		return BLK_STS_RESOURCE; /* one at a time, as an IDE channel */
	kt.accepted++;
	if (kt.fail_next) {
		kt.fail_next = false;
		blk_end_request(rq, BLK_STS_IOERR);
		return BLK_STS_OK;
	}
	if (req_op(rq) != REQ_OP_FLUSH)
		kt_transfer(rq);
	for (kt.last_nr_bios = 0, bio = rq->bio; bio; bio = bio->bi_next)
		kt.last_nr_bios++;
	if (kt.async)
		kt.held = rq;
	else
		blk_end_request(rq, BLK_STS_OK);
	return BLK_STS_OK;
}

static const struct block_device_operations kt_fops;

/* Write an MBR entry into the backing memory. */
static void kt_entry(sector_t table, int i, u8 type, u32 start, u32 size)
{
	u8 *s = kt.mem + table * SECTOR_SIZE;
	u8 *e = s + 446 + 16 * i;

	s[510] = 0x55;
	s[511] = 0xaa;
	e[4] = type;
	memcpy(e + 8, &start, 4); /* x86: little-endian already */
	memcpy(e + 12, &size, 4);
}

/* hda1 [64, 512), hda2 extended [1024, 2048), hda5 [1088, 1500). */
static void kt_standard_table(void)
{
	kt_entry(0, 0, 0x83, 64, 448);
	kt_entry(0, 1, 0x05, 1024, 1024);
	kt_entry(1024, 0, 0x83, 64, 412);
}

static int kt_add(void)
{
	kt.disk = alloc_disk(16);
	if (!kt.disk)
		return -ENOMEM;
	kt.disk->major = KT_MAJOR;
	kt.disk->first_minor = 0;
	strcpy(kt.disk->disk_name, "ktblk");
	kt.disk->fops = &kt_fops;
	kt.disk->queue = kt.q;
	set_capacity(kt.disk, KT_SECTORS);
	return add_disk(kt.disk, &kt.parent->dev);
}

static void kt_del(void)
{
	del_gendisk(kt.disk);
	put_disk(kt.disk);
	kt.disk = NULL;
}

static int kt_init(struct ktest *t)
{
	int err;

	memset(&kt, 0, sizeof(kt));
	err = ktest_mount(&kt_sysfs, "sysfs");
	if (!err)
		err = ktest_mount(&kt_devfs, "devtmpfs");
	if (!err)
		err = ktest_mount(&kt_proc, "proc");
	if (err)
		return err;
	kt.mem = vzalloc(KT_SECTORS * SECTOR_SIZE);
	kt.q = blk_alloc_queue(kt_queue_rq, &kt);
	kt.parent = platform_device_register_simple("ktblkhost", -1, NULL, 0);
	if (!kt.mem || IS_ERR(kt.q) || IS_ERR(kt.parent))
		return -ENOMEM;
	return 0;
}

static void kt_exit(struct ktest *t)
{
	if (kt.disk)
		kt_del();
	if (!IS_ERR_OR_NULL(kt.q))
		blk_cleanup_queue(kt.q);
	if (!IS_ERR_OR_NULL(kt.parent))
		platform_device_unregister(kt.parent);
	vfree(kt.mem);
	ktest_umount(&kt_proc);
	ktest_umount(&kt_devfs);
	ktest_umount(&kt_sysfs);
}

static bool sysfs_is(const char *path, const char *want)
{
	char buf[192];

	if (fx_read_str(kt_sysfs.fs, path, buf, sizeof(buf)) < 0)
		return false;
	if (!strcmp(buf, want))
		return true;
	pr_info("%s: got \"%s\"\n", path, buf);
	return false;
}

static bool is_blk_node(const char *name, unsigned int major,
			unsigned int minor)
{
	struct kstat st;

	return !fx_stat(kt_devfs.fs, name, 0, &st) && S_ISBLK(st.mode) &&
	       st.rdev == MKDEV(major, minor);
}

/* Does /proc/@file have the line @line? */
static bool proc_has_line(const char *file, const char *line)
{
	char *buf = kmalloc(4096, GFP_KERNEL);
	bool found = false;
	char *p, *end;

	if (buf && fx_read_str(kt_proc.fs, file, buf, 4096) > 0) {
		for (p = buf; *p && !found; p = end + 1) {
			end = strchr(p, '\n');
			if (!end)
				break;
			*end = 0;
			found = !strcmp(p, line);
		}
	}
	kfree(buf);
	return found;
}

/* sysfs, devtmpfs and procfs see the disk and its partitions, then
 * none of them after del_gendisk. */
static void disk_add_del(struct ktest *t)
{
	kt_standard_table();
	KT_ASSERT_EQ(t, kt_add(), 0);
	KT_EXPECT_TRUE(t, sysfs_is("/block/ktblk/size", "2048\n"));
	KT_EXPECT_TRUE(t, sysfs_is("/block/ktblk/dev", "240:0\n"));
	KT_EXPECT_TRUE(t, sysfs_is("/block/ktblk/ro", "0\n"));
	KT_EXPECT_TRUE(t, sysfs_is("/block/ktblk/removable", "0\n"));
	KT_EXPECT_TRUE(t, sysfs_is("/block/ktblk/range", "16\n"));
	KT_EXPECT_TRUE(t, sysfs_is("/block/ktblk/queue/logical_block_size",
				   "512\n"));
	KT_EXPECT_TRUE(t,
		       sysfs_is("/block/ktblk/queue/hw_sector_size", "512\n"));
	KT_EXPECT_TRUE(t,
		       sysfs_is("/block/ktblk/queue/max_sectors_kb", "127\n"));
	KT_EXPECT_TRUE(t,
		       sysfs_is("/block/ktblk/queue/scheduler", "[clook]\n"));
	KT_EXPECT_TRUE(t, fx_exists(kt_sysfs.fs, "/block/ktblk/device/uevent"));
	KT_EXPECT_TRUE(
		t, fx_exists(kt_sysfs.fs,
			     "/devices/platform/ktblkhost/block/ktblk/ktblk5"));
	KT_EXPECT_TRUE(t, sysfs_is("/class/block/ktblk/size", "2048\n"));
	KT_EXPECT_TRUE(t, sysfs_is("/block/ktblk/ktblk1/start", "64\n"));
	KT_EXPECT_TRUE(t, sysfs_is("/block/ktblk/ktblk1/size", "448\n"));
	KT_EXPECT_TRUE(t, sysfs_is("/block/ktblk/ktblk1/partition", "1\n"));
	KT_EXPECT_TRUE(t, sysfs_is("/block/ktblk/ktblk1/dev", "240:1\n"));
	KT_EXPECT_TRUE(t, sysfs_is("/block/ktblk/ktblk2/size", "2\n"));
	KT_EXPECT_TRUE(t, sysfs_is("/block/ktblk/ktblk5/start", "1088\n"));
	KT_EXPECT_TRUE(t, sysfs_is("/block/ktblk/ktblk5/size", "412\n"));
	KT_EXPECT_TRUE(t, sysfs_is("/dev/block/240:5/partition", "5\n"));
	KT_EXPECT_FALSE(t, fx_exists(kt_sysfs.fs, "/block/ktblk/ktblk3"));
	KT_EXPECT_TRUE(t, is_blk_node("/ktblk", KT_MAJOR, 0));
	KT_EXPECT_TRUE(t, is_blk_node("/ktblk1", KT_MAJOR, 1));
	KT_EXPECT_TRUE(t, is_blk_node("/ktblk5", KT_MAJOR, 5));
	KT_EXPECT_TRUE(t, proc_has_line("/partitions",
					" 240        0       1024 ktblk"));
	KT_EXPECT_TRUE(t, proc_has_line("/partitions",
					" 240        5        206 ktblk5"));
	KT_EXPECT_TRUE(t, proc_has_line("/partitions",
					"major minor  #blocks  name"));
	kt_del();
	KT_EXPECT_FALSE(t, fx_exists(kt_sysfs.fs, "/block/ktblk"));
	KT_EXPECT_FALSE(t, fx_exists(kt_sysfs.fs, "/class/block/ktblk5"));
	KT_EXPECT_FALSE(t, fx_exists(kt_devfs.fs, "/ktblk5"));
	KT_EXPECT_FALSE(t, proc_has_line("/partitions",
					 " 240        0       1024 ktblk"));
}

/*
 * Do the space-separated counters of @path (of its line that has @key,
 * after it, when @key is set) match @want, where "x" matches any number?
 */
static bool stat_fields_are(struct fs_struct *fs, const char *path,
			    const char *key, const char *want)
{
	char *buf = kmalloc(4096, GFP_KERNEL);
	bool ok = false;
	char *p;

	if (!buf || fx_read_str(fs, path, buf, 4096) < 0)
		goto out;
	p = key ? strstr(buf, key) : buf;
	if (!p)
		goto out;
	p += key ? strlen(key) : 0;
	for (ok = true; *want && ok; want++) {
		while (*p == ' ')
			p++;
		if (*want == ' ')
			continue;
		if (*want == 'x')
			while (*p >= '0' && *p <= '9')
				p++;
		else
			ok = *p++ == *want;
	}
	ok = ok && *p == '\n';
	if (!ok)
		pr_info("%s: \"%s\"\n", path, key ? strstr(buf, key) : buf);
out:
	kfree(buf);
	return ok;
}

/* A bio of @nr_pages segments at @sector of @bdev, waited for. */
static int kt_rw(struct block_device *bdev, enum req_op op, sector_t sector,
		 struct page **pages, int nr_pages, unsigned int len)
{
	struct bio *bio = bio_alloc(GFP_KERNEL, nr_pages);
	int i, err;

	if (!bio)
		return -ENOMEM;
	bio->bi_bdev = bdev;
	bio->bi_opf = op;
	bio->bi_sector = sector;
	for (i = 0; i < nr_pages; i++)
		bio_add_page(bio, pages[i], len, 0);
	err = submit_bio_wait(bio);
	bio_put(bio);
	return err;
}

/* A two-segment write through hda5 lands at its start on the disk; a
 * read gets it back; the counters of stat and diskstats move. */
static void bio_through_partition(struct ktest *t)
{
	struct page *pages[2] = { alloc_page(GFP_KERNEL),
				  alloc_page(GFP_KERNEL) };
	struct block_device *p5;
	char buf[192];

	kt_standard_table();
	KT_ASSERT_EQ(t, kt_add(), 0);
	p5 = blkdev_get_by_dev(MKDEV(KT_MAJOR, 5));
	KT_ASSERT_TRUE(t, p5 && pages[0] && pages[1]);
	memset(page_address(pages[0]), 0xa5, 1024);
	memset(page_address(pages[1]), 0x5a, 1024);
	KT_EXPECT_EQ(t, kt_rw(p5, REQ_OP_WRITE, 2, pages, 2, 1024), 0);
	KT_EXPECT_EQ(t, kt.mem[(1088 + 2) * 512], 0xa5);
	KT_EXPECT_EQ(t, kt.mem[(1088 + 4) * 512], 0x5a);
	KT_EXPECT_EQ(t, kt.mem[(1088 + 6) * 512], 0);
	memset(page_address(pages[0]), 0, 1024);
	KT_EXPECT_EQ(t,
		     kt_rw(&kt.disk->part0, REQ_OP_READ, 1090 + 2, pages, 1,
			   1024),
		     0);
	KT_EXPECT_EQ(t, ((u8 *)page_address(pages[0]))[0], 0x5a);
	KT_EXPECT_EQ(t, kt_rw(p5, REQ_OP_FLUSH, 0, pages, 0, 0), 0);
	/* reads: partition table reads at add_disk plus this one */
	KT_EXPECT_EQ(t, p5->bd_stats.ios[WRITE], 1);
	KT_EXPECT_EQ(t, p5->bd_stats.sectors[WRITE], 4);
	KT_EXPECT_EQ(t, p5->bd_stats.ios[READ], 0);
	KT_EXPECT_EQ(t, kt.disk->part0.bd_stats.ios[WRITE], 1);
	KT_EXPECT_EQ(t, kt.disk->part0.bd_stats.flush_ios, 1);
	/* times in ms ("x") depend on when the timer ticked */
	KT_EXPECT_TRUE(t, stat_fields_are(kt_sysfs.fs,
					  "/block/ktblk/ktblk5/stat", NULL,
					  "0 0 0 x 1 0 4 x 0 x x 0 0 0 0 1 x"));
	KT_EXPECT_TRUE(t, stat_fields_are(kt_proc.fs, "/diskstats",
					  " 240       5 ktblk5 ",
					  "0 0 0 x 1 0 4 x 0 x x 0 0 0 0 1 x"));
	/* Linux's layout: 17 fields of 8 columns, one space apart */
	KT_EXPECT_EQ(t,
		     fx_read_str(kt_sysfs.fs, "/block/ktblk/ktblk5/stat", buf,
				 sizeof(buf)),
		     17 * 9);
	put_device(&p5->bd_device);
	__free_page(pages[0]);
	__free_page(pages[1]);
}

/* Bad bios end in -EIO, the driver never sees them. */
static void bad_bios(struct ktest *t)
{
	struct page *page = alloc_page(GFP_KERNEL);
	struct block_device *p1;
	int calls;

	kt_standard_table();
	KT_ASSERT_EQ(t, kt_add(), 0);
	p1 = blkdev_get_by_dev(MKDEV(KT_MAJOR, 1));
	KT_ASSERT_TRUE(t, p1 && page);
	calls = kt.queue_rq_calls;
	/* past the partition's end (448 sectors) */
	KT_EXPECT_EQ(t, kt_rw(p1, REQ_OP_READ, 447, &page, 1, 1024), -EIO);
	KT_EXPECT_EQ(t, kt_rw(p1, REQ_OP_READ, ~0ULL, &page, 1, 512), -EIO);
	/* not a whole number of sectors */
	KT_EXPECT_EQ(t, kt_rw(p1, REQ_OP_READ, 0, &page, 1, 100), -EIO);
	/* read-only disk */
	set_disk_ro(kt.disk, true);
	KT_EXPECT_TRUE(t, sysfs_is("/block/ktblk/ktblk1/ro", "1\n"));
	KT_EXPECT_EQ(t, kt_rw(p1, REQ_OP_WRITE, 0, &page, 1, 512), -EIO);
	set_disk_ro(kt.disk, false);
	KT_EXPECT_EQ(t, kt.queue_rq_calls, calls);
	KT_EXPECT_EQ(t, kt_rw(p1, REQ_OP_READ, 446, &page, 1, 1024), 0);
	KT_EXPECT_NULL(t, blkdev_get_by_dev(MKDEV(KT_MAJOR, 3)));
	put_device(&p1->bd_device);
	__free_page(page);
}

static int kt_ended;

static void kt_end_io(struct bio *bio)
{
	kt_ended++;
}

/* A driver that is busy, then takes one request at a time and ends it
 * later, as from its interrupt handler: nothing is lost or reordered. */
static void busy_driver(struct ktest *t)
{
	struct page *page = alloc_page(GFP_KERNEL);
	struct bio *bios[3];
	struct request *rq;
	int i;

	KT_ASSERT_TRUE(t, page != NULL);
	KT_ASSERT_EQ(t, kt_add(), 0); /* no table: one read */
	kt.async = true;
	kt.busy = 3; /* each submit_bio runs the queue once: all refused */
	kt_ended = 0;
	for (i = 0; i < 3; i++) {
		bios[i] = bio_alloc(GFP_KERNEL, 1);
		KT_ASSERT_TRUE(t, bios[i] != NULL);
		bios[i]->bi_bdev = &kt.disk->part0;
		bios[i]->bi_opf = REQ_OP_READ;
		bios[i]->bi_sector = 10 * (i + 1);
		bios[i]->bi_end_io = kt_end_io;
		bio_add_page(bios[i], page, 512, 0);
		submit_bio(bios[i]);
	}
	KT_EXPECT_NULL(t, kt.held); /* refused once: waits */
	/* in flight from queueing on, as Linux 2.6 counts */
	KT_EXPECT_EQ(t, kt.disk->part0.bd_stats.in_flight[READ], 3);
	blk_run_queue(kt.q);
	for (i = 0; i < 3; i++) {
		rq = kt.held;
		KT_ASSERT_TRUE(t, rq != NULL);
		KT_EXPECT_EQ(t, blk_rq_pos(rq), 10 * (i + 1));
		KT_EXPECT_EQ(t, kt.disk->part0.bd_stats.in_flight[READ], 3 - i);
		kt.held = NULL;
		blk_end_request(rq, i == 1 ? BLK_STS_IOERR : BLK_STS_OK);
		KT_EXPECT_EQ(t, kt_ended, i + 1);
	}
	KT_EXPECT_EQ(t, bios[0]->bi_status, BLK_STS_OK);
	KT_EXPECT_EQ(t, bios[1]->bi_status, BLK_STS_IOERR);
	KT_EXPECT_EQ(t, kt.disk->part0.bd_stats.in_flight[READ], 0);
	for (i = 0; i < 3; i++)
		bio_put(bios[i]);
	kt.async = false;
	__free_page(page);
}

/* A one-sector bio at @sector of @page, ending with kt_end_io. */
static struct bio *kt_bio(struct page *page, enum req_op op, sector_t sector)
{
	struct bio *bio = bio_alloc(GFP_KERNEL, 1);

	if (!bio)
		return NULL;
	bio->bi_bdev = &kt.disk->part0;
	bio->bi_opf = op;
	bio->bi_sector = sector;
	bio->bi_end_io = kt_end_io;
	bio_add_page(bio, page, 512, 0);
	return bio;
}

/*
 * While the driver is busy, bios that continue a waiting request join it
 * at the back or the front; another op or a gap makes a new request.
 * Each bio still gets its own sector's data.
 */
static void merges(struct ktest *t)
{
	static const sector_t order[5] = { 8, 9, 7, 20, 10 };
	struct page *pages[5];
	struct bio *bios[5];
	int i;

	KT_ASSERT_EQ(t, kt_add(), 0);
	for (i = 0; i < KT_SECTORS; i++)
		kt.mem[i * 512] = (u8)i;
	kt.busy = 1000;
	kt.accepted = 0;
	kt_ended = 0;
	for (i = 0; i < 5; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KT_ASSERT_TRUE(t, pages[i] != NULL);
		bios[i] = kt_bio(pages[i], i == 4 ? REQ_OP_WRITE : REQ_OP_READ,
				 order[i]);
		KT_ASSERT_TRUE(t, bios[i] != NULL);
		submit_bio(bios[i]);
	}
	KT_EXPECT_EQ(t, kt.disk->part0.bd_stats.merges[READ], 2);
	kt.busy = 0;
	blk_run_queue(kt.q);
	KT_EXPECT_EQ(t, kt_ended, 5);
	KT_EXPECT_EQ(t, kt.accepted, 3); /* [7, 10) read, 20 read, 10 write */
	KT_EXPECT_EQ(t, kt.disk->part0.bd_stats.ios[READ], 2 + 1);
	for (i = 0; i < 4; i++)
		KT_EXPECT_EQ(t, *(u8 *)page_address(pages[i]), order[i]);
	for (i = 0; i < 5; i++) {
		KT_EXPECT_EQ(t, bios[i]->bi_status, BLK_STS_OK);
		bio_put(bios[i]);
		__free_page(pages[i]);
	}
}

/*
 * C-LOOK: requests go in ascending sector order from where the head is,
 * then the sweep starts again at the lowest; a flush waits for what was
 * queued before it.
 */
static void elevator(struct ktest *t)
{
	static const sector_t first[4] = { 50, 10, 30, 100 };
	static const sector_t later[3] = { 5, 40, 0 };
	static const sector_t want[7] = { 10, 30, 40, 50, 100, 5, 0 };
	struct page *page = alloc_page(GFP_KERNEL);
	struct bio *bios[7];
	struct request *rq;
	int i;

	KT_ASSERT_TRUE(t, page != NULL);
	KT_ASSERT_EQ(t, kt_add(), 0); /* reads sector 0: the head is at 1 */
	kt.async = true;
	kt.busy = 4;
	for (i = 0; i < 4; i++) {
		bios[i] = kt_bio(page, REQ_OP_READ, first[i]);
		KT_ASSERT_TRUE(t, bios[i] != NULL);
		submit_bio(bios[i]);
	}
	blk_run_queue(kt.q); /* takes 10 */
	for (i = 0; i < 3; i++) {
		bios[4 + i] = kt_bio(page, i == 2 ? REQ_OP_FLUSH : REQ_OP_READ,
				     later[i]);
		KT_ASSERT_TRUE(t, bios[4 + i] != NULL);
		if (i == 2)
			bios[6]->bi_size = bios[6]->bi_vcnt = 0;
		submit_bio(bios[4 + i]);
	}
	for (i = 0; i < 7; i++) {
		rq = kt.held;
		KT_ASSERT_TRUE(t, rq != NULL);
		if (i == 6)
			KT_EXPECT_EQ(t, req_op(rq), REQ_OP_FLUSH);
		else
			KT_EXPECT_EQ(t, blk_rq_pos(rq), want[i]);
		kt.held = NULL;
		blk_end_request(rq, BLK_STS_OK);
	}
	KT_EXPECT_NULL(t, kt.held);
	for (i = 0; i < 7; i++)
		bio_put(bios[i]);
	kt.async = false;
	__free_page(page);
}

/* BLKRRPART's core: a new table replaces the partitions; a looping EBR
 * chain is cut, the disk stays usable. */
static void rescan(struct ktest *t)
{
	kt_standard_table();
	KT_ASSERT_EQ(t, kt_add(), 0);
	memset(kt.mem, 0, 512);
	kt_entry(0, 2, 0x83, 100, 100); /* only hda3 */
	KT_EXPECT_EQ(t, bdev_rescan_partitions(kt.disk), 0);
	KT_EXPECT_FALSE(t, fx_exists(kt_sysfs.fs, "/block/ktblk/ktblk1"));
	KT_EXPECT_FALSE(t, fx_exists(kt_devfs.fs, "/ktblk5"));
	KT_EXPECT_TRUE(t, sysfs_is("/block/ktblk/ktblk3/start", "100\n"));
	/* extended [1024, 2048): EBR 1024 -> EBR 1124 -> EBR 1024 ... */
	memset(kt.mem + 1024 * 512, 0, 512);
	kt_entry(0, 1, 0x05, 1024, 1024);
	kt_entry(1024, 1, 0x05, 100, 100);
	kt_entry(1124, 0, 0x83, 1, 10);
	kt_entry(1124, 1, 0x05, 0, 100);
	KT_EXPECT_EQ(t, bdev_rescan_partitions(kt.disk), 0);
	KT_EXPECT_TRUE(t, sysfs_is("/block/ktblk/ktblk5/start", "1125\n"));
	KT_EXPECT_FALSE(t, fx_exists(kt_sysfs.fs, "/block/ktblk/ktblk6"));
	KT_EXPECT_TRUE(t, sysfs_is("/block/ktblk/ktblk3/start", "100\n"));
}

/*
 * A bio over the driver's limits goes as several requests that each fit
 * (segments and sectors), a segment cut at a sector where it must; the
 * data lands where it belongs and the bio ends once. A child's error is
 * the bio's.
 */
static void split(struct ktest *t)
{
	struct page *pages[5];
	struct bio *bio;
	int i, j;

	KT_ASSERT_EQ(t, kt_add(), 0);
	for (i = 0; i < KT_SECTORS; i++)
		kt.mem[i * 512] = (u8)i;
	bio = bio_alloc(GFP_KERNEL, 5);
	KT_ASSERT_TRUE(t, bio != NULL);
	for (i = 0; i < 5; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KT_ASSERT_TRUE(t, pages[i] != NULL);
		bio_add_page(bio, pages[i], PAGE_SIZE, 0);
	}
	bio->bi_bdev = &kt.disk->part0;
	bio->bi_opf = REQ_OP_READ;
	bio->bi_sector = 100;
	bio->bi_end_io = kt_end_io;
	blk_queue_max_segments(kt.q, 2);
	blk_queue_max_hw_sectors(kt.q, 12); /* 1.5 pages */
	kt.accepted = 0;
	kt_ended = 0;
	submit_bio(bio);
	KT_EXPECT_EQ(t, kt_ended, 1);
	KT_EXPECT_EQ(t, bio->bi_status, BLK_STS_OK);
	/* 40 sectors in pieces of 12, 12, 12, 4: the segment limit (2)
	 * never bites before the sector limit does */
	KT_EXPECT_EQ(t, kt.accepted, 4);
	for (i = 0; i < 5; i++)
		for (j = 0; j < 8; j++)
			KT_EXPECT_EQ(t,
				     *((u8 *)page_address(pages[i]) + j * 512),
				     (u8)(100 + i * 8 + j));
	/* past the end: refused whole, before any child is sent */
	bio->bi_sector = KT_SECTORS - 8;
	bio->bi_status = BLK_STS_OK;
	kt.accepted = 0;
	submit_bio(bio);
	KT_EXPECT_EQ(t, bio->bi_status, BLK_STS_IOERR);
	KT_EXPECT_EQ(t, kt.accepted, 0);
	/* one child fails: the bio fails, after all its children ended */
	kt.async = true;
	bio->bi_sector = 0;
	bio->bi_status = BLK_STS_OK;
	kt_ended = 0;
	submit_bio(bio);
	for (i = 0; i < 4; i++) {
		struct request *rq = kt.held;

		KT_ASSERT_TRUE(t, rq != NULL);
		kt.held = NULL;
		KT_EXPECT_EQ(t, kt_ended, 0);
		blk_end_request(rq, i == 1 ? BLK_STS_IOERR : BLK_STS_OK);
	}
	KT_EXPECT_EQ(t, kt_ended, 1);
	KT_EXPECT_EQ(t, bio->bi_status, BLK_STS_IOERR);
	kt.async = false;
	blk_queue_max_segments(kt.q, BIO_MAX_VECS);
	blk_queue_max_hw_sectors(kt.q, 255);
	bio_put(bio);
	for (i = 0; i < 5; i++)
		__free_page(pages[i]);
}

/*
 * Under a plug, bios wait in the queue (and merge) until
 * blk_finish_plug; then the driver sees one request for all of them.
 */
static void plug(struct ktest *t)
{
	struct page *page = alloc_page(GFP_KERNEL);
	struct blk_plug plug;
	struct bio *bios[4];
	int i;

	KT_ASSERT_TRUE(t, page != NULL);
	KT_ASSERT_EQ(t, kt_add(), 0);
	kt.accepted = 0;
	kt_ended = 0;
	blk_start_plug(&plug);
	for (i = 0; i < 4; i++) {
		bios[i] = kt_bio(page, REQ_OP_READ, 200 + i);
		KT_ASSERT_TRUE(t, bios[i] != NULL);
		submit_bio(bios[i]);
	}
	KT_EXPECT_EQ(t, kt.accepted, 0);
	KT_EXPECT_EQ(t, kt.disk->part0.bd_stats.in_flight[READ], 1);
	KT_EXPECT_EQ(t, kt.disk->part0.bd_stats.merges[READ], 3);
	blk_finish_plug(&plug);
	KT_EXPECT_NULL(t, current->plug);
	KT_EXPECT_EQ(t, kt.accepted, 1);
	KT_EXPECT_EQ(t, kt.last_nr_bios, 4);
	KT_EXPECT_EQ(t, kt_ended, 4);
	/* sleeping with a plug sends what it holds */
	blk_start_plug(&plug);
	KT_EXPECT_EQ(t, submit_bio_wait(bios[0]), 0);
	KT_EXPECT_EQ(t, kt.accepted, 2);
	blk_finish_plug(&plug);
	for (i = 0; i < 4; i++)
		bio_put(bios[i]);
	__free_page(page);
}

/* Write @len bytes of @buf at @pos of @mapping as a buffered write does. */
static int kt_cache_write(struct address_space *mapping, loff_t pos,
			  const void *buf, unsigned int len)
{
	struct page *page;
	int err = mapping->a_ops->write_begin(NULL, mapping, pos, len, &page,
					      NULL);

	if (err)
		return err;
	memcpy((char *)page_address(page) + (pos & ~PAGE_MASK), buf, len);
	return mapping->a_ops->write_end(NULL, mapping, pos, len, len, page,
					 NULL);
}

/* Does the cached page @index of @mapping hold @want at @offset? */
static bool kt_cache_has(struct address_space *mapping, pgoff_t index,
			 size_t offset, const void *want, size_t len)
{
	struct page *page = read_mapping_page(mapping, index, NULL);
	bool ok;

	if (IS_ERR(page))
		return false;
	ok = !memcmp((char *)page_address(page) + offset, want, len);
	put_page(page);
	return ok;
}

/*
 * A block device's page cache: a page read twice goes to the driver
 * once; a partition has its own cache; a write dirties the page and
 * reaches the driver only at write-back; a failed read caches nothing
 * uptodate; the disk's release frees the pages.
 */
static void cache(struct ktest *t)
{
	struct address_space *disk_map, *part_map;
	unsigned long base = nr_blockdev_pages();
	char want[64];
	int i;

	kt_standard_table(); /* hda1 at sector 64 */
	KT_ASSERT_EQ(t, kt_add(), 0);
	for (i = 0; i < KT_SECTORS * 512; i++)
		kt.mem[i] = (u8)(i * 7 + i / 512);
	disk_map = bdev_mapping(&kt.disk->part0);
	part_map = bdev_mapping(kt.disk->parts[1]);
	KT_ASSERT_TRUE(t, disk_map && part_map);
	kt.accepted = 0;
	KT_EXPECT_TRUE(t, kt_cache_has(disk_map, 1, 904, kt.mem + 5000, 64));
	KT_EXPECT_EQ(t, kt.accepted, 1);
	KT_EXPECT_EQ(t, nr_blockdev_pages(), base + 1);
	KT_EXPECT_TRUE(t, kt_cache_has(disk_map, 1, 0, kt.mem + 4096, 64));
	KT_EXPECT_EQ(t, kt.accepted, 1);
	/* hda1's page 0 is disk bytes 32768..36863: its own cache */
	KT_EXPECT_TRUE(t, kt_cache_has(part_map, 0, 1000, kt.mem + 33768, 64));
	KT_EXPECT_EQ(t, kt.accepted, 2);
	/* a write stays in the cache until written back */
	memset(want, 0x5a, sizeof(want));
	KT_EXPECT_EQ(t, kt_cache_write(disk_map, 5003, want, 10), 10);
	KT_EXPECT_EQ(t, kt.accepted, 2);
	KT_EXPECT_TRUE(t, memcmp(kt.mem + 5003, want, 10) != 0);
	KT_EXPECT_TRUE(t, kt_cache_has(disk_map, 1, 907, want, 10));
	KT_EXPECT_EQ(t, filemap_write_and_wait(disk_map), 0);
	KT_EXPECT_EQ(t, kt.accepted, 3);
	KT_EXPECT_EQ(t, memcmp(kt.mem + 5003, want, 10), 0);
	/* a whole page is written without reading it first */
	KT_EXPECT_EQ(t, kt_cache_write(disk_map, 8 * 4096, kt.mem, 4096), 4096);
	KT_EXPECT_EQ(t, kt.accepted, 3);
	/* a partial one is read first */
	KT_EXPECT_EQ(t, kt_cache_write(disk_map, 9 * 4096 + 8, want, 8), 8);
	KT_EXPECT_EQ(t, kt.accepted, 4);
	KT_EXPECT_TRUE(t, kt_cache_has(disk_map, 9, 0, kt.mem + 9 * 4096, 8));
	/* a read the driver fails: EIO, and the next read tries again */
	kt.fail_next = true;
	KT_EXPECT_TRUE(t, IS_ERR(read_mapping_page(disk_map, 24, NULL)));
	KT_EXPECT_TRUE(t, kt_cache_has(disk_map, 24, 0, kt.mem + 24 * 4096, 8));
	/* the disk goes: so does its cache */
	kt_del();
	KT_EXPECT_EQ(t, nr_blockdev_pages(), base);
}

/* Disks without partitions, bad add_disk arguments. */
static void add_errors(struct ktest *t)
{
	struct gendisk *d;

	KT_EXPECT_NULL(t, alloc_disk(0));
	KT_EXPECT_NULL(t, alloc_disk(DISK_MAX_PARTS + 1));
	d = alloc_disk(1);
	KT_ASSERT_TRUE(t, d != NULL);
	KT_EXPECT_EQ(t, add_disk(d, NULL), -EINVAL); /* no name, no queue */
	strcpy(d->disk_name, "ktblk");
	KT_EXPECT_EQ(t, add_disk(d, NULL), -EINVAL); /* no queue */
	put_disk(d);
	kt_standard_table();
	KT_ASSERT_EQ(t, kt_add(), 0);
	d = alloc_disk(1); /* the same number again */
	KT_ASSERT_TRUE(t, d != NULL);
	d->major = KT_MAJOR;
	strcpy(d->disk_name, "ktblk");
	d->queue = kt.q;
	KT_EXPECT_LT(t, add_disk(d, NULL), 0);
	put_disk(d);
	KT_EXPECT_TRUE(t, sysfs_is("/block/ktblk/size", "2048\n"));
}

static struct ktest_case block_cases[] = {
	KTEST_CASE(disk_add_del), KTEST_CASE(bio_through_partition),
	KTEST_CASE(bad_bios),	  KTEST_CASE(busy_driver),
	KTEST_CASE(merges),	  KTEST_CASE(elevator),
	KTEST_CASE(split),	  KTEST_CASE(plug),
	KTEST_CASE(cache),	  KTEST_CASE(rescan),
	KTEST_CASE(add_errors),	  {},
};

KTEST_SUITE_FULL(block, block_cases, kt_init, kt_exit);
