/*
 * CPUID and the feature bits Kestrel uses. Leaf 1 EDX bits are from the
 * Intel SDM vol. 2A, CPUID, table 3-11 ("Feature Information Returned
 * in the EDX Register"); the other leaves are in the same chapter.
 * cpu_detect() (arch/x86/cpu.c) reads them once into boot_cpu_data;
 * arch/x86/cpuinfo.c names them for /proc/cpuinfo.
 */
#ifndef _ASM_X86_CPUFEATURE_H
#define _ASM_X86_CPUFEATURE_H

#include <kestrel/types.h>

#define X86_FEATURE_FPU (1U << 0)
#define X86_FEATURE_PSE (1U << 3)
#define X86_FEATURE_TSC (1U << 4)
#define X86_FEATURE_MSR (1U << 5)
#define X86_FEATURE_PAE (1U << 6)
#define X86_FEATURE_APIC (1U << 9)
#define X86_FEATURE_SEP (1U << 11)
#define X86_FEATURE_PGE (1U << 13)
#define X86_FEATURE_CMOV (1U << 15)
#define X86_FEATURE_PAT (1U << 16)
#define X86_FEATURE_PSE36 (1U << 17)
#define X86_FEATURE_CLFLUSH (1U << 19)
#define X86_FEATURE_FXSR (1U << 24)
#define X86_FEATURE_SSE (1U << 25)
#define X86_FEATURE_SSE2 (1U << 26)

/*
 * The CPUID registers the feature flags come from, in the order Linux
 * prints them in /proc/cpuinfo (its capability words 0, 1, 3, 4, 6, 9,
 * 10, 13, 14, 16 and 18; arch/x86/include/asm/cpufeatures.h).
 */
enum cpuid_word {
	CPUID_1_EDX, /* basic features */
	CPUID_8000_0001_EDX, /* extended features (AMD's, and nx, lm) */
	CPUID_LNX_SYNTH, /* Linux's own flags: CPUID_SYNTH_CPUID */
	CPUID_1_ECX,
	CPUID_8000_0001_ECX,
	CPUID_7_0_EBX, /* structured extended features, sub-leaf 0 */
	CPUID_D_1_EAX, /* XSAVE extensions */
	CPUID_8000_0008_EBX, /* AMD's extended features (speculation) */
	CPUID_6_EAX, /* thermal and power management */
	CPUID_7_0_ECX,
	CPUID_7_0_EDX,
	NCAPWORDS
};

#define CPUID_SYNTH_CPUID (1U << 25) /* the CPU has CPUID (Linux's bit) */
#define X86_FEATURE_7_EDX_ARCH_CAPS (1U << 29) /* IA32_ARCH_CAPABILITIES */
#define X86_FEATURE_7_ECX_LA57 (1U << 16) /* 5-level paging */
#define X86_FEATURE_EXT_LM (1U << 29) /* CPUID.80000001H:EDX: long mode */
#define X86_FEATURE_EXT_3DNOW (1U << 31)
#define X86_FEATURE_EXT_3DNOWPREFETCH (1U << 8) /* 80000001H:ECX */
#define X86_FEATURE_AMD_SSB_NO (1U << 26) /* 80000008H:EBX */

/* Bits of boot_cpu_data.bugs: Linux's X86_BUG_* numbers, word 0. */
#define X86_BUG_F00F 0
#define X86_BUG_FDIV 1
#define X86_BUG_COMA 2
#define X86_BUG_FXSAVE_LEAK 6
#define X86_BUG_SYSRET_SS_ATTRS 8
#define X86_BUG_CPU_MELTDOWN 13
#define X86_BUG_SPECTRE_V1 14
#define X86_BUG_SPECTRE_V2 15
#define X86_BUG_SPEC_STORE_BYPASS 16

struct cpuinfo_x86 {
	char vendor[13];
	char model_name[49];
	u32 max_leaf; /* the highest basic CPUID leaf */
	u32 max_ext_leaf; /* the highest extended leaf, or 0 */
	u32 family, model, stepping;
	u32 caps[NCAPWORDS]; /* the flags, by enum cpuid_word */
	u32 power; /* CPUID.80000007H:EDX, advanced power management */
	u32 bugs; /* measured ones (X86_BUG_FDIV); cpuinfo.c adds the rest */
	u32 cache_kb; /* the largest cache (Linux's x86_cache_size), or 0 */
	u32 clflush_size, cache_alignment; /* bytes */
	u32 phys_bits, virt_bits; /* address sizes */
	u32 initial_apicid; /* CPUID.1:EBX[31:24] */
};

extern struct cpuinfo_x86 boot_cpu_data;

/* CPUID leaf @leaf, sub-leaf @subleaf (ECX). */
static inline void cpuid_count(u32 leaf, u32 subleaf, u32 *eax, u32 *ebx,
			       u32 *ecx, u32 *edx)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(*eax), "=b"(*ebx), "=c"(*ecx), "=d"(*edx)
			     : "a"(leaf), "c"(subleaf));
}

static inline void cpuid(u32 leaf, u32 *eax, u32 *ebx, u32 *ecx, u32 *edx)
{
	cpuid_count(leaf, 0, eax, ebx, ecx, edx);
}

static inline bool boot_cpu_has(u32 edx_feature)
{
	return (boot_cpu_data.caps[CPUID_1_EDX] & edx_feature) != 0;
}

/* Fill boot_cpu_data. Called first thing in start_kernel. */
void cpu_detect(void);

#endif /* _ASM_X86_CPUFEATURE_H */
