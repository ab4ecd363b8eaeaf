# Time and timers: the tick's bookkeeping, the monotonic clock, the timer
# wheel and their tests. The clock hardware is in arch/x86/time.mk.
obj-y += kernel/time/time.o
obj-y += kernel/time/itimer.o kernel/time/time_sys.o
obj-y += kernel/time/timekeeping.o
obj-y += kernel/time/timer.o
obj-$(CONFIG_KTEST) += kernel/time/timer_test.o
