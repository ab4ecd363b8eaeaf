/*
 * Leaving the machine: QEMU's debug-exit port for test runs, and a
 * reset through the 8042 keyboard controller, the PIIX reset register
 * and, if both fail, a triple fault (an empty IDT and an interrupt).
 */
#include <asm/acpi.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/reboot.h>
#include <kestrel/irqflags.h>
#include <kestrel/reboot.h>
#include <kestrel/time.h>

#define ACPI_POWER_OFF_WAIT_MS 500

void arch_qemu_exit(int code)
{
	outl((u32)code, QEMU_DEBUG_EXIT_PORT);
}

static void i8042_reset(void)
{
	unsigned int i;

	for (i = 0; i < 0x10000; i++)
		if (!(inb(I8042_COMMAND_PORT) & I8042_STATUS_INPUT_FULL))
			break;
	outb(I8042_CMD_PULSE_RESET, I8042_COMMAND_PORT);
}

static void __noreturn triple_fault(void)
{
	static const struct {
		u16 size;
		u32 address;
	} __attribute__((packed)) no_idt = { 0, 0 };

	__asm__ __volatile__("lidt %0; int3" : : "m"(no_idt));
	arch_halt_forever();
}

void machine_restart(void)
{
	local_irq_disable();
	i8042_reset();
	outb(PCI_RESET_SYS_RST | PCI_RESET_CPU_RST, PCI_RESET_CONTROL_PORT);
	triple_fault();
}

void machine_power_off(void)
{
	local_irq_disable();
	acpi_power_off();
	/* QEMU acts on S5 a moment later, from its main loop: give it that
	 * moment before trying the debug-exit device. */
	mdelay(ACPI_POWER_OFF_WAIT_MS);
	arch_qemu_exit(KESTREL_EXIT_SUCCESS);
}
