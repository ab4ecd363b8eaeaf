/*
 * The files of a PCI function's sysfs directory,
 * /sys/bus/pci/devices/0000:BB:DD.F/, in Linux's formats (its
 * drivers/pci/pci-sysfs.c), which tools such as lspci parse:
 *
 *   vendor device subsystem_vendor subsystem_device   "0x8086\n"
 *   class "0x010180\n"   revision "0x00\n"   irq "11\n"
 *   resource   one "0x%016llx 0x%016llx 0x%016llx\n" line (start, end,
 *              IORESOURCE_* flags) per resource slot, zeros when empty
 *   modalias   "pci:v00008086d00007010sv...\n"
 *   enable     (0600) pci_enable_device() calls in force; write 1 or 0
 *   local_cpus, local_cpulist, dma_mask_bits, consistent_dma_mask_bits
 *   config     (binary) the configuration space: 256 bytes for the
 *              administrator, the 64-byte header for everybody else
 *
 * The bus gives every device these groups (bus_type.dev_groups), so the
 * driver core creates them with the directory.
 *
 * Locking: the identification fields are read-only after boot; config
 * reads and writes take pci_config_lock inside the accessors.
 */
#include <kestrel/cred.h>
#include <kestrel/errno.h>
#include <kestrel/kstrtox.h>

#include "pci.h"

/*
 * Lines of "resource": Linux prints the BARs, the ROM and (its kernels
 * are built with SR-IOV support) six IOV BAR slots for a device, and
 * four bridge windows more for a bridge; the slots Kestrel does not
 * have are printed as zeros, so the files match line for line.
 */
#define PCI_SYSFS_IOV_RESOURCES 6
#define PCI_SYSFS_BRIDGE_WINDOWS 4
#define PCI_SYSFS_DEV_RESOURCES (PCI_NUM_RESOURCES + PCI_SYSFS_IOV_RESOURCES)
#define PCI_SYSFS_BRIDGE_RESOURCES \
	(PCI_SYSFS_DEV_RESOURCES + PCI_SYSFS_BRIDGE_WINDOWS)

/* The header everyone may read (PCI LB 3.0, 6.1: the predefined part). */
#define PCI_STD_HEADER_SIZE 64
#define PCI_DMA_MASK_BITS 32 /* no 64-bit DMA on i386 */

/* A read-only attribute printing one field of struct pci_dev. */
#define PCI_CONFIG_ATTR(field, fmt)                                           \
	static ssize_t field##_show(struct device *dev,                       \
				    struct device_attribute *attr, char *buf) \
	{                                                                     \
		return sysfs_emit(buf, fmt, to_pci_dev(dev)->field);          \
	}                                                                     \
	static DEVICE_ATTR_RO(field)

PCI_CONFIG_ATTR(vendor, "0x%04x\n");
PCI_CONFIG_ATTR(device, "0x%04x\n");
PCI_CONFIG_ATTR(subsystem_vendor, "0x%04x\n");
PCI_CONFIG_ATTR(subsystem_device, "0x%04x\n");
PCI_CONFIG_ATTR(revision, "0x%02x\n");
PCI_CONFIG_ATTR(class, "0x%06x\n");
PCI_CONFIG_ATTR(irq, "%u\n");

static ssize_t resource_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	int i, n = 0,
	       max = pdev->hdr_type == PCI_HEADER_TYPE_BRIDGE ?
			     PCI_SYSFS_BRIDGE_RESOURCES :
			     PCI_SYSFS_DEV_RESOURCES;
	const struct resource *res;
	static const struct resource none;

	for (i = 0; i < max; i++) {
		res = i < PCI_NUM_RESOURCES ? &pdev->resource[i] : &none;
		n += sysfs_emit_at(buf, n, "0x%016llx 0x%016llx 0x%016llx\n",
				   (unsigned long long)res->start,
				   (unsigned long long)res->end,
				   (unsigned long long)res->flags);
	}
	return n;
}
static DEVICE_ATTR_RO(resource);

static ssize_t modalias_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct pci_dev *pdev = to_pci_dev(dev);

	return sysfs_emit(buf, PCI_MODALIAS_FMT "\n", PCI_MODALIAS_ARGS(pdev));
}
static DEVICE_ATTR_RO(modalias);

