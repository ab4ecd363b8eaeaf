/*
 * CPU identification with CPUID (Intel SDM vol. 2A, CPUID; AMD APM
 * vol. 3, appendix E): vendor, family/model/stepping, the brand string,
 * the feature flags of every leaf /proc/cpuinfo names, the cache size,
 * the cache line and the address sizes, recorded once in boot_cpu_data
 * for the rest of the kernel and for /proc/cpuinfo (arch/x86/cpuinfo.c).
 *
 * Each value is derived as Linux's arch/x86/kernel/cpu/ derives it, so
 * that /proc/cpuinfo reads the same on both kernels: the family and
 * model with their extended fields, the brand string trimmed, the cache
 * size from leaf 4 on Intel (the largest level) and from 80000005H/6H
 * otherwise, the physical address width from 80000008H or 36 bits with
 * PAE, and the features Linux clears for known errata.
 */
#include <asm/cpufeature.h>
#include <kestrel/kstrtox.h>
#include <kestrel/string.h>

#define CPUID_LEAF_VENDOR 0x0
#define CPUID_LEAF_FEATURES 0x1
#define CPUID_LEAF_CACHE_PARAMS 0x4 /* deterministic cache parameters */
#define CPUID_LEAF_THERMAL 0x6
#define CPUID_LEAF_EXT_FEATURES 0x7
#define CPUID_LEAF_XSAVE 0xd
#define CPUID_LEAF_EXT_MAX 0x80000000
#define CPUID_LEAF_EXT_FEATURES_AMD 0x80000001
#define CPUID_LEAF_BRAND 0x80000002 /* ..0x80000004 */
#define CPUID_LEAF_L1_CACHE 0x80000005
#define CPUID_LEAF_L2_CACHE 0x80000006
#define CPUID_LEAF_POWER 0x80000007
#define CPUID_LEAF_ADDR_SIZES 0x80000008
#define CPUID_EXT_VALID 0x80000000 /* an extended max leaf has this bit */

/* Leaf 1 EBX fields and leaf 4 EAX/EBX fields. */
#define CPUID_1_EBX_CLFLUSH(ebx) (((ebx) >> 8) & 0xff) /* in 8-byte units */
#define CPUID_1_EBX_APICID(ebx) ((ebx) >> 24)
#define CPUID_4_EAX_TYPE(eax) ((eax)&0x1f) /* 0: no more caches */
#define CPUID_4_EAX_LEVEL(eax) (((eax) >> 5) & 0x7)
#define CPUID_4_EAX_INSTRUCTION 2 /* type: an instruction cache */
#define CPUID_4_EBX_LINE(ebx) (((ebx)&0xfff) + 1)
#define CPUID_4_EBX_PARTITIONS(ebx) ((((ebx) >> 12) & 0x3ff) + 1)
#define CPUID_4_EBX_WAYS(ebx) (((ebx) >> 22) + 1)
#define CPUID_4_MAX_SUBLEAF 16

/* Linux's i386 defaults when CPUID does not say (early_identify_cpu). */
#define DEFAULT_CLFLUSH_SIZE 32
#define DEFAULT_ADDR_BITS 32
#define PAE_PHYS_BITS 36
#define FAMILY_P4 0xf /* NetBurst: lines fetched in pairs */
#define FAMILY_P6 6
#define MODEL_P6_PAT_OK 15 /* Core 2 and later: PAT WC erratum fixed */
#define MODEL_P6_SEP_OK 3 /* Pentium Pro: SYSENTER broken before */
#define STEPPING_P6_SEP_OK 3

struct cpuinfo_x86 boot_cpu_data;

/* Strip the blanks Intel puts before the brand (and any after it). */
static void trim_model_name(char *name)
{
	size_t start = strspn(name, " "), len;

	memmove(name, name + start, strlen(name + start) + 1);
	len = strlen(name);
	while (len && name[len - 1] == ' ')
		name[--len] = '\0';
}

static void cpu_detect_brand(struct cpuinfo_x86 *c)
{
	u32 leaf, *out = (u32 *)c->model_name;

	if (c->max_ext_leaf >= CPUID_LEAF_BRAND + 2) {
		for (leaf = CPUID_LEAF_BRAND; leaf <= CPUID_LEAF_BRAND + 2;
		     leaf++) {
			cpuid(leaf, &out[0], &out[1], &out[2], &out[3]);
			out += 4;
		}
		c->model_name[48] = '\0';
		trim_model_name(c->model_name);
	}
	if (!c->model_name[0]) /* Linux's fallback: "family/model" */
		snprintf(c->model_name, sizeof(c->model_name), "%02x/%02x",
			 c->family, c->model);
}

