/*
 * lsdev - list the devices the driver core registered, from /sys
 *
 * SYNOPSIS
 *	lsdev [-t]
 *
 * DESCRIPTION
 *	The driver core shows each device once, as a directory under
 *	/sys/devices, and links to it from every place it belongs
 *	(docs/device-model.md): /sys/bus/BUS/devices/NAME for a device on
 *	a bus, /sys/class/CLASS/NAME for a device of a class. lsdev walks
 *	those links and prints one table row per device:
 *
 *	  SUBSYSTEM  DEVICE        DRIVER      DEV    INFO
 *	  pci        0000:00:01.1  ata_piix    -      8086:7010 class 010180
 *	  mem        null          -           1:3
 *
 *	buses first (bus/ in the first column's heading), then classes:
 *	the driver is the last component of the device's "driver" link,
 *	DEV is its "dev" attribute (MAJ:MIN), INFO the ids for PCI.
 *
 *	With -t it prints instead the hierarchy under /sys/devices as a
 *	tree, one device per line (a directory with a "uevent" file is a
 *	device), with its subsystem, driver and device number.
 *
 * This program runs unmodified on Linux, the behaviour oracle.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysfs.h"

#define SYS_BUS "/sys/bus"
#define SYS_CLASS "/sys/class"
#define SYS_DEVICES "/sys/devices"
#define NAME_MAX_SHOWN 256
#define TREE_INDENT 2 /* spaces per level of -t */

/* The columns of one row: everything lsdev shows of a device. */
struct dev_row {
	char driver[NAME_MAX_SHOWN];
	char dev[64];
	char info[128];
};

static void read_row(const char *dir, const char *subsys, struct dev_row *r)
{
	unsigned long vendor, device, class;

	if (sysfs_link_name(dir, "driver", r->driver, sizeof(r->driver)))
		strcpy(r->driver, "-");
	if (sysfs_read_attr(dir, "dev", r->dev, sizeof(r->dev)) < 0)
		strcpy(r->dev, "-");
	r->info[0] = '\0';
	if (strcmp(subsys, "pci") || sysfs_read_ulong(dir, "vendor", &vendor) ||
	    sysfs_read_ulong(dir, "device", &device) ||
	    sysfs_read_ulong(dir, "class", &class))
		return;
	snprintf(r->info, sizeof(r->info), "%04lx:%04lx class %06lx", vendor,
		 device, class);
}

static void print_row(const char *subsys, const char *name,
		      const struct dev_row *r)
{
	printf("%-12s %-20s %-14s %-8s %s\n", subsys, name, r->driver, r->dev,
	       r->info);
}

/* Every device linked from directory @dir (a bus's devices, a class). */
static int list_devices(const char *dir, const char *subsys)
{
	char path[SYSFS_PATH_MAX], **names, **name;
	struct dev_row row;

	names = sysfs_list_dir(dir);
	if (!names)
		return -1;
	for (name = names; *name; name++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *name);
		read_row(path, subsys, &row);
		print_row(subsys, *name, &row);
	}
	sysfs_free_list(names);
	return 0;
}

/* The table: /sys/bus/ANY/devices/ANY, then /sys/class/ANY/ANY. */
static int list_table(void)
{
	char path[SYSFS_PATH_MAX], **names, **name;
	int status = 0;

	printf("%-12s %-20s %-14s %-8s %s\n", "SUBSYSTEM", "DEVICE", "DRIVER",
	       "DEV", "INFO");
	names = sysfs_list_dir(SYS_BUS);
	for (name = names; name && *name; name++) {
		snprintf(path, sizeof(path), "%s/%s/devices", SYS_BUS, *name);
		if (list_devices(path, *name) < 0)
			status = 1;
	}
	if (!names)
		status = 1;
	sysfs_free_list(names);
	names = sysfs_list_dir(SYS_CLASS);
	for (name = names; name && *name; name++) {
		snprintf(path, sizeof(path), "%s/%s", SYS_CLASS, *name);
		if (list_devices(path, *name) < 0)
			status = 1;
	}
	if (!names)
		status = 1;
	sysfs_free_list(names);
	return status;
}

/* A device directory: a real directory (not a link) with "uevent". */
static bool is_device_dir(const char *path)
{
	char uevent[SYSFS_PATH_MAX];
	struct stat st;

	if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return false;
	snprintf(uevent, sizeof(uevent), "%s/uevent", path);
	return access(uevent, F_OK) == 0;
}

/* A directory that may hold devices deeper down (not a link). */
static bool is_plain_dir(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void print_tree_node(const char *path, const char *name, int depth)
{
	char subsys[NAME_MAX_SHOWN];
	struct dev_row row;

	if (sysfs_link_name(path, "subsystem", subsys, sizeof(subsys)))
		strcpy(subsys, "-");
	read_row(path, subsys, &row);
	printf("%*s%s [%s]", depth * TREE_INDENT, "", name, subsys);
	if (strcmp(row.driver, "-"))
		printf(" driver=%s", row.driver);
	if (strcmp(row.dev, "-"))
		printf(" dev=%s", row.dev);
	if (row.info[0])
		printf(" %s", row.info);
	printf("\n");
}

/* Whether some directory below @dir (not following links) is a device. */
static bool leads_to_device(const char *dir)
{
	char path[SYSFS_PATH_MAX], **names, **name;
	bool found = false;

	names = sysfs_list_dir(dir);
	for (name = names; name && *name && !found; name++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *name);
		found = is_device_dir(path) ||
			(is_plain_dir(path) && leads_to_device(path));
	}
	sysfs_free_list(names);
	return found;
}

/*
 * Print the devices below @dir at @depth. Directories that are not
 * devices (groups like "power", glue like "system") are descended into
 * but printed only when they lead to devices, as "name/".
 */
static void walk_tree(const char *dir, int depth)
{
	char path[SYSFS_PATH_MAX], **names, **name;

	names = sysfs_list_dir(dir);
	for (name = names; name && *name; name++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *name);
		if (is_device_dir(path)) {
			print_tree_node(path, *name, depth);
			walk_tree(path, depth + 1);
		} else if (is_plain_dir(path) && leads_to_device(path)) {
			printf("%*s%s/\n", depth * TREE_INDENT, "", *name);
			walk_tree(path, depth + 1);
		}
	}
	sysfs_free_list(names);
}

int main(int argc, char **argv)
{
	bool tree = false;
	int c;

	while ((c = getopt(argc, argv, "t")) != -1) {
		if (c != 't') {
			fprintf(stderr, "usage: lsdev [-t]\n");
			return 1;
		}
		tree = true;
	}
	if (!tree)
		return list_table();
	printf("%s\n", SYS_DEVICES);
	walk_tree(SYS_DEVICES, 1);
	return 0;
}