static ssize_t enable_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%u\n", to_pci_dev(dev)->enable_cnt);
}

/* "1": pci_enable_device(); "0": undo one enable (EIO if none). */
static ssize_t enable_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	unsigned long val;
	int err = 0;

	if (kstrtoul(buf, 0, &val))
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	device_lock(dev);
	if (val)
		err = pci_enable_device(pdev);
	else if (pci_is_enabled(pdev))
		pci_disable_device(pdev);
	else
		err = -EIO;
	device_unlock(dev);
	return err ? err : (ssize_t)count;
}
static DEVICE_ATTR(enable, 0600, enable_show, enable_store);

/* One CPU: its mask is bit 0, its list "0". */
static ssize_t local_cpus_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "1\n");
}
static DEVICE_ATTR_RO(local_cpus);

static ssize_t local_cpulist_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "0\n");
}
static DEVICE_ATTR_RO(local_cpulist);

static ssize_t dma_mask_bits_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", PCI_DMA_MASK_BITS);
}
static DEVICE_ATTR_RO(dma_mask_bits);

static ssize_t consistent_dma_mask_bits_show(struct device *dev,
					     struct device_attribute *attr,
					     char *buf)
{
	return sysfs_emit(buf, "%d\n", PCI_DMA_MASK_BITS);
}
static DEVICE_ATTR_RO(consistent_dma_mask_bits);

/* The part of configuration space the reader may see. */
static loff_t pci_config_visible(void)
{
	return capable(CAP_SYS_ADMIN) ? PCI_CFG_SPACE_SIZE :
					PCI_STD_HEADER_SIZE;
}

static ssize_t config_read(struct file *file, struct kobject *kobj,
			   struct bin_attribute *attr, char *buf, loff_t off,
			   size_t count)
{
	struct pci_dev *pdev = to_pci_dev(kobj_to_dev(kobj));
	loff_t size = pci_config_visible();
	size_t i;
	u8 v;

	if (off < 0)
		return -EINVAL;
	if (off >= size)
		return 0;
	if ((loff_t)count > size - off)
		count = size - off;
	for (i = 0; i < count; i++) {
		pci_read_config_byte(pdev, (int)(off + i), &v);
		buf[i] = v;
	}
	return count;
}

static ssize_t config_write(struct file *file, struct kobject *kobj,
			    struct bin_attribute *attr, char *buf, loff_t off,
			    size_t count)
{
	struct pci_dev *pdev = to_pci_dev(kobj_to_dev(kobj));
	size_t i;

	if (off < 0)
		return -EINVAL;
	if (off >= PCI_CFG_SPACE_SIZE)
		return 0;
	if ((loff_t)count > PCI_CFG_SPACE_SIZE - off)
		count = PCI_CFG_SPACE_SIZE - off;
	for (i = 0; i < count; i++)
		pci_write_config_byte(pdev, (int)(off + i), (u8)buf[i]);
	return count;
}

static struct bin_attribute bin_attr_config = {
	.attr = { .name = "config", .mode = 0644 },
	.size = PCI_CFG_SPACE_SIZE,
	.read = config_read,
	.write = config_write,
};

static struct attribute *pci_dev_attrs[] = {
	&dev_attr_vendor.attr,
	&dev_attr_device.attr,
	&dev_attr_subsystem_vendor.attr,
	&dev_attr_subsystem_device.attr,
	&dev_attr_revision.attr,
	&dev_attr_class.attr,
	&dev_attr_irq.attr,
	&dev_attr_resource.attr,
	&dev_attr_modalias.attr,
	&dev_attr_enable.attr,
	&dev_attr_local_cpus.attr,
	&dev_attr_local_cpulist.attr,
	&dev_attr_dma_mask_bits.attr,
	&dev_attr_consistent_dma_mask_bits.attr,
	NULL,
};

static struct bin_attribute *pci_dev_bin_attrs[] = {
	&bin_attr_config,
	NULL,
};

static const struct attribute_group pci_dev_group = {
	.attrs = pci_dev_attrs,
	.bin_attrs = pci_dev_bin_attrs,
};

const struct attribute_group *pci_dev_groups[] = {
	&pci_dev_group,
	NULL,
};
