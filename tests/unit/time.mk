# Host unit test of the pure time arithmetic in kernel/time/time.c:
# mktime64, rtc_time_valid, jiffies/milliseconds, 64-by-32-bit division.
unit-tests += time
unit-time-srcs := tests/unit/test_time.c kernel/time/time.c