/* Leaf 1: signature, features, cache line, APIC id. */
static void cpu_detect_leaf1(struct cpuinfo_x86 *c)
{
	u32 eax, ebx, ecx, edx;

	cpuid(CPUID_LEAF_FEATURES, &eax, &ebx, &ecx, &edx);
	c->family = (eax >> 8) & 0xf;
	c->model = (eax >> 4) & 0xf;
	c->stepping = eax & 0xf;
	if (c->family == 0xf)
		c->family += (eax >> 20) & 0xff;
	if (c->family >= 0x6)
		c->model += ((eax >> 16) & 0xf) << 4;
	c->caps[CPUID_1_EDX] = edx;
	c->caps[CPUID_1_ECX] = ecx;
	if (edx & X86_FEATURE_CLFLUSH)
		c->clflush_size = CPUID_1_EBX_CLFLUSH(ebx) * 8;
	c->initial_apicid = CPUID_1_EBX_APICID(ebx);
}

/* The feature leaves beyond 1, where the CPU has them. */
static void cpu_detect_feature_leaves(struct cpuinfo_x86 *c)
{
	u32 eax, ebx, ecx, edx;

	if (c->max_leaf >= CPUID_LEAF_THERMAL) {
		cpuid(CPUID_LEAF_THERMAL, &eax, &ebx, &ecx, &edx);
		c->caps[CPUID_6_EAX] = eax;
	}
	if (c->max_leaf >= CPUID_LEAF_EXT_FEATURES) {
		cpuid_count(CPUID_LEAF_EXT_FEATURES, 0, &eax, &ebx, &ecx, &edx);
		c->caps[CPUID_7_0_EBX] = ebx;
		c->caps[CPUID_7_0_ECX] = ecx;
		c->caps[CPUID_7_0_EDX] = edx;
	}
	if (c->max_leaf >= CPUID_LEAF_XSAVE) {
		cpuid_count(CPUID_LEAF_XSAVE, 1, &eax, &ebx, &ecx, &edx);
		c->caps[CPUID_D_1_EAX] = eax;
	}
	if (c->max_ext_leaf >= CPUID_LEAF_EXT_FEATURES_AMD) {
		cpuid(CPUID_LEAF_EXT_FEATURES_AMD, &eax, &ebx, &ecx, &edx);
		c->caps[CPUID_8000_0001_EDX] = edx;
		c->caps[CPUID_8000_0001_ECX] = ecx;
	}
	if (c->max_ext_leaf >= CPUID_LEAF_POWER) {
		cpuid(CPUID_LEAF_POWER, &eax, &ebx, &ecx, &edx);
		c->power = edx;
	}
	if (c->max_ext_leaf >= CPUID_LEAF_ADDR_SIZES) {
		cpuid(CPUID_LEAF_ADDR_SIZES, &eax, &ebx, &ecx, &edx);
		c->caps[CPUID_8000_0008_EBX] = ebx;
	}
}

/* The largest cache level leaf 4 describes, in KiB (Intel). */
static u32 cpu_leaf4_cache_kb(void)
{
	u32 eax, ebx, ecx, edx, sub, kb, level_kb[4] = { 0 };

	for (sub = 0; sub < CPUID_4_MAX_SUBLEAF; sub++) {
		cpuid_count(CPUID_LEAF_CACHE_PARAMS, sub, &eax, &ebx, &ecx,
			    &edx);
		if (!CPUID_4_EAX_TYPE(eax))
			break;
		kb = CPUID_4_EBX_WAYS(ebx) * CPUID_4_EBX_PARTITIONS(ebx) *
		     CPUID_4_EBX_LINE(ebx) * (ecx + 1) / 1024;
		if (CPUID_4_EAX_LEVEL(eax) < 4)
			level_kb[CPUID_4_EAX_LEVEL(eax)] += kb;
	}
	/* Linux: L3, else L2, else both L1 caches together. */
	return level_kb[3] ? level_kb[3] :
	       level_kb[2] ? level_kb[2] :
			     level_kb[1];
}

