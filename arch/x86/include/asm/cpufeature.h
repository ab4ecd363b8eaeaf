/*
 * CPUID and the feature bits Kestrel uses. Leaf 1 EDX bits are from the
 * Intel SDM vol. 2A, CPUID, table 3-11 ("Feature Information Returned
 * in the EDX Register").
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
#define X86_FEATURE_FXSR (1U << 24)
#define X86_FEATURE_SSE (1U << 25)
#define X86_FEATURE_SSE2 (1U << 26)

struct cpuinfo_x86 {
	char vendor[13];
	char model_name[49];
	u32 max_leaf;
	u32 family, model, stepping;
	u32 features_edx; /* CPUID.1:EDX */
	u32 features_ecx; /* CPUID.1:ECX */
};

extern struct cpuinfo_x86 boot_cpu_data;

static inline void cpuid(u32 leaf, u32 *eax, u32 *ebx, u32 *ecx, u32 *edx)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(*eax), "=b"(*ebx), "=c"(*ecx), "=d"(*edx)
			     : "a"(leaf), "c"(0));
}

static inline bool boot_cpu_has(u32 edx_feature)
{
	return (boot_cpu_data.features_edx & edx_feature) != 0;
}

/* Fill boot_cpu_data. Called first thing in start_kernel. */
void cpu_detect(void);

#endif /* _ASM_X86_CPUFEATURE_H */
