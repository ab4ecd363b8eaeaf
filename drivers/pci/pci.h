/*
 * PCI private definitions: the configuration-space registers and bits
 * the core reads, named after the PCI Local Bus Specification,
 * Revision 3.0 (PCI LB 3.0), and configuration mechanism #1's ports.
 *
 * Every function has a 256-byte configuration space. Its first 64
 * bytes are the header, whose layout after offset 0x10 depends on the
 * header type: type 0 for an ordinary device, type 1 for a PCI-to-PCI
 * bridge (see docs/pci.md for the picture).
 */
#ifndef _DRIVERS_PCI_PCI_H
#define _DRIVERS_PCI_PCI_H

#include <kestrel/pci.h>

/* Configuration mechanism #1 (PCI LB 3.0, 3.2.2.3.2). */
#define PCI_CONF1_ADDRESS_PORT 0xCF8 /* CONFIG_ADDRESS, 32 bits */
#define PCI_CONF1_DATA_PORT 0xCFC /* CONFIG_DATA, bytes 0xCFC-0xCFF */
#define PCI_CONF1_ENABLE 0x80000000U /* bit 31: enable config cycle */
#define PCI_CONF1_BUS_SHIFT 16 /* bits 23:16: bus number */
#define PCI_CONF1_DEVFN_SHIFT 8 /* bits 15:8: device and function */
#define PCI_CONF1_REG_MASK 0xFC /* bits 7:2: dword register number */
#define PCI_CONF1_BYTE_MASK 0x3 /* byte within the dword */
#define PCI_CONF1_NR_PORTS 8 /* 0xCF8-0xCFF */

/* The size of a function's configuration space (PCI LB 3.0, 6.1). */
#define PCI_CFG_SPACE_SIZE 256

/* Header registers common to every type (PCI LB 3.0, 6.1, figure 6-1). */
#define PCI_VENDOR_ID 0x00 /* 16 bits; 0xFFFF: no function here */
#define PCI_DEVICE_ID 0x02 /* 16 bits */
#define PCI_COMMAND 0x04 /* 16 bits (6.2.2) */
#define PCI_STATUS 0x06 /* 16 bits (6.2.3) */
#define PCI_CLASS_REVISION 0x08 /* revision in 7:0, class in 31:8 */
#define PCI_CACHE_LINE_SIZE 0x0C
#define PCI_LATENCY_TIMER 0x0D
#define PCI_HEADER_TYPE 0x0E /* 8 bits (6.2.1) */
#define PCI_BIST 0x0F

#define PCI_VENDOR_ID_NONE 0xFFFF /* master abort reads all-ones */
#define PCI_CLASS_REVISION_SHIFT 8 /* class code above the revision */
#define PCI_REVISION_MASK 0xFF

/* Header type register (PCI LB 3.0, 6.2.1). */
#define PCI_HEADER_TYPE_MASK 0x7F /* bits 6:0: layout of 0x10-0x3F */
#define PCI_HEADER_TYPE_MFD 0x80 /* bit 7: multi-function device */
#define PCI_HEADER_TYPE_NORMAL 0
#define PCI_HEADER_TYPE_BRIDGE 1 /* PCI-to-PCI Bridge Spec 1.2, 3.2 */
#define PCI_HEADER_TYPE_CARDBUS 2

/* Command register bits (PCI LB 3.0, 6.2.2, figure 6-2). */
#define PCI_COMMAND_IO 0x0001 /* bit 0: respond to I/O space */
#define PCI_COMMAND_MEMORY 0x0002 /* bit 1: respond to memory space */
#define PCI_COMMAND_MASTER 0x0004 /* bit 2: may be a bus master */
#define PCI_COMMAND_DECODE (PCI_COMMAND_IO | PCI_COMMAND_MEMORY)

/* Type 0 header (PCI LB 3.0, 6.2.5 and 6.2.4). */
#define PCI_BASE_ADDRESS_0 0x10 /* six dword BARs, 0x10-0x24 */
#define PCI_SUBSYSTEM_VENDOR_ID 0x2C
#define PCI_SUBSYSTEM_ID 0x2E
#define PCI_ROM_ADDRESS 0x30 /* expansion ROM BAR (6.2.5.2) */
#define PCI_INTERRUPT_LINE 0x3C /* 8 bits, written by firmware */
#define PCI_INTERRUPT_PIN 0x3D /* 0: none, 1-4: INTA#-INTD# */
#define PCI_TYPE0_NR_BARS 6

/* Type 1 header: PCI-to-PCI Bridge Architecture Spec 1.2, 3.2. */
#define PCI_PRIMARY_BUS 0x18
#define PCI_SECONDARY_BUS 0x19 /* the bus behind the bridge */
#define PCI_SUBORDINATE_BUS 0x1A
#define PCI_ROM_ADDRESS1 0x38 /* a bridge's expansion ROM BAR */
#define PCI_TYPE1_NR_BARS 2
#define PCI_TYPE2_NR_BARS 1 /* CardBus: the socket registers BAR */

/* Base address register bits (PCI LB 3.0, 6.2.5.1, figures 6-4/6-5). */
#define PCI_BASE_ADDRESS_SPACE_IO 0x1 /* bit 0: 1 = I/O, 0 = memory */
#define PCI_BASE_ADDRESS_MEM_TYPE_MASK 0x6 /* bits 2:1 */
#define PCI_BASE_ADDRESS_MEM_TYPE_32 0x0 /* anywhere in 32 bits */
#define PCI_BASE_ADDRESS_MEM_TYPE_64 0x4 /* 64 bits: two BAR slots */
#define PCI_BASE_ADDRESS_MEM_PREFETCH 0x8 /* bit 3: prefetchable */
#define PCI_BASE_ADDRESS_MEM_MASK (~0xFU) /* the address bits */
#define PCI_BASE_ADDRESS_IO_MASK (~0x3U)
#define PCI_BASE_ADDRESS_MEM_FLAGS 0xFU /* the low bits kept as flags */
#define PCI_BASE_ADDRESS_IO_FLAGS 0x3U
#define PCI_ROM_ADDRESS_ENABLE 0x1 /* bit 0: decode the ROM */
#define PCI_ROM_ADDRESS_MASK (~0x7FFU) /* bits 31:11 */

#define PCI_BAR_SIZING_PATTERN 0xFFFFFFFFU /* written to find the size */

/* Geometry (PCI LB 3.0, 3.2.2.3.2: 5 device bits, 3 function bits). */
#define PCI_MAX_BUSES 256
#define PCI_MAX_DEVICES 32
#define PCI_MAX_FUNCTIONS 8

/* access.c: configuration mechanism #1, below any struct pci_dev. */
int pci_bus_read_config(unsigned int bus, unsigned int devfn, int where,
			int size, u32 *val);
int pci_bus_write_config(unsigned int bus, unsigned int devfn, int where,
			 int size, u32 val);

/*
 * The modalias of a function (Linux's, in uevents and sysfs):
 * vendor, device, subsystem ids, base class, sub-class, prog-if.
 */
#define PCI_MODALIAS_FMT "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X"
#define PCI_MODALIAS_ARGS(p)                                   \
	(p)->vendor, (p)->device, (p)->subsystem_vendor,       \
		(p)->subsystem_device, (u8)((p)->class >> 16), \
		(u8)((p)->class >> 8), (u8)(p)->class

/* pci-sysfs.c: the attributes of every function's directory. */
extern const struct attribute_group *pci_dev_groups[];

/* probe.c: the list every found function is on, in bus order. */
extern struct list_head pci_devices;

#endif /* _DRIVERS_PCI_PCI_H */
