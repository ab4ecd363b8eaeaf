/*
 * A minimal KTAP producer for host unit tests. Each test binary is one
 * KTAP document: a plan, then one result line per case.
 *
 *	int main(void)
 *	{
 *		ktap_plan(2);
 *		ktap_result(check_a(), "a");
 *		ktap_result(check_b(), "b");
 *		return ktap_finish();
 *	}
 *
 * ktap_check() inside a case prints a diagnostic and clears the case's
 * ok flag when its condition fails.
 */
#ifndef _TESTS_UNIT_KTAP_H
#define _TESTS_UNIT_KTAP_H

#include <stdbool.h>
#include <stdio.h>

static int ktap_num, ktap_failed;

static inline void ktap_plan(int n)
{
	printf("KTAP version 1\n1..%d\n", n);
}

static inline void ktap_result(bool ok, const char *name)
{
	ktap_num++;
	if (!ok)
		ktap_failed++;
	printf("%s %d %s\n", ok ? "ok" : "not ok", ktap_num, name);
	fflush(stdout);
}

static inline int ktap_finish(void)
{
	return ktap_failed ? 1 : 0;
}

#define ktap_check(okvar, cond, ...)                                    \
	do {                                                            \
		if (!(cond)) {                                          \
			printf("# %s:%d: check failed: %s: ", __FILE__, \
			       __LINE__, #cond);                        \
			printf(__VA_ARGS__);                            \
			printf("\n");                                   \
			(okvar) = false;                                \
		}                                                       \
	} while (0)

#endif /* _TESTS_UNIT_KTAP_H */
