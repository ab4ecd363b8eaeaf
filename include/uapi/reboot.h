/*
 * reboot()'s arguments in the Linux i386 ABI: two magic numbers that guard
 * against stray calls, and the commands. From Linux's
 * include/uapi/linux/reboot.h; facts of the ABI that must not change.
 */
#ifndef _UAPI_REBOOT_H
#define _UAPI_REBOOT_H

#define LINUX_REBOOT_MAGIC1 0xfee1dead
#define LINUX_REBOOT_MAGIC2 672274793 /* 0x28121969 */
#define LINUX_REBOOT_MAGIC2A 85072278 /* 0x05121996 */
#define LINUX_REBOOT_MAGIC2B 369367448 /* 0x16041998 */
#define LINUX_REBOOT_MAGIC2C 537993216 /* 0x20112000 */

#define LINUX_REBOOT_CMD_RESTART 0x01234567
#define LINUX_REBOOT_CMD_HALT 0xCDEF0123
#define LINUX_REBOOT_CMD_CAD_ON 0x89ABCDEF
#define LINUX_REBOOT_CMD_CAD_OFF 0x00000000
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321FEDC
#define LINUX_REBOOT_CMD_RESTART2 0xA1B2C3D4
#define LINUX_REBOOT_CMD_SW_SUSPEND 0xD000FCE2
#define LINUX_REBOOT_CMD_KEXEC 0x45584543

#endif /* _UAPI_REBOOT_H */
