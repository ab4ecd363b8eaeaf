/*
 * struct bio: allocation, building, splitting and completion (Linux's
 * block/bio.c). A bio and its segment array are one allocation; the
 * pages are the submitter's. Submission is block/blk-core.c.
 *
 * Splitting: a bio bigger than its driver takes in one request (more
 * sectors than max_hw_sectors, more segments than max_segments) is
 * submitted as children, each with a copy of its share of the parent's
 * segments (a segment that straddles a boundary is cut at a sector):
 *
 *	parent: [4K][4K][4K][4K][4K]   max 3 segments
 *	child 1: [4K][4K][4K]  child 2: [4K][4K]
 *
 * The parent's bi_remaining counts the children still in flight; the
 * last to end ends the parent, with the first error recorded.
 */
#include <kestrel/bio.h>
#include <kestrel/blkdev.h>
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

/* A child ended: the parent ends with the last one. Any context. */
static void bio_child_endio(struct bio *child)
{
	struct bio *parent = child->bi_private;

	/* two failing children may race here: either error will do */
	if (child->bi_status && !READ_ONCE(parent->bi_status))
		WRITE_ONCE(parent->bi_status, child->bi_status);
	bio_put(child);
	if (atomic_dec_and_test(&parent->bi_remaining))
		bio_endio(parent);
}

/* Segments and bytes of the next child of @bio from segment *@i, byte
 * *@off of it: fills @child (NULL: only counts). Advances *@i, *@off. */
static unsigned int bio_next_child(struct bio *bio, struct bio *child,
				   unsigned int *i, unsigned int *off,
				   unsigned int max_bytes,
				   unsigned int max_segs)
{
	unsigned int segs = 0, bytes = 0;

	while (*i < bio->bi_vcnt && segs < max_segs && bytes < max_bytes) {
		struct bio_vec *bv = &bio->bi_io_vec[*i];
		unsigned int len = bv->bv_len - *off;

		if (len > max_bytes - bytes)
			len = max_bytes - bytes;
		if (child)
			bio_add_page(child, bv->bv_page, len,
				     bv->bv_offset + *off);
		bytes += len;
		segs++;
		*off += len;
		if (*off == bv->bv_len) {
			(*i)++;
			*off = 0;
		}
	}
	return segs;
}

void bio_split_submit(struct bio *bio, unsigned int max_sectors,
		      unsigned int max_segs)
{
	unsigned int max_bytes = max_sectors << SECTOR_SHIFT;
	unsigned int i = 0, off = 0, n = 0, segs;
	sector_t sector = bio->bi_sector;
	struct bio *child, *first = NULL, **tail = &first;

	/* every child first, so that a failed allocation sends nothing */
	for (;;) {
		unsigned int ci = i, coff = off;

		segs = bio_next_child(bio, NULL, &ci, &coff, max_bytes,
				      max_segs);
		if (!segs)
			break;
		child = bio_alloc(GFP_NOIO, segs);
		if (!child)
			goto nomem;
		bio_next_child(bio, child, &i, &off, max_bytes, max_segs);
		child->bi_bdev = bio->bi_bdev;
		child->bi_opf = bio->bi_opf;
		child->bi_sector = sector;
		child->bi_end_io = bio_child_endio;
		child->bi_private = bio;
		sector += bio_sectors(child);
		*tail = child;
		tail = &child->bi_next;
		n++;
	}
	bio->bi_status = BLK_STS_OK;
	atomic_set(&bio->bi_remaining, n);
	while ((child = first)) {
		first = child->bi_next;
		child->bi_next = NULL;
		submit_bio(child);
	}
	return;
nomem:
	while ((child = first)) {
		first = child->bi_next;
		bio_put(child);
	}
	bio->bi_status = BLK_STS_RESOURCE;
	bio_endio(bio);
}
