# Host unit tests of lib/: string functions, vsnprintf(), kstrto*(),
# bitmaps and the IDA.
#
# lib/ defines memcpy(), snprintf() and other names glibc also defines.
# To test our code and not glibc's (nor ASan's interceptors), every lib/
# source built for the host gets tests/unit/shim/lib_rename.h forced in,
# which renames those functions k_memcpy() and so on; the tests include
# the same header. The test code placed before that #include calls
# glibc, which serves as the oracle.

unit-tests += string vsprintf kstrtox
unit-string-srcs := tests/unit/test_string.c lib/string.c
unit-vsprintf-srcs := tests/unit/test_vsprintf.c lib/vsprintf.c lib/string.c
unit-kstrtox-srcs := tests/unit/test_kstrtox.c lib/kstrtox.c
unit-tests += bitmap ida
unit-bitmap-srcs := tests/unit/test_bitmap.c lib/bitmap.c lib/string.c
unit-ida-srcs := tests/unit/test_ida.c lib/ida.c lib/bitmap.c lib/string.c \
	tests/unit/shim/shim.c

$(B)/unit/obj/lib/%.o: HOST_CPPFLAGS += -include tests/unit/shim/lib_rename.h
# As in lib/Kbuild.mk: no byte loop may become a call to memcpy().
$(B)/unit/obj/lib/string.o: HOST_CFLAGS += -fno-tree-loop-distribute-patterns
