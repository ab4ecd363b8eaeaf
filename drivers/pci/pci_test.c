/*
 * ktest suite "pci": what enumeration finds on QEMU's pc machine (the
 * command line scripts/run-tests uses: no -nic, so the default e1000 is
 * there), checked against QEMU's own "info pci":
 *
 *   00:00.0 8086:1237 i440FX host bridge   class 0x060000
 *   00:01.0 8086:7000 PIIX3 ISA bridge     class 0x060100
 *   00:01.1 8086:7010 PIIX3 IDE            class 0x0101xx, BAR4 I/O, 16 B
 *   00:01.3 8086:7113 PIIX4 ACPI           class 0x068000
 *   00:02.0 1234:1111 standard VGA         class 0x030000, BAR0 16 MiB pref
 *   00:03.0 8086:100e e1000                class 0x020000, BAR0 128 KiB mem,
 *                                          BAR1 64 B I/O
 *
 * Cases that need a device QEMU was not given are skipped, not failed.
 */
#include <kestrel/errno.h>
#include <kestrel/gfp.h>
#include <kestrel/kstrtox.h>
#include <kestrel/ktest.h>
#include <kestrel/proc_fs.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "pci.h"

#define VENDOR_INTEL 0x8086
#define VENDOR_QEMU_VGA 0x1234
#define DEVICE_I440FX 0x1237
#define DEVICE_PIIX3_ISA 0x7000
#define DEVICE_PIIX3_IDE 0x7010
#define DEVICE_PIIX4_ACPI 0x7113
#define DEVICE_STD_VGA 0x1111
#define DEVICE_E1000 0x100e

#define CLASS_HOST_BRIDGE 0x060000
#define CLASS_ISA_BRIDGE 0x060100
#define CLASS_IDE 0x0101 /* class >> 8: any programming interface */
#define CLASS_VGA 0x030000
#define CLASS_ETHERNET 0x020000

#define PIIX_IDE_BMIDE_BAR 4 /* bus-master IDE registers */
#define PIIX_IDE_BMIDE_SIZE 16
#define VGA_FB_SIZE (16u << 20)
#define E1000_MMIO_SIZE (128u << 10)
#define E1000_IO_SIZE 64
#define EMPTY_SLOT 31 /* nothing sits at 00:1f on the pc machine */

/* The function with these ids, or the case is skipped. */
static struct pci_dev *need(struct ktest *t, u16 vendor, u16 device)
{
	struct pci_dev *dev = pci_get_device(vendor, device, NULL);

	if (!dev)
		ktest_skip(t, "device not on this machine");
	return dev;
}

static void test_host_bridge(struct ktest *t)
{
	struct pci_dev *dev = pci_get_slot(0, PCI_DEVFN(0, 0));

	KT_ASSERT_NOT_NULL(t, dev);
	KT_EXPECT_EQ(t, dev->vendor, VENDOR_INTEL);
	KT_EXPECT_EQ(t, dev->device, DEVICE_I440FX);
	KT_EXPECT_EQ(t, dev->class, CLASS_HOST_BRIDGE);
	KT_EXPECT_EQ(t, dev->hdr_type, PCI_HEADER_TYPE_NORMAL);
}

/* PIIX3 is multi-function: functions 1 and 3 are found through bit 7. */
static void test_piix_functions(struct ktest *t)
{
	struct pci_dev *isa = pci_get_slot(0, PCI_DEVFN(1, 0));
	struct pci_dev *ide = pci_get_slot(0, PCI_DEVFN(1, 1));
	struct pci_dev *acpi = pci_get_slot(0, PCI_DEVFN(1, 3));

	KT_ASSERT_NOT_NULL(t, isa);
	KT_EXPECT_TRUE(t, isa->multifunction);
	KT_EXPECT_EQ(t, isa->device, DEVICE_PIIX3_ISA);
	KT_EXPECT_EQ(t, isa->class, CLASS_ISA_BRIDGE);
	KT_ASSERT_NOT_NULL(t, ide);
	KT_EXPECT_EQ(t, ide->device, DEVICE_PIIX3_IDE);
	KT_EXPECT_EQ(t, ide->class >> 8, CLASS_IDE);
	KT_ASSERT_NOT_NULL(t, acpi);
	KT_EXPECT_EQ(t, acpi->vendor, VENDOR_INTEL);
	KT_EXPECT_EQ(t, acpi->device, DEVICE_PIIX4_ACPI);
	KT_EXPECT_NULL(t, pci_get_slot(0, PCI_DEVFN(1, 2)));
}

