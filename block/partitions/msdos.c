/*
 * MBR ("msdos") partition tables (Linux's block/partitions/msdos.c).
 *
 * Sector 0 ends in 55 AA and holds four 16-byte entries at offset 446:
 *	boot flag (0 or 0x80), CHS start, type, CHS end, LBA start, length
 * (little-endian 32-bit LBA fields; the CHS ones are ignored). These are
 * partitions 1-4; an entry is used when its length is not 0. One of them
 * may be "extended" (type 05, 0f or 85): a container whose first sector
 * is an EBR, a boot sector whose entries describe a logical partition
 * (start relative to that EBR) and link to the next EBR (an extended
 * entry, start relative to the container). The logical partitions are
 * numbered 5, 6, ... in chain order.
 *
 *	MBR: [hda1][hda2 ext ──────────────────────────────]
 *	           EBR ─ hda5 ─ EBR ─ hda6 ─ EBR ─ hda7
 *
 * A disk image is untrusted input. Linux is the oracle for what a bad
 * table gives, and each oddity gets a log line:
 *  - an entry starting past the end of the disk is ignored, one running
 *    past it is truncated at the end ("beyond EOD": Linux's
 *    block/partitions/core.c);
 *  - overlapping entries are all kept, as Linux keeps them;
 *  - a logical partition outside its extended partition is kept; the
 *    3rd and 4th entries of an EBR, often garbage, only when inside it;
 *  - every extended primary entry has its chain read, numbered on;
 *  - the chain stops at a sector without 55 AA or past the end of the
 *    disk, at an EBR seen before (a loop: Linux stops after 100 links
 *    that add no partition, which ends the loops that add none at the
 *    same place), after MSDOS_MAX_LOGICAL links, or when the partition
 *    numbers run out.
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
	return e->size != 0;
}

/* Log every accepted partition (extended containers aside, which hold
 * the logical ones) that [from, from + size) overlaps. */
static void note_overlaps(struct parsed_partitions *state, int n,
			  part_sector_t from, part_sector_t size)
{
	int i;

	for (i = 1; i < state->limit; i++) {
		struct parsed_partition *p = &state->parts[i];

		if (i == n || !p->size || p->extended)
			continue;
		if (from < p->from + p->size && p->from < from + size)
			pr_warn("%s: p%d (sectors %llu+%llu) overlaps p%d, kept\n",
				state->name, n, (unsigned long long)from,
				(unsigned long long)size, i);
	}
}

/* Record partition @n, unless it starts past the end of the disk; cut
 * it at the end when it runs past. False when ignored. */
static bool put_partition(struct parsed_partitions *state, int n,
			  part_sector_t from, part_sector_t size, bool extended)
{
	if (from >= state->capacity) {
		pr_warn("%s: p%d start %llu is beyond EOD, ignored\n",
			state->name, n, (unsigned long long)from);
		return false;
	}
	if (size > state->capacity - from) {
		pr_warn("%s: p%d size %llu extends beyond EOD, truncated\n",
			state->name, n, (unsigned long long)size);
		size = state->capacity - from;
	}
	if (!extended)
		note_overlaps(state, n, from, size);
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

/* Is [from, from + size) inside [lo, lo + len)? */
static bool inside(part_sector_t from, part_sector_t size, part_sector_t lo,
		   part_sector_t len)
{
	return from >= lo && from - lo <= len && size <= len - (from - lo);
}

/*
 * The data entries of the EBR in @buf, at sector @ebr, as logical
 * partitions numbered from *@next. Like Linux, all four entries are
 * looked at (DR-DOS and OS/2 use more than the first), the 3rd and 4th
 * only when inside the extended partition [@ext, @ext + @len).
 */
static void put_logicals(struct parsed_partitions *state, const u8 *buf,
			 part_sector_t ebr, part_sector_t ext,
			 part_sector_t len, int *next)
{
	struct mbr_entry e;
	int i;

	for (i = 0; i < 4 && *next < state->limit; i++) {
		get_entry(buf, i, &e);
		if (!is_used(&e) || is_extended(e.sys_ind))
			continue;
		if (!inside(ebr + e.start, e.size, ext, len)) {
			pr_warn("%s: EBR %llu entry %d (sectors %llu+%llu) is outside the extended partition%s\n",
				state->name, (unsigned long long)ebr, i + 1,
				(unsigned long long)(ebr + e.start),
				(unsigned long long)e.size,
				i >= 2 ? ", ignored" : "");
			if (i >= 2)
				continue;
		}
		/* The number is used even when the partition is ignored,
		 * as Linux numbers them. */
		put_partition(state, (*next)++, ebr + e.start, e.size, false);
	}
}

/* The first extended entry of the EBR in @buf (its link), or NULL. */
static bool get_link(const u8 *buf, struct mbr_entry *link)
{
	int i;

	for (i = 0; i < 4; i++) {
		get_entry(buf, i, link);
		if (is_used(link) && is_extended(link->sys_ind))
			return true;
	}
	return false;
}

/* Follow the EBR chain of the extended partition [ext, ext + len),
 * numbering logical partitions from *@next. */
static void parse_extended(struct parsed_partitions *state, part_sector_t ext,
			   part_sector_t len, int *next, u8 *buf)
{
	part_sector_t seen[MSDOS_MAX_LOGICAL], ebr = ext;
	struct mbr_entry link;
	int links;

	for (links = 0;; links++) {
		if (links == MSDOS_MAX_LOGICAL) {
			pr_warn("%s: more than %d EBRs, the rest ignored\n",
				state->name, MSDOS_MAX_LOGICAL);
			return;
		}
		if (*next >= state->limit) {
			pr_warn("%s: no partition numbers left, logical partitions ignored\n",
				state->name);
			return;
		}
		if (ebr >= state->capacity ||
		    state->read_sector(state, ebr, buf) || !has_magic(buf)) {
			pr_warn("%s: no EBR at sector %llu, chain ends\n",
				state->name, (unsigned long long)ebr);
			return;
		}
		seen[links] = ebr;
		put_logicals(state, buf, ebr, ext, len, next);
		if (!get_link(buf, &link))
			return;
		if (link.start >= len)
			pr_warn("%s: EBR link to sector %llu is outside the extended partition\n",
				state->name,
				(unsigned long long)(ext + link.start));
		ebr = ext + link.start;
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
	struct mbr_entry e[4];
	u8 buf[512];
	int i, next = 5, err;

	err = state->read_sector(state, 0, buf);
	if (err)
		return err;
	if (!has_magic(buf) || !valid_boot_flags(buf))
		return 0;
	for (i = 0; i < 4; i++) /* buf is then reused for the EBRs */
		get_entry(buf, i, &e[i]);
	for (i = 1; i <= 4 && i < state->limit; i++) {
		bool extended = is_extended(e[i - 1].sys_ind);

		if (!is_used(&e[i - 1]) ||
		    !put_partition(state, i, e[i - 1].start, e[i - 1].size,
				   extended) ||
		    !extended)
			continue;
		parse_extended(state, state->parts[i].from,
			       state->parts[i].size, &next, buf);
	}
	return 1;
}
