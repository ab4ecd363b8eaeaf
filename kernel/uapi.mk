# kernel/uapi.mk: compile every include/uapi/ header once, so the size
# checks they carry run in every build (kernel/uapi_check.c has no code).
obj-y += kernel/uapi_check.o
