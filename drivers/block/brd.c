/*
 * RAM disks (Linux's drivers/block/brd.c): block devices whose sectors
 * live in pages of memory, for testing the block layer without hardware.
 *
 *	brd.rd_nr=2 brd.rd_size=8192	-> /dev/ram0, /dev/ram1, 8 MiB each
 *
 * None by default. Each disk is major 1 (RAMDISK_MAJOR), minor = its
 * number, without partitions; the pages are allocated and zeroed when
 * the disk is made, so ->queue_rq never allocates (it must not sleep)
 * and ends every request at once, inside ->queue_rq: the smallest
 * possible driver of docs/block.md.
 *
 * Locking: none; the queue calls ->queue_rq for one request at a time.
 */
#include <kestrel/blkdev.h>
#include <kestrel/errno.h>
#include <kestrel/init.h>
#include <kestrel/kstrtox.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/vmalloc.h>

#define RAMDISK_MAJOR 1
#define BRD_MAX_NR 16
#define BRD_MAX_SIZE_KB (64 * 1024)
#define SECTORS_PER_PAGE (PAGE_SIZE >> SECTOR_SHIFT)

static unsigned int rd_nr; /* disks to make */
static unsigned int rd_size = 4096; /* KiB each (Linux's default) */

struct brd_device {
	struct gendisk *disk;
	struct request_queue *queue;
	unsigned long nr_pages;
	struct page **pages;
};

static struct brd_device *brd_devs;

/* Copy one segment to or from the disk's pages. */
static void brd_do_bvec(struct brd_device *brd, struct bio_vec *bv,
			sector_t sector, bool write)
{
	char *mem = bvec_virt(bv);
	unsigned int done = 0;

	while (done < bv->bv_len) {
		unsigned long idx = sector / SECTORS_PER_PAGE;
		unsigned int off = (sector % SECTORS_PER_PAGE) << SECTOR_SHIFT;
		unsigned int n = PAGE_SIZE - off;
		char *page = page_address(brd->pages[idx]);

		if (n > bv->bv_len - done)
			n = bv->bv_len - done;
		if (write)
			memcpy(page + off, mem + done, n);
		else
			memcpy(mem + done, page + off, n);
		done += n;
		sector += n >> SECTOR_SHIFT;
	}
}

static blk_status_t brd_queue_rq(struct request *rq)
{
	struct brd_device *brd = rq->q->queuedata;
	sector_t sector = blk_rq_pos(rq);
	struct req_iterator iter;
	struct bio_vec bv;

	if (req_op(rq) != REQ_OP_FLUSH) {
		rq_for_each_segment(bv, rq, iter)
		{
			brd_do_bvec(brd, &bv, sector, rq_data_dir(rq) == WRITE);
			sector += bv.bv_len >> SECTOR_SHIFT;
		}
	}
	blk_end_request(rq, BLK_STS_OK);
	return BLK_STS_OK;
}

static const struct block_device_operations brd_fops;

static int brd_alloc_pages(struct brd_device *brd)
{
	unsigned long i;

	brd->nr_pages = (rd_size + PAGE_SIZE / 1024 - 1) / (PAGE_SIZE / 1024);
	brd->pages = vzalloc(brd->nr_pages * sizeof(*brd->pages));
	if (!brd->pages)
		return -ENOMEM;
	for (i = 0; i < brd->nr_pages; i++) {
		brd->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!brd->pages[i])
			return -ENOMEM;
	}
	return 0;
}

static void brd_free(struct brd_device *brd)
{
	unsigned long i;

	if (brd->pages)
		for (i = 0; i < brd->nr_pages; i++)
			if (brd->pages[i])
				__free_page(brd->pages[i]);
	vfree(brd->pages);
	if (!IS_ERR_OR_NULL(brd->queue))
		blk_cleanup_queue(brd->queue);
	put_disk(brd->disk);
}

static int brd_create(struct brd_device *brd, int i)
{
	int err = brd_alloc_pages(brd);

	if (err)
		return err;
	brd->queue = blk_alloc_queue(brd_queue_rq, brd);
	if (IS_ERR(brd->queue))
		return PTR_ERR(brd->queue);
	brd->queue->rotational = false;
	blk_queue_max_hw_sectors(brd->queue, 1024);
	brd->disk = alloc_disk(1);
	if (!brd->disk)
		return -ENOMEM;
	brd->disk->major = RAMDISK_MAJOR;
	brd->disk->first_minor = i;
	brd->disk->fops = &brd_fops;
	brd->disk->queue = brd->queue;
	brd->disk->private_data = brd;
	snprintf(brd->disk->disk_name, DISK_NAME_LEN, "ram%d", i);
	set_capacity(brd->disk, (sector_t)rd_size * 2);
	return add_disk(brd->disk, NULL);
}

static int brd_init(void)
{
	unsigned int i;
	int err;

	if (!rd_nr)
		return 0;
	err = register_blkdev(RAMDISK_MAJOR, "ramdisk");
	if (err)
		return err;
	brd_devs = kcalloc(rd_nr, sizeof(*brd_devs), GFP_KERNEL);
	if (!brd_devs)
		return -ENOMEM;
	for (i = 0; i < rd_nr; i++) {
		err = brd_create(&brd_devs[i], i);
		if (err) {
			pr_err("brd: ram%u not made: %d\n", i, err);
			brd_free(&brd_devs[i]);
			memset(&brd_devs[i], 0, sizeof(brd_devs[i]));
			return err;
		}
	}
	pr_info("brd: %u RAM disk(s) of %u KiB\n", rd_nr, rd_size);
	return 0;
}
device_initcall(brd_init);

static int brd_set_nr(char *value)
{
	if (!value || kstrtouint(value, 10, &rd_nr) || rd_nr > BRD_MAX_NR) {
		rd_nr = 0;
		return -EINVAL;
	}
	return 0;
}
__setup("brd.rd_nr", brd_set_nr);

static int brd_set_size(char *value)
{
	if (!value || kstrtouint(value, 10, &rd_size) || !rd_size ||
	    rd_size > BRD_MAX_SIZE_KB) {
		rd_size = 4096;
		return -EINVAL;
	}
	return 0;
}
__setup("brd.rd_size", brd_set_size);
