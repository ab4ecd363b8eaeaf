/*
 * /proc/cpuinfo, in Linux's i386 layout (arch/x86/kernel/cpu/proc.c):
 * one block of "name\t: value" lines per online CPU, each ended by a
 * blank line, so that "grep -c processor /proc/cpuinfo" counts the
 * CPUs and programs that parse the file (glibc's get_nprocs fallback,
 * lscpu, build scripts) find their fields. The values come from the
 * architecture (<kestrel/cpuinfo.h>); only the layout is here.
 */
#include <kestrel/cpuinfo.h>
#include <kestrel/proc_fs.h>

#include "internal.h"

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

/* processor .. stepping, the clock and the cache. */
static void show_identity(struct seq_file *m, unsigned int cpu,
			  const struct cpu_desc *d)
{
	seq_printf(m,
		   "processor\t: %u\n"
		   "vendor_id\t: %s\n"
		   "cpu family\t: %u\n"
		   "model\t\t: %u\n"
		   "model name\t: %s\n"
		   "stepping\t: %u\n",
		   cpu, d->vendor, d->family, d->model, d->model_name,
		   d->stepping);
	if (d->khz)
		seq_printf(m, "cpu MHz\t\t: %lu.%03lu\n", d->khz / 1000,
			   d->khz % 1000);
	if (d->cache_kb)
		seq_printf(m, "cache size\t: %u KB\n", d->cache_kb);
}

/* The topology, then the i386 bug and FPU lines. */
static void show_core_and_misc(struct seq_file *m, const struct cpu_desc *d)
{
	seq_printf(m,
		   "physical id\t: %u\n"
		   "siblings\t: %u\n"
		   "core id\t\t: %u\n"
		   "cpu cores\t: %u\n"
		   "apicid\t\t: %u\n"
		   "initial apicid\t: %u\n",
		   d->phys_id, d->siblings, d->core_id, d->cores, d->apicid,
		   d->initial_apicid);
	seq_printf(m,
		   "fdiv_bug\t: %s\n"
		   "f00f_bug\t: %s\n"
		   "coma_bug\t: %s\n"
		   "fpu\t\t: %s\n"
		   "fpu_exception\t: %s\n"
		   "cpuid level\t: %d\n"
		   "wp\t\t: yes\n",
		   yes_no(d->fdiv_bug), yes_no(d->f00f_bug),
		   yes_no(d->coma_bug), yes_no(d->fpu), yes_no(d->fpu),
		   d->cpuid_level);
}

/* " name" for each set bit of @list ("[bit]" for a nameless one). */
static void show_list(struct seq_file *m, unsigned int cpu,
		      enum cpu_flag_list list)
{
	unsigned int pos = 0;
	const char *name;
	int bit;

	while ((bit = arch_cpu_next_flag(cpu, list, &pos, &name)) >= 0) {
		if (!name)
			seq_printf(m, " [%d]", bit);
		else if (*name)
			seq_printf(m, " %s", name);
	}
}

static void show_cpu(struct seq_file *m, unsigned int cpu,
		     const struct cpu_desc *d)
{
	show_identity(m, cpu, d);
	show_core_and_misc(m, d);
	seq_puts(m, "flags\t\t:");
	show_list(m, cpu, CPU_FLAGS);
	seq_puts(m, "\nbugs\t\t:");
	show_list(m, cpu, CPU_BUGS);
	seq_printf(m,
		   "\nbogomips\t: %lu.%02lu\n"
		   "clflush size\t: %u\n"
		   "cache_alignment\t: %u\n"
		   "address sizes\t: %u bits physical, %u bits virtual\n",
		   d->bogomips_x100 / 100, d->bogomips_x100 % 100,
		   d->clflush_size, d->cache_alignment, d->phys_bits,
		   d->virt_bits);
	seq_puts(m, "power management:");
	show_list(m, cpu, CPU_POWER);
	seq_puts(m, "\n\n");
}

int proc_cpuinfo(struct seq_file *m, const struct proc_ref *ref)
{
	struct cpu_desc d;
	unsigned int cpu;

	for (cpu = 0; arch_cpu_desc(cpu, &d); cpu++)
		show_cpu(m, cpu, &d);
	return 0;
}
