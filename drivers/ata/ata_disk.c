/*
 * ATA disks on the block layer: each disk the ATA core finds becomes a
 * gendisk with the IDE names of Linux 2.6's drivers/ide (docs/ata.md):
 *
 *	ata1.00 (primary master)    hda   3:0    hda1 3:1 ...
 *	ata1.01 (primary slave)     hdb   3:64
 *	ata2.00 (secondary master)  hdc  22:0    (the CD-ROM on QEMU: no disk)
 *	ata2.01 (secondary slave)   hdd  22:64
 *
 * The request queue hands us one request at a time (->queue_rq); we
 * turn it into one ATA command whose scatter-gather list is the
 * request's segments, and the core's completion (the disk's interrupt)
 * ends the request:
 *
 *	blk_run_queue -> ata_disk_queue_rq(rq) -> ata_submit(cmd)
 *	IRQ 14 -> ata_interrupt -> ata_disk_done(cmd) -> blk_end_request(rq)
 *	       -> blk_run_queue: the elevator's next request
 *
 * A disk has one command in flight; while it runs, ->queue_rq answers
 * BLK_STS_RESOURCE and requests wait in the queue, where they merge and
 * the elevator orders them. The two disks of a channel take turns on it
 * in the core's FIFO. The queue's limits keep a request within one
 * command: max_hw_sectors (256 sectors without LBA48, 2048 with it) and
 * max_segments (one PRD entry each, ATA_DISK_MAX_SEGS).
 *
 * Lifetime: the disk lives until its last user. When the controller is
 * unbound, ata_disk_remove() deletes the gendisk (open files then get
 * ENXIO) and cleans up the queue (waiting requests fail); the command
 * in flight ends through the core; ata_disk_put() drops the driver's
 * reference. struct ata_disk is freed by ->free_disk once the gendisk
 * goes, so an ioctl on a file still open never sees it freed.
 */
#include <kestrel/ata.h>
#include <kestrel/blkdev.h>
#include <kestrel/errno.h>
#include <kestrel/init.h>
#include <kestrel/kstrtox.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "ata_disk.h"

#define IDE0_MAJOR 3
#define IDE1_MAJOR 22
#define ATA_DISK_MINORS 64 /* hda and hda1..hda63 */
#define ATA_DISK_MAX_SEGS \
	256 /* <= ATA_PRD_MAX: a page never crosses
			       * a 64 KiB boundary, so one entry each */
#define ATA_DISK_MAX_SECT_LBA48 2048 /* 1 MiB, Linux's order of size */

/* IDENTIFY words of the default geometry (ATA-7 section 7.16). */
#define ATA_ID_CYLS 1
#define ATA_ID_HEADS 3
#define ATA_ID_SECTORS 6

struct ata_disk {
	struct ata_device *adev; /* referenced */
	struct gendisk *disk;
	struct request_queue *queue;
	struct request *rq; /* in flight, or NULL */
	struct ata_cmd cmd; /* rq's command */
	struct ata_sg sg[ATA_DISK_MAX_SEGS];
};

/* The command of @rq is over: end the request. Interrupt context. */
static void ata_disk_done(struct ata_cmd *cmd)
{
	struct ata_disk *ad = cmd->private;
	struct request *rq = ad->rq;

	if (cmd->result && req_op(rq) != REQ_OP_FLUSH)
		pr_err("%s: I/O error, sector %llu, %u sectors (%s)\n",
		       ad->disk->disk_name, (unsigned long long)blk_rq_pos(rq),
		       blk_rq_sectors(rq),
		       rq_data_dir(rq) == WRITE ? "WRITE" : "READ");
	else if (cmd->result)
		pr_err("%s: cache flush failed\n", ad->disk->disk_name);
	/* free before ending: the end runs the queue, which may send the
	 * next request straight away */
	WRITE_ONCE(ad->rq, NULL);
	blk_end_request(rq, cmd->result ? BLK_STS_IOERR : BLK_STS_OK);
}

/* @rq's segments as the command's scatter-gather list; pieces of one
 * page that follow each other become one entry. Return: entries. */
static unsigned int ata_disk_map(struct ata_disk *ad, struct request *rq)
{
	struct req_iterator iter;
	struct bio_vec bv;
	unsigned int n = 0;

	rq_for_each_segment(bv, rq, iter)
	{
		struct ata_sg *prev = n ? &ad->sg[n - 1] : NULL;

		if (prev && prev->page == bv.bv_page &&
		    prev->offset + prev->len == bv.bv_offset) {
			prev->len += bv.bv_len;
			continue;
		}
		ad->sg[n].page = bv.bv_page;
		ad->sg[n].offset = bv.bv_offset;
		ad->sg[n].len = bv.bv_len;
		n++;
	}
	return n;
}

