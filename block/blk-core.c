/*
 * The request queue (Linux 2.6's block/blk-core.c, simplified).
 *
 *	submit_bio(bio)
 *	  -> check: within the device, writable
 *	  -> too big for the driver (max_hw_sectors, max_segments)? split
 *	     into child bios that each fit; the parent ends with the last
 *	  -> remap: the partition's start added
 *	  -> merged into a waiting request it extends at the back or
 *	     the front, else a struct request of its own, at the tail of
 *	     q->queue_head
 *	  -> blk_run_queue(q): while requests wait, ->queue_rq(rq) of
 *	     the one the elevator (C-LOOK) picks; not yet if the task
 *	     holds a plug (blk_start_plug): then at blk_finish_plug or
 *	     when it sleeps
 *	driver: blk_end_request(rq, status)      (often its IRQ handler)
 *	  -> bio_endio() each bio; statistics; blk_run_queue(q) again
 *
 * One dispatch loop per queue at a time: blk_run_queue() called while the
 * loop runs (by a completion inside ->queue_rq, or an interrupt) only
 * sets q->rerun, and the running loop looks at the list again. So a
 * synchronous driver (brd) never recurses, and ->queue_rq never runs
 * twice at once for a queue.
 *
 * Locking: q->queue_lock (taken irqsave: completions come from
 * interrupts) protects the list, the flags and the disk's statistics.
 * ->queue_rq is called without it.
 *
 * Lifetime: the queue is referenced (q->refs) by its driver, by its
 * gendisk once added (a file may keep the disk after the driver has
 * gone) and by plugs; blk_cleanup_queue() makes it refuse new bios
 * and drops the driver's reference.
 */
#include <kestrel/blkdev.h>
#include <kestrel/completion.h>
#include <kestrel/errno.h>
#include <kestrel/interrupt.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/time.h>

struct request_queue *blk_alloc_queue(queue_rq_fn *queue_rq, void *queuedata)
{
	struct request_queue *q = kzalloc(sizeof(*q), GFP_KERNEL);

	if (!q)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&q->queue_lock);
	INIT_LIST_HEAD(&q->queue_head);
	q->queue_rq = queue_rq;
	q->queuedata = queuedata;
	q->logical_block_size = SECTOR_SIZE;
	q->max_hw_sectors = 255; /* Linux's BLK_SAFE_MAX_SECTORS */
	q->max_segments = BIO_MAX_VECS;
	q->nr_requests = 128;
	atomic_set(&q->refs, 1);
	q->rotational = true;
	return q;
}

void blk_get_queue(struct request_queue *q)
{
	atomic_inc(&q->refs);
}

void blk_put_queue(struct request_queue *q)
{
	if (q && atomic_dec_and_test(&q->refs))
		kfree(q);
}

/* Fail what still waits; wait for a dispatch loop still running (an
 * interrupt's, or another task's) to leave ->queue_rq. The driver must
 * end the requests it owns itself. */
void blk_cleanup_queue(struct request_queue *q)
{
	unsigned long flags;
	struct request *rq;

	spin_lock_irqsave(&q->queue_lock, flags);
	q->dying = true;
	while (!list_empty(&q->queue_head)) {
		rq = list_first_entry(&q->queue_head, struct request,
				      queuelist);
		list_del_init(&rq->queuelist);
		spin_unlock_irqrestore(&q->queue_lock, flags);
		blk_end_request(rq, BLK_STS_IOERR);
		spin_lock_irqsave(&q->queue_lock, flags);
	}
	while (q->running) {
		spin_unlock_irqrestore(&q->queue_lock, flags);
		schedule_timeout_uninterruptible(1);
		spin_lock_irqsave(&q->queue_lock, flags);
	}
	spin_unlock_irqrestore(&q->queue_lock, flags);
	blk_put_queue(q);
}

void blk_queue_logical_block_size(struct request_queue *q, unsigned int size)
{
	q->logical_block_size = size;
}

void blk_queue_max_hw_sectors(struct request_queue *q, unsigned int sectors)
{
	q->max_hw_sectors = sectors;
}

void blk_queue_max_segments(struct request_queue *q, unsigned int segs)
{
	q->max_segments = segs;
}

