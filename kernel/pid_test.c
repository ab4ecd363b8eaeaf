/*
 * ktest suite "pid": the order alloc_pid() hands numbers out in. A
 * number just freed must not come back at once (the cyclic order of
 * kernel/pid.c); the numbers go up from the last one handed out.
 *
 *	alloc a, b; free a; alloc c:   a < b < c, c != a
 */
#include <kestrel/ktest.h>
#include <kestrel/pid.h>

static void test_cyclic_order(struct ktest *t)
{
	int a, b, c;

	a = alloc_pid();
	KT_ASSERT_GT(t, a, 0);
	b = alloc_pid();
	KT_EXPECT_GT(t, b, a);
	free_pid(a);
	c = alloc_pid();
	KT_EXPECT_GT(t, c, b); /* not a again */
	KT_EXPECT_EQ(t, last_pid_allocated(), c);
	free_pid(b);
	free_pid(c);
}

/* Numbers outside the map are ignored, not freed. */
static void test_free_out_of_range(struct ktest *t)
{
	int a = alloc_pid();

	KT_ASSERT_GT(t, a, 0);
	free_pid(0);
	free_pid(-1);
	free_pid(PID_MAX_DEFAULT);
	KT_EXPECT_GT(t, alloc_pid(), a);
	free_pid(a);
	free_pid(last_pid_allocated());
}

static struct ktest_case pid_cases[] = {
	KTEST_CASE(test_cyclic_order),
	KTEST_CASE(test_free_out_of_range),
	{},
};
KTEST_SUITE(pid, pid_cases);
