# block/: the block layer: bios, the request queue, disks and their
# partitions (docs/block.md).
obj-y += block/bio.o block/blk-core.o block/genhd.o block/blk-sysfs.o
obj-y += block/partitions/core.o block/partitions/msdos.o
obj-$(CONFIG_KTEST) += block/blk_test.o
