/*
 * The ktest runner: runs the suites registered with KTEST_SUITE() (the
 * .ktest_suites section) and reports in KTAP, the format of Linux's
 * KUnit, which scripts/run-tests parses:
 *
 *	KTAP version 1
 *	1..2
 *	    KTAP version 1
 *	    # Subtest: page_alloc
 *	    1..2
 *	    ok 1 alloc_free_each_order
 *	    not ok 2 split_and_merge
 *	    # page_alloc_test.c:40: expected nr == 8 (2 vs 8)
 *	not ok 1 page_alloc
 *
 * A case that fails an assertion is left through arch_longjmp() back
 * into run_case(); its exit hook still runs. `ktest` on the command
 * line runs everything; `ktest=a,b` runs the suites a and b.
 */
#include <asm/setjmp.h>
#include <kestrel/init.h>
#include <kestrel/kstrtox.h>
#include <kestrel/ktest.h>
#include <kestrel/printk.h>
#include <kestrel/string.h>

#define KTEST_FILTER_MAX 256

struct ktest {
	const struct ktest_suite *suite;
	const struct ktest_case *kcase;
	bool failed;
	const char *skip_reason;
	void *priv;
	struct arch_jmp_buf abort_jb;
};

extern const struct ktest_suite *const __ktest_suites_start[];
extern const struct ktest_suite *const __ktest_suites_end[];

static bool ktest_enabled;
static char ktest_filter[KTEST_FILTER_MAX]; /* "" runs every suite */

static int ktest_param(char *value)
{
	ktest_enabled = true;
	if (value)
		strlcpy(ktest_filter, value, sizeof(ktest_filter));
	return 0;
}
early_param("ktest", ktest_param);

bool ktest_requested(void)
{
	return ktest_enabled;
}

/* Is @suite one of the comma-separated names in the filter (or is the
 * filter empty and the suite not one that must be named)? */
static bool suite_selected(const struct ktest_suite *suite)
{
	const char *p = ktest_filter, *name = suite->name;
	size_t len = strlen(name);

	if (!*p)
		return !suite->explicit_only;
	while (*p) {
		if (!strncmp(p, name, len) && (p[len] == ',' || !p[len]))
			return true;
		p = strchr(p, ',');
		if (!p)
			break;
		p++;
	}
	return false;
}

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt,
		...)
{
	char msg[256];
	const char *base = strrchr(file, '/');
	va_list args;

	va_start(args, fmt);
	vscnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	t->failed = true;
	pr_info("    # %s:%d: %s\n", base ? base + 1 : file, line, msg);
}

void ktest_abort(struct ktest *t)
{
	arch_longjmp(&t->abort_jb, 1);
}

void ktest_skip(struct ktest *t, const char *reason)
{
	t->skip_reason = reason;
	arch_longjmp(&t->abort_jb, 1);
}

void *ktest_priv(struct ktest *t)
{
	return t->priv;
}

void ktest_set_priv(struct ktest *t, void *priv)
{
	t->priv = priv;
}

/* Run one case with the suite's hooks; true if it passed (or skipped). */
static bool run_case(const struct ktest_suite *suite,
		     const struct ktest_case *kcase, unsigned int num)
{
	struct ktest t = { .suite = suite, .kcase = kcase };

	if (suite->init && suite->init(&t)) {
		t.failed = true;
		pr_info("    # %s: suite init failed\n", kcase->name);
	} else {
		if (!arch_setjmp(&t.abort_jb))
			kcase->run(&t);
		if (suite->exit)
			suite->exit(&t);
	}
	if (t.skip_reason)
		pr_info("    ok %u %s # SKIP %s\n", num, kcase->name,
			t.skip_reason);
	else
		pr_info("    %s %u %s\n", t.failed ? "not ok" : "ok", num,
			kcase->name);
	return !t.failed;
}

static unsigned int count_cases(const struct ktest_suite *suite)
{
	unsigned int n = 0;

	while (suite->cases[n].run)
		n++;
	return n;
}

/* Returns the number of failed cases of @suite. */
static int run_suite(const struct ktest_suite *suite, unsigned int num)
{
	unsigned int i, n = count_cases(suite);
	int failed = 0;

	pr_info("    KTAP version 1\n");
	pr_info("    # Subtest: %s\n", suite->name);
	pr_info("    1..%u\n", n);
	for (i = 0; i < n; i++)
		if (!run_case(suite, &suite->cases[i], i + 1))
			failed++;
	pr_info("%s %u %s\n", failed ? "not ok" : "ok", num, suite->name);
	return failed;
}

int ktest_run_all(void)
{
	const struct ktest_suite *const *s;
	unsigned int nr = 0, num = 0;
	int failed = 0;

	for (s = __ktest_suites_start; s < __ktest_suites_end; s++)
		if (suite_selected(*s))
			nr++;
	pr_info("KTAP version 1\n");
	pr_info("1..%u\n", nr);
	for (s = __ktest_suites_start; s < __ktest_suites_end; s++)
		if (suite_selected(*s))
			failed += run_suite(*s, ++num);
	pr_info("# ktest: %u suites, %d failed cases\n", nr, failed);
	return failed;
}
