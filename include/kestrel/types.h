/*
 * Fixed-width integer types and the kernel's address types.
 */
#ifndef _KESTREL_TYPES_H
#define _KESTREL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/* A physical address. 32 bits: Kestrel maps no memory above 4 GiB. */
typedef u32 phys_addr_t;
/* A page frame number: a physical address shifted right by PAGE_SHIFT. */
typedef unsigned long pfn_t;
/* A page's index in a file (units of PAGE_SIZE): files up to 16 TiB. */
typedef unsigned long pgoff_t;
/* A 512-byte sector number on a disk, or a block number in a file system. */
typedef u64 sector_t;

typedef long ssize_t;

#ifndef LONG_MAX
#define LONG_MAX ((long)(~0UL >> 1))
#endif
#ifndef LLONG_MAX
#define LLONG_MAX ((long long)(~0ULL >> 1))
#endif

#endif /* _KESTREL_TYPES_H */
