/*
 * The platform bus (Linux's drivers/base/platform.c): devices the kernel
 * knows about without a bus to enumerate them - the legacy PC parts at
 * fixed ports. A platform device is named "<name>.<id>" (or "<name>"),
 * lives under /sys/devices/platform/, carries its resources (ports,
 * memory, IRQs), and is bound to the platform driver of the same name.
 * Its events carry MODALIAS=platform:<name>.
 *
 * Who frees what: platform_device_alloc()'d devices are freed, with
 * their copied resources and data, by the last put_device();
 * statically defined ones must set dev.release themselves.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/ioport.h>
#include <kestrel/platform_device.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "base.h"

static void platform_bus_release(struct device *dev)
{
	/* static: the root of /sys/devices/platform is never freed */
}

struct device platform_bus = {
	.init_name = "platform",
	.release = platform_bus_release,
};

static int platform_match(struct device *dev, struct device_driver *drv)
{
	return !strcmp(to_platform_device(dev)->name, drv->name);
}

static int platform_uevent(const struct device *dev,
			   struct kobj_uevent_env *env)
{
	const struct platform_device *pdev =
		container_of(dev, struct platform_device, dev);

	return add_uevent_var(env, "MODALIAS=platform:%s", pdev->name);
}

static int platform_probe(struct device *dev)
{
	struct platform_driver *drv = to_platform_driver(dev->driver);

	return drv->probe ? drv->probe(to_platform_device(dev)) : 0;
}

static void platform_remove(struct device *dev)
{
	struct platform_driver *drv = to_platform_driver(dev->driver);

	if (drv->remove)
		drv->remove(to_platform_device(dev));
}

static void platform_shutdown(struct device *dev)
{
	struct platform_driver *drv;

	if (!dev->driver)
		return;
	drv = to_platform_driver(dev->driver);
	if (drv->shutdown)
		drv->shutdown(to_platform_device(dev));
}

static ssize_t modalias_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "platform:%s\n", to_platform_device(dev)->name);
}
static DEVICE_ATTR_RO(modalias);

static struct attribute *platform_dev_attrs[] = {
	&dev_attr_modalias.attr,
	NULL,
};
ATTRIBUTE_GROUPS(platform_dev);

struct bus_type platform_bus_type = {
	.name = "platform",
	.dev_groups = platform_dev_groups,
	.match = platform_match,
	.uevent = platform_uevent,
	.probe = platform_probe,
	.remove = platform_remove,
	.shutdown = platform_shutdown,
};

/* ---- devices ------------------------------------------------------------- */

/* A platform_device_alloc()'d device and the name it points at. */
struct platform_object {
	struct platform_device pdev;
	char name[];
};

static void platform_device_release(struct device *dev)
{
	struct platform_object *pa =
		container_of(dev, struct platform_object, pdev.dev);

	kfree(pa->pdev.dev.platform_data);
	kfree(pa->pdev.resource);
	kfree(pa);
}

/**
 * platform_device_alloc - make a platform device to add later
 * @name: its name (copied), the driver name it will match
 * @id: instance number, or PLATFORM_DEVID_NONE
 *
 * Return: the device (undo with platform_device_put()), or NULL.
 * Context: process; may sleep.
 */
struct platform_device *platform_device_alloc(const char *name, int id)
{
	size_t len = strlen(name) + 1;
	struct platform_object *pa = kzalloc(sizeof(*pa) + len, GFP_KERNEL);

	if (!pa)
		return NULL;
	memcpy(pa->name, name, len);
	pa->pdev.name = pa->name;
	pa->pdev.id = id;
	device_initialize(&pa->pdev.dev);
	pa->pdev.dev.release = platform_device_release;
	return &pa->pdev;
}

static void *kmemdup_local(const void *src, size_t len)
{
	void *p = kmalloc(len, GFP_KERNEL);

	if (p)
		memcpy(p, src, len);
	return p;
}

/**
 * platform_device_add_resources - give an allocated device its resources
 * @pdev: from platform_device_alloc()
 * @res: the resources (copied), or NULL
 * @num: how many
 *
 * Return: 0 or -ENOMEM. Context: process; may sleep.
 */
int platform_device_add_resources(struct platform_device *pdev,
				  const struct resource *res, unsigned int num)
{
	struct resource *r = NULL;

	if (res && num) {
		r = kmemdup_local(res, sizeof(*res) * num);
		if (!r)
			return -ENOMEM;
	}
	kfree(pdev->resource);
	pdev->resource = r;
	pdev->num_resources = r ? num : 0;
	return 0;
}

/**
 * platform_device_add_data - give an allocated device its platform_data
 * @pdev: from platform_device_alloc()
 * @data: the data (copied), or NULL
 * @size: its size
 *
 * Return: 0 or -ENOMEM. Context: process; may sleep.
 */
int platform_device_add_data(struct platform_device *pdev, const void *data,
			     size_t size)
{
	void *d = NULL;

	if (data && size) {
		d = kmemdup_local(data, size);
		if (!d)
			return -ENOMEM;
	}
	kfree(pdev->dev.platform_data);
	pdev->dev.platform_data = d;
	return 0;
}

static struct resource *resource_root(const struct resource *r)
{
	if (resource_type(r) == IORESOURCE_IO)
		return &ioport_resource;
	if (resource_type(r) == IORESOURCE_MEM)
		return &iomem_resource;
	return NULL;
}

static void platform_release_resources(struct platform_device *pdev,
				       unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (resource_root(&pdev->resource[i]) &&
		    pdev->resource[i].parent)
			release_resource(&pdev->resource[i]);
}

