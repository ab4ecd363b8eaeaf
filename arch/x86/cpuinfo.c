/*
 * /proc/cpuinfo's x86 half (include/kestrel/cpuinfo.h): boot_cpu_data
 * (arch/x86/cpu.c) described field by field, and the names Linux gives
 * the CPUID feature bits, the CPU bugs and the power-management bits
 * (arch/x86/include/asm/cpufeatures.h, arch/x86/kernel/cpu/powerflags.c),
 * so the flags line reads as on Linux. A NULL name is a bit Linux does
 * not name or hides (its "" entries); such flags are not shown.
 *
 * Only the boot CPU runs: CPU 0 is the only one, its own package, core
 * and APIC id.
 *
 * The bugs are those Linux's rules derive from CPUID alone (arch/x86/
 * kernel/cpu/common.c, cpu_set_bug_bits; intel.c; cyrix.c; and the
 * FDIV check fpu_init() runs): spectre_v1 and spectre_v2 for every CPU
 * that speculates, spec_store_bypass unless it is known not to,
 * cpu_meltdown for Intel's unless they enumerate IA32_ARCH_CAPABILITIES
 * (whose MSR, which Kestrel does not read, may clear it), fxsave_leak
 * and sysret_ss_attrs for AMD's, f00f for Intel's Pentium, coma for
 * Cyrix's 6x86. Linux's per-model lists, which add l1tf, mds and
 * others, are not reproduced; nor are its synthetic flags (constant_tsc,
 * vmmcall, ...) and its virtualization words.
 */
#include <asm/cpufeature.h>
#include <asm/tsc.h>
#include <kestrel/compiler.h>
#include <kestrel/cpuinfo.h>
#include <kestrel/string.h>
#include <kestrel/time.h>

#define BITS_PER_WORD 32
#define NR_BUG_BITS BITS_PER_WORD
#define FAMILY_P5 5 /* Pentium, K6, 6x86 */
#define FAMILY_P6 6 /* from Pentium Pro on */
#define MODEL_P5_F00F_FIXED 9 /* Linux: Pentium models below 9 */
#define MODEL_6X86 2 /* Cyrix 6x86 (family 5) */
#define FAMILY_K8 0xf /* AMD: K8 to family 12h do not bypass stores */
#define FAMILY_AMD_NO_SSB_LAST 0x12
#define BOGOMIPS_KHZ_DIV 500 /* Linux: lpj / (500000 / HZ) */

/* The feature names, per word of enum cpuid_word, by bit. */
static const char *const flag_names[NCAPWORDS][BITS_PER_WORD] = {
	[CPUID_1_EDX] = {
		"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8",
		"apic", NULL, "sep", "mtrr", "pge", "mca", "cmov", "pat",
		"pse36", "pn", "clflush", NULL, "dts", "acpi", "mmx", "fxsr",
		"sse", "sse2", "ss", "ht", "tm", "ia64", "pbe",
	},
	[CPUID_8000_0001_EDX] = {
		[11] = "syscall", [19] = "mp", [20] = "nx", [22] = "mmxext",
		[25] = "fxsr_opt", [26] = "pdpe1gb", [27] = "rdtscp",
		[29] = "lm", [30] = "3dnowext", [31] = "3dnow",
	},
	[CPUID_LNX_SYNTH] = {
		[25] = "cpuid",
	},
	[CPUID_1_ECX] = {
		"pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx",
		"est", "tm2", "ssse3", "cid", "sdbg", "fma", "cx16", "xtpr",
		"pdcm", NULL, "pcid", "dca", "sse4_1", "sse4_2", "x2apic",
		"movbe", "popcnt", "tsc_deadline_timer", "aes", "xsave",
		NULL /* osxsave */, "avx", "f16c", "rdrand", "hypervisor",
	},
	[CPUID_8000_0001_ECX] = {
		"lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm",
		"sse4a", "misalignsse", "3dnowprefetch", "osvw", "ibs", "xop",
		"skinit", "wdt", NULL, "lwp", "fma4", "tce", NULL, "nodeid_msr",
		NULL, "tbm", "topoext", "perfctr_core", "perfctr_nb", NULL,
		"bpext", "ptsc", "perfctr_llc", "mwaitx",
	},
	[CPUID_7_0_EBX] = {
		"fsgsbase", "tsc_adjust", "sgx", "bmi1", "hle", "avx2", NULL,
		"smep", "bmi2", "erms", "invpcid", "rtm", "cqm", NULL, "mpx",
		"rdt_a", "avx512f", "avx512dq", "rdseed", "adx", "smap",
		"avx512ifma", NULL, "clflushopt", "clwb", "intel_pt",
		"avx512pf", "avx512er", "avx512cd", "sha_ni", "avx512bw",
		"avx512vl",
	},
	[CPUID_D_1_EAX] = {
		"xsaveopt", "xsavec", "xgetbv1", "xsaves",
	},
	[CPUID_8000_0008_EBX] = {
		[0] = "clzero", [1] = "irperf", [2] = "xsaveerptr",
		[4] = "rdpru", [9] = "wbnoinvd", [12] = "amd_ibpb",
		[14] = "amd_ibrs", [15] = "amd_stibp", [18] = "amd_ppin",
		[19] = "amd_ssbd", [25] = "virt_ssbd", [26] = "amd_ssb_no",
		[27] = "cppc", [31] = "brs",
	},
	[CPUID_6_EAX] = {
		[0] = "dtherm", [1] = "ida", [2] = "arat", [4] = "pln",
		[6] = "pts", [7] = "hwp", [8] = "hwp_notify",
		[9] = "hwp_act_window", [10] = "hwp_epp", [11] = "hwp_pkg_req",
		[19] = "hfi",
	},
	[CPUID_7_0_ECX] = {
		[1] = "avx512vbmi", [2] = "umip", [3] = "pku", [4] = "ospke",
		[5] = "waitpkg", [6] = "avx512_vbmi2", [8] = "gfni",
		[9] = "vaes", [10] = "vpclmulqdq", [11] = "avx512_vnni",
		[12] = "avx512_bitalg", [13] = "tme", [14] = "avx512_vpopcntdq",
		[16] = "la57", [22] = "rdpid", [24] = "bus_lock_detect",
		[25] = "cldemote", [27] = "movdiri", [28] = "movdir64b",
		[29] = "enqcmd", [30] = "sgx_lc",
	},
	[CPUID_7_0_EDX] = {
		[2] = "avx512_4vnniw", [3] = "avx512_4fmaps", [4] = "fsrm",
		[8] = "avx512_vp2intersect", [10] = "md_clear",
		[14] = "serialize", [16] = "tsxldtrk", [18] = "pconfig",
		[19] = "arch_lbr", [20] = "ibt", [22] = "amx_bf16",
		[23] = "avx512_fp16", [24] = "amx_tile", [25] = "amx_int8",
		[28] = "flush_l1d", [29] = "arch_capabilities",
	},
};