/* io_ticks and time_in_queue advance while requests are in flight. */
static void update_io_ticks(struct disk_stats *st)
{
	unsigned long now = jiffies;
	unsigned int ms = jiffies_to_msecs(now - st->stamp);
	unsigned int n = st->in_flight[READ] + st->in_flight[WRITE];

	if (n) {
		st->io_ticks += ms;
		st->time_in_queue += ms * n;
	}
	st->stamp = now;
}

/* The request is queued: in flight from now on, as Linux 2.6 counts
 * (queue_lock held). */
static void account_start(struct request *rq)
{
	struct block_device *bdevs[2] = { rq->part, &rq->rq_disk->part0 };
	int i, n = rq->part->bd_partno ? 2 : 1;

	rq->start_time = jiffies;
	for (i = 0; i < n; i++) {
		update_io_ticks(&bdevs[i]->bd_stats);
		bdevs[i]->bd_stats.in_flight[rq_data_dir(rq)]++;
	}
}

/* The request is done (queue_lock held). */
static void account_done(struct request *rq, unsigned int bytes)
{
	struct block_device *bdevs[2] = { rq->part, &rq->rq_disk->part0 };
	unsigned long ms = jiffies_to_msecs(jiffies - rq->start_time);
	int i, n = rq->part->bd_partno ? 2 : 1, dir = rq_data_dir(rq);

	for (i = 0; i < n; i++) {
		struct disk_stats *st = &bdevs[i]->bd_stats;

		update_io_ticks(st);
		st->in_flight[dir]--;
		if (req_op(rq) == REQ_OP_FLUSH) {
			st->flush_ios++;
			st->flush_ticks += ms;
			continue;
		}
		st->ios[dir]++;
		st->sectors[dir] += bytes >> SECTOR_SHIFT;
		st->ticks[dir] += ms;
	}
}

/*
 * The elevator, C-LOOK: of the waiting requests, the lowest at or above
 * where the last one ended (the head sweeps upward), else the lowest of
 * all (the sweep starts again at the bottom). A flush is a barrier: it
 * goes once what was queued before it has gone. queue_lock held.
 */
static struct request *elv_next_request(struct request_queue *q)
{
	struct request *rq, *up = NULL, *low = NULL;

	list_for_each_entry(rq, &q->queue_head, queuelist) {
		if (req_op(rq) == REQ_OP_FLUSH)
			return up ? up : low ? low : rq;
		if (!low || blk_rq_pos(rq) < blk_rq_pos(low))
			low = rq;
		if (blk_rq_pos(rq) >= q->head_pos &&
		    (!up || blk_rq_pos(rq) < blk_rq_pos(up)))
			up = rq;
	}
	return up ? up : low;
}

void blk_run_queue(struct request_queue *q)
{
	unsigned long flags;
	struct request *rq;

	spin_lock_irqsave(&q->queue_lock, flags);
	if (q->running) {
		q->rerun = true;
		goto out;
	}
	q->running = true;
	do {
		q->rerun = false;
		while (!q->dying && (rq = elv_next_request(q))) {
			sector_t end = blk_rq_pos(rq) + blk_rq_sectors(rq);

			list_del_init(&rq->queuelist);
			spin_unlock_irqrestore(&q->queue_lock, flags);
			if (q->queue_rq(rq) == BLK_STS_OK) {
				spin_lock_irqsave(&q->queue_lock, flags);
				q->head_pos = end;
				continue;
			}
			spin_lock_irqsave(&q->queue_lock, flags);
			list_add(&rq->queuelist, &q->queue_head);
			break; /* busy: wait for blk_run_queue */
		}
	} while (q->rerun);
	q->running = false;
out:
	spin_unlock_irqrestore(&q->queue_lock, flags);
}

void blk_end_request(struct request *rq, blk_status_t status)
{
	struct request_queue *q = rq->q;
	unsigned int bytes = status ? 0 : rq->__data_len;
	unsigned long flags;
	struct bio *bio;

	spin_lock_irqsave(&q->queue_lock, flags);
	account_done(rq, bytes);
	spin_unlock_irqrestore(&q->queue_lock, flags);
	while ((bio = rq->bio)) {
		rq->bio = bio->bi_next;
		bio->bi_next = NULL;
		bio->bi_status = status;
		bio_endio(bio);
	}
	kfree(rq);
	blk_run_queue(q);
}