static blk_status_t ata_disk_queue_rq(struct request *rq)
{
	struct ata_disk *ad = rq->q->queuedata;
	struct ata_cmd *cmd = &ad->cmd;
	int err;

	/* the queue calls us for one request at a time; the only race is
	 * with ata_disk_done, whose blk_run_queue makes the queue ask
	 * again if we say busy here */
	if (READ_ONCE(ad->rq))
		return BLK_STS_RESOURCE;
	ad->rq = rq;
	memset(cmd, 0, sizeof(*cmd));
	cmd->dev = ad->adev;
	cmd->done = ata_disk_done;
	cmd->private = ad;
	if (req_op(rq) == REQ_OP_FLUSH) {
		cmd->op = ATA_OP_FLUSH;
	} else {
		cmd->op = rq_data_dir(rq) == WRITE ? ATA_OP_WRITE : ATA_OP_READ;
		cmd->lba = blk_rq_pos(rq);
		cmd->nsect = blk_rq_sectors(rq);
		cmd->sg = ad->sg;
		cmd->nsg = ata_disk_map(ad, rq);
	}
	err = ata_submit(cmd);
	if (err) {
		pr_err("%s: request not sent: %d\n", ad->disk->disk_name, err);
		ad->rq = NULL;
		blk_end_request(rq, BLK_STS_IOERR);
	}
	return BLK_STS_OK;
}

/* HDIO_GETGEO: the default geometry IDENTIFY reports, as drivers/ide
 * did; the block layer's made-up one if the disk reports none. */
static int ata_disk_getgeo(struct block_device *bdev, struct hd_geometry *geo)
{
	struct ata_disk *ad = bdev->bd_disk->private_data;
	const u16 *id = ad->adev->id;

	if (id[ATA_ID_HEADS] && id[ATA_ID_SECTORS] && id[ATA_ID_CYLS] &&
	    id[ATA_ID_HEADS] <= 255 && id[ATA_ID_SECTORS] <= 255) {
		geo->heads = id[ATA_ID_HEADS];
		geo->sectors = id[ATA_ID_SECTORS];
		geo->cylinders = id[ATA_ID_CYLS];
	}
	return 0;
}

static void ata_disk_free(struct gendisk *disk)
{
	struct ata_disk *ad = disk->private_data;

	ata_put_device(ad->adev);
	kfree(ad);
}

static const struct block_device_operations ata_disk_fops = {
	.getgeo = ata_disk_getgeo,
	.free_disk = ata_disk_free,
};

/* Queue and gendisk of @ad, not yet added. 0 or -errno. */
static int ata_disk_alloc(struct ata_disk *ad)
{
	struct ata_device *adev = ad->adev;
	struct request_queue *q;

	q = blk_alloc_queue(ata_disk_queue_rq, ad);
	if (IS_ERR(q))
		return PTR_ERR(q);
	ad->queue = q;
	blk_queue_max_hw_sectors(q, adev->lba48 ? ATA_DISK_MAX_SECT_LBA48 :
						  ATA_MAX_SECT_LBA28);
	blk_queue_max_segments(q, ATA_DISK_MAX_SEGS);
	ad->disk = alloc_disk(ATA_DISK_MINORS);
	if (!ad->disk)
		return -ENOMEM;
	ad->disk->major = adev->ap->id ? IDE1_MAJOR : IDE0_MAJOR;
	ad->disk->first_minor = adev->devno * ATA_DISK_MINORS;
	ad->disk->fops = &ata_disk_fops;
	ad->disk->queue = q;
	ad->disk->private_data = ad;
	snprintf(ad->disk->disk_name, DISK_NAME_LEN, "hd%c",
		 'a' + adev->ap->id * 2 + adev->devno);
	set_capacity(ad->disk, adev->n_sectors);
	return 0;
}

/**
 * ata_disk_add - put the ATA disk @adev on the block layer
 *
 * Reads its partition table. A failure is logged; the device stays
 * visible in sysfs without a disk. Context: process; sleeps.
 */
void ata_disk_add(struct ata_device *adev)
{
	struct ata_disk *ad = kzalloc(sizeof(*ad), GFP_KERNEL);
	int err = -ENOMEM;

	if (!ad)
		goto fail;
	get_device(&adev->dev); /* put by ata_disk_free */
	ad->adev = adev;
	err = ata_disk_alloc(ad);
	if (!err)
		err = add_disk(ad->disk, &adev->dev);
	if (!err) {
		adev->disk = ad;
		return;
	}
	if (!IS_ERR_OR_NULL(ad->queue))
		blk_cleanup_queue(ad->queue);
	if (ad->disk) {
		put_disk(ad->disk); /* frees @ad through ata_disk_free */
	} else {
		ata_put_device(adev);
		kfree(ad);
	}
fail:
	pr_err("ata%u.%02u: no block device: %d\n", adev->ap->id + 1,
	       adev->devno, err);
}

/**
 * ata_disk_remove - the controller goes: delete @adev's disk, fail what
 * waits in its queue
 *
 * The command in flight, if any, still ends through the core; call
 * ata_disk_put() once the channel is idle. Context: process; sleeps.
 */
void ata_disk_remove(struct ata_device *adev)
{
	struct ata_disk *ad = adev->disk;

	if (!ad)
		return;
	del_gendisk(ad->disk);
	blk_cleanup_queue(ad->queue);
}

/* The driver's reference on the disk; files may hold more. */
void ata_disk_put(struct ata_device *adev)
{
	struct ata_disk *ad = adev->disk;

	if (!ad)
		return;
	adev->disk = NULL;
	put_disk(ad->disk);
}

static int ata_disk_init(void)
{
	int err = register_blkdev(IDE0_MAJOR, "ide0");

	if (!err)
		err = register_blkdev(IDE1_MAJOR, "ide1");
	if (err)
		pr_err("ata: block majors not registered: %d\n", err);
	return err;
}
subsys_initcall(ata_disk_init);
