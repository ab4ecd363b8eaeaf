/*
 * sysinfo()'s result as the Linux i386 ABI shows it: 32-bit counters,
 * memory sizes in units of mem_unit bytes, load averages in fixed point
 * with SI_LOAD_SHIFT fraction bits. Copied from Linux's
 * include/uapi/linux/sysinfo.h; a fact of the ABI that must not change.
 */
#ifndef _UAPI_SYSINFO_H
#define _UAPI_SYSINFO_H

#include <kestrel/types.h>

#define SI_LOAD_SHIFT 16

struct sysinfo {
	long uptime; /* seconds since boot */
	unsigned long loads[3]; /* 1, 5 and 15 minute load averages */
	unsigned long totalram;
	unsigned long freeram;
	unsigned long sharedram;
	unsigned long bufferram;
	unsigned long totalswap;
	unsigned long freeswap;
	u16 procs; /* number of tasks */
	u16 pad;
	unsigned long totalhigh;
	unsigned long freehigh;
	u32 mem_unit; /* bytes per unit of the sizes above */
	char _f[20 - 2 * sizeof(unsigned long) - sizeof(u32)];
};
_Static_assert(sizeof(struct sysinfo) == 64, "i386 struct sysinfo");

#endif /* _UAPI_SYSINFO_H */