/* Claim the device's port and memory ranges in the resource trees. */
static int platform_claim_resources(struct platform_device *pdev)
{
	struct resource *r, *root;
	unsigned int i;

	for (i = 0; i < pdev->num_resources; i++) {
		r = &pdev->resource[i];
		root = resource_root(r);
		if (!r->name)
			r->name = dev_name(&pdev->dev);
		if (root && insert_resource(root, r)) {
			dev_err(&pdev->dev, "failed to claim resource %u\n", i);
			platform_release_resources(pdev, i);
			return -EBUSY;
		}
	}
	return 0;
}

/**
 * platform_device_add - add an initialised platform device
 * @pdev: the device (from platform_device_alloc() or device_initialize'd)
 *
 * Names it, puts it under /sys/devices/platform (unless it has a
 * parent), claims its resources, adds it and probes a driver.
 * Return: 0, -EBUSY (resource conflict) or device_add()'s -errno.
 * Context: process; may sleep.
 */
int platform_device_add(struct platform_device *pdev)
{
	int err;

	if (!pdev->dev.parent)
		pdev->dev.parent = &platform_bus;
	pdev->dev.bus = &platform_bus_type;
	if (pdev->id != PLATFORM_DEVID_NONE)
		err = dev_set_name(&pdev->dev, "%s.%d", pdev->name, pdev->id);
	else
		err = dev_set_name(&pdev->dev, "%s", pdev->name);
	if (err)
		return err;
	err = platform_claim_resources(pdev);
	if (err)
		return err;
	err = device_add(&pdev->dev);
	if (err)
		platform_release_resources(pdev, pdev->num_resources);
	return err;
}

/**
 * platform_device_del - remove a platform device, keeping the reference
 * @pdev: the device
 *
 * Context: process; may sleep.
 */
void platform_device_del(struct platform_device *pdev)
{
	if (IS_ERR_OR_NULL(pdev))
		return;
	device_del(&pdev->dev);
	platform_release_resources(pdev, pdev->num_resources);
}

/**
 * platform_device_put - drop a reference to a platform device
 * @pdev: the device, or NULL
 *
 * Context: process; may sleep.
 */
void platform_device_put(struct platform_device *pdev)
{
	if (!IS_ERR_OR_NULL(pdev))
		put_device(&pdev->dev);
}

/**
 * platform_device_register - add a statically defined platform device
 * @pdev: the device, with name, id, resources and dev.release set
 *
 * Return: as platform_device_add(). Context: process; may sleep.
 */
int platform_device_register(struct platform_device *pdev)
{
	device_initialize(&pdev->dev);
	return platform_device_add(pdev);
}

/**
 * platform_device_unregister - del and put a platform device
 * @pdev: the device
 *
 * Context: process; may sleep.
 */
void platform_device_unregister(struct platform_device *pdev)
{
	platform_device_del(pdev);
	platform_device_put(pdev);
}

/**
 * platform_device_register_simple - allocate, give resources and add
 * @name: the device's (and its driver's) name
 * @id: instance number, or PLATFORM_DEVID_NONE
 * @res: its resources (copied), or NULL
 * @num: how many
 *
 * Return: the device (undo with platform_device_unregister()), or
 * ERR_PTR(-errno). Context: process; may sleep.
 */
struct platform_device *
platform_device_register_simple(const char *name, int id,
				const struct resource *res, unsigned int num)
{
	struct platform_device *pdev = platform_device_alloc(name, id);
	int err;

	if (!pdev)
		return ERR_PTR(-ENOMEM);
	err = platform_device_add_resources(pdev, res, num);
	if (!err)
		err = platform_device_add(pdev);
	if (err) {
		platform_device_put(pdev);
		return ERR_PTR(err);
	}
	return pdev;
}

/**
 * platform_get_resource - the @num'th resource of a type
 * @pdev: the device
 * @type: IORESOURCE_IO, IORESOURCE_MEM or IORESOURCE_IRQ
 * @num: which one of that type, from 0
 *
 * Return: the resource, or NULL.
 */
struct resource *platform_get_resource(struct platform_device *pdev,
				       unsigned int type, unsigned int num)
{
	unsigned int i;

	for (i = 0; i < pdev->num_resources; i++)
		if (resource_type(&pdev->resource[i]) == type && num-- == 0)
			return &pdev->resource[i];
	return NULL;
}

/**
 * platform_get_irq - the @num'th IRQ of a platform device
 * @pdev: the device
 * @num: which IRQ resource, from 0
 *
 * Return: the IRQ number, or -ENXIO.
 */
int platform_get_irq(struct platform_device *pdev, unsigned int num)
{
	struct resource *r = platform_get_resource(pdev, IORESOURCE_IRQ, num);

	return r ? (int)r->start : -ENXIO;
}

/* ---- drivers ------------------------------------------------------------- */

/**
 * platform_driver_register - register a driver for platform devices
 * @drv: the driver; drv->driver.name is what devices match
 *
 * Return: as driver_register(). Context: process; may sleep.
 */
int platform_driver_register(struct platform_driver *drv)
{
	drv->driver.bus = &platform_bus_type;
	return driver_register(&drv->driver);
}

/**
 * platform_driver_unregister - unbind and remove a platform driver
 * @drv: the driver
 *
 * Context: process; may sleep.
 */
void platform_driver_unregister(struct platform_driver *drv)
{
	driver_unregister(&drv->driver);
}

/**
 * platform_bus_init - /sys/devices/platform and /sys/bus/platform
 *
 * Return: 0 or -errno. Context: boot, after buses_init.
 */
int platform_bus_init(void)
{
	int err = device_register(&platform_bus);

	if (err) {
		put_device(&platform_bus);
		return err;
	}
	err = bus_register(&platform_bus_type);
	if (err)
		device_unregister(&platform_bus);
	return err;
}
