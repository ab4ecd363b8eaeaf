/*
 * lspci - list the PCI devices, from /sys
 *
 * SYNOPSIS
 *	lspci [-n] [-v]
 *
 * DESCRIPTION
 *	For each directory of /sys/bus/pci/devices (named 0000:BB:DD.F, a
 *	symlink into /sys/devices/pci0000:00/...), lspci reads the
 *	attributes the PCI core exports in Linux's formats -- vendor,
 *	device, class, revision, subsystem_vendor, subsystem_device, irq,
 *	resource and the driver link -- and prints one line per device,
 *	sorted by address:
 *
 *	  00:01.1 IDE interface: Intel Corporation 82371SB PIIX3 IDE [8086:7010]
 *
 *	The names come from a small built-in table covering the devices of
 *	QEMU's pc machine; an unknown device prints as "Device vvvv:dddd",
 *	an unknown class by its base class. The domain is omitted when it
 *	is 0000, as Linux's lspci does; " (rev NN)" is added for a non-zero
 *	revision.
 *
 * OPTIONS
 *	-n	numbers only: "00:01.1 0101: 8086:7010"
 *	-v	also the subsystem ids, the IRQ, every region from the
 *		resource file (I/O ports or memory, size) and the driver
 *
 * This program runs unmodified on Linux, the behaviour oracle.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysfs.h"

#define PCI_DEVICES "/sys/bus/pci/devices"
#define DOMAIN0_PREFIX "0000:" /* "0000:00:01.1" prints as "00:01.1" */

/* Linux's IORESOURCE_* bits in the third column of "resource". */
#define IORESOURCE_IO 0x00000100
#define IORESOURCE_MEM 0x00000200
#define IORESOURCE_PREFETCH 0x00002000
#define IORESOURCE_MEM_64 0x00100000
#define PCI_ROM_RESOURCE 6 /* resource line 6: the expansion ROM */
#define PCI_NUM_RESOURCES 7 /* the BARs and the ROM */

/* class attribute "0xCCSSPP": base class, subclass, programming interface */
#define CLASS_SHIFT 8 /* class >> 8 = 0xCCSS */
#define BASE_SHIFT 8 /* 0xCCSS >> 8 = 0xCC */

struct pci_name {
	unsigned int id; /* vendor, vendor << 16 | device, or class */
	const char *name;
};

/* PCI vendor ids (PCI-SIG's registry). */
static const struct pci_name vendors[] = {
	{ 0x8086, "Intel Corporation" },
	{ 0x1234, "QEMU" }, /* the Bochs/QEMU id */
	{ 0x1af4, "Red Hat, Inc." }, /* virtio */
	{ 0x1b36, "Red Hat, Inc." }, /* QEMU's own devices */
};

/* The devices of QEMU's pc machine (and -device edu, e1000). */
static const struct pci_name devices[] = {
	{ 0x80861237, "440FX - 82441FX PMC [Natoma]" },
	{ 0x80867000, "82371SB PIIX3 ISA [Natoma/Triton II]" },
	{ 0x80867010, "82371SB PIIX3 IDE [Natoma/Triton II]" },
	{ 0x80867020, "82371SB PIIX3 USB [Natoma/Triton II]" },
	{ 0x80867113, "82371AB/EB/MB PIIX4 ACPI" },
	{ 0x8086100e, "82540EM Gigabit Ethernet Controller" },
	{ 0x12341111, "Standard VGA" },
	{ 0x123411e8, "edu educational device" },
};

/* Class names by base class and subclass (PCI Code and ID Assignment). */
static const struct pci_name subclasses[] = {
	{ 0x0000, "Non-VGA unclassified device" },
	{ 0x0100, "SCSI storage controller" },
	{ 0x0101, "IDE interface" },
	{ 0x0106, "SATA controller" },
	{ 0x0200, "Ethernet controller" },
	{ 0x0300, "VGA compatible controller" },
	{ 0x0403, "Audio device" },
	{ 0x0600, "Host bridge" },
	{ 0x0601, "ISA bridge" },
	{ 0x0604, "PCI bridge" },
	{ 0x0680, "Bridge" },
	{ 0x0c03, "USB controller" },
	{ 0x0c05, "SMBus" },
};

/* Class names by base class alone, when the subclass is not listed. */
static const struct pci_name base_classes[] = {
	{ 0x00, "Unclassified device" },
	{ 0x01, "Mass storage controller" },
	{ 0x02, "Network controller" },
	{ 0x03, "Display controller" },
	{ 0x04, "Multimedia controller" },
	{ 0x05, "Memory controller" },
	{ 0x06, "Bridge" },
	{ 0x07, "Communication controller" },
	{ 0x08, "Generic system peripheral" },
	{ 0x09, "Input device controller" },
	{ 0x0c, "Serial bus controller" },
	{ 0xff, "Unassigned class" },
};

#define LOOKUP(table, key) lookup(table, sizeof(table) / sizeof(table[0]), key)

static const char *lookup(const struct pci_name *t, size_t n, unsigned int id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].id == id)
			return t[i].name;
	return NULL;
}

/* What lspci shows of one device. */
struct pci_info {
	char slot[64]; /* "00:01.1" */
	unsigned long vendor, device, class, revision;
	unsigned long sub_vendor, sub_device, irq;
};

