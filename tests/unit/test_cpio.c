/*
 * Host unit test of fs/cpio.c, the initramfs's newc parser. Archives are
 * built here byte by byte (the same layout GNU cpio -H newc writes), then
 * damaged in every way a header can be damaged; the parser must report
 * each one, never read outside the buffer (AddressSanitizer watches), and
 * always terminate. A mutation fuzzer finishes the job.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../fs/cpio.h"
#include "ktap.h"

#define ARCHIVE_MAX 65536

struct archive {
	unsigned char buf[ARCHIVE_MAX];
	size_t len;
};

struct spec {
	const char *name;
	unsigned int mode;
	const char *data;
	unsigned int nlink, ino;
	int magic2; /* 070702 with a checksum */
};

static void pad(struct archive *a)
{
	while (a->len & 3)
		a->buf[a->len++] = 0;
}

/* Append one newc entry. */
static void add(struct archive *a, const struct spec *s)
{
	size_t namesize = strlen(s->name) + 1;
	size_t size = s->data ? strlen(s->data) : 0;
	unsigned int sum = 0;
	size_t i;

	for (i = 0; i < size; i++)
		sum += (unsigned char)s->data[i];
	a->len += sprintf(
		(char *)a->buf + a->len,
		"%s%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
		s->magic2 ? "070702" : "070701", s->ino, s->mode, 0, 0,
		s->nlink ? s->nlink : 1, 1700000000, size, 0, 0, 1, 3, namesize,
		s->magic2 ? sum : 0);
	memcpy(a->buf + a->len, s->name, namesize);
	a->len += namesize;
	pad(a);
	memcpy(a->buf + a->len, s->data ? s->data : "", size);
	a->len += size;
	pad(a);
}

static void trailer(struct archive *a)
{
	struct spec t = { .name = CPIO_TRAILER_NAME, .mode = 0 };

	add(a, &t);
}

static const struct spec good[] = {
	{ .name = ".", .mode = 0040755 },
	{ .name = "bin", .mode = 0040755 },
	{ .name = "bin/busybox",
	  .mode = 0100755,
	  .data = "\x7f"
		  "ELF fake",
	  .nlink = 2,
	  .ino = 7 },
	{ .name = "bin/sh", .mode = 0120777, .data = "busybox" },
	{ .name = "bin/ash", .mode = 0100755, .nlink = 2, .ino = 7 },
	{ .name = "dev/console", .mode = 0020600 },
	{ .name = "fifo", .mode = 0010644 },
	{ .name = "init",
	  .mode = 0100755,
	  .data = "#!/bin/sh\necho hi\n",
	  .magic2 = 1 },
};

static void build_good(struct archive *a)
{
	size_t i;

	a->len = 0;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		add(a, &good[i]);
	trailer(a);
}

/*
 * Parse all of @a; returns entries seen, or -1 on error (*why set, and
 * *where to the offset reported).
 */
static int parse_all_at(const struct archive *a, const char **why,
			size_t *where)
{
	struct cpio_reader r;
	struct cpio_entry e;
	int n = 0, res, steps = 0;

	cpio_reader_init(&r, a->buf, a->len);
	while ((res = cpio_next(&r, &e)) != CPIO_END) {
		if (res < 0) {
			*why = r.error;
			*where = r.error_pos;
			return -1;
		}
		if (res == CPIO_ENTRY)
			n++;
		if (++steps > 100000)
			return -2; /* no progress: a parser bug */
	}
	*why = NULL;
	return n;
}

static int parse_all(const struct archive *a, const char **why)
{
	size_t where;

	return parse_all_at(a, why, &where);
}

static bool test_good_archive(void)
{
	static struct archive a;
	struct cpio_reader r;
	struct cpio_entry e;
	bool ok = true;
	size_t i = 0;
	int res;

	build_good(&a);
	cpio_reader_init(&r, a.buf, a.len);
	while ((res = cpio_next(&r, &e)) == CPIO_ENTRY) {
		const struct spec *s = &good[i++];
		size_t size = s->data ? strlen(s->data) : 0;

		ktap_check(ok, !strcmp(e.name, s->name), "%s", e.name);
		ktap_check(ok, e.h.mode == s->mode, "%s mode", e.name);
		ktap_check(ok, e.h.filesize == size, "%s size", e.name);
		ktap_check(ok, !size || !memcmp(e.data, s->data, size),
			   "%s data", e.name);
		ktap_check(ok, e.h.rdevmajor == 1 && e.h.rdevminor == 3,
			   "%s rdev", e.name);
	}
	ktap_check(ok, res == CPIO_TRAILER, "trailer, got %d (%s)", res,
		   r.error ? r.error : "");
	ktap_check(ok, i == sizeof(good) / sizeof(good[0]), "%zu entries", i);
	ktap_check(ok, cpio_next(&r, &e) == CPIO_END, "end after trailer");
	return ok;
}

