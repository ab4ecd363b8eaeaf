/*
 * Deliberate faults for the test harness (see <kestrel/selftest.h>).
 * Each function is noinline so it shows up by name in the backtrace the
 * harness looks for.
 */
#include <kestrel/errno.h>
#include <kestrel/init.h>
#include <kestrel/mm.h>
#include <kestrel/panic.h>
#include <kestrel/printk.h>
#include <kestrel/reboot.h>
#include <kestrel/selftest.h>
#include <kestrel/string.h>

static char selftest_name[32];
/* A small address in the unmapped first page: a NULL-pointer access. */
static volatile uintptr_t selftest_fault_address = 0x10;

static int selftest_param(char *value)
{
	if (!value)
		return -EINVAL;
	strlcpy(selftest_name, value, sizeof(selftest_name));
	return 0;
}
early_param("selftest", selftest_param);

bool selftest_requested(void)
{
	return selftest_name[0] != '\0';
}

static __noinline void selftest_bad_free(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	struct page *pair = alloc_pages(GFP_KERNEL, 1);
	unsigned long before = atomic_long_read(&page_alloc_bad_frees);

	if (!page || !pair)
		panic("selftest: cannot allocate test pages");
	__free_pages(page, 0);
	__free_pages(page, 0); /* double free */
	__free_pages(pfn_to_page(0), 0); /* a reserved page */
	__free_pages(pair, 0); /* wrong order */
	__free_pages(pair, 1);
	pr_info("selftest: bad_free: %lu bad frees reported\n",
		atomic_long_read(&page_alloc_bad_frees) - before);
	arch_qemu_exit(atomic_long_read(&page_alloc_bad_frees) - before == 3 ?
			       KESTREL_EXIT_SUCCESS :
			       KESTREL_EXIT_FAILURE);
}

static __noinline void selftest_page_fault(void)
{
	/* Read the address from memory so the compiler cannot see it. */
	volatile int *bad = (volatile int *)selftest_fault_address;

	pr_info("selftest: writing to a NULL pointer\n");
	*bad = 1;
	panic("selftest: the NULL write did not fault");
}

static __noinline void selftest_panic(void)
{
	panic("selftest: panic on purpose");
}

static __noinline void selftest_bug(void)
{
	volatile int invariant = 0;

	BUG_ON(invariant == 0);
}

void run_selftest(void)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} tests[] = {
		{ "bad_free", selftest_bad_free },
		{ "page_fault", selftest_page_fault },
		{ "panic", selftest_panic },
		{ "bug", selftest_bug },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		if (!strcmp(selftest_name, tests[i].name)) {
			pr_info("selftest: running %s\n", tests[i].name);
			tests[i].fn();
			return;
		}
	}
	pr_err("selftest: unknown test '%s'\n", selftest_name);
	arch_qemu_exit(KESTREL_EXIT_FAILURE);
}
