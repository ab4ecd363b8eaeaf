# Host unit tests of fs/: the newc cpio parser of the initramfs, with
# crafted good and malformed archives and a mutation fuzzer.
unit-tests += cpio
unit-cpio-srcs := tests/unit/test_cpio.c fs/cpio.c