static bool test_concatenated(void)
{
	static struct archive a;
	struct spec extra = { .name = "etc", .mode = 0040755 };
	const char *why;
	bool ok = true;
	size_t first;

	build_good(&a);
	first = a.len;
	memset(a.buf + a.len, 0, 512); /* padding between archives */
	a.len += 512;
	add(&a, &extra);
	trailer(&a);
	memset(a.buf + a.len, 0, 3); /* and a ragged tail */
	a.len += 3;
	ktap_check(ok, parse_all(&a, &why) == 9, "%s", why ? why : "");
	a.len = first - 3; /* cut the trailer's padding: still fine */
	ktap_check(ok, parse_all(&a, &why) == 8, "%s", why ? why : "");
	a.len = first - 4; /* cut the trailer's name: an error */
	ktap_check(ok, parse_all(&a, &why) == -1, "cut trailer name");
	return ok;
}

/*
 * An archive cut anywhere before its trailer is whole is an error, not
 * a shorter archive; cut at an entry boundary, the error names that
 * offset. (Once, a boot unpacked the first files of an initramfs and
 * silently missed the rest.)
 */
static bool test_cut_short(void)
{
	static struct archive a;
	size_t trailer_at, whole, cut, where, i, boundary[16], nb = 0;
	const char *why;
	bool ok = true;
	int n;

	a.len = 0;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		boundary[nb++] = a.len;
		add(&a, &good[i]);
	}
	trailer_at = a.len;
	trailer(&a);
	whole = trailer_at + CPIO_HDR_LEN + sizeof(CPIO_TRAILER_NAME);
	for (cut = 1; cut < whole; cut++) {
		a.len = cut;
		n = parse_all_at(&a, &why, &where);
		ktap_check(ok, n == -1, "cut at %zu: parsed %d entries", cut,
			   n);
		if (n == -1 && cut >= CPIO_HDR_LEN && cut <= trailer_at)
			for (i = 1; i < nb; i++)
				if (cut == boundary[i])
					ktap_check(
						ok,
						strstr(why, "truncated") &&
							where == cut,
						"cut at entry %zu: \"%s\" at %zu",
						i, why, where);
	}
	a.len = 0;
	ktap_check(ok, parse_all(&a, &why) == 0, "empty: no archive, no error");
	return ok;
}

/* The tail overwritten with zeros, from an entry on: an error there. */
static bool test_zeroed_tail(void)
{
	static struct archive a;
	size_t at = 0, where = 0, i;
	const char *why = NULL;
	bool ok = true;
	int n;

	a.len = 0;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (i == 4)
			at = a.len;
		add(&a, &good[i]);
	}
	trailer(&a);
	memset(a.buf + at, 0, a.len - at);
	n = parse_all_at(&a, &why, &where);
	ktap_check(ok, n == -1 && strstr(why, "zeros") && where == at,
		   "zeros from %zu: %d, \"%s\" at %zu", at, n,
		   why ? why : "(none)", where);
	memset(a.buf, 0, a.len);
	ktap_check(ok, parse_all(&a, &why) == 0, "all zeros: no archive");
	return ok;
}

/* Build a one-entry archive, let @damage spoil it, expect @why. */
static bool expect_error(const char *label, const struct spec *s,
			 void (*damage)(struct archive *a), const char *want)
{
	static struct archive a;
	const char *why = NULL;
	bool ok = true;
	int n;

	a.len = 0;
	add(&a, s);
	trailer(&a);
	if (damage)
		damage(&a);
	n = parse_all(&a, &why);
	ktap_check(ok, n == -1, "%s: parsed %d entries", label, n);
	ktap_check(ok, why && strstr(why, want), "%s: got \"%s\"", label,
		   why ? why : "(none)");
	return ok;
}

static void bad_magic(struct archive *a)
{
	a->buf[5] = '7';
}

static void non_hex(struct archive *a)
{
	a->buf[6 + 8 * 6 + 3] = 'g'; /* filesize */
}

static void truncate_header(struct archive *a)
{
	a->len = 50;
}

static void zero_namesize(struct archive *a)
{
	memcpy(a->buf + 6 + 8 * 11, "00000000", 8);
}

static void huge_namesize(struct archive *a)
{
	memcpy(a->buf + 6 + 8 * 11, "FFFFFFFF", 8);
}

static void long_namesize(struct archive *a)
{
	memcpy(a->buf + 6 + 8 * 11, "00000FF0", 8); /* < PATH_MAX, > buffer */
	a->len = 200;
}

static void unterminated_name(struct archive *a)
{
	a->buf[CPIO_HDR_LEN + 4] = 'x'; /* "file\0" -> "filex" */
}

static void embedded_nul(struct archive *a)
{
	a->buf[CPIO_HDR_LEN + 1] = '\0';
}

static void huge_filesize(struct archive *a)
{
	memcpy(a->buf + 6 + 8 * 6, "FFFFFFFF", 8);
}

static void cut_data(struct archive *a)
{
	a->len = CPIO_HDR_LEN + 6 + 2; /* header, "file" + pad, 2 of 4 */
}

