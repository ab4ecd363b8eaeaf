/*
 * The benchmark figures: which kbench subcommand prints which BENCH lines.
 * Shared by kbench.c (prints them) and init.c (prints "nan" for a figure
 * whose subcommand crashed, timed out or printed nothing).
 */
#ifndef KBENCH_FIGURES_H
#define KBENCH_FIGURES_H

#define KBENCH_MAX_FIGS 8

struct kbench_fig {
	const char *name;
	const char *unit;
};

struct kbench_sub {
	const char *sub; /* argv[1] of /bench/kbench (or of @prog) */
	struct kbench_fig figs[KBENCH_MAX_FIGS];
	const char *prog; /* NULL: /bench/kbench; else /bench/PROG */
	int on_request; /* run only when $KBENCH_ONLY names it */
};

static const struct kbench_sub kbench_subs[] = {
	{ "syscall",
	  { { "null_syscall_ns", "ns" }, { "null_syscall_int80_ns", "ns" } } },
	{ "pingpong", { { "pipe_pingpong_us", "us" } } },
	{ "fork", { { "fork_exit_wait_us", "us" } } },
	{ "exec",
	  { { "fork_exec_wait_us", "us" }, { "fork_exec_tiny_us", "us" } } },
	{ "fault", { { "page_fault_ns", "ns" } } },
	{ "pipebw", { { "pipe_bw_64k", "MB/s" } } },
	{ "tmpfs",
	  { { "tmpfs_write_16m", "MB/s" }, { "tmpfs_read_16m", "MB/s" } } },
	{ "open", { { "open_close_us", "us" }, { "stat_us", "us" } } },
	{ "create", { { "create_unlink_us", "us" } } },
	{ "pty", { { "pty_pingpong_us", "us" }, { "pty_bw_raw", "MB/s" } } },
	{ "uevent",
	  { { "uevent_latency_us", "us" },
	    { "uevent_throughput", "events/s" } } },
	/* fsbench.c: the ext2 image, the primary slave (docs/bench.md);
	 * before diskbench, which writes to the primary master */
	{ "fs",
	  { { "fs_cold_read_20m", "MB/s" },
	    { "fs_find_10000", "ms" },
	    { "fs_fork_exec_ext2_us", "us" },
	    { "fs_create_2000", "files/s" },
	    { "fs_unlink_2000", "files/s" },
	    { "fs_write_64m_sync", "MB/s" } },
	  "fsbench",
	  0 },
	/* diskbench.c: the primary master, O_DIRECT (docs/bench.md) */
	{ "disk",
	  { { "disk_read_mbs", "MB/s" },
	    { "disk_write_mbs", "MB/s" },
	    { "disk_qd1_iops", "IOPS" },
	    { "disk_qd32_iops", "IOPS" },
	    { "disk_lat_p50_us", "us" },
	    { "disk_lat_p99_us", "us" },
	    { "disk_ceiling_mbs", "MB/s" },
	    { "disk_ceiling_iops", "IOPS" } },
	  "diskbench",
	  0 },
	/* ... in a boot with PIO forced (scripts/run-bench) */
	{ "diskpio",
	  { { "disk_pio_read_mbs", "MB/s" }, { "disk_pio_write_mbs", "MB/s" } },
	  "diskbench",
	  1 },
};

#define KBENCH_NSUBS (sizeof(kbench_subs) / sizeof(kbench_subs[0]))

#endif
