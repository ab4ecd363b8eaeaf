/*
 * The pci bus_type: PCI functions as devices of the driver core, and
 * pci_driver id tables matched against them (Linux's pci-driver.c and
 * the device-adding half of probe.c).
 *
 * pci_init() (an arch_initcall) finds the functions at boot;
 * pci_bus_init() (subsys level) then registers the bus and one device per
 * host bridge and per function, parents first:
 *
 *   /sys/devices/pci0000:00                 the host bridge (no bus)
 *   /sys/devices/pci0000:00/0000:00:01.1    a function on bus 0
 *   /sys/devices/pci0000:00/0000:00:1e.0/0000:01:00.0
 *                                           behind a PCI-PCI bridge
 *
 * The driver core then binds: pci_bus_match() asks the driver's id
 * table, pci_device_probe() calls the driver's probe with the entry that
 * matched. pci_uevent() gives user space the variables Linux does
 * (PCI_CLASS, PCI_ID, PCI_SUBSYS_ID, PCI_SLOT_NAME, MODALIAS), which
 * is what lets udev or mdev load and configure by modalias.
 *
 * Locking: the driver core holds the device lock around probe and
 * remove, which protects pdev->driver.
 */
#include <kestrel/init.h>
#include <kestrel/errno.h>
#include <kestrel/printk.h>

#include "pci.h"

/* Does @id describe @dev? Each id is equal or PCI_ANY_ID. */
static bool pci_id_matches(const struct pci_device_id *id,
			   const struct pci_dev *dev)
{
	return (id->vendor == PCI_ANY_ID || id->vendor == dev->vendor) &&
	       (id->device == PCI_ANY_ID || id->device == dev->device) &&
	       (id->subvendor == PCI_ANY_ID ||
		id->subvendor == dev->subsystem_vendor) &&
	       (id->subdevice == PCI_ANY_ID ||
		id->subdevice == dev->subsystem_device) &&
	       !((id->class ^ dev->class) & id->class_mask);
}

/* The end of an id table: every field zero (vendor 0 is invalid). */
static bool pci_id_is_end(const struct pci_device_id *id)
{
	return !id->vendor && !id->subvendor && !id->class_mask;
}

const struct pci_device_id *pci_match_id(const struct pci_device_id *ids,
					 const struct pci_dev *dev)
{
	if (!ids)
		return NULL;
	for (; !pci_id_is_end(ids); ids++)
		if (pci_id_matches(ids, dev))
			return ids;
	return NULL;
}

static int pci_bus_match(struct device *dev, struct device_driver *drv)
{
	return pci_match_id(to_pci_driver(drv)->id_table, to_pci_dev(dev)) !=
	       NULL;
}

/* Bind: the core set dev->driver and holds the device lock. */
static int pci_device_probe(struct device *dev)
{
	struct pci_driver *drv = to_pci_driver(dev->driver);
	struct pci_dev *pdev = to_pci_dev(dev);
	const struct pci_device_id *id = pci_match_id(drv->id_table, pdev);
	int err;

	if (!id || !drv->probe)
		return -ENODEV;
	pdev->driver = drv;
	err = drv->probe(pdev, id);
	if (err)
		pdev->driver = NULL;
	return err;
}

/* Unbind: the core holds the device lock. */
static void pci_device_remove(struct device *dev)
{
	struct pci_dev *pdev = to_pci_dev(dev);

	if (pdev->driver && pdev->driver->remove)
		pdev->driver->remove(pdev);
	pdev->driver = NULL;
}

/* The variables of Linux's pci_uevent(), in its formats. */
static int pci_uevent(const struct device *dev, struct kobj_uevent_env *env)
{
	const struct pci_dev *pdev = to_pci_dev(dev);

	if (add_uevent_var(env, "PCI_CLASS=%X", pdev->class) ||
	    add_uevent_var(env, "PCI_ID=%04X:%04X", pdev->vendor,
			   pdev->device) ||
	    add_uevent_var(env, "PCI_SUBSYS_ID=%04X:%04X",
			   pdev->subsystem_vendor, pdev->subsystem_device) ||
	    add_uevent_var(env, "PCI_SLOT_NAME=%s", pci_name(pdev)) ||
	    add_uevent_var(env, "MODALIAS=" PCI_MODALIAS_FMT,
			   PCI_MODALIAS_ARGS(pdev)))
		return -ENOMEM;
	return 0;
}

struct bus_type pci_bus_type = {
	.name = "pci",
	.match = pci_bus_match,
	.uevent = pci_uevent,
	.probe = pci_device_probe,
	.remove = pci_device_remove,
	.dev_groups = pci_dev_groups,
};

int pci_register_driver(struct pci_driver *drv)
{
	drv->driver.name = drv->name;
	drv->driver.bus = &pci_bus_type;
	return driver_register(&drv->driver);
}

void pci_unregister_driver(struct pci_driver *drv)
{
	driver_unregister(&drv->driver);
}

/*
 * Functions are never freed (include/kestrel/pci.h), nor is the host
 * bridge: the last reference going is a bug.
 */
static void pci_release_dev(struct device *dev)
{
	pr_warn("pci %s: released, but PCI devices are forever\n",
		dev_name(dev));
}

static struct device pci_host_bridge = {
	.init_name = "pci0000:00",
	.release = pci_release_dev,
};

/* Register @pdev under its bridge (or the host bridge). */
static int pci_device_add(struct pci_dev *pdev)
{
	struct device *dev = &pdev->dev;
	int err;

	device_initialize(dev);
	dev->parent = pdev->upstream ? &pdev->upstream->dev : &pci_host_bridge;
	dev->bus = &pci_bus_type;
	dev->release = pci_release_dev;
	err = dev_set_name(dev, "%s", pci_name(pdev));
	if (!err)
		err = device_add(dev);
	if (err)
		pr_err("pci %s: cannot add the device (%d)\n", pci_name(pdev),
		       err);
	return err;
}

/*
 * Register the pci bus_type, the host bridge device "pci0000:00" and
 * every function pci_init() found (a subsys_initcall: after the driver
 * core, before the PCI drivers' device_initcalls).
 */
static int pci_bus_init(void)
{
	struct pci_dev *pdev;
	int err;

	err = bus_register(&pci_bus_type);
	if (err)
		return err;
	err = device_register(&pci_host_bridge);
	if (err)
		goto out_bus;
	list_for_each_entry(pdev, &pci_devices, node)
		pci_device_add(pdev);
	return 0;

out_bus:
	bus_unregister(&pci_bus_type);
	return err;
}
subsys_initcall(pci_bus_init);
