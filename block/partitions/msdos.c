/*
 * MBR ("msdos") partition tables (Linux's block/partitions/msdos.c).
 *
 * Sector 0 ends in 55 AA and holds four 16-byte entries at offset 446:
 *	boot flag (0 or 0x80), CHS start, type, CHS end, LBA start, length
 * (little-endian 32-bit LBA fields; the CHS ones are ignored). These are
 * partitions 1-4. One of them may be "extended" (type 05, 0f or 85): a
 * container whose first sector is an EBR, a boot sector whose entry 0 is
 * a logical partition (start relative to that EBR) and whose entry 1
 * points to the next EBR (start relative to the container). The
 * logical partitions are numbered 5, 6, ... in chain order.
 *
 *	MBR: [hda1][hda2 ext ──────────────────────────────]
 *	           EBR ─ hda5 ─ EBR ─ hda6 ─ EBR ─ hda7
 *
 * A disk image is untrusted input: an entry that runs past the end of
 * the disk or of its container, or that overlaps one already accepted,
 * is skipped with a log line; the chain stops, with a log line, at a
 * sector without 55 AA, at an EBR seen before (a loop), after
 * MSDOS_MAX_LOGICAL links, or when the partition numbers run out.
 */
#include <kestrel/printk.h>
#include <kestrel/string.h>

#include "check.h"

#define MSDOS_LABEL_MAGIC 0xaa55
#define MBR_ENTRIES_OFFSET 446
#define MBR_ENTRY_SIZE 16

struct mbr_entry {
	u8 boot_ind;
	u8 sys_ind;
	part_sector_t start; /* relative to the table's base */
	part_sector_t size;
};

static u32 get_le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

static bool has_magic(const u8 *sector)
{
	return (sector[510] | sector[511] << 8) == MSDOS_LABEL_MAGIC;
}

static void get_entry(const u8 *sector, int i, struct mbr_entry *e)
{
	const u8 *p = sector + MBR_ENTRIES_OFFSET + i * MBR_ENTRY_SIZE;

	e->boot_ind = p[0];
	e->sys_ind = p[4];
	e->start = get_le32(p + 8);
	e->size = get_le32(p + 12);
}

static bool is_extended(u8 sys_ind)
{
	return sys_ind == 0x05 || sys_ind == 0x0f || sys_ind == 0x85;
}

static bool is_used(const struct mbr_entry *e)
{
	return e->sys_ind && e->size;
}

/* Does [from, from + size) overlap an accepted partition (not the
 * extended container, which holds the logical ones)? */
static bool overlaps(struct parsed_partitions *state, part_sector_t from,
		     part_sector_t size)
{
	int i;

	for (i = 1; i < state->limit; i++) {
		struct parsed_partition *p = &state->parts[i];

		if (!p->size || p->extended)
			continue;
		if (from < p->from + p->size && p->from < from + size)
			return true;
	}
	return false;
}

/* Accept partition @n unless it is outside [lo, hi) or overlaps. */
static bool put_partition(struct parsed_partitions *state, int n,
			  part_sector_t from, part_sector_t size,
			  part_sector_t lo, part_sector_t hi, bool extended)
{
	if (from < lo || from >= hi || size > hi - from) {
		pr_warn("%s: partition %d (sectors %llu+%llu) is outside %s, skipped\n",
			state->name, n, (unsigned long long)from,
			(unsigned long long)size,
			lo ? "the extended partition" : "the disk");
		return false;
	}
	if (overlaps(state, from, size)) {
		pr_warn("%s: partition %d (sectors %llu+%llu) overlaps another, skipped\n",
			state->name, n, (unsigned long long)from,
			(unsigned long long)size);
		return false;
	}
	state->parts[n].from = from;
	state->parts[n].size = size;
	state->parts[n].extended = extended;
	return true;
}

/* Was the EBR at @sector visited already? @seen holds @n of them. */
static bool ebr_seen(const part_sector_t *seen, int n, part_sector_t sector)
{
	int i;

	for (i = 0; i < n; i++)
		if (seen[i] == sector)
			return true;
	return false;
}

/* Follow the EBR chain of the extended partition [ext, ext + len). */
static void parse_extended(struct parsed_partitions *state, part_sector_t ext,
			   part_sector_t len, u8 *buf)
{
	part_sector_t seen[MSDOS_MAX_LOGICAL], ebr = ext;
	struct mbr_entry data, next;
	int links, n = 5;

	for (links = 0;; links++) {
		if (links == MSDOS_MAX_LOGICAL) {
			pr_warn("%s: more than %d logical partitions, the rest ignored\n",
				state->name, MSDOS_MAX_LOGICAL);
			return;
		}
		if (n >= state->limit) {
			pr_warn("%s: no partition numbers left, logical partitions ignored\n",
				state->name);
			return;
		}
		if (state->read_sector(state, ebr, buf) || !has_magic(buf)) {
			pr_warn("%s: no EBR at sector %llu, chain ends\n",
				state->name, (unsigned long long)ebr);
			return;
		}
		seen[links] = ebr;
		get_entry(buf, 0, &data);
		get_entry(buf, 1, &next);
		if (is_used(&data) && !is_extended(data.sys_ind) &&
		    put_partition(state, n, ebr + data.start, data.size, ext,
				  ext + len, false))
			n++;
		if (!is_used(&next) || !is_extended(next.sys_ind))
			return;
		if (next.start >= len) {
			pr_warn("%s: EBR link to sector %llu is outside the extended partition, chain ends\n",
				state->name,
				(unsigned long long)(ext + next.start));
			return;
		}
		ebr = ext + next.start;
		if (ebr_seen(seen, links + 1, ebr)) {
			pr_warn("%s: EBR chain loops at sector %llu, chain ends\n",
				state->name, (unsigned long long)ebr);
			return;
		}
	}
}

/* An MBR's entries have boot flags 0 or 0x80; anything else is not one
 * (a FAT or other boot sector that happens to end in 55 AA). */
static bool valid_boot_flags(const u8 *sector)
{
	struct mbr_entry e;
	int i;

	for (i = 0; i < 4; i++) {
		get_entry(sector, i, &e);
		if (e.boot_ind != 0 && e.boot_ind != 0x80)
			return false;
	}
	return true;
}

int msdos_partition(struct parsed_partitions *state)
{
	u8 buf[512];
	struct mbr_entry e;
	int i, ext = 0, err;

	err = state->read_sector(state, 0, buf);
	if (err)
		return err;
	if (!has_magic(buf) || !valid_boot_flags(buf))
		return 0;
	for (i = 1; i <= 4 && i < state->limit; i++) {
		get_entry(buf, i - 1, &e);
		if (!is_used(&e))
			continue;
		if (is_extended(e.sys_ind) && ext) {
			pr_warn("%s: a second extended partition (%d), skipped\n",
				state->name, i);
			continue;
		}
		if (!put_partition(state, i, e.start, e.size, 0,
				   state->capacity, is_extended(e.sys_ind)))
			continue;
		if (is_extended(e.sys_ind))
			ext = i;
	}
	if (ext)
		parse_extended(state, state->parts[ext].from,
			       state->parts[ext].size, buf);
	return 1;
}
