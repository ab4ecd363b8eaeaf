/*
 * A driver for QEMU's "edu" PCI device (-device edu): the smallest real
 * pci_driver, a worked example of the device model (docs/pci.md).
 *
 * probe:  enable the function, claim and ioremap its register BAR,
 *         check the identification register and that the liveness
 *         register answers (it returns the inverse of what is written);
 *         the driver core then adds the driver's dev_groups to the
 *         device's directory:
 *
 *           /sys/bus/pci/devices/0000:00:04.0/identification  (0444)
 *           /sys/bus/pci/devices/0000:00:04.0/liveness        (0644)
 *
 * A write to "liveness" goes to the register and is announced to user
 * space with send_kevent() (seed 003): a "change" uevent of the device
 * naming the attribute, which a netlink listener or the uevent helper
 * sees; poll() waiters on the file are woken too.
 *
 * remove: undo probe in reverse. Binding and unbinding by hand goes
 * through /sys/bus/pci/drivers/edu/{bind,unbind}.
 *
 * Locking: the driver core holds the device lock across probe and
 * remove; attribute methods run only while bound (the core adds the
 * files after a successful probe and removes them before remove), so
 * the registers stay mapped while they run. They still answer -ENODEV
 * when there is no drvdata, should a file ever outlive the binding.
 * The registers are independent 32-bit accesses: no lock of our own.
 */
#include <kestrel/init.h>
#include <kestrel/errno.h>
#include <kestrel/io.h>
#include <kestrel/kstrtox.h>
#include <kestrel/pci.h>
#include <kestrel/slab.h>

#include "edu.h"

struct edu_device {
	struct pci_dev *pdev;
	void __iomem *regs; /* BAR0, mapped */
};

static struct edu_device *edu_from_dev(struct device *dev)
{
	return pci_get_drvdata(to_pci_dev(dev));
}

static ssize_t identification_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct edu_device *edu = edu_from_dev(dev);

	if (!edu)
		return -ENODEV;
	return sysfs_emit(buf, "0x%08x\n", readl(edu->regs + EDU_REG_IDENT));
}
static DEVICE_ATTR_RO(identification);

static ssize_t liveness_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct edu_device *edu = edu_from_dev(dev);

	if (!edu)
		return -ENODEV;
	return sysfs_emit(buf, "0x%08x\n", readl(edu->regs + EDU_REG_LIVENESS));
}

/* Write the register, then tell user space which attribute changed. */
static ssize_t liveness_store(struct device *dev, struct device_attribute *attr,
			      const char *buf, size_t count)
{
	struct edu_device *edu = edu_from_dev(dev);
	unsigned int val;

	if (!edu)
		return -ENODEV;
	if (kstrtouint(buf, 0, &val))
		return -EINVAL;
	writel(val, edu->regs + EDU_REG_LIVENESS);
	send_kevent(&dev->kobj, &attr->attr);
	return count;
}
static DEVICE_ATTR_RW(liveness);

static struct attribute *edu_attrs[] = {
	&dev_attr_identification.attr,
	&dev_attr_liveness.attr,
	NULL,
};
ATTRIBUTE_GROUPS(edu);

/* Is this an edu that answers? Checks both registers (edu.rst). */
static int edu_self_check(struct edu_device *edu)
{
	u32 ident = readl(edu->regs + EDU_REG_IDENT);

	if ((ident & EDU_IDENT_MAGIC_MASK) != EDU_IDENT_MAGIC) {
		dev_err(&edu->pdev->dev, "bad identification 0x%08x\n", ident);
		return -ENODEV;
	}
	writel(EDU_LIVENESS_PATTERN, edu->regs + EDU_REG_LIVENESS);
	if (readl(edu->regs + EDU_REG_LIVENESS) != ~EDU_LIVENESS_PATTERN) {
		dev_err(&edu->pdev->dev, "liveness check failed\n");
		return -EIO;
	}
	dev_info(&edu->pdev->dev, "edu version %u.%u\n",
		 ident >> EDU_IDENT_MAJOR_SHIFT,
		 (ident >> EDU_IDENT_MINOR_SHIFT) & EDU_IDENT_VERSION_MASK);
	return 0;
}

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	resource_size_t start = pci_resource_start(pdev, EDU_MMIO_BAR);
	resource_size_t len = pci_resource_len(pdev, EDU_MMIO_BAR);
	struct edu_device *edu;
	int err;

	if (!len || !(pci_resource_flags(pdev, EDU_MMIO_BAR) & IORESOURCE_MEM))
		return -ENODEV;
	edu = kzalloc(sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	edu->pdev = pdev;
	err = pci_enable_device(pdev);
	if (err)
		goto out_free;
	err = -EBUSY;
	if (!request_mem_region(start, len, "edu"))
		goto out_disable;
	err = -ENOMEM;
	edu->regs = ioremap((phys_addr_t)start, (unsigned long)len);
	if (!edu->regs)
		goto out_release;
	err = edu_self_check(edu);
	if (err)
		goto out_unmap;
	pci_set_drvdata(pdev, edu);
	return 0;

out_unmap:
	iounmap(edu->regs);
out_release:
	release_mem_region(start, len);
out_disable:
	pci_disable_device(pdev);
out_free:
	kfree(edu);
	return err;
}

static void edu_remove(struct pci_dev *pdev)
{
	struct edu_device *edu = pci_get_drvdata(pdev);

	pci_set_drvdata(pdev, NULL);
	iounmap(edu->regs);
	release_mem_region(pci_resource_start(pdev, EDU_MMIO_BAR),
			   pci_resource_len(pdev, EDU_MMIO_BAR));
	pci_disable_device(pdev);
	kfree(edu);
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR_ID, EDU_DEVICE_ID) },
	{},
};

static struct pci_driver edu_driver = {
	.name = "edu",
	.id_table = edu_ids,
	.probe = edu_probe,
	.remove = edu_remove,
	.driver = { .dev_groups = edu_groups },
};

/**
 * edu_init - register the edu driver (binds to every edu present)
 *
 * A device_initcall: runs after the pci bus_type has its devices.
 * Returns 0 or -errno.
 * Context: process; may sleep.
 */
static int edu_init(void)
{
	return pci_register_driver(&edu_driver);
}
device_initcall(edu_init);