static void test_ide_bar4(struct ktest *t)
{
	struct pci_dev *dev = need(t, VENDOR_INTEL, DEVICE_PIIX3_IDE);
	struct resource *res = &dev->resource[PIIX_IDE_BMIDE_BAR];

	KT_EXPECT_TRUE(t, res->flags & IORESOURCE_IO);
	KT_EXPECT_EQ(t, resource_size(res), PIIX_IDE_BMIDE_SIZE);
	KT_EXPECT_EQ(t, res->flags & IORESOURCE_BITS,
		     PCI_BASE_ADDRESS_SPACE_IO);
	KT_EXPECT_NE(t, res->start, 0);
	/* Compatibility mode: the fixed ISA ports, as Linux shows them. */
	KT_EXPECT_EQ(t, pci_resource_start(dev, 0), 0x1f0);
	KT_EXPECT_EQ(t, pci_resource_len(dev, 0), 8);
	KT_EXPECT_EQ(t, pci_resource_flags(dev, 0),
		     IORESOURCE_IO | IORESOURCE_PCI_FIXED);
}

static void test_vga_bar0(struct ktest *t)
{
	struct pci_dev *dev = need(t, VENDOR_QEMU_VGA, DEVICE_STD_VGA);
	struct resource *res = &dev->resource[0];

	KT_EXPECT_EQ(t, dev->class, CLASS_VGA);
	KT_EXPECT_TRUE(t, res->flags & IORESOURCE_MEM);
	KT_EXPECT_TRUE(t, res->flags & IORESOURCE_PREFETCH);
	KT_EXPECT_FALSE(t, res->flags & IORESOURCE_MEM_64);
	KT_EXPECT_EQ(t, resource_size(res), VGA_FB_SIZE);
	KT_EXPECT_EQ(t, res->start & (VGA_FB_SIZE - 1), 0); /* aligned */
}

static void test_e1000_bars(struct ktest *t)
{
	struct pci_dev *dev = need(t, VENDOR_INTEL, DEVICE_E1000);

	KT_EXPECT_EQ(t, dev->class, CLASS_ETHERNET);
	KT_EXPECT_TRUE(t, dev->resource[0].flags & IORESOURCE_MEM);
	KT_EXPECT_FALSE(t, dev->resource[0].flags & IORESOURCE_PREFETCH);
	KT_EXPECT_EQ(t, pci_resource_len(dev, 0), E1000_MMIO_SIZE);
	KT_EXPECT_TRUE(t, dev->resource[1].flags & IORESOURCE_IO);
	KT_EXPECT_EQ(t, pci_resource_len(dev, 1), E1000_IO_SIZE);
	KT_EXPECT_EQ(t, dev->pin, 1); /* INTA# */
}

/* Sizing must leave every BAR as the firmware programmed it. */
static void test_bars_restored(struct ktest *t)
{
	struct pci_dev *dev = need(t, VENDOR_QEMU_VGA, DEVICE_STD_VGA);
	u32 bar;

	KT_ASSERT_EQ(t, pci_read_config_dword(dev, PCI_BASE_ADDRESS_0, &bar),
		     0);
	KT_EXPECT_EQ(t, bar & PCI_BASE_ADDRESS_MEM_MASK,
		     dev->resource[0].start);
}

/* Interrupt line is a plain scratch register for the firmware. */
static void test_config_round_trip(struct ktest *t)
{
	struct pci_dev *dev = need(t, VENDOR_INTEL, DEVICE_E1000);
	u8 saved, v;
	u16 w;

	KT_ASSERT_EQ(t, pci_read_config_byte(dev, PCI_INTERRUPT_LINE, &saved),
		     0);
	KT_EXPECT_EQ(t, saved, dev->irq);
	KT_ASSERT_EQ(t, pci_write_config_byte(dev, PCI_INTERRUPT_LINE, 0x5a),
		     0);
	pci_read_config_byte(dev, PCI_INTERRUPT_LINE, &v);
	KT_EXPECT_EQ(t, v, 0x5a);
	pci_write_config_byte(dev, PCI_INTERRUPT_LINE, saved);
	pci_read_config_byte(dev, PCI_INTERRUPT_LINE, &v);
	KT_EXPECT_EQ(t, v, saved);
	pci_read_config_word(dev, PCI_VENDOR_ID, &w);
	KT_EXPECT_EQ(t, w, VENDOR_INTEL);
}

