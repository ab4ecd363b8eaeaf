# Host unit test of block/partitions/msdos.c: crafted MBR and EBR-chain
# images, good and bad (out of the disk, overlapping, looping), and a
# mutation pass.
unit-tests += msdos
unit-msdos-srcs := tests/unit/test_msdos.c block/partitions/msdos.c tests/unit/shim/shim.c
