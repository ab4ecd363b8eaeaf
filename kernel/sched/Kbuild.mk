# kernel/sched/: the O(1) scheduler, wait queues, completions.
obj-y += kernel/sched/core.o kernel/sched/wait.o kernel/sched/completion.o
obj-y += kernel/sched/loadavg.o kernel/sched/cputime.o
obj-$(CONFIG_KTEST) += kernel/sched/sched_test.o
