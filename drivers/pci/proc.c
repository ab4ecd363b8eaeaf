/*
 * /proc/bus/pci/devices: one line per PCI function, in the format of
 * Linux's drivers/pci/proc.c, which lspci-like tools parse:
 *
 *   BBDF  VVVVDDDD  IRQ  BAR0 ... BAR5 ROM  SIZE0 ... SIZE5 ROMSIZE  DRIVER
 *
 * separated by tabs, all hexadecimal. Each address carries the BAR's
 * low flag bits (I/O, type, prefetchable; the ROM's enable bit), and
 * the last column names the bound driver, if any.
 */
#include <kestrel/proc_fs.h>

#include "pci.h"

/* The flag bits Linux ORs into the printed address (PCI_REGION_FLAG_MASK). */
#define PCI_PROC_FLAG_MASK 0xfUL

static void pci_proc_show_one(struct seq_file *m, const struct pci_dev *dev)
{
	const struct resource *res;
	int i;

	seq_printf(m, "%02x%02x\t%04x%04x\t%x", dev->bus, dev->devfn,
		   dev->vendor, dev->device, dev->irq);
	for (i = 0; i < PCI_NUM_RESOURCES; i++) {
		res = &dev->resource[i];
		seq_printf(m, "\t%16llx",
			   res->start | (res->flags & PCI_PROC_FLAG_MASK));
	}
	for (i = 0; i < PCI_NUM_RESOURCES; i++)
		seq_printf(m, "\t%16llx", pci_resource_len(dev, i));
	seq_printf(m, "\t%s\n", dev->driver ? dev->driver->name : "");
}

/**
 * pci_proc_devices_show - the text of /proc/bus/pci/devices
 * @m: the file being built
 *
 * Context: process; the device list is read-only after boot.
 */
void pci_proc_devices_show(struct seq_file *m)
{
	struct pci_dev *dev;

	list_for_each_entry(dev, &pci_devices, node)
		pci_proc_show_one(m, dev);
}
