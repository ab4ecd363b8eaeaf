/*
 * PCI: the core's view of every PCI function in the machine.
 *
 * At boot pci_init() walks bus 0 and every bus behind a PCI-to-PCI
 * bridge through configuration mechanism #1, and makes one struct
 * pci_dev per function it finds: its ids and class, its interrupt line
 * and pin, and its resources (the windows of I/O ports and memory its
 * base address registers decode, as the firmware placed them). The
 * devices stay on a list for the life of the system; later, the driver
 * core binds drivers to them (docs/pci.md).
 *
 * Who frees what: nobody. Hot-plug does not exist yet, so a pci_dev is
 * never removed and pointers to one stay valid forever.
 */
#ifndef _KESTREL_PCI_H
#define _KESTREL_PCI_H

#include <kestrel/list.h>
#include <kestrel/types.h>

struct seq_file;

/* Resources 0-5 are the BARs, 6 the expansion ROM (Linux's order). */
#define PCI_STD_NUM_BARS 6
#define PCI_ROM_RESOURCE 6
#define PCI_NUM_RESOURCES 7

/*
 * A resource's flags. The low 4 bits hold the BAR's own low bits as
 * read (I/O or memory, type, prefetchable; for the ROM, its enable
 * bit), as Linux keeps them, so /proc/bus/pci/devices prints them.
 */
#define PCI_RES_BAR_BITS 0x0000000fUL
#define PCI_RES_IO 0x00000100UL /* I/O ports */
#define PCI_RES_MEM 0x00000200UL /* memory */
#define PCI_RES_PREFETCH 0x00002000UL /* memory without side effects */
#define PCI_RES_MEM_64 0x00100000UL /* a 64-bit BAR (two slots) */
#define PCI_RES_ROM 0x00200000UL /* the expansion ROM */

/* A window of I/O or memory space a function decodes. Empty: size 0. */
struct pci_resource {
	u64 start; /* bus address the firmware placed it at */
	u64 size; /* bytes; a power of two */
	unsigned long flags; /* PCI_RES_* */
};

/* devfn: device (slot) in bits 7:3, function in 2:0. */
#define PCI_DEVFN(slot, func) ((((slot)&0x1f) << 3) | ((func)&0x07))
#define PCI_SLOT(devfn) (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn) ((devfn)&0x07)

/*
 * One PCI function. Every field is written once by pci_init() and
 * read-only afterwards, so no lock is needed to read one.
 */
struct pci_dev {
	struct list_head node; /* on pci_devices */
	unsigned int bus; /* bus number */
	unsigned int devfn; /* PCI_DEVFN(slot, function) */
	u16 vendor;
	u16 device;
	u16 subsystem_vendor;
	u16 subsystem_device;
	u32 class; /* 24 bits: base class, sub-class, prog-if */
	u8 revision;
	u8 hdr_type; /* without the multi-function bit */
	bool multifunction;
	u8 pin; /* interrupt pin: 0 none, 1-4 INTA#-INTD# */
	unsigned int irq; /* interrupt line, as the firmware routed it */
	u8 secondary; /* bridges: the bus number behind it */
	struct pci_resource resource[PCI_NUM_RESOURCES];
};

/**
 * pci_init - find every PCI function and print one line for each
 *
 * Called once by start_kernel() once kmalloc works. Returns 0, or
 * -ENODEV when no host bridge answers (a machine without PCI).
 * Context: process, boot; may sleep.
 */
int pci_init(void);

/*
 * Configuration space accessors. @where is the byte offset (0-255),
 * aligned to the access size. Return 0, or -EINVAL for a bad offset.
 * A function that does not exist reads as all-ones.
 * Context: any; take and release pci_config_lock (irqsave).
 */
int pci_read_config_byte(const struct pci_dev *dev, int where, u8 *val);
int pci_read_config_word(const struct pci_dev *dev, int where, u16 *val);
int pci_read_config_dword(const struct pci_dev *dev, int where, u32 *val);
int pci_write_config_byte(const struct pci_dev *dev, int where, u8 val);
int pci_write_config_word(const struct pci_dev *dev, int where, u16 val);
int pci_write_config_dword(const struct pci_dev *dev, int where, u32 val);

/**
 * pci_enable_device - let @dev answer to its I/O and memory resources
 *
 * Sets the command register's I/O space and memory space enable bits
 * for the kinds of resources @dev has (the ROM does not count).
 * Returns 0 or -errno. Context: process; does not sleep.
 */
int pci_enable_device(struct pci_dev *dev);

/**
 * pci_set_master - let @dev start transactions (DMA) on the bus
 *
 * Sets the command register's bus master enable bit.
 * Context: process; does not sleep.
 */
void pci_set_master(struct pci_dev *dev);

/**
 * pci_get_device - the next function with these ids
 * @vendor: vendor id, or PCI_ANY_ID
 * @device: device id, or PCI_ANY_ID
 * @from: where the previous search stopped, NULL for the first
 *
 * Returns the function after @from (in bus order) whose ids match, or
 * NULL. Devices are never freed: nothing to put. Context: any.
 */
struct pci_dev *pci_get_device(unsigned int vendor, unsigned int device,
			       struct pci_dev *from);
#define PCI_ANY_ID (~0U)

/* The function at @bus/@devfn, or NULL. Context: any. */
struct pci_dev *pci_get_slot(unsigned int bus, unsigned int devfn);

/* The number of functions found. Context: any. */
unsigned int pci_dev_count(void);

/* Write /proc/bus/pci/devices's text (Linux's format) into @m. */
void pci_proc_devices_show(struct seq_file *m);

#endif /* _KESTREL_PCI_H */
