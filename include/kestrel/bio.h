/*
 * struct bio: one block I/O as the rest of the kernel describes it to
 * the block layer (Linux's <linux/bio.h>, <linux/blk_types.h>): a device,
 * a start sector (512 bytes) and a list of segments, each a piece of one
 * page. submit_bio() hands it to the device's queue; when the I/O is
 * done the block layer calls bio_endio(), which calls ->bi_end_io (from
 * any context: often the disk's interrupt handler).
 *
 *	bio = bio_alloc(GFP_KERNEL, 1);
 *	bio->bi_bdev = bdev; bio->bi_sector = 8; bio->bi_opf = REQ_OP_READ;
 *	bio_add_page(bio, page, 512, 0);
 *	bio->bi_end_io = my_end_io; bio->bi_private = me;
 *	submit_bio(bio);		(or submit_bio_wait(bio))
 *
 * The whole design is in docs/block.md.
 */
#ifndef _KESTREL_BIO_H
#define _KESTREL_BIO_H

#include <kestrel/atomic.h>
#include <kestrel/fs.h> /* READ, WRITE */
#include <kestrel/gfp.h>
#include <kestrel/mm.h>
#include <kestrel/types.h>

#define SECTOR_SHIFT 9
#define SECTOR_SIZE (1 << SECTOR_SHIFT)

/* The outcome of an I/O (Linux's blk_status_t); blk_status_to_errno(). */
typedef u8 blk_status_t;
#define BLK_STS_OK 0
#define BLK_STS_NOTSUPP 1 /* -EOPNOTSUPP */
#define BLK_STS_MEDIUM 7 /* -ENODATA: a bad sector */
#define BLK_STS_IOERR 10 /* -EIO */
#define BLK_STS_RESOURCE 9 /* ->queue_rq: busy, keep it and retry */

/* What a bio or request does: bi_opf / req_op(). */
enum req_op {
	REQ_OP_READ = 0,
	REQ_OP_WRITE = 1,
	REQ_OP_FLUSH = 2, /* write the device's cache out; no data */
};

/* One segment: @bv_len bytes at @bv_offset into @bv_page. */
struct bio_vec {
	struct page *bv_page;
	unsigned int bv_len;
	unsigned int bv_offset;
};

/* The segment's kernel address: all of RAM is mapped (no highmem). */
static inline void *bvec_virt(const struct bio_vec *bv)
{
	return (char *)page_address(bv->bv_page) + bv->bv_offset;
}

struct bio;
struct block_device;
typedef void(bio_end_io_t)(struct bio *bio);

/**
 * struct bio - one block I/O
 * @bi_next: the next bio of the same request (the block layer's)
 * @bi_bdev: the disk or partition; its start is added on submission
 * @bi_opf: an enum req_op
 * @bi_sector: the first 512-byte sector, relative to @bi_bdev
 * @bi_size: bytes left to transfer (the sum of the segments)
 * @bi_status: set before ->bi_end_io runs
 * @bi_vcnt: segments used, of @bi_max_vecs in @bi_io_vec
 * @bi_end_io: called once when the I/O is done, from any context
 * @bi_private: the submitter's
 * @bi_remaining: a bio split by the block layer: its children not yet
 *     ended (bio_split_submit)
 */
struct bio {
	struct bio *bi_next;
	struct block_device *bi_bdev;
	unsigned int bi_opf;
	sector_t bi_sector;
	unsigned int bi_size;
	blk_status_t bi_status;
	unsigned short bi_vcnt;
	unsigned short bi_max_vecs;
	bio_end_io_t *bi_end_io;
	void *bi_private;
	atomic_t bi_remaining;
	struct bio_vec *bi_io_vec;
};

#define BIO_MAX_VECS 256

static inline enum req_op bio_op(const struct bio *bio)
{
	return (enum req_op)bio->bi_opf;
}

static inline int bio_data_dir(const struct bio *bio)
{
	return bio_op(bio) == REQ_OP_WRITE ? WRITE : READ;
}

static inline unsigned int bio_sectors(const struct bio *bio)
{
	return bio->bi_size >> SECTOR_SHIFT;
}

static inline sector_t bio_end_sector(const struct bio *bio)
{
	return bio->bi_sector + bio_sectors(bio);
}

/* block/bio.c. bio_alloc may sleep with GFP_KERNEL; NULL when out of
 * memory. bio_put frees it (not its pages). */
struct bio *bio_alloc(gfp_t gfp, unsigned short nr_vecs);
void bio_put(struct bio *bio);
/* Append a segment: @len bytes (a multiple of 512) at @off in @page.
 * Return: @len, or 0 when the bio is full. */
int bio_add_page(struct bio *bio, struct page *page, unsigned int len,
		 unsigned int off);
/* The I/O is over: set bi_status first; calls ->bi_end_io. Any context. */
void bio_endio(struct bio *bio);
static inline void bio_io_error(struct bio *bio)
{
	bio->bi_status = BLK_STS_IOERR;
	bio_endio(bio);
}

/* Submit @bio as children of at most @max_sectors and @max_segs
 * segments each; @bio ends when the last of them does, with the first
 * error any had. For the block layer (submit_bio). */
void bio_split_submit(struct bio *bio, unsigned int max_sectors,
		      unsigned int max_segs);

/* block/blk-core.c. submit_bio: any context that may take a spinlock;
 * submit_bio_wait sleeps until the end and returns 0 or -errno. */
void submit_bio(struct bio *bio);
int submit_bio_wait(struct bio *bio);
int blk_status_to_errno(blk_status_t status);
/* Read @len bytes (whole sectors, at most a page) at @sector of @bdev
 * into @buf, and wait: 0 or -errno (-EINVAL for a bad @len). Sleeps. */
int bdev_read_sync(struct block_device *bdev, sector_t sector, void *buf,
		   unsigned int len);

#endif /* _KESTREL_BIO_H */
