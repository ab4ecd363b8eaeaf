# Host unit test of the pure time arithmetic in kernel/time/time.c:
# mktime64, rtc_time_valid, jiffies/milliseconds and nanoseconds, clock_t,
# the timespec/timeval checks of <kestrel/time64.h>.
unit-tests += time
unit-time-srcs := tests/unit/test_time.c kernel/time/time.c
