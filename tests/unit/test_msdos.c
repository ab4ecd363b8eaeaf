/*
 * Host unit test of block/partitions/msdos.c, the MBR parser. Disk
 * images are sparse maps of crafted sectors (everything else reads as
 * zeros); good tables must parse exactly, bad ones must give what Linux
 * 6.1 gives (an entry running past the end of the disk truncated, one
 * starting past it ignored, overlaps kept, a logical partition outside
 * its container kept, the garbage 3rd and 4th entries of an EBR
 * dropped, every extended partition's chain read), each with a log
 * line, and a looping or endless EBR chain must end. A random mutation
 * pass finishes: it must always terminate within bounds.
 */
#include <stdlib.h>
#include <string.h>

#include "../../block/partitions/check.h"
#include "ktap.h"
#include "shim.h"

#define IMG_SECTORS 64 /* crafted sectors per image */
#define LIMIT 64

struct image {
	part_sector_t lba[IMG_SECTORS];
	u8 data[IMG_SECTORS][512];
	int n;
	int reads;
};

static u8 *sector(struct image *img, part_sector_t lba)
{
	int i;

	for (i = 0; i < img->n; i++)
		if (img->lba[i] == lba)
			return img->data[i];
	img->lba[img->n] = lba;
	memset(img->data[img->n], 0, 512);
	img->data[img->n][510] = 0x55;
	img->data[img->n][511] = 0xaa;
	return img->data[img->n++];
}

