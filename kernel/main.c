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
#include <kestrel/errno.h>
#include <kestrel/init.h>
#include <kestrel/irq.h>
#include <kestrel/irqflags.h>
#include <kestrel/kstrtox.h>
#include <kestrel/ktest.h>
#include <kestrel/kthread.h>
#include <kestrel/err.h>
#include <kestrel/sched.h>
#include <kestrel/math64.h>
#include <kestrel/mm.h>
#include <kestrel/printk.h>
#include <kestrel/reboot.h>
#include <kestrel/selftest.h>
#include <kestrel/slab.h>
#include <kestrel/time.h>
#include <kestrel/vmalloc.h>

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

/* Run the tests the command line asked for, then leave QEMU. */
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

/*
 * The first kernel thread, PID 1: runs the tests the command line asked
 * for. It will exec the init program once there are processes.
 */
static int kernel_init(void *unused)
{
	run_boot_tests();
	pr_info("Kestrel: no init process yet; idling\n");
	return 0;
}

/* Start PID 1; the boot task becomes the idle task. */
static void __noreturn rest_init(void)
{
	struct task *init = kthread_run(kernel_init, NULL, "init");

	if (IS_ERR(init))
		panic("cannot start the init thread: %ld", PTR_ERR(init));
	cpu_idle();
}

void start_kernel(void)
{
	u64 boot_ns;

	arch_early_init();
	parse_boot_info();
	parse_params(boot_command_line, 1);
	console_init();
	print_banner();

	setup_arch();
	mem_init();
	kmem_cache_init();
	vmalloc_init();
	sched_init();

	init_IRQ();
	time_init();
	local_irq_enable();

	parse_params(boot_command_line, 0);
	boot_ns = ktime_get_ns();
	pr_notice("start_kernel: done in %lu ms\n",
		  (unsigned long)div_u64(boot_ns, NSEC_PER_MSEC));

	rest_init();
}
