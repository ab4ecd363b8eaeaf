# fs/: the VFS core (objects, path walk, open/read/write, mounts,
# descriptor tables), tmpfs, pipes, character devices, the initramfs
# unpacker, devtmpfs, and their ktest suites (vfs, tmpfs, pipe,
# initramfs, devtmpfs).
obj-y += fs/dcache.o fs/inode.o fs/super.o fs/filesystems.o fs/namespace.o
obj-y += fs/namei.o fs/nameops.o fs/open.o fs/attr.o fs/stat.o
obj-y += fs/read_write.o fs/readdir.o fs/iov_iter.o fs/file_table.o
obj-y += fs/file.o fs/fs_struct.o fs/libfs.o fs/char_dev.o fs/pipe.o
obj-y += fs/block_dev.o
obj-y += fs/tmpfs/inode.o fs/tmpfs/file.o
# Write-back of inodes, the flusher, the sync calls, drop_caches.
obj-y += fs/fs-writeback.o fs/sync.o fs/drop_caches.o
obj-$(CONFIG_KTEST) += fs/fs_writeback_test.o
obj-y += fs/cpio.o fs/initramfs.o
obj-$(CONFIG_KTEST) += fs/fs_test_util.o
obj-$(CONFIG_KTEST) += fs/vfs_test.o fs/tmpfs/tmpfs_test.o fs/pipe_test.o
obj-$(CONFIG_KTEST) += fs/initramfs_test.o
obj-y += fs/exec.o fs/binfmt_elf.o fs/devtmpfs.o
obj-$(CONFIG_KTEST) += fs/devtmpfs_test.o
obj-y += fs/coredump.o fs/binfmt_elf_core.o
obj-y += fs/devpts/inode.o
# The system-call layer over the VFS (descriptors, names, poll/select)
# and its ktest suite (fs_syscalls).
obj-y += fs/syscalls_rw.o fs/path_syscalls.o fs/select.o
obj-y += fs/sendfile.o
# Native AIO (io_setup...) and eventfd, on anonymous inodes.
obj-y += fs/aio.o fs/eventfd.o fs/anon_inodes.o
obj-$(CONFIG_KTEST) += fs/syscalls_test.o
include fs/proc/Kbuild.mk
include fs/sysfs/Kbuild.mk
# Buffer heads (disk blocks in the page cache) and ext2.
obj-y += fs/buffer.o
obj-y += fs/ext2/super.o fs/ext2/inode.o fs/ext2/dir.o fs/ext2/namei.o
obj-y += fs/ext2/balloc.o fs/ext2/ialloc.o fs/ext2/file.o fs/ext2/symlink.o
obj-$(CONFIG_KTEST) += fs/ext2/ext2_test.o
