/*
 * The platform bus: devices that no bus can enumerate (the UART at
 * 0x3f8, the PIT, the RTC, the i8042) but that the kernel knows are
 * there. They live under /sys/devices/platform/<name>[.<id>], on
 * /sys/bus/platform, and match drivers by name. Their resources (I/O
 * ports, memory, IRQ) are struct resource of <kestrel/ioport.h>.
 *
 * The implementation is drivers/base/platform.c.
 */
#ifndef _KESTREL_PLATFORM_DEVICE_H
#define _KESTREL_PLATFORM_DEVICE_H

#include <kestrel/device.h>

struct resource; /* <kestrel/ioport.h> */

/* @id for a device that is the only one of its name: "name", no ".N". */
#define PLATFORM_DEVID_NONE (-1)

/**
 * struct platform_device - a device on the platform bus
 * @name: matched against platform_driver.driver.name
 * @id: instance number, or PLATFORM_DEVID_NONE
 * @dev: the device; its name is "<name>.<id>" or "<name>"
 * @num_resources: entries in @resource
 * @resource: its I/O ports, memory ranges and IRQs (copied by
 *            platform_device_add_resources; freed with the device)
 */
struct platform_device {
	const char *name;
	int id;
	struct device dev;
	u32 num_resources;
	struct resource *resource;
};

static inline struct platform_device *to_platform_device(struct device *dev)
{
	return container_of(dev, struct platform_device, dev);
}

static inline void *platform_get_drvdata(const struct platform_device *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}

static inline void platform_set_drvdata(struct platform_device *pdev,
					void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}

/**
 * struct platform_driver - a driver of platform devices
 * @probe: claim the device (see device_driver.probe)
 * @remove: undo probe
 * @shutdown: quiesce at power off
 * @driver: the generic part; .name is what devices match
 */
struct platform_driver {
	int (*probe)(struct platform_device *pdev);
	int (*remove)(struct platform_device *pdev);
	void (*shutdown)(struct platform_device *pdev);
	struct device_driver driver;
};

static inline struct platform_driver *
to_platform_driver(struct device_driver *drv)
{
	return container_of(drv, struct platform_driver, driver);
}

extern struct bus_type platform_bus_type;
extern struct device platform_bus; /* /sys/devices/platform */

int platform_bus_init(void);

/* May sleep. */
struct platform_device *platform_device_alloc(const char *name, int id);
int platform_device_add_resources(struct platform_device *pdev,
				  const struct resource *res, unsigned int num);
int platform_device_add_data(struct platform_device *pdev, const void *data,
			     size_t size);
int platform_device_add(struct platform_device *pdev);
void platform_device_del(struct platform_device *pdev);
void platform_device_put(struct platform_device *pdev);
int platform_device_register(struct platform_device *pdev);
void platform_device_unregister(struct platform_device *pdev);
struct platform_device *
platform_device_register_simple(const char *name, int id,
				const struct resource *res, unsigned int num);

int platform_driver_register(struct platform_driver *drv);
void platform_driver_unregister(struct platform_driver *drv);

/* The @num'th resource of @type (IORESOURCE_IO, _MEM, _IRQ) or NULL. */
struct resource *platform_get_resource(struct platform_device *pdev,
				       unsigned int type, unsigned int num);
/* The @num'th IRQ number, or -ENXIO. */
int platform_get_irq(struct platform_device *pdev, unsigned int num);

#endif /* _KESTREL_PLATFORM_DEVICE_H */
