# arch/x86/: everything machine-specific.
obj-y += arch/x86/entry.o arch/x86/switch.o
# arch_setjmp()/arch_longjmp(): only the ktest runner uses them.
obj-$(CONFIG_KTEST) += arch/x86/setjmp.o
obj-y += arch/x86/process.o arch/x86/usercopy.o arch/x86/uaccess.o
obj-y += arch/x86/fpu.o arch/x86/acpi.o arch/x86/signal.o arch/x86/syscall.o
obj-y += arch/x86/syscall_32.o arch/x86/tls.o
obj-$(CONFIG_KTEST) += arch/x86/syscall_test.o
obj-y += arch/x86/syscall_trace.o
obj-y += arch/x86/cpu.o arch/x86/cpuinfo.o arch/x86/gdt.o arch/x86/idt.o arch/x86/traps.o
obj-y += arch/x86/i8259.o arch/x86/irq.o
obj-y += arch/x86/multiboot.o arch/x86/setup.o arch/x86/paging.o
obj-y += arch/x86/stacktrace.o arch/x86/reboot.o
include arch/x86/time.mk
obj-y += arch/x86/resource.o