static void test_enable_and_master(struct ktest *t)
{
	struct pci_dev *dev = need(t, VENDOR_INTEL, DEVICE_E1000);
	u16 saved, cmd;

	pci_read_config_word(dev, PCI_COMMAND, &saved);
	pci_write_config_word(dev, PCI_COMMAND,
			      saved & ~PCI_COMMAND_MASTER &
				      ~PCI_COMMAND_DECODE);
	KT_EXPECT_EQ(t, pci_enable_device(dev), 0);
	pci_read_config_word(dev, PCI_COMMAND, &cmd);
	KT_EXPECT_EQ(t, cmd & PCI_COMMAND_DECODE, PCI_COMMAND_DECODE);
	KT_EXPECT_FALSE(t, cmd & PCI_COMMAND_MASTER);
	pci_set_master(dev);
	pci_read_config_word(dev, PCI_COMMAND, &cmd);
	KT_EXPECT_TRUE(t, cmd & PCI_COMMAND_MASTER);
	pci_write_config_word(dev, PCI_COMMAND, saved);
}

static void test_absent_and_bad_access(struct ktest *t)
{
	struct pci_dev ghost = { .bus = 0, .devfn = PCI_DEVFN(EMPTY_SLOT, 0) };
	struct pci_dev *host = pci_get_slot(0, 0);
	u16 w;
	u32 d;

	KT_EXPECT_NULL(t, pci_get_slot(0, PCI_DEVFN(EMPTY_SLOT, 0)));
	KT_EXPECT_EQ(t, pci_read_config_word(&ghost, PCI_VENDOR_ID, &w), 0);
	KT_EXPECT_EQ(t, w, PCI_VENDOR_ID_NONE);
	KT_ASSERT_NOT_NULL(t, host);
	KT_EXPECT_EQ(t, pci_read_config_dword(host, 2, &d), -EINVAL);
	KT_EXPECT_EQ(t, d, 0xffffffffu);
	KT_EXPECT_EQ(t, pci_read_config_word(host, 255, &w), -EINVAL);
	KT_EXPECT_EQ(t, pci_read_config_dword(host, 256, &d), -EINVAL);
	KT_EXPECT_EQ(t, pci_read_config_byte(host, -1, (u8 *)&w), -EINVAL);
	KT_EXPECT_EQ(t, pci_write_config_word(host, 1, 0), -EINVAL);
}

static void test_lookup(struct ktest *t)
{
	struct pci_dev *dev = NULL;
	unsigned int n = 0;

	while ((dev = pci_get_device(VENDOR_INTEL, PCI_ANY_ID, dev)))
		n++;
	KT_EXPECT_GE(t, n, 4); /* host bridge, ISA, IDE, ACPI */
	KT_EXPECT_LE(t, n, pci_dev_count());
	KT_EXPECT_NULL(t, pci_get_device(0xdead, PCI_ANY_ID, NULL));
}

#define PROC_BUF_SIZE 4096

/* /proc/bus/pci/devices: Linux's columns, the BAR flag bits included. */
static void test_proc_devices(struct ktest *t)
{
	struct seq_file m = { .size = PROC_BUF_SIZE };
	struct pci_dev *ide = need(t, VENDOR_INTEL, DEVICE_PIIX3_IDE);
	char want[64];

	m.buf = kzalloc(PROC_BUF_SIZE, GFP_KERNEL);
	KT_ASSERT_NOT_NULL(t, m.buf);
	pci_proc_devices_show(&m);
	KT_EXPECT_FALSE(t, m.overflow);
	KT_EXPECT_EQ(t, memcmp(m.buf, "0000\t80861237\t0\t", 16), 0);
	/* 00:01.1: devfn 09; BAR4 is I/O, so its address has bit 0 set. */
	snprintf(want, sizeof(want), "0009\t80867010\t%x\t", ide->irq);
	KT_EXPECT_NOT_NULL(t, strstr(m.buf, want));
	snprintf(want, sizeof(want), "\t%16llx\t",
		 ide->resource[PIIX_IDE_BMIDE_BAR].start | 1);
	KT_EXPECT_NOT_NULL(t, strstr(m.buf, want));
	KT_EXPECT_NOT_NULL(t, strstr(m.buf, "\t              10\t"));
	kfree(m.buf);
}

static struct ktest_case pci_cases[] = { KTEST_CASE(test_host_bridge),
					 KTEST_CASE(test_piix_functions),
					 KTEST_CASE(test_ide_bar4),
					 KTEST_CASE(test_vga_bar0),
					 KTEST_CASE(test_e1000_bars),
					 KTEST_CASE(test_bars_restored),
					 KTEST_CASE(test_config_round_trip),
					 KTEST_CASE(test_enable_and_master),
					 KTEST_CASE(test_absent_and_bad_access),
					 KTEST_CASE(test_lookup),
					 KTEST_CASE(test_proc_devices),
					 {} };
KTEST_SUITE(pci, pci_cases);
