/*
 * Fault self-tests: `selftest=NAME` on the command line makes the kernel
 * commit a fault on purpose after boot, so the test harness can check
 * that each kind of failure is reported properly (message, registers,
 * symbolised backtrace) and ends QEMU with the failure status.
 *
 *   selftest=bad_free    double free, reserved-page free, wrong order;
 *                        reported, survived, then QEMU exits with success
 *   selftest=page_fault  a kernel NULL-pointer write: oops, then panic
 *   selftest=panic       panic() called directly
 *   selftest=bug         BUG_ON() on a false invariant
 *
 * Only the test kernel (CONFIG_KTEST) has them; in the release kernel
 * these are empty stubs and `selftest=` goes to init like any unknown
 * parameter.
 */
#ifndef _KESTREL_SELFTEST_H
#define _KESTREL_SELFTEST_H

#include <stdbool.h>

#ifdef CONFIG_KTEST
bool selftest_requested(void);
void run_selftest(void);
#else
static inline bool selftest_requested(void)
{
	return false;
}
static inline void run_selftest(void)
{
}
#endif

#endif /* _KESTREL_SELFTEST_H */
