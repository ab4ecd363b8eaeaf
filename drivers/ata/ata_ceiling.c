/*
 * The disk ceiling (docs/bench.md, "Disks"): how fast the emulated PIIX
 * moves data when nothing but the ATA core stands between a loop and the
 * controller. `make bench` boots the bench kernel with ata.ceiling=MIB;
 * then, once the disks are probed, this reads MIB mebibytes from the
 * primary master (ata1.00) CEIL_RUNS times, in commands of the largest
 * size the core takes (ATA_MAX_SECT_LBA28 sectors, 128 KiB) into a
 * scatter-gather list of CEIL_SEGS separate pages -- the shape of an
 * O_DIRECT request from user pages -- each command issued with ata_exec()
 * the moment the previous one returned. It logs
 *
 *	ata_ceiling: ata1.00 DMA: 5 x 64 MiB in 128 KiB commands: median
 *	812.3 MB/s (161 us per command)
 *
 * which the user-space diskbench finds with syslog(2) and prints as
 * BENCH disk_ceiling_mbs: the figure the O_DIRECT read through the block
 * layer is compared with. No block layer, no user copy, no system call:
 * what remains is the driver's own per-command work, the interrupt and
 * QEMU's emulation of the transfer. Without ata.ceiling (every other
 * boot) nothing runs. A missing disk or a failed command is logged and
 * ends the measurement; the boot goes on.
 */
#include <kestrel/ata.h>
#include <kestrel/errno.h>
#include <kestrel/gfp.h>
#include <kestrel/init.h>
#include <kestrel/kstrtox.h>
#include <kestrel/math64.h>
#include <kestrel/mm.h>
#include <kestrel/printk.h>
#include <kestrel/time.h>

#define CEIL_SECT ATA_MAX_SECT_LBA28 /* the largest command */
#define CEIL_SEGS (CEIL_SECT * ATA_SECT_SIZE / PAGE_SIZE)
#define CEIL_RUNS 5
#define CEIL_MAX_MIB 1024

static unsigned int ceiling_mib; /* 0: do not measure */

static int ata_set_ceiling(char *val)
{
	if (!val || kstrtouint(val, 10, &ceiling_mib) ||
	    ceiling_mib > CEIL_MAX_MIB) {
		ceiling_mib = 0;
		return -EINVAL;
	}
	return 0;
}
__setup("ata.ceiling", ata_set_ceiling);

/* One run: @nsect sectors from LBA 0 on, wrapping at the disk's end. */
static int ceiling_run(struct ata_device *adev, struct ata_sg *sg, u64 nsect,
		       u64 *ns)
{
	u64 t0 = ktime_get_ns(), done, lba = 0;
	struct ata_cmd cmd;
	int err;

	for (done = 0; done < nsect; done += CEIL_SECT) {
		if (lba + CEIL_SECT > adev->n_sectors)
			lba = 0;
		cmd = (struct ata_cmd){ .dev = adev,
					.op = ATA_OP_READ,
					.lba = lba,
					.nsect = CEIL_SECT,
					.sg = sg,
					.nsg = CEIL_SEGS };
		err = ata_exec(&cmd);
		if (err)
			return err;
		lba += CEIL_SECT;
	}
	*ns = ktime_get_ns() - t0;
	return 0;
}

/* Insertion sort: CEIL_RUNS values. */
static u64 median(u64 *v, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++)
		for (j = i; j && v[j - 1] > v[j]; j--) {
			u64 t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

static void ceiling_report(struct ata_device *adev, u64 ns)
{
	u64 bytes = (u64)ceiling_mib << 20;
	u64 ncmd = bytes / (CEIL_SECT * ATA_SECT_SIZE);
	/* MB/s = bytes * 1000 / ns; in tenths for one decimal */
	u64 tenths = div64_u64(bytes * 10000, ns ? ns : 1);
	u64 whole = div64_u64(tenths, 10);

	pr_info("ata_ceiling: ata%u.%02u %s: %u x %u MiB in %u KiB commands: median %llu.%llu MB/s (%llu us per command)\n",
		adev->ap->id + 1, adev->devno, adev->pio ? "PIO" : "DMA",
		CEIL_RUNS, ceiling_mib, CEIL_SECT * ATA_SECT_SIZE / 1024, whole,
		tenths - whole * 10, div64_u64(ns, ncmd * 1000));
}

static int ceiling_measure(struct ata_device *adev)
{
	struct ata_sg sg[CEIL_SEGS] = {};
	u64 ns[CEIL_RUNS];
	unsigned int i;
	int err = 0;

	for (i = 0; i < CEIL_SEGS && !err; i++) {
		sg[i].page = alloc_page(GFP_KERNEL);
		sg[i].len = PAGE_SIZE;
		if (!sg[i].page)
			err = -ENOMEM;
	}
	for (i = 0; i < CEIL_RUNS && !err; i++)
		err = ceiling_run(adev, sg, (u64)ceiling_mib << 11, &ns[i]);
	if (!err)
		ceiling_report(adev, median(ns, CEIL_RUNS));
	for (i = 0; i < CEIL_SEGS; i++)
		if (sg[i].page)
			__free_page(sg[i].page);
	return err;
}

static int ata_ceiling_init(void)
{
	struct ata_device *adev;
	int err;

	if (!ceiling_mib)
		return 0;
	adev = ata_get_device(0, 0);
	if (!adev || adev->class != ATA_DEV_ATA ||
	    adev->n_sectors < CEIL_SECT) {
		pr_err("ata_ceiling: no disk on ata1.00, nothing measured\n");
		if (adev)
			ata_put_device(adev);
		return 0;
	}
	err = ceiling_measure(adev);
	if (err)
		pr_err("ata_ceiling: ata1.00: measurement failed (%d)\n", err);
	ata_put_device(adev);
	return 0;
}
late_initcall(ata_ceiling_init);