static void put_le32(u8 *p, u32 v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void entry(struct image *img, part_sector_t lba, int i, u8 type,
		  u32 start, u32 size)
{
	u8 *e = sector(img, lba) + 446 + 16 * i;

	e[4] = type;
	put_le32(e + 8, start);
	put_le32(e + 12, size);
}

static int read_sector(struct parsed_partitions *st, part_sector_t n, u8 *buf)
{
	struct image *img = st->data;
	int i;

	img->reads++;
	if (img->reads > 10000)
		return -5; /* a runaway parser: fail rather than hang */
	for (i = 0; i < img->n; i++)
		if (img->lba[i] == n) {
			memcpy(buf, img->data[i], 512);
			return 0;
		}
	memset(buf, 0, 512);
	return 0;
}

static struct parsed_partition parts[LIMIT];

static int parse(struct image *img, part_sector_t capacity)
{
	struct parsed_partitions st = {
		.name = "test",
		.capacity = capacity,
		.limit = LIMIT,
		.parts = parts,
		.read_sector = read_sector,
		.data = img,
	};

	memset(parts, 0, sizeof(parts));
	img->reads = 0;
	return msdos_partition(&st);
}

static int count(void)
{
	int i, n = 0;

	for (i = 1; i < LIMIT; i++)
		n += parts[i].size != 0;
	return n;
}

static bool is(int n, part_sector_t from, part_sector_t size)
{
	return parts[n].from == from && parts[n].size == size;
}

static struct image img;

static void test_no_table(void)
{
	bool ok = true;

	memset(&img, 0, sizeof(img));
	ktap_check(ok, parse(&img, 1000) == 0, "blank disk");
	sector(&img, 0)[446] = 0x12; /* a boot flag no MBR has */
	ktap_check(ok, parse(&img, 1000) == 0, "bad boot flag");
	ktap_result(ok, "no_table");
}

static void test_primaries(void)
{
	bool ok = true;

	memset(&img, 0, sizeof(img));
	entry(&img, 0, 0, 0x83, 63, 100);
	entry(&img, 0, 2, 0x83, 200, 50); /* a hole in slot 2 */
	ktap_check(ok, parse(&img, 1000) == 1, "parsed");
	ktap_check(ok, is(1, 63, 100) && is(3, 200, 50), "entries");
	ktap_check(ok, count() == 2, "count %d", count());
	ktap_result(ok, "primaries");
}

static void test_logicals(void)
{
	bool ok = true;

	memset(&img, 0, sizeof(img));
	entry(&img, 0, 0, 0x83, 63, 100);
	entry(&img, 0, 1, 0x05, 200, 800); /* extended [200, 1000) */
	entry(&img, 200, 0, 0x83, 63, 100); /* hda5 at 263 */
	entry(&img, 200, 1, 0x05, 300, 200); /* next EBR at 500 */
	entry(&img, 500, 0, 0x83, 2, 50); /* hda6 at 502 */
	entry(&img, 500, 1, 0x05, 600, 100); /* next EBR at 800 */
	entry(&img, 800, 0, 0x07, 1, 199); /* hda7 at 801 .. 1000 */
	ktap_check(ok, parse(&img, 1000) == 1, "parsed");
	ktap_check(ok, is(1, 63, 100), "hda1");
	ktap_check(ok, is(2, 200, 800) && parts[2].extended, "hda2 ext");
	ktap_check(ok, is(5, 263, 100) && is(6, 502, 50) && is(7, 801, 199),
		   "logicals");
	ktap_check(ok, count() == 5, "count %d", count());
	ktap_result(ok, "logicals");
}

static void test_out_of_disk(void)
{
	bool ok = true;

	memset(&img, 0, sizeof(img));
	entry(&img, 0, 0, 0x83, 900, 200); /* runs past the end */
	entry(&img, 0, 1, 0x83, 0xfffffff0u, 0x100); /* starts past it */
	entry(&img, 0, 2, 0x83, 10, 20);
	entry(&img, 0, 3, 0x83, 1000, 1); /* starts at the end */
	ktap_check(ok, parse(&img, 1000) == 1, "parsed");
	ktap_check(ok, count() == 2 && is(1, 900, 100) && is(3, 10, 20),
		   "truncated, ignored");
	/* a logical partition past the end of its container: kept; one
	 * past the disk: ignored, its number used */
	memset(&img, 0, sizeof(img));
	entry(&img, 0, 0, 0x05, 100, 100);
	entry(&img, 100, 0, 0x83, 1, 500);
	entry(&img, 100, 1, 0x05, 50, 50);
	entry(&img, 150, 0, 0x83, 2000, 10);
	entry(&img, 150, 1, 0x05, 80, 20);
	entry(&img, 180, 0, 0x83, 1, 5000);
	ktap_check(ok, parse(&img, 1000) == 1, "parsed logicals");
	ktap_check(ok,
		   count() == 3 && is(5, 101, 500) && !parts[6].size &&
			   is(7, 181, 819),
		   "logicals: count %d", count());
	ktap_result(ok, "out_of_disk");
}

static void test_overlap(void)
{
	bool ok = true;

	memset(&img, 0, sizeof(img));
	entry(&img, 0, 0, 0x83, 10, 100);
	entry(&img, 0, 1, 0x83, 50, 100); /* overlaps hda1 */
	entry(&img, 0, 2, 0x05, 300, 300); /* extended [300, 600) */
	entry(&img, 0, 3, 0x83, 420, 20); /* hda4, inside it (sic) */
	entry(&img, 300, 0, 0x83, 1, 50); /* hda5 [301, 351) */
	entry(&img, 300, 1, 0x05, 100, 100);
	entry(&img, 400, 0, 0x83, 2, 60); /* [402, 462): overlaps hda4 */
	entry(&img, 400, 1, 0x05, 200, 50);
	entry(&img, 500, 0, 0x83, 1, 40); /* still found after it */
	ktap_check(ok, parse(&img, 1000) == 1, "parsed");
	ktap_check(ok, is(1, 10, 100) && is(2, 50, 100), "primary overlap");
	ktap_check(ok,
		   is(4, 420, 20) && is(5, 301, 50) && is(6, 402, 60) &&
			   is(7, 501, 40),
		   "logical overlap");
	ktap_check(ok, count() == 7, "count %d", count());
	ktap_result(ok, "overlap");
}

static void test_loops(void)
{
	bool ok = true;

	/* EBR 2 links back to EBR 1 */
	memset(&img, 0, sizeof(img));
	entry(&img, 0, 0, 0x05, 100, 800);
	entry(&img, 100, 0, 0x83, 1, 10);
	entry(&img, 100, 1, 0x05, 100, 100);
	entry(&img, 200, 0, 0x83, 1, 10);
	entry(&img, 200, 1, 0x05, 0, 100); /* back to the first */
	ktap_check(ok, parse(&img, 1000) == 1, "parsed");
	ktap_check(ok, count() == 3 && is(5, 101, 10) && is(6, 201, 10),
		   "count %d", count());
	ktap_check(ok, img.reads < 10, "reads %d", img.reads);
	/* an EBR linking to itself */
	memset(&img, 0, sizeof(img));
	entry(&img, 0, 0, 0x05, 100, 800);
	entry(&img, 100, 1, 0x05, 0, 100);
	ktap_check(ok, parse(&img, 1000) == 1 && img.reads < 5, "self loop");
	/* a link outside the container: followed, as Linux does */
	memset(&img, 0, sizeof(img));
	entry(&img, 0, 0, 0x05, 100, 100);
	entry(&img, 100, 1, 0x05, 5000, 10);
	entry(&img, 5100, 0, 0x83, 1, 10);
	ktap_check(ok,
		   parse(&img, 10000) == 1 && count() == 2 && is(5, 5101, 10),
		   "link out");
	/* a link past the end of the disk: the chain ends */
	memset(&img, 0, sizeof(img));
	entry(&img, 0, 0, 0x05, 100, 100);
	entry(&img, 100, 1, 0x05, 50000, 10);
	ktap_check(ok,
		   parse(&img, 10000) == 1 && count() == 1 && img.reads == 2,
		   "link past the disk, reads %d", img.reads);
	ktap_result(ok, "loops");
}

static void test_long_chain(void)
{
	bool ok = true;
	int i;

	/* 60 EBRs, each one logical partition: 59 numbers (5..63) fit */
	memset(&img, 0, sizeof(img));
	entry(&img, 0, 0, 0x05, 10, 6000);
	for (i = 0; i < 60; i++) {
		entry(&img, 10 + i * 100, 0, 0x83, 1, 50);
		entry(&img, 10 + i * 100, 1, 0x05, (i + 1) * 100, 100);
	}
	ktap_check(ok, parse(&img, 10000) == 1, "parsed");
	ktap_check(ok, count() == 1 + LIMIT - 5, "count %d", count());
	ktap_check(ok, is(63, 10 + 58 * 100 + 1, 50), "last");
	ktap_check(ok, img.reads <= 1 + LIMIT, "reads %d", img.reads);
	ktap_result(ok, "long_chain");
}

/* What Linux does that a first reading of the format would not: an
 * entry of type 0 is used, all four EBR entries are read (the 3rd and
 * 4th only inside the container), each extended partition is followed. */
static void test_linux_rules(void)
{
	bool ok = true;

	memset(&img, 0, sizeof(img));
	entry(&img, 0, 0, 0x00, 10, 20); /* type 0, length 20 */
	entry(&img, 0, 1, 0x05, 100, 100);
	entry(&img, 100, 0, 0x05, 50, 50); /* the link first (DR-DOS) */
	entry(&img, 100, 1, 0x83, 1, 10); /* hda5 */
	entry(&img, 100, 2, 0x83, 20, 5); /* hda6, inside */
	entry(&img, 100, 3, 0x83, 90, 50); /* runs out: garbage */
	entry(&img, 150, 0, 0x83, 2, 10); /* hda7 */
	entry(&img, 0, 2, 0x0f, 300, 100); /* a second extended one */
	entry(&img, 300, 0, 0x83, 3, 30); /* hda8 */
	ktap_check(ok, parse(&img, 1000) == 1, "parsed");
	ktap_check(ok, is(1, 10, 20) && is(2, 100, 100) && is(3, 300, 100),
		   "primaries");
	ktap_check(ok,
		   is(5, 101, 10) && is(6, 120, 5) && is(7, 152, 10) &&
			   is(8, 303, 30),
		   "logicals");
	ktap_check(ok, count() == 7, "count %d", count());
	ktap_result(ok, "linux_rules");
}

/* Random damage to a good image: the parser terminates, reads boundedly,
 * and every partition it reports lies within the disk. */
static void test_mutations(void)
{
	bool ok = true;
	int round, i, k;

	srand(12);
	host_printk_quiet = 1; /* thousands of (expected) log lines */
	for (round = 0; round < 3000; round++) {
		memset(&img, 0, sizeof(img));
		entry(&img, 0, 0, 0x83, 63, 100);
		entry(&img, 0, 1, 0x05, 200, 800);
		entry(&img, 200, 0, 0x83, 63, 100);
		entry(&img, 200, 1, 0x05, 300, 200);
		entry(&img, 500, 0, 0x83, 2, 50);
		for (k = 0; k < 8; k++) {
			i = rand() % img.n;
			img.data[i][446 + rand() % 64] = rand();
		}
		parse(&img, 1000);
		ktap_check(ok, img.reads <= 1 + 4 * MSDOS_MAX_LOGICAL,
			   "reads %d", img.reads);
		for (i = 1; i < LIMIT; i++)
			ktap_check(ok, parts[i].from + parts[i].size <= 1000,
				   "round %d part %d", round, i);
		if (!ok)
			break;
	}
	host_printk_quiet = 0;
	ktap_result(ok, "mutations");
}

int main(void)
{
	host_printk_quiet = 0;
	ktap_plan(9);
	test_no_table();
	test_primaries();
	test_logicals();
	test_out_of_disk();
	test_overlap();
	test_loops();
	test_long_chain();
	test_linux_rules();
	test_mutations();
	return ktap_finish();
}
