# user/bench/: the benchmark programs (DESIGN.md section 6, docs/bench.md).
# Static i386 programs, built into build/user/bench/:
#   kbench   the figures, one subcommand per group (figures.h)
#   diskbench  the raw-disk figures (subcommands disk, diskpio)
#   fsbench  the ext2 figures (subcommand fs; the image is the harness's)
#   exit0    a static glibc program that exits 0 (fork_exec_wait execs it)
#   tiny     a libc-less program that exits 0 (fork_exec_tiny execs it)
#   init     /init of the bench initramfs: runs every kbench group, powers off
# and build/bench-initramfs.cpio: /init,
# /bench/{kbench,diskbench,fsbench,exit0,tiny},
# /tmp, /dev.
#
#   make bench-progs       build the programs
#   make bench-initramfs   build the initramfs (make bench boots it on
#                          Kestrel, scripts/bench-linux on Linux)

BENCH_CC ?= $(CROSS_COMPILE)gcc
# figures.h leaves a subcommand's trailing fields (prog, on_request) out.
BENCH_CFLAGS := -std=gnu11 -static -O2 -Wall -Wextra -Werror -D_GNU_SOURCE \
	-Wno-missing-field-initializers -Iuser/bench

bench-progs-y := kbench diskbench fsbench exit0 init
bench-bins := $(addprefix $(B)/user/bench/,$(bench-progs-y) tiny)

bench-progs: $(bench-bins)

$(addprefix $(B)/user/bench/,$(bench-progs-y)): $(B)/user/bench/%: \
		user/bench/%.c user/bench/figures.h user/bench/benchutil.h \
		user/bench/Kbuild.mk
	@mkdir -p $(dir $@)
	$(quiet) USERCC $(@:$(B)/%=%)
	$(Q)$(BENCH_CC) $(BENCH_CFLAGS) -o $@ $<

# No C library, no start files: one page of code that calls exit(0).
$(B)/user/bench/tiny: user/bench/tiny.c user/bench/Kbuild.mk
	@mkdir -p $(dir $@)
	$(quiet) USERCC $(@:$(B)/%=%)
	$(Q)$(BENCH_CC) -static -nostdlib -nostartfiles -O2 -fno-pic -fno-pie \
		-no-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
		-Wl,--build-id=none -o $@ $<

$(B)/bench-initramfs.cpio: $(bench-bins)
	$(quiet) CPIO $@
	$(Q)rm -rf $(B)/user/bench/root && \
		mkdir -p $(B)/user/bench/root/bench $(B)/user/bench/root/dev \
			$(B)/user/bench/root/tmp && \
		chmod 1777 $(B)/user/bench/root/tmp && \
		cp $(B)/user/bench/init $(B)/user/bench/root/init && \
		cp $(B)/user/bench/kbench $(B)/user/bench/diskbench \
			$(B)/user/bench/fsbench \
			$(B)/user/bench/exit0 \
			$(B)/user/bench/tiny $(B)/user/bench/root/bench/ && \
		(cd $(B)/user/bench/root && find . -mindepth 1 | LC_ALL=C sort | \
			cpio --quiet -o -H newc --owner=0:0) > $@.tmp && \
		mv $@.tmp $@

bench-initramfs: $(B)/bench-initramfs.cpio

.PHONY: bench-progs bench-initramfs
