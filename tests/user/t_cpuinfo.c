/*
 * /proc/cpuinfo against what the program finds itself: one block per
 * online CPU (as many as sysconf and busybox nproc count), Linux's
 * fields in Linux's order, and their values against CPUID executed
 * here (vendor, family, model, stepping, brand string, cpuid level,
 * feature flags, clflush size, APIC id, address sizes) and against the
 * TSC's rate measured here (cpu MHz, bogomips). Passes on Linux (on a
 * 64-bit one too, whose file lacks the i386-only bug lines).
 */
#include "fileio.h"
#include "ktap.h"
#include <cpuid.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#define BUF_SIZE 65536
#define MAX_FIELDS 64
#define LEAF_EXT_MAX 0x80000000U
#define LEAF_BRAND 0x80000002U
#define LEAF_ADDR_SIZES 0x80000008U
#define MEASURE_NS 200000000L /* the TSC is timed over 0.2 s */
#define MHZ_TOLERANCE 0.25 /* the kernel's calibration against ours */
#define BOGOMIPS_TOLERANCE 0.02 /* bogomips is twice the clock */
#define I386_CLFLUSH_DEFAULT 32
#define EDX_PAE (1U << 6) /* CPUID.1:EDX (Intel SDM vol. 2A, table 3-11) */
#define EDX_PSE36 (1U << 17)
#define EDX_CLFLUSH (1U << 19)
#define PLAN 16

static char buf[BUF_SIZE];

struct field {
	char key[32];
	const char *value;
};

/* Block 0: its "key : value" lines, in order. */
static struct field fields[MAX_FIELDS];
static int nr_fields;

/* Linux's order; "?" marks a field shown only when known. */
static const char *const linux_order[] = {
	"processor",
	"vendor_id",
	"cpu family",
	"model",
	"model name",
	"stepping",
	"?microcode",
	"?cpu MHz",
	"?cache size",
	"physical id",
	"siblings",
	"core id",
	"cpu cores",
	"apicid",
	"initial apicid",
	"!fdiv_bug",
	"!f00f_bug",
	"!coma_bug",
	"fpu",
	"fpu_exception",
	"cpuid level",
	"wp",
	"flags",
	"bugs",
	"bogomips",
	"clflush size",
	"cache_alignment",
	"address sizes",
	"power management",
};

/* Split block 0 of buf (up to the first blank line) into fields. */
static void parse_first_block(void)
{
	char *line = buf, *end, *colon;

	nr_fields = 0;
	while (*line && *line != '\n' && nr_fields < MAX_FIELDS) {
		end = strchr(line, '\n');
		if (end)
			*end = '\0';
		colon = strchr(line, ':');
		if (colon) {
			struct field *f = &fields[nr_fields++];
			size_t len = colon - line;

			while (len &&
			       (line[len - 1] == '\t' || line[len - 1] == ' '))
				len--;
			snprintf(f->key, sizeof(f->key), "%.*s", (int)len,
				 line);
			f->value = colon[1] == ' ' ? colon + 2 : colon + 1;
		}
		if (!end)
			break;
		line = end + 1;
	}
}

static const char *value_of(const char *key)
{
	int i;

	for (i = 0; i < nr_fields; i++)
		if (!strcmp(fields[i].key, key))
			return fields[i].value;
	return NULL;
}

static long num_of(const char *key)
{
	const char *v = value_of(key);

	return v ? strtol(v, NULL, 0) : -1;
}

/* Is @name one of the words of the flags line? */
static bool has_flag(const char *name)
{
	const char *v = value_of("flags");
	size_t len = strlen(name);

	while (v && *v) {
		while (*v == ' ')
			v++;
		if (!strncmp(v, name, len) && (v[len] == ' ' || !v[len]))
			return true;
		v = strchr(v, ' ');
	}
	return false;
}

/* Count "processor : N" lines, checking they number 0, 1, ... */
static int count_blocks(const char *text, bool *in_order)
{
	const char *p = text;
	int n = 0;

	*in_order = true;
	for (; (p = strstr(p, "processor\t: ")); p++) {
		if (p != text && p[-1] != '\n')
			continue;
		if (atoi(p + strlen("processor\t: ")) != n)
			*in_order = false;
		n++;
	}
	return n;
}

