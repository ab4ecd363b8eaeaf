# Kestrel's build: one non-recursive Makefile. Each folder lists its own
# objects in a Kbuild.mk fragment (obj-y += ...), included below; there are
# no wildcards, so a file is built only when a fragment names it.
#
# Two kernels come from the same sources (docs/testing.md):
#   the release kernel  build/kestrel.elf: what make, run, debug and bench
#                       build; no test code in it
#   the test kernel     build/test/kestrel.elf: the same with CONFIG_KTEST,
#                       which adds the ktest suites (*_test.c), the runner
#                       (`ktest` on the command line) and the fault
#                       self-tests (`selftest=`); make test builds and boots it
# KTEST=1 on any command builds the test kernel in place of the release one
# (make KTEST=1 run boots it from the ISO, with GRUB's ktest entry).
#
#   make            build/kestrel.elf
#   make iso        build/kestrel.iso (GRUB, multiboot2, with the initramfs)
#   make initramfs  build/initramfs.cpio: init, busybox, /etc (docs/init.md)
#   make run        boot the ISO in QEMU into a shell (window and serial)
#   make run-nox    boot the ISO with the serial console in the terminal
#   make disk       build/disk.img: the initramfs's files as an ext2 hda1
#   make run-disk   boot with root=/dev/hda1 on that disk, no initramfs
#                   (needs fs/ext2; docs/rootfs.md)
#   make debug      QEMU halted with its gdb stub, gdb attached
#   make test       host unit tests, ktest boots, ISO boot, user programs,
#                   shell sessions on the image; "N passed, M failed"
#   make test-kernel
#                   build/test/kestrel.elf and its ISO: the test kernel
#   make bench      BENCH lines (host allocator figures, boot time)
#   make check      clang-format in check mode and sparse over the tree
#   make V=1        print the commands, not the quiet lines

CROSS_COMPILE ?= i686-linux-gnu-
CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
NM := $(CROSS_COMPILE)nm
OBJCOPY := $(CROSS_COMPILE)objcopy
NASM := nasm
HOSTCC ?= gcc
PYTHON ?= python3
QEMU ?= qemu-system-i386
GDB ?= gdb

B := build
DEBUG ?= 1
KTEST ?= 0
LOG_BUF_SHIFT ?= 17
KESTREL_VERSION := 0.1.0

ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-7s %s\n'
endif

# ---- flags ---------------------------------------------------------------

KCPPFLAGS := -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-Iinclude -Iarch/x86/include \
	-DKESTREL_VERSION='"$(KESTREL_VERSION)"' \
	-DKESTREL_COMPILER='"$(shell $(CC) -dumpfullversion 2>/dev/null)"' \
	-DCONFIG_LOG_BUF_SHIFT=$(LOG_BUF_SHIFT)
ifeq ($(DEBUG),1)
KCPPFLAGS += -DCONFIG_DEBUG=1
endif
# A fragment names test code with obj-$(CONFIG_KTEST) += ...: obj-y in the
# test kernel, obj- (built by nobody) in the release one.
ifeq ($(KTEST),1)
CONFIG_KTEST := y
KCPPFLAGS += -DCONFIG_KTEST=1
endif

KCFLAGS := -std=gnu11 -m32 -march=i686 -O2 -g \
	-ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-strict-aliasing -fno-common -fno-builtin-printf \
	-mno-sse -mno-mmx -mno-80387 -mgeneral-regs-only \
	-fno-omit-frame-pointer -fno-optimize-sibling-calls \
	-Wall -Wextra -Werror -Wno-unused-parameter \
	-Wstrict-prototypes -Wmissing-prototypes

NASMFLAGS := -f elf32 -g -F dwarf -I./
LDFLAGS := -m elf_i386 -nostdlib -z max-page-size=0x1000 -z noexecstack \
	--no-warn-rwx-segments -T boot/kestrel.ld

# ---- object lists --------------------------------------------------------

# obj-y is the kernel; obj- collects the test objects a release build
# leaves out (obj-$(CONFIG_KTEST), kernel/Kbuild.mk), for sparse.
obj-y :=
obj- :=
include boot/Kbuild.mk
include arch/x86/Kbuild.mk
include kernel/Kbuild.mk
include mm/Kbuild.mk
include lib/Kbuild.mk
include drivers/Kbuild.mk
include fs/Kbuild.mk
include block/Kbuild.mk
include net/Kbuild.mk

