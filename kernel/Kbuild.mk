# kernel/: the core: start_kernel, printk, panic, parameters, interrupts
# and softirqs, symbols, the test runner.
obj-y += kernel/main.o kernel/printk.o kernel/panic.o kernel/params.o
obj-y += kernel/irq.o kernel/softirq.o kernel/kallsyms.o
obj-y += kernel/ktest.o kernel/selftest.o kernel/irq_test.o
include kernel/time/Kbuild.mk
