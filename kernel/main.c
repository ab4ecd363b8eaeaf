/*
 * start_kernel(): the kernel's C entry point, called by boot/entry.asm
 * on the boot stack with interrupts disabled and the boot page tables
 * (low memory mapped at PAGE_OFFSET with 4 MiB pages) in place.
 *
 * The order matters and is the order of dependencies:
 *   CPU tables   - faults are reported from here on
 *   boot info    - command line, memory map, modules, copied to safety
 *   early params - console=, loglevel=, mem=, ...
 *   consoles     - printk output appears (what was logged is replayed)
 *   memory       - memblock, final page tables, buddy, slab, vmalloc
 *   interrupts   - 8259, then the timer; interrupts enabled
 *   scheduler    - the boot context becomes the idle task
 *   late params, then PID 1 (a kernel thread: the tests, later init)
 *   while the boot context idles.
 */
#include <asm/processor.h>
#include <asm/setup.h>
#include <kestrel/bootinfo.h>
#include <kestrel/console.h>
#include <kestrel/device.h>
#include <kestrel/errno.h>
#include <kestrel/init.h>
#include <kestrel/ioport.h>
#include <kestrel/irq.h>
#include <kestrel/irqflags.h>
#include <kestrel/kallsyms.h>
#include <kestrel/kstrtox.h>
#include <kestrel/ktest.h>
#include <kestrel/kthread.h>
#include <kestrel/err.h>
#include <kestrel/sched.h>
#include <kestrel/devtmpfs.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs.h>
#include <kestrel/fs_struct.h>
#include <uapi/fcntl.h>
#include <kestrel/proc_fs.h>
#include <kestrel/pagemap.h>
#include <kestrel/radix-tree.h>
#include <kestrel/process.h>
#include <kestrel/math64.h>
#include <kestrel/mm.h>
#include <kestrel/printk.h>
#include <kestrel/reboot.h>
#include <kestrel/selftest.h>
#include <kestrel/slab.h>
#include <kestrel/sysfs.h>
#include <kestrel/time.h>
#include <kestrel/vmalloc.h>

#include "do_mounts.h"

void start_kernel(void);

static int set_loglevel(char *value)
{
	int level;

	if (!value || kstrtoint(value, 0, &level) || level < 0)
		return -EINVAL;
	console_loglevel = level;
	return 0;
}
early_param("loglevel", set_loglevel);

static int set_quiet(char *value)
{
	console_loglevel = LOGLEVEL_WARNING;
	return 0;
}
early_param("quiet", set_quiet);

static void print_banner(void)
{
	pr_notice("Kestrel version %s (%s) #1 %s\n", KESTREL_VERSION,
		  "gcc " KESTREL_COMPILER, __DATE__ " " __TIME__);
	pr_notice("Command line: %s\n", boot_command_line);
	if (boot_info.loader_name[0])
		pr_info("Booted by %s (Multiboot%d)\n", boot_info.loader_name,
			boot_info.protocol);
}

/* Run the tests the command line asked for, then leave QEMU. The test
 * kernel only: in the release kernel the calls are empty stubs. */
static void run_boot_tests(void)
{
	int failed;

	if (selftest_requested())
		run_selftest();
	if (!ktest_requested())
		return;
	failed = ktest_run_all();
	arch_qemu_exit(failed ? KESTREL_EXIT_FAILURE : KESTREL_EXIT_SUCCESS);
}

static char *rdinit_path = "/init";
static char *init_path;

static int set_rdinit(char *value)
{
	if (!value || !*value)
		return -EINVAL;
	rdinit_path = value;
	return 0;
}
__setup("rdinit", set_rdinit);

static int set_init(char *value)
{
	if (!value || !*value)
		return -EINVAL;
	init_path = value;
	return 0;
}
__setup("init", set_init);

/*
 * Descriptors 0, 1 and 2 of PID 1 on /dev/console: every process
 * inherits them.
 */
static void console_open_stdio(void)
{
	struct file *file;
	int i, fd;

	file = do_filp_open(&init_fs, NULL, "/dev/console", O_RDWR, 0);
	if (IS_ERR(file)) {
		pr_warn("Warning: unable to open an initial console (%ld)\n",
			PTR_ERR(file));
		return;
	}
	for (i = 0; i < 3; i++) {
		fd = alloc_fd(current->files, 0, NR_OPEN_DEFAULT, 0);
		if (fd >= 0)
			fd_install(current->files, (unsigned int)fd,
				   get_file(file));
	}
	fput(file);
}

/* Does @path name something in the root (whether it runs or not)? */
static bool init_exists(const char *path)
{
	struct path p;

	if (vfs_path_lookup(&init_fs, NULL, path, LOOKUP_FOLLOW, &p))
		return false;
	path_put(&p);
	return true;
}