static void bad_type(struct archive *a)
{
	memcpy(a->buf + 6 + 8, "00000000", 8);
}

static void wrong_sum(struct archive *a)
{
	unsigned char *c = &a->buf[6 + 8 * 12 + 7];

	*c = *c == '0' ? '1' : '0';
}

static bool test_malformed(void)
{
	struct spec file = { .name = "file", .mode = 0100644, .data = "data" };
	struct spec dir_data = { .name = "dir", .mode = 0040755, .data = "x" };
	struct spec link_empty = { .name = "l", .mode = 0120777 };
	struct spec summed = {
		.name = "file", .mode = 0100644, .data = "data", .magic2 = 1
	};
	bool ok = true;

	ok &= expect_error("magic", &file, bad_magic, "magic");
	ok &= expect_error("hex", &file, non_hex, "non-hex");
	ok &= expect_error("truncated", &file, truncate_header, "truncated");
	ok &= expect_error("namesize 0", &file, zero_namesize, "name size");
	ok &= expect_error("namesize huge", &file, huge_namesize, "name size");
	ok &= expect_error("name past end", &file, long_namesize, "past");
	ok &= expect_error("no NUL", &file, unterminated_name, "NUL");
	ok &= expect_error("embedded NUL", &file, embedded_nul, "NUL");
	ok &= expect_error("filesize huge", &file, huge_filesize, "past");
	ok &= expect_error("data cut", &file, cut_data, "past");
	ok &= expect_error("file type", &file, bad_type, "type");
	ok &= expect_error("dir data", &dir_data, NULL, "data on");
	ok &= expect_error("empty link", &link_empty, NULL, "symlink");
	ok &= expect_error("checksum", &summed, wrong_sum, "checksum");
	return ok;
}

static bool test_symlink_nul(void)
{
	static struct archive a;
	struct spec l = { .name = "l", .mode = 0120777, .data = "ab" };
	const char *why = NULL;
	bool ok = true;

	a.len = 0;
	add(&a, &l);
	trailer(&a);
	a.buf[CPIO_HDR_LEN + 2] = '\0'; /* "l\0" + pad, then "ab" -> "\0b" */
	ktap_check(ok, parse_all(&a, &why) == -1 && strstr(why, "symlink"),
		   "got %s", why ? why : "(none)");
	return ok;
}

static bool clean_is(const char *in, const char *want)
{
	char out[64];
	int n = cpio_clean_name(in, out, sizeof(out));

	if (!want)
		return n < 0;
	return n >= 0 && !strcmp(out, want) && (size_t)n == strlen(want);
}

static bool test_clean_name(void)
{
	char longname[100];
	bool ok = true;

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ktap_check(ok, clean_is("/bin/sh", "bin/sh"), "absolute");
	ktap_check(ok, clean_is("./a/./b//c/", "a/b/c"), "dots and slashes");
	ktap_check(ok, clean_is(".", ""), "dot");
	ktap_check(ok, clean_is("/", ""), "slash");
	ktap_check(ok, clean_is("", ""), "empty");
	ktap_check(ok, clean_is("...", "..."), "three dots");
	ktap_check(ok, clean_is("..a/b..", "..a/b.."), "dots in names");
	ktap_check(ok, clean_is("..", NULL), "dotdot");
	ktap_check(ok, clean_is("a/../b", NULL), "inner dotdot");
	ktap_check(ok, clean_is("/../../etc/passwd", NULL), "escape");
	ktap_check(ok, clean_is(longname, NULL), "too long");
	return ok;
}

/* Random damage to a good archive: the parser must stay in bounds. */
static bool test_fuzz(void)
{
	static struct archive good_a, a;
	unsigned int seed = 12345, i, j, errors = 0;
	const char *why;
	int n;
	bool ok = true;

	build_good(&good_a);
	for (i = 0; i < 20000; i++) {
		a = good_a;
		for (j = 0; j < 1 + i % 4; j++) {
			seed = seed * 1103515245 + 12345;
			a.buf[(seed >> 8) % a.len] = seed >> 24;
		}
		if (i % 7 == 0)
			a.len = (seed >> 4) % a.len;
		n = parse_all(&a, &why);

		ktap_check(ok, n != -2, "iteration %u made no progress", i);
		errors += n == -1;
	}
	printf("# fuzz: %u of 20000 mutants rejected\n", errors);
	return ok && errors > 0;
}

int main(void)
{
	ktap_plan(8);
	ktap_result(test_good_archive(), "good_archive");
	ktap_result(test_concatenated(), "concatenated_and_padded");
	ktap_result(test_cut_short(), "cut_short_is_an_error");
	ktap_result(test_zeroed_tail(), "zeroed_tail_is_an_error");
	ktap_result(test_malformed(), "malformed_headers");
	ktap_result(test_symlink_nul(), "symlink_with_nul");
	ktap_result(test_clean_name(), "clean_name");
	ktap_result(test_fuzz(), "fuzz");
	return ktap_finish();
}
