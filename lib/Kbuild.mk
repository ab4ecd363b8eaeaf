# lib/: the kernel's portable library: string and memory functions,
# the printf engine, number parsing, bitmaps and the ID allocator.
obj-y += lib/string.o lib/vsprintf.o lib/kstrtox.o lib/bitmap.o lib/ida.o
obj-y += lib/kobject.o lib/radix-tree.o
obj-$(CONFIG_KTEST) += lib/kobject_test.o
obj-y += lib/kobject_uevent.o
obj-$(CONFIG_KTEST) += lib/kobject_uevent_test.o

# GCC may rewrite byte loops as calls to memcpy() and memset(); inside
# string.c that would make those functions call themselves.
$(B)/lib/string.o: KCFLAGS += -fno-tree-loop-distribute-patterns
