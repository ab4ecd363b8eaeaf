/*
 * The request queue (Linux 2.6's block/blk-core.c, simplified).
 *
 *	submit_bio(bio)
 *	  -> check and remap: partition start added, end within the device
 *	  -> merged into a waiting request it extends at the back or
 *	     the front, else a struct request of its own, at the tail of
 *	     q->queue_head
 *	  -> blk_run_queue(q): while requests wait, ->queue_rq(rq) of
 *	     the one the elevator (C-LOOK) picks
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
 */
#include <kestrel/blkdev.h>
#include <kestrel/completion.h>
#include <kestrel/errno.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
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
	q->nr_requests = 128;
	q->rotational = true;
	return q;
}

/* Fail what still waits, then free the queue. The driver must have
 * ended the requests it owns. */
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
	spin_unlock_irqrestore(&q->queue_lock, flags);
	kfree(q);
}

void blk_queue_logical_block_size(struct request_queue *q, unsigned int size)
{
	q->logical_block_size = size;
}

void blk_queue_max_hw_sectors(struct request_queue *q, unsigned int sectors)
{
	q->max_hw_sectors = sectors;
}

/* io_ticks and time_in_queue advance while requests are in flight. */
static void update_io_ticks(struct disk_stats *st)
{
	unsigned long now = jiffies;
	unsigned int ms = jiffies_to_msecs(now - st->stamp);

	if (st->in_flight) {
		st->io_ticks += ms;
		st->time_in_queue += ms * st->in_flight;
	}
	st->stamp = now;
}

/* The request goes to the driver (queue_lock held). */
static void account_start(struct request *rq)
{
	struct block_device *bdevs[2] = { rq->part, &rq->rq_disk->part0 };
	int i, n = rq->part->bd_partno ? 2 : 1;

	rq->start_time = jiffies;
	rq->started = true;
	for (i = 0; i < n; i++) {
		update_io_ticks(&bdevs[i]->bd_stats);
		bdevs[i]->bd_stats.in_flight++;
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
		st->in_flight--;
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

/* The driver was busy: the request waits again (queue_lock held). */
static void account_requeue(struct request *rq)
{
	rq->started = false;
	rq->part->bd_stats.in_flight--;
	if (rq->part->bd_partno)
		rq->rq_disk->part0.bd_stats.in_flight--;
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
		while ((rq = elv_next_request(q))) {
			sector_t end = blk_rq_pos(rq) + blk_rq_sectors(rq);

			list_del_init(&rq->queuelist);
			account_start(rq);
			spin_unlock_irqrestore(&q->queue_lock, flags);
			if (q->queue_rq(rq) == BLK_STS_OK) {
				spin_lock_irqsave(&q->queue_lock, flags);
				q->head_pos = end;
				continue;
			}
			spin_lock_irqsave(&q->queue_lock, flags);
			account_requeue(rq);
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
	if (rq->started)
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

/* Is @bio well formed for its device? Remaps it to the disk. */
static bool bio_check(struct bio *bio)
{
	struct block_device *bdev = bio->bi_bdev;
	sector_t end = bio_end_sector(bio);

	if (bio_op(bio) == REQ_OP_FLUSH)
		return !bio->bi_size;
	if (bio->bi_size & (SECTOR_SIZE - 1) || !bio->bi_size)
		return false;
	if (end > bdev->bd_nr_sectors || end < bio->bi_sector)
		return false;
	bio->bi_sector += bdev->bd_start_sect;
	return true;
}

/* May @bio join the waiting request @rq? Same op and device, with data,
 * and not over the driver's size limit. */
static bool bio_mergeable(struct request *rq, struct bio *bio)
{
	return req_op(rq) == bio_op(bio) && bio_op(bio) != REQ_OP_FLUSH &&
	       rq->part == bio->bi_bdev &&
	       (rq->__data_len + bio->bi_size) >> SECTOR_SHIFT <=
		       rq->q->max_hw_sectors;
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
		*rq = NULL;
	} else
		err = -ENOMEM;
	spin_unlock_irqrestore(&q->queue_lock, flags);
	return err;
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
