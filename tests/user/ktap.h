/*
 * A tiny KTAP producer for Kestrel's user-space test programs (DESIGN.md
 * section 5, tier 3). The programs are static i386 binaries built against
 * glibc; the same binary runs inside Kestrel and on Linux, which is the
 * oracle: a test that passes on Linux must pass on Kestrel.
 *
 *	int main(void)
 *	{
 *		ktap_plan(3);
 *		ktap_ok(getpid() > 0, "getpid is positive");
 *		EXPECT_ERRNO(close(-1), EBADF);
 *		if (geteuid() != 0)
 *			ktap_skip("chroot", "needs root");
 *		else
 *			EXPECT_SUCCESS(chroot("/"));
 *		return ktap_exit();
 *	}
 *
 * Every check prints one "ok N ..." or "not ok N ..." line; diagnostics
 * start with "# ". stdout is unbuffered so that a fork() never duplicates
 * pending output and lines from parent and child do not mix: each printf
 * is a single write(). Only the process that called ktap_plan() reports
 * results; a forked child reports to its parent through its exit status.
 */
#ifndef _TESTS_USER_KTAP_H
#define _TESTS_USER_KTAP_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int ktap_planned, ktap_num, ktap_failed, ktap_skipped;

/* Print the header and the plan: @n results will follow. */
static inline void ktap_plan(int n)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	ktap_planned = n;
	printf("KTAP version 1\n1..%d\n", n);
}

/* Print a diagnostic line: "# " and the formatted text. */
static inline __attribute__((format(printf, 1, 2))) void
ktap_diag(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("# %s\n", buf);
}

static inline void ktap_vresult(bool ok, const char *directive, const char *fmt,
				va_list ap)
{
	char name[256];

	vsnprintf(name, sizeof(name), fmt, ap);
	ktap_num++;
	if (!ok)
		ktap_failed++;
	printf("%s %d %s%s\n", ok ? "ok" : "not ok", ktap_num, name, directive);
}

/*
 * Report one result named by @fmt. Returns @cond, so a caller can add
 * diagnostics when it failed.
 */
static inline __attribute__((format(printf, 2, 3))) bool
ktap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ktap_vresult(cond, "", fmt, ap);
	va_end(ap);
	return cond;
}

/* Report result @name as skipped, for the reason @fmt. */
static inline __attribute__((format(printf, 2, 3))) void
ktap_skip(const char *name, const char *fmt, ...)
{
	char directive[256];
	va_list ap;

	va_start(ap, fmt);
	strcpy(directive, " # SKIP ");
	vsnprintf(directive + 8, sizeof(directive) - 8, fmt, ap);
	va_end(ap);
	ktap_skipped++;
	ktap_num++;
	printf("ok %d %s%s\n", ktap_num, name, directive);
}

/*
 * Finish the document: print totals and return main()'s exit status,
 * 0 when every planned result was reported and none failed, 1 otherwise.
 */
static inline int ktap_exit(void)
{
	if (ktap_num != ktap_planned) {
		ktap_diag("planned %d results, reported %d", ktap_planned,
			  ktap_num);
		ktap_failed++;
	}
	ktap_diag("totals: pass:%d fail:%d skip:%d",
		  ktap_num - ktap_failed - ktap_skipped, ktap_failed,
		  ktap_skipped);
	return ktap_failed ? 1 : 0;
}

/* The symbolic name of an errno value, for diagnostics. */
static inline const char *ktap_errname(int err)
{
	const char *s = strerrorname_np(err);

	return s ? s : "?";
}

/*
 * EXPECT_ERRNO(call, ERR): @call must fail with -1 and set errno to @ERR.
 * The result is named after the call's text; evaluates to the check.
 */
#define EXPECT_ERRNO(call, err) ktap_expect_errno((long)(call), (err), #call)

static inline bool ktap_expect_errno(long ret, int err, const char *text)
{
	int got = errno;
	bool ok = ret == -1 && got == err;

	if (!ktap_ok(ok, "%s fails with %s", text, ktap_errname(err)))
		ktap_diag("returned %ld, errno %d (%s)", ret, got,
			  ret == -1 ? ktap_errname(got) : "unchanged");
	errno = 0;
	return ok;
}

/* EXPECT_SUCCESS(call): @call must return a value other than -1. */
#define EXPECT_SUCCESS(call) ktap_expect_success((long)(call), #call)

static inline bool ktap_expect_success(long ret, const char *text)
{
	int got = errno;
	bool ok = ret != -1;

	if (!ktap_ok(ok, "%s succeeds", text))
		ktap_diag("failed with errno %d (%s)", got, ktap_errname(got));
	return ok;
}

/* EXPECT_EQ(a, b): two integer expressions must be equal. */
#define EXPECT_EQ(a, b) \
	ktap_expect_eq((long long)(a), (long long)(b), #a " == " #b)

static inline bool ktap_expect_eq(long long a, long long b, const char *text)
{
	bool ok = a == b;

	if (!ktap_ok(ok, "%s", text))
		ktap_diag("%lld != %lld", a, b);
	return ok;
}

#endif /* _TESTS_USER_KTAP_H */
