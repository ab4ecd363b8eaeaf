# Host unit tests: kernel source files compiled for the host with the shim
# in tests/unit/shim/ (it stands in for arch/x86/include/asm and for the
# few kernel services the code calls), run under AddressSanitizer and
# UndefinedBehaviorSanitizer. Each test prints KTAP.
#
# A test T is declared with:
#   unit-tests += T
#   unit-T-srcs := tests/unit/T.c mm/page_alloc.c ...
# and optionally a benchmark B (built without sanitizers, -O2):
#   unit-benches += B
#   unit-B-srcs := ...

HOST_CPPFLAGS := -Itests/unit/shim -Iinclude -DKESTREL_HOST_TEST=1 \
	-DCONFIG_DEBUG=1 -DKESTREL_VERSION='"$(KESTREL_VERSION)"'
HOST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
	-fno-omit-frame-pointer -fno-builtin \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined
HOST_BENCH_CPPFLAGS := $(filter-out -DCONFIG_DEBUG=1,$(HOST_CPPFLAGS))
HOST_BENCH_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror \
	-Wno-unused-parameter -fno-builtin

unit-tests :=
unit-benches :=
include tests/unit/lib.mk
include tests/unit/atomic.mk
include tests/unit/mm.mk
include tests/unit/time.mk
include tests/unit/fs.mk
include tests/unit/vt.mk
include tests/unit/block.mk

define unit_test_rule
$(B)/unit/$(1): $$(patsubst %.c,$(B)/unit/obj/%.o,$$(unit-$(1)-srcs))
	$$(quiet) HOSTLD $$@
	$$(Q)$$(HOSTCC) $$(HOST_CFLAGS) -o $$@ $$^
endef

define unit_bench_rule
$(B)/unit/$(1): $$(patsubst %.c,$(B)/unit/bobj/%.o,$$(unit-$(1)-srcs))
	$$(quiet) HOSTLD $$@
	$$(Q)$$(HOSTCC) $$(HOST_BENCH_CFLAGS) -o $$@ $$^
endef

$(foreach t,$(unit-tests),$(eval $(call unit_test_rule,$(t))))
$(foreach t,$(unit-benches),$(eval $(call unit_bench_rule,$(t))))

$(B)/unit/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(quiet) HOSTCC $(@:$(B)/%=%)
	$(Q)$(HOSTCC) $(HOST_CPPFLAGS) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(B)/unit/bobj/%.o: %.c
	@mkdir -p $(dir $@)
	$(quiet) HOSTCC $(@:$(B)/%=%)
	$(Q)$(HOSTCC) $(HOST_BENCH_CPPFLAGS) $(HOST_BENCH_CFLAGS) -MMD -MP -c $< -o $@

unit-tests: $(addprefix $(B)/unit/,$(unit-tests))
	@printf '%s\n' $(unit-tests) > $(B)/unit/list
unit-benches: $(addprefix $(B)/unit/,$(unit-benches))
	@mkdir -p $(B)/unit
	@printf '%s\n' $(unit-benches) > $(B)/unit/bench-list

.PHONY: unit-tests unit-benches
