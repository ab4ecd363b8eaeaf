/*
 * Ending the machine: restart it, or leave QEMU with an exit status.
 */
#ifndef _KESTREL_REBOOT_H
#define _KESTREL_REBOOT_H

#include <kestrel/compiler.h>

/* Exit statuses for QEMU's isa-debug-exit device; QEMU itself exits
 * with (code << 1) | 1, so 0 becomes 1 and 1 becomes 3. */
#define KESTREL_EXIT_SUCCESS 0
#define KESTREL_EXIT_FAILURE 1

/*
 * Ask QEMU to exit with @code through the isa-debug-exit device. Returns
 * (doing nothing) when the device is absent, as on real hardware.
 */
void arch_qemu_exit(int code);

/* Turn the machine off (ACPI S5, else QEMU's debug exit). Returns
 * only if neither worked. */
void machine_power_off(void);

/* Reset the machine. */
void __noreturn machine_restart(void);

#endif /* _KESTREL_REBOOT_H */