/* Linux's X86_BUG_* bits of its first bug word, and their names. */
static const char *const bug_names[NR_BUG_BITS] = {
	[X86_BUG_F00F] = "f00f",
	[X86_BUG_FDIV] = "fdiv",
	[X86_BUG_COMA] = "coma",
	[X86_BUG_FXSAVE_LEAK] = "fxsave_leak",
	[X86_BUG_SYSRET_SS_ATTRS] = "sysret_ss_attrs",
	[X86_BUG_CPU_MELTDOWN] = "cpu_meltdown",
	[X86_BUG_SPECTRE_V1] = "spectre_v1",
	[X86_BUG_SPECTRE_V2] = "spectre_v2",
	[X86_BUG_SPEC_STORE_BYPASS] = "spec_store_bypass",
};

/* CPUID 80000007H:EDX, Linux's x86_power_flags. Bit 8 (an invariant
 * TSC) is shown as constant_tsc among the flags, so as nothing here. */
static const char *const power_names[] = {
	"ts",	       "fid",		"vid",	     "ttp", "tm",
	"stc",	       "100mhzsteps",	"hwpstate",  "",    "cpb",
	"eff_freq_ro", "proc_feedback", "acc_power",
};

static bool is_vendor(const struct cpuinfo_x86 *c, const char *vendor)
{
	return !strcmp(c->vendor, vendor);
}

/* Do stores bypass loads speculatively (Linux's NO_SSB rules)? */
static bool cpu_ssb(const struct cpuinfo_x86 *c, bool amd)
{
	if (amd && c->family >= FAMILY_K8 &&
	    c->family <= FAMILY_AMD_NO_SSB_LAST)
		return false;
	/* The ARCH_CAPABILITIES MSR may say SSB_NO: not read, not claimed. */
	return !(c->caps[CPUID_8000_0008_EBX] & X86_FEATURE_AMD_SSB_NO) &&
	       !(c->caps[CPUID_7_0_EDX] & X86_FEATURE_7_EDX_ARCH_CAPS);
}

