# Address spaces: VMAs and mmap (mm/mmap.c), page faults and COW
# (mm/memory.c), madvise (mm/madvise.c), user pages for the kernel
# (mm/gup.c), overcommit accounting (mm/overcommit.c), their ktest
# suite `vm`, the x86 page-table and page-fault code they sit on, and
# the red-black tree the VMAs use.
# Included from mm/Kbuild.mk.
obj-y += mm/mmap.o mm/memory.o mm/madvise.o mm/gup.o mm/overcommit.o
obj-y += mm/filemap_fault.o mm/msync.o
obj-$(CONFIG_KTEST) += mm/mm_test.o
obj-y += arch/x86/pgtable.o arch/x86/fault.o
obj-y += lib/rbtree.o
