/*
 * Tier-3 test: the formats of the resource files, as a reader of
 * Linux's /proc and /sys parses them (the same checks pass on Linux):
 *
 *  - /proc/iomem and /proc/ioports: "start-end : name" lines, addresses
 *    of 8 and 4 hex digits, nesting by two spaces, the kernel image in
 *    System RAM, "PCI conf1" at 0cf8-0cff;
 *  - /sys/bus/pci/devices/X/resource: 13 lines (17 for a bridge) of
 *    three 0x%016llx numbers, the first ones agreeing with
 *    /proc/bus/pci/devices;
 *  - config: 256 bytes for root, beginning with the vendor id;
 *  - enable: a malformed write fails with EINVAL;
 *  - /proc/interrupts: the "CPU0" header, timer on line 0.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ktap.h"

#define PCI_DEVICES "/sys/bus/pci/devices"
#define DEV_RESOURCES 13 /* BARs, ROM, SR-IOV slots (Linux) */
#define BRIDGE_RESOURCES 17 /* and the four bridge windows */
#define CLASS_PCI_BRIDGE 0x0604

/* Is @line "SSSS-EEEE : name" with @width digits, indented by pairs? */
static bool resource_line_ok(const char *line, int width)
{
	const char *p = line;
	int i;

	while (*p == ' ')
		p++;
	if ((p - line) % 2)
		return false;
	for (i = 0; i < width; i++)
		if (!isxdigit((unsigned char)p[i]))
			return false;
	if (p[width] != '-')
		return false;
	p += width + 1;
	for (i = 0; i < width; i++)
		if (!isxdigit((unsigned char)p[i]))
			return false;
	return !strncmp(p + width, " : ", 3) && p[width + 3] != '\n';
}

/* Check every line of @path; count those containing @want into *found. */
static bool proc_tree_ok(const char *path, int width, const char *want,
			 int *found)
{
	char line[256];
	FILE *f = fopen(path, "r");
	bool ok = f != NULL;

	*found = 0;
	while (f && fgets(line, sizeof(line), f)) {
		if (!resource_line_ok(line, width)) {
			ktap_diag("%s: bad line: %s", path, line);
			ok = false;
		}
		if (strstr(line, want))
			(*found)++;
	}
	if (f)
		fclose(f);
	return ok;
}

static void test_proc_trees(void)
{
	int n;

	ktap_ok(proc_tree_ok("/proc/iomem", 8, " : Kernel code", &n) && n == 1,
		"iomem_format_and_kernel_code");
	ktap_ok(proc_tree_ok("/proc/ioports", 4, "0cf8-0cff : PCI conf1", &n) &&
			n == 1,
		"ioports_format_and_conf1");
}

static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	int n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return n;
}

/* One device's resource file: line count by type, format of each. */
static bool resource_file_ok(const char *dev)
{
	char path[256], buf[4096], *line, *save;
	unsigned long long s, e, f;
	unsigned int class;
	int lines = 0, want;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/class", dev);
	if (read_file(path, buf, sizeof(buf)) <= 0 ||
	    sscanf(buf, "0x%x", &class) != 1)
		return false;
	want = (class >> 8) == CLASS_PCI_BRIDGE ? BRIDGE_RESOURCES :
						  DEV_RESOURCES;
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/resource", dev);
	if (read_file(path, buf, sizeof(buf)) <= 0)
		return false;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strlen(line) != 56 ||
		    sscanf(line, "0x%16llx 0x%16llx 0x%16llx", &s, &e, &f) !=
			    3 ||
		    (f && e < s)) {
			ktap_diag("%s: bad resource line: %s", dev, line);
			return false;
		}
		lines++;
	}
	if (lines != want)
		ktap_diag("%s: %d resource lines, want %d", dev, lines, want);
	return lines == want;
}

static void test_sysfs_resource(void)
{
	DIR *d = opendir(PCI_DEVICES);
	struct dirent *de;
	bool ok = d != NULL;
	int n = 0;

	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		ok &= resource_file_ok(de->d_name);
		n++;
	}
	if (d)
		closedir(d);
	ktap_ok(ok && n > 0, "sysfs_resource_files (%d devices)", n);
}

static void test_config_and_enable(void)
{
	unsigned char cfg[512];
	int fd, n;

	fd = open(PCI_DEVICES "/0000:00:00.0/config", O_RDONLY);
	n = fd >= 0 ? read(fd, cfg, sizeof(cfg)) : -1;
	if (fd >= 0)
		close(fd);
	ktap_ok(n == 256 && (cfg[0] | cfg[1] << 8) == 0x8086,
		"config_256_bytes_vendor_first");
	fd = open(PCI_DEVICES "/0000:00:00.0/enable", O_WRONLY);
	n = fd >= 0 ? write(fd, "junk", 4) : 0;
	ktap_ok(fd >= 0 && n == -1 && errno == EINVAL,
		"enable_bad_write_EINVAL");
	if (fd >= 0)
		close(fd);
}

static void test_interrupts(void)
{
	char buf[4096];
	int n = read_file("/proc/interrupts", buf, sizeof(buf));

	ktap_ok(n > 0 && !strncmp(buf, "           CPU0", 15) &&
			strstr(buf, "\n  0: ") && strstr(buf, "timer"),
		"proc_interrupts_header_and_timer");
}

int main(void)
{
	ktap_plan(6);
	test_proc_trees();
	test_sysfs_resource();
	test_config_and_enable();
	test_interrupts();
	return ktap_exit();
}
