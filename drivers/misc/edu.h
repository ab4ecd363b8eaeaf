/*
 * QEMU's "edu" educational PCI device: its ids and the registers of its
 * MMIO BAR, from QEMU's docs/specs/edu.rst ("EDU device").
 */
#ifndef _DRIVERS_MISC_EDU_H
#define _DRIVERS_MISC_EDU_H

#define EDU_VENDOR_ID 0x1234 /* edu.rst, "PCI specs" */
#define EDU_DEVICE_ID 0x11e8
#define EDU_CLASS 0x00ff00 /* class "other", as QEMU sets it */

#define EDU_MMIO_BAR 0 /* BAR0: 1 MiB of registers */

/* Registers, 32 bits each, at these offsets of BAR0 (edu.rst). */
#define EDU_REG_IDENT 0x00 /* RO: 0xRRrr00ed, version RR.rr */
#define EDU_REG_LIVENESS 0x04 /* RW: reads back the inverse of a write */

#define EDU_IDENT_MAGIC_MASK 0xff
#define EDU_IDENT_MAGIC 0xed /* low byte of the identification */
#define EDU_IDENT_MAJOR_SHIFT 24 /* bits 31:24: major version */
#define EDU_IDENT_MINOR_SHIFT 16 /* bits 23:16: minor version */
#define EDU_IDENT_VERSION_MASK 0xff
#define EDU_LIVENESS_PATTERN 0x5a5aa5a5U /* any value would do */

#endif /* _DRIVERS_MISC_EDU_H */