/*
 * Try to run @path as PID 1 with the arguments and environment the
 * command line gave (kernel/params.c); true if it now is the program.
 * A program that is there but does not run is reported, ENOENT too (a
 * script whose interpreter is missing, an initramfs cut short).
 */
static bool try_init(const char *path)
{
	int err;

	if (!path)
		return false;
	argv_init[0] = path;
	err = kernel_execve(path, argv_init, envp_init);
	if (!err)
		return true;
	if (err != -ENOENT || init_exists(path))
		pr_err("Failed to execute %s (error %d)\n", path, err);
	return false;
}

/*
 * PID 1. It becomes a process, brings up the root filesystem from the
 * initramfs (with /dev/console in it), makes the devtmpfs instance the
 * drivers add their nodes to (init mounts it on /dev), runs the tests
 * the command line asked for, then execs the init program: rdinit=
 * (default /init) from the initramfs; without one and with root=, the
 * disk is mounted as / first (kernel/do_mounts.c, Linux's rule); then
 * init=, /sbin/init, /etc/init, /bin/init, /bin/sh, as Linux. Its
 * return takes it to user mode as that program (ret_from_kernel_thread).
 */
static void kernel_init(void)
{
	if (make_init_process())
		panic("cannot set up the init process");
	vfs_caches_init();
	populate_rootfs();
	devtmpfs_init(); /* before any driver makes a node */
	proc_root_init();
	do_initcalls(); /* PCI, the platform devices, mem, tty, the drivers */
	console_open_stdio();
	run_boot_tests();
	if (root_device() && !init_exists(rdinit_path)) {
		prepare_namespace(); /* no initramfs init: the disk is / */
		rdinit_path = NULL;
	}
	if (try_init(rdinit_path) || try_init(init_path) ||
	    try_init("/sbin/init") || try_init("/etc/init") ||
	    try_init("/bin/init") || try_init("/bin/sh"))
		return;
	pr_notice("Kestrel: no init program found (rdinit=, init=); idling\n");
	for (;;)
		schedule_timeout_interruptible(MAX_SCHEDULE_TIMEOUT);
}

extern const initcall_t __initcall_start[], __initcall2_start[],
	__initcall3_start[], __initcall4_start[], __initcall5_start[],
	__initcall6_start[], __initcall7_start[], __initcall_end[];

static const initcall_t *const initcall_levels[] = {
	__initcall_start,  __initcall2_start, __initcall3_start,
	__initcall4_start, __initcall5_start, __initcall6_start,
	__initcall7_start, __initcall_end,
};

/**
 * do_initcalls - run the initcalls of every level, in order
 *
 * The sections are laid out by boot/kestrel.ld one level after the
 * other, so level n runs from initcall_levels[n] to [n + 1].
 * Context: PID 1 at boot (kernel_init), once, with devtmpfs made; may
 * sleep.
 */
void do_initcalls(void)
{
	const initcall_t *call;
	unsigned long size, offset;
	const char *name;
	int level, ret;

	for (level = 0; level < (int)ARRAY_SIZE(initcall_levels) - 1; level++) {
		for (call = initcall_levels[level];
		     call < initcall_levels[level + 1]; call++) {
			ret = (*call)();
			if (!ret)
				continue;
			name = kallsyms_lookup((unsigned long)*call, &size,
					       &offset);
			pr_warn("initcall %s returned %d\n", name ? name : "?",
				ret);
		}
	}
}

/* Start PID 1; the boot task becomes the idle task. */
static void __noreturn rest_init(void)
{
	struct task *init = alloc_task("init");

	if (!init)
		panic("cannot start the init task");
	arch_setup_kthread(init, kernel_init);
	wake_up_new_task(init);
	cpu_idle();
}

void start_kernel(void)
{
	u64 boot_ns;

	arch_early_init();
	parse_boot_info();
	parse_params(boot_command_line, PARAM_EARLY);
	console_init();
	print_banner();

	setup_arch();
	mem_init();
	kmem_cache_init();
	radix_tree_init(); /* the page cache's index */
	filemap_init();
	vmalloc_init();
	sched_init();

	init_IRQ();
	time_init();
	local_irq_enable();
	resource_init(); /* the boot memory map and legacy ports */
	sysfs_init(); /* before the first kobject_add() */
	ksysfs_init(); /* /sys/kernel: uevent_seqnum, uevent_helper */
	driver_init(); /* /sys/devices, bus, class: before any device */

	parse_params(boot_command_line, PARAM_LATE);
	boot_ns = ktime_get_ns();
	pr_notice("start_kernel: done in %lu ms\n",
		  (unsigned long)div_u64(boot_ns, NSEC_PER_MSEC));

	rest_init();
}
