# kernel/: the core: start_kernel, printk, panic, parameters, interrupts
# and softirqs, symbols, the test runner, tasks and kernel threads,
# sleeping locks.
obj-y += kernel/main.o kernel/printk.o kernel/panic.o kernel/params.o
obj-y += kernel/irq.o kernel/softirq.o kernel/kallsyms.o
obj-y += kernel/ktest.o kernel/selftest.o kernel/irq_test.o
obj-y += kernel/kthread.o kernel/pid.o kernel/cred.o
obj-y += kernel/fork.o kernel/exit.o kernel/signal.o kernel/sys_signal.o
obj-y += kernel/sys.o kernel/futex.o kernel/random.o kernel/reboot.o
obj-y += kernel/sysctl.o
obj-y += kernel/umh.o kernel/ksysfs.o
obj-y += kernel/locking/mutex.o kernel/locking/semaphore.o
obj-y += kernel/locking/locking_test.o
include kernel/sched/Kbuild.mk
include kernel/uapi.mk
include kernel/time/Kbuild.mk
obj-y += kernel/resource.o kernel/resource_test.o
