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
 * Each function is also a struct device on the pci bus_type
 * (pci-driver.c): pci_driver id tables match against it, and its
 * attributes show in /sys/bus/pci/devices/0000:BB:DD.F (pci-sysfs.c).
 *
 * Who frees what: nobody. Hot-plug does not exist yet, so a pci_dev is
 * never removed and pointers to one stay valid forever (the device's
 * release function only warns).
 */
#ifndef _KESTREL_PCI_H
#define _KESTREL_PCI_H

#include <kestrel/device.h>
#include <kestrel/ioport.h>
#include <kestrel/list.h>
#include <kestrel/types.h>

struct seq_file;

/* Resources 0-5 are the BARs, 6 the expansion ROM (Linux's order). */
#define PCI_STD_NUM_BARS 6
#define PCI_ROM_RESOURCE 6
#define PCI_NUM_RESOURCES 7

/* devfn: device (slot) in bits 7:3, function in 2:0. */
#define PCI_DEVFN(slot, func) ((((slot)&0x1f) << 3) | ((func)&0x07))
#define PCI_SLOT(devfn) (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn) ((devfn)&0x07)

#define PCI_ANY_ID (~0U)
#define PCI_NAME_SIZE 16 /* "0000:BB:DD.F" and its NUL */

struct pci_driver;

/*
 * One PCI function. The identification fields and resources are written
 * once by pci_init() and read-only afterwards. @dev is registered with
 * the driver core by pci_bus_init() (/sys/devices/pci0000:00/<name>);
 * @driver and @enable_cnt change under the device lock (device_lock).
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
	struct pci_dev *upstream; /* the bridge it is behind, or NULL */
	char name[PCI_NAME_SIZE]; /* "0000:BB:DD.F": pci_name() */
	struct device dev; /* not first: recovered with to_pci_dev() */
	struct pci_driver *driver; /* bound driver (device lock) */
	unsigned int enable_cnt; /* pci_enable_device() calls in force */
	struct resource resource[PCI_NUM_RESOURCES];
};

#define to_pci_dev(d) container_of(d, struct pci_dev, dev)

static inline const char *pci_name(const struct pci_dev *pdev)
{
	return pdev->name;
}

#define pci_resource_start(pdev, bar) ((pdev)->resource[(bar)].start)
#define pci_resource_end(pdev, bar) ((pdev)->resource[(bar)].end)
#define pci_resource_flags(pdev, bar) ((pdev)->resource[(bar)].flags)
/* The length of a resource; 0 for one the function does not have. */
static inline resource_size_t pci_resource_len(const struct pci_dev *pdev,
					       int bar)
{
	const struct resource *res = &pdev->resource[bar];

	return res->start || res->end ? resource_size(res) : 0;
}

static inline void *pci_get_drvdata(struct pci_dev *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}

static inline void pci_set_drvdata(struct pci_dev *pdev, void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}

/*
 * What a driver can drive: a function matches when each id is equal or
 * PCI_ANY_ID and (class ^ its class) & class_mask is 0. An id table
 * ends with an all-zero entry. (Linux's struct pci_device_id.)
 */
struct pci_device_id {
	u32 vendor, device;
	u32 subvendor, subdevice;
	u32 class, class_mask;
	unsigned long driver_data; /* for the driver's own use */
};

#define PCI_DEVICE(vend, dev)                                       \
	.vendor = (vend), .device = (dev), .subvendor = PCI_ANY_ID, \
	.subdevice = PCI_ANY_ID
#define PCI_DEVICE_CLASS(dev_class, dev_class_mask)                          \
	.class = (dev_class), .class_mask = (dev_class_mask),                \
	.vendor = PCI_ANY_ID, .device = PCI_ANY_ID, .subvendor = PCI_ANY_ID, \
	.subdevice = PCI_ANY_ID

/**
 * struct pci_driver - a driver of PCI functions
 * @name: its directory, /sys/bus/pci/drivers/<name>
 * @id_table: the functions it drives; see struct pci_device_id
 * @probe: claim @pdev, which matched @id: 0 or -errno
 * @remove: undo probe (the device is going or being unbound)
 * @driver: the generic part; filled by pci_register_driver()
 */
struct pci_driver {
	const char *name;
	const struct pci_device_id *id_table;
	int (*probe)(struct pci_dev *pdev, const struct pci_device_id *id);
	void (*remove)(struct pci_dev *pdev);
	struct device_driver driver;
};

#define to_pci_driver(drv) container_of(drv, struct pci_driver, driver)

extern struct bus_type pci_bus_type;

/**
 * pci_register_driver - add @drv to the pci bus and bind it to every
 * function its id table matches
 *
 * Return: 0 or -errno. Context: process; may sleep.
 */
int pci_register_driver(struct pci_driver *drv);

/* Unbind @drv from its devices (remove) and take it off the bus. */
void pci_unregister_driver(struct pci_driver *drv);

/**
 * pci_match_id - the entry of @ids that matches @dev, or NULL
 * Context: any.
 */
const struct pci_device_id *pci_match_id(const struct pci_device_id *ids,
					 const struct pci_dev *dev);

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
 * for the kinds of resources @dev has (the ROM does not count), and
 * counts the call (sysfs "enable" shows the count).
 * Returns 0 or -errno. Context: process; does not sleep.
 */
int pci_enable_device(struct pci_dev *dev);

/**
 * pci_disable_device - undo one pci_enable_device()
 *
 * When the last enable goes, clears bus mastering (the I/O and memory
 * decode bits stay, as Linux leaves them). Context: process.
 */
void pci_disable_device(struct pci_dev *dev);

static inline bool pci_is_enabled(const struct pci_dev *dev)
{
	return dev->enable_cnt > 0;
}

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

/* The function at @bus/@devfn, or NULL. Context: any. */
struct pci_dev *pci_get_slot(unsigned int bus, unsigned int devfn);

/* The number of functions found. Context: any. */
unsigned int pci_dev_count(void);

/* Write /proc/bus/pci/devices's text (Linux's format) into @m. */
void pci_proc_devices_show(struct seq_file *m);

#endif /* _KESTREL_PCI_H */
