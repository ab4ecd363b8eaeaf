/*
 * ktest suite "syscall_table": every system call the kernel defines
 * (a sys_* function from SYSCALL_DEFINEn) must be reachable through
 * sys_call_table, or it is dead code and user programs get ENOSYS.
 * This caught calls lost from the table's list once.
 */
#include <asm/acpi.h>
#include <kestrel/kallsyms.h>
#include <kestrel/ktest.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <uapi/unistd_32.h>

#include "syscall.h"

struct table_check {
	struct ktest *t;
	unsigned int found;
};

static bool in_table(unsigned long addr)
{
	unsigned int i;

	for (i = 0; i < NR_syscalls; i++)
		if ((unsigned long)sys_call_table[i] == addr)
			return true;
	return false;
}

static void check_symbol(const char *name, unsigned long addr, void *arg)
{
	struct table_check *c = arg;

	if (strncmp(name, "sys_", 4) || !strcmp(name, "sys_ni_syscall") ||
	    !strcmp(name, "sys_call_table"))
		return;
	c->found++;
	if (!in_table(addr))
		ktest_fail(c->t, __FILE__, __LINE__,
			   "%s is defined but not in sys_call_table", name);
}

static void test_every_syscall_in_table(struct ktest *t)
{
	struct table_check c = { .t = t };

	kallsyms_for_each(check_symbol, &c);
	KT_EXPECT_GT(t, c.found, 100);
}

static void test_unknown_numbers_are_empty(struct ktest *t)
{
	unsigned int nr, unassigned = 0;

	/* Numbers Linux never assigned have no name and stay NULL: ENOSYS. */
	for (nr = 0; nr < NR_syscalls; nr++) {
		if (syscall_name(nr))
			continue;
		unassigned++;
		KT_EXPECT_NULL(t, sys_call_table[nr]);
	}
	KT_EXPECT_GT(t, unassigned, 0);
	KT_EXPECT_NULL(t, syscall_name(NR_syscalls));
	KT_EXPECT_NOT_NULL(t, sys_call_table[__NR_getpid]);
	KT_EXPECT_NOT_NULL(t, sys_call_table[__NR_execve]);
}

/* reboot(POWER_OFF) relies on the ACPI tables QEMU's pc machine has. */
static void test_acpi_power_off_found(struct ktest *t)
{
	KT_EXPECT_TRUE(t, acpi_power_off_available());
}

static struct ktest_case syscall_table_cases[] = {
	KTEST_CASE(test_acpi_power_off_found),
	KTEST_CASE(test_every_syscall_in_table),
	KTEST_CASE(test_unknown_numbers_are_empty),
	{},
};
KTEST_SUITE(syscall_table, syscall_table_cases);
