# fs/sysfs/: sysfs, the kobject tree under /sys (nodes and active
# references, attribute files, groups, symlinks, the filesystem) and
# its ktest suite (sysfs).
obj-y += fs/sysfs/dir.o fs/sysfs/file.o fs/sysfs/group.o
obj-y += fs/sysfs/symlink.o fs/sysfs/mount.o
obj-$(CONFIG_KTEST) += fs/sysfs/sysfs_test.o
