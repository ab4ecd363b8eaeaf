/*
 * ktest: the in-kernel test runner, in the manner of Linux's KUnit.
 *
 * A suite is a named array of cases, registered in the .ktest_suites
 * linker section with KTEST_SUITE(). The command line parameter `ktest`
 * runs every suite, `ktest=a,b` runs suites a and b. Results are KTAP:
 * one subtest per suite, one line per case.
 *
 *	static void test_split(struct ktest *t)
 *	{
 *		KT_EXPECT_EQ(t, nr_free(zone, 3), 8);
 *	}
 *	static struct ktest_case buddy_cases[] = {
 *		KTEST_CASE(test_split),
 *		{}
 *	};
 *	KTEST_SUITE(buddy, buddy_cases);
 *
 * KT_EXPECT_* records a failure and goes on; KT_ASSERT_* records it and
 * ends the case at once (the runner longjmps back out of it).
 *
 * Suites, the runner and its helpers are built only into the test kernel
 * (CONFIG_KTEST: make test, or KTEST=1; a fragment lists a suite with
 * obj-$(CONFIG_KTEST), see kernel/Kbuild.mk). The release kernel sees
 * only the empty stubs at the end of this header.
 */
#ifndef _KESTREL_KTEST_H
#define _KESTREL_KTEST_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>

struct ktest;

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
};

struct ktest_suite {
	const char *name;
	struct ktest_case *cases; /* ends with an all-zero entry */
	int (*init)(struct ktest *t); /* before each case; may be NULL */
	void (*exit)(struct ktest *t); /* after each case; may be NULL */
	bool explicit_only; /* only when ktest= names it (needs its disks) */
};

#define KTEST_CASE(fn)                 \
	{                              \
		.name = #fn, .run = fn \
	}

#define KTEST_SUITE(sname, scases)                                             \
	static const struct ktest_suite __ktest_suite_##sname = {              \
		.name = #sname,                                                \
		.cases = scases,                                               \
	};                                                                     \
	static const struct ktest_suite *__ktest_ptr_##sname __used __section( \
		".ktest_suites") = &__ktest_suite_##sname

#define KTEST_SUITE_FULL(sname, scases, sinit, sexit)                          \
	static const struct ktest_suite __ktest_suite_##sname = {              \
		.name = #sname,                                                \
		.cases = scases,                                               \
		.init = sinit,                                                 \
		.exit = sexit,                                                 \
	};                                                                     \
	static const struct ktest_suite *__ktest_ptr_##sname __used __section( \
		".ktest_suites") = &__ktest_suite_##sname

/* A suite that runs only when ktest= names it: one that needs what a
 * particular boot of scripts/run-tests attaches (disks made by mke2fs). */
#define KTEST_SUITE_EXPLICIT(sname, scases)                                    \
	static const struct ktest_suite __ktest_suite_##sname = {              \
		.name = #sname,                                                \
		.cases = scases,                                               \
		.explicit_only = true,                                         \
	};                                                                     \
	static const struct ktest_suite *__ktest_ptr_##sname __used __section( \
		".ktest_suites") = &__ktest_suite_##sname

/* Record a failure of the current case with a message (printed as KTAP
 * diagnostics). Used by the KT_* macros. */
void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt,
		...) __printf(4, 5);
/* End the current case now (after a failed assertion). */
void __noreturn ktest_abort(struct ktest *t);
/* Mark the current case skipped, with a reason, and end it. */
void __noreturn ktest_skip(struct ktest *t, const char *reason);
/* Per-case private pointer, for init/exit to hand state to the case. */
void *ktest_priv(struct ktest *t);
void ktest_set_priv(struct ktest *t, void *priv);

#define KT_EXPECT_TRUE(t, cond)                                      \
	do {                                                         \
		if (!(cond))                                         \
			ktest_fail(t, __FILE__, __LINE__,            \
				   "expected %s to be true", #cond); \
	} while (0)

#define KT_EXPECT_FALSE(t, cond)                                      \
	do {                                                          \
		if (cond)                                             \
			ktest_fail(t, __FILE__, __LINE__,             \
				   "expected %s to be false", #cond); \
	} while (0)

#define __KT_CMP(t, a, op, b, onfail)                                      \
	do {                                                               \
		long long __a = (long long)(a), __b = (long long)(b);      \
		if (!(__a op __b)) {                                       \
			ktest_fail(t, __FILE__, __LINE__,                  \
				   "expected %s %s %s (%lld vs %lld)", #a, \
				   #op, #b, __a, __b);                     \
			onfail;                                            \
		}                                                          \
	} while (0)

#define KT_EXPECT_EQ(t, a, b) __KT_CMP(t, a, ==, b, (void)0)
#define KT_EXPECT_NE(t, a, b) __KT_CMP(t, a, !=, b, (void)0)
#define KT_EXPECT_LT(t, a, b) __KT_CMP(t, a, <, b, (void)0)
#define KT_EXPECT_LE(t, a, b) __KT_CMP(t, a, <=, b, (void)0)
#define KT_EXPECT_GT(t, a, b) __KT_CMP(t, a, >, b, (void)0)
#define KT_EXPECT_GE(t, a, b) __KT_CMP(t, a, >=, b, (void)0)
#define KT_EXPECT_NULL(t, p) KT_EXPECT_TRUE(t, (p) == NULL)
#define KT_EXPECT_NOT_NULL(t, p) KT_EXPECT_TRUE(t, (p) != NULL)

#define KT_ASSERT_TRUE(t, cond)                                   \
	do {                                                      \
		if (!(cond)) {                                    \
			ktest_fail(t, __FILE__, __LINE__,         \
				   "assertion %s failed", #cond); \
			ktest_abort(t);                           \
		}                                                 \
	} while (0)

#define KT_ASSERT_EQ(t, a, b) __KT_CMP(t, a, ==, b, ktest_abort(t))
#define KT_ASSERT_NE(t, a, b) __KT_CMP(t, a, !=, b, ktest_abort(t))
#define KT_ASSERT_GE(t, a, b) __KT_CMP(t, a, >=, b, ktest_abort(t))
#define KT_ASSERT_GT(t, a, b) __KT_CMP(t, a, >, b, ktest_abort(t))
#define KT_ASSERT_NOT_NULL(t, p) KT_ASSERT_TRUE(t, (p) != NULL)

#ifdef CONFIG_KTEST
/* Run the suites named on the command line (all if "ktest" was bare).
 * Returns the number of failed cases. */
int ktest_run_all(void);
/* True when the command line asked for ktest. */
bool ktest_requested(void);
#else
/* The release kernel has no suites: `ktest` is an unknown word there,
 * handed to init like any other. */
static inline int ktest_run_all(void)
{
	return 0;
}
static inline bool ktest_requested(void)
{
	return false;
}
#endif

#endif /* _KESTREL_KTEST_H */
