/*
 * Ports used to end the machine.
 */
#ifndef _ASM_X86_REBOOT_H
#define _ASM_X86_REBOOT_H

/* QEMU's isa-debug-exit device, as the test harness configures it
 * (-device isa-debug-exit,iobase=0xf4,iosize=4). */
#define QEMU_DEBUG_EXIT_PORT 0xf4

/* The 8042 keyboard controller: command 0xfe pulses the CPU reset line
 * (IBM PC/AT Technical Reference, "Keyboard Controller Commands"). */
#define I8042_COMMAND_PORT 0x64
#define I8042_STATUS_INPUT_FULL 0x02
#define I8042_CMD_PULSE_RESET 0xfe

/* The PCI reset control register of the PIIX3 (datasheet 2.4.1). */
#define PCI_RESET_CONTROL_PORT 0xcf9
#define PCI_RESET_SYS_RST 0x02
#define PCI_RESET_CPU_RST 0x04

#endif /* _ASM_X86_REBOOT_H */