static int read_info(const char *dir, const char *name, struct pci_info *p)
{
	const char *slot = name;

	if (!strncmp(slot, DOMAIN0_PREFIX, strlen(DOMAIN0_PREFIX)))
		slot += strlen(DOMAIN0_PREFIX);
	snprintf(p->slot, sizeof(p->slot), "%s", slot);
	if (sysfs_read_ulong(dir, "vendor", &p->vendor) ||
	    sysfs_read_ulong(dir, "device", &p->device) ||
	    sysfs_read_ulong(dir, "class", &p->class))
		return -1;
	if (sysfs_read_ulong(dir, "revision", &p->revision))
		p->revision = 0;
	if (sysfs_read_ulong(dir, "subsystem_vendor", &p->sub_vendor))
		p->sub_vendor = 0;
	if (sysfs_read_ulong(dir, "subsystem_device", &p->sub_device))
		p->sub_device = 0;
	if (sysfs_read_ulong(dir, "irq", &p->irq))
		p->irq = 0;
	return 0;
}

static void print_class(unsigned long class)
{
	unsigned int cs = (unsigned int)(class >> CLASS_SHIFT);
	const char *name = LOOKUP(subclasses, cs);

	if (name) {
		printf("%s", name);
		return;
	}
	name = LOOKUP(base_classes, cs >> BASE_SHIFT);
	if (name)
		printf("%s [%04x]", name, cs);
	else
		printf("Class %04x", cs);
}

static void print_line(const struct pci_info *p, bool numeric)
{
	unsigned int id = (unsigned int)(p->vendor << 16 | p->device);
	const char *vendor = LOOKUP(vendors, (unsigned int)p->vendor);
	const char *device = LOOKUP(devices, id);

	if (numeric) {
		printf("%s %04lx: %04lx:%04lx", p->slot,
		       p->class >> CLASS_SHIFT, p->vendor, p->device);
	} else {
		printf("%s ", p->slot);
		print_class(p->class);
		printf(": %s%s%s", vendor ? vendor : "", vendor ? " " : "",
		       device ? device : "Device");
		printf(" [%04lx:%04lx]", p->vendor, p->device);
	}
	if (p->revision)
		printf(" (rev %02lx)", p->revision);
	printf("\n");
}

/* Print @size the way lspci does: 16, 4K, 128K, 16M, 1G. */
static void print_size(unsigned long long size)
{
	static const char units[] = " KMGT";
	int u = 0;

	while (size >= 1024 && !(size % 1024) && units[u + 1]) {
		size /= 1024;
		u++;
	}
	if (u)
		printf("[size=%llu%c]", size, units[u]);
	else
		printf("[size=%llu]", size);
}

static void print_region(int i, unsigned long long start,
			 unsigned long long end, unsigned long long flags)
{
	if (i == PCI_ROM_RESOURCE)
		printf("\tExpansion ROM at %08llx ", start);
	else if (flags & IORESOURCE_IO)
		printf("\tRegion %d: I/O ports at %04llx ", i, start);
	else if (flags & IORESOURCE_MEM)
		printf("\tRegion %d: Memory at %08llx (%s, %s) ", i, start,
		       flags & IORESOURCE_MEM_64 ? "64-bit" : "32-bit",
		       flags & IORESOURCE_PREFETCH ? "prefetchable" :
						     "non-prefetchable");
	else
		return;
	print_size(end - start + 1);
	printf("\n");
}

/* -v: the regions of "resource", one "start end flags" line each. */
static void print_regions(const char *dir)
{
	char buf[SYSFS_VALUE_MAX], *line, *save = NULL;
	unsigned long long start, end, flags;
	int i = 0;

	if (sysfs_read_attr(dir, "resource", buf, sizeof(buf)) < 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line && i < PCI_NUM_RESOURCES;
	     line = strtok_r(NULL, "\n", &save), i++) {
		if (sscanf(line, "%llx %llx %llx", &start, &end, &flags) != 3)
			continue;
		if (end > start)
			print_region(i, start, end, flags);
	}
}

static void print_verbose(const char *dir, const struct pci_info *p)
{
	char driver[256];

	printf("\tSubsystem: [%04lx:%04lx]\n", p->sub_vendor, p->sub_device);
	if (p->irq)
		printf("\tIRQ %lu\n", p->irq);
	print_regions(dir);
	if (!sysfs_link_name(dir, "driver", driver, sizeof(driver)))
		printf("\tKernel driver in use: %s\n", driver);
	printf("\n");
}

static int usage(void)
{
	fprintf(stderr, "usage: lspci [-n] [-v]\n");
	return 1;
}

int main(int argc, char **argv)
{
	bool numeric = false, verbose = false;
	char dir[SYSFS_PATH_MAX], **names, **name;
	struct pci_info p;
	int c, status = 0;

	while ((c = getopt(argc, argv, "nv")) != -1) {
		if (c == 'n')
			numeric = true;
		else if (c == 'v')
			verbose = true;
		else
			return usage();
	}
	names = sysfs_list_dir(PCI_DEVICES);
	if (!names) {
		perror("lspci: " PCI_DEVICES);
		return 1;
	}
	for (name = names; *name; name++) {
		snprintf(dir, sizeof(dir), "%s/%s", PCI_DEVICES, *name);
		if (read_info(dir, *name, &p) < 0) {
			fprintf(stderr, "lspci: %s: unreadable\n", dir);
			status = 1;
			continue;
		}
		print_line(&p, numeric);
		if (verbose)
			print_verbose(dir, &p);
	}
	sysfs_free_list(names);
	return status;
}