kobjs := $(addprefix $(B)/,$(obj-y))

all: $(B)/kestrel.elf

# ---- compile rules -------------------------------------------------------

# Every object depends on the flags it was built with: changing DEBUG=,
# LOG_BUF_SHIFT= or CROSS_COMPILE= rebuilds what they affect.
$(B)/.kflags: FORCE
	@mkdir -p $(B)
	@echo '$(CC) $(KCPPFLAGS) $(KCFLAGS) $(NASMFLAGS)' | cmp -s - $@ || \
		echo '$(CC) $(KCPPFLAGS) $(KCFLAGS) $(NASMFLAGS)' > $@
$(kobjs): $(B)/.kflags

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(quiet) CC $(@:$(B)/%=%)
	$(Q)$(CC) $(KCPPFLAGS) $(KCFLAGS) -MMD -MP -c $< -o $@

$(B)/%.o: %.asm
	@mkdir -p $(dir $@)
	$(quiet) AS $(@:$(B)/%=%)
	$(Q)$(NASM) $(NASMFLAGS) -MD $(@:.o=.d) -MP $< -o $@

# ---- generated system-call headers ---------------------------------------
#
# arch/x86/syscall_32.tbl is the one list of system calls, in Linux's
# format; scripts/gen-syscalls writes from it the numbers (<uapi/
# unistd_32.h>), the dispatch table's entries (<asm/syscalls_32.h>) and
# the names strace= prints (<asm/syscall_names_32.h>). Every object waits
# for them (order-only); its .d file then makes it depend on those it
# includes, so a changed table rebuilds just those objects.

gen-syscall-hdrs := $(addprefix $(B)/include/generated/,uapi/unistd_32.h \
	asm/syscalls_32.h asm/syscall_names_32.h)
KCPPFLAGS += -I$(B)/include/generated

$(gen-syscall-hdrs): arch/x86/syscall_32.tbl scripts/gen-syscalls
	@mkdir -p $(dir $@)
	$(quiet) GEN $@
	$(Q)$(PYTHON) scripts/gen-syscalls $< $(notdir $@) > $@
$(kobjs) check: | $(gen-syscall-hdrs)

# ---- link, with a symbol table (kallsyms) --------------------------------
#
# The .kallsyms section is placed last by the linker script, so filling
# it in does not move any other symbol: link once with an empty table,
# generate the table from that image, link again with it.

$(B)/kallsyms0.c:
	@mkdir -p $(B)
	$(Q)$(PYTHON) scripts/gen-kallsyms.py < /dev/null > $@

$(B)/kestrel.tmp.elf: $(kobjs) $(B)/kallsyms0.o boot/kestrel.ld
	$(quiet) LD $@
	$(Q)$(LD) $(LDFLAGS) -o $@ $(kobjs) $(B)/kallsyms0.o

$(B)/kallsyms.c: $(B)/kestrel.tmp.elf scripts/gen-kallsyms.py
	$(quiet) KSYM $@
	$(Q)$(NM) -n $< | $(PYTHON) scripts/gen-kallsyms.py > $@

$(B)/kestrel.elf: $(B)/kestrel.tmp.elf $(B)/kallsyms.o
	$(quiet) LD $@
	$(Q)$(LD) $(LDFLAGS) -o $@ $(kobjs) $(B)/kallsyms.o
	$(Q)$(NM) -n $@ | $(PYTHON) scripts/gen-kallsyms.py --check $(B)/kallsyms.c

$(B)/kallsyms0.o $(B)/kallsyms.o: $(B)/%.o: $(B)/%.c
	$(quiet) CC $@
	$(Q)$(CC) $(KCPPFLAGS) $(KCFLAGS) -c $< -o $@

# ---- ISO -----------------------------------------------------------------

iso: $(B)/kestrel.iso

# The system image on the ISO; the test kernel's ISO (make test-kernel)
# takes the one beside the release kernel rather than building its own.
ISO_INITRAMFS ?= $(B)/initramfs.cpio
# GRUB's menu: the system entries, and the ktest entry when the kernel
# has the tests.
grub-cfgs := boot/grub.cfg $(if $(CONFIG_KTEST),boot/grub-ktest.cfg)

