# The PC's clock hardware: the 8254 PIT (tick and calibration one-shot),
# the TSC, and the CMOS real-time clock. Included by arch/x86/Kbuild.mk.
obj-y += arch/x86/pit.o
obj-y += arch/x86/tsc.o
obj-y += arch/x86/rtc.o
