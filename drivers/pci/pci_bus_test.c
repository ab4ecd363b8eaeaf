/*
 * ktest suite "pci_bus": the pci bus_type on QEMU's pc machine with
 * -device edu (scripts/run-tests adds it): id-table matching, device
 * names and parents, the sysfs files read back through the VFS on a
 * private sysfs mount, and the edu driver bound, unbound and bound
 * again (probe and remove, its attributes and its BAR claim).
 *
 * Cases that need the edu device are skipped when QEMU has none.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/fs_struct.h>
#include <kestrel/kstrtox.h>
#include <kestrel/ktest.h>
#include <kestrel/ktest_fs.h>
#include <kestrel/string.h>
#include <uapi/fcntl.h>

#include "pci.h"

#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define EDU_IDENT "0x010000ed\n" /* edu.rst: version 1.0 */
#define EDU_PATH "/bus/pci/devices/0000:00:04.0/"
#define READ_BUF 512
#define RESOURCE_LINE_LEN 57 /* three "0x" + 16 digits, 2 spaces, \n */

static struct ktest_mount pt; /* a private sysfs mount */

static int pci_bus_suite_init(struct ktest *t)
{
	return ktest_mount(&pt, "sysfs");
}

static void pci_bus_suite_exit(struct ktest *t)
{
	ktest_umount(&pt);
}

/* Read a sysfs file into @buf (NUL-ended): length or -errno. */
static ssize_t pt_read(const char *path, char *buf, size_t size)
{
	return fx_read_str(pt.fs, path, buf, size);
}

static ssize_t pt_write(const char *path, const char *text)
{
	return fx_write_str(pt.fs, path, text);
}

static bool pt_exists(const char *path)
{
	return fx_exists(pt.fs, path);
}

static struct pci_dev *need_edu(struct ktest *t)
{
	struct pci_dev *dev = pci_get_device(EDU_VENDOR, EDU_DEVICE, NULL);

	if (!dev)
		ktest_skip(t, "no -device edu");
	return dev;
}

static void test_match_id(struct ktest *t)
{
	struct pci_dev fake = { .vendor = 0x8086,
				.device = 0x7010,
				.subsystem_vendor = 0x1af4,
				.subsystem_device = 0x1100,
				.class = 0x010180 };
	const struct pci_device_id by_id[] = {
		{ PCI_DEVICE(0x8086, 0x7000) },
		{ PCI_DEVICE(0x8086, 0x7010), .driver_data = 2 },
		{},
	};
	const struct pci_device_id by_class[] = {
		{ PCI_DEVICE_CLASS(0x010100, 0xffff00) },
		{},
	};
	const struct pci_device_id other_class[] = {
		{ PCI_DEVICE_CLASS(0x020000, 0xff0000) },
		{},
	};
	const struct pci_device_id *id = pci_match_id(by_id, &fake);

	KT_ASSERT_NOT_NULL(t, id);
	KT_EXPECT_EQ(t, id->driver_data, 2);
	KT_EXPECT_TRUE(t, pci_match_id(by_class, &fake) == by_class);
	KT_EXPECT_NULL(t, pci_match_id(other_class, &fake));
	KT_EXPECT_NULL(t, pci_match_id(NULL, &fake));
	fake.device = 0x7111;
	KT_EXPECT_NULL(t, pci_match_id(by_id, &fake));
}

/* Every function is a device named as Linux names it, on the pci bus. */
static void test_names_and_parents(struct ktest *t)
{
	struct pci_dev *dev = NULL;
	char want[PCI_NAME_SIZE];

	while ((dev = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, dev))) {
		snprintf(want, sizeof(want), "0000:%02x:%02x.%x", dev->bus,
			 PCI_SLOT(dev->devfn), PCI_FUNC(dev->devfn));
		KT_EXPECT_EQ(t, strcmp(dev_name(&dev->dev), want), 0);
		KT_EXPECT_TRUE(t, dev->dev.bus == &pci_bus_type);
		KT_ASSERT_NOT_NULL(t, dev->dev.parent);
		if (!dev->upstream)
			KT_EXPECT_EQ(t,
				     strcmp(dev_name(dev->dev.parent),
					    "pci0000:00"),
				     0);
	}
	KT_EXPECT_TRUE(t, pt_exists("/devices/pci0000:00/0000:00:00.0"));
	KT_EXPECT_TRUE(t, pt_exists("/bus/pci/devices/0000:00:01.1"));
}

/* The identification files, in Linux's formats. */
static void test_sysfs_ids(struct ktest *t)
{
	char buf[READ_BUF];

	KT_ASSERT_GT(t,
		     pt_read("/bus/pci/devices/0000:00:00.0/vendor", buf,
			     sizeof(buf)),
		     0);
	KT_EXPECT_EQ(t, strcmp(buf, "0x8086\n"), 0);
	pt_read("/bus/pci/devices/0000:00:00.0/device", buf, sizeof(buf));
	KT_EXPECT_EQ(t, strcmp(buf, "0x1237\n"), 0);
	pt_read("/bus/pci/devices/0000:00:00.0/class", buf, sizeof(buf));
	KT_EXPECT_EQ(t, strcmp(buf, "0x060000\n"), 0);
	pt_read("/bus/pci/devices/0000:00:01.0/modalias", buf, sizeof(buf));
	KT_EXPECT_EQ(t, strncmp(buf, "pci:v00008086d00007000sv", 24), 0);
	/* Read-only: refused (Linux: EACCES, or EIO for root). */
	KT_EXPECT_LT(t, pt_write("/bus/pci/devices/0000:00:00.0/vendor", "1"),
		     0);
}

