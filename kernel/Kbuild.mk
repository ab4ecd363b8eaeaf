# kernel/: the core: start_kernel, printk, panic, parameters, interrupts
# and softirqs, symbols, the test runner, tasks and kernel threads,
# sleeping locks.
#
# Test code goes only into the test kernel (make test, KTEST=1): every
# fragment names it on a line of its own,
#
#	obj-$(CONFIG_KTEST) += kernel/locking/locking_test.o
#
# which is obj-y there and obj- (never built) in the release kernel. That
# is every *_test.c suite, the runner and the fault self-tests below, and
# the helpers only tests call (fs/fs_test_util.o, arch/x86/setjmp.o).
# Code that calls into tests uses the stubs in <kestrel/ktest.h> and
# <kestrel/selftest.h>, which are empty in the release kernel.
obj-y += kernel/main.o kernel/printk.o kernel/panic.o kernel/params.o
obj-y += kernel/do_mounts.o
obj-$(CONFIG_KTEST) += kernel/do_mounts_test.o
obj-y += kernel/irq.o kernel/softirq.o kernel/kallsyms.o
obj-$(CONFIG_KTEST) += kernel/ktest.o kernel/selftest.o kernel/irq_test.o
obj-y += kernel/kthread.o kernel/pid.o kernel/cred.o
obj-$(CONFIG_KTEST) += kernel/pid_test.o
obj-y += kernel/fork.o kernel/exit.o kernel/signal.o kernel/sys_signal.o
obj-y += kernel/sys.o kernel/futex.o kernel/random.o kernel/reboot.o
obj-y += kernel/sysctl.o
obj-y += kernel/umh.o kernel/ksysfs.o
obj-y += kernel/locking/mutex.o kernel/locking/semaphore.o
obj-$(CONFIG_KTEST) += kernel/locking/locking_test.o
# The lock validator: in debug builds (DEBUG=1), as Linux's CONFIG_LOCKDEP.
ifeq ($(DEBUG),1)
obj-y += kernel/locking/lockdep.o
obj-$(CONFIG_KTEST) += kernel/locking/lockdep_test.o
endif
include kernel/sched/Kbuild.mk
include kernel/uapi.mk
include kernel/time/Kbuild.mk
obj-y += kernel/resource.o
obj-$(CONFIG_KTEST) += kernel/resource_test.o
