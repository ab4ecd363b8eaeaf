/*
 * The newc cpio parser (see cpio.h). Pure code: no allocation, no
 * locking, no kernel calls, so the host unit test runs it as it is.
 *
 * Every number in the archive is distrusted: the reader checks each
 * field before anything is computed from it, computes offsets so that
 * they cannot overflow (a size is compared with what is left, never
 * added to a position first), and stops at the first bad entry with a
 * message instead of guessing.
 */
#include <kestrel/string.h>

#include "cpio.h"

#define S_IFMT_ 0170000
#define CPIO_FIELDS 13

void cpio_reader_init(struct cpio_reader *r, const void *buf, size_t len)
{
	r->buf = buf;
	r->len = len;
	r->pos = 0;
	r->error = NULL;
	r->error_pos = 0;
	r->in_archive = false;
}

u32 cpio_checksum(const void *data, size_t len)
{
	const u8 *p = data;
	u32 sum = 0;

	while (len--)
		sum += *p++;
	return sum;
}

static int fail(struct cpio_reader *r, const char *why)
{
	r->error = why;
	r->error_pos = r->pos;
	return -1;
}

/* Parse 8 hex digits; false if any is not one. */
static bool parse_hex8(const u8 *s, u32 *val)
{
	u32 v = 0;
	int i;

	for (i = 0; i < 8; i++) {
		u8 c = s[i];

		if (c >= '0' && c <= '9')
			v = v << 4 | (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v << 4 | (c - 'A' + 10);
		else
			return false;
	}
	*val = v;
	return true;
}

static size_t pad4(size_t n)
{
	return (4 - (n & 3)) & 3;
}

/* Skip the zero padding allowed between archives. False at the end. */
static bool skip_padding(struct cpio_reader *r)
{
	while (r->len - r->pos >= 4 && !r->buf[r->pos] && !r->buf[r->pos + 1] &&
	       !r->buf[r->pos + 2] && !r->buf[r->pos + 3])
		r->pos += 4;
	while (r->pos < r->len && !r->buf[r->pos])
		r->pos++;
	return r->pos < r->len;
}

static int parse_header(struct cpio_reader *r, struct cpio_header *h,
			bool *checked)
{
	const u8 *p = r->buf + r->pos;
	u32 *fields = &h->ino;
	int i;

	_Static_assert(sizeof(struct cpio_header) == CPIO_FIELDS * sizeof(u32),
		       "cpio_header is the 13 fields in order");
	if (r->len - r->pos < CPIO_HDR_LEN)
		return fail(r, "truncated header");
	if (memcmp(p, "07070", 5) || (p[5] != '1' && p[5] != '2'))
		return fail(r, "bad magic (not newc)");
	*checked = p[5] == '2';
	for (i = 0; i < CPIO_FIELDS; i++)
		if (!parse_hex8(p + 6 + 8 * i, &fields[i]))
			return fail(r, "non-hex digit in a header field");
	return 0;
}

static bool valid_type(u32 mode)
{
	switch (mode & S_IFMT_) {
	case 0100000: /* regular */
	case 0040000: /* directory */
	case 0120000: /* symlink */
	case 0020000: /* character device */
	case 0060000: /* block device */
	case 0010000: /* fifo */
	case 0140000: /* socket */
		return true;
	}
	return false;
}

/* The name: inside the buffer, NUL-ended, no NUL before the end. */
static int check_name(struct cpio_reader *r, const struct cpio_header *h,
		      size_t *name_end)
{
	size_t left = r->len - r->pos - CPIO_HDR_LEN;
	const char *name = (const char *)r->buf + r->pos + CPIO_HDR_LEN;

	if (h->namesize == 0 || h->namesize > CPIO_NAME_MAX)
		return fail(r, "bad name size");
	if (h->namesize > left)
		return fail(r, "name runs past the end");
	if (name[h->namesize - 1] != '\0' ||
	    memchr(name, '\0', h->namesize - 1))
		return fail(r, "name not NUL-terminated");
	*name_end = CPIO_HDR_LEN + h->namesize;
	*name_end += pad4(r->pos + *name_end);
	return 0;
}

/* The data: inside the buffer, allowed for this type, checksum. */
static int check_data(struct cpio_reader *r, const struct cpio_entry *e,
		      size_t data_off, bool checked)
{
	u32 type = e->h.mode & S_IFMT_;

	if (e->h.filesize && (data_off > r->len - r->pos ||
			      e->h.filesize > r->len - r->pos - data_off))
		return fail(r, "data runs past the end");
	if (e->h.filesize && type != 0100000 && type != 0120000)
		return fail(r, "data on a file that has none");
	if (type == 0120000 &&
	    (e->h.filesize == 0 || e->h.filesize >= CPIO_NAME_MAX ||
	     memchr(e->data, '\0', e->h.filesize)))
		return fail(r, "bad symlink target");
	if (checked && cpio_checksum(e->data, e->h.filesize) != e->h.check)
		return fail(r, "checksum mismatch");
	return 0;
}

/*
 * The buffer ended at @from (the end, or where only zeros were left):
 * the end of the input, or of an archive cut short.
 */
static int end_of_input(struct cpio_reader *r, size_t from)
{
	if (!r->in_archive)
		return CPIO_END;
	r->pos = from;
	return fail(r, from == r->len ?
			       "the data ends before the archive's trailer "
			       "(truncated)" :
			       "only zeros from here to the end, no trailer "
			       "(truncated or overwritten)");
}

int cpio_next(struct cpio_reader *r, struct cpio_entry *e)
{
	size_t name_end, next, from = r->pos;
	bool checked;

	if (!skip_padding(r))
		return end_of_input(r, from);
	if (parse_header(r, &e->h, &checked) || check_name(r, &e->h, &name_end))
		return -1;
	e->name = (const char *)r->buf + r->pos + CPIO_HDR_LEN;
	e->data = r->buf + r->pos + name_end;
	if (!strcmp(e->name, CPIO_TRAILER_NAME)) {
		r->pos = name_end > r->len - r->pos ? r->len :
						      r->pos + name_end;
		r->in_archive = false;
		return CPIO_TRAILER;
	}
	if (!valid_type(e->h.mode))
		return fail(r, "bad file type");
	if (check_data(r, e, name_end, checked))
		return -1;
	next = name_end + e->h.filesize;
	next += pad4(r->pos + next);
	r->pos = next > r->len - r->pos ? r->len : r->pos + next;
	r->in_archive = true;
	return CPIO_ENTRY;
}

/* Append component [s, s + len) to @out at *@n; false if it is "..". */
static bool add_component(const char *s, size_t len, char *out, size_t size,
			  size_t *n, bool *too_long)
{
	if (len == 2 && s[0] == '.' && s[1] == '.')
		return false;
	if (len == 0 || (len == 1 && s[0] == '.'))
		return true;
	if (*n + (*n ? 1 : 0) + len >= size) {
		*too_long = true;
		return true;
	}
	if (*n)
		out[(*n)++] = '/';
	memcpy(out + *n, s, len);
	*n += len;
	return true;
}

int cpio_clean_name(const char *name, char *out, size_t size)
{
	bool too_long = false;
	size_t n = 0;

	if (!size)
		return -1;
	while (*name) {
		size_t len = 0;

		while (name[len] && name[len] != '/')
			len++;
		if (!add_component(name, len, out, size, &n, &too_long))
			return -1;
		name += len;
		while (*name == '/')
			name++;
	}
	if (too_long)
		return -1;
	out[n] = '\0';
	return (int)n;
}