/* resource: 13 lines; BAR4 of the IDE function is I/O, size aligned. */
static void test_sysfs_resource(struct ktest *t)
{
	struct pci_dev *ide = pci_get_slot(0, PCI_DEVFN(1, 1));
	char buf[READ_BUF * 2], want[RESOURCE_LINE_LEN + 1];
	ssize_t n;

	if (!ide)
		ktest_skip(t, "no PIIX IDE");
	n = pt_read("/bus/pci/devices/0000:00:01.1/resource", buf, sizeof(buf));
	KT_EXPECT_EQ(t, n, 13 * RESOURCE_LINE_LEN);
	snprintf(want, sizeof(want), "0x%016llx 0x%016llx 0x%016llx\n",
		 (unsigned long long)ide->resource[4].start,
		 (unsigned long long)ide->resource[4].end, 0x40101ULL);
	KT_EXPECT_EQ(
		t, memcmp(buf + 4 * RESOURCE_LINE_LEN, want, RESOURCE_LINE_LEN),
		0);
}

/* config: 256 bytes for root, starting with the ids. */
static void test_sysfs_config(struct ktest *t)
{
	u8 buf[READ_BUF];

	KT_EXPECT_EQ(t,
		     pt_read("/bus/pci/devices/0000:00:00.0/config",
			     (char *)buf, sizeof(buf)),
		     256);
	KT_EXPECT_EQ(t, buf[0] | buf[1] << 8, 0x8086);
	KT_EXPECT_EQ(t, buf[2] | buf[3] << 8, 0x1237);
}

/* Bound at boot: the driver link, its attributes, its claimed BAR. */
static void test_edu_bound(struct ktest *t)
{
	struct pci_dev *edu = need_edu(t);
	char buf[READ_BUF];

	KT_ASSERT_NOT_NULL(t, edu->driver);
	KT_EXPECT_EQ(t, strcmp(edu->driver->name, "edu"), 0);
	KT_EXPECT_TRUE(t, pt_exists(EDU_PATH "driver"));
	KT_EXPECT_TRUE(t, pt_exists("/bus/pci/drivers/edu/0000:00:04.0"));
	KT_ASSERT_GT(t, pt_read(EDU_PATH "identification", buf, sizeof(buf)),
		     0);
	KT_EXPECT_EQ(t, strcmp(buf, EDU_IDENT), 0);
	KT_EXPECT_EQ(t, pt_write(EDU_PATH "liveness", "0x12345678\n"), 11);
	pt_read(EDU_PATH "liveness", buf, sizeof(buf));
	KT_EXPECT_EQ(t, strcmp(buf, "0xedcba987\n"), 0);
	KT_EXPECT_EQ(t, pt_write(EDU_PATH "liveness", "junk"), -EINVAL);
	pt_read(EDU_PATH "enable", buf, sizeof(buf));
	KT_EXPECT_EQ(t, strcmp(buf, "1\n"), 0);
	KT_EXPECT_NULL(t, request_mem_region(pci_resource_start(edu, 0), 4,
					     "ktest"));
}

/* Unbind through sysfs: remove runs; bind again: probe runs. */
static void test_edu_unbind_bind(struct ktest *t)
{
	struct pci_dev *edu = need_edu(t);
	struct resource *r;

	KT_ASSERT_EQ(t, pt_write("/bus/pci/drivers/edu/unbind", "0000:00:04.0"),
		     12);
	KT_EXPECT_NULL(t, edu->driver);
	KT_EXPECT_EQ(t, edu->enable_cnt, 0);
	KT_EXPECT_FALSE(t, pt_exists(EDU_PATH "identification"));
	KT_EXPECT_FALSE(t, pt_exists(EDU_PATH "driver"));
	r = request_mem_region(pci_resource_start(edu, 0), 4, "ktest");
	KT_EXPECT_NOT_NULL(t, r);
	if (r)
		release_mem_region(pci_resource_start(edu, 0), 4);
	KT_ASSERT_EQ(t, pt_write("/bus/pci/drivers/edu/bind", "0000:00:04.0"),
		     12);
	KT_EXPECT_NOT_NULL(t, edu->driver);
	KT_EXPECT_TRUE(t, pt_exists(EDU_PATH "identification"));
}

static struct ktest_case pci_bus_cases[] = {
	KTEST_CASE(test_match_id),	  KTEST_CASE(test_names_and_parents),
	KTEST_CASE(test_sysfs_ids),	  KTEST_CASE(test_sysfs_resource),
	KTEST_CASE(test_sysfs_config),	  KTEST_CASE(test_edu_bound),
	KTEST_CASE(test_edu_unbind_bind), {},
};
KTEST_SUITE_FULL(pci_bus, pci_bus_cases, pci_bus_suite_init,
		 pci_bus_suite_exit);