/* The bugs CPUID alone shows (see the top of the file). */
static u32 cpu_bugs(const struct cpuinfo_x86 *c)
{
	bool intel = is_vendor(c, "GenuineIntel");
	bool amd = is_vendor(c, "AuthenticAMD");
	u32 bugs = c->bugs; /* what was measured: FDIV */

	if (intel && c->family == FAMILY_P5 && c->model < MODEL_P5_F00F_FIXED)
		bugs |= 1U << X86_BUG_F00F;
	if (is_vendor(c, "CyrixInstead") && c->family == FAMILY_P5 &&
	    c->model == MODEL_6X86)
		bugs |= 1U << X86_BUG_COMA;
	if (amd && c->family >= FAMILY_P6)
		bugs |= 1U << X86_BUG_FXSAVE_LEAK;
	if (amd)
		bugs |= 1U << X86_BUG_SYSRET_SS_ATTRS;
	if (intel && c->family >= FAMILY_P6 &&
	    !(c->caps[CPUID_7_0_EDX] & X86_FEATURE_7_EDX_ARCH_CAPS))
		bugs |= 1U << X86_BUG_CPU_MELTDOWN;
	if (c->family < FAMILY_P6 && !amd)
		return bugs; /* no speculation: Linux's NO_SPECULATION */
	bugs |= 1U << X86_BUG_SPECTRE_V1 | 1U << X86_BUG_SPECTRE_V2;
	if (cpu_ssb(c, amd))
		bugs |= 1U << X86_BUG_SPEC_STORE_BYPASS;
	return bugs;
}

bool arch_cpu_desc(unsigned int cpu, struct cpu_desc *d)
{
	const struct cpuinfo_x86 *c = &boot_cpu_data;
	u32 bugs = cpu_bugs(c);
	unsigned long loops_khz = tsc_khz ? tsc_khz : delay_loops_per_ms;

	if (cpu != 0)
		return false;
	memset(d, 0, sizeof(*d));
	d->vendor = c->vendor;
	d->model_name = c->model_name;
	d->family = c->family;
	d->model = c->model;
	d->stepping = c->stepping;
	d->cpuid_level = (int)c->max_leaf;
	d->khz = tsc_khz;
	d->cache_kb = c->cache_kb;
	d->siblings = d->cores = 1;
	d->apicid = d->initial_apicid = c->initial_apicid;
	d->fpu = boot_cpu_has(X86_FEATURE_FPU);
	d->fdiv_bug = bugs & 1U << X86_BUG_FDIV;
	d->f00f_bug = bugs & 1U << X86_BUG_F00F;
	d->coma_bug = bugs & 1U << X86_BUG_COMA;
	d->bogomips_x100 = loops_khz * 100 / BOGOMIPS_KHZ_DIV;
	d->clflush_size = c->clflush_size;
	d->cache_alignment = c->cache_alignment;
	d->phys_bits = c->phys_bits;
	d->virt_bits = c->virt_bits;
	return true;
}

/* Whether next_named_bit() also returns set bits that have no name (the
 * power flags list them by number, as Linux's "[8]"). */
enum unnamed_bits { SKIP_UNNAMED, KEEP_UNNAMED };

/* The first set bit of @bits from *@pos on with a name in @names. */
static int next_named_bit(u32 bits, const char *const *names,
			  unsigned int nr_names, unsigned int *pos,
			  const char **name, enum unnamed_bits unnamed)
{
	unsigned int bit;

	for (bit = *pos; bit < BITS_PER_WORD; bit++) {
		if (!(bits & 1U << bit))
			continue;
		*name = bit < nr_names ? names[bit] : NULL;
		if (!*name && unnamed == SKIP_UNNAMED)
			continue;
		*pos = bit + 1;
		return (int)bit;
	}
	*pos = BITS_PER_WORD;
	return -1;
}

/* The flags are NCAPWORDS words of 32 bits in a row: *@pos runs
 * across all of them. */
static int next_feature(const struct cpuinfo_x86 *c, unsigned int *pos,
			const char **name)
{
	unsigned int word, bit;
	int found;

	for (word = *pos / BITS_PER_WORD; word < NCAPWORDS; word++) {
		bit = word == *pos / BITS_PER_WORD ? *pos % BITS_PER_WORD : 0;
		found = next_named_bit(c->caps[word], flag_names[word],
				       BITS_PER_WORD, &bit, name, SKIP_UNNAMED);
		if (found >= 0) {
			*pos = word * BITS_PER_WORD + bit;
			return (int)(word * BITS_PER_WORD) + found;
		}
	}
	*pos = NCAPWORDS * BITS_PER_WORD;
	return -1;
}

int arch_cpu_next_flag(unsigned int cpu, enum cpu_flag_list list,
		       unsigned int *pos, const char **name)
{
	const struct cpuinfo_x86 *c = &boot_cpu_data;

	switch (list) {
	case CPU_FLAGS:
		return next_feature(c, pos, name);
	case CPU_BUGS:
		return next_named_bit(cpu_bugs(c), bug_names, NR_BUG_BITS, pos,
				      name, SKIP_UNNAMED);
	case CPU_POWER:
		return next_named_bit(c->power, power_names,
				      ARRAY_SIZE(power_names), pos, name,
				      KEEP_UNNAMED);
	}
	return -1;
}
