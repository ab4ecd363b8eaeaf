# Host unit tests of include/kestrel/atomic.h and kref.h: header-only
# code, so the test is its only source (with threads racing on one
# counter; glibc has pthreads in libc itself).

unit-tests += atomic
unit-atomic-srcs := tests/unit/test_atomic.c
