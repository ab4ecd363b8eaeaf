/*
 * struct bio: allocation, building and completion (Linux's block/bio.c).
 * A bio and its segment array are one allocation; the pages are the
 * submitter's. Submission is block/blk-core.c.
 */
#include <kestrel/bio.h>
#include <kestrel/bug.h>
#include <kestrel/errno.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

struct bio *bio_alloc(gfp_t gfp, unsigned short nr_vecs)
{
	struct bio *bio;

	if (nr_vecs > BIO_MAX_VECS)
		return NULL;
	bio = kzalloc(sizeof(*bio) + nr_vecs * sizeof(struct bio_vec), gfp);
	if (!bio)
		return NULL;
	bio->bi_io_vec = (struct bio_vec *)(bio + 1);
	bio->bi_max_vecs = nr_vecs;
	return bio;
}

void bio_put(struct bio *bio)
{
	kfree(bio);
}

int bio_add_page(struct bio *bio, struct page *page, unsigned int len,
		 unsigned int off)
{
	struct bio_vec *bv;

	if (bio->bi_vcnt >= bio->bi_max_vecs || !len || off + len > PAGE_SIZE)
		return 0;
	bv = &bio->bi_io_vec[bio->bi_vcnt++];
	bv->bv_page = page;
	bv->bv_len = len;
	bv->bv_offset = off;
	bio->bi_size += len;
	return len;
}

void bio_endio(struct bio *bio)
{
	if (bio->bi_end_io)
		bio->bi_end_io(bio);
}

int blk_status_to_errno(blk_status_t status)
{
	switch (status) {
	case BLK_STS_OK:
		return 0;
	case BLK_STS_NOTSUPP:
		return -EOPNOTSUPP;
	case BLK_STS_MEDIUM:
		return -ENODATA;
	case BLK_STS_RESOURCE:
		return -ENOMEM;
	default:
		return -EIO;
	}
}