/* Is @bio well formed for its device? */
static bool bio_check(struct bio *bio)
{
	struct block_device *bdev = bio->bi_bdev;
	sector_t end = bio_end_sector(bio);

	if (bio_op(bio) == REQ_OP_FLUSH)
		return !bio->bi_size;
	if (bio->bi_size & (SECTOR_SIZE - 1) || !bio->bi_size)
		return false;
	return end <= bdev->bd_nr_sectors && end >= bio->bi_sector;
}

/* May @bio join the waiting request @rq? Same op and device, with data,
 * and not over the driver's size limit. */
static bool bio_mergeable(struct request *rq, struct bio *bio)
{
	return req_op(rq) == bio_op(bio) && bio_op(bio) != REQ_OP_FLUSH &&
	       rq->part == bio->bi_bdev &&
	       (rq->__data_len + bio->bi_size) >> SECTOR_SHIFT <=
		       rq->q->max_hw_sectors &&
	       rq->nr_segs + bio->bi_vcnt <= rq->q->max_segments;
}

static void account_merge(struct request *rq)
{
	int dir = rq_data_dir(rq);

	rq->part->bd_stats.merges[dir]++;
	if (rq->part->bd_partno)
		rq->rq_disk->part0.bd_stats.merges[dir]++;
}

/*
 * Add @bio to a waiting request it continues (back merge: it starts
 * where the request ends) or precedes (front merge: it ends where the
 * request starts). queue_lock held. Return: whether it was merged.
 */
static bool attempt_merge(struct request_queue *q, struct bio *bio)
{
	struct request *rq;

	list_for_each_entry(rq, &q->queue_head, queuelist) {
		if (!bio_mergeable(rq, bio))
			continue;
		if (blk_rq_pos(rq) + blk_rq_sectors(rq) == bio->bi_sector) {
			rq->biotail->bi_next = bio;
			rq->biotail = bio;
		} else if (bio_end_sector(bio) == blk_rq_pos(rq)) {
			bio->bi_next = rq->bio;
			rq->bio = bio;
			rq->__sector = bio->bi_sector;
		} else {
			continue;
		}
		rq->__data_len += bio->bi_size;
		rq->nr_segs += bio->bi_vcnt;
		account_merge(rq);
		return true;
	}
	return false;
}

/* A new request for @bio, not queued yet; NULL when out of memory. */
static struct request *bio_to_request(struct bio *bio)
{
	struct block_device *bdev = bio->bi_bdev;
	struct request *rq = kzalloc(sizeof(*rq), GFP_NOIO);

	if (!rq)
		return NULL;
	INIT_LIST_HEAD(&rq->queuelist);
	rq->q = bdev->bd_disk->queue;
	rq->rq_disk = bdev->bd_disk;
	rq->part = bdev;
	rq->cmd_flags = bio->bi_opf;
	rq->__sector = bio->bi_sector;
	rq->__data_len = bio->bi_size;
	rq->nr_segs = bio->bi_vcnt;
	rq->bio = rq->biotail = bio;
	return rq;
}

/* Merge @bio into a waiting request, else queue @rq (made for it, or
 * NULL: then only a merge will do). Return: 0, -ENODEV (queue dying),
 * -ENOMEM (no merge and no @rq); @rq is the caller's unless 0 and used. */
static int queue_bio(struct request_queue *q, struct bio *bio,
		     struct request **rq)
{
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&q->queue_lock, flags);
	if (q->dying)
		err = -ENODEV;
	else if (attempt_merge(q, bio))
		err = 0;
	else if (*rq) {
		list_add_tail(&(*rq)->queuelist, &q->queue_head);
		account_start(*rq);
		*rq = NULL;
	} else
		err = -ENOMEM;
	spin_unlock_irqrestore(&q->queue_lock, flags);
	return err;
}

/* ---- plugging ----------------------------------------------------------- */

