# mm/: boot allocator, buddy page allocator, slab/kmalloc, vmalloc, and
# their in-kernel ktest suites.
obj-y += mm/memblock.o mm/page_alloc.o mm/slab.o mm/vmalloc.o mm/vmstat.o
obj-$(CONFIG_KTEST) += mm/page_alloc_test.o mm/slab_test.o mm/filemap_test.o
include mm/vm.mk
obj-y += mm/mmap_sys.o
obj-y += mm/ioremap.o
obj-y += mm/filemap.o mm/readahead.o mm/page-writeback.o mm/truncate.o mm/vmscan.o
