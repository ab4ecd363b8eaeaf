/*
 * panic(): the end of the road for a broken invariant. It prints the
 * message, the registers of its caller and a backtrace, then ends the
 * machine: under the test harness QEMU exits with the failure status,
 * with panic=N the machine restarts after N seconds, otherwise it halts.
 * Bad input never gets here; only the kernel's own bugs do.
 */
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <kestrel/console.h>
#include <kestrel/errno.h>
#include <kestrel/irqflags.h>
#include <kestrel/init.h>
#include <kestrel/kstrtox.h>
#include <kestrel/panic.h>
#include <kestrel/printk.h>
#include <kestrel/reboot.h>
#include <kestrel/stacktrace.h>
#include <kestrel/time.h>

#define OOPS_CONSOLE_LOGLEVEL 15 /* show everything */

int panic_timeout;
int oops_in_progress;

static int set_panic_timeout(char *value)
{
	return value ? kstrtoint(value, 0, &panic_timeout) : -EINVAL;
}
early_param("panic", set_panic_timeout);

void oops_begin(void)
{
	local_irq_disable();
	oops_in_progress++;
	console_loglevel = OOPS_CONSOLE_LOGLEVEL;
}

static void __noreturn panic_end(void)
{
	arch_qemu_exit(KESTREL_EXIT_FAILURE);
	if (panic_timeout > 0) {
		printk(KERN_EMERG "Rebooting in %d seconds..\n", panic_timeout);
		mdelay((unsigned long)panic_timeout * MSEC_PER_SEC);
		machine_restart();
	}
	arch_halt_forever();
}

void panic(const char *fmt, ...)
{
	static char buf[256];
	static int in_panic;
	bool after_oops = oops_in_progress != 0;
	struct pt_regs regs;
	va_list args;

	local_irq_disable();
	if (in_panic++) {
		printk(KERN_EMERG "Kernel panic while panicking: halting\n");
		panic_end();
	}
	oops_begin();
	va_start(args, fmt);
	vscnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", buf);
	if (!after_oops) {
		arch_capture_regs(&regs);
		show_regs(&regs);
		show_stack(regs.ip, regs.bp, regs.sp);
	}
	printk(KERN_EMERG "---[ end Kernel panic - not syncing: %s ]---\n",
	       buf);
	panic_end();
}

void __warn(const char *file, int line, const char *cond)
{
	printk(KERN_WARNING "WARNING: at %s:%d: %s\n", file, line, cond);
	dump_stack();
}
