/*
 * PCI configuration space access through configuration mechanism #1
 * (PCI Local Bus Specification 3.0, 3.2.2.3.2), the one the i440FX
 * host bridge of QEMU's pc machine implements.
 *
 * The host bridge owns two I/O ports: a write of (enable | bus |
 * device/function | register) to CONFIG_ADDRESS (0xCF8) selects a
 * dword of some function's configuration space, and the next access to
 * CONFIG_DATA (0xCFC-0xCFF) reads or writes it. The pair is one
 * operation: if anything else selected another register in between,
 * the access would land there. pci_config_lock (irqsave, since a
 * handler may touch a device's configuration) makes the pair atomic.
 *
 * Above that: the pci_dev accessors, and the command register helpers
 * pci_enable_device() and pci_set_master().
 */
#include <asm/io.h>
#include <kestrel/bug.h>
#include <kestrel/errno.h>
#include <kestrel/spinlock.h>

#include "pci.h"

/* Guards the CONFIG_ADDRESS/CONFIG_DATA pair: taken for each access. */
static DEFINE_SPINLOCK(pci_config_lock);

static u32 conf1_address(unsigned int bus, unsigned int devfn, int where)
{
	return PCI_CONF1_ENABLE | (bus << PCI_CONF1_BUS_SHIFT) |
	       (devfn << PCI_CONF1_DEVFN_SHIFT) | (where & PCI_CONF1_REG_MASK);
}

/* Is (@bus, @devfn, @where, @size) a well-formed, aligned access? */
static bool conf1_valid(unsigned int bus, unsigned int devfn, int where,
			int size)
{
	if (bus >= PCI_MAX_BUSES ||
	    devfn > PCI_DEVFN(PCI_MAX_DEVICES - 1, PCI_MAX_FUNCTIONS - 1))
		return false;
	if (where < 0 || where + size > PCI_CFG_SPACE_SIZE)
		return false;
	return (size == 1 || size == 2 || size == 4) && !(where & (size - 1));
}

/**
 * pci_bus_read_config - read @size bytes at @where of @bus/@devfn
 *
 * Returns 0, or -EINVAL for a malformed access (then *@val is all-ones,
 * like a read of a function that is not there).
 * Context: any; takes pci_config_lock (irqsave).
 */
int pci_bus_read_config(unsigned int bus, unsigned int devfn, int where,
			int size, u32 *val)
{
	u16 port = PCI_CONF1_DATA_PORT + (where & PCI_CONF1_BYTE_MASK);
	unsigned long flags;

	if (!conf1_valid(bus, devfn, where, size)) {
		*val = ~0U;
		return -EINVAL;
	}
	spin_lock_irqsave(&pci_config_lock, flags);
	outl(conf1_address(bus, devfn, where), PCI_CONF1_ADDRESS_PORT);
	if (size == 1)
		*val = inb(port);
	else if (size == 2)
		*val = inw(port);
	else
		*val = inl(port);
	spin_unlock_irqrestore(&pci_config_lock, flags);
	return 0;
}

/**
 * pci_bus_write_config - write @size bytes of @val at @where of @bus/@devfn
 *
 * Returns 0 or -EINVAL for a malformed access.
 * Context: any; takes pci_config_lock (irqsave).
 */
int pci_bus_write_config(unsigned int bus, unsigned int devfn, int where,
			 int size, u32 val)
{
	u16 port = PCI_CONF1_DATA_PORT + (where & PCI_CONF1_BYTE_MASK);
	unsigned long flags;

	if (!conf1_valid(bus, devfn, where, size))
		return -EINVAL;
	spin_lock_irqsave(&pci_config_lock, flags);
	outl(conf1_address(bus, devfn, where), PCI_CONF1_ADDRESS_PORT);
	if (size == 1)
		outb(val, port);
	else if (size == 2)
		outw(val, port);
	else
		outl(val, port);
	spin_unlock_irqrestore(&pci_config_lock, flags);
	return 0;
}

int pci_read_config_byte(const struct pci_dev *dev, int where, u8 *val)
{
	u32 v;
	int err = pci_bus_read_config(dev->bus, dev->devfn, where, 1, &v);

	*val = v;
	return err;
}

int pci_read_config_word(const struct pci_dev *dev, int where, u16 *val)
{
	u32 v;
	int err = pci_bus_read_config(dev->bus, dev->devfn, where, 2, &v);

	*val = v;
	return err;
}

int pci_read_config_dword(const struct pci_dev *dev, int where, u32 *val)
{
	return pci_bus_read_config(dev->bus, dev->devfn, where, 4, val);
}

int pci_write_config_byte(const struct pci_dev *dev, int where, u8 val)
{
	return pci_bus_write_config(dev->bus, dev->devfn, where, 1, val);
}

int pci_write_config_word(const struct pci_dev *dev, int where, u16 val)
{
	return pci_bus_write_config(dev->bus, dev->devfn, where, 2, val);
}

int pci_write_config_dword(const struct pci_dev *dev, int where, u32 val)
{
	return pci_bus_write_config(dev->bus, dev->devfn, where, 4, val);
}

/* Set @bits in @dev's command register (read, or, write if changed). */
static void pci_command_set(struct pci_dev *dev, u16 bits)
{
	u16 cmd;

	pci_read_config_word(dev, PCI_COMMAND, &cmd);
	if ((cmd & bits) != bits)
		pci_write_config_word(dev, PCI_COMMAND, cmd | bits);
}

int pci_enable_device(struct pci_dev *dev)
{
	u16 bits = 0;
	int i;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		if (dev->resource[i].flags & IORESOURCE_IO)
			bits |= PCI_COMMAND_IO;
		if (dev->resource[i].flags & IORESOURCE_MEM)
			bits |= PCI_COMMAND_MEMORY;
	}
	pci_command_set(dev, bits);
	dev->enable_cnt++;
	return 0;
}

void pci_disable_device(struct pci_dev *dev)
{
	u16 cmd;

	if (WARN_ON(!dev->enable_cnt) || --dev->enable_cnt)
		return;
	pci_read_config_word(dev, PCI_COMMAND, &cmd);
	if (cmd & PCI_COMMAND_MASTER)
		pci_write_config_word(dev, PCI_COMMAND,
				      cmd & ~PCI_COMMAND_MASTER);
}

void pci_set_master(struct pci_dev *dev)
{
	pci_command_set(dev, PCI_COMMAND_MASTER);
}