static void blk_flush_plug(struct task_plug *tp)
{
	struct blk_plug *plug = container_of(tp, struct blk_plug, tp);

	while (plug->nr) {
		struct request_queue *q = plug->queues[--plug->nr];

		blk_run_queue(q);
		blk_put_queue(q);
	}
}

void blk_start_plug(struct blk_plug *plug)
{
	if (current->plug)
		return; /* the outermost plug does it */
	plug->tp.flush = blk_flush_plug;
	plug->nr = 0;
	current->plug = &plug->tp;
}

void blk_finish_plug(struct blk_plug *plug)
{
	if (current->plug != &plug->tp)
		return;
	current->plug = NULL;
	blk_flush_plug(&plug->tp);
}

/* Hold @q's dispatch back in the current task's plug. Return: whether
 * it is plugged (else the caller runs the queue now). */
static bool blk_plug_queue(struct request_queue *q)
{
	struct task_plug *tp = in_interrupt() ? NULL : current->plug;
	struct blk_plug *plug;
	unsigned int i;

	if (!tp)
		return false;
	plug = container_of(tp, struct blk_plug, tp);
	for (i = 0; i < plug->nr; i++)
		if (plug->queues[i] == q)
			return true;
	if (plug->nr == BLK_PLUG_QUEUES)
		return false;
	blk_get_queue(q);
	plug->queues[plug->nr++] = q;
	return true;
}

/* ---- submission --------------------------------------------------------- */

/* Does @bio fit the driver's limits as it is? */
static bool bio_fits(struct request_queue *q, struct bio *bio)
{
	return bio_sectors(bio) <= q->max_hw_sectors &&
	       bio->bi_vcnt <= q->max_segments;
}

void submit_bio(struct bio *bio)
{
	struct block_device *bdev = bio->bi_bdev;
	struct request_queue *q = bdev->bd_disk->queue;
	struct request *rq = NULL;
	int err;

	if (bio_op(bio) == REQ_OP_WRITE && bdev_read_only(bdev)) {
		bio_io_error(bio);
		return;
	}
	if (!bio_check(bio)) {
		pr_warn("%s: bad bio: sector %llu, %u bytes\n",
			dev_name(&bdev->bd_device),
			(unsigned long long)bio->bi_sector, bio->bi_size);
		bio_io_error(bio);
		return;
	}
	if (!bio_fits(q, bio)) {
		bio_split_submit(bio, q->max_hw_sectors, q->max_segments);
		return;
	}
	bio->bi_sector += bdev->bd_start_sect;
	/* try a merge first; allocate (may sleep) outside the lock */
	err = queue_bio(q, bio, &rq);
	if (err == -ENOMEM) {
		rq = bio_to_request(bio);
		err = rq ? queue_bio(q, bio, &rq) : -ENOMEM;
		kfree(rq); /* unused: merged after all, or dying */
	}
	if (err) {
		bio_io_error(bio);
		return;
	}
	if (!blk_plug_queue(q))
		blk_run_queue(q);
}

static void submit_bio_wait_endio(struct bio *bio)
{
	complete(bio->bi_private);
}

int submit_bio_wait(struct bio *bio)
{
	struct completion done;

	init_completion(&done);
	bio->bi_private = &done;
	bio->bi_end_io = submit_bio_wait_endio;
	submit_bio(bio);
	wait_for_completion(&done);
	return blk_status_to_errno(bio->bi_status);
}

int bdev_read_sync(struct block_device *bdev, sector_t sector, void *buf,
		   unsigned int len)
{
	struct page *page;
	struct bio *bio;
	int err = -ENOMEM;

	if (!len || len > PAGE_SIZE || len % SECTOR_SIZE)
		return -EINVAL;
	page = alloc_page(GFP_KERNEL);
	bio = bio_alloc(GFP_KERNEL, 1);
	if (page && bio) {
		bio->bi_bdev = bdev;
		bio->bi_opf = REQ_OP_READ;
		bio->bi_sector = sector;
		bio_add_page(bio, page, len, 0);
		err = submit_bio_wait(bio);
		if (!err)
			memcpy(buf, page_address(page), len);
	}
	if (bio)
		bio_put(bio);
	if (page)
		__free_page(page);
	return err;
}
