/*
 * What the architecture tells /proc/cpuinfo about each CPU. The file's
 * layout is Linux's i386 one and lives in fs/proc/cpuinfo.c; the values
 * (CPUID, the measured clock, the CPU's bugs) come from the architecture
 * through these accessors (arch/x86/cpuinfo.c).
 */
#ifndef _KESTREL_CPUINFO_H
#define _KESTREL_CPUINFO_H

#include <kestrel/types.h>

/* One CPU, as /proc/cpuinfo shows it (Linux's names in comments). */
struct cpu_desc {
	const char *vendor; /* vendor_id: "GenuineIntel" */
	const char *model_name; /* model name: the brand string */
	unsigned int family, model, stepping;
	int cpuid_level; /* the highest basic CPUID leaf */
	unsigned long khz; /* cpu MHz (the measured clock), 0: none */
	unsigned int cache_kb; /* cache size, 0: unknown */
	unsigned int phys_id, siblings, core_id, cores;
	unsigned int apicid, initial_apicid;
	bool fpu; /* fpu, fpu_exception */
	bool fdiv_bug, f00f_bug, coma_bug;
	unsigned long bogomips_x100; /* bogomips, in hundredths */
	unsigned int clflush_size, cache_alignment; /* bytes */
	unsigned int phys_bits, virt_bits; /* address sizes */
};

/* The named lists of a CPU's properties, each in Linux's order. */
enum cpu_flag_list {
	CPU_FLAGS, /* flags: the feature flags */
	CPU_BUGS, /* bugs: the hardware bugs known to affect it */
	CPU_POWER, /* power management: the advanced power features */
};

/**
 * arch_cpu_desc - describe online CPU @cpu
 * @cpu: 0, 1, ... in turn
 * @d: filled in
 *
 * Return: true, or false when there is no online CPU @cpu (the end).
 * Context: any.
 */
bool arch_cpu_desc(unsigned int cpu, struct cpu_desc *d);

/**
 * arch_cpu_next_flag - the next set bit of a list, from bit *@pos on
 * @cpu: an online CPU
 * @list: which list
 * @pos: the bit to start at (0 first); advanced past the one returned
 * @name: set to its name: "" for a bit Linux shows as nothing, NULL for
 *	a CPU_POWER bit without a name (Linux shows "[bit]")
 *
 * Bits of CPU_FLAGS and CPU_BUGS without a name are skipped.
 * Return: the bit's number, or -1 at the end of the list.
 */
int arch_cpu_next_flag(unsigned int cpu, enum cpu_flag_list list,
		       unsigned int *pos, const char **name);

#endif /* _KESTREL_CPUINFO_H */
