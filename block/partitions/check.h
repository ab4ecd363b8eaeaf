/*
 * What a partition-table parser works on (Linux's
 * block/partitions/check.h). The parser reads sectors through
 * @read_sector and fills @parts; it knows nothing else of the kernel,
 * so the host unit tests (tests/unit/test_msdos.c) feed it crafted
 * images.
 */
#ifndef _BLOCK_PARTITIONS_CHECK_H
#define _BLOCK_PARTITIONS_CHECK_H

#include <kestrel/types.h>

typedef u64 part_sector_t; /* a 512-byte sector number */

struct parsed_partition {
	part_sector_t from; /* first sector, 0 when the slot is empty */
	part_sector_t size;
	bool extended; /* the container of the logical ones */
};

/**
 * struct parsed_partitions - the parser's input and output
 * @name: the disk's, for log lines
 * @capacity: the disk's length in sectors
 * @limit: slots in @parts: partition numbers are [1, limit)
 * @parts: what was found, by partition number (slot 0 unused)
 * @read_sector: copy sector @n into @buf (512 bytes); 0 or -errno
 * @data: for @read_sector
 */
struct parsed_partitions {
	const char *name;
	part_sector_t capacity;
	int limit;
	struct parsed_partition *parts;
	int (*read_sector)(struct parsed_partitions *state, part_sector_t n,
			   u8 *buf);
	void *data;
};

/* Links of an EBR chain followed at most (Linux has no bound). */
#define MSDOS_MAX_LOGICAL 64

/* 1: an MBR was found (parts filled), 0: none, -errno: unreadable. */
int msdos_partition(struct parsed_partitions *state);

#endif /* _BLOCK_PARTITIONS_CHECK_H */