$(B)/kestrel.iso: $(B)/kestrel.elf $(ISO_INITRAMFS) $(grub-cfgs)
	$(quiet) ISO $@
	@rm -rf $(B)/iso && mkdir -p $(B)/iso/boot/grub
	$(Q)cp $(B)/kestrel.elf $(B)/iso/boot/kestrel.elf
	$(Q)cp $(ISO_INITRAMFS) $(B)/iso/boot/initramfs.cpio
	$(Q)cat $(grub-cfgs) > $(B)/iso/boot/grub/grub.cfg
	$(Q)grub-mkrescue -o $@ $(B)/iso 2> $(B)/grub-mkrescue.log || \
		{ cat $(B)/grub-mkrescue.log; exit 1; }

# ---- host unit tests -----------------------------------------------------

include tests/unit/Kbuild.mk
include tests/user/Kbuild.mk
include user/bench/Kbuild.mk
include user/Kbuild.mk

# ---- running -------------------------------------------------------------

QEMU_COMMON := -machine pc -accel tcg -m 256 -no-reboot

deps:
	@scripts/install-deps.sh --check >/dev/null 2>&1 || scripts/install-deps.sh

run: deps
	$(Q)$(MAKE) --no-print-directory iso
	$(Q)scripts/qemu-run $(B)/kestrel.iso

run-nox: deps
	$(Q)$(MAKE) --no-print-directory iso
	$(Q)scripts/qemu-run --nox $(B)/kestrel.iso

# The system image as an ext2 root on an IDE disk (scripts/mkdisk), booted
# with root=/dev/hda1 and no initramfs (docs/rootfs.md). Needs fs/ext2.
$(B)/disk.img: $(B)/initramfs.cpio scripts/mkdisk
	$(quiet) DISK $@
	$(Q)scripts/mkdisk $@ $(B)/initramfs.cpio

disk: $(B)/disk.img

run-disk: deps
	$(Q)$(MAKE) --no-print-directory all disk
	$(Q)scripts/qemu-run --disk $(B)/disk.img --root $(B)/kestrel.elf

debug: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/qemu-debug $(B)/kestrel.elf

# make test builds both kernels: the boots that need test code (ktest,
# selftest=, GRUB's ktest entry) take the test kernel, every other boot
# the release kernel, as make run would boot it.
test: deps
	$(Q)$(MAKE) --no-print-directory KTEST=0 all iso unit-tests \
		test-initramfs initramfs trinity-initramfs
	$(Q)$(MAKE) --no-print-directory test-kernel
	$(Q)KESTREL_BUILD=$(B) $(PYTHON) scripts/run-tests

# The test kernel, apart in build/test/ so that neither build undoes the
# other's objects.
test-kernel: initramfs
	$(Q)$(MAKE) --no-print-directory B=$(B)/test KTEST=1 \
		ISO_INITRAMFS=$(B)/initramfs.cpio all iso

# Benchmarks measure a kernel built without the debug checks (page
# poisoning, red zones), in build/bench/, as a release would be.
# The tier-3 programs on Debian's i386 Linux: the behaviour oracle.
test-linux: deps
	$(Q)$(MAKE) --no-print-directory test-initramfs
	$(Q)$(PYTHON) scripts/test-linux

bench: deps
	$(Q)$(MAKE) --no-print-directory all unit-benches bench-initramfs
	$(Q)$(MAKE) --no-print-directory B=$(B)/bench DEBUG=0 all
	$(Q)BENCH_KERNEL=$(B)/bench/kestrel.elf $(PYTHON) scripts/run-bench

# ---- checks --------------------------------------------------------------

check-srcs := $(shell git ls-files '*.c' '*.h' 2>/dev/null)
# sparse reads the test kernel's sources: every object, test code included.
sparse-srcs := $(wildcard $(obj-y:.o=.c) $(obj-:.o=.c))

check:
	$(quiet) FORMAT "$(words $(check-srcs)) files"
	$(Q)clang-format --dry-run --Werror $(check-srcs)
	$(quiet) SPARSE "$(words $(sparse-srcs)) files"
	$(Q)for f in $(sparse-srcs); do \
		sparse -m32 -D__i386__ -ffreestanding -Wsparse-error -Wno-non-pointer-null \
			$(KCPPFLAGS) -DCONFIG_KTEST=1 \
			-I$(shell $(CC) -print-file-name=include) $$f || exit 1; \
	done

clean:
	rm -rf $(B)

.PHONY: disk run-disk
.PHONY: all iso run run-nox debug test test-kernel test-linux bench check clean \
	deps FORCE
.DELETE_ON_ERROR:

-include $(shell find $(B) -name '*.d' 2>/dev/null)
