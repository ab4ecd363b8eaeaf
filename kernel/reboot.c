/*
 * reboot(2): restart, halt or power off the machine. Power-off enters
 * ACPI S5 (arch/x86/acpi.c: QEMU then exits with status 0); without
 * ACPI it tries QEMU's isa-debug-exit device, and then halts.
 */
#include <asm/processor.h>
#include <kestrel/cred.h>
#include <kestrel/device.h>
#include <kestrel/errno.h>
#include <kestrel/printk.h>
#include <kestrel/reboot.h>
#include <kestrel/syscalls.h>
#include <uapi/reboot.h>

static void __noreturn machine_halt(const char *why)
{
	pr_emerg("%s\n", why);
	arch_halt_forever();
}

/* Let every bound driver quiesce its device (DMA, interrupts) first. */
static void kernel_shutdown_prepare(const char *what)
{
	pr_emerg("%s\n", what);
	device_shutdown();
}

SYSCALL_DEFINE4(reboot, int, magic1, int, magic2, unsigned int, cmd,
		void __user *, arg)
{
	if (!capable(CAP_SYS_BOOT))
		return -EPERM;
	if (magic1 != (int)LINUX_REBOOT_MAGIC1 ||
	    (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
	     magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_RESTART:
	case LINUX_REBOOT_CMD_RESTART2:
		kernel_shutdown_prepare("Restarting system.");
		machine_restart();
	case LINUX_REBOOT_CMD_HALT:
		device_shutdown();
		machine_halt("System halted.");
	case LINUX_REBOOT_CMD_POWER_OFF:
		kernel_shutdown_prepare("Power down.");
		machine_power_off();
		machine_halt("System halted (no way to power off).");
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	default:
		return -EINVAL;
	}
}
