/*
 * Kernel services for host unit tests of mm/: printk (to stdout, each
 * line prefixed "# " so that the KTAP stream stays valid), panic (abort),
 * dump_stack and __warn (a line and a counter), scnprintf (glibc has
 * none), a jiffies that never ticks, backtraces that are empty and
 * symbols that are bare addresses (the slab's tracks), the lock
 * validator's hooks (no tasks here: nothing to track,
 * every lock counts as held), and the simulated physical memory behind
 * <asm/page.h>.
 *
 * memset, memcpy and snprintf come from glibc: these tests do not build
 * lib/, which has its own host tests.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"
#include <kestrel/swap.h>
#include <kestrel/bug.h>
#include <kestrel/irqflags.h>
#include <kestrel/kallsyms.h>
#include <kestrel/preempt.h>
#include <kestrel/kstrtox.h>
#include <kestrel/lockdep.h>
#include <kestrel/printk.h>
#include <kestrel/stacktrace.h>
#include <kestrel/time.h>

/* The simulated direct map is aligned like a 4 MiB block of RAM. */
#define HOST_PHYS_ALIGN (4UL << 20)

uintptr_t host_phys_base;
unsigned long host_irq_flags = X86_EFLAGS_IF;
unsigned long host_dump_stack_calls;
unsigned long host_warn_calls;
unsigned long host_printk_errors;
int host_printk_quiet;
volatile unsigned long jiffies;

static int printk_at_line_start = 1;

#ifdef CONFIG_DEBUG /* the benchmarks build without: lockdep.h's macros */
void lockdep_init_map(struct lockdep_map *map, const char *name,
		      struct lock_class_key *key)
{
}

void lock_acquire(struct lockdep_map *map, unsigned int subclass, int trylock,
		  unsigned long ip)
{
}

void lock_release(struct lockdep_map *map, unsigned long ip)
{
}

bool lock_is_held(const struct lockdep_map *map)
{
	return true;
}
#endif

void __might_sleep(const char *file, int line)
{
}

void host_phys_setup(unsigned long bytes)
{
	void *mem = aligned_alloc(HOST_PHYS_ALIGN, bytes);

	if (!mem) {
		fprintf(stderr, "shim: cannot allocate %lu bytes\n", bytes);
		abort();
	}
	memset(mem, 0x5a, bytes);
	host_phys_base = (uintptr_t)mem;
}

/* Skip a "<N>" or "<c>" level marker. */
static const char *skip_level(const char *fmt)
{
	if (fmt[0] == '<' && fmt[1] && fmt[2] == '>')
		return fmt + 3;
	return fmt;
}

int vprintk(const char *fmt, va_list args)
{
	char buf[1024];
	const char *p;
	int len;

	if (fmt[0] == '<' && fmt[1] >= '0' && fmt[1] <= '3' && fmt[2] == '>')
		host_printk_errors++;
	len = vsnprintf(buf, sizeof(buf), skip_level(fmt), args);
	if (host_printk_quiet)
		return len;
	for (p = buf; *p; p++) {
		if (printk_at_line_start)
			fputs("# ", stdout);
		putchar(*p);
		printk_at_line_start = *p == '\n';
	}
	return len;
}

int printk(const char *fmt, ...)
{
	va_list args;
	int len;

	va_start(args, fmt);
	len = vprintk(fmt, args);
	va_end(args);
	return len;
}

void panic(const char *fmt, ...)
{
	va_list args;

	printf("\n# Kernel panic - not syncing: ");
	va_start(args, fmt);
	vprintf(fmt, args);
	va_end(args);
	printf("\n");
	fflush(stdout);
	abort();
}

void dump_stack(void)
{
	host_dump_stack_calls++;
	printk("Call Trace: (not available on the host)\n");
}

unsigned int stack_trace_save(unsigned long *entries, unsigned int max,
			      unsigned int skip)
{
	return 0;
}

int sprint_symbol(char *buf, size_t len, unsigned long addr)
{
	return scnprintf(buf, len, "0x%lx", addr);
}

/* No scheduler on the host: nothing to preempt to. */
/* The host has no page cache to reclaim from. */
unsigned long shrink_page_cache(gfp_t gfp, unsigned long nr)
{
	(void)gfp;
	(void)nr;
	return 0;
}

void preempt_schedule(void)
{
}

void __warn(const char *file, int line, const char *cond)
{
	host_warn_calls++;
	printk("WARNING: at %s:%d: %s\n", file, line, cond);
	dump_stack();
}

int vscnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	int len;

	if (!size)
		return 0;
	len = vsnprintf(buf, size, fmt, args);
	if (len < 0)
		return 0;
	return (size_t)len < size ? len : (int)(size - 1);
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int len;

	va_start(args, fmt);
	len = vscnprintf(buf, size, fmt, args);
	va_end(args);
	return len;
}
