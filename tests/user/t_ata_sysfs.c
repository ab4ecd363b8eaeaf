/*
 * Tier-3 test: the IDE disks in /sys, as user space sees them
 * (drivers/ata/, docs/ata.md). scripts/run-tests gives the user boot the
 * ata suite's disks (ata_drives()): an 8 MiB disk at the primary master.
 *
 *  - the channel and disk directories under the PIIX function;
 *  - model, serial, firmware, capacity, lba48 of ata1.00;
 *  - dma_modes lists what the disk supports, selected_dma what it runs;
 *  - the driver's directory links to the function it is bound to.
 *
 * Linux names its ATA devices differently (/sys/class/ata_device/...):
 * there, and on a Kestrel booted without disks, the cases are skipped.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ktap.h"

#define FUNC "/sys/devices/pci0000:00/0000:00:01.1"
#define DISK FUNC "/ata1/ata1.00"
#define NR_CASES 8

/* The first line of @path, without its newline; "" when unreadable. */
static const char *attr(const char *name, char *buf, size_t size)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", DISK, name);
	buf[0] = '\0';
	f = fopen(path, "r");
	if (!f)
		return buf;
	if (!fgets(buf, (int)size, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static void expect_attr(const char *name, const char *want)
{
	char buf[128];

	if (!ktap_ok(!strcmp(attr(name, buf, sizeof(buf)), want), "ata1.00_%s",
		     name))
		ktap_diag("%s: \"%s\", want \"%s\"", name, buf, want);
}

int main(void)
{
	struct stat st;
	char buf[128];
	int i;

	ktap_plan(NR_CASES);
	if (stat(DISK, &st)) {
		for (i = 0; i < NR_CASES; i++)
			ktap_skip("ata_sysfs",
				  "no %s (not Kestrel, or no disk)", DISK);
		return ktap_exit();
	}
	ktap_ok(S_ISDIR(st.st_mode) && !stat(FUNC "/ata2", &st),
		"channel_and_disk_dirs");
	expect_attr("model", "QEMU HARDDISK");
	ktap_ok(strlen(attr("serial", buf, sizeof(buf))) > 0 &&
			strlen(attr("firmware", buf, sizeof(buf))) > 0,
		"ata1.00_serial_firmware");
	expect_attr("capacity", "16384");
	expect_attr("lba48", "1");
	ktap_ok(strstr(attr("dma_modes", buf, sizeof(buf)), "mwdma2") != NULL,
		"ata1.00_dma_modes");
	expect_attr("selected_dma", "mwdma2");
	ktap_ok(!stat("/sys/bus/pci/drivers/ata_piix/0000:00:01.1", &st),
		"driver_links_function");
	return ktap_exit();
}
