# tests/user/: tier-3 test programs (DESIGN.md section 5). Each NAME.c is a
# static i386 glibc program printing KTAP, built into build/user/tests/NAME;
# build/user/tests/list names them, one a line, for the runners. The same
# binaries run on Linux (scripts/run-user-tests-host) and inside Kestrel.
#
#   make user-tests        build them
#   make user-tests-host   build them and run them on this machine's Linux
#
# A test is added by naming it in user-tests-y; user-test-NAME-flags adds
# flags for one program (-pthread for threads). A test Linux passes and
# Kestrel does not yet goes in user-tests-linux-y, with the reason:
# built into the same image, listed in list-linux only, which the runner
# reads with kt_list=list-linux (scripts/test-linux, the user-pio boot).
# The programs of the ext2 boots (tests/user/ext2.h) need those boots'
# disks: they are in user-tests-ext2-y, listed in list-ext2 only, which
# scripts/run-tests's ext2 boots read (on Kestrel only with EXT2_READY;
# make test-linux always runs them).

USER_CC ?= $(CROSS_COMPILE)gcc
USER_CFLAGS := -std=gnu11 -static -O2 -g -Wall -Wextra -Werror \
	-D_GNU_SOURCE -Itests/user

user-tests-y := t_syscall_basic t_fault t_fork_wait t_files t_pipe \
	t_signals t_mmap t_threads t_exec t_stress t_fuzz t_rlimits t_proc
user-tests-y += t_jobctl
user-tests-y += t_sendfile
user-tests-y += t_tty
user-test-t_threads-flags := -pthread
user-tests-y += t_procfs
user-test-t_procfs-flags := -pthread
user-tests-y += t_sysfs
user-tests-y += t_mdev
user-tests-y += t_netlink
user-tests-y += t_pcires
user-tests-y += t_overwrite
user-tests-y += t_write_fault
user-tests-y += t_fslimits
user-tests-y += t_nonblock_walk
user-test-t_nonblock_walk-flags := -pthread
user-tests-y += t_futex
user-tests-y += t_madvise
user-tests-y += t_overcommit
user-test-t_futex-flags := -pthread
user-tests-y += t_killinit
user-tests-y += t_timers
user-tests-y += t_coredump
user-tests-y += t_boot
user-tests-y += t_aio_direct
user-tests-y += t_eventfd t_aio
user-tests-y += t_devtmpfs
user-tests-y += t_cpuinfo
user-tests-y += t_meminfo
user-tests-y += t_mmap_file
user-tests-y += t_stopkill
user-tests-y += t_ata_sysfs
user-test-t_stopkill-flags := -pthread
user-tests-y += t_blockdev
user-tests-y += t_disk_rw t_partitions t_disk_faults t_writeback
user-tests-y += t_kdevd t_mount_move
user-tests-y += t_sync
# last: it unbinds the IDE driver and binds it again
user-tests-y += t_ata_unbind

# Kestrel cannot mount ext2 nor map a file yet (issue 13).
user-tests-ext2-y := t_ext2_rw t_ext2_mount t_ext2_corrupt t_filemap
user-tests-ext2-y += t_ext2_direct
# its own boot, ext2-powercut, runs it alone (kt_only=); it never ends
user-tests-ext2-y += t_ext2_powercut

user-test-bins := $(addprefix $(B)/user/tests/,$(user-tests-y) \
	$(user-tests-linux-y) $(user-tests-ext2-y))
user-test-lists := $(addprefix $(B)/user/tests/,list list-linux list-ext2)

user-tests: $(user-test-bins) $(user-test-lists)

$(user-test-bins): $(B)/user/tests/%: tests/user/%.c tests/user/Kbuild.mk
	@mkdir -p $(dir $@)
	$(quiet) USERCC $(@:$(B)/%=%)
	$(Q)$(USER_CC) $(USER_CFLAGS) $(user-test-$*-flags) -MMD -MP \
		-MF $@.d -o $@ $<

$(B)/user/tests/list: tests/user/Kbuild.mk
	@mkdir -p $(dir $@)
	$(quiet) GEN $@
	$(Q)printf '%s\n' $(user-tests-y) > $@

$(B)/user/tests/list-linux: tests/user/Kbuild.mk
	@mkdir -p $(dir $@)
	$(quiet) GEN $@
	$(Q)printf '%s\n' $(user-tests-y) $(user-tests-linux-y) > $@

$(B)/user/tests/list-ext2: tests/user/Kbuild.mk
	@mkdir -p $(dir $@)
	$(quiet) GEN $@
	$(Q)printf '%s\n' $(user-tests-ext2-y) > $@

# The test initramfs: the runner as /init, the programs in /tests, and
# busybox as /bin/busybox (t_mdev runs its mdev applet).
$(B)/user/runner: tests/user/runner.c tests/user/disk.h tests/user/Kbuild.mk
	@mkdir -p $(dir $@)
	$(quiet) USERCC $(@:$(B)/%=%)
	$(Q)$(USER_CC) $(USER_CFLAGS) -o $@ $<

# t_kdevd runs the daemon from beside itself, /tests/kdevd.
$(B)/user/tests/kdevd: $(B)/user/progs/kdevd
	$(Q)cp $< $@

$(B)/test-initramfs.cpio: $(user-test-bins) $(user-test-lists) \
		$(B)/user/tests/kdevd \
		$(B)/user/runner scripts/mkinitramfs $(B)/busybox/busybox
	$(quiet) CPIO $@
	$(Q)scripts/mkinitramfs $@ $(B)/user/runner $(B)/user/tests \
		$(B)/busybox/busybox

user-tests-host: user-tests
	$(Q)$(PYTHON) scripts/run-user-tests-host

test-initramfs: $(B)/test-initramfs.cpio

.PHONY: user-tests user-tests-host test-initramfs

# The trinity initramfs: tests/user/trinity-run.c as /init and the
# trinity fuzzer (a static i386 build, outside the repository: TRINITY,
# by default ../shared/tools/trinity/trinity) as /tests/trinity. The
# harness boots it for a bounded fuzzing run; without a trinity binary
# the image is not built and the run is reported as skipped.
TRINITY ?= $(abspath ../shared/tools/trinity/trinity)

$(B)/user/trinity-run: tests/user/trinity-run.c tests/user/ktap.h \
		tests/user/Kbuild.mk
	@mkdir -p $(dir $@)
	$(quiet) USERCC $(@:$(B)/%=%)
	$(Q)$(USER_CC) $(USER_CFLAGS) -o $@ $<

ifneq ($(wildcard $(TRINITY)),)
$(B)/trinity-initramfs.cpio: $(B)/user/trinity-run $(TRINITY) \
		scripts/mkinitramfs
	@rm -rf $(B)/trinity && mkdir -p $(B)/trinity
	$(Q)cp $(TRINITY) $(B)/trinity/trinity
	$(quiet) CPIO $@
	$(Q)scripts/mkinitramfs $@ $(B)/user/trinity-run $(B)/trinity

trinity-initramfs: $(B)/trinity-initramfs.cpio
else
trinity-initramfs:
	@echo "  SKIP    trinity-initramfs (no trinity at $(TRINITY))"
	@rm -f $(B)/trinity-initramfs.cpio
endif

.PHONY: trinity-initramfs
