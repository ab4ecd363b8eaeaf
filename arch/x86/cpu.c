/*
 * CPU identification with CPUID (Intel SDM vol. 2A, CPUID): vendor,
 * family/model/stepping, feature flags and the brand string, recorded in
 * boot_cpu_data for the rest of the kernel and for /proc/cpuinfo.
 */
#include <asm/cpufeature.h>
#include <kestrel/printk.h>
#include <kestrel/string.h>

#define CPUID_LEAF_VENDOR 0x0
#define CPUID_LEAF_FEATURES 0x1
#define CPUID_LEAF_EXT_MAX 0x80000000
#define CPUID_LEAF_BRAND 0x80000002 /* ..0x80000004 */

struct cpuinfo_x86 boot_cpu_data;

static void cpu_detect_brand(struct cpuinfo_x86 *c)
{
	u32 eax, ebx, ecx, edx, leaf, *out = (u32 *)c->model_name;

	cpuid(CPUID_LEAF_EXT_MAX, &eax, &ebx, &ecx, &edx);
	if (eax < CPUID_LEAF_BRAND + 2) {
		strlcpy(c->model_name, "unknown", sizeof(c->model_name));
		return;
	}
	for (leaf = CPUID_LEAF_BRAND; leaf <= CPUID_LEAF_BRAND + 2; leaf++) {
		cpuid(leaf, &out[0], &out[1], &out[2], &out[3]);
		out += 4;
	}
	c->model_name[48] = '\0';
}

void cpu_detect(void)
{
	struct cpuinfo_x86 *c = &boot_cpu_data;
	u32 eax, ebx, ecx, edx, *vendor = (u32 *)c->vendor;

	cpuid(CPUID_LEAF_VENDOR, &c->max_leaf, &vendor[0], &vendor[2],
	      &vendor[1]);
	c->vendor[12] = '\0';
	if (c->max_leaf >= CPUID_LEAF_FEATURES) {
		cpuid(CPUID_LEAF_FEATURES, &eax, &ebx, &ecx, &edx);
		c->family = (eax >> 8) & 0xf;
		c->model = (eax >> 4) & 0xf;
		c->stepping = eax & 0xf;
		if (c->family == 0xf)
			c->family += (eax >> 20) & 0xff;
		if (c->family >= 0x6)
			c->model += ((eax >> 16) & 0xf) << 4;
		c->features_edx = edx;
		c->features_ecx = ecx;
	}
	cpu_detect_brand(c);
}
