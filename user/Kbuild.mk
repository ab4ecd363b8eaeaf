# user/: Kestrel's own user programs (DESIGN.md section 2), static i386
# glibc programs built into build/user/, and the system image that holds
# them with Debian's busybox (docs/init.md).
#
#   make user-progs   build init and the programs
#   make initramfs    build/initramfs.cpio: init, busybox and its applets,
#                     /etc, the programs in /usr/bin, the tier-3 test
#                     programs in /usr/lib/kestrel/tests
#   make busybox      fetch busybox-static:i386 into build/busybox/
#
# A program is added by naming it in user-progs-y (its sources are
# user/NAME/*.c listed in user-NAME-srcs); the image installs it in
# /usr/bin, except init, which becomes /init and /sbin/init.

USER_PROG_CC ?= $(CROSS_COMPILE)gcc
USER_PROG_CFLAGS := -std=gnu11 -static -O2 -g -Wall -Wextra -Werror \
	-Wstrict-prototypes -Wmissing-prototypes -D_GNU_SOURCE -Iuser/lib

user-progs-y := init
user-init-srcs := user/init/init.c user/init/setup.c user/init/console.c
user-init-hdrs := user/init/init.h
user-progs-y += uevent-listen
user-uevent-listen-srcs := user/uevent-listen/uevent-listen.c user/lib/uevent.c
user-uevent-listen-hdrs := user/lib/uevent.h
user-progs-y += lsdev
user-lsdev-srcs := user/lsdev/lsdev.c user/lib/sysfs.c
user-lsdev-hdrs := user/lib/sysfs.h
user-progs-y += lspci
user-lspci-srcs := user/lspci/lspci.c user/lib/sysfs.c
user-lspci-hdrs := user/lib/sysfs.h
user-progs-y += kdevd
user-kdevd-srcs := user/kdevd/kdevd.c user/lib/uevent.c
user-kdevd-hdrs := user/lib/uevent.h

user-prog-bins := $(addprefix $(B)/user/progs/,$(user-progs-y))

user-progs: $(user-prog-bins)

# One rule per program, so each depends only on its own sources.
define user-prog-rule
$(B)/user/progs/$(1): $(user-$(1)-srcs) $(user-$(1)-hdrs) user/Kbuild.mk
	@mkdir -p $$(dir $$@)
	$$(quiet) USERCC $$(@:$(B)/%=%)
	$$(Q)$$(USER_PROG_CC) $$(USER_PROG_CFLAGS) -o $$@ $(user-$(1)-srcs)
endef
$(foreach p,$(user-progs-y),$(eval $(call user-prog-rule,$(p))))

# Busybox comes from Debian's registry (scripts/fetch-busybox), cached.
BUSYBOX := $(B)/busybox/busybox

$(BUSYBOX):
	$(quiet) FETCH $@
	$(Q)scripts/fetch-busybox $(dir $@)

busybox: $(BUSYBOX)

$(B)/initramfs.cpio: $(user-prog-bins) $(BUSYBOX) $(user-test-bins) \
		$(B)/user/tests/list scripts/mkimage
	$(quiet) IMAGE $@
	$(Q)scripts/mkimage $@ $(BUSYBOX) $(B)/user/progs $(B)/user/tests

initramfs: $(B)/initramfs.cpio

.PHONY: user-progs busybox initramfs