static void cpu_detect_cache(struct cpuinfo_x86 *c)
{
	u32 eax, ebx, ecx, edx, leaf4_kb = 0;

	if (c->max_ext_leaf >= CPUID_LEAF_L1_CACHE) {
		cpuid(CPUID_LEAF_L1_CACHE, &eax, &ebx, &ecx, &edx);
		c->cache_kb = (ecx >> 24) + (edx >> 24); /* L1 data + code */
	}
	if (c->max_ext_leaf >= CPUID_LEAF_L2_CACHE) {
		cpuid(CPUID_LEAF_L2_CACHE, &eax, &ebx, &ecx, &edx);
		if (ecx >> 16)
			c->cache_kb = ecx >> 16;
	}
	if (!strcmp(c->vendor, "GenuineIntel") &&
	    c->max_leaf >= CPUID_LEAF_CACHE_PARAMS)
		leaf4_kb = cpu_leaf4_cache_kb();
	if (leaf4_kb)
		c->cache_kb = leaf4_kb;
}

static void cpu_detect_sizes(struct cpuinfo_x86 *c)
{
	u32 eax, ebx, ecx, edx;

	c->cache_alignment = c->clflush_size;
	if (!strcmp(c->vendor, "GenuineIntel") && c->family == FAMILY_P4)
		c->cache_alignment = c->clflush_size * 2;
	c->phys_bits = c->virt_bits = DEFAULT_ADDR_BITS;
	if (c->max_ext_leaf >= CPUID_LEAF_ADDR_SIZES) {
		cpuid(CPUID_LEAF_ADDR_SIZES, &eax, &ebx, &ecx, &edx);
		c->phys_bits = eax & 0xff;
		c->virt_bits = (eax >> 8) & 0xff;
	} else if (c->caps[CPUID_1_EDX] &
		   (X86_FEATURE_PAE | X86_FEATURE_PSE36)) {
		c->phys_bits = PAE_PHYS_BITS;
	}
}

/*
 * The features Linux clears or implies beyond what CPUID says, so that
 * the flags read as Linux's (Kestrel uses none of them): on Intel's
 * (intel.c, early_init_intel and intel_init) no PAT before Core 2 (WC
 * through PAT may become UC) and no SYSENTER on the first Pentium Pro
 * steppings; on AMD's (amd.c, init_amd) PREFETCHW wherever 3DNow! or
 * long mode is; and no 5-level paging on i386.
 */
static void cpu_apply_quirks(struct cpuinfo_x86 *c)
{
	c->caps[CPUID_7_0_ECX] &= ~X86_FEATURE_7_ECX_LA57;
	if (!strcmp(c->vendor, "AuthenticAMD") &&
	    c->caps[CPUID_8000_0001_EDX] &
		    (X86_FEATURE_EXT_3DNOW | X86_FEATURE_EXT_LM))
		c->caps[CPUID_8000_0001_ECX] |= X86_FEATURE_EXT_3DNOWPREFETCH;
	if (strcmp(c->vendor, "GenuineIntel") || c->family != FAMILY_P6)
		return;
	if (c->model < MODEL_P6_PAT_OK)
		c->caps[CPUID_1_EDX] &= ~X86_FEATURE_PAT;
	if (c->model < MODEL_P6_SEP_OK && c->stepping < STEPPING_P6_SEP_OK)
		c->caps[CPUID_1_EDX] &= ~X86_FEATURE_SEP;
}

void cpu_detect(void)
{
	struct cpuinfo_x86 *c = &boot_cpu_data;
	u32 eax, ebx, ecx, edx, *vendor = (u32 *)c->vendor;

	cpuid(CPUID_LEAF_VENDOR, &c->max_leaf, &vendor[0], &vendor[2],
	      &vendor[1]);
	c->vendor[12] = '\0';
	c->caps[CPUID_LNX_SYNTH] = CPUID_SYNTH_CPUID;
	c->clflush_size = DEFAULT_CLFLUSH_SIZE;
	cpuid(CPUID_LEAF_EXT_MAX, &eax, &ebx, &ecx, &edx);
	if (eax & CPUID_EXT_VALID)
		c->max_ext_leaf = eax;
	if (c->max_leaf >= CPUID_LEAF_FEATURES)
		cpu_detect_leaf1(c);
	cpu_detect_feature_leaves(c);
	cpu_apply_quirks(c);
	cpu_detect_brand(c);
	cpu_detect_cache(c);
	cpu_detect_sizes(c);
}
