# Host unit tests and benchmarks of mm/: the kernel's own memblock.c,
# page_alloc.c, vmstat.c and slab.c, built against the shim in
# tests/unit/shim/ (simulated physical memory, printk to KTAP
# comments). Of lib/, only bitmap.c (the slab's free-object search) is
# built: glibc provides memset and snprintf here.

mm-host-srcs := mm/memblock.c mm/page_alloc.c mm/vmstat.c tests/unit/shim/shim.c

unit-tests += buddy slab
unit-buddy-srcs := tests/unit/test_buddy.c $(mm-host-srcs)
unit-slab-srcs := tests/unit/test_slab.c mm/slab.c lib/bitmap.c $(mm-host-srcs)

unit-benches += bench_mm
unit-bench_mm-srcs := tests/unit/bench_mm.c mm/slab.c lib/bitmap.c \
	$(mm-host-srcs)