/* busybox nproc's output, or -1 without busybox. */
static int busybox_nproc(void)
{
	int p[2], status;
	char out[32] = "";
	pid_t pid;

	if (access("/bin/busybox", X_OK) < 0 || pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		execl("/bin/busybox", "nproc", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	if (read(p[0], out, sizeof(out) - 1) < 0)
		out[0] = '\0';
	close(p[0]);
	waitpid(pid, &status, 0);
	return atoi(out);
}

static void test_layout(long len, bool is_i386)
{
	bool in_order, ordered = true;
	int n = count_blocks(buf, &in_order), bb, i, at = 0;
	long online = sysconf(_SC_NPROCESSORS_ONLN);

	ktap_ok(n > 0 && n == online && in_order,
		"one block per online CPU, numbered from 0 (%d, %ld online)", n,
		online);
	bb = busybox_nproc();
	if (bb < 0)
		ktap_skip("busybox nproc", "no /bin/busybox");
	else
		ktap_ok(bb == online, "busybox nproc says %d", bb);
	ktap_ok(len > 2 && !strcmp(buf + len - 2, "\n\n"),
		"each block ends with a blank line");
	parse_first_block();
	for (i = 0; i < (int)(sizeof(linux_order) / sizeof(*linux_order));
	     i++) {
		const char *key = linux_order[i];
		bool optional = *key == '?', i386_only = *key == '!';
		int j;

		key += optional || i386_only;
		for (j = at; j < nr_fields && strcmp(fields[j].key, key); j++)
			;
		if (j < nr_fields) {
			at = j + 1;
		} else if (!optional && (is_i386 || !i386_only)) {
			ktap_diag("field '%s' missing or out of order", key);
			ordered = false;
		}
	}
	ktap_ok(ordered, "Linux's fields in Linux's order");
}

static void test_identity(void)
{
	unsigned int max, eax, ebx, ecx, edx, family, model;
	char vendor[13], brand[49] = "";
	const char *name = value_of("model name");

	__cpuid(0, max, ebx, ecx, edx);
	memcpy(vendor, &ebx, 4);
	memcpy(vendor + 4, &edx, 4);
	memcpy(vendor + 8, &ecx, 4);
	vendor[12] = '\0';
	ktap_ok(value_of("vendor_id") && !strcmp(value_of("vendor_id"), vendor),
		"vendor_id is CPUID's (%s)", vendor);
	ktap_ok(num_of("cpuid level") == (long)max, "cpuid level is %u", max);
	__cpuid(1, eax, ebx, ecx, edx);
	family = (eax >> 8) & 0xf;
	model = (eax >> 4) & 0xf;
	if (family == 0xf)
		family += (eax >> 20) & 0xff;
	if (family >= 6)
		model += ((eax >> 16) & 0xf) << 4;
	ktap_ok(num_of("cpu family") == (long)family &&
			num_of("model") == (long)model &&
			num_of("stepping") == (long)(eax & 0xf),
		"family %u, model %u, stepping %u", family, model, eax & 0xf);
	__cpuid(LEAF_EXT_MAX, max, ebx, ecx, edx);
	if (max < LEAF_BRAND + 2) {
		ktap_skip("model name", "no brand string");
		return;
	}
	for (unsigned int i = 0; i < 3; i++) {
		unsigned int r[4];

		__cpuid(LEAF_BRAND + i, r[0], r[1], r[2], r[3]);
		memcpy(brand + 16 * i, r, sizeof(r));
	}
	ktap_ok(name && strstr(brand, name) && *name != ' ',
		"model name is the brand string, trimmed (%s)", name);
}

/* Flags for a few CPUID bits Linux never clears, set or clear. */
static void test_flags(void)
{
	static const struct {
		const char *name;
		int reg; /* 0: EDX, 1: ECX */
		int bit;
	} bits[] = {
		{ "fpu", 0, 0 },	 { "de", 0, 2 },    { "pse", 0, 3 },
		{ "tsc", 0, 4 },	 { "msr", 0, 5 },   { "pae", 0, 6 },
		{ "cx8", 0, 8 },	 { "cmov", 0, 15 }, { "mmx", 0, 23 },
		{ "fxsr", 0, 24 },	 { "sse", 0, 25 },  { "sse2", 0, 26 },
		{ "pni", 1, 0 },	 { "ssse3", 1, 9 }, { "popcnt", 1, 23 },
		{ "hypervisor", 1, 31 },
	};
	unsigned int eax, ebx, ecx, edx, i;
	bool ok = true;

	__cpuid(1, eax, ebx, ecx, edx);
	for (i = 0; i < sizeof(bits) / sizeof(*bits); i++) {
		bool set = ((bits[i].reg ? ecx : edx) >> bits[i].bit) & 1;

		if (set != has_flag(bits[i].name)) {
			ktap_diag("%s: CPUID says %d", bits[i].name, set);
			ok = false;
		}
	}
	ktap_ok(ok, "flags name the CPUID feature bits as Linux does");
	ktap_ok(has_flag("cpuid"), "flags include cpuid");
	ktap_ok(!strcmp(value_of("fpu") ? value_of("fpu") : "",
			edx & 1 ? "yes" : "no"),
		"fpu: %s", edx & 1 ? "yes" : "no");
	ktap_ok(num_of("clflush size") ==
			(long)(edx & EDX_CLFLUSH ? ((ebx >> 8) & 0xff) * 8 :
						   I386_CLFLUSH_DEFAULT),
		"clflush size from CPUID");
}

static void test_sizes_and_ids(int nr_cpus)
{
	unsigned int max, eax, ebx, ecx, edx, phys = 32, virt = 32;
	char want[64];
	const char *v = value_of("address sizes");

	__cpuid(1, eax, ebx, ecx, edx);
	if (nr_cpus == 1)
		ktap_ok(num_of("apicid") == (long)(ebx >> 24) &&
				num_of("initial apicid") == (long)(ebx >> 24),
			"apicid is CPUID's (%u)", ebx >> 24);
	else
		ktap_skip("apicid", "which CPU runs this is not known");
	if (edx & (EDX_PAE | EDX_PSE36))
		phys = 36;
	__cpuid(LEAF_EXT_MAX, max, ebx, ecx, edx);
	if (max >= LEAF_ADDR_SIZES) {
		__cpuid(LEAF_ADDR_SIZES, eax, ebx, ecx, edx);
		phys = eax & 0xff;
		virt = (eax >> 8) & 0xff;
	}
	snprintf(want, sizeof(want), "%u bits physical, %u bits virtual", phys,
		 virt);
	ktap_ok(v && !strcmp(v, want), "address sizes: %s", want);
}

/* The TSC's rate here, in MHz: cycles over MEASURE_NS of CLOCK_MONOTONIC. */
static double measure_mhz(void)
{
	struct timespec t0, t1, d = { 0, MEASURE_NS };
	unsigned long long c0, c1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	c0 = __rdtsc();
	nanosleep(&d, NULL);
	c1 = __rdtsc();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (c1 - c0) / ((t1.tv_sec - t0.tv_sec) * 1e6 +
			    (t1.tv_nsec - t0.tv_nsec) / 1e3);
}

static void test_clock(void)
{
	const char *mhz = value_of("cpu MHz"), *bogo = value_of("bogomips");
	double shown, here;

	if (!mhz) {
		ktap_skip("cpu MHz", "no TSC");
		ktap_skip("bogomips", "no TSC");
		return;
	}
	shown = atof(mhz);
	here = measure_mhz();
	ktap_ok(shown > 0 && here > shown * (1 - MHZ_TOLERANCE) &&
			here < shown * (1 + MHZ_TOLERANCE),
		"cpu MHz %.3f is the TSC's rate (%.0f measured)", shown, here);
	ktap_ok(bogo && atof(bogo) > 2 * shown * (1 - BOGOMIPS_TOLERANCE) &&
			atof(bogo) < 2 * shown * (1 + BOGOMIPS_TOLERANCE),
		"bogomips %s is twice the clock", bogo ? bogo : "?");
}

int main(void)
{
	struct utsname u;
	long len;
	bool in_order;
	int nr_cpus;

	ktap_plan(PLAN);
	len = read_text("/proc/cpuinfo", buf, BUF_SIZE);
	if (len <= 0) {
		ktap_diag("/proc/cpuinfo: %s", strerror(errno));
		return 1;
	}
	nr_cpus = count_blocks(buf, &in_order);
	uname(&u);
	test_layout(len, strcmp(u.machine, "x86_64") != 0);
	test_identity();
	test_flags();
	test_sizes_and_ids(nr_cpus);
	test_clock();
	return ktap_exit();
}
