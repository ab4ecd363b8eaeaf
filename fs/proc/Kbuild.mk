# fs/proc/: procfs (the seq_file helper, the filesystem, the system and
# per-process files, /proc/sys, /proc/kmsg) and its ktest suite (procfs).
obj-y += fs/proc/seq.o fs/proc/root.o fs/proc/misc.o fs/proc/base.o
obj-y += fs/proc/proc_sysctl.o fs/proc/kmsg.o fs/proc/cpuinfo.o
obj-$(CONFIG_KTEST) += fs/proc/proc_test.o
