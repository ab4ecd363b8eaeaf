/*
 * The request queue: what a block driver implements (Linux's
 * <linux/blkdev.h>, without blk-mq). submit_bio() turns each bio into a
 * struct request on the disk's queue; the queue hands requests to the
 * driver's ->queue_rq one at a time, and the driver ends each with
 * blk_end_request(), from any context. The driver interface, its rules
 * and an example are in docs/block.md.
 */
#ifndef _KESTREL_BLKDEV_H
#define _KESTREL_BLKDEV_H

#include <kestrel/atomic.h>
#include <kestrel/bio.h>
#include <kestrel/genhd.h>
#include <kestrel/list.h>
#include <kestrel/sched.h>
#include <kestrel/spinlock.h>

struct request;
struct hd_geometry;

/* The driver's hook: take @rq (BLK_STS_OK) or not now (BLK_STS_RESOURCE,
 * kept and offered again on blk_run_queue). Must not sleep. */
typedef blk_status_t(queue_rq_fn)(struct request *rq);

/**
 * struct request_queue - a disk's queue of requests
 * @refs: the driver's reference, the disk's (add_disk to its release)
 *     and a plug's; the last blk_put_queue frees it
 * @queue_lock: protects the list, the flags and the disk's statistics
 * @queue_head: requests not yet given to the driver, in submission order
 * @head_pos: the sector after the last request given to the driver,
 *     where the elevator's sweep is
 * @queue_rq: the driver's hook
 * @queuedata: the driver's
 * @logical_block_size: bytes; 512 for ATA disks
 * @max_hw_sectors: the largest request, in 512-byte sectors
 * @max_segments: the most bio_vecs in one request (the driver's
 *     scatter-gather table); bigger bios are split on submission
 * @nr_requests: requests the queue holds before submitters wait
 * @rotational: a spinning disk (1) or not (a RAM disk)
 * @running: a dispatch loop is running (blk_run_queue)
 * @rerun: the loop must look at the list once more
 * @dying: blk_cleanup_queue: fail new bios
 */
struct request_queue {
	atomic_t refs;
	spinlock_t queue_lock;
	struct list_head queue_head;
	sector_t head_pos;
	queue_rq_fn *queue_rq;
	void *queuedata;
	unsigned int logical_block_size;
	unsigned int max_hw_sectors;
	unsigned int max_segments;
	unsigned int nr_requests;
	bool rotational;
	bool running, rerun, dying;
};

/**
 * struct request - one or more adjacent bios for the driver
 * @queuelist: in the queue, then the driver's to use while it owns it
 * @q, @rq_disk: the queue and disk
 * @part: the block_device whose statistics it counts to
 * @cmd_flags: an enum req_op
 * @__sector, @__data_len: its start (disk-relative) and bytes left
 * @nr_segs: bio_vecs in all its bios
 * @bio, @biotail: its bios, linked by bi_next
 * @start_time: jiffies when it was queued (Linux 2.6 counts a request
 *     in flight from then on, and so do we)
 * @special: the driver's
 */
struct request {
	struct list_head queuelist;
	struct request_queue *q;
	struct gendisk *rq_disk;
	struct block_device *part;
	unsigned int cmd_flags;
	sector_t __sector;
	unsigned int __data_len;
	unsigned int nr_segs;
	struct bio *bio, *biotail;
	unsigned long start_time;
	void *special;
};

static inline enum req_op req_op(const struct request *rq)
{
	return (enum req_op)rq->cmd_flags;
}

static inline int rq_data_dir(const struct request *rq)
{
	return req_op(rq) == REQ_OP_WRITE ? WRITE : READ;
}

static inline sector_t blk_rq_pos(const struct request *rq)
{
	return rq->__sector;
}

static inline unsigned int blk_rq_bytes(const struct request *rq)
{
	return rq->__data_len;
}

static inline unsigned int blk_rq_sectors(const struct request *rq)
{
	return rq->__data_len >> SECTOR_SHIFT;
}

/* Walk every segment of every bio of a request. */
struct req_iterator {
	struct bio *bio;
	unsigned int i;
};

#define rq_for_each_segment(bvec, rq, iter)                         \
	for ((iter).bio = (rq)->bio; (iter).bio;                    \
	     (iter).bio = (iter).bio->bi_next)                      \
		for ((iter).i = 0;                                  \
		     (iter).i < (iter).bio->bi_vcnt &&              \
		     ((bvec) = (iter).bio->bi_io_vec[(iter).i], 1); \
		     (iter).i++)

/* What a driver may add to the files of its disks (all optional). */
struct hd_geometry {
	unsigned char heads;
	unsigned char sectors;
	unsigned short cylinders;
	unsigned long start;
};

struct block_device_operations {
	int (*open)(struct block_device *bdev, fmode_t mode);
	void (*release)(struct gendisk *disk, fmode_t mode);
	int (*ioctl)(struct block_device *bdev, fmode_t mode, unsigned int cmd,
		     unsigned long arg);
	int (*getgeo)(struct block_device *bdev, struct hd_geometry *geo);
	/* The disk's last reference went: free what private_data holds. */
	void (*free_disk)(struct gendisk *disk);
};

/* block/blk-core.c. */
struct request_queue *blk_alloc_queue(queue_rq_fn *queue_rq, void *queuedata);
/* The driver is done with @q: fail what waits, refuse new bios, wait
 * for a dispatch in progress, drop the driver's reference. Sleeps. */
void blk_cleanup_queue(struct request_queue *q);
void blk_get_queue(struct request_queue *q);
void blk_put_queue(struct request_queue *q);
void blk_queue_logical_block_size(struct request_queue *q, unsigned int size);
void blk_queue_max_hw_sectors(struct request_queue *q, unsigned int sectors);
void blk_queue_max_segments(struct request_queue *q, unsigned int segs);
/* Offer the waiting requests to the driver again. Any context. */
void blk_run_queue(struct request_queue *q);
/* The driver is done with @rq: end its bios, free it. Any context. */
void blk_end_request(struct request *rq, blk_status_t status);

/*
 * Plugging (Linux's blk_start_plug): a task about to submit several bios
 * holds them back in the queues until blk_finish_plug(), or until it
 * sleeps, so that they merge and the elevator sees them all at once:
 *
 *	struct blk_plug plug;
 *
 *	blk_start_plug(&plug);
 *	for (...) submit_bio(bio);	(queued, not yet dispatched)
 *	blk_finish_plug(&plug);		(every plugged queue runs)
 *
 * The scheduler flushes the plug when the task goes to sleep with it
 * (through task_plug's function pointer, so that kernel/sched does not
 * call up into block/). Plugs do not nest: an inner start is ignored.
 */
#define BLK_PLUG_QUEUES 4

struct blk_plug {
	struct task_plug tp; /* current->plug points here */
	unsigned int nr;
	struct request_queue *queues[BLK_PLUG_QUEUES]; /* referenced */
};

void blk_start_plug(struct blk_plug *plug);
void blk_finish_plug(struct blk_plug *plug);

#endif /* _KESTREL_BLKDEV_H */
